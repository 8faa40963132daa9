//! The emitter: how a rule reports findings into a claim's report.

use super::engine::fresh_finding;
use super::finding::{Finding, Severity};
use super::msg;
use super::spare_findings;
use std::borrow::Cow;

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
    pub(super) rule: &'static str,
    pub(super) severity: Severity,
    /// The CMS edit the rule stands for ([`Finding::cms_edit`]).
    pub(super) cms_edit: Option<&'static str>,
    pub(super) findings: &'a mut Vec<Finding>,
    /// Findings of earlier reports (and spare strings), emptied in place
    /// by the next [`emit_with`](Self::emit_with): their buffers are reused.
    pub(super) recycled: &'a mut spare_findings::Recycled,
    pub(super) emitted: usize,
    pub(super) left_out: usize,
}

/// A claim line's number (from 1) from its index in `lines` (from 0).
fn line_number(index: usize) -> usize {
    index.saturating_add(1)
}

impl Emitter<'_> {
    /// Records a finding. `line` is the 0-based index of the line in the
    /// claim's `lines` (or `None`), as in the field path `lines[i]`; the
    /// finding's [`line`](Finding::line) is the line's number, counted from
    /// 1 (`i + 1`). `field` is the field path (`""` for none). A rule that fires often
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
            line: line.map(line_number),
            field: (!field.is_empty()).then_some(field),
            codes,
            message: message.into(),
            cms_edit: self.cms_edit.map(Cow::Borrowed),
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
    /// assert_eq!((f.line, f.field.as_deref()), (Some(2), Some("lines[1]"))); // line 2 is lines[1]
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
        f.cms_edit = self.cms_edit.map(Cow::Borrowed);
        f.line = line.map(line_number);
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
