//! The I/OCE's reference tables, read once from the TSV files of the
//! `medcode-ioce-data` crate (CMS's tables as the pinned pyoce wheel bundles
//! them; `docs/data-format.md` gives every column).
//!
//! Every row carries the internal versions (76 … 103) it is in force for; a
//! key's rows never overlap, so "code X in version V" is at most one row.
//! Codes are keyed by their ASCII bytes in a `u64` ([`key`]).

// Some tables are read ahead of the edits that use them (issue 23).
#![allow(dead_code)]

use super::text::Trim;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A code's bytes (upper case, at most eight) as one integer.
pub(crate) type Key = u64;

/// The key of `code`: its bytes upper-cased, or `None` when it is empty,
/// longer than eight bytes, or holds anything but ASCII letters, digits and
/// `#` (pyoce's contractor-template modifiers).
pub(crate) fn key(code: &str) -> Option<Key> {
    let b = code.as_bytes();
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    let mut k = 0u64;
    for (i, &c) in b.iter().enumerate() {
        // (One look-up a byte: its upper case, 0 for a byte not allowed.)
        let upper = KEY_BYTE[usize::from(c)];
        if upper == 0 {
            return None;
        }
        k |= u64::from(upper) << (8 * i);
    }
    Some(k)
}

/// Each byte's upper case when [`key`] allows it (an ASCII letter or digit,
/// or `#`), else 0.
const KEY_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || b == b'#' {
            t[c] = b.to_ascii_uppercase();
        }
        c += 1;
    }
    t
};

/// The key of a diagnosis code as medcode's claims may write it: trimmed,
/// its dot (`N18.6`) left out, as the I/OCE's tables write codes.
pub(crate) fn dx_key(code: &str) -> Option<Key> {
    let code = code.trimmed();
    match code.find('.') {
        Some(dot) if dot == 3 && !code[dot + 1..].contains('.') => {
            let mut buf = [0u8; 8];
            let (head, tail) = (&code.as_bytes()[..dot], &code.as_bytes()[dot + 1..]);
            if head.len() + tail.len() > 8 {
                return None;
            }
            buf[..head.len()].copy_from_slice(head);
            buf[head.len()..head.len() + tail.len()].copy_from_slice(tail);
            key(std::str::from_utf8(&buf[..head.len() + tail.len()]).ok()?)
        }
        Some(_) => None,
        None => key(code),
    }
}

/// The text of a key (its bytes up to the first zero), held in place.
pub(crate) fn key_text(k: Key) -> super::Flag {
    super::Flag::from_key(k)
}

/// The bit of the `data_hcpcs` flag named by a literal, looked up once per
/// place it is used (the names are resolved against `flags.tsv` at first
/// use; later uses are one atomic load).
macro_rules! hcpcs_bit {
    ($t:expr, $name:literal) => {{
        static BIT: std::sync::OnceLock<u8> = std::sync::OnceLock::new();
        *BIT.get_or_init(|| $t.hcpcs_flag($name))
    }};
}
pub(crate) use hcpcs_bit;

/// An internal I/OCE version number, 76 (v20.2) … 103 (v27.1).
pub(crate) type Version = u8;

/// Integer keys need no SipHash (the tables are compiled in).
type Fast = std::hash::BuildHasherDefault<crate::drg::KeyHasher>;

/// Rows keyed by `K`, each in force for a range of versions.
pub(crate) struct Ranged<K, T> {
    rows: HashMap<K, Vec<(Version, Version, T)>, Fast>,
}

impl<K: std::hash::Hash + Eq, T> Ranged<K, T> {
    fn new() -> Self {
        Ranged {
            rows: HashMap::default(),
        }
    }

    fn push(&mut self, key: K, lo: Version, hi: Version, row: T) {
        self.rows.entry(key).or_default().push((lo, hi, row));
    }

    /// The row of `key` in force in version `v`.
    pub(crate) fn get(&self, key: &K, v: Version) -> Option<&T> {
        self.rows
            .get(key)?
            .iter()
            .find(|(lo, hi, _)| *lo <= v && v <= *hi)
            .map(|(_, _, t)| t)
    }

