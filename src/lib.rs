//! # medcode
//!
//! US medical billing codes with the official tables compiled in, and a
//! rules engine that checks claims.
//!
//! ## The main job: checking a claim
//!
//! A [`claim::Claim`] (built with [`Claim::professional`](claim::Claim::professional)
//! / [`Claim::institutional`](claim::Claim::institutional) from typed codes,
//! or read leniently from JSON) goes through a [`rules::Engine`], which
//! returns a [`rules::Report`]: one [`rules::Finding`] per problem, each with
//! a stable rule id, a severity and a message a billing specialist
//! understands. Load CMS's NCCI, MUE and add-on tables with
//! [`rules::EngineBuilder`]; turn rules off, change severities, or add your
//! own rules.
//!
//! ```
//! use medcode::claim::Claim;
//! use medcode::rules::{Engine, Sex};
//! use medcode::{Cpt, Date, IcdCm};
//!
//! let engine = Engine::builder().build()?;
//! // Superficial endometriosis of the uterus on a male patient's claim.
//! let claim_on = |date| {
//!     Ok::<_, Box<dyn std::error::Error>>(
//!         Claim::professional(date)
//!             .id("CLM-1")
//!             .patient(Sex::Male, 40)
//!             .diagnosis("N80.01".parse::<IcdCm>()?)
//!             .line("99213".parse::<Cpt>()?, 1)
//!             .pointers(&[1])
//!             .build(),
//!     )
//! };
//! let report = engine.check(&claim_on(Date::new(2024, 9, 3)?)?);
//! let f = &report.findings[0];
//! assert_eq!((f.rule.as_ref(), f.field.as_deref()), ("sex-conflict", Some("diagnoses[0]")));
//! println!("{} {}: {}", f.severity, f.rule, f.message);
//! // error sex-conflict: N80.01 is a female-only diagnosis on 2024-09-03 (MCE sex edit), but the patient is male
//!
//! // CMS's Medicare Code Editor has no sex edits from 2024-10-01 (FY2025):
//! // the same claim a year later is clean.
//! assert!(engine.check(&claim_on(Date::new(2025, 11, 3)?)?).is_clean());
//! // The same engine reads JSON Lines: `engine.check_json(line)`.
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Looking a code up
//!
//! [`lookup::lookup`] answers "what is this code on this date?" for any
//! system, as plain data (what `medcode lookup --json` prints):
//!
//! ```
//! use medcode::{lookup, Date};
//! let answer = lookup::lookup("J1100", Date::new(2025, 11, 1)?);
//! // A letter and four digits: HCPCS J1100 and ICD-10-CM J11.00 both answer.
//! assert_eq!(answer.reports().len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The code types
//!
//! - [`IcdCm`]: ICD-10-CM diagnosis codes — typed values, every release
//!   FY2016–FY2027 by date, official titles, hierarchy, tabular notes,
//!   7th characters, MCE edit attributes and CC/MCC.
//! - [`IcdPcs`]: ICD-10-PCS procedure codes — every release FY2016–FY2027 by
//!   date, pooled official titles, seven-axis decoding, MCE procedure attributes.
//! - [`Cpt`], [`Hcpcs`] (Level II) and [`Modifier`]: typed codes with their
//!   structure (CPT category and section ranges, HCPCS sections, modifier
//!   classes), plus readers for the files users bring: the CMS quarterly
//!   HCPCS file (at run time, or compiled in with `MEDCODE_HCPCS_FILE`) and a
//!   CPT descriptor file the user is licensed for. No CPT descriptor ships.
//! - Bindings live in their own crates around this plain `lib`: the C ABI
//!   (`medcode-ffi/`: `libmedcode_ffi.so`, `libmedcode_ffi.a`, `include/medcode.h`)
//!   and the Python package (`python/`, PyO3).
//!
//! One vocabulary across them: `text()` is a code's text, `valid_on(date)`
//! asks "billable and valid on this date", `info()` what the tables know,
//! `title()` the official title. Parsing checks syntax only (errors are
//! [`ParseCodeError`]s naming the input, the system and what is wrong);
//! membership and validity are separate, dated questions. Tables are
//! perfect-hash tables built at compile time from the committed `data/`
//! folder, so a lookup costs a hash and two loads and a program pays nothing
//! at start-up.
//!
//! ```
//! use medcode::{Date, IcdCm};
//!
//! let code: IcdCm = "e11.9".parse()?;
//! let info = code.info().expect("in the bundled tables");
//! assert_eq!(info.title(), Some("Type 2 diabetes mellitus without complications"));
//! assert!(code.valid_on(Date::new(2026, 1, 15)?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Optional features: `cli` (the binary), `zip` (default: read CMS's `.zip`
//! downloads), `xlsx` (CMS's HCPCS workbook), `chrono` and `time` ([`Date`]
//! conversions), `arrow` (`icd10cm::valid_arrow` and `icd10pcs::valid_arrow`
//! over Arrow string columns). Default features that only hold data a
//! dependent may leave out to make its binary smaller: `cm-titles`,
//! `cm-notes`, `cc-mcc`, `pcs-titles`, `hcpcs-titles` (see the README's
//! "Feature flags"); without one, its answers are `None` or empty, never
//! guessed.
//!
//! Data: Source: CDC/NCHS (ICD-10-CM); CMS (MCE, MS-DRG). See NOTICE.
// No `unsafe` here: the C ABI lives in its own crate (medcode-ffi).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod batch;
mod codebuf;
mod date;
mod date_interop;
mod error;
pub mod icd10cm;
pub mod icd10pcs;
mod json_scan;
pub mod lookup;
pub mod mce;
// Shared with the data crates' build scripts (one source for keys, hashes,
// flag names and sides): medcode-base.
use medcode_base::{key_range, laterality, phash};
mod reading;
mod release;
mod scratch;
mod system;
mod tables;
mod text;
mod validity;

pub use codebuf::CodeBuf;
pub use date::Date;
pub use error::{ParseCodeError, ParseCodeErrorKind, ParseDateError};
pub use icd10cm::{IcdCm, IcdCmInfo};
pub use icd10pcs::{IcdPcs, IcdPcsInfo};
pub use mce::{AgeCategory, DxFlags, PcsFlags};
pub use release::{DatedRelease, Release, ReleaseKind};
pub use validity::ValidityWindow;

pub mod claim;
pub mod cpt;
pub mod drg;
pub mod hcpcs;
pub mod io;
#[cfg(feature = "ioce")]
pub mod ioce;
pub mod load;
pub mod modifier;
pub mod route;
pub mod rules;
pub use cpt::Cpt;
pub use hcpcs::{Hcpcs, HcpcsRelease};
pub use modifier::Modifier;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
