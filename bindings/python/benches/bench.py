"""What calling kaohe from Python costs: one county-month (Miluo, April 2026),
median of N rounds (docs/performance.md). Run from the repository root:
python bindings/python/benches/bench.py [full|items|totals] [N]

Round by round, interleaved so that a busy machine slows them alike: each way
of calling from Python, then the same evaluation timed inside Rust in this
process once the arguments have crossed (the baseline; first in even rounds,
last in odd ones). The overhead of a way
is the median of its per-round ratios to the baseline."""

import json
import statistics
import sys
import time

import kaohe
from kaohe import _evaluation

detail = sys.argv[1] if len(sys.argv) > 1 else "full"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 300
miluo = kaohe.Ruleset.from_file("rulesets/miluo-2026/miluo-2026.rules")
with open("rulesets/miluo-2026/examples/2026-04.json", encoding="utf-8") as f:
    text = f.read()
data = text.encode("utf-8")
options = '{"detail": "%s"}' % detail

WAYS = [
    # The documented fast path: JSON text in, JSON text out (what every binding shares).
    ("evaluate_json (JSON text in and out)", lambda: miluo.evaluate_json(text, detail=detail)),
    # The fastest: UTF-8 bytes in and out (a host that reads and writes JSON bytes).
    ("evaluate_utf8 (UTF-8 bytes in and out)", lambda: miluo.evaluate_utf8(data, detail=detail)),
    # The idiomatic call: dicts with Decimal scores, built natively.
    ("evaluate -> dicts with Decimal (built natively)", lambda: miluo.evaluate(text, detail=detail)),
    # What evaluate did before: the JSON text, json.loads, then the Decimal walk.
    ("json.loads(evaluate_json) + Decimal walk (before)",
     lambda: _evaluation(json.loads(miluo.evaluate_json(text, detail=detail)))),
]

for _ in range(20):
    for _, call in WAYS:
        call()
    miluo._compiled._bench_rust_evaluate(text, options)
times = [[] for _ in WAYS]
ratios = [[] for _ in WAYS]
rust = []
for n in range(rounds):
    # The baseline goes first in even rounds and last in odd ones, so that
    # neither side always runs with the caches the other just warmed.
    if n % 2 == 0:
        rust.append(miluo._compiled._bench_rust_evaluate(text, options) / 1e3)
    for i, (_, call) in enumerate(WAYS):
        t = time.perf_counter()
        call()
        times[i].append((time.perf_counter() - t) * 1e6)
    if n % 2 == 1:
        rust.append(miluo._compiled._bench_rust_evaluate(text, options) / 1e3)
    for i in range(len(WAYS)):
        ratios[i].append(times[i][-1] / rust[-1])
r = statistics.median(rust)
for i, (name, _) in enumerate(WAYS):
    t = statistics.median(times[i])
    over = (statistics.median(ratios[i]) - 1) * 100
    print(f"python {t:9.1f} µs  rust in-process {r:.1f} µs  overhead {over:+.1f}%  {name} (detail {detail}, {rounds} rounds)")