    /// Whether `key` has a row in force in version `v`.
    pub(crate) fn has(&self, key: &K, v: Version) -> bool {
        self.get(key, v).is_some()
    }

    /// Every row of `key` with its versions.
    pub(crate) fn all(&self, key: &K) -> &[(Version, Version, T)] {
        self.rows.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every key with its rows (to build indexes over the keys).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &[(Version, Version, T)])> {
        self.rows.iter().map(|(k, r)| (k, r.as_slice()))
    }
}

/// A version of the I/OCE: its internal number, CMS's release and the dates
/// (yyyymmdd) of the claims it answers.
#[derive(Debug, Clone)]
pub(crate) struct VersionRow {
    pub internal: Version,
    pub release: &'static str,
    pub start: u32,
    pub end: u32,
}

/// A HCPCS/CPT code's attributes in one version (no descriptor text).
#[derive(Debug, Clone)]
pub(crate) struct HcpcsRow {
    pub apc: Key,
    pub lo_age: u16,
    pub hi_age: u16,
    pub sex: u8,
    pub status_indicator: Key,
    pub payment_indicator: u8,
    pub mid_quarter_date_edit: u16,
    pub date_approved: u32,
    pub date_terminated: u32,
    pub ph_duration: u16,
    pub iop_duration: u16,
    pub flags: u128,
}

impl HcpcsRow {
    /// Whether the flag numbered `bit` (see [`hcpcs_flag`]) is set.
    pub(crate) fn has(&self, bit: u8) -> bool {
        self.flags >> bit & 1 == 1
    }
}

/// An ICD-10-CM code's I/OCE attributes in one version.
#[derive(Debug, Clone)]
pub(crate) struct DxRow {
    pub lo_age: u16,
    pub hi_age: u16,
    pub sex: u8,
    pub flags: u8,
}

/// A revenue code's attributes.
#[derive(Debug, Clone)]
pub(crate) struct RevenueRow {
    pub status_indicator: Key,
    pub flags: u8,
}

/// An APC's attributes.
#[derive(Debug, Clone)]
pub(crate) struct ApcRow {
    pub status_indicator: Key,
    pub payment_indicator: u8,
    pub apc_payment: u32,
    pub comp: [u8; 3],
    pub flags: u8,
}

/// An edit's disposition and the part of the claim it names.
#[derive(Debug, Clone)]
pub(crate) struct EditRow {
    pub disposition: u8,
    pub buffer: &'static str,
}

/// A row of `pbt_map`: bill types `lo_bill ..= hi_bill` (two digits) go to
/// path `pbt_index` under `rule`.
#[derive(Debug, Clone)]
pub(crate) struct PbtMapRow {
    pub lo: Version,
    pub hi: Version,
    pub index: u16,
    pub rule: u16,
    pub path: u16,
    pub lo_bill: u16,
    pub hi_bill: u16,
}

/// The outpatient NCCI pairs: `(code1 id << 16 | code2 id, lo, hi, modifier
/// indicator)`, sorted, with code ids from `ids`.
pub(crate) struct Ncci {
    ids: HashMap<Key, u16, Fast>,
    pairs: Vec<(u32, Version, Version, u8)>,
    /// For each column-1 id, the range of `pairs` that has it.
    by_code1: HashMap<u16, (u32, u32), Fast>,
}

impl Ncci {
    /// The id of `code` among the NCCI codes.
    pub(crate) fn id(&self, code: Key) -> Option<u16> {
        self.ids.get(&code).copied()
    }

    /// The rows of column-1 code `code1`: `(code1 << 16 | code2, lo, hi,
    /// modifier indicator)`, sorted.
    pub(crate) fn rows_of(&self, code1: u16) -> &[(u32, Version, Version, u8)] {
        self.by_code1
            .get(&code1)
            .map_or(&[], |&(a, b)| &self.pairs[a as usize..b as usize])
    }

