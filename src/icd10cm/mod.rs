//! ICD-10-CM diagnosis codes: the [`IcdCm`] value and everything the bundled
//! tables know about it.
//!
//! Sources (see NOTICE): validity and MCE flags from the CMS MCE v44 master;
//! titles, short titles and header flags of every release from CMS's order
//! files FY2016–FY2026 and the FY2027 codes file (by date: `title_on`);
//! hierarchy, notes, 7th characters and the accented title spellings from the
//! April-2026 and April-2025 tabular XMLs (CDC/NCHS); POA-exempt lists and
//! conversion tables from CDC; CC/MCC from MS-DRG v43 (FY2026) Tables
//! 6I/6J/6K.
//!
//! Undated functions answer for the newest bundled release and say so.
//!
//! Titles (feature `cm-titles`), note text (`cm-notes`) and CC/MCC
//! (`cc-mcc`) are default features: without one, its answers are `None` or
//! empty; validity, MCE flags, hierarchy and 7th characters never change.

mod batch;
mod code;
mod conversion;
mod notes;
mod poa;

#[cfg(feature = "arrow")]
pub use batch::valid_arrow;
pub use batch::valid_many;
pub use code::IcdCm;
pub use conversion::{conversions, Conversion};
pub use notes::{CodeRange, Note, NoteKind, SeventhCharacters};
pub use poa::{poa_exempt_list_on, poa_exempt_lists, PoaExemptList};

use crate::date::Date;
use crate::mce::DxFlags;
use crate::phash;
use crate::release::{self, DatedRelease, Release};
use crate::tables as t;
pub use crate::validity::ValidityWindow;
use crate::validity::{merge, nearest, text_at, titles_on, DatedRows};
use std::fmt;

/// The bundled ICD-10-CM releases, oldest first.
///
/// ```
/// let releases: Vec<_> = medcode::icd10cm::releases().collect();
/// assert_eq!(releases.first().unwrap().effective.to_string(), "2015-10-01");
/// assert_eq!(releases.last().unwrap().fiscal_year, 2027);
/// ```
pub fn releases() -> impl DoubleEndedIterator<Item = Release> + ExactSizeIterator {
    t::CM_RELEASES.iter().map(|&r| Release::from_yyyymmdd(r))
}

/// The last day the bundled tables speak for (the MCE release's horizon).
/// A window that ends on this date means "still valid".
///
/// ```
/// use medcode::{icd10cm, Date};
/// assert_eq!(icd10cm::horizon(), Date::new(2027, 3, 31).unwrap());
/// ```
pub fn horizon() -> Date {
    Date::from_checked(t::CM_HORIZON)
}

/// The release in effect on `date`; `None` before ICD-10-CM (2015-10-01).
/// After the horizon the newest release answers and `beyond_horizon` says so.
///
/// ```
/// use medcode::{icd10cm, Date};
/// assert!(icd10cm::release_on(Date::new(2015, 9, 30).unwrap()).is_none());
/// let late = icd10cm::release_on(Date::new(2030, 1, 1).unwrap()).unwrap();
/// assert!(late.beyond_horizon);
/// assert_eq!(late.release.fiscal_year, 2027);
/// ```
pub fn release_on(date: Date) -> Option<DatedRelease> {
    release::release_on(&t::CM_RELEASES, t::CM_HORIZON, date)
}

/// `date` as [`mce_as_of`](IcdCmInfo::mce_as_of) takes it: worked out once
/// for all of a claim's codes.
#[inline]
pub(crate) fn mce_date(date: Date) -> crate::validity::AsOf {
    DATED.as_of(date)
}

// The MCE's per-row tables are indexed by this table's rows.
const _: () = assert!(t::MCE_DX_ROWS == t::CM_LEN);

pub(crate) static DATED: DatedRows = DatedRows {
    win_start: &t::CM_WIN_START,
    windows: &t::CM_WINDOWS,
    flags: &t::MCE_DX_FLAGS,
    span: &t::CM_SPAN,
    single_window: &t::MCE_DX_SINGLE_WINDOW,
    horizon: t::CM_HORIZON,
};

/// Every code in the table (billable and headers, every release), in code order.
///
/// ```
/// let n = medcode::icd10cm::all().count();
/// assert!(n > 97_000);
/// ```
pub fn all() -> impl DoubleEndedIterator<Item = IcdCmInfo> + ExactSizeIterator {
    (0..t::CM_LEN as u32).map(IcdCmInfo)
}

/// The billable codes valid on `date`, in code order: the same name as
/// [`icd10pcs::valid_on`](crate::icd10pcs::valid_on) and
/// [`HcpcsRelease::valid_on`](crate::HcpcsRelease::valid_on).
///
/// ```
/// use medcode::{icd10cm, Date};
/// assert_eq!(icd10cm::valid_on(Date::new(2025, 10, 1).unwrap()).count(), 74_719);
/// ```
pub fn valid_on(date: Date) -> impl Iterator<Item = IcdCmInfo> {
    all().filter(move |i| i.valid_on(date))
}

