//! The engine: checks claims with the rules it was built with.

use super::builder::{EngineBuilder, EngineConfig, EngineError};
use super::emitter::{Emitter, MAX_FINDINGS_PER_RULE};
use super::finding::{Finding, Report, Severity};
use super::jsonl::{jsonl_capacity, write_jsonl};
use super::prepared::{HcpcsSource, PreparedClaim};
use super::registry::Rule;
use super::spare_findings;
use crate::claim::fast_json;
use crate::claim::{Claim, ClaimRef};
use crate::hcpcs::HcpcsRelease;
use std::borrow::Cow;
use std::fmt;

/// A finding to write into when no recycled one is left, its buffers sized
/// for a typical field and message (no regrowth while they are written).
#[cold]
#[inline(never)]
pub(super) fn fresh_finding() -> Finding {
    Finding {
        rule: Cow::Borrowed(""),
        severity: Severity::Error,
        line: None,
        field: Some(String::with_capacity(24)),
        codes: Vec::new(),
        message: String::with_capacity(160),
        cms_edit: None,
    }
}

/// The finding that says a rule's further findings were left out (kept out
/// of line: the common path never takes it).
#[cold]
#[inline(never)]
fn left_out_finding(r: &ActiveRule, left_out: usize) -> Finding {
    Finding {
        rule: Cow::Borrowed(r.id),
        severity: r.severity,
        line: None,
        field: None,
        codes: Vec::new(),
        message: format!(
            "{left_out} or more further {} findings left out: at most {MAX_FINDINGS_PER_RULE} are listed per rule for one claim",
            r.id
        ),
        cms_edit: r.cms_edit.map(Cow::Borrowed),
    }
}

pub(super) struct ActiveRule {
    pub(super) rule: Box<dyn Rule>,
    /// The rule runs on a claim only if the claim's
    /// [`gate_bits`](PreparedClaim::gate_bits) meet these ([`prepared::gate`]).
    pub(super) gate: u64,
    // Read once at build time: one virtual call a rule per claim, not two.
    pub(super) id: &'static str,
    pub(super) severity: Severity,
    /// The CMS edit a built-in rule stands for ([`RuleSpec::cms_edit`](super::RuleSpec::cms_edit)).
    pub(super) cms_edit: Option<&'static str>,
}

/// One rule's state in an engine.
///
/// ```
/// let engine = medcode::rules::Engine::builder().build()?;
/// let ptp = engine.coverage().get("ncci-ptp").unwrap().clone();
/// assert!(ptp.enabled && !ptp.active);
/// assert_eq!(ptp.note, Some("no NCCI PTP table loaded (--ncci-ptp)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleStatus {
    /// The id.
    pub id: &'static str,
    /// The severity its findings get.
    pub severity: Severity,
    /// False if configured off.
    pub enabled: bool,
    /// True if it runs: enabled and able to fire (edit rules need their table).
    pub active: bool,
    /// Why it cannot fire, when it cannot.
    pub note: Option<&'static str>,
    /// What it checks.
    pub description: &'static str,
}

/// Which rules an engine runs, and which it cannot.
///
/// ```
/// let engine = medcode::rules::Engine::builder().build().unwrap();
/// let inactive: Vec<_> = engine.coverage().inactive().map(|r| r.id).collect();
/// assert_eq!(inactive, ["unknown-field", "ncci-ptp", "mue-exceeded", "addon-without-primary"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Every rule, in engine order.
    pub rules: Vec<RuleStatus>,
}

