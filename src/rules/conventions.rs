//! ICD-10-CM coding conventions: Excludes1 notes, code-first sequencing,
//! duplicates, the number of diagnoses.

use super::{dx_field, rule, ClaimKind, Rule};
use crate::icd10cm::{CodeRange, IcdCmInfo, NoteKind};
use crate::mce::DxFlags;

pub(crate) fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(Excludes1),
        Box::new(CodeFirst),
        Box::new(DuplicateDiagnosis),
        Box::new(TooMany),
    ]
}

/// The references of one kind of note at a code and its ancestors, with the
/// code where each note is written.
fn refs_of(info: IcdCmInfo, kind: NoteKind) -> impl Iterator<Item = (IcdCmInfo, CodeRange)> {
    std::iter::once(info)
        .chain(info.ancestors())
        .flat_map(move |at| {
            at.notes()
                .filter(move |n| n.kind == kind)
                .flat_map(|n| n.refs())
                .map(move |r| (at, r))
        })
}

rule!(
    Excludes1, "excludes1-conflict", Warning,
    "two diagnoses where one's Excludes1 note (at the code or an ancestor) covers the other: they are not coded together",
    |c, out| {
        // Gather each diagnosis's Excludes1 references once.
        let mut refs: Vec<(usize, IcdCmInfo, CodeRange)> = Vec::new();
        for d in &c.diagnoses {
            if let Some(info) = d.info {
                refs.extend(refs_of(info, NoteKind::Excludes1).map(|(at, r)| (d.index, at, r)));
            }
        }
        if refs.is_empty() { return }
        let mut reported: Vec<(usize, usize)> = Vec::new();
        for &(owner, at, range) in &refs {
            let Some(a) = c.diagnoses[owner].code else { continue };
            for b in &c.diagnoses {
                let (Some(bc), Some(_)) = (b.code, b.info) else { continue };
                if b.index == owner || bc == a || !range.contains(bc) { continue }
                let pair = (owner.min(b.index), owner.max(b.index));
                if reported.contains(&pair) { continue }
                reported.push(pair);
                let later = owner.max(b.index);
                out.emit(None, dx_field(later), vec![a.to_string(), bc.to_string()],
                    format!("{a} and {bc} should not be coded together: {} has an Excludes1 note for {range} (the two conditions exclude each other; report only the one documented)", at.code()));
            }
        }
    }
);

rule!(
    CodeFirst,
    "code-first-sequence",
    Warning,
    "a manifestation code with no etiology (code first) diagnosis listed before it",
    |c, out| {
        for d in &c.diagnoses {
            if !d.has(DxFlags::MANIFESTATION) {
                continue;
            }
            let Some(info) = d.info else { continue };
            let mut any_ref = false;
            let mut satisfied = false;
            let mut named: Option<CodeRange> = None;
            for (_, r) in refs_of(info, NoteKind::CodeFirst) {
                any_ref = true;
                named.get_or_insert(r);
                if c.diagnoses[..d.index]
                    .iter()
                    .any(|e| e.code.is_some_and(|ec| r.contains(ec)))
                {
                    satisfied = true;
                    break;
                }
            }
            if !any_ref {
                satisfied = d.index > 0;
            }
            if !satisfied {
                let hint = named.map(|r| format!(" (such as {r})")).unwrap_or_default();
                out.emit(None, dx_field(d.index), vec![d.display()],
                    format!("{} is a manifestation code: code first the underlying condition{hint} and list it before {}", d.display(), d.display()));
            }
        }
    }
);

rule!(
    DuplicateDiagnosis, "duplicate-diagnosis", Error,
    "the same diagnosis code listed twice (on institutional claims, repeats of the principal are duplicate-of-principal)",
    |c, out| {
        for d in c.diagnoses.iter().skip(1) {
            let Some(code) = d.code else { continue };
            let Some(first) = c.diagnoses[..d.index].iter().find(|e| e.code == Some(code)) else { continue };
            if first.index == 0 && c.kind == ClaimKind::Institutional { continue }
            out.emit(None, dx_field(d.index), vec![code.to_string()],
                format!("diagnosis {} repeats {code}, already listed as diagnosis {}", d.index + 1, first.index + 1));
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
            out.emit(None, "diagnoses", vec![],
                format!("{} diagnoses: a {kind} claim holds at most {max}", c.diagnoses.len()));
        }
    }
);
