//! Typed errors for parsing code strings and dates.

use crate::system::System;
use std::fmt;
use thiserror::Error;

/// Why a string is not a syntactically valid code: what is wrong
/// ([`kind`](Self::kind)), in which code system ([`system`](Self::system)),
/// and the input ([`input`](Self::input)).
///
/// The error is `Copy` and never allocates: the input is kept inline, its
/// first [`ParseCodeError::INPUT_MAX`] bytes (a code is at most 8 characters;
/// a longer input is cut at a character boundary and shown with `…`).
///
/// ```
/// use medcode::{IcdCm, ParseCodeErrorKind};
/// use medcode::lookup::System;
/// let err = "E1!.9".parse::<IcdCm>().unwrap_err();
/// assert_eq!(err.kind(), ParseCodeErrorKind::BadCharacter { position: 2, found: '!', expected: "a letter or digit" });
/// assert_eq!(err.system(), System::Icd10Cm);
/// assert_eq!(err.input(), "E1!.9");
/// assert_eq!(err.to_string(), r#""E1!.9" is not an ICD-10-CM code: bad character '!' at position 3: expected a letter or digit"#);
/// assert_eq!(err, ParseCodeErrorKind::BadCharacter { position: 2, found: '!', expected: "a letter or digit" });
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParseCodeError {
    kind: ParseCodeErrorKind,
    system: System,
    len: u8,
    truncated: bool,
    input: [u8; ParseCodeError::INPUT_MAX],
}

impl ParseCodeError {
    /// The most bytes of the input the error keeps.
    pub const INPUT_MAX: usize = 24;

    /// An error of `kind` for `input` in `system`.
    ///
    /// ```
    /// use medcode::{ParseCodeError, ParseCodeErrorKind};
    /// use medcode::lookup::System;
    /// let e = ParseCodeError::new(ParseCodeErrorKind::Empty, System::Cpt, "");
    /// assert_eq!(e.to_string(), r#""" is not a CPT code: empty code"#);
    /// ```
    #[cold]
    pub fn new(kind: ParseCodeErrorKind, system: System, input: &str) -> ParseCodeError {
        let mut end = input.len().min(Self::INPUT_MAX);
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        let mut buf = [0u8; Self::INPUT_MAX];
        buf[..end].copy_from_slice(&input.as_bytes()[..end]);
        ParseCodeError {
            kind,
            system,
            len: end as u8,
            truncated: end < input.len(),
            input: buf,
        }
    }

    /// What is wrong.
    ///
    /// ```
    /// use medcode::{Cpt, ParseCodeErrorKind};
    /// assert_eq!(Cpt::parse("").unwrap_err().kind(), ParseCodeErrorKind::Empty);
    /// ```
    pub fn kind(&self) -> ParseCodeErrorKind {
        self.kind
    }

    /// The code system the input was parsed as.
    ///
    /// ```
    /// use medcode::{lookup::System, Hcpcs};
    /// assert_eq!(Hcpcs::parse("E11").unwrap_err().system(), System::Hcpcs);
    /// ```
    pub fn system(&self) -> System {
        self.system
    }

    /// The input as given (its first [`INPUT_MAX`](Self::INPUT_MAX) bytes;
    /// see [`input_truncated`](Self::input_truncated)).
    ///
    /// ```
    /// use medcode::IcdPcs;
    /// assert_eq!(IcdPcs::parse(" 0SRD0J ").unwrap_err().input(), " 0SRD0J ");
    /// ```
    pub fn input(&self) -> &str {
        // Cut at a character boundary of a `&str` in `new`.
        std::str::from_utf8(&self.input[..usize::from(self.len)]).unwrap_or("")
    }

    /// True if the input was longer than [`INPUT_MAX`](Self::INPUT_MAX)
    /// bytes and [`input`](Self::input) holds its start.
    ///
    /// ```
    /// use medcode::IcdCm;
    /// let long = "E".repeat(100);
    /// assert!(long.parse::<IcdCm>().unwrap_err().input_truncated());
    /// ```
    pub fn input_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Debug for ParseCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParseCodeError")
            .field("kind", &self.kind)
            .field("system", &self.system)
            .field("input", &self.input())
            .field("truncated", &self.truncated)
            .finish()
    }
}

impl fmt::Display for ParseCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.system.display_name();
        let article = match self.system {
            System::Icd10Cm | System::Icd10Pcs | System::Hcpcs => "an",
            System::Cpt | System::Modifier => "a",
        };
        let more = if self.truncated { "…" } else { "" };
        write!(
            f,
            "{:?}{more} is not {article} {name} code: {}",
            self.input(),
            self.kind
        )
    }
}

impl std::error::Error for ParseCodeError {}

impl PartialEq<ParseCodeErrorKind> for ParseCodeError {
    fn eq(&self, other: &ParseCodeErrorKind) -> bool {
        self.kind == *other
    }
}

impl From<ParseCodeError> for ParseCodeErrorKind {
    fn from(e: ParseCodeError) -> ParseCodeErrorKind {
        e.kind
    }
}

/// What is wrong with a code string: the kind of a [`ParseCodeError`].
///
/// Positions are 0-based character offsets into the input *after* leading and
/// trailing whitespace has been trimmed, so they point at what the user typed;
/// the messages count them from 1, as people do ("at position 3" is the third
/// character, `position: 2`).
///
/// ```
/// use medcode::{IcdCm, ParseCodeErrorKind};
/// let err = "E1!.9".parse::<IcdCm>().unwrap_err();
/// assert_eq!(err.kind(), ParseCodeErrorKind::BadCharacter { position: 2, found: '!', expected: "a letter or digit" });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum ParseCodeErrorKind {
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
    #[error("bad character {found:?} at position {}: expected {expected}", .position + 1)]
    BadCharacter {
        /// 0-based position in the trimmed input (the message says `position + 1`).
        position: usize,
        /// The offending character.
        found: char,
        /// What the position accepts, in words.
        expected: &'static str,
    },
    /// A dot somewhere other than where the system puts it.
    #[error("misplaced dot at position {}: {expected}", .position + 1)]
    MisplacedDot {
        /// 0-based position in the trimmed input (the message says `position + 1`).
        position: usize,
        /// Where a dot may appear, in words.
        expected: &'static str,
    },
}

/// Why a string is not a date `YYYY-MM-DD`.
///
/// ```
/// use medcode::{Date, ParseDateError};
/// assert_eq!("2026-02-30".parse::<Date>(), Err(ParseDateError::OutOfRange { year: 2026, month: 2, day: 30 }));
/// ```
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
