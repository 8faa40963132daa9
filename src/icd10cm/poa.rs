//! Codes exempt from present-on-admission (POA) reporting, from CDC's lists.

use super::{IcdCm, IcdCmInfo};
use crate::date::Date;
use crate::tables as t;

/// One of CDC's lists of ICD-10-CM codes exempt from POA reporting.
///
/// A list is in force from its release's effective date until the next
/// list's. CDC published lists for every fiscal year FY2016–FY2026 and for
/// January 2021, April 2022 and April 2023; none for April 2024 or April 2025
/// (the fiscal year's list stays in force) and none yet for FY2027 (the FY2026
/// list answers for later dates).
///
/// ```
/// let lists: Vec<_> = medcode::icd10cm::poa_exempt_lists().collect();
/// let fy26 = lists.last().unwrap();
/// assert_eq!(fy26.name, "FY2026");
/// assert_eq!(fy26.effective.to_string(), "2025-10-01");
/// assert_eq!(fy26.codes, 38_349);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PoaExemptList {
    /// The date the list takes effect.
    pub effective: Date,
    /// The release, such as `"FY2026"` or `"April 2023"`.
    pub name: &'static str,
    /// How many codes the list holds (as its ReadMe states; checked).
    pub codes: u32,
}

/// CDC's POA-exempt lists, oldest first.
pub fn poa_exempt_lists() -> impl DoubleEndedIterator<Item = PoaExemptList> + ExactSizeIterator {
    t::CM_POA_LISTS
        .iter()
        .map(|&(effective, name, codes)| PoaExemptList {
            effective: Date::from_checked(effective),
            name,
            codes,
        })
}

/// The list in force on `date`; `None` before the first (2015-10-01).
///
/// ```
/// use medcode::{icd10cm, Date};
/// let l = icd10cm::poa_exempt_list_on(Date::new(2024, 6, 1).unwrap()).unwrap();
/// assert_eq!(l.name, "FY2024"); // no April 2024 list
/// ```
pub fn poa_exempt_list_on(date: Date) -> Option<PoaExemptList> {
    poa_exempt_lists().rev().find(|l| l.effective <= date)
}

impl IcdCmInfo {
    /// This code's rows of `CM_POA` (its exempt periods, oldest first).
    fn poa_rows(self) -> &'static [(u32, u32, u32)] {
        let i = self.0 as usize;
        let (s, e) = (t::CM_POA_START[i] as usize, t::CM_POA_START[i + 1] as usize);
        &t::CM_POA[s..e]
    }

    /// True if the code is on CDC's POA-exempt list in force on `date`:
    /// claims need no present-on-admission indicator for it (the exempt
    /// indicator is blank or `1`). Dates after the bundled horizon answer as
    /// of the newest list; dates before 2015-10-01 answer `false`.
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let d = |y, m| Date::new(y, m, 1).unwrap();
    /// let z37 = "Z37.0".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(z37.poa_exempt_on(d(2026, 1)));
    /// let e119 = "E11.9".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(!e119.poa_exempt_on(d(2026, 1)));
    /// ```
    pub fn poa_exempt_on(self, date: Date) -> bool {
        // The newest list's period ends at the horizon: later dates answer as of it.
        let d = date.yyyymmdd().min(t::CM_HORIZON);
        self.poa_rows().iter().any(|&(_, s, e)| s <= d && d <= e)
    }

    /// The periods in which the code was on the POA-exempt list in force:
    /// `(from, to)`, `to` is `None` while the code is on the newest list.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let z37 = "Z37.0".parse::<IcdCm>().unwrap().info().unwrap();
    /// let p = z37.poa_exempt_periods();
    /// assert_eq!(p[0].0.to_string(), "2015-10-01");
    /// assert_eq!(p.last().unwrap().1, None);
    /// ```
    pub fn poa_exempt_periods(self) -> Vec<(Date, Option<Date>)> {
        self.poa_rows()
            .iter()
            .map(|&(_, s, e)| {
                (
                    Date::from_checked(s),
                    (e < t::CM_HORIZON).then(|| Date::from_checked(e)),
                )
            })
            .collect()
    }
}

impl IcdCm {
    /// True if the code is on CDC's POA-exempt list in force on `date`
    /// (see [`IcdCmInfo::poa_exempt_on`]); `false` for codes not in the tables.
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let y92: IcdCm = "Y92.000".parse().unwrap();
    /// assert!(y92.poa_exempt_on(Date::new(2025, 10, 1).unwrap()));
    /// ```
    pub fn poa_exempt_on(self, date: Date) -> bool {
        self.info().is_some_and(|i| i.poa_exempt_on(date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-row index gives each row exactly the rows a search of the
    /// sorted table gives, for every code row.
    #[test]
    fn poa_start_index_equals_the_search() {
        let rows = &t::CM_POA;
        assert_eq!(t::CM_POA_START.len(), t::CM_KEYS.len() + 1);
        for i in 0..t::CM_KEYS.len() as u32 {
            let first = rows.partition_point(|&(r, _, _)| r < i);
            let last = rows.partition_point(|&(r, _, _)| r <= i);
            assert_eq!(IcdCmInfo(i).poa_rows(), &rows[first..last], "row {i}");
        }
        assert_eq!(*t::CM_POA_START.last().unwrap() as usize, rows.len());
    }
}
