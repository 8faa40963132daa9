//! A small stack string for rendering codes without allocating.

use std::fmt;
use std::ops::Deref;

/// A code rendered as text (at most 16 ASCII bytes), returned without allocation.
///
/// ```
/// use medcode::IcdCm;
/// let code: IcdCm = "E11.9".parse().unwrap();
/// let text = code.undotted();
/// assert_eq!(&*text, "E119");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeBuf {
    bytes: [u8; 16],
    len: u8,
}

impl CodeBuf {
    pub(crate) const fn new() -> CodeBuf {
        CodeBuf {
            bytes: [0; 16],
            len: 0,
        }
    }

    /// Appends an ASCII byte; callers never exceed 16 bytes.
    pub(crate) fn push(&mut self, b: u8) {
        debug_assert!(b.is_ascii());
        if (self.len as usize) < self.bytes.len() {
            self.bytes[self.len as usize] = b;
            self.len += 1;
        }
    }

    /// Appends the text to `out` (without [`as_str`](Self::as_str)'s UTF-8
    /// check: messages name codes often).
    pub(crate) fn push_to(&self, out: &mut String) {
        crate::text::push_ascii(out, &self.bytes[..self.len as usize]);
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever pushed, so this never fails.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

impl Deref for CodeBuf {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for CodeBuf {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for CodeBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for CodeBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The text traits every code type shares: `Display` (via the method that
/// renders it), `Debug` as `Type(text)`, `FromStr`/`TryFrom<&str>` via
/// `Type::parse`, and serde as that text (either accepted form on input).
macro_rules! code_text_traits {
    ($ty:ident, $text:ident, $expecting:expr) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(&self.$text())
            }
        }

        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($ty), "({})"), self.$text())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::ParseCodeError;
            fn from_str(s: &str) -> Result<$ty, $crate::ParseCodeError> {
                $ty::parse(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $crate::ParseCodeError;
            fn try_from(s: &str) -> Result<$ty, $crate::ParseCodeError> {
                $ty::parse(s)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.$text())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        $ty::parse(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
pub(crate) use code_text_traits;

/// Six-bit symbols for code characters: 0 = no character, digits 1–10,
/// letters 11–36. The order of symbols is ASCII order, so packed keys compare
/// like the codes they hold.
pub(crate) mod sixbit {
    use crate::ParseCodeErrorKind;

    /// The symbol of an upper-case ASCII letter or digit, or 0 (the one
    /// definition, shared with the data crates' build scripts).
    pub use medcode_base::key::symbol as encode;

    /// The symbol of each byte, letters of either case; 0 for any byte that
    /// is not an ASCII letter or digit.
    static SYMBOL_OF_BYTE: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = encode((b as u8).to_ascii_uppercase()) as u8;
            b += 1;
        }
        t
    };

    /// Packs exactly `len` ASCII letters or digits (either case) when the
    /// symbol at every position passes `ok(position, symbol)`; `None`
    /// otherwise. The fast path of [`parse_fixed`].
    #[inline]
    pub(super) fn pack_exact(s: &[u8], len: usize, ok: impl Fn(usize, u64) -> bool) -> Option<u64> {
        if s.len() != len {
            return None;
        }
        let mut key = 0u64;
        for (pos, &b) in s.iter().enumerate() {
            let sym = u64::from(SYMBOL_OF_BYTE[usize::from(b)]);
            if sym == 0 || !ok(pos, sym) {
                return None;
            }
            key = (key << 6) | sym;
        }
        Some(key)
    }

    /// Parses a code of exactly `len` ASCII letters and digits (either case,
    /// surrounding whitespace ignored) into the key of its `len` symbols
    /// (the last symbol lowest): `accepts(position, symbol)` says what each
    /// position takes, `expected(position)` names it for the error. The CPT,
    /// HCPCS and modifier parsers are this with their own rules.
    #[inline]
    pub fn parse_fixed(
        input: &str,
        len: usize,
        accepts: impl Fn(usize, u64) -> bool,
        expected: impl Fn(usize) -> &'static str,
    ) -> Result<u64, ParseCodeErrorKind> {
        match pack_exact(input.as_bytes(), len, &accepts) {
            Some(key) => Ok(key),
            None => parse_fixed_carefully(input, len, &accepts, &expected),
        }
    }

    /// [`parse_fixed`] without the fast path: trims, and names the first
    /// thing wrong.
    #[cold]
    pub fn parse_fixed_carefully(
        input: &str,
        len: usize,
        accepts: &dyn Fn(usize, u64) -> bool,
        expected: &dyn Fn(usize) -> &'static str,
    ) -> Result<u64, ParseCodeErrorKind> {
        let s = crate::text::trim(input);
        if s.is_empty() {
            return Err(ParseCodeErrorKind::Empty);
        }
        let mut key = 0u64;
        let mut n = 0usize;
        for (pos, c) in s.chars().enumerate() {
            if pos == len {
                return Err(ParseCodeErrorKind::TooLong {
                    len: s.chars().count(),
                    max: len,
                });
            }
            let upper = c.to_ascii_uppercase();
            let sym = if upper.is_ascii() {
                encode(upper as u8)
            } else {
                0
            };
            if sym == 0 || !accepts(pos, sym) {
                return Err(ParseCodeErrorKind::BadCharacter {
                    position: pos,
                    found: c,
                    expected: expected(pos),
                });
            }
            key = (key << 6) | sym;
            n += 1;
        }
        if n < len {
            return Err(ParseCodeErrorKind::TooShort { len: n, min: len });
        }
        Ok(key)
    }

    /// True for the symbol of a digit.
    #[inline]
    pub const fn is_digit(sym: u64) -> bool {
        sym >= 1 && sym <= 10
    }

    /// True for the symbol of a letter.
    #[inline]
    pub const fn is_letter(sym: u64) -> bool {
        sym >= 11 && sym <= 36
    }

    /// The ASCII byte of a symbol (0 for "no character").
    #[inline]
    pub const fn decode(v: u64) -> u8 {
        match v {
            1..=10 => b'0' + (v as u8 - 1),
            11..=36 => b'A' + (v as u8 - 11),
            _ => 0,
        }
    }

    /// [`decode`] as a table, for writing a code's text a character at a
    /// time (one load instead of two range tests).
    pub(crate) static ASCII_OF_SYMBOL: [u8; 64] = {
        let mut t = [0u8; 64];
        let mut v = 0;
        while v < 64 {
            t[v] = decode(v as u64);
            v += 1;
        }
        t
    };

    /// The symbol at `pos` (0-based) of a packed key.
    #[inline]
    pub const fn symbol(key: u64, pos: usize) -> u64 {
        (key >> (6 * (6 - pos))) & 0x3f
    }

    /// Number of characters in a packed key.
    #[inline]
    pub const fn len(key: u64) -> usize {
        // Characters are contiguous from the top, so count the trailing empty symbols.
        let mut n = 7;
        while n > 0 && symbol(key, n - 1) == 0 {
            n -= 1;
        }
        n
    }

    /// The key truncated to its first `n` characters.
    #[inline]
    pub const fn truncate(key: u64, n: usize) -> u64 {
        if n >= 7 {
            key
        } else {
            let drop = 6 * (7 - n);
            (key >> drop) << drop
        }
    }
}

/// Each template with every byte value put in each place, kept where the
/// result is UTF-8 (text always is): the parsers' fast-path tests.
#[cfg(test)]
pub(crate) fn every_byte_in_every_place(templates: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for template in templates {
        for place in 0..template.len() {
            for byte in 0..=255u8 {
                let mut bytes = template.as_bytes().to_vec();
                bytes[place] = byte;
                out.extend(String::from_utf8(bytes));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sixbit;

    #[test]
    fn symbol_table_is_encode_of_upper_case() {
        for b in 0..=255u8 {
            let want = sixbit::encode(b.to_ascii_uppercase());
            let got = sixbit::pack_exact(&[b], 1, |_, _| true).unwrap_or(0);
            assert_eq!(got, want, "byte {b}");
            assert_eq!(sixbit::is_digit(want), b.is_ascii_digit());
            assert_eq!(sixbit::is_letter(want), b.is_ascii_alphabetic());
        }
    }
}
