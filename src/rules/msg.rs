//! Building findings' text without the formatting machinery.
//!
//! A finding's field and message are a handful of pieces: words, a code, a
//! date, a number. `format!` costs several hundred instructions a call on
//! these (argument tables, padding checks, a growing buffer); [`cat!`]
//! pushes each piece onto one buffer sized for a typical message, about a
//! fifth of that (measured with callgrind, BENCHMARKS.md). Pieces that need
//! `Debug` quoting or other formatting still go through `format!`.

use super::{ClaimKind, PreparedClaim};
use crate::date::Date;
use crate::icd10cm::IcdCm;
use crate::icd10pcs::IcdPcs;

/// A piece of a finding's text.
pub(crate) trait Piece {
    /// Appends the piece as `Display` would write it.
    fn push_to(&self, out: &mut String);
}

/// A text as `{:?}` quotes it (`"08"`), as a [`Piece`]. Text of printable
/// ASCII without `"` or `\\` (a discharge status, a sex: what claims
/// write) is written between quotes as it is, which is what `{:?}` writes
/// for it; anything else goes through `{:?}` itself.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl Piece for Quoted<'_> {
    fn push_to(&self, out: &mut String) {
        let plain = self
            .0
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
        if plain {
            out.reserve(self.0.len() + 2);
            out.push('"');
            out.push_str(self.0);
            out.push('"');
        } else {
            use std::fmt::Write;
            let _ = write!(out, "{:?}", self.0);
        }
    }
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

impl Piece for i64 {
    fn push_to(&self, out: &mut String) {
        // Rare (a length of stay): the formatting machinery is fine here.
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
}

impl Piece for Date {
    fn push_to(&self, out: &mut String) {
        Date::push_to(*self, out);
    }
}

impl Piece for IcdCm {
    fn push_to(&self, out: &mut String) {
        self.push_dotted(out);
    }
}

impl Piece for IcdPcs {
    fn push_to(&self, out: &mut String) {
        // The seven characters decoded straight into `out`, as `text`
        // decodes them (no `CodeBuf` filled and copied: about half the
        // instructions).
        use crate::codebuf::sixbit;
        let key = self.key();
        out.reserve(IcdPcs::LEN);
        for pos in 0..IcdPcs::LEN {
            let symbol = sixbit::symbol(key, pos) as usize;
            crate::text::push_ascii_byte(out, sixbit::ASCII_OF_SYMBOL[symbol]);
        }
    }
}

impl Piece for crate::load::ProcedureCode {
    fn push_to(&self, out: &mut String) {
        match self {
            crate::load::ProcedureCode::Cpt(c) => c.text().push_to(out),
            crate::load::ProcedureCode::Hcpcs(c) => c.text().push_to(out),
        }
    }
}

/// The code as `PreparedDx::display` gives it.
impl Piece for super::PreparedDx<'_> {
    fn push_to(&self, out: &mut String) {
        match self.code {
            Some(c) => c.push_to(out),
            None => out.push_str(crate::text::trim(self.raw)),
        }
    }
}

/// The code as `PreparedPcs::display` gives it.
impl Piece for super::PreparedPcs<'_> {
    fn push_to(&self, out: &mut String) {
        match self.code {
            Some(c) => c.push_to(out),
            None => out.push_str(crate::text::trim(self.raw)),
        }
    }
}

/// The code as `PreparedLine::display` gives it.
impl Piece for super::PreparedLine<'_> {
    fn push_to(&self, out: &mut String) {
        match self.code {
            Some(c) => c.push_to(out),
            None => out.push_str(crate::text::trim(self.raw)),
        }
    }
}

/// `diagnoses[i]`, as `dx_field` writes it.
#[derive(Clone, Copy)]
pub(crate) struct DxField(pub usize);

impl Piece for DxField {
    fn push_to(&self, out: &mut String) {
        out.push_str("diagnoses[");
        self.0.push_to(out);
        out.push(']');
    }
}

/// Pieces one after the other: a field path such as
/// `("procedures[", i, "]")` passed to `Emitter::emit_parts` as one piece.
impl<A: Piece, B: Piece> Piece for (A, B) {
    fn push_to(&self, out: &mut String) {
        self.0.push_to(out);
        self.1.push_to(out);
    }
}

impl<A: Piece, B: Piece, C: Piece> Piece for (A, B, C) {
    fn push_to(&self, out: &mut String) {
        self.0.push_to(out);
        self.1.push_to(out);
        self.2.push_to(out);
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

/// The pieces appended to an existing `String` (a recycled finding's
/// message: `Emitter::emit_parts` hands it over emptied).
macro_rules! push {
    ($out:expr; $($piece:expr),+ $(,)?) => {{
        let out: &mut String = $out;
        $( $crate::rules::msg::Piece::push_to(&$piece, out); )+
    }};
}
pub(crate) use push;

/// "the principal diagnosis", "the first-listed diagnosis", "diagnosis 3":
/// a [`Piece`], written into the message without a `String` of its own.
pub(crate) fn ordinal_dx(claim: &PreparedClaim<'_>, i: usize) -> OrdinalDx {
    OrdinalDx(claim.kind, i)
}

/// See [`ordinal_dx`].
pub(crate) struct OrdinalDx(ClaimKind, usize);

impl Piece for OrdinalDx {
    fn push_to(&self, out: &mut String) {
        match (self.1, self.0) {
            (0, ClaimKind::Institutional) => out.push_str("the principal diagnosis"),
            (0, ClaimKind::Professional) => out.push_str("the first-listed diagnosis"),
            (i, _) => push!(out; "diagnosis ", i + 1),
        }
    }
}

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
        let mut text = String::from("x");
        push!(&mut text; ("a[", 3usize, "]"), (super::DxField(12), ".poa"), -5i64, ' ', i64::MIN);
        assert_eq!(text, format!("xa[3]diagnoses[12].poa-5 {}", i64::MIN));
    }

    /// `Quoted` writes what `{:?}` writes, plain text or not.
    #[test]
    fn quoted_writes_what_debug_writes() {
        let texts = [
            "", "08", "X", " 7 ", "a'b", "~", "a\"b", "a\\b", "\t", "\n\r", "\0", "\u{7f}", "é",
            "\u{301}x", "x\u{301}", "\u{200b}", "💊",
        ];
        for text in texts {
            assert_eq!(cat!(Quoted(text)), format!("{text:?}"), "{text:?}");
        }
        for b in 0..=127u8 {
            let text = char::from(b).to_string();
            assert_eq!(cat!(Quoted(&text)), format!("{text:?}"), "{b}");
        }
    }
}
