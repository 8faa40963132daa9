//! Conversions between [`Date`] and the calendar types of `chrono` (feature
//! `chrono`) and `time` (feature `time`).
//!
//! A `Date` always fits the other crates' types (years 1–9999); the other
//! way, a date outside 0001-01-01..=9999-12-31 is a
//! [`ParseDateError::OutOfRange`].

#[cfg(any(feature = "chrono", feature = "time"))]
use crate::{Date, ParseDateError};

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    /// ```
    /// use medcode::Date;
    /// let d = Date::new(2025, 10, 1).unwrap();
    /// let n: chrono::NaiveDate = d.into();
    /// assert_eq!(n, chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap());
    /// ```
    impl From<Date> for NaiveDate {
        fn from(d: Date) -> NaiveDate {
            NaiveDate::from_ymd_opt(d.year() as i32, d.month(), d.day())
                .expect("every medcode Date is a chrono date")
        }
    }

    /// ```
    /// use medcode::Date;
    /// let n = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    /// assert_eq!(Date::try_from(n).unwrap().to_string(), "2024-02-29");
    /// assert!(Date::try_from(chrono::NaiveDate::from_ymd_opt(-5, 1, 1).unwrap()).is_err());
    /// ```
    impl TryFrom<NaiveDate> for Date {
        type Error = ParseDateError;
        fn try_from(n: NaiveDate) -> Result<Date, ParseDateError> {
            let year = u32::try_from(n.year()).unwrap_or(0);
            Date::new(year, n.month(), n.day())
        }
    }
}

#[cfg(feature = "time")]
mod time_impls {
    use super::*;

    /// ```
    /// use medcode::Date;
    /// let t: time::Date = Date::new(2025, 10, 1).unwrap().into();
    /// assert_eq!(t, time::Date::from_calendar_date(2025, time::Month::October, 1).unwrap());
    /// ```
    impl From<Date> for time::Date {
        fn from(d: Date) -> time::Date {
            let month = time::Month::try_from(d.month() as u8).expect("month 1-12");
            time::Date::from_calendar_date(d.year() as i32, month, d.day() as u8)
                .expect("every medcode Date is a time date")
        }
    }

    /// ```
    /// use medcode::Date;
    /// let t = time::Date::from_calendar_date(2024, time::Month::February, 29).unwrap();
    /// assert_eq!(Date::try_from(t).unwrap().to_string(), "2024-02-29");
    /// ```
    impl TryFrom<time::Date> for Date {
        type Error = ParseDateError;
        fn try_from(t: time::Date) -> Result<Date, ParseDateError> {
            let year = u32::try_from(t.year()).unwrap_or(0);
            Date::new(year, u32::from(u8::from(t.month())), u32::from(t.day()))
        }
    }
}
