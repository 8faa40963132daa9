//! CPT codes: the [`Cpt`] value, its category and, for five-digit codes, the
//! section and surgery subsection its number falls in.
//!
//! CPT is the American Medical Association's code set. Code numbers and the
//! range structure of the code book are facts and live here; the AMA's
//! descriptors (the text for each code) are copyrighted and appear nowhere in
//! this crate. A user licensed for them can load them at run time with
//! [`CptDescriptors`](crate::load::CptDescriptors).
//!
//! ```
//! use medcode::cpt::{Cpt, CptCategory, CptSection, SurgerySubsection};
//! let code: Cpt = "33016".parse()?;
//! assert_eq!(code.category(), CptCategory::I);
//! assert_eq!(code.section(), Some(CptSection::Surgery));
//! assert_eq!(code.surgery_subsection(), Some(SurgerySubsection::Cardiovascular));
//! assert_eq!("0001F".parse::<Cpt>()?.category(), CptCategory::II);
//! # Ok::<(), medcode::ParseCodeError>(())
//! ```

use crate::codebuf::{sixbit, CodeBuf};
use crate::error::{ParseCodeError, ParseCodeErrorKind};
use crate::system::System;
use std::fmt;
use std::num::NonZeroU64;

/// A CPT code whose *syntax* is right: five characters, either five digits
/// (Category I) or four digits and a letter:
///
/// | form | category |
/// |---|---|
/// | `99213` | Category I |
/// | `0001A` | Category I immunization (vaccine administration) codes |
/// | `0001F` | Category II, performance measurement |
/// | `0042T` | Category III, emerging technology |
/// | `0001U` | Proprietary Laboratory Analyses (PLA) |
/// | `0001M` | Administrative multianalyte assays with algorithmic analyses (MAAA) |
///
/// Input may be any case, with surrounding whitespace. Parsing never
/// allocates, never panics and never looks anything up. The value is 8 bytes
/// (`Option<Cpt>` too), `Copy`, ordered like the code strings (character by
/// character, digits before letters: `0001F` < `00020` < `00100`), and
/// serialised as the string.
///
/// ```
/// use medcode::Cpt;
/// let a: Cpt = " 99213 ".parse().unwrap();
/// assert_eq!(a.to_string(), "99213");
/// assert_eq!("0001f".parse::<Cpt>().map_err(|e| e.kind()).unwrap().to_string(), "0001F");
/// assert!("0001F".parse::<Cpt>().map_err(|e| e.kind()).unwrap() < "00020".parse().unwrap());
/// assert!("00020".parse::<Cpt>().map_err(|e| e.kind()).unwrap() < "00100".parse().unwrap());
/// assert!("0001A".parse::<Cpt>().map_err(|e| e.kind()).unwrap() < "0001F".parse().unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpt(NonZeroU64);

const _: () = assert!(std::mem::size_of::<Option<Cpt>>() == 8);

const DIGIT: &str = "a digit";
const LAST: &str = "a digit or one of F, T, U, A, M";

/// Which kind of CPT code a code is, read from its fifth character.
///
/// ```
/// use medcode::cpt::{Cpt, CptCategory};
/// let cat = |s: &str| s.parse::<Cpt>().unwrap().category();
/// assert_eq!(cat("99213"), CptCategory::I);
/// assert_eq!(cat("0001A"), CptCategory::I);
/// assert_eq!(cat("3008F"), CptCategory::II);
/// assert_eq!(cat("0042T"), CptCategory::III);
/// assert_eq!(cat("0001U"), CptCategory::Pla);
/// assert_eq!(cat("0002M"), CptCategory::Maaa);
/// assert_eq!(CptCategory::III.name(), "Category III");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum CptCategory {
    /// Category I: five digits, and the immunization codes of four digits and `A`.
    #[serde(rename = "I")]
    I,
    /// Category II (four digits and `F`): supplemental tracking codes for
    /// performance measurement.
    #[serde(rename = "II")]
    II,
    /// Category III (four digits and `T`): temporary codes for emerging
    /// technology, services and procedures.
    #[serde(rename = "III")]
    III,
    /// Proprietary Laboratory Analyses (four digits and `U`).
    #[serde(rename = "PLA")]
    Pla,
    /// Administrative codes for multianalyte assays with algorithmic analyses
    /// (four digits and `M`).
    #[serde(rename = "MAAA")]
    Maaa,
}

