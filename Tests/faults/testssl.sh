#!/usr/bin/env bash
# TLS check of `sipas serve` with Debian's testssl.sh: protocols, ciphers per protocol, forward secrecy,
# server defaults (certificate) and the known vulnerabilities. The server is meant to offer TLS 1.2 and
# 1.3 only, with the Mozilla "intermediate" cipher suites.
#
#   Tests/faults/testssl.sh                          # SIPAS=.build/debug/sipas
#   SIPAS=/path/to/sipas Tests/faults/testssl.sh
#   CERT=rsa Tests/faults/testssl.sh                 # an RSA-2048 certificate made here (--tls-cert), as
#                                                    # most province CA and Let's Encrypt certificates are
#
# It starts the server on a temporary data directory and a free port of 127.0.0.1 with the certificate
# of its own office authority (both made on first start) and the rate limits off, runs testssl.sh against
# it (installing Debian's testssl.sh package when missing) with that authority as an extra trusted CA,
# prints a summary (offered protocols, cipher suites, every finding of severity MEDIUM or worse), stops
# the server, and exits 1 when:
#   - SSLv2, SSLv3, TLS 1.0 or TLS 1.1 is offered, or TLS 1.2 is not;
#   - a cipher suite outside Mozilla's "intermediate" list is offered;
#   - a finding of severity HIGH or CRITICAL appears, except the one listed as EXPECTED below, which
#     comes from the test certificate and not from the server (STRICT=1 fails on it too);
#   - testssl.sh reports a scan problem or leaves no results.
#
# Environment: SIPAS (binary, relative to the repository root or absolute), CERT (office: the
# server's own office authority, default; rsa: an RSA certificate made with openssl), STRICT=1, KEEP=1 (keep the data
# directory, server log and testssl output), TESTSSL_ARGS (more options for testssl.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
SIPAS=${SIPAS:-.build/debug/sipas}
[[ $SIPAS = /* ]] || SIPAS="$ROOT/$SIPAS"
CERT=${CERT:-office}

if [[ ! -x $SIPAS ]]; then
    echo "testssl.sh: no sipas binary at $SIPAS (swift build --product sipas, or set SIPAS)" >&2
    exit 2
fi
TESTSSL=$(command -v testssl || command -v testssl.sh || true)
if [[ -z $TESTSSL ]]; then
    echo "testssl.sh: installing Debian's testssl.sh package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends testssl.sh >&2
    TESTSSL=$(command -v testssl || command -v testssl.sh)
fi
for tool in curl python3 openssl; do
    command -v "$tool" >/dev/null || { echo "testssl.sh: $tool is needed" >&2; exit 2; }
done

source "$ROOT/Tests/faults/server-cleanup.sh"
work_directory sipas-testssl

# --- server -----------------------------------------------------------------------------------------
mkdir -p "$WORK/data"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tls_args=()
case $CERT in
    office | self-signed) TRUSTED="$WORK/data/tls-ca.pem" ;;  # the office authority, made by the server on its first start
    rsa)
        openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=localhost \
            -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
            -keyout "$WORK/rsa-key.pem" -out "$WORK/rsa-cert.pem" 2>/dev/null
        tls_args=(--tls-cert "$WORK/rsa-cert.pem" --tls-key "$WORK/rsa-key.pem")
        TRUSTED="$WORK/rsa-cert.pem"
        ;;
    *) echo "testssl.sh: CERT must be office or rsa" >&2; exit 2 ;;
esac
"$SIPAS" serve --data-dir "$WORK/data" --port "$PORT" --device-rate 0 --address-rate 0 ${tls_args[@]+"${tls_args[@]}"} \
    >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
for _ in $(seq 600); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "testssl.sh: the server stopped:" >&2; tail -n 20 "$WORK/server.log" >&2; exit 1
    fi
    curl -ksf -o /dev/null "https://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done
curl -ksf -o /dev/null "https://127.0.0.1:$PORT/healthz" || { echo "testssl.sh: no /healthz after 60 s" >&2; tail -n 20 "$WORK/server.log" >&2; exit 1; }

# --- testssl.sh -------------------------------------------------------------------------------------
# -p protocols, -E ciphers per protocol, -f forward secrecy, -S server defaults, -U vulnerabilities.
# The authority is added as a trusted CA so that the chain of trust is judged, not just "unknown issuer".
args=(--quiet --color 0 --warnings batch --openssl-timeout 10 -p -E -f -S -U
    --add-ca "$TRUSTED" --jsonfile "$WORK/testssl.json" --ip 127.0.0.1)
# shellcheck disable=SC2206 # extra options, split on spaces on purpose
[[ -n ${TESTSSL_ARGS:-} ]] && args+=($TESTSSL_ARGS)
echo "testssl.sh: $(basename "$TESTSSL") against $SIPAS on 127.0.0.1:$PORT ($CERT certificate)"
status=0
timeout 900 "$TESTSSL" "${args[@]}" "localhost:$PORT" >"$WORK/testssl.txt" 2>&1 || status=$?
if [[ $status -ge 242 || ! -s $WORK/testssl.json ]]; then
    echo "testssl.sh: testssl.sh failed (exit $status):" >&2
    tail -n 40 "$WORK/testssl.txt" >&2
    exit 1
fi

# --- judgement --------------------------------------------------------------------------------------
verdict=0
STRICT=${STRICT:-0} python3 - "$WORK/testssl.json" <<'EOF' || verdict=$?
import json, os, re, sys

findings = json.load(open(sys.argv[1]))
strict = os.environ.get("STRICT") == "1"
by_id = {f["id"]: f for f in findings}
problems = []

# Protocols.
names = [("SSLv2", "SSLv2"), ("SSLv3", "SSLv3"), ("TLS1", "TLS 1.0"), ("TLS1_1", "TLS 1.1"),
         ("TLS1_2", "TLS 1.2"), ("TLS1_3", "TLS 1.3")]
offered = []
for key, name in names:
    finding = by_id.get(key, {}).get("finding")
    if finding is None:
        problems.append(f"no result for {name}")
    elif finding.startswith("offered"):
        offered.append(name)
print("protocols offered: " + (", ".join(offered) or "none"))
for name in ("SSLv2", "SSLv3", "TLS 1.0", "TLS 1.1"):
    if name in offered:
        problems.append(f"{name} is offered")
if "TLS 1.2" not in offered:
    problems.append("TLS 1.2 is not offered")

# Cipher suites (OpenSSL names), per protocol, against Mozilla's "intermediate" configuration.
intermediate = {
    "TLS 1.2": {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
                "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"},
    "TLS 1.3": {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"},
}
suites = {}
for f in findings:
    match = re.match(r"cipher-(ssl2|ssl3|tls1(?:_\d)?)_x", f["id"])
    if match:
        protocol = {"ssl2": "SSLv2", "ssl3": "SSLv3", "tls1": "TLS 1.0", "tls1_1": "TLS 1.1",
                    "tls1_2": "TLS 1.2", "tls1_3": "TLS 1.3"}[match.group(1)]
        # "TLS 1.2   xc02b   ECDHE-ECDSA-AES128-GCM-SHA256  ECDH 253  AESGCM  128  TLS_ECDHE_ECDSA_…"
        parts = f["finding"].split()
        hexcode = next(i for i, p in enumerate(parts) if re.fullmatch(r"x[0-9a-f]+", p))
        suites.setdefault(protocol, []).append(parts[hexcode + 1])
if not suites:
    problems.append("no cipher suites found")
for protocol, names_ in suites.items():
    print(f"cipher suites {protocol}: {' '.join(names_)}")
    outside = [suite for suite in names_ if suite not in intermediate.get(protocol, set())]
    if outside:
        problems.append(f"{protocol} suites outside Mozilla's intermediate list: {' '.join(outside)}")
curves = by_id.get("PFS_ECDHE_curves", {}).get("finding")
if curves:
    print(f"key exchange groups: {curves}")

# Findings of severity MEDIUM or worse. The test certificate is the office authority's (or made here) and names no
# CRL or OCSP responder, which testssl.sh rates HIGH: that is the certificate, not the server; a real
# certificate from a CA has a CRL distribution point.
EXPECTED = {"cert_revocation": "the test certificate names no CRL or OCSP URI"}
order = ["MEDIUM", "HIGH", "CRITICAL"]
serious = [f for f in findings if f["severity"] in order]
for f in serious:
    note = f" (expected: {EXPECTED[f['id']]})" if f["id"] in EXPECTED else ""
    print(f"finding {f['severity']} {f['id']}: {f['finding']}{note}")
    if f["severity"] in ("HIGH", "CRITICAL") and (strict or f["id"] not in EXPECTED):
        problems.append(f"{f['severity']} finding {f['id']}")
if not serious:
    print("findings MEDIUM or worse: none")
for f in findings:
    if f["id"] == "scanProblem" or f["severity"] in ("WARN", "FATAL"):
        problems.append(f"testssl.sh {f['severity']} {f['id']}: {f['finding']}")

for problem in problems:
    print(f"PROBLEM: {problem}")
sys.exit(1 if problems else 0)
EOF

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    verdict=1
    echo "---- the server stopped during the run ----"
    tail -n 40 "$WORK/server.log"
fi
if [[ $verdict -ne 0 ]]; then
    echo "testssl: FAILED (KEEP=1 keeps testssl.txt, testssl.json and server.log)"
    exit 1
fi
echo "testssl: TLS 1.2 and 1.3 only, intermediate suites, no HIGH or CRITICAL finding from the server"
