#!/usr/bin/env python3
# test_mrz.py: contract tests for `touchpoint-cli mrz`
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the real binary named by $TOUCHPOINT_CLI and checks the JSON
# contract (README.md, "Command line"), the exit statuses and both ways of
# giving the lines (arguments, standard input).

import json
import os
import subprocess
import sys
import unittest

import tpcli

CLI = tpcli.CLI
REF = ["--reference-date", "2026-05-01"]

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD3_OLD = [TD3[0], "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<",
       "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
       "D231458907UTO7408122F1204159<<<<<<<6"]
MRVA = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]
MRVB = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<"]
VN = ["P<VNMNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<<<<<<<<<<",
      "C1234567<0VNM8005171M3001019001080012345<<84"]
LONG_TD1 = ["I<UTOD23145890<7349<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            TD1[2]]
DE = ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
      "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"]

CONTRACT_KEYS = ["format", "valid", "document_code", "issuing_state", "document_number",
                 "nationality", "birth_date", "birth_date_iso", "sex", "expiry_date",
                 "expiry_date_iso", "optional_data", "primary_identifier",
                 "secondary_identifier", "checks", "errors"]


def run(args, stdin=None):
    proc = subprocess.run([CLI, "mrz"] + args, input=stdin, capture_output=True,
                          text=True, timeout=60)
    return proc


def run_json(args, stdin=None, status=0):
    proc = run(args, stdin)
    if proc.returncode != status:
        raise AssertionError("exit status %d, expected %d; stdout %r; stderr %r"
                             % (proc.returncode, status, proc.stdout, proc.stderr))
    lines = proc.stdout.splitlines()
    if len(lines) != 1:
        raise AssertionError("expected one JSON line, got %r" % proc.stdout)
    return json.loads(lines[0])


