#!/usr/bin/env python3
# test_sync_faults.py: kill -9 on either side at any moment, restarts and
# network loss: the terminal's store is always a state the feed had, an
# event reaches the hub exactly once, and followers catch up by themselves.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import random
import signal
import subprocess
import threading
import time

import synctest
from synctest import entry, event

ZEROS = "0" * 64


def feed_states(hub):
    """{seq: state_hash} at every segment boundary of the hub's feed."""
    states = {0: ZEROS}
    seq = 0
    head = hub.head()
    while seq < head["seq"]:
        data = hub.get("/v1/feed/segments/%d" % (seq + 1))
        header = json.loads(data.split(b"\n", 1)[0])
        seq = header["last_seq"]
        states[seq] = header["state_hash"]
    return states


def kill_after(process, delay):
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()


class TerminalKilled(synctest.SyncTestCase):
    def check_consistent(self, t, states):
        """The store is one of the feed's states, whole, its audit log intact."""
        stats = t.stats()
        self.assertIn(stats["feed_sequence"], states)
        self.assertEqual(stats["state_hash"], states[stats["feed_sequence"]])
        rc, out, err = t.cli("audit", "verify", "--db", t.db, "--key-file", t.key)
        self.assertEqual(rc, 0, out and out[0] or err)
        return stats["feed_sequence"]

    def kill_repeatedly(self, hub, t, states, rounds):
        """Kills `sync --once` at random moments of a run as long as a whole
        one (timed first on another terminal)."""
        timing = self.new_terminal(hub, "T-TIMING")
        start = time.monotonic()
        rc, _, err = timing.sync_once()
        self.assertEqual(rc, 0, err)
        whole = time.monotonic() - start
        seen = set()
        rng = random.Random(20261206)
        for _ in range(rounds):
            p = subprocess.Popen(t.sync_args("--once"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kill_after(p, rng.uniform(0.02, whole * 1.1))
            seen.add(self.check_consistent(t, states))
        return seen

    def test_killed_mid_apply_repeated(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "1000000"))
        for batch in range(4):
            hub.ingest(*[entry("EB-%d-%05d" % (batch, i)) for i in range(5000)])
        states = feed_states(hub)
        self.assertEqual(sorted(states), [0, 5000, 10000, 15000, 20000])
        t = self.new_terminal(hub)
        seen = self.kill_repeatedly(hub, t, states, rounds=8)
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["seq"]), (0, 20000), err)
        self.assert_synced(t, hub)
        print("positions left by the kills: %s" % sorted(seen))

    def test_killed_mid_snapshot_repeated(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "10000"))
        for batch in range(2):
            hub.ingest(*[entry("EB-%d-%05d" % (batch, i)) for i in range(10000)])
        self.wait_for(lambda: (hub.head()["snapshot"] or {}).get("seq") == 20000, "the snapshot at 20000")
        states = {0: ZEROS, 20000: hub.head()["state_hash"]}
        t = self.new_terminal(hub)
        seen = self.kill_repeatedly(hub, t, states, rounds=6)
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["seq"]), (0, 20000), err)
        self.assert_synced(t, hub)
        print("positions left by the kills: %s" % sorted(seen))

    def test_killed_mid_upload_repeated(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        events = [event("note", text="n%d" % i) for i in range(3000)]
        rc, out, err = t.outbox_add(*events)
        self.assertEqual((rc, out[0]["added"]), (0, 3000), err)
        rng = random.Random(7)
        for _ in range(8):
            p = subprocess.Popen(t.sync_args("--once"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kill_after(p, rng.uniform(0.05, 1.0))
            rc, out, err = t.cli("audit", "verify", "--db", t.db, "--key-file", t.key)
            self.assertEqual(rc, 0, err)
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["outbox"]), (0, 0), err)
        stored = [e["id"] for e in hub.events()]
        self.assertEqual(len(stored), 3000)
        self.assertEqual(sorted(stored), sorted(e["id"] for e in events))
        statuses = [e["status"] for e in t.outbox_list()]
        self.assertEqual(len(statuses), 3000)
        self.assertTrue(set(statuses) <= {"accepted", "duplicate"}, set(statuses))
        print("sent once: %d, sent again after a kill: %d" % (statuses.count("accepted"), statuses.count("duplicate")))


class HubKilled(synctest.SyncTestCase):
    def wait_synced(self, followers, hub):
        head = hub.head()
        for f in followers:
            f.wait_for(lambda l: l["seq"] == head["seq"] and l["state_hash"] == head["state_hash"],
                       "%s at change %d" % (f.terminal.name, head["seq"]))
        return head

    def test_killed_mid_ingest(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "1000000"))
        hub.ingest(entry("EB-0"))
        terminals = [self.new_terminal(hub, "T-%d" % i) for i in range(2)]
        followers = [t.follow() for t in terminals]
        self.wait_synced(followers, hub)
        rng = random.Random(11)
        for round_ in range(3):
            batch = [entry("EB-%d-%04d" % (round_, i)) for i in range(4000)]
            answers = []

            def post():
                try:
                    answers.append(hub.client().post_lines("/v1/entries", synctest.lines(*batch)))
                except Exception as e:  # the hub died under it
                    answers.append(e)
            poster = threading.Thread(target=post)
            poster.start()
            time.sleep(rng.uniform(0.0, 0.6))
            hub.kill9()
            poster.join(timeout=synctest.WAIT)
            hub.start()
            # resent whole: what was stored is a duplicate, the rest accepted
            receipts = hub.ingest(*batch)
            self.assertTrue({r["status"] for r in receipts} <= {"accepted", "duplicate"})
            head = self.wait_synced(followers, hub)
            self.assertEqual(head["entries"], 1 + 4000 * (round_ + 1))
        for t, f in zip(terminals, followers):
            self.assertEqual(f.stop(), 0)
            self.assert_synced(t, hub)

    def test_killed_mid_snapshot(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "5000"))
        rng = random.Random(5)
        for round_ in range(3):
            hub.ingest(*[entry("EB-%d-%04d" % (round_, i)) for i in range(5000)])
            # the snapshot starts after the commit, in the hub's background
            time.sleep(rng.uniform(0.0, 0.4))
            hub.kill9()
            hub.start()
            t = self.new_terminal(hub, "T-%d" % round_)
            rc, status, err = t.sync_once()
            self.assertEqual(rc, 0, err)
            self.assert_synced(t, hub)
        self.wait_for(lambda: (hub.head()["snapshot"] or {}).get("seq") == 15000, "the snapshot at 15000")
        t = self.new_terminal(hub, "T-LAST")
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["seq"]), (0, 15000), err)
        self.assert_synced(t, hub)

    def test_restart_with_followers(self):
        hub = self.new_hub()
        terminals = [self.new_terminal(hub, "T-%d" % i) for i in range(3)]
        followers = [t.follow() for t in terminals]
        hub.ingest(entry("EB-1"))
        self.wait_synced(followers, hub)
        for stop in (hub.stop, hub.kill9):
            marks = [f.mark() for f in followers]
            stop()
            for f, since in zip(followers, marks):
                f.wait_for(lambda l: not l["connected"], "%s disconnected" % f.terminal.name, since=since)
            marks = [f.mark() for f in followers]
            hub.start()
            for f, since in zip(followers, marks):
                f.wait_for(lambda l: l["connected"], "%s reconnected" % f.terminal.name, since=since)
            n = hub.head()["seq"] + 1
            hub.ingest(entry("EB-%d" % n))
            self.wait_synced(followers, hub)
        for t, f in zip(terminals, followers):
            self.assertEqual(f.stop(), 0)
            self.assert_synced(t, hub)

    def test_events_wait_for_the_hub(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        f = t.follow()
        f.wait_for(lambda l: l["connected"], "connected")
        hub.stop()
        f.wait_for(lambda l: not l["connected"], "disconnected")
        events = [event("note", text="offline %d" % i) for i in range(20)]
        rc, out, err = t.outbox_add(*events)
        self.assertEqual(rc, 0, err)
        f.wait_for(lambda l: l["outbox"] == 20, "the events seen waiting")
        since = f.mark()
        hub.start()
        f.wait_for(lambda l: l["outbox"] == 0 and l["connected"], "the events sent", since=since)
        self.assertEqual(sorted(e["id"] for e in hub.events()), sorted(e["id"] for e in events))
        self.assertEqual(f.stop(), 0)


if __name__ == "__main__":
    synctest.main(TerminalKilled, HubKilled)
