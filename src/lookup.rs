//! One answer to "what is this code on this date?", as plain data.
//!
//! The CLI prints it (`medcode lookup --json`) and the C ABI will return it,
//! so every front end answers the same way. [`lookup`] detects the code
//! system from the syntax; [`lookup_in`] asks one system.

use crate::date::Date;
use crate::error::ParseCodeError;
use crate::icd10cm::{self, CcInfo, Chapter, IcdCm};
use crate::icd10pcs::{self, Axis, IcdPcs};
use crate::release::{DatedRelease, Release};
use std::fmt;
use std::str::FromStr;

/// The code systems medcode knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum System {
    /// ICD-10-CM diagnoses.
    Icd10Cm,
    /// ICD-10-PCS inpatient procedures.
    Icd10Pcs,
}

impl System {
    /// All systems, in the order detection tries them.
    pub const ALL: [System; 2] = [System::Icd10Cm, System::Icd10Pcs];

    /// The system's name as the CLI and JSON write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            System::Icd10Cm => "icd10cm",
            System::Icd10Pcs => "icd10pcs",
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown system name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code system {0:?} (known: icd10cm, icd10pcs)")]
pub struct UnknownSystem(pub String);

impl FromStr for System {
    type Err = UnknownSystem;
    fn from_str(s: &str) -> Result<System, UnknownSystem> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "icd10cm" => Ok(System::Icd10Cm),
            "icd10pcs" => Ok(System::Icd10Pcs),
            _ => Err(UnknownSystem(s.to_owned())),
        }
    }
}

/// The grouping a code sits in: an ICD-10-CM block or an ICD-10-PCS section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Grouping {
    /// An ICD-10-CM block (`E08-E13`).
    Block(icd10cm::Section),
    /// An ICD-10-PCS section (first character).
    PcsSection(icd10pcs::Section),
}

/// The answer to a lookup of one input string in one code system on one date.
///
/// ```
/// use medcode::{lookup, Date};
/// let r = lookup::lookup_in(lookup::System::Icd10Cm, "e119", Date::new(2026, 1, 1).unwrap());
/// assert_eq!(r.code.as_deref(), Some("E11.9"));
/// assert!(r.valid && r.billable && r.in_table);
/// assert_eq!(r.valid_from.unwrap().to_string(), "2015-10-01");
/// assert_eq!(r.valid_to, None);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LookupReport {
    /// The code system that answered.
    pub system: System,
    /// The input as given.
    pub input: String,
    /// The canonical code (dotted for ICD-10-CM), or `None` if the input is not a code.
    pub code: Option<String>,
    /// Known in some bundled release.
    pub in_table: bool,
    /// Billable in some bundled release (every ICD-10-PCS code in the table is).
    pub billable: bool,
    /// An ICD-10-CM header (category/subcategory, or lacking its 7th character).
    pub header: bool,
    /// Billable and valid on `date`.
    pub valid: bool,
    /// The date asked about.
    pub date: Date,
    /// The release in effect on `date` (`None` before the system's first release).
    pub release: Option<Release>,
    /// True when `date` is after the bundled tables' horizon: the answer is
    /// the newest bundled release's, as of the horizon.
    pub beyond_horizon: bool,
    /// Official long title, `None` where no bundled source has one.
    pub title: Option<&'static str>,
    /// Short title, if a source has one.
    pub short_title: Option<&'static str>,
    /// The parent code (ICD-10-CM).
    pub parent: Option<String>,
    /// First day of the validity window on or nearest `date`.
    pub valid_from: Option<Date>,
    /// Last day of that window; `None` when still valid (or never billable).
    pub valid_to: Option<Date>,
    /// MCE flags on `date` (or of the nearest window when not valid on it).
    pub mce: Vec<&'static str>,
    /// The ICD-10-CM chapter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter: Option<Chapter>,
    /// The ICD-10-CM block or the ICD-10-PCS section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<Grouping>,
    /// CC/MCC status (ICD-10-CM, MS-DRG v43, FY2026).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<CcInfo>,
    /// Needs a 7th character to be billable (ICD-10-CM).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_seventh_character: Option<bool>,
    /// The seven axes with their labels (ICD-10-PCS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axes: Option<[Axis; 7]>,
    /// Why the input is not a code of this system, if it is not.
    pub error: Option<String>,
}

impl LookupReport {
    fn new(system: System, input: &str, date: Date, dated: Option<DatedRelease>) -> LookupReport {
        LookupReport {
            system,
            input: input.to_owned(),
            code: None,
            in_table: false,
            billable: false,
            header: false,
            valid: false,
            date,
            release: dated.map(|d| d.release),
            beyond_horizon: dated.is_some_and(|d| d.beyond_horizon),
            title: None,
            short_title: None,
            parent: None,
            valid_from: None,
            valid_to: None,
            mce: Vec::new(),
            chapter: None,
            section: None,
            cc: None,
            requires_seventh_character: None,
            axes: None,
            error: None,
        }
    }

    fn not_a_code(mut self, e: ParseCodeError) -> LookupReport {
        self.error = Some(e.to_string());
        self
    }
}

/// A lookup's answer: one system's report, or several when the input is a
/// code of more than one system's table (a seven-character code starting B,
/// C, D, F, G, H or X can be both ICD-10-CM and ICD-10-PCS).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum LookupAnswer {
    /// One system answers.
    One(LookupReport),
    /// Several systems hold the code.
    Ambiguous {
        /// The input as given.
        input: String,
        /// Always true; present so JSON readers can test for it.
        ambiguous: bool,
        /// One report per system that holds the code.
        matches: Vec<LookupReport>,
    },
}

