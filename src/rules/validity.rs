//! Code validity: every code on the claim against its own system and date.
//!
//! `invalid-code`, `code-not-valid-on-date`, `header-code`, `code-system-mismatch`,
//! `hcpcs-beyond-horizon`, `icd10-beyond-horizon`.

use super::msg::{cat, Piece};
use super::prepared::gate::statuses;
use super::prepared::status_bits;
use super::registry::Builtin;
use super::Family;
use super::{rule, CodeStatus, PreparedClaim, PreparedDx};
use crate::date::Date;
use crate::icd10cm::IcdCmInfo;
use crate::system::System;
use crate::validity::{merged, ValidityWindow};

/// The validity family (the rules' `rule!` declarations name it).
const FAMILY: Family = Family::Validity;

/// The validity rules, in engine order.
pub(super) const RULES: &[Builtin] = &[
    InvalidCode::BUILTIN,
    NotValidOnDate::BUILTIN,
    HeaderCode::BUILTIN,
    SystemMismatch::BUILTIN,
    HcpcsBeyondHorizon::BUILTIN,
    Icd10BeyondHorizon::BUILTIN,
];

/// Where a code sits on the claim.
#[derive(Clone, Copy)]
enum Place {
    Dx(usize),
    Pcs(usize),
    Line(usize),
}

/// One code of the claim, whatever its place (strings built only on a finding).
struct Item<'a> {
    place: Place,
    expected: System,
    status: CodeStatus,
    cm: Option<IcdCmInfo>,
    pcs: Option<crate::icd10pcs::IcdPcsInfo>,
    hcpcs_dates: Option<(Option<Date>, Option<Date>)>,
    date: Option<Date>,
    raw: &'a str,
    /// The parsed code, written only when a finding names it.
    parsed: Option<&'a dyn Piece>,
}

impl Item<'_> {
    fn line(&self) -> Option<usize> {
        match self.place {
            Place::Line(i) => Some(i),
            _ => None,
        }
    }
    fn field(&self) -> String {
        cat!(self.place)
    }
    /// "diagnosis 2", "procedure 1", "line 3" (counted from 1).
    fn what(&self) -> String {
        let mut text = String::with_capacity(16);
        self.push_what(&mut text);
        text
    }
    /// Appends [`what`](Self::what)'s text.
    fn push_what(&self, out: &mut String) {
        let (noun, i) = match self.place {
            Place::Dx(i) => ("diagnosis ", i),
            Place::Pcs(i) => ("procedure ", i),
            Place::Line(i) => ("line ", i),
        };
        out.push_str(noun);
        super::push_usize(out, i + 1);
    }
    fn display(&self) -> String {
        cat!(self)
    }
}

/// The field path of the place.
impl Piece for Place {
    fn push_to(&self, out: &mut String) {
        match *self {
            Place::Dx(i) => super::msg::DxField(i).push_to(out),
            Place::Pcs(i) => ("procedures[", i, "]").push_to(out),
            Place::Line(i) => ("lines[", i, "].code").push_to(out),
        }
    }
}

/// The code as findings show it: the parsed code, else the trimmed text.
impl Piece for Item<'_> {
    fn push_to(&self, out: &mut String) {
        match self.parsed {
            Some(code) => code.push_to(out),
            None => out.push_str(self.raw.trim()),
        }
    }
}

/// A diagnosis as a validity rule sees it.
fn dx_item<'a>(c: &PreparedClaim<'_>, d: &'a PreparedDx<'a>) -> Item<'a> {
    Item {
        place: Place::Dx(d.index),
        expected: System::Icd10Cm,
        status: d.status,
        cm: d.info,
        pcs: None,
        hcpcs_dates: None,
        date: c.date,
        raw: d.raw,
        parsed: d.code.as_ref().map(|c| c as &dyn Piece),
    }
}

