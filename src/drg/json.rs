//! A grouping as one JSON object: what `medcode group` writes, the C ABI
//! returns and the Python package parses.

use super::{DrgOutcome, DxOutcome, Grouping, ProcOutcome};
use crate::rules::{push_json_str, push_opt_str, push_usize};

impl Grouping {
    /// The grouping as one JSON object (no newline), CMS's names for values
    /// and snake_case keys: `claim_id` and `line` (left out when `None`),
    /// `version`, the initial and final DRG (`initial_drg`, `initial_mdc`,
    /// `initial_base_drg`, `initial_severity`, `initial_type`,
    /// `initial_return_code`, `initial_drg_title`, `initial_mdc_title`, and
    /// the same with `final_`, the final return code also as `return_code`),
    /// `hac_status`, `hac_categories`, `admit_dx`, then `principal`,
    /// `secondary` and `procedures` with each code's use, and the procedure
    /// `clusters` the claim satisfies.
    ///
    /// ```
    /// use medcode::drg::{DxInput, GroupInput, GroupOptions, Grouper, MsdrgVersion};
    /// let input = GroupInput {
    ///     principal: Some(DxInput::new("I21.4", b'Y')),
    ///     discharge_status: Some(1),
    ///     ..GroupInput::default()
    /// };
    /// let options = GroupOptions { version: Some(MsdrgVersion::V43_1), ..Default::default() };
    /// let g = Grouper::new().group(&input, &options)?;
    /// let json = g.to_json(Some("C1"), Some(1));
    /// assert!(json.starts_with(r#"{"claim_id":"C1","line":1,"version":"43.1","initial_drg":282,"#));
    /// let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    /// assert_eq!(v["final_drg_title"], "Acute Myocardial Infarction, Discharged Alive without CC/MCC");
    /// assert_eq!(v["principal"]["drg_impact"], "BOTH");
    /// # Ok::<(), medcode::drg::GroupError>(())
    /// ```
    pub fn to_json(&self, claim_id: Option<&str>, line: Option<usize>) -> String {
        let mut out =
            String::with_capacity(1024 + 160 * (self.secondary.len() + self.procedures.len()));
        self.write_json(claim_id, line, &mut out);
        out
    }

    /// Appends [`to_json`](Self::to_json)'s object to `out`.
    pub fn write_json(&self, claim_id: Option<&str>, line: Option<usize>, out: &mut String) {
        // The constant text between values is written in one piece each.
        out.reserve(
            1100 + 220 * (self.secondary.len() + 1)
                + 130 * self.procedures.len()
                + 16 * self.clusters.len(),
        );
        out.push_str("{\"claim_id\":");
        push_opt_str(out, claim_id);
        if let Some(n) = line {
            out.push_str(",\"line\":");
            push_usize(out, n);
        }
        out.push_str(",\"version\":\"");
        out.push_str(self.version.name());
        write_outcome(out, &INITIAL, &self.initial);
        write_outcome(out, &FINAL, &self.final_drg);
        out.push_str(",\"return_code\":\"");
        out.push_str(self.final_drg.return_code.as_str());
        out.push_str("\",\"hac_status\":\"");
        out.push_str(self.hac_status.as_str());
        out.push_str("\",\"hac_categories\":");
        push_small(out, u16::from(self.hac_categories));
        out.push_str(",\"admit_dx\":\"");
        out.push_str(self.admit_dx.as_str());
        out.push_str("\",\"principal\":");
        match &self.principal {
            Some(d) => write_dx(out, d),
            None => out.push_str("null"),
        }
        out.push_str(",\"secondary\":[");
        for (i, d) in self.secondary.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_dx(out, d);
        }
        out.push_str("],\"procedures\":[");
        for (i, p) in self.procedures.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_proc(out, p);
        }
        out.push_str("],\"clusters\":[");
        for (i, c) in self.clusters.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_str(out, c);
        }
        out.push_str("]}");
    }
}

/// The keys of one outcome, each with the text around its value: a key
/// whose value is a string ends with its opening quote, and the key after
/// a string value starts with its closing quote.
struct OutcomeKeys {
    drg: &'static str,
    mdc: &'static str,
    base_drg: &'static str,
    severity: &'static str,
    kind: &'static str,
    return_code: &'static str,
    drg_title: &'static str,
    mdc_title: &'static str,
}

const INITIAL: OutcomeKeys = OutcomeKeys {
    drg: "\",\"initial_drg\":",
    mdc: ",\"initial_mdc\":",
    base_drg: ",\"initial_base_drg\":",
    severity: ",\"initial_severity\":\"",
    kind: "\",\"initial_type\":\"",
    return_code: "\",\"initial_return_code\":\"",
    drg_title: "\",\"initial_drg_title\":",
    mdc_title: ",\"initial_mdc_title\":",
};

