//! Reading JSON Lines with a bound on memory: the line reader that
//! `medcode check` (one thread and `--jobs`) and the Python package's
//! `Engine.check_file` share.

use std::io::{self, BufRead};

/// What [`read_jsonl_line`] read.
///
/// ```
/// use medcode::io::{read_jsonl_line, JsonlLine};
/// let mut input = &b"{}\n"[..];
/// let mut buf = Vec::new();
/// assert_eq!(read_jsonl_line(&mut input, &mut buf, 16)?, Some(JsonlLine::Read));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonlLine {
    /// A line (in the buffer, without its `\n` or `\r\n`).
    Read,
    /// A line longer than the limit: skipped up to its newline, not kept
    /// (check it as [`Engine::line_too_long`](crate::rules::Engine::line_too_long)).
    TooLong,
}

/// Reads one line of at most `limit` bytes (not counting its line end) into
/// `buf`. A longer line is skipped to its newline and not kept, so the
/// buffer never holds more than `limit + 2` bytes; `None` at the end.
///
/// ```
/// use medcode::io::{read_jsonl_line, JsonlLine};
/// let mut input = &b"abc\r\nabcdefgh\nxy"[..];
/// let mut buf = Vec::new();
/// assert_eq!(read_jsonl_line(&mut input, &mut buf, 4)?, Some(JsonlLine::Read));
/// assert_eq!(buf, b"abc");
/// assert_eq!(read_jsonl_line(&mut input, &mut buf, 4)?, Some(JsonlLine::TooLong));
/// assert_eq!(read_jsonl_line(&mut input, &mut buf, 4)?, Some(JsonlLine::Read));
/// assert_eq!(buf, b"xy");
/// assert_eq!(read_jsonl_line(&mut input, &mut buf, 4)?, None);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_jsonl_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<JsonlLine>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let avail = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if !too_long {
            if buf.len() + take > limit + 2 {
                too_long = true;
                buf.clear();
                buf.shrink_to(limit + 2);
            } else {
                buf.extend_from_slice(&avail[..take]);
            }
        }
        input.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    // Up to two line-end bytes were allowed for above; the text itself counts.
    if too_long || buf.len() > limit {
        buf.clear();
        return Ok(Some(JsonlLine::TooLong));
    }
    Ok(Some(JsonlLine::Read))
}

#[cfg(test)]
mod tests {
    use super::{read_jsonl_line as next_line, JsonlLine as Line};
    use std::io::BufReader;

    fn lines(input: &[u8], limit: usize) -> Vec<(Line, Vec<u8>)> {
        let mut r = BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        let mut v = Vec::new();
        while let Some(l) = next_line(&mut r, &mut buf, limit).unwrap() {
            assert!(buf.capacity() <= 2 * (limit + 2), "{}", buf.capacity());
            v.push((l, buf.clone()));
        }
        v
    }

    #[test]
    fn long_lines_are_skipped_to_their_newline() {
        let got = lines(b"abc\r\nabcdefgh\nxy\n\nabcd", 4);
        let want: Vec<(Line, Vec<u8>)> = vec![
            (Line::Read, b"abc".to_vec()),
            (Line::TooLong, vec![]),
            (Line::Read, b"xy".to_vec()),
            (Line::Read, vec![]),
            (Line::Read, b"abcd".to_vec()),
        ];
        assert_eq!(got, want);
        assert_eq!(lines(b"abcd\r\nabcde\r\n", 4).len(), 2);
        assert_eq!(lines(b"abcde\r\n", 4)[0].0, Line::TooLong);
        assert!(lines(b"", 4).is_empty());
    }
}
