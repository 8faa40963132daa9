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

    /// The codes that took over this code's meaning on or before `date`
    /// (conversion rows whose previous assignment holds this code), oldest
    /// first. Works for codes in no bundled release as well.
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let e66: IcdCm = "E66.8".parse().unwrap();
    /// let by = e66.replaced_by(Date::new(2025, 10, 1).unwrap());
    /// assert!(by.iter().any(|c| c.code.to_string() == "E66.811"));
    /// assert!(e66.replaced_by(Date::new(2024, 9, 30).unwrap()).is_empty());
    /// ```
    pub fn replaced_by(self, date: Date) -> Vec<Conversion> {
        let mut out: Vec<Conversion> = conversions()
            .filter(|c| c.effective <= date && c.code != self && c.replaced(self))
            .collect();
        out.sort_by_key(|c| (c.effective, c.code));
        out
    }
}

impl IcdCmInfo {
    /// The conversion-table row of this code (see [`IcdCm::replaces`]).
    pub fn replaces(self) -> Option<Conversion> {
        let k = t::CM_CONV.binary_search_by_key(&self.0, |r| r.0).ok()?;
        Some(Conversion::at(k))
    }

    /// The codes that took over this code's meaning on or before `date`
    /// (see [`IcdCm::replaced_by`]).
    pub fn replaced_by(self, date: Date) -> Vec<Conversion> {
        self.code().replaced_by(date)
    }
}
