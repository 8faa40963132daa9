//! Compiles the MCE's tables in `data/` (written by the refresh tool; columns
//! in docs/data-format.md) into arrays in OUT_DIR, `include!`d by
//! `src/lib.rs`: the flags of every ICD-10-CM and ICD-10-PCS code in each of
//! its periods, laid out row for row and period for period as the code
//! tables are (with a fingerprint of that layout), the age ranges and the
//! discharge statuses. Nothing here touches the network.

use medcode_base::gen::*;
use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    build_script(|data, _out, src| {
        gen_mce(data, src);
        gen_flags(
            &data.join("dx_flags.tsv"),
            "MCE_DX",
            &medcode_base::mce_names::DX_FLAG_NAMES,
            src,
        );
        gen_flags(
            &data.join("pcs_flags.tsv"),
            "MCE_PCS",
            &medcode_base::mce_names::PCS_FLAG_NAMES,
            src,
        );
    });
}

fn gen_mce(data: &Path, src: &mut String) {
    let ages: Vec<String> = rows(&data.join("age_ranges.tsv"))
        .iter()
        .map(|r| {
            format!(
                "({:?},{},{},{},{})",
                r[0],
                col(r, 1, "age_ranges.tsv"),
                r[2],
                date(&r[3]),
                date(col(r, 4, "age_ranges.tsv"))
            )
        })
        .collect();
    emit_array(src, "MCE_AGE_RANGES", "(&str, u32, u32, u32, u32)", ages);
    let statuses: Vec<String> = rows(&data.join("discharge_status.tsv"))
        .iter()
        .map(|r| {
            format!(
                "({},{},{})",
                col(r, 0, "discharge_status.tsv")
                    .parse::<u8>()
                    .expect("status code"),
                date(&r[1]),
                date(col(r, 2, "discharge_status.tsv"))
            )
        })
        .collect();
    emit_array(src, "MCE_DISCHARGE_STATUS", "(u8, u32, u32)", statuses);
}

/// A flags table: every code of its code table in order, each with its
/// periods (`code start end flags`) or alone (no period). Emits per code its
/// one period inline (`{prefix}_SINGLE_WINDOW`), the flags of every period
/// (`{prefix}_FLAGS`) and the layout's fingerprint.
fn gen_flags(path: &Path, prefix: &str, names: &[&str], src: &mut String) {
    let p = path.display().to_string();
    let mut codes: Vec<String> = Vec::new();
    let mut windows: BTreeMap<String, Vec<(u32, u32, u32)>> = BTreeMap::new();
    for r in rows(path) {
        let code = col(&r, 0, &p);
        if codes.last().map(String::as_str) != Some(code) {
            assert!(
                codes.last().is_none_or(|last| last.as_str() < code),
                "{p}: {code} out of order"
            );
            codes.push(code.to_owned());
        }
        if r.len() > 1 {
            let flags = r.get(3).map(String::as_str).unwrap_or("");
            windows.entry(code.to_owned()).or_default().push((
                date(col(&r, 1, &p)),
                date(col(&r, 2, &p)),
                flag_bits(names, flags, &p),
            ));
        }
    }
    for ws in windows.values() {
        assert!(
            ws.windows(2).all(|w| w[0] < w[1]),
            "{p}: periods out of order"
        );
    }
    emit_single_windows(src, prefix, &codes, &windows);
    emit_period_flags(src, prefix, &codes, &windows);
}