impl Coverage {
    /// The status of one rule.
    ///
    /// ```
    /// use medcode::rules::{Engine, Severity};
    /// let coverage = Engine::builder().build()?.coverage();
    /// assert_eq!(coverage.get("invalid-code").unwrap().severity, Severity::Error);
    /// assert!(coverage.get("no-such-rule").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, id: &str) -> Option<&RuleStatus> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Enabled rules that cannot fire (edit rules without their table,
    /// `unknown-field` outside strict mode).
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let coverage = Engine::builder().disable("ncci-ptp").strict(true).build()?.coverage();
    /// let inactive: Vec<_> = coverage.inactive().map(|r| r.id).collect();
    /// assert_eq!(inactive, ["mue-exceeded", "addon-without-primary"]); // ncci-ptp is off, not inactive
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inactive(&self) -> impl Iterator<Item = &RuleStatus> {
        self.rules.iter().filter(|r| r.enabled && !r.active)
    }
}

/// The rules engine: configured once, immutable, shareable across threads.
///
/// ```
/// use medcode::claim::{Claim, ClaimLine, Diagnosis, Patient};
/// use medcode::rules::Engine;
///
/// let engine = Engine::builder().build()?;
/// let claim = Claim {
///     id: Some("CLM-7".into()),
///     claim_type: Some("professional".into()),
///     patient: Some(Patient { sex: Some("M".into()), age: Some(61.0), ..Default::default() }),
///     service_date: Some("2025-11-03".into()),
///     diagnoses: vec![Diagnosis::new("I10")],
///     lines: vec![ClaimLine { units: Some(1.0), dx_pointers: vec![1], ..ClaimLine::new("99213") }],
///     ..Default::default()
/// };
/// let report = engine.check(&claim);
/// assert!(report.is_clean(), "{report:?}");
/// # Ok::<(), medcode::rules::EngineError>(())
/// ```
pub struct Engine {
    pub(super) rules: Vec<ActiveRule>,
    pub(super) status: Vec<RuleStatus>,
    pub(super) hcpcs: Option<(HcpcsRelease, String)>,
    pub(super) malformed: Severity,
    /// Strict mode with `unknown-field` on: its severity.
    pub(super) unknown_field: Option<Severity>,
    /// True when no rule id needs a JSON escape (every built-in id is
    /// kebab-case; a user rule's id may be anything): the JSON Lines
    /// writer then copies the engine's findings' rule ids without the
    /// escape scan.
    pub(super) plain_rule_ids: bool,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field(
                "rules",
                &self.rules.iter().map(|r| r.rule.id()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};

impl Engine {
    /// A builder with every built-in rule on at its default severity.
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().build()?;
    /// assert!(engine.coverage().rules.iter().all(|r| r.enabled));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// An engine from a configuration.
    ///
    /// ```
    /// use medcode::rules::{Engine, EngineConfig};
    /// let mut config = EngineConfig::default();
    /// config.disabled.push("unspecified-code".into());
    /// let engine = Engine::from_config(&config)?;
    /// assert!(!engine.coverage().get("unspecified-code").unwrap().enabled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_config(config: &EngineConfig) -> Result<Engine, EngineError> {
        Engine::builder().config(config)?.build()
    }

    /// An engine from configuration JSON (an [`EngineConfig`]); an empty
    /// string is the default configuration.
    ///
    /// ```
    /// let engine = medcode::rules::Engine::from_config_json(r#"{"disabled": ["unspecified-code"]}"#).unwrap();
    /// assert!(!engine.coverage().get("unspecified-code").unwrap().enabled);
    /// assert!(medcode::rules::Engine::from_config_json(r#"{"disabld": []}"#).is_err());
    /// ```
    pub fn from_config_json(json: &str) -> Result<Engine, EngineError> {
        if json.trim().is_empty() {
            return Engine::builder().build();
        }
        Engine::from_config(&EngineConfig::from_json(json)?)
    }

    /// Which rules run, which are off, which cannot fire.
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let coverage = Engine::builder().disable("duplicate-line").build()?.coverage();
    /// let off: Vec<_> = coverage.rules.iter().filter(|r| !r.enabled).map(|r| r.id).collect();
    /// assert_eq!(off, ["duplicate-line"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn coverage(&self) -> Coverage {
        Coverage {
            rules: self.status.clone(),
        }
    }

