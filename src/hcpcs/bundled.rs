//! The HCPCS release compiled in at build time (if any).

use super::{Hcpcs, HcpcsEntry, ModifierEntry};
use crate::date::Date;
use crate::load::hcpcs_file::{CodeRow, ModifierRow};
use crate::modifier::Modifier;
use crate::phash;
use crate::tables as t;

/// No HCPCS release is bundled in this build: distinct from "not a code"
/// and from "not in the release".
///
/// A build compiles a release in only when the environment variable
/// `MEDCODE_HCPCS_FILE` names a CMS quarterly HCPCS file while building; the
/// file is not redistributed with the crate. Without one, load a file at run
/// time with [`HcpcsRelease::load`](super::HcpcsRelease::load).
///
/// ```
/// let err = medcode::hcpcs::NotBundled;
/// assert!(err.to_string().starts_with("no HCPCS release is bundled in this build"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error(
    "no HCPCS release is bundled in this build (build with MEDCODE_HCPCS_FILE set to the \
     CMS quarterly HCPCS file, or load one at run time with HcpcsRelease::load)"
)]
pub struct NotBundled;

/// True if this build has a HCPCS release compiled in.
///
/// ```
/// assert_eq!(medcode::hcpcs::is_bundled(), medcode::hcpcs::bundled().is_ok());
/// ```
pub fn is_bundled() -> bool {
    t::HCPCS_BUNDLED
}

/// The release compiled in at build time, or [`NotBundled`].
///
/// ```
/// use medcode::hcpcs;
/// match hcpcs::bundled() {
///     Ok(release) => println!("{} codes from {}", release.len(), release.source_file()),
///     Err(e) => println!("{e}"),
/// }
/// ```
pub fn bundled() -> Result<BundledRelease, NotBundled> {
    if t::HCPCS_BUNDLED {
        Ok(BundledRelease { _private: () })
    } else {
        Err(NotBundled)
    }
}

/// The HCPCS release compiled in at build time: the same lookups as
/// [`HcpcsRelease`](super::HcpcsRelease), through a perfect-hash table, with
/// `'static` entries. Obtained from [`bundled`].
///
/// ```
/// if let Ok(release) = medcode::hcpcs::bundled() {
///     for entry in release.iter().take(3) {
///         println!("{} {}", entry.code(), entry.title().unwrap_or(""));
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BundledRelease {
    _private: (),
}

fn code_entry(i: usize) -> HcpcsEntry<'static> {
    HcpcsEntry::new(t::HCPCS_TEXT, &CodeRow::from_tuple(&t::HCPCS_CODES[i]))
}

fn modifier_entry(i: usize) -> ModifierEntry<'static> {
    ModifierEntry::new(
        t::HCPCS_TEXT,
        &ModifierRow::from_tuple(&t::HCPCS_MODIFIERS[i]),
    )
}

