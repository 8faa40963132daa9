//! HCPCS Level II codes: the [`Hcpcs`] value, its section, and CMS's
//! quarterly HCPCS release, compiled in ([`bundled`]) or read at run time
//! ([`HcpcsRelease`]).
//!
//! **Bundled:** CMS's October 2025 quarterly release (public domain; 8,463
//! codes, 383 modifiers, from CMS's workbook `HCPC2025_OCT_ANWEB.xlsx`
//! through the `medcode-hcpcs-data` crate's `data/`) is compiled into perfect-hash tables like
//! ICD-10-CM: [`Hcpcs::info`], [`Hcpcs::valid_on`],
//! [`Modifier::info`](crate::Modifier::info) and [`bundled`] answer with no
//! file. Its horizon is the last day of its quarter (2025-12-31): a later date
//! answers as of the horizon, and [`release_on`] says so (`beyond_horizon`).
//!
//! **A newer quarter** replaces it, two ways, answering identically (one
//! parser serves both):
//!
//! - **Run time:** `HcpcsRelease::load(path)`, on CMS's fixed-width `.txt`
//!   (`HCPC<year>_<MON>_ANWEB_<date>.txt`), on CMS's quarterly `.zip` itself
//!   (feature `zip`, on by default: the `…ANWEB…` text member is read, else
//!   the `…ANWEB….xlsx` one), or on CMS's workbook `.xlsx` (feature `xlsx`,
//!   off by default: it adds the `calamine` crate). Tested on CMS's real
//!   2019 and 2020 annual files and the October 2025 workbook, as shipped.
//! - **Build time:** set `MEDCODE_HCPCS_FILE` to CMS's fixed-width `.txt`
//!   while building; it is compiled in instead of the `medcode-hcpcs-data` crate's `data/`. A bad
//!   record fails the build with the record's error. To check both ways
//!   agree on the test fixture:
//!
//!   ```sh
//!   MEDCODE_HCPCS_FILE=$PWD/tests/fixtures/hcpcs_fixture.txt cargo test --all-features --test hcpcs_bundled
//!   ```
//!
//! A release's quarter comes from its file name (`HCPC2026_JAN_…`; an
//! annual `HCPC2020_ANWEB…` is the January quarter), else from the latest
//! add or action effective date in it.
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
//! | 261–265 | type of service, up to five one-character codes |
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
//! // The bundled October 2025 release, no file needed:
//! let e1130: Hcpcs = "E1130".parse()?;
//! assert!(e1130.valid_on(Date::new(2025, 10, 1)?));
//!
//! // A file read at run time:
//! let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
//! let entry = release.get(code).expect("in the fixture");
//! assert!(entry.valid_on(Date::new(2026, 1, 1)?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bundled;
mod code;
mod release;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use bundled::{bundled, horizon, release_on, BundledRelease};
pub use code::{Hcpcs, HcpcsSection};
pub use medcode_base::hcpcs_file::{Field, HcpcsFileError};
pub use release::{HcpcsEntry, HcpcsLoadError, HcpcsRelease, ModifierEntry, PricingIndicators};
