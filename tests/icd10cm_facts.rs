//! Facts about ICD-10-CM that the bundled tables must reproduce.

use medcode::icd10cm::{self, CcLevel, NoteKind};
use medcode::{AgeCategory, Date, DxFlags, IcdCm};
use std::str::FromStr;

fn code(s: &str) -> IcdCm {
    s.parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn e11_9_billable_titled_questionable_admission() {
    let info = code("E11.9").info().unwrap();
    assert!(info.billable_in_some_release());
    assert!(!info.is_header());
    assert_eq!(
        info.title(),
        Some("Type 2 diabetes mellitus without complications")
    );
    assert!(info.valid_on(d("2015-10-01")));
    assert!(info.valid_on(d("2026-10-01")));
    assert!(!info.valid_on(d("2015-09-30")));
    assert!(info
        .mce_on(d("2026-01-01"))
        .unwrap()
        .contains(DxFlags::QUESTIONABLE_ADMISSION));
    assert_eq!(info.parent().unwrap().code(), code("E11"));
    assert_eq!(info.chapter().unwrap().number, 4);
    let section = info.section().unwrap();
    assert_eq!((section.first, section.last), (code("E08"), code("E13")));
}

#[test]
fn e11_is_a_header_with_children_and_excludes1_refs() {
    let info = code("E11").info().unwrap();
    assert!(info.is_header());
    assert!(!info.billable_in_some_release());
    assert!(!code("E11").valid_on(d("2026-01-01")));
    assert_eq!(info.title(), Some("Type 2 diabetes mellitus"));
    let children: Vec<String> = info.children().map(|c| c.code().to_string()).collect();
    assert!(children.contains(&"E11.9".to_owned()));
    assert!(children.contains(&"E11.A".to_owned()));
    assert!(
        !children.contains(&"E11.65".to_owned()),
        "grandchild listed as child"
    );
    assert!(info.descendants().any(|c| c.code() == code("E11.65")));
    let refs: Vec<String> = info
        .notes()
        .filter(|n| n.kind == NoteKind::Excludes1)
        .flat_map(|n| n.refs())
        .map(|r| r.to_string())
        .collect();
    for expected in ["E08", "E09", "E13", "O24.4", "P70.2", "E10"] {
        assert!(
            refs.contains(&expected.to_owned()),
            "{expected} missing from {refs:?}"
        );
    }
}

#[test]
fn e11_a_new_in_fy2026() {
    let c = code("E11.A");
    assert!(c.valid_on(d("2025-10-01")));
    assert!(!c.valid_on(d("2025-06-01")));
    let w = c.info().unwrap().windows();
    assert_eq!(w[0].from, d("2025-10-01"));
}

#[test]
fn u07_1_valid_from_april_2020() {
    let c = code("U07.1");
    assert!(!c.valid_on(d("2020-03-31")));
    assert!(c.valid_on(d("2020-04-01")));
    assert_eq!(c.info().unwrap().windows()[0].from, d("2020-04-01"));
}

#[test]
fn o80_maternity_female_until_fy2025() {
    let info = code("O80").info().unwrap();
    let before = info.mce_on(d("2024-09-30")).unwrap();
    assert!(before.contains(DxFlags::MATERNITY | DxFlags::FEMALE));
    let after = info.mce_on(d("2024-10-01")).unwrap();
    assert!(after.contains(DxFlags::MATERNITY));
    assert!(!after.contains(DxFlags::FEMALE));
    assert_eq!(
        after.age_categories().collect::<Vec<_>>(),
        [AgeCategory::Maternity]
    );
    assert_eq!(
        AgeCategory::Maternity.ages_on(d("2024-10-01")),
        Some((9, 64))
    );
}

#[test]
fn g01_manifestation_y65_51_wrong_procedure() {
    assert!(code("G01")
        .info()
        .unwrap()
        .mce_on(d("2025-01-01"))
        .unwrap()
        .contains(DxFlags::MANIFESTATION));
    assert!(code("Y65.51")
        .info()
        .unwrap()
        .mce_on(d("2025-01-01"))
        .unwrap()
        .contains(DxFlags::WRONG_PROCEDURE));
}

#[test]
fn seventh_character_codes() {
    let header = code("S72.001").info().unwrap();
    assert!(header.is_header());
    assert!(!header.billable_in_some_release());
    assert!(header.requires_seventh_character());
    let billable = code("S72.001A").info().unwrap();
    assert!(billable.billable_in_some_release());
    assert!(!billable.requires_seventh_character());
    assert_eq!(billable.parent().unwrap().code(), code("S72.001"));
    assert!(billable
        .title()
        .unwrap()
        .ends_with(", initial encounter for closed fracture"));
    // Placeholder X: T36.0X1A's parent is T36.0X1.
    let t = code("T36.0X1A").info().unwrap();
    assert!(t.billable_in_some_release());
    assert_eq!(t.parent().unwrap().code(), code("T36.0X1"));
    assert_eq!(
        t.title(),
        Some("Poisoning by penicillins, accidental (unintentional), initial encounter")
    );
    // T79.4XXA: no T79.4X or T79.4XX in the tabular, so the parent is T79.4.
    assert_eq!(
        code("T79.4XXA").info().unwrap().parent().unwrap().code(),
        code("T79.4")
    );
    assert!(code("T79.4").info().unwrap().requires_seventh_character());
}

#[test]
fn short_titles_only_where_a_source_has_them() {
    assert_eq!(
        code("S72.001A").info().unwrap().short_title(),
        Some("Fracture of unsp part of neck of right femur, init")
    );
    // E11.A is new in FY2026: CMS's FY2026 order file gives its short title.
    assert_eq!(
        code("E11.A").info().unwrap().short_title(),
        Some("Type 2 diabetes mellitus without complications in remission")
    );
}

// Was `codes_new_in_fy2027_have_no_title`: CMS's FY2027 codes file now
// titles them (long titles only; it has no short titles).
#[test]
fn codes_new_in_fy2027_have_cms_titles_and_no_short_title() {
    let fy2027 = d("2026-10-01");
    let new: Vec<_> = icd10cm::valid_on(fy2027)
        .filter(|i| !i.valid_on(d("2026-09-30")))
        .collect();
    assert_eq!(new.len(), 190);
    assert!(new.iter().all(|i| i.title().is_some()));
    assert!(new.iter().all(|i| i.short_title().is_none()));
}

/// Every code valid on a release date has the title of that date.
#[test]
fn every_valid_code_is_titled_on_every_release_date() {
    for r in icd10cm::releases() {
        let untitled: Vec<_> = icd10cm::valid_on(r.effective)
            .filter(|i| i.title_on(r.effective).is_none())
            .map(|i| i.code().to_string())
            .take(5)
            .collect();
        assert!(untitled.is_empty(), "{}: {untitled:?}", r.effective);
    }
}

#[test]
fn titles_by_date() {
    // Revised in FY2027 (CMS's FY2027 addenda: 4 revised codes).
    let l = code("L02.232").info().unwrap();
    assert_eq!(
        l.title(),
        Some("Carbuncle of back [any part, except buttock and flank]")
    );
    assert_eq!(
        l.title_on(d("2026-09-30")),
        Some("Carbuncle of back [any part, except buttock]")
    );
    assert_eq!(l.title_on(d("2026-10-01")), l.title());
    assert_eq!(l.title_on(d("2015-10-01")), l.title_on(d("2026-09-30")));
    // Accents: CMS's spelling by default, the tabular's on request.
    let c = code("C84.10").info().unwrap();
    assert_eq!(c.title(), Some("Sezary disease, unspecified site"));
    assert_eq!(c.tabular_title(), Some("Sézary disease, unspecified site"));
    assert_eq!(
        code("E11.9").info().unwrap().tabular_title(),
        code("E11.9").info().unwrap().title()
    );
}

#[test]
fn cc_mcc_and_pdx_exclusions() {
    let a021 = code("A02.1").info().unwrap().cc().unwrap();
    assert_eq!(a021.level, CcLevel::Mcc);
    let a000 = code("A00.0").info().unwrap();
    assert_eq!(a000.cc().unwrap().level, CcLevel::Cc);
    assert_eq!(a000.cc().unwrap().pdx_exclusion_group, Some(2));
    assert!(a000.cc_excluded_by(code("A00.9")));
    assert!(!a000.cc_excluded_by(code("E11.9")));
    assert!(code("I46.9").info().unwrap().cc().unwrap().alive_only);
    assert!(code("E11.9").info().unwrap().cc().is_none());
}

/// Every row of CMS's Table 6 (the grouper data crate's `cc_v43.tsv`,
/// `alive_only_v43.tsv`, `pdx_groups_v43.tsv`) answers through `cc()` and
/// `cc_excluded_by`, and no other code is a CC or MCC.
#[test]
fn cc_mcc_answer_every_table_row() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/medcode-grouper-data/data/"
    );
    let rows = |name: &str| -> Vec<Vec<String>> {
        std::fs::read_to_string(format!("{dir}{name}"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    };
    let alive: std::collections::BTreeSet<String> = rows("alive_only_v43.tsv")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let table = rows("cc_v43.tsv");
    for r in &table {
        let cc = IcdCm::from_str(&r[0]).unwrap().info().unwrap().cc();
        let cc = cc.unwrap_or_else(|| panic!("{} has no cc()", r[0]));
        let level = if r[1] == "MCC" {
            CcLevel::Mcc
        } else {
            CcLevel::Cc
        };
        assert_eq!(cc.level, level, "{}", r[0]);
        let group = r
            .get(2)
            .filter(|g| !g.is_empty())
            .map(|g| g.parse().unwrap());
        assert_eq!(cc.pdx_exclusion_group, group, "{}", r[0]);
        assert_eq!(cc.alive_only, alive.contains(&r[0]), "{}", r[0]);
    }
    let with_cc = icd10cm::all().filter(|i| i.cc().is_some()).count();
    assert_eq!(with_cc, table.len());
    // One member of each group: a code of that group is excluded by it.
    let mut seen = std::collections::BTreeSet::new();
    let by_group: std::collections::BTreeMap<&str, &str> = table
        .iter()
        .filter(|r| r.get(2).is_some_and(|g| !g.is_empty()))
        .map(|r| (r[2].as_str(), r[0].as_str()))
        .collect();
    for r in rows("pdx_groups_v43.tsv") {
        if let Some(code) = by_group.get(r[0].as_str()) {
            if seen.insert(r[0].clone()) {
                let principal = IcdCm::from_str(&r[1]).unwrap();
                let info = IcdCm::from_str(code).unwrap().info().unwrap();
                assert!(info.cc_excluded_by(principal), "{code} by {}", r[1]);
            }
        }
    }
    assert!(seen.len() > 1_000);
}

#[test]
fn common_ancestor_and_chapters() {
    assert_eq!(
        icd10cm::common_ancestor(code("E11.65"), code("E11.9"))
            .unwrap()
            .code(),
        code("E11")
    );
    assert!(icd10cm::common_ancestor(code("E11.9"), code("I10")).is_none());
    assert_eq!(icd10cm::chapters().count(), 22);
    let ch1 = icd10cm::chapters().next().unwrap();
    assert_eq!((ch1.first, ch1.last), (code("A00"), code("B99")));
    assert!(ch1.notes().any(|n| n.kind == NoteKind::Includes));
}

#[test]
fn releases_and_horizon() {
    let releases: Vec<_> = icd10cm::releases()
        .map(|r| r.effective.to_string())
        .collect();
    assert_eq!(releases.first().map(String::as_str), Some("2015-10-01"));
    assert_eq!(releases.last().map(String::as_str), Some("2026-10-01"));
    assert!(releases.contains(&"2020-04-01".to_owned()));
    assert_eq!(icd10cm::horizon(), d("2027-03-31"));
    let late = icd10cm::release_on(d("2031-01-01")).unwrap();
    assert!(late.beyond_horizon);
    assert_eq!(late.as_of, d("2027-03-31"));
    assert!(code("E11.9").valid_on(d("2031-01-01")));
}

#[test]
fn discharge_status_by_date() {
    assert!(medcode::mce::discharge_status_valid(1, d("2025-01-01")));
    assert!(!medcode::mce::discharge_status_valid(99, d("2025-01-01")));
}
