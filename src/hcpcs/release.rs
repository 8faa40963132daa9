//! A HCPCS release read from the CMS quarterly file, and the entries both it
//! and the bundled table answer with.

use super::Hcpcs;
use crate::date::Date;
use crate::modifier::Modifier;
use crate::reading::archive;
use crate::reading::{LoadOptions, Loaded};
use medcode_base::hcpcs_file::{self, CodeRow, HcpcsFileError, ModifierRow, Parsed, Span};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

fn text(blob: &str, span: Span) -> &str {
    blob.get(span.0 as usize..span.1 as usize).unwrap_or("")
}

fn non_empty(s: &str) -> Option<&str> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn date(v: u32) -> Option<Date> {
    // Dates were checked when the file was read (at run time or build time).
    (v != 0).then(|| Date::from_checked(v))
}

fn flag(b: u8) -> Option<char> {
    (b != 0).then_some(char::from(b))
}

/// Valid on `date`, as of `horizon` (when set) for later dates.
fn valid_on(added: u32, terminated: u32, horizon: u32, date: Date) -> bool {
    let mut d = date.yyyymmdd();
    if horizon != 0 {
        d = d.min(horizon);
    }
    added <= d && (terminated == 0 || d <= terminated)
}

/// Up to four two-character pricing indicators of a code, in file order.
///
/// ```
/// use medcode::hcpcs::HcpcsRelease;
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
/// let entry = release.get("E0114".parse().unwrap()).unwrap();
/// let p = entry.pricing_indicators();
/// assert_eq!(p.iter().collect::<Vec<_>>(), ["32", "33"]);
/// assert_eq!(p.len(), 2);
/// assert_eq!(p.get(1), Some("33"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PricingIndicators([u8; 8]);

impl PricingIndicators {
    /// How many indicators the code has (0–4).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert_eq!(release.get("A0428".parse().unwrap()).unwrap().pricing_indicators().len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        (0..4).take_while(|&i| self.0[2 * i] != b' ').count()
    }

    /// True if the code has none.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert!(!release.get("J1100".parse().unwrap()).unwrap().pricing_indicators().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th indicator (0-based).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let p = release.get("A0428".parse().unwrap()).unwrap().pricing_indicators();
    /// assert_eq!((p.get(0), p.get(3), p.get(4)), (Some("13"), Some("57"), None));
    /// ```
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.len() {
            return None;
        }
        std::str::from_utf8(&self.0[2 * i..2 * i + 2]).ok()
    }

    /// The indicators in file order.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let p = release.get("G0008".parse().unwrap()).unwrap().pricing_indicators();
    /// assert_eq!(p.iter().collect::<Vec<_>>(), ["51"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

impl fmt::Debug for PricingIndicators {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl serde::Serialize for PricingIndicators {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// What a HCPCS release says about one code: titles, pricing indicators,
/// coverage, BETOS, dates and action code. Borrowed from its table (the
/// bundled table's entries are `'static`).
///
/// ```
/// use medcode::{Date, hcpcs::HcpcsRelease};
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
/// let entry = release.get("G0202".parse()?).unwrap();
/// assert_eq!(entry.title(), Some("TEST LONG TITLE FOR A TERMINATED CODE"));
/// assert_eq!(entry.terminated(), Some(Date::new(2014, 12, 31)?));
/// assert!(entry.valid_on(Date::new(2014, 6, 1)?));
/// assert!(!entry.valid_on(Date::new(2015, 1, 1)?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Eq)]
pub struct HcpcsEntry<'a> {
    code: Hcpcs,
    title: &'a str,
    short_title: &'a str,
    betos: &'a str,
    pricing: PricingIndicators,
    tos: [u8; 5],
    coverage: u8,
    action: u8,
    added: u32,
    effective: u32,
    terminated: u32,
    horizon: u32,
}

impl<'a> HcpcsEntry<'a> {
    pub(crate) fn new(blob: &'a str, row: &CodeRow, horizon: u32) -> HcpcsEntry<'a> {
        HcpcsEntry {
            code: Hcpcs::from_key_unchecked(row.key),
            title: text(blob, row.title),
            short_title: text(blob, row.short_title),
            betos: text(blob, row.betos),
            pricing: PricingIndicators(row.pricing),
            tos: row.tos,
            horizon,
            coverage: row.coverage,
            action: row.action,
            added: row.added,
            effective: row.effective,
            terminated: row.terminated,
        }
    }

    /// The code.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.code().to_string(), "E0114");
    /// ```
    pub fn code(&self) -> Hcpcs {
        self.code
    }

    /// The long title (continuation records joined), `None` if blank, and
    /// for the [bundled](super::bundled) release when the `hcpcs-titles`
    /// feature is off.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert!(e.title().unwrap().ends_with("IN PART THREE"));
    /// ```
    pub fn title(&self) -> Option<&'a str> {
        non_empty(self.title)
    }

