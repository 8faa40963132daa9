//! The `Hcpcs` code value and its section: syntax only, no table access.

use crate::codebuf::{sixbit, CodeBuf};
use crate::error::{ParseCodeError, ParseCodeErrorKind};
use crate::system::System;
use std::fmt;
use std::num::NonZeroU64;

/// A HCPCS Level II code whose *syntax* is right: a letter and four digits.
///
/// Every letter is accepted, so that a code from a future or a foreign file
/// still parses; [`Hcpcs::section`] says which letters CMS uses (letters F,
/// I, N, O, W, X, Y and Z are not in use and are in no section). `D` codes are CDT (dental)
/// codes, copyrighted by the American Dental Association: they parse and
/// report their section, and no CDT descriptor is in this crate.
///
/// Input may be any case, with surrounding whitespace. Parsing never
/// allocates, never panics and never looks anything up. The value is 8 bytes
/// (`Option<Hcpcs>` too), `Copy`, ordered like the codes, serialised as the
/// string.
///
/// ```
/// use medcode::Hcpcs;
/// let code: Hcpcs = " e0114 ".parse().unwrap();
/// assert_eq!(code.to_string(), "E0114");
/// assert_eq!(code.letter(), 'E');
/// assert!("A0428".parse::<Hcpcs>().map_err(|e| e.kind()).unwrap() < "A9999".parse().unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hcpcs(NonZeroU64);

const _: () = assert!(std::mem::size_of::<Option<Hcpcs>>() == 8);

/// The section of HCPCS Level II a code's letter puts it in.
///
/// ```
/// use medcode::hcpcs::{Hcpcs, HcpcsSection};
/// let sec = |s: &str| s.parse::<Hcpcs>().unwrap().section();
/// assert_eq!(sec("J1100"), Some(HcpcsSection::Drugs));
/// assert_eq!(sec("D0120"), Some(HcpcsSection::Dental));
/// assert_eq!(sec("N0001"), None); // N is not in use
/// assert_eq!(HcpcsSection::Dental.name(), "CDT (dental)");
/// assert_eq!(HcpcsSection::Drugs.letter(), 'J');
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum HcpcsSection {
    /// A: transportation services, medical and surgical supplies.
    TransportationSupplies,
    /// B: enteral and parenteral therapy.
    EnteralParenteral,
    /// C: outpatient PPS (temporary).
    OutpatientPps,
    /// D: CDT (dental) codes, maintained by the American Dental Association.
    Dental,
    /// E: durable medical equipment.
    DurableMedicalEquipment,
    /// G: procedures and professional services (temporary).
    ProceduresProfessional,
    /// H: behavioral health and/or substance abuse treatment.
    BehavioralHealth,
    /// J: drugs administered other than oral method.
    Drugs,
    /// K: durable medical equipment (temporary).
    DmeTemporary,
    /// L: orthotic and prosthetic procedures and devices.
    OrthoticProsthetic,
    /// M: other medical services and quality measures.
    OtherMedicalServices,
    /// P: pathology and laboratory services.
    PathologyLaboratory,
    /// Q: temporary codes.
    Temporary,
    /// R: diagnostic radiology services.
    DiagnosticRadiology,
    /// S: temporary national codes for commercial payers.
    CommercialPayers,
    /// T: national codes for state Medicaid agencies.
    StateMedicaid,
    /// U: coronavirus diagnostic panel tests (laboratory).
    CoronavirusLab,
    /// V: vision, hearing and speech-language services.
    VisionHearingSpeech,
}

