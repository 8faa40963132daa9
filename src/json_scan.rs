//! Finding the bytes of a text that JSON treats specially (a control
//! character, `"` or `\\`) a word at a time: the claim reader skips plain
//! text with it and the report writer copies plain text without escaping.
//! And writing JSON strings and numbers with it, for the rules' reports and
//! the grouper's answers alike.

/// The index of the first byte at or after `from` that a JSON string cannot
/// hold as it is: a control character, `"` or `\\`. Messages and codes are
/// long runs of plain text, so the bytes are looked at sixteen at a time,
/// and the last few without a byte loop: the final eight bytes are looked
/// at again as one word (overlapping bytes already known to be plain, which
/// [`json_special_mask`] never marks), and four to seven bytes as two
/// overlapping halves of one word. Only one to three bytes go one by one.
#[inline(always)]
pub(crate) fn next_json_special(bytes: &[u8], from: usize) -> Option<usize> {
    let len = bytes.len();
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 16) {
        let (a, b) = chunk.split_at(8);
        let (a, b) = (json_special_mask(word8(a)), json_special_mask(word8(b)));
        if a | b != 0 {
            let at = if a != 0 {
                first_marked(a)
            } else {
                8 + first_marked(b)
            };
            return Some(i + at);
        }
        i += 16;
    }
    let left = len.checked_sub(i).filter(|&n| n > 0)?;
    if left >= 8 {
        // Up to fifteen bytes: the next eight, then the last eight.
        let mask = json_special_mask(word8(&bytes[i..i + 8]));
        if mask != 0 {
            return Some(i + first_marked(mask));
        }
        if left == 8 {
            return None;
        }
        let mask = json_special_mask(word8(&bytes[len - 8..]));
        return (mask != 0).then(|| len - 8 + first_marked(mask));
    }
    if left >= 4 {
        // The first four in the low half, the last four in the high half.
        let low = u64::from(word4(&bytes[i..i + 4]));
        let high = u64::from(word4(&bytes[len - 4..]));
        let mask = json_special_mask(low | high << 32);
        if mask == 0 {
            return None;
        }
        let k = first_marked(mask);
        return Some(if k < 4 { i + k } else { len + k - 8 });
    }
    bytes[i..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|k| i + k)
}

/// Eight bytes (exactly) as a little-endian word.
#[inline(always)]
pub(crate) fn word8(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// Four bytes (exactly) as a little-endian word.
#[inline(always)]
fn word4(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

/// The byte index of the lowest mark of a nonzero [`json_special_mask`].
#[inline(always)]
pub(crate) fn first_marked(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The high bit of each byte of `word` (little-endian) that is a control
/// character, `"` or `\\`. XOR with 0x02 turns `"` (0x22) into 0x20 and
/// keeps 0x00–0x1F below 0x20 (and nothing else below 0x21), so one
/// "less than 0x21" test finds both; `\\` is the zero byte of XOR with
/// 0x5C. A byte below the bound borrows in the subtraction; `& !word`
/// leaves out bytes of 0x80 and up (XOR keeps the high bit). A borrow can
/// mark a later byte too, never an earlier one, and only a marked byte
/// borrows, so the lowest mark is exact and plain bytes below it are never
/// marked (callers use only the lowest).
#[inline(always)]
pub(crate) fn json_special_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote_or_control = (word ^ (ONES * 0x02)).wrapping_sub(ONES * 0x21);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    (quote_or_control | backslash) & !word & HIGH
}

// Writing JSON text (the rules' reports and the grouper's answers share
// these; one definition, below both).

/// "100101102…999": every three-digit number's text, in order.
const THREE_DIGITS: &str = {
    const BYTES: [u8; 2700] = {
        let mut b = [0u8; 2700];
        let mut n = 100;
        while n < 1000 {
            let at = (n - 100) * 3;
            b[at] = b'0' + (n / 100) as u8;
            b[at + 1] = b'0' + (n / 10 % 10) as u8;
            b[at + 2] = b'0' + (n % 10) as u8;
            n += 1;
        }
        b
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("digits are ASCII"),
    }
};

/// [`push_usize`] in line for numbers below 1000 (DRGs, MDCs, HAC numbers:
/// the grouper's answer writes a dozen a claim, where a call cost about
/// 30 instructions each); larger numbers call it.
#[inline(always)]
pub(crate) fn push_small_usize(out: &mut String, n: usize) {
    if n < 1000 {
        push_below_1000(out, n);
    } else {
        push_usize(out, n);
    }
}

/// A number below 1000, without a digit buffer or a division loop.
#[inline(always)]
fn push_below_1000(out: &mut String, n: usize) {
    // Most numbers written are one or two digits (a diagnosis's or line's
    // place, a count).
    if n < 10 {
        crate::text::push_ascii_byte(out, b'0' + n as u8);
    } else if n < 100 {
        crate::text::push_ascii_byte(out, b'0' + (n / 10) as u8);
        crate::text::push_ascii_byte(out, b'0' + (n % 10) as u8);
    } else {
        // Three digits (a DRG): copied from a table.
        let at = (n - 100) * 3;
        out.push_str(&THREE_DIGITS[at..at + 3]);
    }
}

pub(crate) fn push_usize(out: &mut String, n: usize) {
    if n < 1000 {
        push_below_1000(out, n);
        return;
    }
    let mut digits = [0u8; 20];
    let start = crate::text::decimal_digits(n as u64, &mut digits);
    // ASCII digits.
    crate::text::push_ascii(out, &digits[start..]);
}

/// `out.push_str(s)`, a string of three to eight bytes (a code) copied with
/// its length known here: a few moves, where a length known only at run
/// time costs a call to `memcpy`.
#[inline(always)]
pub(crate) fn push_short_str(out: &mut String, s: &str) {
    match s.len() {
        3 => out.push_str(&s[..3]),
        4 => out.push_str(&s[..4]),
        5 => out.push_str(&s[..5]),
        6 => out.push_str(&s[..6]),
        7 => out.push_str(&s[..7]),
        8 => out.push_str(&s[..8]),
        _ => out.push_str(s),
    }
}

pub(crate) fn push_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.push_str("null"),
    }
}

