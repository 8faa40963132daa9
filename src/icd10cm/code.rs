//! The `IcdCm` code value: syntax only, no table access.

use crate::codebuf::{sixbit, CodeBuf};
use crate::error::{ParseCodeError, ParseCodeErrorKind};
use crate::system::System;
use std::num::NonZeroU64;

/// An ICD-10-CM diagnosis code whose *syntax* is right.
///
/// A letter, then two letters or digits, then up to four letters or digits;
/// a dot may only follow the third character. (The second character was
/// always a digit until FY2026 added the category QA0, so letters are
/// accepted there too.) Input may be dotted or not, any
/// case, with surrounding whitespace. Parsing never allocates and never looks
/// at the tables: whether the code exists is [`IcdCm::info`]'s question, and
/// whether it is valid on a date is [`IcdCm::valid_on`]'s.
///
/// The value is 8 bytes (`Option<IcdCm>` too), `Copy`, ordered like the codes
/// themselves (`E11` < `E11.0` < `E11.9` < `E11.A` < `E12`), displayed dotted,
/// and serialised as the dotted string.
///
/// ```
/// use medcode::IcdCm;
/// let a: IcdCm = "e119".parse().unwrap();
/// let b: IcdCm = " E11.9 ".parse().unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "E11.9");
/// assert_eq!(&*a.undotted(), "E119");
/// assert!("E11.9".parse::<IcdCm>().map_err(|e| e.kind()).unwrap() < "E11.A".parse().unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IcdCm(NonZeroU64);

const _: () = assert!(std::mem::size_of::<Option<IcdCm>>() == 8);

const LETTER_OR_DIGIT: &str = "a letter or digit";

impl IcdCm {
    /// Most characters in a code (dots not counted).
    pub const MAX_LEN: usize = 7;
    /// Fewest characters in a code (a category).
    pub const MIN_LEN: usize = 3;

    /// Parses a code; the same as `str::parse`, usable in `const` contexts is not promised.
    ///
    /// ```
    /// use medcode::{IcdCm, ParseCodeErrorKind};
    /// assert_eq!(IcdCm::parse("E1").map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooShort { len: 2, min: 3 }));
    /// assert_eq!(IcdCm::parse("E1.19").map_err(|e| e.kind()), Err(ParseCodeErrorKind::MisplacedDot { position: 2, expected: "only after the third character" }));
    /// ```
    #[inline]
    pub fn parse(input: &str) -> Result<IcdCm, ParseCodeError> {
        Self::parse_kind(input).map_err(|kind| ParseCodeError::new(kind, System::Icd10Cm, input))
    }

    /// [`parse`](Self::parse) with the error's kind alone: no copy of the
    /// input, for the crate's own hot paths.
    #[inline]
    pub(crate) fn parse_kind(input: &str) -> Result<IcdCm, ParseCodeErrorKind> {
        match parse_fast(input.as_bytes()) {
            Some(key) => Ok(IcdCm::from_key_unchecked(key)),
            None => Self::parse_slow(input),
        }
    }

    /// The careful parser: trims, and names the first thing wrong.
    // Out of line: inlined, it crowded the fast path's loops (registers
    // spilled in `valid_many`'s blocks).
    #[cold]
    #[inline(never)]
    fn parse_slow(input: &str) -> Result<IcdCm, ParseCodeErrorKind> {
        let s = crate::text::trim(input);
        if s.is_empty() {
            return Err(ParseCodeErrorKind::Empty);
        }
        let bytes = s.as_bytes();
        let mut key = 0u64;
        let mut n = 0usize; // code characters so far
        let mut seen_dot = false;
        for (pos, &b) in bytes.iter().enumerate() {
            // All bytes before `pos` are ASCII, so `pos` is also the character position.
            if b == b'.' {
                if n != 3 || seen_dot {
                    return Err(ParseCodeErrorKind::MisplacedDot {
                        position: pos,
                        expected: "only after the third character",
                    });
                }
                seen_dot = true;
                continue;
            }
            let upper = b.to_ascii_uppercase();
            let ok = if n == 0 {
                upper.is_ascii_uppercase()
            } else {
                upper.is_ascii_alphanumeric()
            };
            if !ok {
                return Err(ParseCodeErrorKind::BadCharacter {
                    position: pos,
                    found: s[pos..].chars().next().unwrap_or('\u{fffd}'),
                    expected: if n == 0 { "a letter" } else { LETTER_OR_DIGIT },
                });
            }
            if n == Self::MAX_LEN {
                let len = n + bytes[pos..].iter().filter(|&&c| c != b'.').count();
                return Err(ParseCodeErrorKind::TooLong {
                    len,
                    max: Self::MAX_LEN,
                });
            }
            key = (key << 6) | sixbit::encode(upper);
            n += 1;
        }
        if n < Self::MIN_LEN {
            return Err(ParseCodeErrorKind::TooShort {
                len: n,
                min: Self::MIN_LEN,
            });
        }
        if seen_dot && n == 3 {
            return Err(ParseCodeErrorKind::MisplacedDot {
                position: s.len() - 1,
                expected: "a dot must be followed by more characters",
            });
        }
        key <<= 6 * (Self::MAX_LEN - n) as u32;
        Ok(IcdCm::from_key_unchecked(key))
    }

