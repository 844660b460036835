#!/usr/bin/env python3
# test_forgery.py: `touchpoint-cli read` against forged and cloned chips
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every case is a software-chip quirk or a test-PKI document that plays a
# forger; `read` must exit 1 for each and say why in "failures", while the
# genuine chip in the same situation still verifies (exit 0). The same
# cases run in-process in tests/test-verify.c and over PC/SC and libnfc in
# tests/test-pcsc-transport.c and tests/test-nfc-transport.c.

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import tpcli

CLI = tpcli.CLI


def run(args, timeout=120, stdin=None):
    return subprocess.run([CLI] + args, capture_output=True, text=True, timeout=timeout,
                          input=stdin)


def run_json(args, expected_status, stdin=None):
    proc = run(args, stdin=stdin)
    if proc.returncode != expected_status:
        raise AssertionError("exit %d (expected %d)\nstdout: %s\nstderr: %s"
                             % (proc.returncode, expected_status, proc.stdout, proc.stderr))
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    return json.loads(lines[0])


def sim_mrz(spec):
    return run_json(["sim", "info", spec], 0)["mrz"]


class Forgery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tp-cli-forgery-")
        cls.trust = os.path.join(cls.tmp, "trust")
        run_json(["sim", "export-trust", cls.trust], 0)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def read(self, spec, expected_status, extra=None):
        args = (["read", "--reader", "sim:" + spec, "--mrz"] + sim_mrz(spec)
                + ["--trust", self.trust] + (extra or []))
        return run_json(args, expected_status)

    def assert_failure(self, doc, *words):
        self.assertFalse(doc["verified"])
        for line in doc["failures"]:
            if all(w in line for w in words):
                return
        self.fail("no failure mentions %s: %s" % (words, doc["failures"]))

    # ---- 1. the data groups EF.SOD lists decide what must hold ----

    def test_com_hides_dg14_dg15(self):
        doc = self.read("full:clone,com-omits=DG14,com-omits=DG15", 1)
        self.assertEqual(doc["chip_auth"], "failed")
        self.assertEqual(doc["active_auth"], "failed")
        self.assertEqual(doc["passive_auth"]["result"], "valid")
        self.assert_failure(doc, "chip authentication")
        self.assert_failure(doc, "active authentication")
        self.assertTrue(any("EF.COM does not list DG14, DG15" in w for w in doc["warnings"]))

    def test_com_disagrees_with_sod(self):
        doc = self.read("full:com-omits=DG15", 0)
        self.assertEqual(doc["active_auth"], "valid")
        self.assertEqual(doc["failures"], [])
        self.assertTrue(any("EF.COM does not list DG15" in w for w in doc["warnings"]))

    def test_dg15_listed_not_read(self):
        doc = self.read("full:missing=DG15", 1)
        self.assertEqual(doc["active_auth"], "not_checked")
        self.assert_failure(doc, "active authentication", "DG15")

    # ---- 2. active authentication is never skipped ----

    def test_aa_in_pieces(self):
        doc = self.read("rsa-aa:no-extended", 0)
        self.assertFalse(doc["extended_length"])
        self.assertEqual(doc["active_auth"], "valid")

    def test_aa_clone_without_extended_length(self):
        doc = self.read("rsa-aa:clone,no-extended", 1)
        self.assertEqual(doc["active_auth"], "failed")

    def test_aa_clone_that_cannot_answer(self):
        doc = self.read("rsa-aa:clone,no-extended,no-chaining", 1)
        self.assertEqual(doc["active_auth"], "not_checked")
        self.assertIn("6700", doc["active_auth_reason"])
        self.assert_failure(doc, "active authentication", "DG15")


if __name__ == "__main__":
    tpcli.main(Forgery)
