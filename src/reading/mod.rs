//! What every reader of a user's file shares, below the code systems and
//! the table loaders alike: how bad lines are treated ([`LoadOptions`]),
//! what a lenient load returns ([`Loaded`]), and tables inside CMS's ZIP
//! archives (`archive`). Public as `medcode::load::{LoadOptions, Loaded}`.

pub(crate) mod archive;

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