    /// Builds a value from a packed key the crate produced itself.
    pub(crate) const fn from_key_unchecked(key: u64) -> IcdCm {
        match NonZeroU64::new(key) {
            Some(k) => IcdCm(k),
            // Packed keys always start with a letter, so they are never zero.
            None => IcdCm(NonZeroU64::MIN),
        }
    }

    /// The packed key: six bits a character, first character highest.
    pub(crate) const fn key(self) -> u64 {
        self.0.get()
    }

    /// Number of characters (3 to 7, dots not counted).
    ///
    /// ```
    /// assert_eq!("S72.001A".parse::<medcode::IcdCm>().unwrap().len(), 7);
    /// ```
    #[allow(clippy::len_without_is_empty)] // a code is never empty
    pub const fn len(self) -> usize {
        sixbit::len(self.key())
    }

    /// The three-character category this code belongs to (itself if it is one).
    ///
    /// ```
    /// let code: medcode::IcdCm = "E11.65".parse().unwrap();
    /// assert_eq!(code.category().to_string(), "E11");
    /// ```
    pub const fn category(self) -> IcdCm {
        IcdCm::from_key_unchecked(sixbit::truncate(self.key(), 3))
    }

    /// The code cut to its first `n` characters, if `3 <= n <= len()`.
    ///
    /// ```
    /// let code: medcode::IcdCm = "S72.001A".parse().unwrap();
    /// assert_eq!(code.truncate(6).unwrap().to_string(), "S72.001");
    /// assert!(code.truncate(2).is_none());
    /// ```
    pub const fn truncate(self, n: usize) -> Option<IcdCm> {
        if n < Self::MIN_LEN || n > self.len() {
            None
        } else {
            Some(IcdCm::from_key_unchecked(sixbit::truncate(self.key(), n)))
        }
    }

    /// True if `self` is `other` or one of its prefixes (`E11` starts `E11.9`).
    ///
    /// ```
    /// let e11: medcode::IcdCm = "E11".parse().unwrap();
    /// assert!(e11.is_prefix_of("E11.9".parse().unwrap()));
    /// assert!(!e11.is_prefix_of("E12".parse().unwrap()));
    /// ```
    pub const fn is_prefix_of(self, other: IcdCm) -> bool {
        let n = self.len();
        n <= other.len() && sixbit::truncate(other.key(), n) == self.key()
    }

    /// The character at `pos` (0-based), upper case.
    pub const fn char_at(self, pos: usize) -> Option<char> {
        if pos >= 7 {
            return None;
        }
        match sixbit::decode(sixbit::symbol(self.key(), pos)) {
            0 => None,
            b => Some(b as char),
        }
    }

    /// The code as text, dotted (`"E11.9"`), without allocating; same as
    /// `Display` and [`dotted`](Self::dotted). The one name every code type
    /// uses for its text.
    ///
    /// ```
    /// assert_eq!("e119".parse::<medcode::IcdCm>().unwrap().text().as_str(), "E11.9");
    /// ```
    pub fn text(self) -> CodeBuf {
        self.dotted()
    }

    /// The code without a dot (`E119`), as CMS files write it.
    pub fn undotted(self) -> CodeBuf {
        let mut buf = CodeBuf::new();
        for pos in 0..self.len() {
            buf.push(sixbit::decode(sixbit::symbol(self.key(), pos)));
        }
        buf
    }

    /// Appends [`dotted`](Self::dotted)'s text to `out`, written straight
    /// into it in one pass: no `CodeBuf` filled and then copied (messages
    /// and findings name codes often).
    pub(crate) fn push_dotted(self, out: &mut String) {
        let key = self.key();
        out.reserve(8);
        for pos in 0..7 {
            let sym = sixbit::symbol(key, pos);
            // Characters are contiguous from the top: the first empty
            // symbol ends the code, as `len` counts it.
            if sym == 0 {
                break;
            }
            if pos == 3 {
                crate::text::push_ascii_byte(out, b'.');
            }
            crate::text::push_ascii_byte(out, sixbit::ASCII_OF_SYMBOL[sym as usize]);
        }
    }

