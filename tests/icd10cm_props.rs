//! Property tests: parsing round-trips over every bundled code and never
//! panics on arbitrary input.

use medcode::{icd10cm, IcdCm};
use proptest::prelude::*;

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
    fn arbitrary_strings_never_panic(s in ".{0,64}") {
        let _ = s.parse::<IcdCm>();
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = s.parse::<IcdCm>();
    }

    #[test]
    fn syntactic_codes_round_trip(s in "[A-Za-z][0-9A-Za-z]{2}(\\.[0-9A-Za-z]{1,4})?") {
        let code: IcdCm = s.parse().unwrap();
        let again: IcdCm = code.to_string().parse().unwrap();
        prop_assert_eq!(code, again);
        prop_assert_eq!(code.to_string(), s.to_uppercase());
        prop_assert_eq!(code.undotted().to_string(), s.to_uppercase().replace('.', ""));
        let _ = code.info();
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
