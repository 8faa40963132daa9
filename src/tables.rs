//! The generated tables, from the data crates (each compiles its own
//! `data/` in its build script); crate-private.

pub(crate) use medcode_grouper_data::{
    CC_GROUP_MEMBERS, CC_GROUP_START, CC_LEVEL, CC_PDX_GROUP, CC_PILOTS, CC_SEED, CC_SLOTS,
};
pub(crate) use medcode_hcpcs_data::*;
pub(crate) use medcode_icd10cm_data::*;
pub(crate) use medcode_icd10pcs_data::*;
pub(crate) use medcode_mce_data::*;
