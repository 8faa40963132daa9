//! A line output's text (`"0"`, `"00000"`, `"J1"`, the units) held in
//! place: a line's thirteen outputs cost no allocation.

use std::fmt;

/// How many bytes a [`Flag`] holds in place; longer text (units of 16
/// digits or more) is allocated.
const INLINE: usize = 15;

/// One of a line's text outputs ([`LineResult`](super::LineResult)'s
/// flags, APCs, status and payment indicators and units), as the I/OCE
/// writes it. Reads as a `&str` (it derefs to one) and compares with one;
/// text of up to 15 bytes (every flag, APC and indicator) is held in place
/// without an allocation.
///
/// ```
/// use medcode::ioce::Flag;
/// let f = Flag::from("J1");
/// assert_eq!(f, "J1");
/// assert_eq!(f.as_str(), "J1");
/// assert_eq!(f.len(), 2);
/// assert_eq!(Flag::default(), "");
/// assert_eq!(Flag::from("123456789012345678").to_string(), "123456789012345678");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Flag(Repr);

/// Text of up to [`INLINE`] bytes is always held in place, longer text
/// always allocated: one text, one representation (so the derived
/// equality is the text's).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Flag {
    /// The empty text.
    pub const fn new() -> Flag {
        Flag(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // (Only text given as `&str` is stored: always UTF-8.)
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(s) => s,
        }
    }

    /// The text's bytes (no UTF-8 check: what comparisons and the JSON
    /// writer read).
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(s) => s.as_bytes(),
        }
    }

    /// Empty the text.
    pub fn clear(&mut self) {
        *self = Flag::new();
    }

    /// The text of a table key (its bytes up to the first zero; ASCII).
    pub(crate) fn from_key(k: super::data::Key) -> Flag {
        let b = k.to_le_bytes();
        // A table's key: its bytes printable ASCII up to its length, zero
        // past it — held as they are.
        let len = (64 - k.leading_zeros() as usize).div_ceil(8);
        if graphic_up_to(k, len) {
            let mut bytes = [0; INLINE];
            bytes[..8].copy_from_slice(&b);
            return Flag(Repr::Inline {
                len: len as u8,
                bytes,
            });
        }
        let n = b.iter().position(|&c| c == 0).unwrap_or(8);
        if !b[..n].is_ascii() {
            return Flag::from(String::from_utf8_lossy(&b[..n]).as_ref());
        }
        let mut bytes = [0; INLINE];
        bytes[..n].copy_from_slice(&b[..n]);
        Flag(Repr::Inline {
            len: n as u8,
            bytes,
        })
    }

    /// A number's decimal digits.
    pub(crate) fn number(n: u64) -> Flag {
        // (Most units: one digit.)
        if n < 10 {
            let mut bytes = [0; INLINE];
            bytes[0] = b'0' + n as u8;
            return Flag(Repr::Inline { len: 1, bytes });
        }
        let mut digits = [0u8; 20];
        let start = crate::text::decimal_digits(n, &mut digits);
        // (At most 20 digits: past 15, allocated.)
        let text = &digits[start..];
        if text.len() > INLINE {
            return Flag::from_ascii(text);
        }
        let mut bytes = [0; INLINE];
        bytes[..text.len()].copy_from_slice(text);
        Flag(Repr::Inline {
            len: text.len() as u8,
            bytes,
        })
    }

    /// A whole number's decimal digits, `-` before a negative one.
    pub(crate) fn integer(n: i64) -> Flag {
        if n >= 0 {
            return Flag::number(n.unsigned_abs());
        }
        let digits = Flag::number(n.unsigned_abs());
        let mut text = [0u8; 21];
        text[0] = b'-';
        text[1..=digits.len()].copy_from_slice(digits.as_bytes());
        Flag::from_ascii(&text[..=digits.len()])
    }

    /// ASCII bytes as text.
    fn from_ascii(b: &[u8]) -> Flag {
        match std::str::from_utf8(b) {
            Ok(s) => Flag::from(s),
            Err(_) => Flag::new(),
        }
    }
}

/// Whether the first `len` bytes of `k` (little-endian) are all printable
/// ASCII (`u8::is_ascii_graphic`, 0x21–0x7E), tested on the word at once
/// (three APCs and indicators a line are made from keys). The usual tests
/// for a byte below a value, exact for the lowest such byte: a byte's mark
/// can only be wrong above a byte that truly is one, so "any marked among
/// the first `len`" is exact (bytes with the high bit set are found first).
fn graphic_up_to(k: u64, len: usize) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let lanes = if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    };
    let below_0x21 = k.wrapping_sub(ONES * 0x21) & !k & HIGH;
    let del = k ^ (ONES * 0x7F);
    let is_del = del.wrapping_sub(ONES) & !del & HIGH;
    (k & HIGH | below_0x21 | is_del) & lanes == 0
}

impl Default for Flag {
    fn default() -> Flag {
        Flag::new()
    }
}