/// The codes a validity rule has something to say about.
fn items<'a>(c: &'a PreparedClaim<'_>) -> impl Iterator<Item = Item<'a>> + 'a {
    let dx = c
        .diagnoses
        .iter()
        .filter(|d| d.status.is_problem())
        .map(move |d| dx_item(c, d));
    // The admitting diagnosis has its own rule (`invalid-admitting-diagnosis`,
    // CMS's INVALID_ADMIT_DX), as CMS's MCE keeps it apart from INVALID_CODE.
    let pcs = c
        .procedures
        .iter()
        .filter(|p| p.status.is_problem())
        .map(move |p| Item {
            place: Place::Pcs(p.index),
            expected: System::Icd10Pcs,
            status: p.status,
            cm: None,
            pcs: p.info,
            hcpcs_dates: None,
            date: c.date,
            raw: p.raw,
            parsed: p.code.as_ref().map(|c| c as &dyn Piece),
        });
    let lines = c
        .lines
        .iter()
        .filter(|l| l.status.is_problem())
        .map(move |l| Item {
            place: Place::Line(l.index),
            expected: match l.code {
                Some(crate::load::ProcedureCode::Hcpcs(_)) => System::Hcpcs,
                _ => System::Cpt,
            },
            status: l.status,
            cm: None,
            pcs: None,
            hcpcs_dates: l.hcpcs_dates,
            date: l.date,
            raw: l.raw,
            parsed: l.code.as_ref().map(|c| c as &dyn Piece),
        });
    dx.chain(pcs).chain(lines)
}

/// For a retired ICD-10-CM code (its last window ended before `date`, or no
/// bundled release holds it): "; deleted from 2025-10-01; use B88.01, B88.09" from
/// CDC's conversion tables, else empty.
fn replacement_text(code: crate::IcdCm, info: Option<IcdCmInfo>, date: Date) -> String {
    let mut out = String::new();
    push_replacement_text(&mut out, code, info, date);
    out
}

/// Appends what replaced `code` (from CDC's conversion tables) by `date`:
/// "; deleted from D; use A, B" (D the day after its last day), or "; CDC's conversion
/// tables replace it with …"; nothing when nothing replaced it. Written
/// into the message as it is built (no list of strings joined).
fn push_replacement_text(
    out: &mut String,
    code: crate::IcdCm,
    info: Option<IcdCmInfo>,
    date: Date,
) {
    let last_day = match info.map(|i| merged(i.mce_periods())) {
        Some(w) => match w.last().and_then(|w| w.to) {
            Some(to) if to < date => Some(to),
            _ => return,
        },
        None => None,
    };
    // Written as the rows are found: no list of them is collected.
    match last_day {
        // Its replacements are the codes that took effect the day after
        // (each on or before `date`, as `d` is before it).
        Some(d) => push_replacements(out, Some(d), code.replacements_on(d.succ())),
        None => push_replacements(out, None, code.replacements_until(date)),
    }
}

/// Appends [`push_replacement_text`]'s text for the replacements `by`
/// (nothing when there are none): the first six codes, then how many.
fn push_replacements(
    out: &mut String,
    last_day: Option<Date>,
    mut by: impl Iterator<Item = crate::icd10cm::Conversion>,
) {
    let Some(first) = by.next() else {
        return;
    };
    match last_day {
        Some(d) => {
            // The deletion takes effect the day after its last valid day.
            out.push_str("; deleted from ");
            d.succ().push_to(out);
            out.push_str("; use ");
        }
        None => out.push_str("; CDC's conversion tables replace it with "),
    }
    const SHOWN: usize = 6;
    first.code.push_dotted(out);
    let mut count = 1;
    for c in by {
        if count < SHOWN {
            out.push_str(", ");
            c.code.push_dotted(out);
        }
        count += 1;
    }
    if count > SHOWN {
        out.push_str(" … (");
        super::push_usize(out, count);
        out.push_str(" codes)");
    }
}

/// Appends "it is valid A to B, and from C (still valid)" for the windows.
pub(super) fn push_windows_text<F>(
    out: &mut String,
    w: impl IntoIterator<Item = ValidityWindow<F>>,
) {
    let mut w = w.into_iter().peekable();
    if w.peek().is_none() {
        out.push_str("it is not billable in any bundled release");
        return;
    }
    out.push_str("it is valid ");
    for (i, w) in w.enumerate() {
        if i > 0 {
            out.push_str(", and ");
        }
        match w.to {
            Some(to) => {
                w.from.push_to(out);
                out.push_str(" to ");
                to.push_to(out);
            }
            None => {
                out.push_str("from ");
                w.from.push_to(out);
                out.push_str(" (still valid)");
            }
        }
    }
}