    /// The modifier indicator of the pair (`code1`, `code2`) in version `v`,
    /// or `None` when the pair is not in force.
    pub(crate) fn pair(&self, code1: u16, code2: u16, v: Version) -> Option<u8> {
        let (a, b) = *self.by_code1.get(&code1)?;
        let slice = &self.pairs[a as usize..b as usize];
        let want = u32::from(code1) << 16 | u32::from(code2);
        let start = slice.partition_point(|p| p.0 < want);
        slice[start..]
            .iter()
            .take_while(|p| p.0 == want)
            .find(|p| p.1 <= v && v <= p.2)
            .map(|p| p.3)
    }
}

/// Every table the editor reads.
pub(crate) struct Tables {
    pub versions: Vec<VersionRow>,
    pub hcpcs: Ranged<Key, HcpcsRow>,
    pub dx: Ranged<Key, DxRow>,
    pub modifier: Ranged<Key, u8>,
    pub revenue: Ranged<u16, RevenueRow>,
    pub apc: Ranged<Key, ApcRow>,
    pub status_payment: Ranged<Key, u8>,
    pub discount: Ranged<Key, u32>,
    pub edits: Ranged<u16, EditRow>,
    pub bypass: Ranged<u16, bool>,
    pub pbt_map: Vec<PbtMapRow>,
    pub pbt_control: Ranged<u16, u32>,
    pub capc_rank: Ranged<Key, (u32, bool)>,
    /// Comprehensive APC complexity adjustments (`map_capc`): (primary
    /// code, secondary code) → the APC the primary is paid at instead.
    pub capc_complexity: Ranged<(Key, Key), Key>,
    pub ncci: Ncci,
    /// Add-on code → primary code maps, by table name without `map_addon_`.
    pub addon: HashMap<&'static str, Ranged<(Key, Key), ()>>,
    /// The same maps as lists: each add-on code's primaries (any version),
    /// so that an add-on line looks up its own primaries rather than every
    /// line of the claim.
    addon_primaries: HashMap<&'static str, HashMap<Key, Vec<Key>, Fast>>,
    pub addon_type2: Ranged<Key, ()>,
    pub modifier_conflict: Ranged<(Key, Key), ()>,
    pub composite: Ranged<Key, (Key, Key)>,
    /// FQHC payment codes (the first column of `map_fqhc_visit`).
    pub fqhc_payment: Ranged<Key, ()>,
    /// A pass-through device's procedures (`offset_codepair`): device →
    /// procedure, one row per procedure and version range.
    pub device_procedures: Ranged<Key, Key>,
    /// A device-dependent procedure's devices (`map_device_procedure`):
    /// procedure → device, one row per device and version range (edit 135).
    pub procedure_devices: Ranged<Key, Key>,
    /// The APCs a pass-through drug, biological or radiopharmaceutical is
    /// offset against (`offset_apc`): (group, list, APC) → the offset
    /// amount. Groups: 1 radiopharmaceuticals, 2 other drugs and
    /// biologicals; lists: 1 radiopharmaceutical, 2 skin substitute, 3
    /// contrast agent, 4 stress agent.
    pub offset_apc: Ranged<(u8, u8, Key), u64>,
    /// The non-opioid pain management drugs and devices paid apart
    /// (`data_nonopioid_passthrough`), by version.
    pub nonopioid: Ranged<Key, ()>,
    /// Section 603 APCs (`map_s603_override`): a code billed with modifier
    /// PN by a non-excepted off-campus department → the APC it is paid at
    /// there (G6001–G6016 to v101; 77402, 77407, 77412 from v102).
    pub s603_override: Ranged<Key, Key>,
    hcpcs_flags: Vec<&'static str>,
}

fn file(name: &str) -> &'static str {
    medcode_ioce_data::file(name)
        .unwrap_or_else(|| panic!("medcode-ioce-data has no {name} (a mismatched data crate)"))
}

/// The rows of a TSV table: its fields, comment lines skipped.
fn rows(name: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    file(name)
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
}