    /// The short title (28 characters at most), `None` if blank (and as for
    /// [`title`](Self::title) without the `hcpcs-titles` feature).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.short_title(), Some("TEST SHORT E0114"));
    /// ```
    pub fn short_title(&self) -> Option<&'a str> {
        non_empty(self.short_title)
    }

    /// The pricing indicators (up to four).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.pricing_indicators().len(), 2);
    /// ```
    pub fn pricing_indicators(&self) -> PricingIndicators {
        self.pricing
    }

    /// The type-of-service codes (up to five, one character each, in file
    /// order) as one string: `"1P"` is type of service 1 and P; `""` when none.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert!(e.type_of_service().chars().all(|c| c.is_ascii_alphanumeric()));
    /// ```
    pub fn type_of_service(&self) -> &str {
        let n = self.tos.iter().take_while(|&&b| b != b' ').count();
        std::str::from_utf8(&self.tos[..n]).unwrap_or("")
    }

    /// The coverage code (column 230), `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.coverage_code(), Some('C'));
    /// ```
    pub fn coverage_code(&self) -> Option<char> {
        flag(self.coverage)
    }

    /// The BETOS code, `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.betos(), Some("D1B"));
    /// ```
    pub fn betos(&self) -> Option<&'a str> {
        non_empty(self.betos)
    }

    /// The date the code was added, `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.added().unwrap().to_string(), "1985-01-01");
    /// ```
    pub fn added(&self) -> Option<Date> {
        date(self.added)
    }

    /// The date the code's latest action took effect, `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("E0114".parse().unwrap()).unwrap();
    /// assert_eq!(e.action_effective().unwrap().to_string(), "2026-01-01");
    /// ```
    pub fn action_effective(&self) -> Option<Date> {
        date(self.effective)
    }

    /// The termination date (the last day the code is valid), `None` if the
    /// code is not terminated.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("G0202".parse().unwrap()).unwrap();
    /// assert_eq!(e.terminated().unwrap().to_string(), "2014-12-31");
    /// ```
    pub fn terminated(&self) -> Option<Date> {
        date(self.terminated)
    }

    /// The action code (column 293: what the release changed), `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("G0202".parse().unwrap()).unwrap();
    /// assert_eq!(e.action_code(), Some('D'));
    /// ```
    pub fn action_code(&self) -> Option<char> {
        flag(self.action)
    }

    /// True if the code was added on or before `date` (a blank add date
    /// counts as "always") and is not terminated before it (the termination
    /// date itself is still valid). A date after the release's horizon (the
    /// last day of its quarter) answers as of the horizon.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let e = release.get("G0202".parse().unwrap()).unwrap();
    /// assert!(e.valid_on("2014-12-31".parse().unwrap()));
    /// assert!(!e.valid_on("2015-01-01".parse().unwrap()));
    /// ```
    pub fn valid_on(&self, date: Date) -> bool {
        valid_on(self.added, self.terminated, self.horizon, date)
    }
}

// Entries compare by content, across lifetimes (a bundled `'static` entry
// equals the run-time entry for the same record).
impl<'b> PartialEq<HcpcsEntry<'b>> for HcpcsEntry<'_> {
    fn eq(&self, o: &HcpcsEntry<'b>) -> bool {
        self.code == o.code
            && self.title == o.title
            && self.short_title == o.short_title
            && self.betos == o.betos
            && self.pricing == o.pricing
            && self.tos == o.tos
            && self.horizon == o.horizon
            && self.coverage == o.coverage
            && self.action == o.action
            && self.added == o.added
            && self.effective == o.effective
            && self.terminated == o.terminated
    }
}

impl std::hash::Hash for HcpcsEntry<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (
            self.code,
            self.title,
            self.short_title,
            self.betos,
            self.pricing,
            self.tos,
        )
            .hash(h);
        (
            self.coverage,
            self.action,
            self.added,
            self.effective,
            self.terminated,
        )
            .hash(h);
    }
}

