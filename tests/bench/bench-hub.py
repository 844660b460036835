#!/usr/bin/env python3
# bench-hub.py: sustained ingestion and event intake of a real
# touchpoint-hub on loopback (mutual TLS), with push connections open,
# on SQLite or PostgreSQL; prints its figures and the hub's resident memory.
#
#   tests/bench/bench-hub.py [--backend sqlite|postgresql] [--entries N]
#                            [--events N] [--batch N] [--terminals N] [--clients N]
#   tests/bench/bench-hub.py --snapshot N [--backend ...]   # time and size of a snapshot of N entries
#
# Run from the build tree's environment: TOUCHPOINT_HUB=build/app/hub/touchpoint-hub.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hub"))
import hubtest  # noqa: E402
from hubtest import entry, lines  # noqa: E402


def rss_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def run_batches(client, path, batches, clients):
    """Posts the batches from @clients threads; returns (seconds, receipts)."""
    queue = list(batches)
    lock = threading.Lock()
    counted = [0]

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            status, receipts = client.post_lines(path, body)
            assert status == 200, receipts
            with lock:
                counted[0] += sum(1 for r in receipts if r["status"] == "accepted")

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - start, counted[0]


SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Hưng", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]


def varied_entry(rng, i):
    """An exit ban with a name, dates and identifiers drawn at random, so
    that the snapshot compresses like a real list, not like one entry
    repeated."""
    e = entry("EB-2026-%07d" % i, until=None if rng.random() < 0.3 else "2027-%02d-%02d" % (rng.randint(1, 12),
                                                                                         rng.randint(1, 28)),
              full_name="%s %s %s" % (rng.choice(SURNAMES), rng.choice(MIDDLE), rng.choice(GIVEN)),
              birth_date="%d-%02d-%02d" % (rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)),
              sex=rng.choice("MF"),
              identifiers=[{"type": "passport", "value": "%s%07d" % (rng.choice("BCN"), rng.randint(0, 9999999)),
                            "country": "VNM"},
                           {"type": "national_id", "value": "%03d%09d" % (rng.randint(1, 96), rng.randint(0, 999999999)),
                            "country": "VNM"}])
    e["basis"] = {"reference": "%d/TB-%s" % (rng.randint(1, 99999), rng.choice(["HQ", "CT", "CCT"])),
                  "issued_by": "Chi cục Thuế khu vực %d" % rng.randint(1, 40),
                  "issued_at": "2026-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)), "reason": "tax_debt"}
    if e["effective_until"] is None:
        del e["effective_until"]
    return e


def snapshot_figures(args):
    """Ingests N entries, lets the hub take its snapshot at N, reports how
    long that took after the last receipt and the file's size."""
    work = tempfile.mkdtemp(prefix="tp-bench-hub-")
    hub = hubtest.Hub(work, backend=args.backend,
                      serve_args=["--snapshot-every", str(args.snapshot), "--heartbeat", "1"])
    try:
        hub.start()
        customs = hub.client(hub.bundle("customs"))
        import random
        rng = random.Random(20261206)
        batches = []
        for b in range(0, args.snapshot, 1000):
            batches.append(lines(*[varied_entry(rng, i) for i in range(b, min(b + 1000, args.snapshot))]))
        seconds, accepted = run_batches(customs, "/v1/entries", batches, args.clients)
        done = time.monotonic()
        while True:
            head = customs.get_json("/v1/feed/head")
            if head["snapshot"] and head["snapshot"]["seq"] >= args.snapshot:
                break
            time.sleep(0.02)
        taken = time.monotonic() - done
        status, _, data = customs.request("GET", "/v1/feed/snapshots/%d.jsonl.gz" % head["snapshot"]["seq"])
        peak = rss_kib(hub.process.pid, "VmHWM")
        hub.stop()
        print("backend: %s; %d entries ingested in %.1f s (%.0f entries/s)"
              % (args.backend, accepted, seconds, accepted / seconds))
        print("snapshot at seq %d: published %.2f s after the last receipt (at most one heartbeat of that is waiting);"
              " %d bytes gzip (%.0f bytes per entry); hub peak memory %.1f MiB"
              % (head["snapshot"]["seq"], taken, len(data), len(data) / head["entries"], peak / 1024))
    finally:
        hub.close()
        hubtest.PostgresCluster.stop_shared()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--events", type=int, default=50000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--terminals", type=int, default=200)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--snapshot", type=int, default=0)
    args = parser.parse_args()
    if args.snapshot:
        return snapshot_figures(args)

    work = tempfile.mkdtemp(prefix="tp-bench-hub-")
    hub = hubtest.Hub(work, backend=args.backend, serve_args=["--snapshot-every", "1000000000"])
    try:
        hub.start()
        pid = hub.process.pid
        idle_rss = rss_kib(pid, "VmRSS")
        customs = hub.client(hub.bundle("customs"))
        terminal_bundle = hub.terminal("T2-EXIT-01")
        terminal = hub.client(terminal_bundle)

        # push connections that stay open, as followers would (one certificate
        # for all of them: the hub counts connections, not certificates)
        sockets = []
        for i in range(args.terminals):
            ws = terminal.websocket()
            ws.receive()
            sockets.append(ws)
        drain_stop = threading.Event()

        def drain():
            while not drain_stop.is_set():
                for ws in sockets:
                    try:
                        ws.sock.setblocking(False)
                        while ws.sock.recv(65536):
                            pass
                    except (BlockingIOError, OSError):
                        pass
                time.sleep(0.01)

        drainer = threading.Thread(target=drain, daemon=True)
        drainer.start()

        batches = []
        for b in range(0, args.entries, args.batch):
            batches.append(lines(*[entry("B-%d" % i) for i in range(b, min(b + args.batch, args.entries))]))
        seconds, accepted = run_batches(customs, "/v1/entries", batches, args.clients)
        assert accepted == args.entries, accepted
        ingest_rate = accepted / seconds

        single = [lines(entry("S-%d" % i)) for i in range(200)]
        single_seconds, _ = run_batches(customs, "/v1/entries", single, args.clients)

        events = []
        for b in range(0, args.events, args.batch):
            chunk = []
            for i in range(b, min(b + args.batch, args.events)):
                chunk.append({"id": str(uuid.uuid4()), "type": "check", "at": "2026-12-06T06:09:22.123Z",
                              "case_id": str(uuid.uuid4()), "officer": "IMM-01", "role": "immigration",
                              "verdict": "CLEAR", "list_seq": 1, "document": None, "verified": True,
                              "hits": [], "flight": None})
            events.append(lines(*chunk))
        event_seconds, stored = run_batches(terminal, "/v1/events", events, args.clients)
        assert stored == args.events, stored
        event_rate = stored / event_seconds

        peak = rss_kib(pid, "VmHWM")
        now = rss_kib(pid, "VmRSS")
        drain_stop.set()
        for ws in sockets:
            ws.close()
        hub.stop()

        print("machine: %s, %d CPUs, Python %s" % (platform.processor() or platform.machine(), os.cpu_count(),
                                                    platform.python_version()))
        print("backend: %s; %d push connections open; %d client threads; batches of %d"
              % (args.backend, args.terminals, args.clients, args.batch))
        print("ingestion: %d entries in %.2f s = %.0f entries/s (receipts after commit)"
              % (accepted, seconds, ingest_rate))
        print("ingestion, one entry per request: %.1f ms per request (%.0f requests/s)"
              % (1000 * single_seconds / len(single), len(single) / single_seconds))
        print("event intake: %d events in %.2f s = %.0f events/s" % (stored, event_seconds, event_rate))
        print("hub resident memory: %.1f MiB idle, %.1f MiB after the runs, %.1f MiB peak"
              % (idle_rss / 1024, now / 1024, peak / 1024))
    finally:
        hub.close()
        hubtest.PostgresCluster.stop_shared()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
