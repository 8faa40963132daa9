//! The editor: one claim in, the I/OCE's answer out.

use super::data::{key, HcpcsRow, Key, Tables, Version};
use crate::claim::Claim;

/// What the I/OCE reads from a claim, borrowed from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimInput<'a> {
    /// The UB-04 type of bill, three characters (`"131"`).
    pub bill_type: &'a str,
    /// The statement's from date, `YYYY-MM-DD` or `YYYYMMDD`.
    pub from_date: &'a str,
    /// The statement's through date.
    pub through_date: &'a str,
    /// The claim's receipt date, when given.
    pub receipt_date: Option<&'a str>,
    /// The patient's age in years, as the claim gives it.
    pub age: Option<f64>,
    /// The patient's sex: `M`, `F`, `U` (or the I/OCE's `1`, `2`, `0`).
    pub sex: &'a str,
    /// The patient (discharge) status, two digits.
    pub patient_status: Option<&'a str>,
    /// UB-04 condition codes.
    pub condition_codes: Vec<&'a str>,
    /// The principal diagnosis.
    pub principal: Option<&'a str>,
    /// Reason-for-visit diagnoses.
    pub reason_for_visit: Vec<&'a str>,
    /// Secondary diagnoses, in claim order.
    pub secondary: Vec<&'a str>,
    /// The service lines.
    pub lines: Vec<LineInput<'a>>,
}

/// One service line as the I/OCE reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineInput<'a> {
    /// The line's service date.
    pub service_date: &'a str,
    /// The revenue code, four digits (`"0510"`).
    pub revenue_code: &'a str,
    /// The HCPCS or CPT code (empty when the line has none).
    pub hcpcs: &'a str,
    /// Modifiers, in claim order.
    pub modifiers: Vec<&'a str>,
    /// Units of service.
    pub units: Option<f64>,
    /// The charge, in dollars.
    pub charge: Option<f64>,
}

impl<'a> ClaimInput<'a> {
    /// The I/OCE's inputs of a [`Claim`]: its first diagnosis is the
    /// principal, the rest secondary; a line without a service date takes
    /// the from date.
    pub fn from_claim(claim: &'a Claim) -> ClaimInput<'a> {
        let from = claim
            .from_date
            .as_deref()
            .or(claim.service_date.as_deref())
            .unwrap_or("");
        let patient = claim.patient.as_ref();
        ClaimInput {
            bill_type: claim.bill_type.as_deref().unwrap_or(""),
            from_date: from,
            through_date: claim.through_date.as_deref().unwrap_or(from),
            receipt_date: None,
            age: patient.and_then(|p| p.age),
            sex: patient.and_then(|p| p.sex.as_deref()).unwrap_or(""),
            patient_status: claim.discharge_status.as_deref(),
            condition_codes: claim.condition_codes.iter().map(String::as_str).collect(),
            principal: claim.diagnoses.first().and_then(|d| d.code.as_deref()),
            reason_for_visit: claim.reason_for_visit.iter().map(String::as_str).collect(),
            secondary: claim
                .diagnoses
                .iter()
                .skip(1)
                .map(|d| d.code.as_deref().unwrap_or(""))
                .collect(),
            lines: claim
                .lines
                .iter()
                .map(|l| LineInput {
                    service_date: l.service_date.as_deref().unwrap_or(from),
                    revenue_code: l.revenue_code.as_deref().unwrap_or(""),
                    hcpcs: l.code.as_deref().unwrap_or(""),
                    modifiers: l.modifiers.iter().map(String::as_str).collect(),
                    units: l.units,
                    charge: l.charge,
                })
                .collect(),
        }
    }
}

/// The edits on one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DxResult {
    /// The I/OCE edit numbers raised on this diagnosis, ascending.
    pub edits: Vec<u16>,
}

/// The I/OCE's answer for one line, values as the I/OCE writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineResult {
    /// The line item action flag returned.
    pub action_flag: String,
    /// The APC of the line's HCPCS code (`"00000"`: none).
    pub hcpcs_apc: String,
    /// The APC that pays the line.
    pub payment_apc: String,
    /// The status indicator (`"V"`, `"Q1"`, …).
    pub status_indicator: String,
    /// The payment indicator.
    pub payment_indicator: String,
    /// The discounting formula number.
    pub discounting_formula: String,
    /// Line rejection/denial flag.
    pub rejection_denial_flag: String,
    /// Packaging flag.
    pub packaging_flag: String,
    /// Payment adjustment flag 1.
    pub payment_adjustment_flag01: String,
    /// Payment adjustment flag 2.
    pub payment_adjustment_flag02: String,
    /// Payment method flag.
    pub payment_method_flag: String,
    /// Composite adjustment flag (two characters).
    pub composite_adjustment_flag: String,
    /// Units out.
    pub units_output: String,
    /// Edits on the line's HCPCS code.
    pub hcpcs_edits: Vec<u16>,
    /// Edits on the line's service date.
    pub service_date_edits: Vec<u16>,
    /// Edits on the line's revenue code.
    pub revenue_edits: Vec<u16>,
    /// Edits on each modifier, in the line's modifier order.
    pub modifier_edits: Vec<Vec<u16>>,
}

