#!/usr/bin/env bash
# Export benchmark: seeds RESPONSES (default 100,000; 1,000,000 from run.sh) generated SIPAS responses of 2024
# over the benchmark province (Benchmarks/province-units.sh, `sipas demo seed`), starts the server over HTTPS,
# downloads the whole response export (GET /v1/export/responses.csv?unit=99&year=2024, an admin token: every row)
# ROUNDS times, and prints the rows, bytes, seconds and rows/s of each download, the server's resident memory
# before the first one, its peak (VmHWM) and its resident memory after the last, against the goals (peak RSS
# < 100 MB, ≥ 100,000 rows/s). An export that streams keeps the peak near the start-up figure whatever the number
# of rows; one built in memory grows with them and keeps the memory afterwards.
#
#   Benchmarks/export-benchmark.sh
#   RESPONSES=20000 Benchmarks/export-benchmark.sh
#   DATA=/var/tmp/sipas-export Benchmarks/export-benchmark.sh      # keep the seeded data and reuse it next time
#   BINARY=.build/debug/sipas Benchmarks/export-benchmark.sh       # measure a binary already built
#
# The seeded data are the index benchmark's: one DATA directory serves both.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh
RESPONSES=${RESPONSES:-100000}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18445}
QUERY=${QUERY:-unit=$PROVINCE&year=$SEED_YEAR}

need sqlite3 sqlite3
bench_binary
SERVER=
if [ -n "${DATA:-}" ]; then
    mkdir -p "$DATA"
    trap 'kill $SERVER 2>/dev/null || true; rm -f "$DATA/export.csv"' EXIT
else
    DATA=$(mktemp -d /tmp/sipas-export.XXXXXX)
    trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
fi

bench_seed "$DATA" "$RESPONSES"
TOKEN=$("$BINARY" token add --role admin --label "export benchmark" --data-dir "$DATA" | tail -n 1)
echo "database: $(du -sh "$DATA/sipas.sqlite" | cut -f1), $(bench_stored "$DATA") responses"

bench_serve "$DATA" "$PORT"
memory() { awk -v key="$1" '$1 == key ":" {printf "%.1f MB", $2 / 1024}' "/proc/$SERVER/status"; }
# One small request first, so the figure before the export is the server's working size, not its bare start.
curl -skf -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/v1/index?$QUERY" >/dev/null
echo "server RSS before the export: $(memory VmRSS) (peak so far $(memory VmHWM))"

printf '\n%-6s %10s %12s %9s %10s %s\n' "round" "rows" "bytes" "seconds" "rows/s" "transfer"
rates=()
for round in $(seq "$ROUNDS"); do
    out="$DATA/export.csv"
    timing=$(curl -sk -D "$DATA/headers.txt" -o "$out" -w '%{time_total} %{size_download} %{http_code}' \
        -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/v1/export/responses.csv?$QUERY")
    read -r seconds bytes status <<<"$timing"
    [ "$status" = 200 ] || { echo "export answered $status"; cat "$out"; exit 1; }
    # Rows: records, not lines (a comment may hold a line break); the header is not a row.
    rows=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' "$out")
    transfer=$(grep -i -E '^(transfer-encoding|content-length):' "$DATA/headers.txt" | tr -d '\r' | paste -sd' ')
    rate=$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
    rates+=("$rate")
    printf '%-6s %10s %12s %9s %10s %s\n' "$round" "$rows" "$bytes" "$seconds" "$rate" "$transfer"
done
PEAK=$(peak_mb "$SERVER")
MEDIAN=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo
echo "seed: $SEED_LINE"
echo "rows/s (median of $ROUNDS): $MEDIAN, $(goal "goal ≥ 100,000" "$MEDIAN >= 100000")"
echo "server peak RSS (VmHWM): $PEAK MB, $(goal "goal < 100 MB" "$PEAK < 100"); RSS after the exports: $(memory VmRSS)"
summary "export: $rows rows, median $MEDIAN rows/s, $(goal "goal ≥ 100,000" "$MEDIAN >= 100000")"
summary "export: server peak RSS $PEAK MB, $(goal "goal < 100 MB" "$PEAK < 100")"
kill $SERVER; wait $SERVER 2>/dev/null || true