/// The old name of [`valid_on`].
///
/// ```
/// # #![allow(deprecated)]
/// use medcode::{icd10cm, Date};
/// let date = Date::new(2025, 10, 1).unwrap();
/// assert_eq!(icd10cm::billable_on(date).count(), icd10cm::valid_on(date).count());
/// ```
#[deprecated(
    since = "0.2.0",
    note = "use `icd10cm::valid_on(date)`, the name icd10pcs and HcpcsRelease use"
)]
pub fn billable_on(date: Date) -> impl Iterator<Item = IcdCmInfo> {
    valid_on(date)
}

/// The code set as of `date`: billable codes valid that day and the headers
/// above them (a header is listed when some code below it is valid), in code order.
///
/// ```
/// use medcode::{icd10cm, Date};
/// let date = Date::new(2025, 10, 1).unwrap();
/// let table: Vec<_> = icd10cm::table_on(date).collect();
/// assert_eq!(table.len(), 98_186);
/// assert!(table.iter().any(|i| i.code().to_string() == "E11")); // a header above valid codes
/// ```
pub fn table_on(date: Date) -> impl Iterator<Item = IcdCmInfo> {
    all().filter(move |i| {
        i.valid_on(date) || (i.is_header() && i.descendants().any(|d| d.valid_on(date)))
    })
}

/// The nearest code that is an ancestor of (or equal to) both codes, if they
/// share a category. Codes not in the table answer `None`.
///
/// ```
/// use medcode::{icd10cm, IcdCm};
/// let a: IcdCm = "E11.65".parse().unwrap();
/// let b: IcdCm = "E11.649".parse().unwrap();
/// assert_eq!(icd10cm::common_ancestor(a, b).unwrap().code().to_string(), "E11.6");
/// ```
pub fn common_ancestor(a: IcdCm, b: IcdCm) -> Option<IcdCmInfo> {
    let (a, b) = (a.info()?, b.info()?);
    let b_line: Vec<IcdCmInfo> = std::iter::once(b).chain(b.ancestors()).collect();
    std::iter::once(a)
        .chain(a.ancestors())
        .find(|x| b_line.contains(x))
}

impl IcdCm {
    /// What the bundled tables know about this code, or `None` if no bundled
    /// release has it (billable or header). A hash and two loads, no allocation.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let e11: IcdCm = "E11".parse().unwrap();
    /// assert!(e11.info().unwrap().is_header());
    /// assert!("E11.999".parse::<IcdCm>().unwrap().info().is_none());
    /// ```
    #[inline]
    pub fn info(self) -> Option<IcdCmInfo> {
        phash::lookup(self.key(), t::CM_SEED, &t::CM_PILOTS, &t::CM_SLOTS).map(IcdCmInfo)
    }

    /// The official long title (the newest release's), or `None` if no
    /// bundled release has the code: `self.info().and_then(|i| i.title())`.
    /// `None` when the `cm-titles` feature is off.
    ///
    /// ```
    /// let code: medcode::IcdCm = "E11.9".parse().unwrap();
    /// assert_eq!(code.title(), Some("Type 2 diabetes mellitus without complications"));
    /// ```
    pub fn title(self) -> Option<&'static str> {
        self.info().and_then(IcdCmInfo::title)
    }

    /// True if this is a billable code valid on `date` (dates after the
    /// horizon answer as of the horizon).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let e11a: IcdCm = "E11.A".parse().unwrap();
    /// assert!(e11a.valid_on(Date::new(2025, 10, 1).unwrap()));
    /// assert!(!e11a.valid_on(Date::new(2025, 6, 1).unwrap()));
    /// ```
    #[inline]
    pub fn valid_on(self, date: Date) -> bool {
        self.info().is_some_and(|i| i.valid_on(date))
    }
}

/// Whether a CC or MCC (MS-DRG v43, FY2026, Table 6K).
///
/// ```
/// use medcode::{icd10cm::CcLevel, IcdCm};
/// let sepsis = "A02.1".parse::<IcdCm>().unwrap().info().unwrap();
/// assert_eq!(sepsis.cc().map(|cc| cc.level), Some(CcLevel::Mcc));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CcLevel {
    /// Complication or comorbidity.
    #[serde(rename = "CC")]
    Cc,
    /// Major complication or comorbidity.
    #[serde(rename = "MCC")]
    Mcc,
}

