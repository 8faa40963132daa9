//! CMS's "Code Descriptions in Tabular Order" files, one per release, and the
//! FY2027 ICD-10-CM codes file: the authority for each release's titles,
//! header/billable flags and short titles.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{ensure, Context, Result};

use crate::cms::{latin1, Cms};

/// Which code system a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Cm,
    Pcs,
}

/// How a file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Fixed width: order 1–5, code 7–13, billable flag 15, short title
    /// 17–76, long title 78–.
    Order,
    /// Billable codes only: code padded to 8 columns, then the long title.
    Codes,
}

/// One release file: where it is, when it takes effect.
pub struct Spec {
    pub system: System,
    pub effective: i32,
    pub name: &'static str,
    /// Path in the `--cms` folder; a zip, or the file itself.
    pub path: &'static str,
    /// The zip member (its name ends with this); `None` for a plain file.
    pub member: Option<&'static str>,
    pub layout: Layout,
    /// A fiscal year's own file (cross-checked against the MCE master on its
    /// first day), not a mid-year update.
    pub fiscal_year: bool,
}

const fn fy(
    system: System,
    effective: i32,
    name: &'static str,
    path: &'static str,
    member: &'static str,
) -> Spec {
    Spec {
        system,
        effective,
        name,
        path,
        member: Some(member),
        layout: Layout::Order,
        fiscal_year: true,
    }
}

const fn mid(effective: i32, name: &'static str, path: &'static str, member: &'static str) -> Spec {
    Spec {
        system: System::Cm,
        effective,
        name,
        path,
        member: Some(member),
        layout: Layout::Order,
        fiscal_year: false,
    }
}

use System::{Cm, Pcs};

