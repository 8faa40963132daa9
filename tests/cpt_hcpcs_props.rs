//! Property tests for the CPT, HCPCS and modifier parsers: valid codes
//! round-trip (any case, surrounding whitespace), order follows the strings,
//! and arbitrary input either parses to the normalised code or fails with an
//! error naming what it found; the bundled tables answer exactly for the
//! codes they list. Plus the record readers: every error names a line of the
//! input, and strict and lenient loading agree.

use medcode::cpt::{CptCategory, CptSection};
use medcode::hcpcs::{HcpcsFileError, HcpcsLoadError, HcpcsRelease};
use medcode::load::{CptDescriptors, CptLineError, CptLoadError, LoadOptions};
use medcode::lookup::System;
use medcode::modifier::ModifierClass;
use medcode::{Cpt, Hcpcs, Modifier, ParseCodeError, ParseCodeErrorKind};
use proptest::prelude::*;

use crate::common;
use proptest::test_runner::TestCaseError;
use std::fmt::{Debug, Display};
use std::str::FromStr;
use std::sync::OnceLock;

/// A fixed-length code type, and the syntax its documentation gives.
trait FixedCode: FromStr<Err = ParseCodeError> + Display + Debug + PartialEq + Copy {
    const SYSTEM: System;
    const LEN: usize;
    /// Whether `c` (upper case) may stand at `pos`.
    fn accepts(pos: usize, c: char) -> bool;
}

impl FixedCode for Cpt {
    const SYSTEM: System = System::Cpt;
    const LEN: usize = Cpt::LEN;
    fn accepts(pos: usize, c: char) -> bool {
        c.is_ascii_digit() || (pos == 4 && "FTUAM".contains(c))
    }
}

impl FixedCode for Hcpcs {
    const SYSTEM: System = System::Hcpcs;
    const LEN: usize = Hcpcs::LEN;
    fn accepts(pos: usize, c: char) -> bool {
        if pos == 0 {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_digit()
        }
    }
}

impl FixedCode for Modifier {
    const SYSTEM: System = System::Modifier;
    const LEN: usize = Modifier::LEN;
    fn accepts(_: usize, c: char) -> bool {
        c.is_ascii_uppercase() || c.is_ascii_digit()
    }
}

/// Parses `s` as `C`: the code of the trimmed, upper-cased input, which
/// displays as that text and re-parses to itself (`Some`), or an error
/// that keeps the input and names the first bad character, or a length,
/// that is really there (`None`).
fn check_parse<C: FixedCode>(s: &str) -> Result<Option<C>, TestCaseError> {
    // Positions and lengths are of the input with surrounding whitespace trimmed.
    let trimmed = s.trim();
    let e = match s.parse::<C>() {
        Ok(code) => {
            let text = code.to_string();
            prop_assert_eq!(&text, &trimmed.to_uppercase(), "{:?}", s);
            prop_assert_eq!(text.chars().count(), C::LEN);
            prop_assert!(text.chars().enumerate().all(|(i, c)| C::accepts(i, c)));
            prop_assert_eq!(text.parse::<C>(), Ok(code));
            prop_assert_eq!(text.to_lowercase().parse::<C>(), Ok(code));
            return Ok(Some(code));
        }
        Err(e) => e,
    };
    prop_assert_eq!(e.system(), C::SYSTEM);
    common::parse_error::check_error_text(s, &e)?;

    let chars: Vec<char> = trimmed.chars().collect();
    let good = |n: usize| {
        chars[..n]
            .iter()
            .enumerate()
            .all(|(i, c)| C::accepts(i, c.to_ascii_uppercase()))
    };
    match e.kind() {
        ParseCodeErrorKind::Empty => prop_assert!(trimmed.is_empty(), "{:?}", s),
        ParseCodeErrorKind::TooShort { len, min } => {
            prop_assert_eq!(min, C::LEN);
            prop_assert_eq!(len, chars.len(), "{:?}", s);
            prop_assert!(len < min && len > 0);
            prop_assert!(good(len), "{:?}: a bad character, not too short", s);
        }
        ParseCodeErrorKind::TooLong { len, max } => {
            prop_assert_eq!(max, C::LEN);
            prop_assert_eq!(len, chars.len(), "{:?}", s);
            prop_assert!(len > max);
            prop_assert!(good(max), "{:?}: a bad character, not too long", s);
        }
        ParseCodeErrorKind::BadCharacter {
            position,
            found,
            expected,
        } => {
            prop_assert!(position < C::LEN, "{:?}: position {}", s, position);
            prop_assert_eq!(chars.get(position), Some(&found), "{:?}", s);
            prop_assert!(!C::accepts(position, found.to_ascii_uppercase()), "{:?}", s);
            prop_assert!(good(position), "{:?}: not the first bad character", s);
            prop_assert!(!expected.is_empty());
        }
        ParseCodeErrorKind::MisplacedDot { position, .. } => {
            prop_assert_eq!(chars.get(position), Some(&'.'), "{:?}", s);
        }
        // A kind added later: its message is all there is to check.
        _ => {}
    }
    Ok(None)
}

