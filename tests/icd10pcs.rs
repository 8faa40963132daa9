//! ICD-10-PCS: counts per release, pinned facts, round trips.

use medcode::icd10pcs::{self, IcdPcs};
use medcode::{Date, PcsFlags};
use proptest::prelude::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn code(s: &str) -> IcdPcs {
    s.parse().unwrap()
}

/// CMS's totals (FY2024 on), and the table's own counts for the earlier
/// releases (which CMS's published totals are not re-checked against here).
const COUNTS: [(&str, usize); 19] = [
    ("2015-10-01", 71_974),
    ("2016-10-01", 75_789),
    ("2017-10-01", 78_705),
    ("2018-10-01", 78_881),
    ("2019-10-01", 77_559),
    ("2020-08-01", 77_571),
    ("2020-10-01", 78_115),
    ("2021-01-01", 78_136),
    ("2021-10-01", 78_220),
    ("2022-04-01", 78_229),
    ("2022-10-01", 78_496),
    ("2023-04-01", 78_530),
    ("2023-10-01", 78_603),
    ("2024-04-01", 78_638),
    ("2024-10-01", 78_948),
    ("2025-04-01", 78_986),
    ("2025-10-01", 79_115),
    ("2026-04-01", 79_193),
    ("2026-10-01", 79_256),
];

#[test]
fn valid_counts_per_release() {
    for (date, expected) in COUNTS {
        assert_eq!(icd10pcs::valid_on(d(date)).count(), expected, "on {date}");
    }
    let releases: Vec<String> = icd10pcs::releases()
        .map(|r| r.effective.to_string())
        .collect();
    assert_eq!(releases, COUNTS.map(|c| c.0.to_owned()));
}

#[test]
fn untitled_codes_per_release() {
    // CMS's order files FY2016-FY2026 title every code valid through FY2026;
    // only codes new in April 2026 and FY2027 (no order file published yet)
    // stay untitled. Was 290 on 2025-10-01 and 471 on 2026-10-01 before the
    // order files.
    let untitled = |date: &str| {
        icd10pcs::valid_on(d(date))
            .filter(|i| i.title_on(d(date)).is_none())
            .count()
    };
    for r in icd10pcs::releases() {
        let date = r.effective.to_string();
        let want = match date.as_str() {
            "2026-04-01" => 80,
            "2026-10-01" => 181,
            _ => 0,
        };
        assert_eq!(untitled(&date), want, "{date}");
    }
    // 00H033J was one of the 290 (valid FY2026, untitled before).
    assert_eq!(
        code("00H033J").info().unwrap().title(),
        Some("Insertion of Infusion Device into Brain, Temporary, Percutaneous Approach")
    );
}

#[test]
fn titles_by_date() {
    let x = code("XW133G8").info().unwrap();
    assert_eq!(
        x.title(),
        Some("Transfusion of Atidarsagene Autotemcel into Peripheral Vein, Percutaneous Approach, New Technology Group 8")
    );
    assert_eq!(
        x.title_on(d("2025-09-30")),
        Some("Transfusion of OTL-200 into Peripheral Vein, Percutaneous Approach, New Technology Group 8")
    );
    assert_eq!(x.title_on(d("2025-10-01")), x.title());
    assert_eq!(
        x.short_title(),
        Some("Transfuse Atidars Autotem in Periph Vein, Perc, New Tech 8")
    );
}

#[test]
fn pinned_0016070() {
    let info = code("0016070").info().unwrap();
    assert_eq!(
        info.title(),
        Some("Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach")
    );
    assert_eq!(info.windows()[0].from, d("2015-10-01"));
    assert!(info.valid_on(d("2015-10-01")));
    assert!(info.short_title().is_some());
}

#[test]
fn decodes_0srd0jz() {
    let c = code("0SRD0JZ");
    let axes = c.axes();
    let expected = [
        ("Section", '0', "Medical and Surgical"),
        ("Body System", 'S', "Lower Joints"),
        ("Root Operation", 'R', "Replacement"),
        ("Body Part", 'D', "Knee Joint, Left"),
        ("Approach", '0', "Open"),
        ("Device", 'J', "Synthetic Substitute"),
        ("Qualifier", 'Z', "No Qualifier"),
    ];
    for (axis, (name, value, label)) in axes.iter().zip(expected) {
        assert_eq!(
            (axis.name, axis.value, axis.label),
            (Some(name), value, Some(label))
        );
    }
    assert!(axes[2]
        .definition
        .unwrap()
        .starts_with("Putting in or on biological or synthetic material"));
    assert_eq!(c.section().name, Some("Medical and Surgical"));
}

