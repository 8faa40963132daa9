//! NCCI add-on code (AOC) edit lists, as CMS publishes them.

use super::edit_text::{self, EditLineError, EditLoadError, ProcedureCode};
use super::{LoadOptions, Loaded};
use crate::date::Date;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// One add-on code with the primary codes it may be billed with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AddonEntry {
    /// The add-on code.
    pub code: ProcedureCode,
    /// The AOC edit type: 1 (only the listed primaries), 2 (no primary list:
    /// the contractor decides), 3 (the listed primaries and possibly others).
    pub edit_type: u8,
    /// The primary codes with the span in which each pairing is in effect
    /// (`from`, `to`; `None` = open).
    pub primaries: Vec<(ProcedureCode, Option<Date>, Option<Date>)>,
}

impl AddonEntry {
    /// The primaries in effect on `date`.
    pub fn primaries_on(&self, date: Date) -> impl Iterator<Item = ProcedureCode> + '_ {
        self.primaries
            .iter()
            .filter(move |(_, from, to)| {
                from.is_none_or(|f| f <= date) && to.is_none_or(|t| date <= t)
            })
            .map(|p| p.0)
    }
}

/// Column positions of an AOC file (0-based).
#[derive(Debug, Clone, Copy)]
struct Columns {
    addon: usize,
    addon_from: Option<usize>,
    addon_to: Option<usize>,
    primary: usize,
    primary_from: Option<usize>,
    primary_to: Option<usize>,
    edit_type: usize,
}

const DEFAULT_COLUMNS: Columns = Columns {
    addon: 0,
    addon_from: Some(1),
    addon_to: Some(2),
    primary: 3,
    primary_from: Some(4),
    primary_to: Some(5),
    edit_type: 6,
};

/// Reads a heading line into column positions, if it names the add-on code,
/// primary code and type columns.
fn columns_from_heading(l: &str) -> Option<Columns> {
    let f = edit_text::fields(l, 0).ok()?;
    let names: Vec<String> = f
        .iter()
        .map(|s| s.to_ascii_lowercase().replace('-', " "))
        .collect();
    let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
    let is_addon = |n: &str| n.contains("add on") || n.contains("addon") || n.starts_with("aoc");
    let addon =
        find(&|n| is_addon(n) && n.contains("code") && !n.contains("date") && !n.contains("type"))?;
    let primary = find(&|n| n.contains("primary") && !n.contains("date"))?;
    let edit_type = find(&|n| n.contains("type"))?;
    Some(Columns {
        addon,
        addon_from: find(&|n| is_addon(n) && n.contains("effective")),
        addon_to: find(&|n| is_addon(n) && n.contains("deletion")),
        primary,
        primary_from: find(&|n| n.contains("primary") && n.contains("effective")),
        primary_to: find(&|n| n.contains("primary") && n.contains("deletion")),
        edit_type,
    })
}

/// The NCCI add-on code list loaded from CMS's file.
///
/// # Layout
///
/// CMS publishes the add-on code edits quarterly as one row per add-on/primary
/// pair. Lines before the first record (notices) are skipped; when one of
/// them is a heading naming the add-on code, primary code and edit type
/// columns, the columns are taken from it (so column order does not matter).
/// Without such a heading the columns are, in this order (tab- or
/// comma-separated):
///
/// | # | column | read as |
/// |---|---|---|
/// | 1 | Add-On Code | code |
/// | 2 | Add-On Code Effective Date | `yyyymmdd`, optional |
/// | 3 | Add-On Code Deletion Date | `yyyymmdd`, `*` or blank |
/// | 4 | Primary Code | code; for type 2 anything else (such as `CCCCC`) means "no list" |
/// | 5 | Primary Code Effective Date | `yyyymmdd`, optional |
/// | 6 | Primary Code Deletion Date | `yyyymmdd`, `*` or blank |
/// | 7 | AOC Edit Type | `1`, `2` or `3` |
///
/// A pairing is in effect from the later of the two effective dates through
/// the earlier of the two deletion dates.
///
/// # Files refused whole
///
/// CMS's `.zip` is read as shipped (feature `zip`, on by default: the one
/// `.txt`, `.csv` or `.tsv` table inside). A file is refused, in strict and
/// lenient mode alike, never loaded as an empty table: no record in it
/// ([`EditLoadError::NoRecord`]), headings before the first record that are
/// not this table's ([`EditLoadError::UnrecognisedHeader`], such as a PTP table given as the add-on code list),
/// binary content ([`EditLoadError::Binary`]), an archive without one table
/// ([`EditLoadError::Zip`]), or no good line at all (the first bad line's
/// error).
///
/// ```
/// use medcode::load::{EditLoadError, AddonTable};
/// assert!(matches!(AddonTable::from_reader(&b"no table here\n"[..]), Err(EditLoadError::NoRecord { lines: 1, .. })));
/// assert!(matches!(AddonTable::from_reader(&b"\x00\x01"[..]), Err(EditLoadError::Binary { line: 1, byte: 0 })));
/// let wrong = std::fs::read("tests/fixtures/ncci_ptp_practitioner.txt").unwrap();
/// assert!(matches!(AddonTable::from_reader(&wrong[..]), Err(EditLoadError::UnrecognisedHeader { .. })));
/// ```
///
/// ```
/// use medcode::load::{AddonTable, ProcedureCode};
/// let t = AddonTable::load("tests/fixtures/addon_codes.txt")?;
/// let e = t.get(ProcedureCode::parse("11045").unwrap()).unwrap();
/// assert_eq!(e.edit_type, 1);
/// assert!(e.primaries_on("2025-06-01".parse()?).any(|p| p.to_string() == "11042"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct AddonTable {
    entries: HashMap<ProcedureCode, AddonEntry>,
}

