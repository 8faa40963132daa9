//! The record parser for the CMS quarterly HCPCS Level II alpha-numeric file.
//!
//! Used by the library (run-time loading, `medcode::HcpcsRelease`) and by
//! the HCPCS data crate's build script (which compiles `data/` or a file
//! named by `MEDCODE_HCPCS_FILE` into the perfect-hash tables). One parser,
//! so both paths answer identically.
//!
//! # The layout
//!
//! CMS publishes the file quarterly (`HCPC<year>_<MON>_ANWEB_<date>.txt`,
//! cp1252, fixed width, record length 320). Columns are 1-based and inclusive:
//!
//! | columns | field |
//! |---|---|
//! | 1–5 | HCPCS code (modifier records: the modifier, in columns 4–5) |
//! | 6–10 | sequence number (read, not checked) |
//! | 11 | record id: `3` first line of a code, `4` continuation of its long title, `7` first line of a modifier, `8` continuation of its long title |
//! | 12–91 | long title (a chunk; continued on following `4`/`8` records) |
//! | 92–119 | short title |
//! | 120–127 | pricing indicators, up to four of two characters |
//! | 230 | coverage code |
//! | 257–259 | BETOS code |
//! | 261–265 | type of service, up to five one-character codes |
//! | 269–276 | add date (`yyyymmdd`, may be blank) |
//! | 277–284 | action effective date |
//! | 285–292 | termination date |
//! | 293 | action code |
//!
//! Decisions this reader makes (and documents, because the file does not):
//!
//! - Lines end in LF or CRLF. Lines that are blank (spaces, tabs, a DOS
//!   end-of-file `0x1A`) are skipped.
//! - CMS puts text before the first record (a disclaimer, padded with tabs,
//!   in the 2019 and 2020 annual files). Lines before the first record whose
//!   columns 6–10 are not digits or blanks (a sequence number), or that hold
//!   neither a code or modifier in columns 1–5 nor a record id in column 11,
//!   are this preamble: skipped and counted ([`Parsed::preamble`]). From the first record on, every
//!   non-blank line must be a record.
//! - A file with no record is [`HcpcsFileError::NoRecord`]; a file with
//!   binary content (a control byte other than tab, CR, LF, form feed or
//!   `0x1A`: a ZIP archive, a spreadsheet, UTF-16 text) is
//!   [`HcpcsFileError::Binary`], whichever mode. A continuation record may
//!   end after its long title (the 2020 file's do, at column 91).
//! - A record must reach column 11 (code, sequence and record id are
//!   mandatory); a shorter one is [`HcpcsFileError::ShortLine`]. A record
//!   shorter than 320 columns is padded with blanks (tools often strip
//!   trailing blanks); a field cut off in the middle (a date of four digits)
//!   is then reported as a bad field. Non-blank text past column 320 is
//!   [`HcpcsFileError::LongLine`].
//! - Long titles: each chunk is trimmed and the chunks are joined with one
//!   space. Only the long-title columns of a continuation record are read.
//! - Text is decoded from cp1252 by hand (bytes 0x80–0x9F from the Windows
//!   table, the five bytes it leaves undefined to the C1 control of the same
//!   value as the WHATWG Encoding Standard does; all other bytes are Latin-1).
//! - Codes are a letter and four digits; modifiers two letters or digits;
//!   dates real calendar dates; pricing indicators, coverage, BETOS and action
//!   codes letters or digits. Anything else is a typed error naming the line
//!   and field.

use std::fmt;

/// The record length of the CMS file.
pub const RECORD_LEN: usize = 320;
/// The fewest columns a record must have: code, sequence number, record id.
pub const MIN_RECORD_LEN: usize = 11;

/// A field of the fixed-width record, with its 1-based inclusive columns.
///
/// ```
/// use medcode_base::hcpcs_file::Field;
/// assert_eq!(Field::AddDate.columns(), (269, 276));
/// assert_eq!(Field::AddDate.to_string(), "add date (columns 269-276)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The code (or modifier), columns 1–5.
    Code,
    /// The record id, column 11.
    RecordId,
    /// A long-title chunk, columns 12–91.
    LongTitle,
    /// The short title, columns 92–119.
    ShortTitle,
    /// The pricing indicators, columns 120–127.
    PricingIndicator,
    /// The coverage code, column 230.
    Coverage,
    /// The BETOS code, columns 257–259.
    Betos,
    /// The type-of-service codes, columns 261–265 (up to five of one character).
    TypeOfService,
    /// The add date, columns 269–276.
    AddDate,
    /// The action effective date, columns 277–284.
    ActionEffectiveDate,
    /// The termination date, columns 285–292.
    TerminationDate,
    /// The action code, column 293.
    ActionCode,
}

