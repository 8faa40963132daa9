//! Compiles the HCPCS Level II release into the generated tables: the one in
//! `data/` (CMS's October 2025 quarterly workbook, written by the
//! refresh tool), or the CMS quarterly file named by the environment variable
//! `MEDCODE_HCPCS_FILE` during the build, which replaces it.
//!
//! Both are checked and assembled by the code the library uses at run time
//! (`medcode_base::hcpcs_file`): the file in strict mode, `data/`'s rows
//! field by field. A bad record fails the build with its typed error.

use medcode_base::gen::{build_script, emit_array, emit_table, feature, rows, write_if_changed};
use medcode_base::hcpcs_file;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    build_script(generate);
}

/// The environment variable naming the file.
const VAR: &str = "MEDCODE_HCPCS_FILE";

/// `data/`: the release's name, quarter and its codes and modifiers.
fn from_data(data: &Path) -> (hcpcs_file::Parsed, String, (u32, u32)) {
    let dir = data;
    let release = rows(&dir.join("release.tsv"));
    let [file, effective, horizon, n_codes, n_modifiers] =
        release.first().map(|r| r.as_slice()).unwrap_or_default()
    else {
        panic!("data/release.tsv: expected one row of five fields");
    };
    let num = |s: &str| -> u32 {
        s.parse()
            .unwrap_or_else(|_| panic!("data/release.tsv: {s:?} is not a number"))
    };
    let mut entries = Vec::new();
    for (name, modifier) in [("codes.tsv", false), ("modifiers.tsv", true)] {
        for (i, r) in rows(&dir.join(name)).iter().enumerate() {
            let f = |j: usize| r.get(j).map_or("", String::as_str);
            let fields = hcpcs_file::Fields {
                code: f(0),
                title: f(1),
                short_title: f(2),
                added: f(3),
                effective: f(4),
                terminated: f(5),
                action: f(6),
                coverage: f(7),
                betos: f(8),
                tos: f(9).split(',').collect(),
                pricing: f(10).split(',').collect(),
            };
            let e = fields
                .check(i + 2, modifier)
                .unwrap_or_else(|e| panic!("data/{name}: {e}"));
            entries.push(e);
        }
    }
    let parsed = hcpcs_file::assemble_entries(entries);
    assert_eq!(
        (parsed.codes.len(), parsed.modifiers.len()),
        (num(n_codes) as usize, num(n_modifiers) as usize),
        "data/release.tsv: counts"
    );
    for w in parsed.codes.windows(2) {
        assert!(w[0].key < w[1].key, "data/codes.tsv: duplicate code");
    }
    for w in parsed.modifiers.windows(2) {
        assert!(w[0].key < w[1].key, "data/modifiers.tsv: duplicate");
    }
    (parsed, file.clone(), (num(effective), num(horizon)))
}

/// Appends the HCPCS tables to `src` (and writes their text blob to `out`).
fn generate(data: &Path, out: &Path, src: &mut String) {
    println!("cargo:rerun-if-env-changed={VAR}");
    let file = std::env::var_os(VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let (mut parsed, source, (effective, horizon)) = match &file {
        Some(path) => {
            println!("cargo:rerun-if-changed={}", path.display());
            let bytes = std::fs::read(path)
                .unwrap_or_else(|e| panic!("{VAR}={}: cannot read: {e}", path.display()));
            let (parsed, errors) = hcpcs_file::parse(&bytes, false);
            if let Some(e) = errors.first() {
                panic!("{VAR}={}: {e}", path.display());
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let quarter = hcpcs_file::quarter(Some(&name), &parsed);
            (parsed, name, quarter)
        }
        None => from_data(data),
    };

    if !feature("hcpcs-titles") {
        strip_titles(&mut parsed);
    }

    src.push_str(
        "// HCPCS Level II (medcode-hcpcs-data/build.rs, from data/ or MEDCODE_HCPCS_FILE)\n",
    );
    let _ = writeln!(src, "pub const HCPCS_FROM_ENV: bool = {};", file.is_some());
    let _ = writeln!(src, "pub const HCPCS_SOURCE: &str = {source:?};");
    let _ = writeln!(src, "pub const HCPCS_EFFECTIVE: u32 = {effective};");
    let _ = writeln!(src, "pub const HCPCS_HORIZON: u32 = {horizon};");

    let keys: Vec<u64> = parsed.codes.iter().map(|r| r.key).collect();
    emit_array(
        src,
        "HCPCS_CODES",
        "medcode_base::hcpcs_file::CodeTuple",
        parsed.codes.iter().map(|r| format!("{:?}", r.to_tuple())),
    );
    emit_table(src, "HCPCS", &keys);

    let mod_keys: Vec<u64> = parsed.modifiers.iter().map(|r| r.key).collect();
    emit_array(
        src,
        "HCPCS_MODIFIERS",
        "medcode_base::hcpcs_file::ModifierTuple",
        parsed
            .modifiers
            .iter()
            .map(|r| format!("{:?}", r.to_tuple())),
    );
    emit_table(src, "HCPCS_MOD", &mod_keys);

    let name = "hcpcs_text.txt";
    write_if_changed(&out.join(name), &parsed.text);
    let _ = writeln!(
        src,
        "pub static HCPCS_TEXT: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"));"
    );
}

/// Without feature `hcpcs-titles`: the long and short titles of codes and
/// modifiers left out (empty spans answer `None`); the BETOS codes kept.
fn strip_titles(parsed: &mut hcpcs_file::Parsed) {
    let old = std::mem::take(&mut parsed.text);
    for c in &mut parsed.codes {
        c.title = (0, 0);
        c.short_title = (0, 0);
        let start = parsed.text.len() as u32;
        parsed
            .text
            .push_str(&old[c.betos.0 as usize..c.betos.1 as usize]);
        c.betos = (start, parsed.text.len() as u32);
    }
    for m in &mut parsed.modifiers {
        m.title = (0, 0);
        m.short_title = (0, 0);
    }
}
