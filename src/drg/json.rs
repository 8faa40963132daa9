//! A grouping as one JSON object: what `medcode group` writes, the C ABI
//! returns and the Python package parses.

use super::{DrgOutcome, DxOutcome, Grouping, ProcOutcome};
use crate::json_scan::{push_json_str, push_opt_str, push_usize};

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
        out.push_str("{\"claim_id\":");
        push_opt_str(out, claim_id);
        if let Some(n) = line {
            out.push_str(",\"line\":");
            push_usize(out, n);
        }
        out.push_str(",\"version\":\"");
        out.push_str(self.version.name());
        out.push('"');
        write_outcome(out, "initial_", &self.initial);
        write_outcome(out, "final_", &self.final_drg);
        out.push_str(",\"return_code\":\"");
        out.push_str(self.final_drg.return_code.as_str());
        out.push_str("\",\"hac_status\":\"");
        out.push_str(self.hac_status.as_str());
        out.push_str("\",\"hac_categories\":");
        push_usize(out, usize::from(self.hac_categories));
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

fn write_outcome(out: &mut String, prefix: &str, o: &DrgOutcome) {
    let key = |out: &mut String, name: &str| {
        out.push_str(",\"");
        out.push_str(prefix);
        out.push_str(name);
        out.push_str("\":");
    };
    key(out, "drg");
    push_usize(out, usize::from(o.drg));
    key(out, "mdc");
    push_usize(out, usize::from(o.mdc));
    key(out, "base_drg");
    match o.base_drg {
        Some(b) => push_usize(out, usize::from(b)),
        None => out.push_str("null"),
    }
    key(out, "severity");
    push_json_str(out, o.severity.as_str());
    key(out, "type");
    push_json_str(out, o.kind.as_str());
    key(out, "return_code");
    push_json_str(out, o.return_code.as_str());
    key(out, "drg_title");
    push_opt_str(out, o.drg_title);
    key(out, "mdc_title");
    push_opt_str(out, o.mdc_title);
}

fn write_dx(out: &mut String, d: &DxOutcome) {
    out.push_str("{\"code\":");
    push_json_str(out, &d.code);
    out.push_str(",\"mdc\":");
    match d.mdc {
        Some(m) => push_usize(out, usize::from(m)),
        None => out.push_str("null"),
    }
    out.push_str(",\"severity\":\"");
    out.push_str(d.severity.as_str());
    out.push_str("\",\"drg_impact\":\"");
    out.push_str(d.impact.as_str());
    out.push_str("\",\"poa_error\":\"");
    out.push_str(d.poa_error.as_str());
    out.push_str("\",\"flags\":[");
    for (i, f) in d.flags.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, f.as_str());
    }
    out.push_str("],\"hacs\":[");
    for (i, h) in d.hacs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"hac\":");
        push_usize(out, usize::from(h.number));
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
    out.push_str(if p.is_or {
        ",\"is_or\":true"
    } else {
        ",\"is_or\":false"
    });
    out.push_str(if p.valid {
        ",\"valid\":true"
    } else {
        ",\"valid\":false"
    });
    out.push_str(",\"drg_impact\":\"");
    out.push_str(p.impact.as_str());
    out.push_str("\",\"flags\":[");
    let flags = [
        p.marked_initial.then_some("\"MARKED_FOR_INITIAL\""),
        p.marked_final.then_some("\"MARKED_FOR_FINAL\""),
    ];
    for (i, f) in flags.into_iter().flatten().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(f);
    }
    out.push_str("],\"hac_usage\":[");
    for (i, h) in p.hac_usage.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_usize(out, usize::from(*h));
    }
    out.push_str("]}");
}