impl Field {
    /// The 1-based, inclusive columns of the field.
    ///
    /// ```
    /// assert_eq!(medcode_base::hcpcs_file::Field::Code.columns(), (1, 5));
    /// ```
    pub const fn columns(self) -> (usize, usize) {
        match self {
            Field::Code => (1, 5),
            Field::RecordId => (11, 11),
            Field::LongTitle => (12, 91),
            Field::ShortTitle => (92, 119),
            Field::PricingIndicator => (120, 127),
            Field::Coverage => (230, 230),
            Field::Betos => (257, 259),
            Field::TypeOfService => (261, 265),
            Field::AddDate => (269, 276),
            Field::ActionEffectiveDate => (277, 284),
            Field::TerminationDate => (285, 292),
            Field::ActionCode => (293, 293),
        }
    }

    /// The field's name in words.
    ///
    /// ```
    /// assert_eq!(medcode_base::hcpcs_file::Field::Betos.name(), "BETOS code");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::RecordId => "record id",
            Field::LongTitle => "long title",
            Field::ShortTitle => "short title",
            Field::PricingIndicator => "pricing indicators",
            Field::Coverage => "coverage code",
            Field::Betos => "BETOS code",
            Field::TypeOfService => "type of service",
            Field::AddDate => "add date",
            Field::ActionEffectiveDate => "action effective date",
            Field::TerminationDate => "termination date",
            Field::ActionCode => "action code",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.columns();
        if a == b {
            write!(f, "{} (column {a})", self.name())
        } else {
            write!(f, "{} (columns {a}-{b})", self.name())
        }
    }
}

/// A bad record in a CMS HCPCS file: which line (1-based), which field, what
/// is wrong.
///
/// ```
/// use medcode_base::hcpcs_file::{parse, HcpcsFileError};
/// // Strict mode: the first bad record is the error.
/// let (_, errors) = parse(b"A0428\n", false);
/// assert_eq!(errors[0], HcpcsFileError::ShortLine { line: 1, len: 5, min: 11 });
/// assert_eq!(errors[0].line(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HcpcsFileError {
    /// The record ends before column 11, so it has no record id.
    ShortLine {
        /// 1-based line number.
        line: usize,
        /// Columns found.
        len: usize,
        /// Columns required.
        min: usize,
    },
    /// Non-blank text past column 320.
    LongLine {
        /// 1-based line number.
        line: usize,
        /// Columns found.
        len: usize,
        /// The record length.
        max: usize,
    },
    /// Column 11 is not 3, 4, 7 or 8.
    UnknownRecordId {
        /// 1-based line number.
        line: usize,
        /// The character found.
        found: char,
    },
    /// Columns 1–5 do not hold a code (a letter and four digits) or a
    /// modifier (two letters or digits), as the record id requires.
    BadCode {
        /// 1-based line number.
        line: usize,
        /// The text found (trimmed).
        found: String,
        /// What the record id requires, in words.
        expected: &'static str,
    },
    /// A date field that is neither blank nor a real `yyyymmdd` date.
    BadDate {
        /// 1-based line number.
        line: usize,
        /// Which date.
        field: Field,
        /// The text found.
        found: String,
    },
    /// Another field holds something it cannot (pricing indicators, coverage,
    /// BETOS and action codes are letters or digits).
    BadField {
        /// 1-based line number.
        line: usize,
        /// Which field.
        field: Field,
        /// The text found.
        found: String,
    },
    /// A continuation record (id 4 or 8) that does not follow the first record
    /// of the same code or modifier.
    ContinuationWithoutFirst {
        /// 1-based line number.
        line: usize,
        /// The code or modifier it continues.
        code: String,
    },
    /// A second first-line record for a code or modifier.
    DuplicateCode {
        /// 1-based line number.
        line: usize,
        /// The code or modifier.
        code: String,
        /// The line of its first record.
        first_line: usize,
    },
    /// The file holds no record: empty, or only text that is not a record
    /// (prose, another table).
    NoRecord {
        /// Lines read (the line number of the last line).
        line: usize,
    },
    /// The file is not text: a control byte (a ZIP archive, a spreadsheet,
    /// UTF-16 text, a binary file).
    Binary {
        /// 1-based line number of the first such byte.
        line: usize,
        /// The byte.
        byte: u8,
    },
}

impl HcpcsFileError {
    /// The 1-based line number of the bad record.
    ///
    /// ```
    /// use medcode_base::hcpcs_file::HcpcsFileError;
    /// let e = HcpcsFileError::UnknownRecordId { line: 7, found: '5' };
    /// assert_eq!(e.line(), 7);
    /// ```
    pub fn line(&self) -> usize {
        match *self {
            HcpcsFileError::ShortLine { line, .. }
            | HcpcsFileError::LongLine { line, .. }
            | HcpcsFileError::UnknownRecordId { line, .. }
            | HcpcsFileError::BadCode { line, .. }
            | HcpcsFileError::BadDate { line, .. }
            | HcpcsFileError::BadField { line, .. }
            | HcpcsFileError::ContinuationWithoutFirst { line, .. }
            | HcpcsFileError::DuplicateCode { line, .. }
            | HcpcsFileError::NoRecord { line }
            | HcpcsFileError::Binary { line, .. } => line,
        }
    }

