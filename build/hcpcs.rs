//! Compiles a CMS quarterly HCPCS file into the generated tables, when the
//! environment variable `MEDCODE_HCPCS_FILE` names one during the build.
//!
//! The file is parsed by the same code the library uses at run time
//! (`src/load/hcpcs_file.rs`), in strict mode: a bad record fails the build
//! with its typed error. Without the variable the tables are empty and
//! `HCPCS_BUNDLED` is false, so the library answers "no HCPCS release is
//! bundled in this build".

#[path = "../src/load/hcpcs_file.rs"]
mod hcpcs_file;

use super::{emit_array, emit_table, write_if_changed};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The environment variable naming the file.
const VAR: &str = "MEDCODE_HCPCS_FILE";

/// Appends the HCPCS tables to `src` (and writes their text blob to `out`).
pub fn generate(out: &Path, src: &mut String) {
    println!("cargo:rerun-if-env-changed={VAR}");
    let file = std::env::var_os(VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let (parsed, source) = match &file {
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
            (parsed, name)
        }
        None => (hcpcs_file::Parsed::default(), String::new()),
    };

    src.push_str("// HCPCS Level II (build/hcpcs.rs, from MEDCODE_HCPCS_FILE)\n");
    let _ = writeln!(
        src,
        "pub(crate) const HCPCS_BUNDLED: bool = {};",
        file.is_some()
    );
    let _ = writeln!(src, "pub(crate) const HCPCS_SOURCE: &str = {source:?};");

    let keys: Vec<u64> = parsed.codes.iter().map(|r| r.key).collect();
    emit_array(
        src,
        "HCPCS_CODES",
        "crate::load::hcpcs_file::CodeTuple",
        parsed.codes.iter().map(|r| format!("{:?}", r.to_tuple())),
    );
    emit_table(src, "HCPCS", &keys);

    let mod_keys: Vec<u64> = parsed.modifiers.iter().map(|r| r.key).collect();
    emit_array(
        src,
        "HCPCS_MODIFIERS",
        "crate::load::hcpcs_file::ModifierTuple",
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
        "pub(crate) static HCPCS_TEXT: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"));"
    );
}
