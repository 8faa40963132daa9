//! Reports written as JSON Lines, with a JSON string writer that is fast
//! on plain ASCII.

use super::finding::{Finding, Report, Severity};
use crate::json_scan::next_json_special;
use crate::json_scan::{push_json_str, push_opt_str, push_usize};

impl Report {
    /// The report as one JSON Lines output line (no newline):
    /// `{"line": N, "claim_id": …, "findings": [ … ]}`, `line` left out when `None`.
    ///
    /// The wrapper's `line` is the caller's count, by convention the 1-based
    /// line of the input file (`medcode check` writes it so); each finding's
    /// own `line` is the claim line's number, also counted from 1 (see
    /// [`Finding::line`]).
    ///
    /// ```
    /// let r = medcode::rules::Report { claim_id: Some("C1".into()), findings: vec![] };
    /// assert_eq!(r.to_jsonl(Some(1)), r#"{"line":1,"claim_id":"C1","findings":[]}"#);
    /// assert_eq!(r.to_jsonl(None), r#"{"claim_id":"C1","findings":[]}"#);
    /// ```
    pub fn to_jsonl(&self, line: Option<usize>) -> String {
        let mut out = String::with_capacity(jsonl_capacity(&self.findings));
        self.write_jsonl(line, &mut out);
        out
    }

    /// Appends [`to_jsonl`](Self::to_jsonl)'s line to `out` (no newline):
    /// the bytes `serde_json` writes for the same report, written straight
    /// into the buffer.
    ///
    /// ```
    /// let r = medcode::rules::Report { claim_id: Some("C\"1".into()), findings: vec![] };
    /// let mut out = String::from("x");
    /// r.write_jsonl(Some(7), &mut out);
    /// assert_eq!(out, r#"x{"line":7,"claim_id":"C\"1","findings":[]}"#);
    /// ```
    pub fn write_jsonl(&self, line: Option<usize>, out: &mut String) {
        // Anyone may build a report: every rule id is scanned.
        write_jsonl(line, self.claim_id.as_deref(), &self.findings, false, out);
    }
}

/// A buffer size that holds a typical output line without regrowing.
pub(super) fn jsonl_capacity(findings: &[Finding]) -> usize {
    // The wrapper and claim id, then each finding's fixed keys (about 80
    // bytes), its texts, and an eighth more for escapes: room for the whole
    // line at once (a fixed 256 bytes a finding was often too little, and the
    // regrowth cost a copy), and for the C ABI's NUL after it.
    let texts: usize = findings
        .iter()
        .map(|f| {
            let field = f.field.as_ref().map_or(0, String::len);
            let codes: usize = f.codes.iter().map(|c| c.len() + 3).sum();
            let cms = f.cms_edit.as_ref().map_or(0, |c| c.len() + 14);
            let texts = f.rule.len() + field + codes + f.message.len() + cms;
            96 + texts + texts / 8
        })
        .sum();
    128 + texts
}

/// [`Report::write_jsonl`] for a report in parts (the JSON Lines path
/// borrows the claim id rather than copy it into a `Report`).
/// `plain_rule_ids`: the findings are an engine's, and none of its rule ids
/// needs an escape (`Engine::plain_rule_ids`), so they are copied as they
/// are. Claim ids, fields, codes and messages are always scanned: they can
/// hold the claim's own text.
pub(super) fn write_jsonl(
    line: Option<usize>,
    claim_id: Option<&str>,
    findings: &[Finding],
    plain_rule_ids: bool,
    out: &mut String,
) {
    out.push('{');
    if let Some(n) = line {
        out.push_str("\"line\":");
        push_usize(out, n);
        out.push(',');
    }
    out.push_str("\"claim_id\":");
    push_opt_str(out, claim_id);
    out.push_str(",\"findings\":[");
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"rule\":");
        if plain_rule_ids {
            push_plain_json_str(out, &f.rule);
        } else {
            push_json_str(out, &f.rule);
        }
        // Runs of fixed text pushed as one literal each (one capacity
        // check and one copy, not three).
        out.push_str(match f.severity {
            Severity::Error => ",\"severity\":\"error\",\"line\":",
            Severity::Warning => ",\"severity\":\"warning\",\"line\":",
            Severity::Info => ",\"severity\":\"info\",\"line\":",
        });
        match f.line {
            Some(n) => {
                push_usize(out, n);
                out.push_str(",\"field\":");
            }
            None => out.push_str("null,\"field\":"),
        }
        match f.field.as_deref() {
            Some(field) => {
                push_json_str(out, field);
                out.push_str(",\"codes\":[");
            }
            None => out.push_str("null,\"codes\":["),
        }
        for (j, c) in f.codes.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_json_str(out, c);
        }
        out.push_str("],\"message\":");
        push_json_str(out, &f.message);
        if let Some(cms) = f.cms_edit.as_deref() {
            out.push_str(",\"cms_edit\":");
            push_json_str(out, cms);
        }
        out.push('}');
    }
    out.push_str("]}");
}

