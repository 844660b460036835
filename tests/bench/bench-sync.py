#!/usr/bin/env python3
# bench-sync.py: the terminal side of the exchange, measured against a real
# touchpoint-hub on loopback (mutual TLS), terminals as separate processes.
#
#   tests/bench/bench-sync.py --propagation [--terminals 200] [--processes 4] [--changes 20]
#       A change ingested at the hub, applied at each of the terminals
#       following live (sync clients, several per process): p50/p99/max.
#   tests/bench/bench-sync.py --bootstrap N [--delta 1000]
#       A hub with N entries (the synthetic population) and its snapshot;
#       the snapshot downloaded, verified and applied by a new terminal,
#       its size on the wire, the terminal's peak memory and store size,
#       the reader's cost alone; then a delta of --delta changes applied.
#
# Run from the source tree with the build's programs:
#   TOUCHPOINT_HUB=build/app/hub/touchpoint-hub TOUCHPOINT_CLI=build/app/cli/touchpoint-cli \
#   BENCH_SYNC_CLIENTS=build/tests/bench/bench-sync-clients nice tests/bench/bench-sync.py --propagation
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sync"))
import synctest  # noqa: E402
from synctest import entry, lines  # noqa: E402

CLIENTS = os.environ.get("BENCH_SYNC_CLIENTS", "bench-sync-clients")
AGENCIES = ("customs", "tax", "immigration", "police", "court")


def banner():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    print("machine: %s, %d logical CPUs, Linux %s; load average at start %.1f %.1f %.1f"
          % (cpu, os.cpu_count(), platform.release(), *load))


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


