//! One answer to "what is this code on this date?", as plain data.
//!
//! The CLI prints it (`medcode lookup --json`) and the C ABI returns it, so
//! every front end answers the same way.

use crate::date::Date;
use crate::icd10cm::{self, CcInfo, Chapter, IcdCm, Section};
use crate::release::Release;

/// The answer to a lookup of one input string on one date.
///
/// ```
/// use medcode::{lookup, Date};
/// let r = lookup::icd10cm("e119", Date::new(2026, 1, 1).unwrap());
/// assert_eq!(r.code.as_deref(), Some("E11.9"));
/// assert!(r.valid && r.billable && r.in_table);
/// assert_eq!(r.valid_from.unwrap().to_string(), "2015-10-01");
/// assert_eq!(r.valid_to, None);
///
/// let bad = lookup::icd10cm("E1!", Date::new(2026, 1, 1).unwrap());
/// assert!(bad.code.is_none() && bad.error.is_some());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LookupReport {
    /// The code system asked (`"icd10cm"`).
    pub system: &'static str,
    /// The input as given.
    pub input: String,
    /// The canonical code (dotted), or `None` if the input is not a code.
    pub code: Option<String>,
    /// Known in some bundled release, as billable code or header.
    pub in_table: bool,
    /// Billable in some bundled release.
    pub billable: bool,
    /// A header (category/subcategory, or lacking its 7th character).
    pub header: bool,
    /// Billable and valid on `date`.
    pub valid: bool,
    /// The date asked about.
    pub date: Date,
    /// The release in effect on `date` (`None` before ICD-10-CM).
    pub release: Option<Release>,
    /// True when `date` is after the bundled tables' horizon: the answer is
    /// the newest bundled release's, as of the horizon.
    pub beyond_horizon: bool,
    /// Official long title, `None` where no bundled source has one.
    pub title: Option<&'static str>,
    /// Short title (FY2025 order file), if any.
    pub short_title: Option<&'static str>,
    /// The parent code.
    pub parent: Option<String>,
    /// First day of the validity window on or nearest `date`.
    pub valid_from: Option<Date>,
    /// Last day of that window; `None` when still valid (or never billable).
    pub valid_to: Option<Date>,
    /// The chapter.
    pub chapter: Option<Chapter>,
    /// The block (section).
    pub section: Option<Section>,
    /// MCE flags on `date` (or of the nearest window when not valid on it).
    pub mce: Vec<&'static str>,
    /// CC/MCC status (MS-DRG v43, FY2026).
    pub cc: Option<CcInfo>,
    /// Needs a 7th character to be billable.
    pub requires_seventh_character: bool,
    /// Why the input is not a code, if it is not.
    pub error: Option<String>,
}

/// Looks `input` up as an ICD-10-CM code on `date`.
pub fn icd10cm(input: &str, date: Date) -> LookupReport {
    let dated = icd10cm::release_on(date);
    let mut r = LookupReport {
        system: "icd10cm",
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
        chapter: None,
        section: None,
        mce: Vec::new(),
        cc: None,
        requires_seventh_character: false,
        error: None,
    };
    let code = match IcdCm::parse(input) {
        Ok(c) => c,
        Err(e) => {
            r.error = Some(e.to_string());
            return r;
        }
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
    r.section = info.section();
    r.cc = info.cc();
    r.requires_seventh_character = info.requires_seventh_character();
    r
}