    /// The field at fault, where one field is.
    ///
    /// ```
    /// use medcode_base::hcpcs_file::{Field, HcpcsFileError};
    /// let e = HcpcsFileError::BadDate { line: 2, field: Field::TerminationDate, found: "2024".into() };
    /// assert_eq!(e.field(), Some(Field::TerminationDate));
    /// assert_eq!(HcpcsFileError::ShortLine { line: 1, len: 3, min: 11 }.field(), None);
    /// ```
    pub fn field(&self) -> Option<Field> {
        match *self {
            HcpcsFileError::UnknownRecordId { .. } => Some(Field::RecordId),
            HcpcsFileError::BadCode { .. } | HcpcsFileError::DuplicateCode { .. } => {
                Some(Field::Code)
            }
            HcpcsFileError::BadDate { field, .. } | HcpcsFileError::BadField { field, .. } => {
                Some(field)
            }
            _ => None,
        }
    }
}

impl fmt::Display for HcpcsFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HcpcsFileError::ShortLine { line, len, min } => write!(
                f,
                "line {line}: record too short: {len} columns, at least {min} needed for code, sequence and record id"
            ),
            HcpcsFileError::LongLine { line, len, max } => write!(
                f,
                "line {line}: record too long: text in column {len}, records are {max} columns"
            ),
            HcpcsFileError::UnknownRecordId { line, found } => write!(
                f,
                "line {line}: unknown record id {found:?} in column 11: expected 3, 4, 7 or 8"
            ),
            HcpcsFileError::BadCode {
                line,
                found,
                expected,
            } => write!(
                f,
                "line {line}: {}: {found:?} is not {expected}",
                Field::Code
            ),
            HcpcsFileError::BadDate { line, field, found } => write!(
                f,
                "line {line}: {field}: {found:?} is not a date as yyyymmdd"
            ),
            HcpcsFileError::BadField { line, field, found } => {
                write!(f, "line {line}: {field}: unexpected {found:?}")
            }
            HcpcsFileError::ContinuationWithoutFirst { line, code } => write!(
                f,
                "line {line}: continuation record for {code:?} does not follow a first record of {code:?}"
            ),
            HcpcsFileError::DuplicateCode {
                line,
                code,
                first_line,
            } => write!(
                f,
                "line {line}: {code:?} already has a first record on line {first_line}"
            ),
            HcpcsFileError::NoRecord { line } => write!(
                f,
                "no HCPCS record in {line} lines: expected CMS's fixed-width HCPCS file (a code in columns 1-5, a sequence number in 6-10, record id 3, 4, 7 or 8 in column 11)"
            ),
            HcpcsFileError::Binary { line, byte } => write!(
                f,
                "line {line}: binary content (byte {byte:#04x}): expected CMS's fixed-width HCPCS text file"
            ),
        }
    }
}

impl std::error::Error for HcpcsFileError {}

/// A byte range `(start, end)` into [`Parsed::text`].
pub type Span = (u32, u32);

/// One code, as stored in a table: the packed key, text spans into
/// [`Parsed::text`], the fixed fields. A date is `yyyymmdd`, 0 when blank; a
/// one-character field is its ASCII byte, 0 when blank; pricing indicators
/// are four pairs of ASCII bytes, blank pairs last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeRow {
    /// The code packed six bits a character (as `src/codebuf.rs` packs codes).
    pub key: u64,
    /// Long title.
    pub title: Span,
    /// Short title.
    pub short_title: Span,
    /// BETOS code.
    pub betos: Span,
    /// Up to four two-character pricing indicators; unused pairs are spaces.
    pub pricing: [u8; 8],
    /// Up to five one-character type-of-service codes; unused ones are spaces.
    pub tos: [u8; 5],
    /// Coverage code (0 = blank).
    pub coverage: u8,
    /// Action code (0 = blank).
    pub action: u8,
    /// Add date (0 = blank).
    pub added: u32,
    /// Action effective date (0 = blank).
    pub effective: u32,
    /// Termination date (0 = blank).
    pub terminated: u32,
}

/// How the build script writes a [`CodeRow`] into the generated tables.
pub type CodeTuple = (
    u64,
    Span,
    Span,
    Span,
    [u8; 8],
    [u8; 5],
    (u8, u8),
    (u32, u32, u32),
);

impl CodeRow {
    /// The row as a tuple (the generated tables' form).
    pub const fn to_tuple(self) -> CodeTuple {
        (
            self.key,
            self.title,
            self.short_title,
            self.betos,
            self.pricing,
            self.tos,
            (self.coverage, self.action),
            (self.added, self.effective, self.terminated),
        )
    }

