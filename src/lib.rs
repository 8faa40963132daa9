//! # medcode
//!
//! US medical billing codes with the official tables compiled in.
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
//! - The C ABI (module `ffi`, feature `ffi`; header `include/medcode.h`): the
//!   crate also builds as `libmedcode.so` and `libmedcode.a` for C, and for
//!   the Python package in `python/`.
//!
//! Parsing checks syntax only; membership and validity are separate, dated
//! questions. Tables are perfect-hash tables built at compile time from the
//! committed `data/` folder, so a lookup costs a hash and two loads and a
//! program pays nothing at start-up.
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
//! Data: Source: CDC/NCHS (ICD-10-CM); CMS (MCE, MS-DRG). See NOTICE.
// Only the C ABI (`ffi`) may use `unsafe`, and it says why at each block.
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod codebuf;
mod date;
mod date_interop;
mod error;
mod key_range;
// `side_of_title` runs in the build script; the library only tests against it.
pub mod icd10cm;
pub mod icd10pcs;
#[cfg_attr(not(test), allow(dead_code))]
mod laterality;
pub mod lookup;
pub mod mce;
mod phash;
mod release;
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
#[cfg(feature = "ffi")]
#[allow(unsafe_code)]
pub mod ffi;
pub mod hcpcs;
pub mod load;
pub mod modifier;
pub mod rules;
pub use cpt::Cpt;
pub use hcpcs::{Hcpcs, HcpcsRelease};
pub use modifier::Modifier;
