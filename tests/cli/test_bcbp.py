#!/usr/bin/env python3
# test_bcbp.py: contract tests for `touchpoint-cli bcbp`
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the real binary named by $TOUCHPOINT_CLI with barcode text on
# standard input and checks the JSON contract (README.md, "Command line"),
# the exit statuses (0 valid, 1 parsed with errors, 2 not a boarding pass)
# and the handling of a trailing line end.

import datetime
import json
import os
import subprocess
import sys
import unittest

import tpcli

CLI = tpcli.CLI
REF = ["--reference-date", "2026-11-20"]

# IATA BCBP Implementation Guide examples
SAMPLE1 = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"
SAMPLE2 = ("M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 167>5321WW1325BAC "
           "0014123456002001412346700100141234789012A0141234567890 1AC AC 1234567890123"
           "    4PCYLX58Z^108ABCDEFGH")
S2_MANDATORY = SAMPLE2[:58]
S2_VARIABLE = SAMPLE2[60:163]
S2_SECURITY = SAMPLE2[163:]

REPEATED = "0141234567890 1AC AC 1234567890123    4PCY"

CONTRACT_KEYS = ["valid", "format_code", "passenger_name", "eticket", "version", "legs",
                 "security", "errors", "warnings"]
LEG_KEYS = ["pnr", "from", "to", "carrier", "flight_number", "julian_date", "flight_date",
            "compartment", "seat", "checkin_sequence", "passenger_status"]

SAMPLE1_LEG = {"pnr": "ABC123", "from": "YUL", "to": "FRA", "carrier": "AC",
               "flight_number": "0834", "julian_date": 326, "flight_date": "2026-11-22",
               "compartment": "J", "seat": "001A", "checkin_sequence": "0025",
               "passenger_status": "1"}


def leg(pnr, frm, to, carrier, flight, date, compartment, seat, seq, status, variable=""):
    return "%-7s%-3s%-3s%-3s%-5s%-3s%-1s%-4s%-5s%-1s%02X%s" % (
        pnr, frm, to, carrier, flight, date, compartment, seat, seq, status,
        len(variable), variable)


def header(n, name="DESMARAIS/LUC", eticket="E"):
    return "M%d%-20s%s" % (n, name, eticket)


def run(args, stdin=b""):
    if isinstance(stdin, str):
        stdin = stdin.encode("latin-1")
    return subprocess.run([CLI, "bcbp"] + args, input=stdin, capture_output=True,
                          timeout=60)


def run_json(text, args=REF, status=0):
    proc = run(args, text)
    if proc.returncode != status:
        raise AssertionError("exit status %d, expected %d; stdout %r; stderr %r"
                             % (proc.returncode, status, proc.stdout, proc.stderr))
    out = proc.stdout.decode("utf-8")
    lines = out.splitlines()
    if len(lines) != 1:
        raise AssertionError("expected one JSON line, got %r" % out)
    return json.loads(lines[0])