    /// The row from its tuple form.
    pub const fn from_tuple(t: &CodeTuple) -> CodeRow {
        CodeRow {
            key: t.0,
            title: t.1,
            short_title: t.2,
            betos: t.3,
            pricing: t.4,
            tos: t.5,
            coverage: (t.6).0,
            action: (t.6).1,
            added: (t.7).0,
            effective: (t.7).1,
            terminated: (t.7).2,
        }
    }
}

/// One modifier, as stored in a table (fields as in [`CodeRow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModifierRow {
    /// The modifier packed six bits a character.
    pub key: u64,
    /// Long title.
    pub title: Span,
    /// Short title.
    pub short_title: Span,
    /// Coverage code (0 = blank).
    pub coverage: u8,
    /// Action code (0 = blank).
    pub action: u8,
    /// Add date (0 = blank).
    pub added: u32,
    /// Action effective date (0 = blank).
    pub effective: u32,
    /// Termination date (0 = blank).
    pub terminated: u32,
}

/// How the build script writes a [`ModifierRow`] into the generated tables.
pub type ModifierTuple = (u64, Span, Span, (u8, u8), (u32, u32, u32));

impl ModifierRow {
    /// The row as a tuple (the generated tables' form).
    pub const fn to_tuple(self) -> ModifierTuple {
        (
            self.key,
            self.title,
            self.short_title,
            (self.coverage, self.action),
            (self.added, self.effective, self.terminated),
        )
    }

    /// The row from its tuple form.
    pub const fn from_tuple(t: &ModifierTuple) -> ModifierRow {
        ModifierRow {
            key: t.0,
            title: t.1,
            short_title: t.2,
            coverage: (t.3).0,
            action: (t.3).1,
            added: (t.4).0,
            effective: (t.4).1,
            terminated: (t.4).2,
        }
    }
}

/// A parsed file: one text blob, codes and modifiers each sorted by key
/// (which is code order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// All titles and BETOS codes, back to back.
    pub text: String,
    /// The codes, in code order.
    pub codes: Vec<CodeRow>,
    /// The modifiers, in modifier order.
    pub modifiers: Vec<ModifierRow>,
    /// Record lines read (first and continuation records of codes and
    /// modifiers).
    pub records: usize,
    /// Lines skipped before the first record (CMS's disclaimer text).
    pub preamble: usize,
}

impl Parsed {
    /// The text of a span.
    pub fn str(&self, span: Span) -> &str {
        &self.text[span.0 as usize..span.1 as usize]
    }
}

pub use crate::key::pack;

/// The character of a cp1252 byte.
pub fn cp1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}',
        '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Decodes cp1252 bytes.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| cp1252_char(b)).collect()
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x1A)
}

/// A record padded to [`RECORD_LEN`] columns.
struct Record<'a> {
    bytes: &'a [u8],
    line: usize,
}

impl Record<'_> {
    /// The raw bytes of 1-based inclusive columns, blank-padded on the right
    /// (columns past the record's end read as blanks: the slice is cut short).
    fn cols(&self, (a, b): (usize, usize)) -> &[u8] {
        let start = (a - 1).min(self.bytes.len());
        let end = b.min(self.bytes.len());
        &self.bytes[start..end]
    }

    fn field(&self, field: Field) -> &[u8] {
        self.cols(field.columns())
    }

    fn text(&self, field: Field) -> String {
        decode_cp1252(self.field(field)).trim().to_owned()
    }

    fn date(&self, field: Field) -> Result<u32, HcpcsFileError> {
        let raw = self.field(field);
        let trimmed = trim_bytes(raw);
        if trimmed.is_empty() {
            return Ok(0);
        }
        let bad = || HcpcsFileError::BadDate {
            line: self.line,
            field,
            found: decode_cp1252(raw).trim().to_owned(),
        };
        if raw.len() != 8 || !raw.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let v = raw
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
        if is_calendar_date(v) {
            Ok(v)
        } else {
            Err(bad())
        }
    }

    /// A one-character field: 0 when blank, else an ASCII letter or digit.
    fn flag(&self, field: Field) -> Result<u8, HcpcsFileError> {
        match self.field(field) {
            [] | [b' '] => Ok(0),
            [c] if c.is_ascii_alphanumeric() => Ok(c.to_ascii_uppercase()),
            other => Err(self.bad_field(field, other)),
        }
    }

    fn bad_field(&self, field: Field, raw: &[u8]) -> HcpcsFileError {
        HcpcsFileError::BadField {
            line: self.line,
            field,
            found: decode_cp1252(raw),
        }
    }

    fn pricing(&self) -> Result<[u8; 8], HcpcsFileError> {
        let raw = self.field(Field::PricingIndicator);
        let mut out = [b' '; 8];
        let mut n = 0;
        for i in 0..4 {
            let pair = [
                raw.get(2 * i).copied().unwrap_or(b' '),
                raw.get(2 * i + 1).copied().unwrap_or(b' '),
            ];
            if pair == [b' ', b' '] {
                continue;
            }
            if !pair.iter().all(u8::is_ascii_alphanumeric) {
                return Err(self.bad_field(Field::PricingIndicator, raw));
            }
            out[2 * n] = pair[0].to_ascii_uppercase();
            out[2 * n + 1] = pair[1].to_ascii_uppercase();
            n += 1;
        }
        Ok(out)
    }

    fn tos(&self) -> Result<[u8; 5], HcpcsFileError> {
        let raw = self.field(Field::TypeOfService);
        tos_codes(raw.iter().copied()).ok_or_else(|| self.bad_field(Field::TypeOfService, raw))
    }

    fn betos(&self) -> Result<String, HcpcsFileError> {
        let raw = self.field(Field::Betos);
        let t = trim_bytes(raw);
        if t.iter().all(u8::is_ascii_alphanumeric) {
            Ok(String::from_utf8_lossy(t).to_ascii_uppercase())
        } else {
            Err(self.bad_field(Field::Betos, raw))
        }
    }
}

