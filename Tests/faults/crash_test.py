#!/usr/bin/env python3
"""Crash test: no acknowledged response is ever lost or stored twice when the server is killed.

Each round starts `sipas serve` (rate limits off) on the same data directory, sends valid responses from
--clients threads, each on its own keep-alive HTTPS connection, and kills the server with SIGKILL at a
random moment of the load. The clients then fail (a request cut off is not acknowledged). After a
restart it checks, reading the SQLite file read-only:

- every id ever answered 201 (this round and all earlier ones) is stored;
- PRAGMA integrity_check is ok and count(*) = count(DISTINCT id);
- resending every response acknowledged this round (same bodies) answers 201 with
  `Idempotent-Replayed: true` and adds no row;
- resending the requests cut off by the kill (a device's retry) answers 201, and they are then stored.

    python3 Tests/faults/crash_test.py [--rounds 20] [--clients 8] [--load 0.5 3.0] [--seed N] [--keep]

Run from anywhere; the binary is $SIPAS (default .build/debug/sipas). Prints a line per round and
`acknowledged=… found=… lost=… duplicated=… rounds=…`; exits 1 on any loss, duplicate, integrity
error, unexpected answer, or when nothing was acknowledged at all.
"""
import argparse
import http.client
import os
import random
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sipas_harness as h  # noqa: E402

NO_LIMITS = ("--device-rate", "0", "--address-rate", "0")


