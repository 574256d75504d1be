package kaohe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What calling kaohe from Java costs: one county-month (Miluo, April 2026) through
 * {@link CompiledRuleset#evaluate}, median of N rounds (docs/performance.md). Run from the
 * repository root: {@code java -Djava.library.path=target/release -cp ... kaohe.Bench [detail] [N]}.
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        String detail = args.length > 0 ? args[0] : "full";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        String options = "{\"detail\":\"" + detail + "\"}";
        String rules = Files.readString(Path.of("rulesets/miluo-2026/miluo-2026.rules"));
        String facts = Files.readString(Path.of("rulesets/miluo-2026/examples/2026-04.json"));
        try (CompiledRuleset miluo = Kaohe.compile("miluo-2026.rules", rules)) {
            for (int i = 0; i < 200; i++) {
                miluo.evaluate(facts, options);
            }
            // Round by round: the call from Java, then the same evaluation timed
            // inside Rust in this process (the baseline).
            double[] t = new double[rounds];
            double[] r = new double[rounds];
            double[] ratio = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long a = System.nanoTime();
                miluo.evaluate(facts, options);
                t[i] = (System.nanoTime() - a) / 1e3;
                r[i] = miluo.benchRustEvaluate(facts, options) / 1e3;
                ratio[i] = t[i] / r[i];
            }
            Arrays.sort(t);
            Arrays.sort(r);
            Arrays.sort(ratio);
            System.out.printf("java   %9.1f µs  rust in-process %.1f µs  overhead %+.1f%% (median of per-round ratios; detail %s, %d rounds)%n",
                    t[rounds / 2], r[rounds / 2], (ratio[rounds / 2] - 1) * 100, detail, rounds);
        }
    }
}
