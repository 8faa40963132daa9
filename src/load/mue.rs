//! Medically Unlikely Edit (MUE) tables, as CMS publishes them.

use super::edit_text::{self, EditLineError, EditLoadError, ProcedureCode};
use super::{LoadOptions, Loaded};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// The MUE adjudication indicator (MAI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjudication {
    /// `1`: a claim line edit (units on one line).
    Line,
    /// `2`: a date-of-service edit, absolute (policy).
    DatePolicy,
    /// `3`: a date-of-service edit (clinical).
    DateClinical,
}

impl Adjudication {
    /// True for the date-of-service edits (MAI 2 and 3): units of every line
    /// of the code on the date add up.
    pub fn per_date(self) -> bool {
        !matches!(self, Adjudication::Line)
    }
}

/// One MUE: the most units of `code` a provider would report for one
/// patient on one line (MAI 1) or one date of service (MAI 2, 3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MueEntry {
    /// The code.
    pub code: ProcedureCode,
    /// The MUE value (units).
    pub value: u32,
    /// The adjudication indicator.
    pub adjudication: Adjudication,
    /// The rationale column (may be empty).
    pub rationale: String,
}

/// An MUE table loaded from CMS's files.
///
/// # Layout
///
/// CMS publishes MUE tables for practitioner services, outpatient hospital
/// services and DME suppliers every quarter (CSV and spreadsheet). Lines
/// before the first record (copyright notice, headings) are skipped; a record
/// is any line whose first field is a CPT or HCPCS code, with fields
/// separated by tabs or by commas (optionally double-quoted):
///
/// | # | column | read as |
/// |---|---|---|
/// | 1 | HCPCS/CPT Code | code |
/// | 2 | … Services MUE Values | whole number of units |
/// | 3 | MUE Adjudication Indicator | first character `1`, `2` or `3` (`"2 Date of Service Edit: Policy"`) |
/// | 4 | MUE Rationale | text, optional |
///
/// A code listed twice keeps its last record.
///
/// # Files refused whole
///
/// CMS's `.zip` is read as shipped (feature `zip`, on by default: the one
/// `.txt`, `.csv` or `.tsv` table inside). A file is refused, in strict and
/// lenient mode alike, never loaded as an empty table: no record in it
/// ([`EditLoadError::NoRecord`]), headings before the first record that are
/// not this table's ([`EditLoadError::UnrecognisedHeader`], such as a PTP table given as an MUE table),
/// binary content ([`EditLoadError::Binary`]), an archive without one table
/// ([`EditLoadError::Zip`]), or no good line at all (the first bad line's
/// error).
///
/// ```
/// use medcode::load::{EditLoadError, MueTable};
/// assert!(matches!(MueTable::from_reader(&b"no table here\n"[..]), Err(EditLoadError::NoRecord { lines: 1, .. })));
/// assert!(matches!(MueTable::from_reader(&b"\x00\x01"[..]), Err(EditLoadError::Binary { line: 1, byte: 0 })));
/// let wrong = std::fs::read("tests/fixtures/ncci_ptp_practitioner.txt").unwrap();
/// assert!(matches!(MueTable::from_reader(&wrong[..]), Err(EditLoadError::UnrecognisedHeader { .. })));
/// ```
///
/// ```
/// use medcode::load::{Adjudication, MueTable, ProcedureCode};
/// let t = MueTable::load("tests/fixtures/mue_practitioner.csv")?;
/// let e = t.get(ProcedureCode::parse("20610").unwrap()).unwrap();
/// assert_eq!((e.value, e.adjudication), (1, Adjudication::DateClinical));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MueTable {
    entries: HashMap<ProcedureCode, MueEntry>,
}

impl MueTable {
    /// Reads a file strictly.
    pub fn load(path: impl AsRef<Path>) -> Result<MueTable, EditLoadError> {
        Self::load_with(path, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads a file with options.
    pub fn load_with(
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<Loaded<MueTable, EditLineError>, EditLoadError> {
        Self::parse(&edit_text::read_path(path.as_ref())?, options)
    }

    /// Reads from any reader, strictly.
    pub fn from_reader(reader: impl Read) -> Result<MueTable, EditLoadError> {
        Self::from_reader_with(reader, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads from any reader with options.
    pub fn from_reader_with(
        reader: impl Read,
        options: LoadOptions,
    ) -> Result<Loaded<MueTable, EditLineError>, EditLoadError> {
        Self::parse(&edit_text::read_all(reader)?, options)
    }

    fn parse(
        bytes: &[u8],
        options: LoadOptions,
    ) -> Result<Loaded<MueTable, EditLineError>, EditLoadError> {
        let text = edit_text::decode(bytes);
        let mut table = MueTable::default();
        let mut errors = Vec::new();
        let mut started = false;
        let mut preamble = edit_text::Preamble::new(&MUE);
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
                Ok(e) => {
                    table.entries.insert(e.code, e);
                }
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

    /// Adds the entries of another file (later entries win).
    pub fn extend(&mut self, other: MueTable) {
        self.entries.extend(other.entries);
    }

    /// The MUE of a code, if the table has one.
    pub fn get(&self, code: ProcedureCode) -> Option<&MueEntry> {
        self.entries.get(&code)
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the table holds no code.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

static MUE: edit_text::TableKind = edit_text::TableKind {
    name: "MUE",
    record: "MUE records (HCPCS/CPT code, MUE value, adjudication indicator, rationale), comma- or tab-separated",
    headings: "the MUE headings (HCPCS/CPT Code, … MUE Values, MUE Adjudication Indicator, MUE Rationale)",
    recognises: |l| l.to_ascii_lowercase().contains("mue"),
};

fn record(l: &str, n: usize) -> Result<MueEntry, EditLineError> {
    let f = edit_text::fields(l, n)?;
    edit_text::need(&f, 3, n)?;
    let code = edit_text::code(&f, 0, n, "HCPCS/CPT Code")?;
    let value = f[1]
        .trim()
        .parse::<u32>()
        .map_err(|_| EditLineError::BadField {
            line: n,
            column: "MUE Value",
            found: f[1].clone(),
            expected: "a whole number of units",
        })?;
    let adjudication = match f[2].trim().chars().next() {
        Some('1') => Adjudication::Line,
        Some('2') => Adjudication::DatePolicy,
        Some('3') => Adjudication::DateClinical,
        _ => {
            return Err(EditLineError::BadField {
                line: n,
                column: "MUE Adjudication Indicator",
                found: f[2].clone(),
                expected: "an adjudication indicator (1, 2 or 3)",
            })
        }
    };
    Ok(MueEntry {
        code,
        value,
        adjudication,
        rationale: f.get(3).cloned().unwrap_or_default(),
    })
}