const FINAL: OutcomeKeys = OutcomeKeys {
    drg: ",\"final_drg\":",
    mdc: ",\"final_mdc\":",
    base_drg: ",\"final_base_drg\":",
    severity: ",\"final_severity\":\"",
    kind: "\",\"final_type\":\"",
    return_code: "\",\"final_return_code\":\"",
    drg_title: "\",\"final_drg_title\":",
    mdc_title: ",\"final_mdc_title\":",
};

/// Writes an outcome: after the version's open string value (the initial
/// outcome's first key closes it) or the initial outcome; it ends with a
/// closed value.
fn write_outcome(out: &mut String, keys: &OutcomeKeys, o: &DrgOutcome) {
    out.push_str(keys.drg);
    push_small(out, o.drg);
    out.push_str(keys.mdc);
    push_small(out, u16::from(o.mdc));
    out.push_str(keys.base_drg);
    match o.base_drg {
        Some(b) => push_small(out, b),
        None => out.push_str("null"),
    }
    out.push_str(keys.severity);
    out.push_str(o.severity.as_str());
    out.push_str(keys.kind);
    out.push_str(o.kind.as_str());
    out.push_str(keys.return_code);
    out.push_str(o.return_code.as_str());
    out.push_str(keys.drg_title);
    push_opt_str(out, o.drg_title);
    out.push_str(keys.mdc_title);
    push_opt_str(out, o.mdc_title);
}

/// A number of at most five digits (DRGs, MDCs, HAC numbers and counts).
#[inline]
fn push_small(out: &mut String, n: u16) {
    let mut digits = [0u8; 5];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

fn write_dx(out: &mut String, d: &DxOutcome) {
    out.push_str("{\"code\":");
    push_json_str(out, &d.code);
    match d.mdc {
        Some(m) => {
            out.push_str(",\"mdc\":");
            push_small(out, u16::from(m));
            out.push_str(",\"severity\":\"");
        }
        None => out.push_str(",\"mdc\":null,\"severity\":\""),
    }
    out.push_str(d.severity.as_str());
    out.push_str("\",\"drg_impact\":\"");
    out.push_str(d.impact.as_str());
    out.push_str("\",\"poa_error\":\"");
    out.push_str(d.poa_error.as_str());
    out.push_str("\",\"flags\":[");
    for (i, f) in d.flags.iter().enumerate() {
        out.push_str(if i > 0 { ",\"" } else { "\"" });
        out.push_str(f.as_str());
        out.push('"');
    }
    if d.hacs.is_empty() {
        out.push_str("],\"hacs\":[]}");
        return;
    }
    out.push_str("],\"hacs\":[");
    for (i, h) in d.hacs.iter().enumerate() {
        out.push_str(if i > 0 { ",{\"hac\":" } else { "{\"hac\":" });
        push_small(out, u16::from(h.number));
        out.push_str(",\"list\":");
        push_json_str(out, h.list);
        out.push_str(",\"status\":\"");
        out.push_str(h.status.as_str());
        out.push_str("\",\"title\":");
        push_opt_str(out, h.title);
        out.push('}');
    }
    out.push_str("]}");
}

fn write_proc(out: &mut String, p: &ProcOutcome) {
    out.push_str("{\"code\":");
    push_json_str(out, &p.code);
    out.push_str(match (p.is_or, p.valid) {
        (true, true) => ",\"is_or\":true,\"valid\":true,\"drg_impact\":\"",
        (true, false) => ",\"is_or\":true,\"valid\":false,\"drg_impact\":\"",
        (false, true) => ",\"is_or\":false,\"valid\":true,\"drg_impact\":\"",
        (false, false) => ",\"is_or\":false,\"valid\":false,\"drg_impact\":\"",
    });
    out.push_str(p.impact.as_str());
    out.push_str(match (p.marked_initial, p.marked_final) {
        (true, true) => {
            "\",\"flags\":[\"MARKED_FOR_INITIAL\",\"MARKED_FOR_FINAL\"],\"hac_usage\":["
        }
        (true, false) => "\",\"flags\":[\"MARKED_FOR_INITIAL\"],\"hac_usage\":[",
        (false, true) => "\",\"flags\":[\"MARKED_FOR_FINAL\"],\"hac_usage\":[",
        (false, false) => "\",\"flags\":[],\"hac_usage\":[",
    });
    for (i, h) in p.hac_usage.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_small(out, u16::from(*h));
    }
    out.push_str("]}");
}
