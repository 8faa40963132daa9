//! A reader for the common shape of a claim in JSON: the JSON Lines fast
//! path. It reads only what it is sure of: strings without escapes, plain
//! numbers, the claim's own field names, each once. On anything else (an
//! escape, an unknown or repeated field, a value of another kind, any JSON
//! error) it answers `None`, and the engine reads the line with serde as
//! before; so where it answers, it answers exactly as serde would (a property
//! test and the recorded-output test hold it to that).

use super::spare;
use crate::claim::{
    ClaimLineRef, ClaimRef, DiagnosisRef, OccurrenceCodeRef, PatientRef, ProcedureRef, ValueCodeRef,
};
use std::borrow::Cow;

/// Reads one claim into `claim` (its default), or answers `None` when the
/// serde path must decide (`claim` then holds what was read so far). Out
/// of line: it measured a little better so (and callgrind shows the reader
/// as one function).
#[inline(never)]
pub(crate) fn read_claim<'a>(text: &'a str, claim: &mut ClaimRef<'a>) -> Option<()> {
    let mut r = Reader { text, at: 0 };
    r.claim(claim)?;
    // Compact JSON Lines end right after the claim: no call for white space.
    if r.at != text.len() {
        r.space();
    }
    (r.at == text.len()).then_some(())
}

/// A claim as the MS-DRG grouper reads it, read from its JSON text
/// straight into the grouper's input ([`read_inpatient`]): no
/// [`ClaimRef`] between, whose lists would be walked again to make the
/// input. The texts are borrowed from the claim's text; the diagnoses and
/// procedures go to `lists` (the grouper's input) as they are read.
pub(crate) struct InpatientRef<'a, L> {
    pub id: Option<&'a str>,
    pub claim_type: Option<&'a str>,
    pub admission_date: Option<&'a str>,
    pub discharge_date: Option<&'a str>,
    pub service_date: Option<&'a str>,
    pub discharge_status: Option<&'a str>,
    pub sex: Option<&'a str>,
    pub age: Option<f64>,
    pub admitting_diagnosis: Option<&'a str>,
    pub lists: L,
}

impl<'a, L: InpatientLists<'a>> InpatientRef<'a, L> {
    /// An empty claim whose diagnoses and procedures go to `lists`.
    pub(crate) fn new(lists: L) -> InpatientRef<'a, L> {
        InpatientRef {
            id: None,
            claim_type: None,
            admission_date: None,
            discharge_date: None,
            service_date: None,
            discharge_status: None,
            sex: None,
            age: None,
            admitting_diagnosis: None,
            lists,
        }
    }
}

/// Where [`read_inpatient`] puts a claim's diagnoses and procedures (the
/// grouper's input, which this module does not know).
pub(crate) trait InpatientLists<'a> {
    /// Empties the diagnoses (a claim's `diagnoses` is being read).
    fn clear_diagnoses(&mut self);
    /// The claim's next diagnosis (the first is the principal): its code
    /// and POA indicator as read (`None`: missing or `null`).
    fn push_diagnosis(&mut self, code: Option<&'a str>, poa: Option<&'a str>);
    /// Empties the procedures.
    fn clear_procedures(&mut self);
    /// The claim's next procedure's code (`None`: missing or `null`).
    fn push_procedure(&mut self, code: Option<&'a str>);
}

/// [`read_claim`] for the MS-DRG grouper: the fields it reads, straight
/// into `claim` (its [`InpatientRef::new`]). Where this answers, the claim
/// reads as a [`ClaimRef`] by [`read_claim`] with the same values (the
/// same reader, field by field); it also answers `None` for a claim with
/// service lines or any UB-04 field (`bill_type`, …): those take the
/// general way (a claim that names `bill_type` may be an outpatient one).
#[inline(never)]
pub(crate) fn read_inpatient<'a, L: InpatientLists<'a>>(
    text: &'a str,
    claim: &mut InpatientRef<'a, L>,
) -> Option<()> {
    let mut r = Reader { text, at: 0 };
    r.claim(claim)?;
    if r.at != text.len() {
        r.space();
    }
    (r.at == text.len()).then_some(())
}

/// An outpatient claim as the I/OCE reads it, read from its JSON text
/// straight into the editor's input ([`read_outpatient`]): no [`ClaimRef`]
/// between, whose lines would be walked again (and moved) to make the
/// input. The texts are borrowed from the claim's text; the diagnoses,
/// condition codes, reasons for visit and lines go to `lists` (the
/// editor's input, which this module does not know) as they are read.
#[cfg(feature = "ioce")]
pub(crate) struct OutpatientRef<'a, L> {
    pub id: Option<&'a str>,
    pub bill_type: Option<&'a str>,
    pub from_date: Option<&'a str>,
    pub through_date: Option<&'a str>,
    pub service_date: Option<&'a str>,
    pub receipt_date: Option<&'a str>,
    pub discharge_status: Option<&'a str>,
    pub opps_flag: Option<&'a str>,
    pub sex: Option<&'a str>,
    pub age: Option<f64>,
    pub lists: L,
}

#[cfg(feature = "ioce")]
impl<'a, L: OutpatientLists<'a>> OutpatientRef<'a, L> {
    /// An empty claim whose lists go to `lists`.
    pub(crate) fn new(lists: L) -> OutpatientRef<'a, L> {
        OutpatientRef {
            id: None,
            bill_type: None,
            from_date: None,
            through_date: None,
            service_date: None,
            receipt_date: None,
            discharge_status: None,
            opps_flag: None,
            sex: None,
            age: None,
            lists,
        }
    }
}

/// A service line's fields as [`read_outpatient`] hands them on (its
/// modifiers go to [`OutpatientLists::push_modifier`] first).
#[cfg(feature = "ioce")]
#[derive(Default)]
pub(crate) struct LineFields<'a> {
    pub code: Option<&'a str>,
    pub service_date: Option<&'a str>,
    pub revenue_code: Option<&'a str>,
    pub units: Option<f64>,
    pub charge: Option<f64>,
}

