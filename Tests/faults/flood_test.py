#!/usr/bin/env python3
"""Flood test: one device flooding is refused (429 with Retry-After) without touching a well-behaved one.

Part 1, `--device-rate 5 --address-rate 0`: device A floods from --threads threads, each on its own
keep-alive HTTPS connection, for --seconds; device B sends one valid response every 0.5 s meanwhile.
Checks: A gets many 429s, each with a whole-second Retry-After, and some 201s (its burst, and no more
than the bucket allows); B gets only 201s; /healthz answers 200 during and after the flood; A's and
B's stored rows are exactly the ids they were answered 201 for.

Part 2, `--address-rate 5 --device-rate 0`: the same flood from one address (every client is
127.0.0.1 here) gets 429s with Retry-After, /healthz stays exempt, and the stored rows are exactly the
201s.

    python3 Tests/faults/flood_test.py [--seconds 6] [--threads 6]

Run from anywhere; the binary is $SIPAS (default .build/debug/sipas). Exits 1 on any failure.
"""
import argparse
import collections
import http.client
import os
import random
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sipas_harness as h  # noqa: E402

RATE = 5  # requests a second, both parts
BURST = RATE * 5  # the server's burst: 5 s worth


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.created = set()  # ids answered 201
        self.retry_after = collections.Counter()  # Retry-After values of the 429s ("missing" when absent)
        self.other = []  # (status, detail) of answers that are neither 201 nor 429
        self.errors = []  # connection failures

    def add(self, response_id, status, headers, payload):
        with self.lock:
            self.statuses[status] += 1
            if status == 201:
                self.created.add(response_id)
            elif status == 429:
                self.retry_after[headers.get("retry-after", "missing")] += 1
            else:
                self.other.append((status, payload[:200].decode(errors="replace")))

    def error(self, error):
        with self.lock:
            self.statuses["connection error"] += 1
            self.errors.append(repr(error))

    def summary(self):
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items(), key=lambda kv: str(kv[0])))


def send(client, tally, rng):
    response_id, body = h.response_body(rng)
    try:
        status, headers, payload = client.post("/v1/responses", body)
    except (OSError, http.client.HTTPException) as error:
        tally.error(error)
        return
    tally.add(response_id, status, headers, payload)


def flood(port, key, tally, until, seed):
    rng, client = random.Random(seed), h.Client(port, key)
    try:
        while time.monotonic() < until:
            send(client, tally, rng)
    finally:
        client.close()


def steady(port, key, tally, until, seed, interval=0.5):
    rng, client = random.Random(seed), h.Client(port, key)
    try:
        next_at = time.monotonic()
        while next_at < until:
            time.sleep(max(0.0, next_at - time.monotonic()))
            send(client, tally, rng)
            next_at += interval
    finally:
        client.close()


def watch_health(port, results, until):
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            status, _, _ = h.request_once(port, "GET", "/healthz", timeout=5)
        except (OSError, http.client.HTTPException) as error:
            status = repr(error)
        results.append((status, time.monotonic() - started))
        time.sleep(0.5)


def run_flood(server, key_a, seconds, threads, key_b=None):
    """Floods with A (and paces B when given) for `seconds`; returns (A, B, health samples, elapsed)."""
    a, b, health = Tally(), Tally(), []
    started = time.monotonic()
    until = started + seconds
    workers = [threading.Thread(target=flood, args=(server.port, key_a, a, until, n), daemon=True) for n in range(threads)]
    if key_b:
        workers.append(threading.Thread(target=steady, args=(server.port, key_b, b, until, 1000), daemon=True))
    workers.append(threading.Thread(target=watch_health, args=(server.port, health, until), daemon=True))
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=seconds + 60)
    if any(w.is_alive() for w in workers):
        raise RuntimeError("a client still hangs a minute after the flood ended")
    return a, b, health, time.monotonic() - started


def check_refusals(name, tally, elapsed, failures):
    refused = tally.statuses[429]
    created = len(tally.created)
    most = BURST + RATE * elapsed + 2  # the bucket: the burst, then RATE a second (2 of slack for timing)
    if refused < 50:
        failures.append(f"{name}: only {refused} answers 429 (expected many)")
    bad = {v: n for v, n in tally.retry_after.items() if not (v.isdigit() and int(v) >= 1)}
    if bad:
        failures.append(f"{name}: 429 without a whole-second Retry-After: {bad}")
    if created == 0:
        failures.append(f"{name}: no 201 at all (the burst should pass)")
    if created > most:
        failures.append(f"{name}: {created} answers 201, more than the limit allows ({most:.0f} in {elapsed:.1f} s)")
    if tally.other:
        failures.append(f"{name}: {len(tally.other)} answers neither 201 nor 429, e.g. {tally.other[:3]}")
    if tally.errors:
        failures.append(f"{name}: {len(tally.errors)} connection failures, e.g. {tally.errors[:2]}")


