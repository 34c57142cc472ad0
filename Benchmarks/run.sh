#!/usr/bin/env bash
# Benchmarks in one run, side by side with their goals: builds the release binary, starts it on a temporary data
# directory over HTTPS (self-signed, synchronous=FULL, rate limits off since this one machine plays every device),
# and measures with wrk (keep-alive):
#   1. GET /healthz                       the framework's ceiling on this machine
#   2. POST /v1/responses                 a new id per request, several concurrent devices
#                                         goals: ≥ 10,000/s, ≥ 0.5 of (1), p99 < 50 ms
#   3. POST /v1/responses/batch           50 responses per request, as kiosks catching up; goal ≥ 50,000 responses/s
#   4. GET /v1/index on 1,000,000 responses over a province of 100 communes (Benchmarks/index-benchmark.sh; only
#      with INDEX=1, since seeding takes a while); goals: p50 < 20 ms each, server peak RSS < 150 MB
#   5. GET /v1/export/responses.csv of 1,000,000 responses (Benchmarks/export-benchmark.sh; only with EXPORT=1);
#      goals: ≥ 100,000 rows/s, server peak RSS < 100 MB
# It prints requests/s, responses stored/s (counted in the database), p50/p99, the server's peak RSS, the ratio of
# (2) to (1), and at the end every goal, met or not.
#
# (4) and (5) share one seeded database: DATA=dir keeps it for the next run (EXPORT_DATA=dir, the old name, still
# gives the export's alone); without DATA they share a temporary one. RESPONSES sets how many (default 1,000,000),
# INDEX_DURATION each index query's wrk run (default 3s).
#
#   Benchmarks/run.sh
#   DURATION=30s CONNECTIONS=64 Benchmarks/run.sh
#   INDEX=1 EXPORT=1 DATA=/var/tmp/sipas-bench Benchmarks/run.sh
#   BINARY=path/to/sipas Benchmarks/run.sh     # measure a binary already built
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DEVICES=${DEVICES:-8}
PORT=${PORT:-18444}

need wrk wrk
need sqlite3 sqlite3
bench_binary
WORK=$(mktemp -d /tmp/sipas-ingest.XXXXXX)
SERVER=
SHARED=
trap 'kill $SERVER 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK" ${SHARED:+"$SHARED"}' EXIT
export SUMMARY=$WORK/goals.txt

"$BINARY" units import Deploy/sample/units.csv --data-dir "$WORK" >/dev/null
KEYS=$(for n in $(seq "$DEVICES"); do "$BINARY" device add --unit 82 --desk "Bench $n" --label "bench $n" --data-dir "$WORK" | tail -n 1; done | paste -sd,)
export KEYS UNITS=30169,30178,30184,30226 SUBMITTED_AT=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%dT%H:%M:%S+07:00)

bench_serve "$WORK" "$PORT" --device-rate 0 --address-rate 0
echo "journal_mode=$(sqlite3 "$WORK/sipas.sqlite" 'PRAGMA journal_mode'), synchronous=FULL on the server's writer"

stored() { bench_stored "$WORK"; }
# run NAME RESPONSES_PER_REQUEST wrk-args…: prints one line of figures and sets RPS_n, STORED_n, P99_n (ms).
printf '\n%-34s %10s %12s %9s %9s %8s  %s\n' "benchmark (${DURATION}, ${CONNECTIONS} conn)" "req/s" "stored/s" "p50" "p99" \
    "non-2xx" "goal"
run() {
    local name=$1 per=$2 goal=$3; shift 3
    local before after out rps p50 p99 bad seconds rate
    before=$(stored)
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
    after=$(stored)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    seconds=$(echo "$out" | awk '/requests in/ {sub(/s,$/, "", $4); print $4}')
    rate=$(awk -v n=$((after - before)) -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    printf '%-34s %10s %12s %9s %9s %8s  %s\n' "$name" "$rps" "$([ "$per" = 0 ] && echo - || echo "$rate")" "$p50" \
        "$p99" "${bad:-0}" "$goal"
    [ "$per" = 0 ] || [ $((after - before)) -gt 0 ] || { echo "nothing was stored: see $WORK/server.log"; tail -5 "$WORK/server.log"; exit 1; }
    eval "RPS_$per=$rps STORED_$per=$rate P99_$per=$(to_ms "$p99")"
}
run "1. GET /healthz" 0 "the ceiling" "https://127.0.0.1:$PORT/healthz"
BATCH=0 run "2. POST /v1/responses" 1 "≥ 10,000/s, ≥ 0.5 of (1), p99 < 50 ms" \
    -s Benchmarks/wrk/response.lua "https://127.0.0.1:$PORT"
BATCH=50 run "3. POST /v1/responses/batch (50)" 50 "≥ 50,000 responses/s" \
    -s Benchmarks/wrk/response.lua "https://127.0.0.1:$PORT"
RATIO=$(awk -v a="$RPS_1" -v b="$RPS_0" 'BEGIN { printf "%.2f", a / b }')
INGEST_PEAK=$(peak_mb "$SERVER")
echo
echo "ratio (2)/(1): $RATIO"
echo "responses stored: $(stored); database $(du -sh "$WORK/sipas.sqlite" | cut -f1)"
echo "server peak RSS: $INGEST_PEAK MB"
summary "ingest: single POST $STORED_1 responses/s, $(goal "goal ≥ 10,000/s" "$STORED_1 >= 10000")"
summary "ingest: single POST / healthz = $RATIO, $(goal "goal ≥ 0.5" "$RATIO >= 0.5")"
summary "ingest: single POST p99 $P99_1 ms, $(goal "goal < 50 ms" "$P99_1 < 50")"
summary "ingest: batch POST $STORED_50 responses/s, $(goal "goal ≥ 50,000/s" "$STORED_50 >= 50000")"
summary "ingest: server peak RSS $INGEST_PEAK MB, $(goal "goal < 150 MB" "$INGEST_PEAK < 150")"
kill $SERVER; wait $SERVER 2>/dev/null || true
grep -q "error" "$WORK/server.log" && { echo "server log errors:"; grep "error" "$WORK/server.log" | head -5; } || true

# The index and export benchmarks seed one database between them: DATA, or a temporary one they share.
RESPONSES=${RESPONSES:-1000000}
if [ "${INDEX:-0}" = 1 ] || [ "${EXPORT:-0}" = 1 ]; then
    if [ -z "${DATA:-}" ]; then
        SHARED=$(mktemp -d /tmp/sipas-bench-data.XXXXXX)
        DATA=$SHARED
    fi
fi

if [ "${INDEX:-0}" = 1 ]; then
    echo
    BINARY=$BINARY DATA=$DATA RESPONSES=$RESPONSES DURATION=${INDEX_DURATION:-3s} PORT=18443 \
        Benchmarks/index-benchmark.sh
fi

if [ "${EXPORT:-0}" = 1 ]; then
    echo
    BINARY=$BINARY DATA=${EXPORT_DATA:-$DATA} RESPONSES=${EXPORT_RESPONSES:-$RESPONSES} PORT=18445 \
        Benchmarks/export-benchmark.sh
fi

echo
echo "goals ($(date +%Y-%m-%d), $(nproc) cores):"
sed 's/^/  /' "$SUMMARY"
