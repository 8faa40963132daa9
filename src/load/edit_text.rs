//! Shared text handling of the CMS edit files (NCCI PTP, MUE, add-on codes):
//! decoding, line splitting, delimiters, dates, and the typed line errors.

use super::hcpcs_file::decode_cp1252;
use crate::cpt::Cpt;
use crate::date::Date;
use crate::hcpcs::Hcpcs;
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// A procedure code of a claim line or an edit table: CPT or HCPCS Level II.
///
/// CPT codes start with a digit, HCPCS Level II codes with a letter, so the
/// syntax decides.
///
/// ```
/// use medcode::load::ProcedureCode;
/// assert!(matches!(ProcedureCode::parse("99213"), Some(ProcedureCode::Cpt(_))));
/// assert!(matches!(ProcedureCode::parse("j1100"), Some(ProcedureCode::Hcpcs(_))));
/// assert_eq!(ProcedureCode::parse("E11.9"), None);
/// assert_eq!(ProcedureCode::parse("0042T").unwrap().to_string(), "0042T");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProcedureCode {
    /// A CPT code.
    Cpt(Cpt),
    /// A HCPCS Level II code.
    Hcpcs(Hcpcs),
}

impl ProcedureCode {
    /// Parses a CPT or HCPCS Level II code; `None` if it is neither.
    pub fn parse(s: &str) -> Option<ProcedureCode> {
        // A HCPCS Level II code starts with a letter, a CPT code never does.
        if crate::text::trim(s)
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
        {
            Hcpcs::parse(s).ok().map(ProcedureCode::Hcpcs)
        } else {
            Cpt::parse(s).ok().map(ProcedureCode::Cpt)
        }
    }

    /// The packed key of either kind (the two kinds never share a key:
    /// a CPT code starts with a digit, a HCPCS code with a letter).
    pub(crate) fn key(self) -> u64 {
        match self {
            ProcedureCode::Cpt(c) => c.key(),
            ProcedureCode::Hcpcs(h) => h.key(),
        }
    }

    /// The CPT code, if it is one.
    pub fn cpt(self) -> Option<Cpt> {
        match self {
            ProcedureCode::Cpt(c) => Some(c),
            ProcedureCode::Hcpcs(_) => None,
        }
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcedureCode::Cpt(c) => c.fmt(f),
            ProcedureCode::Hcpcs(c) => c.fmt(f),
        }
    }
}

impl serde::Serialize for ProcedureCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A bad line in a CMS edit file (NCCI PTP, MUE or add-on code list), with
/// its 1-based line number.
///
/// ```
/// use medcode::load::{EditLineError, EditLoadError, PtpTable};
/// let err = PtpTable::from_reader(&b"10021\t1000X\t\t20190101\t*\t0\tTEST\n"[..]).unwrap_err();
/// let EditLoadError::Line(e) = err else { panic!() };
/// assert_eq!(e.line(), 1);
/// assert!(matches!(e, EditLineError::BadCode { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EditLineError {
    /// A code field that is not a CPT or HCPCS code.
    #[error("line {line}: {column}: {found:?} is not a CPT or HCPCS code")]
    BadCode {
        /// 1-based line number.
        line: usize,
        /// The column's name.
        column: &'static str,
        /// The field as found.
        found: String,
    },
    /// A date field that is not `yyyymmdd` (or `*`/blank where allowed).
    #[error("line {line}: {column}: {found:?} is not a date (yyyymmdd)")]
    BadDate {
        /// 1-based line number.
        line: usize,
        /// The column's name.
        column: &'static str,
        /// The field as found.
        found: String,
    },
    /// A field that should be a number or an indicator and is not.
    #[error("line {line}: {column}: {found:?} is not {expected}")]
    BadField {
        /// 1-based line number.
        line: usize,
        /// The column's name.
        column: &'static str,
        /// The field as found.
        found: String,
        /// What the column holds.
        expected: &'static str,
    },
    /// Too few fields on a record line.
    #[error("line {line}: {found} fields, expected at least {expected}")]
    FieldCount {
        /// 1-based line number.
        line: usize,
        /// Fields found.
        found: usize,
        /// Fields needed.
        expected: usize,
    },
    /// A double-quoted field not closed on its line.
    #[error("line {line}: a quoted field is not closed")]
    UnterminatedQuote {
        /// 1-based line number.
        line: usize,
    },
}

impl EditLineError {
    /// The 1-based line number of the bad line.
    ///
    /// ```
    /// use medcode::load::{LoadOptions, MueTable};
    /// let l = MueTable::from_reader_with(&b"99213\t1\t2\n99214\tx\t2\n"[..], LoadOptions::lenient()).unwrap();
    /// assert_eq!(l.errors[0].line(), 2);
    /// ```
    pub fn line(&self) -> usize {
        match *self {
            EditLineError::BadCode { line, .. }
            | EditLineError::BadDate { line, .. }
            | EditLineError::BadField { line, .. }
            | EditLineError::FieldCount { line, .. }
            | EditLineError::UnterminatedQuote { line } => line,
        }
    }
}