def check_health(name, server, health, failures):
    bad = [s for s, _ in health if s != 200]
    slowest = max((t for _, t in health), default=0)
    if not health or bad:
        failures.append(f"{name}: /healthz during the flood: {len(bad)} of {len(health)} not 200, e.g. {bad[:2]}")
    try:
        status, _, _ = h.request_once(server.port, "GET", "/healthz", timeout=5)
    except (OSError, http.client.HTTPException) as error:
        status = repr(error)
    if status != 200 or not server.alive():
        failures.append(f"{name}: /healthz after the flood: {status}, server alive: {server.alive()}")
    return slowest


def check_stored(name, data, device_id, tally, failures, since_seq=0):
    stored = {row[0] for row in h.db_query(
        data, "SELECT id FROM response WHERE deviceId = ? AND seq > ?", device_id, since_seq)}
    if stored != tally.created:
        failures.append(f"{name}: {len(stored)} rows stored but {len(tally.created)} answered 201 "
                        f"({len(stored - tally.created)} stored without 201, {len(tally.created - stored)} 201 not stored)")
    return len(stored)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6, help="length of the flood of part 1 (default 6)")
    parser.add_argument("--threads", type=int, default=6, help="flooding threads (default 6)")
    parser.add_argument("--no-address-part", action="store_true", help="skip part 2 (the per-address limit)")
    args = parser.parse_args()

    data = h.new_data_dir("sipas-flood-")
    id_a, key_a = h.add_device(data, desk="Một cửa 1", label="flood A")
    id_b, key_b = h.add_device(data, desk="Một cửa 2", label="flood B")
    print(f"flood test: data {data}, binary {h.binary()}")
    failures = []
    server = None
    try:
        # Part 1: the per-device limit.
        server = h.Server(data, "--device-rate", str(RATE), "--address-rate", "0")
        server.wait_healthy()
        a, b, health, elapsed = run_flood(server, key_a, args.seconds, args.threads, key_b)
        check_refusals("device A", a, elapsed, failures)
        b_sent = sum(b.statuses.values())
        if b_sent < args.seconds * 2 - 2 or b.statuses[201] != b_sent:
            failures.append(f"device B: {b.summary()} (expected only 201, about {args.seconds * 2:.0f})")
        slowest = check_health("part 1", server, health, failures)
        stored_a = check_stored("device A", data, id_a, a, failures)
        stored_b = check_stored("device B", data, id_b, b, failures)
        print(f"part 1 (--device-rate {RATE}): {elapsed:.1f} s; A {a.summary()}; Retry-After {dict(a.retry_after)}; "
              f"B {b.summary()}; stored A {stored_a}, B {stored_b}; /healthz {len(health)} checks, slowest {slowest * 1000:.0f} ms")
        server.kill(h.signal.SIGTERM)
        server = None

        if not args.no_address_part:
            # Part 2: the per-address limit (every client here is 127.0.0.1).
            last_seq = h.db_query(data, "SELECT coalesce(max(seq), 0) FROM response")[0][0]
            server = h.Server(data, "--device-rate", "0", "--address-rate", str(RATE))
            server.wait_healthy()
            a2, _, health2, elapsed2 = run_flood(server, key_a, min(args.seconds, 3), args.threads)
            check_refusals("address", a2, elapsed2, failures)
            slowest2 = check_health("part 2", server, health2, failures)
            stored2 = check_stored("address", data, id_a, a2, failures, since_seq=last_seq)
            print(f"part 2 (--address-rate {RATE}): {elapsed2:.1f} s; {a2.summary()}; Retry-After {dict(a2.retry_after)}; "
                  f"stored {stored2}; /healthz {len(health2)} checks, slowest {slowest2 * 1000:.0f} ms")
            server.kill(h.signal.SIGTERM)
            server = None
        integrity = h.db_query(data, "PRAGMA integrity_check")[0][0]
        if integrity != "ok":
            failures.append(f"integrity_check: {integrity}")
    except Exception as error:  # noqa: BLE001: reported and failed, never hidden
        failures.append(f"the test stopped: {error!r}")
        if server is not None:
            print(server.log_tail(), file=sys.stderr)
    finally:
        if server is not None:
            server.kill()
        h.kill_all_servers()

    for failure in failures:
        print("FAIL " + failure)
    if failures:
        print(f"flood test FAILED ({len(failures)} problems); data directory kept: {data}")
        return 1
    print("flood test passed")
    h.remove_data_dir(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