#[derive(serde::Serialize)]
struct EntryJson<'a> {
    code: Hcpcs,
    title: Option<&'a str>,
    short_title: Option<&'a str>,
    pricing_indicators: PricingIndicators,
    coverage_code: Option<char>,
    betos: Option<&'a str>,
    type_of_service: &'a str,
    added: Option<Date>,
    action_effective: Option<Date>,
    terminated: Option<Date>,
    action_code: Option<char>,
}

/// The code and its title: `E1130 Standard wheelchair, …`.
///
/// ```
/// let e = medcode::hcpcs::bundled().get("E1130".parse().unwrap()).unwrap();
/// assert!(e.to_string().starts_with("E1130 Standard wheelchair"));
/// ```
impl std::fmt::Display for HcpcsEntry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.title() {
            Some(t) => write!(f, "{} {t}", self.code()),
            None => write!(f, "{}", self.code()),
        }
    }
}

impl serde::Serialize for HcpcsEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EntryJson {
            code: self.code,
            title: self.title(),
            short_title: self.short_title(),
            pricing_indicators: self.pricing,
            coverage_code: self.coverage_code(),
            betos: self.betos(),
            type_of_service: self.type_of_service(),
            added: self.added(),
            action_effective: self.action_effective(),
            terminated: self.terminated(),
            action_code: self.action_code(),
        }
        .serialize(s)
    }
}

/// What a HCPCS release says about one modifier: titles, dates, action code.
///
/// ```
/// use medcode::hcpcs::HcpcsRelease;
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
/// let lt = release.modifier("LT".parse()?).unwrap();
/// assert_eq!(lt.title(), Some("TEST MODIFIER TITLE LEFT"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Eq)]
pub struct ModifierEntry<'a> {
    modifier: Modifier,
    title: &'a str,
    short_title: &'a str,
    coverage: u8,
    action: u8,
    added: u32,
    effective: u32,
    terminated: u32,
    horizon: u32,
}

impl<'a> ModifierEntry<'a> {
    pub(crate) fn new(blob: &'a str, row: &ModifierRow, horizon: u32) -> ModifierEntry<'a> {
        ModifierEntry {
            modifier: Modifier::from_key_unchecked(row.key),
            title: text(blob, row.title),
            short_title: text(blob, row.short_title),
            coverage: row.coverage,
            horizon,
            action: row.action,
            added: row.added,
            effective: row.effective,
            terminated: row.terminated,
        }
    }

    /// The modifier.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert_eq!(m.modifier().to_string(), "GA");
    /// ```
    pub fn modifier(&self) -> Modifier {
        self.modifier
    }

    /// The long title (continuation records joined), `None` if blank, and
    /// for the [bundled](super::bundled) release when the `hcpcs-titles`
    /// feature is off.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert!(m.title().unwrap().ends_with("ON A SECOND MODIFIER RECORD"));
    /// ```
    pub fn title(&self) -> Option<&'a str> {
        non_empty(self.title)
    }

    /// The short title, `None` if blank (and as for [`title`](Self::title)
    /// without the `hcpcs-titles` feature).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert_eq!(m.short_title(), Some("TEST MOD SHORT GA"));
    /// ```
    pub fn short_title(&self) -> Option<&'a str> {
        non_empty(self.short_title)
    }

    /// The coverage code (column 230), `None` if blank.
    ///
    /// ```
    /// let lt = medcode::hcpcs::bundled().modifier("LT".parse().unwrap()).unwrap();
    /// assert!(lt.coverage_code().map_or(true, |c| c.is_ascii_alphanumeric()));
    /// ```
    pub fn coverage_code(&self) -> Option<char> {
        flag(self.coverage)
    }

    /// The date the modifier was added, `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert_eq!(m.added().unwrap().to_string(), "2002-01-01");
    /// ```
    pub fn added(&self) -> Option<Date> {
        date(self.added)
    }

    /// The date its latest action took effect, `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert_eq!(m.action_effective().unwrap().to_string(), "2002-01-01");
    /// ```
    pub fn action_effective(&self) -> Option<Date> {
        date(self.effective)
    }

    /// The termination date, `None` if not terminated.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert_eq!(m.terminated(), None);
    /// ```
    pub fn terminated(&self) -> Option<Date> {
        date(self.terminated)
    }

    /// The action code, `None` if blank.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert_eq!(m.action_code(), Some('N'));
    /// ```
    pub fn action_code(&self) -> Option<char> {
        flag(self.action)
    }

    /// Added on or before `date` and not terminated before it (as
    /// [`HcpcsEntry::valid_on`]).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let m = release.modifier("GA".parse().unwrap()).unwrap();
    /// assert!(!m.valid_on("2001-12-31".parse().unwrap()));
    /// assert!(m.valid_on("2002-01-01".parse().unwrap()));
    /// ```
    pub fn valid_on(&self, date: Date) -> bool {
        valid_on(self.added, self.terminated, self.horizon, date)
    }
}

