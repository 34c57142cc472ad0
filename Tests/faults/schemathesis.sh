#!/usr/bin/env bash
# Conformance fuzzing of the HTTP API with Schemathesis: every answer must be documented in
# Web/openapi.json (status code, content type, headers, body schema) and none may be a 5xx.
#
#   Tests/faults/schemathesis.sh                   # SIPAS=.build/debug/sipas MAX_EXAMPLES=20
#   SIPAS=/path/to/sipas MAX_EXAMPLES=100 Tests/faults/schemathesis.sh
#
# It makes a temporary data directory (sample units, procedures and dossiers, a few hundred generated
# responses), a device key, an admin token, an integration token and a dashboard session, starts
# `sipas serve` over HTTPS (with the office authority's certificate: TLS verification is off) with the
# rate limits off, and runs Schemathesis in passes, each with the credential its routes take (the
# public pass includes /tls and the authority's downloads). It prints one line per pass and
# exits 1 if any pass found a failure (the server's error log lines are printed too).
#
# Environment: SIPAS (binary, relative to the repository root or absolute), MAX_EXAMPLES (test cases per
# operation, default 20), SCHEMA (schema location; default the server's /openapi.json when it serves one,
# else Web/openapi.json), PHASES (Schemathesis phases, default examples,coverage,fuzzing), SEED,
# KEEP=1 (keep the data directory, server log and reports), PASSES (space-separated subset of: public
# device integration admin session), SCHEMATHESIS_ARGS (more options for `schemathesis run`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
SIPAS=${SIPAS:-.build/debug/sipas}
[[ $SIPAS = /* ]] || SIPAS="$ROOT/$SIPAS"
MAX_EXAMPLES=${MAX_EXAMPLES:-20}
PHASES=${PHASES:-examples,coverage,fuzzing}
PASSES=${PASSES:-public device integration admin session}
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance

if [[ ! -x $SIPAS ]]; then
    echo "schemathesis.sh: no sipas binary at $SIPAS (swift build --product sipas, or set SIPAS)" >&2
    exit 2
fi
if ! command -v schemathesis >/dev/null 2>&1; then
    echo "schemathesis.sh: installing schemathesis with pip" >&2
    python3 -m pip install --quiet schemathesis >&2
fi
command -v curl >/dev/null || { echo "schemathesis.sh: curl is needed" >&2; exit 2; }

source "$ROOT/Tests/faults/server-cleanup.sh"
work_directory sipas-schemathesis
DATA=$WORK

# --- data and credentials ---------------------------------------------------------------------------
sipas() { "$SIPAS" "$@" --data-dir "$DATA/data"; }
last_line() { tail -n 1 | tr -d '[:space:]'; }
mkdir -p "$DATA/data"
sipas units import Deploy/sample/units.csv >/dev/null
sipas procedures import Deploy/sample/procedures.csv >/dev/null
sipas dossiers import Deploy/sample/dossiers.csv >/dev/null
sipas demo seed --responses 300 --year 2024 --district 875 >/dev/null
DEVICE_KEY=$(sipas device add --unit 30169 --desk "Một cửa 1" --label schemathesis | last_line)
ADMIN_TOKEN=$(sipas token add --role admin --label "schemathesis admin" | last_line)
INTEGRATION_TOKEN=$(sipas token add --role integration --unit 87 --label "schemathesis integration" | last_line)

# --- server -----------------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="https://127.0.0.1:$PORT"
"$SIPAS" serve --data-dir "$DATA/data" --port "$PORT" --device-rate 0 --address-rate 0 \
    >"$DATA/server.log" 2>&1 </dev/null &
SERVER_PID=$!
for _ in $(seq 600); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "schemathesis.sh: the server stopped:" >&2; tail -n 20 "$DATA/server.log" >&2; exit 1
    fi
    curl -ksf -o /dev/null "$BASE/healthz" && break
    sleep 0.1
done
curl -ksf -o /dev/null "$BASE/healthz" || { echo "schemathesis.sh: no /healthz after 60 s" >&2; tail -n 20 "$DATA/server.log" >&2; exit 1; }

# A dashboard session for the admin: the CSRF cookie from a page, then the sign-in form.
CSRF=$(curl -ks -D - -o /dev/null "$BASE/device" | sed -n 's/^[Ss]et-[Cc]ookie: sipas_csrf=\([^;]*\).*/\1/p' | tr -d '\r')
SESSION=$(curl -ks -D - -o /dev/null -H "Cookie: sipas_csrf=$CSRF" \
    --data-urlencode "csrf=$CSRF" --data-urlencode "token=$ADMIN_TOKEN" "$BASE/dashboard/signin" |
    sed -n 's/^[Ss]et-[Cc]ookie: sipas_session=\([^;]*\).*/\1/p' | tr -d '\r')
[[ -n $SESSION ]] || { echo "schemathesis.sh: could not open a dashboard session" >&2; exit 1; }

# A ticket, so that GET /v1/tickets/{ticket}/qr.svg also meets one that exists.
TICKET=$(curl -ksf -H "Authorization: Bearer $DEVICE_KEY" -H 'Content-Type: application/json' \
    -d '{"dossier":"SCHEMATHESIS-1"}' "$BASE/v1/tickets" | python3 -c 'import json, sys; print(json.load(sys.stdin)["ticket"])')
# Schemathesis reads schemathesis.toml from its working directory: it runs in $DATA.
printf '[parameters]\n"path.ticket" = "%s"\n' "$TICKET" >"$DATA/schemathesis.toml"

EXCLUDE=()
if [[ -n ${SCHEMA:-} ]]; then
    LOCATION=$SCHEMA
elif curl -ksf -o "$DATA/openapi.json" "$BASE/openapi.json"; then
    LOCATION="$DATA/openapi.json"  # the document the server serves
else
    # A server without the route yet: test the file, and leave the route out.
    LOCATION="$ROOT/Web/openapi.json"
    EXCLUDE=(--exclude-path /openapi.json)
fi

# --- passes -----------------------------------------------------------------------------------------
# Each pass: the header it sends (its credential) and the paths it tests (a regex on the path template).
declare -A HEADER REGEX
READS='v1/(index.*|export/.*|timeliness|coverage|scorecard)'
HEADER[public]=""
REGEX[public]='^/(healthz|openapi\.json|v1/surveys.*|v1/tickets/\{ticket\}/qr\.svg|v1/enroll|s/.*|e/.*|device|dashboard.*|admin/.*|tls.*)?$'
HEADER[device]="Authorization: Bearer $DEVICE_KEY"
REGEX[device]='^/v1/(responses.*|tickets)$'
HEADER[integration]="Authorization: Bearer $INTEGRATION_TOKEN"
REGEX[integration]='^/v1/dossiers$'
HEADER[admin]="Authorization: Bearer $ADMIN_TOKEN"
REGEX[admin]="^/$READS\$"
# Cookies instead of bearer tokens: the figures, the dashboard and the devices page with the session, the survey
# form with the device cookie (signing out is left out: it would end the session; the devices page's forms are
# refused without the session's CSRF secret, which Schemathesis does not know).
HEADER[session]="Cookie: sipas_session=$SESSION; sipas_device=$DEVICE_KEY"
REGEX[session]="^/($READS|dashboard(/print)?|s/.*|admin/.*)\$"

failed=0
summary=()
for name in $PASSES; do
    [[ -v REGEX[$name] ]] || { echo "schemathesis.sh: unknown pass $name" >&2; exit 2; }
    header=${HEADER[$name]}
    regex=${REGEX[$name]}
    args=(run "$LOCATION" --url "$BASE" --tls-verify false --checks "$CHECKS" --max-examples "$MAX_EXAMPLES"
        --phases "$PHASES" --include-path-regex "$regex" --no-color --workers 1
        --generation-database none --report junit --report-junit-path "$DATA/$name.junit.xml" ${EXCLUDE[@]+"${EXCLUDE[@]}"})
    [[ -n $header ]] && args+=(-H "$header")
    [[ -n ${SEED:-} ]] && args+=(--seed "$SEED")
    # shellcheck disable=SC2206 # extra options, split on spaces on purpose
    [[ -n ${SCHEMATHESIS_ARGS:-} ]] && args+=($SCHEMATHESIS_ARGS)
    status=0
    (cd "$DATA" && schemathesis "${args[@]}") >"$DATA/$name.log" 2>&1 || status=$?
    line=$(python3 - "$DATA/$name.log" <<'EOF' 2>/dev/null || true
import re, sys
text = open(sys.argv[1], errors="replace").read()
tested = re.search(r"Tested: (\d+)", text)
cases = re.search(r"Test cases:\s*\n\s*(.+)", text)
closing = re.findall(r"^=+ (.+?) =+$", text, re.M)
print(f"{tested.group(1) if tested else '?'} operations; {cases.group(1).strip() if cases else '?'}; {closing[-1] if closing else ''}")
EOF
)
    if [[ $status -ne 0 ]]; then
        failed=1
        echo "---- schemathesis pass '$name' (exit $status) ----"
        sed -n '/FAILURES\|ERRORS/,$p' "$DATA/$name.log" | head -n 400
        [[ -s $DATA/$name.log ]] && ! grep -q 'FAILURES\|ERRORS' "$DATA/$name.log" && tail -n 40 "$DATA/$name.log"
    fi
    summary+=("schemathesis $name: $([[ $status -eq 0 ]] && echo ok || echo FAILED) — ${line:-no report}")
done

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    failed=1
    echo "---- the server stopped during the run ----"
    tail -n 40 "$DATA/server.log"
fi
if grep -q 'request failed' "$DATA/server.log"; then
    failed=1
    echo "---- server errors (server.log) ----"
    grep 'request failed' "$DATA/server.log" | head -n 40
fi
printf '%s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
    echo "schemathesis: FAILED (KEEP=1 keeps the logs and reports)"
    exit 1
fi
echo "schemathesis: every pass conforms"
