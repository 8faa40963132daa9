//! The claim rules engine: read a professional or institutional claim and
//! flag every invalid, mismatched or conflicting code and claim line.
//!
//! An [`Engine`] is configured once ([`Engine::builder`] or an
//! [`EngineConfig`] from JSON), is immutable, `Send + Sync`, and checks any
//! number of claims: [`Engine::check`] for one [`Claim`], [`Engine::check_all`]
//! over an iterator, [`Engine::check_jsonl_line`] for one line of JSON Lines.
//! Each claim is prepared once ([`PreparedClaim`]: every code parsed and
//! looked up, every date resolved) and every [`Rule`] reads the prepared
//! form. Findings are plain data ([`Finding`]).
//!
//! Rule families, one file each: code validity (`invalid-code`,
//! `code-not-valid-on-date`, `header-code`, `code-system-mismatch`), MCE edits
//! by date, ICD-10-CM conventions, line checks, and the CMS edit tables the
//! user loads (`ncci-ptp`, `mue-exceeded`, `addon-without-primary`, silent
//! until a table is loaded: see [`Engine::coverage`]). [`RULE_IDS`] lists
//! every built-in id.
//!
//! ```
//! use medcode::claim::Claim;
//! use medcode::rules::{Engine, Severity};
//!
//! let engine = Engine::builder()
//!     .severity("unspecified-code", Severity::Warning)
//!     .disable("duplicate-line")
//!     .build()?;
//! let claim: Claim = serde_json::from_str(r#"{
//!     "id": "CLM-1", "type": "professional",
//!     "patient": {"sex": "F", "age": 52},
//!     "service_date": "2025-11-03",
//!     "diagnoses": [{"code": "E11.9"}, {"code": "E10.9"}],
//!     "lines": [{"code": "99213", "units": 1, "dx_pointers": [1, 2]}]
//! }"#)?;
//! let report = engine.check(&claim);
//! assert!(report.findings.iter().any(|f| f.rule == "excludes1-conflict"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod conventions;
mod edits;
mod fast_json;
mod inline_list;
mod line_reader;
mod lines;
mod mce;
pub(crate) mod msg;
mod parallel;
mod poa;
mod prepared;
mod source;
mod validity;

pub use inline_list::InlineList;
pub use line_reader::{read_jsonl_line, JsonlLine};
pub use lines::MAX_UNITS;
pub use mce::{cms_mce_edit, CMS_MCE_EDITS};
pub use parallel::{jobs_or_all_cores, ordered_batches};
pub use prepared::{
    ClaimKind, CodeStatus, DateField, ModifierTexts, PreparedClaim, PreparedDx, PreparedLine,
    PreparedPcs, Problem, Sex,
};

use crate::claim::{Claim, ClaimRef};
use crate::hcpcs::HcpcsRelease;
use crate::load::{AddonTable, EditLoadError, MueTable, PtpTable};
use prepared::HcpcsSource;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

/// How serious a finding is.
///
/// ```
/// use medcode::rules::Severity;
/// assert_eq!("warning".parse::<Severity>().unwrap(), Severity::Warning);
/// assert_eq!(Severity::Error.to_string(), "error");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The claim will be rejected or denied as it stands.
    Error,
    /// Likely wrong; review before submitting.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// The name as JSON writes it.
    ///
    /// ```
    /// use medcode::rules::Severity;
    /// assert_eq!(Severity::Warning.as_str(), "warning");
    /// assert_eq!(serde_json::to_string(&Severity::Warning).unwrap(), r#""warning""#);
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown severity name.
///
/// ```
/// use medcode::rules::Severity;
/// let e = "fatal".parse::<Severity>().unwrap_err();
/// assert_eq!(e.to_string(), r#"unknown severity "fatal" (error, warning or info)"#);
/// let boxed: Box<dyn std::error::Error> = Box::new(e); // works with `?` and anyhow
/// # drop(boxed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?} (error, warning or info)")]
pub struct ParseSeverityError(pub String);

impl FromStr for Severity {
    type Err = ParseSeverityError;
    /// `error`, `warning` (or `warn`), `info`; case and surrounding space do not matter.
    fn from_str(s: &str) -> Result<Severity, ParseSeverityError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Ok(Severity::Error),
            "warning" | "warn" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            _ => Err(ParseSeverityError(s.to_owned())),
        }
    }
}

/// One thing wrong with a claim.
///
/// Serialised as `{"rule", "severity", "line", "field", "codes", "message"}`:
/// `line` is the 0-based index into the claim's `lines` (the message counts
/// from 1: "line 1" is index 0) or `null` for claim-level findings,
/// `field` the path of the field (`"diagnoses[2]"`, `"lines[0].modifiers[1]"`)
/// or `null`.
///
/// ```
/// use medcode::rules::{Finding, Severity};
/// let f = Finding {
///     rule: "units-invalid".into(),
///     severity: Severity::Error,
///     line: Some(0),
///     field: Some("lines[0].units".into()),
///     codes: vec!["99213".into()],
///     message: "line 1 (99213) has 0 units".into(),
/// };
/// let json = serde_json::to_string(&f).unwrap();
/// assert!(json.starts_with(r#"{"rule":"units-invalid","severity":"error","line":0,"field":"lines[0].units""#));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// The rule's stable kebab-case id.
    pub rule: Cow<'static, str>,
    /// The severity (the rule's default or the configured override).
    pub severity: Severity,
    /// For line-level findings, the 0-based index of the line in the
    /// claim's `lines` (`claim.lines[i]`). The message counts lines from 1,
    /// as a claim form does ("line 3" is index 2): see
    /// [`line_number`](Self::line_number). Not the input line of a JSON
    /// Lines file, which [`Report::to_jsonl`]'s wrapper gives as its own
    /// 1-based `line`.
    pub line: Option<usize>,
    /// The claim field the finding is about.
    pub field: Option<String>,
    /// The codes involved, as people write them.
    pub codes: Vec<String>,
    /// What is wrong, which code, and why.
    pub message: String,
}

impl Finding {
    /// The claim line the finding is about, counted from 1 as its message
    /// and a claim form count them (`line + 1`).
    ///
    /// ```
    /// use medcode::claim::{Claim, ClaimLine};
    /// use medcode::rules::Engine;
    /// let claim = Claim {
    ///     lines: vec![ClaimLine::new("99213"), ClaimLine::new("9921")],
    ///     ..Claim::default()
    /// };
    /// let report = Engine::builder().build().unwrap().check(&claim);
    /// let bad = report.findings.iter().find(|f| f.line == Some(1)).unwrap();
    /// assert_eq!(bad.line_number(), Some(2));
    /// assert!(bad.message.contains("line 2"), "{}", bad.message);
    /// ```
    pub fn line_number(&self) -> Option<usize> {
        self.line.map(|i| i + 1)
    }
}