impl<'b> PartialEq<ModifierEntry<'b>> for ModifierEntry<'_> {
    fn eq(&self, o: &ModifierEntry<'b>) -> bool {
        self.modifier == o.modifier
            && self.title == o.title
            && self.short_title == o.short_title
            && self.coverage == o.coverage
            && self.horizon == o.horizon
            && self.action == o.action
            && self.added == o.added
            && self.effective == o.effective
            && self.terminated == o.terminated
    }
}

impl std::hash::Hash for ModifierEntry<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.modifier, self.title, self.short_title, self.action).hash(h);
        self.coverage.hash(h);
        (self.added, self.effective, self.terminated).hash(h);
    }
}

#[derive(serde::Serialize)]
struct ModifierJson<'a> {
    modifier: Modifier,
    title: Option<&'a str>,
    short_title: Option<&'a str>,
    coverage_code: Option<char>,
    added: Option<Date>,
    action_effective: Option<Date>,
    terminated: Option<Date>,
    action_code: Option<char>,
}

impl serde::Serialize for ModifierEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ModifierJson {
            modifier: self.modifier,
            title: self.title(),
            short_title: self.short_title(),
            coverage_code: self.coverage_code(),
            added: self.added(),
            action_effective: self.action_effective(),
            terminated: self.terminated(),
            action_code: self.action_code(),
        }
        .serialize(s)
    }
}

fn display_path(path: Option<&Path>) -> String {
    path.map_or_else(|| "HCPCS input".to_owned(), |p| p.display().to_string())
}

/// Why a HCPCS file could not be loaded.
///
/// ```
/// use medcode::hcpcs::{HcpcsLoadError, HcpcsRelease};
/// let err = HcpcsRelease::load("no/such/file.txt").unwrap_err();
/// assert!(matches!(err, HcpcsLoadError::Io { .. }));
/// assert!(err.to_string().contains("no/such/file.txt"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HcpcsLoadError {
    /// The file could not be read.
    #[error("reading {}: {source}", display_path(.path.as_deref()))]
    Io {
        /// The path, when loading from a path.
        path: Option<PathBuf>,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A bad record (strict mode stops at the first), or a file refused
    /// whole: no record in it ([`HcpcsFileError::NoRecord`]) or binary
    /// content ([`HcpcsFileError::Binary`]).
    #[error(transparent)]
    Record(#[from] HcpcsFileError),
    /// A ZIP archive whose HCPCS file cannot be read: none or several
    /// candidates inside, a damaged archive, or a build without the `zip`
    /// feature.
    #[error("ZIP archive: {reason}")]
    Zip {
        /// The path, when loading from a path.
        path: Option<PathBuf>,
        /// What is wrong, naming the archive's members where that helps.
        reason: String,
    },
}

/// A HCPCS Level II release read at run time from the CMS quarterly
/// alpha-numeric file (`HCPC<year>_<MON>_ANWEB_<date>.txt`), with the same
/// lookup style as the bundled tables.
///
/// The layout, and what the reader decides where the file leaves room (short
/// records, blank lines, cp1252, the disclaimer text before the first
/// record), is documented in [`crate::hcpcs`]. Users download the file from
/// CMS themselves; it is public domain. The file is read as CMS ships it:
/// the `.txt`, or (feature `zip`, on by default) the `.zip` itself, whose
/// `…ANWEB….txt` member is read. A file with no record, or with binary
/// content, is an error, never an empty release.
///
/// ```
/// use medcode::{Date, Hcpcs, hcpcs::HcpcsRelease};
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
/// let code: Hcpcs = "E0114".parse()?;
/// let entry = release.get(code).expect("in the file");
/// assert!(entry.title().unwrap().starts_with("TEST LONG TITLE"));
/// assert!(entry.valid_on(Date::new(2026, 1, 1)?));
/// assert!(release.get("E9999".parse()?).is_none());
/// let codes: Vec<String> = release.iter().map(|e| e.code().to_string()).collect();
/// assert!(codes.windows(2).all(|w| w[0] < w[1]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct HcpcsRelease {
    parsed: Parsed,
    /// The file's name (the member's, inside a zip), when read from a path.
    source: Option<String>,
    /// The release's quarter: first and last day (0 when unknown).
    quarter: (u32, u32),
}

