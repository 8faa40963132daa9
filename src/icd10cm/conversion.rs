//! What replaced what: CDC's ICD-10-CM conversion tables (FY2017–FY2026).

use super::notes::CodeRange;
use super::{IcdCm, IcdCmInfo};
use crate::date::Date;
use crate::tables as t;

/// One row of CDC's conversion tables: a code that took effect on a date,
/// and the code(s) its meaning was previously assigned to.
///
/// ```
/// use medcode::IcdCm;
/// let c = "E11.A".parse::<IcdCm>().unwrap().replaces().unwrap();
/// assert_eq!(c.effective.to_string(), "2025-10-01");
/// assert_eq!(c.previous_text, "E11.9");
/// assert_eq!(c.previous().next().unwrap().to_string(), "E11.9");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conversion {
    /// The new code.
    pub code: IcdCm,
    /// The date it took effect.
    pub effective: Date,
    /// The previous assignment as CDC wrote it (`"E11.9"`, `"C56.1 and
    /// C56.2"`, `"Codes in Categories T15-T19"`; `"None"` when the meaning
    /// had no code before).
    pub previous_text: &'static str,
    refs: (u32, u32),
}

impl Conversion {
    fn at(k: usize) -> Conversion {
        let (i, eff, s, e, text) = t::CM_CONV[k];
        Conversion {
            code: IcdCm::from_key_unchecked(t::CM_KEYS[i as usize]),
            effective: Date::from_checked(eff),
            previous_text: text,
            refs: (s, e),
        }
    }

    /// The previous codes, parsed from [`previous_text`](Self::previous_text):
    /// single codes, categories (`I63.-`) and ranges (`H02.101-H02.106`).
    pub fn previous(&self) -> impl ExactSizeIterator<Item = CodeRange> {
        t::CM_CONV_REFS[self.refs.0 as usize..self.refs.1 as usize]
            .iter()
            .map(|&(a, b, _)| {
                CodeRange::new(IcdCm::from_key_unchecked(a), IcdCm::from_key_unchecked(b))
            })
    }

    /// True if `code` is one of the previous codes: equal to a code CDC
    /// names alone, or under a category (`I63.-`) or in a range it names.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let c = "B88.01".parse::<IcdCm>().unwrap().replaces().unwrap();
    /// assert!(c.replaced("B88.0".parse().unwrap()));
    /// assert!(!c.replaced("B88.09".parse().unwrap()));
    /// ```
    pub fn replaced(&self, code: IcdCm) -> bool {
        t::CM_CONV_REFS[self.refs.0 as usize..self.refs.1 as usize]
            .iter()
            .any(|&(a, b, exact)| {
                if exact {
                    code.key() == a
                } else {
                    CodeRange::new(IcdCm::from_key_unchecked(a), IcdCm::from_key_unchecked(b))
                        .contains(code)
                }
            })
    }
}

impl serde::Serialize for Conversion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Conversion", 4)?;
        st.serialize_field("code", &self.code.to_string())?;
        st.serialize_field("effective", &self.effective)?;
        st.serialize_field("previous_text", self.previous_text)?;
        st.serialize_field(
            "previous",
            &self.previous().map(|r| r.to_string()).collect::<Vec<_>>(),
        )?;
        st.end()
    }
}

/// Every row of the conversion tables, in code order.
///
/// ```
/// assert!(medcode::icd10cm::conversions().count() > 5_000);
/// ```
pub fn conversions() -> impl ExactSizeIterator<Item = Conversion> {
    (0..t::CM_CONV.len()).map(Conversion::at)
}

impl IcdCm {
    /// The conversion-table row of this code: when it took effect and what
    /// it replaced. `None` for codes not new since FY2017.
    pub fn replaces(self) -> Option<Conversion> {
        self.info().and_then(IcdCmInfo::replaces)
    }

    /// The codes that replaced this code by `date`, when it is no longer a
    /// billable code on `date` (deleted, or a header since codes were added
    /// below it, or in no bundled release): the conversion rows on or before
    /// `date` whose previous assignment holds this code, oldest first. Empty
    /// while the code is still valid on `date` — new codes that took over
    /// some of its cases did not replace it: see
    /// [`cases_now_coded_as`](Self::cases_now_coded_as). Works for codes in
    /// no bundled release as well.
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let e66: IcdCm = "E66.8".parse().unwrap(); // a header since FY2025
    /// let by = e66.replaced_by(Date::new(2025, 10, 1).unwrap());
    /// assert!(by.iter().any(|c| c.code.to_string() == "E66.811"));
    /// assert!(e66.replaced_by(Date::new(2024, 9, 30).unwrap()).is_empty());
    /// // E11.9 stays valid: E11.A took some of its cases, it did not replace it.
    /// let e119: IcdCm = "E11.9".parse().unwrap();
    /// assert!(e119.replaced_by(Date::new(2025, 10, 1).unwrap()).is_empty());
    /// ```
    pub fn replaced_by(self, date: Date) -> Vec<Conversion> {
        if self.valid_on(date) {
            return Vec::new();
        }
        self.replacements_until(date).collect()
    }

