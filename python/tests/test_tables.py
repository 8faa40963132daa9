"""Engine.load_table on real-looking and garbage tables: rows load, CMS's .zip
is read as shipped, and an empty, prose, binary or wrong table raises
ConfigError naming the file, the line and what was expected (pytest, on the installed package)."""

import pathlib
import tempfile
import unittest

import medcode

FIXTURES = pathlib.Path(__file__).resolve().parent.parent.parent / "tests" / "fixtures"

# Two lines of 99213 at 3 units each on one date: above the fixture MUE (1 a day).
CLAIM = {
    "id": "T1",
    "type": "professional",
    "patient": {"sex": "F", "age": 40},
    "service_date": "2025-11-03",
    "diagnoses": [{"code": "E11.9"}],
    "lines": [{"code": "99213", "units": 3, "dx_pointers": [1]}],
}


class Tables(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = self.dir / name
        path.write_bytes(data)
        return path

    def rules(self, engine):
        return [f["rule"] for f in engine.check(CLAIM)["findings"]]

    def test_tables_load_and_zips_are_read(self):
        with medcode.Engine() as engine:
            self.assertNotIn("mue-exceeded", self.rules(engine))
            engine.load_table("mue", FIXTURES / "mue_practitioner.zip")
            engine.load_table("ncci-ptp", FIXTURES / "ccipra-v321r0-f1.zip")
            engine.load_table("addon", FIXTURES / "addon_codes.txt")
            engine.load_table("hcpcs", FIXTURES / "hcpcs_fixture.zip")
            self.assertIn("mue-exceeded", self.rules(engine))

    def test_garbage_tables_are_refused(self):
        empty = self.write("empty.txt", b"")
        prose = self.write("prose.txt", b"Dear colleague,\nno table here.\n")
        binary = self.write("binary.bin", b"\x00\x01\x02\x03")
        cases = [
            ("ncci-ptp", empty, "no NCCI PTP record in 0 lines"),
            ("ncci-ptp", FIXTURES / "mue_practitioner.csv", "line 2: unrecognised header"),
            ("mue", prose, "no MUE record in 2 lines"),
            ("mue", binary, "line 1: binary content (byte 0x00)"),
            ("mue", FIXTURES / "mue_two_tables.zip", "several tables"),
            ("addon", empty, "no add-on code record in 0 lines"),
            ("addon", FIXTURES / "ncci_ptp_practitioner.txt", "line 3: unrecognised header"),
            ("hcpcs", empty, "no HCPCS record in 0 lines"),
            ("hcpcs", prose, "no HCPCS record in 2 lines"),
            ("hcpcs", binary, "line 1: binary content (byte 0x00)"),
        ]
        with medcode.Engine() as engine:
            for kind, path, want in cases:
                with self.subTest(kind=kind, path=path.name):
                    with self.assertRaises(medcode.ConfigError) as cm:
                        engine.load_table(kind, path)
                    self.assertEqual(cm.exception.code, medcode.ErrorCode.CONFIG)
                    self.assertIn(str(path), cm.exception.message)
                    self.assertIn(want, cm.exception.message)
            # The engine is unchanged: no table was loaded, so no edit fires.
            self.assertNotIn("mue-exceeded", self.rules(engine))


if __name__ == "__main__":
    unittest.main()