#[test]
fn other_sections_have_named_section_and_unknown_labels() {
    let info = icd10pcs::all()
        .find(|i| i.code().to_string().starts_with('B'))
        .unwrap();
    let axes = info.code().axes();
    assert_eq!(axes[0].label, Some("Imaging"));
    assert!(
        axes[1..].iter().all(|a| a.label.is_none()),
        "invented label for {}",
        info.code()
    );
}

#[test]
fn retired_code_not_valid_after_its_end() {
    let retired = icd10pcs::all()
        .find(|i| i.windows().last().is_some_and(|w| w.to.is_some()))
        .expect("some code was retired");
    let end = retired.windows().last().unwrap().to.unwrap();
    assert!(retired.valid_on(end));
    assert!(!retired.valid_on(end.succ()));
}

#[test]
fn mce_attributes_by_date() {
    let any_with = |flag: PcsFlags, date: &str| {
        icd10pcs::valid_on(d(date)).any(|i| i.mce_on(d(date)).is_some_and(|f| f.contains(flag)))
    };
    assert!(any_with(PcsFlags::NONCOVERED, "2025-10-01"));
    assert!(any_with(PcsFlags::MALE, "2024-09-30"));
    assert!(!any_with(PcsFlags::MALE, "2024-10-01"));
    assert!(!any_with(PcsFlags::FEMALE, "2024-10-01"));
    assert!(any_with(PcsFlags::CESAREAN, "2025-10-01"));
}

#[test]
fn table_prefix_slices() {
    let info = code("0SRD0JZ").info().unwrap();
    let table: Vec<_> = info.table().collect();
    assert!(table.len() > 10);
    assert!(table
        .iter()
        .all(|i| i.code().to_string().starts_with("0SR")));
    assert_eq!(icd10pcs::with_prefix("0SR").unwrap().count(), table.len());
    assert_eq!(icd10pcs::with_prefix("0srd0jz").unwrap().count(), 1);
}

#[test]
fn every_code_round_trips() {
    let mut prev: Option<IcdPcs> = None;
    for info in icd10pcs::all() {
        let c = info.code();
        let text = c.to_string();
        assert_eq!(text.parse::<IcdPcs>().unwrap(), c);
        assert_eq!(text.to_lowercase().parse::<IcdPcs>().unwrap(), c);
        assert_eq!(c.info(), Some(info));
        if let Some(p) = prev {
            assert!(p < c && p.to_string() < text);
        }
        prev = Some(c);
    }
}

proptest! {
    #[test]
    fn arbitrary_strings_parse_or_say_why(s in "[ 0-9A-Za-z.é]{0,9}|.{0,40}") {
        let wanted = s.trim().to_uppercase();
        match s.parse::<IcdPcs>() {
            Ok(c) => {
                prop_assert_eq!(c.to_string(), wanted.clone());
                prop_assert_eq!(wanted.parse::<IcdPcs>().unwrap(), c);
            }
            Err(e) => prop_assert!(e.to_string().contains("ICD-10-PCS"), "{}", e),
        }
        // Every code under a prefix starts with it, in code order.
        if let Ok(it) = icd10pcs::with_prefix(&s) {
            let codes: Vec<String> = it.map(|i| i.code().to_string()).collect();
            prop_assert!(codes.iter().all(|c| c.starts_with(&wanted)), "{:?}", codes);
            prop_assert!(codes.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn syntactic_codes_round_trip(s in "[0-9A-HJ-NP-Z]{7}") {
        let c: IcdPcs = s.parse().unwrap();
        prop_assert_eq!(c.to_string(), s.clone());
        // In the tables exactly when some prefix listing holds it.
        let listed = icd10pcs::with_prefix(&s).unwrap().any(|i| i.code() == c);
        prop_assert_eq!(c.info().is_some(), listed);
        if let Some(info) = c.info() {
            prop_assert_eq!(info.code(), c);
        }
        // One axis a character, in place.
        let axes = c.axes();
        for (i, (axis, ch)) in axes.iter().zip(s.chars()).enumerate() {
            prop_assert_eq!(usize::from(axis.position), i + 1);
            prop_assert_eq!(axis.value, ch);
        }
    }
}