/// The I/OCE's answer for a claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edited {
    /// The I/OCE release that answered (`"26.0.5"`), `None` when no
    /// version holds the claim's from date (edit 024).
    pub version: Option<String>,
    /// The internal version number (76 … 103).
    pub internal_version: Option<u8>,
    /// The I/OCE's return code (0: processed).
    pub return_code: u8,
    /// Claim processed flag.
    pub claim_processed_flag: u8,
    /// Overall claim disposition.
    pub claim_disposition: u8,
    /// Claim rejection disposition.
    pub claim_rejection_disposition: u8,
    /// Claim denial disposition.
    pub claim_denial_disposition: u8,
    /// Claim return-to-provider disposition.
    pub claim_return_to_provider_disposition: u8,
    /// Claim suspension disposition.
    pub claim_suspension_disposition: u8,
    /// Line rejection disposition.
    pub line_rejection_disposition: u8,
    /// Line denial disposition.
    pub line_denial_disposition: u8,
    /// APC return buffer flag.
    pub apc_return_buffer_flag: u8,
    /// Non-OPPS bill flag.
    pub nopps_bill_flag: u8,
    /// Edits that reject the claim.
    pub claim_rejection_edits: Vec<u16>,
    /// Edits that deny the claim.
    pub claim_denial_edits: Vec<u16>,
    /// Edits that return the claim to the provider.
    pub claim_return_to_provider_edits: Vec<u16>,
    /// Edits that suspend the claim.
    pub claim_suspension_edits: Vec<u16>,
    /// Edits that reject a line.
    pub line_rejection_edits: Vec<u16>,
    /// Edits that deny a line.
    pub line_denial_edits: Vec<u16>,
    /// The principal diagnosis's edits.
    pub principal: DxResult,
    /// Each reason-for-visit diagnosis's edits.
    pub reason_for_visit: Vec<DxResult>,
    /// Each secondary diagnosis's edits.
    pub secondary: Vec<DxResult>,
    /// Each line's outputs, in claim order.
    pub lines: Vec<LineResult>,
}

/// CMS's I/OCE over its tables; cheap to create (the tables are read once
/// per process, on first use).
#[derive(Clone, Copy)]
pub struct Editor {
    t: &'static Tables,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor").finish_non_exhaustive()
    }
}

/// A date `YYYY-MM-DD` or `YYYYMMDD` as the number yyyymmdd, `None` when
/// it is not a calendar date.
pub(crate) fn read_date(s: &str) -> Option<u32> {
    let s = s.trim();
    let digits: String = match s.len() {
        8 => s.to_string(),
        10 if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => {
            [&s[..4], &s[5..7], &s[8..]].concat()
        }
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    medcode_base::calendar::is_calendar_date(n).then_some(n)
}

/// Per-claim working state.
struct Run<'t> {
    t: &'t Tables,
    v: Version,
    out: Edited,
}

impl Run<'_> {
    /// Raise `edit` (its disposition decides the claim list) and return it
    /// for the caller to file under its place.
    fn raise(&mut self, edit: u16) -> u16 {
        let disposition = self.t.edits.get(&edit, self.v).map_or(0, |e| e.disposition);
        let list = match disposition {
            1 => &mut self.out.claim_rejection_edits,
            2 => &mut self.out.claim_denial_edits,
            3 => &mut self.out.claim_return_to_provider_edits,
            4 => &mut self.out.claim_suspension_edits,
            5 => &mut self.out.line_rejection_edits,
            6 => &mut self.out.line_denial_edits,
            _ => return edit,
        };
        if let Err(at) = list.binary_search(&edit) {
            list.insert(at, edit);
        }
        edit
    }
}

fn push_sorted(list: &mut Vec<u16>, edit: u16) {
    if let Err(at) = list.binary_search(&edit) {
        list.insert(at, edit);
    }
}

fn apc_text(k: Key) -> String {
    key_text(k)
}

/// The text of a key (its bytes up to the first zero).
pub(crate) fn key_text(k: Key) -> String {
    let bytes = k.to_le_bytes();
    let n = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    String::from_utf8_lossy(&bytes[..n]).into_owned()
}

