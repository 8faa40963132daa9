//! The integration tests of the `medcode` crate, one binary (`--test suite`)
//! with a module a file: the library and its data link once, not once a
//! file. Run one module with a filter, e.g.
//! `cargo test --all-features --test suite -- mce_conformance:: --nocapture`.
//! The modules that run the `medcode` command need the `cli` feature.

mod common;

#[cfg(feature = "cli")]
mod cli;
#[cfg(feature = "cli")]
mod cli_group;
#[cfg(feature = "cli")]
mod cli_tables;
#[cfg(feature = "ioce")]
mod conformance_oce;
mod conversions;
mod cpt_descriptors;
mod cpt_hcpcs;
mod cpt_hcpcs_props;
mod drg_conformance;
mod edit_tables_refuse;
mod hcpcs_bundled;
mod hcpcs_cms_files;
mod hcpcs_file;
mod hcpcs_workbook;
#[cfg(feature = "cli")]
mod hostile;
mod house;
mod icd10cm_counts;
mod icd10cm_facts;
mod icd10cm_props;
mod icd10pcs;
#[cfg(feature = "ioce")]
mod ioce_conformance;
#[cfg(feature = "ioce")]
mod ioce_scaling;
mod mce_conformance;
mod poa_exempt;
#[cfg(feature = "cli")]
mod readme_commands;
mod rules_conventions;
mod rules_drg;
mod rules_edits;
mod rules_engine;
#[cfg(feature = "ioce")]
mod rules_ioce;
mod rules_lines;
mod rules_mce;
mod rules_poa;
mod rules_validity;
