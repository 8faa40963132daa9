//! Building findings' text without the formatting machinery.
//!
//! A finding's field and message are a handful of pieces: words, a code, a
//! date, a number. `format!` costs several hundred instructions a call on
//! these (argument tables, padding checks, a growing buffer); [`cat!`]
//! pushes each piece onto one buffer sized for a typical message, about a
//! fifth of that (measured with callgrind, BENCHMARKS.md). Pieces that need
//! `Debug` quoting or other formatting still go through `format!`.

use crate::date::Date;
use crate::icd10cm::IcdCm;
use crate::icd10pcs::IcdPcs;

/// A piece of a finding's text.
pub(crate) trait Piece {
    /// Appends the piece as `Display` would write it.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// Nothing for `None` (as `unwrap_or_default()` on the text would give).
impl<T: Piece> Piece for Option<T> {
    fn push_to(&self, out: &mut String) {
        if let Some(piece) = self {
            piece.push_to(out);
        }
    }
}

impl Piece for char {
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl Piece for usize {
    fn push_to(&self, out: &mut String) {
        super::push_usize(out, *self);
    }
}

impl Piece for u32 {
    fn push_to(&self, out: &mut String) {
        super::push_usize(out, *self as usize);
    }
}

impl Piece for Date {
    fn push_to(&self, out: &mut String) {
        Date::push_to(*self, out);
    }
}

impl Piece for IcdCm {
    fn push_to(&self, out: &mut String) {
        out.push_str(self.text().as_str());
    }
}

impl Piece for IcdPcs {
    fn push_to(&self, out: &mut String) {
        out.push_str(self.text().as_str());
    }
}

/// The pieces concatenated into a new `String` (each as `Display` writes it).
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {{
        let mut text = String::with_capacity(96);
        $( $crate::rules::msg::Piece::push_to(&$piece, &mut text); )+
        text
    }};
}
pub(crate) use cat;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_write_what_display_writes() {
        let cm: IcdCm = "e119".parse().unwrap();
        let pcs: IcdPcs = "0SRD0JZ".parse().unwrap();
        let date = Date::new(2025, 10, 1).unwrap();
        let owned = String::from("owned");
        let text = cat!(
            "a ",
            cm,
            ' ',
            pcs,
            " on ",
            date,
            ": ",
            0usize,
            "/",
            4_294_967_295u32,
            " ",
            owned,
            " ",
            &owned
        );
        assert_eq!(
            text,
            format!("a {cm} {pcs} on {date}: {}/{} {owned} {owned}", 0, u32::MAX)
        );
        assert_eq!(cat!(usize::MAX), usize::MAX.to_string());
        assert_eq!(cat!("on ", Some(date), "/", None::<Date>), "on 2025-10-01/");
    }
}
