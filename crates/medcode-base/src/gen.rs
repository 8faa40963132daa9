//! Helpers for the data crates' build scripts (feature `gen`): reading the
//! refresh tool's TSV tables and writing the generated Rust tables (arrays,
//! perfect-hash tables, validity windows, text blobs) that the data crates
//! `include!`. Build scripts panic on bad data: a bad table fails the build
//! with the file and row named.

use crate::phash;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// True if the crate is built with Cargo feature `name` (on by default; a
/// feature off leaves its tables out: empty arrays and blobs, same names).
pub fn feature(name: &str) -> bool {
    let var = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
    std::env::var_os(var).is_some()
}

/// Writes `text` to `path` unless it already holds it (so cargo sees no
/// change and rebuilds nothing).
pub fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

/// Rows of a data table, without its generated-by comment line.
pub fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading {}: {e} (run the refresh tool?)", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Field `i` of a row; panics naming the file and the row when it is missing.
pub fn col<'a>(row: &'a [String], i: usize, path: &str) -> &'a str {
    row.get(i)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("{path}: row {row:?} has no column {i}"))
}

/// Packs an undotted code ([`crate::key::pack`]), panicking on anything
/// but one to seven upper-case letters and digits.
pub fn pack(code: &str) -> u64 {
    let b = code.as_bytes();
    assert!(
        (1..=7).contains(&b.len())
            && b.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
        "bad code in data/: {code:?}"
    );
    crate::key::pack(b)
}

/// A `yyyymmdd` date of a table, as a number.
pub fn date(s: &str) -> u32 {
    s.parse()
        .unwrap_or_else(|_| panic!("bad date in data/: {s:?}"))
}

/// A text blob with offsets; `push` returns the (start, end) byte range.
#[derive(Default)]
pub struct Blob(pub String);
impl Blob {
    pub fn push(&mut self, s: &str) -> (u32, u32) {
        let start = self.0.len() as u32;
        self.0.push_str(s);
        (start, self.0.len() as u32)
    }
}

/// Appends `pub static {name}: [{ty}; n] = [...]` to `src`.
pub fn emit_array<T: std::fmt::Display>(
    src: &mut String,
    name: &str,
    ty: &str,
    items: impl IntoIterator<Item = T>,
) {
    let items: Vec<String> = items.into_iter().map(|x| x.to_string()).collect();
    let _ = write!(src, "pub static {name}: [{ty}; {}] = [", items.len());
    for (i, item) in items.iter().enumerate() {
        if i % 16 == 0 {
            src.push('\n');
        }
        src.push_str(item);
        src.push(',');
    }
    src.push_str("\n];\n");
}

/// Appends the perfect-hash table of `keys` (`{prefix}_SEED`, `_PILOTS`,
/// `_SLOTS`; [`crate::phash`]).
pub fn emit_table(src: &mut String, prefix: &str, keys: &[u64]) {
    let built = phash::build(keys);
    let _ = writeln!(src, "pub const {prefix}_SEED: u64 = {};", built.seed);
    emit_array(src, &format!("{prefix}_PILOTS"), "u16", built.pilots.iter());
    emit_array(src, &format!("{prefix}_SLOTS"), "u64", built.slots.iter());
}

/// The bit set of comma-separated MCE flag `flags`, bit `i` for `names[i]`;
/// a flag not in `names` fails the build.
pub fn flag_bits(names: &[&str], flags: &str, path: &str) -> u32 {
    flags
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| {
            let bit = names.iter().position(|n| *n == f).unwrap_or_else(|| {
                panic!("{path}: MCE flag {f:?} is not in medcode_base::mce_names")
            });
            1u32 << bit
        })
        .fold(0, |a, b| a | b)
}

