//! The CPT descriptor loader on its fixtures. Every descriptor in the
//! fixtures is fake test text ("TEST DESCRIPTOR ONE"); no AMA text anywhere.

use medcode::load::{CptDescriptors, CptLineError, CptLoadError, DescriptorLayout, LoadOptions};
use medcode::{Cpt, ParseCodeErrorKind};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn cpt(s: &str) -> Cpt {
    s.parse().unwrap()
}

fn line_error(err: CptLoadError) -> CptLineError {
    match err {
        CptLoadError::Line(e) => e,
        other => panic!("expected a line error, got {other}"),
    }
}

#[test]
fn tab_separated_with_header() {
    let t = CptDescriptors::load(fixture("cpt_descriptors.tsv")).unwrap();
    assert_eq!(t.layout(), Some(DescriptorLayout::Tab));
    assert_eq!(t.preamble_lines(), 1);
    assert_eq!(t.len(), 6);
    assert_eq!(t.get(cpt("00100")), Some("TEST DESCRIPTOR ONE"));
    assert_eq!(t.get(cpt("99499")), Some("TEST DESCRIPTOR SIX"));
    assert_eq!(t.get(cpt("99214")), None);
    let codes: Vec<String> = t.iter().map(|(c, _)| c.to_string()).collect();
    assert_eq!(
        codes,
        ["0001F", "0001U", "00100", "0042T", "99213", "99499"],
        "code order"
    );
}

#[test]
fn comma_separated_with_quotes_and_crlf() {
    let t = CptDescriptors::load(fixture("cpt_descriptors.csv")).unwrap();
    assert_eq!(t.layout(), Some(DescriptorLayout::Comma));
    assert_eq!(t.preamble_lines(), 1);
    assert_eq!(t.len(), 4);
    assert_eq!(
        t.get(cpt("99213")),
        Some("TEST DESCRIPTOR TWO, WITH A COMMA")
    );
    assert_eq!(
        t.get(cpt("0001F")),
        Some("TEST DESCRIPTOR THREE \"QUOTED\"")
    );
    assert_eq!(t.get(cpt("0042T")), Some("TEST DESCRIPTOR FOUR"));
}

#[test]
fn fixed_width_with_preamble() {
    let t = CptDescriptors::load(fixture("cpt_descriptors_fixed.txt")).unwrap();
    assert_eq!(t.layout(), Some(DescriptorLayout::FixedWidth));
    assert_eq!(t.preamble_lines(), 2);
    assert_eq!(t.len(), 3);
    assert_eq!(
        t.get(cpt("99213")),
        Some("TEST DESCRIPTOR TWO, WITH A COMMA")
    );
}

#[test]
fn strict_stops_at_the_first_bad_line() {
    let err = line_error(CptDescriptors::load(fixture("cpt_descriptors_bad.tsv")).unwrap_err());
    assert_eq!(
        err,
        CptLineError::BadCode {
            line: 3,
            found: "9921".into(),
            source: ParseCodeErrorKind::TooShort { len: 4, min: 5 }
        }
    );
    assert!(err
        .to_string()
        .starts_with("line 3: \"9921\" is not a CPT code"));
}

#[test]
fn lenient_reports_every_bad_line() {
    let loaded =
        CptDescriptors::load_with(fixture("cpt_descriptors_bad.tsv"), LoadOptions::lenient())
            .unwrap();
    let codes: Vec<String> = loaded.table.iter().map(|(c, _)| c.to_string()).collect();
    assert_eq!(codes, ["00100", "99215"]);
    assert_eq!(
        loaded.table.get(cpt("00100")),
        Some("TEST DESCRIPTOR ONE"),
        "a duplicate does not replace the first"
    );
    assert_eq!(
        loaded.errors,
        [
            CptLineError::BadCode {
                line: 3,
                found: "9921".into(),
                source: ParseCodeErrorKind::TooShort { len: 4, min: 5 }
            },
            CptLineError::MissingSeparator {
                line: 4,
                layout: DescriptorLayout::Tab
            },
            CptLineError::EmptyDescriptor {
                line: 5,
                code: cpt("99214")
            },
            CptLineError::DuplicateCode {
                line: 7,
                code: cpt("00100"),
                first_line: 2
            },
            CptLineError::BadCode {
                line: 8,
                found: "0001Z".into(),
                source: ParseCodeErrorKind::BadCharacter {
                    position: 4,
                    found: 'Z',
                    expected: "a digit or one of F, T, U, A, M"
                }
            },
        ]
    );
    // Every non-blank line is a record, the header, or an error.
    let lines = std::fs::read_to_string(fixture("cpt_descriptors_bad.tsv")).unwrap();
    let non_blank = lines.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(
        non_blank,
        loaded.table.len() + loaded.errors.len() + loaded.table.preamble_lines()
    );
}

