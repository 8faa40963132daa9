//! NCCI procedure-to-procedure (PTP) edit tables, as CMS publishes them.

use super::edit_text::{self, EditLineError, EditLoadError, ProcedureCode};
use super::{LoadOptions, Loaded};
use crate::date::Date;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Which claims a PTP table applies to: CMS publishes one table for
/// practitioner services (professional claims) and one for outpatient
/// hospital services (institutional claims).
///
/// ```
/// use medcode::load::PtpSetting;
/// assert_eq!(PtpSetting::from_file_name("ccipra-v321r0-f1.txt"), PtpSetting::Practitioner);
/// assert_eq!(PtpSetting::from_file_name("ccioph-v321r0-f1.txt"), PtpSetting::Hospital);
/// assert_eq!(PtpSetting::from_file_name("edits.txt"), PtpSetting::Any);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PtpSetting {
    /// Practitioner services: applied to professional claims.
    Practitioner,
    /// Outpatient hospital services: applied to institutional claims.
    Hospital,
    /// Applied to every claim.
    Any,
}

impl PtpSetting {
    /// The setting CMS's file names show: `ccipra…`/`practitioner` →
    /// practitioner, `ccioph…`/`hospital` → hospital, else any.
    pub fn from_file_name(name: &str) -> PtpSetting {
        let n = name.to_ascii_lowercase();
        if n.contains("pra") || n.contains("practitioner") {
            PtpSetting::Practitioner
        } else if n.contains("oph") || n.contains("hosp") {
            PtpSetting::Hospital
        } else {
            PtpSetting::Any
        }
    }
}

/// The PTP modifier indicator.
///
/// ```
/// use medcode::load::ModifierIndicator;
/// assert_eq!(ModifierIndicator::from_digit('1'), Some(ModifierIndicator::Allowed));
/// assert_eq!(ModifierIndicator::from_digit('7'), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModifierIndicator {
    /// `0`: no modifier bypasses the edit.
    NotAllowed,
    /// `1`: an NCCI-associated modifier on either line bypasses the edit.
    Allowed,
    /// `9`: the edit is not applied (deleted retroactively).
    NotApplicable,
}

impl ModifierIndicator {
    /// From the file's digit.
    pub fn from_digit(c: char) -> Option<ModifierIndicator> {
        match c {
            '0' => Some(ModifierIndicator::NotAllowed),
            '1' => Some(ModifierIndicator::Allowed),
            '9' => Some(ModifierIndicator::NotApplicable),
            _ => None,
        }
    }
}

/// One PTP edit: the column-2 code is not paid when billed with the
/// column-1 code on the same date, from `effective` through `deletion`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PtpEdit {
    /// The column-1 (comprehensive) code.
    pub column1: ProcedureCode,
    /// The column-2 (component) code.
    pub column2: ProcedureCode,
    /// First day in effect.
    pub effective: Date,
    /// Last day in effect, `None` while in effect.
    pub deletion: Option<Date>,
    /// The modifier indicator.
    pub modifier: ModifierIndicator,
    /// The rationale column (may be empty).
    pub rationale: String,
}

impl PtpEdit {
    /// True if the edit is in effect on `date` (`effective <= date <= deletion`).
    pub fn in_effect(&self, date: Date) -> bool {
        self.effective <= date && self.deletion.is_none_or(|d| date <= d)
    }
}

