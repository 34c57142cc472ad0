#!/usr/bin/env bash
# Index query benchmark: seeds RESPONSES (default 1,000,000) generated SIPAS responses over Huyện Lấp Vò
# and its communes in 2024, starts the release server over HTTPS, and measures with wrk (keep-alive,
# one connection, so the latency is one query's) the district-year index and grouped queries.
# Prints the median (p50) and p99 of each, side by side from one run. Goal: median under 20 ms.
#
#   Benchmarks/index-benchmark.sh            # 1,000,000 responses
#   RESPONSES=100000 Benchmarks/index-benchmark.sh
#   DATA=/var/tmp/sipas-bench Benchmarks/index-benchmark.sh   # keep the seeded data and reuse it next time
#
# wrk counts a request that takes over 2 s as a timeout: a query that slow shows "timeouts" instead of a p50.
set -euo pipefail
cd "$(dirname "$0")/.."
RESPONSES=${RESPONSES:-1000000}
DURATION=${DURATION:-10s}
PORT=${PORT:-18443}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
swift build -c release --product sipas 2>&1 | tail -1
BIN=$(swift build -c release --show-bin-path)/sipas
SERVER=
if [ -n "${DATA:-}" ]; then
    mkdir -p "$DATA"
    trap 'kill $SERVER 2>/dev/null || true' EXIT
else
    DATA=$(mktemp -d /tmp/sipas-bench.XXXXXX)
    trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
fi

if [ "$(sqlite3 "$DATA/sipas.sqlite" 'SELECT count(*) FROM response' 2>/dev/null || echo 0)" -lt "$RESPONSES" ]; then
    "$BIN" units import Deploy/sample/units.csv --data-dir "$DATA" >/dev/null
    echo "seeding $RESPONSES responses…"
    "$BIN" demo seed --responses "$RESPONSES" --year 2024 --data-dir "$DATA"
else
    echo "reusing the responses in $DATA"
fi
TOKEN=$("$BIN" token add --role admin --label benchmark --data-dir "$DATA" | tail -n 1)
echo "database: $(du -sh "$DATA/sipas.sqlite" | cut -f1)"

"$BIN" serve --port "$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -skf "https://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

printf '\n%-60s %10s %10s %10s\n' "query (unit 875, 2024)" "req/s" "p50" "p99"
for query in \
    "unit=875&from=2024-01-01&to=2024-12-31" \
    "unit=875&from=2024-01-01&to=2024-12-31&groupBy=unit" \
    "unit=875&from=2024-01-01&to=2024-12-31&groupBy=month" \
    "unit=875&from=2024-03-15&to=2024-11-20" \
    "unit=875&from=2024-01-01&to=2024-12-31&channel=kiosk" \
    "unit=875&from=2024-01-01&to=2024-12-31&groupBy=procedure"; do
    out=$(wrk -t1 -c1 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/v1/index?$query")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    if echo "$out" | grep -q "timeout"; then p99="timeouts"; fi
    printf '%-60s %10s %10s %10s\n' "$query" "$rps" "$p50" "$p99"
done
echo
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)"
