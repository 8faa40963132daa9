//! The edit-table loaders (NCCI PTP, MUE, add-on codes) refuse garbage with a
//! typed error instead of loading an empty table, read CMS's `.zip` as
//! shipped, and the engine calls a rule active only when its table has rows.

use medcode::load::{AddonTable, EditLineError, EditLoadError, LoadOptions, MueTable, PtpTable};
use medcode::rules::Engine;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Loads bytes as each of the three tables, strictly and leniently.
fn each_table(bytes: &[u8]) -> Vec<(&'static str, EditLoadError)> {
    let mut out = Vec::new();
    for opts in [LoadOptions::strict(), LoadOptions::lenient()] {
        out.push((
            "ptp",
            PtpTable::from_reader_with(bytes, opts)
                .map(|_| ())
                .unwrap_err(),
        ));
        out.push((
            "mue",
            MueTable::from_reader_with(bytes, opts)
                .map(|_| ())
                .unwrap_err(),
        ));
        out.push((
            "addon",
            AddonTable::from_reader_with(bytes, opts)
                .map(|_| ())
                .unwrap_err(),
        ));
    }
    out
}

#[test]
fn empty_files_are_refused() {
    for input in [&b""[..], b"\n\n", b"\r\n  \t\r\n"] {
        for (table, e) in each_table(input) {
            assert!(matches!(e, EditLoadError::NoRecord { .. }), "{table}: {e}");
        }
    }
    let e = PtpTable::from_reader(&b"\n\n"[..]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no NCCI PTP record in 2 lines: expected tab-separated NCCI PTP records (Column 1 code, Column 2 code, *, Effective Date, Deletion Date, Modifier indicator, rationale)"
    );
}

#[test]
fn prose_is_refused() {
    let prose = b"Dear colleague,\nthis is a letter. It holds no edit at all;\nnot one line starts with a code.\n";
    for (table, e) in each_table(prose) {
        assert!(
            matches!(e, EditLoadError::NoRecord { lines: 3, .. }),
            "{table}: {e}"
        );
    }
    // README-like text of CMS's own.
    let readme = std::fs::read(fixture("README.md")).unwrap();
    for (table, e) in each_table(&readme) {
        assert!(
            matches!(
                e,
                EditLoadError::NoRecord { .. } | EditLoadError::UnrecognisedHeader { .. }
            ),
            "{table}: {e}"
        );
    }
}

#[test]
fn binary_content_is_refused() {
    let cases: [(&[u8], usize, u8); 4] = [
        (b"\x00\x00\x00\x00", 1, 0),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, 0),
        (b"\xFF\xFEC\x00o\x00l\x00", 1, 0), // UTF-16
        (b"99213\t99212\t\t20200101\t*\t1\n\x07bell", 2, 7),
    ];
    for (bytes, line, byte) in cases {
        for (table, e) in each_table(bytes) {
            assert!(
                matches!(e, EditLoadError::Binary { line: l, byte: b } if l == line && b == byte),
                "{table}: {e}"
            );
        }
    }
    let e = MueTable::from_reader(&b"\x00"[..]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1: binary content (byte 0x00): expected a text table (tab- or comma-separated)"
    );
}

#[test]
fn another_tables_header_is_refused() {
    let ptp = std::fs::read(fixture("ncci_ptp_practitioner.txt")).unwrap();
    let mue = std::fs::read(fixture("mue_practitioner.csv")).unwrap();
    let addon = std::fs::read(fixture("addon_codes.txt")).unwrap();
    for opts in [LoadOptions::strict(), LoadOptions::lenient()] {
        let e = PtpTable::from_reader_with(&mue[..], opts).unwrap_err();
        assert!(
            matches!(e, EditLoadError::UnrecognisedHeader { line: 2, .. }),
            "{e}"
        );
        assert!(
            e.to_string().contains("expected the NCCI PTP headings"),
            "{e}"
        );
        let e = PtpTable::from_reader_with(&addon[..], opts).unwrap_err();
        assert!(
            matches!(e, EditLoadError::UnrecognisedHeader { line: 2, .. }),
            "{e}"
        );
        let e = MueTable::from_reader_with(&ptp[..], opts).unwrap_err();
        assert!(
            matches!(e, EditLoadError::UnrecognisedHeader { line: 3, .. }),
            "{e}"
        );
        let e = MueTable::from_reader_with(&addon[..], opts).unwrap_err();
        assert!(matches!(e, EditLoadError::UnrecognisedHeader { .. }), "{e}");
        let e = AddonTable::from_reader_with(&ptp[..], opts).unwrap_err();
        assert!(
            matches!(e, EditLoadError::UnrecognisedHeader { line: 3, .. }),
            "{e}"
        );
        let e = AddonTable::from_reader_with(&mue[..], opts).unwrap_err();
        assert!(matches!(e, EditLoadError::UnrecognisedHeader { .. }), "{e}");
    }
    // A made-up heading, then records: still not this table's.
    let e = MueTable::from_reader(&b"code,units,indicator\n99213,1,2\n"[..]).unwrap_err();
    assert!(
        matches!(e, EditLoadError::UnrecognisedHeader { line: 1, .. }),
        "{e}"
    );
    // A heading split over two lines, one of them recognised, is fine.
    let t = PtpTable::from_reader(
        &b"Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\n\t\tprior to 1996\tDate\tDate\t0=not allowed\n29881\t29877\t\t20060101\t*\t1\tTEST\n"[..],
    )
    .unwrap();
    assert_eq!(t.len(), 1);
}