impl CptCategory {
    /// The category's name.
    ///
    /// ```
    /// assert_eq!(medcode::cpt::CptCategory::Pla.name(), "Proprietary Laboratory Analyses");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            CptCategory::I => "Category I",
            CptCategory::II => "Category II",
            CptCategory::III => "Category III",
            CptCategory::Pla => "Proprietary Laboratory Analyses",
            CptCategory::Maaa => "Multianalyte Assays with Algorithmic Analyses",
        }
    }
}

impl fmt::Display for CptCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

// Section ranges of Category I (five-digit codes), inclusive.
//
// Verified against public sources (facts only, no descriptors):
// - Anesthesia 00100–01999, Surgery 10004–69990, Radiology 70010–79999,
//   Pathology and Laboratory 80047–89398, Medicine 90281–99199 and
//   99500–99607, Evaluation and Management 99202–99499: the section table of
//   the CPC exam guide in the public repository VHemantha/examguides
//   (content/medical-coding/cpt-codes-guide.md), and the "CPT Code Section
//   Reference" page at https://geratools.com/cpt-code-section-reference
//   (Radiology, Pathology and Laboratory, E/M and Surgery ranges, and that
//   99100–99140 sit in the Medicine range).
// - Older editions started Surgery at 10021/10040, E/M at 99201 (deleted in
//   2021) and Pathology at 80048; the ranges above are the current ones.
const SECTIONS: [(u32, u32, CptSection); 7] = [
    (100, 1999, CptSection::Anesthesia),
    (10004, 69990, CptSection::Surgery),
    (70010, 79999, CptSection::Radiology),
    (80047, 89398, CptSection::PathologyLaboratory),
    (90281, 99199, CptSection::Medicine),
    (99202, 99499, CptSection::EvaluationManagement),
    (99500, 99607, CptSection::Medicine),
];

/// A section of Category I CPT, by code range.
///
/// ```
/// use medcode::cpt::{Cpt, CptSection};
/// let sec = |s: &str| s.parse::<Cpt>().unwrap().section();
/// assert_eq!(sec("00099"), None);
/// assert_eq!(sec("00100"), Some(CptSection::Anesthesia));
/// assert_eq!(sec("99499"), Some(CptSection::EvaluationManagement));
/// assert_eq!(sec("99500"), Some(CptSection::Medicine));
/// assert_eq!(CptSection::PathologyLaboratory.name(), "Pathology and Laboratory");
/// assert_eq!(CptSection::Medicine.ranges(), &[(90281, 99199), (99500, 99607)]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum CptSection {
    /// Anesthesia, 00100–01999.
    Anesthesia,
    /// Surgery, 10004–69990 (see [`SurgerySubsection`]).
    Surgery,
    /// Radiology, 70010–79999.
    Radiology,
    /// Pathology and Laboratory, 80047–89398.
    PathologyLaboratory,
    /// Medicine, 90281–99199 and 99500–99607.
    Medicine,
    /// Evaluation and Management, 99202–99499.
    EvaluationManagement,
}

impl CptSection {
    /// The section's name.
    ///
    /// ```
    /// assert_eq!(medcode::cpt::CptSection::EvaluationManagement.name(), "Evaluation and Management");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            CptSection::Anesthesia => "Anesthesia",
            CptSection::Surgery => "Surgery",
            CptSection::Radiology => "Radiology",
            CptSection::PathologyLaboratory => "Pathology and Laboratory",
            CptSection::Medicine => "Medicine",
            CptSection::EvaluationManagement => "Evaluation and Management",
        }
    }

    /// The section's code ranges (inclusive, as numbers: `100` is `00100`).
    ///
    /// ```
    /// assert_eq!(medcode::cpt::CptSection::Surgery.ranges(), &[(10004, 69990)]);
    /// ```
    pub const fn ranges(self) -> &'static [(u32, u32)] {
        match self {
            CptSection::Anesthesia => &[(100, 1999)],
            CptSection::Surgery => &[(10004, 69990)],
            CptSection::Radiology => &[(70010, 79999)],
            CptSection::PathologyLaboratory => &[(80047, 89398)],
            CptSection::Medicine => &[(90281, 99199), (99500, 99607)],
            CptSection::EvaluationManagement => &[(99202, 99499)],
        }
    }

    /// The section a code number falls in, if any.
    ///
    /// ```
    /// use medcode::cpt::CptSection;
    /// assert_eq!(CptSection::of_number(99202), Some(CptSection::EvaluationManagement));
    /// assert_eq!(CptSection::of_number(99200), None);
    /// ```
    pub fn of_number(n: u32) -> Option<CptSection> {
        SECTIONS
            .iter()
            .find(|&&(lo, hi, _)| lo <= n && n <= hi)
            .map(|&(_, _, s)| s)
    }
}