/// [`push_json_str`] for a string known to need no escape (checked in
/// debug builds).
#[inline(always)]
fn push_plain_json_str(out: &mut String, s: &str) {
    debug_assert_eq!(next_json_special(s.as_bytes(), 0), None, "{s:?}");
    out.reserve(s.len() + 2);
    out.push('"');
    out.push_str(s);
    out.push('"');
}

#[cfg(test)]
mod jsonl_tests {
    use super::*;
    use crate::rules::{Emitter, Engine, PreparedClaim, Rule};
    use std::borrow::Cow;

    /// The copy without a scan is taken only for an engine whose rule ids
    /// are all plain: a user rule's id with a quote, a backslash or a
    /// control character is escaped, and the claim id, raw codes and
    /// fields a claim wrote are escaped whatever the ids.
    #[test]
    fn hostile_ids_and_claim_text_are_escaped() {
        struct Hostile;
        impl Rule for Hostile {
            fn id(&self) -> &'static str {
                "acme-\"q\\b\u{1}"
            }
            fn description(&self) -> &'static str {
                "a hostile id"
            }
            fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
                let raw = claim.diagnoses.first().map_or("", |d| d.raw);
                out.emit_with(None, raw, &[raw], |m| m.push_str(raw));
            }
        }
        let claim = r#"{"id": "C\"1\\\n", "diagnoses": [{"code": "E1\"1\\\t"}]}"#;
        let plain = Engine::builder().build().unwrap();
        let hostile = Engine::builder().rule(Hostile).build().unwrap();
        assert!(plain.plain_rule_ids);
        assert!(!hostile.plain_rule_ids);
        for engine in [&plain, &hostile] {
            let report = engine.check_json(claim);
            assert_eq!(report.claim_id.as_deref(), Some("C\"1\\\n"));
            assert!(!report.findings.is_empty());
            let line = engine.check_jsonl_line(claim);
            // The same bytes as the writer that scans everything, and
            // readable JSON giving back every string.
            assert_eq!(line, report.to_jsonl(None));
            let back: serde_json::Value = serde_json::from_str(&line).unwrap();
            assert_eq!(back["claim_id"], "C\"1\\\n");
            for (f, b) in report
                .findings
                .iter()
                .zip(back["findings"].as_array().unwrap())
            {
                assert_eq!(b["rule"], *f.rule);
                assert_eq!(b["message"], f.message);
                assert_eq!(b["field"].as_str(), f.field.as_deref());
            }
        }
        let line = hostile.check_jsonl_line(claim);
        assert!(line.contains(r#""rule":"acme-\"q\\b\u0001""#), "{line}");
        assert!(line.contains(r#""codes":["E1\"1\\\t"]"#), "{line}");
    }

    /// The one- and two-digit fast paths and the loop write what `Display` writes.
    #[test]
    fn push_usize_equals_display() {
        for n in (0..1000).chain([9999, 10_000, 1 << 40, usize::MAX]) {
            let mut out = String::from("é");
            push_usize(&mut out, n);
            assert_eq!(out, format!("é{n}"));
        }
    }

    /// The hand-written writer gives serde_json's bytes.
    #[test]
    fn write_jsonl_equals_serde_json() {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            line: Option<usize>,
            claim_id: &'a Option<String>,
            findings: &'a [Finding],
        }
        let nasty: String = (0u8..0x80)
            .map(char::from)
            .chain("é€😀\u{feff}\u{2028}".chars())
            .collect();
        let finding = |line, field: Option<&str>, codes: Vec<&str>, message: &str| Finding {
            rule: Cow::Borrowed("units-invalid"),
            severity: Severity::Warning,
            line,
            field: field.map(str::to_owned),
            codes: codes.into_iter().map(str::to_owned).collect(),
            message: message.to_owned(),
            cms_edit: None,
        };
        let with_cms = |f: Finding, cms: &str| Finding {
            cms_edit: Some(Cow::Owned(cms.to_owned())),
            ..f
        };
        let reports = [
            Report::default(),
            Report {
                claim_id: Some(nasty.clone()),
                findings: vec![finding(None, None, vec![], "")],
            },
            Report {
                claim_id: Some(String::new()),
                findings: vec![
                    finding(
                        Some(0),
                        Some("lines[0].units"),
                        vec!["99213", &nasty],
                        &nasty,
                    ),
                    finding(
                        Some(usize::MAX),
                        Some(""),
                        vec![""],
                        "a \"quoted\" \\ message",
                    ),
                    with_cms(finding(Some(3), None, vec!["82947"], "040"), "040"),
                    with_cms(finding(None, None, vec![], ""), "SEX_CONFLICT"),
                    with_cms(finding(None, None, vec![], ""), &nasty),
                ],
            },
        ];
        for r in &reports {
            for line in [None, Some(0), Some(1), Some(1234567890)] {
                let want = serde_json::to_string(&Out {
                    line,
                    claim_id: &r.claim_id,
                    findings: &r.findings,
                })
                .unwrap();
                assert_eq!(r.to_jsonl(line), want);
            }
        }
    }
}
