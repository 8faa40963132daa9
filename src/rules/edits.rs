//! Edits from the CMS tables the user loads: NCCI procedure-to-procedure
//! edits, medically unlikely edits (MUE) and add-on codes. Without their
//! table, or with a table that holds no row, these rules are inactive
//! ([`Engine::coverage`](super::Engine::coverage)).

use super::{ClaimKind, Emitter, PreparedClaim, Rule, Severity, Tables};
use crate::load::{AddonTable, ModifierIndicator, MueTable, ProcedureCode, PtpSetting, PtpTable};
use crate::modifier::ModifierClass;
use std::sync::Arc;

pub(crate) fn rules(t: &Tables) -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(NcciPtp(t.ptp.clone())),
        Box::new(MueExceeded(t.mue.clone())),
        Box::new(AddonWithoutPrimary(t.addon.clone())),
    ]
}

/// The NCCI modifiers that bypass an edit with indicator 1: the
/// NCCI-associated and the anatomic modifiers.
fn bypasses(l: &super::PreparedLine<'_>) -> bool {
    l.modifiers.iter().flatten().any(|m| {
        matches!(
            m.class(),
            ModifierClass::NcciAssociated | ModifierClass::Anatomic
        )
    })
}

struct NcciPtp(Vec<Arc<PtpTable>>);

impl Rule for NcciPtp {
    fn id(&self) -> &'static str {
        "ncci-ptp"
    }
    fn description(&self) -> &'static str {
        "a column-2 code billed with its column-1 code on the same date (NCCI PTP edits: practitioner table for professional claims, hospital table for institutional)"
    }
    fn inactive_reason(&self) -> Option<&'static str> {
        if self.0.is_empty() {
            Some("no NCCI PTP table loaded (--ncci-ptp)")
        } else if self.0.iter().all(|t| t.is_empty()) {
            Some("the NCCI PTP tables loaded hold no edit")
        } else {
            None
        }
    }
    fn check(&self, c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        let want = match c.kind {
            ClaimKind::Professional => PtpSetting::Practitioner,
            ClaimKind::Institutional => PtpSetting::Hospital,
        };
        let tables: Vec<&PtpTable> = self
            .0
            .iter()
            .map(|t| &**t)
            .filter(|t| t.setting() == want || t.setting() == PtpSetting::Any)
            .collect();
        if tables.is_empty() {
            return;
        }
        for l1 in &c.lines {
            let (Some(c1), Some(date)) = (l1.code, l1.date) else {
                continue;
            };
            for l2 in &c.lines {
                if l2.index == l1.index || l2.date != Some(date) {
                    continue;
                }
                let Some(c2) = l2.code else { continue };
                let Some(edit) = tables.iter().find_map(|t| t.edit_on(c1, c2, date)) else {
                    continue;
                };
                let why = match edit.modifier {
                    ModifierIndicator::NotApplicable => continue,
                    ModifierIndicator::Allowed if bypasses(l1) || bypasses(l2) => continue,
                    ModifierIndicator::Allowed => "an NCCI-associated modifier (59, XE, XS, XP, XU, an anatomic modifier …) may bypass it when the services are distinct",
                    ModifierIndicator::NotAllowed => "no modifier bypasses this edit",
                };
                let rationale = if edit.rationale.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", edit.rationale)
                };
                out.emit(Some(l2.index), format!("lines[{}].code", l2.index), vec![c1.to_string(), c2.to_string()],
                    format!("line {} ({c2}) is a column-2 code of {c1} (line {}) on {date} under an NCCI PTP edit{rationale}: it is not paid separately; {why}", l2.index + 1, l1.index + 1));
            }
        }
    }
}

struct MueExceeded(Option<Arc<MueTable>>);

impl Rule for MueExceeded {
    fn id(&self) -> &'static str {
        "mue-exceeded"
    }
    fn description(&self) -> &'static str {
        "units of a code above its medically unlikely edit, on one line (MAI 1) or one date of service (MAI 2, 3)"
    }
    fn inactive_reason(&self) -> Option<&'static str> {
        match &self.0 {
            None => Some("no MUE table loaded (--mue)"),
            Some(t) if t.is_empty() => Some("the MUE table loaded holds no code"),
            Some(_) => None,
        }
    }
    fn check(&self, c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        let Some(t) = &self.0 else { return };
        let units = |l: &super::PreparedLine<'_>| {
            l.units.filter(|u| u.is_finite() && *u > 0.0).unwrap_or(0.0)
        };
        for l in &c.lines {
            let Some(code) = l.code else { continue };
            let Some(e) = t.get(code) else { continue };
            let limit = f64::from(e.value);
            if e.adjudication.per_date() {
                // Report once per code and date, at its first line.
                if c.lines[..l.index]
                    .iter()
                    .any(|x| x.code == Some(code) && x.date == l.date)
                {
                    continue;
                }
                let same: Vec<&super::PreparedLine<'_>> = c
                    .lines
                    .iter()
                    .filter(|x| x.code == Some(code) && x.date == l.date)
                    .collect();
                let total: f64 = same.iter().map(|x| units(x)).sum();
                if total > limit {
                    let date = l.date.map(|d| format!(" on {d}")).unwrap_or_default();
                    let lines: Vec<String> =
                        same.iter().map(|x| (x.index + 1).to_string()).collect();
                    out.emit(Some(l.index), format!("lines[{}].units", l.index), vec![code.to_string()],
                        format!("{code}: {total} units{date} (lines {}) exceed its MUE of {} a day (date-of-service edit): units above the MUE are denied", lines.join(", "), e.value));
                }
            } else if units(l) > limit {
                out.emit(Some(l.index), format!("lines[{}].units", l.index), vec![code.to_string()],
                    format!("line {} ({code}) has {} units, above its MUE of {} a line: the line is denied", l.index + 1, units(l), e.value));
            }
        }
    }
}

struct AddonWithoutPrimary(Option<Arc<AddonTable>>);

impl Rule for AddonWithoutPrimary {
    fn id(&self) -> &'static str {
        "addon-without-primary"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn description(&self) -> &'static str {
        "an add-on code with none of its primary codes on the same date (CMS add-on code edits, types 1 and 3)"
    }
    fn inactive_reason(&self) -> Option<&'static str> {
        match &self.0 {
            None => Some("no add-on code table loaded (--addon)"),
            Some(t) if t.is_empty() => Some("the add-on code table loaded holds no code"),
            Some(_) => None,
        }
    }
    fn check(&self, c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        let Some(t) = &self.0 else { return };
        for l in &c.lines {
            let (Some(code), Some(date)) = (l.code, l.date) else {
                continue;
            };
            let Some(e) = t.get(code) else { continue };
            if e.edit_type == 2 || e.primaries.is_empty() {
                continue;
            }
            let primaries: Vec<ProcedureCode> = e.primaries_on(date).collect();
            if primaries.is_empty() {
                continue;
            }
            let found = c.lines.iter().any(|x| {
                x.index != l.index
                    && x.date == Some(date)
                    && x.code.is_some_and(|xc| primaries.contains(&xc))
            });
            if !found {
                let list: Vec<String> = primaries.iter().take(8).map(|p| p.to_string()).collect();
                let more = if primaries.len() > 8 { ", …" } else { "" };
                out.emit(Some(l.index), format!("lines[{}].code", l.index), vec![code.to_string()],
                    format!("line {} ({code}) is an add-on code billed on {date} without any of its primary codes ({}{more}): an add-on code is paid only with its primary procedure", l.index + 1, list.join(", ")));
            }
        }
    }
}