    /// The code with its dot (`E11.9`), as the tabular writes it; same as `Display`.
    pub fn dotted(self) -> CodeBuf {
        let mut buf = CodeBuf::new();
        for pos in 0..self.len() {
            if pos == 3 {
                buf.push(b'.');
            }
            buf.push(sixbit::decode(sixbit::symbol(self.key(), pos)));
        }
        buf
    }
}

/// The common case without branches on each character: a well-formed code,
/// no surrounding space. Anything else returns `None` and goes to the
/// careful parser, which finds the error (or trims and succeeds).
#[inline(always)]
fn parse_fast(b: &[u8]) -> Option<u64> {
    let len = b.len();
    if !(3..=8).contains(&len) {
        return None;
    }
    // Load the bytes into a word without a variable-length copy: two
    // overlapping 4-byte reads cover lengths 4 to 8.
    let mut w = if len >= 4 {
        let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64;
        let hi = u32::from_le_bytes([b[len - 4], b[len - 3], b[len - 2], b[len - 1]]) as u64;
        lo | (hi << (8 * (len - 4)))
    } else {
        u64::from(b[0]) | u64::from(b[1]) << 8 | u64::from(b[2]) << 16
    };
    // Pad the bytes past the text with 0xFF (symbol 0, never in UTF-8), so
    // only real bytes can be bad.
    w |= !(u64::MAX >> (64 - 8 * len));
    // The dotted form ("E11.9") reads its bytes through tables in which
    // byte 3 is the dot and bytes 4.. are places 3..; the undotted form
    // ("E119") through tables of places 0..7 (an eighth character is bad):
    // no moving the bytes after the dot. A dot must have a character after it.
    let dotted = (w >> 24) as u8 == b'.';
    if dotted && len == 4 {
        return None;
    }
    let t = &BYTE_PLACED[usize::from(dotted)];
    // One load a byte gives its symbol already in its place of the key (or
    // `PLACED_BAD`), so the key is the loads OR'ed together.
    let key = ((t[0][w as u8 as usize] | t[1][(w >> 8) as u8 as usize])
        | (t[2][(w >> 16) as u8 as usize] | t[3][(w >> 24) as u8 as usize]))
        | ((t[4][(w >> 32) as u8 as usize] | t[5][(w >> 40) as u8 as usize])
            | (t[6][(w >> 48) as u8 as usize] | t[7][(w >> 56) as usize]));
    if key & PLACED_BAD != 0 {
        return None;
    }
    Some(key)
}

/// Set in a [`BYTE_PLACED`] entry for a byte that cannot be there (above any
/// key's 42 bits).
const PLACED_BAD: u64 = 1 << 63;

/// For the undotted form (`[0]`) and the dotted form (`[1]`), for each of
/// the eight bytes of the fast path's word and each byte value: the
/// symbol (either case) shifted to its place of the key. 0 for the padding
/// byte 0xFF and for the dot at byte 3 of the dotted form; `PLACED_BAD` for
/// anything that cannot be there (the first character takes letters only;
/// the undotted form has no eighth character). 32 KiB; the fast path's
/// per-character work is one load.
static BYTE_PLACED: [[[u64; 256]; 8]; 2] = {
    let mut t = [[[PLACED_BAD; 256]; 8]; 2];
    let mut dotted = 0;
    while dotted < 2 {
        let mut byte = 0;
        while byte < 8 {
            t[dotted][byte][0xFF] = 0;
            // The place of the key this byte holds, if any.
            let place = if dotted == 1 && byte >= 4 {
                byte - 1
            } else {
                byte
            };
            if dotted == 1 && byte == 3 {
                t[dotted][byte][b'.' as usize] = 0;
            } else if place < 7 {
                let mut b = 0;
                while b < 256 {
                    let upper = (b as u8).to_ascii_uppercase();
                    if upper.is_ascii_uppercase() || (place > 0 && upper.is_ascii_digit()) {
                        t[dotted][byte][b] = sixbit::encode(upper) << (6 * (6 - place));
                    }
                    b += 1;
                }
            }
            byte += 1;
        }
        dotted += 1;
    }
    t
};

