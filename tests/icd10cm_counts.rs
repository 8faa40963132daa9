//! The bundled ICD-10-CM tables reproduce CMS's official counts of valid
//! billable codes on every release date.

use medcode::{icd10cm, Date};

const OFFICIAL: [(&str, usize); 14] = [
    ("2015-10-01", 69_823),
    ("2016-10-01", 71_486),
    ("2017-10-01", 71_704),
    ("2018-10-01", 71_932),
    ("2019-10-01", 72_184),
    ("2020-10-01", 72_616),
    ("2021-01-01", 72_621),
    // CMS quotes 72,750 for FY2022: the MCE table holds 72,748 on 2021-10-01
    // and 72,750 from the 2022-04-01 update (three Z28.3 codes added, one split).
    ("2021-10-01", 72_748),
    ("2022-04-01", 72_750),
    ("2022-10-01", 73_639),
    ("2023-04-01", 73_674),
    ("2023-10-01", 74_044),
    ("2024-10-01", 74_260),
    ("2025-10-01", 74_719),
];

#[test]
fn valid_billable_counts_match_cms() {
    for (date, expected) in OFFICIAL.iter().chain(&[("2026-10-01", 74_879)]) {
        let date: Date = date.parse().unwrap();
        assert_eq!(icd10cm::valid_on(date).count(), *expected, "on {date}");
    }
}

#[test]
fn every_fy2026_billable_code_has_a_title() {
    let date: Date = "2025-10-01".parse().unwrap();
    let untitled: Vec<String> = icd10cm::valid_on(date)
        .filter(|i| i.title().is_none())
        .map(|i| i.code().to_string())
        .collect();
    assert!(
        untitled.is_empty(),
        "{} untitled, e.g. {:?}",
        untitled.len(),
        &untitled[..untitled.len().min(5)]
    );
}

#[test]
fn table_on_lists_headers_above_valid_codes() {
    let date: Date = "2025-10-01".parse().unwrap();
    let rows: Vec<_> = icd10cm::table_on(date).collect();
    assert_eq!(rows.iter().filter(|i| i.valid_on(date)).count(), 74_719);
    assert!(rows.iter().any(|i| i.code().to_string() == "E11"));
    assert!(rows.windows(2).all(|w| w[0].code() < w[1].code()));
}