    /// Prepares a claim: every code parsed and looked up once, dates resolved.
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::{Engine, Sex}, Date, IcdCm};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .patient(Sex::Female, 52)
    ///     .diagnosis("e119".parse::<IcdCm>()?)
    ///     .build();
    /// let engine = Engine::builder().build()?;
    /// let prepared = engine.prepare(&claim);
    /// assert_eq!(prepared.date, Some(Date::new(2025, 11, 3)?));
    /// assert_eq!(prepared.diagnoses[0].info.unwrap().code().to_string(), "E11.9");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prepare<'c>(&'c self, claim: &'c Claim) -> PreparedClaim<'c> {
        PreparedClaim::new(claim, HcpcsSource::pick(self.hcpcs.as_ref()))
    }

    /// Checks one claim.
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::{Engine, Sex}, Cpt, Date, IcdCm};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .patient(Sex::Male, 40)
    ///     .diagnosis("N80.0".parse::<IcdCm>()?) // a subcategory since FY2023
    ///     .line("99213".parse::<Cpt>()?, 1)
    ///     .pointers(&[1])
    ///     .build();
    /// let report = Engine::builder().build()?.check(&claim);
    /// assert_eq!(report.findings[0].rule, "header-code");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, claim: &Claim) -> Report {
        let prepared = self.prepare(claim);
        Report {
            claim_id: claim.id.clone(),
            findings: self.check_prepared(&prepared),
        }
    }

    /// Runs every active rule over a prepared claim.
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::Engine, Date};
    /// let engine = Engine::builder().build()?;
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?).build();
    /// let prepared = engine.prepare(&claim);
    /// // The findings `check` would give, without preparing the claim twice.
    /// assert_eq!(engine.check_prepared(&prepared), engine.check(&claim).findings);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_prepared(&self, claim: &PreparedClaim<'_>) -> Vec<Finding> {
        spare_findings::with(|findings, recycled| self.run_rules(claim, findings, recycled))
    }

    /// [`check_prepared`](Self::check_prepared)'s loop, into the thread's
    /// spare buffer and recycled findings.
    #[inline]
    fn run_rules(
        &self,
        claim: &PreparedClaim<'_>,
        findings: &mut Vec<Finding>,
        recycled: &mut spare_findings::Recycled,
    ) {
        let gate_bits = claim.gate_bits();
        // One emitter for all the rules: each rule sets only its own fields.
        let mut out = Emitter {
            rule: "",
            severity: Severity::Error,
            cms_edit: None,
            findings,
            recycled,
            emitted: 0,
            left_out: 0,
        };
        for r in &self.rules {
            // A rule that needs what the claim lacks is not called at all.
            if gate_bits & r.gate == 0 {
                continue;
            }
            out.rule = r.id;
            out.severity = r.severity;
            out.cms_edit = r.cms_edit;
            out.emitted = 0;
            r.rule.check(claim, &mut out);
            if out.left_out > 0 {
                let left_out = std::mem::take(&mut out.left_out);
                out.findings.push(left_out_finding(r, left_out));
            }
        }
    }

    /// Checks many claims, lazily, in order.
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let claims = vec![Claim::default(), Claim::default()];
    /// assert_eq!(engine.check_all(&claims).count(), 2);
    /// ```
    pub fn check_all<'a, I>(&'a self, claims: I) -> impl Iterator<Item = Report> + 'a
    where
        I: IntoIterator<Item = &'a Claim>,
        I::IntoIter: 'a,
    {
        claims.into_iter().map(move |c| self.check(c))
    }

    /// Checks one line of JSON Lines and returns exactly one output line
    /// (without the newline): `{"claim_id": …, "findings": [ … ]}`. A line
    /// that is not JSON or not a claim gets `claim_id: null` and a
    /// `malformed-claim` finding saying what is wrong.
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let out = engine.check_jsonl_line("{not json");
    /// assert!(out.starts_with(r#"{"claim_id":null,"findings":[{"rule":"malformed-claim""#));
    /// assert!(!out.contains('\n'));
    /// ```
    pub fn check_jsonl_line(&self, input: &str) -> String {
        self.jsonl_output(None, input)
    }

    /// As [`check_jsonl_line`](Self::check_jsonl_line), appended to `out`:
    /// a caller that checks claim after claim may write each answer into a
    /// buffer it reuses (the C library reuses a freed answer's) instead of
    /// a new `String` each time.
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let mut out = String::from("> ");
    /// engine.append_jsonl_line("{not json", &mut out);
    /// assert_eq!(out[2..], engine.check_jsonl_line("{not json"));
    /// ```
    pub fn append_jsonl_line(&self, input: &str, out: &mut String) {
        self.check_json_then(input, |claim_id, findings| {
            out.reserve(jsonl_capacity(&findings));
            write_jsonl(None, claim_id, &findings, self.plain_rule_ids, out);
            spare_findings::give_back(findings);
        });
    }

    /// As [`check_jsonl_line`](Self::check_jsonl_line), with the 1-based
    /// input line number first: `{"line": N, "claim_id": …, "findings": [ … ]}`
    /// (what `medcode check` writes).
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let out = engine.check_jsonl_line_numbered(3, "[]");
    /// assert!(out.starts_with(r#"{"line":3,"claim_id":null,"#));
    /// ```
    pub fn check_jsonl_line_numbered(&self, line: usize, input: &str) -> String {
        self.jsonl_output(Some(line), input)
    }

    /// The report for one JSON Lines input line.
    ///
    /// The claim's strings are borrowed from `input` where they can be (no
    /// copy, no allocation); a claim of the usual shape is read by a reader
    /// made for it, anything else by serde. The findings are those
    /// [`check`](Self::check) gives for the same claim parsed into a [`Claim`].
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().build()?;
    /// let report = engine.check_json(r#"{"id": "CLM-9", "type": "professional", "service_date": "2025-11-03",
    ///     "patient": {"sex": "F", "age": 52}, "diagnoses": ["E11.9"],
    ///     "lines": [{"code": "99213", "units": 1, "dx_pointers": [1]}]}"#);
    /// assert_eq!(report.claim_id.as_deref(), Some("CLM-9"));
    /// assert!(report.is_clean(), "{:?}", report.findings);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_json(&self, input: &str) -> Report {
        self.check_json_then(input, |claim_id, findings| Report {
            claim_id: claim_id.map(str::to_owned),
            findings,
        })
    }

    /// [`check_json`](Self::check_json)'s claim id and findings handed to
    /// `then`, the id borrowed from the claim: the JSON Lines path writes
    /// it out without a `String` of its own.
    fn check_json_then<R>(
        &self,
        input: &str,
        then: impl FnOnce(Option<&str>, Vec<Finding>) -> R,
    ) -> R {
        // Lines seldom start with a byte order mark: test for one before
        // the trimming loop.
        let trimmed = if input.starts_with('\u{feff}') {
            input.trim_start_matches('\u{feff}')
        } else {
            input
        };
        // A claim is a JSON object: serde would read an array field by field.
        // (A line that starts with its `{` needs no whitespace trimmed.)
        let object = trimmed.starts_with('{') || trimmed.trim_start().starts_with('{');
        if object {
            // Read in place: a `ClaimRef` is large, and every move a copy.
            let mut claim = ClaimRef::default();
            if fast_json::read_claim(trimmed, &mut claim).is_some() {
                let out = self.check_claim_ref(&mut claim, true, then);
                // Its texts all borrowed and its lists given back (`recycle_read`):
                // nothing in it to free, and its drop only tests that.
                std::mem::forget(claim);
                return out;
            }
        }
        let Report { claim_id, findings } = self.check_json_slow(trimmed, object);
        then(claim_id.as_deref(), findings)
    }

    /// Checks a claim read from JSON, hands its id and findings to `then`,
    /// and keeps its lists for the next one; `read_fast` for a claim the
    /// fast reader read (its texts all borrowed: `spare::recycle_read`).
    fn check_claim_ref<R>(
        &self,
        claim: &mut ClaimRef<'_>,
        read_fast: bool,
        then: impl FnOnce(Option<&str>, Vec<Finding>) -> R,
    ) -> R {
        // The prepared claim dropped where it lies at the block's end: a
        // `drop(prepared)` moved it first (a copy of the whole struct, 76
        // instructions a claim).
        let out = {
            let prepared = PreparedClaim::new(&*claim, HcpcsSource::pick(self.hcpcs.as_ref()));
            let findings = self.check_prepared(&prepared);
            then(prepared.id, findings)
        };
        if read_fast {
            crate::claim::spare::recycle_read(claim);
        } else {
            crate::claim::spare::recycle(claim);
        }
        out
    }

    /// [`check_json`](Self::check_json) where the fast reader declined:
    /// serde reads the claim, or says what is wrong with it. Out of line
    /// and cold so that the common path stays small in the instruction
    /// cache (the two together were 48 KB of code; BENCHMARKS.md).
    #[cold]
    #[inline(never)]
    fn check_json_slow(&self, trimmed: &str, object: bool) -> Report {
        if object {
            if let Ok(mut claim) = serde_json::from_str::<ClaimRef<'_>>(trimmed) {
                let report = self.check_claim_ref(&mut claim, false, |claim_id, findings| Report {
                    claim_id: claim_id.map(str::to_owned),
                    findings,
                });
                return self.with_unknown_fields(trimmed, report);
            }
        }
        // Not a claim: the owned parse gives the error to report.
        match serde_json::from_str::<Claim>(trimmed) {
            Ok(claim) if object => self.with_unknown_fields(trimmed, self.check(&claim)),
            Ok(_) => self.unread("not a claim: expected a JSON object".to_owned()),
            Err(e) => {
                let message = if trimmed.trim().is_empty() {
                    "empty line: expected one claim as a JSON object".to_owned()
                } else if !object && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok()
                {
                    "not a claim: expected a JSON object".to_owned()
                } else if e.is_data() {
                    format!("not a claim: {e}")
                } else {
                    format!("not valid JSON: {e}")
                };
                self.unread(message)
            }
        }
    }

    /// Strict mode: the report with an `unknown-field` finding for each
    /// field of the claim's JSON that the contract does not have, after
    /// the `malformed-claim` findings (the rules' order). Only the serde
    /// path can meet one: the fast reader declines any claim with a field
    /// it does not know.
    fn with_unknown_fields(&self, json: &str, mut report: Report) -> Report {
        let Some(severity) = self.unknown_field else {
            return report;
        };
        let unknown = crate::claim::unknown_fields(json);
        if unknown.is_empty() {
            return report;
        }
        let at = report
            .findings
            .iter()
            .take_while(|f| f.rule == "malformed-claim")
            .count();
        let mut found: Vec<Finding> = unknown
            .iter()
            .take(MAX_FINDINGS_PER_RULE)
            .map(|u| {
                let hint = match u.suggestion {
                    Some(known) => format!("; did you mean \"{known}\"?"),
                    None => String::new(),
                };
                Finding {
                    rule: Cow::Borrowed("unknown-field"),
                    severity,
                    line: u.line.map(|i| i.saturating_add(1)),
                    field: Some(u.path.clone()),
                    codes: Vec::new(),
                    message: format!("unknown field {}: not read (strict mode){hint}", u.path),
                    cms_edit: None,
                }
            })
            .collect();
        if unknown.len() > MAX_FINDINGS_PER_RULE {
            found.push(Finding {
                rule: Cow::Borrowed("unknown-field"),
                severity,
                line: None,
                field: None,
                codes: Vec::new(),
                message: format!(
                    "{} further unknown-field findings left out: at most {MAX_FINDINGS_PER_RULE} are listed per rule for one claim",
                    unknown.len() - MAX_FINDINGS_PER_RULE
                ),
                cms_edit: None,
            });
        }
        report.findings.splice(at..at, found);
        report
    }

    /// The report for input that could not be read as a claim: one
    /// `malformed-claim` finding, even with that rule disabled.
    fn unread(&self, message: String) -> Report {
        Report {
            claim_id: None,
            findings: vec![Finding {
                rule: Cow::Borrowed("malformed-claim"),
                severity: self.malformed,
                line: None,
                field: None,
                codes: Vec::new(),
                message,
                cms_edit: None,
            }],
        }
    }

    /// As [`check_json`](Self::check_json) for raw bytes. Bytes that are not
    /// UTF-8 are not checked as if nothing happened: the claim is read with
    /// each bad sequence replaced by U+FFFD, every rule runs on what was
    /// read, and a `malformed-claim` finding (first, even with that rule
    /// disabled) says where the first bad byte is and that the fields
    /// holding U+FFFD are not what the claim wrote.
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let r = engine.check_json_bytes(b"{\"id\": \"P-\xff\", \"type\": \"professional\"}");
    /// assert_eq!(r.findings[0].rule, "malformed-claim");
    /// assert!(r.findings[0].message.contains("not valid UTF-8"), "{}", r.findings[0].message);
    /// ```
    pub fn check_json_bytes(&self, input: &[u8]) -> Report {
        match std::str::from_utf8(input) {
            Ok(text) => self.check_json(text),
            Err(e) => {
                let text = String::from_utf8_lossy(input);
                let mut report = self.check_json(&text);
                let mut first = self.unread(format!(
                    "the line is not valid UTF-8 (byte {} of {}): each bad sequence was read as U+FFFD, and the claim was checked as read; fields holding U+FFFD are not what the claim wrote",
                    e.valid_up_to() + 1,
                    input.len()
                ));
                first.findings.append(&mut report.findings);
                report.findings = first.findings;
                report
            }
        }
    }

    /// The report for an input line longer than `limit` bytes, which was
    /// not read: one `malformed-claim` finding (even with that rule
    /// disabled).
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let r = engine.line_too_long(1 << 20);
    /// assert_eq!(r.findings[0].message, "line longer than 1048576 bytes: not read");
    /// ```
    pub fn line_too_long(&self, limit: usize) -> Report {
        self.unread(format!("line longer than {limit} bytes: not read"))
    }

    fn jsonl_output(&self, line: Option<usize>, input: &str) -> String {
        self.check_json_then(input, |claim_id, findings| {
            let mut out = String::with_capacity(jsonl_capacity(&findings));
            write_jsonl(line, claim_id, &findings, self.plain_rule_ids, &mut out);
            spare_findings::give_back(findings);
            out
        })
    }

    /// Appends [`check_jsonl_line_numbered`](Self::check_jsonl_line_numbered)'s
    /// line to `out`.
    pub(crate) fn write_jsonl_line(&self, line: usize, input: &str, out: &mut String) {
        self.check_json_then(input, |claim_id, findings| {
            write_jsonl(Some(line), claim_id, &findings, self.plain_rule_ids, out);
            spare_findings::give_back(findings);
        });
    }
}