/// A diagnosis code as the tables key it: dots and blanks dropped.
fn dx_key(code: &str) -> Option<Key> {
    let cleaned: String = code.chars().filter(|c| *c != '.' && *c != ' ').collect();
    key(&cleaned)
}

impl Editor {
    /// The editor (reads the tables on first use, about a second).
    pub fn new() -> Editor {
        Editor { t: Tables::get() }
    }

    /// Edit a [`Claim`] (see [`ClaimInput::from_claim`]).
    pub fn edit_claim(&self, claim: &Claim) -> Edited {
        self.edit(&ClaimInput::from_claim(claim))
    }

    /// Edit one claim.
    pub fn edit(&self, claim: &ClaimInput<'_>) -> Edited {
        let t = self.t;
        let mut out = Edited {
            principal: DxResult::default(),
            reason_for_visit: vec![DxResult::default(); claim.reason_for_visit.len()],
            secondary: vec![DxResult::default(); claim.secondary.len()],
            lines: claim
                .lines
                .iter()
                .map(|l| LineResult {
                    modifier_edits: vec![Vec::new(); l.modifiers.len()],
                    ..LineResult::default()
                })
                .collect(),
            ..Edited::default()
        };
        let from = read_date(claim.from_date);
        let version = from.and_then(|d| t.versions.iter().find(|v| v.start <= d && d <= v.end));
        let Some(version) = version else {
            out.return_code = 17;
            let mut run = Run { t, v: 103, out };
            run.raise(24);
            return run.finish();
        };
        out.version = Some(version.release.to_string());
        out.internal_version = Some(version.internal);
        let mut run = Run {
            t,
            v: version.internal,
            out,
        };
        run.diagnoses(claim);
        run.lines(claim);
        run.ncci(claim);
        run.finish()
    }
}