fn trim_bytes(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if *first == b' ' {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if *last == b' ' {
            b = rest;
        } else {
            break;
        }
    }
    b
}

pub use crate::calendar::is_calendar_date;

fn is_hcpcs_code(c: &[u8]) -> bool {
    c.len() == 5 && c[0].is_ascii_alphabetic() && c[1..].iter().all(u8::is_ascii_digit)
}

fn is_modifier(c: &[u8]) -> bool {
    c.len() == 2 && c.iter().all(u8::is_ascii_alphanumeric)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Code,
    Modifier,
}

/// A code or modifier being read: its fixed fields and its title chunks.
struct Pending {
    kind: Kind,
    code: Vec<u8>,
    chunks: Vec<String>,
    short_title: String,
    betos: String,
    pricing: [u8; 8],
    tos: [u8; 5],
    coverage: u8,
    action: u8,
    dates: (u32, u32, u32),
}

/// The first byte that text files do not hold (a control byte other than
/// tab, LF, CR, form feed and the DOS end-of-file `0x1A`), with its 1-based
/// line number.
///
/// Binary files (ZIP archives, spreadsheets, UTF-16 text, images) have one
/// within their first bytes; cp1252 and UTF-8 text never does.
pub fn first_binary(input: &[u8]) -> Option<(usize, u8)> {
    let at = input.iter().position(|&b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)) || b == 0x7F
    })?;
    let line = input[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    Some((line, input[at]))
}

/// True if a line before the first record is text, not a record: columns
/// 6–10 (the sequence number) are not digits or blanks, or neither columns
/// 1–5 hold a code or modifier nor column 11 a record id.
fn is_preamble(bytes: &[u8]) -> bool {
    let seq = &bytes[bytes.len().min(5)..bytes.len().min(10)];
    if !seq.iter().all(|&b| b.is_ascii_digit() || b == b' ') {
        return true;
    }
    let code = trim_bytes(&bytes[..bytes.len().min(5)]).to_ascii_uppercase();
    let record_id = matches!(bytes.get(10), Some(b'3' | b'4' | b'7' | b'8'));
    !(is_hcpcs_code(&code) || is_modifier(&code) || record_id)
}

/// Parses a whole file.
///
/// Strict mode (`lenient == false`) stops at the first bad record and returns
/// it as the only error. Lenient mode skips each bad record, reports it, and
/// goes on; a continuation of a skipped record is reported too (as
/// [`HcpcsFileError::ContinuationWithoutFirst`]), so no line is dropped
/// silently. In either mode, a file with binary content or with no record
/// returns [`HcpcsFileError::Binary`] or [`HcpcsFileError::NoRecord`] as the
/// only error, and a lenient parse that kept no record returns its errors
/// with an empty table (callers refuse it: see `HcpcsRelease`).
pub fn parse(input: &[u8], lenient: bool) -> (Parsed, Vec<HcpcsFileError>) {
    if let Some((line, byte)) = first_binary(input) {
        return (
            Parsed::default(),
            vec![HcpcsFileError::Binary { line, byte }],
        );
    }
    let mut errors = Vec::new();
    let mut done: Vec<Pending> = Vec::new();
    // Index into `done` of the record a continuation may extend.
    let mut current: Option<usize> = None;
    let mut seen: std::collections::HashMap<(bool, Vec<u8>), usize> =
        std::collections::HashMap::new();
    let (mut records, mut preamble, mut started) = (0, 0, false);

    for (i, raw) in input.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let bytes = raw.strip_suffix(b"\r").unwrap_or(raw);
        if bytes.iter().all(|&b| is_blank(b)) {
            continue;
        }
        if !started {
            if is_preamble(bytes) {
                preamble += 1;
                continue;
            }
            started = true;
        }
        match read_record(bytes, line, &done, current, &mut seen) {
            Ok(Step::New(p)) => {
                records += 1;
                done.push(p);
                current = Some(done.len() - 1);
            }
            Ok(Step::Continue(chunk)) => {
                records += 1;
                if let Some(c) = current {
                    done[c].chunks.push(chunk);
                }
            }
            Err(e) => {
                current = None;
                errors.push(e);
                if !lenient {
                    return (Parsed::default(), errors);
                }
            }
        }
    }
    if !started {
        // Lines read; a final line end does not start another line.
        let ends = input.iter().filter(|&&b| b == b'\n').count();
        let line = ends + usize::from(!input.is_empty() && !input.ends_with(b"\n"));
        return (Parsed::default(), vec![HcpcsFileError::NoRecord { line }]);
    }
    let mut parsed = assemble(done);
    parsed.records = records;
    parsed.preamble = preamble;
    (parsed, errors)
}

