//! Property tests: parsing round-trips over every bundled code, and on
//! arbitrary input either succeeds with the normalised code (which the
//! tables hold exactly when `all()` lists it) or fails with an error that
//! names what it found in the input. Never panics.

use medcode::lookup::System;
use medcode::{icd10cm, IcdCm, ParseCodeError, ParseCodeErrorKind};
use proptest::prelude::*;

use crate::common;
use proptest::test_runner::TestCaseError;
use std::sync::OnceLock;

/// Every code of the bundled tables, in code order (as `all()` lists them;
/// `every_code_round_trips_and_is_found` checks the order).
fn table_codes() -> &'static [IcdCm] {
    static CODES: OnceLock<Vec<IcdCm>> = OnceLock::new();
    CODES.get_or_init(|| icd10cm::all().map(|i| i.code()).collect())
}

/// `info()` answers exactly for the codes `all()` lists, with that code,
/// and `title()` is the info's title.
fn check_lookup(code: IcdCm) -> Result<(), TestCaseError> {
    let info = code.info();
    let listed = table_codes().binary_search(&code).is_ok();
    prop_assert_eq!(info.is_some(), listed, "{}: info() vs all()", code);
    if let Some(i) = info {
        prop_assert_eq!(i.code(), code);
    }
    prop_assert_eq!(code.title(), info.and_then(|i| i.title()));
    Ok(())
}

/// What parsing `s` must give: the code of the trimmed, upper-cased input
/// (displayed dotted, re-parsing to itself), or an error that keeps the
/// input and names a position, length or character that is really there.
fn check_parse(s: &str) -> Result<(), TestCaseError> {
    // Positions and lengths are of the input with surrounding whitespace trimmed.
    let trimmed = s.trim();
    let code = match s.parse::<IcdCm>() {
        Ok(code) => code,
        Err(e) => return check_error(s, trimmed, &e),
    };
    let undotted = trimmed.to_uppercase().replace('.', "");
    prop_assert_eq!(code.undotted().to_string(), undotted.clone(), "{:?}", s);
    prop_assert_eq!(code.len(), undotted.len());
    let dotted = if undotted.len() > 3 {
        format!("{}.{}", &undotted[..3], &undotted[3..])
    } else {
        undotted.clone()
    };
    prop_assert_eq!(code.to_string(), dotted, "{:?}", s);
    prop_assert_eq!(code.to_string().parse::<IcdCm>(), Ok(code));
    prop_assert_eq!(undotted.parse::<IcdCm>(), Ok(code));
    check_lookup(code)
}

fn check_error(s: &str, trimmed: &str, e: &ParseCodeError) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.system(), System::Icd10Cm);
    common::parse_error::check_error_text(s, e)?;

    let chars: Vec<char> = trimmed.chars().collect();
    let non_dot = chars.iter().filter(|&&c| c != '.').count();
    match e.kind() {
        ParseCodeErrorKind::Empty => prop_assert!(trimmed.is_empty(), "{:?}", s),
        ParseCodeErrorKind::TooShort { len, min } => {
            prop_assert_eq!(min, IcdCm::MIN_LEN);
            prop_assert!(len < min);
            // Every character was a good one, so all are counted.
            prop_assert_eq!(len, non_dot, "{:?}", s);
        }
        ParseCodeErrorKind::TooLong { len, max } => {
            prop_assert_eq!(max, IcdCm::MAX_LEN);
            prop_assert!(len > max, "{:?}", s);
            // `len` counts bytes after the eighth character, not
            // characters as documented: equal for ASCII input.
            let non_dot_bytes = trimmed.bytes().filter(|&b| b != b'.').count();
            prop_assert!(len <= non_dot_bytes, "{:?}: {}", s, len);
            if trimmed.is_ascii() {
                prop_assert_eq!(len, non_dot, "{:?}", s);
            }
        }
        ParseCodeErrorKind::BadCharacter {
            position,
            found,
            expected,
        } => {
            prop_assert_eq!(chars.get(position), Some(&found), "{:?}", s);
            prop_assert!(!expected.is_empty());
            prop_assert_ne!(found, '.');
            prop_assert!(
                !found.is_ascii_alphanumeric() || (position == 0 && found.is_ascii_digit()),
                "{:?}: {:?} at {} is a good character",
                s,
                found,
                position
            );
        }
        ParseCodeErrorKind::MisplacedDot { position, expected } => {
            prop_assert_eq!(chars.get(position), Some(&'.'), "{:?}", s);
            prop_assert!(!expected.is_empty());
        }
        // A kind added later: its message is all there is to check.
        _ => {}
    }
    Ok(())
}