class Round:
    """What the clients of one round saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = {}  # id -> body, answered 201
        self.cut_off = {}  # id -> body, the connection failed: stored or not, unknown
        self.busy = 0  # 503 answers (nothing stored; sent again)
        self.refused = 0  # 429 answers (should not happen: limits are off)
        self.unexpected = []  # other answers: (status, body)
        self.connection_errors = 0


def load(port, key, record, stop, ack_log, seed):
    """One client: sends new responses until `stop`; a 503/429 is sent again as it is (same id)."""
    rng = random.Random(seed)
    client = h.Client(port, key, timeout=10)
    pending = None
    try:
        while not stop.is_set():
            if pending is None:
                pending = h.response_body(rng)
            response_id, body = pending
            try:
                status, headers, payload = client.post("/v1/responses", body)
            except (OSError, http.client.HTTPException):
                with record.lock:
                    record.connection_errors += 1
                    record.cut_off[response_id] = body
                pending = None
                time.sleep(0.02)  # the server is gone or going: try again until told to stop
                continue
            if status == 201:
                with record.lock:
                    record.acknowledged[response_id] = body
                    record.cut_off.pop(response_id, None)
                    ack_log.write(response_id + "\n")
                pending = None
            elif status in (503, 429):
                with record.lock:
                    if status == 503:
                        record.busy += 1
                    else:
                        record.refused += 1
                if "retry-after" not in headers:
                    with record.lock:
                        record.unexpected.append((status, "no Retry-After: " + payload[:200].decode(errors="replace")))
                time.sleep(0.05)  # keep the same id and body: nothing was stored
            else:
                with record.lock:
                    record.unexpected.append((status, payload[:300].decode(errors="replace")))
                pending = None
    finally:
        client.close()


def resend(port, key, bodies, clients):
    """Sends each body again from `clients` threads until answered (503/429 retried); returns
    {id: (status, replayed)}, plus connection failures as status None."""
    items = list(bodies.items())
    results, lock = {}, threading.Lock()
    cursor = iter(items)

    def worker():
        client = h.Client(port, key, timeout=15)
        try:
            while True:
                with lock:
                    nxt = next(cursor, None)
                if nxt is None:
                    return
                response_id, body = nxt
                outcome = (None, False)
                for _ in range(200):
                    try:
                        status, headers, _ = client.post("/v1/responses", body)
                    except (OSError, http.client.HTTPException):
                        time.sleep(0.05)
                        continue
                    if status in (503, 429):
                        time.sleep(0.05)
                        continue
                    outcome = (status, headers.get("idempotent-replayed", "").lower() == "true")
                    break
                with lock:
                    results[response_id] = outcome
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, min(clients, len(items))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def stored_ids(data):
    return {row[0] for row in h.db_query(data, "SELECT id FROM response")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--load", type=float, nargs=2, default=(0.5, 3.0), metavar=("MIN", "MAX"),
                        help="seconds of load before the SIGKILL, drawn at random in this range (default 0.5 3.0)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (it is kept anyway on failure)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)

    data = h.new_data_dir("sipas-crash-")
    device_id, key = h.add_device(data, label="crash test")
    print(f"crash test: data {data}, seed {seed}, {args.rounds} rounds, {args.clients} clients, binary {h.binary()}")
    ack_log = open(os.path.join(data, "acknowledged.txt"), "a", buffering=1)

    acknowledged = {}  # every id answered 201 in any round
    failures = []
    duplicated = 0
    integrity = "not checked"
    lost_ids = set()
    server = None
    completed = 0
    try:
        for number in range(1, args.rounds + 1):
            server = h.Server(data, *NO_LIMITS)
            server.wait_healthy()
            record, stop = Round(), threading.Event()
            threads = [threading.Thread(target=load, args=(server.port, key, record, stop, ack_log, rng.random()), daemon=True)
                       for _ in range(args.clients)]
            started = time.monotonic()
            for t in threads:
                t.start()
            time.sleep(rng.uniform(*args.load))
            killed_at = time.monotonic() - started
            server.kill()  # SIGKILL, and wait for the process to end
            stop.set()
            for t in threads:
                t.join(timeout=30)
            if any(t.is_alive() for t in threads):
                failures.append(f"round {number}: a client still hangs 30 s after the kill")
            acknowledged.update(record.acknowledged)

            server = h.Server(data, *NO_LIMITS)
            server.wait_healthy()
            ids = stored_ids(data)
            missing = set(acknowledged) - ids
            lost_ids |= missing
            check = h.db_query(data, "PRAGMA integrity_check")[0][0]
            if integrity in ("ok", "not checked"):
                integrity = check
            rows, distinct = h.db_query(data, "SELECT count(*), count(DISTINCT id) FROM response")[0]
            duplicated += rows - distinct

            # Resend what was acknowledged this round: all replayed, no row added.
            replay = resend(server.port, key, record.acknowledged, args.clients)
            after = h.db_query(data, "SELECT count(*) FROM response")[0][0]
            not_replayed = [i for i, (status, replayed) in replay.items() if status != 201 or not replayed]
            duplicated += max(0, after - rows)
            # Resend what was cut off (a device retrying): each answered 201, then stored.
            retry = resend(server.port, key, record.cut_off, args.clients)
            retry_bad = [(i, status) for i, (status, _) in retry.items() if status != 201]
            cut_off_stored_before = len(set(record.cut_off) & ids)
            cut_off_missing = set(record.cut_off) - stored_ids(data)
            for i, (status, _) in retry.items():
                if status == 201:
                    acknowledged[i] = record.cut_off[i]
                    ack_log.write(i + "\n")
            server.kill()
            server = None

            problems = []
            if missing:
                problems.append(f"LOST {len(missing)} acknowledged (e.g. {sorted(missing)[:3]})")
            if check != "ok":
                problems.append(f"integrity_check: {check}")
            if rows != distinct or after != rows:
                problems.append(f"DUPLICATES rows {rows} distinct {distinct}, after resend {after}")
            if not_replayed:
                problems.append(f"{len(not_replayed)} resends not answered 201 replayed "
                                f"(e.g. {[(i, replay[i]) for i in not_replayed[:3]]})")
            if retry_bad or cut_off_missing:
                problems.append(f"cut-off resends: {len(retry_bad)} not 201 (e.g. {retry_bad[:3]}), "
                                f"{len(cut_off_missing)} not stored after")
            if record.unexpected:
                problems.append(f"{len(record.unexpected)} unexpected answers (e.g. {record.unexpected[:2]})")
            if record.refused:
                problems.append(f"{record.refused} answered 429 with the limits off")
            for p in problems:
                failures.append(f"round {number}: {p}")
            print(f"round {number}: killed after {killed_at:.2f} s; acknowledged {len(record.acknowledged)}, "
                  f"cut off {len(record.cut_off)} ({cut_off_stored_before} had been stored), 503 {record.busy}; "
                  f"rows {after}, replayed {len(replay) - len(not_replayed)}/{len(replay)}: "
                  + ("ok" if not problems else "FAILED: " + "; ".join(problems)), flush=True)
            completed = number
    except Exception as error:  # noqa: BLE001: reported and failed, never hidden
        failures.append(f"the test stopped: {error!r}")
        if server is not None:
            print(server.log_tail(), file=sys.stderr)
    finally:
        if server is not None:
            server.kill()
        h.kill_all_servers()
        ack_log.close()

    found = len(set(acknowledged) - lost_ids)
    if not acknowledged:
        failures.append("nothing was acknowledged: the test proves nothing")
    if integrity != "ok":
        failures.append(f"integrity_check: {integrity}")
    if completed < args.rounds:
        failures.append(f"only {completed} of {args.rounds} rounds completed")
    for failure in failures:
        print("FAIL " + failure)
    print(f"acknowledged={len(acknowledged)} found={found} lost={len(lost_ids)} duplicated={duplicated} "
          f"rounds={completed} integrity={integrity}")
    if failures:
        print(f"data directory kept for inspection: {data} (server.log, acknowledged.txt, sipas.sqlite)")
        return 1
    if args.keep:
        print(f"data directory kept: {data}")
    else:
        h.remove_data_dir(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
