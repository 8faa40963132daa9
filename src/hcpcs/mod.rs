//! HCPCS Level II codes: the [`Hcpcs`] value, its section, and the CMS
//! quarterly HCPCS file, read at run time ([`HcpcsRelease`]) or compiled in
//! at build time ([`bundled`]).
//!
//! No package registry ships HCPCS Level II, so this crate bundles none by
//! default. CMS publishes it quarterly (public domain) as a zip whose main
//! member is the fixed-width file `HCPC<year>_<MON>_ANWEB_<date>.txt`. Two
//! ways to use it, answering identically (one parser serves both):
//!
//! - **Run time:** `HcpcsRelease::load(path)`, on the `.txt` or on CMS's
//!   `.zip` itself (feature `zip`, on by default: the `…ANWEB….txt` member is
//!   read). Tested on CMS's real 2019 and 2020 annual files, as shipped.
//! - **Build time:** set `MEDCODE_HCPCS_FILE` to the file's path while
//!   building; its codes and modifiers are compiled into perfect-hash tables
//!   like ICD-10-CM, and [`Hcpcs::info`], [`bundled`] and
//!   [`Modifier::info`](crate::Modifier::info) answer from them. Without the
//!   variable they answer [`NotBundled`] ("no HCPCS release is bundled in this
//!   build"), never "invalid code". A bad record fails the build with the
//!   record's error. To check both ways agree on the test fixture:
//!
//!   ```sh
//!   MEDCODE_HCPCS_FILE=$PWD/tests/fixtures/hcpcs_fixture.txt cargo test --test hcpcs_bundled
//!   ```
//!
//! # The file layout
//!
//! cp1252 text, one 320-column record a line (LF or CRLF); columns 1-based
//! and inclusive:
//!
//! | columns | field |
//! |---|---|
//! | 1–5 | code (modifier records: the modifier, in columns 4–5) |
//! | 6–10 | sequence number (read, not checked) |
//! | 11 | record id: `3` first line of a code, `4` continuation of its long title, `7` first line of a modifier, `8` continuation of its long title |
//! | 12–91 | long title, continued on the following `4`/`8` records |
//! | 92–119 | short title |
//! | 120–127 | pricing indicators, up to four of two characters |
//! | 230 | coverage code |
//! | 257–259 | BETOS code |
//! | 269–276 | add date, `yyyymmdd` or blank |
//! | 277–284 | action effective date |
//! | 285–292 | termination date |
//! | 293 | action code |
//!
//! What the reader decides where the file leaves room:
//!
//! - CMS puts disclaimer text before the first record (the 2019 file: six
//!   lines padded with tabs; the 2020 file: seven lines of prose). Lines
//!   before the first record whose columns 6–10 are not digits or blanks (a
//!   sequence number), or that hold neither a code or modifier in columns
//!   1–5 nor a record id in column 11, are skipped and counted
//!   ([`HcpcsRelease::preamble_lines`]). From the first record on, every
//!   non-blank line must be a record.
//! - A file with no record is [`HcpcsFileError::NoRecord`], one with binary
//!   content (a control byte: a spreadsheet, UTF-16 text, a binary file) is
//!   [`HcpcsFileError::Binary`], in strict and lenient mode alike: never an
//!   empty release.
//! - Blank lines are skipped. A record must reach column 11 (code, sequence
//!   number and record id are mandatory), else [`HcpcsFileError::ShortLine`];
//!   a shorter record than 320 columns is padded with blanks, since tools
//!   often strip trailing blanks (the 2020 file's continuation records end
//!   at column 91) (a field cut in half then fails its own
//!   check). Text past column 320 is [`HcpcsFileError::LongLine`].
//! - Long titles: each chunk trimmed, chunks joined with one space. Only the
//!   title columns of a continuation record are read.
//! - cp1252 is decoded by hand: bytes 0x80–0x9F from the Windows table (its
//!   five undefined bytes to the C1 control of the same value, as the WHATWG
//!   Encoding Standard does), all other bytes as Latin-1.
//! - Each bad record is a typed [`HcpcsFileError`] with its line number and
//!   field: short line, long line, unknown record id, bad code, bad date,
//!   bad field, continuation without a first record, duplicate code. Strict
//!   loading stops at the first; lenient loading
//!   ([`LoadOptions::lenient`](crate::load::LoadOptions::lenient)) reports
//!   them all and keeps the good records.
//!
//! ```
//! use medcode::{Date, Hcpcs, hcpcs::{HcpcsRelease, HcpcsSection}};
//! let code: Hcpcs = "J1100".parse()?;
//! assert_eq!(code.section(), Some(HcpcsSection::Drugs));
//!
//! let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
//! let entry = release.get(code).expect("in the fixture");
//! assert!(entry.valid_on(Date::new(2026, 1, 1)?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bundled;
mod code;
mod release;

pub use crate::load::hcpcs_file::{Field, HcpcsFileError};
pub use bundled::{bundled, horizon, release_on, BundledRelease};
pub use code::{Hcpcs, HcpcsSection};
pub use release::{HcpcsEntry, HcpcsLoadError, HcpcsRelease, ModifierEntry, PricingIndicators};