/// The findings for one claim.
///
/// ```
/// use medcode::claim::Claim;
/// use medcode::rules::Engine;
/// let engine = Engine::builder().build().unwrap();
/// let report = engine.check(&Claim::default());
/// assert!(report.has_errors()); // no type, no diagnoses, no lines …
/// assert_eq!(report.claim_id, None);
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The claim's id, if it has one.
    pub claim_id: Option<String>,
    /// The findings, rule by rule in engine order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// True if there is no finding at all.
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::{Engine, Sex}, Cpt, Date, IcdCm};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .patient(Sex::Female, 52)
    ///     .diagnosis("E11.9".parse::<IcdCm>()?)
    ///     .line("99213".parse::<Cpt>()?, 1)
    ///     .pointers(&[1])
    ///     .build();
    /// assert!(Engine::builder().build()?.check(&claim).is_clean());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// True if some finding is an error.
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().build()?;
    /// let report = engine.check_json(r#"{"type": "professional", "service_date": "2025-11-03", "diagnoses": ["E11.999"]}"#);
    /// assert!(report.has_errors()); // E11.999 is no ICD-10-CM code
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The findings of one rule.
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().build()?;
    /// let report = engine.check_json(r#"{"type": "professional", "service_date": "2025-11-03",
    ///     "patient": {"sex": "F", "age": 52}, "diagnoses": ["E11.9"], "lines": [{"code": "99213", "units": 1}]}"#);
    /// let missing: Vec<_> = report.of_rule("dx-pointer-invalid").collect();
    /// assert_eq!(missing[0].field.as_deref(), Some("lines[0].dx_pointers"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule == rule)
    }
}

/// The most findings one rule reports for one claim. Past it the rule's
/// further findings are left out and the engine adds one finding of that
/// rule saying so (`field` null, `line` null): a hostile or broken claim
/// cannot make a report grow without bound. No real claim comes near it
/// (an institutional claim holds at most 999 service lines).
pub const MAX_FINDINGS_PER_RULE: usize = 1000;

/// Where a rule writes its findings. The engine sets the rule id and the
/// configured severity; a rule only says where and what.
///
/// ```
/// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule, Severity};
/// struct NeedsId;
/// impl Rule for NeedsId {
///     fn id(&self) -> &'static str { "acme-needs-id" }
///     fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
///         if claim.id.is_none() {
///             out.emit(None, "id", vec![], "the claim has no id");
///         }
///     }
/// }
/// let engine = Engine::builder().rule(NeedsId).severity("acme-needs-id", Severity::Warning).build()?;
/// let report = engine.check_json("{}");
/// let f = report.of_rule("acme-needs-id").next().unwrap();
/// assert_eq!((f.severity, f.field.as_deref()), (Severity::Warning, Some("id"))); // set by the engine
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Emitter<'a> {
    rule: &'static str,
    severity: Severity,
    findings: &'a mut Vec<Finding>,
    /// Findings of earlier reports (and spare strings), emptied in place
    /// by the next [`emit_with`](Self::emit_with): their buffers are reused.
    recycled: &'a mut spare_findings::Recycled,
    emitted: usize,
    left_out: usize,
}

impl Emitter<'_> {
    /// Records a finding. `line` is the 0-based line index (or `None`),
    /// `field` the field path (`""` for none). A rule that fires often
    /// may use [`emit_with`](Self::emit_with) instead, which writes into
    /// the buffers of earlier findings rather than take new `String`s.
    ///
    /// ```
    /// use medcode::rules::{Emitter, PreparedClaim, Rule};
    /// struct NoEmptyId;
    /// impl Rule for NoEmptyId {
    ///     fn id(&self) -> &'static str { "acme-claim-id" }
    ///     fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
    ///         if claim.id.is_none() {
    ///             out.emit(None, "id", vec![], "the claim has no id");
    ///         }
    ///     }
    /// }
    /// ```
    pub fn emit(
        &mut self,
        line: Option<usize>,
        field: impl Into<String>,
        codes: Vec<String>,
        message: impl Into<String>,
    ) {
        if self.emitted == MAX_FINDINGS_PER_RULE {
            self.left_out += 1;
            return;
        }
        self.emitted += 1;
        let field = field.into();
        self.findings.push(Finding {
            rule: Cow::Borrowed(self.rule),
            severity: self.severity,
            line,
            field: (!field.is_empty()).then_some(field),
            codes,
            message: message.into(),
        });
    }

    /// Records a finding without allocating when it can: as
    /// [`emit`](Self::emit), with the field and codes borrowed and the
    /// message written by `message` into an empty `String`. On the JSON
    /// Lines path ([`Engine::check_jsonl_line`] and `medcode check`) the
    /// engine keeps the findings of the last claim it wrote, and this
    /// writes into their buffers instead of allocating new ones.
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule};
    /// use std::fmt::Write;
    /// struct FewLines;
    /// impl Rule for FewLines {
    ///     fn id(&self) -> &'static str { "acme-few-lines" }
    ///     fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
    ///         if let [line, _, ..] = claim.lines.as_slice() {
    ///             out.emit_with(Some(1), "lines[1]", &[line.raw], |m| {
    ///                 let _ = write!(m, "{} lines after {}", claim.lines.len() - 1, line.raw);
    ///             });
    ///         }
    ///     }
    /// }
    /// let engine = Engine::builder().rule(FewLines).build()?;
    /// let report = engine.check_json(r#"{"lines": [{"code": "99213"}, {"code": "J1100"}]}"#);
    /// let f = report.of_rule("acme-few-lines").next().unwrap();
    /// assert_eq!((f.line, f.field.as_deref()), (Some(1), Some("lines[1]")));
    /// assert_eq!((f.codes.as_slice(), f.message.as_str()), (&["99213".to_owned()][..], "1 lines after 99213"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn emit_with(
        &mut self,
        line: Option<usize>,
        field: &str,
        codes: &[&str],
        message: impl FnOnce(&mut String),
    ) {
        self.emit_parts(line, field, codes, message);
    }

    /// [`emit_with`](Self::emit_with) for the built-in rules: the field and
    /// each code are [`msg::Piece`]s, written straight into the recycled
    /// finding's buffers (no `String` built first and copied).
    pub(crate) fn emit_parts<C: msg::Piece>(
        &mut self,
        line: Option<usize>,
        field: impl msg::Piece,
        codes: &[C],
        message: impl FnOnce(&mut String),
    ) {
        if self.emitted == MAX_FINDINGS_PER_RULE {
            self.left_out += 1;
            return;
        }
        self.emitted += 1;
        let spare = &mut *self.recycled;
        let mut f = spare.findings.pop().unwrap_or_else(fresh_finding);
        f.rule = Cow::Borrowed(self.rule);
        f.severity = self.severity;
        f.line = line;
        let mut text = f.field.take().unwrap_or_else(|| spare.text());
        text.clear();
        field.push_to(&mut text);
        // No field is `None`, as `emit` gives for `""`.
        if text.is_empty() {
            spare.keep_text(text);
        } else {
            f.field = Some(text);
        }
        // Codes this finding does not need wait for one that does.
        while f.codes.len() > codes.len() {
            if let Some(text) = f.codes.pop() {
                spare.keep_text(text);
            }
        }
        for (i, code) in codes.iter().enumerate() {
            match f.codes.get_mut(i) {
                Some(text) => {
                    text.clear();
                    code.push_to(text);
                }
                None => {
                    let mut text = spare.text();
                    text.clear();
                    code.push_to(&mut text);
                    f.codes.push(text);
                }
            }
        }
        f.message.clear();
        message(&mut f.message);
        self.findings.push(f);
    }

    /// The severity findings get.
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule, Severity};
    /// struct Costly;
    /// impl Rule for Costly {
    ///     fn id(&self) -> &'static str { "acme-costly" }
    ///     fn check(&self, _: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
    ///         // Skip an expensive check nobody will act on.
    ///         if out.severity() != Severity::Info {
    ///             out.emit(None, "", vec![], "checked");
    ///         }
    ///     }
    /// }
    /// let engine = Engine::builder().rule(Costly).severity("acme-costly", Severity::Info).build()?;
    /// assert_eq!(engine.check_json("{}").of_rule("acme-costly").count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// True once a finding has been left out ([`MAX_FINDINGS_PER_RULE`]
    /// reached): a rule may stop looking.
    ///
    /// ```
    /// use medcode::rules::{Emitter, PreparedClaim, Rule};
    /// struct EveryDiagnosis;
    /// impl Rule for EveryDiagnosis {
    ///     fn id(&self) -> &'static str { "acme-every-diagnosis" }
    ///     fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
    ///         for (i, dx) in claim.diagnoses.iter().enumerate() {
    ///             if out.is_full() {
    ///                 break; // further findings would be left out anyway
    ///             }
    ///             out.emit(None, format!("diagnoses[{i}]"), vec![dx.raw.to_string()], "seen");
    ///         }
    ///     }
    /// }
    /// let engine = medcode::rules::Engine::builder().rule(EveryDiagnosis).build()?;
    /// let report = engine.check_json(r#"{"diagnoses": ["E11.9", "I10"]}"#);
    /// assert_eq!(report.of_rule("acme-every-diagnosis").count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_full(&self) -> bool {
        self.left_out > 0
    }
}