crate::codebuf::code_text_traits!(
    IcdCm,
    dotted,
    "an ICD-10-CM code such as \"E11.9\" or \"E119\""
);

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<IcdCm, ParseCodeErrorKind> {
        IcdCm::parse_kind(s)
    }

    /// The one-pass writer gives `dotted`'s text for every length, after
    /// text already in the buffer.
    #[test]
    fn push_dotted_equals_dotted() {
        for s in [
            "A00", "E119", "E11.65", "Z99.89", "S72.001A", "T36.0X1A", "O09.A0", "Z3A.00", "U07.1",
        ] {
            let code = p(s).unwrap();
            let mut out = String::from("é\"");
            code.push_dotted(&mut out);
            assert_eq!(out, format!("é\"{}", code.dotted().as_str()), "{s}");
        }
    }

    #[test]
    fn accepts_forms() {
        for s in ["E11.9", "e119", " E11.9 ", "E119", "\tE11.9\n"] {
            assert_eq!(p(s).unwrap().to_string(), "E11.9", "{s:?}");
        }
        assert_eq!(p("S72.001A").unwrap().to_string(), "S72.001A");
        assert_eq!(p("O9A").unwrap().to_string(), "O9A");
        assert_eq!(p("E11").unwrap().to_string(), "E11");
    }

    #[test]
    fn errors_name_position() {
        use ParseCodeErrorKind::*;
        assert_eq!(p(""), Err(Empty));
        assert_eq!(p("   "), Err(Empty));
        assert_eq!(
            p("1E1"),
            Err(BadCharacter {
                position: 0,
                found: '1',
                expected: "a letter"
            })
        );
        assert_eq!(
            p("E-1"),
            Err(BadCharacter {
                position: 1,
                found: '-',
                expected: LETTER_OR_DIGIT
            })
        );
        assert_eq!(p("QA0").unwrap().to_string(), "QA0"); // the FY2026 category
        assert_eq!(
            p("E1é"),
            Err(BadCharacter {
                position: 2,
                found: 'é',
                expected: LETTER_OR_DIGIT
            })
        );
        assert_eq!(p("E11.12345"), Err(TooLong { len: 8, max: 7 }));
        assert_eq!(
            p("E11."),
            Err(MisplacedDot {
                position: 3,
                expected: "a dot must be followed by more characters"
            })
        );
        assert_eq!(
            p("E11..9"),
            Err(MisplacedDot {
                position: 4,
                expected: "only after the third character"
            })
        );
        assert_eq!(
            p("E119.1"),
            Err(MisplacedDot {
                position: 4,
                expected: "only after the third character"
            })
        );
        assert_eq!(
            p("E 11"),
            Err(BadCharacter {
                position: 1,
                found: ' ',
                expected: LETTER_OR_DIGIT
            })
        );
    }

    #[test]
    fn order_is_code_order() {
        let codes = [
            "A00", "A00.0", "A00.1", "A01", "E11", "E11.0", "E11.00", "E11.9", "E11.A", "O99",
            "O9A", "Q99.9", "QA0", "QA0.0", "S72.001", "S72.001A", "Z99.89",
        ];
        let parsed: Vec<IcdCm> = codes.iter().map(|c| p(c).unwrap()).collect();
        let mut sorted = parsed.clone();
        sorted.sort();
        assert_eq!(parsed, sorted);
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_careful_parser(s in "[ A-Za-z0-9.\\x00é]{0,10}") {
            let fast = parse_fast(s.as_bytes()).map(IcdCm::from_key_unchecked);
            let slow = IcdCm::parse_slow(&s);
            if let Some(f) = fast {
                proptest::prop_assert_eq!(Ok(f), slow);
            }
            proptest::prop_assert_eq!(IcdCm::parse_kind(&s), slow);
        }
    }

    /// Every byte value in every place of codes of each length, dotted and
    /// not: the fast path answers what the careful parser answers, and does
    /// answer every well-formed code without spaces.
    #[test]
    fn fast_path_agrees_on_every_byte_in_every_place() {
        let texts = crate::codebuf::every_byte_in_every_place(&[
            "A00", "E119", "E11.9", "E1165", "E11.65", "S72001A", "S72.001A", "Z3A.00",
        ]);
        for text in &texts {
            let fast = parse_fast(text.as_bytes()).map(IcdCm::from_key_unchecked);
            let slow = IcdCm::parse_slow(text);
            match fast {
                Some(f) => assert_eq!(Ok(f), slow, "{text:?}"),
                None => assert!(
                    slow.is_err() || text.trim() != text,
                    "{text:?}: fast path declined"
                ),
            }
        }
    }

    /// The fast path takes every code of the tables, dotted and not.
    #[test]
    fn fast_path_takes_every_code() {
        for info in super::super::all() {
            let code = info.code();
            for text in [code.dotted().to_string(), code.to_string().replace('.', "")] {
                assert_eq!(parse_fast(text.as_bytes()), Some(code.key()), "{text}");
            }
        }
    }

    #[test]
    fn serde_round_trip() {
        let c = p("E11.9").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"E11.9\"");
        assert_eq!(serde_json::from_str::<IcdCm>("\"e119\"").unwrap(), c);
        assert!(serde_json::from_str::<IcdCm>("\"E1\"").is_err());
    }
}
