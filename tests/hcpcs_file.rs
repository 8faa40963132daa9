//! The CMS quarterly HCPCS file reader, on the fixtures in tests/fixtures
//! (fixed width, 320 columns, LF, cp1252; titles are test text).

use medcode::hcpcs::{Field, HcpcsFileError, HcpcsLoadError, HcpcsRelease};
use medcode::load::LoadOptions;
use medcode::{Date, Hcpcs, Modifier};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn release() -> HcpcsRelease {
    HcpcsRelease::load(fixture("hcpcs_fixture.txt")).expect("fixture loads")
}

fn d(y: u32, m: u32, day: u32) -> Date {
    Date::new(y, m, day).unwrap()
}

fn code(s: &str) -> Hcpcs {
    s.parse().unwrap()
}

fn record_error(err: HcpcsLoadError) -> HcpcsFileError {
    match err {
        HcpcsLoadError::Record(e) => e,
        other => panic!("expected a record error, got {other}"),
    }
}

#[test]
fn fixture_has_every_record() {
    let r = release();
    let codes: Vec<String> = r.iter().map(|e| e.code().to_string()).collect();
    assert_eq!(
        codes,
        ["A0428", "E0114", "G0008", "G0202", "J1100", "K0001", "L3000", "Q0091", "V2020"]
    );
    assert_eq!(r.len(), 9);
    assert!(!r.is_empty());
    let mods: Vec<String> = r.modifiers().map(|m| m.modifier().to_string()).collect();
    assert_eq!(mods, ["GA", "LT", "RT", "TC"]);
    // Every file line is accounted for: 5 modifier records, 12 code records.
    let text = std::fs::read(fixture("hcpcs_fixture.txt")).unwrap();
    assert_eq!(
        text.split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count(),
        17
    );
    assert!(text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .all(|l| l.len() == 320));
}

#[test]
fn fields_are_read() {
    let r = release();
    let a = r.get(code("A0428")).unwrap();
    assert_eq!(a.code(), code("A0428"));
    assert_eq!(a.title(), Some("TEST LONG TITLE FOR A TRANSPORT CODE"));
    assert_eq!(a.short_title(), Some("TEST SHORT A0428"));
    assert_eq!(
        a.pricing_indicators().iter().collect::<Vec<_>>(),
        ["13", "21", "22", "57"]
    );
    assert_eq!(a.coverage_code(), Some('C'));
    assert_eq!(a.betos(), Some("O1A"));
    assert_eq!(a.added(), Some(d(1996, 1, 1)));
    assert_eq!(a.action_effective(), Some(d(2024, 1, 1)));
    assert_eq!(a.terminated(), None);
    assert_eq!(a.action_code(), Some('C'));

    let g = r.get(code("G0008")).unwrap();
    assert_eq!(g.pricing_indicators().len(), 1);
    assert_eq!(g.pricing_indicators().get(0), Some("51"));
    assert_eq!(g.pricing_indicators().get(1), None);

    let v = r.get(code("V2020")).unwrap();
    assert_eq!(v.added(), None);
    assert_eq!(v.action_code(), None);
    assert!(v.valid_on(d(1900, 1, 1)), "a blank add date means always");

    assert!(r.get(code("A0429")).is_none());
    assert!(r.get(code("D0120")).is_none());
}

#[test]
fn long_titles_continue_over_records() {
    let r = release();
    // Three records, chunks trimmed and joined with one space, cp1252 0x92 decoded.
    assert_eq!(
        r.get(code("E0114")).unwrap().title(),
        Some(
            "TEST LONG TITLE PART ONE OF A CODE WHOSE TITLE CONTINUES OVER THREE RECORDS, \
             WITH A CP1252 QUOTE \u{2019} IN PART THREE"
        )
    );
    assert_eq!(
        r.get(code("Q0091")).unwrap().title(),
        Some("TEST LONG TITLE FOR A TEMPORARY CODE, CONTINUED ON A SECOND RECORD")
    );
    let ga = r.modifier("GA".parse().unwrap()).unwrap();
    assert_eq!(
        ga.title(),
        Some("TEST MODIFIER LONG TITLE GA, PART ONE OF A TITLE THAT CONTINUES ON A SECOND MODIFIER RECORD")
    );
    assert_eq!(ga.short_title(), Some("TEST MOD SHORT GA"));
    assert_eq!(ga.added(), Some(d(2002, 1, 1)));
    assert_eq!(ga.action_code(), Some('N'));
    assert!(r.modifier("25".parse().unwrap()).is_none());
}