impl Run<'_> {
    fn diagnoses(&mut self, claim: &ClaimInput<'_>) {
        let (t, v) = (self.t, self.v);
        let age = claim.age;
        let check = |run: &mut Run<'_>, code: &str, principal: bool| -> Vec<u16> {
            let mut edits = Vec::new();
            let row = dx_key(code).and_then(|k| t.dx.get(&k, v));
            let Some(row) = row else {
                edits.push(run.raise(1));
                return edits;
            };
            if let Some(age) = age {
                let age = age as u16;
                if age < row.lo_age || age > row.hi_age {
                    edits.push(run.raise(2));
                }
            }
            if principal {
                // external_cause (bit 0), manifestation (2), unacceptable_pdx (4).
                if row.flags & 1 != 0 {
                    edits.push(run.raise(5));
                }
                if row.flags & 4 != 0 {
                    edits.push(run.raise(86));
                }
                if row.flags & 16 != 0 {
                    edits.push(run.raise(113));
                }
            }
            edits.sort_unstable();
            edits
        };
        if let Some(p) = claim.principal {
            self.out.principal.edits = check(self, p, true);
        }
        for (i, d) in claim.reason_for_visit.iter().enumerate() {
            self.out.reason_for_visit[i].edits = check(self, d, false);
        }
        for (i, d) in claim.secondary.iter().enumerate() {
            self.out.secondary[i].edits = check(self, d, false);
        }
    }

    fn hcpcs(&self, code: &str) -> Option<&'static HcpcsRow> {
        let t: &'static Tables = Tables::get();
        key(code.trim()).and_then(|k| t.hcpcs.get(&k, self.v))
    }

    fn lines(&mut self, claim: &ClaimInput<'_>) {
        let t = self.t;
        let v = self.v;
        let flag = |name: &str| t.hcpcs_flag(name);
        let (not_mcare, not_opps, non_reportable, dmerc, non_mac, questionable, info_only) = (
            flag("not_recognized_mcare"),
            flag("not_recognized_opps"),
            flag("non_reportable_site"),
            flag("dmerc_billable_only"),
            flag("non_billable_mac"),
            flag("questionable"),
            flag("information_only"),
        );
        for (i, line) in claim.lines.iter().enumerate() {
            let mut hcpcs_edits = Vec::new();
            let mut revenue_edits = Vec::new();
            let revenue = line.revenue_code.trim().parse::<u16>().ok();
            if revenue.is_none_or(|r| !t.revenue.has(&r, v)) {
                revenue_edits.push(self.raise(41));
            }
            let row = if line.hcpcs.trim().is_empty() {
                None
            } else {
                let row = self.hcpcs(line.hcpcs);
                if row.is_none() {
                    hcpcs_edits.push(self.raise(6));
                }
                row
            };
            for (m, modifier) in line.modifiers.iter().enumerate() {
                if key(modifier.trim()).is_none_or(|k| !t.modifier.has(&k, v)) {
                    let e = self.raise(22);
                    push_sorted(&mut self.out.lines[i].modifier_edits[m], e);
                }
            }
            let out = &mut self.out.lines[i];
            out.action_flag = "0".into();
            out.composite_adjustment_flag = "00".into();
            out.payment_adjustment_flag01 = "0".into();
            out.payment_adjustment_flag02 = "0".into();
            out.rejection_denial_flag = "0".into();
            out.packaging_flag = "0".into();
            out.payment_method_flag = "0".into();
            out.discounting_formula = "1".into();
            out.units_output = line.units.map_or("0".into(), |u| format!("{}", u as i64));
            match row {
                Some(row) => {
                    out.hcpcs_apc = apc_text(row.apc);
                    out.payment_apc = apc_text(row.apc);
                    out.status_indicator = key_text(row.status_indicator);
                    out.payment_indicator = row.payment_indicator.to_string();
                    for (bit, edit) in [
                        (not_mcare, 28),
                        (not_opps, 62),
                        (non_reportable, 55),
                        (dmerc, 61),
                        (non_mac, 72),
                        (questionable, 12),
                        (info_only, 112),
                    ] {
                        if row.has(bit) {
                            hcpcs_edits.push(edit);
                        }
                    }
                }
                None => {
                    out.hcpcs_apc = "00000".into();
                    out.payment_apc = "00000".into();
                }
            }
            for e in hcpcs_edits {
                let e = self.raise(e);
                push_sorted(&mut self.out.lines[i].hcpcs_edits, e);
            }
            for e in revenue_edits {
                push_sorted(&mut self.out.lines[i].revenue_edits, e);
            }
        }
    }

    /// NCCI procedure-to-procedure pairs between lines of the same service
    /// date: column 2 gets 020 (no modifier may bypass) or 040 (a modifier
    /// may, and none does).
    fn ncci(&mut self, claim: &ClaimInput<'_>) {
        let (t, v) = (self.t, self.v);
        let ncci_flag = 0u8; // data_modifier bit 0: `ncci`
        let ids: Vec<Option<u16>> = claim
            .lines
            .iter()
            .map(|l| key(l.hcpcs.trim()).and_then(|k| t.ncci.id(k)))
            .collect();
        let bypass: Vec<bool> = claim
            .lines
            .iter()
            .map(|l| {
                l.modifiers.iter().any(|m| {
                    key(m.trim())
                        .and_then(|k| t.modifier.get(&k, v))
                        .is_some_and(|f| f >> ncci_flag & 1 == 1)
                })
            })
            .collect();
        // Lines grouped by service date, so the pairs are looked up within a
        // day only (n log n plus the pairs of each day).
        let mut order: Vec<usize> = (0..claim.lines.len()).collect();
        order.sort_by_key(|&i| claim.lines[i].service_date.trim());
        let mut start = 0;
        while start < order.len() {
            let day = claim.lines[order[start]].service_date.trim();
            let mut end = start;
            while end < order.len() && claim.lines[order[end]].service_date.trim() == day {
                end += 1;
            }
            for &i in &order[start..end] {
                let Some(c1) = ids[i] else { continue };
                for &j in &order[start..end] {
                    if i == j {
                        continue;
                    }
                    let Some(c2) = ids[j] else { continue };
                    match t.ncci.pair(c1, c2, v) {
                        Some(0) => {
                            let e = self.raise(20);
                            push_sorted(&mut self.out.lines[j].hcpcs_edits, e);
                        }
                        Some(_) if !(bypass[i] || bypass[j]) => {
                            let e = self.raise(40);
                            push_sorted(&mut self.out.lines[j].hcpcs_edits, e);
                        }
                        _ => {}
                    }
                }
            }
            start = end;
        }
    }

    fn finish(mut self) -> Edited {
        let o = &mut self.out;
        o.claim_rejection_disposition = u8::from(!o.claim_rejection_edits.is_empty());
        o.claim_denial_disposition = u8::from(!o.claim_denial_edits.is_empty());
        o.claim_return_to_provider_disposition =
            u8::from(!o.claim_return_to_provider_edits.is_empty());
        o.claim_suspension_disposition = u8::from(!o.claim_suspension_edits.is_empty());
        o.line_rejection_disposition = u8::from(!o.line_rejection_edits.is_empty());
        o.line_denial_disposition = u8::from(!o.line_denial_edits.is_empty());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(read_date("2025-03-01"), Some(20250301));
        assert_eq!(read_date("20250301"), Some(20250301));
        assert_eq!(read_date("2025-02-30"), None);
        assert_eq!(read_date(""), None);
    }
}