rule!(
    InvalidCode, "invalid-code", Error,
    "a code that is not a code of its system, or in no bundled (or loaded) release; on an inpatient claim, a blank or all-zero principal diagnosis",
    gate: statuses(
        status_bits::UNPARSEABLE | status_bits::NOT_IN_TABLE | status_bits::MISSING_PRINCIPAL,
    ),
    cms: "INVALID_CODE",
    |c, out| {
        // Only unparseable codes, codes in no table and a blank principal
        // diagnosis (institutional) are this rule's.
        if !c.may_have_status(
            status_bits::UNPARSEABLE | status_bits::NOT_IN_TABLE | status_bits::MISSING_PRINCIPAL,
        ) {
            return;
        }
        if c.may_have_status(status_bits::MISSING_PRINCIPAL) {
            // CMS's MCE raises INVALID_CODE for a blank (or all-zero) principal.
            let zeros = !c.diagnoses[0].raw.trim().is_empty();
            out.emit(
                None,
                "diagnoses[0].code",
                vec![],
                if zeros {
                    "the principal diagnosis (diagnosis 1) is zeros, not a code: an inpatient claim needs a principal diagnosis"
                } else {
                    "the principal diagnosis (diagnosis 1) is blank: an inpatient claim needs a principal diagnosis"
                },
            );
        }
        for it in items(c) {
            let msg = match it.status {
                CodeStatus::Unparseable(e) => match it.expected {
                    System::Icd10Cm => format!("{} {:?} is not an ICD-10-CM code: {e}", it.what(), it.raw.trim()),
                    System::Icd10Pcs => format!("{} {:?} is not an ICD-10-PCS code: {e}", it.what(), it.raw.trim()),
                    _ => format!("{} {:?} is not a CPT or HCPCS Level II code (five characters: 99213, 0042T, J1100)", it.what(), it.raw.trim()),
                },
                CodeStatus::NotInTable => match it.expected {
                    System::Icd10Cm => {
                        let replaced = match (crate::IcdCm::parse_kind(&it.display()), it.date) {
                            (Ok(code), Some(date)) => replacement_text(code, None, date),
                            _ => String::new(),
                        };
                        format!("{} {} is not an ICD-10-CM code in any release from FY2016 to FY2027{replaced}", it.what(), it.display())
                    }
                    System::Icd10Pcs => format!("{} {} is not an ICD-10-PCS code in any release from FY2016 to FY2027", it.what(), it.display()),
                    _ => format!(
                        "{} {} is not in the HCPCS Level II release in use ({})",
                        it.what(),
                        it.display(),
                        c.hcpcs_source.unwrap_or("?")
                    ),
                },
                _ => continue,
            };
            let codes = if it.raw.trim().is_empty() {
                vec![]
            } else {
                vec![it.display()]
            };
            out.emit(it.line(), it.field(), codes, msg);
        }
    }
);

rule!(
    NotValidOnDate, "code-not-valid-on-date", Error,
    "a code that exists but is not valid on the date of service (the message gives its validity window)",
    gate: statuses(status_bits::NOT_VALID_ON_DATE),
    cms: "INVALID_CODE",
    |c, out| {
        if !c.may_have_status(status_bits::NOT_VALID_ON_DATE) {
            return;
        }
        for it in items(c) {
            if it.status != CodeStatus::NotValidOnDate {
                continue;
            }
            let Some(date) = it.date else { continue };
            // "{what} {shown} is not valid on {date}: {why}{icd9}", built in place.
            out.emit_parts(it.line(), it.place, &[&it], |msg| {
            it.push_what(msg);
            msg.push(' ');
            it.push_to(msg);
            msg.push_str(" is not valid on ");
            date.push_to(msg);
            msg.push_str(": ");
            if let Some(info) = it.cm {
                push_windows_text(msg, merged(info.mce_periods()));
                push_replacement_text(msg, info.code(), Some(info), date);
            } else if let Some(info) = it.pcs {
                push_windows_text(msg, merged(info.mce_periods()));
            } else if let Some((added, terminated)) = it.hcpcs_dates {
                match (added, terminated) {
                    (Some(a), Some(t)) => {
                        msg.push_str("it is valid ");
                        a.push_to(msg);
                        msg.push_str(" to ");
                        t.push_to(msg);
                    }
                    (Some(a), None) => {
                        msg.push_str("it is valid from ");
                        a.push_to(msg);
                    }
                    (None, Some(t)) => {
                        msg.push_str("it was terminated ");
                        t.push_to(msg);
                    }
                    (None, None) => msg.push_str("the HCPCS release gives no dates for it"),
                }
            }
            if date < Date::from_checked(20151001) && it.expected != System::Hcpcs {
                msg.push_str(" (ICD-10 codes apply to services from 2015-10-01)");
            }
            });
        }
    }
);

