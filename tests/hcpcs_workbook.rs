//! Every code and modifier of CMS's October 2025 HCPCS workbook against the
//! bundled release, read here independently of medcode's readers (the
//! `calamine` crate, a dev-dependency; the columns by their headings).
//!
//! Needs `../shared/cms/hcpcs/HCPC2025_OCT_ANWEB.xlsx` (or `MEDCODE_CMS_DIR`):
//! a fresh clone has no `../shared`, so the tests print why they skip and
//! pass (under `MEDCODE_NO_SKIP=1`, as CI runs them, they fail); CI always
//! has it. Skipped too in a build with `MEDCODE_HCPCS_FILE`
//! (another release is bundled then).

use calamine::{Data, Reader, Xlsx};
use medcode::{hcpcs, Date, Hcpcs, Modifier};
use std::collections::BTreeMap;

use crate::common;

/// One row: heading → cell text.
type Row = BTreeMap<String, String>;

fn rows() -> Option<Vec<Row>> {
    if option_env!("MEDCODE_HCPCS_FILE").is_some_and(|p| !p.is_empty()) {
        eprintln!("skipped: built with MEDCODE_HCPCS_FILE, another release is bundled");
        return None;
    }
    let path = common::cms_dir().join("hcpcs/HCPC2025_OCT_ANWEB.xlsx");
    if !path.is_file() {
        common::skip(
            "CMS's HCPCS workbook against the bundled release",
            format_args!(
                "not at {} (set MEDCODE_CMS_DIR, or put shared/ beside the checkout)",
                path.display()
            ),
        );
        return None;
    }
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let text = |c: &Data| match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // A few date and type-of-service cells are numbers.
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as u64),
        other => panic!("the workbook's cells are text or whole numbers: {other:?}"),
    };
    let mut it = range.rows();
    let heads: Vec<String> = it.next().unwrap().iter().map(text).collect();
    assert_eq!(heads.len(), 48);
    Some(
        it.map(|r| {
            heads
                .iter()
                .cloned()
                .zip(r.iter().map(text))
                .collect::<Row>()
        })
        .collect(),
    )
}

fn date(s: &str) -> Option<Date> {
    (!s.is_empty()).then(|| {
        s.parse::<u32>()
            .ok()
            .and_then(|v| Date::from_yyyymmdd(v).ok())
            .unwrap()
    })
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn ch(s: &str) -> Option<char> {
    s.trim().chars().next()
}

#[test]
fn codes_valid_on_2025_10_01_equal_an_independent_count() {
    let Some(rows) = rows() else { return };
    // RECID 3 is a code; valid on a date when ADD DT <= date and TERM DT is
    // blank or >= date (both yyyymmdd text, so text order is date order).
    let on = "20251001";
    let independent = rows
        .iter()
        .filter(|r| r["RECID"] == "3")
        .filter(|r| {
            r["ADD DT"].as_str() <= on && (r["TERM DT"].is_empty() || r["TERM DT"].as_str() >= on)
        })
        .count();
    assert_eq!(independent, 7_258);
    let bundled = hcpcs::bundled();
    let on: Date = "2025-10-01".parse().unwrap();
    assert_eq!(bundled.valid_on(on).count(), independent);
    assert_eq!(rows.iter().filter(|r| r["RECID"] == "3").count(), 8_463);
    assert_eq!(rows.iter().filter(|r| r["RECID"] == "7").count(), 383);
}

#[test]
fn every_code_and_modifier_round_trips() {
    let Some(rows) = rows() else { return };
    let bundled = hcpcs::bundled();
    let (mut codes, mut mods) = (0, 0);
    for r in &rows {
        let code = r["HCPC"].trim();
        let what = format!("{code} (RECID {})", r["RECID"]);
        let added = date(&r["ADD DT"]);
        let effective = date(&r["ACT EFF DT"]);
        let terminated = date(&r["TERM DT"]);
        match r["RECID"].as_str() {
            "3" => {
                codes += 1;
                let c: Hcpcs = code.parse().expect(&what);
                let e = c.info().expect(&what);
                assert_eq!(e.code().to_string(), code);
                assert_eq!(e.title(), opt(&r["LONG DESCRIPTION"]), "{what}");
                assert_eq!(e.short_title(), opt(&r["SHORT DESCRIPTION"]), "{what}");
                assert_eq!(
                    (e.added(), e.action_effective(), e.terminated()),
                    (added, effective, terminated),
                    "{what}"
                );
                assert_eq!(e.action_code(), ch(&r["ACTION CD"]), "{what}");
                assert_eq!(e.coverage_code(), ch(&r["COV"]), "{what}");
                assert_eq!(e.betos(), opt(r["BETOS"].trim()), "{what}");
                let tos: String = (1..=5)
                    .map(|i| r[&format!("TOS{i}")].trim().to_owned())
                    .collect();
                assert_eq!(e.type_of_service(), tos, "{what}");
                let price: Vec<String> = (1..=4)
                    .map(|i| r[&format!("PRICE{i}")].trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect();
                assert_eq!(
                    e.pricing_indicators().iter().collect::<Vec<_>>(),
                    price,
                    "{what}"
                );
            }
            "7" => {
                mods += 1;
                let m: Modifier = code.parse().expect(&what);
                let e = m.info().expect(&what);
                assert_eq!(e.modifier().to_string(), code);
                assert_eq!(e.title(), opt(&r["LONG DESCRIPTION"]), "{what}");
                assert_eq!(e.short_title(), opt(&r["SHORT DESCRIPTION"]), "{what}");
                assert_eq!(
                    (e.added(), e.action_effective(), e.terminated()),
                    (added, effective, terminated),
                    "{what}"
                );
                assert_eq!(e.action_code(), ch(&r["ACTION CD"]), "{what}");
                assert_eq!(e.coverage_code(), ch(&r["COV"]), "{what}");
            }
            other => panic!("{what}: RECID {other}"),
        }
    }
    // Nothing bundled that the workbook does not have.
    assert_eq!((codes, mods), (bundled.len(), bundled.modifiers().len()));
}
