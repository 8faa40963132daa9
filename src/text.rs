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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
}
