# Sourced by the test scripts that start a sipas server of their own: `work_directory PREFIX` makes the
# temporary directory (printed, not removed, with KEEP=1) and arranges that on any exit the server whose pid
# is in SERVER_PID is stopped (SIGTERM, then SIGKILL after 5 s) and the directory removed.
SERVER_PID=""
WORK=""

work_directory() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    trap cleanup_on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

cleanup_on_exit() {
    local status=$?
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} = 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