/// Every release file, per system oldest first.
pub const SPECS: [Spec; 27] = [
    fy(
        Cm,
        20151001,
        "FY2016",
        "icd10/cms_2016_dx.zip",
        "icd10cm_order_2016.txt",
    ),
    fy(
        Cm,
        20161001,
        "FY2017",
        "icd10/cms_2017_dx.zip",
        "icd10cm_order_2017.txt",
    ),
    fy(
        Cm,
        20171001,
        "FY2018",
        "icd10/cms_2018_dx.zip",
        "icd10cm_order_2018.txt",
    ),
    fy(
        Cm,
        20181001,
        "FY2019",
        "icd10/cms_2019_dx.zip",
        "icd10cm_order_2019.txt",
    ),
    fy(
        Cm,
        20191001,
        "FY2020",
        "icd10/cms_2020_dx.zip",
        "icd10cm_order_2020.txt",
    ),
    fy(
        Cm,
        20201001,
        "FY2021",
        "icd10/cms_2021_dx.zip",
        "icd10cm_order_2021.txt",
    ),
    mid(
        20210101,
        "January 2021",
        "april-updates/icd10cm-codes-order-Jan-2021.zip",
        "icd10cm-order-Jan-2021.txt",
    ),
    fy(
        Cm,
        20211001,
        "FY2022",
        "icd10/cms_2022_dx.zip",
        "icd10cm_order_2022.txt",
    ),
    fy(
        Cm,
        20221001,
        "FY2023",
        "icd10/cms_2023_dx.zip",
        "icd10cm_order_2023.txt",
    ),
    fy(
        Cm,
        20231001,
        "FY2024",
        "icd10/cms_2024_dx.zip",
        "icd10cm_order_2024.txt",
    ),
    mid(
        20240401,
        "April 2024",
        "april-updates/icd10cm-Codes-Descriptions-April-2024.zip",
        "icd10cm-order-April-2024.txt",
    ),
    fy(
        Cm,
        20241001,
        "FY2025",
        "icd10/cms_2025_dx.zip",
        "icd10cm_order_2025.txt",
    ),
    mid(
        20250401,
        "April 2025",
        "april-updates/Code-desciptions-April-2025.zip",
        "icd10cm-order-April-2025.txt",
    ),
    fy(
        Cm,
        20251001,
        "FY2026",
        "icd10/cms_2026_dx.zip",
        "icd10cm_order_2026.txt",
    ),
    Spec {
        system: Cm,
        effective: 20261001,
        name: "FY2027",
        path: "icd10/icd10cm_codes_2027.txt",
        member: None,
        layout: Layout::Codes,
        fiscal_year: true,
    },
    fy(
        Pcs,
        20151001,
        "FY2016",
        "icd10/cms_2016_pr.zip",
        "icd10pcs_order_2016.txt",
    ),
    fy(
        Pcs,
        20161001,
        "FY2017",
        "icd10/cms_2017_pr.zip",
        "icd10pcs_order_2017.txt",
    ),
    fy(
        Pcs,
        20171001,
        "FY2018",
        "icd10/cms_2018_pr.zip",
        "icd10pcs_order_2018.txt",
    ),
    fy(
        Pcs,
        20181001,
        "FY2019",
        "icd10/cms_2019_pr.zip",
        "icd10pcs_order_2019.txt",
    ),
    fy(
        Pcs,
        20191001,
        "FY2020",
        "icd10/cms_2020_pr.zip",
        "icd10pcs_order_2020.txt",
    ),
    fy(
        Pcs,
        20201001,
        "FY2021",
        "icd10/cms_2021_pr.zip",
        "icd10pcs_order_2021.txt",
    ),
    fy(
        Pcs,
        20211001,
        "FY2022",
        "icd10/cms_2022_pr.zip",
        "icd10pcs_order_2022.txt",
    ),
    Spec {
        system: Pcs,
        effective: 20220101,
        name: "FY2022 errata (January 2022)",
        path: "icd10/cms_2022_errata.zip",
        member: Some("icd10pcs_order_2022.txt"),
        layout: Layout::Order,
        fiscal_year: false,
    },
    fy(
        Pcs,
        20221001,
        "FY2023",
        "icd10/cms_2023_pr.zip",
        "icd10pcs_order_2023.txt",
    ),
    fy(
        Pcs,
        20231001,
        "FY2024",
        "icd10/cms_2024_pr.zip",
        "icd10pcs_order_2024.txt",
    ),
    fy(
        Pcs,
        20241001,
        "FY2025",
        "icd10/cms_2025_pr.zip",
        "icd10pcs_order_2025.txt",
    ),
    fy(
        Pcs,
        20251001,
        "FY2026",
        "icd10/cms_2026_pr.zip",
        "icd10pcs_order_2026.txt",
    ),
];

/// The name of the release of `system` taking effect on `effective`.
pub fn name_of(system: System, effective: i32) -> &'static str {
    SPECS
        .iter()
        .find(|s| s.system == system && s.effective == effective)
        .map_or("?", |s| s.name)
}

/// One row of a release file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub billable: bool,
    /// Empty where the file has no short titles (the codes file).
    pub short: String,
    pub long: String,
}

/// A read release file.
pub struct Release {
    pub spec: &'static Spec,
    /// `path:member`, for messages and generated-file comments.
    pub source: String,
    pub rows: BTreeMap<String, Row>,
}

impl Release {
    /// The billable codes.
    pub fn billable(&self) -> BTreeSet<&str> {
        self.rows
            .iter()
            .filter(|(_, r)| r.billable)
            .map(|(c, _)| c.as_str())
            .collect()
    }
}

/// Reads one release file.
pub fn read(cms: &Cms, spec: &'static Spec) -> Result<Release> {
    let (bytes, source) = match spec.member {
        Some(m) => (cms.member(spec.path, m)?, format!("{}:{m}", spec.path)),
        None => (cms.read(spec.path)?, spec.path.to_string()),
    };
    let text = latin1(&bytes);
    let rows = match spec.layout {
        Layout::Order => parse_order(&text, &source)?,
        Layout::Codes => parse_codes(&text, &source)?,
    };
    ensure!(!rows.is_empty(), "{source}: no rows");
    Ok(Release { spec, source, rows })
}

/// An undotted ICD-10-CM or ICD-10-PCS code (or header) of 3 to 7 characters.
fn check_code(code: &str, what: &str) -> Result<()> {
    ensure!(
        (3..=7).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "{what}: {code:?} is not an undotted code"
    );
    Ok(())
}

