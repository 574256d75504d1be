package kaohe;

import java.nio.file.Path;

/**
 * kaohe from Java: compile a ruleset once, evaluate fact files many times, from many threads.
 *
 * <p>Every result is JSON text, the same as every other binding's (docs/api.md). The native
 * library {@code kaohe_jni} is loaded on first use from {@code java.library.path}, or earlier
 * from a path of your choice with {@link #load(Path)}.
 */
public final class Kaohe {
    private static boolean loaded;

    private Kaohe() {}

    /** Loads the native library from an explicit file ({@code libkaohe_jni.so}, {@code kaohe_jni.dll}, …). */
    public static synchronized void load(Path library) {
        if (!loaded) {
            System.load(library.toAbsolutePath().toString());
            loaded = true;
        }
    }

    /** Loads {@code kaohe_jni} from {@code java.library.path} unless already loaded. */
    static synchronized void ensureLoaded() {
        if (!loaded) {
            System.loadLibrary("kaohe_jni");
            loaded = true;
        }
    }

    /** Compiles a ruleset's source; errors are reported against the file name {@code ruleset.rules}. */
    public static CompiledRuleset compile(String ruleset) {
        return compile("ruleset.rules", ruleset);
    }

    /**
     * Compiles a ruleset's source, reporting errors against {@code name}.
     *
     * @throws KaoheException with every diagnostic if the ruleset has errors
     */
    public static CompiledRuleset compile(String name, String ruleset) {
        ensureLoaded();
        return new CompiledRuleset(Native.compile(name, ruleset));
    }

    /** Checks a ruleset: {@code {"api_version":1,"ok":bool,"diagnostics":[…]}}; never throws for a bad ruleset. */
    public static String check(String name, String ruleset) {
        ensureLoaded();
        return Native.check(name, ruleset);
    }

    /** The impact of a change of ruleset on a fact file, as {@code rulec diff --format json}. */
    public static String diff(String oldName, String oldRuleset, String newName, String newRuleset, String factsJson) {
        ensureLoaded();
        return Native.diff(oldName, oldRuleset, newName, newRuleset, factsJson);
    }

    /** {@code {"api_version":1,"format_version":1,"engine":"kaohe …"}}. */
    public static String version() {
        ensureLoaded();
        return Native.version();
    }
}
