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
//! by date, ICD-10-CM conventions, line checks, the CMS edit tables the
//! user loads (`ncci-ptp`, `mue-exceeded`, `addon-without-primary`, silent
//! until a table is loaded: see [`Engine::coverage`]), and what the MS-DRG
//! grouper ([`crate::drg`]) says about an inpatient claim (`drg-ungroupable`,
//! `hospital-acquired-condition`, `cc-excluded-by-principal`), and, with the
//! `ioce` feature, every edit CMS's outpatient code editor ([`crate::ioce`])
//! raises on an outpatient claim (a `bill_type` other than 11x): one rule
//! an edit, `ioce-001` … `ioce-191`, each finding with the I/OCE's edit
//! number in [`Finding::cms_edit`] ([`CMS_IOCE_EDITS`]). [`RULE_IDS`] lists
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

mod builder;
mod conventions;
mod drg;
mod edits;
mod emitter;
mod engine;
mod finding;
mod inline_list;
#[cfg(feature = "ioce")]
mod ioce;
mod jsonl;
mod lines;
mod mce;
pub(crate) mod msg;
mod parallel;
mod poa;
mod prepared;
mod registry;
pub(crate) mod source;
mod spare_findings;
mod validity;

/// The claim's kind and the patient's sex live with the claim
/// ([`crate::claim`]); re-exported here, where rules read them.
pub use crate::claim::{ClaimKind, Sex};
/// The JSON Lines reader and the ordered pipeline moved to [`crate::io`];
/// re-exported here for code written against their first home.
pub use crate::io::{jobs_or_all_cores, ordered_batches, read_jsonl_line, JsonlLine};
pub use builder::{EngineBuilder, EngineConfig, EngineError};
pub use emitter::{Emitter, MAX_FINDINGS_PER_RULE};
pub use engine::{Coverage, Engine, RuleStatus};
pub use finding::{Finding, ParseSeverityError, Report, Severity};
pub use inline_list::InlineList;
pub use lines::MAX_UNITS;
pub use prepared::{
    CodeStatus, DateField, ModifierTexts, PreparedClaim, PreparedDx, PreparedLine, PreparedPcs,
    Problem,
};
pub use registry::{
    cms_ioce_edit, cms_mce_edit, rule_spec, Family, Rule, RuleSpec, BUILTIN_RULES, CMS_IOCE_EDITS,
    CMS_MCE_EDITS, RULE_IDS,
};

pub(crate) use crate::json_scan::push_usize;
pub(crate) use msg::ordinal_dx;
pub(crate) use registry::rule;
