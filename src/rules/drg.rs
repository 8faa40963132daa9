//! What CMS's MS-DRG grouper says about an inpatient claim's coding.
//!
//! Three rules read one grouping of the claim ([`crate::drg::Grouper`]
//! with the default tie-breaker; the hospital is taken as subject to POA
//! reporting unless the claim reports no POA indicator at all, which
//! `invalid-poa` reads as a hospital exempt from it): a claim that does not group (`drg-ungroupable`), a
//! hospital-acquired condition (`hospital-acquired-condition`), and a CC or
//! MCC that the principal diagnosis excludes (`cc-excluded-by-principal`).
//! The first of them that runs groups the claim and keeps the grouping on
//! the prepared claim ([`grouping`]); the others read it, so a claim is
//! grouped at most once.
//!
//! They run on institutional claims with a principal diagnosis whose
//! discharge date (else service date) has an MS-DRG version (discharges from
//! 2022-10-01, v40.0); on other claims they are silent (the validity and MCE
//! rules say what is missing).

use super::msg::{push, DxField, Piece, Quoted};
use super::registry::Builtin;
use super::{rule, ClaimKind, CodeStatus, Family, PreparedClaim, PreparedDx, PreparedPcs};
use crate::drg::{
    DrgOutcome, DxFlag, DxInput, DxOutcome, GroupInput, GroupOptions, Grouper, Grouping, HacUsage,
    HospitalStatus, PoaError, ReturnCode, Severity,
};
use crate::text::trim;
use std::collections::HashMap;

/// The DRG family (the rules' `rule!` declarations name it).
const FAMILY: Family = Family::Drg;

/// The DRG rules, in engine order.
pub(super) const RULES: &[Builtin] = &[
    DrgUngroupable::BUILTIN,
    HospitalAcquiredCondition::BUILTIN,
    CcExcludedByPrincipal::BUILTIN,
];

/// The claim's grouping: made on the first call for a claim and kept on it
/// ([`PreparedClaim::drg`]); `None` for a claim the rules do not group.
pub(super) fn grouping<'a>(c: &'a PreparedClaim<'_>) -> Option<&'a Grouping> {
    if c.kind != ClaimKind::Institutional {
        return None;
    }
    c.drg.get_or_init(|| group(c).map(Box::new)).as_deref()
}

/// Groups an institutional claim that has a principal diagnosis and an
/// MS-DRG version.
fn group(c: &PreparedClaim<'_>) -> Option<Grouping> {
    let principal = c.diagnoses.first()?;
    if principal.status == CodeStatus::Missing {
        return None;
    }
    let options = GroupOptions {
        hospital: if super::poa::reports_poa(c) {
            HospitalStatus::NotExempt
        } else {
            HospitalStatus::Exempt
        },
        // The findings do not say which codes affect the DRG: not worked out.
        affects_drg: false,
        ..GroupOptions::default()
    };
    Grouper::new().group(&group_input(c), &options).ok()
}

/// What the grouper reads, from the prepared claim: what
/// [`GroupInput::from_claim`] reads from the claim itself, with codes and
/// POA indicators trimmed of blanks as the other rules read them (the
/// grouper takes `" E11.9 "` for no code: INVALID_PDX).
fn group_input<'c>(c: &PreparedClaim<'c>) -> GroupInput<'c> {
    let dx = |d: &PreparedDx<'c>| DxInput {
        code: trim(d.raw),
        poa: d
            .poa
            .and_then(|p| trim(p).as_bytes().first().copied())
            .unwrap_or(b' '),
    };
    GroupInput {
        principal: c.diagnoses.first().map(dx),
        secondary: c.diagnoses.iter().skip(1).map(dx).collect(),
        procedures: c.procedures.iter().map(|p| trim(p.raw)).collect(),
        admitting: c.admitting.as_ref().map(|a| trim(a.raw)),
        sex: c.sex,
        discharge_status: c.discharge_status.and_then(|s| s.trim().parse::<u8>().ok()),
        age: c
            .age_given
            .filter(|a| (0.0..=150.0).contains(a))
            .map(|a| a as u32),
        discharge_date: c.discharge_date.date.or(c.service_date.date),
    }
}