/// Why an edit file could not be loaded.
///
/// ```
/// use medcode::load::{EditLoadError, MueTable};
/// assert!(matches!(MueTable::load("no/such/file.txt"), Err(EditLoadError::Io { .. })));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EditLoadError {
    /// The file could not be read.
    #[error("reading {}: {source}", .path.as_ref().map_or_else(|| "edit file input".to_owned(), |p| p.display().to_string()))]
    Io {
        /// The path, when loading from a path.
        path: Option<PathBuf>,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A bad line (strict mode stops at the first; lenient mode too when no
    /// line at all is good).
    #[error(transparent)]
    Line(#[from] EditLineError),
    /// The file holds no record: empty, or only text whose lines do not
    /// start with a CPT or HCPCS code (prose, another kind of file).
    #[error("no {table} record in {lines} lines: expected {expected}")]
    NoRecord {
        /// The table that was expected (`NCCI PTP`, `MUE`, `add-on code`).
        table: &'static str,
        /// Lines read.
        lines: usize,
        /// What a record holds, in words.
        expected: &'static str,
    },
    /// The column headings before the first record are not those of the
    /// table expected (most often: another table, such as an MUE file given
    /// as an NCCI PTP file).
    #[error("line {line}: unrecognised header {found:?}: expected {expected}")]
    UnrecognisedHeader {
        /// 1-based line number of the first heading line.
        line: usize,
        /// The heading as found (cut at 120 characters).
        found: String,
        /// The headings the table has, in words.
        expected: &'static str,
    },
    /// The file is not text: a control byte such as NUL (a spreadsheet,
    /// UTF-16 text, an image, a binary file).
    #[error("line {line}: binary content (byte {byte:#04x}): expected a text table (tab- or comma-separated)")]
    Binary {
        /// 1-based line number of the first such byte.
        line: usize,
        /// The byte.
        byte: u8,
    },
    /// A ZIP archive whose table cannot be read: none or several tables
    /// inside, an Excel workbook, a damaged archive, or a build without the
    /// `zip` feature.
    #[error("ZIP archive: {reason}")]
    Zip {
        /// The path, when loading from a path.
        path: Option<PathBuf>,
        /// What is wrong, naming the archive's members where that helps.
        reason: String,
    },
}

/// A file's bytes as a table's reader takes them: the one table inside a ZIP
/// archive (CMS ships NCCI PTP, MUE and add-on tables zipped), binary content
/// refused.
fn unpack(bytes: Vec<u8>, path: Option<&Path>) -> Result<Vec<u8>, EditLoadError> {
    let bytes = if super::archive::is_zip(&bytes) {
        super::archive::table(&bytes, &|_| false)
            .map_err(|reason| EditLoadError::Zip {
                path: path.map(Path::to_owned),
                reason,
            })?
            .1
    } else {
        bytes
    };
    if let Some((line, byte)) = super::hcpcs_file::first_binary(&bytes) {
        return Err(EditLoadError::Binary { line, byte });
    }
    Ok(bytes)
}

pub(crate) fn read_path(path: &Path) -> Result<Vec<u8>, EditLoadError> {
    let bytes = std::fs::read(path).map_err(|source| EditLoadError::Io {
        path: Some(path.to_owned()),
        source,
    })?;
    unpack(bytes, Some(path))
}

pub(crate) fn read_all(mut reader: impl std::io::Read) -> Result<Vec<u8>, EditLoadError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| EditLoadError::Io { path: None, source })?;
    unpack(bytes, None)
}

/// What an edit table's reader knows of its file beyond the record layout:
/// its name, what a record holds, and how to recognise its headings.
pub(crate) struct TableKind {
    /// `NCCI PTP`, `MUE`, `add-on code`.
    pub name: &'static str,
    /// What a record holds, in words.
    pub record: &'static str,
    /// The headings, in words.
    pub headings: &'static str,
    /// True for a heading line of this table.
    pub recognises: fn(&str) -> bool,
}

/// True for a line of column headings: three fields or more (tab- or
/// comma-separated), and not a sentence (a notice such as the AMA
/// copyright line, which may hold commas, is not a heading).
pub(crate) fn is_heading(l: &str, n: usize) -> bool {
    let t = l.trim();
    if t.contains(". ") || t.ends_with('.') || t.ends_with(".\"") {
        return false;
    }
    fields(l, n)
        .map(|f| f.iter().filter(|x| !x.is_empty()).count() >= 3)
        .unwrap_or(false)
}

