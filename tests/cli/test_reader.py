#!/usr/bin/env python3
# test_reader.py: contract tests for `touchpoint-cli readers`, `read` and `sim`
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the real binary named by $TOUCHPOINT_CLI against the software chip,
# in-process (sim:) and behind the emulated PN532 ($TP_PN532_EMU, libnfc),
# and checks the JSON contract and the exit statuses: 0 read and verified,
# 1 read but a check failed, 2 could not read. (PC/SC through pcscd and
# vpcd is covered by tests/test-pcsc-transport.c, which also runs this
# command, since only one pcscd can run at a time.)

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import tpcli

CLI = tpcli.CLI
PN532_EMU = os.environ.get("TP_PN532_EMU")

READ_KEYS = ["access", "mapping", "sm", "dg1", "files", "face", "passive_auth",
             "chip_auth", "active_auth", "mrz_matches_dg1", "apdus", "bytes_in",
             "elapsed_ms"]
PA_KEYS = ["result", "signature", "hashes", "chain", "csca", "revocation", "errors"]
MRZ_KEYS = ["format", "valid", "document_code", "issuing_state", "document_number",
            "nationality", "birth_date", "birth_date_iso", "sex", "expiry_date",
            "expiry_date_iso", "optional_data", "primary_identifier",
            "secondary_identifier", "checks", "errors"]


def run(args, timeout=120):
    return subprocess.run([CLI] + args, capture_output=True, text=True, timeout=timeout)


def run_json(args, expected_status):
    proc = run(args)
    if proc.returncode != expected_status:
        raise AssertionError("exit %d (expected %d)\nstdout: %s\nstderr: %s"
                             % (proc.returncode, expected_status, proc.stdout, proc.stderr))
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    return json.loads(lines[0]), proc


def sim_mrz(spec):
    doc, _ = run_json(["sim", "info", spec], 0)
    return doc["mrz"]