enum Step {
    New(Pending),
    Continue(String),
}

fn read_record(
    bytes: &[u8],
    line: usize,
    done: &[Pending],
    current: Option<usize>,
    seen: &mut std::collections::HashMap<(bool, Vec<u8>), usize>,
) -> Result<Step, HcpcsFileError> {
    if bytes.len() < MIN_RECORD_LEN {
        return Err(HcpcsFileError::ShortLine {
            line,
            len: bytes.len(),
            min: MIN_RECORD_LEN,
        });
    }
    if bytes.len() > RECORD_LEN {
        if let Some(last) = bytes.iter().rposition(|&b| !is_blank(b)) {
            if last >= RECORD_LEN {
                return Err(HcpcsFileError::LongLine {
                    line,
                    len: last + 1,
                    max: RECORD_LEN,
                });
            }
        }
    }
    let rec = Record { bytes, line };
    let (kind, first) = match bytes[MIN_RECORD_LEN - 1] {
        b'3' => (Kind::Code, true),
        b'4' => (Kind::Code, false),
        b'7' => (Kind::Modifier, true),
        b'8' => (Kind::Modifier, false),
        other => {
            return Err(HcpcsFileError::UnknownRecordId {
                line,
                found: cp1252_char(other),
            })
        }
    };
    let code_raw = trim_bytes(rec.field(Field::Code));
    let code: Vec<u8> = code_raw.to_ascii_uppercase();
    let (ok, expected) = match kind {
        Kind::Code => (
            is_hcpcs_code(&code),
            "a HCPCS code (a letter and four digits)",
        ),
        Kind::Modifier => (is_modifier(&code), "a modifier (two letters or digits)"),
    };
    if !ok {
        return Err(HcpcsFileError::BadCode {
            line,
            found: decode_cp1252(code_raw),
            expected,
        });
    }
    let chunk = rec.text(Field::LongTitle);
    if !first {
        return match current.map(|c| &done[c]) {
            Some(p) if p.kind == kind && p.code == code => Ok(Step::Continue(chunk)),
            _ => Err(HcpcsFileError::ContinuationWithoutFirst {
                line,
                code: String::from_utf8_lossy(&code).into_owned(),
            }),
        };
    }
    let (pricing, tos, betos) = match kind {
        Kind::Code => (rec.pricing()?, rec.tos()?, rec.betos()?),
        Kind::Modifier => ([b' '; 8], [b' '; 5], String::new()),
    };
    let coverage = rec.flag(Field::Coverage)?;
    let dates = (
        rec.date(Field::AddDate)?,
        rec.date(Field::ActionEffectiveDate)?,
        rec.date(Field::TerminationDate)?,
    );
    let action = rec.flag(Field::ActionCode)?;
    let short_title = rec.text(Field::ShortTitle);
    if let Some(&first_line) = seen.get(&(kind == Kind::Code, code.clone())) {
        return Err(HcpcsFileError::DuplicateCode {
            line,
            code: String::from_utf8_lossy(&code).into_owned(),
            first_line,
        });
    }
    seen.insert((kind == Kind::Code, code.clone()), line);
    Ok(Step::New(Pending {
        kind,
        code,
        chunks: vec![chunk],
        short_title,
        betos,
        pricing,
        tos,
        coverage,
        action,
        dates,
    }))
}

/// Appends `s` to the text blob and returns its span.
pub fn push(text: &mut String, s: &str) -> Span {
    let start = text.len() as u32;
    text.push_str(s);
    (start, text.len() as u32)
}

/// Up to five one-character type-of-service codes, blanks skipped, packed
/// first and padded with spaces; `None` if one is not a letter or digit.
pub fn tos_codes(raw: impl IntoIterator<Item = u8>) -> Option<[u8; 5]> {
    let mut out = [b' '; 5];
    let mut n = 0;
    for b in raw {
        if b == b' ' {
            continue;
        }
        if !b.is_ascii_alphanumeric() || n == out.len() {
            return None;
        }
        out[n] = b.to_ascii_uppercase();
        n += 1;
    }
    Some(out)
}