/// The grouper's secondary diagnoses (in its marking order) with the claim
/// diagnosis each stands for, in claim order. The grouper keeps the code
/// text it was given (the trimmed text) and sorts stably, so equal codes
/// keep the claim's order. n·log n in the number of diagnoses.
fn secondary_in_claim_order<'g, 'p, 'c>(
    c: &'p PreparedClaim<'c>,
    g: &'g Grouping,
) -> Vec<(&'p PreparedDx<'c>, &'g DxOutcome)> {
    let mut by_code: Vec<(&str, usize)> = c
        .diagnoses
        .iter()
        .skip(1)
        .map(|d| (trim(d.raw), d.index))
        .collect();
    by_code.sort_unstable();
    let mut taken: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::with_capacity(g.secondary.len());
    for o in &g.secondary {
        let first = by_code.partition_point(|(raw, _)| *raw < o.code.as_str());
        let next = taken.entry(o.code.as_str()).or_insert(0);
        if let Some(&(raw, index)) = by_code.get(first + *next) {
            if raw == o.code {
                *next += 1;
                if let Some(d) = c.diagnoses.get(index) {
                    out.push((d, o));
                }
            }
        }
    }
    out.sort_by_key(|(d, _)| d.index);
    out
}

/// `291 (Heart Failure and Shock with MCC)`.
struct Drg<'a>(&'a DrgOutcome);

impl Piece for Drg<'_> {
    fn push_to(&self, out: &mut String) {
        push!(out; usize::from(self.0.drg));
        if let Some(title) = self.0.drg_title {
            push!(out; " (", title, ")");
        }
    }
}

/// `05 (Falls and Trauma)`: a HAC category as CMS numbers it.
struct HacCategory<'a>(u8, Option<&'a str>);

impl Piece for HacCategory<'_> {
    fn push_to(&self, out: &mut String) {
        if self.0 < 10 {
            out.push('0');
        }
        push!(out; usize::from(self.0));
        if let Some(title) = self.1 {
            push!(out; " (", title, ")");
        }
    }
}

/// `CC`, `MCC`.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Mcc => "MCC",
        Severity::Cc => "CC",
        Severity::None => "",
    }
}

/// The POA indicator as written, for a message: `POA N`, `POA "NO"`,
/// `no POA indicator`.
struct Poa<'a>(Option<&'a str>);

impl Piece for Poa<'_> {
    fn push_to(&self, out: &mut String) {
        match self.0.map(crate::text::trim) {
            None | Some("") => out.push_str("no POA indicator"),
            Some(p) if p.len() == 1 && p.as_bytes()[0].is_ascii_alphanumeric() => {
                push!(out; "POA ", p)
            }
            Some(p) => push!(out; "POA ", Quoted(p)),
        }
    }
}