/// The code padded with X to six characters and then `seventh` (the
/// example of a billable code `header-code` gives), made from the code's
/// key: what parsing that text gives, without building and parsing it.
/// `None` (then [`push_example_text`] writes it) for a seventh character
/// that is not an upper-case letter or digit, or a code of seven characters.
fn example_with_seventh(code: crate::IcdCm, seventh: char) -> Option<crate::IcdCm> {
    use crate::codebuf::sixbit;
    let b = u8::try_from(seventh).ok()?;
    if !(b.is_ascii_digit() || b.is_ascii_uppercase()) || code.len() > 6 {
        return None;
    }
    let at = |pos: usize, symbol: u64| symbol << (6 * (6 - pos));
    let mut key = code.key();
    for pos in code.len()..6 {
        key |= at(pos, sixbit::encode(b'X'));
    }
    key |= at(6, sixbit::encode(b));
    Some(crate::IcdCm::from_key_unchecked(key))
}

/// The example's text made and parsed, for what [`example_with_seventh`]
/// leaves: the parsed code dotted when the text parses, else the text.
fn push_example_text(msg: &mut String, code: crate::IcdCm, seventh: char) {
    let mut full = code.undotted();
    while full.len() < 6 {
        full.push(b'X');
    }
    let mut utf8 = [0u8; 4];
    match seventh.encode_utf8(&mut utf8).as_bytes() {
        &[b] => {
            full.push(b);
            match crate::IcdCm::parse_kind(full.as_str()) {
                Ok(example) => example.push_dotted(msg),
                Err(_) => msg.push_str(full.as_str()),
            }
        }
        _ => {
            msg.push_str(full.as_str());
            msg.push(seventh);
        }
    }
}

/// The most codes below a header a `header-code` message names.
const BELOW_SHOWN: usize = 6;
/// The most codes below a header looked at for the message (a category
/// such as S72 has thousands): the work per header code stays bounded.
const BELOW_SCANNED: usize = 512;

/// Appends " on D: A, B, … (N codes)" — the billable codes below `info`
/// valid on `date`, in code order (the first [`BELOW_SHOWN`]; "more than
/// N" past [`BELOW_SCANNED`] codes looked at). Nothing when none is.
fn push_billable_below(msg: &mut String, info: IcdCmInfo, date: Date) {
    let scanned_all = info.descendants().len() <= BELOW_SCANNED;
    let mut count = 0;
    for d in info.descendants().take(BELOW_SCANNED) {
        if !d.valid_on(date) {
            continue;
        }
        if count == 0 {
            msg.push_str(" on ");
            date.push_to(msg);
            msg.push_str(": ");
        }
        if count < BELOW_SHOWN {
            if count > 0 {
                msg.push_str(", ");
            }
            d.code().push_dotted(msg);
        }
        count += 1;
    }
    if count > BELOW_SHOWN {
        msg.push_str(" … (");
        if !scanned_all {
            msg.push_str("more than ");
        }
        super::push_usize(msg, count);
        msg.push_str(" codes)");
    }
}

rule!(
    HeaderCode, "header-code", Error,
    "an ICD-10-CM category or subcategory that is not billable, including a code missing its 7th character (the message names the billable codes below it on the date)",
    gate: statuses(status_bits::HEADER),
    cms: "INVALID_CODE",
    |c, out| {
        if !c.may_have_status(status_bits::HEADER) {
            return;
        }
        // Only a diagnosis can be a header (`dx_status`; the admitting
        // diagnosis has its own rule): the diagnoses alone, not `items`.
        for d in c.diagnoses.iter().filter(|d| d.status == CodeStatus::Header) {
            let it = dx_item(c, d);
            let Some(info) = it.cm else { continue };
            let code = info.code();
            // Built in one buffer: what, code, why, and an example.
            out.emit_parts(it.line(), it.place, &[code], |msg| {
            it.push_what(msg);
            msg.push(' ');
            code.push_dotted(msg);
            if info.requires_seventh_character() {
                msg.push_str(" needs a 7th character to be billable");
                if let Some((ch, text)) = info.seventh_characters().and_then(|s| s.iter().next()) {
                    msg.push_str(" (such as ");
                    match example_with_seventh(code, ch) {
                        Some(example) => example.push_dotted(msg),
                        None => push_example_text(msg, code, ch),
                    }
                    msg.push_str(", ");
                    msg.push_str(text);
                    msg.push(')');
                }
            } else {
                msg.push_str(if code.len() == 3 { " is a category" } else { " is a subcategory" });
                msg.push_str(", not a billable code: report one of the more specific codes below it");
                if let Some(date) = it.date {
                    push_billable_below(msg, info, date);
                }
            }
            });
        }
    }
);