impl From<&str> for Flag {
    fn from(s: &str) -> Flag {
        if s.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Flag(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Flag(Repr::Heap(s.into()))
        }
    }
}

impl From<u8> for Flag {
    /// The number's decimal digits (a payment indicator, a composite).
    fn from(n: u8) -> Flag {
        Flag::number(u64::from(n))
    }
}

impl From<char> for Flag {
    fn from(c: char) -> Flag {
        Flag::from(c.encode_utf8(&mut [0; 4]) as &str)
    }
}

impl From<String> for Flag {
    fn from(s: String) -> Flag {
        if s.len() <= INLINE {
            Flag::from(s.as_str())
        } else {
            Flag(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<Flag> for String {
    fn from(f: Flag) -> String {
        f.as_str().to_owned()
    }
}

impl std::ops::Deref for Flag {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Flag {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Flag {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Flag {
    fn eq(&self, other: &str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Flag {
    fn eq(&self, other: &&str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Flag {
    fn eq(&self, other: &String) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<Flag> for str {
    fn eq(&self, other: &Flag) -> bool {
        self.as_bytes() == other.bytes()
    }
}

impl PartialEq<Flag> for &str {
    fn eq(&self, other: &Flag) -> bool {
        self.as_bytes() == other.bytes()
    }
}

impl PartialEq<Flag> for String {
    fn eq(&self, other: &Flag) -> bool {
        self.as_bytes() == other.bytes()
    }
}

/// `str::trim` for the claim's fields, which the rule code trims where it
/// reads them (some 85 times a claim): a field that starts and ends with a
/// printable ASCII byte (as every field of a well-formed claim does) is
/// its own trim, seen from its two end bytes; anything else is trimmed by
/// `str::trim` (its Unicode white space included), so the answer is
/// always `str::trim`'s. (`str::trim` itself decodes a character at each
/// end, out of line: about 50 instructions a call.)
pub(crate) trait Trim {
    /// The text without leading and trailing white space, as `str::trim`.
    fn trimmed(&self) -> &str;
}

impl Trim for str {
    #[inline(always)]
    fn trimmed(&self) -> &str {
        // (A byte 0x21–0x7E is a whole ASCII character, never white space.)
        let plain = |b: u8| b.wrapping_sub(0x21) < 0x5E;
        match self.as_bytes() {
            [] => self,
            [only] if plain(*only) => self,
            [first, .., last] if plain(*first) && plain(*last) => self,
            _ => self.trim(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphic_up_to_is_is_ascii_graphic() {
        let mut x = 0x9E37_79B9_7F4A_7C15_u64;
        let mut words: Vec<u64> = vec![0, u64::MAX, 0x3030_3030_3030_3030, 0x7F21, 0x2021, 0x217E];
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Bytes near the edges (0x20, 0x21, 0x7E, 0x7F, 0x80) often.
            let edges = [0x00, 0x20, 0x21, 0x30, 0x7E, 0x7F, 0x80, 0xFF];
            let w = u64::from_le_bytes(std::array::from_fn(|i| {
                let r = (x >> (i * 8)) as u8;
                if r & 1 == 0 {
                    edges[usize::from(r >> 1) % 8]
                } else {
                    r
                }
            }));
            words.push(w);
        }
        for w in words {
            for len in 0..=8 {
                let want = w.to_le_bytes()[..len].iter().all(u8::is_ascii_graphic);
                assert_eq!(graphic_up_to(w, len), want, "{w:#x} {len}");
            }
        }
    }

    #[test]
    fn trimmed_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            " a ",
            "0510",
            " 0510\t",
            "\u{a0}G0378",
            "G0378\u{2003}",
            "\u{e9}",
            "x\u{85}",
            "\u{7f}",
            "~",
            "!",
            "\t\n",
            "a b",
        ] {
            assert_eq!(s.trimmed(), s.trim(), "{s:?}");
            assert_eq!(s.trimmed().as_ptr(), s.trim().as_ptr(), "{s:?}");
        }
    }

    #[test]
    fn text_in_place_and_allocated() {
        for s in [
            "",
            "0",
            "00",
            "00000",
            "J1",
            "123456789012345",
            "1234567890123456",
            "0.5",
        ] {
            let f = Flag::from(s);
            assert_eq!(f, s);
            assert_eq!(f, Flag::from(s.to_string()));
            assert_eq!(format!("{f}"), s);
            assert_eq!(format!("{f:?}"), format!("{s:?}"));
        }
        let key = super::super::data::key("J1").unwrap();
        assert_eq!(Flag::from_key(key), Flag::from("J1"));
        assert_eq!(Flag::from_key(0), Flag::new());
        assert_eq!(
            Flag::from_key(super::super::data::key("12345678").unwrap()),
            "12345678"
        );
        for n in [0u64, 3, 9, 10, 255, u64::MAX] {
            assert_eq!(Flag::number(n), n.to_string().as_str());
        }
        let mut f = Flag::from("x");
        f.clear();
        assert!(f.is_empty());
    }
}