rule!(
    /// CMS's grouper does not group the claim: DRG 999, and the return code
    /// says why.
    DrgUngroupable, "drg-ungroupable", Error,
    "MS-DRG grouping: the claim does not group (DRG 999): CMS's grouper return code (INVALID_PDX, DX_CANNOT_BE_PDX, INVALID_SEX, INVALID_DISCHARGE_STATUS, UNGROUPABLE, HAC_MISSING_ONE_POA, …) is not OK",
    |c, out| {
        let Some(g) = grouping(c) else { return };
        let rc = g.final_drg.return_code;
        if rc == ReturnCode::Ok { return }
        let Some(pdx) = c.diagnoses.first() else { return };
        let v = g.version.name();
        let head = |m: &mut String| {
            push!(m; "the claim does not group: MS-DRG v", v, " returns ", rc.as_str(), ", DRG ", Drg(&g.final_drg), ": ");
        };
        match rc {
            ReturnCode::InvalidPdx => out.emit_parts(None, DxField(0), &[pdx], |m| {
                head(m);
                push!(m; "the principal diagnosis ", pdx, " is not a valid, billable ICD-10-CM code in the version; correct the principal diagnosis");
            }),
            ReturnCode::DxCannotBePdx => out.emit_parts(None, DxField(0), &[pdx], |m| {
                head(m);
                let external = crate::text::trim(pdx.raw)
                    .bytes()
                    .next()
                    .is_some_and(|b| matches!(b.to_ascii_uppercase(), b'V'..=b'Y'));
                push!(m; "the principal diagnosis ", pdx);
                if external {
                    push!(m; " is an external-cause code (V00-Y99: how an injury happened), which cannot be principal; sequence the injury or condition treated first and report ", pdx, " as a secondary diagnosis");
                } else {
                    push!(m; " is assigned to no MDC and cannot be principal; sequence the condition chiefly responsible for the admission first");
                }
            }),
            ReturnCode::InvalidSex => out.emit_parts(None, "patient.sex", &[pdx], |m| {
                head(m);
                push!(m; "the principal diagnosis ", pdx, " groups by the patient's sex, and the claim's sex is ");
                match c.sex_text.map(crate::text::trim) {
                    None | Some("") => m.push_str("missing"),
                    Some(s) => push!(m; Quoted(s), ", not M or F"),
                }
                m.push_str("; report the patient's sex");
            }),
            ReturnCode::InvalidDischargeStatus => out.emit_parts(None, "discharge_status", &[] as &[&str], |m| {
                head(m);
                m.push_str("the DRG depends on the discharge status, and the claim's is ");
                match c.discharge_status.map(crate::text::trim) {
                    None | Some("") => m.push_str("missing"),
                    Some(s) => push!(m; Quoted(s), ", not a UB-04 patient discharge status code"),
                }
                m.push_str("; report the discharge status (01 home, 20 died, …)");
            }),
            ReturnCode::InvalidAge => out.emit_parts(None, "patient.age", &[] as &[&str], |m| {
                head(m);
                m.push_str("the DRG depends on the patient's age, and the claim's is missing or invalid; report the age at admission");
            }),
            ReturnCode::HacMissingOnePoa => {
                // The HAC code whose POA indicator the grouper could not read.
                let dxs = secondary_in_claim_order(c, g);
                let culprit = dxs.iter().find(|(_, o)| {
                    !o.hacs.is_empty() && o.poa_error == PoaError::NotRecognized && !o.flags.contains(&DxFlag::Excluded)
                });
                match culprit {
                    Some((d, o)) => out.emit_parts(None, (DxField(d.index), ".poa"), &[*d], |m| {
                        head(m);
                        push!(m; "diagnosis ", d.index + 1, " ", *d, " is on CMS's list for hospital-acquired condition");
                        match o.hacs.iter().find(|h| h.number != 0) {
                            Some(h) => push!(m; " ", HacCategory(h.number, h.title)),
                            None => m.push('s'),
                        }
                        push!(m; " and has ", Poa(d.poa), ", so the grouper cannot tell whether it was present on admission; report Y, N, U or W. Before hospital-acquired conditions the claim groups to DRG ", Drg(&g.initial));
                    }),
                    None => out.emit_parts(None, "", &[] as &[&str], |m| {
                        head(m);
                        m.push_str("a hospital-acquired condition code has a missing or invalid POA indicator; report Y, N, U or W");
                    }),
                }
            }
            ReturnCode::HacStatusInvalidMultHacsPoaNotYW
            | ReturnCode::HacStatusInvalidPoaNOrU
            | ReturnCode::HacStatusInvalidPoaInvalidOr1 => {
                // Only with the hospital's POA status unknown (not the
                // rules' options): kept for completeness.
                out.emit_parts(None, "", &[] as &[&str], |m| {
                    head(m);
                    m.push_str("the hospital's POA-reporting status is unknown and the claim has a hospital-acquired condition; state whether the hospital is exempt");
                });
            }
            _ => out.emit_parts(None, "", &[pdx], |m| {
                head(m);
                push!(m; "no DRG formula of the version matches the principal diagnosis ", pdx, " with the claim's procedures; check the principal diagnosis's sequencing and the procedure codes");
            }),
        }
    }
);

rule!(
    /// A secondary diagnosis not present on admission that meets a HAC
    /// category's criteria: its CC/MCC does not count for the final DRG.
    HospitalAcquiredCondition, "hospital-acquired-condition", Warning,
    "MS-DRG grouping: a secondary diagnosis not present on admission (POA N or U) meets a hospital-acquired condition category (with its procedure where the category needs one): its CC/MCC does not count for the final DRG",
    |c, out| {
        let Some(g) = grouping(c) else { return };
        if g.hac_categories == 0 { return }
        let v = g.version.name();
        for (d, o) in secondary_in_claim_order(c, g) {
            if o.poa_error != PoaError::RecognizedNotPoa { continue }
            // Each category met once (a code may be on two lists of one).
            let mut met: Vec<(u8, Option<&str>)> = Vec::new();
            for h in &o.hacs {
                if h.status == HacUsage::CriteriaMet && h.number != 0 && !met.iter().any(|(n, _)| *n == h.number) {
                    met.push((h.number, h.title));
                }
            }
            if met.is_empty() { continue }
            // The procedures that satisfied the categories that need one.
            let procedures: Vec<&PreparedPcs<'_>> = c
                .procedures
                .iter()
                .filter(|p| g.procedures.iter().any(|q| q.code == trim(p.raw) && q.hac_usage.iter().any(|n| met.iter().any(|(m, _)| m == n))))
                .collect();
            let mut codes: Vec<&dyn Piece> = vec![d as &dyn Piece];
            codes.extend(procedures.iter().map(|p| *p as &dyn Piece));
            out.emit_parts(None, (DxField(d.index), ".poa"), &codes, |m| {
                push!(m; "diagnosis ", d.index + 1, " ", d, " (", Poa(d.poa), ") is hospital-acquired condition");
                if met.len() > 1 { m.push('s') }
                for (k, (n, title)) in met.iter().enumerate() {
                    m.push_str(match k { 0 => " ", _ if k + 1 == met.len() => " and ", _ => ", " });
                    push!(m; HacCategory(*n, *title));
                }
                if !procedures.is_empty() {
                    m.push_str(" with procedure");
                    if procedures.len() > 1 { m.push('s') }
                    for (k, p) in procedures.iter().enumerate() {
                        m.push_str(if k == 0 { " " } else { ", " });
                        push!(m; *p);
                    }
                }
                push!(m; " in MS-DRG v", v, ": not present on admission, ");
                match o.severity {
                    Severity::None => m.push_str("it does not count for the final DRG"),
                    s => push!(m; "it does not count as ", if s == Severity::Mcc { "an " } else { "a " }, level(s)),
                }
                if g.final_drg.drg != g.initial.drg {
                    push!(m; ", and the final DRG is ", Drg(&g.final_drg), ", not the initial ", Drg(&g.initial));
                } else {
                    push!(m; "; the final DRG is the initial one, ", Drg(&g.final_drg));
                }
                m.push_str(". Check the POA indicator: if the provider documents the condition as present on admission, report Y");
            });
        }
    }
);