/// Parses the fixed-width order file layout.
pub fn parse_order(text: &str, source: &str) -> Result<BTreeMap<String, Row>> {
    let mut rows = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let what = format!("{source} line {}", n + 1);
        if line.trim().is_empty() {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let field = |a: usize, b: usize| -> String {
            chars
                .get(a.min(chars.len())..b.min(chars.len()))
                .map(|s| s.iter().collect::<String>())
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        ensure!(
            chars.len() > 77,
            "{what}: shorter than the order-file layout"
        );
        ensure!(
            field(0, 5).bytes().all(|b| b.is_ascii_digit()),
            "{what}: order number {:?}",
            field(0, 5)
        );
        let code = field(6, 13);
        check_code(&code, &what)?;
        let billable = match chars[14] {
            '1' => true,
            '0' => false,
            c => anyhow::bail!("{what}: billable flag {c:?}"),
        };
        let short = field(16, 76);
        let long = field(77, chars.len());
        ensure!(!long.is_empty() && !short.is_empty(), "{what}: empty title");
        let row = Row {
            billable,
            short,
            long,
        };
        ensure!(
            rows.insert(code.clone(), row).is_none(),
            "{what}: {code} listed twice"
        );
    }
    Ok(rows)
}

/// Parses a codes file: billable codes, code padded to 8 columns, long title.
pub fn parse_codes(text: &str, source: &str) -> Result<BTreeMap<String, Row>> {
    let mut rows = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let what = format!("{source} line {}", n + 1);
        if line.trim().is_empty() {
            continue;
        }
        let (code, long) = line
            .split_once(' ')
            .with_context(|| format!("{what}: no title"))?;
        check_code(code, &what)?;
        let long = long.trim();
        ensure!(!long.is_empty(), "{what}: empty title");
        let row = Row {
            billable: true,
            short: String::new(),
            long: long.to_string(),
        };
        ensure!(
            rows.insert(code.to_string(), row).is_none(),
            "{what}: {code} listed twice"
        );
    }
    Ok(rows)
}

/// The text with Latin-1 accented letters replaced by their base letters
/// ("Sézary" → "Sezary").
pub fn fold_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
            'ç' => 'c',
            'Ç' => 'C',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'ñ' => 'n',
            'Ñ' => 'N',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            'ý' | 'ÿ' => 'y',
            'Ý' => 'Y',
            c => c,
        })
        .collect()
}

/// One version of a code's titles in a run of releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The effective date of the first release showing this version.
    pub from: i32,
    pub long: String,
    /// Empty when unknown (the FY2027 codes file has none and the long title
    /// changed).
    pub short: String,
}

