"""Tests of the installed Python package (``pip install ./python``, then
``python -m pytest python/tests`` from the repository)."""

import concurrent.futures
import datetime
import pathlib
import unittest

import medcode


class Basics(unittest.TestCase):
    def test_version(self):
        self.assertRegex(medcode.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(medcode.__version__, medcode.version())
        self.assertTrue(medcode.library_path().exists())

    def test_is_valid_icd10cm(self):
        self.assertTrue(medcode.is_valid_icd10cm("E11.9", "2026-01-01"))
        self.assertTrue(medcode.is_valid_icd10cm(" e119 ", 20260101))
        self.assertTrue(medcode.is_valid_icd10cm("E11.9", datetime.date(2026, 1, 1)))
        self.assertTrue(medcode.is_valid_icd10cm("E11.9"))  # today
        self.assertFalse(medcode.is_valid_icd10cm("E11", "2026-01-01"))  # a header
        self.assertFalse(medcode.is_valid_icd10cm("E11.A", "2025-06-01"))  # before FY2025
        self.assertTrue(medcode.is_valid_icd10cm("E11.A", "2025-10-01"))

    def test_is_valid_icd10pcs(self):
        self.assertTrue(medcode.is_valid_icd10pcs("0SRD0JZ", "2026-01-01"))
        self.assertFalse(medcode.is_valid_icd10pcs("0SRD0J", "2026-01-01"))

    def test_not_a_code_is_false_or_raises_when_strict(self):
        for bad in ["", "E1!", "E" * 100, "E11\0.9", "\ud800", "x" * (1 << 20)]:
            self.assertFalse(medcode.is_valid_icd10cm(bad, "2026-01-01"), repr(bad[:10]))
            with self.assertRaises(medcode.CodeSyntaxError) as cm:
                medcode.is_valid_icd10cm(bad, "2026-01-01", strict=True)
            self.assertIsInstance(cm.exception, ValueError)
            self.assertTrue(cm.exception.message)
        with self.assertRaises(medcode.CodeSyntaxError) as cm:
            medcode.is_valid_icd10cm("E1", strict=True)
        self.assertEqual(cm.exception.code, medcode.ErrorCode.SYNTAX)
        self.assertIn("too short", str(cm.exception))

    def test_bad_dates_raise(self):
        for bad in [20261341, "2026-02-30", "tomorrow", -1]:
            with self.assertRaises(medcode.DateError, msg=repr(bad)):
                medcode.is_valid_icd10cm("E11.9", bad)
        with self.assertRaises(medcode.DateError) as cm:
            medcode.lookup("E11.9", date="2026-02-30")
        self.assertEqual(cm.exception.code, medcode.ErrorCode.DATE)
        self.assertIn("2026-02-30", cm.exception.message)
        # The date as the user wrote it, not the number it became.
        with self.assertRaises(medcode.DateError) as cm:
            medcode.icd10cm.valid("E11.9", "2026-13-01")
        self.assertEqual(cm.exception.message, "no such date: 2026-13-01")
        with self.assertRaises(TypeError):
            medcode.is_valid_icd10cm("E11.9", 2026.0)
        with self.assertRaises(TypeError):
            medcode.is_valid_icd10cm(b"E11.9")


class Lookup(unittest.TestCase):
    def test_icd10cm(self):
        r = medcode.lookup("e119", date="2026-01-01")
        self.assertEqual(r["system"], "icd10cm")
        self.assertEqual(r["code"], "E11.9")
        self.assertEqual(r["title"], "Type 2 diabetes mellitus without complications")
        self.assertTrue(r["valid"] and r["billable"] and r["in_table"])
        self.assertEqual(r["valid_from"], "2015-10-01")
        self.assertEqual(r["parent"], "E11")

    def test_system_and_dates(self):
        r = medcode.lookup("0SRD0JZ", system="icd10pcs", date=datetime.date(2026, 1, 1))
        self.assertEqual(r["system"], "icd10pcs")
        self.assertTrue(r["valid"])
        self.assertEqual(len(r["axes"]), 7)
        self.assertEqual(medcode.lookup("E11.9", date=20260101)["date"], "2026-01-01")

    def test_not_a_code_is_an_answer(self):
        r = medcode.lookup("", date="2026-01-01")
        self.assertFalse(r["valid"])
        self.assertEqual(r["error"], "empty code")

    def test_cpt_note_names_no_cli_flag(self):
        note = medcode.lookup("99213", date="2026-01-01")["note"]
        self.assertIn("licensed", note)
        self.assertNotIn("--", note)

    def test_errors(self):
        with self.assertRaises(medcode.UnknownSystemError) as cm:
            medcode.lookup("E11.9", system="icd9")
        self.assertIn("icd9", str(cm.exception))
        self.assertIsInstance(cm.exception, medcode.MedcodeError)
        with self.assertRaises(medcode.CodeSyntaxError) as cm:
            medcode.lookup("E11\0.9")
        self.assertEqual(cm.exception.code, medcode.ErrorCode.NUL)
        with self.assertRaises(medcode.CodeSyntaxError) as cm:
            medcode.lookup("E" * (1 << 20))
        self.assertEqual(cm.exception.code, medcode.ErrorCode.TOO_LONG)
        with self.assertRaises(TypeError):
            medcode.lookup(None)


class Threads(unittest.TestCase):
    def test_concurrent_calls(self):
        def work(i):
            ok = 0
            for _ in range(2000):
                ok += medcode.is_valid_icd10cm("E11.9", 20260101)
                if i % 2:
                    try:
                        medcode.is_valid_icd10cm("E1!", 20260101, strict=True)
                    except medcode.CodeSyntaxError as e:
                        ok += "position" in e.message
            return ok, medcode.lookup("E11.9", date="2026-01-01")["valid"]

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            results = list(pool.map(work, range(8)))
        for i, (ok, valid) in enumerate(results):
            self.assertEqual(ok, 4000 if i % 2 else 2000)
            self.assertTrue(valid)


CLAIM = {
    "id": "C1",
    "type": "professional",
    "patient": {"sex": "F", "age": 40},
    "service_date": "2025-06-02",
    "diagnoses": [{"code": "E11.A"}],
    "lines": [{"code": "99213", "units": 1, "dx_pointers": [1]}],
}


class EngineTests(unittest.TestCase):
    def test_check_flags_and_types(self):
        with medcode.Engine() as engine:
            report = engine.check(CLAIM)
            self.assertEqual(report["claim_id"], "C1")
            rules = [f["rule"] for f in report["findings"]]
            self.assertIn("code-not-valid-on-date", rules)
            finding = report["findings"][0]
            # cms_edit: the MCE edit code-not-valid-on-date stands for.
            self.assertEqual(set(finding), {"rule", "severity", "line", "field", "codes", "message", "cms_edit"})
            self.assertEqual(finding["cms_edit"], "INVALID_CODE")
            others = [f for f in report["findings"] if f["rule"] == "dx-pointer-invalid"]
            self.assertTrue(all("cms_edit" not in f for f in others))

    def test_outpatient_claim_gets_the_ioce_edits(self):
        claim = {
            "id": "OP-1", "type": "institutional", "bill_type": "131",
            "from_date": "2025-03-01", "through_date": "2025-03-01", "service_date": "2025-03-01",
            "discharge_status": "01", "patient": {"sex": "F", "age": 70},
            "diagnoses": ["N186", "E119"],
            "lines": [
                {"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 100},
                {"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50},
                {"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20},
            ],
        }
        findings = medcode.Engine().check(claim)["findings"]
        self.assertEqual([(f["rule"], f["cms_edit"], f["line"]) for f in findings], [("ioce-040", "040", 3)])
        self.assertTrue(findings[0]["message"].startswith("I/OCE edit 040 (line 3, 82947): "))

    def test_malformed_claim_is_a_finding(self):
        engine = medcode.Engine()
        report = engine.check("{not json")
        self.assertIsNone(report["claim_id"])
        self.assertEqual(report["findings"][0]["rule"], "malformed-claim")

    def test_strict_mode_and_line_numbers(self):
        claim = dict(CLAIM, lines=[dict(CLAIM["lines"][0], modifer=["25"])])
        lenient = medcode.Engine()
        self.assertNotIn("unknown-field", [f["rule"] for f in lenient.check(claim)["findings"]])
        strict = medcode.Engine({"strict": True})
        unknown = [f for f in strict.check(claim)["findings"] if f["rule"] == "unknown-field"]
        self.assertEqual([(f["field"], f["line"]) for f in unknown], [("lines[0].modifer", 1)])
        self.assertIn('did you mean "modifiers"', unknown[0]["message"])

    def test_check_many_one_report_each(self):
        engine = medcode.Engine()
        reports = engine.check_many([CLAIM, "[]", dict(CLAIM, id="C2")])
        self.assertEqual([r["line"] for r in reports], [1, 2, 3])
        self.assertEqual([r["claim_id"] for r in reports], ["C1", None, "C2"])

    def test_config_and_errors(self):
        engine = medcode.Engine({"disabled": ["code-not-valid-on-date"]})
        self.assertNotIn("code-not-valid-on-date", [f["rule"] for f in engine.check(CLAIM)["findings"]])
        with self.assertRaises(medcode.ConfigError):
            medcode.Engine({"no_such_field": 1})
        with self.assertRaises(medcode.ConfigError):
            engine.load_table("nonsense", "/x")
        with self.assertRaises(medcode.ConfigError) as cm:
            engine.load_table("mue", "/nonexistent/mue.csv")
        self.assertEqual(str(cm.exception.message).count("/nonexistent/mue.csv"), 1, cm.exception.message)
        engine.close()
        with self.assertRaises(medcode.MedcodeError):
            engine.check(CLAIM)

    def test_threads_share_one_engine(self):
        engine = medcode.Engine()

        def work(_):
            return sum("code-not-valid-on-date" in [f["rule"] for f in engine.check(CLAIM)["findings"]] for _ in range(200))

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            self.assertEqual(list(pool.map(work, range(4))), [200] * 4)


class HostileInput(unittest.TestCase):
    """Issue 12: hostile or careless input raises a MedcodeError or becomes a finding."""

    def test_nul_raises_in_check_and_check_many(self):
        engine = medcode.Engine()
        for call in (engine.check, lambda c: engine.check_many([c])):
            with self.assertRaises(medcode.ClaimError):
                call('{"id": "C1"}\0{"id": "C2"}')

    def test_nul_in_table_path_raises(self):
        engine = medcode.Engine()
        with self.assertRaises(medcode.ConfigError):
            engine.load_table("mue", "tests/fixtures/mue_practitioner.csv\0ignored")

    def test_lone_surrogate_is_a_medcode_error(self):
        engine = medcode.Engine()
        with self.assertRaises(medcode.ClaimError):
            engine.check('{"id": "\ud800"}')
        with self.assertRaises(medcode.ClaimError):
            engine.check_many(['{"id": "\ud800"}'])
        # In a dict, json.dumps escapes it: the claim is read, not raised.
        self.assertEqual(engine.check(dict(CLAIM, id="\ud800"))["findings"][0]["rule"], "malformed-claim")

    def test_claim_over_the_limit_has_its_own_error(self):
        engine = medcode.Engine()
        with self.assertRaises(medcode.ClaimTooLongError) as cm:
            engine.check(" " * (medcode.MAX_CLAIM_LEN + 1))
        self.assertNotIsInstance(cm.exception, medcode.CodeSyntaxError)

    def test_arrays_are_not_claims_or_configs(self):
        engine = medcode.Engine()
        report = engine.check('["P-9", "professional"]')
        self.assertIsNone(report["claim_id"])
        self.assertEqual(report["findings"][0]["rule"], "malformed-claim")
        with self.assertRaises(medcode.ConfigError):
            medcode.Engine(["disabled"])  # type: ignore[arg-type]

    def test_close_waits_for_calls_in_flight(self):
        # Closing while other threads check never frees under them: each call
        # either completes or raises MedcodeError("closed").
        big = dict(CLAIM, diagnoses=[{"code": "E11.9"}] * 2000)
        for _ in range(5):
            engine = medcode.Engine()
            results = []

            def work(_):
                for _ in range(20):
                    try:
                        results.append(len(engine.check(big)["findings"]))
                    except medcode.MedcodeError as e:
                        self.assertIn("closed", str(e))
                        return

            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                futures = [pool.submit(work, i) for i in range(4)]
                engine.close()
                for f in futures:
                    f.result()
            # Every call that completed answered in full (one finding per
            # repeated diagnosis at least); none answered half a claim.
            self.assertTrue(all(n == results[0] for n in results))
            if results:
                self.assertGreater(results[0], 0)
        with self.assertRaises(medcode.MedcodeError):
            engine.check(CLAIM)

    def test_load_table_waits_for_calls_in_flight(self):
        engine = medcode.Engine()
        root = pathlib.Path(__file__).resolve().parents[2]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(lambda: [engine.check(CLAIM) for _ in range(50)]) for _ in range(3)]
            engine.load_table("mue", root / "tests/fixtures/mue_practitioner.csv")
            answers = [r for f in futures for r in f.result()]
        # Every call answered, each with the findings of the engine before or
        # after the load (the table swaps whole, never half loaded).
        self.assertEqual(len(answers), 150)
        before, after = medcode.Engine(), engine
        self.assertTrue(all(a == before.check(CLAIM) or a == after.check(CLAIM) for a in answers))
        # And the table is in force from then on.
        over = dict(CLAIM, lines=[{"code": "99213", "units": 3, "dx_pointers": [1]}])
        self.assertNotIn("mue-exceeded", [f["rule"] for f in before.check(over)["findings"]])
        self.assertIn("mue-exceeded", [f["rule"] for f in engine.check(over)["findings"]])
        before.close()
        engine.close()


if __name__ == "__main__":
    unittest.main()