/// A code's severity level as a secondary diagnosis (MS-DRG v43, FY2026).
///
/// ```
/// use medcode::IcdCm;
/// let cc = "U07.1".parse::<IcdCm>().unwrap().info().unwrap().cc().unwrap();
/// assert_eq!(cc.pdx_exclusion_group, Some(1978));
/// assert!(!cc.alive_only);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CcInfo {
    /// CC or MCC.
    pub level: CcLevel,
    /// The PDX exclusion group (Table 6K part 1): a principal diagnosis in this
    /// group makes the code count as a non-CC. `None` for "No Excl" codes.
    pub pdx_exclusion_group: Option<u16>,
    /// Counts as CC/MCC only if the patient is discharged alive (Table 6K part 2).
    pub alive_only: bool,
}

/// An ICD-10-CM chapter.
///
/// ```
/// let e119 = "E11.9".parse::<medcode::IcdCm>().unwrap().info().unwrap();
/// let ch = e119.chapter().unwrap();
/// assert_eq!(ch.number, 4);
/// assert_eq!(ch.title, "Endocrine, nutritional and metabolic diseases");
/// assert_eq!((ch.first.to_string(), ch.last.to_string()), ("E00".into(), "E89".into()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Chapter {
    /// Chapter number, 1–22.
    pub number: u8,
    /// First category of the chapter.
    pub first: IcdCm,
    /// Last category of the chapter.
    pub last: IcdCm,
    /// Official title, without the range.
    pub title: &'static str,
}

/// A block (section) of categories within a chapter, such as `E08-E13`.
///
/// ```
/// let e119 = "E11.9".parse::<medcode::IcdCm>().unwrap().info().unwrap();
/// let block = e119.section().unwrap();
/// assert_eq!(block.title, "Diabetes mellitus");
/// assert_eq!(format!("{}-{}", block.first, block.last), "E08-E13");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    /// The chapter number.
    pub chapter: u8,
    /// First category of the block.
    pub first: IcdCm,
    /// Last category of the block.
    pub last: IcdCm,
    /// Official title, without the range.
    pub title: &'static str,
}

/// The chapters, in order.
///
/// ```
/// let ch = medcode::icd10cm::chapters().next().unwrap();
/// assert_eq!((ch.number, ch.title), (1, "Certain infectious and parasitic diseases"));
/// ```
pub fn chapters() -> impl ExactSizeIterator<Item = Chapter> {
    t::CM_CHAPTERS
        .iter()
        .map(|&(number, first, last, title)| Chapter {
            number,
            first: IcdCm::from_key_unchecked(first),
            last: IcdCm::from_key_unchecked(last),
            title,
        })
}

/// The blocks (sections), in tabular order.
///
/// ```
/// let first = medcode::icd10cm::sections().next().unwrap();
/// assert_eq!(first.title, "Intestinal infectious diseases");
/// assert_eq!(medcode::icd10cm::sections().len(), 297);
/// ```
pub fn sections() -> impl ExactSizeIterator<Item = Section> {
    t::CM_SECTIONS
        .iter()
        .map(|&(chapter, first, last, title)| Section {
            chapter,
            first: IcdCm::from_key_unchecked(first),
            last: IcdCm::from_key_unchecked(last),
            title,
        })
}

impl Chapter {
    /// The chapter's own notes (includes, excludes …); empty when the
    /// `cm-notes` feature is off.
    ///
    /// ```
    /// use medcode::icd10cm::{self, NoteKind};
    /// let ch4 = icd10cm::chapters().nth(3).unwrap();
    /// let excludes1: Vec<_> = ch4.notes().filter(|n| n.kind == NoteKind::Excludes1).map(|n| n.text).collect();
    /// assert_eq!(excludes1, ["transitory endocrine and metabolic disorders specific to newborn (P70-P74)"]);
    /// ```
    pub fn notes(&self) -> impl Iterator<Item = Note> {
        notes::block_notes(&format!("chapter:{}", self.number))
    }
}

impl Section {
    /// The block's own notes; empty when the `cm-notes` feature is off.
    ///
    /// ```
    /// let diabetes = medcode::icd10cm::sections().find(|s| s.title == "Diabetes mellitus").unwrap();
    /// assert_eq!(diabetes.notes().count(), 0); // its notes are written at E08–E13
    /// ```
    pub fn notes(&self) -> impl Iterator<Item = Note> {
        let first = self.first.undotted();
        let last = self.last.undotted();
        notes::block_notes(&format!("section:{first}-{last}"))
    }
}

/// What the tables know about one ICD-10-CM code (a cheap `Copy` handle).
///
/// ```
/// use medcode::{Date, DxFlags, IcdCm};
/// let info = "E11.9".parse::<IcdCm>().unwrap().info().unwrap();
/// assert!(info.billable_in_some_release());
/// assert_eq!(info.title(), Some("Type 2 diabetes mellitus without complications"));
/// assert_eq!(info.parent().unwrap().code().to_string(), "E11");
/// assert_eq!(info.chapter().unwrap().number, 4);
/// let flags = info.mce_on(Date::new(2026, 1, 1).unwrap()).unwrap();
/// assert!(flags.contains(DxFlags::QUESTIONABLE_ADMISSION));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IcdCmInfo(u32);