/// Per code, its title versions in release order (a new version whenever the
/// long or short title differs from the last release that listed the code).
/// A release without short titles keeps the previous short title while the
/// long title is unchanged.
pub fn versions<'a>(releases: &[&'a Release]) -> BTreeMap<&'a str, Vec<Version>> {
    let mut out: BTreeMap<&str, Vec<Version>> = BTreeMap::new();
    for rel in releases {
        let has_short = rel.spec.layout == Layout::Order;
        for (code, row) in &rel.rows {
            let vs = out.entry(code.as_str()).or_default();
            let short = match vs.last() {
                Some(last) if !has_short && last.long == row.long => last.short.clone(),
                _ => row.short.clone(),
            };
            match vs.last() {
                Some(last) if last.long == row.long && last.short == short => {}
                _ => vs.push(Version {
                    from: rel.spec.effective,
                    long: row.long.clone(),
                    short,
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed MCE validity rows (the data crates' `validity.tsv`):
    /// code -> periods.
    fn committed_validity(file: &str) -> BTreeMap<String, Vec<(i32, i32)>> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates")
            .join(crate::tsv::crate_path(file).unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out: BTreeMap<String, Vec<(i32, i32)>> = BTreeMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            out.entry(f[0].to_string())
                .or_default()
                .push((f[1].parse().unwrap(), f[2].parse().unwrap()));
        }
        out
    }

    /// The cross-check: for every fiscal year, the billable rows of CMS's
    /// order file (the FY2027 codes file for FY2027 ICD-10-CM) against the
    /// codes the MCE master holds valid on the year's first day. The
    /// differences are printed and pinned here (counts per year), not hidden:
    /// CMS's FY2021-FY2024 files as published also list codes of the
    /// following January/April update.
    #[test]
    fn billable_rows_equal_the_mce_valid_codes_on_each_fiscal_year_start() {
        let dir = match std::env::var_os("MEDCODE_CMS_DIR") {
            Some(d) if !d.is_empty() => std::path::PathBuf::from(d),
            _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/cms"),
        };
        if !dir.is_dir() {
            // MEDCODE_NO_SKIP=1 (CI) makes the missing files a failure.
            let why = format!(
                "CMS's official files are not at {} (set MEDCODE_CMS_DIR)",
                dir.display()
            );
            assert!(
                std::env::var("MEDCODE_NO_SKIP").map_or(true, |v| v != "1"),
                "{why}; MEDCODE_NO_SKIP=1 forbids skipping"
            );
            println!("SKIPPED: {why}");
            return;
        }
        let cms = Cms::open(&dir).unwrap();
        let cm = committed_validity("icd10cm/validity.tsv");
        let pcs = committed_validity("icd10pcs/validity.tsv");
        // (system, fiscal year, only in the file, only in the master)
        let expected: [(&str, &str, usize, usize); 7] = [
            ("CM", "FY2021", 6, 1),
            ("CM", "FY2022", 3, 1),
            ("CM", "FY2023", 42, 7),
            ("PCS", "FY2021", 21, 0),
            ("PCS", "FY2022", 7, 0),
            ("PCS", "FY2023", 34, 0),
            ("PCS", "FY2024", 41, 6),
        ];
        let mut found = Vec::new();
        let mut checked = 0;
        for spec in SPECS.iter().filter(|s| s.fiscal_year) {
            let rel = read(&cms, spec).unwrap();
            let (master, system) = match spec.system {
                System::Cm => (&cm, "CM"),
                System::Pcs => (&pcs, "PCS"),
            };
            let d = spec.effective;
            let valid: BTreeSet<&str> = master
                .iter()
                .filter(|(_, w)| w.iter().any(|&(s, e)| s <= d && d <= e))
                .map(|(c, _)| c.as_str())
                .collect();
            let billable = rel.billable();
            let only_file: Vec<_> = billable.difference(&valid).collect();
            let only_master: Vec<_> = valid.difference(&billable).collect();
            checked += 1;
            println!(
                "{system} {} ({d}): {} billable, {} valid; only in the file {only_file:?}; only in the master {only_master:?}",
                spec.name,
                billable.len(),
                valid.len()
            );
            if !only_file.is_empty() || !only_master.is_empty() {
                found.push((system, spec.name, only_file.len(), only_master.len()));
            }
        }
        assert_eq!(
            checked,
            12 + 11,
            "FY2016-FY2027 ICD-10-CM, FY2016-FY2026 ICD-10-PCS"
        );
        let mut want = expected.to_vec();
        found.sort();
        want.sort();
        assert_eq!(found, want);
    }

    #[test]
    fn order_layout() {
        let text = "00001 A00     0 Cholera                                                      Cholera\r\n00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           Cholera due to Vibrio cholerae 01, biovar cholerae\r\n";
        let rows = parse_order(text, "t").unwrap();
        assert_eq!(rows.len(), 2);
        assert!(!rows["A00"].billable);
        assert_eq!(
            rows["A000"].short,
            "Cholera due to Vibrio cholerae 01, biovar cholerae"
        );
        assert!(parse_order("00001 A00     2 x", "t").is_err());
    }

    #[test]
    fn codes_layout() {
        let rows = parse_codes(
            "A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\n",
            "t",
        )
        .unwrap();
        assert_eq!(
            rows["A000"].long,
            "Cholera due to Vibrio cholerae 01, biovar cholerae"
        );
    }
}
