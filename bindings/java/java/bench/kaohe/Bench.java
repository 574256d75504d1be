package kaohe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What calling kaohe from Java costs: one county-month (Miluo, April 2026), median of N rounds
 * (docs/performance.md). Run from the repository root:
 * {@code java -Djava.library.path=target/release -cp ... kaohe.Bench [detail] [N] [warm-up rounds]}.
 *
 * <p>Round by round, interleaved so that a busy machine slows them alike: {@link
 * CompiledRuleset#evaluate(String, String)} (strings crossing as UTF-16), the same through the
 * JVM's UTF-8 codec ({@code getBytes} and {@code new String} around {@link
 * CompiledRuleset#evaluateUtf8}: what {@code evaluate} did before), {@code evaluateUtf8} alone
 * (bytes in and out), and the same evaluation timed inside Rust in this process (the baseline,
 * first in even rounds and last in odd ones).
 * The overhead is the median of the per-round ratios to the baseline. The JVM's options are
 * printed: bindings/bench.sh passes {@code -XX:+AlwaysPreTouch} (a long-running service's heap,
 * every page touched), without which each call pays for the first touch of the fresh heap pages
 * its result is allocated in (docs/performance.md).
 */
public final class Bench {
    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    public static void main(String[] args) throws Exception {
        String detail = args.length > 0 ? args[0] : "full";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        // Warm-up rounds (each way once per round): a few thousand let the JVM's young
        // generation cycle through its whole heap without -XX:+AlwaysPreTouch.
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String options = "{\"detail\":\"" + detail + "\"}";
        String rules = Files.readString(Path.of("rulesets/miluo-2026/miluo-2026.rules"));
        String facts = Files.readString(Path.of("rulesets/miluo-2026/examples/2026-04.json"));
        byte[] factsUtf8 = facts.getBytes(StandardCharsets.UTF_8);
        byte[] optionsUtf8 = options.getBytes(StandardCharsets.UTF_8);
        try (CompiledRuleset miluo = Kaohe.compile("miluo-2026.rules", rules)) {
            String viaUtf16 = miluo.evaluate(facts, options);
            String viaCodec = new String(miluo.evaluateUtf8(factsUtf8, optionsUtf8), StandardCharsets.UTF_8);
            if (!viaUtf16.equals(viaCodec)) {
                throw new AssertionError("evaluate and evaluateUtf8 disagree");
            }
            for (int i = 0; i < warmUp; i++) {
                miluo.evaluate(facts, options);
                new String(miluo.evaluateUtf8(facts.getBytes(StandardCharsets.UTF_8), optionsUtf8), StandardCharsets.UTF_8);
                miluo.evaluateUtf8(factsUtf8, optionsUtf8);
                miluo.benchRustEvaluate(facts, options);
            }
            String[] ways = {
                "evaluate(String) [UTF-16]", "getBytes+evaluateUtf8+new String [JVM UTF-8 codec]", "evaluateUtf8(byte[]) [bytes in and out]"
            };
            double[][] t = new double[ways.length][rounds];
            double[][] ratio = new double[ways.length][rounds];
            double[] r = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                // The baseline goes first in even rounds and last in odd ones, so that neither
                // side always runs with the caches the other just warmed.
                if (i % 2 == 0) {
                    r[i] = miluo.benchRustEvaluate(facts, options) / 1e3;
                }
                long a = System.nanoTime();
                miluo.evaluate(facts, options);
                t[0][i] = (System.nanoTime() - a) / 1e3;
                a = System.nanoTime();
                new String(miluo.evaluateUtf8(facts.getBytes(StandardCharsets.UTF_8), optionsUtf8), StandardCharsets.UTF_8);
                t[1][i] = (System.nanoTime() - a) / 1e3;
                a = System.nanoTime();
                miluo.evaluateUtf8(factsUtf8, optionsUtf8);
                t[2][i] = (System.nanoTime() - a) / 1e3;
                if (i % 2 == 1) {
                    r[i] = miluo.benchRustEvaluate(facts, options) / 1e3;
                }
                for (int w = 0; w < ways.length; w++) {
                    ratio[w][i] = t[w][i] / r[i];
                }
            }
            System.out.println("java   JVM options " + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            for (int w = 0; w < ways.length; w++) {
                System.out.printf("java   %9.1f µs  rust in-process %.1f µs  overhead %+.1f%%  %s (detail %s, %d rounds)%n",
                        median(t[w]), median(r), (median(ratio[w]) - 1) * 100, ways[w], detail, rounds);
            }
        }
    }
}
