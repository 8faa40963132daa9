//! The six-bit packed key every code table is keyed by.
//!
//! Up to seven upper-case ASCII letters or digits, six bits a character,
//! first character highest: 0 = no character, digits 1–10, letters 11–36. A
//! code's key therefore orders like the code, and a shorter code's key is the
//! longer code's with the trailing symbols empty, which is what hierarchy
//! ranges (`key_range`) rely on. The library's parsers (`medcode::CodeBuf`)
//! build the same keys through faster, place-specific tables; a test there
//! checks that they agree with [`pack`].

/// The six-bit symbol of an upper-case ASCII letter or digit; 0 for any
/// other byte.
#[inline]
pub const fn symbol(b: u8) -> u64 {
    match b {
        b'0'..=b'9' => (b - b'0') as u64 + 1,
        b'A'..=b'Z' => (b - b'A') as u64 + 11,
        _ => 0,
    }
}

/// Packs the first seven bytes of `code` (fewer leave empty symbols; a byte
/// that is not an upper-case letter or digit packs as empty).
///
/// ```
/// use medcode_base::key::pack;
/// assert!(pack(b"A0428") < pack(b"A9999"));
/// assert_eq!(pack(b"E11") >> 24, pack(b"E119") >> 24);
/// ```
pub fn pack(code: &[u8]) -> u64 {
    let mut key = 0u64;
    for i in 0..7 {
        key = (key << 6) | code.get(i).map_or(0, |&b| symbol(b));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_like_codes() {
        assert!(pack(b"A0428") < pack(b"A9999"));
        assert!(pack(b"A9999") < pack(b"B0000"));
        assert!(pack(b"25") < pack(b"LT"));
        assert_ne!(pack(b"25"), 0);
        assert_eq!(pack(b""), 0);
    }
}
