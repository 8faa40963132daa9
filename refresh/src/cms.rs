//! CMS's and CDC's own release files, read from a folder (`--cms DIR` or
//! `MEDCODE_CMS_DIR`; CI passes `../shared/cms`). Every file is checked
//! against the sha256 manifest committed beside this tool
//! (`refresh/cms.sha256`, `sha256sum` format) before anything is read.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};

/// The manifest: path relative to the folder, then its sha256.
const MANIFEST: &str = include_str!("../cms.sha256");

/// The verified folder of official files.
pub struct Cms {
    dir: PathBuf,
    files: BTreeMap<&'static str, &'static str>,
}

impl Cms {
    /// Checks every file of the manifest in `dir` (present, sha256 equal).
    pub fn open(dir: &Path) -> Result<Cms> {
        let mut files = BTreeMap::new();
        for (n, line) in MANIFEST.lines().enumerate() {
            let (hash, path) = line
                .split_once("  ")
                .with_context(|| format!("refresh/cms.sha256 line {}: {line:?}", n + 1))?;
            ensure!(
                hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
                "refresh/cms.sha256 line {}: bad sha256 {hash:?}",
                n + 1
            );
            files.insert(path, hash);
        }
        ensure!(!files.is_empty(), "refresh/cms.sha256 is empty");
        for (path, want) in &files {
            let p = dir.join(path);
            let bytes = fs::read(&p).with_context(|| {
                format!(
                    "reading {} (the official files: pass --cms DIR or set MEDCODE_CMS_DIR)",
                    p.display()
                )
            })?;
            let got = hex(&Sha256::digest(&bytes));
            if got != *want {
                bail!(
                    "{}: sha256 {got}, the manifest refresh/cms.sha256 says {want}",
                    p.display()
                );
            }
        }
        Ok(Cms {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// The bytes of a manifest file.
    pub fn read(&self, path: &str) -> Result<Vec<u8>> {
        ensure!(
            self.files.contains_key(path),
            "{path} is not in refresh/cms.sha256"
        );
        let p = self.dir.join(path);
        fs::read(&p).with_context(|| format!("reading {}", p.display()))
    }

    /// The member of a zip file whose name ends with `suffix` (exactly one).
    pub fn member(&self, zip: &str, suffix: &str) -> Result<Vec<u8>> {
        let bytes = self.read(zip)?;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .with_context(|| format!("{zip}: not a zip file"))?;
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.map(|n| n.into_owned()))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("{zip}: member names"))?
            .into_iter()
            .filter(|n| n.ends_with(suffix))
            .collect();
        ensure!(
            names.len() == 1,
            "{zip}: {} members end with {suffix:?}: {names:?}",
            names.len()
        );
        let mut f = archive.by_name(&names[0])?;
        let mut out = Vec::new();
        f.read_to_end(&mut out)
            .with_context(|| format!("{zip}: reading {}", names[0]))?;
        Ok(out)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Latin-1 text (CMS's and CDC's files) as a `String`.
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Undots and upper-cases a code, checking its shape.
pub fn undot(code: &str, what: &str) -> Result<String> {
    let c: String = code
        .trim()
        .chars()
        .filter(|&c| c != '.')
        .collect::<String>()
        .to_ascii_uppercase();
    ensure!(
        (3..=7).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{what}: {code:?} is not an ICD-10 code"
    );
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_are_well_formed() {
        let mut last = "";
        for line in MANIFEST.lines() {
            let (hash, path) = line.split_once("  ").unwrap();
            assert_eq!(hash.len(), 64);
            assert!(path > last, "manifest not sorted at {path}");
            last = path;
        }
    }

    #[test]
    fn undots() {
        assert_eq!(undot("E11.9", "t").unwrap(), "E119");
        assert!(undot("E1", "t").is_err());
    }
}
