package kaohe;

/** The native methods of {@code kaohe_jni}; package-private, used by {@link Kaohe} and {@link CompiledRuleset}. */
final class Native {
    private Native() {}

    static native String check(String name, String text);

    static native long compile(String name, String text);

    static native void free(long handle);

    static native String warnings(long handle);

    /** UTF-8 bytes in and out (see the native side for why). */
    static native byte[] evaluate(long handle, byte[] facts, byte[] options);

    /** Java strings in and out, converted from and to UTF-16 natively (see the native side for why). */
    static native String evaluateString(long handle, String facts, String options);

    /** For {@code kaohe.Bench}: the Rust evaluation alone, timed inside Rust (nanoseconds). */
    static native long benchRustEvaluate(long handle, byte[] facts, byte[] options);

    static native String schema(long handle);

    static native byte[] template(long handle);

    static native String importLedger(long handle, byte[] ledger);

    static native String importLedgerWith(long handle, byte[] ledger, String options);

    static native String diff(String oldName, String oldText, String newName, String newText, String facts);

    static native String version();
}