class ContractTest(unittest.TestCase):
    def assert_contract_shape(self, doc):
        for key in CONTRACT_KEYS:
            self.assertIn(key, doc)
        self.assertIsInstance(doc["valid"], bool)
        self.assertIsInstance(doc["eticket"], bool)
        self.assertIsInstance(doc["legs"], list)
        self.assertIsInstance(doc["errors"], list)
        self.assertIsInstance(doc["warnings"], list)
        for message in doc["errors"] + doc["warnings"]:
            self.assertIsInstance(message, str)
        for entry in doc["legs"]:
            for key in LEG_KEYS:
                self.assertIn(key, entry)
        self.assertEqual(doc["valid"], doc["errors"] == [])

    def test_sample1(self):
        doc = run_json(SAMPLE1 + "\n")
        self.assert_contract_shape(doc)
        contract = {k: doc[k] for k in CONTRACT_KEYS}
        legs = [{k: l[k] for k in LEG_KEYS} for l in contract.pop("legs")]
        self.assertEqual(contract, {
            "valid": True, "format_code": "M", "passenger_name": "DESMARAIS/LUC",
            "eticket": True, "version": None, "security": None, "errors": [],
            "warnings": []})
        self.assertEqual(legs, [SAMPLE1_LEG])

    def test_sample2(self):
        doc = run_json(SAMPLE2 + "\n")
        self.assert_contract_shape(doc)
        self.assertTrue(doc["valid"])
        self.assertEqual(doc["version"], 5)
        self.assertEqual(doc["errors"], [])
        self.assertEqual(doc["warnings"], [])
        self.assertEqual(doc["security"]["type"], "1")
        self.assertEqual(doc["security"]["data"], "ABCDEFGH")
        self.assertEqual(len(doc["legs"]), 1)
        expected = dict(SAMPLE1_LEG, pnr="AB12C3", seat="003A", checkin_sequence="0027")
        self.assertEqual({k: doc["legs"][0][k] for k in LEG_KEYS}, expected)
        # extra members
        l0 = doc["legs"][0]
        self.assertEqual(l0["airline_numeric_code"], "014")
        self.assertEqual(l0["document_serial"], "1234567890")
        self.assertEqual(l0["marketing_carrier"], "AC")
        self.assertEqual(l0["frequent_flyer_airline"], "AC")
        self.assertEqual(l0["frequent_flyer_number"], "1234567890123")
        self.assertEqual(l0["free_baggage_allowance"], "4PC")
        self.assertEqual(l0["fast_track"], "Y")
        self.assertEqual(l0["airline_use"], "LX58Z")
        self.assertEqual(doc["date_of_issue"], "2021-11-21")
        self.assertEqual(doc["baggage_tags"],
                         ["0014123456002", "0014123467001", "0014123478901"])
        self.assertEqual(doc["number_of_legs"], 1)

    def test_line_ends(self):
        docs = [run_json(SAMPLE2 + end) for end in ("", "\n", "\r\n")]
        self.assertEqual(docs[0], docs[1])
        self.assertEqual(docs[0], docs[2])
        self.assertEqual(docs[0]["warnings"], [])

    def test_padding_trimmed(self):
        doc = run_json(SAMPLE1)
        for key in LEG_KEYS:
            value = doc["legs"][0][key]
            if isinstance(value, str):
                self.assertEqual(value, value.strip(), key)
        self.assertEqual(doc["passenger_name"], "DESMARAIS/LUC")

    def test_multi_leg(self):
        text = (header(3, "NGUYEN/VAN AN MR")
                + leg("ABC123", "YUL", "FRA", "AC", "0834", "326", "J", "001A", "0025", "1",
                      ">600" + "2A" + REPEATED + "USE1")
                + leg("XYZ789", "FRA", "HAN", "LH", "0774", "327", "Y", "032C", "0117", "1")
                + leg("QWE456", "HAN", "SGN", "VN", "0213A", "330", "C", "004K", "3", "0",
                      "2A" + REPEATED)
                + S2_SECURITY)
        doc = run_json(text)
        self.assert_contract_shape(doc)
        self.assertTrue(doc["valid"], doc["errors"] + doc["warnings"])
        self.assertEqual(doc["warnings"], [])
        self.assertEqual(doc["version"], 6)
        self.assertEqual(doc["passenger_name"], "NGUYEN/VAN AN MR")
        self.assertEqual([l["from"] for l in doc["legs"]], ["YUL", "FRA", "HAN"])
        self.assertEqual([l["to"] for l in doc["legs"]], ["FRA", "HAN", "SGN"])
        self.assertEqual([l["flight_date"] for l in doc["legs"]],
                         ["2026-11-22", "2026-11-23", "2026-11-26"])
        self.assertEqual(doc["legs"][2]["flight_number"], "0213A")
        self.assertEqual(doc["legs"][2]["checkin_sequence"], "3")
        self.assertEqual(doc["legs"][0]["airline_use"], "USE1")
        self.assertIsNone(doc["legs"][1]["airline_numeric_code"])
        self.assertEqual(doc["security"]["data"], "ABCDEFGH")
        self.assertEqual(doc["surname"], "NGUYEN")
        self.assertEqual(doc["given_names"], "VAN AN")
        self.assertEqual(doc["title"], "MR")

    def test_reference_date_wrap(self):
        def flight_date(julian, ref):
            text = header(1) + leg("ABC123", "YUL", "FRA", "AC", "0834", julian, "J", "001A",
                                   "0025", "1")
            return run_json(text, ["--reference-date", ref])["legs"][0]["flight_date"]

        self.assertEqual(flight_date("365", "2027-01-02"), "2026-12-31")
        self.assertEqual(flight_date("002", "2026-12-30"), "2027-01-02")
        self.assertEqual(flight_date("326", "2026-11-20"), "2026-11-22")
        self.assertEqual(flight_date("366", "2028-12-31"), "2028-12-31")
        self.assertEqual(flight_date("060", "2028-03-01"), "2028-02-29")

    def test_leap_day_without_leap_year(self):
        text = header(1) + leg("ABC123", "YUL", "FRA", "AC", "0834", "366", "J", "001A",
                               "0025", "1")
        doc = run_json(text, ["--reference-date", "2026-06-01"], status=1)
        self.assertFalse(doc["valid"])
        self.assertIsNone(doc["legs"][0]["flight_date"])
        self.assertTrue(any("Date of Flight" in e for e in doc["errors"]))

    def test_default_reference_is_today(self):
        doc = run_json(SAMPLE1, [])
        date = datetime.date.fromisoformat(doc["legs"][0]["flight_date"])
        self.assertLessEqual(abs((date - datetime.date.today()).days), 184)

    def test_warnings_keep_exit_0(self):
        cases = [
            (SAMPLE1[:22] + " " + SAMPLE1[23:], "Electronic Ticket Indicator"),
            (SAMPLE1[:22] + SAMPLE1[23:], "Electronic Ticket Indicator"),
            (S2_MANDATORY + "70" + S2_VARIABLE + S2_SECURITY,
             "Field size of variable size field (item 6), leg 1: declares 0x70 bytes but "
             "0x67 precede the security data"),
            (S2_MANDATORY + "70" + S2_VARIABLE,
             "Field size of variable size field (item 6), leg 1: declares 0x70 bytes but "
             "0x67 remain"),
            (S2_MANDATORY + "60" + S2_VARIABLE + S2_SECURITY, "Field size of variable size field"),
            (S2_MANDATORY + "0F>6401WW1325BAC ", "Field size of following structured message - unique"),
            (SAMPLE2[:100], "Field size of variable size field"),
            (SAMPLE2[:170], "Length of Security Data"),
            (SAMPLE2.replace(">5", ">9"), "Version Number"),
            (S2_MANDATORY + "2C" + "2A" + REPEATED, "Beginning of version number"),
        ]
        for text, needle in cases:
            doc = run_json(text)
            self.assert_contract_shape(doc)
            self.assertTrue(doc["valid"], text)
            self.assertTrue(any(needle in w for w in doc["warnings"]),
                            "%r not in %r" % (needle, doc["warnings"]))

    def test_missing_e_reads_fields(self):
        doc = run_json(SAMPLE2[:22] + SAMPLE2[23:])
        self.assertFalse(doc["eticket"])
        self.assertEqual({k: doc["legs"][0][k] for k in LEG_KEYS},
                         dict(SAMPLE1_LEG, pnr="AB12C3", seat="003A", checkin_sequence="0027"))
        self.assertEqual(doc["security"]["data"], "ABCDEFGH")

    def test_errors_exit_1(self):
        cases = [
            ("M0" + SAMPLE1[2:], "Number of Legs Encoded"),
            ("M5" + SAMPLE1[2:], "Number of Legs Encoded"),
            ("M2" + SAMPLE1[2:], "leg 2"),
            (SAMPLE1[:44] + "3X6" + SAMPLE1[47:], "Date of Flight"),
            (SAMPLE1[:44] + "000" + SAMPLE1[47:], "Date of Flight"),
            # leg 2 cut before its airports: no leg 2
            ("M2" + SAMPLE1[2:] + leg("XYZ789", "FRA", "HAN", "LH", "0774", "327", "Y", "032C",
                                      "0117", "1")[:11], "leg 2"),
        ]
        for text, needle in cases:
            doc = run_json(text, status=1)
            self.assert_contract_shape(doc)
            self.assertFalse(doc["valid"])
            self.assertTrue(any(needle in e for e in doc["errors"]),
                            "%r not in %r" % (needle, doc["errors"]))
            self.assertGreaterEqual(len(doc["legs"]), 1)

    def test_mandatory_item_shapes(self):
        # Malformed mandatory items are errors naming the item and the leg
        cases = [
            (dict(frm="ANL", to="H 0"), "To City Airport Code (item 38), leg 2"),
            (dict(flight="A327J"), "Flight Number (item 43), leg 2"),
            (dict(carrier=" LH"), "Operating carrier Designator (item 42), leg 2"),
            (dict(compartment="7"), "Compartment Code (item 71), leg 2"),
            (dict(seat="32-C"), "Seat Number (item 104), leg 2"),
            (dict(seq="01-7"), "Check-In Sequence Number (item 107), leg 2"),
            (dict(status="?"), "Passenger Status (item 113), leg 2"),
        ]
        for change, needle in cases:
            fields = dict(pnr="XYZ789", frm="FRA", to="HAN", carrier="LH", flight="0774",
                          date="327", compartment="Y", seat="032C", seq="0117", status="1")
            fields.update(change)
            text = (header(2) + leg("ABC123", "YUL", "FRA", "AC", "0834", "326", "J", "001A",
                                    "0025", "1")
                    + leg(fields["pnr"], fields["frm"], fields["to"], fields["carrier"],
                          fields["flight"], fields["date"], fields["compartment"],
                          fields["seat"], fields["seq"], fields["status"]))
            doc = run_json(text, status=1)
            self.assert_contract_shape(doc)
            self.assertFalse(doc["valid"], change)
            self.assertTrue(any(needle in e for e in doc["errors"]),
                            "%r not in %r" % (needle, doc["errors"]))

        # Known real-world deviations are warnings
        text = header(1) + leg("ABC123", "YUL", "FRA", "AC", " 834", "326", "J", "INF", "",
                               "1")
        doc = run_json(text)
        self.assertTrue(doc["valid"])
        self.assertEqual(doc["legs"][0]["flight_number"], "834")
        self.assertEqual(doc["legs"][0]["seat"], "INF")
        for needle in ("Flight Number (item 43), leg 1", "Seat Number (item 104), leg 1",
                       "Check-In Sequence Number (item 107), leg 1"):
            self.assertTrue(any(needle in w for w in doc["warnings"]),
                            "%r not in %r" % (needle, doc["warnings"]))

    def test_wrong_variable_size_resync(self):
        leg1_var = ">600" + "2A" + REPEATED + "USE1"       # 0x34 bytes
        leg2 = leg("XYZ789", "FRA", "HAN", "LH", "0774", "327", "Y", "032C", "0117", "1")
        good = (header(2) + leg("ABC123", "YUL", "FRA", "AC", "0834", "326", "J", "001A",
                                "0025", "1", leg1_var) + leg2 + S2_SECURITY)
        self.assertEqual(good[58:60], "34")
        self.assertEqual(run_json(good)["warnings"], [])

        # Within 8 bytes either way: leg 2 is found, a warning on leg 1's size
        for size in (0x2F, 0x39, 0x2C, 0x3C):
            doc = run_json(good[:58] + "%02X" % size + good[60:])
            self.assertTrue(doc["valid"], doc["errors"])
            self.assertEqual(len(doc["warnings"]), 1, doc["warnings"])
            self.assertIn("Field size of variable size field (item 6), leg 1: declares 0x%02X"
                          % size, doc["warnings"][0])
            self.assertEqual([l["from"] for l in doc["legs"]], ["YUL", "FRA"])
            self.assertEqual([l["to"] for l in doc["legs"]], ["FRA", "HAN"])
            self.assertEqual(doc["legs"][1]["flight_number"], "0774")
            self.assertEqual(doc["legs"][0]["airline_use"], "USE1")
            self.assertEqual(doc["security"]["data"], "ABCDEFGH")

        # Further off: leg 2 is garbage, and the pass is not valid
        for size in (0x2A, 0x3E, 0x10):
            doc = run_json(good[:58] + "%02X" % size + good[60:], status=1)
            self.assert_contract_shape(doc)
            self.assertFalse(doc["valid"])
            self.assertTrue(any("leg 2" in e for e in doc["errors"]), doc["errors"])

    def test_julian_date_number(self):
        def julian(date, status):
            text = header(1) + leg("ABC123", "YUL", "FRA", "AC", "0834", date, "J", "001A",
                                   "0025", "1")
            doc = run_json(text, status=status)
            return doc["legs"][0]["julian_date"], doc["legs"][0]["flight_date"], doc["errors"]

        self.assertEqual(julian("326", 0), (326, "2026-11-22", []))
        for date, number in (("000", 0), ("367", 367), ("999", 999)):
            value, flight_date, errors = julian(date, 1)
            self.assertEqual(value, number)
            self.assertIsInstance(value, int)
            self.assertIsNone(flight_date)
            self.assertTrue(any("Date of Flight" in e and "not a day of the year" in e
                                for e in errors), errors)
        for date in ("12A", "1 6", "ABC", "   "):
            value, flight_date, errors = julian(date, 1)
            self.assertIsNone(value)
            self.assertIsNone(flight_date)
            self.assertTrue(any("Date of Flight" in e for e in errors), errors)
        # Fewer digits, right- or left-aligned: the day they show, with a warning
        for date in (" 26", "26 "):
            text = header(1) + leg("ABC123", "YUL", "FRA", "AC", "0834", date, "J", "001A",
                                   "0025", "1")
            doc = run_json(text, status=0)
            self.assertEqual(doc["legs"][0]["julian_date"], 26)
            self.assertEqual(doc["legs"][0]["flight_date"], "2027-01-26")
            self.assertTrue(any("Date of Flight (Julian Date) (item 46), leg 1" in w
                                and "read as day 026" in w for w in doc["warnings"]),
                            doc["warnings"])

    def test_passes_cut_short(self):
        # Brussels Airlines' booking confirmations (KDE Itinerary's BCBP test
        # data): cut after the compartment, or right after the date of flight.
        # A boarding pass: what is there is read, what is missing is a
        # warning naming the IATA item.
        brussels = "M1DOE/JOHN            EXXX007 TXLBRUSN 2592 110Y"
        for text, missing in ((brussels, (104, 107, 113, 6)),
                              (brussels[:-1], (71, 104, 107, 113, 6))):
            doc = run_json(text + "\n", ["--reference-date", "2018-04-02"], status=0)
            self.assert_contract_shape(doc)
            self.assertTrue(doc["valid"])
            self.assertEqual(doc["errors"], [])
            lg = doc["legs"][0]
            self.assertEqual((lg["from"], lg["to"], lg["carrier"], lg["flight_number"],
                              lg["julian_date"], lg["flight_date"]),
                             ("TXL", "BRU", "SN", "2592", 110, "2018-04-20"))
            self.assertIsNone(lg["seat"])
            self.assertIsNone(lg["checkin_sequence"])
            self.assertIsNone(lg["passenger_status"])
            self.assertEqual(len(doc["warnings"]), len(missing), doc["warnings"])
            for item, warning in zip(missing, doc["warnings"]):
                self.assertIn("(item %d), leg 1: missing" % item, warning)
        # leg 2 of two cut after its carrier: read as far as it goes
        text = "M2" + SAMPLE1[2:] + leg("XYZ789", "FRA", "HAN", "LH", "0774", "327", "Y",
                                       "032C", "0117", "1")[:16]
        doc = run_json(text, status=0)
        self.assertEqual(doc["legs"][1]["carrier"], "LH")
        self.assertIsNone(doc["legs"][1]["flight_number"])
        self.assertTrue(any("Flight Number (item 43), leg 2: missing" in w
                            for w in doc["warnings"]), doc["warnings"])

    def test_easyjet_aligned_numbers(self):
        # easyJet (KDE Itinerary's BCBP test data): day 099 left-aligned as
        # "99 ", no compartment, seat "3C  ": read, each with a warning
        text = "M1DOE/JOHN            EABCDEFGMRSLGWEZY8724 99  3C  506  10Axxxxxxxxxx"
        doc = run_json(text, ["--reference-date", "2018-04-02"], status=0)
        lg = doc["legs"][0]
        self.assertTrue(doc["valid"])
        self.assertEqual((lg["carrier"], lg["flight_number"], lg["julian_date"],
                          lg["flight_date"], lg["compartment"], lg["seat"]),
                         ("EZY", "8724", 99, "2018-04-09", "", "3C"))
        for needle in ("Date of Flight (Julian Date) (item 46), leg 1",
                       "Compartment Code (item 71), leg 1", "Seat Number (item 104), leg 1"):
            self.assertTrue(any(needle in w for w in doc["warnings"]), (needle, doc["warnings"]))

    def test_nul_byte_is_data(self):
        # A NUL in the name: read on past it, a warning naming the item
        doc = run_json(SAMPLE2[:5] + "\0" + SAMPLE2[6:] + "\n")
        self.assertTrue(doc["valid"])
        self.assertEqual(doc["passenger_name"], "DES?ARAIS/LUC")
        self.assertEqual(doc["security"]["data"], "ABCDEFGH")
        self.assertTrue(any("Passenger Name (item 11)" in w and "0x00" in w
                            for w in doc["warnings"]), doc["warnings"])
        # In a mandatory item: the item's error
        doc = run_json(SAMPLE1[:49] + "\0" + SAMPLE1[50:], status=1)
        self.assertTrue(any("Seat Number (item 104), leg 1" in e and "\\x00" in e
                            for e in doc["errors"]), doc["errors"])
        # In airline use: kept, with a warning
        doc = run_json(S2_MANDATORY + "67" + S2_VARIABLE[:-2] + "\0Z" + S2_SECURITY)
        self.assertTrue(doc["valid"])
        self.assertEqual(doc["legs"][0]["airline_use"], "LX5\ufffdZ")
        self.assertTrue(any("For individual airline use (item 4), leg 1" in w
                            for w in doc["warnings"]), doc["warnings"])
        # Too short once the NUL is not an end: still not a pass
        proc = run(REF, SAMPLE1[:30] + "\0")
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"31 characters", proc.stderr)

    def test_not_a_boarding_pass_exit_2(self):
        for text in ("", "\n", "hello\n", "X1" + SAMPLE1[2:], "MX" + SAMPLE1[2:],
                     SAMPLE1[:35], SAMPLE1[:34] + "\n", SAMPLE1[:30] + "1" + SAMPLE1[31:58],
                     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n"):
            proc = run(REF, text)
            self.assertEqual(proc.returncode, 2, text)
            self.assertEqual(proc.stdout, b"")
            self.assertIn(b"Not a boarding pass", proc.stderr)

    def test_bad_reference_date_exit_2(self):
        for value in ("2026-13-01", "yesterday", "2026-1-1"):
            proc = run(["--reference-date", value], SAMPLE1)
            self.assertEqual(proc.returncode, 2, value)
            self.assertEqual(proc.stdout, b"")
            self.assertIn(b"YYYY-MM-DD", proc.stderr)

    def test_unexpected_argument_exit_2(self):
        proc = run([SAMPLE1], "")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, b"")

    def test_non_ascii_stays_json(self):
        raw = (SAMPLE2[:5] + "\xc3\xa9" + SAMPLE2[7:-1] + "\xff").encode("latin-1")
        proc = run(REF, raw)
        self.assertEqual(proc.returncode, 0)
        doc = json.loads(proc.stdout.decode("utf-8"))
        self.assertTrue(any("Passenger Name" in w for w in doc["warnings"]))
        self.assertEqual(len(doc["security"]["data"]), 8)

    def test_help(self):
        proc = run(["--help"])
        self.assertEqual(proc.returncode, 0)
        self.assertIn(b"--reference-date", proc.stdout)


if __name__ == "__main__":
    tpcli.main(ContractTest)
