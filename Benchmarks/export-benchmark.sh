#!/usr/bin/env bash
# Export benchmark: seeds RESPONSES (default 100,000) generated SIPAS responses over Huyện Lấp Vò and its
# communes in 2024 (`sipas demo seed`), starts the server over HTTPS, downloads the whole response export
# (GET /v1/export/responses.csv?unit=875&year=2024, an admin token: every row) ROUNDS times, and prints the rows,
# bytes, seconds and rows/s of each download, the server's resident memory before the first one, its peak (VmHWM)
# and its resident memory after the last. An export that streams keeps the peak near the start-up figure
# whatever the number of rows; one built in memory grows with them and keeps the memory afterwards.
#
#   Benchmarks/export-benchmark.sh
#   RESPONSES=20000 Benchmarks/export-benchmark.sh
#   DATA=/var/tmp/sipas-export Benchmarks/export-benchmark.sh      # keep the seeded data and reuse it next time
#   BINARY=.build/debug/sipas Benchmarks/export-benchmark.sh       # measure a binary already built
set -euo pipefail
cd "$(dirname "$0")/.."
RESPONSES=${RESPONSES:-100000}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18445}
QUERY=${QUERY:-unit=875&year=2024}

command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
if [ -z "${BINARY:-}" ]; then
    swift build -c release --product sipas 2>&1 | tail -1
    BINARY=$(swift build -c release --show-bin-path)/sipas
fi
BIN=$BINARY
SERVER=
if [ -n "${DATA:-}" ]; then
    mkdir -p "$DATA"
    trap 'kill $SERVER 2>/dev/null || true' EXIT
else
    DATA=$(mktemp -d /tmp/sipas-export.XXXXXX)
    trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
fi

stored() { sqlite3 "$DATA/sipas.sqlite" 'PRAGMA busy_timeout=5000; SELECT count(*) FROM response' 2>/dev/null | tail -n 1 || echo 0; }
if [ "$(stored)" -lt "$RESPONSES" ]; then
    "$BIN" units import Deploy/sample/units.csv --data-dir "$DATA" >/dev/null
    echo "seeding $((RESPONSES - $(stored))) responses…"
    start=$(date +%s)
    "$BIN" demo seed --responses "$((RESPONSES - $(stored)))" --year 2024 --data-dir "$DATA"
    echo "seeded in $(($(date +%s) - start)) s"
else
    echo "reusing the $(stored) responses in $DATA"
fi
TOKEN=$("$BIN" token add --role admin --label "export benchmark" --data-dir "$DATA" | tail -n 1)
echo "database: $(du -sh "$DATA/sipas.sqlite" | cut -f1), $(stored) responses"

"$BIN" serve --port "$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -skf "https://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
memory() { awk -v key="$1" '$1 == key ":" {printf "%.1f MB", $2 / 1024}' "/proc/$SERVER/status"; }
# One small request first, so the figure before the export is the server's working size, not its bare start.
curl -skf -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/v1/index?$QUERY" >/dev/null
echo "server RSS before the export: $(memory VmRSS) (peak so far $(memory VmHWM))"

printf '\n%-6s %10s %12s %9s %10s %s\n' "round" "rows" "bytes" "seconds" "rows/s" "transfer"
for round in $(seq "$ROUNDS"); do
    out="$DATA/export.csv"
    timing=$(curl -sk -D "$DATA/headers.txt" -o "$out" -w '%{time_total} %{size_download} %{http_code}' \
        -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/v1/export/responses.csv?$QUERY")
    read -r seconds bytes status <<<"$timing"
    [ "$status" = 200 ] || { echo "export answered $status"; cat "$out"; exit 1; }
    # Rows: records, not lines (a comment may hold a line break); the header is not a row.
    rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' "$out")
    transfer=$(grep -i -E '^(transfer-encoding|content-length):' "$DATA/headers.txt" | tr -d '\r' | paste -sd' ')
    printf '%-6s %10s %12s %9s %10s %s\n' "$round" "$rows" "$bytes" "$seconds" \
        "$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')" "$transfer"
done
echo
echo "server peak RSS (VmHWM): $(memory VmHWM); RSS after the exports: $(memory VmRSS)"
kill $SERVER; wait $SERVER 2>/dev/null || true
