#!/usr/bin/env python3
# test_list.py: contract tests for `touchpoint-cli list import|stats` and
# `touchpoint-cli audit verify`, run against the real binary.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

import tpcli

CLI = tpcli.CLI


def entry(id_, version=1, status="active", until="2026-07-16", **person):
    p = {"full_name": "Nguyễn Văn An", "birth_date": "1980-05-17", "sex": "M",
         "nationality": "VNM",
         "identifiers": [{"type": "passport",
                          "value": "C%07d" % (int(hashlib.sha256(id_.encode()).hexdigest(), 16) % 10**7),
                          "country": "VNM"}]}
    p.update(person)
    return {"id": id_, "version": version, "list": "exit_ban", "status": status,
            "agency": "customs", "action": "deny_exit",
            "visibility": ["immigration", "supervisor"], "person": p,
            "basis": {"reference": "1234/TB-HQ", "issued_at": "2026-01-16", "reason": "tax_debt"},
            "effective_from": "2026-01-16", "effective_until": until}


def lines(*items):
    return "".join((json.dumps(i, ensure_ascii=False) if not isinstance(i, str) else i) + "\n"
                   for i in items)


class ListCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tp-cli-list-")
        self.db = os.path.join(self.dir, "store.db")
        self.key = os.path.join(self.dir, "store.key")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_cli(self, *args, stdin=""):
        return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                              timeout=120)

    def import_(self, stdin, db=None, key=None):
        return self.run_cli("list", "import", "--db", db or self.db, "--key-file", key or self.key,
                            stdin=stdin)

    def stats(self, *extra):
        r = self.run_cli("list", "stats", "--db", self.db, "--key-file", self.key, *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def verify(self):
        return self.run_cli("audit", "verify", "--db", self.db, "--key-file", self.key)

    # import ------------------------------------------------------------

    def test_import_creates_store_and_key(self):
        r = self.import_(lines(entry("EB-1"), entry("EB-2")))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["imported"], 2)
        self.assertEqual(out["rejected"], 0)
        self.assertEqual(out["errors"], [])
        self.assertEqual(stat.S_IMODE(os.stat(self.key).st_mode), 0o600)
        with open(self.key) as f:
            text = f.read().strip()
        self.assertEqual(len(text), 64)
        int(text, 16)
        self.assertEqual(r.stdout.count("\n"), 1)

    def test_mixed_valid_and_invalid(self):
        bad_date = entry("EB-3")
        bad_date["person"]["birth_date"] = "1980-13-01"
        bad_list = entry("EB-4")
        bad_list["list"] = "blacklist"
        no_person = entry("EB-5")
        del no_person["person"]
        nothing = entry("EB-6")
        nothing["person"] = {"sex": "M"}
        stdin = lines(entry("EB-1"), bad_date, "this is not json", "", "   ",
                      bad_list, entry("EB-2"), no_person, nothing, '{"version": 1}', "[1, 2]")
        r = self.import_(stdin)
        self.assertEqual(r.returncode, 1, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["imported"], 2)
        self.assertEqual(out["rejected"], 7)
        errs = {e["line"]: e for e in out["errors"]}
        self.assertEqual(sorted(errs), [2, 3, 6, 8, 9, 10, 11])
        self.assertEqual(errs[2]["id"], "EB-3")
        self.assertEqual(errs[2]["message"],
                         "person.birth_date: “1980-13-01” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        self.assertIsNone(errs[3]["id"])
        self.assertEqual(errs[3]["message"], "entry: expected a JSON object")
        self.assertEqual(errs[6]["id"], "EB-4")
        self.assertTrue(errs[6]["message"].startswith("list: “blacklist” is not a list"))
        self.assertEqual(errs[8]["message"], "person: missing (required)")
        self.assertEqual(errs[9]["message"], "person: needs a full_name or at least one identifier")
        self.assertIsNone(errs[10]["id"])
        self.assertEqual(errs[10]["message"], "id: missing (required)")
        self.assertIsNone(errs[11]["id"])
        for e in out["errors"]:
            self.assertEqual(set(e), {"line", "id", "message"})
        self.assertEqual(self.stats()["entries"], 2)

    def test_resend_is_idempotent_and_conflicts_are_reported(self):
        first = [entry("EB-%d" % i) for i in range(1, 6)]
        r = self.import_(lines(*first))
        self.assertEqual(r.returncode, 0, r.stderr)
        hash_before = self.stats()["state_hash"]
        # the same file again: nothing changes, nothing is reported
        r = self.run_cli("list", "import", "--db", self.db, "--key-file", self.key,
                         "--batch-size", "2", stdin=lines(*first))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"imported": 0, "rejected": 0, "ignored": 5,
                                                "conflicts": 0, "errors": []})
        # changed content under the same versions, across batches of two,
        # between a bad line and a new entry: each conflict on its own line
        changed2 = entry("EB-2", full_name="Trần Văn Bình")
        changed5 = entry("EB-5", until="2027-01-01")
        bad = entry("EB-9")
        bad["list"] = "blacklist"
        stdin = lines(entry("EB-1"), changed2, bad, entry("EB-6"), changed5, entry("EB-7"))
        r = self.run_cli("list", "import", "--db", self.db, "--key-file", self.key,
                         "--batch-size", "2", stdin=stdin)
        self.assertEqual(r.returncode, 1, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual((out["imported"], out["rejected"], out["ignored"], out["conflicts"]),
                         (2, 3, 1, 2))
        self.assertEqual([(e["line"], e["id"]) for e in out["errors"]],
                         [(2, "EB-2"), (3, "EB-9"), (5, "EB-5")])
        self.assertEqual(out["errors"][0]["message"],
                         "version 1 of EB-2 is already stored with different content; "
                         "a change needs a new version")
        self.assertEqual(out["errors"][2]["message"],
                         "version 1 of EB-5 is already stored with different content; "
                         "a change needs a new version")
        # the stored versions stayed: only EB-6 and EB-7 were added
        s = self.stats()
        self.assertEqual((s["entries"], s["versions"]), (7, 7))
        self.assertNotEqual(s["state_hash"], hash_before)
        # a new version carries the change
        r = self.import_(lines(dict(changed2, version=2)))
        self.assertEqual(json.loads(r.stdout)["imported"], 1)
        self.assertEqual(self.verify().returncode, 0)

    def test_icao_country_codes(self):
        # Codes as documents print them: Germany D, Kosovo RKS, a stateless
        # person XXA, a British National (Overseas) GBN, the United Nations UNO.
        ok = [entry("EB-D", nationality="D",
                    identifiers=[{"type": "passport", "value": "C01X00T47", "country": "D"}]),
              entry("EB-RKS", nationality="RKS"),
              entry("EB-XXA", nationality="XXA"),
              entry("EB-GBN", nationality="GBN"),
              entry("EB-UNO", nationality="VNM",
                    identifiers=[{"type": "passport", "value": "U1234567", "country": "UNO"}])]
        bad = [entry("EB-ZZZ", nationality="ZZZ"), entry("EB-DE", nationality="DE")]
        r = self.import_(lines(*ok, *bad))
        out = json.loads(r.stdout)
        self.assertEqual(out["imported"], len(ok), out)
        self.assertEqual([e["id"] for e in out["errors"]], ["EB-ZZZ", "EB-DE"])
        for e in out["errors"]:
            self.assertIn("person.nationality", e["message"])
            self.assertIn("not a country code", e["message"])
        self.assertEqual(r.returncode, 1)

    def test_birth_date_in_future_rejected(self):
        future = entry("EB-2", birth_date="2090-01-01")
        future_year = entry("EB-3", birth_date="2090")
        r = self.import_(lines(entry("EB-1"), future, future_year, entry("EB-4")))
        self.assertEqual(r.returncode, 1, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual((out["imported"], out["rejected"]), (2, 2))
        self.assertEqual(out["errors"], [
            {"line": 2, "id": "EB-2",
             "message": "person.birth_date: “2090-01-01” is in the future"},
            {"line": 3, "id": "EB-3", "message": "person.birth_date: “2090” is in the future"}])

    def test_hostile_lines_lose_nothing_else(self):
        deep = "[" * 100000 + "]" * 100000
        two = json.dumps(entry("EB-8")) + json.dumps(entry("EB-9"))
        r = self.import_(lines(entry("EB-7"), deep, two, '{"id": "X\u001fY"}'))
        self.assertEqual(r.returncode, 1, r.stderr)
        out = json.loads(r.stdout)          # valid JSON even with U+001F in an id
        self.assertEqual(out["imported"], 1)
        errs = {e["line"]: e["message"] for e in out["errors"]}
        self.assertEqual(sorted(errs), [2, 3, 4])
        self.assertIn("bytes long", errs[2])
        self.assertIn("text after the object", errs[3])
        self.assertEqual(self.stats()["entries"], 1)

    def test_error_paths(self):
        cases = [
            ("effective_until", "2025-01-01", "effective_until: “2025-01-01” is before effective_from “2026-01-16”"),
            ("effective_from", "2026-02-30", "effective_from: “2026-02-30” is not a date (YYYY-MM-DD)"),
            ("agency", "army", "agency: “army” is not an agency"),
            ("action", "arrest", "action: “arrest” is not an action"),
            ("status", "gone", "status: “gone” is not a status"),
            ("version", 0, "version: 0 is out of range"),
            ("visibility", ["boss"], "visibility[0]: “boss” is not a role"),
        ]
        stdin = ""
        for field, value, _ in cases:
            e = entry("EB-" + field)
            e[field] = value
            stdin += lines(e)
        sex = entry("EB-sex")
        sex["person"]["sex"] = "Q"
        nat = entry("EB-nat")
        nat["person"]["nationality"] = "VN"
        stdin += lines(sex, nat)
        r = self.import_(stdin)
        self.assertEqual(r.returncode, 1)
        out = json.loads(r.stdout)
        self.assertEqual(out["imported"], 0)
        self.assertEqual(out["rejected"], len(cases) + 2)
        for (field, _, message), err in zip(cases, out["errors"]):
            self.assertTrue(err["message"].startswith(message), (field, err))
        self.assertEqual(out["errors"][-2]["message"], "person.sex: “Q” is not a sex code (M, F or X)")
        self.assertTrue(out["errors"][-1]["message"].startswith("person.nationality: “VN” is not a country code"))

    def test_lifecycle_and_stale_versions(self):
        r = self.import_(lines(entry("EB-1", 1)))
        self.assertEqual(r.returncode, 0)
        before = self.stats("--at", "2026-09-01")
        self.assertEqual(before["effective"]["total"], 0)        # expired on 2026-07-16
        r = self.import_(lines(entry("EB-1", 2, until="2026-12-31")))
        self.assertEqual(json.loads(r.stdout)["imported"], 1)
        self.assertEqual(self.stats("--at", "2026-09-01")["effective"]["total"], 1)
        # a stale version 2 and an exact repeat of 3: ignored, silently
        r = self.import_(lines(entry("EB-1", 3, status="cancelled"), entry("EB-1", 2),
                               entry("EB-1", 3, status="cancelled")))
        out = json.loads(r.stdout)
        self.assertEqual(r.returncode, 0)
        self.assertEqual((out["imported"], out["rejected"], out["ignored"], out["conflicts"]),
                         (1, 0, 2, 0))
        self.assertEqual(out["errors"], [])
        # version 3 again with other content: a conflict, not applied
        r = self.import_(lines(entry("EB-1", 3)))
        out = json.loads(r.stdout)
        self.assertEqual(r.returncode, 1)
        self.assertEqual((out["imported"], out["rejected"], out["ignored"], out["conflicts"]),
                         (0, 1, 0, 1))
        self.assertEqual(out["errors"], [{
            "line": 1, "id": "EB-1",
            "message": "version 3 of EB-1 is already stored with different content; "
                       "a change needs a new version"}])
        s = self.stats("--at", "2026-09-01")
        self.assertEqual(s["entries"], 1)
        self.assertEqual(s["versions"], 3)
        self.assertEqual(s["statuses"], {"active": 0, "cancelled": 1})
        self.assertEqual(s["effective"]["total"], 0)

    def test_stats_and_state_hash(self):
        watch = entry("WL-1")
        watch["list"] = "watch"
        watch["action"] = "notify"
        watch["effective_until"] = None
        self.import_(lines(entry("EB-1"), entry("EB-2", status="cancelled"), watch))
        s = self.stats("--at", "2026-03-01")
        self.assertEqual(s["entries"], 3)
        self.assertEqual(s["lists"], {"exit_ban": 2, "watch": 1})
        self.assertEqual(s["statuses"], {"active": 2, "cancelled": 1})
        self.assertEqual(s["effective"], {"date": "2026-03-01", "total": 2, "exit_ban": 1, "watch": 1})
        self.assertRegex(s["state_hash"], r"^[0-9a-f]{64}$")
        # the same entries imported elsewhere, in another order, give the same hash
        other = os.path.join(self.dir, "other.db")
        self.import_(lines(watch, entry("EB-2", status="cancelled"), entry("EB-1")), db=other)
        r = self.run_cli("list", "stats", "--db", other, "--key-file", self.key)
        self.assertEqual(json.loads(r.stdout)["state_hash"], s["state_hash"])
        # and it is the sum of the SHA-256 of the canonical forms (checked on one entry)
        single = os.path.join(self.dir, "single.db")
        self.import_(lines({"id": "W-1", "version": 1, "list": "watch", "status": "active",
                            "agency": "police", "action": "notify",
                            "person": {"full_name": "Trần Thị Bình"}, "effective_from": "2026-01-01"}),
                     db=single)
        r = self.run_cli("list", "stats", "--db", single, "--key-file", self.key)
        canonical = ('{"action":"notify","agency":"police","effective_from":"2026-01-01","id":"W-1",'
                     '"list":"watch","person":{"full_name":"Trần Thị Bình"},"status":"active","version":1}')
        self.assertEqual(json.loads(r.stdout)["state_hash"],
                         hashlib.sha256(canonical.encode()).hexdigest())

    def test_stats_self_check(self):
        # No entry may be silently unenforceable: every entry in force is
        # screened against a traveller presenting its own data, and those
        # that would not hit are named
        background = self.run_cli("population", "--entries", "3000", "--seed", "3",
                                  "--at", "2026-05-01")
        self.assertEqual(background.returncode, 0, background.stderr)

        def person_only(id_, status="active", **person):
            return {"id": id_, "version": 1, "list": "exit_ban", "status": status,
                    "agency": "tax", "action": "deny_exit", "person": person,
                    "effective_from": "2026-01-01"}
        paper = person_only("EB-PAPER", full_name="Nguyễn Thị Hương", birth_date="1984", sex="F",
                            nationality="VNM")
        no_date = person_only("EB-NODATE", full_name="Nguyễn Văn Hùng", sex="M", nationality="VNM")
        gone = person_only("EB-GONE", status="cancelled", full_name="Nguyễn Văn Hùng", sex="M")
        r = self.import_(background.stdout + lines(paper, no_date, gone))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        s = self.stats("--at", "2026-05-01")
        check = s["self_check"]
        self.assertEqual(check["checked"], s["effective"]["total"])
        self.assertEqual(check["not_hit"], 1)
        self.assertEqual(check["ids"], ["EB-NODATE"])
        # skipped on request
        self.assertNotIn("self_check", self.stats("--at", "2026-05-01", "--no-self-check"))

    def test_empty_store_stats(self):
        r = self.import_("")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(json.loads(r.stdout), {"imported": 0, "rejected": 0, "ignored": 0,
                                                "conflicts": 0, "errors": []})
        s = self.stats()
        self.assertEqual(s["entries"], 0)
        self.assertEqual(s["state_hash"], "0" * 64)

    # keys and files ----------------------------------------------------

    def test_existing_db_missing_key_is_fatal(self):
        self.import_(lines(entry("EB-1")))
        os.unlink(self.key)
        r = self.import_(lines(entry("EB-2")))
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertIn(self.key, r.stderr)
        self.assertFalse(os.path.exists(self.key))

    def test_wrong_key_leaves_file_untouched(self):
        self.import_(lines(entry("EB-1")))
        with open(self.db, "rb") as f:
            before = hashlib.sha256(f.read()).hexdigest()
        other = os.path.join(self.dir, "other.key")
        with open(other, "w") as f:
            f.write("ab" * 32 + "\n")
        os.chmod(other, 0o600)
        for cmd in (["list", "import"], ["list", "stats"], ["audit", "verify"]):
            r = self.run_cli(*cmd, "--db", self.db, "--key-file", other, stdin=lines(entry("EB-9")))
            self.assertEqual(r.returncode, 2, cmd)
            self.assertIn("cannot be opened with this key", r.stderr)
        with open(self.db, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), before)
        self.assertEqual(sorted(os.listdir(self.dir)), ["other.key", "store.db", "store.key"])

    def test_key_file_permissions(self):
        self.import_(lines(entry("EB-1")))
        os.chmod(self.key, 0o644)
        r = self.import_(lines(entry("EB-2")))
        self.assertEqual(r.returncode, 2)
        self.assertIn("chmod 600 " + self.key, r.stderr)
        r = self.run_cli("list", "stats", "--db", self.db, "--key-file", self.key)
        self.assertEqual(r.returncode, 2)
        os.chmod(self.key, 0o600)
        self.assertEqual(self.stats()["entries"], 1)

    def test_not_a_database(self):
        with open(self.db, "w") as f:
            f.write("just some text, not a store\n" * 100)
        with open(self.key, "w") as f:
            f.write("cd" * 32)
        os.chmod(self.key, 0o600)
        r = self.import_(lines(entry("EB-1")))
        self.assertEqual(r.returncode, 2)
        self.assertIn("wrong key, or not a Touchpoint store", r.stderr)
        with open(self.db) as f:
            self.assertEqual(f.read(), "just some text, not a store\n" * 100)

    def test_stats_missing_store(self):
        r = self.run_cli("list", "stats", "--db", self.db, "--key-file", self.key)
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(self.db))
        self.assertFalse(os.path.exists(self.key))

    def test_help_states_exit_status(self):
        r = self.run_cli("list", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 when any entry was rejected", r.stdout)

    def test_usage_errors(self):
        for args in (["list"], ["list", "import"], ["list", "frobnicate", "--db", self.db, "--key-file", self.key],
                     ["list", "stats", "--db", self.db], ["audit", "verify", "--key-file", self.key],
                     ["list", "stats", "--db", self.db, "--key-file", self.key, "--at", "2026-13-01"]):
            r = self.run_cli(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stdout, "")

    # audit ---------------------------------------------------------------

    def test_audit_verify_and_tamper(self):
        for i in range(3):
            self.import_(lines(entry("EB-%d" % i)))
        r = self.verify()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"valid": True, "records": 3})
        # tamper through the sqlcipher shell, with the key, when it is installed
        shell = shutil.which("sqlcipher")
        if shell is None:
            self.skipTest("sqlcipher shell not installed")
        with open(self.key) as f:
            key = f.read().strip()
        sql = ("PRAGMA key = \"x'%s'\"; PRAGMA cipher_compatibility = 3; PRAGMA cipher_page_size = 16384; "
               "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2;" % key)
        done = subprocess.run([shell, self.db], input=sql, capture_output=True, text=True)
        if "version mismatch" in done.stderr + done.stdout:
            # the shell refuses a library other than its own (a SQLCipher 4
            # library swapped in with LD_LIBRARY_PATH)
            self.skipTest("sqlcipher shell does not run with this library")
        self.assertEqual(done.returncode, 0, done.stderr)
        r = self.verify()
        self.assertEqual(r.returncode, 1)
        out = json.loads(r.stdout)
        self.assertEqual(out["valid"], False)
        self.assertEqual(out["records"], 3)
        self.assertEqual(out["first_broken"], 2)
        self.assertIn("altered", out["reason"])

    def test_audit_missing_store(self):
        r = self.verify()
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    tpcli.main(ListCli)
