//! The reference tables of CMS's Integrated Outpatient Code Editor (I/OCE),
//! every version v20.2 (2019-07-01) … v27.1 (2026-04-01), for the
//! [`medcode`](https://crates.io/crates/medcode) crate: HCPCS/CPT attributes
//! (status indicators, APCs, edits' flags; no descriptor text), ICD-10-CM
//! edit attributes, modifiers, revenue codes, APCs, C-APC ranks, add-on,
//! device, composite and conflict maps, offsets, bill-type paths, edit
//! bypasses, the outpatient NCCI pairs and the version table, as the refresh
//! tool reads them from the sha256-pinned pyoce wheel (columns in medcode's
//! docs/data-format.md).
//!
//! **Internal.** medcode's outpatient editor (issue 23, being built) reads
//! these; their names and columns change with any release. The crate's
//! version follows the data it holds.
#![no_std]

/// The text of the table `name` (e.g. `"version_range.tsv"`), or `None` for
/// a name this release does not have.
///
/// ```
/// let versions = medcode_ioce_data::file("version_range.tsv").unwrap();
/// assert_eq!(versions.lines().filter(|l| !l.starts_with('#')).count(), 28);
/// assert!(medcode_ioce_data::file("nothing.tsv").is_none());
/// ```
pub fn file(name: &str) -> Option<&'static str> {
    Some(match name {
        "data_apc.tsv" => include_str!("../data/data_apc.tsv"),
        "data_capc.tsv" => include_str!("../data/data_capc.tsv"),
        "data_contractor_template.tsv" => include_str!("../data/data_contractor_template.tsv"),
        "data_discount_formula.tsv" => include_str!("../data/data_discount_formula.tsv"),
        "data_dx10.tsv" => include_str!("../data/data_dx10.tsv"),
        "data_edit_bypass.tsv" => include_str!("../data/data_edit_bypass.tsv"),
        "data_hcpcs.tsv" => include_str!("../data/data_hcpcs.tsv"),
        "data_modifier.tsv" => include_str!("../data/data_modifier.tsv"),
        "data_nonopioid_passthrough.tsv" => include_str!("../data/data_nonopioid_passthrough.tsv"),
        "data_payment_indicator.tsv" => include_str!("../data/data_payment_indicator.tsv"),
        "data_revenue.tsv" => include_str!("../data/data_revenue.tsv"),
        "data_status_indicator.tsv" => include_str!("../data/data_status_indicator.tsv"),
        "dsc_edit.tsv" => include_str!("../data/dsc_edit.tsv"),
        "flags.tsv" => include_str!("../data/flags.tsv"),
        "map_addon_covid_lab.tsv" => include_str!("../data/map_addon_covid_lab.tsv"),
        "map_addon_drug_admin.tsv" => include_str!("../data/map_addon_drug_admin.tsv"),
        "map_addon_ph.tsv" => include_str!("../data/map_addon_ph.tsv"),
        "map_addon_remote_mental_health.tsv" => {
            include_str!("../data/map_addon_remote_mental_health.tsv")
        }
        "map_addon_saas.tsv" => include_str!("../data/map_addon_saas.tsv"),
        "map_addon_type1.tsv" => include_str!("../data/map_addon_type1.tsv"),
        "map_addon_type2.tsv" => include_str!("../data/map_addon_type2.tsv"),
        "map_addon_type3.tsv" => include_str!("../data/map_addon_type3.tsv"),
        "map_capc.tsv" => include_str!("../data/map_capc.tsv"),
        "map_composite.tsv" => include_str!("../data/map_composite.tsv"),
        "map_conflict_rhc.tsv" => include_str!("../data/map_conflict_rhc.tsv"),
        "map_device_procedure.tsv" => include_str!("../data/map_device_procedure.tsv"),
        "map_fqhc_visit.tsv" => include_str!("../data/map_fqhc_visit.tsv"),
        "map_imrt.tsv" => include_str!("../data/map_imrt.tsv"),
        "map_modifier_conflict.tsv" => include_str!("../data/map_modifier_conflict.tsv"),
        "map_ncci.tsv" => include_str!("../data/map_ncci.tsv"),
        "map_s603_override.tsv" => include_str!("../data/map_s603_override.tsv"),
        "map_status_payment.tsv" => include_str!("../data/map_status_payment.tsv"),
        "offset_apc.tsv" => include_str!("../data/offset_apc.tsv"),
        "offset_codepair.tsv" => include_str!("../data/offset_codepair.tsv"),
        "offset_hcpcs.tsv" => include_str!("../data/offset_hcpcs.tsv"),
        "pbt_control.tsv" => include_str!("../data/pbt_control.tsv"),
        "pbt_map.tsv" => include_str!("../data/pbt_map.tsv"),
        "version_range.tsv" => include_str!("../data/version_range.tsv"),
        _ => return None,
    })
}

/// The names of every table, for tools that list or check them.
pub const FILES: [&str; 38] = [
    "data_apc.tsv",
    "data_capc.tsv",
    "data_contractor_template.tsv",
    "data_discount_formula.tsv",
    "data_dx10.tsv",
    "data_edit_bypass.tsv",
    "data_hcpcs.tsv",
    "data_modifier.tsv",
    "data_nonopioid_passthrough.tsv",
    "data_payment_indicator.tsv",
    "data_revenue.tsv",
    "data_status_indicator.tsv",
    "dsc_edit.tsv",
    "flags.tsv",
    "map_addon_covid_lab.tsv",
    "map_addon_drug_admin.tsv",
    "map_addon_ph.tsv",
    "map_addon_remote_mental_health.tsv",
    "map_addon_saas.tsv",
    "map_addon_type1.tsv",
    "map_addon_type2.tsv",
    "map_addon_type3.tsv",
    "map_capc.tsv",
    "map_composite.tsv",
    "map_conflict_rhc.tsv",
    "map_device_procedure.tsv",
    "map_fqhc_visit.tsv",
    "map_imrt.tsv",
    "map_modifier_conflict.tsv",
    "map_ncci.tsv",
    "map_s603_override.tsv",
    "map_status_payment.tsv",
    "offset_apc.tsv",
    "offset_codepair.tsv",
    "offset_hcpcs.tsv",
    "pbt_control.tsv",
    "pbt_map.tsv",
    "version_range.tsv",
];

#[cfg(test)]
mod tests {
    /// Every listed table is there and starts with its generated-by line.
    #[test]
    fn every_table_is_generated() {
        for name in super::FILES {
            let text = super::file(name).unwrap();
            assert!(text.starts_with("# generated by medcode-refresh"), "{name}");
        }
    }
}
