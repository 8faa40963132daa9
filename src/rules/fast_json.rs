//! A reader for the common shape of a claim in JSON: the JSON Lines fast
//! path. It reads only what it is sure of: strings without escapes, plain
//! numbers, the claim's own field names, each once. On anything else (an
//! escape, an unknown or repeated field, a value of another kind, any JSON
//! error) it answers `None`, and the engine reads the line with serde as
//! before; so where it answers, it answers exactly as serde would (a property
//! test and the recorded-output test hold it to that).

use super::prepared::spare;
use crate::claim::{ClaimLineRef, ClaimRef, DiagnosisRef, PatientRef, ProcedureRef};
use std::borrow::Cow;

/// Reads one claim, or `None` when the serde path must decide.
#[cfg(test)]
pub(crate) fn read_claim(text: &str) -> Option<ClaimRef<'_>> {
    let mut claim = ClaimRef::default();
    read_claim_into(text, &mut claim).then_some(claim)
}

/// As `read_claim`, into `claim` (a default one): false when the reader
/// declines, `claim` then holding what was read so far. Filled in place
/// because a `ClaimRef` is about 300 bytes, and each `Option` or `Result`
/// it was returned through cost a copy (with `recycle` taking it by
/// reference, 337 instructions a claim fewer, measured before the serde
/// fallback went out of line).
pub(crate) fn read_claim_into<'a>(text: &'a str, claim: &mut ClaimRef<'a>) -> bool {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    if r.claim(claim).is_none() {
        return false;
    }
    r.space();
    r.at == r.bytes.len()
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after white space, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    /// A string without escapes or control characters, borrowed.
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        // In JSON Lines the quote is usually the very next byte.
        if self.bytes.get(self.at) != Some(&b'"') {
            self.eat(b'"')?;
        } else {
            self.at += 1;
        }
        let start = self.at;
        // Skip the bytes that need no care, then look at the one that stops.
        let end = super::next_json_special(self.bytes, start)?;
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        // Both ends sit at ASCII quotes, so they are character boundaries.
        self.text.get(start..end)
    }

    /// The text of a JSON number, checked against the JSON grammar.
    fn number_token(&mut self) -> Option<&'a str> {
        self.space();
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > from
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        self.text.get(start..self.at)
    }

    /// A number as the claim's lenient number reader gives it.
    fn number_value(&mut self) -> Option<Option<f64>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            return Some(None);
        }
        let token = self.number_token()?;
        if let Some(n) = small_natural(token) {
            // serde hands a non-negative integer over as u64; `as f64` is exact here.
            return Some(Some(n as f64));
        }
        // Anything else goes through serde's own number parsing, for the
        // same value to the last bit.
        serde_json::from_str::<crate::claim::Number>(token)
            .ok()
            .map(|n| n.0)
    }

    /// A text field: a string (borrowed), `null`, a small natural number
    /// (its digits are its text), `true` or `false`.
    #[inline(always)]
    fn text(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => Some(Some(Cow::Borrowed(self.string()?))),
            b'n' => self.literal("null").map(|()| None),
            b't' => self.literal("true").map(|()| Some(Cow::Borrowed("true"))),
            b'f' => self.literal("false").map(|()| Some(Cow::Borrowed("false"))),
            _ => {
                let token = self.number_token()?;
                small_natural(token).map(|_| Some(Cow::Borrowed(token)))
            }
        }
    }

    /// The items of a list field (`null` is empty), each read by `item`.
    fn list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        // Room for a typical list at once, instead of growing twice.
        self.list_into(Vec::with_capacity(8), item)
    }

    /// [`list`](Self::list) into `out` (empty): a buffer kept from an
    /// earlier claim ([`spare`]).
    fn list_into<T>(
        &mut self,
        mut out: Vec<T>,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            return Some(out);
        }
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(out);
        }
        loop {
            out.push(item(self)?);
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// The fields of an object, each handed to `field` with its name.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let name = self.string()?;
            self.eat(b':')?;
            field(self, name)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The fields of an object, each handed to `field`, which reads the
    /// value and answers the field's bit; a field met twice answers `None`.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<u32>) -> Option<()> {
        let mut seen = 0u32;
        self.object(|r, name| {
            let bit = field(r, name)?;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            Some(())
        })
    }

    fn claim(&mut self, c: &mut ClaimRef<'a>) -> Option<()> {
        self.fields(|r, name| {
            Some(match name {
                "id" => {
                    c.id = r.text()?;
                    1
                }
                "type" => {
                    c.claim_type = r.text()?;
                    2
                }
                "patient" => {
                    c.patient = r.patient()?.unwrap_or_default();
                    4
                }
                "service_date" => {
                    c.service_date = r.text()?;
                    8
                }
                "admission_date" => {
                    c.admission_date = r.text()?;
                    16
                }
                "discharge_date" => {
                    c.discharge_date = r.text()?;
                    32
                }
                "discharge_status" => {
                    c.discharge_status = r.text()?;
                    64
                }
                "diagnoses" => {
                    c.diagnoses =
                        r.list_into(spare::take(&spare::READ_DIAGNOSES), Self::diagnosis)?;
                    128
                }
                "admitting_diagnosis" => {
                    c.admitting_diagnosis = r.text()?;
                    256
                }
                "procedures" => {
                    c.procedures =
                        r.list_into(spare::take(&spare::READ_PROCEDURES), Self::procedure)?;
                    512
                }
                "lines" => {
                    c.lines = r.list_into(spare::take(&spare::READ_LINES), Self::line)?;
                    1024
                }
                _ => return None,
            })
        })
    }

    fn patient(&mut self) -> Option<Option<PatientRef<'a>>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            return Some(None);
        }
        let mut p = PatientRef::default();
        self.fields(|r, name| {
            Some(match name {
                "sex" => {
                    p.sex = r.text()?;
                    1
                }
                "birth_date" => {
                    p.birth_date = r.text()?;
                    2
                }
                "age" => {
                    p.age = r.number_value()?;
                    4
                }
                _ => return None,
            })
        })?;
        Some(Some(p))
    }

    fn diagnosis(&mut self) -> Option<DiagnosisRef<'a>> {
        let mut d = DiagnosisRef::default();
        // The code alone, as a string, is a diagnosis too.
        if self.peek()? == b'"' {
            d.code = Some(Cow::Borrowed(self.string()?));
            return Some(d);
        }
        self.fields(|r, name| {
            Some(match name {
                "code" => {
                    d.code = r.text()?;
                    1
                }
                "poa" => {
                    d.poa = r.text()?;
                    2
                }
                _ => return None,
            })
        })?;
        Some(d)
    }

    fn procedure(&mut self) -> Option<ProcedureRef<'a>> {
        let mut p = ProcedureRef::default();
        self.fields(|r, name| {
            Some(match name {
                "code" => {
                    p.code = r.text()?;
                    1
                }
                "date" => {
                    p.date = r.text()?;
                    2
                }
                _ => return None,
            })
        })?;
        Some(p)
    }

    fn line(&mut self) -> Option<ClaimLineRef<'a>> {
        let mut l = ClaimLineRef::default();
        self.fields(|r, name| {
            Some(match name {
                "code" => {
                    l.code = r.text()?;
                    1
                }
                "modifiers" => {
                    l.modifiers = r.modifiers()?;
                    2
                }
                "units" => {
                    l.units = r.number_value()?;
                    4
                }
                "dx_pointers" => {
                    l.dx_pointers = r.pointers()?;
                    8
                }
                "service_date" => {
                    l.service_date = r.text()?;
                    16
                }
                "charge" => {
                    l.charge = r.number_value()?;
                    32
                }
                _ => return None,
            })
        })?;
        Some(l)
    }

    /// Modifiers: a list of texts (`null` items are empty texts), one string,
    /// or `null`.
    fn modifiers(&mut self) -> Option<Vec<Cow<'a, str>>> {
        if self.peek()? == b'"' {
            return Some(vec![Cow::Borrowed(self.string()?)]);
        }
        self.list(|r| Some(r.text()?.unwrap_or_default()))
    }

    /// Diagnosis pointers: numbers (`null` is 0; fractions and huge values
    /// are kept marked, as serde reads them).
    fn pointers(&mut self) -> Option<Vec<i64>> {
        self.list(|r| Some(r.number_value()?.map_or(0, crate::claim::pointer_from_f64)))
    }
}

