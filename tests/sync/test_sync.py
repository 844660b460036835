#!/usr/bin/env python3
# test_sync.py: terminals following a hub's feed, as separate processes on
# loopback with real mutual TLS: the list arrives and is screened, events
# go up exactly once, mirrors serve the feed, and the attacks on the feed
# leave the terminal's store unchanged or correctly repaired.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import gzip
import hashlib
import json
import os
import shutil
import time

import synctest
from synctest import entry, event, canonical, make_segment, passport_of


class Flow(synctest.SyncTestCase):
    def test_ingest_extend_cancel_screened(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        query = {"document_number": passport_of("EB-1"), "issuing_state": "VNM", "nationality": "VNM",
                 "primary": "NGUYEN", "secondary": "VAN AN", "birth_date": "1980-05-17", "sex": "M"}

        # a new terminal against an empty feed: up to date, nothing listed
        rc, status, err = t.sync_once()
        self.assertEqual(rc, 0, err)
        self.assertEqual(list(status)[:8], ["seq", "state_hash", "entries", "applied", "stale", "age_s",
                                            "outbox", "at"])
        self.assertEqual((status["seq"], status["entries"], status["stale"], status["outbox"]), (0, 0, False, 0))
        self.assertRegex(status["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")

        hub.ingest(entry("EB-1"), entry("EB-2"))
        rc, status, err = t.sync_once()
        self.assertEqual(rc, 0, err)
        self.assertEqual((status["seq"], status["entries"], status["applied"]), (2, 2, 2))
        self.assertGreaterEqual(status["age_s"], 0)
        self.assertEqual(t.screen(**query)["verdict"], "STOP")
        head = self.assert_synced(t, hub)
        self.assertEqual(status["state_hash"], head["state_hash"])

        # extended: a new version of the same entry
        hub.ingest(entry("EB-1", version=2, until="2031-06-30"))
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["seq"], status["applied"], status["entries"]), (0, 3, 1, 2), err)
        self.assertEqual(t.stats()["versions"], 3)
        self.assertEqual(t.screen(**query)["verdict"], "STOP")

        # cancelled: the hit is gone
        hub.ingest(entry("EB-1", version=3, status="cancelled"))
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["seq"]), (0, 4), err)
        result = t.screen(**query)
        self.assertEqual(result["verdict"], "CLEAR")
        self.assertEqual([h for h in result["hits"] if h["entry_id"] == "EB-1"], [])
        self.assert_synced(t, hub)

        # nothing new: the same, nothing applied
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["seq"], status["applied"]), (0, 4, 0), err)

    def test_follow_reacts_to_push(self):
        # heartbeat and polling every 10 minutes: only the push can bring the change in time
        hub = self.new_hub(serve_args=("--heartbeat", "600", "--expiry", "1200"))
        t = self.new_terminal(hub)
        f = t.follow()
        f.wait_for(lambda l: l["connected"] and l["state"] == "current", "connected and current")
        for n in range(1, 4):
            hub.ingest(entry("EB-%d" % n))
            line = f.wait_for(lambda l: l["seq"] == n, "change %d" % n, timeout=30)
            self.assertEqual(line["entries"], n)
        self.assertEqual(sum(l["applied"] for l in f.lines), 3)
        self.assertEqual(f.stop(), 0)
        self.assert_synced(t, hub)

    def test_many_segments_and_a_snapshot(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "50"))
        for batch in range(6):
            hub.ingest(*[entry("EB-%d-%d" % (batch, i)) for i in range(20)])
        self.wait_for(lambda: hub.head()["snapshot"] is not None, "a snapshot")
        # one terminal walks the segments from an older position, one starts from the snapshot
        walker = self.new_terminal(hub, "T-WALK")
        rc, _, err = walker.sync_once()
        self.assertEqual(rc, 0, err)
        hub.ingest(*[entry("EB-X-%d" % i) for i in range(30)])
        rc, status, err = walker.sync_once()
        self.assertEqual((rc, status["applied"]), (0, 30), err)
        self.assert_synced(walker, hub)

        fresh = self.new_terminal(hub, "T-FRESH")
        rc, status, err = fresh.sync_once()
        self.assertEqual(rc, 0, err)
        self.assert_synced(fresh, hub)
        # the snapshot replaced the list in one step, recorded in the audit log
        rc, records, err = fresh.cli("audit", "list", "--db", fresh.db, "--key-file", fresh.key)
        if rc == 0:
            self.assertIn("list.replace", [r.get("action") for r in records])


