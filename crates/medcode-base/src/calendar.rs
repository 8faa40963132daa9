//! Calendar arithmetic on `yyyymmdd` numbers, the form every table writes
//! dates in: one definition for the library's `Date`, the HCPCS file
//! reader, the data crates' build scripts and the refresh tool.

/// The days of `month` (1–12) in `year`, Gregorian; 0 for any other month.
///
/// ```
/// use medcode_base::calendar::days_in_month;
/// assert_eq!(days_in_month(2024, 2), 29);
/// assert_eq!(days_in_month(1900, 2), 28);
/// assert_eq!(days_in_month(2000, 2), 29);
/// assert_eq!(days_in_month(2025, 13), 0);
/// ```
pub const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// True if `v` (`yyyymmdd`) is a real date in years 1–9999.
///
/// ```
/// use medcode_base::calendar::is_calendar_date;
/// assert!(is_calendar_date(20240229));
/// assert!(!is_calendar_date(20230229));
/// assert!(!is_calendar_date(20231301));
/// assert!(!is_calendar_date(0));
/// ```
pub const fn is_calendar_date(v: u32) -> bool {
    let (y, m, d) = (v / 10_000, v / 100 % 100, v % 100);
    y >= 1 && y <= 9999 && d >= 1 && d <= days_in_month(y, m)
}

/// The day after `v` (`yyyymmdd`), or `None` when `v` is no date.
///
/// ```
/// use medcode_base::calendar::next_day;
/// assert_eq!(next_day(20240228), Some(20240229));
/// assert_eq!(next_day(20241231), Some(20250101));
/// assert_eq!(next_day(20240230), None);
/// ```
pub const fn next_day(v: u32) -> Option<u32> {
    if !is_calendar_date(v) {
        return None;
    }
    let (y, m, d) = (v / 10_000, v / 100 % 100, v % 100);
    Some(if d < days_in_month(y, m) {
        v + 1
    } else if m < 12 {
        y * 10_000 + (m + 1) * 100 + 1
    } else {
        (y + 1) * 10_000 + 101
    })
}