impl fmt::Display for CptSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

// Subsection ranges of the Surgery section, inclusive, as the code book heads
// them. Verified against public sources (facts only):
// - General 10004–10021 and Integumentary 10030–19499: a CPT category workbook
//   reader that keys the category "10004-10021" as Surgery, and a public
//   surgery-classification module listing "Integumentary System
//   10030-19499" (older editions: Integumentary 10040–19499, before the
//   General codes 10004–10012 and 10030 were added in 2019–2020).
// - Musculoskeletal 20100–29999, Respiratory 30000–32999, Cardiovascular
//   33016–37799, Hemic and Lymphatic 38100–38999, Digestive 40490–49999,
//   Urinary 50010–53899, Male Genital 54000–55899, Female Genital
//   56405–58999, Endocrine 60000–60699, Nervous 61000–64999, Eye and Ocular
//   Adnexa 65091–68899, Auditory 69000–69979: the same surgery-
//   classification module's subsection list.
// - Mediastinum and Diaphragm 39000–39599, Intersex Surgery 55970–55980,
//   Maternity Care and Delivery 59000–59899, Operating Microscope 69990, and
//   again Hemic/Lymphatic, Digestive, Endocrine, Eye, Female Genital, Male
//   Genital, Nervous, Respiratory, Urinary and Auditory: a public billing
//   report configuration ("Surgery - ... (range)" revenue categories; an
//   older edition that still had Cardiovascular from 33010).
// - Reproductive System Procedures 55920: NOT verified against a public
//   source; taken from the project's brief (the single code between Male
//   Genital and Intersex Surgery).
// Codes between subsections (10022–10029, 37800–38099, …) are Surgery with
// no subsection.
const SUBSECTIONS: [(u32, u32, SurgerySubsection); 19] = [
    (10004, 10021, SurgerySubsection::General),
    (10030, 19499, SurgerySubsection::Integumentary),
    (20100, 29999, SurgerySubsection::Musculoskeletal),
    (30000, 32999, SurgerySubsection::Respiratory),
    (33016, 37799, SurgerySubsection::Cardiovascular),
    (38100, 38999, SurgerySubsection::HemicLymphatic),
    (39000, 39599, SurgerySubsection::MediastinumDiaphragm),
    (40490, 49999, SurgerySubsection::Digestive),
    (50010, 53899, SurgerySubsection::Urinary),
    (54000, 55899, SurgerySubsection::MaleGenital),
    (55920, 55920, SurgerySubsection::Reproductive),
    (55970, 55980, SurgerySubsection::Intersex),
    (56405, 58999, SurgerySubsection::FemaleGenital),
    (59000, 59899, SurgerySubsection::MaternityDelivery),
    (60000, 60699, SurgerySubsection::Endocrine),
    (61000, 64999, SurgerySubsection::Nervous),
    (65091, 68899, SurgerySubsection::EyeOcularAdnexa),
    (69000, 69979, SurgerySubsection::Auditory),
    (69990, 69990, SurgerySubsection::OperatingMicroscope),
];

