//! HCPCS Level II from CMS's quarterly workbook (`HCPC<year>_<MON>_ANWEB.xlsx`,
//! one sheet, 48 columns, one row per record with the continuation records
//! folded in), read with `calamine`.
//!
//! The columns are found by their headings (`HCPC`, `RECID`, `LONG
//! DESCRIPTION`, …), so a reordered workbook still reads; a missing heading,
//! a record id other than 3 (code) or 7 (modifier), a code or modifier of the
//! wrong shape, a date that is not `yyyymmdd`, a duplicate, or counts other
//! than the release's pinned ones stop the refresh.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::io::Cursor;

use anyhow::{bail, ensure, Context, Result};
use calamine::{Data, Reader, Xlsx};

use crate::cms::Cms;

/// The bundled release: CMS's October 2025 quarterly workbook.
pub const WORKBOOK: &str = "hcpcs/HCPC2025_OCT_ANWEB.xlsx";
/// Codes (RECID 3) and modifiers (RECID 7) in it (../shared/cms/README.md).
pub const CODES: usize = 8_463;
pub const MODIFIERS: usize = 383;

/// One code or modifier: the fields kept (see docs/data-format.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub long: String,
    pub short: String,
    pub added: String,
    pub effective: String,
    pub terminated: String,
    pub action: String,
    pub coverage: String,
    pub betos: String,
    /// Type-of-service codes TOS1–TOS5, non-blank ones, comma-separated.
    pub tos: String,
    /// Pricing indicators PRICE1–PRICE4, non-blank ones, comma-separated.
    pub pricing: String,
}

/// The release read from the workbook.
pub struct Release {
    /// The workbook's file name.
    pub file: &'static str,
    /// First day of its quarter and last day (the horizon), `yyyymmdd`.
    pub effective: u32,
    pub horizon: u32,
    pub codes: BTreeMap<String, Row>,
    pub modifiers: BTreeMap<String, Row>,
}

/// The quarter a file name such as `HCPC2025_OCT_ANWEB.xlsx` names: its
/// first and last day.
fn quarter(name: &str) -> Result<(u32, u32)> {
    let upper = name.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("HCPC")
        .with_context(|| format!("{name}: not named HCPC<year>_<MON>_…"))?;
    let year: u32 = rest
        .get(..4)
        .and_then(|y| y.parse().ok())
        .with_context(|| format!("{name}: no year after HCPC"))?;
    let (first, last) = match rest.get(4..9) {
        Some("_JAN_") => (101, 331),
        Some("_APR_") => (401, 630),
        Some("_JUL_") => (701, 930),
        Some("_OCT_") => (1001, 1231),
        _ => bail!("{name}: no quarter (_JAN_, _APR_, _JUL_, _OCT_) after the year"),
    };
    Ok((year * 10_000 + first, year * 10_000 + last))
}

fn cell(c: Option<&Data>) -> Result<String> {
    Ok(match c {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) if f.fract() == 0.0 && *f >= 0.0 => format!("{}", *f as u64),
        Some(Data::Int(i)) if *i >= 0 => i.to_string(),
        Some(other) => bail!("unexpected cell {other:?}"),
    })
}

fn is_date(s: &str) -> bool {
    s.len() == 8
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse().is_ok_and(|v: u32| {
            (1900..=2100).contains(&(v / 10_000)) && medcode_base::calendar::is_calendar_date(v)
        })
}