#[cfg(test)]
mod gate_tests {
    use super::*;
    use crate::claim::{Claim, Diagnosis, Patient, Procedure};
    use crate::rules::{prepared::gate::ALWAYS, rule_spec, RULE_IDS};
    use std::collections::BTreeSet;

    /// Every rule run on the claim, gates or no gates.
    fn ungated(engine: &Engine, claim: &PreparedClaim<'_>) -> Vec<Finding> {
        let (mut findings, mut recycled) = (Vec::new(), spare_findings::Recycled::default());
        for r in &engine.rules {
            let mut out = Emitter {
                rule: r.id,
                severity: r.severity,
                cms_edit: r.cms_edit,
                findings: &mut findings,
                recycled: &mut recycled,
                emitted: 0,
                left_out: 0,
            };
            r.rule.check(claim, &mut out);
            if out.left_out > 0 {
                let left_out = out.left_out;
                findings.push(left_out_finding(r, left_out));
            }
        }
        findings
    }

    /// Each gate names a built-in rule.
    #[test]
    fn gates_name_built_in_rules() {
        // Only the MCE and validity families look at flags and statuses,
        // and the I/OCE family at the bill type.
        for spec in crate::rules::BUILTIN_RULES
            .iter()
            .filter(|s| s.gate != ALWAYS)
        {
            assert!(
                matches!(
                    spec.family,
                    crate::rules::Family::Mce
                        | crate::rules::Family::Validity
                        | crate::rules::Family::Ioce
                ),
                "{}",
                spec.id
            );
        }
        let gated = RULE_IDS
            .iter()
            .filter(|id| rule_spec(id).unwrap().gate != ALWAYS)
            .count();
        assert_eq!(gated, 19 + crate::rules::CMS_IOCE_EDITS.len());
    }

