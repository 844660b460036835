#!/usr/bin/env python3
# test_demo.py: `touchpoint-cli demo`, the walk-through behind tools/demo
#
# SPDX-License-Identifier: GPL-3.0-or-later

import subprocess
import unittest

import tpcli


def demo(*args):
    proc = subprocess.run([tpcli.CLI, "demo"] + list(args), capture_output=True,
                          text=True, timeout=120)
    return proc


class DemoTest(unittest.TestCase):
    def test_listed_traveller_is_stopped(self):
        proc = demo()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertIn("7 list entries imported", out)
        self.assertIn("passive authentication: valid", out)
        self.assertIn("chip authentication: passed", out)
        self.assertIn("printed MRZ against the chip: passed", out)
        self.assertIn("departs from HAN: ok", out)
        self.assertIn("name matches passport: ok", out)
        self.assertIn("VERDICT: STOP", out)
        self.assertIn("EB-2025-004417", out)
        self.assertIn("chip       VERIFIED", out)
        # the cancelled and the expired bans never hit
        self.assertNotIn("EB-2026-000102", out)
        self.assertNotIn("EB-2024-000977", out)
        self.assertEqual(proc.stderr, "")

    def test_tampered_chip_shows_failed_passive_authentication(self):
        proc = demo("--reader", "sim:full:tampered")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("passive authentication: invalid", proc.stdout)
        self.assertIn("chip       NOT VERIFIED", proc.stdout)

    def test_chip_without_dg1_still_screens_the_printed_identity(self):
        # a chip that withholds DG1 must not make the traveller unscreenable
        proc = demo("--reader", "sim:full:missing=DG1")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertIn("DG1 is listed in EF.COM but the chip has no such file", out)
        self.assertIn("chip       NOT VERIFIED", out)
        self.assertIn("identity   from the printed MRZ", out)
        self.assertIn("name matches passport: ok", out)
        self.assertIn("VERDICT: STOP", out)
        self.assertIn("EB-2025-004417", out)

    def test_chip_serving_another_persons_dg1_keeps_the_printed_stop(self):
        # the identity rule (tp-identity.h): DG1 whose hash does not match the signed EF.SOD is
        # not the traveller's identity; the printed passport's STOP stands
        proc = demo("--reader", "sim:full:other-dg1")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertIn("passive authentication: invalid", out)
        self.assertIn("chip       NOT VERIFIED", out)
        self.assertIn("identity   from the printed MRZ: the chip's data did not verify", out)
        self.assertIn("holder     NGUYEN VAN AN", out)
        self.assertNotIn("DO THI LAN", out)
        self.assertIn("VERDICT: STOP", out)
        self.assertIn("EB-2025-004417", out)

    def test_genuine_chip_that_disagrees_with_the_print_screens_both(self):
        # a chip signed by the issuer naming someone else than the printed
        # page: both identities are screened and the stricter verdict kept
        proc = demo("--reader", "sim:full:other-dg1=signed")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertIn("passive authentication: valid", out)
        self.assertIn("printed MRZ against the chip: FAILED", out)
        self.assertIn("which disagree (document number, name", out)
        self.assertIn("VERDICT: STOP", out)
        self.assertIn("the printed one's, stricter, is kept", out)
        self.assertIn("EB-2025-004417", out)

    def test_verdicts_are_recorded_in_the_audit_log(self):
        proc = demo()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"recorded   \d+ events? in the store's audit log: check STOP \(record \d+\)")

    def test_role_outside_the_visibility_sees_only_the_owner(self):
        # EB-2025-004417 is visible to immigration and supervisors only
        proc = demo("--role", "customs")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertIn("officer CUS-01 (customs)", out)
        self.assertIn("VERDICT: STOP", out)
        self.assertIn("a hit owned by customs, not visible to customs: refer to customs", out)
        self.assertNotIn("EB-2025-004417", out)
        self.assertNotIn("1234/TB-HQ", out)

        proc = demo("--role", "supervisor")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("EB-2025-004417", proc.stdout)
        self.assertIn("basis 1234/TB-HQ", proc.stdout)

    def test_unknown_role_is_refused(self):
        proc = demo("--role", "pilot")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--role pilot", proc.stderr)

    def test_pass_for_another_airport_and_person(self):
        pass_ = "M1TRAN/THI HUONG      EABC123 SGNNRTVN 0300 327Y001A0001 100"
        proc = demo("--boarding-pass", pass_)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("departs from HAN: failed", proc.stdout)
        self.assertIn("No leg departs from HAN", proc.stdout)
        self.assertIn("name matches passport: failed", proc.stdout)

    def test_unreadable_reader_is_a_clear_error(self):
        proc = demo("--reader", "sim:no-such-profile")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("touchpoint-cli demo:", proc.stderr)


if __name__ == "__main__":
    tpcli.main(DemoTest)