impl AddonTable {
    /// Reads a file strictly.
    pub fn load(path: impl AsRef<Path>) -> Result<AddonTable, EditLoadError> {
        Self::load_with(path, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads a file with options.
    pub fn load_with(
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<Loaded<AddonTable, EditLineError>, EditLoadError> {
        Self::parse(&edit_text::read_path(path.as_ref())?, options)
    }

    /// Reads from any reader, strictly.
    pub fn from_reader(reader: impl Read) -> Result<AddonTable, EditLoadError> {
        Self::from_reader_with(reader, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads from any reader with options.
    pub fn from_reader_with(
        reader: impl Read,
        options: LoadOptions,
    ) -> Result<Loaded<AddonTable, EditLineError>, EditLoadError> {
        Self::parse(&edit_text::read_all(reader)?, options)
    }

    fn parse(
        bytes: &[u8],
        options: LoadOptions,
    ) -> Result<Loaded<AddonTable, EditLineError>, EditLoadError> {
        let text = edit_text::decode(bytes);
        let mut table = AddonTable::default();
        let mut errors = Vec::new();
        let mut started = false;
        let mut cols = DEFAULT_COLUMNS;
        let mut preamble = edit_text::Preamble::new(&ADDON);
        for (n, l) in edit_text::lines(&text) {
            if !started {
                if !edit_text::starts_with_code(l) {
                    if let Some(c) = columns_from_heading(l) {
                        cols = c;
                    }
                    preamble.line(n, l);
                    continue;
                }
                preamble.check()?;
                started = true;
            }
            match record(l, n, cols) {
                Ok((code, edit_type, primary)) => {
                    let e = table.entries.entry(code).or_insert_with(|| AddonEntry {
                        code,
                        edit_type,
                        primaries: Vec::new(),
                    });
                    e.edit_type = edit_type;
                    if let Some(p) = primary {
                        e.primaries.push(p);
                    }
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

    /// The entry of an add-on code, if it is one.
    pub fn get(&self, code: ProcedureCode) -> Option<&AddonEntry> {
        self.entries.get(&code)
    }

    /// Adds the entries of another file.
    pub fn extend(&mut self, other: AddonTable) {
        for (k, v) in other.entries {
            match self.entries.get_mut(&k) {
                Some(e) => e.primaries.extend(v.primaries),
                None => {
                    self.entries.insert(k, v);
                }
            }
        }
    }

    /// Number of add-on codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the table holds no code.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

static ADDON: edit_text::TableKind = edit_text::TableKind {
    name: "add-on code",
    record: "add-on code records (Add-On Code, dates, Primary Code, dates, AOC Edit Type), tab- or comma-separated",
    headings: "the add-on code headings (Add-On Code, Primary Code, AOC Edit Type, …)",
    recognises: |l| columns_from_heading(l).is_some(),
};

type Pairing = (ProcedureCode, Option<Date>, Option<Date>);

fn record(
    l: &str,
    n: usize,
    c: Columns,
) -> Result<(ProcedureCode, u8, Option<Pairing>), EditLineError> {
    let f = edit_text::fields(l, n)?;
    let need = [Some(c.addon), Some(c.primary), Some(c.edit_type)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
        + 1;
    edit_text::need(&f, need, n)?;
    let code = edit_text::code(&f, c.addon, n, "Add-On Code")?;
    let t = f[c.edit_type].trim();
    let edit_type = match t.trim_start_matches("Type").trim() {
        "1" | "I" => 1,
        "2" | "II" => 2,
        "3" | "III" => 3,
        _ => {
            return Err(EditLineError::BadField {
                line: n,
                column: "AOC Edit Type",
                found: t.to_owned(),
                expected: "an AOC edit type (1, 2 or 3)",
            })
        }
    };
    let opt_date = |i: Option<usize>, column| match i {
        Some(i) if i < f.len() => edit_text::date(&f, i, n, column, true),
        _ => Ok(None),
    };
    let a_from = opt_date(c.addon_from, "Add-On Code Effective Date")?;
    let a_to = opt_date(c.addon_to, "Add-On Code Deletion Date")?;
    let primary = match ProcedureCode::parse(&f[c.primary]) {
        Some(p) => p,
        None if edit_type == 2 => return Ok((code, edit_type, None)),
        None => {
            return Err(EditLineError::BadCode {
                line: n,
                column: "Primary Code",
                found: f[c.primary].clone(),
            })
        }
    };
    let p_from = opt_date(c.primary_from, "Primary Code Effective Date")?;
    let p_to = opt_date(c.primary_to, "Primary Code Deletion Date")?;
    let from = a_from.max(p_from);
    let to = match (a_to, p_to) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Ok((code, edit_type, Some((primary, from, to))))
}
