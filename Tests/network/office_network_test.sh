#!/usr/bin/env bash
# The office network, for real: a desk tablet in a network namespace of its own (its own address, reaching
# the server over a veth link, as over the office LAN) trusts sipas after installing the office authority's
# certificate, and is enrolled by opening a one-time link.
#
#   Tests/network/office_network_test.sh          # SIPAS=.build/debug/sipas; needs root (ip netns)
#
# 1. The server starts on an empty data directory with the default names: the tablet downloads /tls/ca.pem
#    (not yet trusting anything), checks its fingerprint against the server's log, and then, trusting only
#    that certificate, reaches the server by its address; by a name not on the certificate it is refused.
# 2. Restarted with --tls-name office.lan: the authority is the same file, the tablet reaches the server by
#    the name and the address, and is still refused for other.lan.
# 3. `sipas device add --enroll` prints a one-time link; the tablet opens it, confirms, lands on the form and
#    answers; the response is stored under that device. The link is refused the second time (410).
# Exits 1 on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
SIPAS=${SIPAS:-.build/debug/sipas}
[[ $SIPAS = /* ]] || SIPAS="$ROOT/$SIPAS"
[[ -x $SIPAS ]] || { echo "office_network_test: no sipas binary at $SIPAS (swift build --product sipas, or set SIPAS)" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
    # Network namespaces need root; a developer's account goes through sudo.
    command -v sudo > /dev/null || { echo "office_network_test: needs root (or sudo) for ip netns" >&2; exit 2; }
    exec sudo SIPAS="$SIPAS" "$0" "$@"
fi

NS=sipas-tablet-$$
HOST_IF=sipvh$$
TABLET_IF=sipvt$$
NET=10.$((200 + RANDOM % 50)).$((RANDOM % 250))
SERVER_IP=$NET.1
TABLET_IP=$NET.2
DATA=$(mktemp -d /tmp/sipas-network-XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
SERVER_PID=

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    ip netns del "$NS" 2>/dev/null || true
    ip link del "$HOST_IF" 2>/dev/null || true
    rm -rf "/etc/netns/$NS" "$DATA"
}
trap cleanup EXIT
fail() { echo "office_network_test: FAILED: $*" >&2; [ -f "$DATA/server.log" ] && tail -n 30 "$DATA/server.log" >&2; exit 1; }

# The tablet's host: its own namespace, address and /etc/hosts (ip netns exec mounts /etc/netns/NS/hosts).
ip netns add "$NS"
ip link add "$HOST_IF" type veth peer name "$TABLET_IF"
ip link set "$TABLET_IF" netns "$NS"
ip addr add "$SERVER_IP/24" dev "$HOST_IF"
ip link set "$HOST_IF" up
ip netns exec "$NS" ip addr add "$TABLET_IP/24" dev "$TABLET_IF"
ip netns exec "$NS" ip link set "$TABLET_IF" up
ip netns exec "$NS" ip link set lo up
mkdir -p "/etc/netns/$NS"
printf '127.0.0.1 localhost\n%s office.lan\n%s other.lan\n' "$SERVER_IP" "$SERVER_IP" > "/etc/netns/$NS/hosts"
tablet() { ip netns exec "$NS" python3 "$ROOT/Tests/network/tablet.py" "$@"; }

start() {
    "$SIPAS" serve --data-dir "$DATA/data" --host 0.0.0.0 --port "$PORT" "$@" > "$DATA/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sk "https://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || fail "the server stopped"
        sleep 0.2
    done
    fail "the server did not answer"
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=; }

"$SIPAS" units import Deploy/sample/units.csv --data-dir "$DATA/data" > /dev/null

echo "1. default names"
start
CA="$DATA/tablet-ca.pem"
fingerprint=$(tablet fetch-ca "https://$SERVER_IP:$PORT" "$CA")
grep -q "$fingerprint" "$DATA/server.log" || fail "the fingerprint $fingerprint of /tls/ca.pem is not the one the server logged"
cmp -s "$CA" "$DATA/data/tls-ca.pem" || fail "/tls/ca.pem is not the data directory's tls-ca.pem"
tablet healthz "https://$SERVER_IP:$PORT" "$CA" || fail "the tablet does not trust the server by its address $SERVER_IP"
status=0; tablet healthz "https://office.lan:$PORT" "$CA" || status=$?
[ "$status" -eq 3 ] || fail "office.lan is not on the default certificate, yet the tablet was not refused (exit $status)"
stop

echo "2. --tls-name office.lan --tls-name $SERVER_IP"
ca_before=$(sha256sum < "$DATA/data/tls-ca.pem")
start --tls-name office.lan --tls-name "$SERVER_IP"
[ "$ca_before" = "$(sha256sum < "$DATA/data/tls-ca.pem")" ] || fail "changing the names changed the authority"
tablet healthz "https://office.lan:$PORT" "$CA" || fail "the tablet does not trust the server by office.lan"
tablet healthz "https://$SERVER_IP:$PORT" "$CA" || fail "the tablet does not trust the server by $SERVER_IP"
status=0; tablet healthz "https://other.lan:$PORT" "$CA" || status=$?
[ "$status" -eq 3 ] || fail "other.lan is not on the certificate, yet the tablet was not refused (exit $status)"

echo "3. enrolled by opening a link"
enrolled=$("$SIPAS" device add --unit 30169 --desk "Quầy 1" --label "Tablet 1" --enroll --data-dir "$DATA/data")
path=$(grep -o '/e/[A-Za-z0-9-]*' <<< "$enrolled" | tail -n 1)
[ -n "$path" ] || fail "device add --enroll printed no link: $enrolled"
grep -q "sipas_dev_" <<< "$enrolled" && fail "device add --enroll printed a key"
response=$(tablet enroll "https://office.lan:$PORT" "$CA" "$path") || fail "enrollment: $response"
echo "$response"
id=$(tail -n 1 <<< "$response")
device=$(sqlite3 "$DATA/data/sipas.sqlite" "SELECT deviceId FROM response WHERE id = '$id'" 2>/dev/null \
    || python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT deviceId FROM response WHERE id = ?', (sys.argv[2],)).fetchone()[0])" "$DATA/data/sipas.sqlite" "$id")
[ -n "$device" ] || fail "the response $id is not stored"
tablet reuse "https://office.lan:$PORT" "$CA" "$path" || fail "the link worked twice"
stop
echo "office_network_test: passed (tablet at $TABLET_IP, device $device, response $id)"
