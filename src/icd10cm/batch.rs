//! Many codes at once: [`valid_many`], with the table's memory loads of a
//! block of codes overlapped instead of one code's loads after another's.

use super::{IcdCm, DATED};
use crate::date::Date;
use crate::phash;
use crate::tables as t;

/// Codes probed together. Each stage below runs over the whole block before
/// the next starts, so the block's loads of one kind (slots, then validity
/// spans) are independent of each other and the CPU issues them together:
/// many cache misses in flight instead of one. Measured on this project's
/// VM, blocks taking turns in one process (1,000,000 random codes): 8 and
/// 16 were equally fast, 4, 32 and 64 slower (BENCHMARKS.md).
const BLOCK: usize = 16;

/// For each code in `codes`, whether it is a billable ICD-10-CM code valid
/// on `date` (as of the horizon for later dates): `out[i]` is
/// `IcdCm::parse(codes[i]).is_ok_and(|c| c.valid_on(date))`, for any input
/// (dotted or not, any case, surrounding whitespace, or not a code at all).
/// Several times faster per code than asking one code at a time on codes in
/// random order, because the table lookups of a block of codes overlap.
///
/// # Panics
/// If `out` is not as long as `codes`.
///
/// ```
/// use medcode::{icd10cm, Date};
/// let codes = ["E11.9", "e119", "E11", "E11.A", "nonsense", " I10 "];
/// let mut out = [false; 6];
/// icd10cm::valid_many(&codes, Date::new(2025, 10, 1)?, &mut out);
/// assert_eq!(out, [true, true, false, true, false, true]);
/// icd10cm::valid_many(&codes, Date::new(2025, 6, 1)?, &mut out);
/// assert_eq!(out, [true, true, false, false, false, true]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn valid_many<S: AsRef<str>>(codes: &[S], date: Date, out: &mut [bool]) {
    assert_eq!(
        codes.len(),
        out.len(),
        "valid_many: out must be as long as codes"
    );
    let (pilots, slots) = (&t::CM_PILOTS[..], &t::CM_SLOTS[..]);
    let (n_buckets, n_slots) = (pilots.len() as u32, slots.len() as u32);
    // Software pipelined: block k's slots are loaded, then block k - 1's
    // rows are checked (their validity spans loaded), so the two blocks'
    // cache misses are in flight together.
    let mut keys_prev = [0u64; BLOCK];
    let mut entries_prev = [0u64; BLOCK];
    let mut prev: Option<&mut [bool]> = None;
    for (codes, out) in codes.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
        // 1. Parse; 0 = not a code (no packed code is 0).
        let mut keys = [0u64; BLOCK];
        for (key, code) in keys.iter_mut().zip(codes) {
            *key = IcdCm::parse(code.as_ref()).map_or(0, IcdCm::key);
        }
        // 2. The slot of each key (the pilot array is small and stays cached),
        // loaded together.
        let mut entries = [0u64; BLOCK];
        for (entry, &key) in entries.iter_mut().zip(&keys) {
            let h = phash::hash(key, t::CM_SEED);
            let pilot = pilots[phash::bucket(h, n_buckets)];
            *entry = slots[phash::slot(h, pilot, n_slots)];
        }
        // 3. The previous block: its rows' validity spans, loaded together.
        if let Some(prev_out) = prev.take() {
            finish(prev_out, &keys_prev, &entries_prev, date);
        }
        keys_prev = keys;
        entries_prev = entries;
        prev = Some(out);
    }
    if let Some(prev_out) = prev {
        finish(prev_out, &keys_prev, &entries_prev, date);
    }
}

#[inline(always)]
fn finish(out: &mut [bool], keys: &[u64], entries: &[u64], date: Date) {
    for ((out, &key), &entry) in out.iter_mut().zip(keys).zip(entries) {
        *out = key != 0
            && entry >> phash::VALUE_BITS == key
            && DATED.valid_on((entry & phash::VALUE_MASK) as usize, date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_many_equals_one_at_a_time() {
        let mut codes: Vec<String> = super::super::all()
            .step_by(3)
            .map(|i| i.code().to_string())
            .collect();
        let n = codes.len();
        for i in (0..n).step_by(5) {
            codes.push(codes[i].replace('.', "").to_lowercase());
        }
        codes.extend(
            [
                "", " ", "E1", "E11.", "Q99.999", "E11.9 ", "\tI10", "ZZZZZZZZ", "é", "E119999",
            ]
            .map(String::from),
        );
        for date in ["2015-10-01", "2020-01-01", "2025-10-01", "2030-01-01"] {
            let date: Date = date.parse().unwrap();
            let mut out = vec![false; codes.len()];
            valid_many(&codes, date, &mut out);
            for (code, &got) in codes.iter().zip(&out) {
                let want = IcdCm::parse(code).is_ok_and(|c| c.valid_on(date));
                assert_eq!(got, want, "{code:?} on {date}");
            }
            assert!(out.iter().filter(|&&v| v).count() > 1000);
        }
    }
}
