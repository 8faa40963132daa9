//! The `IcdPcs` code value: syntax only, no table access.

use crate::codebuf::{sixbit, CodeBuf};
use crate::error::{ParseCodeError, ParseCodeErrorKind};
use crate::system::System;
use std::num::NonZeroU64;

/// An ICD-10-PCS procedure code whose *syntax* is right: exactly seven
/// characters, each a digit or a letter other than I and O (any case on
/// input, surrounding whitespace ignored).
///
/// Like [`IcdCm`](crate::IcdCm): 8 bytes, `Copy`, ordered like the codes,
/// displayed and serialised as the seven characters. Parsing says nothing
/// about whether the code exists: ask [`IcdPcs::info`] or [`IcdPcs::valid_on`].
///
/// ```
/// use medcode::{IcdPcs, ParseCodeErrorKind};
/// let code: IcdPcs = "0srd0jz".parse().unwrap();
/// assert_eq!(code.to_string(), "0SRD0JZ");
/// assert_eq!(
///     "0SRD0IZ".parse::<IcdPcs>().map_err(|e| e.kind()),
///     Err(ParseCodeErrorKind::BadCharacter { position: 5, found: 'I', expected: "a digit or a letter other than I and O" })
/// );
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IcdPcs(NonZeroU64);

const _: () = assert!(std::mem::size_of::<Option<IcdPcs>>() == 8);

const EXPECTED: &str = "a digit or a letter other than I and O";

/// Six-bit symbol of each byte (either case), `BAD` for anything a PCS code cannot hold.
const BAD: u8 = 0x80;
static SYMBOLS: [u8; 256] = {
    let mut t = [BAD; 256];
    let mut b = 0;
    while b < 256 {
        let upper = (b as u8).to_ascii_uppercase();
        if (upper.is_ascii_digit() || upper.is_ascii_uppercase()) && upper != b'I' && upper != b'O'
        {
            t[b] = sixbit::encode(upper) as u8;
        }
        b += 1;
    }
    t
};

/// Set in a [`PLACED`] entry for a byte a code cannot hold (above any key's
/// 42 bits).
const PLACED_BAD: u64 = 1 << 63;

/// For each place of a code (0–6) and each byte, [`SYMBOLS`]' symbol shifted
/// to that place of the key, or `PLACED_BAD`: the fast path's table.
static PLACED: [[u64; 256]; IcdPcs::LEN] = {
    let mut t = [[PLACED_BAD; 256]; IcdPcs::LEN];
    let mut place = 0;
    while place < IcdPcs::LEN {
        let mut b = 0;
        while b < 256 {
            if SYMBOLS[b] & BAD == 0 {
                t[place][b] = (SYMBOLS[b] as u64) << (6 * (IcdPcs::LEN - 1 - place));
            }
            b += 1;
        }
        place += 1;
    }
    t
};

impl IcdPcs {
    /// Characters in every code.
    pub const LEN: usize = 7;

    /// Parses a code (the same as `str::parse`).
    ///
    /// ```
    /// use medcode::{IcdPcs, ParseCodeErrorKind};
    /// assert_eq!(IcdPcs::parse("0SRD0J").map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooShort { len: 6, min: 7 }));
    /// assert_eq!(IcdPcs::parse("").map_err(|e| e.kind()), Err(ParseCodeErrorKind::Empty));
    /// ```
    #[inline]
    pub fn parse(input: &str) -> Result<IcdPcs, ParseCodeError> {
        Self::parse_kind(input).map_err(|kind| ParseCodeError::new(kind, System::Icd10Pcs, input))
    }

    /// [`parse`](Self::parse) with the error's kind alone: no copy of the
    /// input, for the crate's own hot paths.
    #[inline]
    pub(crate) fn parse_kind(input: &str) -> Result<IcdPcs, ParseCodeErrorKind> {
        if let [b0, b1, b2, b3, b4, b5, b6] = *input.as_bytes() {
            // One load a character gives its symbol already in its place of
            // the key (or `PLACED_BAD`): the loads are independent, not a
            // chain of shifts.
            let key = (PLACED[0][usize::from(b0)] | PLACED[1][usize::from(b1)])
                | (PLACED[2][usize::from(b2)] | PLACED[3][usize::from(b3)])
                | ((PLACED[4][usize::from(b4)] | PLACED[5][usize::from(b5)])
                    | PLACED[6][usize::from(b6)]);
            if key & PLACED_BAD == 0 {
                return Ok(IcdPcs::from_key_unchecked(key));
            }
        }
        Self::parse_slow(input)
    }

    // Out of line, as `IcdCm::parse_slow` (there, inlined, it crowded
    // `valid_many`'s block loop).
    #[cold]
    #[inline(never)]
    fn parse_slow(input: &str) -> Result<IcdPcs, ParseCodeErrorKind> {
        let s = crate::text::trim(input);
        if s.is_empty() {
            return Err(ParseCodeErrorKind::Empty);
        }
        let mut key = 0u64;
        for (pos, &c) in s.as_bytes().iter().enumerate() {
            // All bytes before `pos` are ASCII, so `pos` is also the character position.
            let sym = SYMBOLS[c as usize];
            if sym & BAD != 0 {
                return Err(ParseCodeErrorKind::BadCharacter {
                    position: pos,
                    found: s[pos..].chars().next().unwrap_or('\u{fffd}'),
                    expected: EXPECTED,
                });
            }
            if pos == Self::LEN {
                return Err(ParseCodeErrorKind::TooLong {
                    len: s.chars().count(),
                    max: Self::LEN,
                });
            }
            key = (key << 6) | u64::from(sym);
        }
        if s.len() < Self::LEN {
            return Err(ParseCodeErrorKind::TooShort {
                len: s.len(),
                min: Self::LEN,
            });
        }
        Ok(IcdPcs::from_key_unchecked(key))
    }