/// Where [`read_outpatient`] puts a claim's lists, each item as it is
/// read, in order.
#[cfg(feature = "ioce")]
pub(crate) trait OutpatientLists<'a> {
    /// The claim's next diagnosis's code (`None`: missing or `null`).
    fn push_diagnosis(&mut self, code: Option<&'a str>);
    /// The claim's next condition code (`null` is empty).
    fn push_condition_code(&mut self, code: &'a str);
    /// The claim's next reason-for-visit diagnosis (`null` is empty).
    fn push_reason_for_visit(&mut self, code: &'a str);
    /// The next modifier of the line being read (`null` is empty).
    fn push_modifier(&mut self, modifier: &'a str);
    /// Forget the modifiers of the line being read (it is read again).
    fn clear_modifiers(&mut self);
    /// The line read: its fields, with the modifiers pushed since the last
    /// line.
    fn push_line(&mut self, line: LineFields<'a>);
}

/// [`read_claim`] for the I/OCE: the fields it reads, straight into
/// `claim` (its [`OutpatientRef::new`]). Where this answers, the claim
/// reads as a [`ClaimRef`] by [`read_claim`] with the same values (the
/// same reader, field by field, the fields the editor does not read
/// checked as that reads them); `None` for anything else, which the caller
/// reads the general way.
#[cfg(feature = "ioce")]
#[inline(never)]
pub(crate) fn read_outpatient<'a, L: OutpatientLists<'a>>(
    text: &'a str,
    claim: &mut OutpatientRef<'a, L>,
) -> Option<()> {
    let mut r = Reader { text, at: 0 };
    r.claim(claim)?;
    if r.at != text.len() {
        r.space();
    }
    (r.at == text.len()).then_some(())
}

#[cfg(feature = "ioce")]
impl<'a, L: OutpatientLists<'a>> ClaimSink<'a> for OutpatientRef<'a, L> {
    #[inline(always)]
    fn field(&mut self, r: &mut Reader<'a>, field: Field) -> Option<()> {
        // (Each field as `claim_field` and `ub04_field` read it into a
        // `ClaimRef`; those the editor does not read are read all the same,
        // so that a claim reads here exactly when it reads there.)
        match field {
            Id => self.id = borrowed(r.short_text()?)?,
            Type => {
                r.claim_type()?;
            }
            Patient => {
                let mut p = PatientRef::default();
                r.patient(&mut p)?;
                self.sex = borrowed(p.sex)?;
                self.age = p.age;
            }
            ServiceDate => self.service_date = borrowed(r.date()?)?,
            AdmissionDate | DischargeDate => {
                r.date()?;
            }
            DischargeStatus => self.discharge_status = borrowed(r.short_text()?)?,
            Diagnoses => {
                if r.list_start()? {
                    loop {
                        let (code, _) = r.diagnosis_texts()?;
                        self.lists.push_diagnosis(code);
                        if !r.more(b']')? {
                            break;
                        }
                    }
                }
            }
            AdmittingDiagnosis => {
                r.short_text()?;
            }
            Procedures => {
                r.list(Reader::procedure)?;
            }
            Lines => {
                if r.list_start()? {
                    loop {
                        r.outpatient_line(&mut self.lists)?;
                        if !r.more(b']')? {
                            break;
                        }
                    }
                }
            }
            BillType => self.bill_type = borrowed(r.short_text()?)?,
            FromDate => self.from_date = borrowed(r.date()?)?,
            ThroughDate => self.through_date = borrowed(r.date()?)?,
            ConditionCodes => {
                let lists = &mut self.lists;
                r.modifier_texts(|c| lists.push_condition_code(c))?;
            }
            OccurrenceCodes => {
                r.list(Reader::occurrence_code)?;
            }
            ValueCodes => {
                r.list(Reader::value_code)?;
            }
            ReasonForVisit => {
                let lists = &mut self.lists;
                r.modifier_texts(|c| lists.push_reason_for_visit(c))?;
            }
            ReceiptDate => self.receipt_date = borrowed(r.date()?)?,
            OppsFlag => self.opps_flag = borrowed(r.short_text()?)?,
            _ => return None,
        }
        Some(())
    }
}

/// Where the claim reader puts a claim's fields.
trait ClaimSink<'a> {
    /// Reads the value of the claim's field `field` into `self`.
    fn field(&mut self, r: &mut Reader<'a>, field: Field) -> Option<()>;
}

impl<'a> ClaimSink<'a> for ClaimRef<'a> {
    #[inline(always)]
    fn field(&mut self, r: &mut Reader<'a>, field: Field) -> Option<()> {
        r.claim_field(self, field)
    }
}

/// A text the reader read as borrowed (it always is: the reader declines
/// escapes), else `None`.
#[inline(always)]
fn borrowed(text: Option<Cow<'_, str>>) -> Option<Option<&str>> {
    match text {
        None => Some(None),
        Some(Cow::Borrowed(s)) => Some(Some(s)),
        Some(Cow::Owned(_)) => None,
    }
}

impl<'a, L: InpatientLists<'a>> ClaimSink<'a> for InpatientRef<'a, L> {
    #[inline(always)]
    fn field(&mut self, r: &mut Reader<'a>, field: Field) -> Option<()> {
        match field {
            Id => self.id = borrowed(r.short_text()?)?,
            Type => self.claim_type = borrowed(r.claim_type()?)?,
            Patient => {
                let mut p = PatientRef::default();
                r.patient(&mut p)?;
                self.sex = borrowed(p.sex)?;
                self.age = p.age;
            }
            ServiceDate => self.service_date = borrowed(r.date()?)?,
            AdmissionDate => self.admission_date = borrowed(r.date()?)?,
            DischargeDate => self.discharge_date = borrowed(r.date()?)?,
            DischargeStatus => self.discharge_status = borrowed(r.short_text()?)?,
            // The lists' items read in line here (no call an item).
            Diagnoses => {
                self.lists.clear_diagnoses();
                if r.list_start()? {
                    loop {
                        let (code, poa) = r.diagnosis_texts()?;
                        self.lists.push_diagnosis(code, poa);
                        if !r.more(b']')? {
                            break;
                        }
                    }
                }
            }
            AdmittingDiagnosis => self.admitting_diagnosis = borrowed(r.short_text()?)?,
            Procedures => {
                self.lists.clear_procedures();
                if r.list_start()? {
                    loop {
                        let code = r.procedure_code()?;
                        self.lists.push_procedure(code);
                        if !r.more(b']')? {
                            break;
                        }
                    }
                }
            }
            _ => return None,
        }
        Some(())
    }
}

/// The fields the reader knows, of every kind of object.
#[derive(Clone, Copy)]
enum Field {
    Id,
    Type,
    Patient,
    ServiceDate,
    AdmissionDate,
    DischargeDate,
    DischargeStatus,
    Diagnoses,
    AdmittingDiagnosis,
    Procedures,
    Lines,
    Sex,
    BirthDate,
    Age,
    Code,
    Poa,
    Date,
    Modifiers,
    Units,
    DxPointers,
    Charge,
    BillType,
    FromDate,
    ThroughDate,
    ConditionCodes,
    OccurrenceCodes,
    ValueCodes,
    ReasonForVisit,
    ReceiptDate,
    OppsFlag,
    RevenueCode,
    Amount,
}

use Field::*;

/// Each kind of object's fields, each with its name as compact JSON
/// writes it (`key!`), in the order serde writes them (the order of the
/// structs' fields): [`Reader::key`] tries them in this order, skipping
/// those already read, so in JSON written that way the first it tries is
/// usually the one. A field is handed on as its `Field`, not its name, so
/// that the reader branches on it once (a `match` on the name would
/// compare the name again).
type Names = [(&'static str, Field)];

/// A field's name as compact JSON writes it: in quotes, `:` right after.
macro_rules! key {
    ($name:literal) => {
        concat!('"', $name, "\":")
    };
}

/// One field of a line written with its names in alphabetical order
/// (`Reader::sorted_line`, `Reader::sorted_outpatient_line`): when `$name`
/// comes next in reader `$r`, read it with `$read`, then go past its `,`,
/// or return `Some($line)` at the line's `}`, or `None` on anything else
/// (the caller reads the line again the general way).
macro_rules! sorted_line_field {
    ($r:ident, $line:ident, $name:literal, $read:expr) => {
        if $r.at_word(key!($name)) {
            $r.at += key!($name).len();
            $read;
            match $r.bytes().get($r.at) {
                Some(b',') => $r.at += 1,
                Some(b'}') => {
                    $r.at += 1;
                    return Some($line);
                }
                _ => return None,
            }
        }
    };
}

const CLAIM: &Names = &[
    (key!("id"), Id),
    (key!("type"), Type),
    (key!("patient"), Patient),
    (key!("service_date"), ServiceDate),
    (key!("admission_date"), AdmissionDate),
    (key!("discharge_date"), DischargeDate),
    (key!("discharge_status"), DischargeStatus),
    (key!("diagnoses"), Diagnoses),
    (key!("admitting_diagnosis"), AdmittingDiagnosis),
    (key!("procedures"), Procedures),
    (key!("lines"), Lines),
    (key!("bill_type"), BillType),
    (key!("from_date"), FromDate),
    (key!("through_date"), ThroughDate),
    (key!("condition_codes"), ConditionCodes),
    (key!("occurrence_codes"), OccurrenceCodes),
    (key!("value_codes"), ValueCodes),
    (key!("reason_for_visit"), ReasonForVisit),
    (key!("receipt_date"), ReceiptDate),
    (key!("opps_flag"), OppsFlag),
];
const PATIENT: &Names = &[
    (key!("sex"), Sex),
    (key!("birth_date"), BirthDate),
    (key!("age"), Age),
];
const DIAGNOSIS: &Names = &[(key!("code"), Code), (key!("poa"), Poa)];
const PROCEDURE: &Names = &[(key!("code"), Code), (key!("date"), Date)];
const LINE: &Names = &[
    (key!("code"), Code),
    (key!("modifiers"), Modifiers),
    (key!("units"), Units),
    (key!("dx_pointers"), DxPointers),
    (key!("service_date"), ServiceDate),
    (key!("charge"), Charge),
    (key!("revenue_code"), RevenueCode),
];
const OCCURRENCE: &Names = &[(key!("code"), Code), (key!("date"), Date)];
const VALUE: &Names = &[(key!("code"), Code), (key!("amount"), Amount)];

/// `*slot = list`, without the call that drops the list it replaces when
/// that is, as in a claim's default, empty with nothing allocated.
#[inline(always)]
fn set_list<T>(slot: &mut Vec<T>, list: Vec<T>) {
    let old = std::mem::replace(slot, list);
    if old.capacity() == 0 {
        // Nothing to free, nor items to drop.
        std::mem::forget(old);
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    /// The text's bytes. Taken from `text` each time, not kept beside it,
    /// so that the compiler sees they are the same memory (the character
    /// boundary checks of [`slice`](Self::slice) can use what it has seen).
    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Out of line: compact JSON has no white space to skip, and the hot
    /// paths stay small without it.
    #[inline(never)]
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after white space, not consumed.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        let b = *self.bytes().get(self.at)?;
        // Every byte JSON allows here is above the space character; the
        // white space (and anything else below) takes the long way.
        if b > b' ' {
            return Some(b);
        }
        self.space();
        self.bytes().get(self.at).copied()
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes().get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    /// The text from `start` to `end`, cut at ASCII bytes.
    #[inline(always)]
    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        self.text.get(start..)?.get(..end - start)
    }

    /// A string without escapes or control characters, borrowed.
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        self.string_rest()
    }

    /// [`string`](Self::string) after its opening quote.
    #[inline(always)]
    fn string_rest(&mut self) -> Option<&'a str> {
        let start = self.at;
        // Skip the bytes that need no care, then look at the one that stops.
        let end = crate::json_scan::next_json_special(self.bytes(), start)?;
        if self.bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        // Both ends sit at ASCII quotes, so they are character boundaries.
        self.slice(start, end)
    }

    /// The index in `names` and the field of the next field's name, its
    /// `:` read too; `None` for a name not in `names` or already `seen`.
    /// In compact JSON the name is written plainly right here, `":` right
    /// after, so the bytes are compared in place with each key not yet
    /// `seen` (constants: a length check and a few word compares each, no
    /// scan for the closing quote). Anything else (white space, an escape,
    /// a name met again) takes the general way.
    #[inline(always)]
    fn key(&mut self, names: &Names, seen: u32) -> Option<(usize, Field)> {
        let rest = self.bytes().get(self.at..)?;
        for (i, &(key, field)) in names.iter().enumerate() {
            if seen & 1 << i == 0 && rest.starts_with(key.as_bytes()) {
                self.at += key.len();
                return Some((i, field));
            }
        }
        let name = self.string()?;
        self.eat(b':')?;
        // The name between the quote and `":`.
        let i = names
            .iter()
            .position(|&(key, _)| key[1..key.len() - 2] == *name)?;
        (seen & 1 << i == 0).then_some((i, names[i].1))
    }

    /// [`string_rest`](Self::string_rest) for a string that is likely
    /// short (a code, a `poa`): its end looked for in the next eight bytes
    /// first, with one word's test (the general scan tests sixteen).
    #[inline(always)]
    fn short_string_rest(&mut self) -> Option<&'a str> {
        let start = self.at;
        let Some(word) = self.bytes().get(start..start + 8) else {
            return self.string_rest();
        };
        let mask = crate::json_scan::json_special_mask(crate::json_scan::word8(word));
        if mask == 0 {
            return self.string_rest();
        }
        let end = start + crate::json_scan::first_marked(mask);
        if self.bytes()[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        self.slice(start, end)
    }

    /// The ASCII digits from byte `at` on: where they end, and `n` with
    /// them appended (wrapping: the callers refuse more than 15 digits).
    #[inline(always)]
    fn digits_from(&self, mut at: usize, mut n: u64) -> (usize, u64) {
        while let Some(&d @ b'0'..=b'9') = self.bytes().get(at) {
            n = n.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            at += 1;
        }
        (at, n)
    }

    /// A plain natural number (no sign, fraction, exponent or leading zero)
    /// of at most 15 digits at the reader: its value, exact as an `f64`,
    /// and its text. Anything else is left unread for the general way.
    #[inline(always)]
    fn natural(&mut self) -> Option<(u64, &'a str)> {
        let start = self.at;
        // (A value of more than 15 digits is refused below.)
        let (end, n) = self.digits_from(start, 0);
        let digits = end - start;
        if digits == 0
            || digits > 15
            || (digits > 1 && self.bytes()[start] == b'0')
            || matches!(self.bytes().get(end), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        let token = self.slice(start, end)?;
        self.at = end;
        Some((n, token))
    }

    /// A plain decimal fraction (digits, `.`, digits: no sign or exponent,
    /// no leading zero but a lone one) of at most 15 digits in all at the
    /// reader (a charge): its value. Anything else is left unread for the
    /// general way (serde's parse took about 400 instructions a charge).
    /// The same value to the last bit as serde's: the digits without the
    /// point are an integer below 2^53 and the power of ten is at most
    /// 10^15, both exact as `f64`s, so their quotient is the correctly
    /// rounded value, which serde computes the same way (and, with
    /// `float_roundtrip`, also gives).
    #[inline(always)]
    fn decimal(&mut self) -> Option<f64> {
        const POW10: [f64; 16] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        ];
        let start = self.at;
        // (More than 15 digits are refused below.)
        let (end, n) = self.digits_from(start, 0);
        let whole = end - start;
        if whole == 0
            || (whole > 1 && self.bytes()[start] == b'0')
            || self.bytes().get(end) != Some(&b'.')
        {
            return None;
        }
        let point = end + 1;
        let (end, n) = self.digits_from(point, n);
        let fraction = end - point;
        if fraction == 0
            || whole + fraction > 15
            || matches!(self.bytes().get(end), Some(b'e' | b'E'))
        {
            return None;
        }
        self.at = end;
        Some(n as f64 / POW10[fraction])
    }

    /// The text of a JSON number, checked against the JSON grammar.
    fn number_token(&mut self) -> Option<&'a str> {
        self.space();
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes().get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > from
        };
        if self.bytes().get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes().get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.bytes().get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.bytes().get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes().get(self.at) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        self.slice(start, self.at)
    }

    /// [`number_value`](Self::number_value), a plain natural number written
    /// right here read in line (an age, units): no call, and no look for
    /// white space or `null` first. Anything else is left, unread, to
    /// `number_value`.
    #[inline(always)]
    fn number(&mut self) -> Option<Option<f64>> {
        match self.natural() {
            // serde hands a non-negative integer over as u64; `as f64` is exact here.
            Some((n, _)) => Some(Some(n as f64)),
            // (A plain decimal fraction, a charge, read here too.)
            None => match self.decimal() {
                Some(x) => Some(Some(x)),
                None => self.number_value(),
            },
        }
    }

    /// A number as the claim's lenient number reader gives it.
    fn number_value(&mut self) -> Option<Option<f64>> {
        match self.peek()? {
            b'n' => {
                self.literal("null")?;
                return Some(None);
            }
            b'0'..=b'9' => {
                if let Some((n, _)) = self.natural() {
                    // serde hands a non-negative integer over as u64; `as f64` is exact here.
                    return Some(Some(n as f64));
                }
                if let Some(x) = self.decimal() {
                    return Some(Some(x));
                }
            }
            _ => {}
        }
        // Anything else goes through serde's own number parsing, for the
        // same value to the last bit.
        let token = self.number_token()?;
        serde_json::from_str::<crate::claim::Number>(token)
            .ok()
            .map(|n| n.0)
    }

    /// A text field: a string (borrowed), `null`, a small natural number
    /// (its digits are its text), `true` or `false`.
    #[inline(always)]
    fn text(&mut self) -> Option<Option<Cow<'a, str>>> {
        self.text_of(false)
    }

    /// [`text`](Self::text) for a field whose strings are likely short (at
    /// most seven bytes: an id, a sex, a status, a code):
    /// [`short_string_rest`](Self::short_string_rest).
    #[inline(always)]
    fn short_text(&mut self) -> Option<Option<Cow<'a, str>>> {
        self.text_of(true)
    }

    #[inline(always)]
    fn text_of(&mut self, short: bool) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                let s = if short {
                    self.short_string_rest()?
                } else {
                    self.string_rest()?
                };
                Some(Some(Cow::Borrowed(s)))
            }
            b'n' => self.literal("null").map(|()| None),
            b't' => self.literal("true").map(|()| Some(Cow::Borrowed("true"))),
            b'f' => self.literal("false").map(|()| Some(Cow::Borrowed("false"))),
            _ => self.natural().map(|(_, token)| Some(Cow::Borrowed(token))),
        }
    }

    /// After an item or field: `Some(true)` at the next one (its `,` read),
    /// `Some(false)` at the end (`close` read).
    #[inline(always)]
    fn more(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(true)
            }
            b if b == close => {
                self.at += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// The items of a list field (`null` is empty), each read by `item`.
    fn list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        // Room for a typical list at once, instead of growing twice.
        self.list_into(Vec::with_capacity(8), item)
    }

    /// [`list`](Self::list) into `out` (empty): a buffer kept from an
    /// earlier claim ([`spare`]).
    #[inline(always)]
    fn list_into<T>(
        &mut self,
        mut out: Vec<T>,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        match self.peek()? {
            b'n' => {
                self.literal("null")?;
                return Some(out);
            }
            b'[' => self.at += 1,
            _ => return None,
        }
        if self.peek()? == b']' {
            self.at += 1;
            return Some(out);
        }
        loop {
            out.push(item(self)?);
            if !self.more(b']')? {
                return Some(out);
            }
        }
    }

    /// The start of a list field: `Some(true)` at its first item (`[`
    /// read), `Some(false)` for an empty list or `null` (read).
    #[inline(always)]
    fn list_start(&mut self) -> Option<bool> {
        match self.peek()? {
            b'n' => return self.literal("null").map(|()| false),
            b'[' => self.at += 1,
            _ => return None,
        }
        if self.peek()? == b']' {
            self.at += 1;
            return Some(false);
        }
        Some(true)
    }

    /// The fields of an object whose names are `names`, each handed to
    /// `read` to read its value; a name not in `names`, or met twice,
    /// answers `None`.
    #[inline(always)]
    fn fields(
        &mut self,
        names: &Names,
        mut read: impl FnMut(&mut Self, Field) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let mut seen = 0u32;
        loop {
            let (i, field) = self.key(names, seen)?;
            seen |= 1 << i;
            read(self, field)?;
            if !self.more(b'}')? {
                return Some(());
            }
        }
    }

    /// Whether the text at the reader starts with `word`.
    #[inline(always)]
    fn at_word(&self, word: &str) -> bool {
        self.bytes()
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
    }

    /// Reads a claim into `c` (its default): built in place, not moved
    /// out of here. Compact JSON in serde's order is read straight on:
    /// each field's `,"name":` compared, as a constant, where serde would
    /// write it (a field left out costs one compare); anything else (white
    /// space, another order) goes on in the general loop, which knows the
    /// fields already read.
    fn claim<S: ClaimSink<'a>>(&mut self, c: &mut S) -> Option<()> {
        let mut seen = 0u32;
        if self.at_word(concat!('{', key!("id"))) {
            self.at += concat!('{', key!("id")).len();
            c.field(self, Id)?;
            seen = 1;
            macro_rules! next {
                ($i:literal, $name:literal, $field:expr) => {
                    if self.at_word(concat!(',', key!($name))) {
                        debug_assert!(CLAIM[$i].0 == key!($name));
                        self.at += concat!(',', key!($name)).len();
                        c.field(self, $field)?;
                        seen |= 1 << $i;
                    }
                };
            }
            next!(1, "type", Type);
            next!(2, "patient", Patient);
            next!(3, "service_date", ServiceDate);
            next!(4, "admission_date", AdmissionDate);
            next!(5, "discharge_date", DischargeDate);
            next!(6, "discharge_status", DischargeStatus);
            next!(7, "diagnoses", Diagnoses);
            next!(8, "admitting_diagnosis", AdmittingDiagnosis);
            next!(9, "procedures", Procedures);
            next!(10, "lines", Lines);
            if self.bytes().get(self.at) == Some(&b'}') {
                self.at += 1;
                return Some(());
            }
            // The UB-04 fields come after the others in serde's order: a
            // claim without them has ended above, at no cost from them.
            next!(11, "bill_type", BillType);
            next!(12, "from_date", FromDate);
            next!(13, "through_date", ThroughDate);
            next!(14, "condition_codes", ConditionCodes);
            next!(15, "occurrence_codes", OccurrenceCodes);
            next!(16, "value_codes", ValueCodes);
            next!(17, "reason_for_visit", ReasonForVisit);
            next!(18, "receipt_date", ReceiptDate);
            next!(19, "opps_flag", OppsFlag);
            if self.bytes().get(self.at) == Some(&b'}') {
                self.at += 1;
                return Some(());
            }
            if !self.more(b'}')? {
                return Some(());
            }
        } else if self.at_word("{\"") {
            // Compact JSON with its names in alphabetical order (as
            // `serde_json::Value`, Python's `sort_keys` and `jq -S` write
            // it): each name compared, as a constant, where that order
            // puts it; anything else goes on in the general loop.
            self.at += 1;
            macro_rules! next {
                ($i:literal, $name:literal, $field:expr) => {
                    if self.at_word(key!($name)) {
                        debug_assert!(CLAIM[$i].0 == key!($name));
                        self.at += key!($name).len();
                        c.field(self, $field)?;
                        seen |= 1 << $i;
                        match self.bytes().get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                return Some(());
                            }
                            _ => {
                                if !self.more(b'}')? {
                                    return Some(());
                                }
                            }
                        }
                    }
                };
            }
            next!(4, "admission_date", AdmissionDate);
            next!(8, "admitting_diagnosis", AdmittingDiagnosis);
            next!(11, "bill_type", BillType);
            next!(14, "condition_codes", ConditionCodes);
            next!(7, "diagnoses", Diagnoses);
            next!(5, "discharge_date", DischargeDate);
            next!(6, "discharge_status", DischargeStatus);
            next!(12, "from_date", FromDate);
            next!(0, "id", Id);
            next!(10, "lines", Lines);
            next!(15, "occurrence_codes", OccurrenceCodes);
            next!(19, "opps_flag", OppsFlag);
            next!(2, "patient", Patient);
            next!(9, "procedures", Procedures);
            next!(17, "reason_for_visit", ReasonForVisit);
            next!(18, "receipt_date", ReceiptDate);
            next!(3, "service_date", ServiceDate);
            next!(13, "through_date", ThroughDate);
            next!(1, "type", Type);
            next!(16, "value_codes", ValueCodes);
        } else {
            self.eat(b'{')?;
            if self.peek()? == b'}' {
                self.at += 1;
                return Some(());
            }
        }
        loop {
            let (i, field) = self.key(CLAIM, seen)?;
            seen |= 1 << i;
            c.field(self, field)?;
            if !self.more(b'}')? {
                return Some(());
            }
        }
    }

    /// A claim's type: `"institutional"` and `"professional"` compared as
    /// constants, anything else [`text`](Self::text).
    #[inline(always)]
    fn claim_type(&mut self) -> Option<Option<Cow<'a, str>>> {
        for kind in ["institutional", "professional"] {
            let len = kind.len() + 2;
            if let Some(b) = self.bytes().get(self.at..self.at + len) {
                if b[0] == b'"' && b[len - 1] == b'"' && &b[1..len - 1] == kind.as_bytes() {
                    self.at += len;
                    return Some(Some(Cow::Borrowed(kind)));
                }
            }
        }
        self.text()
    }

    /// A date field: a string of exactly ten bytes (`"2025-12-19"`), none
    /// of them special, checked with two word tests; anything else
    /// [`text`](Self::text).
    #[inline(always)]
    fn date(&mut self) -> Option<Option<Cow<'a, str>>> {
        let at = self.at;
        if let Some(b) = self.bytes().get(at..at + 12) {
            // Bytes 1..9 plain, and bytes 4..11 too, byte 11 being the
            // closing quote: the lowest mark is exact, so the second mask is
            // that quote's alone.
            if b[0] == b'"'
                && b[11] == b'"'
                && crate::json_scan::json_special_mask(crate::json_scan::word8(&b[1..9])) == 0
                && crate::json_scan::json_special_mask(crate::json_scan::word8(&b[4..12]))
                    == 0x80 << 56
            {
                self.at = at + 12;
                return Some(Some(Cow::Borrowed(self.slice(at + 1, at + 11)?)));
            }
        }
        self.text()
    }

    /// The value of the claim's field `field`, into `c`.
    #[inline(always)]
    fn claim_field(&mut self, c: &mut ClaimRef<'a>, field: Field) -> Option<()> {
        match field {
            Id => c.id = self.short_text()?,
            Type => c.claim_type = self.claim_type()?,
            Patient => self.patient(&mut c.patient)?,
            ServiceDate => c.service_date = self.date()?,
            AdmissionDate => c.admission_date = self.date()?,
            DischargeDate => c.discharge_date = self.date()?,
            DischargeStatus => c.discharge_status = self.short_text()?,
            Diagnoses => {
                set_list(
                    &mut c.diagnoses,
                    self.list_into(spare::take_diagnoses(), Self::diagnosis)?,
                );
            }
            AdmittingDiagnosis => c.admitting_diagnosis = self.short_text()?,
            Procedures => {
                set_list(
                    &mut c.procedures,
                    self.list_into(spare::take_procedures(), Self::procedure)?,
                );
            }
            Lines => set_list(
                &mut c.lines,
                self.list_into(spare::take_lines(), Self::line)?,
            ),
            BillType | FromDate | ThroughDate | ConditionCodes | OccurrenceCodes | ValueCodes
            | ReasonForVisit | ReceiptDate | OppsFlag => self.ub04_field(c, field)?,
            _ => return None,
        }
        Some(())
    }

    /// The value of the claim's UB-04 field `field`, into `c`. Out of
    /// line: the common claims have none, and the reader's hot code stays
    /// as small as without them.
    #[inline(never)]
    fn ub04_field(&mut self, c: &mut ClaimRef<'a>, field: Field) -> Option<()> {
        match field {
            BillType => c.bill_type = self.short_text()?,
            FromDate => c.from_date = self.date()?,
            ThroughDate => c.through_date = self.date()?,
            ConditionCodes => c.condition_codes = self.modifiers()?,
            OccurrenceCodes => c.occurrence_codes = self.list(Self::occurrence_code)?,
            ValueCodes => c.value_codes = self.list(Self::value_code)?,
            ReasonForVisit => c.reason_for_visit = self.modifiers()?,
            ReceiptDate => c.receipt_date = self.date()?,
            OppsFlag => c.opps_flag = self.short_text()?,
            _ => return None,
        }
        Some(())
    }

    /// An occurrence code: `{"code":…,"date":…}`, or the code alone as a
    /// string (as [`diagnosis`](Self::diagnosis) reads a diagnosis).
    fn occurrence_code(&mut self) -> Option<OccurrenceCodeRef<'a>> {
        let start = self.at;
        if let Some((code, date)) = self.compact_object(concat!(key!("date"), '"')) {
            return Some(OccurrenceCodeRef {
                code: Some(Cow::Borrowed(code)),
                date: date.map(Cow::Borrowed),
            });
        }
        self.at = start;
        let mut o = OccurrenceCodeRef::default();
        if self.peek()? == b'"' {
            o.code = Some(Cow::Borrowed(self.string()?));
            return Some(o);
        }
        self.fields(OCCURRENCE, |r, field| {
            match field {
                Code => o.code = r.text()?,
                Date => o.date = r.text()?,
                _ => return None,
            }
            Some(())
        })?;
        Some(o)
    }

    /// A value code: `{"code":…,"amount":…}`.
    fn value_code(&mut self) -> Option<ValueCodeRef<'a>> {
        let mut v = ValueCodeRef::default();
        self.fields(VALUE, |r, field| {
            match field {
                Code => v.code = r.text()?,
                Amount => v.amount = r.number()?,
                _ => return None,
            }
            Some(())
        })?;
        Some(v)
    }

    /// The patient: the compact shape in line, anything else
    /// [`general_patient`](Self::general_patient).
    /// Into `p` (its default; `null` leaves it so).
    #[inline(always)]
    fn patient(&mut self, p: &mut PatientRef<'a>) -> Option<()> {
        let start = self.at;
        if self.compact_patient(p).is_some() {
            return Some(());
        }
        self.at = start;
        if self.sorted_patient(p).is_some() {
            return Some(());
        }
        self.at = start;
        if let Some(read) = self.general_patient()? {
            *p = read;
        }
        Some(())
    }

    #[inline(never)]
    fn general_patient(&mut self) -> Option<Option<PatientRef<'a>>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            return Some(None);
        }
        let mut p = PatientRef::default();
        self.fields(PATIENT, |r, field| {
            match field {
                Sex => p.sex = r.short_text()?,
                BirthDate => p.birth_date = r.text()?,
                Age => p.age = r.number()?,
                _ => return None,
            }
            Some(())
        })?;
        Some(Some(p))
    }

    /// [`compact_patient`](Self::compact_patient) with its names in
    /// alphabetical order: `{"age":N,"sex":"…"}`.
    #[inline(always)]
    fn sorted_patient(&mut self, p: &mut PatientRef<'a>) -> Option<()> {
        const OPEN: &str = concat!('{', key!("age"));
        const SEX: &str = concat!(',', key!("sex"), '"');
        if !self.at_word(OPEN) {
            return None;
        }
        self.at += OPEN.len();
        let (age, _) = self.natural()?;
        if !self.at_word(SEX) {
            return None;
        }
        self.at += SEX.len();
        let sex = self.short_string_rest()?;
        if *self.bytes().get(self.at)? != b'}' {
            return None;
        }
        self.at += 1;
        p.sex = Some(Cow::Borrowed(sex));
        // serde hands a non-negative integer over as u64; `as f64` is exact here.
        p.age = Some(age as f64);
        Some(())
    }

    /// The common patient as compact JSON writes it, `{"sex":"…","age":N}`
    /// (N a plain natural number): read with constant compares into `p`
    /// (its default). `None` for anything else (the reader then somewhere in
    /// it, `p` untouched), left to the general way.
    #[inline(always)]
    fn compact_patient(&mut self, p: &mut PatientRef<'a>) -> Option<()> {
        const OPEN: &str = concat!('{', key!("sex"), '"');
        const AGE: &str = concat!(',', key!("age"));
        if !self.at_word(OPEN) {
            return None;
        }
        self.at += OPEN.len();
        let sex = self.short_string_rest()?;
        if !self.at_word(AGE) {
            return None;
        }
        self.at += AGE.len();
        let (age, _) = self.natural()?;
        if *self.bytes().get(self.at)? != b'}' {
            return None;
        }
        self.at += 1;
        p.sex = Some(Cow::Borrowed(sex));
        // serde hands a non-negative integer over as u64; `as f64` is exact here.
        p.age = Some(age as f64);
        Some(())
    }

    /// Inlined (as `procedure`) into the call its list makes for an item:
    /// one call an item less.
    #[inline(always)]
    fn diagnosis(&mut self) -> Option<DiagnosisRef<'a>> {
        if let Some(d) = self.compact_diagnosis() {
            return Some(d);
        }
        let mut d = DiagnosisRef::default();
        // The code alone, as a string, is a diagnosis too.
        if self.peek()? == b'"' {
            d.code = Some(Cow::Borrowed(self.string()?));
            return Some(d);
        }
        self.fields(DIAGNOSIS, |r, field| {
            match field {
                Code => d.code = r.text()?,
                Poa => d.poa = r.text()?,
                _ => return None,
            }
            Some(())
        })?;
        Some(d)
    }

    /// The common diagnosis as compact JSON writes it, `{"code":"…","poa":"…"}`
    /// or `{"code":"…"}`, read with constant compares; `None` (nothing read)
    /// for anything else, left to [`diagnosis`](Self::diagnosis)'s general way
    /// (which declines, as here, a string it cannot borrow).
    #[inline(always)]
    fn compact_diagnosis(&mut self) -> Option<DiagnosisRef<'a>> {
        let start = self.at;
        let d = self
            .compact_object(concat!(key!("poa"), '"'))
            .map(|(code, poa)| DiagnosisRef {
                code: Some(Cow::Borrowed(code)),
                poa: poa.map(Cow::Borrowed),
            });
        if d.is_none() {
            self.at = start;
        }
        d
    }

    /// An object of a string `code` and, if any, a string second field
    /// (`second`: its name as `key!` writes it, then the value's `"`), in
    /// that order, in compact JSON:
    /// their texts. `None` for anything else (the reader then somewhere in it).
    #[inline(always)]
    fn compact_object(&mut self, second: &str) -> Option<(&'a str, Option<&'a str>)> {
        const OPEN: &str = concat!('{', key!("code"), '"');
        if !self.bytes().get(self.at..)?.starts_with(OPEN.as_bytes()) {
            return None;
        }
        self.at += OPEN.len();
        let code = self.short_string_rest()?;
        match *self.bytes().get(self.at)? {
            b'}' => {
                self.at += 1;
                return Some((code, None));
            }
            b',' => self.at += 1,
            _ => return None,
        }
        if !self.bytes().get(self.at..)?.starts_with(second.as_bytes()) {
            return None;
        }
        self.at += second.len();
        let value = self.short_string_rest()?;
        if *self.bytes().get(self.at)? != b'}' {
            return None;
        }
        self.at += 1;
        Some((code, Some(value)))
    }

    #[inline(always)]
    fn procedure(&mut self) -> Option<ProcedureRef<'a>> {
        let start = self.at;
        if let Some((code, date)) = self.compact_object(concat!(key!("date"), '"')) {
            return Some(ProcedureRef {
                code: Some(Cow::Borrowed(code)),
                date: date.map(Cow::Borrowed),
            });
        }
        self.at = start;
        let mut p = ProcedureRef::default();
        self.fields(PROCEDURE, |r, field| {
            match field {
                Code => p.code = r.text()?,
                Date => p.date = r.text()?,
                _ => return None,
            }
            Some(())
        })?;
        Some(p)
    }

    /// A diagnosis's code and POA indicator ([`diagnosis`](Self::diagnosis)'s
    /// values, borrowed).
    #[inline(always)]
    fn diagnosis_texts(&mut self) -> Option<(Option<&'a str>, Option<&'a str>)> {
        let start = self.at;
        if let Some((code, poa)) = self.compact_object(concat!(key!("poa"), '"')) {
            return Some((Some(code), poa));
        }
        self.at = start;
        let d = self.diagnosis()?;
        Some((borrowed(d.code)?, borrowed(d.poa)?))
    }

    /// A procedure's code ([`procedure`](Self::procedure)'s, borrowed).
    #[inline(always)]
    fn procedure_code(&mut self) -> Option<Option<&'a str>> {
        let start = self.at;
        if let Some((code, _)) = self.compact_object(concat!(key!("date"), '"')) {
            return Some(Some(code));
        }
        self.at = start;
        let p = self.procedure()?;
        borrowed(p.code)
    }

    fn line(&mut self) -> Option<ClaimLineRef<'a>> {
        let start = self.at;
        if let Some(l) = self.sorted_line() {
            return Some(l);
        }
        self.at = start;
        let mut l = ClaimLineRef::default();
        self.fields(LINE, |r, field| {
            match field {
                Code => l.code = r.text()?,
                Modifiers => l.modifiers = r.modifiers()?,
                Units => l.units = r.number()?,
                DxPointers => l.dx_pointers = r.pointers()?,
                ServiceDate => l.service_date = r.text()?,
                Charge => l.charge = r.number()?,
                RevenueCode => l.revenue_code = r.short_text()?,
                _ => return None,
            }
            Some(())
        })?;
        Some(l)
    }

    /// A line in compact JSON with its names in alphabetical order (as
    /// Python's `sort_keys` writes it: the I/OCE's claims): each name
    /// compared, as a constant, where that order puts it (the general loop
    /// tries the names in serde's order, five misses before `charge`).
    /// `None` for anything else (white space, another order, a name met
    /// again): the caller reads the line again the general way.
    #[inline(always)]
    fn sorted_line(&mut self) -> Option<ClaimLineRef<'a>> {
        if !self.at_word("{\"") {
            return None;
        }
        self.at += 1;
        let mut l = ClaimLineRef::default();
        macro_rules! next {
            ($name:literal, $read:expr) => {
                sorted_line_field!(self, l, $name, $read)
            };
        }
        next!("charge", l.charge = self.number()?);
        next!("code", l.code = self.text()?);
        next!("dx_pointers", l.dx_pointers = self.pointers()?);
        next!("modifiers", l.modifiers = self.modifiers()?);
        next!("revenue_code", l.revenue_code = self.short_text()?);
        next!("service_date", l.service_date = self.text()?);
        next!("units", l.units = self.number()?);
        None
    }

    /// Modifiers (condition codes, reasons for visit): a list of texts
    /// (`null` items are empty texts), one string, or `null`.
    fn modifiers(&mut self) -> Option<Vec<Cow<'a, str>>> {
        if self.peek()? == b'"' {
            return Some(vec![Cow::Borrowed(self.string()?)]);
        }
        // (A list kept from an earlier claim's line: `spare`.)
        self.list_into(super::spare::take_modifiers(), |r| {
            Some(r.text()?.unwrap_or_default())
        })
    }

    /// Diagnosis pointers: numbers (`null` is 0; fractions and huge values
    /// are kept marked, as serde reads them).
    fn pointers(&mut self) -> Option<Vec<i64>> {
        self.list(|r| Some(r.number_value()?.map_or(0, crate::claim::pointer_from_f64)))
    }

    /// [`modifiers`](Self::modifiers), each text handed to `push` in
    /// order instead of collected.
    #[cfg(feature = "ioce")]
    #[inline(always)]
    fn modifier_texts(&mut self, mut push: impl FnMut(&'a str)) -> Option<()> {
        if self.peek()? == b'"' {
            push(self.string()?);
            return Some(());
        }
        if self.list_start()? {
            loop {
                push(borrowed(self.text()?)?.unwrap_or_default());
                if !self.more(b']')? {
                    break;
                }
            }
        }
        Some(())
    }

    /// [`line`](Self::line) for [`read_outpatient`]: the line's fields to
    /// `lists` (its modifiers as they are read), its diagnosis pointers
    /// read as `pointers` reads them and left.
    #[cfg(feature = "ioce")]
    #[inline(always)]
    fn outpatient_line<L: OutpatientLists<'a>>(&mut self, lists: &mut L) -> Option<()> {
        let start = self.at;
        if let Some(l) = self.sorted_outpatient_line(lists) {
            lists.push_line(l);
            return Some(());
        }
        self.at = start;
        lists.clear_modifiers();
        let mut l = LineFields::default();
        self.fields(LINE, |r, field| {
            match field {
                Code => l.code = borrowed(r.text()?)?,
                Modifiers => r.modifier_texts(|m| lists.push_modifier(m))?,
                Units => l.units = r.number()?,
                DxPointers => r.skip_pointers()?,
                ServiceDate => l.service_date = borrowed(r.text()?)?,
                Charge => l.charge = r.number()?,
                RevenueCode => l.revenue_code = borrowed(r.short_text()?)?,
                _ => return None,
            }
            Some(())
        })?;
        lists.push_line(l);
        Some(())
    }

    /// [`sorted_line`](Self::sorted_line) for
    /// [`outpatient_line`](Self::outpatient_line).
    #[cfg(feature = "ioce")]
    #[inline(always)]
    fn sorted_outpatient_line<L: OutpatientLists<'a>>(
        &mut self,
        lists: &mut L,
    ) -> Option<LineFields<'a>> {
        if !self.at_word("{\"") {
            return None;
        }
        self.at += 1;
        let mut l = LineFields::default();
        macro_rules! next {
            ($name:literal, $read:expr) => {
                sorted_line_field!(self, l, $name, $read)
            };
        }
        next!("charge", l.charge = self.number()?);
        next!("code", l.code = borrowed(self.text()?)?);
        next!("dx_pointers", self.skip_pointers()?);
        next!(
            "modifiers",
            self.modifier_texts(|m| lists.push_modifier(m))?
        );
        next!(
            "revenue_code",
            l.revenue_code = borrowed(self.short_text()?)?
        );
        next!("service_date", l.service_date = borrowed(self.text()?)?);
        next!("units", l.units = self.number()?);
        None
    }

    /// [`pointers`](Self::pointers) read and left.
    #[cfg(feature = "ioce")]
    fn skip_pointers(&mut self) -> Option<()> {
        if self.list_start()? {
            loop {
                self.number_value()?;
                if !self.more(b']')? {
                    break;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claim `read_claim` reads from `text`, if it answers.
    fn read(text: &str) -> Option<ClaimRef<'_>> {
        let mut claim = ClaimRef::default();
        read_claim(text, &mut claim).map(|()| claim)
    }

    fn same(text: &str) {
        let fast = read(text).unwrap_or_else(|| panic!("fast path declined {text}"));
        let slow: ClaimRef<'_> = serde_json::from_str(text).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}");
    }

    /// A charge written as a plain decimal fraction is read in line: the
    /// same value, to the last bit, as serde's.
    #[test]
    fn reads_decimal_charges_as_serde_does() {
        let mut texts: Vec<String> = [
            "0.1",
            "0.0",
            "282.1",
            "42.93",
            "1767.17",
            "0.000000000000001",
            "999999999999.999",
            "123456789012.345",
            "1234567890123.456",
            "9007199254740.993",
            "0.30000000000000004",
            "1.5e3",
            "1.0E-2",
            "10.25",
            "-0.5",
            "-12.75",
        ]
        .map(String::from)
        .into();
        // And many more, their digits from a fixed pseudo-random sequence.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = 1 + (x % 17) as usize;
            let point = 1 + (x >> 8) as usize % digits.max(2);
            let number = format!("{:017}", x >> 7);
            let number = &number[number.len() - digits..];
            let (whole, fraction) = number.split_at(point.min(digits));
            let whole = whole.trim_start_matches('0');
            let whole = if whole.is_empty() { "0" } else { whole };
            texts.push(format!(
                "{whole}.{}",
                if fraction.is_empty() { "5" } else { fraction }
            ));
        }
        for t in &texts {
            same(&format!(r#"{{"lines":[{{"charge":{t},"units":{t}}}]}}"#));
        }
        // Not JSON numbers: not read.
        for t in ["00.5", "7.", ".5", "1.e5"] {
            assert!(
                read(&format!(r#"{{"lines":[{{"charge":{t}}}]}}"#)).is_none(),
                "{t}"
            );
        }
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
        // Lines with their names in alphabetical order, and near it.
        for line in [
            r#"{"charge":282.1,"code":"29425","modifiers":["V1","SH"],"revenue_code":"0916","service_date":"2025-10-01","units":1}"#,
            r#"{"charge":1,"code":"29425","dx_pointers":[1,2],"modifiers":[],"revenue_code":"0916","service_date":null,"units":2.5}"#,
            r#"{"code":"29425","units":1}"#,
            r#"{"units":1,"code":"29425"}"#,
            r#"{"charge":1,"charge":2}"#,
            r#"{"charge":1 ,"code":"x"}"#,
            r#"{"charge":1,"code":"x","units":1,"revenue_code":"0510"}"#,
            r#"{"charge":null,"code":null,"modifiers":"25","revenue_code":450,"units":null}"#,
            r#"{}"#,
        ] {
            let text = format!(r#"{{"id":"a","lines":[{line},{line}]}}"#);
            match read(&text) {
                Some(_) => same(&text),
                None => assert!(
                    serde_json::from_str::<ClaimRef<'_>>(&text).is_err(),
                    "{text}"
                ),
            }
        }
        // Near the compact shapes read with constant compares.
        for text in [
            r#"{"id":"a","type":"institutionalx","patient":{"sex":"F","age":0}}"#,
            r#"{"id":"a","type":"professiona","patient":{"sex":"F","age":12,"birth_date":"x"}}"#,
            r#"{"id":"a","type":"professional","patient":{"sex":null,"age":1.5}}"#,
            r#"{"id":"a","patient":{"sex":"M","age":-3},"type":"institutional"}"#,
            r#"{"id":"a","admission_date":"2025-12-19","discharge_date":"2025-12-1"}"#,
            r#"{"id":"a","admission_date":"2025-12-190","service_date":"2025-é-19"}"#,
            r#"{"id":"a","discharge_date":"2025-12-1é","type":"","admission_date":null}"#,
            r#"{"id":"a","patient":{"age":3,"sex":"F"},"discharge_status":"01"}"#,
        ] {
            same(text);
        }
        // Names in alphabetical order (serde_json::Value, sort_keys, jq -S),
        // and near it: out of order, with white space.
        for text in [
            r#"{"admitting_diagnosis":"S42492P","diagnoses":[{"code":"C241","poa":"Y"},{"code":"Z448"}],"discharge_date":"2023-10-01","discharge_status":"07","id":"D1","patient":{"age":65,"sex":"M"},"procedures":[{"code":"03LQ3DZ"}],"type":"institutional"}"#,
            r#"{"diagnoses":[],"id":"D2","patient":{"age":0,"sex":"F"},"type":"institutional"}"#,
            r#"{"admission_date":"2025-01-01","bill_type":"111","condition_codes":["G0"],"from_date":"2025-01-01","lines":[],"occurrence_codes":[{"code":"11"}],"reason_for_visit":["R07.9"],"service_date":"2025-01-02","through_date":"2025-01-03","value_codes":[{"code":"48","amount":1}]}"#,
            r#"{"id":"D3","diagnoses":[{"code":"I10"}],"type":"institutional"}"#,
            r#"{"discharge_status":"01","discharge_date":"2024-01-01"}"#,
            r#"{"id":"D5","patient":{"age":3.5,"sex":"F"}}"#,
            r#"{"id":"D6","patient":{"age":3,"sex":"F","birth_date":null}}"#,
            r#"{"id":"D7","patient":{"age":3,"sex":"F"} ,"type":"institutional"}"#,
            r#"{"id" :"D8","type":"institutional"}"#,
        ] {
            same(text);
        }
        // A name twice, a name it does not know, text after the claim: left
        // to serde.
        for text in [
            r#"{"diagnoses":[],"diagnoses":[]}"#,
            r#"{"age":3,"id":"D4"}"#,
            r#"{"id":"D9","type":"institutional"}x"#,
        ] {
            assert!(read(text).is_none(), "{text}");
        }
    }

    /// The UB-04 fields: read as serde reads them, in serde's order (after
    /// the others), in any other order, and in their lenient shapes.
    #[test]
    fn reads_the_ub04_fields_as_serde_does() {
        let compact = r#"{"id":"O-1","type":"institutional","patient":{"sex":"F","age":70},"service_date":"2025-03-01","diagnoses":[{"code":"N18.6"},{"code":"E11.9"}],"lines":[{"code":"G0463","units":1,"service_date":"2025-03-01","charge":100.0,"revenue_code":"0510"},{"code":"82947","modifiers":["59"],"units":1,"charge":20.0,"revenue_code":"0301"}],"bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-02","condition_codes":["G0","44"],"occurrence_codes":[{"code":"11","date":"2025-02-27"},{"code":"A1"}],"value_codes":[{"code":"48","amount":11.2},{"code":"A2","amount":40}],"reason_for_visit":["R07.9","R10.9"],"receipt_date":"2025-03-04","opps_flag":"2"}"#;
        same(compact);
        let c = read(compact).unwrap();
        assert_eq!(c.bill_type.as_deref(), Some("131"));
        assert_eq!(c.from_date.as_deref(), Some("2025-03-01"));
        assert_eq!(c.through_date.as_deref(), Some("2025-03-02"));
        assert_eq!(c.condition_codes, ["G0", "44"]);
        assert_eq!(c.occurrence_codes[0].code.as_deref(), Some("11"));
        assert_eq!(c.occurrence_codes[0].date.as_deref(), Some("2025-02-27"));
        assert_eq!(c.occurrence_codes[1].date, None);
        assert_eq!(c.value_codes[0].code.as_deref(), Some("48"));
        assert_eq!(c.value_codes[1].amount, Some(40.0));
        assert_eq!(c.reason_for_visit, ["R07.9", "R10.9"]);
        assert_eq!(c.receipt_date.as_deref(), Some("2025-03-04"));
        assert_eq!(c.opps_flag.as_deref(), Some("2"));
        assert_eq!(c.lines[1].revenue_code.as_deref(), Some("0301"));
        for text in [
            // Written as a person might: the UB-04 fields first.
            r#"{"bill_type":"131","id":"O-2","from_date":"2025-03-01","through_date":"2025-03-01","type":"institutional","reason_for_visit":"R07.9","lines":[{"revenue_code":"0300","code":"80053"}]}"#,
            // Numbers and nulls where texts go, a lone string for a list,
            // an occurrence code alone, a value code without its amount.
            r#"{"id":"O-3","bill_type":131,"from_date":null,"through_date":20250301,"condition_codes":[null,7,"G0"],"occurrence_codes":["11",{},{"code":11,"date":null}],"value_codes":[{"code":"48"},{"amount":null},{}],"reason_for_visit":[]}"#,
            r#"{"id":"O-4","lines":[{"revenue_code":300},{"revenue_code":null}],"condition_codes":"G0","occurrence_codes":null,"value_codes":null,"reason_for_visit":null}"#,
            r#" { "value_codes" : [ { "amount" : 1.5e2 , "code" : "A1" } ] , "occurrence_codes" : [ { "date" : "2025-01-01" , "code" : "11" } ] } "#,
            // The I/OCE's receipt date and OPPS flag: in alphabetical
            // order, as numbers, null, not dates.
            r#"{"bill_type":"851","from_date":"2025-03-01","id":"O-5","opps_flag":"2","receipt_date":"2025-03-04"}"#,
            r#"{"id":"O-6","opps_flag":2,"receipt_date":20250304}"#,
            r#"{"id":"O-7","receipt_date":null,"opps_flag":null}"#,
            r#"{"id":"O-8","receipt_date":"2025-3-4","opps_flag":"X"}"#,
        ] {
            same(text);
        }
    }

    /// The fields this reader knows are those strict mode knows (and, by
    /// `claim::tests`, serde's): a field it reads is never "unknown".
    #[test]
    fn knows_the_fields_strict_mode_knows() {
        use crate::claim::fields;
        let names = |n: &Names| -> Vec<String> {
            n.iter()
                .map(|(k, _)| k[1..k.len() - 2].to_owned())
                .collect()
        };
        assert_eq!(names(CLAIM), fields::CLAIM);
        assert_eq!(names(PATIENT), fields::PATIENT);
        assert_eq!(names(DIAGNOSIS), fields::DIAGNOSIS);
        assert_eq!(names(PROCEDURE), fields::PROCEDURE);
        // (A line's contractor bypasses, rare, are left to the claim
        // reader: the fast reader declines a line that has them.)
        let line: Vec<&str> = fields::LINE
            .iter()
            .copied()
            .filter(|&f| f != "contractor_bypass_edits")
            .collect();
        assert_eq!(names(LINE), line);
        assert_eq!(names(OCCURRENCE), fields::OCCURRENCE);
        assert_eq!(names(VALUE), fields::VALUE);
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
            r#"{"lines":[{"code":"99213","contractor_bypass_edits":["062"]}]}"#,
            r#"{"id":"x"} x"#,
            r#"{"id":"x",}"#,
            r#"[]"#,
            r#""#,
            "{\"id\":\"a\tb\"}",
            r#"{"id":"a","admission_date":"2025-12-1\""}"#,
            r#"{"id":"a","admission_date":"2025-12-1\"x"}"#,
            "{\"id\":\"a\",\"admission_date\":\"2025\t12-19\"}",
            "{\"id\":\"a\",\"admission_date\":\"2025-12-1\u{1}\"}",
            r#"{"id":"a","patient":{"sex":"F","age":3},"patient":null}"#,
            r#"{"id":"a","type":"professional","type":"professional"}"#,
            r#"{"bill_type":"131","bill_type":"131"}"#,
            r#"{"value_codes":[{"code":"48","amount":"11.2"}]}"#,
            r#"{"value_codes":["48"]}"#,
            r#"{"occurrence_codes":[null]}"#,
            r#"{"occurrence_codes":[{"code":"11","dat":"2025-01-01"}]}"#,
            r#"{"condition_codes":7}"#,
            r#"{"reason_for_visit":"R07\u002e9"}"#,
            r#"{"opps_flag":"2","opps_flag":"1"}"#,
            r#"{"receipt_date":"2025-03-04","receipt_date":null}"#,
            r#"{"opps_flag":["2"]}"#,
            r#"{"lines":[{"revenue_code":"0300","revenue_code":"0301"}]}"#,
        ] {
            assert!(read(text).is_none(), "{text}");
        }
    }

    mod formatting {
        //! Claims in random formatting: white space, field order, escapes,
        //! `null`s, numbers of every shape, repeated and unknown fields,
        //! some of it not JSON at all. Each piece of text comes with whether
        //! the reader must answer for it (`sure`): where it answers, it
        //! answers as serde does; and it answers for every claim made only
        //! of what it is sure of. Half the claims are `clean`: made only of
        //! such pieces (else few would be, a claim having so many).
        use super::*;
        use proptest::prelude::*;

        /// A piece of JSON text, and whether the reader must read it.
        type Piece = (String, bool);

        /// One of `pieces`: those the reader is sure of; unless `clean`,
        /// now and then one of the others. Rarely: the reader declines a
        /// claim at its first such piece, and the pieces after it are tested
        /// only in claims without one before.
        fn pick(clean: bool, pieces: &[(&str, bool)]) -> BoxedStrategy<Piece> {
            let of = |sure: bool| -> Vec<Piece> {
                pieces
                    .iter()
                    .filter(|p| p.1 == sure)
                    .map(|&(s, b)| (s.to_owned(), b))
                    .collect()
            };
            let (sure, other) = (of(true), of(false));
            if clean || other.is_empty() {
                proptest::sample::select(sure).boxed()
            } else if sure.is_empty() {
                proptest::sample::select(other).boxed()
            } else {
                prop_oneof![
                    20 => proptest::sample::select(sure),
                    1 => proptest::sample::select(other),
                ]
                .boxed()
            }
        }

        /// The white space of one object or list, between its tokens: none
        /// (the compact fast paths), any JSON white space, or (unless
        /// `clean`) with form feeds, which are not JSON white space.
        fn spaces(clean: bool) -> BoxedStrategy<Vec<Piece>> {
            let none = Just(vec![(String::new(), true); 16]);
            let json = prop::collection::vec(
                pick(
                    true,
                    &[
                        ("", true),
                        (" ", true),
                        ("\n", true),
                        ("\t", true),
                        ("\r\n  ", true),
                    ],
                ),
                16,
            );
            let odd = prop::collection::vec(
                pick(false, &[("", true), (" ", true), ("\u{c}", false)]),
                16,
            );
            if clean {
                prop_oneof![none, json].boxed()
            } else {
                prop_oneof![5 => none, 4 => json, 1 => odd].boxed()
            }
        }

        /// A string: plain (ASCII or not), or (unless `clean`) with escapes
        /// or a raw control character (not JSON).
        fn string(clean: bool) -> BoxedStrategy<Piece> {
            let part = pick(
                clean,
                &[
                    ("E11.9", true),
                    ("99213", true),
                    ("2025-11-03", true),
                    ("", true),
                    ("Y37011S", true),
                    ("café ü", true),
                    ("a long text of more than sixteen bytes", true),
                    ("a\\\"b", false),
                    ("\\u0041", false),
                    ("x\\n", false),
                    ("\\\\", false),
                    ("\\/", false),
                    ("tab\there", false),
                ],
            );
            prop::collection::vec(part, 1..3)
                .prop_map(|parts| {
                    let sure = parts.iter().all(|p| p.1);
                    let text: String = parts.into_iter().map(|p| p.0).collect();
                    (format!("\"{text}\""), sure)
                })
                .boxed()
        }

        /// A natural number as the reader reads it itself.
        fn natural() -> BoxedStrategy<Piece> {
            prop_oneof![
                any::<u32>().prop_map(|n| n.to_string()),
                (0..1_000_000_000_000_000u64).prop_map(|n| n.to_string()),
            ]
            .prop_map(|n| (n, true))
            .boxed()
        }

        /// A number: naturals, other numbers (the reader hands them to
        /// serde), and (unless `clean`) texts that are no JSON number.
        fn number(clean: bool) -> BoxedStrategy<Piece> {
            let other = pick(
                clean,
                &[
                    ("0", true),
                    ("999999999999999", true),
                    ("1234567890123456", true),
                    ("18446744073709551616", true),
                    ("-0", true),
                    ("-4", true),
                    ("1.5", true),
                    ("2.50", true),
                    ("1e3", true),
                    ("1E+2", true),
                    ("-0.0", true),
                    ("1e400", false),
                    ("007", false),
                    ("2.", false),
                    (".5", false),
                    ("1e", false),
                    ("-", false),
                    ("+1", false),
                ],
            );
            prop_oneof![natural(), other].boxed()
        }

        /// A text field's value: a string, `null`, `true`, `false` or a
        /// natural number; unless `clean`, any number (the reader leaves
        /// the others to serde) or a misspelt word.
        fn text(clean: bool) -> BoxedStrategy<Piece> {
            let words = pick(
                clean,
                &[
                    ("null", true),
                    ("true", true),
                    ("false", true),
                    ("nul", false),
                    ("truth", false),
                ],
            );
            let numbers = if clean {
                natural()
            } else {
                number(false)
                    .prop_map(|(n, _)| {
                        let natural = n.bytes().all(|b| b.is_ascii_digit())
                            && n.len() <= 15
                            && !(n.len() > 1 && n.starts_with('0'));
                        (n, natural)
                    })
                    .boxed()
            };
            prop_oneof![6 => string(clean), 1 => words, 2 => numbers].boxed()
        }

        /// A number field's value: a number or `null`; unless `clean`, a
        /// numeric string or a boolean, which the reader leaves to serde.
        fn number_field(clean: bool) -> BoxedStrategy<Piece> {
            let other = pick(clean, &[("null", true), ("\"3\"", false), ("true", false)]);
            prop_oneof![6 => number(clean), 1 => other].boxed()
        }

        /// An object of `fields` (name, value), some left out, in any
        /// order; unless `clean`, sometimes a field repeated, an unknown
        /// one, a name written with an escape, or a trailing comma.
        fn object(
            clean: bool,
            fields: Vec<(&'static str, BoxedStrategy<Piece>)>,
        ) -> BoxedStrategy<Piece> {
            let n = fields.len();
            let values: Vec<_> = fields
                .into_iter()
                .map(|(name, value)| (Just(name), value, any::<bool>()))
                .collect();
            let order = Just(()).prop_perturb(move |(), mut rng| {
                let mut order: Vec<usize> = (0..n).collect();
                for i in (1..n).rev() {
                    order.swap(i, rng.random_range(0..=i));
                }
                order
            });
            let odd = if clean {
                Just(0u8).boxed()
            } else {
                prop_oneof![12 => Just(0u8), 1 => 1..5u8].boxed()
            };
            (values, order, spaces(clean), odd)
                .prop_map(|(values, order, spaces, odd)| {
                    let mut sure = spaces.iter().all(|p| p.1);
                    let mut spaces = spaces.into_iter().map(|p| p.0).cycle();
                    let mut members: Vec<(String, Piece)> = order
                        .iter()
                        .filter(|&&i| values[i].2)
                        .map(|&i| (format!("\"{}\"", values[i].0), values[i].1.clone()))
                        .collect();
                    match odd {
                        1 if !members.is_empty() => {
                            let again = members[0].clone();
                            members.push(again);
                            sure = false;
                        }
                        2 => {
                            members.push(("\"payer\"".to_owned(), ("\"x\"".to_owned(), true)));
                            sure = false;
                        }
                        3 if !members.is_empty() => {
                            // The same name, its first letter escaped.
                            let name = &members[0].0;
                            members[0].0 = format!("\"\\u{:04x}{}", name.as_bytes()[1], &name[2..]);
                            sure = false;
                        }
                        _ => {}
                    }
                    let mut out = String::from("{");
                    for (k, (name, (value, ok))) in members.iter().enumerate() {
                        if k > 0 {
                            out.push_str(&spaces.next().unwrap());
                            out.push(',');
                        }
                        for token in [name.as_str(), ":", value] {
                            out.push_str(&spaces.next().unwrap());
                            out.push_str(token);
                        }
                        sure &= ok;
                    }
                    if odd == 4 && !members.is_empty() {
                        out.push(',');
                        sure = false;
                    }
                    out.push_str(&spaces.next().unwrap());
                    out.push('}');
                    (out, sure)
                })
                .boxed()
        }

        /// A list of `item`s, or `null`.
        fn list(clean: bool, item: BoxedStrategy<Piece>) -> BoxedStrategy<Piece> {
            let items =
                (prop::collection::vec(item, 0..5), spaces(clean)).prop_map(|(items, spaces)| {
                    let mut sure = spaces.iter().all(|p| p.1);
                    let mut spaces = spaces.into_iter().map(|p| p.0).cycle();
                    let mut out = String::from("[");
                    for (k, (item, ok)) in items.iter().enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        out.push_str(&spaces.next().unwrap());
                        out.push_str(item);
                        out.push_str(&spaces.next().unwrap());
                        sure &= ok;
                    }
                    out.push_str(&spaces.next().unwrap());
                    out.push(']');
                    (out, sure)
                });
            prop_oneof![1 => Just(("null".to_owned(), true)), 8 => items].boxed()
        }

        fn claim(clean: bool) -> BoxedStrategy<Piece> {
            let patient = prop_oneof![
                1 => Just(("null".to_owned(), true)),
                6 => object(
                    clean,
                    vec![
                        ("sex", text(clean)),
                        ("birth_date", text(clean)),
                        ("age", number_field(clean)),
                    ],
                ),
            ];
            let diagnosis = prop_oneof![
                2 => string(clean),
                1 => pick(clean, &[("null", false), ("{}", true), ("[]", false)]),
                6 => object(clean, vec![("code", text(clean)), ("poa", text(clean))]),
            ];
            let procedure = object(clean, vec![("code", text(clean)), ("date", text(clean))]);
            let modifiers = prop_oneof![1 => string(clean), 4 => list(clean, text(clean))];
            let line = object(
                clean,
                vec![
                    ("code", text(clean)),
                    ("modifiers", modifiers.boxed()),
                    ("units", number_field(clean)),
                    ("dx_pointers", list(clean, number_field(clean))),
                    ("service_date", text(clean)),
                    ("charge", number_field(clean)),
                    ("revenue_code", text(clean)),
                ],
            );
            let occurrence = prop_oneof![
                2 => string(clean),
                1 => pick(clean, &[("null", false), ("{}", true), ("7", false)]),
                6 => object(clean, vec![("code", text(clean)), ("date", text(clean))]),
            ];
            let value = object(
                clean,
                vec![("code", text(clean)), ("amount", number_field(clean))],
            );
            let texts = || prop_oneof![1 => string(clean), 4 => list(clean, text(clean))];
            let claim = object(
                clean,
                vec![
                    ("id", text(clean)),
                    ("type", text(clean)),
                    ("patient", patient.boxed()),
                    ("service_date", text(clean)),
                    ("admission_date", text(clean)),
                    ("discharge_date", text(clean)),
                    ("discharge_status", text(clean)),
                    ("diagnoses", list(clean, diagnosis.boxed())),
                    ("admitting_diagnosis", text(clean)),
                    ("procedures", list(clean, procedure)),
                    ("lines", list(clean, line)),
                    ("bill_type", text(clean)),
                    ("from_date", text(clean)),
                    ("through_date", text(clean)),
                    ("condition_codes", texts().boxed()),
                    ("occurrence_codes", list(clean, occurrence.boxed())),
                    ("value_codes", list(clean, value)),
                    ("reason_for_visit", texts().boxed()),
                    ("receipt_date", text(clean)),
                    ("opps_flag", text(clean)),
                ],
            );
            let ends = (
                spaces(clean),
                pick(clean, &[("", true), ("x", false), ("{}", false)]),
            );
            (claim, ends)
                .prop_map(|((claim, ok), (spaces, (tail, tail_ok)))| {
                    let sure = ok && tail_ok && spaces[..2].iter().all(|p| p.1);
                    (format!("{}{claim}{}{tail}", spaces[0].0, spaces[1].0), sure)
                })
                .boxed()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn answers_as_serde_does((text, sure) in prop_oneof![claim(true), claim(false)]) {
                let fast = read(&text);
                prop_assert!(fast.is_some() || !sure, "declined {}", text);
                if let Some(fast) = fast {
                    let slow = serde_json::from_str::<ClaimRef<'_>>(&text);
                    prop_assert!(slow.is_ok(), "serde refuses {}: {:?}", text, slow.err());
                    prop_assert_eq!(format!("{fast:?}"), format!("{:?}", slow.unwrap()), "{}", text);
                    // Strict mode: what this reader reads has no field it
                    // does not know, as serde's path sees it.
                    prop_assert!(crate::claim::unknown_fields(&text).is_empty(), "{}", text);
                }
            }

            /// The I/OCE's reader (`read_outpatient`, straight into the
            /// editor's input) reads a claim exactly when `read_claim`
            /// does, and gives the inputs (and id) that the claim read by
            /// `read_claim` gives; a claim that is not outpatient as read.
            #[cfg(feature = "ioce")]
            #[test]
            fn reads_outpatient_claims_as_the_claim_reader((text, _) in prop_oneof![claim(true), claim(false)]) {
                use crate::ioce::ClaimInput;
                let whole = read(&text);
                let direct = ClaimInput::read_outpatient(&text);
                prop_assert_eq!(whole.is_some(), direct.is_some(), "{}", text);
                if let (Some(whole), Some(direct)) = (whole, direct) {
                    let outpatient = crate::claim::outpatient_bill_type(whole.bill_type.as_deref());
                    prop_assert_eq!(outpatient, direct.is_some(), "{}", text);
                    if let Some((id, input)) = direct {
                        prop_assert_eq!(id, whole.id.as_deref(), "{}", text);
                        prop_assert_eq!(&input, &ClaimInput::from_claim_ref(&whole), "{}", text);
                    }
                }
            }
        }
    }
}
