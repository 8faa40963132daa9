//! Readers for files users bring at run time: a licensed CPT descriptor file
//! ([`CptDescriptors`]), the CMS quarterly HCPCS file
//! ([`HcpcsRelease`](crate::hcpcs::HcpcsRelease)), and the CMS edit tables
//! the claim rules apply when loaded: NCCI procedure-to-procedure edits
//! ([`PtpTable`]), medically unlikely edits ([`MueTable`]) and add-on codes
//! ([`AddonTable`]). The edit tables carry CPT numbers under the AMA licence,
//! so none ships with the crate: CMS publishes them every quarter.
//!
//! Every reader reports each bad line as a typed error with its line number.
//! [`LoadOptions`] chooses what happens then: *strict* (the default) fails on
//! the first bad line; *lenient* loads every good line and returns the bad
//! ones beside the table in [`Loaded::errors`], so no line is dropped
//! silently.
//!
//! Whole files are refused, in either mode, rather than loaded as an empty
//! table that would silently turn its edits off: a file with no record, with
//! column headings of another table, or with binary content is a typed error
//! naming the line and what was expected (`EditLoadError::{NoRecord,
//! UnrecognisedHeader, Binary}`, the same for [`CptLoadError`] and
//! [`HcpcsFileError`](crate::hcpcs::HcpcsFileError)), and so is a lenient
//! load in which no line is good. CMS ships its tables as ZIP archives: with
//! the `zip` feature (on by default) the HCPCS, NCCI PTP, MUE and add-on
//! loaders read the `.zip` itself (the one table inside).
//!
//! ```
//! use medcode::load::{EditLoadError, MueTable};
//! let err = MueTable::from_reader(&b"Dear colleague,\nno table here.\n"[..]).unwrap_err();
//! assert!(matches!(err, EditLoadError::NoRecord { lines: 2, .. }));
//! assert_eq!(err.to_string(), "no MUE record in 2 lines: expected MUE records (HCPCS/CPT code, MUE value, adjudication indicator, rationale), comma- or tab-separated");
//! ```
//!
//! ```
//! use medcode::load::{CptDescriptors, LoadOptions};
//! let text = "code\tdescriptor\n99213\tTEST DESCRIPTOR ONE\n9921\tTEST DESCRIPTOR TWO\n";
//! assert!(CptDescriptors::from_reader(text.as_bytes()).is_err()); // strict
//! let loaded = CptDescriptors::from_reader_with(text.as_bytes(), LoadOptions::lenient()).unwrap();
//! assert_eq!(loaded.table.len(), 1);
//! assert_eq!(loaded.errors[0].line(), 3);
//! ```

mod addon;
pub(crate) use crate::reading::archive;
mod cpt_descriptors;
mod edit_text;
pub(crate) use medcode_base::hcpcs_file;
mod mue;
mod ncci_ptp;

pub use addon::{AddonEntry, AddonTable};
pub use cpt_descriptors::{CptDescriptors, CptLineError, CptLoadError, DescriptorLayout};
pub use edit_text::{EditLineError, EditLoadError, ProcedureCode};
pub use mue::{Adjudication, MueEntry, MueTable};
pub use ncci_ptp::{ModifierIndicator, PtpEdit, PtpSetting, PtpTable};
// Defined below this room (the HCPCS release reads with them too).
pub use crate::reading::{LoadOptions, Loaded};
