//! Releases: which code sets are bundled and from when each applies.

use crate::date::Date;
use std::fmt;

/// A code-set release bundled in this build: the date it took effect.
///
/// CMS publishes a new ICD-10 release every 1 October (the federal fiscal
/// year) and sometimes an update on 1 January or 1 April. The bundled releases
/// are the dates on which the MCE master's validity windows change.
///
/// ```
/// use medcode::{icd10cm, Date, ReleaseKind};
/// let r = icd10cm::release_on(Date::new(2025, 12, 1).unwrap()).unwrap().release;
/// assert_eq!(r.effective.to_string(), "2025-10-01");
/// assert_eq!(r.fiscal_year, 2026);
/// assert_eq!(r.kind, ReleaseKind::Annual);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Release {
    /// The first day the release applies.
    pub effective: Date,
    /// The federal fiscal year it belongs to (FY2026 runs 2025-10-01 to 2026-09-30).
    pub fiscal_year: u32,
    /// Annual (1 October) or a mid-year update.
    pub kind: ReleaseKind,
}

/// Whether a release is the annual one or a mid-year update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseKind {
    /// The 1 October release that starts a fiscal year.
    Annual,
    /// A 1 January, 1 April or other mid-year update.
    Update,
    /// A quarterly release (HCPCS Level II: CMS publishes one each January,
    /// April, July and October).
    Quarterly,
}

impl Release {
    pub(crate) fn from_yyyymmdd(v: u32) -> Release {
        let effective = Date::from_checked(v);
        let fiscal_year = if effective.month() >= 10 {
            effective.year() + 1
        } else {
            effective.year()
        };
        let kind = if effective.month() == 10 && effective.day() == 1 {
            ReleaseKind::Annual
        } else {
            ReleaseKind::Update
        };
        Release {
            effective,
            fiscal_year,
            kind,
        }
    }
}

impl Release {
    /// A quarterly release starting on `v` (`yyyymmdd`, checked).
    pub(crate) fn quarterly(v: u32) -> Release {
        Release {
            kind: ReleaseKind::Quarterly,
            ..Release::from_yyyymmdd(v)
        }
    }
}

/// The one quarterly release `effective`..=`horizon` answering for `date`:
/// as of the horizon for later dates, and for earlier dates as the release
/// (whose add and termination dates carry the history) says.
pub(crate) fn quarterly_on(effective: u32, horizon: u32, date: Date) -> DatedRelease {
    let beyond_horizon = horizon != 0 && date.yyyymmdd() > horizon;
    DatedRelease {
        release: Release::quarterly(effective),
        as_of: if beyond_horizon {
            Date::from_checked(horizon)
        } else {
            date
        },
        beyond_horizon,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ReleaseKind::Quarterly => write!(
                f,
                "{} {} quarter ({})",
                MONTHS[self.effective.month().clamp(1, 12) as usize - 1],
                self.effective.year(),
                self.effective
            ),
            ReleaseKind::Annual => write!(f, "FY{} ({})", self.fiscal_year, self.effective),
            ReleaseKind::Update => write!(f, "FY{} update of {}", self.fiscal_year, self.effective),
        }
    }
}

/// The release that answers for a date, and whether the date lies beyond the
/// bundled data's horizon (then the newest release answers, as of the horizon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DatedRelease {
    /// The release in effect.
    pub release: Release,
    /// The date questions are answered for: the asked date, or the horizon
    /// when the asked date is later.
    pub as_of: Date,
    /// True when the asked date is after the horizon of the bundled tables, so
    /// later releases (not bundled) may differ.
    pub beyond_horizon: bool,
}

/// Shared by the code systems: the release for `date` given the release dates
/// and the horizon, or `None` before the first release.
pub(crate) fn release_on(releases: &[u32], horizon: u32, date: Date) -> Option<DatedRelease> {
    let beyond_horizon = date.yyyymmdd() > horizon;
    let as_of = if beyond_horizon {
        Date::from_checked(horizon)
    } else {
        date
    };
    let i = releases.partition_point(|&r| r <= as_of.yyyymmdd());
    let effective = *releases.get(i.checked_sub(1)?)?;
    Some(DatedRelease {
        release: Release::from_yyyymmdd(effective),
        as_of,
        beyond_horizon,
    })
}