fn num<T: std::str::FromStr>(table: &str, s: &str) -> T {
    s.parse()
        .unwrap_or_else(|_| panic!("medcode-ioce-data {table}: {s:?} is not a number"))
}

fn code(table: &str, s: &str) -> Key {
    key(s).unwrap_or_else(|| panic!("medcode-ioce-data {table}: {s:?} is not a code"))
}

/// The flag names of `table` in bit order (`flags.tsv`).
fn flag_names(table: &str) -> Vec<&'static str> {
    let mut names: Vec<(u32, &'static str)> = rows("flags.tsv")
        .filter(|r| r[0] == table)
        .map(|r| (num("flags.tsv", r[1]), r[2]))
        .collect();
    names.sort();
    names.into_iter().map(|(_, n)| n).collect()
}

/// The flags column (names, comma-separated) as bits in `names`' order.
fn flag_bits(table: &str, names: &[&str], field: Option<&&str>) -> u128 {
    let mut bits = 0u128;
    for name in field
        .copied()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
    {
        let bit = names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("medcode-ioce-data {table}: unknown flag {name}"));
        bits |= 1 << bit;
    }
    bits
}

fn range(table: &str, r: &[&str]) -> (Version, Version) {
    (num(table, r[0]), num(table, r[1]))
}

impl Tables {
    /// The tables, read on first use.
    pub(crate) fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::read)
    }

    /// Whether the add-on map `name` (`"type1"`, `"saas"`) has, in version
    /// `v`, a primary of `addon` among `codes` (sorted).
    pub(crate) fn addon_primary_in(
        &self,
        name: &str,
        addon: Key,
        codes: &[Key],
        v: Version,
    ) -> bool {
        self.addon_primary_listed(name, addon, v, codes.len(), codes.iter().copied(), |p| {
            codes.binary_search(&p).is_ok()
        })
    }

    /// Whether `addon` has a primary `p` of table `name` in version `v`
    /// among the codes present: `present` (`count` of them; `is_present`
    /// answers for one). The shorter of the two lists is walked. An
    /// add-on's list of primaries holds every code any row of the map
    /// pairs with it, so a
    /// code the map pairs with it in `v` is on the list: walking the codes
    /// present answers the same. (Some add-ons have hundreds of primaries
    /// and a claim a few codes: the list's walk was about 7,000
    /// instructions a call.)
    pub(crate) fn addon_primary_listed(
        &self,
        name: &str,
        addon: Key,
        v: Version,
        count: usize,
        mut present: impl Iterator<Item = Key>,
        is_present: impl Fn(Key) -> bool,
    ) -> bool {
        let (Some(map), Some(primaries)) = (
            self.addon.get(name),
            self.addon_primaries.get(name).and_then(|m| m.get(&addon)),
        ) else {
            return false;
        };
        if count < primaries.len() {
            present.any(|p| map.has(&(addon, p), v))
        } else {
            primaries
                .iter()
                .any(|&p| is_present(p) && map.has(&(addon, p), v))
        }
    }

    /// Whether the date `d` (yyyymmdd) is in a version's dates. The
    /// versions are sorted and their dates do not overlap (`tables_read`
    /// checks), so only the last to start by `d` can hold it: found by
    /// halving (a claim's line asked this of all 28 in turn).
    pub(crate) fn in_versions(&self, d: u32) -> bool {
        let i = self.versions.partition_point(|v| v.start <= d);
        i > 0 && d <= self.versions[i - 1].end
    }

    /// The highest internal version a per-version table made once a
    /// process must cover: the tables' last, and at least v103 (v27.1).
    pub(crate) fn last_version(&self) -> Version {
        self.versions
            .iter()
            .map(|v| v.internal)
            .max()
            .unwrap_or(0)
            .max(103)
    }

    /// The bit of the `data_hcpcs` flag `name`; panics on a name the data
    /// does not have (a mismatched data crate).
    pub(crate) fn hcpcs_flag(&self, name: &str) -> u8 {
        self.hcpcs_flags
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("medcode-ioce-data: data_hcpcs has no flag {name}"))
            as u8
    }

    fn read() -> Tables {
        let versions = rows("version_range.tsv")
            .map(|r| VersionRow {
                internal: num("version_range", r[0]),
                release: r[1],
                start: num("version_range", r[2]),
                end: num("version_range", r[3]),
            })
            .collect();

        let hcpcs_flags = flag_names("data_hcpcs");
        let mut hcpcs = Ranged::new();
        for r in rows("data_hcpcs.tsv") {
            const T: &str = "data_hcpcs";
            let (lo, hi) = range(T, &r);
            hcpcs.push(
                code(T, r[2]),
                lo,
                hi,
                HcpcsRow {
                    apc: code(T, r[3]),
                    lo_age: num(T, r[4]),
                    hi_age: num(T, r[5]),
                    sex: num(T, r[6]),
                    status_indicator: code(T, r[7]),
                    payment_indicator: num(T, r[8]),
                    mid_quarter_date_edit: num(T, r[9]),
                    date_approved: num(T, r[10]),
                    date_terminated: num(T, r[11]),
                    ph_duration: num(T, r[12]),
                    iop_duration: num(T, r[13]),
                    flags: flag_bits(T, &hcpcs_flags, r.get(14)),
                },
            );
        }

        let names = flag_names("data_dx10");
        let mut dx = Ranged::new();
        for r in rows("data_dx10.tsv") {
            const T: &str = "data_dx10";
            let (lo, hi) = range(T, &r);
            dx.push(
                code(T, r[2]),
                lo,
                hi,
                DxRow {
                    lo_age: num(T, r[3]),
                    hi_age: num(T, r[4]),
                    sex: num(T, r[5]),
                    flags: flag_bits(T, &names, r.get(6)) as u8,
                },
            );
        }

        let names = flag_names("data_modifier");
        let mut modifier = Ranged::new();
        for r in rows("data_modifier.tsv") {
            const T: &str = "data_modifier";
            let (lo, hi) = range(T, &r);
            modifier.push(code(T, r[2]), lo, hi, flag_bits(T, &names, r.get(4)) as u8);
        }

        let names = flag_names("data_revenue");
        let mut revenue = Ranged::new();
        for r in rows("data_revenue.tsv") {
            const T: &str = "data_revenue";
            let (lo, hi) = range(T, &r);
            revenue.push(
                num(T, r[2]),
                lo,
                hi,
                RevenueRow {
                    status_indicator: code(T, r[3]),
                    flags: flag_bits(T, &names, r.get(4)) as u8,
                },
            );
        }

        let names = flag_names("data_apc");
        let mut apc = Ranged::new();
        for r in rows("data_apc.tsv") {
            const T: &str = "data_apc";
            let (lo, hi) = range(T, &r);
            apc.push(
                code(T, r[2]),
                lo,
                hi,
                ApcRow {
                    status_indicator: code(T, r[3]),
                    payment_indicator: num(T, r[4]),
                    apc_payment: num(T, r[5]),
                    comp: [num(T, r[6]), num(T, r[7]), num(T, r[8])],
                    flags: flag_bits(T, &names, r.get(9)) as u8,
                },
            );
        }

        let mut status_payment = Ranged::new();
        for r in rows("map_status_payment.tsv") {
            const T: &str = "map_status_payment";
            let (lo, hi) = range(T, &r);
            status_payment.push(code(T, r[2]), lo, hi, num(T, r[3]));
        }

        let mut discount = Ranged::new();
        for r in rows("data_discount_formula.tsv") {
            const T: &str = "data_discount_formula";
            let (lo, hi) = range(T, &r);
            discount.push(code(T, r[2]), lo, hi, num(T, r[3]));
        }

        let mut edits = Ranged::new();
        for r in rows("dsc_edit.tsv") {
            const T: &str = "dsc_edit";
            let (lo, hi) = range(T, &r);
            edits.push(
                num(T, r[2]),
                lo,
                hi,
                EditRow {
                    disposition: num(T, r[3]),
                    buffer: r[4],
                },
            );
        }

        let mut bypass = Ranged::new();
        for r in rows("data_edit_bypass.tsv") {
            const T: &str = "data_edit_bypass";
            let (lo, hi) = range(T, &r);
            bypass.push(
                num(T, r[2]),
                lo,
                hi,
                r.get(3).is_some_and(|f| !f.is_empty()),
            );
        }

        let pbt_map = rows("pbt_map.tsv")
            .map(|r| {
                const T: &str = "pbt_map";
                PbtMapRow {
                    lo: num(T, r[0]),
                    hi: num(T, r[1]),
                    index: num(T, r[2]),
                    rule: num(T, r[3]),
                    path: num(T, r[4]),
                    lo_bill: num(T, r[5]),
                    hi_bill: num(T, r[6]),
                }
            })
            .collect();

        let names = flag_names("pbt_control");
        let mut pbt_control = Ranged::new();
        for r in rows("pbt_control.tsv") {
            const T: &str = "pbt_control";
            let (lo, hi) = range(T, &r);
            pbt_control.push(num(T, r[2]), lo, hi, flag_bits(T, &names, r.get(3)) as u32);
        }

        let mut capc_rank = Ranged::new();
        for r in rows("data_capc.tsv") {
            const T: &str = "data_capc";
            let (lo, hi) = range(T, &r);
            let adjusted = r.get(4).is_some_and(|f| !f.is_empty());
            capc_rank.push(code(T, r[2]), lo, hi, (num(T, r[3]), adjusted));
        }

        let mut capc_complexity = Ranged::new();
        for r in rows("map_capc.tsv") {
            const T: &str = "map_capc";
            let (lo, hi) = range(T, &r);
            capc_complexity.push((code(T, r[2]), code(T, r[3])), lo, hi, code(T, r[4]));
        }

        let mut addon = HashMap::new();
        let mut addon_primaries = HashMap::new();
        for name in [
            "type1",
            "type3",
            "drug_admin",
            "ph",
            "covid_lab",
            "remote_mental_health",
            "saas",
        ] {
            let file_name: &'static str =
                Box::leak(format!("map_addon_{name}.tsv").into_boxed_str());
            let mut map = Ranged::new();
            let mut primaries: HashMap<Key, Vec<Key>, Fast> = HashMap::default();
            for r in rows(file_name) {
                let (lo, hi) = range(file_name, &r);
                let (a, p) = (code(file_name, r[2]), code(file_name, r[3]));
                map.push((a, p), lo, hi, ());
                let list = primaries.entry(a).or_default();
                if !list.contains(&p) {
                    list.push(p);
                }
            }
            addon.insert(name, map);
            addon_primaries.insert(name, primaries);
        }
        let mut addon_type2 = Ranged::new();
        for r in rows("map_addon_type2.tsv") {
            const T: &str = "map_addon_type2";
            let (lo, hi) = range(T, &r);
            addon_type2.push(code(T, r[2]), lo, hi, ());
        }

        let mut modifier_conflict = Ranged::new();
        for r in rows("map_modifier_conflict.tsv") {
            const T: &str = "map_modifier_conflict";
            let (lo, hi) = range(T, &r);
            modifier_conflict.push((code(T, r[2]), code(T, r[3])), lo, hi, ());
        }

        let mut composite = Ranged::new();
        for r in rows("map_composite.tsv") {
            const T: &str = "map_composite";
            let (lo, hi) = range(T, &r);
            composite.push(code(T, r[2]), lo, hi, (code(T, r[3]), code(T, r[4])));
        }

        let mut fqhc_payment = Ranged::new();
        let mut seen = std::collections::HashSet::new();
        for r in rows("map_fqhc_visit.tsv") {
            const T: &str = "map_fqhc_visit";
            let (lo, hi) = range(T, &r);
            let k = code(T, r[2]);
            if seen.insert((k, lo, hi)) {
                fqhc_payment.push(k, lo, hi, ());
            }
        }

        let mut device_procedures = Ranged::new();
        let mut seen = std::collections::HashSet::new();
        for r in rows("offset_codepair.tsv") {
            const T: &str = "offset_codepair";
            let (lo, hi) = range(T, &r);
            let (device, procedure) = (code(T, r[3]), code(T, r[4]));
            if seen.insert((device, procedure, lo, hi)) {
                device_procedures.push(device, lo, hi, procedure);
            }
        }

        let mut procedure_devices = Ranged::new();
        for r in rows("map_device_procedure.tsv") {
            const T: &str = "map_device_procedure";
            let (lo, hi) = range(T, &r);
            procedure_devices.push(code(T, r[2]), lo, hi, code(T, r[3]));
        }

        let mut offset_apc = Ranged::new();
        for r in rows("offset_apc.tsv") {
            const T: &str = "offset_apc";
            let (lo, hi) = range(T, &r);
            let k = (num(T, r[2]), num(T, r[3]), code(T, r[4]));
            offset_apc.push(k, lo, hi, num(T, r[5]));
        }

        let mut nonopioid = Ranged::new();
        for r in rows("data_nonopioid_passthrough.tsv") {
            const T: &str = "data_nonopioid_passthrough";
            let (lo, hi) = range(T, &r);
            nonopioid.push(code(T, r[2]), lo, hi, ());
        }
        let mut s603_override = Ranged::new();
        for r in rows("map_s603_override.tsv") {
            const T: &str = "map_s603_override";
            let (lo, hi) = range(T, &r);
            s603_override.push(code(T, r[2]), lo, hi, code(T, r[3]));
        }

        Tables {
            s603_override,
            fqhc_payment,
            nonopioid,
            offset_apc,
            device_procedures,
            procedure_devices,
            versions,
            hcpcs,
            dx,
            modifier,
            revenue,
            apc,
            status_payment,
            discount,
            edits,
            bypass,
            pbt_map,
            pbt_control,
            capc_rank,
            capc_complexity,
            ncci: read_ncci(),
            addon,
            addon_primaries,
            addon_type2,
            modifier_conflict,
            composite,
            hcpcs_flags,
        }
    }
}

