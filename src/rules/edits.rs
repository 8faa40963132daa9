//! Edits from the CMS tables the user loads: NCCI procedure-to-procedure
//! edits, medically unlikely edits (MUE) and add-on codes. Without their
//! table, or with a table that holds no row, these rules are inactive
//! ([`Engine::coverage`](super::Engine::coverage)).

use super::prepared::gate;
use super::registry::Builtin;
use super::{ClaimKind, Emitter, Family, PreparedClaim, Rule, RuleSpec, Severity};
use crate::date::Date;
use crate::load::{AddonTable, ModifierIndicator, MueTable, ProcedureCode, PtpSetting, PtpTable};
use crate::modifier::ModifierClass;
use std::collections::HashMap;
use std::sync::Arc;

/// The edit-table rules, in engine order: each holds the engine's table.
pub(super) const RULES: &[Builtin] = &[
    Builtin {
        spec: NCCI_PTP,
        make: |t| Box::new(NcciPtp(t.ptp.clone())),
    },
    Builtin {
        spec: MUE_EXCEEDED,
        make: |t| Box::new(MueExceeded(t.mue.clone())),
    },
    Builtin {
        spec: ADDON_WITHOUT_PRIMARY,
        make: |t| Box::new(AddonWithoutPrimary(t.addon.clone())),
    },
];

/// `ncci-ptp`, declared.
const NCCI_PTP: RuleSpec = RuleSpec {
    id: "ncci-ptp",
    family: Family::Edits,
    severity: Severity::Error,
    description: "a column-2 code billed with its column-1 code on the same date (NCCI PTP edits: practitioner table for professional claims, hospital table for institutional)",
    cms_edit: None,
    gate: gate::ALWAYS,
};

/// `mue-exceeded`, declared.
const MUE_EXCEEDED: RuleSpec = RuleSpec {
    id: "mue-exceeded",
    family: Family::Edits,
    severity: Severity::Error,
    description: "units of a code above its medically unlikely edit, on one line (MAI 1) or one date of service (MAI 2, 3)",
    cms_edit: None,
    gate: gate::ALWAYS,
};

/// `addon-without-primary`, declared.
const ADDON_WITHOUT_PRIMARY: RuleSpec = RuleSpec {
    id: "addon-without-primary",
    family: Family::Edits,
    severity: Severity::Error,
    description: "an add-on code with none of its primary codes on the same date (CMS add-on code edits, types 1 and 3)",
    cms_edit: None,
    gate: gate::ALWAYS,
};

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
        NCCI_PTP.id
    }
    fn default_severity(&self) -> Severity {
        NCCI_PTP.severity
    }
    fn description(&self) -> &'static str {
        NCCI_PTP.description
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
        // Lines grouped by date and code (sorted, claim order inside a
        // group): the tables are asked once per pair of distinct codes on a
        // date, and each line of a column-2 code is reported once per
        // column-1 code, against that code's first line that the edit
        // applies to (n·log n plus the distinct pairs, not every pair of
        // lines).
        let mut keyed: Vec<(Date, ProcedureCode, usize)> = c
            .lines
            .iter()
            .filter_map(|l| Some((l.date?, l.code?, l.index)))
            .collect();
        keyed.sort_unstable();
        let groups = group_by_date_code(&keyed);
        let mut found: Vec<(usize, usize, &crate::load::PtpEdit)> = Vec::new();
        let limit = 4 * super::MAX_FINDINGS_PER_RULE;
        for day in groups.chunk_by_date() {
            for g1 in day {
                for g2 in day {
                    if g1.lines.len() < 2 && std::ptr::eq(g1, g2) {
                        continue;
                    }
                    let (c1, c2, date) = (g1.code, g2.code, g1.date);
                    let Some(edit) = tables.iter().find_map(|t| t.edit_on(c1, c2, date)) else {
                        continue;
                    };
                    let modifier_bypass = match edit.modifier {
                        ModifierIndicator::NotApplicable => continue,
                        ModifierIndicator::Allowed => true,
                        ModifierIndicator::NotAllowed => false,
                    };
                    for &i2 in &g2.lines {
                        let l2 = &c.lines[i2];
                        if modifier_bypass && bypasses(l2) {
                            continue;
                        }
                        let first =
                            g1.lines.iter().copied().find(|&i1| {
                                i1 != i2 && !(modifier_bypass && bypasses(&c.lines[i1]))
                            });
                        if let Some(i1) = first {
                            found.push((i1, i2, edit));
                        }
                    }
                    if found.len() > limit {
                        break;
                    }
                }
            }
        }
        // In the order findings have always come: column-1 line, then column-2 line.
        found.sort_unstable_by_key(|&(i1, i2, _)| (i1, i2));
        for (i1, i2, edit) in found {
            let (l1, l2) = (&c.lines[i1], &c.lines[i2]);
            let (Some(c1), Some(c2), Some(date)) = (l1.code, l2.code, l2.date) else {
                continue;
            };
            let why = match edit.modifier {
                ModifierIndicator::NotAllowed => "no modifier bypasses this edit",
                _ => "an NCCI-associated modifier (59, XE, XS, XP, XU, an anatomic modifier …) may bypass it when the services are distinct",
            };
            let rationale = if edit.rationale.is_empty() {
                String::new()
            } else {
                format!(" ({})", edit.rationale)
            };
            out.emit(Some(l2.index), format!("lines[{}].code", l2.index), vec![c1.to_string(), c2.to_string()],
                format!("line {} ({c2}) is a column-2 code of {c1} (line {}) on {date} under an NCCI PTP edit{rationale}: it is not paid separately; {why}", l2.index + 1, l1.index + 1));
            if out.is_full() {
                return;
            }
        }
    }
}