// Releases compare by content and quarter, not by the name they were read under.
impl PartialEq for HcpcsRelease {
    fn eq(&self, o: &HcpcsRelease) -> bool {
        self.parsed == o.parsed && self.quarter == o.quarter
    }
}

impl Eq for HcpcsRelease {}

/// A workbook's bytes read into a table (feature `xlsx`), or the advice to
/// enable it.
fn workbook(
    bytes: &[u8],
    lenient: bool,
    path: Option<&Path>,
) -> Result<(Parsed, Vec<HcpcsFileError>), HcpcsLoadError> {
    #[cfg(feature = "xlsx")]
    {
        super::xlsx::read(bytes, lenient).map_err(|reason| HcpcsLoadError::Zip {
            path: path.map(Path::to_owned),
            reason: format!("Excel workbook: {reason}"),
        })
    }
    #[cfg(not(feature = "xlsx"))]
    {
        let _ = (bytes, lenient);
        Err(HcpcsLoadError::Zip {
            path: path.map(Path::to_owned),
            reason: "CMS's HCPCS workbook (.xlsx): this build of medcode reads it only with its \
                     `xlsx` feature; pass CMS's fixed-width .txt or the quarterly .zip instead"
                .to_owned(),
        })
    }
}

fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_owned()
}

impl HcpcsRelease {
    /// Reads a file strictly: the first bad record is the error.
    ///
    /// ```
    /// use medcode::hcpcs::{HcpcsLoadError, HcpcsRelease};
    /// assert!(HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").is_ok());
    /// let err = HcpcsRelease::load("tests/fixtures/hcpcs_short_line.txt").unwrap_err();
    /// assert!(matches!(err, HcpcsLoadError::Record(e) if e.line() == 3));
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<HcpcsRelease, HcpcsLoadError> {
        Self::load_with(path, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads a file with options; in lenient mode every bad record is
    /// reported in [`Loaded::errors`] and the rest load.
    ///
    /// ```
    /// use medcode::{hcpcs::HcpcsRelease, load::LoadOptions};
    /// let loaded = HcpcsRelease::load_with("tests/fixtures/hcpcs_bad_date.txt", LoadOptions::lenient())?;
    /// assert_eq!(loaded.errors.len(), 1);
    /// assert_eq!(loaded.errors[0].line(), 2);
    /// assert_eq!(loaded.table.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_with(
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<Loaded<HcpcsRelease, HcpcsFileError>, HcpcsLoadError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| HcpcsLoadError::Io {
            path: Some(path.to_owned()),
            source,
        })?;
        Self::from_bytes_with(&bytes, Some(path), options)
    }

    /// Reads a file's contents from any reader, strictly. A file with no
    /// record is an error, not an empty release.
    ///
    /// ```
    /// use medcode::hcpcs::{HcpcsFileError, HcpcsLoadError, HcpcsRelease};
    /// let err = HcpcsRelease::from_reader(&b""[..]).unwrap_err();
    /// assert!(matches!(err, HcpcsLoadError::Record(HcpcsFileError::NoRecord { line: 0 })));
    /// let err = HcpcsRelease::from_reader(&b"Note regarding coverage\n\nno record here\n"[..]).unwrap_err();
    /// assert!(matches!(err, HcpcsLoadError::Record(HcpcsFileError::NoRecord { line: 3 })));
    /// let err = HcpcsRelease::from_reader(&b"\x00\x01binary"[..]).unwrap_err();
    /// assert!(matches!(err, HcpcsLoadError::Record(HcpcsFileError::Binary { line: 1, byte: 0 })));
    /// ```
    pub fn from_reader(reader: impl Read) -> Result<HcpcsRelease, HcpcsLoadError> {
        Self::from_reader_with(reader, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads a file's contents from any reader, with options.
    ///
    /// ```
    /// use medcode::{hcpcs::HcpcsRelease, load::LoadOptions};
    /// let file = std::fs::read("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let mut with_bad = file.clone();
    /// with_bad.extend_from_slice(b"A0429\n"); // a record cut short
    /// let loaded = HcpcsRelease::from_reader_with(&with_bad[..], LoadOptions::lenient()).unwrap();
    /// assert_eq!(loaded.table.len(), 9);
    /// assert_eq!(loaded.errors.len(), 1);
    /// // Lenient or not, a file with no good record is refused.
    /// assert!(HcpcsRelease::from_reader_with(&b"A0429\n"[..], LoadOptions::lenient()).is_err());
    /// ```
    pub fn from_reader_with(
        mut reader: impl Read,
        options: LoadOptions,
    ) -> Result<Loaded<HcpcsRelease, HcpcsFileError>, HcpcsLoadError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| HcpcsLoadError::Io { path: None, source })?;
        Self::from_bytes_with(&bytes, None, options)
    }