/// The code and its title: `E11.9 Type 2 diabetes mellitus without complications`.
///
/// ```
/// let info = "e119".parse::<medcode::IcdCm>().unwrap().info().unwrap();
/// assert_eq!(info.to_string(), "E11.9 Type 2 diabetes mellitus without complications");
/// ```
impl fmt::Display for IcdCmInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.title() {
            Some(t) => write!(f, "{} {t}", self.code()),
            None => write!(f, "{}", self.code()),
        }
    }
}

/// Serialised as `{"code", "title", "short_title", "header", "billable_in_some_release"}`.
///
/// ```
/// let info = "E11".parse::<medcode::IcdCm>().unwrap().info().unwrap();
/// let json = serde_json::to_value(info).unwrap();
/// assert_eq!(json["code"], "E11");
/// assert_eq!(json["header"], true);
/// ```
impl serde::Serialize for IcdCmInfo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("IcdCmInfo", 5)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("title", &self.title())?;
        st.serialize_field("short_title", &self.short_title())?;
        st.serialize_field("header", &self.is_header())?;
        st.serialize_field("billable_in_some_release", &self.billable_in_some_release())?;
        st.end()
    }
}

impl fmt::Debug for IcdCmInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IcdCmInfo({})", self.code())
    }
}

impl IcdCmInfo {
    fn i(self) -> usize {
        self.0 as usize
    }

    /// The code.
    ///
    /// ```
    /// let info = "e119".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(info.code().to_string(), "E11.9");
    /// ```
    pub fn code(self) -> IcdCm {
        IcdCm::from_key_unchecked(t::CM_KEYS[self.i()])
    }

    /// True if some source shows the code as a header (a category or
    /// subcategory, or a code still lacking its 7th character): not billable
    /// as it stands. A code can be both: billable in old releases, a header
    /// after it was split.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let n800 = "N80.0".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(n800.is_header()); // split into N80.00–N80.03 in FY2023 …
    /// assert!(n800.billable_in_some_release()); // … billable before that
    /// ```
    pub fn is_header(self) -> bool {
        t::CM_KIND[self.i()] & 1 != 0
    }

    /// True if the code is billable in at least one bundled release (FY2016
    /// to the newest): not a date question; ask [`valid_on`](Self::valid_on)
    /// (billable on a date) for that.
    ///
    /// ```
    /// let e11 = "E11".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert!(!e11.billable_in_some_release()); // a category
    /// ```
    pub fn billable_in_some_release(self) -> bool {
        t::CM_KIND[self.i()] & 2 != 0
    }

