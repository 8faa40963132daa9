//! ICD-10-CM coding conventions: Excludes1 notes, code-first sequencing,
//! duplicates, the number of diagnoses.

use super::msg::{push, DxField};
use super::registry::Builtin;
use super::Family;
use super::{rule, ClaimKind, Emitter, PreparedClaim, PreparedDx};
use crate::icd10cm::{CodeRange, IcdCm, IcdCmInfo, NoteKind};
use crate::mce::DxFlags;

/// The conventions family (the rules' `rule!` declarations name it).
const FAMILY: Family = Family::Conventions;

/// The conventions rules, in engine order.
pub(super) const RULES: &[Builtin] = &[
    Excludes1::BUILTIN,
    CodeFirst::BUILTIN,
    DuplicateDiagnosis::BUILTIN,
    TooMany::BUILTIN,
];

/// The references of one kind of note at a code and its ancestors, with the
/// code where each note is written.
fn refs_of(info: IcdCmInfo, kind: NoteKind) -> impl Iterator<Item = (IcdCmInfo, CodeRange)> {
    std::iter::once(info)
        .chain(info.ancestors())
        .flat_map(move |at| {
            at.rule_notes()
                .filter(move |n| n.kind == kind)
                .flat_map(|n| n.refs())
                .map(move |r| (at, r))
        })
}

/// One diagnosis that an Excludes1 reference can cover: a parsed code in
/// the tables, with its packed key and length precomputed.
#[derive(Clone, Copy)]
struct Target {
    index: usize,
    key: u64,
    len: usize,
}

impl Target {
    fn code(self) -> IcdCm {
        IcdCm::from_key_unchecked(self.key)
    }
}

/// The packed-key interval of a reference: `range.contains(code)` holds
/// exactly when `code.len() >= n` and `lo <= code.key() <= hi` (the first
/// code's key is the lowest key starting with it, the last code's key with
/// every lower symbol set the highest). The tables hold the same intervals,
/// precomputed, for the screen below.
#[inline]
fn interval(range: CodeRange) -> (u64, u64, usize) {
    let (lo, hi) = crate::key_range::key_interval(range.first.key(), range.last.key());
    (lo, hi, range.first.len())
}