/// `s` as a JSON string, escaped as `serde_json` escapes it: `"` and `\\`,
/// `\b \t \n \f \r` by their short forms, other control characters as
/// `\u00xx`; everything else (non-ASCII included) as it is.
///
/// Inline, and only the scan and one copy: most strings (every rule id and
/// code, most fields and messages) need no escape, and on these short
/// strings a call's register saves and the escaping loop cost about as
/// much as the scan (BENCHMARKS.md). A string with something to escape
/// goes to [`push_json_str_escaped`].
#[inline(always)]
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    match next_json_special(s.as_bytes(), 0) {
        None => {
            out.reserve(s.len() + 2);
            out.push('"');
            push_short_str(out, s);
            out.push('"');
        }
        Some(at) => push_json_str_escaped(out, s, at),
    }
}

/// [`push_json_str`] for a string whose first byte to escape is at `first`.
#[inline(never)]
fn push_json_str_escaped(out: &mut String, s: &str, first: usize) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        // Cut only at ASCII bytes: `start..at` is whole characters.
        out.push_str(&s[start..at]);
        start = at + 1;
        match bytes[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        next = next_json_special(bytes, start);
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word scan finds the first byte JSON escapes, wherever it sits
    /// and whatever follows it.
    #[test]
    fn next_json_special_finds_the_first() {
        let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for b in 0u8..=255 {
            for len in [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 21, 24, 31, 33] {
                for pos in 0..len {
                    for fill in [b'a', 0xC3, 0x1F, b'"'] {
                        let mut text = vec![b'x'; len];
                        text[pos] = b;
                        // Bytes after `pos` may be special too: the answer is still the first.
                        for t in &mut text[pos + 1..] {
                            *t = fill;
                        }
                        // From every start up to the byte: the reader
                        // starts mid-text, after an escape.
                        for from in 0..=pos {
                            let want = text[from..].iter().position(|&c| special(c));
                            let got = next_json_special(&text, from);
                            assert_eq!(got, want.map(|k| from + k), "{text:?} from {from}");
                        }
                    }
                }
            }
        }
    }

    /// Numbers are written as `to_string` writes them, whatever their size.
    #[test]
    fn push_usize_writes_the_digits() {
        let mut out = String::new();
        for n in (0..2000).chain([9_999, 10_000, 123_456_789, usize::MAX]) {
            out.clear();
            push_usize(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