/// Validity windows grouped by code: BTreeMap code -> [(start, end, flags)].
pub fn validity(path: &Path, names: &[&str]) -> BTreeMap<String, Vec<(u32, u32, u32)>> {
    let p = path.display().to_string();
    let mut map: BTreeMap<String, Vec<(u32, u32, u32)>> = BTreeMap::new();
    for r in rows(path) {
        let flags = r.get(3).map(String::as_str).unwrap_or("");
        map.entry(col(&r, 0, &p).to_owned()).or_default().push((
            date(col(&r, 1, &p)),
            date(col(&r, 2, &p)),
            flag_bits(names, flags, &p),
        ));
    }
    for w in map.values_mut() {
        w.sort();
    }
    map
}

/// The one date of a `horizon.tsv`: the last day a code table covers.
pub fn horizon(path: &Path) -> u32 {
    let p = path.display().to_string();
    match rows(path).as_slice() {
        [row] => date(col(row, 0, &p)),
        _ => panic!("{p}: expected one row, the last day the table covers"),
    }
}

/// Release dates: every window start, and every day after a window end that
/// falls before the horizon.
pub fn releases(windows: &BTreeMap<String, Vec<(u32, u32, u32)>>, horizon: u32) -> Vec<u32> {
    let mut set = std::collections::BTreeSet::new();
    for ws in windows.values() {
        for &(start, _, _) in ws {
            set.insert(start);
        }
    }
    // Ends are always the day before some start in CMS's tables; the set of
    // starts is therefore the set of releases. Check it rather than assume it.
    for ws in windows.values() {
        for &(_, end, _) in ws {
            if end < horizon {
                assert!(
                    set.range(end + 1..).next().is_some(),
                    "window ending {end} is not followed by any release"
                );
            }
        }
    }
    set.into_iter().collect()
}

/// Appends every code's validity periods (`{prefix}_WINDOWS`: `(start, end)`,
/// yyyymmdd) and where each code's periods start (`{prefix}_WIN_START`, one
/// more for the end). Flags are left out: the MCE's own crate holds them,
/// period for period ([`emit_period_flags`]).
pub fn emit_windows(
    src: &mut String,
    prefix: &str,
    codes: &[String],
    windows: &BTreeMap<String, Vec<(u32, u32, u32)>>,
) {
    let mut starts = vec![0u32];
    let mut flat = Vec::new();
    for c in codes {
        if let Some(ws) = windows.get(c) {
            flat.extend(ws.iter().map(|&(s, e, _)| format!("({s},{e})")));
        }
        starts.push(flat.len() as u32);
    }
    emit_array(src, &format!("{prefix}_WIN_START"), "u32", starts);
    emit_array(src, &format!("{prefix}_WINDOWS"), "(u32, u32)", flat);
}

/// Appends the flag bits of every period (`{prefix}_FLAGS`), in the order
/// [`emit_windows`] lays the periods out, and the layout's fingerprint
/// (`{prefix}_FINGERPRINT`, [`crate::align::of_rows`]).
pub fn emit_period_flags(
    src: &mut String,
    prefix: &str,
    codes: &[String],
    windows: &BTreeMap<String, Vec<(u32, u32, u32)>>,
) {
    let mut flags = Vec::new();
    let mut periods: Vec<Vec<(u32, u32)>> = Vec::with_capacity(codes.len());
    for c in codes {
        let ws = windows.get(c).map(Vec::as_slice).unwrap_or_default();
        flags.extend(ws.iter().map(|w| w.2));
        periods.push(ws.iter().map(|&(s, e, _)| (s, e)).collect());
    }
    let keys: Vec<u64> = codes.iter().map(|c| pack(c)).collect();
    let fingerprint = crate::align::of_rows(&keys, |i| &periods[i]);
    let _ = writeln!(src, "pub const {prefix}_FINGERPRINT: u64 = {fingerprint};");
    let _ = writeln!(src, "pub const {prefix}_ROWS: usize = {};", codes.len());
    emit_array(src, &format!("{prefix}_FLAGS"), "u32", flags);
}

/// Twin of `Date::compact` in medcode's `date.rs` (a test checks they agree through `valid_on`).
pub fn compact(ymd: u32) -> u32 {
    let (y, m, d) = (ymd / 10_000, ymd / 100 % 100, ymd % 100);
    if y < 2000 {
        0
    } else if y > 2170 {
        0xFFFE
    } else {
        ((y - 2000) * 12 + (m - 1)) * 32 + d
    }
}