    /// While this code is still valid on `date`: the new codes that took
    /// over some of its cases on or before `date` (CDC's conversion rows
    /// whose previous assignment holds this code), oldest first. Empty when
    /// the code is not valid on `date` (then they are
    /// [`replaced_by`](Self::replaced_by)).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let e119: IcdCm = "E11.9".parse().unwrap();
    /// let some = e119.cases_now_coded_as(Date::new(2025, 10, 1).unwrap());
    /// assert_eq!(some[0].code.to_string(), "E11.A");
    /// assert!(e119.cases_now_coded_as(Date::new(2025, 9, 30).unwrap()).is_empty());
    /// ```
    pub fn cases_now_coded_as(self, date: Date) -> Vec<Conversion> {
        if !self.valid_on(date) {
            return Vec::new();
        }
        self.replacements_until(date).collect()
    }

    /// [`replaced_by`](Self::replaced_by)'s rows, in its order, without
    /// collecting them: the claim rules write them straight into a message.
    pub(crate) fn replacements_until(self, date: Date) -> impl Iterator<Item = Conversion> {
        // The category's rows are in (effective, code) order: those after
        // `date` are all at the end.
        self.candidate_rows()
            .iter()
            .map(|&k| Conversion::at(k as usize))
            .take_while(move |c| c.effective <= date)
            .filter(move |c| c.code != self && c.replaced(self))
    }

    /// The rows of [`replaced_by`](Self::replaced_by) that took effect on
    /// `day` exactly, in code order: what replaced a code whose last day was
    /// the day before (found by a binary search, not a walk past the older
    /// rows).
    pub(crate) fn replacements_on(self, day: Date) -> impl Iterator<Item = Conversion> {
        let rows = self.candidate_rows();
        let from = rows.partition_point(|&k| Conversion::at(k as usize).effective < day);
        rows[from..]
            .iter()
            .map(|&k| Conversion::at(k as usize))
            .take_while(move |c| c.effective == day)
            .filter(move |c| c.code != self && c.replaced(self))
    }

    /// The conversion rows whose previous codes reach this code's category
    /// (see [`ReplacedByIndex`]), in (effective, code) order.
    fn candidate_rows(self) -> &'static [u32] {
        let index = replaced_by_index();
        match category_slot(self) {
            Some(slot) => {
                let (from, to) = (index.starts[slot], index.starts[slot + 1]);
                &index.rows[from as usize..to as usize]
            }
            None => &[],
        }
    }
}

/// Category slots: a letter, then a digit or letter, then a digit or letter.
const CATEGORY_SLOTS: usize = 26 * 36 * 36;

/// The slot of a code's category (its first three characters) in
/// [`ReplacedByIndex::starts`]: slots are in code order, as the symbols
/// are (digits before letters). `None` for a key that does not start with
/// a letter and two letters or digits (no code parses to one).
fn category_slot(code: IcdCm) -> Option<usize> {
    use crate::codebuf::sixbit;
    let key = code.key();
    let (a, b, c) = (
        sixbit::symbol(key, 0),
        sixbit::symbol(key, 1),
        sixbit::symbol(key, 2),
    );
    if !sixbit::is_letter(a) || b == 0 || b > 36 || c == 0 || c > 36 {
        return None;
    }
    Some((((a - 11) * 36 + (b - 1)) * 36 + (c - 1)) as usize)
}

/// For each category slot, the conversion rows with a previous code or
/// range that reaches it: `rows[starts[s]..starts[s + 1]]` for slot `s`,
/// each slot's rows in (effective, code) order, built on first use. A code
/// a row's range `first`–`last` holds has `first` ≤ its first
/// `first.len()` characters and its first `last.len()` characters ≤ `last`,
/// so its category lies between the categories of `first` and `last`: the
/// rows listed for a code's category are every row that can hold it.
/// (Without it, each `replaced_by` scanned all 5,883 rows: 30,000
/// instructions a call; a map by category, with a filter and a sort of the
/// rows a call, cost 7,000.) An array indexed by the slot, not a hash map:
/// no hashing, one load to find a category's rows.
struct ReplacedByIndex {
    starts: Vec<u32>,
    rows: Vec<u32>,
}