/// A rule: built-in rules and user rules share this trait.
///
/// A rule has one stable id, a default severity, and a check that reads the
/// [`PreparedClaim`] and emits findings. See `examples/custom_rule.rs`.
///
/// ```
/// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule, Severity};
///
/// /// Our payer wants at most 6 lines a claim.
/// struct AtMostSixLines;
/// impl Rule for AtMostSixLines {
///     fn id(&self) -> &'static str { "acme-at-most-six-lines" }
///     fn default_severity(&self) -> Severity { Severity::Warning }
///     fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
///         if claim.lines.len() > 6 {
///             out.emit(None, "lines", vec![], format!("{} lines; the payer accepts 6", claim.lines.len()));
///         }
///     }
/// }
/// let engine = Engine::builder().rule(AtMostSixLines).build().unwrap();
/// assert!(engine.coverage().rules.iter().any(|r| r.id == "acme-at-most-six-lines"));
/// ```
pub trait Rule: Send + Sync {
    /// The stable kebab-case id.
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule};
    /// struct Quiet;
    /// impl Rule for Quiet {
    ///     fn id(&self) -> &'static str { "acme-quiet" }
    ///     fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
    /// }
    /// // The id is what configurations and findings name the rule by.
    /// let engine = Engine::builder().rule(Quiet).disable("acme-quiet").build()?;
    /// assert!(!engine.coverage().get("acme-quiet").unwrap().enabled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn id(&self) -> &'static str;

    /// The severity unless configured otherwise (default: error).
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule, Severity};
    /// struct Hint;
    /// impl Rule for Hint {
    ///     fn id(&self) -> &'static str { "acme-hint" }
    ///     fn default_severity(&self) -> Severity { Severity::Info }
    ///     fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
    /// }
    /// let engine = Engine::builder().rule(Hint).build()?;
    /// assert_eq!(engine.coverage().get("acme-hint").unwrap().severity, Severity::Info);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn default_severity(&self) -> Severity {
        Severity::Error
    }

    /// One line on what the rule checks (for coverage listings).
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule};
    /// struct Quiet;
    /// impl Rule for Quiet {
    ///     fn id(&self) -> &'static str { "acme-quiet" }
    ///     fn description(&self) -> &'static str { "never fires" }
    ///     fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
    /// }
    /// let engine = Engine::builder().rule(Quiet).build()?;
    /// assert_eq!(engine.coverage().get("acme-quiet").unwrap().description, "never fires");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn description(&self) -> &'static str {
        ""
    }

    /// Why the rule cannot fire, when it cannot (such as a missing edit table).
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule};
    /// struct PayerEdits;
    /// impl Rule for PayerEdits {
    ///     fn id(&self) -> &'static str { "acme-payer-edits" }
    ///     fn inactive_reason(&self) -> Option<&'static str> { Some("no payer table loaded") }
    ///     fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
    /// }
    /// let engine = Engine::builder().rule(PayerEdits).build()?;
    /// let status = engine.coverage().get("acme-payer-edits").unwrap().clone();
    /// assert!(status.enabled && !status.active);
    /// assert_eq!(status.note, Some("no payer table loaded"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn inactive_reason(&self) -> Option<&'static str> {
        None
    }

    /// Checks one claim.
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule};
    /// struct NoInstitutional;
    /// impl Rule for NoInstitutional {
    ///     fn id(&self) -> &'static str { "acme-no-institutional" }
    ///     fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
    ///         if !claim.procedures.is_empty() {
    ///             out.emit(None, "procedures", vec![], "this payer takes professional claims only");
    ///         }
    ///     }
    /// }
    /// let engine = Engine::builder().rule(NoInstitutional).build()?;
    /// let report = engine.check_json(r#"{"procedures": [{"code": "0SRD0JZ"}]}"#);
    /// assert_eq!(report.of_rule("acme-no-institutional").count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>);
}