#[test]
fn csv_errors() {
    let lenient = |text: &str| {
        CptDescriptors::from_reader_with(text.as_bytes(), LoadOptions::lenient()).unwrap()
    };
    let l = lenient("99213,TEST DESCRIPTOR ONE\n99214,\"TEST UNCLOSED\n99215,A,B\n99212\n");
    assert_eq!(
        l.errors,
        [
            CptLineError::UnterminatedQuote { line: 2 },
            CptLineError::FieldCount { line: 3, found: 3 },
            CptLineError::MissingSeparator {
                line: 4,
                layout: DescriptorLayout::Comma
            },
        ]
    );
    assert_eq!(l.table.len(), 1);
}

#[test]
fn fixed_width_errors() {
    let l = CptDescriptors::from_reader_with(
        &b"99213 TEST DESCRIPTOR ONE\n99214\n99215-TEST\n"[..],
        LoadOptions::lenient(),
    )
    .unwrap();
    assert_eq!(
        l.errors,
        [
            CptLineError::EmptyDescriptor {
                line: 2,
                code: cpt("99214")
            },
            CptLineError::MissingSeparator {
                line: 3,
                layout: DescriptorLayout::FixedWidth
            },
        ]
    );
}

#[test]
fn encodings() {
    // A UTF-8 byte-order mark is ignored.
    let t =
        CptDescriptors::from_reader(&b"\xEF\xBB\xBF99213\tTEST DESCRIPTOR \xC3\xA9\n"[..]).unwrap();
    assert_eq!(t.get(cpt("99213")), Some("TEST DESCRIPTOR é"));
    // Not UTF-8: read as cp1252.
    let t = CptDescriptors::from_reader(&b"99213\tTEST DESCRIPTOR \x96 \xE9\n"[..]).unwrap();
    assert_eq!(t.get(cpt("99213")), Some("TEST DESCRIPTOR – é"));
}

#[test]
fn garbage_is_refused_not_loaded_empty() {
    // Empty, prose, binary, another table's heading: errors, never an empty table.
    let err = CptDescriptors::from_reader(&b"\n\n"[..]).unwrap_err();
    assert!(matches!(err, CptLoadError::NoRecord { lines: 2 }), "{err}");
    let err = CptDescriptors::from_reader(&b"This file holds prose,\nand no code at all.\n"[..])
        .unwrap_err();
    assert!(matches!(err, CptLoadError::NoRecord { lines: 2 }), "{err}");
    assert!(
        err.to_string()
            .starts_with("no CPT descriptor record in 2 lines"),
        "{err}"
    );
    let err = CptDescriptors::from_reader(&b"\x89PNG\r\n\x1a\n\x00\x00"[..]).unwrap_err();
    assert!(
        matches!(err, CptLoadError::Binary { line: 3, byte: 0 }),
        "{err}"
    );
    let err = CptDescriptors::from_reader(
        &b"Column 1\tColumn 2\tEffective Date\n99213\t99212\t20200101\n"[..],
    )
    .unwrap_err();
    assert!(
        matches!(err, CptLoadError::UnrecognisedHeader { line: 1, .. }),
        "{err}"
    );
    // Lenient: no good line at all is the first bad line's error.
    let err =
        CptDescriptors::from_reader_with(&b"99213\t \n"[..], LoadOptions::lenient()).unwrap_err();
    assert!(
        matches!(
            err,
            CptLoadError::Line(CptLineError::EmptyDescriptor { line: 1, .. })
        ),
        "{err}"
    );
    let err = CptDescriptors::load(fixture("missing.tsv")).unwrap_err();
    assert!(matches!(err, CptLoadError::Io { .. }));
    assert!(err.to_string().contains("missing.tsv"));
}
