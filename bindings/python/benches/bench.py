"""What calling kaohe from Python costs: one county-month (Miluo, April 2026),
median of N rounds (docs/performance.md). Run from the repository root:
python bindings/python/benches/bench.py [full|items|totals] [N]"""

import statistics
import sys
import time

import kaohe

detail = sys.argv[1] if len(sys.argv) > 1 else "full"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 300
miluo = kaohe.Ruleset.from_file("rulesets/miluo-2026/miluo-2026.rules")
with open("rulesets/miluo-2026/examples/2026-04.json", encoding="utf-8") as f:
    text = f.read()


options = '{"detail": "%s"}' % detail


def interleaved(call):
    """Round by round: the call from Python, then the same evaluation timed
    inside Rust in this process (the baseline). Medians of the times and of
    the per-round ratios."""
    for _ in range(20):
        call()
    times, rust, ratios = [], [], []
    for _ in range(rounds):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1e6)
        rust.append(miluo._compiled._bench_rust_evaluate(text, options) / 1e3)
        ratios.append(times[-1] / rust[-1])
    return statistics.median(times), statistics.median(rust), (statistics.median(ratios) - 1) * 100


# The binding's call: JSON text in, JSON text out (what every binding shares).
t, r, over = interleaved(lambda: miluo.evaluate_json(text, detail=detail))
print(f"python {t:9.1f} µs  rust in-process {r:.1f} µs  overhead {over:+.1f}%  evaluate_json (detail {detail}, {rounds} rounds)")
# The idiomatic call: the result as dicts with Decimal scores.
t, r, over = interleaved(lambda: miluo.evaluate(text, detail=detail))
print(f"python {t:9.1f} µs  rust in-process {r:.1f} µs  overhead {over:+.1f}%  evaluate -> dicts with Decimal")
