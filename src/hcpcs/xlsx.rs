//! CMS's HCPCS workbook (`HCPC<year>_<MON>_ANWEB.xlsx`, feature `xlsx`): one
//! sheet, a heading row, one row per code (`RECID` 3) or modifier
//! (`RECID` 7) with the long description whole. Read with `calamine`;
//! columns found by their headings; each row checked as the fixed-width
//! reader checks its columns (errors name the sheet row as the line).

use calamine::{Data, Reader, Xlsx};
use medcode_base::hcpcs_file::{assemble_entries, Fields, HcpcsFileError, Parsed};
use std::collections::HashMap;

fn cell(c: Option<&Data>) -> String {
    match c {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) if f.fract() == 0.0 && *f >= 0.0 && *f < 1e15 => {
            format!("{}", *f as u64)
        }
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Reads the workbook: `Err` (a reason) when it is not a readable workbook
/// or lacks a heading; bad rows as errors (strict: the first only).
pub(crate) fn read(bytes: &[u8], lenient: bool) -> Result<(Parsed, Vec<HcpcsFileError>), String> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable Excel workbook: {e}"))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("the workbook has no sheet")?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| format!("sheet {sheet:?}: {e}"))?;
    let mut rows = range.rows();
    let heads: Vec<String> = rows
        .next()
        .ok_or("the workbook's sheet is empty")?
        .iter()
        .map(|c| cell(Some(c)).trim().to_ascii_uppercase())
        .collect();
    let col = |name: &str| -> Result<usize, String> {
        heads.iter().position(|h| h == name).ok_or_else(|| {
            format!("no column {name:?}: expected CMS's HCPCS workbook (HCPC, RECID, LONG DESCRIPTION, … ADD DT, TERM DT)")
        })
    };
    let c = [
        col("HCPC")?,
        col("RECID")?,
        col("LONG DESCRIPTION")?,
        col("SHORT DESCRIPTION")?,
        col("ADD DT")?,
        col("ACT EFF DT")?,
        col("TERM DT")?,
        col("ACTION CD")?,
        col("COV")?,
        col("BETOS")?,
    ];
    let tos: Vec<usize> = (1..=5)
        .filter_map(|i| col(&format!("TOS{i}")).ok())
        .collect();
    let price: Vec<usize> = (1..=4)
        .filter_map(|i| col(&format!("PRICE{i}")).ok())
        .collect();
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(bool, Vec<u8>), usize> = HashMap::new();
    for (i, r) in rows.enumerate() {
        let line = i + 2;
        let v: Vec<String> = c.iter().map(|&j| cell(r.get(j))).collect();
        let tos_v: Vec<String> = tos.iter().map(|&j| cell(r.get(j))).collect();
        let price_v: Vec<String> = price.iter().map(|&j| cell(r.get(j))).collect();
        if v[0].trim().is_empty() && v[1].trim().is_empty() {
            continue;
        }
        let modifier = match v[1].trim() {
            "3" => false,
            "7" => true,
            other => {
                errors.push(HcpcsFileError::UnknownRecordId {
                    line,
                    found: other.chars().next().unwrap_or(' '),
                });
                if !lenient {
                    break;
                }
                continue;
            }
        };
        let fields = Fields {
            code: &v[0],
            title: &v[2],
            short_title: &v[3],
            added: &v[4],
            effective: &v[5],
            terminated: &v[6],
            action: &v[7],
            coverage: &v[8],
            betos: &v[9],
            tos: tos_v.iter().map(String::as_str).collect(),
            pricing: price_v.iter().map(String::as_str).collect(),
        };
        let checked = fields.check(line, modifier).and_then(|e| {
            match seen.insert((modifier, e.code.clone()), line) {
                Some(first_line) => Err(HcpcsFileError::DuplicateCode {
                    line,
                    code: String::from_utf8_lossy(&e.code).into_owned(),
                    first_line,
                }),
                None => Ok(e),
            }
        });
        match checked {
            Ok(e) => entries.push(e),
            Err(e) => {
                errors.push(e);
                if !lenient {
                    break;
                }
            }
        }
    }
    if !lenient && !errors.is_empty() {
        return Ok((Parsed::default(), errors));
    }
    let records = entries.len();
    if records == 0 && errors.is_empty() {
        errors.push(HcpcsFileError::NoRecord {
            line: range.height(),
        });
    }
    let mut parsed = assemble_entries(entries);
    parsed.records = records;
    Ok((parsed, errors))
}