/// The bundled HCPCS codes and modifiers, in order (as their iterators
/// list them).
fn bundled_codes() -> &'static [Hcpcs] {
    static CODES: OnceLock<Vec<Hcpcs>> = OnceLock::new();
    CODES.get_or_init(|| medcode::hcpcs::bundled().iter().map(|e| e.code()).collect())
}

fn bundled_modifiers() -> &'static [Modifier] {
    static MODIFIERS: OnceLock<Vec<Modifier>> = OnceLock::new();
    MODIFIERS.get_or_init(|| {
        let mut m: Vec<Modifier> = medcode::hcpcs::bundled()
            .modifiers()
            .map(|e| e.modifier())
            .collect();
        m.sort();
        m
    })
}

/// What a CPT code's fifth character and number say about it.
fn check_cpt(c: Cpt) -> Result<(), TestCaseError> {
    let text = c.to_string();
    let last = text.chars().last().unwrap();
    prop_assert_eq!(c.number().is_some(), last.is_ascii_digit());
    if let Some(n) = c.number() {
        prop_assert_eq!(Ok(n), text.parse::<u32>());
    }
    let category = match last {
        'F' => CptCategory::II,
        'T' => CptCategory::III,
        'U' => CptCategory::Pla,
        'M' => CptCategory::Maaa,
        _ => CptCategory::I,
    };
    prop_assert_eq!(c.category(), category);
    if let Some(section) = c.section() {
        let n = c.number().unwrap();
        prop_assert!(
            section
                .ranges()
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&n)),
            "{} is not in {:?}",
            c,
            section
        );
    }
    if let Some(sub) = c.surgery_subsection() {
        prop_assert_eq!(c.section(), Some(CptSection::Surgery));
        let (lo, hi) = sub.range();
        prop_assert!(
            (lo..=hi).contains(&c.number().unwrap()),
            "{} not in {:?}",
            c,
            sub
        );
    }
    Ok(())
}

/// A HCPCS code's letter and section, and the bundled release answers
/// exactly for the codes it lists.
fn check_hcpcs(h: Hcpcs) -> Result<(), TestCaseError> {
    let letter = h.to_string().chars().next().unwrap();
    prop_assert_eq!(h.letter(), letter);
    prop_assert_eq!(h.section().is_none(), "FINOWXYZ".contains(letter));
    prop_assert_eq!(h.is_cdt(), letter == 'D');
    let info = h.info();
    let listed = bundled_codes().binary_search(&h).is_ok();
    prop_assert_eq!(info.is_some(), listed, "{}: info() vs bundled().iter()", h);
    if let Some(e) = info {
        prop_assert_eq!(e.code(), h);
    }
    Ok(())
}

/// A modifier's class and the bundled release's answer.
fn check_modifier(m: Modifier) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        m.is_cpt(),
        m.to_string().bytes().all(|b| b.is_ascii_digit())
    );
    let class = m.class();
    if class != ModifierClass::Other {
        prop_assert!(
            class.members().any(|x| x == m),
            "{} not a member of {:?}",
            m,
            class
        );
    }
    let info = m.info();
    let listed = bundled_modifiers().binary_search(&m).is_ok();
    prop_assert_eq!(
        info.is_some(),
        listed,
        "{}: info() vs bundled().modifiers()",
        m
    );
    if let Some(e) = info {
        prop_assert_eq!(e.modifier(), m);
    }
    Ok(())
}

/// Every check of one input, as each code type.
fn check_all(s: &str) -> Result<(), TestCaseError> {
    if let Some(c) = check_parse::<Cpt>(s)? {
        check_cpt(c)?;
    }
    if let Some(h) = check_parse::<Hcpcs>(s)? {
        check_hcpcs(h)?;
    }
    if let Some(m) = check_parse::<Modifier>(s)? {
        check_modifier(m)?;
    }
    Ok(())
}