class Outbox(synctest.SyncTestCase):
    def test_events_go_up_once(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        events = [event("note", text="n%d" % i) for i in range(5)] + [event("check")]
        rc, out, err = t.outbox_add(*events)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out[0], {"added": 6, "duplicates": 0, "rejected": 0, "outbox": 6, "errors": []})
        # the same lines again: nothing new
        rc, out, err = t.outbox_add(*events)
        self.assertEqual((out[0]["added"], out[0]["duplicates"], out[0]["outbox"]), (0, 6, 6))

        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["outbox"]), (0, 0), err)
        stored = hub.events()
        self.assertEqual(sorted(e["id"] for e in stored), sorted(e["id"] for e in events))
        for e in stored:
            self.assertEqual(e["terminal"], "T2-EXIT-07")
            self.assertEqual(set(e["audit"]), {"seq", "hash"})
        self.assertEqual({e["status"] for e in t.outbox_list()}, {"accepted"})

        # the same events resent many times (a terminal that never saw the receipts): stored once
        client = hub.client(t.bundle)
        body = "".join(json.dumps(dict(e, audit=s["audit"])) + "\n"
                       for e, s in zip(events, sorted(stored, key=lambda s: [x["id"] for x in events].index(s["id"]))))
        for _ in range(5):
            status_code, receipts = client.post_lines("/v1/events", body.encode())
            self.assertEqual(status_code, 200)
            self.assertEqual({r["status"] for r in receipts}, {"duplicate"})
        self.assertEqual(len(hub.events()), len(events))

    def test_receipts_lost_events_sent_again_stored_once(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        events = [event("note", text="n%d" % i) for i in range(4)]
        t.outbox_add(*events)
        # the store as it was before the upload: as if the terminal died before the receipts were written
        shutil.copy(t.db, t.db + ".before")
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["outbox"]), (0, 0), err)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(t.db + suffix):
                os.unlink(t.db + suffix)
        shutil.copy(t.db + ".before", t.db)
        self.assertEqual({e["status"] for e in t.outbox_list()}, {"pending"})
        for _ in range(3):
            rc, status, err = t.sync_once()
            self.assertEqual((rc, status["outbox"]), (0, 0), err)
        self.assertEqual({e["status"] for e in t.outbox_list()}, {"duplicate"})
        self.assertEqual(len(hub.events()), 4)

    def test_truncated_audit_tail_caught_at_the_hub(self):
        # the terminal's audit log loses its tail after the hub has the
        # events that tail recorded (a store put back from a copy): the
        # chain is still whole locally, the hub sees the places reused
        hub = self.new_hub()
        t = self.new_terminal(hub)
        t.outbox_add(event("check"), event("decision", action="allow_exit"))
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["outbox"]), (0, 0), err)
        shutil.copy(t.db, t.db + ".copy")
        t.outbox_add(event("check", verdict="STOP"), event("decision", action="deny_exit"))
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["outbox"]), (0, 0), err)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(t.db + suffix):
                os.unlink(t.db + suffix)
        shutil.copy(t.db + ".copy", t.db)
        rc, out, err = t.cli("audit", "verify", "--db", t.db, "--key-file", t.key)
        self.assertEqual(rc, 0, err)
        # a shift closed now: no event on either side, but the chain's head is behind
        rc, out, err = t.cli("reconcile", "--db", t.db, "--key-file", t.key, "--enrollment", t.bundle,
                             "--shift", "S-CUT", "--opened-at", "2026-12-07T00:00:00Z",
                             "--closed-at", "2026-12-07T01:00:00Z")
        self.assertEqual(rc, 1, err)
        answer = out[0]
        self.assertEqual((answer["status"], answer["hub_lacks"], answer["hub_extra"]), ("discrepancy", [], []))
        self.assertEqual(answer["audit"]["status"], "break")
        self.assertIn("lost its tail", answer["audit"]["reason"])
        later = event("note", text="after the cut")
        t.outbox_add(later)
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["outbox"]), (0, 0), err)
        self.assertEqual(len(hub.events()), 5)
        day = time.strftime("%Y-%m-%d", time.gmtime())
        report = synctest.hubtest.run("report", "--dir", hub.dir, "--day", day, "--airport", "HAN")[1][0]
        self.assertEqual([(b["event"], b["terminal"]) for b in report["audit_breaks"]], [(later["id"], "T2-EXIT-07")])
        self.assertLessEqual(report["audit_breaks"][0]["seq"], report["audit_breaks"][0]["head_seq"])

    def test_malformed_events_refused_at_the_terminal(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        ok = event("note")
        rc, out, err = t.cli("outbox", "add", "--db", t.db, "--key-file", t.key,
                             input=json.dumps(ok) + "\nnot json\n" + json.dumps(dict(event(), type="gossip")) +
                             "\n" + json.dumps(dict(event(), audit={"seq": 1, "hash": "0" * 64})) + "\n")
        self.assertEqual(rc, 1, err)
        self.assertEqual((out[0]["added"], out[0]["rejected"]), (1, 3))
        self.assertEqual([e["line"] for e in out[0]["errors"]], [2, 3, 4])

    def test_reconcile(self):
        hub = self.new_hub()
        t = self.new_terminal(hub)
        events = [event("note"), event("check"), event("check")]
        t.outbox_add(*events)
        rc, out, err = t.cli("reconcile", "--db", t.db, "--key-file", t.key, "--enrollment", t.bundle,
                             "--shift", "S1", "--opened-at", "2026-12-06T00:00:00Z",
                             "--closed-at", "2026-12-06T08:00:00Z")
        self.assertEqual(rc, 0, err)
        answer = out[0]
        self.assertEqual((answer["shift"], answer["status"], answer["events"]), ("S1", "ok", 3))
        self.assertEqual((answer["hub_lacks"], answer["hub_extra"]), ([], []))
        self.assertEqual(answer["audit"]["status"], "ok")
        self.assertEqual(answer["audit"]["seq"], max(e["audit"]["seq"] for e in hub.events()))
        # the hub holds an event of this terminal that the terminal does not: a discrepancy
        extra = event("note", at="2026-12-06T07:00:00Z")
        code, receipts = hub.client(t.bundle).post_lines("/v1/events", synctest.lines(extra))
        self.assertEqual(receipts[0]["status"], "accepted")
        rc, out, err = t.cli("reconcile", "--db", t.db, "--key-file", t.key, "--enrollment", t.bundle,
                             "--shift", "S1")
        self.assertEqual(rc, 1, err)
        self.assertEqual((out[0]["status"], out[0]["hub_extra"]), ("discrepancy", [extra["id"]]))
        self.assertEqual(out[0]["opened_at"], "2026-12-06T00:00:00.000Z")
        report = synctest.hubtest.run("report", "--dir", hub.dir, "--day", "2026-12-06", "--airport", "HAN")[1][0]
        self.assertEqual(report["discrepancies"], 1)


class Mirrors(synctest.SyncTestCase):
    def test_feed_from_a_mirror_events_to_the_hub(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "3"))
        hub.ingest(*[entry("EB-%d" % i) for i in range(5)])
        self.wait_for(lambda: hub.head()["snapshot"] is not None, "a snapshot")
        hub.ingest(entry("EB-9"))
        mirror = self.new_mirror(hub)
        t = self.new_terminal(hub)
        e = event("note")
        t.outbox_add(e)
        rc, status, err = t.sync_once(feed=mirror.url)
        self.assertEqual(rc, 0, err)
        self.assertEqual((status["seq"], status["entries"], status["outbox"]), (6, 6, 0))
        self.assert_synced(t, hub)
        self.assertEqual([x["id"] for x in hub.events()], [e["id"]])
        # a mirror URL without the trailing slash is the same base
        rc, status, err = t.sync_once(feed=mirror.url.rstrip("/"))
        self.assertEqual(rc, 0, err)


