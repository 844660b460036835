# hubtest.py: plumbing for the touchpoint-hub tests: real hub processes on
# loopback with real TLS, a throwaway PostgreSQL cluster, and checks of the
# feed made with OpenSSL and Python alone (not with the hub's own code).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import gzip
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HUB = os.environ.get("TOUCHPOINT_HUB", "touchpoint-hub")
BACKEND = os.environ.get("TP_HUB_BACKEND", "sqlite")
PG_BIN = "/usr/lib/postgresql/15/bin"
WAIT = 60  # seconds: generous, the machine is shared


def main(*case_classes):
    """Runs the TestCase classes, prints "N passed, N failed[, N skipped]"."""
    suite = unittest.TestSuite()
    for cls in case_classes:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(cls))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print("%d passed, %d failed%s" % (result.testsRun - failed - skipped, failed,
                                       ", %d skipped" % skipped if skipped else ""))
    PostgresCluster.stop_shared()
    sys.exit(0 if result.wasSuccessful() else 1)


def run(*args, check=True):
    """touchpoint-hub ARGS; returns (exit status, parsed JSON lines)."""
    p = subprocess.run([HUB] + list(args), capture_output=True, text=True, timeout=WAIT)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    if check and p.returncode != 0:
        raise AssertionError("touchpoint-hub %s: exit %d\n%s%s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p.returncode, lines


def canonical(obj):
    """RFC 8785 for the feed's JSON subset (docs/feed.md §2)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ed25519_verify(public_hex, data, signature_hex, workdir):
    """Verifies with the openssl command, from the raw public key."""
    der = bytes.fromhex("302a300506032b6570032100") + bytes.fromhex(public_hex)
    pem = "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % base64.b64encode(der).decode()
    fd, key = tempfile.mkstemp(dir=workdir)
    os.write(fd, pem.encode())
    os.close(fd)
    fd, msg = tempfile.mkstemp(dir=workdir)
    os.write(fd, data)
    os.close(fd)
    fd, sig = tempfile.mkstemp(dir=workdir)
    os.write(fd, bytes.fromhex(signature_hex))
    os.close(fd)
    p = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", msg,
                        "-sigfile", sig], capture_output=True)
    for f in (key, msg, sig):
        os.unlink(f)
    return p.returncode == 0


def verify_document(doc, keys, workdir):
    """A signed feed document against {key_id: public_hex}: True or False."""
    unsigned = dict(doc)
    signature = unsigned.pop("signature")
    key = keys.get(doc["key_id"])
    return key is not None and ed25519_verify(key, canonical(unsigned), signature, workdir)


def state_hash(entries_json):
    """The state hash of canonical entry JSON strings (bytes)."""
    total = 0
    for e in entries_json:
        total = (total + int.from_bytes(hashlib.sha256(e).digest(), "big")) % (1 << 256)
    return total.to_bytes(32, "big").hex()


def entry(id_, version=1, agency="customs", status="active", until="2026-07-16", visibility=("immigration",),
          **person):
    p = {"full_name": "Nguyễn Văn An", "birth_date": "1980-05-17", "sex": "M", "nationality": "VNM",
         "identifiers": [{"type": "passport",
                          "value": "C%07d" % (int(hashlib.sha256(id_.encode()).hexdigest(), 16) % 10**7),
                          "country": "VNM"}]}
    p.update(person)
    e = {"id": id_, "version": version, "list": "exit_ban", "status": status, "agency": agency,
         "action": "deny_exit", "person": p,
         "basis": {"reference": "1234/TB-HQ", "issued_at": "2026-01-16", "reason": "tax_debt"},
         "effective_from": "2026-01-16", "effective_until": until}
    if visibility is not None:
        e["visibility"] = list(visibility)
    return e


def lines(*objs):
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs).encode()


class PostgresCluster:
    """A throwaway cluster on a Unix socket in a temporary directory."""
    shared = None

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tp-pg-")
        self.data = os.path.join(self.dir, "data")
        self.count = 0
        as_postgres = []
        if os.geteuid() == 0:
            # initdb refuses to run as root (PLATFORM.md)
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
            as_postgres = ["runuser", "-u", "postgres", "--"]
        self.prefix = as_postgres
        subprocess.run(self.prefix + [PG_BIN + "/initdb", "-D", self.data, "-A", "trust", "-U", "tp"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(self.prefix + [PG_BIN + "/pg_ctl", "-D", self.data, "-w", "-t", "120",
                                      "-o", "-k %s -c listen_addresses='' -c fsync=on" % self.dir,
                                      "-l", os.path.join(self.dir, "log"), "start"],
                       check=True, capture_output=True, timeout=180)

    @classmethod
    def get(cls):
        if cls.shared is None:
            cls.shared = PostgresCluster()
        return cls.shared

    @classmethod
    def stop_shared(cls):
        if cls.shared is not None:
            cls.shared.stop()
            cls.shared = None

    def new_database(self):
        self.count += 1
        name = "hub%d" % self.count
        subprocess.run([PG_BIN + "/psql", "-h", self.dir, "-U", "tp", "-d", "postgres", "-q",
                        "-c", "CREATE DATABASE %s" % name], check=True, capture_output=True, timeout=60)
        return "postgresql://tp@/%s?host=%s" % (name, self.dir)

    def stop(self):
        subprocess.run(self.prefix + [PG_BIN + "/pg_ctl", "-D", self.data, "-m", "immediate", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)


class Client:
    """A bundle (cert.pem, key.pem, ca.pem) and HTTPS requests with it."""

    def __init__(self, bundle, port):
        self.bundle = bundle
        self.port = port
        self.context = ssl.create_default_context(cafile=os.path.join(bundle, "ca.pem"))
        self.context.load_cert_chain(os.path.join(bundle, "cert.pem"), os.path.join(bundle, "key.pem"))

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=WAIT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def post_lines(self, path, body):
        status, _, data = self.request("POST", path, body)
        receipts = [json.loads(l) for l in data.decode().splitlines()] if status == 200 else data.decode()
        return status, receipts

    def get_json(self, path):
        status, headers, data = self.request("GET", path)
        assert status == 200, (path, status, data)
        return json.loads(data)

    def websocket(self, path="/v1/push"):
        return WebSocket(self, path)


class WebSocket:
    """Just enough of RFC 6455 for the push channel (text frames in,
    control frames answered)."""

    def __init__(self, client, path):
        raw = socket.create_connection(("127.0.0.1", client.port), timeout=WAIT)
        self.sock = client.context.wrap_socket(raw, server_hostname="127.0.0.1")
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                           % (path, client.port, key)).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.decode(errors="replace"))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _send(self, opcode, payload):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self, timeout=WAIT):
        """The next text message as JSON; None when the hub closed."""
        self.sock.settimeout(timeout)
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0f, b1 & 0x7f
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            if opcode == 1:
                return json.loads(payload)
            if opcode == 8:
                return None
            if opcode == 9:
                self._send(10, payload)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Hub:
    """One hub directory and its serve process."""

    def __init__(self, workdir, name="hub", serve_args=(), backend=None):
        self.workdir = workdir
        self.dir = os.path.join(workdir, name)
        self.backend = backend or BACKEND
        self.database = PostgresCluster.get().new_database() if self.backend == "postgresql" else None
        self.serve_args = list(serve_args)
        self.process = None
        self.log = []
        self.port = None
        run("init", "--dir", self.dir)
        self.keys = {k["key_id"]: k["public_key"] for k in self.read_json("feed-keys.json", self.bundle("customs"))["keys"]}

    def db_args(self):
        return ["--database", self.database] if self.database else []

    def bundle(self, agency):
        out = os.path.join(self.workdir, "%s-%s" % (os.path.basename(self.dir), agency))
        if not os.path.exists(os.path.join(out, "cert.pem")):
            run("agency", "add", "--dir", self.dir, agency, "--out", out)
        return out

    def terminal(self, terminal, airport="HAN", checkpoint="T2-EXIT", supervisor=False):
        out = os.path.join(self.workdir, "%s-%s" % (os.path.basename(self.dir), terminal))
        args = ["enroll", "--dir", self.dir, "--airport", airport, "--checkpoint", checkpoint,
                "--terminal", terminal, "--out", out]
        if supervisor:
            args.append("--supervisor")
        run(*args)
        return out

    @staticmethod
    def read_json(name, folder):
        with open(os.path.join(folder, name)) as f:
            return json.load(f)

    def start(self, extra=()):
        args = [HUB, "serve", "--dir", self.dir, "--listen", "127.0.0.1:0"] + self.db_args() + self.serve_args + list(extra)
        # standard error to a file: a pipe nobody reads could fill up and stall the hub
        self.stderr = open(os.path.join(self.workdir, "%s-serve.err" % os.path.basename(self.dir)), "a+")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        first = self.process.stdout.readline()
        if not first:
            self.process.wait(timeout=WAIT)
            self.stderr.seek(0)
            raise AssertionError("serve did not start: %s" % self.stderr.read())
        hello = json.loads(first)
        self.port = hello["port"]
        self.log = [hello]
        self.reader = threading.Thread(target=self._read_log, args=(self.process,), daemon=True)
        self.reader.start()
        return hello

    def _read_log(self, process):
        for line in process.stdout:
            if line.strip():
                self.log.append(json.loads(line))

    def client(self, bundle):
        return Client(bundle, self.port)

    def stop(self):
        """SIGTERM; returns the exit status."""
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


class HubTestCase(unittest.TestCase):
    serve_args = ()

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="tp-hub-test-")
        self.hubs = []

    def tearDown(self):
        for hub in self.hubs:
            hub.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def new_hub(self, name="hub", serve_args=None, start=True):
        hub = Hub(self.work, name, self.serve_args if serve_args is None else serve_args)
        self.hubs.append(hub)
        if start:
            hub.start()
        return hub

    def wait_for(self, predicate, what, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        notes = [json.dumps(l) for hub in self.hubs for l in hub.log if "status" not in l]
        self.fail("timed out waiting for %s; the hubs said:\n%s" % (what, "\n".join(notes[-20:])))

    def check_feed(self, client, keys):
        """Walks the whole feed from segment 1 as a terminal would, checking
        every signature with OpenSSL, the chain, the body hashes and the
        state hash; returns (head, {id: canonical entry bytes})."""
        head = client.get_json("/v1/feed/head")
        self.assertTrue(verify_document(head, keys, self.work), "head signature")
        current = {}
        prev = "0" * 64
        seq = 0
        while seq < head["seq"]:
            status, headers, data = client.request("GET", "/v1/feed/segments/%d" % (seq + 1))
            self.assertEqual(status, 200, "segment %d" % (seq + 1))
            self.assertEqual(headers.get("ETag"), '"%s"' % hashlib.sha256(data).hexdigest())
            self.assertIn("immutable", headers.get("Cache-Control", ""))
            first, _, body = data.partition(b"\n")
            header = json.loads(first)
            self.assertEqual(canonical(header), first, "segment header is canonical")
            self.assertTrue(verify_document(header, keys, self.work), "segment signature")
            self.assertEqual(header["first_seq"], seq + 1)
            self.assertEqual(header["prev_hash"], prev)
            self.assertEqual(header["body_sha256"], hashlib.sha256(body).hexdigest())
            for line in body.splitlines():
                change = json.loads(line)
                seq += 1
                self.assertEqual(change["seq"], seq)
                current[change["entry"]["id"]] = canonical(change["entry"])
            self.assertEqual(seq, header["last_seq"])
            self.assertEqual(header["state_hash"], state_hash(current.values()))
            self.assertEqual(header["entries"], len(current))
            prev = hashlib.sha256(data).hexdigest()
        if head["seq"] > 0:
            self.assertEqual(head["segment"]["hash"], prev)
        self.assertEqual(head["state_hash"], state_hash(current.values()))
        self.assertEqual(head["entries"], len(current))
        return head, current
