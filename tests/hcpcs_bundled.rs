//! The HCPCS release compiled in answers exactly as the run-time load of the
//! same file.
//!
//! A default build compiles in CMS's October 2025 quarterly release from
//! `crates/medcode-hcpcs-data/data/` (the refresh tool's reading of `HCPC2025_OCT_ANWEB.xlsx`);
//! it is compared with `HcpcsRelease::load` of that workbook (feature
//! `xlsx`; skipped with a reason when `../shared` is absent, a failure under
//! `MEDCODE_NO_SKIP=1`). A build with
//! `MEDCODE_HCPCS_FILE` compiles that file in instead, and it is compared
//! with the run-time load of the same file:
//!
//! ```sh
//! MEDCODE_HCPCS_FILE=$PWD/tests/fixtures/hcpcs_fixture.txt cargo test --all-features --test suite -- hcpcs_bundled::
//! ```

use medcode::hcpcs::{self, HcpcsRelease};
use medcode::{Date, Hcpcs, Modifier, ReleaseKind};
use std::path::PathBuf;

use crate::common;

/// The file the library was built with, as seen when this test was compiled.
const BUILT_WITH: Option<&str> = option_env!("MEDCODE_HCPCS_FILE");

fn built_with() -> Option<&'static str> {
    BUILT_WITH.filter(|p| !p.is_empty())
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// CMS's workbook, when `../shared` (or `MEDCODE_CMS_DIR`) has it.
fn workbook() -> Option<PathBuf> {
    let path = common::cms_dir().join("hcpcs/HCPC2025_OCT_ANWEB.xlsx");
    if path.is_file() {
        Some(path)
    } else {
        common::skip(
            "the bundled HCPCS release against CMS's workbook",
            format_args!(
                "not at {} (set MEDCODE_CMS_DIR, or put shared/ beside the checkout)",
                path.display()
            ),
        );
        None
    }
}

#[test]
fn the_default_build_bundles_the_october_2025_release() {
    if built_with().is_some() {
        eprintln!("skipped: built with MEDCODE_HCPCS_FILE");
        return;
    }
    let b = hcpcs::bundled();
    assert!(!b.from_build_env());
    assert_eq!(b.source_file(), "HCPC2025_OCT_ANWEB.xlsx");
    assert_eq!((b.len(), b.modifiers().len()), (8_463, 383));
    assert_eq!(b.valid_on(d("2025-10-01")).count(), 7_258);
    assert_eq!(
        b.modifiers()
            .filter(|m| m.valid_on(d("2025-10-01")))
            .count(),
        363
    );
    assert_eq!(b.effective(), d("2025-10-01"));
    assert_eq!(b.horizon(), d("2025-12-31"));
    assert_eq!(hcpcs::horizon(), d("2025-12-31"));
    let r = b.release();
    assert_eq!(r.kind, ReleaseKind::Quarterly);
    assert_eq!(r.to_string(), "October 2025 quarter (2025-10-01)");

    let e1130: Hcpcs = "E1130".parse().unwrap();
    let e = e1130.info().unwrap();
    assert_eq!(
        e.title(),
        Some(
            "Standard wheelchair, fixed full length arms, fixed or swing away detachable footrests"
        )
    );
    assert_eq!(e.short_title(), Some("Whlchr stand fxd arm ft rest"));
    assert_eq!((e.added(), e.terminated()), (Some(d("1986-01-01")), None));
    assert_eq!(e.action_effective(), Some(d("2001-04-01")));
    assert_eq!((e.coverage_code(), e.action_code()), (Some('I'), Some('N')));
    assert_eq!((e.betos(), e.type_of_service()), (Some("D1D"), "R"));
    assert_eq!(e.pricing_indicators().iter().collect::<Vec<_>>(), ["00"]);
    assert!(e1130.valid_on(d("2025-10-01")));
    assert!(!e1130.valid_on(d("1985-12-31")));

    // After the horizon: answered as of 2025-12-31, and said so.
    let late = hcpcs::release_on(d("2026-05-01"));
    assert!(late.beyond_horizon);
    assert_eq!(late.as_of, d("2025-12-31"));
    assert!(!hcpcs::release_on(d("2025-12-31")).beyond_horizon);
    assert!(e1130.valid_on(d("2030-01-01")));

    let lt: Modifier = "LT".parse().unwrap();
    assert_eq!(
        lt.info().unwrap().title(),
        Some("Left side (used to identify procedures performed on the left side of the body)")
    );
    assert!("25".parse::<Modifier>().unwrap().info().is_none());
    assert!("A0000".parse::<Hcpcs>().unwrap().info().is_none());
    // A terminated code: in the release, not valid after its termination.
    let term = b.iter().find(|e| e.terminated().is_some()).unwrap();
    let t = term.terminated().unwrap();
    assert!(term.valid_on(t) && !term.code().valid_on(d("2025-10-01")));
}

#[test]
fn bundled_table_matches_run_time_load() {
    let path = match built_with() {
        Some(p) => PathBuf::from(p),
        None if cfg!(feature = "xlsx") => match workbook() {
            Some(p) => p,
            None => return,
        },
        None => {
            common::skip(
                "the bundled HCPCS release against CMS's workbook",
                "reading the workbook at run time needs the xlsx feature",
            );
            return;
        }
    };
    let bundled = hcpcs::bundled();
    let loaded = HcpcsRelease::load(&path).expect("the bundled file loads at run time too");
    assert_eq!(
        bundled.source_file(),
        path.file_name().unwrap().to_string_lossy()
    );
    assert_eq!(loaded.source_file(), Some(bundled.source_file()));
    assert_eq!(loaded.release(), Some(bundled.release()));
    assert_eq!(loaded.horizon(), Some(bundled.horizon()));

    // Same codes, same entries, same order.
    assert_eq!(bundled.len(), loaded.len());
    assert!(bundled.iter().eq(loaded.iter()));
    assert!(bundled.modifiers().eq(loaded.modifiers()));

    // Same answers to lookups, hits and misses.
    for entry in loaded.iter() {
        assert_eq!(bundled.get(entry.code()), Some(entry));
        assert_eq!(entry.code().info(), Some(entry));
    }
    for m in loaded.modifiers() {
        assert_eq!(bundled.modifier(m.modifier()), Some(m));
        assert_eq!(m.modifier().info(), Some(m));
    }
    for miss in ["A0000", "Z9999", "D0120"] {
        let c: Hcpcs = miss.parse().unwrap();
        if loaded.get(c).is_none() {
            assert_eq!(bundled.get(c), None, "{miss}");
            assert_eq!(c.info(), None, "{miss}");
        }
    }
    for date in [
        "2001-12-31",
        "2014-12-31",
        "2015-01-01",
        "2025-10-01",
        "2026-01-01",
        "2030-06-30",
    ] {
        let date = d(date);
        assert!(bundled.valid_on(date).eq(loaded.valid_on(date)), "{date}");
        assert_eq!(
            Some(bundled.release_on(date)),
            loaded.release_on(date),
            "{date}"
        );
        for entry in loaded.iter() {
            assert_eq!(entry.code().valid_on(date), entry.valid_on(date));
        }
    }
}
