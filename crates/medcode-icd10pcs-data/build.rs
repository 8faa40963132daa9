//! Compiles the ICD-10-PCS tables in `data/` (written by the refresh tool;
//! columns in docs/data-format.md) into perfect-hash tables and text blobs in
//! OUT_DIR, `include!`d by `src/lib.rs`. Nothing here touches the network.

use medcode_base::gen::*;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    build_script(gen_icd10pcs);
}

fn gen_icd10pcs(dir: &Path, out: &Path, src: &mut String) {
    let CodeTable {
        rows: code_rows,
        index,
        ..
    } = code_table(dir, "PCS", src);

    // Titles (feature `pcs-titles`).
    let pcs_titles = feature("pcs-titles");
    let mut titles = Blob::default();
    let mut shorts = Blob::default();
    let mut title_end = Vec::new();
    let mut short_end = Vec::new();
    for r in code_rows.iter().filter(|_| pcs_titles) {
        title_end.push(titles.push(r.get(1).map(String::as_str).unwrap_or("")).1);
        short_end.push(shorts.push(r.get(2).map(String::as_str).unwrap_or("")).1);
    }
    emit_array(src, "PCS_TITLE_END", "u32", title_end);
    emit_array(src, "PCS_SHORT_END", "u32", short_end);
    emit_title_history(
        src,
        out,
        "PCS",
        &dir.join("title_history.tsv"),
        &index,
        pcs_titles,
    );

    // Axis labels, sorted by (axis, packed context key) for binary search.
    let mut axes: Vec<(u8, u64, String, String)> = rows(&dir.join("axes.tsv"))
        .iter()
        .map(|r| {
            let axis: u8 = col(r, 0, "axes.tsv").parse().expect("axes.tsv: axis");
            assert!((2..=7).contains(&axis), "axes.tsv: axis {axis}");
            (
                axis,
                pack(col(r, 1, "axes.tsv")),
                col(r, 2, "axes.tsv").to_owned(),
                r.get(3).cloned().unwrap_or_default(),
            )
        })
        .collect();
    axes.sort();
    emit_array(
        src,
        "PCS_AXES",
        "(u8, u64, &str, &str)",
        axes.iter()
            .map(|(a, k, l, d)| format!("({a},{k},{l:?},{d:?})")),
    );
    for (name, blob) in [("pcs_titles.txt", &titles), ("pcs_shorts.txt", &shorts)] {
        write_if_changed(&out.join(name), &blob.0);
        let _ = writeln!(
            src,
            "pub static {}: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"));",
            name.trim_end_matches(".txt").to_uppercase()
        );
    }
}
