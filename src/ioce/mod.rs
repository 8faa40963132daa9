//! Hospital outpatient claims as CMS's Integrated Outpatient Code Editor
//! (I/OCE) edits them: the version in force on the claim's from date, the
//! bill type's processing path, the numbered edits (001 invalid diagnosis …
//! 191) with their dispositions, and each line's status indicator, APCs and
//! payment flags.
//!
//! ```
//! use medcode::claim::Claim;
//! use medcode::ioce::Editor;
//!
//! let claim: Claim = serde_json::from_str(r#"{
//!     "bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01",
//!     "patient": {"sex": "F", "age": 70},
//!     "diagnoses": [{"code": "N18.6"}],
//!     "lines": [
//!         {"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 100, "service_date": "2025-03-01"},
//!         {"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50, "service_date": "2025-03-01"},
//!         {"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20, "service_date": "2025-03-01"}
//!     ]}"#)?;
//! let edited = Editor::new().edit_claim(&claim);
//! assert_eq!(edited.version.as_deref(), Some("26.0.5"));
//! // Glucose is a component of the metabolic panel: NCCI edit 040 on line 3.
//! assert_eq!(edited.lines[2].hcpcs_edits, [40]);
//! assert_eq!(edited.line_rejection_edits, [40]);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The tables are CMS's I/OCE tables v20.2 (2019-07-01) … v27.1
//! (2026-04-01) as the pinned pyoce wheel bundles them (the
//! `medcode-ioce-data` crate); a differential test compares every output
//! with pyoce on generated claims (`tests/ioce_conformance.rs`).

mod bypass;
mod clinic;
mod data;
mod dx;
mod engine;
mod json;
mod lines;
mod order;
mod pairs;
mod path;
mod payment;
mod text;

pub(crate) use engine::{edit_in_place, recycle};
pub use engine::{ClaimInput, DxResult, Edited, Editor, LineInput, LineResult};
pub use json::{edit_json, edit_json_into, is_outpatient, write_edited, write_edited_into};
pub use text::Flag;
