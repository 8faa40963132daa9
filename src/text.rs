//! Small text helpers for the hot paths.

/// `str::trim`, with a fast path: text that starts and ends with a visible
/// ASCII character (every well-formed code and date) is returned as is,
/// without the Unicode whitespace scan.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// True if the text is empty or only whitespace.
#[inline]
pub(crate) fn is_blank(s: &str) -> bool {
    trim(s).is_empty()
}

/// True if a code field holds no code: blank, or only zeros (with blanks
/// around them), the filler of fixed-width claim records. CMS's MCE reads
/// an all-zero diagnosis or procedure as an empty slot (issue 25).
#[inline]
pub(crate) fn is_code_filler(s: &str) -> bool {
    trim(s).bytes().all(|b| b == b'0')
}

/// Appends ASCII bytes (digits, a code's characters) to `out`, each as its
/// character: no UTF-8 check, which for these 3–10 byte texts cost more
/// than the copy (`str::from_utf8` took 40–100 instructions a call on the
/// JSON path; BENCHMARKS.md). Callers pass ASCII only; see
/// [`push_ascii_byte`] for what another byte would give.
#[inline]
pub(crate) fn push_ascii(out: &mut String, bytes: &[u8]) {
    debug_assert!(bytes.is_ascii());
    out.reserve(bytes.len());
    for &b in bytes {
        push_ascii_byte(out, b);
    }
}

/// Appends one ASCII byte as its character. The high bit is masked off, so
/// the compiler knows the character is one byte long and `String::push`
/// is a plain byte push (about half the instructions of pushing a `char`
/// that might be two bytes); a byte above 0x7F, which callers never pass,
/// would come out as the ASCII character of its low seven bits, never as
/// invalid UTF-8.
#[inline(always)]
pub(crate) fn push_ascii_byte(out: &mut String, b: u8) {
    debug_assert!(b.is_ascii());
    out.push(char::from(b & 0x7F));
}

/// The decimal digits of `n` as ASCII, written at the end of `digits`;
/// returns where they start (`digits[start..]` is the number's text, at
/// most 20 digits).
#[inline]
pub(crate) fn decimal_digits(n: u64, digits: &mut [u8; 20]) -> usize {
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimal_digits_of_edge_numbers() {
        for n in [0, 7, 10, 1234, u64::MAX] {
            let mut digits = [0u8; 20];
            let start = decimal_digits(n, &mut digits);
            assert_eq!(&digits[start..], n.to_string().as_bytes());
        }
    }

    #[test]
    fn edges() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}E11\u{2003}",
            "E11.9",
            "\t\n",
            "é",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn same_as_str_trim(s in "\\PC{0,12}|[ \t\u{a0}\u{2003}a-zA-Z0-9.]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn push_ascii_appends_the_text() {
        let mut out = String::from("a");
        push_ascii(&mut out, b"E11.9 2026-01-01");
        push_ascii(&mut out, b"");
        assert_eq!(out, "aE11.9 2026-01-01");
    }
}