macro_rules! rule {
    ($(#[$doc:meta])* $name:ident, $id:literal, $sev:ident, $desc:literal, |$c:ident, $out:ident| $body:block) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub(crate) struct $name;
        impl $crate::rules::Rule for $name {
            fn id(&self) -> &'static str {
                $id
            }
            fn default_severity(&self) -> $crate::rules::Severity {
                $crate::rules::Severity::$sev
            }
            fn description(&self) -> &'static str {
                $desc
            }
            fn check(&self, $c: &$crate::rules::PreparedClaim<'_>, $out: &mut $crate::rules::Emitter<'_>) $body
        }
    };
}
pub(crate) use rule;

rule!(
    /// Structural problems found while preparing the claim. Disabling the
    /// rule hides these; a line that could not be read as a claim at all
    /// (not JSON, not an object, not UTF-8, too long) keeps its finding.
    MalformedClaim, "malformed-claim", Error,
    "the claim is not JSON, not a claim, or lacks a required field",
    |c, out| {
        for p in &c.problems {
            out.emit(None, p.field.clone(), vec![], p.message.clone());
        }
    }
);

/// Every built-in rule id, in engine order.
///
/// ```
/// assert!(medcode::rules::RULE_IDS.contains(&"ncci-ptp"));
/// assert_eq!(medcode::rules::RULE_IDS.len(), 43);
/// ```
pub const RULE_IDS: [&str; 43] = [
    "malformed-claim",
    "invalid-code",
    "code-not-valid-on-date",
    "header-code",
    "code-system-mismatch",
    "hcpcs-beyond-horizon",
    "icd10-beyond-horizon",
    "invalid-admitting-diagnosis",
    "invalid-age",
    "invalid-sex",
    "age-conflict",
    "sex-conflict",
    "manifestation-as-principal",
    "external-cause-as-principal",
    "unacceptable-principal",
    "requires-secondary-diagnosis",
    "questionable-admission",
    "questionable-obstetric-admission",
    "duplicate-of-principal",
    "unspecified-code",
    "wrong-procedure-performed",
    "noncovered-procedure",
    "limited-coverage",
    "inconsistent-length-of-stay",
    "invalid-discharge-status",
    "invalid-poa",
    "excludes1-conflict",
    "code-first-sequence",
    "duplicate-diagnosis",
    "too-many-diagnoses",
    "dx-pointer-invalid",
    "primary-pointer-invalid",
    "units-invalid",
    "modifier-invalid",
    "too-many-modifiers",
    "modifier-conflict",
    "laterality-mismatch",
    "duplicate-line",
    "service-date-invalid",
    "em-with-procedure-missing-25",
    "ncci-ptp",
    "mue-exceeded",
    "addon-without-primary",
];

fn builtin_rules(tables: &Tables) -> Vec<Box<dyn Rule>> {
    let mut v: Vec<Box<dyn Rule>> = vec![Box::new(MalformedClaim)];
    v.extend(validity::rules());
    v.extend(mce::rules());
    v.extend(poa::rules());
    v.extend(conventions::rules());
    v.extend(lines::rules());
    v.extend(edits::rules(tables));
    v
}

#[derive(Default, Clone)]
pub(crate) struct Tables {
    pub ptp: Vec<Arc<PtpTable>>,
    pub mue: Option<Arc<MueTable>>,
    pub addon: Option<Arc<AddonTable>>,
}

/// An error building an engine.
///
/// ```
/// use medcode::rules::{Engine, EngineError};
/// let err = Engine::builder().disable("no-such-rule").build().unwrap_err();
/// assert!(matches!(err, EngineError::UnknownRule(_)));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// A configuration names a rule the engine does not have.
    #[error("unknown rule id {0:?}")]
    UnknownRule(String),
    /// Two rules share an id.
    #[error("two rules have the id {0:?}")]
    DuplicateRule(String),
    /// The configuration JSON is not valid.
    #[error("engine configuration: {0}")]
    Config(String),
    /// An edit table named in the configuration could not be loaded.
    #[error("{}: {source}", .path.display())]
    Table {
        /// The file.
        path: PathBuf,
        /// Why.
        source: EditLoadError,
    },
    /// A table kind [`EngineConfig::add_table`] does not know.
    #[error("table kind {0:?} is not ncci-ptp, mue, addon or hcpcs")]
    UnknownTableKind(String),
    /// The HCPCS file named in the configuration could not be loaded.
    #[error("{}: {message}", .path.display())]
    Hcpcs {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Engine configuration as data (what `medcode_engine_new(config_json)`
/// reads through the C ABI). Every field is optional; unknown fields are an
/// error, so a misspelt option does not pass silently.
///
/// ```
/// use medcode::rules::{Engine, EngineConfig};
/// let config: EngineConfig = serde_json::from_str(r#"{
///     "disabled": ["unspecified-code"],
///     "severity": {"questionable-admission": "error"},
///     "mue": ["tests/fixtures/mue_practitioner.csv"]
/// }"#).unwrap();
/// let engine = Engine::from_config(&config).unwrap();
/// let cov = engine.coverage();
/// assert!(cov.get("mue-exceeded").unwrap().active);
/// assert!(!cov.get("unspecified-code").unwrap().enabled);
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Rule ids to turn off.
    pub disabled: Vec<String>,
    /// Severity overrides by rule id.
    pub severity: BTreeMap<String, Severity>,
    /// NCCI PTP files (the setting comes from each file name, see
    /// [`PtpSetting::from_file_name`](crate::load::PtpSetting::from_file_name)).
    pub ncci_ptp: Vec<PathBuf>,
    /// MUE files.
    pub mue: Vec<PathBuf>,
    /// Add-on code files.
    pub addon: Vec<PathBuf>,
    /// A CMS quarterly HCPCS file to check HCPCS codes and modifiers against.
    pub hcpcs_file: Option<PathBuf>,
}

impl EngineConfig {
    /// Adds a table file by its kind: `ncci-ptp` (or `ncci_ptp`), `mue`,
    /// `addon` or `hcpcs` (which replaces the HCPCS file), as the C ABI's
    /// `medcode_engine_load_table` and Python's `Engine.load_table` name them.
    ///
    /// ```
    /// use medcode::rules::{EngineConfig, EngineError};
    /// let mut config = EngineConfig::default();
    /// config.add_table("mue", "MCR_MUE_PractitionerServices.csv".into())?;
    /// assert_eq!(config.mue.len(), 1);
    /// assert!(matches!(config.add_table("ptp", "x.txt".into()), Err(EngineError::UnknownTableKind(_))));
    /// # Ok::<(), EngineError>(())
    /// ```
    pub fn add_table(&mut self, kind: &str, path: PathBuf) -> Result<(), EngineError> {
        match kind.trim() {
            "ncci-ptp" | "ncci_ptp" => self.ncci_ptp.push(path),
            "mue" => self.mue.push(path),
            "addon" => self.addon.push(path),
            "hcpcs" => self.hcpcs_file = Some(path),
            other => return Err(EngineError::UnknownTableKind(other.to_owned())),
        }
        Ok(())
    }

    /// A configuration from JSON: a JSON object (an array, which serde
    /// would read field by field, is refused).
    ///
    /// ```
    /// use medcode::rules::EngineConfig;
    /// assert!(EngineConfig::from_json("{}").is_ok());
    /// assert!(EngineConfig::from_json("[]").is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<EngineConfig, EngineError> {
        if !json.trim_start().starts_with('{') {
            return Err(EngineError::Config(
                "expected a JSON object ({\"disabled\": [...], ...})".into(),
            ));
        }
        serde_json::from_str(json).map_err(|e| EngineError::Config(e.to_string()))
    }
}