/// Per code, the span from its first valid day to its last as two compact
/// dates (`from << 16 | to`), so `valid_on` needs one small load. Codes whose
/// windows have gaps get `u32::MAX` and take the slow path; codes never
/// billable get an empty span (from > to).
pub fn emit_spans(
    src: &mut String,
    prefix: &str,
    codes: &[String],
    windows: &BTreeMap<String, Vec<(u32, u32, u32)>>,
) {
    let spans = codes.iter().map(|c| match windows.get(c) {
        None => 0xFFFF_0000u32,
        Some(ws) => {
            let contiguous = ws.windows(2).all(|p| compact_next_day(p[0].1) == p[1].0);
            if contiguous {
                (compact(ws[0].0) << 16) | compact(ws[ws.len() - 1].1)
            } else {
                u32::MAX
            }
        }
    });
    emit_array(src, &format!("{prefix}_SPAN"), "u32", spans);
}

/// Per code, its one MCE period inline, so `flags_on` needs one load
/// instead of two dependent ones (the row's start, then its window), each a
/// cache miss on a claim's random codes: `from << 48 | to << 32 | flags`
/// with compact dates when the code has exactly one period; an empty range
/// (`0xFFFF << 48`) when it has none; `u64::MAX` (take the slow path) when
/// it has several.
pub fn emit_single_windows(
    src: &mut String,
    prefix: &str,
    codes: &[String],
    windows: &BTreeMap<String, Vec<(u32, u32, u32)>>,
) {
    let singles = codes
        .iter()
        .map(|c| match windows.get(c).map(Vec::as_slice) {
            None | Some([]) => 0xFFFF_u64 << 48,
            Some(&[(s, e, f)]) => {
                (u64::from(compact(s)) << 48) | (u64::from(compact(e)) << 32) | u64::from(f)
            }
            Some(_) => u64::MAX,
        });
    emit_array(src, &format!("{prefix}_SINGLE_WINDOW"), "u64", singles);
}

/// The day after `ymd` (yyyymmdd), as yyyymmdd.
pub fn compact_next_day(ymd: u32) -> u32 {
    let (y, m, d) = (ymd / 10_000, ymd / 100 % 100, ymd % 100);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d < days {
        ymd + 1
    } else if m < 12 {
        y * 10_000 + (m + 1) * 100 + 1
    } else {
        (y + 1) * 10_000 + 101
    }
}

/// Older titles (`title_history.tsv`: code, until, title, short): a blob of
/// title then short title per row and rows `(code row, until, title start,
/// title end = short start, short end)`, sorted by code row then `until`.
pub fn emit_title_history(
    src: &mut String,
    out: &Path,
    prefix: &str,
    path: &Path,
    index: &BTreeMap<&str, u32>,
    keep: bool,
) {
    let name = path.display().to_string();
    let mut blob = Blob::default();
    let mut rows_out: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
    for r in rows(path).into_iter().filter(|_| keep) {
        let i = *index
            .get(r[0].as_str())
            .unwrap_or_else(|| panic!("{name}: unknown code {}", r[0]));
        let until = date(col(&r, 1, &name));
        let (ts, te) = blob.push(col(&r, 2, &name));
        let (_, se) = blob.push(r.get(3).map(String::as_str).unwrap_or(""));
        rows_out.push((i, until, ts, te, se));
    }
    rows_out.sort_unstable();
    emit_array(
        src,
        &format!("{prefix}_TITLE_HIST"),
        "(u32, u32, u32, u32, u32)",
        rows_out
            .iter()
            .map(|(i, u, a, b, c)| format!("({i},{u},{a},{b},{c})")),
    );
    let file = format!("{}_title_hist.txt", prefix.to_lowercase());
    write_if_changed(&out.join(&file), &blob.0);
    let _ = writeln!(
        src,
        "pub static {prefix}_TITLE_HIST_TEXT: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));"
    );
}
