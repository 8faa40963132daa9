//! CDC's ICD-10-CM conversion tables: for each code new since FY2017, the
//! date it took effect and the code(s) previously assigned to its meaning.
//! Read with `calamine` (xlsx) and a small CSV splitter (the FY2020 table).

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::io::Cursor;

use anyhow::{bail, ensure, Context, Result};
use calamine::{Data, Reader, Xlsx};

use crate::cms::{latin1, Cms};
use crate::pcs::split_csv;

/// The tables, oldest first (a newer table's row for a code wins).
pub const TABLES: [&str; 12] = [
    "conversion/ICD-10-CM_ConversionTable-FY17.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY18-Effective-10-1-2017.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY19-Effective-10-1-2018_FINAL.XLSX",
    "conversion/ICD-10-CM-Conversion-Table-FY20-Effective-10-1-2019-corrected.csv",
    "conversion/ICD-10-CM-Conversion-Table-FY2021-Jan-2021.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY2022-Effective-10-1-2021-updated-08-24-2021.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY2022-Effective-04-01-2022.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY2023-Effective-10-01-2022.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY2023-Effective-04-01-2023.xlsx",
    "conversion/ICD-10-CM-Conversion-Table-FY2024-Effective-10-01-2023-Final-updated-9-21-2023.xlsx",
    "conversion/icd-10-cm-conversion-table-FY2025.xlsx",
    "conversion/ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx",
];

/// One row: a current code, when it took effect, what was used before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub effective: i32,
    /// As CDC wrote it (whitespace collapsed); `None` where CDC says none.
    pub previous_text: String,
    /// The references parsed from it, undotted: a code (`E119`, that code
    /// only), a category and all below it (`I63-`, from CDC's `I63.-` or
    /// `R11-`), or a range `FIRST-LAST` (each end with all below it).
    pub refs: Vec<String>,
}

/// Cells of a row as text (dates become `yyyymmdd`, whole numbers digits).
fn cell_text(c: &Data) -> Result<String> {
    Ok(match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => {
            let serial = d.as_f64();
            ensure!(serial.fract() == 0.0 && serial > 60.0, "date cell {d:?}");
            excel_date(serial as i64).to_string()
        }
        other => bail!("unexpected cell {other:?}"),
    })
}

/// An Excel date serial (days since 1899-12-30, 1900 system) as `yyyymmdd`.
fn excel_date(serial: i64) -> i32 {
    // Days since 1970-01-01, then the civil-from-days algorithm.
    let z = serial - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y * 10_000 + m * 100 + d) as i32
}

/// The effective date from the cell: a year, meaning October 1 of that year
/// (the tables' "Effective October 1" column: `2017` → 2017-10-01), or a
/// date (`yyyymmdd`, the mid-year updates).
fn effective(cell: &str, what: &str) -> Result<i32> {
    let t = cell.trim();
    ensure!(
        !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()),
        "{what}: effective {cell:?}"
    );
    let n: i32 = t.parse()?;
    match t.len() {
        4 => Ok(n * 10_000 + 1001),
        8 => Ok(n),
        _ => bail!("{what}: effective {cell:?}"),
    }
}

/// An ICD-10-CM code token: letter, digit or letter, digit or letter, then
/// optionally `.` and up to 4 characters. Returns its undotted form.
fn code_at(s: &[u8], i: usize) -> Option<(usize, String)> {
    let is_an = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    if i + 3 > s.len()
        || !s[i].is_ascii_uppercase()
        || !is_an(s[i + 1])
        || !is_an(s[i + 2])
        || !(s[i + 1].is_ascii_digit() || s[i + 2].is_ascii_digit())
    {
        return None;
    }
    if i > 0 && is_an(s[i - 1]) {
        return None;
    }
    let mut code = String::from_utf8_lossy(&s[i..i + 3]).into_owned();
    let mut j = i + 3;
    if j < s.len() && s[j] == b'.' && j + 1 < s.len() && is_an(s[j + 1]) {
        j += 1;
        while j < s.len() && is_an(s[j]) && code.len() < 7 {
            code.push(s[j] as char);
            j += 1;
        }
    }
    if j < s.len() && is_an(s[j]) {
        return None;
    }
    Some((j, code))
}

