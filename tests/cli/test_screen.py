#!/usr/bin/env python3
# test_screen.py: contract tests for `touchpoint-cli screen` (and the
# `population` command that feeds it), run against the real binary.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import tpcli

CLI = tpcli.CLI
AT = "2026-05-01"
HIT_KEYS = ["entry_id", "list", "agency", "action", "band", "score", "matched", "conflicts",
            "explanation"]
FIELDS = {"passport", "national_id", "name", "birth_date", "sex", "nationality"}


def entry(id_, name, birth, sex, ids=(), list_="exit_ban", agency="customs", action="deny_exit",
          version=1, status="active", from_="2026-01-16", until=None, nationality="VNM"):
    e = {"id": id_, "version": version, "list": list_, "status": status, "agency": agency,
         "action": action, "visibility": ["immigration", "supervisor"],
         "person": {"full_name": name, "birth_date": birth, "sex": sex, "nationality": nationality,
                    "identifiers": [{"type": t, "value": v, "country": nationality}
                                    for t, v in ids]},
         "basis": {"reference": "1234/TB-HQ", "issued_at": from_, "reason": "tax_debt"},
         "effective_from": from_}
    if until is not None:
        e["effective_until"] = until
    return e


ENTRIES = [
    entry("EB-S-1", "Nguyễn Văn An", "1980-05-17", "M",
          [("passport", "C1234567"), ("national_id", "001080012345")], until="2026-07-16"),
    entry("WL-S-2", "Trần Thị Bích Ngọc", "1975-02-03", "F", [("national_id", "079175123456")],
          list_="watch", action="refer_customs", from_="2025-01-01"),
    entry("WL-S-3", "Phạm Minh Khôi", "1985-12-01", "M", [("passport", "B2222222")],
          list_="watch", agency="police", action="notify", from_="2025-01-01"),
    entry("EB-S-4", "Lê Quang Vinh", "1990-10-10", "M", [("passport", "N7654321")]),
    entry("EB-S-4", "Lê Quang Vinh", "1990-10-10", "M", [("passport", "N7654321")],
          version=2, status="cancelled"),
    entry("EB-S-5", "Đặng Văn Đức", "1966-09-02", "M", [("passport", "C7777777")],
          from_="2025-09-01", until="2026-03-01"),
    # Germany as its documents print it (ICAO 9303 Part 3: D, not DEU)
    entry("EB-S-6", "Erika Mustermann", "1964-08-12", "F", [("passport", "C01X00T47")],
          nationality="D"),
]


def lines(*items):
    return "".join((i if isinstance(i, str) else json.dumps(i, ensure_ascii=False)) + "\n"
                   for i in items)


class ScreenCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tp-cli-screen-")
        cls.db = os.path.join(cls.dir, "store.db")
        cls.key = os.path.join(cls.dir, "store.key")
        # A synthetic background (token rarity as in a real list) and the test entries
        background = cls.run_cli("population", "--entries", "3000", "--seed", "3", "--at", AT)
        assert background.returncode == 0, background.stderr
        r = cls.run_cli("list", "import", "--db", cls.db, "--key-file", cls.key,
                        stdin=background.stdout + lines(*ENTRIES))
        assert r.returncode == 0, r.stdout + r.stderr
        assert json.loads(r.stdout)["rejected"] == 0, r.stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    @staticmethod
    def run_cli(*args, stdin=""):
        return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                              timeout=120)

    def screen(self, *queries, at=AT, extra=(), status=0):
        args = ["screen", "--db", self.db, "--key-file", self.key, *extra]
        if at is not None:
            args += ["--at", at]
        r = self.run_cli(*args, stdin=lines(*queries))
        self.assertEqual(r.returncode, status, r.stderr)
        out = [json.loads(line) for line in r.stdout.splitlines()]
        return out

    def one(self, query, **kw):
        out = self.screen(query, **kw)
        self.assertEqual(len(out), 1)
        return out[0]

    def check_contract(self, result):
        self.assertIsInstance(result["verdict"], str)
        self.assertIn(result["verdict"], ("STOP", "REFER", "REVIEW", "CLEAR"))
        self.assertIsInstance(result["hits"], list)
        self.assertIsInstance(result["elapsed_us"], int)
        self.assertGreaterEqual(result["elapsed_us"], 0)
        keys = list(result.keys())
        self.assertEqual(keys[:4], ["id", "verdict", "hits", "elapsed_us"])
        for hit in result["hits"]:
            self.assertEqual(list(hit.keys())[:len(HIT_KEYS)], HIT_KEYS)
            self.assertIn(hit["list"], ("exit_ban", "watch"))
            self.assertIn(hit["band"], ("confirmed", "probable", "possible"))
            self.assertIsInstance(hit["score"], float)
            self.assertTrue(0.0 <= hit["score"] <= 1.0)
            self.assertTrue(set(hit["matched"]) <= FIELDS, hit["matched"])
            self.assertTrue(set(hit["conflicts"]) <= FIELDS, hit["conflicts"])
            self.assertIsInstance(hit["explanation"], str)
            self.assertNotIn("\n", hit["explanation"])
            self.assertGreater(len(hit["explanation"]), 10)

    def hit(self, result, entry_id):
        for h in result["hits"]:
            if h["entry_id"] == entry_id:
                return h
        return None

    # verdicts -------------------------------------------------------------

    def test_stop_on_passport(self):
        r = self.one({"id": "q1", "document_number": "C1234567", "issuing_state": "VNM",
                      "nationality": "VNM", "primary": "NGUYEN", "secondary": "VAN AN",
                      "full_name": "Nguyễn Văn An", "birth_date": "1980-05-17", "sex": "M",
                      "personal_number": "001080012345"})
        self.check_contract(r)
        self.assertEqual(r["id"], "q1")
        self.assertEqual(r["verdict"], "STOP")
        h = self.hit(r, "EB-S-1")
        self.assertEqual((h["list"], h["agency"], h["action"], h["band"]),
                         ("exit_ban", "customs", "deny_exit", "confirmed"))
        self.assertIn("passport", h["matched"])
        self.assertIn("national_id", h["matched"])
        self.assertIn("birth_date", h["matched"])
        self.assertEqual(h["conflicts"], [])
        self.assertGreaterEqual(h["score"], 0.9)
        self.assertIn("C1234567", h["explanation"])

    def test_german_passport_d(self):
        # A German passport's MRZ says D<<; the entry was listed as D: a German
        # national can be listed and is stopped, whether the query says D or DEU.
        for state in ("D", "DEU"):
            r = self.one({"id": "de", "document_number": "C01X00T47", "issuing_state": state,
                          "nationality": state, "primary": "MUSTERMANN", "secondary": "ERIKA",
                          "birth_date": "1964-08-12", "sex": "F"})
            self.assertEqual(r["verdict"], "STOP", (state, r))
            h = self.hit(r, "EB-S-6")
            self.assertEqual(h["band"], "confirmed")
            self.assertNotIn("nationality", h["conflicts"])

    def test_scores_three_decimals(self):
        # json-glib alone writes 17 significant digits (0.75600000000000001)
        r = self.run_cli("screen", "--db", self.db, "--key-file", self.key, "--at", AT,
                         stdin=lines({"id": "s", "full_name": "Nguyễn Văn An",
                                      "birth_date": "1980-05-17", "sex": "M"},
                                     {"id": "t", "document_number": "C1234567",
                                      "issuing_state": "VNM"}))
        self.assertEqual(r.returncode, 0, r.stderr)
        scores = re.findall(r'"score":([^,}]*)', r.stdout)
        self.assertGreaterEqual(len(scores), 2, r.stdout)
        for s in scores:
            self.assertRegex(s, r"^[01]\.\d{3}$")

    def test_refer_on_national_id(self):
        r = self.one({"id": "q2", "document_number": "P0000001", "issuing_state": "VNM",
                      "personal_number": "079175123456", "primary": "TRAN",
                      "secondary": "THI BICH NGOC", "birth_date": "1975-02-03", "sex": "F"})
        self.check_contract(r)
        self.assertEqual(r["verdict"], "REFER")
        h = self.hit(r, "WL-S-2")
        self.assertEqual((h["band"], h["action"], h["list"]), ("confirmed", "refer_customs", "watch"))
        self.assertIn("national_id", h["matched"])
        self.assertNotIn("passport", h["matched"])

    def test_notify_is_clear_with_hit(self):
        r = self.one({"id": "q3", "document_number": "B2222222", "issuing_state": "VNM",
                      "primary": "PHAM", "secondary": "MINH KHOI", "birth_date": "1985-12-01"})
        self.check_contract(r)
        self.assertEqual(r["verdict"], "CLEAR")
        h = self.hit(r, "WL-S-3")
        self.assertEqual((h["band"], h["action"], h["agency"]), ("confirmed", "notify", "police"))

    def test_review_on_name_and_birth_date(self):
        r = self.one({"id": "q4", "document_number": "N0000009", "issuing_state": "VNM",
                      "nationality": "VNM", "primary": "NGUYEN", "secondary": "VAN AN",
                      "birth_date": "1980-05-17", "sex": "M"})
        self.check_contract(r)
        self.assertEqual(r["verdict"], "REVIEW")
        h = self.hit(r, "EB-S-1")
        self.assertEqual(h["band"], "probable")
        self.assertIn("name", h["matched"])
        self.assertIn("birth_date", h["matched"])
        self.assertNotIn("passport", h["matched"])

    def test_identifier_contradicted_is_review(self):
        r = self.one({"id": "q5", "document_number": "C1234567", "issuing_state": "VNM",
                      "primary": "NGUYEN", "secondary": "VAN AN", "birth_date": "1971-01-01",
                      "sex": "M"})
        self.check_contract(r)
        self.assertEqual(r["verdict"], "REVIEW")
        h = self.hit(r, "EB-S-1")
        self.assertIn(h["band"], ("probable", "possible"))
        self.assertIn("birth_date", h["conflicts"])
        self.assertIn("passport", h["matched"])

    def test_not_listed_is_clear(self):
        r = self.one({"id": "q6", "document_number": "C0000042", "issuing_state": "VNM",
                      "primary": "KHUC", "secondary": "THUA DU", "birth_date": "1959-09-09",
                      "sex": "M"})
        self.check_contract(r)
        self.assertEqual(r["verdict"], "CLEAR")
        self.assertEqual(r["hits"], [])

    def test_name_alone_never_confirms(self):
        r = self.one({"id": "q7", "primary": "NGUYEN", "secondary": "VAN AN",
                      "full_name": "Nguyễn Văn An", "birth_date": "1980-05-17", "sex": "M"})
        self.assertEqual(r["verdict"], "REVIEW")
        self.assertTrue(all(h["band"] != "confirmed" for h in r["hits"]))

    def test_diacritics_compared_when_both_have_them(self):
        # Ân is not An when both sides write the accents
        r = self.one({"id": "q8", "full_name": "Nguyễn Văn Ân", "birth_date": "1980-05-17",
                      "sex": "M"})
        self.assertIsNone(self.hit(r, "EB-S-1"))
        # ...but the MRZ cannot tell them apart
        r = self.one({"id": "q9", "primary": "NGUYEN", "secondary": "VAN AN",
                      "birth_date": "1980-05-17", "sex": "M"})
        self.assertIsNotNone(self.hit(r, "EB-S-1"))
        # Đ folds to D
        r = self.one({"id": "q10", "document_number": "C9999990", "issuing_state": "VNM",
                      "primary": "DANG", "secondary": "VAN DUC", "birth_date": "1966-09-02",
                      "sex": "M"}, at="2026-02-01")
        self.assertEqual(self.hit(r, "EB-S-5")["band"], "probable")

    # life cycle -----------------------------------------------------------

    def test_cancelled_never_hits(self):
        r = self.one({"id": "c", "document_number": "N7654321", "issuing_state": "VNM",
                      "primary": "LE", "secondary": "QUANG VINH", "birth_date": "1990-10-10",
                      "sex": "M"})
        self.assertEqual(r["verdict"], "CLEAR")
        self.assertIsNone(self.hit(r, "EB-S-4"))

    def test_effective_dates(self):
        q = {"id": "d", "document_number": "C7777777", "issuing_state": "VNM",
             "primary": "DANG", "secondary": "VAN DUC", "birth_date": "1966-09-02"}
        self.assertEqual(self.one(q, at="2026-02-01")["verdict"], "STOP")
        self.assertEqual(self.one(q, at="2026-03-01")["verdict"], "STOP")
        self.assertEqual(self.one(q, at="2026-03-02")["verdict"], "CLEAR")
        self.assertEqual(self.one(q, at="2025-08-31")["verdict"], "CLEAR")
        q1 = {"id": "e", "document_number": "C1234567", "issuing_state": "VNM"}
        self.assertEqual(self.one(q1, at="2026-07-16")["verdict"], "STOP")
        self.assertEqual(self.one(q1, at="2026-07-17")["verdict"], "CLEAR")

    def test_default_date_is_today(self):
        # WL-S-2 has no end: it acts today whatever today is
        r = self.one({"id": "t", "personal_number": "079175123456", "issuing_state": "VNM"}, at=None)
        self.assertEqual(r["verdict"], "REFER")

    # input handling -------------------------------------------------------

    def test_malformed_lines_reported_and_skipped(self):
        r = self.run_cli("screen", "--db", self.db, "--key-file", self.key, "--at", AT,
                         stdin=lines({"id": "a", "document_number": "C1234567", "issuing_state": "VNM"},
                                     "this is not json",
                                     "",
                                     {"id": "bad", "birth_date": "1980-13-45"},
                                     {"id": 5},
                                     "[1, 2]",
                                     {"id": "b", "document_number": "C0000000", "issuing_state": "VNM"}))
        self.assertEqual(r.returncode, 1, r.stderr)
        out = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(len(out), 6)
        self.assertEqual((out[0]["id"], out[0]["verdict"]), ("a", "STOP"))
        self.assertEqual(out[1], {"id": None, "error": out[1]["error"]})
        self.assertTrue(out[1]["error"].startswith("line 2: "), out[1])
        self.assertEqual(out[2]["id"], "bad")
        self.assertTrue(out[2]["error"].startswith("line 4: birth_date"), out[2])
        self.assertIsNone(out[3]["id"])
        self.assertIn("line 5: id", out[3]["error"])
        self.assertIsNone(out[4]["id"])
        self.assertTrue(out[4]["error"].startswith("line 6: "))
        self.assertEqual((out[5]["id"], out[5]["verdict"]), ("b", "CLEAR"))

    def test_oversized_line_reported_and_skipped(self):
        big = {"id": "big", "primary": "A" * 70000}
        r = self.run_cli("screen", "--db", self.db, "--key-file", self.key, "--at", AT,
                         stdin=lines(big, {"id": "b", "document_number": "C1234567", "issuing_state": "VNM"}))
        self.assertEqual(r.returncode, 1, r.stderr)
        out = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(len(out), 2)
        self.assertIsNone(out[0]["id"])
        self.assertTrue(out[0]["error"].startswith("line 1: "), out[0])
        self.assertIn("bytes long, at most 65536", out[0]["error"])
        self.assertEqual((out[1]["id"], out[1]["verdict"]), ("b", "STOP"))

    def test_any_field_may_be_missing(self):
        out = self.screen({}, {"id": "only-date", "birth_date": "1980"},
                          {"id": "only-name", "primary": "NGUYEN"},
                          {"document_number": "C1234567"})
        self.assertEqual(len(out), 4)
        for r in out:
            self.check_contract(r)
        self.assertIsNone(out[0]["id"])
        self.assertEqual(out[0]["verdict"], "CLEAR")
        self.assertEqual(out[2]["verdict"], "CLEAR")
        # No issuing state: the number alone, checked against the entry's nationality
        self.assertEqual(out[3]["verdict"], "STOP")

    def test_stream_order_and_count(self):
        queries = [{"id": "s%d" % i, "document_number": "C%07d" % (1234560 + i % 10),
                    "issuing_state": "VNM"} for i in range(300)]
        out = self.screen(*queries)
        self.assertEqual([r["id"] for r in out], ["s%d" % i for i in range(300)])
        self.assertEqual(sum(r["verdict"] == "STOP" for r in out), 30)

    def test_max_hits(self):
        r = self.one({"id": "m", "document_number": "C1234567", "issuing_state": "VNM",
                      "primary": "NGUYEN", "secondary": "VAN AN", "birth_date": "1980-05-17"},
                     extra=("--max-hits", "1"))
        self.assertEqual(len(r["hits"]), 1)

    def test_bad_usage_and_store(self):
        for args in (["screen"], ["screen", "--db", self.db],
                     ["screen", "--db", self.db, "--key-file", self.key, "--at", "2026-13-01"],
                     ["screen", "--db", self.db, "--key-file", self.key, "extra"]):
            r = self.run_cli(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stdout, "")
        missing = os.path.join(self.dir, "missing.db")
        r = self.run_cli("screen", "--db", missing, "--key-file", self.key, stdin="{}\n")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertFalse(os.path.exists(missing))
        other_key = os.path.join(self.dir, "other.key")
        with open(other_key, "w") as f:
            f.write("00" * 32 + "\n")
        os.chmod(other_key, 0o600)
        r = self.run_cli("screen", "--db", self.db, "--key-file", other_key, stdin="{}\n")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertTrue(r.stderr.strip())

    # population -----------------------------------------------------------

    def test_population_usage_errors_name_the_option(self):
        cases = [
            (["--seed", "x", "--kind", "not-listed"], "--seed: expected a whole number"),
            (["--kind", "nope"], "--kind: expected"),
            (["--entries", "-1"], "--entries must be 0 or more"),
            (["extra"], "unexpected argument"),
        ]
        for args, message in cases:
            r = self.run_cli("population", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stdout, "")
            self.assertTrue(r.stderr.startswith("touchpoint-cli population: " + message), (args, r.stderr))

    def test_population_deterministic(self):
        a = self.run_cli("population", "--entries", "50", "--seed", "9", "--at", AT)
        b = self.run_cli("population", "--entries", "50", "--seed", "9", "--at", AT)
        c = self.run_cli("population", "--entries", "50", "--seed", "10", "--at", AT)
        self.assertEqual(a.returncode, 0)
        self.assertEqual(a.stdout, b.stdout)
        self.assertNotEqual(a.stdout, c.stdout)
        current = self.run_cli("population", "--entries", "50", "--seed", "9", "--at", AT, "--current")
        self.assertEqual(len(current.stdout.splitlines()), 50)
        self.assertGreaterEqual(len(a.stdout.splitlines()), 50)
        r = self.run_cli("population", "--kind", "nobody", "--queries", "1")
        self.assertEqual(r.returncode, 2)

    def test_population_queries_screen_as_expected(self):
        q = self.run_cli("population", "--entries", "3000", "--seed", "3", "--at", AT,
                         "--queries", "15")
        self.assertEqual(q.returncode, 0, q.stderr)
        queries = [json.loads(line) for line in q.stdout.splitlines()]
        self.assertEqual(len(queries), 75)
        out = self.screen(*queries)
        self.assertEqual(len(out), 75)
        for query, result in zip(queries, out):
            self.check_contract(result)
            self.assertEqual(query["id"], result["id"])
            expect = query["expect"]
            if expect["kind"] == "listed-identifier":
                h = self.hit(result, expect["entry_id"])
                self.assertIsNotNone(h, query)
                self.assertEqual(h["band"], "confirmed", query)
            if expect["kind"] == "not-listed":
                self.assertNotEqual(result["verdict"], "STOP", query)
            if expect["kind"] == "listed-name-slip":
                self.assertNotEqual(result["verdict"], "STOP", query)


if __name__ == "__main__":
    tpcli.main(ScreenCli)
