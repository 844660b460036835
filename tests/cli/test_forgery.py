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
        cls.cases = os.path.join(cls.tmp, "cases")
        run_json(["sim", "export-cases", cls.cases], 0)

    def trust_dir(self, name, *files, without=()):
        """A trust directory: the test PKI's export less @without, plus
        @files of the exported cases; or only @files when @without is None."""
        path = os.path.join(self.tmp, name)
        if without is None:
            os.mkdir(path)
        else:
            shutil.copytree(self.trust, path)
            for f in without:
                os.unlink(os.path.join(path, f))
        for f in files:
            shutil.copy(os.path.join(self.cases, f), path)
        return path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def read(self, spec, expected_status, extra=None, trust=None):
        args = (["read", "--reader", "sim:" + spec, "--mrz"] + sim_mrz(spec)
                + ["--trust", trust or self.trust] + (extra or []))
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

    def test_dg15_withheld_and_left_off_com(self):
        # a chip that cannot do active authentication hides DG15 from EF.COM
        # as well: EF.SOD still lists it
        doc = self.read("full:com-omits=DG15,missing=DG15", 1)
        self.assertEqual(doc["active_auth"], "not_checked")
        self.assert_failure(doc, "active authentication", "DG15")
        self.assertTrue(any("EF.COM does not list DG15" in w for w in doc["warnings"]))

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


    # ---- 4. trust anchors only from those allowed to give them ----

    def test_master_list_signed_by_document_signer(self):
        # a Document Signer of a trusted CSCA signs a "master list" carrying
        # a rogue CSCA: the list is refused, the rogue CSCA's document fails
        trust = self.trust_dir("ml-by-ds", "csca-p256.pem", "ml-by-ds.ml", without=None)
        doc = self.read("full:signer=rogue-csca", 1, trust=trust)
        self.assertFalse(doc["passive_auth"]["chain"])

    def test_master_list_non_ca_not_anchors(self):
        # a proper list signer, but the list carries a Document Signer: it
        # does not become an anchor, and what it signed does not verify
        trust = self.trust_dir("ml-non-ca", "csca-p256.pem", "ml-with-non-ca.ml", without=None)
        doc = self.read("full:signer=rogue-csca", 1, trust=trust)
        self.assertFalse(doc["passive_auth"]["chain"])

    def assert_not_document_signer(self, signer, word):
        doc = self.read("full:signer=" + signer, 1)
        pa = doc["passive_auth"]
        self.assertEqual(pa["result"], "invalid")
        self.assertFalse(pa["ds_profile"])
        self.assertTrue(any(e.startswith("document_signer:") and word in e for e in pa["errors"]),
                        pa["errors"])

    def test_sod_signed_by_csca(self):
        self.assert_not_document_signer("csca", "CA certificate")

    def test_sod_signed_by_cert_sign_only(self):
        self.assert_not_document_signer("cert-sign-only", "digitalSignature")

    def test_sod_signed_by_tls_certificate(self):
        self.assert_not_document_signer("tls", "TLS Web Server")

    def test_sod_signed_by_master_list_signer(self):
        self.assert_not_document_signer("master-list-signer", "master list")

    def test_country_mismatch(self):
        # Germany's Document Signer (C=DE) on a document of UTO
        doc = self.read("full:signer=germany", 1)
        pa = doc["passive_auth"]
        self.assertEqual(pa["country"], "mismatch")
        self.assertEqual(pa["issuing_state"], "UTO")
        self.assertTrue(any(e.startswith("country:") for e in pa["errors"]))

    def test_country_de_is_d(self):
        # a German passport (MRZ D) under Germany's CSCA (C=DE)
        doc = self.read("full:germany", 0)
        self.assertEqual(doc["passive_auth"]["country"], "match")
        self.assertEqual(doc["passive_auth"]["issuing_state"], "D")

    # ---- 5. validity and revocation say what they know ----

    def test_weak_rsa_key(self):
        doc = self.read("full:signer=weak-rsa", 1)
        self.assertTrue(any("1024-bit RSA" in e for e in doc["passive_auth"]["errors"]))

    def test_weak_ec_key(self):
        doc = self.read("full:signer=weak-ec", 1)
        self.assertTrue(any("192-bit EC" in e for e in doc["passive_auth"]["errors"]))

    def test_sha1_is_a_warning(self):
        doc = self.read("full:sha1", 0)
        pa = doc["passive_auth"]
        self.assertEqual(pa["hash_algorithm"], "SHA-1")
        self.assertTrue(pa["weak_algorithm"])
        self.assertTrue(any(w.startswith("weak algorithm") for w in pa["warnings"]))

    def test_expired_ds_fails_by_default(self):
        doc = self.read("full:expired-ds", 1)
        self.assertTrue(any(e.startswith("ds_expired") for e in doc["passive_auth"]["errors"]))
        doc = self.read("full:expired-ds", 0, extra=["--accept-expired-ds"])
        self.assertTrue(any("policy" in w for w in doc["passive_auth"]["warnings"]))

    def assert_revocation_unknown(self, name, *files):
        trust = self.trust_dir(name, *files, without=("csca-p256.crl",))
        doc = self.read("full", 0, trust=trust)
        self.assertEqual(doc["passive_auth"]["revocation"], "unknown")
        self.assertTrue(any(w.startswith("revocation: unknown") for w in doc["passive_auth"]["warnings"]))
        doc = self.read("full", 1, trust=trust, extra=["--require-revocation"])
        self.assertEqual(doc["passive_auth"]["revocation"], "unknown")

    def test_revocation_unknown_without_crl(self):
        self.assert_revocation_unknown("no-crl")

    def test_revocation_unknown_with_stale_crl(self):
        self.assert_revocation_unknown("stale-crl", "csca-p256-stale.crl")

    def test_revocation_unknown_with_future_crl(self):
        self.assert_revocation_unknown("future-crl", "csca-p256-future.crl")

    def test_pace_failure_is_a_downgrade(self):
        doc = self.read("full:pace-fails", 0)
        self.assertEqual(doc["access"], "BAC")
        self.assertTrue(doc["downgrade"])
        self.assertTrue(any(w.startswith("downgrade:") for w in doc["warnings"]))


if __name__ == "__main__":
    tpcli.main(Forgery)
