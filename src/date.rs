//! A calendar date, the key of every dated answer.

use crate::error::ParseDateError;
use std::fmt;
use std::str::FromStr;

/// A proleptic Gregorian calendar date between years 1 and 9999.
///
/// Code sets change on fixed dates (every 1 October, and some on 1 January or
/// 1 April), so every membership question takes a `Date`. Internally the date
/// is the integer `yyyymmdd`, which orders like the date itself.
///
/// ```
/// use medcode::Date;
/// let d: Date = "2025-10-01".parse().unwrap();
/// assert_eq!(d, Date::new(2025, 10, 1).unwrap());
/// assert_eq!(d.to_string(), "2025-10-01");
/// assert_eq!(d.yyyymmdd(), 20251001);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(u32);

use medcode_base::calendar::days_in_month;

impl Date {
    /// The date `year-month-day`, or an error if no such date exists.
    ///
    /// ```
    /// use medcode::Date;
    /// assert!(Date::new(2024, 2, 29).is_ok());
    /// assert!(Date::new(2025, 2, 29).is_err());
    /// ```
    pub fn new(year: u32, month: u32, day: u32) -> Result<Date, ParseDateError> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(ParseDateError::OutOfRange { year, month, day });
        }
        Ok(Date(year * 10_000 + month * 100 + day))
    }

    /// The date from the integer `yyyymmdd` (as CMS files write dates).
    ///
    /// ```
    /// use medcode::Date;
    /// assert_eq!(Date::from_yyyymmdd(20270331).unwrap().to_string(), "2027-03-31");
    /// assert!(Date::from_yyyymmdd(20271341).is_err());
    /// ```
    pub fn from_yyyymmdd(value: u32) -> Result<Date, ParseDateError> {
        Date::new(value / 10_000, value / 100 % 100, value % 100)
    }

    /// Used by the generated tables, whose dates were checked when they were built.
    pub(crate) const fn from_checked(value: u32) -> Date {
        Date(value)
    }

    /// The date as the integer `yyyymmdd`.
    pub const fn yyyymmdd(self) -> u32 {
        self.0
    }

    /// The date as a 16-bit number that orders like the date: months since
    /// 2000-01 times 32 plus the day, saturating outside 2000–2170. The
    /// validity spans in the code tables use it (`medcode_base::gen::compact`, used by the data crates' build scripts, is its twin).
    #[inline]
    pub(crate) const fn compact(self) -> u16 {
        let (y, m, d) = (self.year(), self.month(), self.day());
        if y < 2000 {
            0
        } else if y > 2170 {
            u16::MAX - 1
        } else {
            (((y - 2000) * 12 + (m - 1)) * 32 + d) as u16
        }
    }

    /// The year.
    pub const fn year(self) -> u32 {
        self.0 / 10_000
    }

    /// The month, 1–12.
    pub const fn month(self) -> u32 {
        self.0 / 100 % 100
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u32 {
        self.0 % 100
    }

    /// Days since 1970-01-01 (negative before).
    ///
    /// ```
    /// use medcode::Date;
    /// assert_eq!(Date::new(1970, 1, 2).unwrap().days_since_epoch(), 1);
    /// ```
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (self.year() as i64, self.month() as i64, self.day() as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, if it falls in years 1–9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        if !(1..=9999).contains(&y) {
            return None;
        }
        Date::new(y as u32, m as u32, d as u32).ok()
    }

    /// The day after this one (saturating at 9999-12-31).
    pub fn succ(self) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + 1).unwrap_or(self)
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days_since_epoch(secs.div_euclid(86_400)).unwrap_or(Date(19700101))
    }

    /// Whole years from `birth` to `self` (age on this date), or `None` if `birth` is later.
    ///
    /// ```
    /// use medcode::Date;
    /// let born = Date::new(2000, 3, 1).unwrap();
    /// assert_eq!(Date::new(2025, 2, 28).unwrap().years_since(born), Some(24));
    /// assert_eq!(Date::new(2025, 3, 1).unwrap().years_since(born), Some(25));
    /// ```
    pub fn years_since(self, birth: Date) -> Option<u32> {
        if birth > self {
            return None;
        }
        let mut years = self.year() - birth.year();
        if (self.month(), self.day()) < (birth.month(), birth.day()) {
            years -= 1;
        }
        Some(years)
    }
}

impl Date {
    /// The date as its ten ASCII bytes `YYYY-MM-DD`.
    ///
    /// Messages name dates often; writing the bytes at once is several
    /// times cheaper than three padded integer formats (`{:04}-{:02}-{:02}`).
    fn iso_bytes(self) -> [u8; 10] {
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (y, m, d) = (self.year(), self.month(), self.day());
        [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ]
    }

    /// Appends `YYYY-MM-DD` to `out` (what `Display` writes, without the
    /// formatting machinery: messages name dates often).
    pub(crate) fn push_to(self, out: &mut String) {
        crate::text::push_ascii(out, &self.iso_bytes());
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.iso_bytes();
        // Ten ASCII digits and dashes (the year is 1–9999 by construction).
        let text = std::str::from_utf8(&bytes).map_err(|_| fmt::Error)?;
        // `pad` keeps width and alignment flags working (`{:>12}`).
        f.pad(text)
    }
}

impl FromStr for Date {
    type Err = ParseDateError;

