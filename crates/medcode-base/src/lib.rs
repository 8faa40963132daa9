//! What the [`medcode`](https://crates.io/crates/medcode) crate and the
//! build scripts of its data crates share, so that both compute the same
//! keys, hashes and flags from one source:
//!
//! - [`key`]: the six-bit packed key every code table is keyed by;
//! - [`calendar`]: days in a month, real dates and the next day, on `yyyymmdd`;
//! - [`align`]: the fingerprint proving the MCE tables line up with the code
//!   tables;
//! - [`key_range`]: the key interval of a code range;
//! - [`phash`]: the perfect hash behind every bundled code table;
//! - [`hcpcs_file`]: CMS's quarterly HCPCS file reader (the bundled release
//!   and files loaded at run time answer alike);
//! - [`mce_names`]: the MCE flag names, in bit order;
//! - [`laterality`]: the body side an ICD-10-CM title names;
//! - `gen` (feature `gen`): the build scripts' table readers and writers.
//!
//! **Internal.** Use medcode's API; these items change with any release.

pub mod align;
pub mod calendar;
pub mod hcpcs_file;
pub mod key;
pub mod key_range;
pub mod laterality;
pub mod mce_names;
pub mod phash;

#[cfg(feature = "gen")]
pub mod gen;