impl BundledRelease {
    /// The file name (without directories) the release was built from.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     assert!(!release.source_file().contains('/'));
    /// }
    /// ```
    pub fn source_file(self) -> &'static str {
        t::HCPCS_SOURCE
    }

    /// Number of codes (modifiers not counted).
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     assert_eq!(release.len(), release.iter().count());
    /// }
    /// ```
    pub fn len(self) -> usize {
        t::HCPCS_CODES.len()
    }

    /// True if the bundled file held no codes.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     assert_eq!(release.is_empty(), release.len() == 0);
    /// }
    /// ```
    pub fn is_empty(self) -> bool {
        t::HCPCS_CODES.is_empty()
    }

    /// The entry for a code, if the release has it: a hash and two loads.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     for entry in release.iter() {
    ///         assert_eq!(release.get(entry.code()), Some(entry));
    ///     }
    /// }
    /// ```
    pub fn get(self, code: Hcpcs) -> Option<HcpcsEntry<'static>> {
        phash::lookup(code.key(), t::HCPCS_SEED, &t::HCPCS_PILOTS, &t::HCPCS_SLOTS)
            .map(|i| code_entry(i as usize))
    }

    /// Every code, in code order.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     let codes: Vec<_> = release.iter().map(|e| e.code()).collect();
    ///     assert!(codes.windows(2).all(|w| w[0] < w[1]));
    /// }
    /// ```
    pub fn iter(self) -> impl DoubleEndedIterator<Item = HcpcsEntry<'static>> + ExactSizeIterator {
        (0..t::HCPCS_CODES.len()).map(code_entry)
    }

    /// The codes valid on `date`, in code order.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     let today = medcode::Date::today();
    ///     assert!(release.valid_on(today).all(|e| e.valid_on(today)));
    /// }
    /// ```
    pub fn valid_on(self, date: Date) -> impl Iterator<Item = HcpcsEntry<'static>> {
        self.iter().filter(move |e| e.valid_on(date))
    }

    /// The entry for a modifier, if the release has it.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     for m in release.modifiers() {
    ///         assert_eq!(release.modifier(m.modifier()), Some(m));
    ///     }
    /// }
    /// ```
    pub fn modifier(self, modifier: Modifier) -> Option<ModifierEntry<'static>> {
        phash::lookup(
            modifier.key(),
            t::HCPCS_MOD_SEED,
            &t::HCPCS_MOD_PILOTS,
            &t::HCPCS_MOD_SLOTS,
        )
        .map(|i| modifier_entry(i as usize))
    }

    /// Every modifier, in modifier order.
    ///
    /// ```
    /// if let Ok(release) = medcode::hcpcs::bundled() {
    ///     println!("{} modifiers", release.modifiers().len());
    /// }
    /// ```
    pub fn modifiers(
        self,
    ) -> impl DoubleEndedIterator<Item = ModifierEntry<'static>> + ExactSizeIterator {
        (0..t::HCPCS_MODIFIERS.len()).map(modifier_entry)
    }
}

impl Hcpcs {
    /// What the bundled release says about this code: `Err(NotBundled)` when
    /// the build has no HCPCS release, `Ok(None)` when the release does not
    /// have the code.
    ///
    /// ```
    /// use medcode::{Hcpcs, hcpcs::NotBundled};
    /// let code: Hcpcs = "E0114".parse().unwrap();
    /// match code.info() {
    ///     Err(NotBundled) => assert!(!medcode::hcpcs::is_bundled()),
    ///     Ok(Some(entry)) => assert_eq!(entry.code(), code),
    ///     Ok(None) => {} // not in the bundled release
    /// }
    /// ```
    pub fn info(self) -> Result<Option<HcpcsEntry<'static>>, NotBundled> {
        bundled().map(|r| r.get(self))
    }

    /// True if the bundled release has the code and it is valid on `date`;
    /// `Err(NotBundled)` when the build has no HCPCS release.
    ///
    /// ```
    /// use medcode::{Date, Hcpcs};
    /// let code: Hcpcs = "E0114".parse().unwrap();
    /// let answer = code.valid_on(Date::new(2026, 1, 1).unwrap());
    /// assert_eq!(answer.is_err(), !medcode::hcpcs::is_bundled());
    /// ```
    pub fn valid_on(self, date: Date) -> Result<bool, NotBundled> {
        self.info().map(|e| e.is_some_and(|e| e.valid_on(date)))
    }
}

impl Modifier {
    /// What the bundled HCPCS release says about this modifier (its Level II
    /// titles): `Err(NotBundled)` when the build has no HCPCS release.
    ///
    /// ```
    /// use medcode::Modifier;
    /// let lt: Modifier = "LT".parse().unwrap();
    /// assert_eq!(lt.info().is_err(), !medcode::hcpcs::is_bundled());
    /// ```
    pub fn info(self) -> Result<Option<ModifierEntry<'static>>, super::NotBundled> {
        bundled().map(|r| r.modifier(self))
    }
}