/// Parses CDC's "Previous Code(s) Assignment" text into references, and
/// checks that nothing but separators and the known wording is left.
pub fn parse_previous(text: &str, what: &str) -> Result<Vec<String>> {
    let s = text.as_bytes();
    let mut refs = Vec::new();
    let mut rest = String::new();
    let mut i = 0;
    while i < s.len() {
        let Some((j, first)) = code_at(s, i) else {
            rest.push(s[i] as char);
            i += 1;
            continue;
        };
        let mut k = j;
        // "I63.-" / "R11-": the category and everything below.
        if text[k..].starts_with(".-") {
            k += 2;
            refs.push(format!("{first}-"));
            i = k;
            continue;
        }
        let after = text[k..].trim_start_matches(' ');
        if let Some(r) = after.strip_prefix('-') {
            let off = text.len() - r.len();
            let r2 = r.trim_start_matches(' ');
            let off2 = text.len() - r2.len();
            if let Some((e, last)) = code_at(s, off2) {
                refs.push(format!("{first}-{last}"));
                i = e;
                continue;
            }
            refs.push(format!("{first}-"));
            i = off;
            continue;
        }
        refs.push(first);
        i = k;
    }
    let mut words = rest.replace([',', ';', '&', '(', ')'], " ");
    for w in [
        "Codes in Categories",
        "Code from categories",
        "a code from",
        "and",
        "AND",
        "None",
        "or",
    ] {
        words = words.replace(w, " ");
    }
    ensure!(
        words.trim().is_empty(),
        "{what}: previous assignment {text:?}: cannot read {:?}",
        words.trim()
    );
    Ok(refs)
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns the cells of the data rows (after the header row) into rows.
fn rows_from(cells: Vec<Vec<String>>, what: &str) -> Result<Vec<Row>> {
    let header = cells
        .iter()
        .position(|r| {
            r.first()
                .is_some_and(|c| c.trim() == "Current code assignment")
        })
        .with_context(|| format!("{what}: no \"Current code assignment\" header row"))?;
    let mut out = Vec::new();
    for (n, r) in cells.iter().enumerate().skip(header + 1) {
        let w = format!("{what} row {}", n + 1);
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        ensure!(r.len() >= 3, "{w}: {} cells", r.len());
        let code = crate::cms::undot(&r[0], &w)?;
        let effective = effective(&r[1], &w)?;
        let previous_text = normalize(&r[2]);
        ensure!(!previous_text.is_empty(), "{w}: no previous assignment");
        let refs = parse_previous(&previous_text, &w)?;
        ensure!(
            !refs.is_empty() || previous_text == "None",
            "{w}: no code in {previous_text:?}"
        );
        out.push(Row {
            code,
            effective,
            previous_text,
            refs,
        });
    }
    ensure!(!out.is_empty(), "{what}: no rows");
    Ok(out)
}

/// Reads one table.
pub fn read(cms: &Cms, path: &str) -> Result<Vec<Row>> {
    let bytes = cms.read(path)?;
    let cells: Vec<Vec<String>> = if path.ends_with(".csv") {
        let text = latin1(&bytes);
        // The first cell is a quoted note spanning lines: read from the header on.
        let start = text
            .find("Current code assignment")
            .with_context(|| format!("{path}: no header row"))?;
        text[start..]
            .lines()
            .map(|l| split_csv(l).with_context(|| format!("{path}: {l:?}")))
            .collect::<Result<_>>()?
    } else {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .with_context(|| format!("{path}: not an xlsx workbook"))?;
        let names = wb.sheet_names();
        ensure!(names.len() == 1, "{path}: {} sheets", names.len());
        let range = wb
            .worksheet_range(&names[0])
            .with_context(|| format!("{path}: reading sheet {}", names[0]))?;
        range
            .rows()
            .map(|r| r.iter().map(cell_text).collect::<Result<Vec<_>>>())
            .collect::<Result<_>>()
            .with_context(|| format!("{path}: cells"))?
    };
    rows_from(cells, path)
}

/// All tables merged: per code, the newest table's row; and the codes whose
/// rows differ between tables (corrections), with how.
pub fn merge(tables: &[Vec<Row>]) -> (BTreeMap<String, Row>, Vec<String>) {
    let mut out: BTreeMap<String, Row> = BTreeMap::new();
    let mut changed = Vec::new();
    for t in tables {
        for r in t {
            if let Some(old) = out.get(&r.code) {
                if old != r {
                    changed.push(format!(
                        "{}: {} {:?} -> {} {:?}",
                        r.code, old.effective, old.previous_text, r.effective, r.previous_text
                    ));
                }
            }
            out.insert(r.code.clone(), r.clone());
        }
    }
    changed.sort();
    changed.dedup();
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_assignments() {
        let p = |s: &str| parse_previous(s, "t").unwrap();
        assert_eq!(p("A04.7"), ["A047"]);
        assert_eq!(p("C50.919, C50.929"), ["C50919", "C50929"]);
        assert_eq!(p("C56.1 and C56.2"), ["C561", "C562"]);
        assert_eq!(p("H02.101-H02.106; H02.109"), ["H02101-H02106", "H02109"]);
        assert_eq!(p("Codes in Categories T15-T19"), ["T15-T19"]);
        assert_eq!(p("I63.- and P91.88"), ["I63-", "P9188"]);
        assert_eq!(p("K31.89 and a code from R11-"), ["K3189", "R11-"]);
        assert_eq!(p("J68.0, J80, J84.114"), ["J680", "J80", "J84114"]);
        assert!(p("None").is_empty());
        assert!(parse_previous("see chapter 19", "t").is_err());
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(44197), 20210101);
        assert_eq!(excel_date(45017), 20230401);
        assert_eq!(excel_date(43922), 20200401);
    }

    #[test]
    fn effective_dates() {
        assert_eq!(effective("2017", "t").unwrap(), 20171001);
        assert_eq!(effective("20210101", "t").unwrap(), 20210101);
        assert!(effective("FY17", "t").is_err());
    }
}
