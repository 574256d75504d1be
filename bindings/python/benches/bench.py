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


def median_us(call):
    for _ in range(20):
        call()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e6


# The binding's call: JSON text in, JSON text out (what every binding shares).
json_us = median_us(lambda: miluo.evaluate_json(text, detail=detail))
# The idiomatic call: the result as dicts with Decimal scores.
dict_us = median_us(lambda: miluo.evaluate(text, detail=detail))
print(f"python {json_us:9.1f} µs  evaluate_json (detail {detail}, {rounds} rounds)")
print(f"python {dict_us:9.1f} µs  evaluate -> dicts with Decimal")
