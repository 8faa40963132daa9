//! POA-exempt codes by date, checked against the counts CDC's ReadMe files
//! state for each list (../shared/cms/poa-exempt/*/ReadMe*.txt).

use medcode::{icd10cm, Date, IcdCm};

/// Each list's effective date, name and the count its ReadMe states.
const LISTS: [(u32, &str, usize); 14] = [
    (20151001, "FY2016", 35_239),
    (20161001, "FY2017", 36_875),
    (20171001, "FY2018", 36_877),
    (20181001, "FY2019", 36_935),
    (20191001, "FY2020", 37_075),
    (20201001, "FY2021", 37_258),
    (20210101, "January 2021", 37_260),
    (20211001, "FY2022", 37_297),
    (20220401, "April 2022", 37_299),
    (20221001, "FY2023", 37_658),
    (20230401, "April 2023", 37_689),
    (20231001, "FY2024", 38_110),
    (20241001, "FY2025", 38_154),
    (20251001, "FY2026", 38_349),
];

fn date(ymd: u32) -> Date {
    Date::from_yyyymmdd(ymd).unwrap()
}

fn exempt_on(d: Date) -> usize {
    icd10cm::all().filter(|i| i.poa_exempt_on(d)).count()
}

#[test]
fn every_list_has_its_stated_count_from_its_effective_date_to_the_next() {
    let lists: Vec<_> = icd10cm::poa_exempt_lists().collect();
    assert_eq!(lists.len(), LISTS.len());
    for (i, (l, &(eff, name, count))) in lists.iter().zip(&LISTS).enumerate() {
        assert_eq!(
            (l.effective, l.name, l.codes as usize),
            (date(eff), name, count)
        );
        assert_eq!(exempt_on(date(eff)), count, "{name} on {eff}");
        // The last day before the next list still answers this one.
        if let Some(&(next, _, _)) = LISTS.get(i + 1) {
            let last_day = Date::from_days_since_epoch(date(next).days_since_epoch() - 1).unwrap();
            assert_eq!(exempt_on(last_day), count, "{name} on {last_day}");
            assert_eq!(icd10cm::poa_exempt_list_on(last_day).unwrap().name, name);
        }
    }
    // Before ICD-10-CM: no list. After the newest: it stays in force.
    assert_eq!(exempt_on(date(20150930)), 0);
    assert!(icd10cm::poa_exempt_list_on(date(20150930)).is_none());
    assert_eq!(exempt_on(date(20261001)), 38_349);
    assert_eq!(exempt_on(date(20300101)), 38_349);
}

#[test]
fn codes_added_and_dropped_between_lists() {
    let c = |s: &str| s.parse::<IcdCm>().unwrap();
    // Z37.0 (outcome of delivery) is exempt on every list.
    for &(eff, _, _) in &LISTS {
        assert!(c("Z37.0").poa_exempt_on(date(eff)));
    }
    assert!(!c("Z37.0").poa_exempt_on(date(20150930)));
    // E11.9 never is.
    assert!(!c("E11.9").poa_exempt_on(date(20251001)));
    // A code not in the tables is not exempt.
    assert!(!c("E11.999").poa_exempt_on(date(20251001)));
    // The periods of a code cover exactly the dates it answers exempt.
    let mut seen_gap = false;
    for info in icd10cm::all() {
        let periods = info.poa_exempt_periods();
        if periods.len() > 1 {
            seen_gap = true;
            let (_, Some(to)) = periods[0] else { panic!() };
            assert!(info.poa_exempt_on(to));
            assert!(!info.poa_exempt_on(to.succ()), "{}", info.code());
        }
    }
    assert!(seen_gap, "no code left a list and came back");
}
