package kaohe;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A compiled ruleset. Thread-safe: any number of threads may call {@link #evaluate} at once.
 * Close it (try-with-resources) to free the native memory; using it after {@link #close()}
 * throws a {@link KaoheException}.
 */
public final class CompiledRuleset implements AutoCloseable {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;

    CompiledRuleset(long handle) {
        this.handle = handle;
    }

    private long acquire() {
        lock.readLock().lock();
        return handle;
    }

    private void release() {
        lock.readLock().unlock();
    }

    /** The evaluation JSON ({@code format_version} 1, docs/embedding.md) of a fact file. */
    public String evaluate(String factsJson) {
        return evaluate(factsJson, "{}");
    }

    /**
     * Evaluates with options: {@code {"detail":"full"|"items"|"totals","period":"2026-04","unit":"jtj"}}.
     *
     * @throws KaoheException with every fact error (each with its JSON path) or the evaluation error
     */
    public String evaluate(String factsJson, String optionsJson) {
        // The strings cross as UTF-16, converted natively: cheaper than the JVM's UTF-8 codec
        // (getBytes / new String) on mostly Chinese text (docs/performance.md).
        long h = acquire();
        try {
            return Native.evaluateString(h, factsJson, optionsJson);
        } finally {
            release();
        }
    }

    /**
     * As {@link #evaluate(String, String)}, with UTF-8 bytes in and out: for hosts that already
     * hold UTF-8 (an HTTP request body), this skips building Java strings at all
     * (docs/performance.md). {@code optionsJson} may be null. A leading byte-order mark is
     * skipped; facts that are not UTF-8 fail with {@code kaohe::facts::not_utf8} at the first bad
     * byte's line and column, as from every other door.
     *
     * @throws KaoheException with every fact error (each with its JSON path) or the evaluation error
     */
    public byte[] evaluateUtf8(byte[] factsJson, byte[] optionsJson) {
        long h = acquire();
        try {
            return Native.evaluate(h, factsJson, optionsJson);
        } finally {
            release();
        }
    }

    /** For {@code kaohe.Bench}: nanoseconds of the Rust evaluation alone, in this process. */
    long benchRustEvaluate(String factsJson, String optionsJson) {
        byte[] facts = factsJson.getBytes(StandardCharsets.UTF_8);
        byte[] options = optionsJson.getBytes(StandardCharsets.UTF_8);
        long h = acquire();
        try {
            return Native.benchRustEvaluate(h, facts, options);
        } finally {
            release();
        }
    }

    /** The checker's warnings: {@code {"api_version":1,"ok":true,"diagnostics":[…]}}. */
    public String check() {
        long h = acquire();
        try {
            return Native.warnings(h);
        } finally {
            release();
        }
    }

    /** The JSON Schema of the fact files this ruleset accepts. */
    public String schema() {
        long h = acquire();
        try {
            return Native.schema(h);
        } finally {
            release();
        }
    }

    /** The blank Excel ledger (台账), the bytes of an .xlsx file. */
    public byte[] template() {
        long h = acquire();
        try {
            return Native.template(h);
        } finally {
            release();
        }
    }

    /** A filled-in ledger (.xlsx bytes) read into a fact file (JSON). */
    public String importLedger(byte[] ledger) {
        long h = acquire();
        try {
            return Native.importLedger(h, ledger);
        } finally {
            release();
        }
    }

    /**
     * A filled-in ledger read into a fact file, with options as the contract's
     * ({@code {"lang":"zh"}}: the ledger's errors in Chinese, with the same
     * codes, sheets and cells). {@code optionsJson} may be null.
     */
    public String importLedger(byte[] ledger, String optionsJson) {
        long h = acquire();
        try {
            return Native.importLedgerWith(h, ledger, optionsJson == null ? "" : optionsJson);
        } finally {
            release();
        }
    }

    /** Frees the native ruleset once every running call has returned. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != 0) {
                Native.free(handle);
                handle = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