fn alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Reads and checks the workbook.
pub fn read(cms: &Cms) -> Result<Release> {
    let file = WORKBOOK.rsplit('/').next().unwrap_or(WORKBOOK);
    let (effective, horizon) = quarter(file)?;
    let bytes = cms.read(WORKBOOK)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .with_context(|| format!("{WORKBOOK}: not an xlsx workbook"))?;
    let sheets = book.sheet_names();
    ensure!(
        sheets.len() == 1,
        "{WORKBOOK}: {} sheets {sheets:?}, expected one",
        sheets.len()
    );
    let range = book
        .worksheet_range(&sheets[0])
        .with_context(|| format!("{WORKBOOK}: sheet {:?}", sheets[0]))?;
    let mut rows = range.rows();
    let heads: Vec<String> = rows
        .next()
        .with_context(|| format!("{WORKBOOK}: empty sheet"))?
        .iter()
        .map(|c| cell(Some(c)).map(|s| s.trim().to_string()))
        .collect::<Result<_>>()?;
    ensure!(
        heads.len() == 48,
        "{WORKBOOK}: {} columns, expected CMS's 48",
        heads.len()
    );
    let col = |name: &str| -> Result<usize> {
        heads
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{WORKBOOK}: no column {name:?} in {heads:?}"))
    };
    let c_code = col("HCPC")?;
    let c_recid = col("RECID")?;
    let c_long = col("LONG DESCRIPTION")?;
    let c_short = col("SHORT DESCRIPTION")?;
    let c_price: Vec<usize> = (1..=4)
        .map(|i| col(&format!("PRICE{i}")))
        .collect::<Result<_>>()?;
    let c_cov = col("COV")?;
    let c_betos = col("BETOS")?;
    let c_tos: Vec<usize> = (1..=5)
        .map(|i| col(&format!("TOS{i}")))
        .collect::<Result<_>>()?;
    let c_add = col("ADD DT")?;
    let c_eff = col("ACT EFF DT")?;
    let c_term = col("TERM DT")?;
    let c_action = col("ACTION CD")?;

    let mut codes = BTreeMap::new();
    let mut modifiers = BTreeMap::new();
    for (i, r) in rows.enumerate() {
        let line = i + 2;
        let get = |c: usize| -> Result<String> {
            cell(r.get(c)).with_context(|| format!("{WORKBOOK} row {line} column {}", heads[c]))
        };
        let code = get(c_code)?.trim().to_string();
        let recid = get(c_recid)?.trim().to_string();
        if code.is_empty() && recid.is_empty() {
            ensure!(
                r.iter().all(|c| matches!(c, Data::Empty)),
                "{WORKBOOK} row {line}: no code, but other cells"
            );
            continue;
        }
        let list = |cols: &[usize], width: usize, what: &str| -> Result<String> {
            let mut v = Vec::new();
            for &c in cols {
                let s = get(c)?.trim().to_string();
                if s.is_empty() {
                    continue;
                }
                ensure!(
                    s.len() == width && alnum(&s),
                    "{WORKBOOK} row {line} ({code}): {what} {s:?}"
                );
                v.push(s);
            }
            Ok(v.join(","))
        };
        let date = |c: usize| -> Result<String> {
            let s = get(c)?.trim().to_string();
            ensure!(
                s.is_empty() || is_date(&s),
                "{WORKBOOK} row {line} ({code}): {} {s:?} is not a yyyymmdd date",
                heads[c]
            );
            Ok(s)
        };
        let flag = |c: usize| -> Result<String> {
            let s = get(c)?.trim().to_string();
            ensure!(
                s.len() <= 1 && alnum(&s),
                "{WORKBOOK} row {line} ({code}): {} {s:?}",
                heads[c]
            );
            Ok(s)
        };
        let text = |c: usize| -> Result<String> {
            let s = get(c)?;
            ensure!(
                !s.contains(['\t', '\n', '\r']) && s == s.trim(),
                "{WORKBOOK} row {line} ({code}): {} has a tab, line break or outer blanks",
                heads[c]
            );
            Ok(s)
        };
        let betos = get(c_betos)?.trim().to_string();
        ensure!(
            betos.len() <= 3 && alnum(&betos),
            "{WORKBOOK} row {line} ({code}): BETOS {betos:?}"
        );
        let row = Row {
            long: text(c_long)?,
            short: text(c_short)?,
            added: date(c_add)?,
            effective: date(c_eff)?,
            terminated: date(c_term)?,
            action: flag(c_action)?,
            coverage: flag(c_cov)?,
            betos,
            tos: list(&c_tos, 1, "type of service")?,
            pricing: list(&c_price, 2, "pricing indicator")?,
        };
        let b = code.as_bytes();
        let (map, ok) = match recid.as_str() {
            "3" => (
                &mut codes,
                b.len() == 5 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit),
            ),
            "7" => (
                &mut modifiers,
                b.len() == 2 && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            ),
            _ => bail!("{WORKBOOK} row {line} ({code}): RECID {recid:?}, expected 3 or 7 (continuation records are folded in)"),
        };
        ensure!(
            ok,
            "{WORKBOOK} row {line}: {code:?} is not a {} with RECID {recid}",
            if recid == "3" {
                "HCPCS code"
            } else {
                "modifier"
            }
        );
        ensure!(
            !row.long.is_empty(),
            "{WORKBOOK} row {line} ({code}): no long description"
        );
        if map.insert(code.clone(), row).is_some() {
            bail!("{WORKBOOK} row {line}: {code} appears twice");
        }
    }
    ensure!(
        codes.len() == CODES && modifiers.len() == MODIFIERS,
        "{WORKBOOK}: {} codes and {} modifiers, expected {CODES} and {MODIFIERS}",
        codes.len(),
        modifiers.len()
    );
    // The file's dates must fit its quarter: nothing added or acted on after
    // the quarter's first day.
    for (code, r) in codes.iter().chain(&modifiers) {
        for (what, d) in [("ADD DT", &r.added), ("ACT EFF DT", &r.effective)] {
            ensure!(
                d.is_empty() || d.parse::<u32>()? <= effective,
                "{WORKBOOK}: {code} {what} {d} is after the quarter's first day {effective}"
            );
        }
    }
    Ok(Release {
        file,
        effective,
        horizon,
        codes,
        modifiers,
    })
}

/// Codes valid on `date` (yyyymmdd): added on or before it, not terminated before it.
pub fn valid_on(rows: &BTreeMap<String, Row>, date: &str) -> usize {
    rows.values()
        .filter(|r| {
            r.added.as_str() <= date && (r.terminated.is_empty() || r.terminated.as_str() >= date)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters() {
        assert_eq!(
            quarter("HCPC2025_OCT_ANWEB.xlsx").unwrap(),
            (20251001, 20251231)
        );
        assert_eq!(
            quarter("hcpc2026_jan_anweb_v2.txt").unwrap(),
            (20260101, 20260331)
        );
        assert!(quarter("HCPC2020_ANWEB.txt").is_err());
        assert!(is_date("20240229") && !is_date("20230229") && !is_date("2024022"));
    }
}
