//! The JSON reader's lists, one set per thread ([`crate::scratch`]): a claim
//! read from JSON takes them ([`take_diagnoses`] …) and gives them back once
//! checked ([`recycle_read`]), two to three fewer allocations a claim on the
//! JSON Lines path.

use super::{ClaimLineRef, ClaimRef, DiagnosisRef, ProcedureRef};
use crate::scratch::{give_back, keep_forgetting};
use std::borrow::Cow;
use std::cell::Cell;

thread_local! {
    // Given back by `recycle` and `recycle_read`.
    pub(crate) static READ_DIAGNOSES: Cell<Vec<DiagnosisRef<'static>>> = const { Cell::new(Vec::new()) };
    pub(crate) static READ_PROCEDURES: Cell<Vec<ProcedureRef<'static>>> = const { Cell::new(Vec::new()) };
    pub(crate) static READ_LINES: Cell<Vec<ClaimLineRef<'static>>> = const { Cell::new(Vec::new()) };
    // The lines' modifier lists, emptied (up to `KEEP_MODIFIER_LISTS`).
    pub(crate) static READ_MODIFIERS: Cell<Vec<Vec<Cow<'static, str>>>> = const { Cell::new(Vec::new()) };
}

/// How many emptied modifier lists a thread keeps (one a line of a long
/// claim).
const KEEP_MODIFIER_LISTS: usize = crate::scratch::KEEP_LINES_AT_MOST;

/// An emptied modifier list kept from an earlier claim, or a new one with
/// room for a typical list.
pub(crate) fn take_modifiers<'a>() -> Vec<Cow<'a, str>> {
    READ_MODIFIERS
        .try_with(|pool| {
            let mut lists = pool.take();
            let list = lists.pop();
            pool.set(lists);
            list
        })
        .ok()
        .flatten()
        .map_or_else(|| Vec::with_capacity(8), crate::scratch::relabel)
}

/// Keeps one emptied list of borrowed texts as a modifier list.
fn keep_modifier_list(list: Vec<Cow<'_, str>>) {
    if !crate::scratch::worth_keeping(&list) {
        return;
    }
    let _ = READ_MODIFIERS.try_with(|pool| {
        let mut lists = pool.take();
        if lists.len() < KEEP_MODIFIER_LISTS {
            lists.push(crate::scratch::relabel_forgetting(list));
        }
        pool.set(lists);
    });
}

