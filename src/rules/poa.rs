//! Present-on-admission (POA) indicators on inpatient claims.
//!
//! CMS requires a POA indicator on every diagnosis of an inpatient (IPPS)
//! claim: `Y`, `N`, `U` or `W`; codes on CDC's POA-exempt list in force on
//! the discharge date take none (blank, or `1` on older formats). CMS's
//! Medicare Code Editor does not check this (its INVALID_POA edit is never
//! raised on ICD-10 claims): the claims processing system does, and so does
//! this rule.

use super::msg::{push, DxField};
use super::registry::Builtin;
use super::Family;
use super::{rule, ClaimKind, CodeStatus, PreparedClaim};

/// The POA family (the rules' `rule!` declarations name it).
const FAMILY: Family = Family::Poa;

/// The POA rules, in engine order.
pub(super) const RULES: &[Builtin] = &[InvalidPoa::BUILTIN];

/// True when the claim reports a POA indicator on some diagnosis. A claim
/// that reports none at all is taken as from a hospital exempt from POA
/// reporting (critical access, Maryland waiver, psychiatric, rehabilitation
/// …), and `invalid-poa` stays silent on it (the `drg` rules group it as
/// from an exempt hospital).
pub(super) fn reports_poa(c: &PreparedClaim<'_>) -> bool {
    c.diagnoses
        .iter()
        .any(|d| d.poa.is_some_and(|p| !crate::text::is_blank(p)))
}

/// What a diagnosis's POA indicator holds.
#[derive(Clone, Copy)]
enum Indicator {
    Blank,
    /// `1`: the exempt indicator of older formats.
    One,
    /// `Y`, `N`, `U` or `W` (any case).
    Reported,
    Invalid,
}

rule!(
    InvalidPoa, "invalid-poa", Error,
    "a missing or invalid present-on-admission indicator on an inpatient claim that reports POA: Y, N, U or W, and blank (or 1) for codes on CDC's POA-exempt list in force on the date",
    |c, out| {
        if c.kind != ClaimKind::Institutional || !reports_poa(c) { return }
        let Some(date) = c.date else { return };
        for d in &c.diagnoses {
            if d.status != CodeStatus::Valid { continue }
            let Some(info) = d.info else { continue };
            let exempt = info.poa_exempt_on(date);
            let poa = d.poa.map(str::trim).unwrap_or("");
            let indicator = match poa {
                "" => Indicator::Blank,
                "1" => Indicator::One,
                p if p.len() == 1 && matches!(p.as_bytes()[0].to_ascii_uppercase(), b'Y' | b'N' | b'U' | b'W') => Indicator::Reported,
                _ => Indicator::Invalid,
            };
            // The usual case first, and nothing formatted for it.
            match (indicator, exempt) {
                (Indicator::Blank | Indicator::One, true) | (Indicator::Reported, false) => continue,
                _ => {}
            }
            out.emit_parts(None, (DxField(d.index), ".poa"), &[d], |m| {
                // `{:?}` quoting of the indicator, written in place.
                use std::fmt::Write;
                push!(m; "diagnosis ", d.index + 1, " ", d);
                match indicator {
                    Indicator::Blank => push!(m; " has no POA indicator: it is not on the POA-exempt list in force on ", date, ", so it needs Y, N, U or W"),
                    Indicator::One => push!(m; " has POA indicator \"1\", which is for exempt codes only: ", d, " is not exempt on ", date, "; report Y, N, U or W"),
                    Indicator::Reported => {
                        push!(m; " is on the POA-exempt list in force on ", date, ": leave its POA indicator blank (it has ");
                        let _ = write!(m, "{poa:?})");
                    }
                    Indicator::Invalid => {
                        let _ = write!(m, " has POA indicator {poa:?}, which is not valid: use Y, N, U or W (blank for exempt codes)");
                    }
                }
            });
        }
    }
);