#[test]
fn terminated_code_and_valid_on() {
    let r = release();
    let g = r.get(code("G0202")).unwrap();
    assert_eq!(g.terminated(), Some(d(2014, 12, 31)));
    assert_eq!(g.action_code(), Some('D'));
    assert!(!g.valid_on(d(2001, 12, 31)), "before its add date");
    assert!(g.valid_on(d(2002, 1, 1)), "on its add date");
    assert!(g.valid_on(d(2014, 12, 31)), "on its termination date");
    assert!(!g.valid_on(d(2015, 1, 1)), "after termination");

    let q = r.get(code("Q0091")).unwrap();
    assert!(!q.valid_on(d(2015, 6, 30)));
    assert!(q.valid_on(d(2015, 7, 1)));

    let on = |date| {
        r.valid_on(date)
            .map(|e| e.code().to_string())
            .collect::<Vec<_>>()
    };
    assert!(!on(d(2026, 1, 1)).contains(&"G0202".to_owned()));
    assert!(on(d(2014, 6, 1)).contains(&"G0202".to_owned()));
    assert!(!on(d(2014, 6, 1)).contains(&"Q0091".to_owned()));
}

#[test]
fn modifier_titles_come_from_the_release() {
    let r = release();
    let lt: Modifier = "LT".parse().unwrap();
    let entry = r.modifier(lt).unwrap();
    assert_eq!(entry.modifier(), lt);
    assert_eq!(entry.title(), Some("TEST MODIFIER TITLE LEFT"));
    assert!(entry.valid_on(d(2026, 1, 1)));
    assert_eq!(r.modifiers().len(), 4);
}

#[test]
fn crlf_and_short_records_read_the_same() {
    let bytes = std::fs::read(fixture("hcpcs_fixture.txt")).unwrap();
    let lf = HcpcsRelease::from_reader(&bytes[..]).unwrap();
    assert_eq!(lf, release());
    // CRLF line ends.
    let mut crlf = Vec::new();
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        crlf.extend_from_slice(line);
        crlf.extend_from_slice(b"\r\n");
    }
    assert_eq!(HcpcsRelease::from_reader(&crlf[..]).unwrap(), lf);
    // Trailing blanks stripped, and blank lines between records.
    let mut trimmed = Vec::new();
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let end = line.iter().rposition(|&b| b != b' ').unwrap() + 1;
        trimmed.extend_from_slice(&line[..end]);
        trimmed.extend_from_slice(b"\n\n");
    }
    assert_eq!(HcpcsRelease::from_reader(&trimmed[..]).unwrap(), lf);
}

#[test]
fn short_line_is_a_typed_error() {
    let err = record_error(HcpcsRelease::load(fixture("hcpcs_short_line.txt")).unwrap_err());
    assert_eq!(
        err,
        HcpcsFileError::ShortLine {
            line: 3,
            len: 5,
            min: 11
        }
    );
    assert_eq!(err.line(), 3);
    assert!(err.to_string().starts_with("line 3: record too short"));
}

#[test]
fn bad_date_is_a_typed_error() {
    let err = record_error(HcpcsRelease::load(fixture("hcpcs_bad_date.txt")).unwrap_err());
    assert_eq!(
        err,
        HcpcsFileError::BadDate {
            line: 2,
            field: Field::AddDate,
            found: "20241341".into()
        }
    );
    assert_eq!(err.field(), Some(Field::AddDate));
    assert_eq!(
        err.to_string(),
        "line 2: add date (columns 269-276): \"20241341\" is not a date as yyyymmdd"
    );
}