/// A subsection of the Surgery section, by body system, as the code book
/// heads them.
///
/// ```
/// use medcode::cpt::{Cpt, SurgerySubsection};
/// let sub = |s: &str| s.parse::<Cpt>().unwrap().surgery_subsection();
/// assert_eq!(sub("10004"), Some(SurgerySubsection::General));
/// assert_eq!(sub("19499"), Some(SurgerySubsection::Integumentary));
/// assert_eq!(sub("69990"), Some(SurgerySubsection::OperatingMicroscope));
/// assert_eq!(sub("70010"), None); // Radiology
/// assert_eq!(SurgerySubsection::Auditory.range(), (69000, 69979));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum SurgerySubsection {
    /// General, 10004–10021.
    General,
    /// Integumentary System, 10030–19499.
    Integumentary,
    /// Musculoskeletal System, 20100–29999.
    Musculoskeletal,
    /// Respiratory System, 30000–32999.
    Respiratory,
    /// Cardiovascular System, 33016–37799.
    Cardiovascular,
    /// Hemic and Lymphatic Systems, 38100–38999.
    HemicLymphatic,
    /// Mediastinum and Diaphragm, 39000–39599.
    MediastinumDiaphragm,
    /// Digestive System, 40490–49999.
    Digestive,
    /// Urinary System, 50010–53899.
    Urinary,
    /// Male Genital System, 54000–55899.
    MaleGenital,
    /// Reproductive System Procedures, 55920.
    Reproductive,
    /// Intersex Surgery, 55970–55980.
    Intersex,
    /// Female Genital System, 56405–58999.
    FemaleGenital,
    /// Maternity Care and Delivery, 59000–59899.
    MaternityDelivery,
    /// Endocrine System, 60000–60699.
    Endocrine,
    /// Nervous System, 61000–64999.
    Nervous,
    /// Eye and Ocular Adnexa, 65091–68899.
    EyeOcularAdnexa,
    /// Auditory System, 69000–69979.
    Auditory,
    /// Operating Microscope, 69990.
    OperatingMicroscope,
}

impl SurgerySubsection {
    /// The subsection's name.
    ///
    /// ```
    /// assert_eq!(medcode::cpt::SurgerySubsection::EyeOcularAdnexa.name(), "Eye and Ocular Adnexa");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            SurgerySubsection::General => "General",
            SurgerySubsection::Integumentary => "Integumentary System",
            SurgerySubsection::Musculoskeletal => "Musculoskeletal System",
            SurgerySubsection::Respiratory => "Respiratory System",
            SurgerySubsection::Cardiovascular => "Cardiovascular System",
            SurgerySubsection::HemicLymphatic => "Hemic and Lymphatic Systems",
            SurgerySubsection::MediastinumDiaphragm => "Mediastinum and Diaphragm",
            SurgerySubsection::Digestive => "Digestive System",
            SurgerySubsection::Urinary => "Urinary System",
            SurgerySubsection::MaleGenital => "Male Genital System",
            SurgerySubsection::Reproductive => "Reproductive System Procedures",
            SurgerySubsection::Intersex => "Intersex Surgery",
            SurgerySubsection::FemaleGenital => "Female Genital System",
            SurgerySubsection::MaternityDelivery => "Maternity Care and Delivery",
            SurgerySubsection::Endocrine => "Endocrine System",
            SurgerySubsection::Nervous => "Nervous System",
            SurgerySubsection::EyeOcularAdnexa => "Eye and Ocular Adnexa",
            SurgerySubsection::Auditory => "Auditory System",
            SurgerySubsection::OperatingMicroscope => "Operating Microscope",
        }
    }

    /// The subsection's code range (inclusive).
    ///
    /// ```
    /// assert_eq!(medcode::cpt::SurgerySubsection::General.range(), (10004, 10021));
    /// ```
    pub fn range(self) -> (u32, u32) {
        SUBSECTIONS
            .iter()
            .find(|&&(_, _, s)| s == self)
            .map_or((0, 0), |&(lo, hi, _)| (lo, hi))
    }

    /// The subsection a code number falls in, if any.
    ///
    /// ```
    /// use medcode::cpt::SurgerySubsection;
    /// assert_eq!(SurgerySubsection::of_number(33016), Some(SurgerySubsection::Cardiovascular));
    /// assert_eq!(SurgerySubsection::of_number(37800), None);
    /// ```
    pub fn of_number(n: u32) -> Option<SurgerySubsection> {
        SUBSECTIONS
            .iter()
            .find(|&&(lo, hi, _)| lo <= n && n <= hi)
            .map(|&(_, _, s)| s)
    }
}