#[test]
fn every_code_round_trips_and_is_found() {
    let mut prev: Option<IcdCm> = None;
    for info in icd10cm::all() {
        let code = info.code();
        let dotted = code.to_string();
        let undotted = code.undotted().to_string();
        assert_eq!(dotted.parse::<IcdCm>().unwrap(), code);
        assert_eq!(undotted.parse::<IcdCm>().unwrap(), code);
        assert_eq!(dotted.to_lowercase().parse::<IcdCm>().unwrap(), code);
        assert_eq!(
            code.info(),
            Some(info),
            "{dotted} not found by its own lookup"
        );
        assert_eq!(dotted.replace('.', ""), undotted);
        if let Some(p) = prev {
            assert!(p < code, "table order broken at {p} / {code}");
            assert!(
                p.undotted().as_bytes() < code.undotted().as_bytes(),
                "code order differs from bytewise order"
            );
        }
        prev = Some(code);
    }
}

proptest! {
    #[test]
    fn arbitrary_strings_parse_or_name_the_fault(s in ".{0,64}") {
        check_parse(&s)?;
    }

    #[test]
    fn arbitrary_bytes_parse_or_name_the_fault(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
        let s = String::from_utf8_lossy(&bytes);
        check_parse(&s)?;
    }

    /// Inputs near the syntax (letters, digits, dots, blanks, a non-ASCII
    /// letter), so codes and each kind of error are common.
    #[test]
    fn near_miss_strings_parse_or_name_the_fault(
        s in "[ \t]{0,2}[A-Za-z0-9]{1,4}[.]?[0-9A-Za-z.\u{e9}-]{0,5}[ \t]{0,2}",
    ) {
        check_parse(&s)?;
    }

    #[test]
    fn syntactic_codes_round_trip(s in "[A-Za-z][0-9A-Za-z]{2}(\\.[0-9A-Za-z]{1,4})?") {
        let code: IcdCm = s.parse().unwrap();
        let again: IcdCm = code.to_string().parse().unwrap();
        prop_assert_eq!(code, again);
        prop_assert_eq!(code.to_string(), s.to_uppercase());
        prop_assert_eq!(code.undotted().to_string(), s.to_uppercase().replace('.', ""));
        check_lookup(code)?;
    }

    /// Codes one character away from a listed one: found exactly when
    /// listed, so `info()` is checked on both answers.
    #[test]
    fn neighbours_of_listed_codes_are_found_exactly_when_listed(
        i in 0..icd10cm::all().len(),
        last in "[0-9A-Z]",
    ) {
        let mut text = table_codes()[i].undotted().to_string();
        text.pop();
        text.push_str(&last);
        let code: IcdCm = text.parse().unwrap();
        check_lookup(code)?;
        check_lookup(table_codes()[i])?;
    }

    #[test]
    fn order_matches_string_order(a in "[A-Z][0-9A-Z]{2,6}", b in "[A-Z][0-9A-Z]{2,6}") {
        let (ca, cb): (IcdCm, IcdCm) = (a.parse().unwrap(), b.parse().unwrap());
        prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
    }

    #[test]
    fn whitespace_and_case_do_not_matter(s in "[A-Z][0-9][0-9A-Z]\\.[0-9A-Z]{1,4}", pad in "[ \t]{0,3}") {
        let plain: IcdCm = s.parse().unwrap();
        let padded: IcdCm = format!("{pad}{}{pad}", s.to_lowercase()).parse().unwrap();
        prop_assert_eq!(plain, padded);
    }
}

#[test]
fn huge_and_hostile_inputs_are_errors() {
    let huge = "E".repeat(1 << 20);
    assert!(huge.parse::<IcdCm>().is_err());
    for s in [
        "\0",
        "E11\0",
        "E11.9\u{0}",
        "Ｅ11",
        "E11.9\u{200b}",
        "\u{feff}E11",
        "..",
        "E.11",
    ] {
        assert!(s.parse::<IcdCm>().is_err(), "{s:?}");
    }
}

#[test]
fn fast_valid_on_agrees_with_the_windows() {
    let mut dates: Vec<medcode::Date> = icd10cm::releases().map(|r| r.effective).collect();
    for r in icd10cm::releases() {
        if let Some(prev) = medcode::Date::from_days_since_epoch(r.effective.days_since_epoch() - 1)
        {
            dates.push(prev);
        }
    }
    dates.push("2027-03-31".parse().unwrap());
    dates.push("2027-04-01".parse().unwrap());
    dates.push("2015-09-30".parse().unwrap());
    for info in icd10cm::all() {
        let windows = info.windows();
        for &d in &dates {
            let as_of = d.min(icd10cm::horizon());
            let slow = windows.iter().any(|w| w.contains(as_of));
            assert_eq!(info.valid_on(d), slow, "{} on {d}", info.code());
        }
    }
}
