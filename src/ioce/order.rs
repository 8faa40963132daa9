//! The order of the I/OCE's edit lists. The I/OCE lists each edit where it
//! runs it, so a list follows its run order, not edit numbers. The orders
//! below were read from its answers (docs/design/ioce-logic-claim.md §5.2,
//! docs/design/ioce-logic-pairs.md); an edit not listed sorts after the
//! listed ones, by number.

/// The claim lists' order: the return-to-provider, suspension, line
/// rejection and line denial edits in run order (each edit is in one list,
/// so one sequence serves all six). A topological order of every pair of
/// edits seen together in one of the claim's lists in 200,000 answers
/// (the CI seed and seeds 1–3), the earlier order kept where no pair
/// decides and for the pairs seen both ways (020/040, 072/102 on 85x,
/// 106/108, 013/028: the rules in [`claim_rank`] and the engine).
const CLAIM_ORDER: &[u16] = &[
    27, 10, 46, 1, 41, 6, 22, 60, 70, 26, 2, 25, 5, 113, 86, 50, 48, 55, 72, 89, 90, 102, 114, 126,
    123, 43, 73, 79, 87, 124, 120, 133, 81, 122, 99, 109, 116, 29, 80, 44, 58, 88, 100, 101, 38,
    118, 190, 11, 12, 66, 53, 7, 112, 76, 65, 28, 13, 127, 110, 111, 93, 91, 134, 136, 20, 40, 17,
    45, 117, 47, 128, 18, 49, 9, 69, 30, 68, 67, 83, 115, 106, 108, 121, 35, 107, 131, 191, 92, 37,
    74, 61, 135, 62, 21, 82, 42, 98,
];

/// A line's `hcpcs_edits` order (docs/design/ioce-logic-lines.md §2.2 and
/// ioce-logic-pairs.md): the line's own edits, then NCCI's 020/040 in the
/// order they were raised (the column-1 lines' claim order), then the edits
/// the I/OCE runs after NCCI, then 021, 042. A topological order of every
/// pair of edits seen together on a line in 200,000 answers of every type
/// of bill (the CI seed and seeds 1–3), the earlier order kept where no
/// pair decides.
const LINE_ORDER: &[u16] = &[
    6, 11, 7, 9, 18, 83, 28, 50, 112, 72, 13, 53, 49, 12, 35, 76, 93, 100, 66, 55, 102, 124, 114,
    127, 69, 68, 67, 43, 73, 79, 87, 133, 81, 58, 60, 70, 121, 126, 47, 101, 110, 120, 111, 116,
    NCCI, 38, 134, 136, 30, 80, 82, 108, 115, 106, 91, 122, 99, 44, 92, 37, 98, 61, 17, 74, 62, 45,
    135, 117, 21, 42,
];

/// The place of NCCI's edits in [`LINE_ORDER`].
pub(crate) const NCCI: u16 = u16::MAX;

fn rank(order: &[u16], edit: u16) -> u32 {
    order
        .iter()
        .position(|&e| e == edit)
        .map_or(1_000 + u32::from(edit), |i| i as u32)
}

/// [`rank`] of every edit number below 1,024 in `order`, worked out at
/// compile time: a list's sort asks for ranks many times, and each was a
/// search through the order's 120 numbers (a fifth of a claim's final
/// pass).
const fn ranks(order: &[u16]) -> [u16; 1024] {
    let mut t = [0u16; 1024];
    let mut e = 0;
    while e < 1024 {
        t[e] = 1_000 + e as u16;
        e += 1;
    }
    // (From the end, so that a number listed twice keeps its first place,
    // as `position` finds it.)
    let mut i = order.len();
    while i > 0 {
        i -= 1;
        let e = order[i] as usize;
        if e < 1024 {
            t[e] = i as u16;
        }
    }
    t
}

const CLAIM_RANKS: [u16; 1024] = ranks(CLAIM_ORDER);
const LINE_RANKS: [u16; 1024] = ranks(LINE_ORDER);

/// [`rank`] from its table when the number is in it.
fn rank_in(order: &[u16], ranks: &[u16; 1024], edit: u16) -> u32 {
    match ranks.get(usize::from(edit)) {
        Some(&r) => u32::from(r),
        None => rank(order, edit),
    }
}

/// The sort key of `edit` in a claim list; on a claim of several days the
/// line denials 018 and 049 come before 009; on a critical access
/// hospital's claim (`cah`, 85x) 072 comes right after 102 (pyoce: 10 of
/// 10 such claims with both, where the other bill types' 82 of 82 list
/// 072 first).
pub(crate) fn claim_rank(edit: u16, multi_day: bool, cah: bool) -> u32 {
    if multi_day && matches!(edit, 18 | 49) {
        return rank_in(CLAIM_ORDER, &CLAIM_RANKS, 9) * 4 - 2 + u32::from(edit == 49);
    }
    if cah && edit == 72 {
        return rank_in(CLAIM_ORDER, &CLAIM_RANKS, 102) * 4 + 1;
    }
    rank_in(CLAIM_ORDER, &CLAIM_RANKS, edit) * 4
}

/// The sort key of `edit` in a line's `hcpcs_edits`.
pub(crate) fn line_rank(edit: u16) -> u32 {
    if matches!(edit, 20 | 40) {
        return rank(LINE_ORDER, NCCI);
    }
    rank_in(LINE_ORDER, &LINE_RANKS, edit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables answer as the search through the orders.
    #[test]
    fn ranks_are_the_orders_places() {
        for edit in (0..2_000).chain([u16::MAX - 1, NCCI]) {
            assert_eq!(
                rank_in(CLAIM_ORDER, &CLAIM_RANKS, edit),
                rank(CLAIM_ORDER, edit)
            );
            assert_eq!(
                rank_in(LINE_ORDER, &LINE_RANKS, edit),
                rank(LINE_ORDER, edit)
            );
        }
    }
}
