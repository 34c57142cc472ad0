#!/usr/bin/env bash
# Ingest benchmark: builds the release binary, starts it on a temporary data directory over HTTPS
# (self-signed, synchronous=FULL, rate limits off since this one machine plays every device), and measures
# with wrk (keep-alive) in one run, so the figures compare:
#   1. GET /healthz                       the framework's ceiling on this machine
#   2. POST /v1/responses                 a new id per request, several concurrent devices
#   3. POST /v1/responses/batch           50 responses per request, as kiosks catching up
#   4. GET /v1/index on 1,000,000 responses (Benchmarks/index-benchmark.sh; only with INDEX=1, since
#      seeding takes about 15 minutes; DATA=dir keeps the seeded database for the next run)
#   5. GET /v1/export/responses.csv of 100,000 responses: rows/s and the server's peak memory
#      (Benchmarks/export-benchmark.sh; only with EXPORT=1; EXPORT_DATA=dir keeps its database)
# It prints requests/s, responses stored/s (counted in the database), p50/p99, the server's peak RSS and
# the ratio of (2) to (1).
#
#   Benchmarks/run.sh
#   DURATION=30s CONNECTIONS=64 Benchmarks/run.sh
#   INDEX=1 DATA=/var/tmp/sipas-bench Benchmarks/run.sh
#   BINARY=path/to/sipas Benchmarks/run.sh     # measure a binary already built
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DEVICES=${DEVICES:-8}
PORT=${PORT:-18444}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
if [ -z "${BINARY:-}" ]; then
    swift build -c release --product sipas 2>&1 | tail -1
    BINARY=$(swift build -c release --show-bin-path)/sipas
fi
BIN=$BINARY
WORK=$(mktemp -d /tmp/sipas-ingest.XXXXXX)
SERVER=
trap 'kill $SERVER 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

"$BIN" units import Deploy/sample/units.csv --data-dir "$WORK" >/dev/null
KEYS=$(for n in $(seq "$DEVICES"); do "$BIN" device add --unit 82 --desk "Bench $n" --label "bench $n" --data-dir "$WORK" | tail -n 1; done | paste -sd,)
export KEYS UNITS=30169,30178,30184,30226 SUBMITTED_AT=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%dT%H:%M:%S+07:00)

"$BIN" serve --port "$PORT" --data-dir "$WORK" --device-rate 0 --address-rate 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -skf "https://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo "journal_mode=$(sqlite3 "$WORK/sipas.sqlite" 'PRAGMA journal_mode'), synchronous=FULL on the server's writer"

stored() { sqlite3 "$WORK/sipas.sqlite" 'PRAGMA busy_timeout=5000; SELECT count(*) FROM response' | tail -n 1; }
# run NAME RESPONSES_PER_REQUEST wrk-args…: prints one line of figures
printf '\n%-34s %10s %12s %9s %9s %8s\n' "benchmark (${DURATION}, ${CONNECTIONS} conn)" "req/s" "stored/s" "p50" "p99" "non-2xx"
run() {
    local name=$1 per=$2; shift 2
    local before after out rps p50 p99 bad seconds
    before=$(stored)
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
    after=$(stored)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    seconds=$(echo "$out" | awk '/requests in/ {sub(/s,$/, "", $4); print $4}')
    printf '%-34s %10s %12s %9s %9s %8s\n' "$name" "$rps" \
        "$(awk -v n=$((after - before)) -v s="$seconds" 'BEGIN { printf (n ? "%.0f" : "-"), n / s }')" "$p50" "$p99" "${bad:-0}"
    [ "$per" = 0 ] || [ $((after - before)) -gt 0 ] || { echo "nothing was stored: see $WORK/server.log"; tail -5 "$WORK/server.log"; exit 1; }
    eval "RPS_$per=$rps"
}
run "1. GET /healthz" 0 "https://127.0.0.1:$PORT/healthz"
BATCH=0 run "2. POST /v1/responses" 1 -s Benchmarks/wrk/response.lua "https://127.0.0.1:$PORT"
BATCH=50 run "3. POST /v1/responses/batch (50)" 50 -s Benchmarks/wrk/response.lua "https://127.0.0.1:$PORT"
echo
echo "ratio (2)/(1): $(awk -v a="$RPS_1" -v b="$RPS_0" 'BEGIN { printf "%.2f", a / b }')"
echo "responses stored: $(stored); database $(du -sh "$WORK/sipas.sqlite" | cut -f1)"
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)"
kill $SERVER; wait $SERVER 2>/dev/null || true
grep -q "error" "$WORK/server.log" && { echo "server log errors:"; grep "error" "$WORK/server.log" | head -5; } || true

if [ "${INDEX:-0}" = 1 ]; then
    echo
    Benchmarks/index-benchmark.sh
fi

if [ "${EXPORT:-0}" = 1 ]; then
    echo
    BINARY=$BIN DATA=${EXPORT_DATA:-} Benchmarks/export-benchmark.sh
fi