fn replaced_by_index() -> &'static ReplacedByIndex {
    static INDEX: std::sync::OnceLock<ReplacedByIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_slot: Vec<Vec<u32>> = vec![Vec::new(); CATEGORY_SLOTS];
        for (k, &(_, _, s, e, _)) in t::CM_CONV.iter().enumerate() {
            for &(a, b, _) in &t::CM_CONV_REFS[s as usize..e as usize] {
                let (first, last) = (IcdCm::from_key_unchecked(a), IcdCm::from_key_unchecked(b));
                let (Some(lo), Some(hi)) = (category_slot(first), category_slot(last)) else {
                    continue;
                };
                for rows in by_slot.iter_mut().take(hi + 1).skip(lo) {
                    if rows.last() != Some(&(k as u32)) {
                        rows.push(k as u32);
                    }
                }
            }
        }
        let mut starts = Vec::with_capacity(CATEGORY_SLOTS + 1);
        let mut rows = Vec::new();
        for mut slot in by_slot {
            starts.push(rows.len() as u32);
            // Stable: rows of the same date and code stay in table order,
            // the order `replaced_by` sorted them into.
            slot.sort_by_key(|&k| {
                let c = Conversion::at(k as usize);
                (c.effective, c.code)
            });
            rows.extend(slot);
        }
        starts.push(rows.len() as u32);
        ReplacedByIndex { starts, rows }
    })
}

impl IcdCmInfo {
    /// The conversion-table row of this code (see [`IcdCm::replaces`]).
    ///
    /// ```
    /// let e11a = "E11.A".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// let row = e11a.replaces().unwrap();
    /// assert_eq!(row.effective.to_string(), "2025-10-01");
    /// assert_eq!(row.previous_text, "E11.9");
    /// ```
    pub fn replaces(self) -> Option<Conversion> {
        let k = t::CM_CONV.binary_search_by_key(&self.0, |r| r.0).ok()?;
        Some(Conversion::at(k))
    }

    /// The codes that replaced this code by `date`, when it is no longer
    /// billable then (see [`IcdCm::replaced_by`]).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let g20 = "G20".parse::<IcdCm>().unwrap().info().unwrap(); // a header since FY2025
    /// let by = g20.replaced_by(Date::new(2025, 11, 12).unwrap());
    /// assert_eq!(by[0].code.to_string(), "G20.A1");
    /// ```
    pub fn replaced_by(self, date: Date) -> Vec<Conversion> {
        self.code().replaced_by(date)
    }

    /// The new codes that took over some of this code's cases while it stays
    /// valid (see [`IcdCm::cases_now_coded_as`]).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let b9729 = "B97.29".parse::<IcdCm>().unwrap().info().unwrap();
    /// let some = b9729.cases_now_coded_as(Date::new(2026, 1, 1).unwrap());
    /// assert_eq!(some[0].code.to_string(), "U07.1");
    /// assert!(b9729.replaced_by(Date::new(2026, 1, 1).unwrap()).is_empty());
    /// ```
    pub fn cases_now_coded_as(self, date: Date) -> Vec<Conversion> {
        self.code().cases_now_coded_as(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The category index gives the rows a scan of every row gives.
    #[test]
    fn replaced_by_equals_the_full_scan() {
        let scan = |code: IcdCm, date: Date| {
            let mut out: Vec<Conversion> = conversions()
                .filter(|c| c.effective <= date && c.code != code && c.replaced(code))
                .collect();
            out.sort_by_key(|c| (c.effective, c.code));
            out
        };
        // Every previous code CDC names (and a child of it), and a sample of all codes.
        let mut codes: Vec<IcdCm> = conversions()
            .flat_map(|c| {
                c.previous()
                    .flat_map(|r| [r.first, r.last])
                    .collect::<Vec<_>>()
            })
            .collect();
        codes.extend(super::super::all().step_by(41).map(|i| i.code()));
        codes.extend(
            ["T15.0", "T17.9", "I63.9", "Z99.9", "E11.9", "A00"]
                .map(|s| s.parse::<IcdCm>().unwrap()),
        );
        codes.sort_unstable();
        codes.dedup();
        let dates = [
            Date::new(2016, 10, 1).unwrap(),
            Date::new(2027, 3, 31).unwrap(),
        ];
        let mut found = 0;
        for code in codes {
            for date in dates {
                let want = scan(code, date);
                found += want.len();
                // Split by whether the code is still valid on the date.
                let mut both = code.replaced_by(date);
                both.extend(code.cases_now_coded_as(date));
                assert_eq!(both, want, "{code} {date}");
                assert!(
                    code.replaced_by(date).is_empty() || code.cases_now_coded_as(date).is_empty()
                );
            }
        }
        assert!(found > 1000, "{found}");
    }
}