/// Keeps the lines' modifier lists (their texts borrowed: forgotten, not
/// dropped) for the next claim's lines.
fn keep_modifiers(lines: &mut [ClaimLineRef<'_>]) {
    if lines.iter().all(|l| l.modifiers.capacity() == 0) {
        return;
    }
    let _ = READ_MODIFIERS.try_with(|pool| {
        let mut lists = pool.take();
        for l in lines {
            if lists.len() < KEEP_MODIFIER_LISTS && crate::scratch::worth_keeping(&l.modifiers) {
                lists.push(crate::scratch::relabel_forgetting(std::mem::take(
                    &mut l.modifiers,
                )));
            }
        }
        pool.set(lists);
    });
}

/// Keeps the allocations of a claim read from JSON, once checked, for
/// the next claim the thread reads (two to three fewer allocations a
/// claim on the JSON Lines path).
pub(crate) fn recycle(claim: &mut ClaimRef<'_>) {
    give_back(&READ_DIAGNOSES, std::mem::take(&mut claim.diagnoses));
    give_back(&READ_PROCEDURES, std::mem::take(&mut claim.procedures));
    crate::scratch::give_back_lines(&READ_LINES, std::mem::take(&mut claim.lines));
}

/// [`recycle`] for a claim the JSON reader read (`fast_json`): every
/// text in it borrowed, so the diagnoses and procedures hold nothing to
/// free and are emptied without a drop per item (`forget`, a loop the
/// compiler removes); the lines (their lists own memory) are emptied as
/// `recycle` empties them. Its other fields need no drop either: the
/// caller may `forget` the claim after.
pub(crate) fn recycle_read(claim: &mut ClaimRef<'_>) {
    debug_assert!(only_borrowed(claim));
    keep_forgetting(&READ_DIAGNOSES, std::mem::take(&mut claim.diagnoses));
    keep_forgetting(&READ_PROCEDURES, std::mem::take(&mut claim.procedures));
    // Tested here: most claims of a kind have no lines, and the call
    // (out of line) would cost them 30 instructions.
    if claim.lines.capacity() != 0 {
        keep_modifiers(&mut claim.lines);
        crate::scratch::give_back_lines(&READ_LINES, std::mem::take(&mut claim.lines));
    }
    // The condition codes and reasons for visit, when only borrowed, are
    // kept as modifier lists (the same type).
    for list in [&mut claim.condition_codes, &mut claim.reason_for_visit] {
        if list.capacity() != 0 && list.iter().all(|c| matches!(c, Cow::Borrowed(_))) {
            keep_modifier_list(std::mem::take(list));
        }
    }
    // The UB-04 lists (rare) own memory and are not kept: freed here,
    // since the caller forgets the claim. One test for the four.
    if claim.condition_codes.capacity()
        | claim.occurrence_codes.capacity()
        | claim.value_codes.capacity()
        | claim.reason_for_visit.capacity()
        != 0
    {
        drop_ub04_lists(claim);
    }
}

/// Frees a claim's UB-04 lists (out of line: most claims have none).
#[cold]
#[inline(never)]
fn drop_ub04_lists(claim: &mut ClaimRef<'_>) {
    drop(std::mem::take(&mut claim.condition_codes));
    drop(std::mem::take(&mut claim.occurrence_codes));
    drop(std::mem::take(&mut claim.value_codes));
    drop(std::mem::take(&mut claim.reason_for_visit));
}

/// True if every text of `claim` is borrowed (what `recycle_read` and
/// forgetting the claim rely on to free nothing).
fn only_borrowed(claim: &ClaimRef<'_>) -> bool {
    let b = |t: &Option<Cow<'_, str>>| !matches!(t, Some(Cow::Owned(_)));
    let p = &claim.patient;
    [
        &claim.id,
        &claim.claim_type,
        &claim.service_date,
        &claim.admission_date,
        &claim.discharge_date,
        &claim.discharge_status,
        &claim.admitting_diagnosis,
        &claim.bill_type,
        &claim.from_date,
        &claim.through_date,
        &claim.receipt_date,
        &claim.opps_flag,
        &p.sex,
        &p.birth_date,
    ]
    .into_iter()
    .all(b)
        && claim.diagnoses.iter().all(|d| b(&d.code) && b(&d.poa))
        && claim.procedures.iter().all(|p| b(&p.code) && b(&p.date))
        && claim.lines.iter().all(|l| {
            b(&l.code)
                && b(&l.service_date)
                && b(&l.revenue_code)
                && l.modifiers.iter().all(|m| matches!(m, Cow::Borrowed(_)))
        })
    // The UB-04 lists are freed by `recycle_read`, whatever they hold.
}

/// The JSON reader's spare diagnoses (empty), or a new buffer. The
/// spare's items borrow for `'static`, and a borrow only shortens: the
/// buffer converts as is, with no [`relabel`].
pub(crate) fn take_diagnoses<'a>() -> Vec<DiagnosisRef<'a>> {
    READ_DIAGNOSES.try_with(Cell::take).unwrap_or_default()
}

/// [`take_diagnoses`] for the procedures.
pub(crate) fn take_procedures<'a>() -> Vec<ProcedureRef<'a>> {
    READ_PROCEDURES.try_with(Cell::take).unwrap_or_default()
}

/// [`take_diagnoses`] for the lines.
pub(crate) fn take_lines<'a>() -> Vec<ClaimLineRef<'a>> {
    READ_LINES.try_with(Cell::take).unwrap_or_default()
}
