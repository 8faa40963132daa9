//! The HCPCS release compiled in at build time: CMS's October 2025
//! quarterly release from the `medcode-hcpcs-data` crate, or the file `MEDCODE_HCPCS_FILE`
//! named while building.

use super::{Hcpcs, HcpcsEntry, ModifierEntry};
use crate::date::Date;
use crate::modifier::Modifier;
use crate::phash;
use crate::release::{DatedRelease, Release};
use crate::tables as t;
use medcode_base::hcpcs_file::{CodeRow, ModifierRow};

/// The release compiled into this build.
///
/// By default CMS's October 2025 quarterly release (8,463 codes, 383
/// modifiers, from `HCPC2025_OCT_ANWEB.xlsx`); a build with the environment
/// variable `MEDCODE_HCPCS_FILE` set compiles that CMS file in instead.
///
/// ```
/// let release = medcode::hcpcs::bundled();
/// println!("{} codes from {}", release.len(), release.source_file());
/// ```
pub fn bundled() -> BundledRelease {
    BundledRelease { _private: () }
}

/// The last day the bundled release speaks for: the last day of its quarter
/// (2025-12-31 for the October 2025 release). Later dates answer as of it.
///
/// ```
/// assert_eq!(medcode::hcpcs::horizon(), medcode::hcpcs::bundled().horizon());
/// ```
pub fn horizon() -> Date {
    bundled().horizon()
}

/// The bundled release answering for `date`: `as_of` is the horizon and
/// `beyond_horizon` is set when `date` is later.
///
/// ```
/// use medcode::{hcpcs, Date};
/// let late = hcpcs::release_on(Date::new(2030, 1, 1).unwrap());
/// assert!(late.beyond_horizon);
/// assert_eq!(late.as_of, hcpcs::horizon());
/// ```
pub fn release_on(date: Date) -> DatedRelease {
    bundled().release_on(date)
}

/// The HCPCS release compiled in at build time: the same lookups as
/// [`HcpcsRelease`](super::HcpcsRelease), through a perfect-hash table, with
/// `'static` entries. Obtained from [`bundled`].
///
/// ```
/// for entry in medcode::hcpcs::bundled().iter().take(3) {
///     println!("{} {}", entry.code(), entry.title().unwrap_or(""));
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BundledRelease {
    _private: (),
}

fn code_entry(i: usize) -> HcpcsEntry<'static> {
    HcpcsEntry::new(
        t::HCPCS_TEXT,
        &CodeRow::from_tuple(&t::HCPCS_CODES[i]),
        t::HCPCS_HORIZON,
    )
}

fn modifier_entry(i: usize) -> ModifierEntry<'static> {
    ModifierEntry::new(
        t::HCPCS_TEXT,
        &ModifierRow::from_tuple(&t::HCPCS_MODIFIERS[i]),
        t::HCPCS_HORIZON,
    )
}

