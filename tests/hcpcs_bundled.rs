//! The build-time HCPCS table answers exactly as the run-time load of the
//! same file.
//!
//! A normal build bundles no HCPCS release; this checks that the API then
//! says so (not "invalid code"). To compile the fixture in and compare the
//! two paths, run:
//!
//! ```sh
//! MEDCODE_HCPCS_FILE=$PWD/tests/fixtures/hcpcs_fixture.txt cargo test --test hcpcs_bundled
//! ```

use medcode::hcpcs::{self, HcpcsRelease, NotBundled};
use medcode::{Date, Hcpcs, Modifier};

/// The file the library was built with, as seen when this test was compiled.
const BUILT_WITH: Option<&str> = option_env!("MEDCODE_HCPCS_FILE");

fn built_with() -> Option<&'static str> {
    BUILT_WITH.filter(|p| !p.is_empty())
}

#[test]
fn without_a_file_the_api_says_nothing_is_bundled() {
    if built_with().is_some() {
        return;
    }
    assert!(!hcpcs::is_bundled());
    assert_eq!(hcpcs::bundled().unwrap_err(), NotBundled);
    let code: Hcpcs = "E0114".parse().unwrap();
    assert_eq!(code.info(), Err(NotBundled));
    assert_eq!(
        code.valid_on(Date::new(2026, 1, 1).unwrap()),
        Err(NotBundled)
    );
    let lt: Modifier = "LT".parse().unwrap();
    assert_eq!(lt.info(), Err(NotBundled));
    assert!(NotBundled
        .to_string()
        .starts_with("no HCPCS release is bundled in this build"));
}

#[test]
fn bundled_table_matches_run_time_load() {
    let Some(path) = built_with() else {
        eprintln!("MEDCODE_HCPCS_FILE was not set at build time: nothing bundled to compare");
        return;
    };
    let bundled = hcpcs::bundled().expect("MEDCODE_HCPCS_FILE was set, so a release is bundled");
    assert!(hcpcs::is_bundled());
    let loaded = HcpcsRelease::load(path).expect("the bundled file loads at run time too");
    assert_eq!(
        bundled.source_file(),
        std::path::Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
    );

    // Same codes, same entries, same order.
    assert_eq!(bundled.len(), loaded.len());
    assert!(bundled.iter().eq(loaded.iter()));
    assert!(bundled.modifiers().eq(loaded.modifiers()));

    // Same answers to lookups, hits and misses.
    for entry in loaded.iter() {
        assert_eq!(bundled.get(entry.code()), Some(entry));
        assert_eq!(entry.code().info(), Ok(Some(entry)));
    }
    for m in loaded.modifiers() {
        assert_eq!(bundled.modifier(m.modifier()), Some(m));
        assert_eq!(m.modifier().info(), Ok(Some(m)));
    }
    for miss in ["A0000", "Z9999", "D0120"] {
        let c: Hcpcs = miss.parse().unwrap();
        if loaded.get(c).is_none() {
            assert_eq!(bundled.get(c), None, "{miss}");
            assert_eq!(c.info(), Ok(None), "{miss}");
        }
    }
    for date in ["2001-12-31", "2014-12-31", "2015-01-01", "2026-01-01"] {
        let date: Date = date.parse().unwrap();
        assert!(bundled.valid_on(date).eq(loaded.valid_on(date)), "{date}");
        for entry in loaded.iter() {
            assert_eq!(entry.code().valid_on(date), Ok(entry.valid_on(date)));
        }
    }
}