/// One bit of a 64-bit Bloom set for a packed key (quick "surely not
/// there" tests over the few codes of a claim).
#[inline]
fn bloom_bit(key: u64) -> u64 {
    1 << (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

/// The diagnoses an Excludes1 reference could cover, gathered for the
/// screen: up to 16 keys with their claim index, their lowest and highest
/// key, and their categories (`key >> 24`, the top three symbols) as a
/// Bloom set.
struct Screen {
    keys: [u64; 16],
    index: [usize; 16],
    n: usize,
    lowest: u64,
    highest: u64,
    categories: u64,
}

impl Screen {
    /// `None` when the claim has more than 16 such diagnoses (then the
    /// exact walk runs without a screen).
    fn gather(diagnoses: &[PreparedDx<'_>]) -> Option<Screen> {
        let mut s = Screen {
            keys: [0; 16],
            index: [0; 16],
            n: 0,
            lowest: u64::MAX,
            highest: 0,
            categories: 0,
        };
        for d in diagnoses {
            let (Some(code), Some(_)) = (d.code, d.info) else {
                continue;
            };
            if s.n == s.keys.len() {
                return None;
            }
            let key = code.key();
            s.keys[s.n] = key;
            s.index[s.n] = d.index;
            s.n += 1;
            s.lowest = s.lowest.min(key);
            s.highest = s.highest.max(key);
            s.categories |= bloom_bit(key >> 24);
        }
        Some(s)
    }

    /// True if some Excludes1 reference at a diagnosis or an ancestor has
    /// another diagnosis in its key interval. Most claims have none, and then
    /// the rule is done; it never misses a conflict the exact walk would
    /// report, because the walk only reports diagnoses inside these intervals.
    fn any_candidate(&self, diagnoses: &[PreparedDx<'_>]) -> bool {
        for d in diagnoses {
            let (Some(info), Some(code)) = (d.info, d.code) else {
                continue;
            };
            if !info.has_excludes1_in_chain() {
                continue;
            }
            let own = code.key();
            let mut row = Some(info);
            while let Some(at) = row {
                for &(lo, hi) in at.excludes1_intervals() {
                    if hi < self.lowest || lo > self.highest {
                        continue;
                    }
                    if lo >> 24 == hi >> 24 && self.categories & bloom_bit(lo >> 24) == 0 {
                        continue;
                    }
                    for k in 0..self.n {
                        let key = self.keys[k];
                        if key >= lo && key <= hi && self.index[k] != d.index && key != own {
                            return true;
                        }
                    }
                }
                row = at.parent();
            }
        }
        false
    }
}

/// The distinct parsed codes of the claim's diagnoses (those `keep`
/// accepts), sorted by packed key, each with the index of its first
/// occurrence: a range of codes is a slice found by binary search.
fn distinct_targets(c: &PreparedClaim<'_>, keep: impl Fn(&PreparedDx<'_>) -> bool) -> Vec<Target> {
    let mut targets: Vec<Target> = c
        .diagnoses
        .iter()
        .filter(|d| keep(d))
        .filter_map(|d| {
            let key = d.code?.key();
            Some(Target {
                index: d.index,
                key,
                len: crate::codebuf::sixbit::len(key),
            })
        })
        .collect();
    targets.sort_unstable_by_key(|t| (t.key, t.index));
    targets.dedup_by_key(|t| t.key);
    targets
}

/// The targets a reference covers, as a slice of the sorted targets that
/// holds them (callers still test `len` and `range.contains`).
fn covered(targets: &[Target], range: CodeRange) -> (&[Target], usize) {
    let (lo, hi, min_len) = interval(range);
    let from = targets.partition_point(|t| t.key < lo);
    let to = from + targets[from..].partition_point(|t| t.key <= hi);
    (&targets[from..to], min_len)
}

/// The exact Excludes1 walk, for the claims the screen could not clear
/// (kept out of line so the common path stays small). One finding per
/// distinct pair of codes, at their first occurrences; each reference
/// finds the codes it covers by binary search over the distinct codes, so
/// the walk is n·log n in the number of diagnoses (plus the findings, which
/// the emitter bounds).
#[cold]
#[inline(never)]
fn exact_walk(c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
    let targets = distinct_targets(c, |d| d.info.is_some());
    if targets.len() < 2 {
        return;
    }
    let mut reported: std::collections::HashSet<(u64, u64)> = std::collections::HashSet::new();
    let mut found: Vec<Target> = Vec::new();
    // Owners in claim order (first occurrences), notes at the code then its
    // ancestors, refs in note order, covered diagnoses in claim order: the
    // order findings have always been emitted in.
    for d in &c.diagnoses {
        let Some(info) = d.info else { continue };
        let owner = d.index;
        let Some(a) = d.code else { continue };
        let first = targets.binary_search_by_key(&a.key(), |t| t.key);
        if first.map_or(true, |k| targets[k].index != owner) {
            continue; // a repeat: its pairs are the first occurrence's
        }
        for at in std::iter::once(info).chain(info.ancestors()) {
            for note in at.rule_notes() {
                if note.kind != NoteKind::Excludes1 {
                    continue;
                }
                for range in note.refs() {
                    let (slice, min_len) = covered(&targets, range);
                    found.clear();
                    found.extend(slice.iter().copied().filter(|b| {
                        b.len >= min_len && b.key != a.key() && range.contains(b.code())
                    }));
                    found.sort_unstable_by_key(|b| b.index);
                    for b in &found {
                        let bc = b.code();
                        let pair = (a.key().min(b.key), a.key().max(b.key));
                        if !reported.insert(pair) {
                            continue;
                        }
                        let later = owner.max(b.index);
                        out.emit_parts(None, DxField(later), &[a, bc], |m| {
                            use std::fmt::Write;
                            push!(m; a, " and ", bc, " should not be coded together: ", at.code(), " has an Excludes1 note for ");
                            let _ = write!(m, "{range}");
                            m.push_str(" (the two conditions exclude each other; report only the one documented)");
                        });
                        if out.is_full() {
                            return; // the rest would be left out anyway
                        }
                    }
                }
            }
        }
    }
}

rule!(
    Excludes1, "excludes1-conflict", Warning,
    "two diagnoses where one's Excludes1 note (at the code or an ancestor) covers the other: they are not coded together",
    |c, out| {
        let screen = Screen::gather(&c.diagnoses);
        if let Some(screen) = &screen {
            if screen.n < 2 || !screen.any_candidate(&c.diagnoses) { return }
        }
        exact_walk(c, out);
    }
);

rule!(
    CodeFirst,
    "code-first-sequence",
    Warning,
    "a manifestation code with no etiology (code first) diagnosis listed before it",
    |c, out| {
        if !c.any_diagnosis_has(DxFlags::MANIFESTATION) {
            return;
        }
        let mut targets: Option<Vec<Target>> = None;
        let mut memo: std::collections::HashMap<u64, (bool, Option<CodeRange>, usize)> =
            std::collections::HashMap::new();
        for d in &c.diagnoses {
            if !d.has(DxFlags::MANIFESTATION) {
                continue;
            }
            let Some(info) = d.info else { continue };
            // Per distinct manifestation code: the first diagnosis any of
            // its code-first references covers (binary search over the
            // distinct codes), so repeats cost a lookup, not a rescan.
            let targets = targets.get_or_insert_with(|| distinct_targets(c, |_| true));
            let (any_ref, named, earliest) = *memo.entry(info.code().key()).or_insert_with(|| {
                let mut any_ref = false;
                let mut named: Option<CodeRange> = None;
                let mut earliest = usize::MAX;
                for (_, r) in refs_of(info, NoteKind::CodeFirst) {
                    any_ref = true;
                    named.get_or_insert(r);
                    let (slice, min_len) = covered(targets, r);
                    for e in slice {
                        if e.index < earliest && e.len >= min_len && r.contains(e.code()) {
                            earliest = e.index;
                        }
                    }
                }
                (any_ref, named, earliest)
            });
            let satisfied = if any_ref {
                earliest < d.index
            } else {
                d.index > 0
            };
            if !satisfied {
                out.emit_parts(None, DxField(d.index), &[d], |m| {
                    use std::fmt::Write;
                    push!(m; d, " is a manifestation code: code first the underlying condition");
                    if let Some(r) = named {
                        let _ = write!(m, " (such as {r})");
                    }
                    push!(m; " and list it before ", d);
                });
            }
        }
    }
);

rule!(
    DuplicateDiagnosis, "duplicate-diagnosis", Error,
    "the same diagnosis code listed twice (on institutional claims, repeats of the principal are duplicate-of-principal)",
    |c, out| {
        if !c.dx_repeat_possible { return }
        // The first index of each code, by hash (linear in the diagnoses).
        let mut first_of: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        for d in &c.diagnoses {
            let Some(code) = d.code else { continue };
            let first = &c.diagnoses[*first_of.entry(code.key()).or_insert(d.index)];
            if first.index == d.index { continue }
            if first.index == 0 && c.kind == ClaimKind::Institutional { continue }
            out.emit_parts(None, DxField(d.index), &[code], |m| {
                push!(m; "diagnosis ", d.index + 1, " repeats ", code, ", already listed as diagnosis ", first.index + 1);
            });
        }
    }
);

rule!(
    TooMany, "too-many-diagnoses", Error,
    "more diagnoses than the claim form holds: 12 on a professional claim, 25 on an institutional claim",
    |c, out| {
        let max = match c.kind { ClaimKind::Professional => 12, ClaimKind::Institutional => 25 };
        if c.diagnoses.len() > max {
            let kind = match c.kind { ClaimKind::Professional => "professional", ClaimKind::Institutional => "institutional" };
            out.emit_parts::<&str>(None, "diagnoses", &[], |m| {
                push!(m; c.diagnoses.len(), " diagnoses: a ", kind, " claim holds at most ", max);
            });
        }
    }
);