/// Configures an [`Engine`].
///
/// ```
/// use medcode::{load::MueTable, rules::{Engine, Severity}};
/// let engine = Engine::builder()
///     .disable("unspecified-code")
///     .severity("questionable-admission", Severity::Error)
///     .mue(MueTable::load("tests/fixtures/mue_practitioner.csv")?)
///     .build()?;
/// assert!(engine.coverage().get("mue-exceeded").unwrap().active);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Default)]
pub struct EngineBuilder {
    disabled: BTreeSet<String>,
    severity: BTreeMap<String, Severity>,
    tables: Tables,
    hcpcs: Option<(HcpcsRelease, String)>,
    custom: Vec<Box<dyn Rule>>,
}

impl fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EngineBuilder")
            .field("disabled", &self.disabled)
            .field("severity", &self.severity)
            .field(
                "custom",
                &self.custom.iter().map(|r| r.id()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl EngineBuilder {
    /// Turns a rule off.
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().disable("duplicate-line").build()?;
    /// assert!(!engine.coverage().get("duplicate-line").unwrap().enabled);
    /// assert!(Engine::builder().disable("no-such-rule").build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn disable(mut self, id: &str) -> EngineBuilder {
        self.disabled.insert(id.to_owned());
        self
    }

    /// Turns a rule back on.
    ///
    /// ```
    /// use medcode::rules::{Engine, EngineConfig};
    /// let config = EngineConfig::from_json(r#"{"disabled": ["duplicate-line"]}"#)?;
    /// let engine = Engine::builder().config(&config)?.enable("duplicate-line").build()?;
    /// assert!(engine.coverage().get("duplicate-line").unwrap().enabled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enable(mut self, id: &str) -> EngineBuilder {
        self.disabled.remove(id);
        self
    }

    /// Changes a rule's severity.
    ///
    /// ```
    /// use medcode::rules::{Engine, Severity};
    /// let engine = Engine::builder().severity("unspecified-code", Severity::Info).build()?;
    /// assert_eq!(engine.coverage().get("unspecified-code").unwrap().severity, Severity::Info);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn severity(mut self, id: &str, severity: Severity) -> EngineBuilder {
        self.severity.insert(id.to_owned(), severity);
        self
    }

    /// Adds an NCCI PTP table (several may be added: CMS splits each table
    /// into files, and practitioner and hospital tables apply to different claims).
    ///
    /// ```
    /// use medcode::{load::PtpTable, rules::Engine};
    /// let t = PtpTable::load("tests/fixtures/ncci_ptp_practitioner.txt").unwrap();
    /// let engine = Engine::builder().ncci_ptp(t).build().unwrap();
    /// assert!(engine.coverage().get("ncci-ptp").unwrap().active);
    /// ```
    pub fn ncci_ptp(mut self, table: PtpTable) -> EngineBuilder {
        self.tables.ptp.push(Arc::new(table));
        self
    }

    /// Sets the MUE table (a second call merges into the first). A table
    /// that holds no code leaves `mue-exceeded` inactive in
    /// [`Engine::coverage`] (the loaders refuse such files; an empty table
    /// can still be built in code).
    ///
    /// ```
    /// use medcode::{load::MueTable, rules::Engine};
    /// let engine = Engine::builder().mue(MueTable::default()).build().unwrap();
    /// let status = engine.coverage().get("mue-exceeded").unwrap().clone();
    /// assert!(!status.active);
    /// assert_eq!(status.note, Some("the MUE table loaded holds no code"));
    /// ```
    pub fn mue(mut self, table: MueTable) -> EngineBuilder {
        let merged = match self.tables.mue.take() {
            Some(old) => {
                let mut t = Arc::try_unwrap(old).unwrap_or_else(|a| (*a).clone());
                t.extend(table);
                t
            }
            None => table,
        };
        self.tables.mue = Some(Arc::new(merged));
        self
    }

    /// Sets the add-on code table (a second call merges into the first).
    ///
    /// ```
    /// use medcode::{load::AddonTable, rules::Engine};
    /// let table = AddonTable::load("tests/fixtures/addon_codes.txt")?;
    /// let engine = Engine::builder().addon(table).build()?;
    /// let report = engine.check_json(r#"{"type": "professional", "service_date": "2025-11-03",
    ///     "patient": {"sex": "M", "age": 40}, "diagnoses": ["E11.9"],
    ///     "lines": [{"code": "99292", "units": 1, "dx_pointers": [1]}]}"#);
    /// assert_eq!(report.of_rule("addon-without-primary").count(), 1); // 99292 without 99291
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn addon(mut self, table: AddonTable) -> EngineBuilder {
        let merged = match self.tables.addon.take() {
            Some(old) => {
                let mut t = Arc::try_unwrap(old).unwrap_or_else(|a| (*a).clone());
                t.extend(table);
                t
            }
            None => table,
        };
        self.tables.addon = Some(Arc::new(merged));
        self
    }

    /// Checks HCPCS Level II codes and modifiers against this release
    /// (otherwise against the release compiled in, if any, else syntax only).
    ///
    /// ```
    /// use medcode::{rules::Engine, HcpcsRelease};
    /// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
    /// let engine = Engine::builder().hcpcs(release, "hcpcs_fixture.txt").build()?;
    /// let report = engine.check_json(r#"{"type": "professional", "service_date": "2025-11-03",
    ///     "patient": {"sex": "M", "age": 40}, "diagnoses": ["E11.9"],
    ///     "lines": [{"code": "J1100", "units": 1, "dx_pointers": [1]}]}"#);
    /// assert!(report.is_clean(), "{:?}", report.findings);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hcpcs(mut self, release: HcpcsRelease, name: impl Into<String>) -> EngineBuilder {
        self.hcpcs = Some((release, name.into()));
        self
    }

    /// Adds a user rule; it runs after the built-in rules.
    ///
    /// ```
    /// use medcode::rules::{Emitter, Engine, PreparedClaim, Rule, RULE_IDS};
    /// struct Quiet;
    /// impl Rule for Quiet {
    ///     fn id(&self) -> &'static str { "acme-quiet" }
    ///     fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
    /// }
    /// let coverage = Engine::builder().rule(Quiet).build()?.coverage();
    /// assert_eq!(coverage.rules.len(), RULE_IDS.len() + 1);
    /// assert_eq!(coverage.rules.last().unwrap().id, "acme-quiet");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rule(mut self, rule: impl Rule + 'static) -> EngineBuilder {
        self.custom.push(Box::new(rule));
        self
    }

    /// Applies a configuration: disables, severities, and loads the files it names.
    ///
    /// ```
    /// use medcode::rules::{Engine, EngineConfig};
    /// let config = EngineConfig::from_json(r#"{"addon": ["tests/fixtures/addon_codes.txt"]}"#)?;
    /// let engine = Engine::builder().config(&config)?.build()?;
    /// assert!(engine.coverage().get("addon-without-primary").unwrap().active);
    /// let missing = EngineConfig::from_json(r#"{"mue": ["no/such/file.csv"]}"#)?;
    /// assert!(Engine::builder().config(&missing).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config(mut self, config: &EngineConfig) -> Result<EngineBuilder, EngineError> {
        for id in &config.disabled {
            self = self.disable(id);
        }
        for (id, s) in &config.severity {
            self = self.severity(id, *s);
        }
        let table_err = |path: &PathBuf| {
            let path = path.clone();
            move |source| EngineError::Table { path, source }
        };
        for p in &config.ncci_ptp {
            self = self.ncci_ptp(PtpTable::load(p).map_err(table_err(p))?);
        }
        for p in &config.mue {
            self = self.mue(MueTable::load(p).map_err(table_err(p))?);
        }
        for p in &config.addon {
            self = self.addon(AddonTable::load(p).map_err(table_err(p))?);
        }
        if let Some(p) = &config.hcpcs_file {
            let r = HcpcsRelease::load(p).map_err(|e| EngineError::Hcpcs {
                path: p.clone(),
                message: e.to_string(),
            })?;
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            self = self.hcpcs(r, name);
        }
        Ok(self)
    }

    /// Builds the engine; fails on an unknown rule id in the configuration
    /// or two rules with one id.
    ///
    /// ```
    /// use medcode::rules::{Engine, EngineError};
    /// let engine = Engine::builder().build()?;
    /// assert_eq!(engine.coverage().rules.len(), medcode::rules::RULE_IDS.len());
    /// let err = Engine::builder().disable("unspecifed-code").build().unwrap_err();
    /// assert!(matches!(err, EngineError::UnknownRule(id) if id == "unspecifed-code"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Engine, EngineError> {
        let mut all: Vec<Box<dyn Rule>> = builtin_rules(&self.tables);
        all.extend(self.custom);
        let mut seen = BTreeSet::new();
        for r in &all {
            if !seen.insert(r.id()) {
                return Err(EngineError::DuplicateRule(r.id().to_owned()));
            }
        }
        for id in self.disabled.iter().chain(self.severity.keys()) {
            if !seen.contains(id.as_str()) {
                return Err(EngineError::UnknownRule(id.clone()));
            }
        }
        let mut rules = Vec::new();
        let mut status = Vec::new();
        for r in all {
            let id = r.id();
            let severity = self
                .severity
                .get(id)
                .copied()
                .unwrap_or_else(|| r.default_severity());
            let enabled = !self.disabled.contains(id);
            let inactive = r.inactive_reason();
            status.push(RuleStatus {
                id,
                severity,
                enabled,
                active: enabled && inactive.is_none(),
                note: inactive,
                description: r.description(),
            });
            if enabled && inactive.is_none() {
                rules.push(ActiveRule {
                    rule: r,
                    // Built-in ids are the built-in rules' (a custom rule with
                    // one is a `DuplicateRule` error above).
                    gate: mce::gate(id)
                        .or_else(|| validity::gate(id))
                        .unwrap_or(prepared::gate::ALWAYS),
                    id,
                    severity,
                });
            }
        }
        // Even with the rule off, a line that could not be read as a claim
        // says so: nothing else would tell it from a clean claim.
        let malformed = status
            .iter()
            .find(|s| s.id == "malformed-claim")
            .map_or(Severity::Error, |s| s.severity);
        // The ids a finding of this engine can carry: its rules' and
        // `malformed-claim` (always on, above).
        let plain_rule_ids = status
            .iter()
            .map(|s| s.id)
            .chain(["malformed-claim"])
            .all(|id| next_json_special(id.as_bytes(), 0).is_none());
        Ok(Engine {
            rules,
            status,
            hcpcs: self.hcpcs,
            malformed,
            plain_rule_ids,
        })
    }
}

