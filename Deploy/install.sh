#!/usr/bin/env bash
# Installs (or upgrades) sipas as a systemd service on Debian 12 (Ubuntu 22.04/24.04 should do too).
# Run as root from a checkout of the repository, with Swift 6 installed:
#
#   sudo Deploy/install.sh              # install, or upgrade and restart a running service
#   Deploy/install.sh --dry-run         # print what it would do, change nothing
#   DESTDIR=/tmp/stage Deploy/install.sh --no-packages   # install the files under /tmp/stage only
#
# It installs the build packages, builds `swift build -c release --product sipas --static-swift-stdlib`
# (the binary then needs no Swift toolchain at run time), creates the system user `sipas`, and installs:
#   /usr/local/bin/sipas                  the program
#   /usr/local/share/sipas/               Surveys/, Web/, Deploy/{calendar,scoring,sample}, README.md,
#                                         sipas.json.example, sipas-env.example (replaced on every run)
#   /etc/sipas/sipas.json                 the configuration (only if there is none: never overwritten)
#   /etc/systemd/system/sipas.service     the unit (replaced on every run; local changes go in
#                                         `systemctl edit sipas` drop-ins)
#   /var/lib/sipas/                       the data directory (owner sipas, mode 0750), with backups/
# then runs `systemctl daemon-reload`, restarts the service if it was running (an upgrade), and prints
# the next steps. Running it again changes nothing that is already in place.
#
# Options: --dry-run (print the commands instead of running them), --no-packages (skip apt-get),
# --no-build (install the existing .build/release/sipas), -h/--help.
# Environment: DESTDIR (install under this directory instead of /: no user, no chown, no systemctl).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

DRY_RUN=0
PACKAGES=1
BUILD=1
for argument in "$@"; do
    case $argument in
        --dry-run | -n) DRY_RUN=1 ;;
        --no-packages) PACKAGES=0 ;;
        --no-build) BUILD=0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $argument (see --help)" >&2; exit 2 ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}
BIN="$DESTDIR/usr/local/bin"
SHARE="$DESTDIR/usr/local/share/sipas"
ETC="$DESTDIR/etc/sipas"
UNITDIR="$DESTDIR/etc/systemd/system"
DATA="$DESTDIR/var/lib/sipas"
USER_NAME=sipas
BUILD_PACKAGES=(libsqlite3-dev libssl-dev libqrencode-dev pkg-config)

say() { printf '==> %s\n' "$*"; }
# Runs a command, or only prints it with --dry-run.
run() {
    printf '  +'; printf ' %q' "$@"; printf '\n'
    [[ $DRY_RUN = 1 ]] || "$@"
}
# Whether this run touches the real system (users, ownership, systemd).
system_wide() { [[ -z $DESTDIR ]]; }

if [[ ! -f Package.swift || ! -d Surveys || ! -f Deploy/systemd/sipas.service ]]; then
    echo "install.sh: run it from a checkout of sipas (Package.swift, Surveys/, Deploy/ not found in $REPO)" >&2
    exit 2
fi
if system_wide && [[ $DRY_RUN = 0 && $(id -u) -ne 0 ]]; then
    echo "install.sh: run it as root (sudo Deploy/install.sh), or try --dry-run or DESTDIR=…" >&2
    exit 2
fi
[[ $DRY_RUN = 1 ]] && say "dry run: nothing is changed"
[[ -n $DESTDIR ]] && say "installing under DESTDIR=$DESTDIR (no user, no ownership, no systemctl)"

# --- 1. packages ------------------------------------------------------------------------------------
if [[ $PACKAGES = 1 ]] && system_wide; then
    missing=()
    for package in "${BUILD_PACKAGES[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "installing packages: ${missing[*]}"
        run env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        say "packages present: ${BUILD_PACKAGES[*]}"
    fi
fi

# --- 2. build ---------------------------------------------------------------------------------------
BINARY="$REPO/.build/release/sipas"
if [[ $BUILD = 1 ]]; then
    if ! command -v swift >/dev/null 2>&1; then
        echo "install.sh: swift is not on PATH. Install the Swift 6 toolchain for this system first (see" >&2
        echo "            README.md), or build elsewhere and use --no-build with .build/release/sipas." >&2
        [[ $DRY_RUN = 1 ]] || exit 2
    fi
    say "building sipas (release; takes several minutes the first time)"
    run swift build -c release --product sipas --static-swift-stdlib
fi
if [[ $DRY_RUN = 0 ]]; then
    [[ -x $BINARY ]] || { echo "install.sh: no binary at $BINARY" >&2; exit 1; }
    if ldd "$BINARY" 2>/dev/null | grep -q 'not found'; then
        echo "install.sh: $BINARY misses shared libraries:" >&2
        ldd "$BINARY" | grep 'not found' >&2
        exit 1
    fi
    if ldd "$BINARY" 2>/dev/null | grep -q 'libswiftCore'; then
        say "warning: $BINARY uses the Swift toolchain's libraries; it stops working if the toolchain moves"
    fi
fi