rule!(
    /// A secondary diagnosis that is a CC or MCC, excluded as such by the
    /// principal diagnosis (CMS's CC exclusion list, Table 6K).
    CcExcludedByPrincipal, "cc-excluded-by-principal", Info,
    "MS-DRG grouping: a secondary diagnosis that is a CC or MCC is excluded as one by the principal diagnosis (CMS's CC exclusion list, Table 6K), so it does not raise the DRG's severity",
    |c, out| {
        let Some(g) = grouping(c) else { return };
        if !g.secondary.iter().any(|o| o.severity != Severity::None && o.flags.contains(&DxFlag::Excluded)) {
            return;
        }
        let Some(pdx) = c.diagnoses.first() else { return };
        let v = g.version.name();
        for (d, o) in secondary_in_claim_order(c, g) {
            if o.severity == Severity::None || !o.flags.contains(&DxFlag::Excluded) { continue }
            // A repeat of the principal diagnosis is `duplicate-of-principal`'s.
            if d.code.is_some() && d.code == pdx.code { continue }
            let lv = level(o.severity);
            out.emit_parts(None, DxField(d.index), &[d, pdx], |m| {
                push!(m; "diagnosis ", d.index + 1, " ", d, " is ", if o.severity == Severity::Mcc { "an " } else { "a " }, lv,
                    ", but the principal diagnosis ", pdx, " excludes it as one (CMS's CC exclusion list, Table 6K, MS-DRG v", v,
                    "): it does not raise the DRG's severity. If the two codes describe one condition, report it once, by its most specific code; if it is a separate condition, it stays, without its ", lv);
            });
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::Claim;
    use crate::rules::Engine;

    fn claim(json: &str) -> Claim {
        serde_json::from_str(json).unwrap()
    }

    /// The prepared claim gives the grouper what the claim itself gives.
    #[test]
    fn input_is_what_from_claim_reads() {
        let engine = Engine::builder().build().unwrap();
        for json in [
            r#"{"type": "institutional", "discharge_date": "2026-05-01", "discharge_status": " 01",
                "patient": {"sex": "female", "age": 70.5}, "admitting_diagnosis": "R07.9",
                "diagnoses": [{"code": "I50.20", "poa": "Y"}, {"code": "S72.001A", "poa": "n"}, {"code": "E11.9"}, {"poa": "Y"}],
                "procedures": [{"code": "0SRB0J9"}, {}]}"#,
            r#"{"type": "institutional", "service_date": "2023-01-02", "patient": {"sex": "X", "age": 200},
                "discharge_status": "x", "diagnoses": ["J18.9"]}"#,
            r#"{"type": "institutional", "diagnoses": []}"#,
        ] {
            let claim = claim(json);
            let prepared = engine.prepare(&claim);
            assert_eq!(
                group_input(&prepared),
                GroupInput::from_claim(&claim),
                "{json}"
            );
        }
        // Blanks around codes and POA indicators are trimmed, as every rule reads them.
        let padded = claim(
            r#"{"type": "institutional", "discharge_date": "2026-05-01",
                "diagnoses": [{"code": " E11.9 ", "poa": " Y"}, {"code": "N17.9 ", "poa": "N "}],
                "procedures": [{"code": " 0SRB0J9"}]}"#,
        );
        let prepared = engine.prepare(&padded);
        let input = group_input(&prepared);
        assert_eq!(input.principal, Some(DxInput::new("E11.9", b'Y')));
        assert_eq!(input.secondary, [DxInput::new("N17.9", b'N')]);
        assert_eq!(input.procedures, ["0SRB0J9"]);
        let g = grouping(&prepared).unwrap();
        assert_eq!(g.final_drg.return_code, ReturnCode::Ok);
        assert_eq!(secondary_in_claim_order(&prepared, g).len(), 1);
    }

    #[test]
    fn grouped_once_and_only_institutional_claims_with_a_version() {
        let engine = Engine::builder().build().unwrap();
        let inpatient = claim(
            r#"{"type": "institutional", "discharge_date": "2026-05-01",
                "diagnoses": [{"code": "I50.20", "poa": "Y"}]}"#,
        );
        let p = engine.prepare(&inpatient);
        let first = grouping(&p).map(|g| g as *const Grouping);
        assert!(first.is_some());
        assert_eq!(grouping(&p).map(|g| g as *const Grouping), first);
        assert_eq!(grouping(&p).unwrap().final_drg.drg, 293);
        for json in [
            // Professional.
            r#"{"type": "professional", "service_date": "2026-05-01", "diagnoses": ["I50.20"]}"#,
            // Before v40.0.
            r#"{"type": "institutional", "discharge_date": "2022-09-30", "diagnoses": ["I50.20"]}"#,
            // No date, no principal diagnosis.
            r#"{"type": "institutional", "diagnoses": ["I50.20"]}"#,
            r#"{"type": "institutional", "discharge_date": "2026-05-01", "diagnoses": [{"code": " "}]}"#,
        ] {
            let claim = claim(json);
            assert!(grouping(&engine.prepare(&claim)).is_none(), "{json}");
        }
    }

    /// A claim that reports no POA indicator is grouped as from a hospital
    /// exempt from POA reporting (as `invalid-poa` reads it): no HACs.
    #[test]
    fn no_poa_at_all_is_an_exempt_hospital() {
        let engine = Engine::builder().build().unwrap();
        let silent = claim(
            r#"{"type": "institutional", "discharge_date": "2026-05-01",
                "diagnoses": ["I50.20", "S72.001A"]}"#,
        );
        let g = grouping(&engine.prepare(&silent)).unwrap().clone();
        assert_eq!(g.final_drg.return_code, ReturnCode::Ok);
        assert_eq!(
            (g.initial.drg, g.final_drg.drg, g.hac_categories),
            (291, 291, 0)
        );
        let one_missing = claim(
            r#"{"type": "institutional", "discharge_date": "2026-05-01",
                "diagnoses": [{"code": "I50.20", "poa": "Y"}, "S72.001A"]}"#,
        );
        let g = grouping(&engine.prepare(&one_missing)).unwrap().clone();
        assert_eq!(g.final_drg.return_code, ReturnCode::HacMissingOnePoa);
    }

    #[test]
    fn secondaries_map_back_to_the_claim_in_claim_order() {
        let engine = Engine::builder().build().unwrap();
        let claim = claim(
            r#"{"type": "institutional", "discharge_date": "2026-05-01",
                "diagnoses": ["I50.20", "E11.9", "N17.9", "E11.9", "I50.21", "N17.9"]}"#,
        );
        let p = engine.prepare(&claim);
        let g = grouping(&p).unwrap();
        let order: Vec<(usize, &str)> = secondary_in_claim_order(&p, g)
            .iter()
            .map(|(d, o)| {
                assert_eq!(d.raw, o.code);
                (d.index, d.raw)
            })
            .collect();
        assert_eq!(
            order,
            [
                (1, "E11.9"),
                (2, "N17.9"),
                (3, "E11.9"),
                (4, "I50.21"),
                (5, "N17.9")
            ]
        );
    }

    #[test]
    fn pieces() {
        let mut m = String::new();
        push!(&mut m; HacCategory(5, Some("Falls and Trauma")), " ", HacCategory(14, None));
        push!(&mut m; "; ", Poa(None), ", ", Poa(Some(" ")), ", ", Poa(Some(" N")), ", ", Poa(Some("NO")));
        assert_eq!(
            m,
            "05 (Falls and Trauma) 14; no POA indicator, no POA indicator, POA N, POA \"NO\""
        );
    }
}