    pub(crate) const fn from_key_unchecked(key: u64) -> IcdPcs {
        match NonZeroU64::new(key) {
            Some(k) => IcdPcs(k),
            // Seven symbols are never all zero.
            None => IcdPcs(NonZeroU64::MIN),
        }
    }

    pub(crate) const fn key(self) -> u64 {
        self.0.get()
    }

    /// The character at `pos` (0-based, 0..7).
    ///
    /// ```
    /// let code: medcode::IcdPcs = "0SRD0JZ".parse().unwrap();
    /// assert_eq!(code.char_at(0), Some('0'));
    /// assert_eq!(code.char_at(6), Some('Z'));
    /// assert_eq!(code.char_at(7), None);
    /// ```
    pub const fn char_at(self, pos: usize) -> Option<char> {
        if pos >= Self::LEN {
            return None;
        }
        Some(sixbit::decode(sixbit::symbol(self.key(), pos)) as char)
    }

    /// The code as text (`"0SRD0JZ"`), without allocating; same as `Display`.
    /// The one name every code type uses for its text.
    ///
    /// ```
    /// assert_eq!("0srd0jz".parse::<medcode::IcdPcs>().unwrap().text().as_str(), "0SRD0JZ");
    /// ```
    pub fn text(self) -> CodeBuf {
        let mut buf = CodeBuf::new();
        for pos in 0..Self::LEN {
            buf.push(sixbit::decode(sixbit::symbol(self.key(), pos)));
        }
        buf
    }

    /// The code as text: the old name of [`text`](Self::text).
    #[deprecated(
        since = "0.2.0",
        note = "use `text()`: one name for a code's text across code types"
    )]
    pub fn as_code(self) -> CodeBuf {
        self.text()
    }

    /// The first `n` characters (1..=7) as a packed prefix key (for table slices).
    pub(crate) const fn prefix_key(self, n: usize) -> u64 {
        sixbit::truncate(self.key(), n)
    }
}

crate::codebuf::code_text_traits!(IcdPcs, text, "an ICD-10-PCS code such as \"0SRD0JZ\"");

#[cfg(test)]
mod tests {
    use super::*;
    use ParseCodeErrorKind::*;

    /// Every byte value in every place: the fast path of `parse_kind`
    /// answers what the careful parser answers.
    #[test]
    fn fast_path_agrees_on_every_byte_in_every_place() {
        for text in crate::codebuf::every_byte_in_every_place(&["0SRD0JZ", "xw033e5", "B2151ZZ"]) {
            assert_eq!(
                IcdPcs::parse_kind(&text),
                IcdPcs::parse_slow(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn accepts_and_rejects() {
        assert_eq!(
            IcdPcs::parse_kind("0SRD0JZ").unwrap().to_string(),
            "0SRD0JZ"
        );
        assert_eq!(
            IcdPcs::parse_kind(" xw033e5 ").unwrap().to_string(),
            "XW033E5"
        );
        assert_eq!(
            IcdPcs::parse_kind("0SRD0J"),
            Err(TooShort { len: 6, min: 7 })
        );
        assert_eq!(
            IcdPcs::parse_kind("0SRD0JZZ"),
            Err(TooLong { len: 8, max: 7 })
        );
        assert_eq!(
            IcdPcs::parse_kind("0SR.0JZ"),
            Err(BadCharacter {
                position: 3,
                found: '.',
                expected: EXPECTED
            })
        );
        assert_eq!(
            IcdPcs::parse_kind("OSRD0JZ"),
            Err(BadCharacter {
                position: 0,
                found: 'O',
                expected: EXPECTED
            })
        );
        assert_eq!(
            IcdPcs::parse_kind("0SRD0Jé"),
            Err(BadCharacter {
                position: 6,
                found: 'é',
                expected: EXPECTED
            })
        );
        assert_eq!(IcdPcs::parse_kind("   "), Err(Empty));
    }

    #[test]
    fn order_and_serde() {
        let a: IcdPcs = "0016070".parse().unwrap();
        let b: IcdPcs = "0SRD0JZ".parse().unwrap();
        let c: IcdPcs = "XW033E5".parse().unwrap();
        assert!(a < b && b < c);
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"0SRD0JZ\"");
        assert_eq!(serde_json::from_str::<IcdPcs>("\"0srd0jz\"").unwrap(), b);
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_careful_parser(s in "[ 0-9A-Za-z.\\x00é]{0,9}") {
            proptest::prop_assert_eq!(IcdPcs::parse_kind(&s), IcdPcs::parse_slow(&s));
        }
    }
}