const SECTIONS: [(char, HcpcsSection, &str); 18] = [
    (
        'A',
        HcpcsSection::TransportationSupplies,
        "Transportation services, medical and surgical supplies",
    ),
    (
        'B',
        HcpcsSection::EnteralParenteral,
        "Enteral and parenteral therapy",
    ),
    (
        'C',
        HcpcsSection::OutpatientPps,
        "Outpatient PPS (temporary)",
    ),
    ('D', HcpcsSection::Dental, "CDT (dental)"),
    (
        'E',
        HcpcsSection::DurableMedicalEquipment,
        "Durable medical equipment",
    ),
    (
        'G',
        HcpcsSection::ProceduresProfessional,
        "Procedures/professional services (temporary)",
    ),
    (
        'H',
        HcpcsSection::BehavioralHealth,
        "Behavioral health and/or substance abuse treatment",
    ),
    (
        'J',
        HcpcsSection::Drugs,
        "Drugs administered other than oral method",
    ),
    (
        'K',
        HcpcsSection::DmeTemporary,
        "Durable medical equipment (temporary)",
    ),
    (
        'L',
        HcpcsSection::OrthoticProsthetic,
        "Orthotic/prosthetic procedures and devices",
    ),
    (
        'M',
        HcpcsSection::OtherMedicalServices,
        "Other medical services and quality measures",
    ),
    (
        'P',
        HcpcsSection::PathologyLaboratory,
        "Pathology and laboratory services",
    ),
    ('Q', HcpcsSection::Temporary, "Temporary codes"),
    (
        'R',
        HcpcsSection::DiagnosticRadiology,
        "Diagnostic radiology services",
    ),
    (
        'S',
        HcpcsSection::CommercialPayers,
        "Commercial payers (temporary)",
    ),
    ('T', HcpcsSection::StateMedicaid, "State Medicaid agencies"),
    (
        'U',
        HcpcsSection::CoronavirusLab,
        "Coronavirus diagnostic panel tests (laboratory)",
    ),
    (
        'V',
        HcpcsSection::VisionHearingSpeech,
        "Vision, hearing and speech-language services",
    ),
];

impl HcpcsSection {
    /// The section's letter.
    ///
    /// ```
    /// assert_eq!(medcode::hcpcs::HcpcsSection::VisionHearingSpeech.letter(), 'V');
    /// ```
    pub fn letter(self) -> char {
        SECTIONS.iter().find(|e| e.1 == self).map_or('?', |e| e.0)
    }

    /// The section's name.
    ///
    /// ```
    /// assert_eq!(medcode::hcpcs::HcpcsSection::Drugs.name(), "Drugs administered other than oral method");
    /// ```
    pub fn name(self) -> &'static str {
        SECTIONS.iter().find(|e| e.1 == self).map_or("", |e| e.2)
    }

    /// The section of a letter (any case); `None` for letters not in use (F,
    /// I, N, O, W, X, Y, Z) and for anything else.
    ///
    /// ```
    /// use medcode::hcpcs::HcpcsSection;
    /// assert_eq!(HcpcsSection::of_letter('q'), Some(HcpcsSection::Temporary));
    /// assert_eq!(HcpcsSection::of_letter('W'), None);
    /// ```
    pub fn of_letter(letter: char) -> Option<HcpcsSection> {
        let l = letter.to_ascii_uppercase();
        SECTIONS.iter().find(|e| e.0 == l).map(|e| e.1)
    }

    /// Every section, in letter order.
    ///
    /// ```
    /// assert_eq!(medcode::hcpcs::HcpcsSection::all().count(), 18);
    /// ```
    pub fn all() -> impl ExactSizeIterator<Item = HcpcsSection> {
        SECTIONS.iter().map(|e| e.1)
    }
}

impl fmt::Display for HcpcsSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl Hcpcs {
    /// Characters in a HCPCS Level II code.
    ///
    /// ```
    /// assert_eq!(medcode::Hcpcs::LEN, 5);
    /// ```
    pub const LEN: usize = 5;

    /// Parses a code; the same as `str::parse`.
    ///
    /// ```
    /// use medcode::{Hcpcs, ParseCodeErrorKind};
    /// assert_eq!(Hcpcs::parse("A042").map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooShort { len: 4, min: 5 }));
    /// assert_eq!(
    ///     Hcpcs::parse("99213").map_err(|e| e.kind()),
    ///     Err(ParseCodeErrorKind::BadCharacter { position: 0, found: '9', expected: "a letter" })
    /// );
    /// assert_eq!(
    ///     Hcpcs::parse("A04Z8").map_err(|e| e.kind()),
    ///     Err(ParseCodeErrorKind::BadCharacter { position: 3, found: 'Z', expected: "a digit" })
    /// );
    /// ```
    #[inline]
    pub fn parse(input: &str) -> Result<Hcpcs, ParseCodeError> {
        Self::parse_kind(input).map_err(|kind| ParseCodeError::new(kind, System::Hcpcs, input))
    }

    /// [`parse`](Self::parse) with the error's kind alone: no copy of the
    /// input, for the crate's own hot paths.
    #[inline]
    pub(crate) fn parse_kind(input: &str) -> Result<Hcpcs, ParseCodeErrorKind> {
        sixbit::parse_fixed(input, Self::LEN, Self::accepts, Self::expected)
            .map(|key| Hcpcs::from_key_unchecked(key << 12))
    }