impl fmt::Display for SurgerySubsection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl Cpt {
    /// Characters in a CPT code.
    ///
    /// ```
    /// assert_eq!(medcode::Cpt::LEN, 5);
    /// ```
    pub const LEN: usize = 5;

    /// Parses a code; the same as `str::parse`.
    ///
    /// ```
    /// use medcode::{Cpt, ParseCodeErrorKind};
    /// assert_eq!(Cpt::parse("9921").map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooShort { len: 4, min: 5 }));
    /// assert_eq!(Cpt::parse("992134").map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooLong { len: 6, max: 5 }));
    /// assert_eq!(
    ///     Cpt::parse("99X13").map_err(|e| e.kind()),
    ///     Err(ParseCodeErrorKind::BadCharacter { position: 2, found: 'X', expected: "a digit" })
    /// );
    /// assert_eq!(
    ///     Cpt::parse("0001Z").map_err(|e| e.kind()),
    ///     Err(ParseCodeErrorKind::BadCharacter { position: 4, found: 'Z', expected: "a digit or one of F, T, U, A, M" })
    /// );
    /// ```
    #[inline]
    pub fn parse(input: &str) -> Result<Cpt, ParseCodeError> {
        Self::parse_kind(input).map_err(|kind| ParseCodeError::new(kind, System::Cpt, input))
    }

    /// [`parse`](Self::parse) with the error's kind alone: no copy of the
    /// input, for the crate's own hot paths.
    #[inline]
    pub(crate) fn parse_kind(input: &str) -> Result<Cpt, ParseCodeErrorKind> {
        sixbit::parse_fixed(input, Self::LEN, Self::accepts, Self::expected)
            .map(|key| Cpt::from_key_unchecked(key << 12))
    }

    /// What position `pos` takes: a digit, and at the last position also
    /// F, T, U, A or M.
    fn accepts(pos: usize, sym: u64) -> bool {
        const LAST_LETTERS: [u64; 5] = [
            sixbit::encode(b'F'),
            sixbit::encode(b'T'),
            sixbit::encode(b'U'),
            sixbit::encode(b'A'),
            sixbit::encode(b'M'),
        ];
        sixbit::is_digit(sym) || (pos == 4 && LAST_LETTERS.contains(&sym))
    }

