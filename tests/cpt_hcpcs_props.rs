//! Property tests for the CPT, HCPCS and modifier parsers: valid codes
//! round-trip (any case, surrounding whitespace), order follows the strings,
//! and arbitrary input never panics. Plus the record parser never panics.

use medcode::hcpcs::{HcpcsLoadError, HcpcsRelease};
use medcode::load::{CptDescriptors, LoadOptions};
use medcode::{Cpt, Hcpcs, Modifier};
use proptest::prelude::*;

proptest! {
    #[test]
    fn cpt_round_trips(code in "[0-9]{4}[0-9FTUAM]", lower in any::<bool>(), pad in "[ \t]{0,2}") {
        let input = if lower { code.to_lowercase() } else { code.clone() };
        let c: Cpt = format!("{pad}{input}{pad}").parse().unwrap();
        prop_assert_eq!(c.to_string(), code.clone());
        prop_assert_eq!(c.to_string().parse::<Cpt>().unwrap(), c);
        prop_assert_eq!(c.number().is_some(), code.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn cpt_order_is_string_order(a in "[0-9]{4}[0-9FTUAM]", b in "[0-9]{4}[0-9FTUAM]") {
        let (x, y): (Cpt, Cpt) = (a.parse().unwrap(), b.parse().unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
    }

    #[test]
    fn hcpcs_round_trips(code in "[A-Z][0-9]{4}", lower in any::<bool>()) {
        let input = if lower { code.to_lowercase() } else { code.clone() };
        let c: Hcpcs = input.parse().unwrap();
        prop_assert_eq!(c.to_string(), code.clone());
        prop_assert_eq!(c.letter(), code.chars().next().unwrap());
    }

    #[test]
    fn hcpcs_order_is_string_order(a in "[A-Z][0-9]{4}", b in "[A-Z][0-9]{4}") {
        let (x, y): (Hcpcs, Hcpcs) = (a.parse().unwrap(), b.parse().unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
    }

    #[test]
    fn modifier_round_trips(m in "[A-Z0-9]{2}", lower in any::<bool>()) {
        let input = if lower { m.to_lowercase() } else { m.clone() };
        let x: Modifier = input.parse().unwrap();
        prop_assert_eq!(x.to_string(), m.clone());
        prop_assert_eq!(x.is_cpt(), m.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,64}") {
        let _ = s.parse::<Cpt>();
        let _ = s.parse::<Hcpcs>();
        let _ = s.parse::<Modifier>();
    }

    #[test]
    fn near_miss_strings_never_panic(s in "[0-9A-Za-z .é-]{0,8}") {
        if let Ok(c) = s.parse::<Cpt>() {
            prop_assert_eq!(c.to_string(), s.trim().to_uppercase());
            let _ = c.section();
            let _ = c.surgery_subsection();
        }
        if let Ok(h) = s.parse::<Hcpcs>() {
            prop_assert_eq!(h.to_string(), s.trim().to_uppercase());
            let _ = h.section();
        }
        if let Ok(m) = s.parse::<Modifier>() {
            prop_assert_eq!(m.to_string(), s.trim().to_uppercase());
            let _ = m.class();
        }
    }

    #[test]
    fn readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        let _ = HcpcsRelease::from_reader_with(&bytes[..], LoadOptions::lenient());
        let _ = HcpcsRelease::from_reader(&bytes[..]);
        let _ = CptDescriptors::from_reader_with(&bytes[..], LoadOptions::lenient());
    }

    #[test]
    fn record_shaped_input_never_panics(
        code in "[ A-Z0-9]{5}",
        id in "[0-9 ]",
        rest in "[ -~\u{80}-\u{ff}]{0,330}",
    ) {
        let line = format!("{code}00100{id}{rest}\n");
        // A record either loads or is reported: never both, never neither. A
        // lone line that is not a good record leaves no record, so the load
        // fails with its error (or with `NoRecord` if it is not record-shaped).
        match HcpcsRelease::from_reader_with(line.as_bytes(), LoadOptions::lenient()) {
            Ok(loaded) => {
                prop_assert_eq!(loaded.table.len() + loaded.table.modifiers().len(), 1);
                prop_assert!(loaded.errors.is_empty());
            }
            Err(HcpcsLoadError::Record(e)) => prop_assert_eq!(e.line(), 1),
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