class Attacks(synctest.SyncTestCase):
    """Each attack leaves the store unchanged (exit 1) or correctly
    repaired from the snapshot (exit 0, the hub's state)."""

    def setUp(self):
        super().setUp()
        self.hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "1000000"))
        self.hub.ingest(entry("EB-1"), entry("EB-2"))
        self.hub.ingest(entry("EB-3"))
        self.t = self.new_terminal(self.hub)
        rc, _, err = self.t.sync_once()
        self.assertEqual(rc, 0, err)
        self.head_at_3 = self.hub.get("/v1/feed/head")
        self.hub.ingest(entry("EB-4"), entry("EB-1", version=2, status="cancelled"))
        self.hub.ingest(entry("EB-5"))
        self.mirror = self.new_mirror(self.hub)
        self.before = self.t.snapshot()

    def refused(self, *needles):
        rc, status, err = self.t.sync_once(feed=self.mirror.url)
        self.assertEqual(rc, 1, "expected a refusal: %s %s" % (status, err))
        for needle in needles:
            self.assertIn(needle, err)
        self.assertEqual(self.t.snapshot(), self.before)
        self.assertEqual(status["seq"], self.before["feed_sequence"])
        self.assertIn("error", status)
        # and the genuine feed still applies afterwards
        rc, _, err = self.t.sync_once()
        self.assertEqual(rc, 0, err)
        self.assert_synced(self.t, self.hub)

    def head(self):
        return json.loads(self.mirror.read("head"))

    def put_head(self, head):
        self.mirror.write(canonical(head), "head")

    def test_bad_signature(self):
        head = self.head()
        head["signature"] = ("0" if head["signature"][0] != "0" else "1") + head["signature"][1:]
        self.put_head(head)
        self.refused("signature")

    def test_changed_head_old_signature(self):
        head = self.head()
        head["entries"] += 1
        self.put_head(head)
        self.refused("signature")

    def test_unknown_key(self):
        stranger = synctest.Key.generate(self.work)
        self.put_head(stranger.sign(self.head()))
        self.refused(stranger.key_id)

    def test_replayed_older_head(self):
        rc, _, err = self.t.sync_once()
        self.assertEqual(rc, 0, err)
        self.before = self.t.snapshot()
        self.assertEqual(self.before["feed_sequence"], 6)
        # the hub's own head at change 3, validly signed, replayed
        self.mirror.write(self.head_at_3, "head")
        rc, status, err = self.t.sync_once(feed=self.mirror.url)
        self.assertEqual(rc, 1, err)
        self.assertIn("below change 6", err)
        self.assertEqual(self.t.snapshot(), self.before)

    def test_expired_head_is_stale(self):
        scene = self.new_hub(name="short", serve_args=("--heartbeat", "1", "--expiry", "2"))
        scene.ingest(entry("EB-1"))
        t = self.new_terminal(scene, "T-STALE")
        rc, status, err = t.sync_once()
        self.assertEqual((rc, status["stale"]), (0, False), err)
        # a mirror that stopped updating: its head expires
        mirror = self.new_mirror(scene, "stale-mirror")
        mirror.write(scene.get("/v1/feed/head"), "head")
        scene.stop()
        time.sleep(3.5)
        rc, status, err = t.sync_once(feed=mirror.url)
        self.assertEqual(rc, 3, err)
        self.assertTrue(status["stale"])
        self.assertGreaterEqual(status["age_s"], 3)
        self.assertEqual(status["seq"], 1)

    def segment_path(self):
        first = self.mirror.segments()
        # the first segment the terminal needs (it is at change 3)
        return [n for n in first if n == 4][0]

    def edit_segment(self, edit):
        n = self.segment_path()
        data = self.mirror.read("segments", str(n))
        self.mirror.write(edit(data), "segments", str(n))

    def test_truncated_segment(self):
        self.edit_segment(lambda d: d[:d.rstrip(b"\n").rfind(b"\n") + 1])
        self.refused("segment")

    def test_truncated_mid_line(self):
        self.edit_segment(lambda d: d[:len(d) - 20])
        self.refused("segment")

    def test_reordered_segment(self):
        def swap(d):
            header, a, b, rest = d.split(b"\n", 3)
            return b"\n".join([header, b, a, rest])
        self.edit_segment(swap)
        self.refused("segment")

    def test_duplicated_line(self):
        def dup(d):
            header, a, rest = d.split(b"\n", 2)
            return b"\n".join([header, a, a, rest])
        self.edit_segment(dup)
        self.refused("segment")

    def test_altered_entry(self):
        self.edit_segment(lambda d: d.replace(b"EB-4", b"EB-7", 1))
        self.refused("segment")

    def test_altered_header(self):
        self.edit_segment(lambda d: d.replace(b'"entries":4', b'"entries":5', 1))
        self.refused("segment")

    def forge(self, state=None, entries=None, prev=None, changes=None):
        """A segment 4-5 signed with the hub's own key (a compromised
        signer, or a bug): it passes every signature check."""
        key = self.hub.key()
        real = self.mirror.read("segments", "4")
        header = json.loads(real.split(b"\n", 1)[0])
        if changes is None:
            changes = [json.loads(l)["entry"] for l in real.split(b"\n")[1:] if l]
        data = make_segment(key, 4, prev or header["prev_hash"], changes, state or header["state_hash"],
                            header["entries"] if entries is None else entries, header["issued_at"])
        self.mirror.write(data, "segments", "4")
        head = self.head()
        head["segment"] = {"first_seq": 4, "last_seq": 5, "hash": hashlib.sha256(data).hexdigest()}
        head["state_hash"] = state or head["state_hash"]
        head["entries"] = head["entries"] if entries is None else entries
        head["seq"] = 5
        # segment 6 is dropped: the forged head ends at 5
        os.unlink(self.mirror.path("segments", "6"))
        self.put_head(key.sign(head))

    def test_wrong_state_hash_no_snapshot(self):
        self.forge(state="ab" * 32)
        self.refused("state")

    def test_wrong_entry_count_no_snapshot(self):
        self.forge(entries=99)
        self.refused()

    def test_broken_chain_no_snapshot(self):
        self.forge(prev="cd" * 32)
        self.refused("does not continue")

    def test_gap_no_snapshot(self):
        os.unlink(self.mirror.path("segments", "4"))
        self.refused("no segment")

    def test_tampered_snapshot_refused(self):
        scene = self.new_hub(name="snap", serve_args=("--heartbeat", "5", "--snapshot-every", "3"))
        scene.ingest(*[entry("EB-%d" % i) for i in range(4)])
        self.wait_for(lambda: scene.head()["snapshot"] is not None, "a snapshot")
        mirror = self.new_mirror(scene, "snap-mirror")
        name = os.listdir(mirror.path("snapshots"))[0]
        data = bytearray(mirror.read("snapshots", name))
        data[len(data) // 2] ^= 0x01
        mirror.write(bytes(data), "snapshots", name)
        t = self.new_terminal(scene, "T-SNAP")
        rc, status, err = t.sync_once(feed=mirror.url)
        self.assertEqual(rc, 1, err)
        self.assertIn("snapshot", err)
        self.assertEqual((status["seq"], status["entries"]), (0, 0))
        # an oversized one is cut off at the announced size
        mirror.write(bytes(data) + b"\0" * 100000, "snapshots", name)
        rc, status, err = t.sync_once(feed=mirror.url)
        self.assertEqual(rc, 1, err)
        self.assertEqual(status["seq"], 0)
        rc, status, err = t.sync_once()
        self.assertEqual(rc, 0, err)
        self.assert_synced(t, scene)


class Repairs(synctest.SyncTestCase):
    """A broken chain, a gap or a state mismatch is repaired from the
    snapshot: the list is replaced atomically by the hub's."""

    def scene(self):
        hub = self.new_hub(serve_args=("--heartbeat", "5", "--snapshot-every", "4"))
        hub.ingest(entry("EB-1"), entry("EB-2"))
        t = self.new_terminal(hub)
        rc, _, err = t.sync_once()
        self.assertEqual(rc, 0, err)
        hub.ingest(*[entry("EB-%d" % i) for i in range(3, 8)])
        self.wait_for(lambda: (hub.head()["snapshot"] or {}).get("seq") == 7, "the snapshot at 7")
        hub.ingest(entry("EB-8"))
        return hub, t, self.new_mirror(hub)

    def test_gap_repaired_from_snapshot(self):
        hub, t, mirror = self.scene()
        os.unlink(mirror.path("segments", "3"))
        rc, status, err = t.sync_once(feed=mirror.url)
        self.assertEqual(rc, 0, err)
        self.assertEqual(status["seq"], 8)
        self.assert_synced(t, hub)

    def test_local_list_changed_repaired_from_snapshot(self):
        # the terminal's list was changed behind the feed's back (an import by hand):
        # the next segment does not lead to the announced state, the snapshot repairs it
        hub, t, mirror = self.scene()
        rc, out, err = t.cli("list", "import", "--db", t.db, "--key-file", t.key,
                             input=synctest.lines(entry("LOCAL-1")).decode())
        self.assertEqual(rc, 0, err)
        rc, status, err = t.sync_once(feed=mirror.url)
        self.assertEqual(rc, 0, err)
        self.assert_synced(t, hub)
        self.assertEqual(t.screen(document_number=passport_of("LOCAL-1"), issuing_state="VNM")["verdict"], "CLEAR")


if __name__ == "__main__":
    synctest.main(Flow, Outbox, Mirrors, Attacks, Repairs)