/// The lines of one code on one date, in claim order.
struct Group {
    date: Date,
    code: ProcedureCode,
    lines: Vec<usize>,
}

/// Groups sorted by date then code.
struct Groups(Vec<Group>);

impl Groups {
    /// The groups of each date in turn.
    fn chunk_by_date(&self) -> impl Iterator<Item = &[Group]> {
        let mut rest = &self.0[..];
        std::iter::from_fn(move || {
            let first = rest.first()?;
            let n = rest.iter().take_while(|g| g.date == first.date).count();
            let (day, tail) = rest.split_at(n);
            rest = tail;
            Some(day)
        })
    }
}

/// Sorted `(date, code, line index)` triples as groups of equal date and code.
fn group_by_date_code(keyed: &[(Date, ProcedureCode, usize)]) -> Groups {
    let mut groups: Vec<Group> = Vec::new();
    for &(date, code, index) in keyed {
        match groups.last_mut() {
            Some(g) if g.date == date && g.code == code => g.lines.push(index),
            _ => groups.push(Group {
                date,
                code,
                lines: vec![index],
            }),
        }
    }
    Groups(groups)
}

struct MueExceeded(Option<Arc<MueTable>>);

impl Rule for MueExceeded {
    fn id(&self) -> &'static str {
        MUE_EXCEEDED.id
    }
    fn default_severity(&self) -> Severity {
        MUE_EXCEEDED.severity
    }
    fn description(&self) -> &'static str {
        MUE_EXCEEDED.description
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
        // Lines of one code and date, grouped by sorting (n·log n).
        let mut keyed: Vec<(ProcedureCode, Option<Date>, usize)> = c
            .lines
            .iter()
            .filter_map(|l| Some((l.code?, l.date, l.index)))
            .collect();
        keyed.sort_unstable();
        let mut same_of: Vec<(usize, usize)> = vec![(0, 0); c.lines.len()];
        let mut start = 0;
        for end in 1..=keyed.len() {
            if end == keyed.len()
                || keyed[end].0 != keyed[start].0
                || keyed[end].1 != keyed[start].1
            {
                for k in &keyed[start..end] {
                    same_of[k.2] = (start, end);
                }
                start = end;
            }
        }
        for l in &c.lines {
            let Some(code) = l.code else { continue };
            let Some(e) = t.get(code) else { continue };
            let limit = f64::from(e.value);
            if e.adjudication.per_date() {
                // Report once per code and date, at its first line.
                let (from, to) = same_of[l.index];
                let same = &keyed[from..to];
                if same.first().map(|k| k.2) != Some(l.index) {
                    continue;
                }
                let total: f64 = same.iter().map(|k| units(&c.lines[k.2])).sum();
                if total > limit {
                    let date = l.date.map(|d| format!(" on {d}")).unwrap_or_default();
                    let lines = if same.len() <= 50 {
                        let v: Vec<String> = same.iter().map(|k| (k.2 + 1).to_string()).collect();
                        v.join(", ")
                    } else {
                        let v: Vec<usize> = same.iter().map(|k| k.2).collect();
                        super::lines::line_numbers(&v)
                    };
                    out.emit(Some(l.index), format!("lines[{}].units", l.index), vec![code.to_string()],
                        format!("{code}: {total} units{date} (lines {lines}) exceed its MUE of {} a day (date-of-service edit): units above the MUE are denied", e.value));
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
        ADDON_WITHOUT_PRIMARY.id
    }
    fn default_severity(&self) -> Severity {
        ADDON_WITHOUT_PRIMARY.severity
    }
    fn description(&self) -> &'static str {
        ADDON_WITHOUT_PRIMARY.description
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
        // How many lines bill each code on each date, and the answer for
        // each add-on code and date once (linear in the lines).
        let mut billed: HashMap<(Date, ProcedureCode), usize> = HashMap::new();
        for l in &c.lines {
            if let (Some(code), Some(date)) = (l.code, l.date) {
                *billed.entry((date, code)).or_default() += 1;
            }
        }
        let mut answered: HashMap<(Date, ProcedureCode), Option<Vec<ProcedureCode>>> =
            HashMap::new();
        for l in &c.lines {
            let (Some(code), Some(date)) = (l.code, l.date) else {
                continue;
            };
            let Some(e) = t.get(code) else { continue };
            if e.edit_type == 2 || e.primaries.is_empty() {
                continue;
            }
            let missing = answered.entry((date, code)).or_insert_with(|| {
                let primaries: Vec<ProcedureCode> = e.primaries_on(date).collect();
                // Another line than the add-on's own: its code counts once less.
                let present = |p: &ProcedureCode| {
                    billed.get(&(date, *p)).copied().unwrap_or(0) > usize::from(*p == code)
                };
                (!primaries.is_empty() && !primaries.iter().any(present)).then_some(primaries)
            });
            let Some(primaries) = missing.as_ref() else {
                continue;
            };
            let list: Vec<String> = primaries.iter().take(8).map(|p| p.to_string()).collect();
            let more = if primaries.len() > 8 { ", …" } else { "" };
            out.emit(Some(l.index), format!("lines[{}].code", l.index), vec![code.to_string()],
                format!("line {} ({code}) is an add-on code billed on {date} without any of its primary codes ({}{more}): an add-on code is paid only with its primary procedure", l.index + 1, list.join(", ")));
        }
    }
}
