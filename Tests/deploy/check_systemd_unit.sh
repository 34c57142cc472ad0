#!/usr/bin/env bash
# Checks Deploy/systemd/sipas.service.
#
#   Tests/deploy/check_systemd_unit.sh                   # SIPAS=.build/debug/sipas
#   SIPAS=/path/to/sipas Tests/deploy/check_systemd_unit.sh
#   SKIP_RUN=1 Tests/deploy/check_systemd_unit.sh        # only the static checks
#   SKIP_HUP=1 Tests/deploy/check_systemd_unit.sh        # no SIGHUP (a server that does not handle it yet)
#
# 1. `systemd-analyze verify` on the unit file as it is, inside a temporary root that has what the unit
#    names (/usr/local/bin/sipas as a stub, /bin/kill, the system's own units for its dependencies).
#    verify exits 0 even on an unknown key or a value it cannot parse (it only prints "…, ignoring"),
#    so any output at all is a failure too.
# 2. `systemd-analyze security --offline`: the exposure level must stay at or below 2.0 ("OK").
# 3. Unless SKIP_RUN=1, and when the binary exists: the real binary runs as an unprivileged user from a
#    copy of the installed layout (/usr/local/share/sipas: Surveys, Web, Deploy/calendar, scoring,
#    sample) under seccomp filters built from the unit's own SystemCallFilter=, MemoryDenyWriteExecute=
#    and RestrictAddressFamilies= lines, the way systemd builds them (a filtered system call kills the
#    process, as in the unit; W^X mappings and other address families fail with an error). It imports the
#    sample units, starts `sipas serve`, answers /healthz, stores a response, serves a page, survives
#    SIGHUP (certificate reload) and stops cleanly on SIGTERM. This needs no running systemd, so it also
#    works in a container; the mount namespace settings (ProtectSystem=, PrivateTmp=, …) are not
#    reproduced.
#
# Installs `systemd` (for systemd-analyze) and `python3-seccomp` with apt-get when missing.
# Exits 1 on the first failed check, 2 when a tool is missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
UNIT=${UNIT:-$ROOT/Deploy/systemd/sipas.service}  # another unit file to check: UNIT=…
[[ $UNIT = /* ]] || UNIT="$ROOT/$UNIT"
SIPAS=${SIPAS:-.build/debug/sipas}
[[ $SIPAS = /* ]] || SIPAS="$ROOT/$SIPAS"
MAX_EXPOSURE=20  # tenths: 2.0

apt_install() {
    [[ $(id -u) -eq 0 ]] || { echo "check_systemd_unit.sh: $* missing; apt-get install $* (as root)" >&2; exit 2; }
    echo "check_systemd_unit.sh: installing $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "$@" >&2
}
command -v systemd-analyze >/dev/null || apt_install systemd
[[ -f $UNIT ]] || { echo "check_systemd_unit.sh: no $UNIT" >&2; exit 2; }

source "$ROOT/Tests/faults/server-cleanup.sh"
work_directory sipas-unit
fail() { echo "check_systemd_unit: FAILED: $*"; exit 1; }

# --- 1. systemd-analyze verify, in a temporary root ---------------------------------------------------
SYSROOT="$WORK/root"
mkdir -p "$SYSROOT/etc/systemd/system" "$SYSROOT/usr/lib/systemd" "$SYSROOT/usr/local/bin" "$SYSROOT/bin" \
    "$SYSROOT/usr/local/share/sipas" "$SYSROOT/var/lib/sipas" "$SYSROOT/etc/sipas"
system_units=/usr/lib/systemd/system
[[ -d $system_units ]] || system_units=/lib/systemd/system
cp -a "$system_units" "$SYSROOT/usr/lib/systemd/system"      # sysinit.target, network-online.target, …
cp "$UNIT" "$SYSROOT/etc/systemd/system/sipas.service"
printf '#!/bin/sh\nexit 0\n' >"$SYSROOT/usr/local/bin/sipas"  # the binary is not built here: a stub
chmod 755 "$SYSROOT/usr/local/bin/sipas"
cp /bin/kill "$SYSROOT/bin/kill"  # procps; ExecReload= names it
printf 'root:x:0:0:root:/root:/bin/sh\nsipas:x:999:999:sipas:/var/lib/sipas:/usr/sbin/nologin\n' >"$SYSROOT/etc/passwd"
printf 'root:x:0:\nsipas:x:999:\n' >"$SYSROOT/etc/group"
cp "$ROOT/Deploy/sipas.json.example" "$SYSROOT/etc/sipas/sipas.json" 2>/dev/null || true

status=0
output=$(systemd-analyze verify --root="$SYSROOT" /etc/systemd/system/sipas.service 2>&1) || status=$?
if [[ $status -ne 0 || -n $output ]]; then
    echo "$output"
    fail "systemd-analyze verify (exit $status, output above)"
fi
echo "verify: ok ($(systemd-analyze --version | head -n 1))"

# --- 2. exposure ------------------------------------------------------------------------------------
status=0
security=$(systemd-analyze security --offline=yes --root="$SYSROOT" --threshold="$MAX_EXPOSURE" \
    /etc/systemd/system/sipas.service 2>&1) || status=$?
exposure=$(grep -o 'Overall exposure level for sipas.service: .*' <<<"$security" || true)
if [[ $status -ne 0 || -z $exposure ]]; then
    echo "$security" | grep -v '✓' || true
    fail "systemd-analyze security: exposure above $((MAX_EXPOSURE / 10)).$((MAX_EXPOSURE % 10)) (exit $status)"
fi
echo "security: $exposure"

# --- 3. the binary under the unit's filters ---------------------------------------------------------
if [[ ${SKIP_RUN:-0} = 1 ]]; then
    echo "run: skipped (SKIP_RUN=1)"
    echo "check_systemd_unit: ok"
    exit 0
fi
if [[ ! -x $SIPAS ]]; then
    echo "run: skipped, no binary at $SIPAS (swift build --product sipas, or set SIPAS)"
    echo "check_systemd_unit: ok (static checks only)"
    exit 0
fi
PY=/usr/bin/python3  # Debian's python, which sees python3-seccomp (not a pyenv or venv one)
[[ -x $PY ]] || apt_install python3
"$PY" -c 'import seccomp' 2>/dev/null || apt_install python3-seccomp
for tool in curl setpriv; do command -v "$tool" >/dev/null || { echo "check_systemd_unit.sh: $tool is needed" >&2; exit 2; }; done

# The confinement: reads the unit, builds the filters, loads them, and executes the command.
cat >"$WORK/confine.py" <<'EOF'
"""confine.py UNIT COMMAND…: run COMMAND under the seccomp filters that systemd derives from UNIT's
SystemCallFilter=, MemoryDenyWriteExecute= and RestrictAddressFamilies= (systemd 252's rules)."""
import errno, os, socket, subprocess, sys
import seccomp

unit, command = sys.argv[1], sys.argv[2:]
settings = {}
section = None
for raw in open(unit):
    line = raw.strip()
    if line.startswith("["):
        section = line
    elif line and not line.startswith(("#", ";")) and section == "[Service]" and "=" in line:
        key, value = line.split("=", 1)
        settings.setdefault(key.strip(), []).append(value.strip())

def expand(name, seen):
    """A syscall name, or a @group expanded recursively with systemd-analyze."""
    if not name.startswith("@"):
        return {name}
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        item = line.strip()
        if item and not item.startswith("#") and item not in seen:
            seen.add(item)
            names |= expand(item, seen)
    return names

def add(flt, action, name, *args):
    try:
        flt.add_rule(action, name, *args)
    except (RuntimeError, ValueError, OSError):
        pass  # not a system call of this architecture

filters = []
# SystemCallFilter=: the first line sets an allow list (or a deny list with ~); later lines add to it
# or, with ~, take away from it. The default action, without SystemCallErrorNumber=, kills the process.
allowed, denied, allow_list = set(), set(), None
for value in settings.get("SystemCallFilter", []):
    deny = value.startswith("~")
    names = set()
    for item in value.lstrip("~").split():
        names |= expand(item, {item})
    if allow_list is None:
        allow_list = not deny
    if deny:
        allowed -= names
        denied |= names
    else:
        allowed |= names
        denied -= names
if allow_list is not None:
    if allow_list:
        flt = seccomp.SyscallFilter(defaction=seccomp.KILL_PROCESS)
        for name in sorted(allowed):
            add(flt, seccomp.ALLOW, name)
    else:
        flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in sorted(denied):
            add(flt, seccomp.KILL_PROCESS, name)
    filters.append(flt)

if settings.get("MemoryDenyWriteExecute", ["no"])[-1] in ("yes", "true", "1", "on"):
    W, X, SHM_EXEC = 0x2, 0x4, 0o100000
    flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    add(flt, seccomp.ERRNO(errno.EPERM), "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, W | X, W | X))
    add(flt, seccomp.ERRNO(errno.EPERM), "mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, X, X))
    add(flt, seccomp.ERRNO(errno.EPERM), "pkey_mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, X, X))
    add(flt, seccomp.ERRNO(errno.EPERM), "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
    filters.insert(0, flt)

families = settings.get("RestrictAddressFamilies")
if families:
    keep = {getattr(socket, name) for name in families[-1].split()}
    flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for family in range(1, 64):
        if family not in keep:
            add(flt, seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))
    filters.insert(0, flt)

for flt in filters:  # the allow list last: loading a filter is not in it
    flt.load()
os.execvp(command[0], command)
EOF

# Who runs it: an unprivileged user, as the service does (root would, for one, make SQLite chown its files).
as_user=()
owner=$(id -u):$(id -g)
if [[ $(id -u) -eq 0 ]]; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
    owner=65534:65534
fi
confined() { "${as_user[@]}" "$PY" "$WORK/confine.py" "$UNIT" "$@"; }

# The filters must bite: a writable and executable mapping and a netlink socket are refused.
confined "$PY" -c 'import mmap; mmap.mmap(-1, 4096, prot=7)' >/dev/null 2>&1 &&
    fail "MemoryDenyWriteExecute= emulation: a W+X mapping was allowed"
confined "$PY" -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)' >/dev/null 2>&1 &&
    fail "RestrictAddressFamilies= emulation: a netlink socket was allowed"

# The installed layout (what install.sh puts in /usr/local/share/sipas) and a data directory.
SHARE="$WORK/share"
DATA="$WORK/data"
mkdir -p "$SHARE/Deploy" "$DATA"
cp -r "$ROOT/Surveys" "$ROOT/Web" "$SHARE/"
cp -r "$ROOT/Deploy/calendar" "$ROOT/Deploy/scoring" "$ROOT/Deploy/sample" "$SHARE/Deploy/"
cp "$SIPAS" "$WORK/sipas"
chmod -R a+rX "$SHARE" "$WORK/sipas"
chmod 755 "$WORK"
chown -R "$owner" "$DATA"
chmod 750 "$DATA"
sipas() { (cd "$SHARE" && confined "$WORK/sipas" "$@"); }
exit_of() { local s=0; "$@" >"$WORK/last.log" 2>&1 || s=$?; echo "$s"; }

s=$(exit_of sipas units import Deploy/sample/units.csv --data-dir "$DATA")
[[ $s -eq 0 ]] || { cat "$WORK/last.log"; fail "sipas units import under the filters exited $s$([[ $s -eq 159 ]] && echo ' (SIGSYS: a filtered system call)')"; }
KEY=$(sipas device add --unit 30169 --desk "Một cửa 1" --label unit-check --data-dir "$DATA" | tail -n 1 | tr -d '[:space:]')
[[ -n $KEY ]] || fail "sipas device add under the filters printed no key"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="https://127.0.0.1:$PORT"
serve_args=(serve --port "$PORT" --data-dir "$DATA")
if "$WORK/sipas" serve --help 2>/dev/null | grep -q -- '--config'; then
    # The unit's own way: a configuration file (the example, with this run's port and data directory).
    "$PY" - "$ROOT/Deploy/sipas.json.example" "$WORK/sipas.json" "$PORT" "$DATA" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(port=int(sys.argv[3]), dataDir=sys.argv[4])
json.dump(config, open(sys.argv[2], "w"), indent=2)
EOF
    chmod 644 "$WORK/sipas.json"
    serve_args=(serve --config "$WORK/sipas.json")
fi
(cd "$SHARE" && exec "${as_user[@]}" "$PY" "$WORK/confine.py" "$UNIT" "$WORK/sipas" "${serve_args[@]}") \
    >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
server_gone() {
    local s=0
    wait "$SERVER_PID" || s=$?
    tail -n 20 "$WORK/server.log"
    case $s in
        159) fail "the server stopped: exit $s (SIGSYS: a system call the unit filters out)" ;;
        129) fail "the server was killed by SIGHUP: it does not handle it, so \`systemctl reload sipas\` restarts it instead of reloading the certificate" ;;
        *) fail "the server stopped: exit $s" ;;
    esac
}
for _ in $(seq 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || server_gone
    curl -ksf -o /dev/null "$BASE/healthz" && break
    sleep 0.2
done
curl -ksf -o /dev/null "$BASE/healthz" || { tail -n 20 "$WORK/server.log"; fail "no /healthz after 60 s"; }

# The certificate the office authority issued under the unit's filters names the machine's addresses (read
# through netlink, which RestrictAddressFamilies= must allow): a client trusting only the authority reaches the
# server by each of them.
if [[ -f $DATA/tls-ca.pem ]]; then
    for address in $(ip -o -4 addr show scope global 2>/dev/null | awk '{ split($4, a, "/"); print a[1] }'); do
        curl -sf -o /dev/null --cacert "$DATA/tls-ca.pem" --connect-to "$address:$PORT:127.0.0.1:$PORT" \
            "https://$address:$PORT/healthz" || fail "the certificate issued under the unit does not name the address $address"
    done
fi

uuid=$("$PY" -c 'import uuid; print(uuid.uuid4())')
code=$(curl -ks -o "$WORK/response.json" -w '%{http_code}' "$BASE/v1/responses" \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"id":"'"$uuid"'","survey":"sipas","surveyVersion":1,"channel":"desk","answers":{"a1":5,"a2":4},"submittedAt":"'"$(date --iso-8601=seconds)"'"}')
[[ $code = 201 ]] || { cat "$WORK/response.json"; echo; fail "POST /v1/responses answered $code"; }
code=$(curl -ks -o /dev/null -w '%{http_code}' "$BASE/s/quick")
[[ $code = 200 || $code = 303 ]] || fail "GET /s/quick answered $code"

# What `systemctl reload sipas` sends: the server must read its certificate again and go on serving (a
# server killed by it is only restarted because of the unit's RestartForceExitStatus=SIGHUP).
hup=SIGHUP
if [[ ${SKIP_HUP:-0} = 1 ]]; then
    hup="SIGHUP skipped"
else
    kill -HUP "$SERVER_PID"
    sleep 1
    kill -0 "$SERVER_PID" 2>/dev/null || server_gone
    curl -ksf -o /dev/null "$BASE/healthz" || fail "no /healthz after SIGHUP"
fi

kill -TERM "$SERVER_PID"  # what `systemctl stop sipas` sends
stopped=0
for _ in $(seq 300); do kill -0 "$SERVER_PID" 2>/dev/null || { stopped=1; break; }; sleep 0.1; done
[[ $stopped = 1 ]] || fail "the server did not stop within 30 s of SIGTERM (the unit's TimeoutStopSec)"
s=0; wait "$SERVER_PID" || s=$?
SERVER_PID=""
[[ $s -eq 0 ]] || { tail -n 20 "$WORK/server.log"; fail "the server exited $s on SIGTERM"; }
echo "run: ok (units import, serve, the certificate's addresses, POST /v1/responses 201, a page, $hup, SIGTERM exit 0; $(basename "$SIPAS") under SystemCallFilter, MemoryDenyWriteExecute, RestrictAddressFamilies, as uid ${owner%%:*})"
echo "check_systemd_unit: ok"