/// One code or modifier with all its fields, however it was read (the
/// fixed-width file, CMS's workbook, or the data crate's `data/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// True for a modifier, false for a code.
    pub modifier: bool,
    /// The code or modifier, upper case (checked by whoever builds the entry).
    pub code: Vec<u8>,
    /// Long title.
    pub title: String,
    /// Short title.
    pub short_title: String,
    /// BETOS code (codes only).
    pub betos: String,
    /// Pricing indicators as in [`CodeRow::pricing`] (codes only).
    pub pricing: [u8; 8],
    /// Type-of-service codes as in [`CodeRow::tos`] (codes only).
    pub tos: [u8; 5],
    /// Coverage code (0 = blank).
    pub coverage: u8,
    /// Action code (0 = blank).
    pub action: u8,
    /// Add, action effective and termination dates (0 = blank).
    pub dates: (u32, u32, u32),
}

/// Text fields of one workbook row or the data crate's `data/` row, before checking.
#[derive(Debug, Clone, Default)]
pub struct Fields<'a> {
    /// The code or modifier (surrounding blanks allowed).
    pub code: &'a str,
    /// Long title.
    pub title: &'a str,
    /// Short title.
    pub short_title: &'a str,
    /// Add date, `yyyymmdd` or blank.
    pub added: &'a str,
    /// Action effective date.
    pub effective: &'a str,
    /// Termination date.
    pub terminated: &'a str,
    /// Action code.
    pub action: &'a str,
    /// Coverage code.
    pub coverage: &'a str,
    /// BETOS code.
    pub betos: &'a str,
    /// Type-of-service codes, one per element (blanks skipped).
    pub tos: Vec<&'a str>,
    /// Pricing indicators, one per element (blanks skipped).
    pub pricing: Vec<&'a str>,
}

impl Fields<'_> {
    /// Checks the fields as the fixed-width reader checks its columns; errors
    /// name `line` (a workbook row, a table line) and the field.
    pub fn check(&self, line: usize, modifier: bool) -> Result<Entry, HcpcsFileError> {
        let bad = |field: Field, found: &str| HcpcsFileError::BadField {
            line,
            field,
            found: found.to_owned(),
        };
        let code = self.code.trim().as_bytes().to_ascii_uppercase();
        let (ok, expected) = if modifier {
            (is_modifier(&code), "a modifier (two letters or digits)")
        } else {
            (
                is_hcpcs_code(&code),
                "a HCPCS code (a letter and four digits)",
            )
        };
        if !ok {
            return Err(HcpcsFileError::BadCode {
                line,
                found: self.code.trim().to_owned(),
                expected,
            });
        }
        let date = |field: Field, s: &str| -> Result<u32, HcpcsFileError> {
            let t = s.trim();
            if t.is_empty() {
                return Ok(0);
            }
            let v = t.parse::<u32>().ok().filter(|&v| {
                t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) && is_calendar_date(v)
            });
            v.ok_or_else(|| HcpcsFileError::BadDate {
                line,
                field,
                found: t.to_owned(),
            })
        };
        let flag = |field: Field, s: &str| -> Result<u8, HcpcsFileError> {
            match s.trim().as_bytes() {
                [] => Ok(0),
                [c] if c.is_ascii_alphanumeric() => Ok(c.to_ascii_uppercase()),
                _ => Err(bad(field, s)),
            }
        };
        let betos = self.betos.trim();
        if betos.len() > 3 || !betos.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad(Field::Betos, self.betos));
        }
        let mut pricing = [b' '; 8];
        let mut n = 0;
        for p in self
            .pricing
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) || n == 4 {
                return Err(bad(Field::PricingIndicator, p));
            }
            pricing[2 * n..2 * n + 2].copy_from_slice(&p.as_bytes().to_ascii_uppercase());
            n += 1;
        }
        let mut tos_bytes = Vec::new();
        for t in self.tos.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if t.len() != 1 {
                return Err(bad(Field::TypeOfService, t));
            }
            tos_bytes.push(t.as_bytes()[0]);
        }
        let tos =
            tos_codes(tos_bytes).ok_or_else(|| bad(Field::TypeOfService, &self.tos.join(",")))?;
        if modifier && (!betos.is_empty() || n > 0 || tos != [b' '; 5]) {
            return Err(bad(
                Field::Betos,
                "BETOS, pricing or type of service on a modifier",
            ));
        }
        Ok(Entry {
            modifier,
            code,
            title: self.title.trim().to_owned(),
            short_title: self.short_title.trim().to_owned(),
            betos: betos.to_ascii_uppercase(),
            pricing,
            tos,
            coverage: flag(Field::Coverage, self.coverage)?,
            action: flag(Field::ActionCode, self.action)?,
            dates: (
                date(Field::AddDate, self.added)?,
                date(Field::ActionEffectiveDate, self.effective)?,
                date(Field::TerminationDate, self.terminated)?,
            ),
        })
    }
}

