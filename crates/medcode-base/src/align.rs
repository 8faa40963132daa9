//! Proof that two data crates' tables line up row for row.
//!
//! The MCE's tables (`medcode-mce-data`) are indexed by the ICD-10 code
//! tables' rows and periods, so that a claim's codes, looked up once in a
//! code table, find their MCE flags with one more load. The two crates are
//! generated from one refresh run; each build records a [`fingerprint`] of
//! the rows and periods it laid out, and medcode's tests check that the two
//! agree.

/// One step of a running fingerprint: `h` folded with `x` (FNV-1a over the
/// value's eight bytes).
///
/// ```
/// use medcode_base::align::{fingerprint, START};
/// let a = fingerprint(fingerprint(START, 1), 2);
/// let b = fingerprint(fingerprint(START, 2), 1);
/// assert_ne!(a, b);
/// ```
pub const fn fingerprint(mut h: u64, x: u64) -> u64 {
    let bytes = x.to_le_bytes();
    let mut i = 0;
    while i < 8 {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// The fingerprint of nothing (FNV-1a's offset basis).
pub const START: u64 = 0xcbf2_9ce4_8422_2325;

/// The fingerprint of a code table's layout: for each row in order, its
/// packed key, then the start and end (yyyymmdd) of each of its periods.
/// `periods(i)` gives row `i`'s periods.
pub fn of_rows<'a>(keys: &[u64], mut periods: impl FnMut(usize) -> &'a [(u32, u32)]) -> u64 {
    let mut h = START;
    for (i, &key) in keys.iter().enumerate() {
        h = fingerprint(h, key);
        for &(s, e) in periods(i) {
            h = fingerprint(fingerprint(h, u64::from(s)), u64::from(e));
        }
    }
    h
}