impl LookupAnswer {
    /// True if some answering system finds the code valid on the date.
    pub fn valid(&self) -> bool {
        match self {
            LookupAnswer::One(r) => r.valid,
            LookupAnswer::Ambiguous { matches, .. } => matches.iter().any(|r| r.valid),
        }
    }

    /// The reports (one, or several when ambiguous).
    pub fn reports(&self) -> &[LookupReport] {
        match self {
            LookupAnswer::One(r) => std::slice::from_ref(r),
            LookupAnswer::Ambiguous { matches, .. } => matches,
        }
    }
}

/// Looks `input` up in one code system on `date`.
pub fn lookup_in(system: System, input: &str, date: Date) -> LookupReport {
    match system {
        System::Icd10Cm => icd10cm_report(input, date),
        System::Icd10Pcs => icd10pcs_report(input, date),
    }
}

/// Looks `input` up, choosing the system from its syntax: a string only one
/// system's syntax accepts goes to that system; a string several accept is
/// answered by the systems whose tables hold it (ambiguous if more than
/// one); if none holds it, by the first system that accepts it. A string no
/// system accepts is answered by ICD-10-CM's parser, whose error explains it.
///
/// ```
/// use medcode::{lookup, Date};
/// let date = Date::new(2026, 1, 1).unwrap();
/// let pcs = lookup::lookup("0SRD0JZ", date);
/// assert_eq!(pcs.reports()[0].system, lookup::System::Icd10Pcs);
/// let cm = lookup::lookup("E11.9", date);
/// assert_eq!(cm.reports()[0].system, lookup::System::Icd10Cm);
/// ```
pub fn lookup(input: &str, date: Date) -> LookupAnswer {
    let accepting: Vec<System> = System::ALL
        .into_iter()
        .filter(|&s| accepts(s, input))
        .collect();
    match accepting.as_slice() {
        [] => LookupAnswer::One(lookup_in(System::Icd10Cm, input, date)),
        [only] => LookupAnswer::One(lookup_in(*only, input, date)),
        several => {
            let mut reports: Vec<LookupReport> =
                several.iter().map(|&s| lookup_in(s, input, date)).collect();
            let in_table = reports.iter().filter(|r| r.in_table).count();
            match in_table {
                0 => LookupAnswer::One(reports.swap_remove(0)),
                1 => LookupAnswer::One(
                    reports
                        .into_iter()
                        .find(|r| r.in_table)
                        .expect("counted one"),
                ),
                _ => LookupAnswer::Ambiguous {
                    input: input.to_owned(),
                    ambiguous: true,
                    matches: reports.into_iter().filter(|r| r.in_table).collect(),
                },
            }
        }
    }
}

/// True if `input` has the syntax of a code of `system`.
pub fn accepts(system: System, input: &str) -> bool {
    match system {
        System::Icd10Cm => IcdCm::parse(input).is_ok(),
        System::Icd10Pcs => IcdPcs::parse(input).is_ok(),
    }
}

fn icd10cm_report(input: &str, date: Date) -> LookupReport {
    let mut r = LookupReport::new(System::Icd10Cm, input, date, icd10cm::release_on(date));
    let code = match IcdCm::parse(input) {
        Ok(c) => c,
        Err(e) => return r.not_a_code(e),
    };
    r.code = Some(code.to_string());
    let Some(info) = code.info() else { return r };
    r.in_table = true;
    r.billable = info.is_billable();
    r.header = info.is_header();
    r.valid = info.valid_on(date);
    r.title = info.title();
    r.short_title = info.short_title();
    r.parent = info.parent().map(|p| p.code().to_string());
    if let Some(w) = info.window_near(date) {
        r.valid_from = Some(w.from);
        r.valid_to = w.to;
        r.mce = info.mce_on(date).unwrap_or(w.flags).names().collect();
    }
    r.chapter = info.chapter();
    r.section = info.section().map(Grouping::Block);
    r.cc = info.cc();
    r.requires_seventh_character = Some(info.requires_seventh_character());
    r
}

fn icd10pcs_report(input: &str, date: Date) -> LookupReport {
    let mut r = LookupReport::new(System::Icd10Pcs, input, date, icd10pcs::release_on(date));
    let code = match IcdPcs::parse(input) {
        Ok(c) => c,
        Err(e) => return r.not_a_code(e),
    };
    r.code = Some(code.to_string());
    r.section = Some(Grouping::PcsSection(code.section()));
    r.axes = Some(code.axes());
    let Some(info) = code.info() else { return r };
    r.in_table = true;
    r.billable = true;
    r.valid = info.valid_on(date);
    r.title = info.title();
    r.short_title = info.short_title();
    if let Some(w) = info.window_near(date) {
        r.valid_from = Some(w.from);
        r.valid_to = w.to;
        r.mce = info.mce_on(date).unwrap_or(w.flags).names().collect();
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let date = Date::new(2026, 1, 1).unwrap();
        // Not a code of any system: ICD-10-CM's error explains it.
        let bad = lookup("E1!", date);
        assert!(bad.reports()[0].error.is_some());
        assert_eq!("ICD10-PCS".parse::<System>(), Ok(System::Icd10Pcs));
        assert!("cpt4".parse::<System>().is_err());
    }
}