rule!(
    SystemMismatch, "code-system-mismatch", Error,
    "a code of the wrong system for its place: a PCS code on a line, a CPT code in procedures, a diagnosis as a line code",
    gate: statuses(status_bits::OTHER_SYSTEM),
    cms: "INVALID_CODE",
    |c, out| {
        if !c.may_have_status(status_bits::OTHER_SYSTEM) {
            return;
        }
        for it in items(c) {
            let CodeStatus::OtherSystem(sys) = it.status else { continue };
            let place = match it.expected {
                System::Icd10Cm => "diagnoses take ICD-10-CM codes",
                System::Icd10Pcs => "procedures take ICD-10-PCS codes (CPT and HCPCS codes go on service lines)",
                _ => "service lines take CPT or HCPCS Level II codes (ICD-10-PCS codes go in procedures, diagnoses in diagnoses)",
            };
            let kind = match c.kind {
                super::ClaimKind::Professional => "professional",
                super::ClaimKind::Institutional => "institutional",
            };
            let code = it.raw.trim().to_ascii_uppercase();
            out.emit(
                it.line(),
                it.field(),
                vec![code.clone()],
                format!(
                    "{} {code} on this {kind} claim is {} {} code: {place}",
                    it.what(),
                    if sys == System::Icd10Cm || sys == System::Icd10Pcs { "an" } else { "a" },
                    sys.display_name()
                ),
            );
        }
    }
);

rule!(
    HcpcsBeyondHorizon, "hcpcs-beyond-horizon", Info,
    "a HCPCS Level II line dated after the last day of the HCPCS release in use: checked as of that day (a newer quarter's file answers for later dates)",
    |c, out| {
        for l in &c.lines {
            let (Some(crate::load::ProcedureCode::Hcpcs(h)), Some(date)) = (l.code, l.date) else {
                continue;
            };
            if h.is_cdt() {
                continue;
            }
            let Some(d) = c.src.release_on(date).filter(|d| d.beyond_horizon) else {
                continue;
            };
            out.emit(
                Some(l.index),
                format!("lines[{}].code", l.index),
                vec![h.to_string()],
                format!(
                    "line {} {h} is dated {date}, after the HCPCS release in use ({}, {}) ends on {}: checked as of {}; load a newer quarter's HCPCS file for later dates",
                    l.index + 1,
                    c.hcpcs_source.unwrap_or("?"),
                    d.release,
                    d.as_of,
                    d.as_of
                ),
            );
        }
    }
);

rule!(
    Icd10BeyondHorizon, "icd10-beyond-horizon", Info,
    "a claim dated after the last day of the bundled ICD-10-CM or ICD-10-PCS tables (2027-03-31): its diagnoses or procedures were checked as of that day (a later release may add, delete or revise codes); one finding per code set the claim uses",
    |c, out| {
        // Most claims: dated within both code sets' tables.
        let Some(date) = c.date.filter(|&d| d > crate::icd10cm::horizon().min(crate::icd10pcs::horizon())) else { return };
        let has_dx = c.diagnoses.iter().chain(&c.admitting).any(|d| d.code.is_some());
        let has_pcs = c.procedures.iter().any(|p| p.code.is_some());
        let sets = [
            (has_dx, "diagnoses", "ICD-10-CM", crate::icd10cm::release_on(date)),
            (has_pcs, "procedures", "ICD-10-PCS", crate::icd10pcs::release_on(date)),
        ];
        for (used, field, name, dated) in sets {
            let Some(d) = dated.filter(|d| used && d.beyond_horizon) else { continue };
            out.emit(
                None,
                field,
                vec![],
                format!(
                    "the claim is dated {date}, after the bundled {name} tables end on {}: its {field} were checked as of {}, by the {} release; a later release may add, delete or revise codes",
                    d.as_of, d.as_of, d.release
                ),
            );
        }
    }
);

#[cfg(test)]
mod example_tests {
    /// The example made from the key is the one the text parses to, for
    /// every code that needs a 7th character and each of its 7th characters.
    #[test]
    fn example_from_the_key_equals_the_parsed_text() {
        let mut checked = 0;
        for info in crate::icd10cm::all().filter(|i| i.requires_seventh_character()) {
            let code = info.code();
            for (ch, _) in info.seventh_characters().iter().flat_map(|s| s.iter()) {
                let mut want = String::new();
                super::push_example_text(&mut want, code, ch);
                let mut got = String::new();
                match super::example_with_seventh(code, ch) {
                    Some(example) => example.push_dotted(&mut got),
                    None => super::push_example_text(&mut got, code, ch),
                }
                assert_eq!(got, want, "{code} {ch:?}");
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
