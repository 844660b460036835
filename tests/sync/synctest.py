# synctest.py: plumbing for the sync tests: a real touchpoint-hub process
# on loopback (mutual TLS), terminals as touchpoint-cli processes, feed
# mirrors on a small static HTTP server, and forged feed documents signed
# with OpenSSL (with the hub's own keys, or with keys of nobody's).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import functools
import gzip
import hashlib
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hub"))
import hubtest  # noqa: E402
from hubtest import canonical, lines, verify_document, state_hash  # noqa: E402,F401

HUB = hubtest.HUB
CLI = os.environ.get("TOUCHPOINT_CLI", "touchpoint-cli")
WAIT = 90  # seconds: generous, the machine is shared
main = hubtest.main


def free_port():
    """A port free now on 127.0.0.1 (the hub's URL is fixed at init, so it
    cannot take port 0; restarts reuse it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entry(id_, version=1, until="2030-12-31", **kw):
    """A list entry in force (BRIEF §2)."""
    return hubtest.entry(id_, version=version, until=until, **kw)


def passport_of(id_):
    return entry(id_)["person"]["identifiers"][0]["value"]


def event(type_="note", **members):
    e = {"id": str(uuid.uuid4()), "type": type_, "at": "2026-12-06T06:09:22.123Z",
         "case_id": str(uuid.uuid4()), "officer": "IMM-01", "role": "immigration"}
    if type_ == "check":
        e.update({"verdict": "CLEAR", "list_seq": 0, "document": None, "verified": True, "hits": [], "flight": None})
    elif type_ == "note":
        e["text"] = "checked"
    elif type_ == "escalation":
        e.update({"reason": "probable hit", "verdict": "REVIEW"})
    e.update(members)
    return e


def ed25519_sign(pem_path, data, workdir):
    fd, msg = tempfile.mkstemp(dir=workdir)
    os.write(fd, data)
    os.close(fd)
    try:
        p = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", pem_path, "-rawin", "-in", msg],
                           capture_output=True, check=True)
    finally:
        os.unlink(msg)
    return p.stdout.hex()


class Key:
    """An Ed25519 private key (PEM file) and its key id."""

    def __init__(self, pem_path, workdir):
        self.pem = pem_path
        self.workdir = workdir
        der = subprocess.run(["openssl", "pkey", "-in", pem_path, "-pubout", "-outform", "DER"],
                             capture_output=True, check=True).stdout
        self.public = der[-32:]
        self.key_id = hashlib.sha256(self.public).hexdigest()[:16]

    @classmethod
    def generate(cls, workdir):
        fd, path = tempfile.mkstemp(dir=workdir, suffix=".pem")
        os.close(fd)
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", path], check=True,
                       capture_output=True)
        return cls(path, workdir)

    def sign(self, doc):
        """The document with key_id and signature (docs/feed.md §2)."""
        doc = dict(doc)
        doc.pop("signature", None)
        doc["key_id"] = self.key_id
        doc["signature"] = ed25519_sign(self.pem, canonical(doc), self.workdir)
        return doc


def make_segment(key, first_seq, prev_hash, changes, state, entries, issued_at="2026-12-06T06:00:00Z"):
    """The bytes of a signed segment (docs/feed.md §4); @changes: entry dicts."""
    body = b"".join(canonical({"entry": e, "seq": first_seq + i}) + b"\n" for i, e in enumerate(changes))
    header = {"type": "segment", "first_seq": first_seq, "last_seq": first_seq + len(changes) - 1,
              "changes": len(changes), "prev_hash": prev_hash, "body_sha256": hashlib.sha256(body).hexdigest(),
              "state_hash": state, "entries": entries, "issued_at": issued_at}
    return canonical(key.sign(header)) + b"\n" + body


class Hub:
    """One hub directory on a fixed loopback port, and its serve process."""

    def __init__(self, workdir, name="hub", serve_args=()):
        self.workdir = workdir
        self.dir = os.path.join(workdir, name)
        self.port = free_port()
        self.url = "https://127.0.0.1:%d/" % self.port
        self.serve_args = list(serve_args)
        self.process = None
        self.log = []
        hubtest.run("init", "--dir", self.dir, "--url", self.url)
        with open(os.path.join(self.dir, "hub.json")) as f:
            self.active_key_id = json.load(f)["active_key"]
        self.customs = self.bundle("customs")

    def key(self, key_id=None):
        return Key(os.path.join(self.dir, "feed-keys", (key_id or self.active_key_id) + ".pem"), self.workdir)

    def bundle(self, agency):
        out = os.path.join(self.workdir, "%s-%s" % (os.path.basename(self.dir), agency))
        if not os.path.exists(os.path.join(out, "cert.pem")):
            hubtest.run("agency", "add", "--dir", self.dir, agency, "--out", out)
        return out

    def enroll(self, terminal, airport="HAN", checkpoint="T2-EXIT", supervisor=False):
        out = os.path.join(self.workdir, "%s-%s" % (os.path.basename(self.dir), terminal))
        args = ["enroll", "--dir", self.dir, "--airport", airport, "--checkpoint", checkpoint,
                "--terminal", terminal, "--out", out]
        if supervisor:
            args.append("--supervisor")
        hubtest.run(*args)
        return out

    def start(self, extra=()):
        args = [HUB, "serve", "--dir", self.dir, "--listen", "127.0.0.1:%d" % self.port] + self.serve_args + list(extra)
        deadline = time.monotonic() + WAIT
        while True:
            self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            first = self.process.stdout.readline()
            if first:
                break
            err = self.process.stderr.read()
            self.process.wait()
            # the port of a hub just killed can linger a moment
            if "in use" not in err or time.monotonic() > deadline:
                raise AssertionError("serve did not start: %s" % err)
            time.sleep(0.2)
        self.log = [json.loads(first)]
        self.reader = threading.Thread(target=self._read_log, args=(self.process, self.log), daemon=True)
        self.reader.start()
        return self.log[0]

    @staticmethod
    def _read_log(process, log):
        for line in process.stdout:
            if line.strip():
                try:
                    log.append(json.loads(line))
                except ValueError:
                    log.append({"raw": line})

    def stop(self):
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        self.process = None
        return status

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)
        self.process = None

    def close(self):
        if self.process is not None:
            self.kill9()

    def client(self, bundle=None):
        return hubtest.Client(bundle or self.customs, self.port)

    def ingest(self, *entries, bundle=None):
        status, receipts = self.client(bundle).post_lines("/v1/entries", lines(*entries))
        assert status == 200, (status, receipts)
        return receipts

    def head(self):
        return self.client().get_json("/v1/feed/head")

    def get(self, path):
        status, _, data = self.client().request("GET", path)
        assert status == 200, (path, status)
        return data

    def events(self):
        p = subprocess.run([HUB, "events", "--dir", self.dir], capture_output=True, text=True, timeout=WAIT)
        assert p.returncode == 0, p.stderr + p.stdout
        return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]

    def export(self, out):
        hubtest.run("export-feed", "--dir", self.dir, "--out", out)
        return out

    def revoke(self, name):
        return hubtest.run("revoke", "--dir", self.dir, name)


class Mirror:
    """A feed tree served by a static HTTP server on loopback (what any web
    server or cache would do with `export-feed`'s output)."""

    def __init__(self, root):
        self.root = root
        handler = functools.partial(_QuietHandler, directory=root)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def read(self, *parts):
        with open(self.path(*parts), "rb") as f:
            return f.read()

    def write(self, data, *parts):
        with open(self.path(*parts), "wb") as f:
            f.write(data)

    def segments(self):
        return sorted(int(n) for n in os.listdir(self.path("segments")))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Follower:
    """`touchpoint-cli sync --follow` and the status lines it prints."""

    def __init__(self, terminal, args):
        self.terminal = terminal
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.errors = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _read(self):
        for line in self.process.stdout:
            if line.strip():
                self.lines.append(json.loads(line))

    def _read_err(self):
        for line in self.process.stderr:
            self.errors.append(line)

    def last(self):
        return self.lines[-1] if self.lines else None

    def mark(self):
        """Where the lines printed from now on start (for wait_for's since)."""
        return len(self.lines)

    def wait_for(self, predicate, what, timeout=WAIT, since=0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines)[since:]:
                if predicate(line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError("timed out waiting for %s; lines: %s; stderr: %s"
                             % (what, self.lines[-5:], "".join(self.errors[-20:])))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        return status

    def kill9(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)


class Terminal:
    """A terminal: its enrollment bundle, its store, and touchpoint-cli."""

    def __init__(self, workdir, hub, name, bundle=None):
        self.name = name
        self.hub = hub
        self.bundle = bundle or hub.enroll(name)
        self.db = os.path.join(workdir, name + ".db")
        self.key = os.path.join(workdir, name + ".key")
        self.followers = []

    def cli(self, *args, input=None, timeout=WAIT):
        p = subprocess.run([CLI] + list(args), capture_output=True, text=True, input=input, timeout=timeout)
        out = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        return p.returncode, out, p.stderr

    def sync_args(self, mode, feed=None):
        args = [CLI, "sync", "--db", self.db, "--key-file", self.key, "--enrollment", self.bundle, mode]
        if feed is not None:
            args += ["--feed", feed]
        return args

    def sync_once(self, feed=None):
        """(exit status, the status line, stderr)"""
        p = subprocess.run(self.sync_args("--once", feed), capture_output=True, text=True, timeout=WAIT)
        out = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        assert len(out) == 1, (p.stdout, p.stderr)
        return p.returncode, out[0], p.stderr

    def follow(self, feed=None):
        f = Follower(self, self.sync_args("--follow", feed))
        self.followers.append(f)
        return f

    def stats(self):
        rc, out, err = self.cli("list", "stats", "--db", self.db, "--key-file", self.key, "--no-self-check")
        assert rc == 0, err
        return out[0]

    def snapshot(self):
        """What must not change when the feed is refused: the list, its
        position, and the audit log's length."""
        s = self.stats()
        return {k: s[k] for k in ("entries", "versions", "feed_sequence", "state_hash", "audit_records")}

    def screen(self, **query):
        rc, out, err = self.cli("screen", "--db", self.db, "--key-file", self.key,
                                input=json.dumps(query) + "\n")
        assert rc == 0, err
        return out[0]

    def outbox_add(self, *events):
        return self.cli("outbox", "add", "--db", self.db, "--key-file", self.key, input=lines(*events).decode())

    def outbox_list(self):
        rc, out, err = self.cli("outbox", "list", "--db", self.db, "--key-file", self.key)
        assert rc == 0, err
        return out

    def close(self):
        for f in self.followers:
            f.kill9()


class SyncTestCase(unittest.TestCase):
    serve_args = ("--heartbeat", "5", "--expiry", "600")

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="tp-sync-test-")
        self.hubs = []
        self.terminals = []
        self.mirrors = []

    def tearDown(self):
        for t in self.terminals:
            t.close()
        for m in self.mirrors:
            m.close()
        for h in self.hubs:
            h.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def new_hub(self, name="hub", serve_args=None, start=True):
        hub = Hub(self.work, name, self.serve_args if serve_args is None else serve_args)
        self.hubs.append(hub)
        if start:
            hub.start()
        return hub

    def new_terminal(self, hub, name="T2-EXIT-07", bundle=None):
        t = Terminal(self.work, hub, name, bundle)
        self.terminals.append(t)
        return t

    def new_mirror(self, hub, name="mirror"):
        root = hub.export(os.path.join(self.work, name))
        m = Mirror(root)
        self.mirrors.append(m)
        return m

    def wait_for(self, predicate, what, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        self.fail("timed out waiting for " + what)

    def assert_synced(self, terminal, hub, rc_status=None):
        """The terminal's list is the hub's, at the hub's head."""
        head = hub.head()
        stats = terminal.stats()
        self.assertEqual(stats["feed_sequence"], head["seq"])
        self.assertEqual(stats["state_hash"], head["state_hash"])
        self.assertEqual(stats["entries"], head["entries"])
        return head
