#!/usr/bin/env python3
# test_name.py: contract tests for `touchpoint-cli name`
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import subprocess
import unittest

import tpcli


def name(*args, stdin=None):
    proc = subprocess.run([tpcli.CLI, "name"] + list(args), input=stdin,
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError("exit %d: %s" % (proc.returncode, proc.stderr))
    return [json.loads(line) for line in proc.stdout.splitlines()]


class NameTest(unittest.TestCase):
    def test_vietnamese(self):
        doc, = name("Nguyễn Văn Đức")
        self.assertEqual(doc["accented"], "NGUYỄN VĂN ĐỨC")
        self.assertEqual(doc["folded"], "NGUYEN VAN DUC")
        self.assertEqual(doc["tokens"], ["NGUYEN", "VAN", "DUC"])
        self.assertEqual(doc["mrz"], "NGUYEN<<VAN<DUC")
        self.assertTrue(doc["has_diacritics"])

    def test_tones_merge_only_when_folded(self):
        hung, hung2 = name(stdin="Hùng\nHưng\n")
        self.assertEqual(hung["folded"], hung2["folded"])
        self.assertNotEqual(hung["accented"], hung2["accented"])

    def test_icao_transliteration(self):
        doc, = name("Müller, Jürgen Øster")
        self.assertEqual(doc["folded"], "MUELLER JUERGEN OESTER")
        self.assertEqual(doc["mrz"], "MUELLER<<JUERGEN<OESTER")

    def test_control_characters_stay_valid_json(self):
        doc, = name("Nguy\x1fen")
        self.assertEqual(doc["input"], "Nguy\x1fen")
        self.assertEqual(doc["folded"], "NGUY EN")

    def test_hyphenated_family_name_stays_whole(self):
        doc, = name("O'Brien-Smith Mary Anne")
        self.assertEqual(doc["mrz"], "OBRIEN<SMITH<<MARY<ANNE")
        doc, = name("Nguyễn-Trần, Thị Mai")
        self.assertEqual(doc["mrz"], "NGUYEN<TRAN<<THI<MAI")

    def test_plain_ascii(self):
        doc, = name("ERIKSSON ANNA MARIA")
        self.assertFalse(doc["has_diacritics"])
        self.assertEqual(doc["accented"], doc["folded"])


if __name__ == "__main__":
    tpcli.main(NameTest)