    fn from_bytes_with(
        bytes: &[u8],
        path: Option<&Path>,
        options: LoadOptions,
    ) -> Result<Loaded<HcpcsRelease, HcpcsFileError>, HcpcsLoadError> {
        let mut source = path
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned());
        let lenient = options.lenient;
        let (parsed, mut errors) = if archive::is_zip(bytes) {
            let zip_err = |reason: String| HcpcsLoadError::Zip {
                path: path.map(Path::to_owned),
                reason,
            };
            let names = archive::names(bytes).map_err(zip_err)?;
            if names.iter().any(|n| n == "xl/workbook.xml") {
                // CMS's workbook itself (an .xlsx is a zip of XML).
                workbook(bytes, lenient, path)?
            } else {
                // The quarterly zip holds the ANWEB text file (and the same
                // table as a workbook) beside a README, change reports and
                // notes: the text file is read, else the ANWEB workbook.
                let prefer = |name: &str| name.to_ascii_uppercase().contains("ANWEB");
                match archive::table(bytes, &prefer) {
                    Ok((name, text)) => {
                        source = Some(base_name(&name));
                        hcpcs_file::parse(&text, lenient)
                    }
                    Err(reason) => {
                        let books: Vec<&String> = names
                            .iter()
                            .filter(|n| prefer(n) && n.to_ascii_lowercase().ends_with(".xlsx"))
                            .collect();
                        let [name] = books.as_slice() else {
                            return Err(zip_err(reason));
                        };
                        let inner = archive::member(bytes, name).map_err(zip_err)?;
                        source = Some(base_name(name));
                        workbook(&inner, lenient, path)?
                    }
                }
            }
        } else {
            hcpcs_file::parse(bytes, lenient)
        };
        // Strict: the first bad record. Either mode: a file with no record
        // (none at all, or none good) is refused, never an empty table.
        if (!options.lenient || parsed.records == 0) && !errors.is_empty() {
            return Err(HcpcsLoadError::Record(errors.swap_remove(0)));
        }
        let quarter = hcpcs_file::quarter(source.as_deref(), &parsed);
        Ok(Loaded {
            table: HcpcsRelease {
                parsed,
                source,
                quarter,
            },
            errors,
        })
    }

    /// The file's name, when loaded from a path (inside a zip: the member
    /// read).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert_eq!(release.source_file(), Some("hcpcs_fixture.txt"));
    /// ```
    pub fn source_file(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The release's quarter, as a [`Release`](crate::Release) of kind
    /// [`Quarterly`](crate::ReleaseKind::Quarterly): from the file name when
    /// it names one (`HCPC2026_JAN_…`; an annual `HCPC2020_ANWEB…` is the
    /// January quarter), else the quarter of the latest add or action
    /// effective date in the file. `None` for a file with no dates.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// let r = release.release().unwrap();
    /// assert_eq!(r.kind, medcode::ReleaseKind::Quarterly);
    /// ```
    pub fn release(&self) -> Option<crate::Release> {
        (self.quarter.0 != 0).then(|| crate::Release::quarterly(self.quarter.0))
    }

    /// The last day of the release's quarter: later dates answer as of it.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert!(release.horizon().unwrap() >= release.release().unwrap().effective);
    /// ```
    pub fn horizon(&self) -> Option<Date> {
        (self.quarter.1 != 0).then(|| Date::from_checked(self.quarter.1))
    }

    /// The release answering for `date` and the date it answers as of
    /// (the horizon, with `beyond_horizon` set, for later dates).
    ///
    /// ```
    /// use medcode::Date;
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert!(release.release_on(Date::new(2099, 1, 1).unwrap()).unwrap().beyond_horizon);
    /// ```
    pub fn release_on(&self, date: Date) -> Option<crate::DatedRelease> {
        (self.quarter.0 != 0)
            .then(|| crate::release::quarterly_on(self.quarter.0, self.quarter.1, date))
    }

    /// Number of codes (modifiers not counted).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert_eq!(release.len(), 9);
    /// ```
    pub fn len(&self) -> usize {
        self.parsed.codes.len()
    }

    /// Record lines read: first and continuation records of codes and
    /// modifiers (lines skipped as bad in lenient mode not counted).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert_eq!(release.records(), 17);
    /// ```
    pub fn records(&self) -> usize {
        self.parsed.records
    }

    /// Lines skipped before the first record: the disclaimer CMS puts at
    /// the top of its files.
    ///
    /// ```
    /// let mut file = b"***Disclaimers\t\t\t\r\n*Inclusion or exclusion ...\r\n\r\n".to_vec();
    /// file.extend(std::fs::read("tests/fixtures/hcpcs_fixture.txt").unwrap());
    /// let release = medcode::hcpcs::HcpcsRelease::from_reader(&file[..]).unwrap();
    /// assert_eq!((release.preamble_lines(), release.len()), (2, 9));
    /// ```
    pub fn preamble_lines(&self) -> usize {
        self.parsed.preamble
    }

    /// True if the file held no codes (only modifiers).
    ///
    /// ```
    /// assert!(medcode::hcpcs::HcpcsRelease::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.parsed.codes.is_empty()
    }

    /// The entry for a code, if the release has it (a binary search).
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert!(release.get("J1100".parse().unwrap()).is_some());
    /// assert!(release.get("J1101".parse().unwrap()).is_none());
    /// ```
    pub fn get(&self, code: Hcpcs) -> Option<HcpcsEntry<'_>> {
        let rows = &self.parsed.codes;
        rows.binary_search_by_key(&code.key(), |r| r.key)
            .ok()
            .map(|i| HcpcsEntry::new(&self.parsed.text, &rows[i], self.quarter.1))
    }

    /// Every code, in code order.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert_eq!(release.iter().next().unwrap().code().to_string(), "A0428");
    /// ```
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = HcpcsEntry<'_>> + ExactSizeIterator {
        self.parsed
            .codes
            .iter()
            .map(|r| HcpcsEntry::new(&self.parsed.text, r, self.quarter.1))
    }

    /// The codes valid on `date` (see [`HcpcsEntry::valid_on`]), in code order.
    ///
    /// ```
    /// use medcode::{Date, hcpcs::HcpcsRelease};
    /// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
    /// let n2014 = release.valid_on(Date::new(2014, 6, 1)?).count();
    /// let n2026 = release.valid_on(Date::new(2026, 1, 1)?).count();
    /// assert!(n2014 < release.len() && n2026 < release.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn valid_on(&self, date: Date) -> impl Iterator<Item = HcpcsEntry<'_>> {
        self.iter().filter(move |e| e.valid_on(date))
    }

    /// The entry for a modifier, if the release has it.
    ///
    /// ```
    /// let release = medcode::hcpcs::HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt").unwrap();
    /// assert!(release.modifier("TC".parse().unwrap()).is_some());
    /// assert!(release.modifier("25".parse().unwrap()).is_none());
    /// ```
    pub fn modifier(&self, modifier: Modifier) -> Option<ModifierEntry<'_>> {
        let rows = &self.parsed.modifiers;
        rows.binary_search_by_key(&modifier.key(), |r| r.key)
            .ok()
            .map(|i| ModifierEntry::new(&self.parsed.text, &rows[i], self.quarter.1))
    }

    /// Every modifier, in modifier order.
    ///
    /// ```
    /// use medcode::hcpcs::HcpcsRelease;
    /// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
    /// let mods: Vec<String> = release.modifiers().map(|m| m.modifier().to_string()).collect();
    /// assert_eq!(mods, ["GA", "LT", "RT", "TC"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modifiers(
        &self,
    ) -> impl DoubleEndedIterator<Item = ModifierEntry<'_>> + ExactSizeIterator {
        self.parsed
            .modifiers
            .iter()
            .map(|r| ModifierEntry::new(&self.parsed.text, r, self.quarter.1))
    }
}
