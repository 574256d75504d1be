#!/usr/bin/env bash
# The service under load, on loopback only (issue 17 §4; docs/performance.md,
# "The service under load"). Not in CI: about three minutes and several GB of
# memory for the province-year. Run from anywhere: bash tests/http/load.sh
#
# 1. 200 concurrent clients evaluating a Shaodong county-month for 20 s
#    with wrk (Debian's package; installed when missing): throughput,
#    p50/p90/p99, errors, the load average before each run, and whether the
#    target (p99 < 50 ms, no error) is met; with full explanations (the
#    default) and with ?detail=totals. Two months: a. the realistic size,
#    the shipped example's October 2023 (24 units, 44 records, 12 KB); b. a
#    heavy one, generated (34 units, 680 records, 105 KB).
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

echo "== 1. $CLIENTS clients evaluating a county-month for ${SECONDS_RUN}s, two sizes ($(nproc) cores)"
# a. The realistic size: the shipped example's October 2023 (Shaodong's 24
#    units, the month's 44 records, 12 KB), cut from the half-year file.
# b. A heavy month, generated: 34 units, 680 records (105 KB).
python3 - rulesets/shaodong-2023/examples/2023-h2.json "$WORK/real-month.json" <<'PY'
import json, re, sys
# The shipped half-year example cut to one month, line by line as the file is
# written (its header, its units, only the month's records).
month = "2023-10"
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
out = []
in_records = False
for line in lines:
    s = line.strip()
    if s.startswith('"periods"'):
        line = '  "periods": ["%s"],' % month
    elif s.startswith('"discretion"'):
        d = json.loads("{" + s.rstrip(",") + "}")["discretion"]
        d = {k: v for k, v in d.items() if k in (month, month[:4])}
        line = '  "discretion": %s,' % json.dumps(d, ensure_ascii=False)
    elif s.startswith('"records"'):
        in_records = True
    elif in_records and s.startswith("{") and '"period": "%s"' % month not in s:
        continue
    out.append(line)
text = re.sub(r",(\s*\])", r"\1", "\n".join(out))
facts = json.loads(text)
assert {r["period"] for r in facts["records"]} == {month}, "not one month"
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
"$RULEC" generate rulesets/shaodong-2023/shaodong-2023.rules --units 17 --periods 1 --records 20 --seed 2023 \
  -o "$WORK/generated-month.json"
start_server
URL="$ADDR/v1/rulesets/shaodong-2023/evaluate"
for month in real-month generated-month; do
  FACTS="$WORK/$month.json"
  SIZE=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['units']), 'units,', len(d['records']), 'records')" "$FACTS")
  curl -sf --data-binary @"$FACTS" "$URL" > "$WORK/$month.out"
  echo "-- $month: $SIZE, $(wc -c < "$FACTS") bytes of facts, $(wc -c < "$WORK/$month.out") bytes of evaluation JSON"
  for query in "" "?detail=totals"; do
    echo "POST /v1/rulesets/shaodong-2023/evaluate$query (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
    RESULT=$(KAOHE_FACTS="$FACTS" timeout $((SECONDS_RUN + 30)) \
      wrk -t2 -c"$CLIENTS" -d"${SECONDS_RUN}s" --timeout 10s -s tests/http/evaluate.lua "$URL$query" \
      | grep '^RESULT')
    echo "$RESULT"
    P99=$(echo "$RESULT" | grep -o 'p99=[0-9.]*' | cut -d= -f2)
    ERRORS=$(echo "$RESULT" | grep -o ' errors=[0-9]*' | cut -d= -f2)
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 50 and int(sys.argv[2]) == 0 else 1)" "$P99" "$ERRORS"; then
      echo "target (p99 < 50 ms, no error): met"
    else
      echo "target (p99 < 50 ms, no error): missed"
    fi
  done
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
