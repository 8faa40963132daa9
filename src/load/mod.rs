//! Readers for files users bring at run time: a licensed CPT descriptor file
//! ([`CptDescriptors`]) and the CMS quarterly HCPCS file
//! ([`HcpcsRelease`](crate::hcpcs::HcpcsRelease)).
//!
//! Every reader reports each bad line as a typed error with its line number.
//! [`LoadOptions`] chooses what happens then: *strict* (the default) fails on
//! the first bad line; *lenient* loads every good line and returns the bad
//! ones beside the table in [`Loaded::errors`], so no line is dropped
//! silently.
//!
//! ```
//! use medcode::load::{CptDescriptors, LoadOptions};
//! let text = "code\tdescriptor\n99213\tTEST DESCRIPTOR ONE\n9921\tTEST DESCRIPTOR TWO\n";
//! assert!(CptDescriptors::from_reader(text.as_bytes()).is_err()); // strict
//! let loaded = CptDescriptors::from_reader_with(text.as_bytes(), LoadOptions::lenient()).unwrap();
//! assert_eq!(loaded.table.len(), 1);
//! assert_eq!(loaded.errors[0].line(), 3);
//! ```

mod cpt_descriptors;
pub(crate) mod hcpcs_file;

pub use cpt_descriptors::{CptDescriptors, CptLineError, CptLoadError, DescriptorLayout};

/// How a reader treats bad lines.
///
/// ```
/// use medcode::load::LoadOptions;
/// assert!(!LoadOptions::default().lenient);
/// assert!(LoadOptions::lenient().lenient);
/// assert_eq!(LoadOptions::strict(), LoadOptions::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LoadOptions {
    /// `false` (strict): fail on the first bad line. `true` (lenient): load
    /// the good lines and return every bad one in [`Loaded::errors`].
    pub lenient: bool,
}

impl LoadOptions {
    /// Fail on the first bad line (the default).
    ///
    /// ```
    /// assert!(!medcode::load::LoadOptions::strict().lenient);
    /// ```
    pub const fn strict() -> LoadOptions {
        LoadOptions { lenient: false }
    }

    /// Load the good lines, report the bad ones.
    ///
    /// ```
    /// assert!(medcode::load::LoadOptions::lenient().lenient);
    /// ```
    pub const fn lenient() -> LoadOptions {
        LoadOptions { lenient: true }
    }
}

/// A table loaded with [`LoadOptions`], and the bad lines it skipped (always
/// empty in strict mode, which fails instead).
///
/// ```
/// use medcode::load::{CptDescriptors, LoadOptions};
/// let loaded = CptDescriptors::from_reader_with(&b"99213\tTEST DESCRIPTOR ONE\n"[..], LoadOptions::lenient()).unwrap();
/// assert!(loaded.errors.is_empty());
/// assert_eq!(loaded.table.len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Loaded<T, E> {
    /// The table built from the good lines.
    pub table: T,
    /// One error for each bad line, in line order.
    pub errors: Vec<E>,
}
