//! Findings and reports: what a check says about a claim.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

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
/// Serialised as `{"rule", "severity", "line", "field", "codes", "message",
/// "cms_edit"}`, `cms_edit` left out when it is `None`: `line` is the claim
/// line's number counted from 1, as a claim form and the message count it
/// ("line 3" is `line: 3`), or `null` for claim-level findings; `field` the path of the field (`"diagnoses[2]"`,
/// `"lines[2].modifiers[1]"`: a JSON path, whose indices count from 0, so
/// `lines[2]` is line 3) or `null`; `cms_edit` the CMS edit the finding
/// stands for, where its rule has one: the Medicare Code Editor's edit name
/// (`"SEX_CONFLICT"`, [`CMS_MCE_EDITS`](super::CMS_MCE_EDITS)) or the
/// I/OCE's three-digit edit number (`"040"`,
/// [`CMS_IOCE_EDITS`](super::CMS_IOCE_EDITS)).
///
/// ```
/// use medcode::rules::{Finding, Severity};
/// let f = Finding {
///     rule: "units-invalid".into(),
///     severity: Severity::Error,
///     line: Some(1),
///     field: Some("lines[0].units".into()),
///     codes: vec!["99213".into()],
///     message: "line 1 (99213) has 0 units".into(),
///     cms_edit: None,
/// };
/// let json = serde_json::to_string(&f).unwrap();
/// assert!(json.starts_with(r#"{"rule":"units-invalid","severity":"error","line":1,"field":"lines[0].units""#));
/// assert!(!json.contains("cms_edit")); // no CMS counterpart: left out
/// let mce = Finding { rule: "sex-conflict".into(), cms_edit: Some("SEX_CONFLICT".into()), ..f };
/// assert!(serde_json::to_string(&mce).unwrap().ends_with(r#","cms_edit":"SEX_CONFLICT"}"#));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// The rule's stable kebab-case id.
    pub rule: Cow<'static, str>,
    /// The severity (the rule's default or the configured override).
    pub severity: Severity,
    /// For line-level findings, the claim line's number, counted from 1
    /// as the message and a claim form count lines (`claim.lines[i]` is
    /// line `i + 1`; [`line_index`](Self::line_index) gives `i`). Not the
    /// input line of a JSON Lines file, which [`Report::to_jsonl`]'s
    /// wrapper gives as its own `line` (also counted from 1). Earlier
    /// versions gave the 0-based index here (see the CHANGELOG).
    pub line: Option<usize>,
    /// The claim field the finding is about.
    pub field: Option<String>,
    /// The codes involved, as people write them.
    pub codes: Vec<String>,
    /// What is wrong, which code, and why.
    pub message: String,
    /// The CMS edit the finding's rule stands for ([`RuleSpec::cms_edit`](super::RuleSpec::cms_edit)):
    /// the name of a Medicare Code Editor edit (`"SEX_CONFLICT"`; several
    /// validity rules stand for CMS's one `"INVALID_CODE"`), or for the
    /// `ioce-NNN` rules the I/OCE's edit number as it writes it (`"040"`).
    /// `None` (left out of the JSON) for rules with no CMS counterpart
    /// and for user rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cms_edit: Option<Cow<'static, str>>,
}

impl Finding {
    /// The claim line the finding is about, counted from 1 as its message
    /// and a claim form count them: the same as [`line`](Self::line)
    /// (kept from when `line` was the 0-based index).
    ///
    /// ```
    /// use medcode::claim::{Claim, ClaimLine};
    /// use medcode::rules::Engine;
    /// let claim = Claim {
    ///     lines: vec![ClaimLine::new("99213"), ClaimLine::new("9921")],
    ///     ..Claim::default()
    /// };
    /// let report = Engine::builder().build().unwrap().check(&claim);
    /// let bad = report.findings.iter().find(|f| f.line == Some(2)).unwrap();
    /// assert_eq!(bad.line_number(), Some(2));
    /// assert!(bad.message.contains("line 2"), "{}", bad.message);
    /// ```
    pub fn line_number(&self) -> Option<usize> {
        self.line
    }

    /// The 0-based index of the line in the claim's `lines` (`line - 1`),
    /// as in the field path `lines[i]`.
    ///
    /// ```
    /// use medcode::claim::{Claim, ClaimLine};
    /// use medcode::rules::Engine;
    /// let claim = Claim {
    ///     lines: vec![ClaimLine::new("99213"), ClaimLine::new("9921")],
    ///     ..Claim::default()
    /// };
    /// let report = Engine::builder().build().unwrap().check(&claim);
    /// let bad = report.findings.iter().find(|f| f.line == Some(2)).unwrap();
    /// assert_eq!(bad.line_index(), Some(1));
    /// assert!(bad.field.as_deref().unwrap().starts_with("lines[1]"));
    /// ```
    pub fn line_index(&self) -> Option<usize> {
        self.line.and_then(|n| n.checked_sub(1))
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