#[test]
fn unknown_record_id_is_a_typed_error() {
    let err = record_error(HcpcsRelease::load(fixture("hcpcs_unknown_record.txt")).unwrap_err());
    assert_eq!(
        err,
        HcpcsFileError::UnknownRecordId {
            line: 4,
            found: '5'
        }
    );
    assert_eq!(err.field(), Some(Field::RecordId));
}

#[test]
fn orphan_continuation_is_a_typed_error() {
    let err =
        record_error(HcpcsRelease::load(fixture("hcpcs_orphan_continuation.txt")).unwrap_err());
    assert_eq!(
        err,
        HcpcsFileError::ContinuationWithoutFirst {
            line: 2,
            code: "E0114".into()
        }
    );
}

#[test]
fn lenient_mode_reports_every_bad_record() {
    let path = fixture("hcpcs_malformed.txt");
    // Strict: the first bad record.
    let err = record_error(HcpcsRelease::load(&path).unwrap_err());
    assert_eq!(err.line(), 2);
    // Lenient: every bad record, the good ones loaded.
    let loaded = HcpcsRelease::load_with(&path, LoadOptions::lenient()).unwrap();
    let codes: Vec<String> = loaded.table.iter().map(|e| e.code().to_string()).collect();
    assert_eq!(codes, ["A0428", "J1100"]);
    assert_eq!(
        loaded.table.get(code("A0428")).unwrap().title(),
        Some("TEST LONG TITLE FOR A TRANSPORT CODE"),
        "the duplicate did not replace the first record"
    );
    assert_eq!(
        loaded.errors,
        [
            HcpcsFileError::ShortLine {
                line: 2,
                len: 5,
                min: 11
            },
            HcpcsFileError::BadDate {
                line: 3,
                field: Field::AddDate,
                found: "20241341".into()
            },
            HcpcsFileError::ContinuationWithoutFirst {
                line: 4,
                code: "E0114".into()
            },
            HcpcsFileError::UnknownRecordId {
                line: 5,
                found: '5'
            },
            HcpcsFileError::BadCode {
                line: 6,
                found: "1234X".into(),
                expected: "a HCPCS code (a letter and four digits)"
            },
            HcpcsFileError::DuplicateCode {
                line: 9,
                code: "A0428".into(),
                first_line: 1
            },
        ]
    );
}

#[test]
fn other_malformed_records() {
    let mut rec = vec![b' '; 320];
    rec[..5].copy_from_slice(b"A0428");
    rec[10] = b'3';
    rec[11..15].copy_from_slice(b"TEST");

    let check = |bytes: &[u8]| record_error(HcpcsRelease::from_reader(bytes).unwrap_err());

    let mut long = rec.clone();
    long.extend_from_slice(b"  X");
    assert_eq!(
        check(&long),
        HcpcsFileError::LongLine {
            line: 1,
            len: 323,
            max: 320
        }
    );
    // Blanks past column 320 are fine.
    let mut blank_tail = rec.clone();
    blank_tail.extend_from_slice(b"    ");
    assert_eq!(HcpcsRelease::from_reader(&blank_tail[..]).unwrap().len(), 1);

    let mut pricing = rec.clone();
    pricing[119..122].copy_from_slice(b"1 3");
    assert!(matches!(
        check(&pricing),
        HcpcsFileError::BadField {
            line: 1,
            field: Field::PricingIndicator,
            ..
        }
    ));

    let mut term = rec.clone();
    term[284..292].copy_from_slice(b"2024-1-1");
    assert!(matches!(
        check(&term),
        HcpcsFileError::BadDate {
            field: Field::TerminationDate,
            ..
        }
    ));

    // A record cut inside the add date: padded, then the date fails its check.
    let cut = &rec[..272];
    let mut cut = cut.to_vec();
    cut[268..272].copy_from_slice(b"2024");
    assert!(matches!(
        check(&cut),
        HcpcsFileError::BadDate {
            field: Field::AddDate,
            ..
        }
    ));

    let mut modifier = vec![b' '; 320];
    modifier[3..5].copy_from_slice(b"L-");
    modifier[10] = b'7';
    assert!(matches!(
        check(&modifier),
        HcpcsFileError::BadCode {
            expected: "a modifier (two letters or digits)",
            ..
        }
    ));
}