    /// Accepts `YYYY-MM-DD` and `YYYYMMDD`, with surrounding whitespace.
    fn from_str(s: &str) -> Result<Date, ParseDateError> {
        // The fast path: exactly `YYYY-MM-DD`, all digits. `YYYY-MM-` is
        // tested and combined as one 64-bit word with its dashes made '0'
        // (claims carry two or three dates each), `DD` byte by byte.
        let b = s.as_bytes();
        if let (Some(&[d0, d1]), Ok(a)) = (b.get(8..), <[u8; 8]>::try_from(&b[..b.len().min(8)])) {
            const DASHES: u64 = 0xFF00_00FF_0000_0000;
            const DASHES_TO_ZEROS: u64 = 0x3000_0030_0000_0000 ^ 0x2D00_002D_0000_0000;
            let w = u64::from_le_bytes(a);
            // A byte is a digit (0x30–0x39) when its high nibble is 3,
            // before and after adding 6 (no byte carries into the next).
            const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
            const ZEROS: u64 = 0x3030_3030_3030_3030;
            let w = w ^ DASHES_TO_ZEROS;
            if w & DASHES == 0x3000_0030_0000_0000
                && w & HIGH == ZEROS
                && w.wrapping_add(0x0606_0606_0606_0606) & HIGH == ZEROS
                && d0.is_ascii_digit()
                && d1.is_ascii_digit()
            {
                let v = w & 0x0F0F_0F0F_0F0F_0F0F;
                // Byte k now holds 10 × digit k + digit k+1 (each at most
                // 99, so no carries): YY YY at bytes 0 and 2, MM at byte 5.
                let pairs = v * 10 + (v >> 8);
                let byte = |k: u32| (pairs >> (8 * k)) as u32 & 0xFF;
                let day = u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0');
                return Date::new(byte(0) * 100 + byte(2), byte(5), day);
            }
        }
        parse_general(s)
    }
}

/// Both forms, with surrounding whitespace (the path for everything the
/// fast path does not take).
fn parse_general(s: &str) -> Result<Date, ParseDateError> {
    let s = crate::text::trim(s).as_bytes();
    let digits = |b: &[u8]| -> Result<u32, ParseDateError> {
        b.iter().try_fold(0u32, |acc, &c| {
            if c.is_ascii_digit() {
                Ok(acc * 10 + u32::from(c - b'0'))
            } else {
                Err(ParseDateError::Format)
            }
        })
    };
    let (y, m, d) = match s.len() {
        10 if s[4] == b'-' && s[7] == b'-' => (&s[0..4], &s[5..7], &s[8..10]),
        8 => (&s[0..4], &s[4..6], &s[6..8]),
        _ => return Err(ParseDateError::Format),
    };
    Date::new(digits(y)?, digits(m)?, digits(d)?)
}

impl TryFrom<&str> for Date {
    type Error = ParseDateError;
    fn try_from(s: &str) -> Result<Date, ParseDateError> {
        s.parse()
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path answers exactly as the general parser.
        #[test]
        fn fast_path_agrees(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9 -]{8,11}|.{0,12}") {
            proptest::prop_assert_eq!(s.parse::<Date>(), parse_general(&s));
        }
    }

    proptest::proptest! {
        /// The byte-wise Display gives what zero-padded integer formatting gives.
        #[test]
        fn display_is_zero_padded_iso(y in 1u32..=9999, m in 1u32..=12, d in 1u32..=28) {
            let date = Date::new(y, m, d).unwrap();
            proptest::prop_assert_eq!(date.to_string(), format!("{y:04}-{m:02}-{d:02}"));
            let mut pushed = String::from("x");
            date.push_to(&mut pushed);
            proptest::prop_assert_eq!(pushed, format!("x{y:04}-{m:02}-{d:02}"));
        }
    }

    #[test]
    fn parses_both_forms() {
        assert_eq!("2024-02-29".parse::<Date>().unwrap().yyyymmdd(), 20240229);
        assert_eq!("20240229".parse::<Date>().unwrap().yyyymmdd(), 20240229);
        assert_eq!("2024-2-29".parse::<Date>(), Err(ParseDateError::Format));
        assert!(matches!(
            "2023-02-29".parse::<Date>(),
            Err(ParseDateError::OutOfRange { .. })
        ));
        assert_eq!(
            "２０２４-02-29".parse::<Date>(),
            Err(ParseDateError::Format)
        );
    }

    /// The word-at-a-time fast path answers as the byte-by-byte parser:
    /// every month and day around the valid ranges, years at the ends, and
    /// each digit position replaced by the bytes next to '0' and '9'.
    #[test]
    fn fast_path_answers_as_the_general_parser() {
        let mut texts = Vec::new();
        for y in [0, 1, 999, 1999, 2000, 2024, 2100, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    texts.push(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        for at in [0, 1, 2, 3, 5, 6, 8, 9] {
            for b in [b'/', b':', b' ', 0x0F, 0x39 + 6, 0xFA] {
                let mut t = b"2024-02-29".to_vec();
                t[at] = b;
                if let Ok(t) = String::from_utf8(t) {
                    texts.push(t);
                }
            }
        }
        for t in &texts {
            assert_eq!(t.parse::<Date>(), parse_general(t), "{t}");
        }
    }

    #[test]
    fn epoch_round_trip() {
        for days in [-719_162, -1, 0, 1, 19_000, 2_932_896] {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
        assert_eq!(
            Date::new(2026, 11, 27).unwrap().succ().to_string(),
            "2026-11-28"
        );
        assert_eq!(
            Date::new(2024, 12, 31).unwrap().succ().to_string(),
            "2025-01-01"
        );
    }
}