fn assemble(done: Vec<Pending>) -> Parsed {
    assemble_entries(
        done.into_iter()
            .map(|p| {
                let title: Vec<&str> = p
                    .chunks
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !c.is_empty())
                    .collect();
                Entry {
                    modifier: p.kind == Kind::Modifier,
                    title: title.join(" "),
                    code: p.code,
                    short_title: p.short_title,
                    betos: p.betos,
                    pricing: p.pricing,
                    tos: p.tos,
                    coverage: p.coverage,
                    action: p.action,
                    dates: p.dates,
                }
            })
            .collect(),
    )
}

/// The table of a list of entries: codes and modifiers sorted, text in one
/// blob. Duplicates are the caller's to refuse.
pub fn assemble_entries(mut entries: Vec<Entry>) -> Parsed {
    entries.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = Parsed::default();
    for p in &entries {
        let title = push(&mut out.text, &p.title);
        let short_title = push(&mut out.text, &p.short_title);
        let key = pack(&p.code);
        let (added, effective, terminated) = p.dates;
        if p.modifier {
            out.modifiers.push(ModifierRow {
                key,
                title,
                short_title,
                coverage: p.coverage,
                action: p.action,
                added,
                effective,
                terminated,
            });
        } else {
            let betos = push(&mut out.text, &p.betos);
            out.codes.push(CodeRow {
                key,
                title,
                short_title,
                betos,
                pricing: p.pricing,
                tos: p.tos,
                coverage: p.coverage,
                action: p.action,
                added,
                effective,
                terminated,
            });
        }
    }
    out
}

/// The quarter of a release, `(first day, last day)` as `yyyymmdd`: from the
/// file name when it names one (`HCPC2026_JAN_…`, `HCPC2025_OCT_…`; an
/// annual file `HCPC2020_ANWEB…` is the January quarter), else the quarter
/// of the latest add or action effective date in the file.
pub fn quarter(name: Option<&str>, parsed: &Parsed) -> (u32, u32) {
    let of_month = |year: u32, month: u32| {
        let first = (month - 1) / 3 * 3 + 1;
        let last = first + 2;
        let last_day = if last == 3 || last == 12 { 31 } else { 30 };
        (
            year * 10_000 + first * 100 + 1,
            year * 10_000 + last * 100 + last_day,
        )
    };
    if let Some(name) = name {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let upper = base.to_ascii_uppercase();
        if let Some(rest) = upper.strip_prefix("HCPC") {
            let year = rest
                .get(..4)
                .filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
            if let Some(year) = year.and_then(|y| y.parse::<u32>().ok()) {
                let month = match rest.get(4..9) {
                    Some("_JAN_") => Some(1),
                    Some("_APR_") => Some(4),
                    Some("_JUL_") => Some(7),
                    Some("_OCT_") => Some(10),
                    _ if rest.get(4..10) == Some("_ANWEB") => Some(1),
                    _ => None,
                };
                if let Some(m) = month {
                    return of_month(year, m);
                }
            }
        }
    }
    let latest = parsed
        .codes
        .iter()
        .flat_map(|r| [r.added, r.effective])
        .chain(parsed.modifiers.iter().flat_map(|r| [r.added, r.effective]))
        .max()
        .unwrap_or(0);
    if latest == 0 {
        return (0, 0);
    }
    of_month(latest / 10_000, latest / 100 % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(code: &str, id: u8, long: &str) -> Vec<u8> {
        let mut r = vec![b' '; RECORD_LEN];
        r[..code.len()].copy_from_slice(code.as_bytes());
        r[5..10].copy_from_slice(b"00100");
        r[10] = id;
        r[11..11 + long.len()].copy_from_slice(long.as_bytes());
        r
    }

    #[test]
    fn cp1252_table() {
        assert_eq!(cp1252_char(0x80), '€');
        assert_eq!(cp1252_char(0x92), '\u{2019}');
        assert_eq!(cp1252_char(0x96), '–');
        assert_eq!(cp1252_char(0x9F), 'Ÿ');
        assert_eq!(cp1252_char(0x81), '\u{81}');
        assert_eq!(cp1252_char(0xE9), 'é');
        assert_eq!(cp1252_char(b'A'), 'A');
    }

    #[test]
    fn continued_title_is_joined() {
        let mut file = record("E0114", b'3', "TEST LONG TITLE PART ONE   ");
        file.push(b'\n');
        file.extend(record("E0114", b'4', "   PART TWO"));
        let (p, errors) = parse(&file, false);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(p.codes.len(), 1);
        assert_eq!(p.str(p.codes[0].title), "TEST LONG TITLE PART ONE PART TWO");
    }
}