    /// What position `pos` takes: a letter first, then digits.
    fn accepts(pos: usize, sym: u64) -> bool {
        if pos == 0 {
            sixbit::is_letter(sym)
        } else {
            sixbit::is_digit(sym)
        }
    }

    fn expected(pos: usize) -> &'static str {
        if pos == 0 {
            "a letter"
        } else {
            "a digit"
        }
    }

    /// Builds a value from a packed key the crate produced itself.
    pub(crate) const fn from_key_unchecked(key: u64) -> Hcpcs {
        match NonZeroU64::new(key) {
            Some(k) => Hcpcs(k),
            // Packed keys start with a letter, so they are never zero.
            None => Hcpcs(NonZeroU64::MIN),
        }
    }

    /// The packed key: six bits a character, first highest, seven positions
    /// (as `medcode_base::key::pack` packs codes).
    pub(crate) const fn key(self) -> u64 {
        self.0.get()
    }

    /// The code as text ("E0114"), without allocating; same as `Display`.
    /// The one name every code type uses for its text.
    ///
    /// ```
    /// assert_eq!("e0114".parse::<medcode::Hcpcs>().unwrap().text().as_str(), "E0114");
    /// ```
    pub fn text(self) -> CodeBuf {
        let mut buf = CodeBuf::new();
        for pos in 0..Self::LEN {
            buf.push(sixbit::decode(sixbit::symbol(self.key(), pos)));
        }
        buf
    }

    /// The code as text: the old name of [`text`](Self::text).
    #[deprecated(
        since = "0.2.0",
        note = "use `text()`: one name for a code's text across code types"
    )]
    pub fn code(self) -> CodeBuf {
        self.text()
    }

    /// The code's letter.
    ///
    /// ```
    /// assert_eq!("g0008".parse::<medcode::Hcpcs>().unwrap().letter(), 'G');
    /// ```
    pub fn letter(self) -> char {
        char::from(sixbit::decode(sixbit::symbol(self.key(), 0)))
    }

    /// The section the letter puts the code in; `None` for letters CMS does
    /// not use (F, I, N, O, W, X, Y, Z).
    ///
    /// ```
    /// use medcode::hcpcs::{Hcpcs, HcpcsSection};
    /// assert_eq!("L3000".parse::<Hcpcs>().map_err(|e| e.kind()).unwrap().section(), Some(HcpcsSection::OrthoticProsthetic));
    /// assert_eq!("Z1234".parse::<Hcpcs>().map_err(|e| e.kind()).unwrap().section(), None);
    /// ```
    pub fn section(self) -> Option<HcpcsSection> {
        HcpcsSection::of_letter(self.letter())
    }

    /// True for a CDT (dental, `D`) code. CDT is the American Dental
    /// Association's: no CDT descriptor is in this crate.
    ///
    /// ```
    /// assert!("D0120".parse::<medcode::Hcpcs>().unwrap().is_cdt());
    /// ```
    pub fn is_cdt(self) -> bool {
        self.letter() == 'D'
    }
}

crate::codebuf::code_text_traits!(Hcpcs, text, "a HCPCS Level II code such as \"E0114\"");

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path answers exactly as the careful parser.
        #[test]
        fn fast_path_agrees_with_careful_parser(s in "[0-9A-Za-z .é-]{0,7}") {
            let careful = sixbit::parse_fixed_carefully(&s, Hcpcs::LEN, &Hcpcs::accepts, &Hcpcs::expected);
            proptest::prop_assert_eq!(Hcpcs::parse_kind(&s), careful.map(|key| Hcpcs::from_key_unchecked(key << 12)));
        }
    }

    #[test]
    fn key_matches_file_packing() {
        let c: Hcpcs = "E0114".parse().unwrap();
        assert_eq!(c.key(), medcode_base::key::pack(b"E0114"));
    }

    #[test]
    fn every_letter_parses_and_unused_have_no_section() {
        for l in 'A'..='Z' {
            let c = Hcpcs::parse_kind(&format!("{l}0001")).unwrap();
            assert_eq!(c.letter(), l);
            assert_eq!(c.section().is_none(), "FINOWXYZ".contains(l), "{l}");
        }
    }
}
