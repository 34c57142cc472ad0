#!/usr/bin/env bash
# Index query benchmark at a province's scale: seeds RESPONSES (default 1,000,000) generated SIPAS responses of
# 2024 over the benchmark province (Benchmarks/province-units.sh: code 99 and its 100 communes) through
# `sipas demo seed`, starts the release server over HTTPS, checks every query once with curl (HTTP 200, or the
# benchmark stops: a mistyped parameter must not pass for a fast 422), then measures each with wrk (one
# connection, keep-alive, DURATION each, so the latency is one query's).
#
# The queries, each over a whole year, a whole month and a partial period (15/3–20/11): the province, one
# commune, each filter (procedure, channel, desk, surveyVersion, excludeFlagged=true), each groupBy (element,
# item, unit, procedure, channel, month, quarter, year, timeliness), and channel=kiosk&groupBy=procedure.
# Prints one line per query with p50 and p99 (marked when p50 ≥ 20 ms, the goal), then how many are under
# 20 ms, the database's size and the server's peak RSS against the 150 MB goal.
#
#   Benchmarks/index-benchmark.sh                                # 1,000,000 responses
#   RESPONSES=100000 DURATION=2s Benchmarks/index-benchmark.sh
#   DATA=/var/tmp/sipas-bench Benchmarks/index-benchmark.sh      # keep the seeded data and reuse it next time
#   BINARY=path/to/sipas Benchmarks/index-benchmark.sh           # measure a binary already built
#
# A query slower than DURATION completes no request under wrk: its line then shows the one curl's time.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh
RESPONSES=${RESPONSES:-1000000}
DURATION=${DURATION:-3s}
PORT=${PORT:-18443}
GOAL_MS=20

need wrk wrk
need sqlite3 sqlite3
bench_binary
SERVER=
if [ -n "${DATA:-}" ]; then
    mkdir -p "$DATA"
    trap 'kill $SERVER 2>/dev/null || true' EXIT
else
    DATA=$(mktemp -d /tmp/sipas-bench.XXXXXX)
    trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
fi

bench_seed "$DATA" "$RESPONSES"
TOKEN=$("$BINARY" token add --role admin --label "index benchmark" --data-dir "$DATA" | tail -n 1)
DATABASE_SIZE=$(du -ch "$DATA"/sipas.sqlite* | tail -n 1 | cut -f1)
bench_serve "$DATA" "$PORT"

# MARK: - The queries
periods=("from=2024-01-01&to=2024-12-31" "from=2024-03-01&to=2024-03-31" "from=2024-03-15&to=2024-11-20")
queries=()
for period in "${periods[@]}"; do
    queries+=("unit=$PROVINCE&$period" "unit=$COMMUNE&$period")
    # desk=Một cửa 1, the first desk of every unit the seed makes.
    for filter in procedure=DEMO-07 channel=kiosk desk=M%E1%BB%99t%20c%E1%BB%ADa%201 surveyVersion=1 excludeFlagged=true; do
        queries+=("unit=$PROVINCE&$period&$filter")
    done
    for group in element item unit procedure channel month quarter year timeliness; do
        queries+=("unit=$PROVINCE&$period&groupBy=$group")
    done
    queries+=("unit=$PROVINCE&$period&channel=kiosk&groupBy=procedure")
done

# MARK: - Each once with curl: 200, and how many respondents it counts
declare -A respondents once
echo "checking the ${#queries[@]} queries once…"
for query in "${queries[@]}"; do
    read -r status seconds < <(curl -sk -o "$DATA/answer.json" -w '%{http_code} %{time_total}\n' \
        -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/v1/index?$query")
    if [ "$status" != 200 ]; then
        echo "GET /v1/index?$query answered $status, not 200:" >&2
        cat "$DATA/answer.json" >&2
        echo >&2
        exit 1
    fi
    respondents[$query]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("respondents"))' "$DATA/answer.json")
    # A query that counts nobody measures nothing: the data or the query is wrong.
    if [ "${respondents[$query]}" = 0 ] || [ "${respondents[$query]}" = None ]; then
        echo "GET /v1/index?$query counts no respondent: nothing would be measured" >&2
        exit 1
    fi
    once[$query]=$(awk -v s="$seconds" 'BEGIN { printf "%.2f", s * 1000 }')
done

# MARK: - Each with wrk
printf '\n%-72s %11s %9s %10s %10s\n' "GET /v1/index? (${DURATION} each, 1 connection)" "respondents" "req/s" "p50 ms" "p99 ms"
under=0
for query in "${queries[@]}"; do
    out=$(wrk -t1 -c1 -d"$DURATION" --timeout 120s --latency -H "Authorization: Bearer $TOKEN" \
        "https://127.0.0.1:$PORT/v1/index?$query")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    if [ "${requests:-0}" -gt 0 ]; then
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
        p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
        note=""
    else
        rps=0 p50=${once[$query]} p99=${once[$query]} note=" (slower than ${DURATION}: the curl's one request)"
    fi
    if awk -v p="$p50" -v g="$GOAL_MS" 'BEGIN { exit !(p < g) }'; then
        under=$((under + 1))
    else
        note=" ≥ ${GOAL_MS} ms$note"
    fi
    printf '%-72s %11s %9s %10s %10s%s\n' "$query" "${respondents[$query]}" "$rps" "$p50" "$p99" "$note"
done

PEAK=$(peak_mb "$SERVER")
echo
echo "seed: $SEED_LINE"
echo "queries with p50 under ${GOAL_MS} ms: $under of ${#queries[@]}"
echo "database (with its WAL): $DATABASE_SIZE ($(bench_stored "$DATA") responses)"
echo "server peak RSS (VmHWM): $PEAK MB, $(goal "goal < 150 MB" "$PEAK < 150")"
summary "index: queries with p50 < ${GOAL_MS} ms: $under of ${#queries[@]}, $(goal "goal all" "$under == ${#queries[@]}")"
summary "index: server peak RSS $PEAK MB, $(goal "goal < 150 MB" "$PEAK < 150")"
summary "index: seed: $SEED_LINE"