    /// Skipping the gated rules changes no finding: claims made of codes
    /// with and without each MCE flag and each status, both claim types,
    /// every sex, ages in and out of range, dates around the FY2025 change.
    #[test]
    fn gates_skip_only_rules_that_find_nothing() {
        let engine = Engine::builder().build().unwrap();
        let dx = [
            "E11.9", "O80", "Z37.0", "V00.01XA", "N80.0", "E11", "S42.4", "B20", "Z00.6", "Y65.51",
            "P07.01", "Z30.2", "N40.0", "C61", "R69", "Z99.89", "0VT00ZZ", "99213", "XYZ", "",
            "E10.9", "A33", "Z51.11", "I10", "F10.10", "R10.9", "Z38.00",
        ];
        let pcs = [
            "0VT00ZZ", "10D00Z1", "10E0XZZ", "5A1955Z", "02YA0Z0", "0UT90ZZ", "02RK0JZ", "02RL0JZ",
            "0TY00Z0", "0FYG0Z0", "0SRD0JZ", "99213", "E11.9", "0XXXXXX", "",
        ];
        let (mut claims, mut fired) = (0, BTreeSet::new());
        for (i, &(kind, sex, age, date)) in [
            ("institutional", Some("M"), Some(40.0), "2023-05-01"),
            ("institutional", Some("F"), Some(30.0), "2025-01-02"),
            ("institutional", Some("U"), Some(0.0), "2024-09-30"),
            ("institutional", None, Some(130.0), "2024-10-01"),
            ("professional", Some("F"), Some(8.0), "2019-03-03"),
            ("professional", Some("X"), None, "2016-01-01"),
        ]
        .iter()
        .enumerate()
        {
            for k in 0..dx.len() {
                let claim = Claim {
                    claim_type: Some(kind.into()),
                    discharge_date: Some(date.into()),
                    admission_date: Some("2016-01-01".into()),
                    service_date: Some(date.into()),
                    discharge_status: Some("01".into()),
                    patient: Some(Patient {
                        sex: sex.map(Into::into),
                        age,
                        ..Default::default()
                    }),
                    diagnoses: (0..1 + (k + i) % 4)
                        .map(|j| Diagnosis::new(dx[(k + 5 * j + i) % dx.len()]))
                        .collect(),
                    procedures: (0..(k + i) % 3)
                        .map(|j| Procedure::new(pcs[(k + 7 * j + i) % pcs.len()]))
                        .collect(),
                    ..Default::default()
                };
                let prepared = engine.prepare(&claim);
                let findings = engine.check_prepared(&prepared);
                assert_eq!(findings, ungated(&engine, &prepared), "{claim:?}");
                fired.extend(
                    findings
                        .iter()
                        .map(|f| f.rule.to_string())
                        .filter(|id| rule_spec(id).unwrap().gate != ALWAYS),
                );
                claims += 1;
            }
        }
        assert!(claims > 100);
        // The claims reach most gated rules (else the test would prove little).
        assert!(fired.len() >= 12, "{fired:?}");
    }
}