/// Lines of `bytes` as the readers number them: split at LF, a final line
/// end not starting another line.
fn line_count(bytes: &[u8]) -> usize {
    let ends = bytes.iter().filter(|&&b| b == b'\n').count();
    ends + usize::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

/// Line `n` (1-based) of `bytes`.
fn line_of(bytes: &[u8], n: usize) -> &[u8] {
    bytes.split(|&b| b == b'\n').nth(n - 1).unwrap_or_default()
}

/// A binary-content error names a control byte that is on its line.
fn check_binary(bytes: &[u8], line: usize, byte: u8) -> Result<(), TestCaseError> {
    prop_assert!(byte < 0x20 || byte == 0x7F, "byte {:#04x} is text", byte);
    prop_assert!((1..=line_count(bytes)).contains(&line));
    prop_assert!(
        line_of(bytes, line).contains(&byte),
        "byte {:#04x} not on line {}",
        byte,
        line
    );
    Ok(())
}

fn check_hcpcs_file_error(bytes: &[u8], e: &HcpcsFileError) -> Result<(), TestCaseError> {
    let lines = line_count(bytes);
    let message = e.to_string();
    match *e {
        HcpcsFileError::NoRecord { line } => {
            prop_assert_eq!(line, lines, "{}", message);
            prop_assert!(message.contains(&format!(" {line} lines")), "{}", message);
        }
        HcpcsFileError::Binary { line, byte } => {
            check_binary(bytes, line, byte)?;
            prop_assert!(
                message.starts_with(&format!("line {line}: ")),
                "{}",
                message
            );
        }
        _ => {
            let line = e.line();
            prop_assert!(
                (1..=lines).contains(&line),
                "{} (of {} lines)",
                message,
                lines
            );
            prop_assert!(
                message.starts_with(&format!("line {line}: ")),
                "{}",
                message
            );
            if let HcpcsFileError::DuplicateCode { first_line, .. } = *e {
                prop_assert!(first_line < line, "{}", message);
            }
        }
    }
    Ok(())
}

fn check_cpt_line_error(bytes: &[u8], e: &CptLineError) -> Result<(), TestCaseError> {
    let (line, message) = (e.line(), e.to_string());
    prop_assert!((1..=line_count(bytes)).contains(&line), "{}", message);
    prop_assert!(
        message.starts_with(&format!("line {line}: ")),
        "{}",
        message
    );
    if let CptLineError::DuplicateCode { first_line, .. } = *e {
        prop_assert!(first_line < line, "{}", message);
    }
    Ok(())
}

/// The HCPCS and CPT readers on `bytes`, strict and lenient: each error
/// names a line of the input (or, refusing the file, the lines read), a
/// load keeps no more records than the input has lines, lenient loading
/// reports each bad line once in line order, and the two modes agree
/// (strict fails exactly with lenient's first bad line).
fn check_readers(bytes: &[u8]) -> Result<(), TestCaseError> {
    let lines = line_count(bytes);
    // A ZIP archive's errors and records are of the file inside it.
    let zip = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06");

    let strict = HcpcsRelease::from_reader(bytes);
    let lenient = HcpcsRelease::from_reader_with(bytes, LoadOptions::lenient());
    for e in [strict.as_ref().err(), lenient.as_ref().err()]
        .into_iter()
        .flatten()
    {
        prop_assert!(!e.to_string().is_empty());
        match e {
            HcpcsLoadError::Record(r) if !zip => check_hcpcs_file_error(bytes, r)?,
            HcpcsLoadError::Record(_) | HcpcsLoadError::Zip { .. } if zip => {}
            other => prop_assert!(false, "reading bytes that are not a ZIP: {:?}", other),
        }
    }
    if !zip {
        if let Ok(t) = &strict {
            prop_assert!(t.len() + t.modifiers().len() <= t.records());
            prop_assert!(t.records() + t.preamble_lines() <= lines);
        }
        if let Ok(l) = &lenient {
            let t = &l.table;
            prop_assert!(t.len() + t.modifiers().len() <= t.records());
            prop_assert!(t.records() + t.preamble_lines() + l.errors.len() <= lines);
            prop_assert!(t.records() > 0, "an empty release loaded");
            for e in &l.errors {
                check_hcpcs_file_error(bytes, e)?;
                let refusal = matches!(
                    e,
                    HcpcsFileError::NoRecord { .. } | HcpcsFileError::Binary { .. }
                );
                prop_assert!(!refusal, "{} reported beside a table", e);
            }
            prop_assert!(
                l.errors.windows(2).all(|w| w[0].line() < w[1].line()),
                "{:?}",
                l.errors
            );
        }
    }
    match (&strict, &lenient) {
        (Ok(t), Ok(l)) => {
            prop_assert!(
                l.errors.is_empty(),
                "strict loads, lenient reports {:?}",
                l.errors
            );
            prop_assert_eq!(t, &l.table);
        }
        (Err(HcpcsLoadError::Record(first)), Ok(l)) => {
            prop_assert_eq!(l.errors.first(), Some(first))
        }
        (Err(s), Err(l)) => prop_assert_eq!(s.to_string(), l.to_string()),
        (s, l) => prop_assert!(
            false,
            "strict {:?}, lenient {:?}",
            s.as_ref().err(),
            l.as_ref().err()
        ),
    }

    let strict = CptDescriptors::from_reader(bytes);
    let lenient = CptDescriptors::from_reader_with(bytes, LoadOptions::lenient());
    for e in [strict.as_ref().err(), lenient.as_ref().err()]
        .into_iter()
        .flatten()
    {
        let message = e.to_string();
        prop_assert!(!message.is_empty());
        match e {
            CptLoadError::Line(l) => check_cpt_line_error(bytes, l)?,
            CptLoadError::NoRecord { lines: n } => {
                // A byte-order mark is not a line.
                let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                prop_assert_eq!(*n, line_count(text), "{}", message);
            }
            CptLoadError::UnrecognisedHeader { line, found } => {
                prop_assert!((1..=lines).contains(line), "{}", message);
                prop_assert!(
                    message.starts_with(&format!("line {line}: ")),
                    "{}",
                    message
                );
                prop_assert!(
                    !found.is_empty() && found.chars().count() <= 120,
                    "{}",
                    message
                );
            }
            CptLoadError::Binary { line, byte } => {
                check_binary(bytes, *line, *byte)?;
                prop_assert!(
                    message.starts_with(&format!("line {line}: ")),
                    "{}",
                    message
                );
            }
            other => prop_assert!(false, "reading bytes: {:?}", other),
        }
    }
    for t in [
        strict.as_ref().ok(),
        lenient.as_ref().ok().map(|l| &l.table),
    ]
    .into_iter()
    .flatten()
    {
        prop_assert!(t.layout().is_some());
        prop_assert!(!t.is_empty(), "an empty table loaded");
        prop_assert!(t.iter().all(|(_, d)| !d.is_empty()));
        let codes: Vec<Cpt> = t.iter().map(|(c, _)| c).collect();
        prop_assert!(codes.windows(2).all(|w| w[0] < w[1]), "{:?}", codes);
        prop_assert!(t.len() + t.preamble_lines() <= lines);
    }
    if let Ok(l) = &lenient {
        prop_assert!(l.table.len() + l.table.preamble_lines() + l.errors.len() <= lines);
        for e in &l.errors {
            check_cpt_line_error(bytes, e)?;
        }
        prop_assert!(
            l.errors.windows(2).all(|w| w[0].line() < w[1].line()),
            "{:?}",
            l.errors
        );
    }
    match (&strict, &lenient) {
        (Ok(t), Ok(l)) => {
            prop_assert!(
                l.errors.is_empty(),
                "strict loads, lenient reports {:?}",
                l.errors
            );
            prop_assert_eq!(t, &l.table);
        }
        (Err(CptLoadError::Line(first)), Ok(l)) => prop_assert_eq!(l.errors.first(), Some(first)),
        (Err(s), Err(l)) => prop_assert_eq!(s.to_string(), l.to_string()),
        (s, l) => prop_assert!(
            false,
            "strict {:?}, lenient {:?}",
            s.as_ref().err(),
            l.as_ref().err()
        ),
    }
    Ok(())
}

/// Lines shaped like the files the readers take (HCPCS records, CPT
/// descriptor lines of each layout, headings, blank lines), so that loads
/// succeed, fail and report bad lines; joined with LF or CRLF.
fn file_like() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        // HCPCS first and continuation records of codes, then of modifiers.
        "[A-Z][0-9]{4}[0-9]{5}[34][ -~]{0,100}",
        "   [A-Z0-9]{2}[0-9]{5}[78][ -~]{0,60}",
        // CPT descriptor lines: tab, comma (quoted or not), fixed width.
        "[0-9]{4}[0-9FTX]\t[ -~]{0,12}",
        "\"?[0-9]{4}[0-9U]\"?,\"?[ -~]{0,12}\"?",
        "[0-9]{4}[0-9A] [ -~]{0,12}",
        // Headings, prose, blank lines, cp1252 text.
        "[A-Za-z ]{0,10}(\t[A-Za-z ]{0,8}){0,3}",
        "[ \t]{0,3}",
        "[ -~\u{80}-\u{ff}]{0,40}",
    ];
    (
        proptest::collection::vec(line, 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_end)| {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join(end);
            if final_end && !lines.is_empty() {
                text.push_str(end);
            }
            text.into_bytes()
        })
}

