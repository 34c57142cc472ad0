"""Shared helpers of the fault tests (crash_test.py, flood_test.py): Python 3 standard library only.

Starts `sipas serve` on a temporary data directory from the repository root (it reads Surveys/, Web/
and Deploy/ relative to its working directory), talks HTTPS to it with keep-alive connections (the
certificate is self-signed, so verification is off), and reads the SQLite file read-only.

The binary is $SIPAS (default .build/debug/sipas, relative to the repository root). Every server
started here is killed on any way out of the test (normal exit, exception, SIGINT/SIGTERM), and on
Linux also when the test process itself dies (PR_SET_PDEATHSIG).
"""
import atexit
import ctypes
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ITEMS = ["a1", "a2", "a3", "a4", "p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "s5",
         "r1", "r2", "r3", "f1", "f2", "f3"]
EXPECTATIONS = ["information", "facilities", "simpler-procedures", "shorter-time", "lower-fees",
                "staff-attitude", "staff-skills", "online-services", "feedback-handling"]


def binary():
    path = os.environ.get("SIPAS", ".build/debug/sipas")
    path = path if os.path.isabs(path) else os.path.join(ROOT, path)
    if not os.access(path, os.X_OK):
        sys.exit(f"no sipas binary at {path}: run `swift build --product sipas` or set SIPAS")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


TLS = tls_context()


def sipas(*args, data):
    """Runs an administration subcommand on `data` and returns its standard output."""
    done = subprocess.run([binary(), *args, "--data-dir", data], cwd=ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"sipas {' '.join(args)} failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def new_data_dir(prefix):
    data = tempfile.mkdtemp(prefix=prefix)
    sipas("units", "import", "Deploy/sample/units.csv", data=data)
    return data


def add_device(data, unit="875", desk="Một cửa 1", label="fault test"):
    """Registers a device; returns (device id, key). The key is alone on the last line."""
    out = sipas("device", "add", "--unit", unit, "--desk", desk, "--label", label, data=data)
    lines = out.strip().splitlines()
    device_id = int(lines[0].split()[1])  # "device N registered for unit …"
    return device_id, lines[-1].strip()


# --- server processes ---------------------------------------------------------------------------------

_servers = []
_servers_lock = threading.Lock()


def _die_with_parent():
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def kill_all_servers():
    with _servers_lock:
        servers = list(_servers)
    for server in servers:
        server.kill()


def _on_signal(number, _frame):
    kill_all_servers()
    sys.exit(128 + number)


atexit.register(kill_all_servers)
for _number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(_number, _on_signal)


class Server:
    """One `sipas serve` process on `data`, output appended to data/server.log."""

    def __init__(self, data, *extra):
        self.data = data
        self.port = free_port()
        self.log_path = os.path.join(data, "server.log")
        log = open(self.log_path, "ab")
        log.write(f"\n=== serve --port {self.port} {' '.join(extra)} ===\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [binary(), "serve", "--data-dir", data, "--port", str(self.port), *extra],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent)
        log.close()
        with _servers_lock:
            _servers.append(self)

    @property
    def pid(self):
        return self.process.pid

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def wait_healthy(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {self.process.returncode}):\n{self.log_tail()}")
            try:
                status, _, _ = request_once(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /healthz within {timeout} s:\n{self.log_tail()}")

    def kill(self, sig=signal.SIGKILL):
        """Sends `sig` (default SIGKILL) and waits for the process to end."""
        if self.process.poll() is None:
            try:
                self.process.send_signal(sig)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with _servers_lock:
            if self in _servers:
                _servers.remove(self)

    def alive(self):
        return self.process.poll() is None


# --- HTTP ---------------------------------------------------------------------------------------------

def request_once(port, method, path, body=None, headers=None, timeout=10):
    """One request on a new connection: (status, headers dict with lower-case names, body bytes)."""
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=TLS, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class Client:
    """A keep-alive HTTPS connection; reconnects on the next request after a failure.

    `post` raises OSError / http.client.HTTPException when the connection fails: the caller cannot know
    whether the request was stored (it is not acknowledged)."""

    def __init__(self, port, key, timeout=15):
        self.port, self.key, self.timeout = port, key, timeout
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def post(self, path, body):
        if self.connection is None:
            self.connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=TLS, timeout=self.timeout)
        try:
            self.connection.request("POST", path, body=body, headers={
                "Authorization": "Bearer " + self.key, "Content-Type": "application/json"})
            response = self.connection.getresponse()
            payload = response.read()
            headers = {k.lower(): v for k, v in response.getheaders()}
            if response.will_close:
                self.close()
            return response.status, headers, payload
        except BaseException:
            self.close()
            raise


def response_body(rng=random, response_id=None):
    """A valid SIPAS response for a device of Huyện Lấp Vò (875): submitted in 2024, the unit in force then."""
    items = rng.sample(ITEMS, rng.randint(1, len(ITEMS)))
    body = {
        "id": response_id or str(uuid.uuid4()),
        "survey": "sipas",
        "surveyVersion": 1,
        "channel": rng.choice(["desk", "kiosk"]),
        "answers": {item: rng.randint(1, 5) for item in items},
        "submittedAt": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                       f"{rng.randint(7, 16):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+07:00",
    }
    if rng.random() < 0.5:
        body["expectations"] = rng.sample(EXPECTATIONS, rng.randint(1, 3))
    if rng.random() < 0.3:
        body["comment"] = "Thủ tục nhanh, cán bộ nhiệt tình. " * rng.randint(1, 5)
    return body["id"], json.dumps(body, ensure_ascii=False).encode()


# --- the database -------------------------------------------------------------------------------------

def db_query(data, sql, *args):
    """Reads the SQLite file read-only (works while the server runs: WAL)."""
    path = os.path.join(data, "sipas.sqlite")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def remove_data_dir(data):
    shutil.rmtree(data, ignore_errors=True)