/// An NCCI PTP edit table loaded from CMS's files.
///
/// # Layout
///
/// CMS publishes the practitioner and the outpatient hospital tables every
/// quarter, each split into several tab-delimited text files
/// (`ccipra-v…-f1.txt` …, `ccioph-v…-f1.txt` …). Lines before the first
/// record (the AMA copyright notice and the column headings) are skipped: a
/// record is any line whose first field is a CPT or HCPCS code. Records hold
/// seven fields (tab-separated, or comma-separated with optional double
/// quotes as in spreadsheet exports):
///
/// | # | column | read as |
/// |---|---|---|
/// | 1 | Column 1 | CPT/HCPCS code |
/// | 2 | Column 2 | CPT/HCPCS code |
/// | 3 | `*` = in existence prior to 1996 | ignored |
/// | 4 | Effective Date | `yyyymmdd` |
/// | 5 | Deletion Date (`*` = no data) | `yyyymmdd`, `*` or blank; the last day in effect |
/// | 6 | Modifier (0 = not allowed, 1 = allowed, 9 = not applicable) | `0`, `1` or `9` |
/// | 7 | PTP Edit Rationale | text, optional |
///
/// Each bad record is an [`EditLineError`] with its line number; strict
/// loading stops at the first, lenient loading keeps the good records.
/// Several files load into one table with [`PtpTable::extend`].
///
/// # Files refused whole
///
/// CMS's `.zip` is read as shipped (feature `zip`, on by default: the one
/// `.txt`, `.csv` or `.tsv` table inside). A file is refused, in strict and
/// lenient mode alike, never loaded as an empty table: no record in it
/// ([`EditLoadError::NoRecord`]), headings before the first record that are
/// not this table's ([`EditLoadError::UnrecognisedHeader`], such as an MUE table given as a PTP table),
/// binary content ([`EditLoadError::Binary`]), an archive without one table
/// ([`EditLoadError::Zip`]), or no good line at all (the first bad line's
/// error).
///
/// ```
/// use medcode::load::{EditLoadError, PtpTable};
/// assert!(matches!(PtpTable::from_reader(&b"no table here\n"[..]), Err(EditLoadError::NoRecord { lines: 1, .. })));
/// assert!(matches!(PtpTable::from_reader(&b"\x00\x01"[..]), Err(EditLoadError::Binary { line: 1, byte: 0 })));
/// let wrong = std::fs::read("tests/fixtures/mue_practitioner.csv").unwrap();
/// assert!(matches!(PtpTable::from_reader(&wrong[..]), Err(EditLoadError::UnrecognisedHeader { .. })));
/// ```
///
/// ```
/// use medcode::load::{PtpSetting, PtpTable, ProcedureCode};
/// let t = PtpTable::load("tests/fixtures/ncci_ptp_practitioner.txt")?;
/// assert_eq!(t.setting(), PtpSetting::Practitioner);
/// let c1 = ProcedureCode::parse("29881").unwrap();
/// let c2 = ProcedureCode::parse("29877").unwrap();
/// assert!(t.edit_on(c1, c2, "2025-06-01".parse()?).is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PtpTable {
    edits: HashMap<(ProcedureCode, ProcedureCode), Vec<PtpEdit>>,
    len: usize,
    setting: PtpSetting,
}

