#!/usr/bin/env bash
# The bindings' benches (issue 14, Performance; docs/performance.md): one
# county-month evaluated from Rust, through the C ABI from Rust and from C,
# from Python and from Java, in release builds, alternating the languages
# round by round so that a busy machine slows them all alike.
#   bash bindings/bench.sh [full|items|totals] [ROUNDS_OF_ALTERNATION]
# Needs: a venv with the release wheel at $KAOHE_BENCH_VENV (default
# target/bench-venv: `python3 -m venv target/bench-venv &&
# target/bench-venv/bin/pip install ./bindings/python`), gcc, a JDK.
# The JVM runs with KAOHE_BENCH_JAVA_OPTS (default -XX:+AlwaysPreTouch: the
# heap of a long-running service, whose pages were all touched long ago;
# without it each call pays the first touch of the fresh heap pages its
# result lands in, which a few hundred rounds never get past:
# docs/performance.md). KAOHE_BENCH_JAVA_OPTS= (empty) measures that cold heap.
set -euo pipefail
cd "$(dirname "$0")/.."
detail="${1:-full}"
alternations="${2:-3}"
venv="${KAOHE_BENCH_VENV:-target/bench-venv}"
java_opts="${KAOHE_BENCH_JAVA_OPTS--XX:+AlwaysPreTouch}"

cargo build --quiet --release -p kaohe-ffi -p kaohe-java
rust_bench=$(cargo bench --quiet -p kaohe-ffi --bench binding --no-run --message-format=json 2>/dev/null \
  | grep -o '"executable":"[^"]*binding[^"]*"' | tail -1 | cut -d'"' -f4)
mkdir -p target/bench-bindings/java
gcc -O2 -std=c11 -Icrates/kaohe-ffi/include tests/ffi/bench.c -Ltarget/release -lkaohe_ffi \
  -Wl,-rpath,"$PWD/target/release" -o target/bench-bindings/bench_c
javac -d target/bench-bindings/java bindings/java/java/src/kaohe/*.java bindings/java/java/bench/kaohe/Bench.java

for i in $(seq "$alternations"); do
  echo "-- round $i ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
  KAOHE_BENCH_DETAIL="$detail" "$rust_bench" --bench
  target/bench-bindings/bench_c "$detail" 300
  "$venv/bin/python" bindings/python/benches/bench.py "$detail" 300
  # shellcheck disable=SC2086 # the options are words
  java $java_opts -Djava.library.path=target/release -cp target/bench-bindings/java kaohe.Bench "$detail" 300
done