#[test]
fn no_good_line_is_refused_in_lenient_mode_too() {
    // Records of another table without headings: every line is bad.
    let mue_rows = b"99213,1,2 Date of Service Edit: Policy,TEST\n20610,1,3,TEST\n";
    let e = PtpTable::from_reader_with(&mue_rows[..], LoadOptions::lenient()).unwrap_err();
    assert!(
        matches!(
            e,
            EditLoadError::Line(EditLineError::FieldCount { line: 1, .. })
        ),
        "{e}"
    );
    // Some good lines: lenient loads them and reports the rest.
    let l = MueTable::load_with(fixture("mue_bad.csv"), LoadOptions::lenient()).unwrap();
    assert_eq!((l.table.len(), l.errors.len()), (1, 3));
}

#[cfg(feature = "zip")]
#[test]
fn cms_zips_are_read_as_shipped() {
    use medcode::load::PtpSetting;
    // The PTP archive holds the table and a disclaimer; the setting comes
    // from the archive's name.
    let zipped = PtpTable::load(fixture("ccipra-v321r0-f1.zip")).unwrap();
    let plain = PtpTable::load(fixture("ncci_ptp_practitioner.txt")).unwrap();
    assert_eq!(zipped.len(), plain.len());
    assert_eq!(zipped.setting(), PtpSetting::Practitioner);
    // The MUE archive holds the CSV and a workbook.
    let zipped = MueTable::load(fixture("mue_practitioner.zip")).unwrap();
    assert_eq!(
        zipped.len(),
        MueTable::load(fixture("mue_practitioner.csv"))
            .unwrap()
            .len()
    );
    // Two tables: the user picks.
    let e = MueTable::load(fixture("mue_two_tables.zip")).unwrap_err();
    assert!(matches!(e, EditLoadError::Zip { .. }), "{e}");
    assert!(e.to_string().contains("several tables"), "{e}");
    // The HCPCS archive is not an edit table.
    let e = PtpTable::load(fixture("hcpcs_fixture.zip")).unwrap_err();
    assert!(matches!(e, EditLoadError::NoRecord { .. }), "{e}");
}

#[cfg(not(feature = "zip"))]
#[test]
fn zips_are_refused_with_advice_without_the_feature() {
    let e = PtpTable::load(fixture("ccipra-v321r0-f1.zip")).unwrap_err();
    assert!(e.to_string().contains("`zip` feature"), "{e}");
}

#[test]
fn coverage_calls_a_rule_active_only_with_rows() {
    let engine = Engine::builder()
        .mue(MueTable::default())
        .addon(AddonTable::default())
        .build()
        .unwrap();
    let cov = engine.coverage();
    for id in ["ncci-ptp", "mue-exceeded", "addon-without-primary"] {
        assert!(!cov.get(id).unwrap().active, "{id}");
    }
    assert_eq!(
        cov.get("mue-exceeded").unwrap().note,
        Some("the MUE table loaded holds no code")
    );
    let engine = Engine::builder()
        .ncci_ptp(PtpTable::load(fixture("ncci_ptp_practitioner.txt")).unwrap())
        .mue(MueTable::load(fixture("mue_practitioner.csv")).unwrap())
        .addon(AddonTable::load(fixture("addon_codes.txt")).unwrap())
        .build()
        .unwrap();
    let cov = engine.coverage();
    for id in ["ncci-ptp", "mue-exceeded", "addon-without-primary"] {
        assert!(cov.get(id).unwrap().active, "{id}");
    }
}

#[test]
fn engine_config_refuses_garbage_tables() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let empty = dir.join("empty-edit-table.txt");
    std::fs::write(&empty, b"").unwrap();
    for field in ["ncci_ptp", "mue", "addon"] {
        let json = format!(r#"{{"{field}": [{:?}]}}"#, empty.display().to_string());
        let config = serde_json::from_str(&json).unwrap();
        let e = Engine::from_config(&config).map(|_| ()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("empty-edit-table.txt")
                && msg.contains("no ")
                && msg.contains("record in 0 lines"),
            "{msg}"
        );
    }
}