proptest! {
    #[test]
    fn cpt_round_trips(code in "[0-9]{4}[0-9FTUAM]", lower in any::<bool>(), pad in "[ \t]{0,2}") {
        let input = if lower { code.to_lowercase() } else { code.clone() };
        let c: Cpt = format!("{pad}{input}{pad}").parse().unwrap();
        prop_assert_eq!(c.to_string(), code.clone());
        prop_assert_eq!(c.to_string().parse::<Cpt>().unwrap(), c);
        prop_assert_eq!(c.number().is_some(), code.bytes().all(|b| b.is_ascii_digit()));
        check_cpt(c)?;
    }

    #[test]
    fn cpt_order_is_string_order(a in "[0-9]{4}[0-9FTUAM]", b in "[0-9]{4}[0-9FTUAM]") {
        let (x, y): (Cpt, Cpt) = (a.parse().unwrap(), b.parse().unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
    }

    #[test]
    fn hcpcs_round_trips(code in "[A-Z][0-9]{4}", lower in any::<bool>()) {
        let input = if lower { code.to_lowercase() } else { code.clone() };
        let c: Hcpcs = input.parse().unwrap();
        prop_assert_eq!(c.to_string(), code.clone());
        prop_assert_eq!(c.letter(), code.chars().next().unwrap());
        check_hcpcs(c)?;
    }

    #[test]
    fn hcpcs_order_is_string_order(a in "[A-Z][0-9]{4}", b in "[A-Z][0-9]{4}") {
        let (x, y): (Hcpcs, Hcpcs) = (a.parse().unwrap(), b.parse().unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
    }

    #[test]
    fn modifier_round_trips(m in "[A-Z0-9]{2}", lower in any::<bool>()) {
        let input = if lower { m.to_lowercase() } else { m.clone() };
        let x: Modifier = input.parse().unwrap();
        prop_assert_eq!(x.to_string(), m.clone());
        prop_assert_eq!(x.is_cpt(), m.bytes().all(|b| b.is_ascii_digit()));
        check_modifier(x)?;
    }

    #[test]
    fn arbitrary_strings_parse_or_name_the_fault(s in ".{0,64}") {
        check_all(&s)?;
    }

    #[test]
    fn near_miss_strings_parse_or_name_the_fault(s in "[0-9A-Za-z .é-]{0,8}") {
        if let Ok(c) = s.parse::<Cpt>() {
            prop_assert_eq!(c.to_string(), s.trim().to_uppercase());
        }
        if let Ok(h) = s.parse::<Hcpcs>() {
            prop_assert_eq!(h.to_string(), s.trim().to_uppercase());
        }
        if let Ok(m) = s.parse::<Modifier>() {
            prop_assert_eq!(m.to_string(), s.trim().to_uppercase());
        }
        check_all(&s)?;
    }

    #[test]
    fn readers_name_lines_of_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        check_readers(&bytes)?;
    }

    #[test]
    fn readers_name_lines_of_file_like_input(bytes in file_like()) {
        check_readers(&bytes)?;
    }

    #[test]
    fn record_shaped_input_never_panics(
        code in "[ A-Z0-9]{5}",
        id in "[0-9 ]",
        rest in "[ -~\u{80}-\u{ff}]{0,330}",
    ) {
        let line = format!("{code}00100{id}{rest}\n");
        // A record either loads or is reported: never both, never neither. A
        // lone line that is not a good record leaves no record, so the load
        // fails with its error (or with `NoRecord` if it is not record-shaped).
        match HcpcsRelease::from_reader_with(line.as_bytes(), LoadOptions::lenient()) {
            Ok(loaded) => {
                prop_assert_eq!(loaded.table.len() + loaded.table.modifiers().len(), 1);
                prop_assert!(loaded.errors.is_empty());
            }
            Err(HcpcsLoadError::Record(e)) => prop_assert_eq!(e.line(), 1),
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