class ContractTest(unittest.TestCase):
    def assert_contract(self, doc):
        for key in CONTRACT_KEYS:
            self.assertIn(key, doc)
        # the contract's members come first, in order
        self.assertEqual(list(doc.keys())[:len(CONTRACT_KEYS)], CONTRACT_KEYS)
        self.assertIn(doc["format"], ["TD1", "TD2", "TD3", "MRVA", "MRVB"])
        self.assertIn(doc["sex"], ["M", "F", "X"])
        self.assertIsInstance(doc["valid"], bool)
        self.assertIsInstance(doc["checks"], dict)
        for value in doc["checks"].values():
            self.assertIsInstance(value, bool)
        for err in doc["errors"]:
            self.assertEqual(sorted(err.keys()), ["end", "field", "line", "message", "start"])
            self.assertIn(err["field"], ["document_code", "issuing_state", "document_number",
                                         "nationality", "birth_date", "sex", "expiry_date",
                                         "optional_data", "composite", "name", "format"])
            self.assertGreaterEqual(err["line"], 1)
            self.assertLess(err["start"], err["end"])
            self.assertTrue(err["message"])
        self.assertEqual(doc["valid"], doc["errors"] == [])

    def test_vietnamese_passport(self):
        doc = run_json(VN + REF)
        self.assert_contract(doc)
        expected = {
            "format": "TD3", "valid": True, "document_code": "P", "issuing_state": "VNM",
            "document_number": "C1234567", "nationality": "VNM", "birth_date": "800517",
            "birth_date_iso": "1980-05-17", "sex": "M", "expiry_date": "300101",
            "expiry_date_iso": "2030-01-01", "optional_data": "001080012345",
            "primary_identifier": "NGUYEN", "secondary_identifier": "VAN AN",
            "checks": {"document_number": True, "birth_date": True, "expiry_date": True,
                       "optional_data": True, "composite": True},
            "errors": [],
        }
        for key, value in expected.items():
            self.assertEqual(doc[key], value, key)
        self.assertFalse(doc["expired"])
        self.assertFalse(doc["name_truncated"])

    def test_td3_specimen(self):
        doc = run_json(TD3 + REF)
        self.assert_contract(doc)
        self.assertEqual(doc["document_number"], "L898902C3")
        self.assertEqual(doc["sex"], "F")
        self.assertEqual(doc["birth_date_iso"], "1974-08-12")
        self.assertEqual(doc["expiry_date_iso"], "2012-04-15")
        self.assertEqual(doc["secondary_identifier"], "ANNA MARIA")
        self.assertTrue(doc["expired"])

    def test_td3_old_specimen(self):
        doc = run_json(TD3_OLD + REF)
        self.assertEqual(doc["document_number"], "L898902C")
        self.assertEqual(doc["birth_date_iso"], "1969-08-06")

    def test_td1(self):
        doc = run_json(TD1 + REF)
        self.assert_contract(doc)
        self.assertEqual(doc["format"], "TD1")
        self.assertEqual(doc["document_code"], "I")
        self.assertEqual(doc["document_number"], "D23145890")
        self.assertEqual(set(doc["checks"]), {"document_number", "birth_date", "expiry_date",
                                              "composite"})

    def test_td1_long_number(self):
        doc = run_json(LONG_TD1 + REF)
        self.assertEqual(doc["document_number"], "D23145890734")
        self.assertEqual(doc["optional_data"], "")
        self.assertTrue(doc["checks"]["document_number"])

    def test_td2(self):
        doc = run_json(TD2 + REF)
        self.assert_contract(doc)
        self.assertEqual(doc["format"], "TD2")
        self.assertNotIn("optional_data", doc["checks"])
        self.assertTrue(doc["checks"]["composite"])

    def test_visas(self):
        a = run_json(MRVA + REF)
        b = run_json(MRVB + REF)
        self.assert_contract(a)
        self.assert_contract(b)
        self.assertEqual(a["format"], "MRVA")
        self.assertEqual(b["format"], "MRVB")
        for doc in (a, b):
            self.assertEqual(doc["document_code"], "V")
            self.assertEqual(set(doc["checks"]), {"document_number", "birth_date", "expiry_date"})
        self.assertEqual(a["special_codes"]["nationality"], "Person of unspecified nationality")

    def test_filler_codes(self):
        doc = run_json(DE + REF)
        self.assertEqual(doc["issuing_state"], "D")
        self.assertEqual(doc["nationality"], "D")
        self.assertEqual(doc["optional_data"], "")
        self.assertTrue(doc["checks"]["optional_data"])

    def test_stdin_lines(self):
        doc = run_json(REF, stdin="\n".join(VN) + "\n")
        self.assertEqual(doc["document_number"], "C1234567")

    def test_stdin_crlf(self):
        doc = run_json(REF, stdin="\r\n".join(TD1) + "\r\n")
        self.assertEqual(doc["format"], "TD1")

    def test_stdin_keyboard_wedge(self):
        for lines, fmt in ((VN, "TD3"), (TD1, "TD1"), (TD2, "TD2")):
            doc = run_json(REF, stdin="".join(lines))
            self.assertEqual(doc["format"], fmt)
            self.assertTrue(doc["valid"])

    def test_one_argument_run(self):
        doc = run_json(["".join(VN)] + REF)
        self.assertTrue(doc["valid"])

    def test_invalid_exit_1(self):
        bad = [TD3[0], "L898902C36UTO7408123F1204159ZE184226B<<<<<10"]
        doc = run_json(bad + REF, status=1)
        self.assert_contract(doc)
        self.assertFalse(doc["valid"])
        self.assertFalse(doc["checks"]["birth_date"])
        self.assertFalse(doc["checks"]["composite"])
        self.assertTrue(doc["checks"]["document_number"])
        err = [e for e in doc["errors"] if e["field"] == "birth_date"][0]
        self.assertEqual((err["line"], err["start"], err["end"]), (2, 13, 19))
        self.assertIn("740812", err["message"])
        self.assertIn("3", err["message"])

    def test_invalid_date(self):
        bad = [TD3[0], "L898902C36UTO7413128F3001019ZE184226B<<<<<16"]
        doc = run_json(bad + REF, status=1)
        self.assertIsNone(doc["birth_date_iso"])
        self.assertEqual(doc["birth_date"], "741312")
        self.assertIn("birth_date", [e["field"] for e in doc["errors"]])

    def test_partial_birth_date(self):
        doc = run_json([TD3[0], "L898902C36UTO74<<<<1F3001019ZE184226B<<<<<14"] + REF)
        self.assertIsNone(doc["birth_date_iso"])
        self.assertEqual(doc["birth_date_partial"], "1974")

    def test_sex_unspecified(self):
        doc = run_json([TD3[0], "L898902C36UTO7408122<1204159ZE184226B<<<<<10"] + REF)
        self.assertEqual(doc["sex"], "X")

    def test_repair(self):
        doc = run_json([TD3[0], "L898902C3GUTO74O8122F1204159ZE184226B<<<<<10"] + REF, status=1)
        self.assertEqual(doc["repair"]["lines"], TD3)
        subs = doc["repair"]["substitutions"]
        self.assertEqual([(s["from"], s["to"], s["line"], s["column"]) for s in subs],
                         [("G", "6", 2, 9), ("O", "0", 2, 15)])

    def test_reference_date(self):
        # 2030 is more than 20 years after 2000: the expiry is 1930
        doc = run_json(VN + ["--reference-date", "2000-01-01"])
        self.assertEqual(doc["expiry_date_iso"], "1930-01-01")
        self.assertEqual(doc["birth_date_iso"], "1980-05-17")

    def test_bad_reference_date(self):
        proc = run(VN + ["--reference-date", "2026-13-01"])
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertIn("YYYY-MM-DD", proc.stderr)

    def test_not_an_mrz_exit_2(self):
        for args, stdin in (([TD3[0], TD3[1][:-1]], None), (["hello"], None), ([], ""),
                            ([], "P<UTO\n")):
            proc = run(args + REF, stdin)
            self.assertEqual(proc.returncode, 2, args)
            self.assertEqual(proc.stdout, "")
            self.assertIn("Not a machine readable zone", proc.stderr)

    def test_non_ascii_stays_json(self):
        line = "P<UTOÉRIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"   # 44 characters, 45 bytes
        proc = run([line, TD3[1]] + REF)
        self.assertEqual(proc.returncode, 1)
        doc = json.loads(proc.stdout)
        self.assert_contract(doc)
        self.assertEqual(doc["format"], "TD3")
        self.assertEqual(doc["errors"], [{
            "field": "name", "line": 1, "start": 5, "end": 6,
            "message": "Name, line 1, position 6: “É” is not an MRZ character (A–Z, 0–9, <)"}])
        self.assertEqual(doc["primary_identifier"], "ÉRIKSSON")
        self.assertTrue(all(doc["checks"].values()))

    def test_lengths_in_characters(self):
        # 43 characters (44 bytes) is not a TD3 line, and is said to be 43
        proc = run(["P<UTOÉRIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<", TD3[1]] + REF)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertIn("found 2 lines of 43 and 44 characters", proc.stderr)
        # A run from a keyboard wedge on stdin: split after 44 characters
        doc = run_json(REF, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<Ö" + TD3[1] + "\n",
                       status=1)
        self.assertEqual([(e["field"], e["line"], e["start"]) for e in doc["errors"]],
                         [("name", 1, 43)])
        self.assertIn("“Ö” is not an MRZ character", doc["errors"][0]["message"])
        # In a numeric field, at its column in characters
        doc = run_json([TD3[0], "L898902C36UTO74Ö8122F1204159ZE184226B<<<<<10"] + REF,
                       status=1)
        self.assertEqual([(e["field"], e["start"], e["end"]) for e in doc["errors"]][0],
                         ("birth_date", 15, 16))
        self.assertIn("“Ö” is not an MRZ character (A–Z, 0–9, <)", doc["errors"][0]["message"])

    def test_help(self):
        proc = run(["--help"])
        self.assertEqual(proc.returncode, 0)
        self.assertIn("--reference-date", proc.stdout)


if __name__ == "__main__":
    tpcli.main(ContractTest)