#[test]
fn io_errors_name_the_path() {
    let err = HcpcsRelease::load("tests/fixtures/does-not-exist.txt").unwrap_err();
    assert!(matches!(err, HcpcsLoadError::Io { .. }));
    assert!(err.to_string().contains("does-not-exist.txt"), "{err}");
}

#[test]
fn entries_serialise() {
    let r = release();
    let v = serde_json::to_value(r.get(code("G0202")).unwrap()).unwrap();
    assert_eq!(v["code"], "G0202");
    assert_eq!(v["terminated"], "2014-12-31");
    assert_eq!(v["pricing_indicators"], serde_json::json!(["11"]));
    assert_eq!(v["coverage_code"], "C");
    let m = serde_json::to_value(r.modifier("LT".parse().unwrap()).unwrap()).unwrap();
    assert_eq!(m["modifier"], "LT");
    assert_eq!(m["title"], "TEST MODIFIER TITLE LEFT");
}

#[test]
fn cms_disclaimer_tabs_and_crlf_are_read_as_shipped() {
    // The fixture's records behind a disclaimer like CMS's: tab padding,
    // cp1252 (0x92, 0xA0), blank lines, CRLF line ends.
    let r = HcpcsRelease::load(fixture("hcpcs_disclaimer_crlf.txt")).unwrap();
    assert!(r.iter().eq(release().iter()));
    assert!(r.modifiers().eq(release().modifiers()));
    assert_eq!(r.preamble_lines(), 3);
    assert_eq!(r.records(), 17);
}

#[cfg(feature = "zip")]
#[test]
fn the_zip_is_read_directly() {
    // The archive holds the ANWEB file beside a README and a change report.
    let r = HcpcsRelease::load(fixture("hcpcs_fixture.zip")).unwrap();
    assert!(r.iter().eq(release().iter()));
    assert!(r.modifiers().eq(release().modifiers()));
    assert_eq!(r.preamble_lines(), 3);
}

#[cfg(not(feature = "zip"))]
#[test]
fn the_zip_is_refused_with_advice() {
    let err = HcpcsRelease::load(fixture("hcpcs_fixture.zip")).unwrap_err();
    assert!(err.to_string().contains("`zip` feature"), "{err}");
}

#[test]
fn garbage_is_refused_not_loaded_empty() {
    for lenient in [false, true] {
        let opts = if lenient {
            LoadOptions::lenient()
        } else {
            LoadOptions::strict()
        };
        let load =
            |bytes: &[u8]| record_error(HcpcsRelease::from_reader_with(bytes, opts).unwrap_err());
        assert_eq!(load(b""), HcpcsFileError::NoRecord { line: 0 });
        assert_eq!(load(b"\r\n\t\t\r\n"), HcpcsFileError::NoRecord { line: 2 });
        assert_eq!(
            load(b"This is prose.\nIt holds no HCPCS record at all,\nnot one.\n"),
            HcpcsFileError::NoRecord { line: 3 }
        );
        assert_eq!(
            load(b"text\n\x00\x01\x02\xff"),
            HcpcsFileError::Binary { line: 2, byte: 0 }
        );
        // A table of another kind: an NCCI PTP file.
        let ptp = std::fs::read(fixture("ncci_ptp_practitioner.txt")).unwrap();
        assert!(matches!(load(&ptp), HcpcsFileError::NoRecord { .. }));
        // Records, every one bad: the first bad record, lenient or not.
        assert_eq!(
            load(b"A0428\nA0429\n"),
            HcpcsFileError::ShortLine {
                line: 1,
                len: 5,
                min: 11
            }
        );
    }
    let err = HcpcsRelease::from_reader(&b"no record"[..]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no HCPCS record in 1 lines: expected CMS's fixed-width HCPCS file (a code in columns 1-5, a sequence number in 6-10, record id 3, 4, 7 or 8 in column 11)"
    );
    assert_eq!(HcpcsFileError::NoRecord { line: 4 }.line(), 4);
}