# --- 3. the sipas user ------------------------------------------------------------------------------
if system_wide; then
    if getent passwd "$USER_NAME" >/dev/null; then
        say "user $USER_NAME exists"
    else
        say "creating the system user $USER_NAME"
        run useradd --system --user-group --home-dir /var/lib/sipas --no-create-home \
            --shell /usr/sbin/nologin --comment "sipas survey server" "$USER_NAME"
    fi
fi

# --- 4. files ---------------------------------------------------------------------------------------
say "installing the program to $BIN/sipas"
run install -d -m 0755 "$BIN"
run install -m 0755 "$BINARY" "$BIN/sipas"

# The reference data is replaced whole, so that nothing stale stays: built beside, then swapped.
say "installing the reference data to $SHARE"
run rm -rf "$SHARE.new" "$SHARE.old"
run install -d -m 0755 "$SHARE.new" "$SHARE.new/Deploy"
run cp -R Surveys Web "$SHARE.new/"
run cp -R Deploy/calendar Deploy/scoring Deploy/sample "$SHARE.new/Deploy/"
run install -m 0644 Deploy/sipas.json.example Deploy/systemd/sipas-env.example "$SHARE.new/"
[[ -f README.md ]] && run install -m 0644 README.md "$SHARE.new/"
run chmod -R u=rwX,go=rX "$SHARE.new"
system_wide && run chown -R root:root "$SHARE.new"
[[ -d $SHARE ]] && run mv -T "$SHARE" "$SHARE.old"
run mv -T "$SHARE.new" "$SHARE"
run rm -rf "$SHARE.old"

say "configuration in $ETC"
run install -d -m 0750 "$ETC"
system_wide && run chown root:"$USER_NAME" "$ETC"
if [[ -e $ETC/sipas.json ]]; then
    say "keeping the existing $ETC/sipas.json"
    # Settings that a newer version added, and the existing file lacks: the program's defaults apply.
    if command -v python3 >/dev/null 2>&1; then
        python3 - Deploy/sipas.json.example "$ETC/sipas.json" <<'EOF' || say "warning: $ETC/sipas.json is not valid JSON: the service will not start"
import json, sys
def keys(value, prefix=""):
    for key, inner in value.items():
        if isinstance(inner, dict):
            yield from keys(inner, prefix + key + ".")
        else:
            yield prefix + key
example, current = (json.load(open(path)) for path in sys.argv[1:3])
missing = sorted(set(keys(example)) - set(keys(current)))
if missing:
    print("    settings not in it, so at the program's defaults (see sipas.json.example): " + ", ".join(missing))
EOF
    fi
else
    run install -m 0640 Deploy/sipas.json.example "$ETC/sipas.json"
    system_wide && run chown root:"$USER_NAME" "$ETC/sipas.json"
fi

say "installing the unit $UNITDIR/sipas.service"
run install -d -m 0755 "$UNITDIR"
run install -m 0644 Deploy/systemd/sipas.service "$UNITDIR/sipas.service"

say "data directory $DATA"
run install -d -m 0750 "$DATA"
run install -d -m 0700 "$DATA/backups"  # the daily backups (the server makes it too, mode 0700)
if system_wide; then
    run chown "$USER_NAME:$USER_NAME" "$DATA" "$DATA/backups"
    run chmod 0750 "$DATA"
fi

# --- 5. systemd -------------------------------------------------------------------------------------
restarted=0
if system_wide && [[ -d /run/systemd/system ]]; then
    run systemctl daemon-reload
    if systemctl is-active --quiet sipas; then
        say "restarting the running service with the new version"
        run systemctl restart sipas
        restarted=1
    fi
elif system_wide; then
    say "systemd is not running here: skipped systemctl daemon-reload"
fi

# --- 6. next steps ----------------------------------------------------------------------------------
if [[ $DRY_RUN = 1 ]]; then
    say "dry run done: nothing was changed"
    exit 0
fi
if [[ $restarted = 1 ]]; then
    cat <<'EOF'

sipas is upgraded and running again. Check it:
  systemctl status sipas
  journalctl -u sipas -n 50
EOF
    exit 0
fi
cat <<'EOF'

sipas is installed. Next steps ("Deploying at a district office" in README.md has the details):

 1. Settings: edit /etc/sipas/sipas.json, at least "host" ("0.0.0.0" to serve the office network),
    "publicURL" and, with a real certificate, "tls". The file must stay valid JSON.
 2. Administrative units, devices and tokens (as the sipas user, from the reference data directory):
      cd /usr/local/share/sipas
      sudo -u sipas sipas units import Deploy/sample/units.csv --data-dir /var/lib/sipas   # or your province's file
      sudo -u sipas sipas device add --unit 30169 --desk "Một cửa 1" --label "Tablet 1" --data-dir /var/lib/sipas
      sudo -u sipas sipas token add --role admin --label "Quản trị" --data-dir /var/lib/sipas
    Keys and tokens are printed once, on the last line: keep them.
 3. Start it now and at every boot:
      systemctl enable --now sipas
      systemctl status sipas
      journalctl -u sipas -f
EOF