class ClientProcess:
    """One bench-sync-clients follow process and the lines it prints."""

    def __init__(self, db_dir, bundles, base):
        self.base = base
        self.process = subprocess.Popen([CLIENTS, "follow", "--db-dir", db_dir] + bundles,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = set()
        self.applied = {}          # global client index -> [(seq, us)]
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.process.stdout:
            msg = json.loads(line)
            with self.lock:
                if "ready" in msg:
                    self.ready.add(self.base + msg["ready"])
                else:
                    self.applied.setdefault(self.base + msg["client"], []).append((msg["seq"], msg["us"]))

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def propagation(args, work):
    hub = synctest.Hub(work, serve_args=("--heartbeat", "60", "--expiry", "600"))
    hub.start()
    try:
        print("enrolling %d terminals..." % args.terminals, flush=True)
        bundles = [hub.enroll("T-%03d" % i) for i in range(args.terminals)]
        db_dir = os.path.join(work, "stores")
        os.mkdir(db_dir)
        per = (args.terminals + args.processes - 1) // args.processes
        procs = [ClientProcess(db_dir, bundles[i:i + per], i) for i in range(0, args.terminals, per)]
        deadline = time.monotonic() + 300
        while sum(len(p.ready) for p in procs) < args.terminals:
            if time.monotonic() > deadline:
                raise SystemExit("not every terminal became ready")
            time.sleep(0.1)
        print("%d terminals following in %d processes" % (args.terminals, len(procs)), flush=True)

        from_sent, from_receipt = [], []
        client = hub.client()
        for r in range(args.changes):
            time.sleep(1.0)
            sent = time.monotonic()
            receipts = hub.ingest(entry("EB-P-%05d" % r))
            received = time.monotonic()
            seq = receipts[0]["seq"]
            deadline = time.monotonic() + 120
            while True:
                done = {}
                for p in procs:
                    with p.lock:
                        for index, applied in p.applied.items():
                            for s, us in applied:
                                if s >= seq:
                                    done[index] = us / 1e6
                                    break
                if len(done) == args.terminals:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("change %d reached %d terminals only" % (seq, len(done)))
                time.sleep(0.02)
            from_sent += [t - sent for t in done.values()]
            from_receipt += [t - received for t in done.values()]
            print("change %d: receipt after %.1f ms, last terminal after %.1f ms"
                  % (seq, (received - sent) * 1e3, (max(done.values()) - sent) * 1e3), flush=True)
        for p in procs:
            p.close()
        print("\npropagation to %d terminals, %d changes, %d samples; from the ingest request sent:"
              % (args.terminals, args.changes, len(from_sent)))
        for name, values in (("sent", from_sent), ("receipt", from_receipt)):
            print("  from %-8s p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms"
                  % (name, percentile(values, 50) * 1e3, percentile(values, 90) * 1e3,
                     percentile(values, 99) * 1e3, max(values) * 1e3))
        print("load average at the end %.1f %.1f %.1f" % os.getloadavg())
    finally:
        hub.close()


def population(n, seed):
    p = subprocess.Popen([synctest.CLI, "population", "--entries", str(n), "--current", "--seed", str(seed)],
                         stdout=subprocess.PIPE, text=True)
    for line in p.stdout:
        yield json.loads(line)
    p.wait()


def ingest_population(hub, n, seed, batch=1000):
    clients = {a: hub.client(hub.bundle(a)) for a in AGENCIES}
    pending = {a: [] for a in AGENCIES}
    queue = []
    accepted = [0]
    lock = threading.Lock()

    for e in population(n, seed):
        pending[e["agency"]].append(e)
        if len(pending[e["agency"]]) == batch:
            queue.append((e["agency"], lines(*pending[e["agency"]])))
            pending[e["agency"]] = []
    for a, rest in pending.items():
        if rest:
            queue.append((a, lines(*rest)))
    queue.reverse()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                agency, body = queue.pop()
            status, receipts = clients[agency].post_lines("/v1/entries", body)
            assert status == 200, receipts
            with lock:
                accepted[0] += sum(1 for r in receipts if r["status"] == "accepted")

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return accepted[0], time.monotonic() - start


def timed(args):
    start = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    return time.monotonic() - start, p


def bootstrap(args, work):
    n = args.bootstrap
    hub = synctest.Hub(work, serve_args=("--heartbeat", "60", "--expiry", "3600", "--snapshot-every", str(n)))
    hub.start()
    try:
        print("ingesting %d entries..." % n, flush=True)
        accepted, seconds = ingest_population(hub, n, 20261206)
        print("ingested %d entries in %.1f s (%.0f entries/s)" % (accepted, seconds, accepted / seconds), flush=True)
        start = time.monotonic()
        while (hub.head()["snapshot"] or {}).get("seq") != hub.head()["seq"]:
            time.sleep(1)
        print("snapshot published %.1f s after the last receipt" % (time.monotonic() - start), flush=True)
        head_bytes = hub.get("/v1/feed/head")
        head = json.loads(head_bytes)
        head_path = os.path.join(work, "head")
        with open(head_path, "wb") as f:
            f.write(head_bytes)

        snapshot_path = os.path.join(work, "snapshot.jsonl.gz")
        start = time.monotonic()
        data = hub.get("/v1/feed/snapshots/%d.jsonl.gz" % head["snapshot"]["seq"])
        download = time.monotonic() - start
        with open(snapshot_path, "wb") as f:
            f.write(data)
        print("snapshot: %d entries, %d bytes on the wire (%.1f per entry), downloaded in %.2f s"
              % (head["entries"], len(data), len(data) / head["entries"], download), flush=True)

        bundle = hub.enroll("T-BOOT")
        seconds, p = timed([CLIENTS, "load-snapshot", "--db", os.path.join(work, "load.db"),
                            "--key-file", os.path.join(work, "load.key"), "--enrollment", bundle,
                            "--head", head_path, "--snapshot", snapshot_path])
        assert p.returncode == 0, p.stderr
        print("verified and applied (size, SHA-256, signature, every entry, the list replaced): %s"
              % p.stdout.strip(), flush=True)
        seconds, p = timed([CLIENTS, "read-snapshot", "--enrollment", bundle, "--snapshot", snapshot_path])
        assert p.returncode == 0, p.stderr
        print("the reader alone, on one thread (decompression, signature, every entry decoded and checked, "
              "nothing stored): %s" % p.stdout.strip(), flush=True)
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(os.path.join(work, "load.db") + suffix)
            except FileNotFoundError:
                pass

        terminal = synctest.Terminal(work, hub, "T-E2E", hub.enroll("T-E2E"))
        seconds, p = timed(terminal.sync_args("--once"))
        assert p.returncode == 0, p.stderr
        print("touchpoint-cli sync --once on a new store (download, verify, apply, outbox): %.1f s %s"
              % (seconds, p.stdout.strip()), flush=True)

        # deltas: new versions of entries of one agency, one batch (one segment)
        customs = [e for e in population(max(n // 2, args.delta * 10), 20261206) if e["agency"] == "customs"]
        for round_, label in ((0, "apply only (bench-sync-clients apply-segment)"),
                              (1, "touchpoint-cli sync --once (process, head, segment, apply)")):
            changed = []
            for e in customs[round_ * args.delta:(round_ + 1) * args.delta]:
                e = dict(e, version=e["version"] + 1, effective_until="2031-12-31")
                changed.append(e)
            receipts = hub.client(hub.bundle("customs")).post_lines("/v1/entries", lines(*changed))[1]
            first = receipts[0]["seq"]
            assert all(r["status"] == "accepted" for r in receipts), receipts[:3]
            delta_head = hub.get("/v1/feed/head")
            if round_ == 0:
                with open(head_path, "wb") as f:
                    f.write(delta_head)
                segment_path = os.path.join(work, "segment")
                with open(segment_path, "wb") as f:
                    f.write(hub.get("/v1/feed/segments/%d" % first))
                seconds, p = timed([CLIENTS, "apply-segment", "--db", terminal.db, "--key-file", terminal.key,
                                    "--enrollment", terminal.bundle, "--head", head_path, "--segment", segment_path])
                assert p.returncode == 0, p.stderr
                print("delta of %d changes, %s: %s" % (len(changed), label, p.stdout.strip()), flush=True)
            else:
                seconds, p = timed(terminal.sync_args("--once"))
                assert p.returncode == 0, p.stderr
                print("delta of %d changes, %s: %.0f ms %s" % (len(changed), label, seconds * 1e3, p.stdout.strip()),
                      flush=True)
        print("load average at the end %.1f %.1f %.1f" % os.getloadavg())
    finally:
        hub.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--propagation", action="store_true")
    parser.add_argument("--terminals", type=int, default=200)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--bootstrap", type=int)
    parser.add_argument("--delta", type=int, default=1000)
    args = parser.parse_args()
    banner()
    work = tempfile.mkdtemp(prefix="tp-bench-sync-")
    try:
        if args.propagation:
            propagation(args, work)
        if args.bootstrap:
            bootstrap(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
