//! Typed errors for parsing code strings and dates.

use thiserror::Error;

/// Why a string is not a syntactically valid code.
///
/// Positions are 0-based character offsets into the input *after* leading and
/// trailing whitespace has been trimmed, so they point at what the user typed.
///
/// ```
/// use medcode::{IcdCm, ParseCodeError};
/// let err = "E1!.9".parse::<IcdCm>().unwrap_err();
/// assert_eq!(err, ParseCodeError::BadCharacter { position: 2, found: '!', expected: "a letter or digit" });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum ParseCodeError {
    /// The input was empty or only whitespace.
    #[error("empty code")]
    Empty,
    /// The input has more characters than the code system allows.
    #[error("code too long: {len} characters, at most {max} allowed")]
    TooLong {
        /// Characters found (dots not counted).
        len: usize,
        /// The most the system allows.
        max: usize,
    },
    /// The input has fewer characters than the code system requires.
    #[error("code too short: {len} characters, at least {min} required")]
    TooShort {
        /// Characters found (dots not counted).
        len: usize,
        /// The least the system requires.
        min: usize,
    },
    /// A character that is not allowed at its position.
    #[error("bad character {found:?} at position {position}: expected {expected}")]
    BadCharacter {
        /// 0-based position in the trimmed input.
        position: usize,
        /// The offending character.
        found: char,
        /// What the position accepts, in words.
        expected: &'static str,
    },
    /// A dot somewhere other than where the system puts it.
    #[error("misplaced dot at position {position}: {expected}")]
    MisplacedDot {
        /// 0-based position in the trimmed input.
        position: usize,
        /// Where a dot may appear, in words.
        expected: &'static str,
    },
}

/// Why a string is not a date `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum ParseDateError {
    /// Not of the shape `YYYY-MM-DD` (or `YYYYMMDD`).
    #[error("expected a date as YYYY-MM-DD")]
    Format,
    /// The year, month or day is out of range (e.g. month 13, 31 April).
    #[error("no such date: {year:04}-{month:02}-{day:02}")]
    OutOfRange {
        /// Year as written.
        year: u32,
        /// Month as written.
        month: u32,
        /// Day as written.
        day: u32,
    },
}