    fn expected(pos: usize) -> &'static str {
        if pos < 4 {
            DIGIT
        } else {
            LAST
        }
    }

    /// Builds a value from a packed key the crate produced itself.
    pub(crate) const fn from_key_unchecked(key: u64) -> Cpt {
        match NonZeroU64::new(key) {
            Some(k) => Cpt(k),
            // Every symbol of a CPT code is non-zero, so keys never are.
            None => Cpt(NonZeroU64::MIN),
        }
    }

    /// The packed key: six bits a character, first character highest, seven
    /// positions (the last two empty), as every code type in the crate packs.
    pub(crate) const fn key(self) -> u64 {
        self.0.get()
    }

    fn byte(self, pos: usize) -> u8 {
        sixbit::decode(sixbit::symbol(self.key(), pos))
    }

    /// The code as text ("0042T"), without allocating; same as `Display`.
    /// The one name every code type uses for its text.
    ///
    /// ```
    /// assert_eq!("0042t".parse::<medcode::Cpt>().unwrap().text().as_str(), "0042T");
    /// ```
    pub fn text(self) -> CodeBuf {
        let mut buf = CodeBuf::new();
        for pos in 0..Self::LEN {
            buf.push(self.byte(pos));
        }
        buf
    }

    /// The code as text: the old name of [`text`](Self::text).
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let code: medcode::Cpt = "99213".parse().unwrap();
    /// assert_eq!(code.code().as_str(), code.text().as_str());
    /// ```
    #[deprecated(
        since = "0.2.0",
        note = "use `text()`: one name for a code's text across code types"
    )]
    pub fn code(self) -> CodeBuf {
        self.text()
    }

    /// The category, from the fifth character.
    ///
    /// ```
    /// use medcode::cpt::{Cpt, CptCategory};
    /// assert_eq!("0042T".parse::<Cpt>().map_err(|e| e.kind()).unwrap().category(), CptCategory::III);
    /// ```
    pub fn category(self) -> CptCategory {
        match self.byte(4) {
            b'F' => CptCategory::II,
            b'T' => CptCategory::III,
            b'U' => CptCategory::Pla,
            b'M' => CptCategory::Maaa,
            // Digits and the Category I immunization codes ending in A.
            _ => CptCategory::I,
        }
    }

    /// The code as a number, for five-digit codes (`00100` is 100); `None`
    /// for codes ending in a letter.
    ///
    /// ```
    /// use medcode::Cpt;
    /// assert_eq!("00100".parse::<Cpt>().map_err(|e| e.kind()).unwrap().number(), Some(100));
    /// assert_eq!("0001F".parse::<Cpt>().map_err(|e| e.kind()).unwrap().number(), None);
    /// ```
    #[inline]
    pub fn number(self) -> Option<u32> {
        // Digit symbols are digit + 1; read all five without branching.
        let key = self.key();
        let mut n = 0u32;
        let mut all_digits = true;
        for pos in 0..Self::LEN {
            let sym = sixbit::symbol(key, pos);
            all_digits &= sixbit::is_digit(sym);
            n = n * 10 + (sym as u32).wrapping_sub(1);
        }
        all_digits.then_some(n)
    }

    /// The Category I section the code's number falls in. `None` for numbers
    /// in no section (such as `00099`, or `99200`–`99201`) and for codes
    /// ending in a letter, which are outside the numeric ranges.
    ///
    /// ```
    /// use medcode::cpt::{Cpt, CptSection};
    /// assert_eq!("99499".parse::<Cpt>().map_err(|e| e.kind()).unwrap().section(), Some(CptSection::EvaluationManagement));
    /// assert_eq!("00099".parse::<Cpt>().map_err(|e| e.kind()).unwrap().section(), None);
    /// assert_eq!("0001U".parse::<Cpt>().map_err(|e| e.kind()).unwrap().section(), None);
    /// ```
    pub fn section(self) -> Option<CptSection> {
        self.number().and_then(CptSection::of_number)
    }

    /// The Surgery subsection the code's number falls in, if any.
    ///
    /// ```
    /// use medcode::cpt::{Cpt, SurgerySubsection};
    /// assert_eq!("59400".parse::<Cpt>().map_err(|e| e.kind()).unwrap().surgery_subsection(), Some(SurgerySubsection::MaternityDelivery));
    /// ```
    pub fn surgery_subsection(self) -> Option<SurgerySubsection> {
        self.number().and_then(SurgerySubsection::of_number)
    }
}

crate::codebuf::code_text_traits!(Cpt, text, "a CPT code such as \"99213\" or \"0001F\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_of_every_five_digit_code() {
        for n in 0..100_000u32 {
            let code = Cpt::parse_kind(&format!("{n:05}")).unwrap();
            assert_eq!(code.number(), Some(n));
        }
        for text in ["0001F", "0042T", "0001U", "0001A", "0001M"] {
            assert_eq!(Cpt::parse_kind(text).unwrap().number(), None, "{text}");
        }
    }

    proptest::proptest! {
        /// The fast path answers exactly as the careful parser.
        #[test]
        fn fast_path_agrees_with_careful_parser(s in "[0-9A-Za-z .é-]{0,7}") {
            let careful = sixbit::parse_fixed_carefully(&s, Cpt::LEN, &Cpt::accepts, &Cpt::expected);
            proptest::prop_assert_eq!(Cpt::parse_kind(&s), careful.map(|key| Cpt::from_key_unchecked(key << 12)));
        }
    }

    #[test]
    fn sections_and_subsections_are_sorted_and_disjoint() {
        for w in SECTIONS.windows(2) {
            assert!(w[0].1 < w[1].0, "{w:?}");
        }
        for w in SUBSECTIONS.windows(2) {
            assert!(w[0].1 < w[1].0, "{w:?}");
        }
        for &(lo, hi, _) in &SUBSECTIONS {
            assert_eq!(CptSection::of_number(lo), Some(CptSection::Surgery));
            assert_eq!(CptSection::of_number(hi), Some(CptSection::Surgery));
        }
    }

    #[test]
    fn key_matches_build_packing() {
        let c: Cpt = "99213".parse().unwrap();
        assert_eq!(c.key(), medcode_base::key::pack(b"99213"));
    }
}
