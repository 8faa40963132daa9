//! The generated tables, from the data crates (each compiles its own
//! `data/` in its build script); crate-private.

pub(crate) use medcode_hcpcs_data::*;
pub(crate) use medcode_icd10cm_data::*;
pub(crate) use medcode_icd10pcs_data::*;
pub(crate) use medcode_mce_data::*;
