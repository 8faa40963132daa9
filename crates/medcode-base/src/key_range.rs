//! The packed-key interval of a code reference: shared by the build script
//! (which stores the Excludes1 references of each code as intervals) and the
//! `excludes1-conflict` rule (which reads them).

/// The interval `[first, last with every empty symbol set]` of a reference
/// from `first` to `last` (packed keys): a code falls in the reference only
/// if its key falls in the interval. The empty symbols of `last` are its
/// trailing zero bits, rounded down to whole 6-bit symbols.
pub fn key_interval(first: u64, last: u64) -> (u64, u64) {
    let empty_bits = last.trailing_zeros() / 6 * 6;
    let mask = if empty_bits >= 64 {
        u64::MAX
    } else {
        (1u64 << empty_bits) - 1
    };
    (first, last | mask)
}