impl BundledRelease {
    /// The file name (without directories) the release was built from.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// assert!(!release.source_file().contains('/'));
    /// ```
    pub fn source_file(self) -> &'static str {
        t::HCPCS_SOURCE
    }

    /// True if the release came from `MEDCODE_HCPCS_FILE` at build time, not
    /// from the `medcode-hcpcs-data` crate's `data/`.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// if !release.from_build_env() {
    ///     assert_eq!(release.source_file(), "HCPC2025_OCT_ANWEB.xlsx");
    /// }
    /// ```
    pub fn from_build_env(self) -> bool {
        t::HCPCS_FROM_ENV
    }

    /// The release: its quarter's first day, as a [`Release`] of kind
    /// [`Quarterly`](crate::ReleaseKind::Quarterly).
    ///
    /// ```
    /// let r = medcode::hcpcs::bundled().release();
    /// assert_eq!(r.kind, medcode::ReleaseKind::Quarterly);
    /// ```
    pub fn release(self) -> Release {
        Release::quarterly(t::HCPCS_EFFECTIVE)
    }

    /// The first day of the release's quarter.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// assert!(release.effective() <= release.horizon());
    /// ```
    pub fn effective(self) -> Date {
        Date::from_checked(t::HCPCS_EFFECTIVE)
    }

    /// The last day of the release's quarter: later dates answer as of it.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// if !release.from_build_env() {
    ///     assert_eq!(release.horizon().to_string(), "2025-12-31");
    /// }
    /// ```
    pub fn horizon(self) -> Date {
        Date::from_checked(t::HCPCS_HORIZON)
    }

    /// The release answering for `date`, and the date it answers as of.
    ///
    /// ```
    /// use medcode::Date;
    /// let release = medcode::hcpcs::bundled();
    /// let d = release.release_on(Date::new(2025, 11, 1).unwrap());
    /// assert_eq!(d.beyond_horizon, d.as_of < Date::new(2025, 11, 1).unwrap());
    /// ```
    pub fn release_on(self, date: Date) -> DatedRelease {
        crate::release::quarterly_on(t::HCPCS_EFFECTIVE, t::HCPCS_HORIZON, date)
    }

    /// Number of codes (modifiers not counted).
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// assert_eq!(release.len(), release.iter().count());
    /// ```
    pub fn len(self) -> usize {
        t::HCPCS_CODES.len()
    }

    /// True if the release holds no codes.
    ///
    /// ```
    /// assert!(!medcode::hcpcs::bundled().is_empty());
    /// ```
    pub fn is_empty(self) -> bool {
        t::HCPCS_CODES.is_empty()
    }

    /// The entry for a code, if the release has it: a hash and two loads.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// for entry in release.iter() {
    ///     assert_eq!(release.get(entry.code()), Some(entry));
    /// }
    /// ```
    #[inline]
    pub fn get(self, code: Hcpcs) -> Option<HcpcsEntry<'static>> {
        phash::lookup(code.key(), t::HCPCS_SEED, &t::HCPCS_PILOTS, &t::HCPCS_SLOTS)
            .map(|i| code_entry(i as usize))
    }

    /// Every code, in code order.
    ///
    /// ```
    /// let codes: Vec<_> = medcode::hcpcs::bundled().iter().map(|e| e.code()).collect();
    /// assert!(codes.windows(2).all(|w| w[0] < w[1]));
    /// ```
    pub fn iter(self) -> impl DoubleEndedIterator<Item = HcpcsEntry<'static>> + ExactSizeIterator {
        (0..t::HCPCS_CODES.len()).map(code_entry)
    }

    /// The codes valid on `date` (as of the horizon for later dates), in
    /// code order.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// let today = medcode::Date::today();
    /// assert!(release.valid_on(today).all(|e| e.valid_on(today)));
    /// ```
    pub fn valid_on(self, date: Date) -> impl Iterator<Item = HcpcsEntry<'static>> {
        self.iter().filter(move |e| e.valid_on(date))
    }

    /// The entry for a modifier, if the release has it.
    ///
    /// ```
    /// let release = medcode::hcpcs::bundled();
    /// for m in release.modifiers() {
    ///     assert_eq!(release.modifier(m.modifier()), Some(m));
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
    /// println!("{} modifiers", medcode::hcpcs::bundled().modifiers().len());
    /// ```
    pub fn modifiers(
        self,
    ) -> impl DoubleEndedIterator<Item = ModifierEntry<'static>> + ExactSizeIterator {
        (0..t::HCPCS_MODIFIERS.len()).map(modifier_entry)
    }
}

impl Hcpcs {
    /// What the bundled release says about this code, or `None` if it does
    /// not have the code. A hash and two loads, no allocation.
    ///
    /// ```
    /// use medcode::Hcpcs;
    /// let code: Hcpcs = "E1130".parse().unwrap();
    /// let entry = code.info().expect("in the bundled release");
    /// if !medcode::hcpcs::bundled().from_build_env() {
    ///     assert_eq!(
    ///         entry.title(),
    ///         Some("Standard wheelchair, fixed full length arms, fixed or swing away detachable footrests")
    ///     );
    /// }
    /// ```
    #[inline]
    pub fn info(self) -> Option<HcpcsEntry<'static>> {
        bundled().get(self)
    }

    /// True if the bundled release has the code and it is valid on `date`
    /// (added on or before it, not terminated before it); dates after the
    /// release's horizon answer as of the horizon.
    ///
    /// ```
    /// use medcode::{Date, Hcpcs};
    /// let code: Hcpcs = "E1130".parse().unwrap();
    /// assert_eq!(code.valid_on(Date::new(2025, 10, 1).unwrap()), code.info().is_some());
    /// ```
    #[inline]
    pub fn valid_on(self, date: Date) -> bool {
        self.info().is_some_and(|e| e.valid_on(date))
    }
}

impl Modifier {
    /// What the bundled HCPCS release says about this modifier (its Level II
    /// titles and dates), `None` if it does not have it (CPT's numeric
    /// modifiers are not in it).
    ///
    /// ```
    /// use medcode::Modifier;
    /// let lt: Modifier = "LT".parse().unwrap();
    /// assert!(lt.info().is_some());
    /// assert!("25".parse::<Modifier>().unwrap().info().is_none());
    /// ```
    pub fn info(self) -> Option<ModifierEntry<'static>> {
        bundled().modifier(self)
    }
}

#[cfg(all(test, not(feature = "hcpcs-titles")))]
mod no_titles {
    /// Without `hcpcs-titles`, the bundled release has no titles; validity,
    /// dates and the other fields stay.
    #[test]
    fn no_titles_without_the_feature() {
        let release = super::bundled();
        let e = release.get("E1130".parse().unwrap()).unwrap();
        assert_eq!((e.title(), e.short_title()), (None, None));
        assert!(e.valid_on(crate::Date::new(2025, 11, 1).unwrap()));
        assert!(release.iter().any(|e| e.betos().is_some()));
        let lt = release.modifier("LT".parse().unwrap()).unwrap();
        assert_eq!((lt.title(), lt.short_title()), (None, None));
    }
}