/// `map_ncci.tsv`: rows `lo hi code1 modifier code2s`, the column-2 codes
/// tail-encoded (each after the first replaces the end of the one before).
fn read_ncci() -> Ncci {
    const T: &str = "map_ncci";
    let mut ids: HashMap<Key, u16, Fast> = HashMap::default();
    let mut id = |k: Key| -> u16 {
        let next = ids.len() as u16;
        *ids.entry(k).or_insert(next)
    };
    let mut pairs = Vec::with_capacity(1_600_000);
    for r in rows("map_ncci.tsv") {
        let (lo, hi) = range(T, &r);
        let code1 = id(code(T, r[2]));
        let modifier: u8 = num(T, r[3]);
        let mut prev = [0u8; 5];
        for (i, part) in r[4].split(',').enumerate() {
            let p = part.as_bytes();
            if i == 0 {
                assert!(
                    p.len() == 5,
                    "medcode-ioce-data {T}: {part:?} is not a code"
                );
                prev.copy_from_slice(p);
            } else {
                assert!(
                    !p.is_empty() && p.len() <= 5,
                    "medcode-ioce-data {T}: bad tail {part:?}"
                );
                prev[5 - p.len()..].copy_from_slice(p);
            }
            let text = std::str::from_utf8(&prev).expect("ASCII codes");
            let code2 = id(code(T, text));
            pairs.push((u32::from(code1) << 16 | u32::from(code2), lo, hi, modifier));
        }
    }
    pairs.sort_unstable();
    let mut by_code1 = HashMap::default();
    let mut start = 0usize;
    for i in 1..=pairs.len() {
        if i == pairs.len() || pairs[i].0 >> 16 != pairs[start].0 >> 16 {
            by_code1.insert((pairs[start].0 >> 16) as u16, (start as u32, i as u32));
            start = i;
        }
    }
    Ncci {
        ids,
        pairs,
        by_code1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `addon_primary_listed` answers the same whichever list it walks:
    /// the codes present, or the add-on's primaries (every add-on of every
    /// map, in three versions, beside some of its primaries, none, and
    /// codes that are no primary of it).
    #[test]
    fn addon_primaries_walked_either_way_agree() {
        let t = Tables::get();
        let mut checked = 0;
        for (name, by_addon) in &t.addon_primaries {
            for (&addon, primaries) in by_addon {
                let others: Vec<Key> = by_addon.keys().copied().take(3).collect();
                for take in [0, 1, primaries.len() / 2, primaries.len()] {
                    let mut codes: Vec<Key> =
                        primaries.iter().copied().step_by(2).take(take).collect();
                    codes.extend(&others);
                    codes.sort_unstable();
                    codes.dedup();
                    for v in [80, 94, 103] {
                        let walk = |count| {
                            t.addon_primary_listed(
                                name,
                                addon,
                                v,
                                count,
                                codes.iter().copied(),
                                |p| codes.binary_search(&p).is_ok(),
                            )
                        };
                        assert_eq!(walk(0), walk(usize::MAX), "{name} {addon} {v}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn diagnosis_keys_leave_the_dot_out() {
        assert_eq!(dx_key("N18.6"), key("N186"));
        assert_eq!(dx_key(" S52.372Q "), key("S52372Q"));
        assert_eq!(dx_key("N186"), key("N186"));
        assert_eq!(dx_key("N1.86"), None);
        assert_eq!(dx_key("N18.6.1"), None);
        assert_eq!(dx_key("S52.372QQQQ"), None);
    }

    /// `key` as it was written first, byte by byte.
    #[test]
    fn key_reads_letters_digits_and_hash() {
        let reference = |code: &str| -> Option<Key> {
            let b = code.as_bytes();
            if b.is_empty() || b.len() > 8 {
                return None;
            }
            let mut k = 0u64;
            for (i, &c) in b.iter().enumerate() {
                if !(c.is_ascii_alphanumeric() || c == b'#') {
                    return None;
                }
                k |= u64::from(c.to_ascii_uppercase()) << (8 * i);
            }
            Some(k)
        };
        for c in (0..=0x2FFu32).filter_map(char::from_u32) {
            for text in [
                c.to_string(),
                format!("G0{c}78"),
                format!("{c}1234567"),
                format!("1234567{c}"),
            ] {
                assert_eq!(key(&text), reference(&text), "{text:?}");
            }
        }
        for text in ["", "99213", "g0463", "a#", "123456789", "12345678", " 1"] {
            assert_eq!(key(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn tables_read() {
        let t = Tables::get();
        assert_eq!(t.versions.len(), 28);
        assert_eq!(t.versions[0].internal, 76);
        // Sorted, none overlapping: what `in_versions` relies on.
        assert!(t.versions.iter().all(|v| v.start <= v.end));
        assert!(t.versions.windows(2).all(|w| w[0].end < w[1].start));
        for d in t
            .versions
            .iter()
            .flat_map(|v| [v.start - 1, v.start, v.end, v.end + 1])
        {
            let any = t.versions.iter().any(|v| v.start <= d && d <= v.end);
            assert_eq!(t.in_versions(d), any, "{d}");
        }
        let g0463 = t.hcpcs.get(&key("G0463").unwrap(), 98).unwrap();
        assert_eq!(g0463.apc, key("05012").unwrap());
        assert_eq!(g0463.status_indicator, key("J2").unwrap());
        // 80053 and 82947: a pair that a modifier may bypass.
        let (a, b) = (
            t.ncci.id(key("80053").unwrap()).unwrap(),
            t.ncci.id(key("82947").unwrap()).unwrap(),
        );
        assert_eq!(t.ncci.pair(a, b, 98), Some(1));
        assert_eq!(t.edits.get(&40, 98).unwrap().disposition, 5);
    }
}
