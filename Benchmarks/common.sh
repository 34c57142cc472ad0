# Sourced by the benchmarks (run from the repository's root): the binary, the benchmark province's data, the server.
#
#   BINARY=path      measure a binary already built (default: build the release one)

# need COMMAND PACKAGE: installs PACKAGE from Debian when COMMAND is missing.
need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2"; }; }

# Sets BINARY, building the release binary unless one was given.
bench_binary() {
    if [ -z "${BINARY:-}" ]; then
        swift build -c release --product sipas 2>&1 | tail -1
        BINARY=$(swift build -c release --show-bin-path)/sipas
    fi
}

# The benchmark province (Benchmarks/province-units.sh): code 99 and its 100 communes 99001…99100.
PROVINCE=99
COMMUNE=99001
SEED_YEAR=2024

# bench_stored DIR: the responses stored in DIR's database (0 when there is none).
bench_stored() {
    # `.timeout` prints nothing (PRAGMA busy_timeout would print its value, taken for the count when the table is
    # missing); no file or no table yet is 0.
    [ -f "$1/sipas.sqlite" ] || { echo 0; return; }
    sqlite3 -cmd '.timeout 5000' "$1/sipas.sqlite" 'SELECT count(*) FROM response' 2>/dev/null || echo 0
}

# bench_seed DIR RESPONSES: the benchmark province and RESPONSES generated responses of 2024 over it, through
# `sipas demo seed` (the API's intake). A directory that holds as many already is reused as it is; one that holds
# fewer gets the difference (a seed of another count is another year of responses, spread over the same desks, so
# the directory then holds RESPONSES). Sets SEED_LINE to what the seed printed (its time and responses/s), or to
# "reused".
bench_seed() {
    local dir=$1 responses=$2 have
    have=$(bench_stored "$dir")
    if [ "$have" -ge "$responses" ]; then
        echo "reusing the $have responses in $dir"
        SEED_LINE="reused $have responses in $dir"
        return
    fi
    Benchmarks/province-units.sh >"$dir/province-units.csv"
    "$BINARY" units import "$dir/province-units.csv" --data-dir "$dir" >/dev/null
    echo "seeding $((responses - have)) responses over province $PROVINCE and its 100 communes in $SEED_YEAR ($have stored already)…"
    SEED_LINE=$("$BINARY" demo seed --unit "$PROVINCE" --responses $((responses - have)) --year "$SEED_YEAR" \
        --data-dir "$dir")
    echo "$SEED_LINE"
}

# bench_serve DIR PORT: starts the server over HTTPS on DIR (daily backup off, so no backup of a large database runs
# during the measurement), sets SERVER to its pid and waits until /healthz answers.
bench_serve() {
    SIPAS_BACKUP_KEEP=0 "$BINARY" serve --port "$2" --data-dir "$1" "${@:3}" >"$1/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 300); do
        curl -skf "https://127.0.0.1:$2/healthz" >/dev/null && return
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.2
    done
    echo "the server did not start; its log ($1/server.log):" >&2
    tail -20 "$1/server.log" >&2
    exit 1
}

# peak_mb PID: the process's peak resident memory (VmHWM) in MB.
peak_mb() { awk '$1 == "VmHWM:" {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# to_ms LATENCY: wrk's latency (850.00us, 5.20ms, 1.02s, 2.00m) in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; else if (v ~ /m$/) n *= 60000
        printf "%.2f", n
    }'
}

# goal TEXT MET: "met" or "NOT MET" after TEXT; MET is an awk condition, e.g. "3.2 < 20".
goal() { awk "BEGIN { exit !($2) }" && echo "$1: met" || echo "$1: NOT MET"; }

# summary LINE: appends LINE to the file SUMMARY names (run.sh gathers every benchmark's goals there).
summary() { [ -z "${SUMMARY:-}" ] || echo "$1" >>"$SUMMARY"; }