/// The lines before the first record: notices are skipped; heading lines
/// ([`is_heading`]) must be the table's own.
pub(crate) struct Preamble {
    kind: &'static TableKind,
    first_heading: Option<(usize, String)>,
    recognised: bool,
}

impl Preamble {
    pub(crate) fn new(kind: &'static TableKind) -> Preamble {
        Preamble {
            kind,
            first_heading: None,
            recognised: false,
        }
    }

    /// Notes a line before the first record.
    pub(crate) fn line(&mut self, n: usize, l: &str) {
        if !is_heading(l, n) {
            return;
        }
        if (self.kind.recognises)(l) {
            self.recognised = true;
        } else if self.first_heading.is_none() {
            self.first_heading = Some((n, l.trim().chars().take(120).collect()));
        }
    }

    /// At the first record (or the end of a file without one): an error if
    /// the file had headings and none of them is the table's.
    pub(crate) fn check(&self) -> Result<(), EditLoadError> {
        match &self.first_heading {
            Some((line, found)) if !self.recognised => Err(EditLoadError::UnrecognisedHeader {
                line: *line,
                found: found.clone(),
                expected: self.kind.headings,
            }),
            _ => Ok(()),
        }
    }

    /// The error for a file in which no line was a record.
    pub(crate) fn no_record(&self, text: &str) -> EditLoadError {
        if let Err(e) = self.check() {
            return e;
        }
        let ends = text.matches('\n').count();
        EditLoadError::NoRecord {
            table: self.kind.name,
            lines: ends + usize::from(!text.is_empty() && !text.ends_with('\n')),
            expected: self.kind.record,
        }
    }
}

/// The end of a load: a table with no good record is refused, in lenient
/// mode too (with the first bad line), never returned empty.
pub(crate) fn finish<T>(
    table: T,
    empty: bool,
    mut errors: Vec<EditLineError>,
) -> Result<super::Loaded<T, EditLineError>, EditLoadError> {
    if empty && !errors.is_empty() {
        return Err(EditLoadError::Line(errors.swap_remove(0)));
    }
    Ok(super::Loaded { table, errors })
}

/// UTF-8 (BOM dropped) or, failing that, cp1252.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(decode_cp1252(bytes)),
    }
}

/// Splits one line into trimmed fields: on tabs if it has one, else on
/// commas with double-quote handling (`""` inside quotes is a quote).
pub(crate) fn fields(line: &str, n: usize) -> Result<Vec<String>, EditLineError> {
    if line.contains('\t') {
        return Ok(line.split('\t').map(|f| f.trim().to_owned()).collect());
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            out.push(cur.trim().to_owned());
            cur.clear();
            at_start = true;
        } else {
            if !c.is_whitespace() {
                at_start = false;
            }
            cur.push(c);
        }
    }
    if quoted {
        return Err(EditLineError::UnterminatedQuote { line: n });
    }
    out.push(cur.trim().to_owned());
    Ok(out)
}

/// The lines of a file with their 1-based numbers, CR stripped, blank lines dropped.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
}

/// True if the line's first field is a procedure code (a record, not a preamble line).
pub(crate) fn starts_with_code(line: &str) -> bool {
    let first = line
        .split(['\t', ','])
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    ProcedureCode::parse(first).is_some()
}

pub(crate) fn code(
    f: &[String],
    i: usize,
    line: usize,
    column: &'static str,
) -> Result<ProcedureCode, EditLineError> {
    let s = f.get(i).map_or("", String::as_str);
    ProcedureCode::parse(s).ok_or_else(|| EditLineError::BadCode {
        line,
        column,
        found: s.to_owned(),
    })
}

/// A `yyyymmdd` date (also `YYYY-MM-DD`, or `M/D/YYYY` as spreadsheet exports
/// write it); `*` or blank is `None` when `optional`.
pub(crate) fn date(
    f: &[String],
    i: usize,
    line: usize,
    column: &'static str,
    optional: bool,
) -> Result<Option<Date>, EditLineError> {
    let s = f.get(i).map_or("", |s| s.trim());
    if optional && (s.is_empty() || s == "*") {
        return Ok(None);
    }
    let bad = || EditLineError::BadDate {
        line,
        column,
        found: s.to_owned(),
    };
    if let Ok(d) = s.parse::<Date>() {
        return Ok(Some(d));
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [m, d, y] = parts.as_slice() {
        let num = |x: &str| x.parse::<u32>().map_err(|_| bad());
        return Date::new(num(y)?, num(m)?, num(d)?)
            .map(Some)
            .map_err(|_| bad());
    }
    Err(bad())
}

pub(crate) fn need(f: &[String], n: usize, line: usize) -> Result<(), EditLineError> {
    if f.len() < n {
        Err(EditLineError::FieldCount {
            line,
            found: f.len(),
            expected: n,
        })
    } else {
        Ok(())
    }
}