/// A finding to write into when no recycled one is left, its buffers sized
/// for a typical field and message (no regrowth while they are written).
#[cold]
#[inline(never)]
fn fresh_finding() -> Finding {
    Finding {
        rule: Cow::Borrowed(""),
        severity: Severity::Error,
        line: None,
        field: Some(String::with_capacity(24)),
        codes: Vec::new(),
        message: String::with_capacity(160),
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
    }
}

struct ActiveRule {
    rule: Box<dyn Rule>,
    /// The rule runs on a claim only if the claim's
    /// [`gate_bits`](PreparedClaim::gate_bits) meet these ([`prepared::gate`]).
    gate: u64,
    // Read once at build time: one virtual call a rule per claim, not two.
    id: &'static str,
    severity: Severity,
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
/// assert_eq!(inactive, ["ncci-ptp", "mue-exceeded", "addon-without-primary"]);
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

    /// Enabled rules that cannot fire (edit rules without their table).
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let coverage = Engine::builder().disable("ncci-ptp").build()?.coverage();
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
    rules: Vec<ActiveRule>,
    status: Vec<RuleStatus>,
    hcpcs: Option<(HcpcsRelease, String)>,
    malformed: Severity,
    /// True when no rule id needs a JSON escape (every built-in id is
    /// kebab-case; a user rule's id may be anything): the JSON Lines
    /// writer then copies the engine's findings' rule ids without the
    /// escape scan.
    plain_rule_ids: bool,
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
            prepared::spare::recycle_read(claim);
        } else {
            prepared::spare::recycle(claim);
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
                return self.check_claim_ref(&mut claim, false, |claim_id, findings| Report {
                    claim_id: claim_id.map(str::to_owned),
                    findings,
                });
            }
        }
        // Not a claim: the owned parse gives the error to report.
        match serde_json::from_str::<Claim>(trimmed) {
            Ok(claim) if object => self.check(&claim),
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

/// The findings of the last report written as JSON Lines, kept by the
/// thread: the next claim's findings go into the emptied buffer instead of
/// a new allocation and its regrowth, and [`Emitter::emit_with`] writes
/// into the old findings' strings instead of allocating new ones (the JSON
/// Lines path never hands its reports out). A report returned to a caller
/// keeps its buffer and findings.
mod spare_findings {
    use super::Finding;
    use std::cell::RefCell;

    #[derive(Default)]
    struct Spare {
        /// An empty buffer for the next report's findings.
        buffer: Vec<Finding>,
        recycled: Recycled,
    }

    /// What [`Emitter::emit_parts`](super::Emitter::emit_parts) writes
    /// into instead of allocating.
    #[derive(Debug, Default)]
    pub(crate) struct Recycled {
        /// Findings already written out, to be emptied and written again.
        pub(super) findings: Vec<Finding>,
        /// Strings of those findings that the next ones did not need (a
        /// code where the next finding has none): kept for a later code.
        texts: Vec<String>,
    }

    impl Recycled {
        /// A spare string (not emptied), or a new one.
        pub(super) fn text(&mut self) -> String {
            self.texts
                .pop()
                .unwrap_or_else(|| String::with_capacity(16))
        }

        /// Keeps a string for [`text`](Self::text).
        pub(super) fn keep_text(&mut self, text: String) {
            if self.texts.len() < KEEP_AT_MOST && text.capacity() <= KEEP_TEXT_AT_MOST {
                self.texts.push(text);
            }
        }
    }

    thread_local! {
        // Borrowed, not taken out and put back: nothing is moved. A rule
        // that checks another claim while its own is being checked finds
        // it borrowed and works with new buffers.
        static SPARE: RefCell<Spare> = const {
            RefCell::new(Spare {
                buffer: Vec::new(),
                recycled: Recycled { findings: Vec::new(), texts: Vec::new() },
            })
        };
    }

    /// Buffers larger than this go back to the allocator.
    const KEEP_AT_MOST: usize = 64;

    /// A finding whose message grew past this (a list of hundreds of
    /// codes) goes back to the allocator rather than pin its memory.
    const KEEP_TEXT_AT_MOST: usize = 4096;

    /// Runs `check` with the thread's spare buffer (empty) and recycled
    /// findings (or new ones), and returns the buffer it filled.
    pub(super) fn with(check: impl FnOnce(&mut Vec<Finding>, &mut Recycled)) -> Vec<Finding> {
        let mut check = Some(check);
        let done = SPARE.try_with(|s| {
            let mut spare = s.try_borrow_mut().ok()?;
            let spare = &mut *spare;
            let mut findings = std::mem::take(&mut spare.buffer);
            (check.take()?)(&mut findings, &mut spare.recycled);
            Some(findings)
        });
        match (done, check) {
            (Ok(Some(findings)), _) => findings,
            (_, Some(check)) => {
                let mut findings = Vec::new();
                check(&mut findings, &mut Recycled::default());
                findings
            }
            // `check` ran but did not return (it cannot: it ran to its end).
            (_, None) => Vec::new(),
        }
    }

    /// Empties `findings` into the thread's recycled findings and keeps
    /// its allocation as the thread's spare buffer.
    pub(super) fn give_back(mut findings: Vec<Finding>) {
        let _ = SPARE.try_with(|s| {
            let Ok(mut spare) = s.try_borrow_mut() else {
                return;
            };
            let room = KEEP_AT_MOST.saturating_sub(spare.recycled.findings.len());
            let recycled = &mut spare.recycled.findings;
            if findings.len() <= room
                && findings
                    .iter()
                    .all(|f| f.message.capacity() <= KEEP_TEXT_AT_MOST)
            {
                // The usual case, every finding kept: moved in one copy
                // (the adapters below moved them one at a time, with a
                // capacity check each: about 140 instructions a finding).
                recycled.append(&mut findings);
            } else {
                recycled.extend(
                    findings
                        .drain(..)
                        .take(room)
                        .filter(|f| f.message.capacity() <= KEEP_TEXT_AT_MOST),
                );
            }
            if findings.capacity() != 0 && findings.capacity() <= KEEP_AT_MOST {
                findings.clear();
                spare.buffer = findings;
            }
        });
    }
}

impl Report {
    /// The report as one JSON Lines output line (no newline):
    /// `{"line": N, "claim_id": …, "findings": [ … ]}`, `line` left out when `None`.
    ///
    /// The wrapper's `line` is the caller's count, by convention the 1-based
    /// line of the input file (`medcode check` writes it so); each finding's
    /// own `line` is the 0-based index into the claim's `lines` (see
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
fn jsonl_capacity(findings: &[Finding]) -> usize {
    // The wrapper and claim id, then each finding's fixed keys (about 80
    // bytes), its texts, and an eighth more for escapes: room for the whole
    // line at once (a fixed 256 bytes a finding was often too little, and the
    // regrowth cost a copy), and for the C ABI's NUL after it.
    let texts: usize = findings
        .iter()
        .map(|f| {
            let field = f.field.as_ref().map_or(0, String::len);
            let codes: usize = f.codes.iter().map(|c| c.len() + 3).sum();
            let texts = f.rule.len() + field + codes + f.message.len();
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
fn write_jsonl(
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
        out.push('}');
    }
    out.push_str("]}");
}

pub(crate) fn push_usize(out: &mut String, n: usize) {
    // Most numbers written are one or two digits (a diagnosis's or line's
    // place, a count): no digit buffer and loop for them.
    if n < 10 {
        crate::text::push_ascii_byte(out, b'0' + n as u8);
        return;
    }
    if n < 100 {
        crate::text::push_ascii_byte(out, b'0' + (n / 10) as u8);
        crate::text::push_ascii_byte(out, b'0' + (n % 10) as u8);
        return;
    }
    let mut digits = [0u8; 20];
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
    // ASCII digits.
    crate::text::push_ascii(out, &digits[i..]);
}

fn push_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.push_str("null"),
    }
}

/// `s` as a JSON string, escaped as `serde_json` escapes it: `"` and `\\`,
/// `\b \t \n \f \r` by their short forms, other control characters as
/// `\u00xx`; everything else (non-ASCII included) as it is.
///
/// Inline, and only the scan and one copy: most strings (every rule id and
/// code, most fields and messages) need no escape, and on these short
/// strings a call's register saves and the escaping loop cost about as
/// much as the scan (BENCHMARKS.md). A string with something to escape
/// goes to [`push_json_str_escaped`].
#[inline(always)]
fn push_json_str(out: &mut String, s: &str) {
    match next_json_special(s.as_bytes(), 0) {
        None => {
            out.reserve(s.len() + 2);
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Some(at) => push_json_str_escaped(out, s, at),
    }
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

/// [`push_json_str`] for a string whose first byte to escape is at `first`.
#[inline(never)]
fn push_json_str_escaped(out: &mut String, s: &str, first: usize) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        // Cut only at ASCII bytes: `start..at` is whole characters.
        out.push_str(&s[start..at]);
        start = at + 1;
        match bytes[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        next = next_json_special(bytes, start);
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The index of the first byte at or after `from` that a JSON string cannot
/// hold as it is: a control character, `"` or `\\`. Messages and codes are
/// long runs of plain text, so the bytes are looked at sixteen at a time,
/// and the last few without a byte loop: the final eight bytes are looked
/// at again as one word (overlapping bytes already known to be plain, which
/// [`json_special_mask`] never marks), and four to seven bytes as two
/// overlapping halves of one word. Only one to three bytes go one by one.
#[inline(always)]
pub(crate) fn next_json_special(bytes: &[u8], from: usize) -> Option<usize> {
    let len = bytes.len();
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 16) {
        let (a, b) = chunk.split_at(8);
        let (a, b) = (json_special_mask(word8(a)), json_special_mask(word8(b)));
        if a | b != 0 {
            let at = if a != 0 {
                first_marked(a)
            } else {
                8 + first_marked(b)
            };
            return Some(i + at);
        }
        i += 16;
    }
    let left = len.checked_sub(i).filter(|&n| n > 0)?;
    if left >= 8 {
        // Up to fifteen bytes: the next eight, then the last eight.
        let mask = json_special_mask(word8(&bytes[i..i + 8]));
        if mask != 0 {
            return Some(i + first_marked(mask));
        }
        if left == 8 {
            return None;
        }
        let mask = json_special_mask(word8(&bytes[len - 8..]));
        return (mask != 0).then(|| len - 8 + first_marked(mask));
    }
    if left >= 4 {
        // The first four in the low half, the last four in the high half.
        let low = u64::from(word4(&bytes[i..i + 4]));
        let high = u64::from(word4(&bytes[len - 4..]));
        let mask = json_special_mask(low | high << 32);
        if mask == 0 {
            return None;
        }
        let k = first_marked(mask);
        return Some(if k < 4 { i + k } else { len + k - 8 });
    }
    bytes[i..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|k| i + k)
}

/// Eight bytes (exactly) as a little-endian word.
#[inline(always)]
fn word8(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// Four bytes (exactly) as a little-endian word.
#[inline(always)]
fn word4(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

/// The byte index of the lowest mark of a nonzero [`json_special_mask`].
#[inline(always)]
fn first_marked(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The high bit of each byte of `word` (little-endian) that is a control
/// character, `"` or `\\`. XOR with 0x02 turns `"` (0x22) into 0x20 and
/// keeps 0x00–0x1F below 0x20 (and nothing else below 0x21), so one
/// "less than 0x21" test finds both; `\\` is the zero byte of XOR with
/// 0x5C. A byte below the bound borrows in the subtraction; `& !word`
/// leaves out bytes of 0x80 and up (XOR keeps the high bit). A borrow can
/// mark a later byte too, never an earlier one, and only a marked byte
/// borrows, so the lowest mark is exact and plain bytes below it are never
/// marked (callers use only the lowest).
#[inline(always)]
fn json_special_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote_or_control = (word ^ (ONES * 0x02)).wrapping_sub(ONES * 0x21);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    (quote_or_control | backslash) & !word & HIGH
}

// ---- message helpers shared by the rule families ----------------------------

/// "the principal diagnosis", "the first-listed diagnosis", "diagnosis 3":
/// a [`msg::Piece`], written into the message without a `String` of its own.
pub(crate) fn ordinal_dx(claim: &PreparedClaim<'_>, i: usize) -> OrdinalDx {
    OrdinalDx(claim.kind, i)
}

/// See [`ordinal_dx`].
pub(crate) struct OrdinalDx(ClaimKind, usize);

impl msg::Piece for OrdinalDx {
    fn push_to(&self, out: &mut String) {
        match (self.1, self.0) {
            (0, ClaimKind::Institutional) => out.push_str("the principal diagnosis"),
            (0, ClaimKind::Professional) => out.push_str("the first-listed diagnosis"),
            (i, _) => msg::push!(out; "diagnosis ", i + 1),
        }
    }
}

#[cfg(test)]
mod jsonl_tests {
    use super::*;

    /// The word scan finds the first byte JSON escapes, wherever it sits
    /// and whatever follows it.
    #[test]
    fn next_json_special_finds_the_first() {
        let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for b in 0u8..=255 {
            for len in [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 21, 24, 31, 33] {
                for pos in 0..len {
                    for fill in [b'a', 0xC3, 0x1F, b'"'] {
                        let mut text = vec![b'x'; len];
                        text[pos] = b;
                        // Bytes after `pos` may be special too: the answer is still the first.
                        for t in &mut text[pos + 1..] {
                            *t = fill;
                        }
                        // From every start up to the byte: the reader
                        // starts mid-text, after an escape.
                        for from in 0..=pos {
                            let want = text[from..].iter().position(|&c| special(c));
                            let got = next_json_special(&text, from);
                            assert_eq!(got, want.map(|k| from + k), "{text:?} from {from}");
                        }
                    }
                }
            }
        }
    }

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

#[cfg(test)]
mod gate_tests {
    use super::*;
    use crate::claim::{Claim, Diagnosis, Patient, Procedure};

    /// Every rule run on the claim, gates or no gates.
    fn ungated(engine: &Engine, claim: &PreparedClaim<'_>) -> Vec<Finding> {
        let (mut findings, mut recycled) = (Vec::new(), spare_findings::Recycled::default());
        for r in &engine.rules {
            let mut out = Emitter {
                rule: r.id,
                severity: r.severity,
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
        for id in RULE_IDS {
            let gated = mce::gate(id).is_some() as u8 + validity::gate(id).is_some() as u8;
            assert!(gated <= 1, "{id}");
        }
        let gated = RULE_IDS
            .iter()
            .filter(|id| mce::gate(id).or_else(|| validity::gate(id)).is_some())
            .count();
        assert_eq!(gated, 19);
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
                        .filter(|id| mce::gate(id).or_else(|| validity::gate(id)).is_some()),
                );
                claims += 1;
            }
        }
        assert!(claims > 100);
        // The claims reach most gated rules (else the test would prove little).
        assert!(fired.len() >= 12, "{fired:?}");
    }
}