    /// The old name of [`billable_in_some_release`](Self::billable_in_some_release),
    /// which said "billable" without saying "in some release".
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let e11 = "E11".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(e11.is_billable(), e11.billable_in_some_release());
    /// ```
    #[deprecated(
        since = "0.2.0",
        note = "use `billable_in_some_release()` (any release) or `valid_on(date)` (billable on a date)"
    )]
    pub fn is_billable(self) -> bool {
        t::CM_KIND[self.i()] & 2 != 0
    }

    /// The side of the body the title names (a `laterality::SIDE_*` value),
    /// computed from the title at build time.
    #[inline]
    pub(crate) fn title_side(self) -> u8 {
        (t::CM_KIND[self.i()] >> 2) & 3
    }

    /// True if an Excludes1 note is written at this code or an ancestor
    /// (precomputed at build time).
    #[inline]
    pub(crate) fn has_excludes1_in_chain(self) -> bool {
        t::CM_KIND[self.i()] & 16 != 0
    }

    /// The Excludes1 references written at this code (not its ancestors) as
    /// packed-key intervals `(lo, hi)`: a code falls in a reference only if
    /// its key is in the interval (precomputed at build time).
    #[inline]
    pub(crate) fn excludes1_intervals(self) -> &'static [(u64, u64)] {
        let (s, e) = (
            t::CM_EXCLUDES1_START[self.i()],
            t::CM_EXCLUDES1_START[self.i() + 1],
        );
        &t::CM_EXCLUDES1[s as usize..e as usize]
    }

    /// The official long title of the newest release that titles the code:
    /// CMS's FY2027 codes file, else the order file of the newest release
    /// that lists it (FY2016–FY2026 and the January 2021, April 2024 and
    /// April 2025 updates); for the few headers in no CMS file, the tabular
    /// XML. `None` when no bundled source titles the code, and for every
    /// code when the `cm-titles` feature is off. Never invented.
    ///
    /// CMS's files are plain ASCII: the title is CMS's spelling ("Sezary
    /// disease"); [`tabular_title`](Self::tabular_title) gives the tabular
    /// XML's accented one ("Sézary disease").
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let c841 = "C84.1".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(c841.title(), Some("Sezary disease"));
    /// assert_eq!(c841.tabular_title(), Some("Sézary disease"));
    /// ```
    pub fn title(self) -> Option<&'static str> {
        text_at(t::CM_TITLES, &t::CM_TITLE_END, self.i())
    }

    /// The title as the tabular XML spells it: with its accents ("Sézary")
    /// where it differs from CMS's order file only in them, else
    /// [`title`](Self::title). `None` when the `cm-titles` feature is off.
    ///
    /// ```
    /// let e119 = "E11.9".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(e119.tabular_title(), e119.title()); // no accents to restore
    /// ```
    pub fn tabular_title(self) -> Option<&'static str> {
        let rows = &t::CM_TABULAR_TITLES;
        match rows.binary_search_by_key(&self.0, |r| r.0) {
            Ok(k) => Some(rows[k].1),
            Err(_) => self.title(),
        }
    }

    /// The short (abbreviated) title of the newest CMS order file that lists
    /// the code, or `None`. The FY2027 codes file has no short titles: codes
    /// new in FY2027 and the 4 whose FY2027 title was revised have none (their
    /// FY2026 short title stays available through [`short_title_on`](Self::short_title_on)).
    /// `None` when the `cm-titles` feature is off.
    ///
    /// ```
    /// let b9729 = "B97.29".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(b9729.short_title(), Some("Oth coronavirus as the cause of diseases classd elswhr"));
    /// ```
    pub fn short_title(self) -> Option<&'static str> {
        text_at(t::CM_SHORTS, &t::CM_SHORT_END, self.i())
    }

    /// The long title that was official on `date`: from the CMS release in
    /// force then. For a date before the code's first release (or after its
    /// last) the nearest release's title answers; `None` as for [`title`](Self::title)
    /// (so always without the `cm-titles` feature).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let l02232 = "L02.232".parse::<IcdCm>().unwrap().info().unwrap();
    /// let fy26 = l02232.title_on(Date::new(2026, 1, 1).unwrap());
    /// assert_eq!(fy26, Some("Carbuncle of back [any part, except buttock]"));
    /// assert_eq!(l02232.title(), Some("Carbuncle of back [any part, except buttock and flank]"));
    /// ```
    pub fn title_on(self, date: Date) -> Option<&'static str> {
        match titles_on(&t::CM_TITLE_HIST, t::CM_TITLE_HIST_TEXT, self.0, date) {
            Some((title, _)) => Some(title),
            None => self.title(),
        }
    }

    /// The short title that was official on `date` (see [`title_on`](Self::title_on)).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let l02232 = "L02.232".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(l02232.short_title().is_none()); // FY2027 revised it; no FY2027 short titles
    /// assert!(l02232.short_title_on(Date::new(2026, 1, 1).unwrap()).is_some());
    /// ```
    pub fn short_title_on(self, date: Date) -> Option<&'static str> {
        match titles_on(&t::CM_TITLE_HIST, t::CM_TITLE_HIST_TEXT, self.0, date) {
            Some((_, short)) => Some(short).filter(|s| !s.is_empty()),
            None => self.short_title(),
        }
    }

    /// True if the code is billable and valid on `date` (as of the horizon for later dates).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let u071 = "U07.1".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(u071.valid_on(Date::new(2020, 4, 1).unwrap()));
    /// assert!(!u071.valid_on(Date::new(2020, 3, 31).unwrap()));
    /// ```
    #[inline]
    pub fn valid_on(self, date: Date) -> bool {
        DATED.valid_on(self.i(), date)
    }

    /// The MCE flags on `date`, or `None` if the code is not valid then.
    ///
    /// ```
    /// use medcode::{Date, DxFlags, IcdCm};
    /// let e109 = "E10.9".parse::<IcdCm>().unwrap().info().unwrap();
    /// let flags = e109.mce_on(Date::new(2026, 1, 1).unwrap()).unwrap();
    /// assert!(flags.contains(DxFlags::DIABETES_TYPE_1));
    /// assert!(e109.mce_on(Date::new(2015, 9, 30).unwrap()).is_none()); // before ICD-10-CM
    /// ```
    pub fn mce_on(self, date: Date) -> Option<DxFlags> {
        DATED.flags_on(self.i(), date).map(DxFlags::from_bits)
    }

    /// [`mce_on`](Self::mce_on) for a date made once for many codes
    /// ([`mce_date`]).
    #[inline]
    pub(crate) fn mce_as_of(self, as_of: crate::validity::AsOf) -> Option<DxFlags> {
        DATED.flags_as_of(self.i(), as_of).map(DxFlags::from_bits)
    }

    /// Every MCE period of the code (a new one starts whenever its flags change).
    ///
    /// ```
    /// use medcode::{DxFlags, IcdCm};
    /// let o80 = "O80".parse::<IcdCm>().unwrap().info().unwrap();
    /// let periods: Vec<_> = o80.mce_periods().collect();
    /// assert_eq!(periods.len(), 2); // the female flag ended on 2024-09-30
    /// assert_eq!(periods[0].to.unwrap().to_string(), "2024-09-30");
    /// assert!(periods[0].flags.contains(DxFlags::FEMALE));
    /// assert!(!periods[1].flags.contains(DxFlags::FEMALE));
    /// ```
    pub fn mce_periods(self) -> impl ExactSizeIterator<Item = ValidityWindow<DxFlags>> {
        DATED.periods(self.i(), DxFlags::from_bits)
    }

    /// The validity windows: periods in which the code was billable, adjacent
    /// MCE periods merged. Empty for codes that were never billable.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let w = "U07.1".parse::<IcdCm>().unwrap().info().unwrap().windows();
    /// assert_eq!(w.len(), 1);
    /// assert_eq!(w[0].from.to_string(), "2020-04-01");
    /// assert_eq!(w[0].to, None); // still valid
    /// ```
    pub fn windows(self) -> Vec<ValidityWindow<DxFlags>> {
        merge(self.mce_periods())
    }

    /// The window containing `date`, else the nearest one (the next, else the last).
    ///
    /// ```
    /// use medcode::{Date, IcdCm};
    /// let u071 = "U07.1".parse::<IcdCm>().unwrap().info().unwrap();
    /// let w = u071.window_near(Date::new(2019, 1, 1).unwrap()).unwrap(); // before the code existed
    /// assert_eq!(w.from.to_string(), "2020-04-01");
    /// ```
    pub fn window_near(self, date: Date) -> Option<ValidityWindow<DxFlags>> {
        nearest(&self.windows(), date)
    }

    /// The parent: the longest proper prefix of the code that is in the table.
    ///
    /// ```
    /// let e1165 = "E11.65".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(e1165.parent().unwrap().code().to_string(), "E11.6");
    /// assert!(e1165.parent().unwrap().parent().unwrap().parent().is_none()); // E11 is a category
    /// ```
    pub fn parent(self) -> Option<IcdCmInfo> {
        match t::CM_PARENT[self.i()] {
            u32::MAX => None,
            p => Some(IcdCmInfo(p)),
        }
    }

    /// Ancestors, nearest first, up to the category.
    ///
    /// ```
    /// let e1165 = "E11.65".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// let up: Vec<_> = e1165.ancestors().map(|a| a.code().to_string()).collect();
    /// assert_eq!(up, ["E11.6", "E11"]);
    /// ```
    pub fn ancestors(self) -> impl Iterator<Item = IcdCmInfo> {
        std::iter::successors(self.parent(), |p| p.parent())
    }

    /// Every code below this one, in code order (a contiguous run of the table).
    ///
    /// ```
    /// let e11 = "E11".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(e11.descendants().len(), 116);
    /// assert_eq!(e11.descendants().next().unwrap().code().to_string(), "E11.0");
    /// ```
    pub fn descendants(self) -> impl ExactSizeIterator<Item = IcdCmInfo> {
        (self.0 + 1..t::CM_DESC_END[self.i()]).map(IcdCmInfo)
    }

    /// The codes directly below this one.
    ///
    /// ```
    /// let e11 = "E11".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// let kids: Vec<_> = e11.children().map(|c| c.code().to_string()).collect();
    /// assert_eq!(kids, ["E11.0", "E11.1", "E11.2", "E11.3", "E11.4", "E11.5", "E11.6", "E11.8", "E11.9", "E11.A"]);
    /// ```
    pub fn children(self) -> impl Iterator<Item = IcdCmInfo> {
        self.descendants().filter(move |d| d.parent() == Some(self))
    }

    /// The chapter the code's category falls in.
    ///
    /// ```
    /// let o80 = "O80".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(o80.chapter().unwrap().number, 15);
    /// ```
    pub fn chapter(self) -> Option<Chapter> {
        let cat = self.code().category();
        chapters().find(|c| c.first <= cat && cat <= c.last)
    }

    /// The block (section) the code's category falls in.
    ///
    /// ```
    /// let o80 = "O80".parse::<medcode::IcdCm>().unwrap().info().unwrap();
    /// assert_eq!(o80.section().unwrap().title, "Encounter for delivery");
    /// ```
    pub fn section(self) -> Option<Section> {
        let cat = self.code().category();
        sections().find(|s| s.first <= cat && cat <= s.last)
    }

    /// The instructional notes written at this code (not those inherited from
    /// ancestors, chapter or block: walk [`ancestors`](Self::ancestors) for those).
    /// Empty when the `cm-notes` feature is off.
    ///
    /// ```
    /// use medcode::icd10cm::{IcdCm, NoteKind};
    /// let e119 = "E11.9".parse::<IcdCm>().unwrap().info().unwrap();
    /// let note = e119.notes().next().unwrap();
    /// assert_eq!(note.kind, NoteKind::Excludes1);
    /// assert_eq!(note.text, "type 2 diabetes mellitus, without complications in remission (E11.A)");
    /// ```
    pub fn notes(self) -> impl ExactSizeIterator<Item = Note> {
        let (s, e) = (t::CM_NOTE_START[self.i()], t::CM_NOTE_START[self.i() + 1]);
        notes::notes_range(s, if cfg!(feature = "cm-notes") { e } else { s })
    }

    /// The notes the rules read (Excludes1, code first) among those written
    /// at this code: every note with the `cm-notes` feature; without it, only
    /// those kinds, with empty text.
    pub(crate) fn rule_notes(self) -> impl ExactSizeIterator<Item = Note> {
        let (s, e) = (t::CM_NOTE_START[self.i()], t::CM_NOTE_START[self.i() + 1]);
        notes::notes_range(s, e)
    }

    /// The 7th-character definitions that apply to this code: those at the
    /// code itself or its nearest ancestor that has them.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let s72 = "S72.001".parse::<IcdCm>().unwrap().info().unwrap();
    /// let defs = s72.seventh_characters().unwrap();
    /// assert_eq!(defs.defined_at().to_string(), "S72");
    /// assert!(defs.get('A').unwrap().starts_with("initial encounter"));
    /// assert!(s72.requires_seventh_character());
    /// ```
    pub fn seventh_characters(self) -> Option<SeventhCharacters> {
        std::iter::once(self)
            .chain(self.ancestors())
            .find_map(notes::seventh_at)
    }

    /// True if the code needs a 7th character to be billable: shorter than
    /// seven characters with 7th-character definitions at it or above
    /// (pad with placeholder `X` to six characters: T36.0X1A).
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let t360x1 = "T36.0X1".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(t360x1.requires_seventh_character());
    /// let t360x1a = "T36.0X1A".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(!t360x1a.requires_seventh_character());
    /// ```
    pub fn requires_seventh_character(self) -> bool {
        self.code().len() < 7 && self.seventh_characters().is_some()
    }

    /// CC/MCC status as a secondary diagnosis (MS-DRG v43, FY2026); `None`
    /// for every code when the `cc-mcc` feature is off.
    ///
    /// ```
    /// use medcode::{icd10cm::CcLevel, IcdCm};
    /// let cc = "A02.1".parse::<IcdCm>().unwrap().info().unwrap().cc().unwrap();
    /// assert_eq!(cc.level, CcLevel::Mcc);
    /// ```
    pub fn cc(self) -> Option<CcInfo> {
        // CMS's Table 6 lives with the grouper (`medcode-grouper-data`),
        // keyed by the same packed key as this table.
        let key = t::CM_KEYS[self.i()];
        let row = phash::lookup(key, t::CC_SEED, &t::CC_PILOTS, &t::CC_SLOTS)? as usize;
        let v = t::CC_LEVEL[row];
        let level = match v & 3 {
            1 => CcLevel::Cc,
            2 => CcLevel::Mcc,
            _ => return None,
        };
        let group = t::CC_PDX_GROUP[row];
        Some(CcInfo {
            level,
            pdx_exclusion_group: (group != 0).then_some(group),
            alive_only: v & 4 != 0,
        })
    }

    /// True if this code is a CC/MCC that counts as non-CC when `principal` is
    /// the principal diagnosis (its PDX exclusion group holds `principal`).
    /// Always false when the `cc-mcc` feature is off.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let a001 = "A00.1".parse::<IcdCm>().unwrap().info().unwrap();
    /// assert!(a001.cc_excluded_by("A00.0".parse().unwrap()));
    /// assert!(!a001.cc_excluded_by("E11.9".parse().unwrap()));
    /// ```
    pub fn cc_excluded_by(self, principal: IcdCm) -> bool {
        let Some(g) = self.cc().and_then(|cc| cc.pdx_exclusion_group) else {
            return false;
        };
        let g = g as usize;
        let (s, e) = match (t::CC_GROUP_START.get(g), t::CC_GROUP_START.get(g + 1)) {
            (Some(&s), Some(&e)) => (s as usize, e as usize),
            _ => return false,
        };
        t::CC_GROUP_MEMBERS[s..e]
            .binary_search(&principal.key())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "cm-titles")]
    use crate::laterality::side_of_title;
    use crate::laterality::SIDE_NONE;

    /// The side bits the build script stores are the title's side, for every code.
    #[test]
    #[cfg(feature = "cm-titles")]
    fn stored_side_is_the_title_side() {
        let mut sided = 0;
        for info in all() {
            let want = side_of_title(info.title().unwrap_or(""));
            assert_eq!(info.title_side(), want, "{}", info.code());
            sided += usize::from(want != SIDE_NONE);
        }
        assert!(sided > 10_000, "only {sided} codes name a side");
    }

    /// The build-time Excludes1 intervals are the note references' intervals,
    /// and the chain bit says whether the code or an ancestor has any.
    #[test]
    fn excludes1_intervals_match_the_notes() {
        for info in all() {
            let want: Vec<(u64, u64)> = info
                .rule_notes()
                .filter(|n| n.kind == NoteKind::Excludes1)
                .flat_map(|n| n.refs())
                .map(|r| {
                    let n = r.last.len();
                    let mask = if n >= 7 {
                        0
                    } else {
                        (1u64 << (6 * (7 - n))) - 1
                    };
                    (r.first.key(), r.last.key() | mask)
                })
                .collect();
            assert_eq!(info.excludes1_intervals(), want, "{}", info.code());
            let chain = std::iter::once(info).chain(info.ancestors()).any(|a| {
                a.rule_notes()
                    .any(|n| n.kind == NoteKind::Excludes1 && n.refs().len() > 0)
            });
            assert_eq!(info.has_excludes1_in_chain(), chain, "{}", info.code());
        }
    }

    fn info(code: &str) -> IcdCmInfo {
        code.parse::<IcdCm>().unwrap().info().unwrap()
    }

    /// The rules that read notes and the laterality bits answer with every
    /// feature set (the data they need is not behind a feature).
    #[test]
    fn rules_keep_their_data_with_every_feature_set() {
        use crate::rules::Engine;
        let engine = Engine::builder().build().unwrap();
        let check = |dx: &[&str], modifier: &str| {
            let dx: Vec<String> = dx.iter().map(|c| format!(r#"{{"code":"{c}"}}"#)).collect();
            let claim = format!(
                r#"{{"type":"professional","patient":{{"sex":"F","age":40}},"service_date":"2025-11-03","diagnoses":[{}],"lines":[{{"code":"27447","units":1,"modifiers":["{modifier}"],"dx_pointers":[1]}}]}}"#,
                dx.join(",")
            );
            engine.check_jsonl_line(&claim)
        };
        let out = check(&["E11.9", "E10.9"], "RT");
        assert!(out.contains("excludes1-conflict"), "{out}");
        // G63 (manifestation) with no etiology first: code first E08-E13 …
        let out = check(&["G63"], "RT");
        assert!(out.contains("code-first-sequence"), "{out}");
        // M25.562 (left knee) on a line with RT.
        let out = check(&["M25.562"], "RT");
        assert!(out.contains("laterality-mismatch"), "{out}");
        let s72 = info("S72.001");
        assert!(s72.requires_seventh_character());
        assert!(s72
            .seventh_characters()
            .unwrap()
            .get('A')
            .unwrap()
            .starts_with("initial encounter"));
        assert!(info("E11.9").valid_on(Date::new(2026, 1, 1).unwrap()));
    }

    #[test]
    #[cfg(not(feature = "cm-titles"))]
    fn no_titles_without_the_feature() {
        let m = info("M25.562");
        assert_eq!(m.title(), None);
        assert_eq!(m.short_title(), None);
        assert_eq!(m.title_on(Date::new(2020, 1, 1).unwrap()), None);
        assert_eq!(m.short_title_on(Date::new(2020, 1, 1).unwrap()), None);
        assert_eq!(info("C84.1").tabular_title(), None);
        assert_ne!(m.title_side(), SIDE_NONE);
        assert_eq!(m.to_string(), "M25.562");
    }

    #[test]
    #[cfg(not(feature = "cm-notes"))]
    fn no_notes_without_the_feature() {
        let e11 = info("E11");
        assert_eq!(e11.notes().len(), 0);
        assert!(e11
            .rule_notes()
            .any(|n| n.kind == NoteKind::Excludes1 && n.text.is_empty()));
        assert!(chapters().all(|c| c.notes().next().is_none()));
        assert!(sections().all(|s| s.notes().next().is_none()));
    }

    #[test]
    #[cfg(not(feature = "cc-mcc"))]
    fn no_cc_without_the_feature() {
        let a021 = info("A02.1");
        assert_eq!(a021.cc(), None);
        assert!(!info("A00.1").cc_excluded_by("A00.0".parse().unwrap()));
    }
}