impl PtpTable {
    /// Reads a file strictly; the setting comes from the file name.
    pub fn load(path: impl AsRef<Path>) -> Result<PtpTable, EditLoadError> {
        Self::load_with(path, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads a file with options; the setting comes from the file name.
    pub fn load_with(
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<Loaded<PtpTable, EditLineError>, EditLoadError> {
        let path = path.as_ref();
        let bytes = edit_text::read_path(path)?;
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let mut loaded = Self::parse(&bytes, options)?;
        loaded.table.setting = PtpSetting::from_file_name(&name);
        Ok(loaded)
    }

    /// Reads from any reader, strictly (setting [`PtpSetting::Any`]).
    pub fn from_reader(reader: impl Read) -> Result<PtpTable, EditLoadError> {
        Self::from_reader_with(reader, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads from any reader with options (setting [`PtpSetting::Any`]).
    pub fn from_reader_with(
        reader: impl Read,
        options: LoadOptions,
    ) -> Result<Loaded<PtpTable, EditLineError>, EditLoadError> {
        Self::parse(&edit_text::read_all(reader)?, options)
    }

    fn parse(
        bytes: &[u8],
        options: LoadOptions,
    ) -> Result<Loaded<PtpTable, EditLineError>, EditLoadError> {
        let text = edit_text::decode(bytes);
        let mut table = PtpTable {
            edits: HashMap::new(),
            len: 0,
            setting: PtpSetting::Any,
        };
        let mut errors = Vec::new();
        let mut started = false;
        let mut preamble = edit_text::Preamble::new(&PTP);
        for (n, l) in edit_text::lines(&text) {
            if !started {
                if !edit_text::starts_with_code(l) {
                    preamble.line(n, l);
                    continue;
                }
                preamble.check()?;
                started = true;
            }
            match record(l, n) {
                Ok(e) => table.insert(e),
                Err(e) if options.lenient => errors.push(e),
                Err(e) => return Err(e.into()),
            }
        }
        if !started {
            return Err(preamble.no_record(&text));
        }
        let empty = table.is_empty();
        edit_text::finish(table, empty, errors)
    }

    fn insert(&mut self, e: PtpEdit) {
        self.len += 1;
        self.edits
            .entry((e.column1, e.column2))
            .or_default()
            .push(e);
    }

    /// The same table, applied to claims of another setting.
    ///
    /// ```
    /// use medcode::load::{PtpSetting, PtpTable};
    /// let t = PtpTable::load("tests/fixtures/ncci_ptp_practitioner.txt").unwrap();
    /// assert_eq!(t.setting(), PtpSetting::Practitioner);
    /// let t = t.with_setting(PtpSetting::Hospital);
    /// assert_eq!(t.setting(), PtpSetting::Hospital);
    /// ```
    pub fn with_setting(mut self, setting: PtpSetting) -> PtpTable {
        self.setting = setting;
        self
    }

    /// Adds the edits of another file (CMS splits each table into several).
    pub fn extend(&mut self, other: PtpTable) {
        for (_, v) in other.edits {
            for e in v {
                self.insert(e);
            }
        }
    }

    /// Which claims the table applies to.
    pub fn setting(&self) -> PtpSetting {
        self.setting
    }

    /// Number of edits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if the table holds no edit.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The edit of the pair in effect on `date`, if any.
    pub fn edit_on(
        &self,
        column1: ProcedureCode,
        column2: ProcedureCode,
        date: Date,
    ) -> Option<&PtpEdit> {
        self.edits
            .get(&(column1, column2))?
            .iter()
            .find(|e| e.in_effect(date))
    }
}

static PTP: edit_text::TableKind = edit_text::TableKind {
    name: "NCCI PTP",
    record: "tab-separated NCCI PTP records (Column 1 code, Column 2 code, *, Effective Date, Deletion Date, Modifier indicator, rationale)",
    headings: "the NCCI PTP headings (Column 1, Column 2, Effective Date, Deletion Date, Modifier …)",
    recognises: |l| {
        let l = l.to_ascii_lowercase();
        l.contains("column 1") || l.contains("column1")
    },
};

fn record(l: &str, n: usize) -> Result<PtpEdit, EditLineError> {
    let f = edit_text::fields(l, n)?;
    edit_text::need(&f, 6, n)?;
    let column1 = edit_text::code(&f, 0, n, "Column 1")?;
    let column2 = edit_text::code(&f, 1, n, "Column 2")?;
    let effective =
        edit_text::date(&f, 3, n, "Effective Date", false)?.ok_or(EditLineError::FieldCount {
            line: n,
            found: f.len(),
            expected: 6,
        })?;
    let deletion = edit_text::date(&f, 4, n, "Deletion Date", true)?;
    let m = f[5].trim();
    let modifier = m
        .chars()
        .next()
        .filter(|_| m.len() == 1)
        .and_then(ModifierIndicator::from_digit)
        .ok_or_else(|| EditLineError::BadField {
            line: n,
            column: "Modifier",
            found: m.to_owned(),
            expected: "a modifier indicator (0, 1 or 9)",
        })?;
    Ok(PtpEdit {
        column1,
        column2,
        effective,
        deletion,
        modifier,
        rationale: f.get(6).cloned().unwrap_or_default(),
    })
}
