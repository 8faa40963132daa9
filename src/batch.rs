//! Many codes at once against one perfect-hash table, with the table's
//! memory loads of a block of codes overlapped instead of one code's loads
//! after another's. Shared by `icd10cm::valid_many` and
//! `icd10pcs::valid_many` (and their Arrow forms): the codes come through an
//! indexed accessor, so a slice of strings and an Arrow string column feed
//! the same loop without a `Vec<&str>` in between.

use crate::date::Date;
use crate::phash;
use crate::validity::{AsOf, DatedRows};

/// Codes probed together. Each stage below runs over the whole block before
/// the next starts, so the block's loads of one kind (slots, then validity
/// spans) are independent of each other and the CPU issues them together:
/// many cache misses in flight instead of one. Measured on this project's
/// VM on a quiet machine, separate builds taking turns (1,000,000 random
/// codes, `examples/valid_many`): 8 gave 9.6–10.1 ns a code, 12 10.4, 16
/// 10.6–10.8, 4 11.2–11.4, 32 10.8–11.0 (BENCHMARKS.md).
const BLOCK: usize = 8;

/// One code system's table: perfect hash and validity rows.
pub(crate) struct Table {
    pub seed: u64,
    pub pilots: &'static [u16],
    pub slots: &'static [u64],
    pub dated: &'static DatedRows,
}

/// `out[i]` = whether `code(i)` parses (`key` answers its packed key, 0 for
/// not a code: no packed code is 0) to a code of `table` valid on `date`,
/// for `i` in `0..out.len()`.
#[inline(always)]
pub(crate) fn valid_indexed<'a>(
    table: &Table,
    key: impl Fn(&str) -> u64,
    code: impl Fn(usize) -> &'a str,
    date: Date,
    out: &mut [bool],
) {
    let (pilots, slots) = (table.pilots, table.slots);
    let (n_buckets, n_slots) = (pilots.len() as u32, slots.len() as u32);
    // The date's forms, once for all the codes.
    let as_of = table.dated.as_of(date);
    // Software pipelined: block k's slots are loaded, then block k - 1's
    // rows are checked (their validity spans loaded), so the two blocks'
    // cache misses are in flight together.
    let mut keys_prev = [0u64; BLOCK];
    let mut entries_prev = [0u64; BLOCK];
    let mut prev: Option<&mut [bool]> = None;
    for (b, out) in out.chunks_mut(BLOCK).enumerate() {
        let start = b * BLOCK;
        // 1. Parse; 0 = not a code.
        let mut keys = [0u64; BLOCK];
        for (j, k) in keys.iter_mut().take(out.len()).enumerate() {
            *k = key(code(start + j));
        }
        // 2. The slot of each key (the pilot array is small and stays cached),
        // loaded together.
        let mut entries = [0u64; BLOCK];
        for (entry, &key) in entries.iter_mut().zip(&keys) {
            let h = phash::hash(key, table.seed);
            let pilot = pilots[phash::bucket(h, n_buckets)];
            *entry = slots[phash::slot(h, pilot, n_slots)];
        }
        // 3. The previous block: its rows' validity spans, loaded together.
        if let Some(prev_out) = prev.take() {
            finish(table.dated, prev_out, &keys_prev, &entries_prev, as_of);
        }
        keys_prev = keys;
        entries_prev = entries;
        prev = Some(out);
    }
    if let Some(prev_out) = prev {
        finish(table.dated, prev_out, &keys_prev, &entries_prev, as_of);
    }
}

#[inline(always)]
fn finish(dated: &DatedRows, out: &mut [bool], keys: &[u64], entries: &[u64], as_of: AsOf) {
    for ((out, &key), &entry) in out.iter_mut().zip(keys).zip(entries) {
        *out = key != 0
            && entry >> phash::VALUE_BITS == key
            && dated.valid_as_of((entry & phash::VALUE_MASK) as usize, as_of);
    }
}

/// The Arrow form: validity of every value of a string column, null where
/// the column is null (logical nulls, so a dictionary's null values too).
#[cfg(feature = "arrow")]
#[inline(always)]
pub(crate) fn valid_arrow<'a, A>(
    table: &Table,
    key: impl Fn(&str) -> u64,
    codes: A,
    date: Date,
) -> arrow_array::BooleanArray
where
    A: arrow_array::ArrayAccessor<Item = &'a str>,
{
    use arrow_buffer::BooleanBuffer;
    let mut out = vec![false; codes.len()];
    valid_indexed(table, key, |i| codes.value(i), date, &mut out);
    let values = BooleanBuffer::from(out);
    let nulls = codes.logical_nulls();
    // Under a null the value is false (not whatever the slot's text gave).
    let values = match &nulls {
        Some(n) => &values & n.inner(),
        None => values,
    };
    arrow_array::BooleanArray::new(values, nulls)
}
