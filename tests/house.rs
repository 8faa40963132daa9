//! The house's rules, checked on the source (ARCHITECTURE.md): every module
//! of the `medcode` crate sits in a room, and a room never imports from a
//! higher one (so no two rooms import each other); no source file of the
//! workspace is compiled in by `#[path]`.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The rooms of ARCHITECTURE.md, by top-level module (the CLI, `bin/`, is
/// the top room and imports anything).
const ROOMS: &[(&str, u8)] = &[
    // 1. Foundations.
    ("codebuf", 1),
    ("date", 1),
    ("date_interop", 1),
    ("error", 1),
    ("json_scan", 1),
    ("key_range", 1),
    ("laterality", 1),
    ("phash", 1),
    ("reading", 1),
    ("release", 1),
    ("scratch", 1),
    ("system", 1),
    ("text", 1),
    ("validity", 1),
    // 2. Code systems.
    ("batch", 2),
    ("cpt", 2),
    ("hcpcs", 2),
    ("icd10cm", 2),
    ("icd10pcs", 2),
    ("mce", 2),
    ("modifier", 2),
    ("tables", 2),
    // 3. User files, and lookups that can take them.
    ("load", 3),
    ("lookup", 3),
    // 4. The claim. 5. I/O.
    ("claim", 4),
    ("io", 5),
    // 6. Engines. 7. The router between them.
    ("drg", 6),
    ("ioce", 6),
    ("route", 7),
    ("rules", 6),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code before its test module, without comment lines.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = text
        .find("#[cfg(test)]\nmod ")
        .or_else(|| text.find("#[cfg(test)]\npub(crate) mod "))
        .unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.starts_with("//"))
}

#[test]
fn no_room_imports_from_a_higher_one() {
    let rooms: BTreeMap<&str, u8> = ROOMS.iter().copied().collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        if matches!(top, "lib" | "bin") {
            continue;
        }
        let room = *rooms
            .get(top)
            .unwrap_or_else(|| panic!("src/{rel}: module {top} is in no room (tests/house.rs)"));
        let text = std::fs::read_to_string(file).unwrap();
        for (line, code) in code_lines(&text) {
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(&theirs) = rooms.get(name.as_str()) {
                    if name != top && theirs > room {
                        wrong.push(format!(
                            "src/{rel}:{line}: {top} (room {room}) imports {name} (room {theirs})"
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_source_file_is_compiled_in_by_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "src",
        "crates",
        "medcode-ffi/src",
        "python/src",
        "refresh/src",
        "tests",
        "examples",
        "benches",
    ] {
        if root.join(dir).is_dir() {
            rust_files(&root.join(dir), &mut files);
        }
    }
    let attribute = concat!("#[", "path");
    let wrong: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .any(|l| l.trim_start().starts_with(attribute))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(wrong.is_empty(), "compiled in by path: {wrong:?}");
}