/// A non-negative integer of at most 15 digits without leading zeros: its
/// value (exact as an f64) and, as text, its own digits.
fn small_natural(token: &str) -> Option<u64> {
    let b = token.as_bytes();
    if b.is_empty() || b.len() > 15 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    b.iter().try_fold(0u64, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let fast = read_claim(text).unwrap_or_else(|| panic!("fast path declined {text}"));
        let slow: ClaimRef<'_> = serde_json::from_str(text).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}");
    }

    #[test]
    fn reads_the_typical_claims_as_serde_does() {
        for line in include_str!("../../examples/typical_claims.jsonl").lines() {
            same(line);
        }
        same(
            r#" { "id" : 17 , "type":"professional","patient":null,"lines":[{"modifiers":"rt","dx_pointers":[1,null,2.5,3.0,-4,1e20],"units":1.5,"charge":-0.0}],"diagnoses":[{},{"code":null,"poa":true}]} "#,
        );
        same(r#"{"lines":[{"modifiers":[null,"25",7]}],"procedures":null,"diagnoses":[]}"#);
    }

    #[test]
    fn declines_what_it_is_not_sure_of() {
        for text in [
            r#"{"id":"a\"b"}"#,
            r#"{"id":"x","id":"y"}"#,
            r#"{"payer":"x"}"#,
            r#"{"id":-1}"#,
            r#"{"id":1.5}"#,
            r#"{"id":007}"#,
            r#"{"lines":[{"units":"3"}]}"#,
            r#"{"diagnoses":[null]}"#,
            r#"{"lines":[{"modifiers":25}]}"#,
            r#"{"id":"x"} x"#,
            r#"{"id":"x",}"#,
            r#"[]"#,
            r#""#,
            "{\"id\":\"a\tb\"}",
        ] {
            assert!(read_claim(text).is_none(), "{text}");
        }
    }
}
