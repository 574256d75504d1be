#!/usr/bin/env bash
# The service under load, on loopback only (issue 17 §4; docs/performance.md,
# "The service under load"). Not in CI: about three minutes and several GB of
# memory for the province-year. Run from anywhere: bash tests/http/load.sh
#
# 1. 200 concurrent clients evaluating a Shaodong county-month (17 units,
#    20 records each, generated as the benchmark's b) for 20 s with wrk
#    (Debian's package; installed when missing): throughput, p50/p90/p99,
#    errors; with full explanations (the default) and with ?detail=totals.
# 2. A 200 MB province-year (as docs/performance.md, `rulec generate`)
#    uploaded once: the server's peak RSS (VmHWM of /proc/<pid>/status)
#    against `/usr/bin/time -v rulec eval` on the same file, both as CSV.
#
# Environment: KAOHE_LOAD_SECONDS (20), KAOHE_LOAD_CLIENTS (200),
# KAOHE_LOAD_SKIP_PROVINCE=1 to run only part 1.
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_RUN="${KAOHE_LOAD_SECONDS:-20}"
CLIENTS="${KAOHE_LOAD_CLIENTS:-200}"
WORK=target/http
mkdir -p "$WORK/rulesets"

if ! command -v wrk >/dev/null; then
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk
fi
if [ ! -x /usr/bin/time ]; then
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time
fi

cargo build --quiet --release --locked -p rulec
RULEC=target/release/rulec

# The rulesets served: Shaodong, and Shaodong's monthly rules at province
# scale (the benchmark's province_ruleset, crates/kaohe/benches/province.rs).
rm -rf "$WORK/rulesets"
mkdir -p "$WORK/rulesets/shaodong-2023" "$WORK/rulesets/shaodong-province"
cp rulesets/shaodong-2023/shaodong-2023.rules "$WORK/rulesets/shaodong-2023/"
python3 - "$WORK/rulesets/shaodong-province/shaodong-province.rules" <<'PY'
import sys
text = open("rulesets/shaodong-2023/shaodong-2023.rules", encoding="utf-8").read()
def once(t, a, b):
    assert a in t, a
    return t.replace(a, b, 1)
text = once(text, "effective 2023-07-13 to 2023-12-31", "effective 2023-01-01 to 2023-12-31")
text = once(text, 'attribute indicators: integer "重点民生实事指标数"',
            'attribute indicators: integer "重点民生实事指标数"\n  attribute county: text "县市区"')
text = once(text, 'ranking monthly "月度排名" of lead [', 'ranking monthly "月度排名" of lead within county [')
annual = text.index("annual [")
ranking = text.index("ranking monthly"); ranking_end = ranking + text[ranking:].index("\n}\n") + 3
notice = text.index("notice warning"); notice_end = notice + text[notice:].index("\n}\n") + 3
monthly = text[:annual] + text[ranking:ranking_end] + "\n" + text[notice:notice_end]
t = monthly.index("group township"); t_end = t + monthly[t:].index("\n}\n") + 3
monthly = monthly[:t] + monthly[t_end:]
for cid in ["SD-A6", "SD-A8"]:
    line = monthly.index("assumption [%s]" % cid); end = line + monthly[line:].index("\n") + 1
    monthly = monthly[:line] + monthly[end:]
open(sys.argv[1], "w", encoding="utf-8").write(monthly)
PY
"$RULEC" check "$WORK/rulesets/shaodong-province/shaodong-province.rules" >/dev/null

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -INT "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 1' INT TERM

start_server() {
  : > "$WORK/server.out"
  RUST_LOG=warn "$RULEC" serve --addr 127.0.0.1:0 --rulesets "$WORK/rulesets" "$@" \
    > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    ADDR=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/server.out" || true)
    if [ -n "$ADDR" ]; then return; fi
    sleep 0.1
  done
  echo "the server did not start:"; cat "$WORK/server.err"; exit 1
}

echo "== 1. $CLIENTS clients evaluating a county-month for ${SECONDS_RUN}s ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) before)"
"$RULEC" generate rulesets/shaodong-2023/shaodong-2023.rules --units 17 --periods 1 --records 20 --seed 2023 \
  -o "$WORK/county-month.json"
echo "facts: $(wc -c < "$WORK/county-month.json") bytes"
start_server
URL="$ADDR/v1/rulesets/shaodong-2023/evaluate"
curl -sf --data-binary @"$WORK/county-month.json" "$URL" > "$WORK/county-month.out"
echo "one evaluation: $(wc -c < "$WORK/county-month.out") bytes of JSON"
for query in "" "?detail=totals"; do
  echo "-- POST /v1/rulesets/shaodong-2023/evaluate$query"
  KAOHE_FACTS="$WORK/county-month.json" timeout $((SECONDS_RUN + 30)) \
    wrk -t2 -c"$CLIENTS" -d"${SECONDS_RUN}s" --timeout 10s -s tests/http/evaluate.lua "$URL$query" \
    | grep '^RESULT'
done
stop_server

if [ "${KAOHE_LOAD_SKIP_PROVINCE:-}" = 1 ]; then exit 0; fi

echo "== 2. a 200 MB province-year: peak memory of the server and of rulec eval (load average $(cut -d' ' -f1-3 /proc/loadavg))"
PROVINCE="$WORK/province-year.json"
if [ ! -s "$PROVINCE" ]; then
  "$RULEC" generate "$WORK/rulesets/shaodong-province/shaodong-province.rules" --units 5600 \
    --periods 12 --records 20 --partitions 140 --seed 2023 -o "$PROVINCE"
fi
echo "facts: $(wc -c < "$PROVINCE") bytes"
/usr/bin/time -v "$RULEC" eval "$WORK/rulesets/shaodong-province/shaodong-province.rules" "$PROVINCE" \
  --format csv -o "$WORK/province-cli.csv" 2> "$WORK/time.txt"
CLI_KB=$(grep 'Maximum resident set size' "$WORK/time.txt" | grep -o '[0-9]*$')
CLI_S=$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | grep -o '[0-9:.]*$')
start_server
IDLE_KB=$(grep VmHWM /proc/$SERVER_PID/status | grep -o '[0-9]*')
START=$(date +%s.%N)
STATUS=$(curl -s -o "$WORK/province-server.csv" -w '%{http_code}' --data-binary @"$PROVINCE" \
  "$ADDR/v1/rulesets/shaodong-province/evaluate?format=csv")
END=$(date +%s.%N)
SERVER_KB=$(grep VmHWM /proc/$SERVER_PID/status | grep -o '[0-9]*')
stop_server
echo "server: HTTP $STATUS in $(python3 -c "print(round($END - $START, 1))") s, peak RSS $((SERVER_KB / 1024)) MB (idle $((IDLE_KB / 1024)) MB)"
echo "rulec eval: in $CLI_S, peak RSS $((CLI_KB / 1024)) MB"
if cmp -s "$WORK/province-cli.csv" "$WORK/province-server.csv"; then
  echo "the two CSV files are identical"
else
  echo "the CSV files differ"; exit 1
fi
if [ "$STATUS" != 200 ]; then exit 1; fi
