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