class Common(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tp-cli-reader-")
        cls.trust = os.path.join(cls.tmp, "trust")
        out, _ = run_json(["sim", "export-trust", cls.trust], 0)
        assert out["trust"] == cls.trust

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def read(self, reader, spec, expected_status, extra=None, keys=None):
        if keys is None:
            keys = ["--mrz"] + sim_mrz(spec)
        args = ["read", "--reader", reader] + keys + ["--trust", self.trust] + (extra or [])
        return run_json(args, expected_status)[0]

    def assert_contract(self, doc):
        for key in READ_KEYS:
            self.assertIn(key, doc)
        self.assertEqual(list(doc.keys())[:len(READ_KEYS)], READ_KEYS)
        for key in PA_KEYS:
            self.assertIn(key, doc["passive_auth"])
        for key in MRZ_KEYS:
            self.assertIn(key, doc["dg1"])
        for name in ("COM", "SOD", "DG1", "DG2", "DG14", "DG15"):
            self.assertIn(name, doc["files"])
        self.assertIsInstance(doc["apdus"], int)
        self.assertIsInstance(doc["bytes_in"], int)
        self.assertIsInstance(doc["elapsed_ms"], int)


class Sim(Common):
    def test_readers(self):
        doc, _ = run_json(["readers"], 0)
        self.assertIn("readers", doc)
        sims = [r for r in doc["readers"] if r["kind"] == "sim"]
        self.assertTrue(any(r["connstring"] == "sim:pace-ecdh-aes128" for r in sims))
        for r in doc["readers"]:
            self.assertEqual(sorted(r.keys()), ["connstring", "kind", "name"])
            self.assertIn(r["kind"], ("nfc", "pcsc", "sim"))
        doc, _ = run_json(["readers", "--no-sim"], 0)
        self.assertFalse(any(r["kind"] == "sim" for r in doc["readers"]))

    def test_sim_list(self):
        doc, _ = run_json(["sim", "list"], 0)
        names = [p["name"] for p in doc["profiles"]]
        self.assertIn("bac-3des", names)
        self.assertIn("pace-ecdh-aes128", names)
        self.assertTrue(any(q["name"].startswith("drop-field") for q in doc["quirks"]))

    def test_pace_verified(self):
        doc = self.read("sim:pace-ecdh-aes128", "pace-ecdh-aes128", 0)
        self.assert_contract(doc)
        self.assertEqual(doc["access"], "PACE")
        self.assertEqual(doc["mapping"], "GM")
        self.assertEqual(doc["sm"], "AES-128")
        self.assertEqual(doc["dg1"]["document_number"], "C1234567")
        self.assertTrue(doc["dg1"]["valid"])
        self.assertEqual(doc["face"]["format"], "jpeg2000")
        self.assertEqual((doc["face"]["width"], doc["face"]["height"]), (480, 640))
        pa = doc["passive_auth"]
        self.assertEqual(pa["result"], "valid")
        self.assertTrue(pa["signature"])
        self.assertTrue(pa["chain"])
        self.assertEqual(pa["hashes"], {"DG1": True, "DG2": True, "DG14": True})
        self.assertTrue(pa["csca"].startswith("CN=Touchpoint Test CSCA"))
        self.assertEqual(pa["errors"], [])
        self.assertEqual(doc["chip_auth"], "valid")
        self.assertEqual(doc["active_auth"], "not_supported")
        self.assertEqual(doc["files"]["DG15"], 0)
        self.assertGreater(doc["files"]["DG2"], 20000)
        self.assertTrue(doc["mrz_matches_dg1"])
        self.assertGreater(doc["bytes_in"], 20000)

    def test_bac_fields_and_face(self):
        face = os.path.join(self.tmp, "face.jpg")
        mrz = sim_mrz("bac-3des")
        number, birth, expiry = mrz[1][0:9].rstrip("<"), mrz[1][13:19], mrz[1][21:27]
        doc = self.read("sim:bac-3des", "bac-3des", 0,
                        keys=["--doc", number, "--birth", birth, "--expiry", expiry],
                        extra=["--save-face", face])
        self.assertEqual(doc["access"], "BAC")
        self.assertIsNone(doc["mapping"])
        self.assertEqual(doc["sm"], "3DES")
        self.assertTrue(doc["mrz_matches_dg1"])
        with open(face, "rb") as f:
            self.assertEqual(f.read(3), b"\xff\xd8\xff")
        self.assertEqual(doc["face"]["format"], "jpeg")

    def test_can(self):
        doc = self.read("sim:full", "full", 0, keys=["--can", "123456"])
        self.assertEqual(doc["access"], "PACE")
        self.assertIsNone(doc["mrz_matches_dg1"])
        self.assertEqual(doc["active_auth"], "valid")
        self.assertIn("DG11", doc["files"])

    def read_stdin(self, keys, stdin, expected_status):
        proc = subprocess.run([CLI, "read", "--reader", "sim:full"] + keys + ["--trust", self.trust],
                              capture_output=True, text=True, timeout=120, input=stdin)
        self.assertEqual(proc.returncode, expected_status, proc.stderr)
        return json.loads(proc.stdout)

    def test_access_keys_on_stdin(self):
        # access keys out of the process list: --mrz - and --can -
        mrz = sim_mrz("full")
        doc = self.read_stdin(["--mrz", "-"], "\n".join(mrz) + "\n", 0)
        self.assertTrue(doc["mrz_matches_dg1"])
        # one run, as a keyboard-wedge reader types it
        doc = self.read_stdin(["--mrz", "-"], "".join(mrz), 0)
        self.assertTrue(doc["mrz_matches_dg1"])
        doc = self.read_stdin(["--can", "-"], "123456\n", 0)
        self.assertEqual(doc["access"], "PACE")
        doc = self.read_stdin(["--can", "-"], "", 2)
        self.assertEqual(doc["reason"], "usage")
        doc = self.read_stdin(["--can", "-"], "654321\n", 2)
        self.assertEqual(doc["reason"], "wrong_access_keys")
        proc = run(["read", "--help"])
        self.assertIn("--mrz -", proc.stdout)
        self.assertIn("--can -", proc.stdout)
        self.assertIn("standard input", proc.stdout)

    def test_short_reads(self):
        doc = self.read("sim:pace-ecdh-aes128", "pace-ecdh-aes128", 0,
                        extra=["--no-extended", "--max-read", "160"])
        self.assertFalse(doc["extended_length"])
        self.assertEqual(doc["read_size"], 160)
        self.assertGreater(doc["apdus"], 100)

    def test_wrong_mrz(self):
        doc, proc = run_json(["read", "--reader", "sim:bac-3des", "--doc", "X0000000",
                              "--birth", "800101", "--expiry", "300101"], 2)
        self.assertEqual(doc["reason"], "wrong_access_keys")
        self.assertIn("error", doc)
        self.assertIn("refused", proc.stderr)

    def test_no_card_reader(self):
        doc, _ = run_json(["read", "--reader", "nfc:pn532_uart:/nonexistent", "--can", "123456"], 2)
        self.assertEqual(doc["reason"], "no_reader")

    def test_usage(self):
        doc, _ = run_json(["read", "--reader", "sim:bac-3des"], 2)
        self.assertEqual(doc["reason"], "usage")
        doc, _ = run_json(["read", "--mrz", "X", "--can", "123456", "--reader", "sim:bac-3des"], 2)
        self.assertEqual(doc["reason"], "usage")
        proc = run(["read", "--help"])
        self.assertEqual(proc.returncode, 0)
        self.assertIn("--reader", proc.stdout)
        doc, _ = run_json(["read", "--reader", "bogus:", "--can", "123456"], 2)
        self.assertEqual(doc["reason"], "no_reader")

    def test_tampered(self):
        doc = self.read("sim:pace-ecdh-aes128:tampered", "pace-ecdh-aes128", 1)
        pa = doc["passive_auth"]
        self.assertEqual(pa["result"], "invalid")
        self.assertTrue(pa["signature"])
        self.assertFalse(pa["hashes"]["DG2"])
        self.assertTrue(pa["hashes"]["DG1"])
        self.assertGreater(len(pa["errors"]), 0)

    def test_unknown_csca(self):
        doc = self.read("sim:pace-ecdh-aes128:unknown-csca", "pace-ecdh-aes128", 1)
        self.assertFalse(doc["passive_auth"]["chain"])
        self.assertIsNone(doc["passive_auth"]["csca"])

    def test_revoked_ds(self):
        doc = self.read("sim:bac-3des:revoked-ds", "bac-3des", 1)
        self.assertEqual(doc["passive_auth"]["revocation"], "revoked")

    def test_expired_ds(self):
        # ICAO 9303-12: a DS outlives the documents it signs. Expired while
        # the document is valid fails, unless the operator's policy accepts
        # it, which is said
        doc = self.read("sim:bac-3des:expired-ds", "bac-3des", 1)
        self.assertTrue(doc["passive_auth"]["ds_expired"])
        self.assertTrue(any(e.startswith("ds_expired") for e in doc["passive_auth"]["errors"]))
        doc = self.read("sim:bac-3des:expired-ds", "bac-3des", 0, extra=["--accept-expired-ds"])
        self.assertTrue(doc["passive_auth"]["ds_expired"])
        self.assertTrue(any("policy" in w for w in doc["passive_auth"]["warnings"]))

    def test_no_trust(self):
        mrz = sim_mrz("bac-3des")
        doc, _ = run_json(["read", "--reader", "sim:bac-3des", "--mrz"] + mrz, 1)
        self.assertFalse(doc["passive_auth"]["chain"])

    def test_clone(self):
        doc = self.read("sim:full:clone", "full", 1)
        self.assertEqual(doc["chip_auth"], "failed")
        self.assertEqual(doc["active_auth"], "failed")
        self.assertEqual(doc["passive_auth"]["result"], "valid")

    def test_mrz_mismatch(self):
        mrz = sim_mrz("bac-3des")
        mrz[0] = mrz[0].replace("NGUYEN", "NGUYEM")
        doc = self.read("sim:bac-3des", "bac-3des", 1, keys=["--mrz"] + mrz)
        self.assertFalse(doc["mrz_matches_dg1"])
        self.assertIn("primary identifier", doc["mrz_mismatch"])

    def test_garbage(self):
        doc, _ = run_json(["read", "--reader", "sim:pace-ecdh-aes128:garbage", "--mrz"]
                          + sim_mrz("pace-ecdh-aes128"), 2)
        self.assertIn(doc["reason"], ("chip_error", "communication_failure"))

    def test_lying_length(self):
        doc = self.read("sim:bac-3des:lying-length", "bac-3des", 1)
        self.assertIsNone(doc["face"])
        self.assertTrue(any("declares" in e for e in doc["errors"]))

    def test_drop_field(self):
        doc = self.read("sim:pace-ecdh-aes128:drop-field", "pace-ecdh-aes128", 0)
        self.assertEqual(doc["retries"], 1)


@unittest.skipUnless(PN532_EMU and os.path.exists(PN532_EMU), "TP_PN532_EMU not set")
class Nfc(Common):
    def emulate(self, spec):
        emu = subprocess.Popen([PN532_EMU, "--control", "--profile", spec],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        path = emu.stdout.readline().strip()
        self.assertTrue(path.startswith("/dev/"))
        self.addCleanup(self.stop, emu)
        return "nfc:pn532_uart:" + path

    def stop(self, emu):
        emu.stdin.close()
        emu.wait(timeout=30)
        emu.stdout.close()

    def test_read(self):
        reader = self.emulate("pace-ecdh-aes128")
        doc = self.read(reader, "pace-ecdh-aes128", 0)
        self.assert_contract(doc)
        self.assertEqual(doc["access"], "PACE")
        self.assertFalse(doc["extended_length"])
        self.assertEqual(doc["chip_auth"], "valid")
        self.assertEqual(doc["passive_auth"]["result"], "valid")

    def test_active_auth_in_pieces(self):
        # RSA-2048 active authentication behind a reader without extended
        # length: the signature comes back through GET RESPONSE
        reader = self.emulate("full")
        doc = self.read(reader, "full", 0)
        self.assertFalse(doc["extended_length"])
        self.assertEqual(doc["active_auth"], "valid")

    def test_forged_chips_exit_1(self):
        for spec, member, state in (("rsa-aa:clone,no-chaining", "active_auth", "not_checked"),
                                    ("rsa-aa:clone", "active_auth", "failed"),
                                    ("full:clone,com-omits=DG14,com-omits=DG15", "chip_auth", "failed"),
                                    ("full:signer=tls", "chip_auth", "valid")):
            with self.subTest(spec=spec):
                reader = self.emulate(spec)
                doc = self.read(reader, spec, 1)
                self.assertEqual(doc[member], state)
                self.assertFalse(doc["verified"])
                self.assertGreater(len(doc["failures"]), 0)

    def test_readers_lists_libnfc_device(self):
        reader = self.emulate("bac-3des")
        env = dict(os.environ, LIBNFC_DEVICE=reader[len("nfc:"):])
        proc = subprocess.run([CLI, "readers", "--no-sim"], capture_output=True, text=True,
                              timeout=60, env=env)
        self.assertEqual(proc.returncode, 0)
        doc = json.loads(proc.stdout)
        self.assertTrue(any(r["kind"] == "nfc" and r["connstring"] == reader for r in doc["readers"]),
                        proc.stdout)

    def test_wrong_mrz(self):
        reader = self.emulate("bac-3des")
        doc, _ = run_json(["read", "--reader", reader, "--doc", "X0000000",
                           "--birth", "800101", "--expiry", "300101"], 2)
        self.assertEqual(doc["reason"], "wrong_access_keys")

    def test_no_card(self):
        emu = subprocess.Popen([PN532_EMU, "--control", "--no-card"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        path = emu.stdout.readline().strip()
        self.addCleanup(self.stop, emu)
        doc, _ = run_json(["read", "--reader", "nfc:pn532_uart:" + path, "--can", "123456"], 2)
        self.assertEqual(doc["reason"], "no_card")


if __name__ == "__main__":
    tpcli.main(Sim, Nfc)
