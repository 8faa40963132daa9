//! Building an engine: its configuration, its builder, its errors.

use super::engine::{ActiveRule, Engine, RuleStatus};
use super::finding::Severity;
use super::prepared;
use super::registry::{builtin_rules, Rule, Tables};
use crate::hcpcs::HcpcsRelease;
use crate::json_scan::next_json_special;
use crate::load::{AddonTable, EditLoadError, MueTable, PtpTable};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

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
    #[error("{}", table_message(.path, .source))]
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

/// `PATH: why`, the path said once (an I/O error names it already).
fn table_message(path: &std::path::Path, source: &EditLoadError) -> String {
    match source {
        EditLoadError::Io { source, .. } => format!("{}: {source}", path.display()),
        other => format!("{}: {other}", path.display()),
    }
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
    /// Strict mode (default off): a field of a claim's JSON that the claim
    /// contract does not have is an `unknown-field` finding naming it
    /// (see [`EngineBuilder::strict`]).
    pub strict: bool,
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
            .field("strict", &self.tables.strict)
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

    /// Strict mode: each field of a claim's JSON that the claim contract
    /// ([`Claim`](crate::claim::Claim)) does not have is an `unknown-field`
    /// finding (severity error unless configured) whose `field` is the
    /// field's path, such as `lines[0].modifer`; a misspelt field is never
    /// read, so without strict mode it passes silently. Off by default: a
    /// claim exported from another system often carries fields of its own
    /// (`payer`, `npi`, …), and the claim is checked the same either way.
    /// Typed claims ([`Engine::check`]) have no unknown field.
    ///
    /// ```
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().strict(true).build()?;
    /// let report = engine.check_json(r#"{"type": "professional", "service_date": "2025-11-03",
    ///     "patient": {"sex": "F", "age": 52}, "diagnoses": ["E11.9"],
    ///     "lines": [{"code": "99213", "modifer": ["25"], "units": 1, "dx_pointers": [1]}]}"#);
    /// let f = report.of_rule("unknown-field").next().unwrap();
    /// assert_eq!((f.line, f.field.as_deref()), (Some(1), Some("lines[0].modifer")));
    /// assert!(f.message.contains(r#"did you mean "modifiers""#), "{}", f.message);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn strict(mut self, on: bool) -> EngineBuilder {
        self.tables.strict = on;
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
    /// let err = Engine::builder().config(&missing).unwrap_err().to_string();
    /// assert!(err.starts_with("no/such/file.csv: "), "{err}");
    /// assert_eq!(err.matches("no/such/file.csv").count(), 1, "{err}"); // the path said once
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config(mut self, config: &EngineConfig) -> Result<EngineBuilder, EngineError> {
        if config.strict {
            self = self.strict(true);
        }
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
                // The path is said once, by this error's message.
                message: match e {
                    crate::hcpcs::HcpcsLoadError::Io { source, .. } => source.to_string(),
                    e => e.to_string(),
                },
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
        // Each rule with its gate and CMS edit: the built-in rules' declared
        // ones; a user rule runs on every claim and stands for no CMS edit.
        let mut all: Vec<(Box<dyn Rule>, u64, Option<&'static str>)> =
            builtin_rules(&self.tables).collect();
        all.extend(
            self.custom
                .into_iter()
                .map(|r| (r, prepared::gate::ALWAYS, None)),
        );
        let mut seen = BTreeSet::new();
        for (r, _, _) in &all {
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
        for (r, gate, cms_edit) in all {
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
                    gate,
                    id,
                    severity,
                    cms_edit,
                });
            }
        }
        // Even with the rule off, a line that could not be read as a claim
        // says so: nothing else would tell it from a clean claim.
        let malformed = status
            .iter()
            .find(|s| s.id == "malformed-claim")
            .map_or(Severity::Error, |s| s.severity);
        // Strict mode's findings, made while the JSON is read.
        let unknown_field = status
            .iter()
            .find(|s| s.id == "unknown-field" && s.active)
            .map(|s| s.severity);
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
            unknown_field,
            plain_rule_ids,
        })
    }
}
