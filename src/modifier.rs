//! Procedure code modifiers: the [`Modifier`] value and the classes the
//! claim rules need.
//!
//! Classes are code lists only. Titles of Level II (HCPCS) modifiers come
//! from a CMS HCPCS file: [`HcpcsRelease::modifier`](crate::hcpcs::HcpcsRelease::modifier)
//! at run time, [`Modifier::info`] from a release compiled in at build time.
//! CPT (Level I, two-digit) modifier descriptors are the AMA's and are not
//! in this crate.
//!
//! ```
//! use medcode::modifier::{Modifier, ModifierClass};
//! let m: Modifier = "rt".parse()?;
//! assert_eq!(m.to_string(), "RT");
//! assert_eq!(m.class(), ModifierClass::Anatomic);
//! assert_eq!("59".parse::<Modifier>()?.class(), ModifierClass::NcciAssociated);
//! # Ok::<(), medcode::ParseCodeError>(())
//! ```

use crate::codebuf::{sixbit, CodeBuf};
use crate::error::{ParseCodeError, ParseCodeErrorKind};
use crate::system::System;
use std::fmt;
use std::num::NonZeroU64;

/// A procedure code modifier whose *syntax* is right: two letters or digits.
///
/// Two digits are CPT (Level I) modifiers, anything with a letter is a HCPCS
/// Level II modifier. Input may be any case with surrounding whitespace;
/// parsing never allocates or panics. 8 bytes (`Option<Modifier>` too),
/// `Copy`, ordered like the strings (digits before letters), serialised as
/// the string.
///
/// ```
/// use medcode::{Modifier, ParseCodeErrorKind};
/// let m: Modifier = " lt ".parse().unwrap();
/// assert_eq!(m.to_string(), "LT");
/// assert!(!m.is_cpt());
/// assert!("25".parse::<Modifier>().unwrap().is_cpt());
/// assert_eq!("L".parse::<Modifier>().map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooShort { len: 1, min: 2 }));
/// assert!("25".parse::<Modifier>().unwrap() < "LT".parse().unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Modifier(NonZeroU64);

const _: () = assert!(std::mem::size_of::<Option<Modifier>>() == 8);

/// What a modifier does, for the claim rules. Code lists only.
///
/// | class | modifiers |
/// |---|---|
/// | `Anatomic` | LT, RT, 50, E1–E4, FA, F1–F9, TA, T1–T9, LC, LD, RC, LM, RI |
/// | `NcciAssociated` | 24, 25, 27, 57, 58, 59, 78, 79, 91, XE, XS, XP, XU |
/// | `ProfessionalTechnical` | 26, TC |
/// | `Repeat` | 76, 77 |
/// | `Other` | every other modifier |
///
/// ```
/// use medcode::modifier::{Modifier, ModifierClass};
/// let class = |s: &str| s.parse::<Modifier>().unwrap().class();
/// assert_eq!(class("F9"), ModifierClass::Anatomic);
/// assert_eq!(class("XU"), ModifierClass::NcciAssociated);
/// assert_eq!(class("TC"), ModifierClass::ProfessionalTechnical);
/// assert_eq!(class("77"), ModifierClass::Repeat);
/// assert_eq!(class("GA"), ModifierClass::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModifierClass {
    /// Names a body site or side (the NCCI anatomic modifiers).
    Anatomic,
    /// May bypass an NCCI procedure-to-procedure edit, or is tied to the
    /// global surgery rules NCCI edits depend on.
    NcciAssociated,
    /// Professional (26) or technical (TC) component.
    ProfessionalTechnical,
    /// Repeat procedure by the same (76) or another (77) physician.
    Repeat,
    /// Any other modifier.
    Other,
}

impl ModifierClass {
    /// The class's name in words.
    ///
    /// ```
    /// assert_eq!(medcode::modifier::ModifierClass::NcciAssociated.name(), "NCCI-associated");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ModifierClass::Anatomic => "anatomic",
            ModifierClass::NcciAssociated => "NCCI-associated",
            ModifierClass::ProfessionalTechnical => "professional/technical component",
            ModifierClass::Repeat => "repeat procedure",
            ModifierClass::Other => "other",
        }
    }

    /// The modifiers of the class, in modifier order; empty for `Other`.
    ///
    /// ```
    /// use medcode::modifier::ModifierClass;
    /// let repeat: Vec<String> = ModifierClass::Repeat.members().map(|m| m.to_string()).collect();
    /// assert_eq!(repeat, ["76", "77"]);
    /// assert_eq!(ModifierClass::Anatomic.members().count(), 32);
    /// ```
    pub fn members(self) -> impl Iterator<Item = Modifier> {
        let list: &'static [&'static str] = match self {
            ModifierClass::Anatomic => &ANATOMIC,
            ModifierClass::NcciAssociated => &NCCI,
            ModifierClass::ProfessionalTechnical => &["26", "TC"],
            ModifierClass::Repeat => &["76", "77"],
            ModifierClass::Other => &[],
        };
        list.iter().filter_map(|s| Modifier::parse(s).ok())
    }
}

impl fmt::Display for ModifierClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

const ANATOMIC: [&str; 32] = [
    "50", "E1", "E2", "E3", "E4", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "FA", "LC",
    "LD", "LM", "LT", "RC", "RI", "RT", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "TA",
];
const NCCI: [&str; 13] = [
    "24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XP", "XS", "XU",
];

/// What every position of a modifier takes.
const LETTER_OR_DIGIT: &str = "a letter or digit";

impl Modifier {
    /// Characters in a modifier.
    ///
    /// ```
    /// assert_eq!(medcode::Modifier::LEN, 2);
    /// ```
    pub const LEN: usize = 2;

    /// Parses a modifier; the same as `str::parse`.
    ///
    /// ```
    /// use medcode::{Modifier, ParseCodeErrorKind};
    /// assert_eq!(Modifier::parse("").map_err(|e| e.kind()), Err(ParseCodeErrorKind::Empty));
    /// assert_eq!(Modifier::parse("LTX").map_err(|e| e.kind()), Err(ParseCodeErrorKind::TooLong { len: 3, max: 2 }));
    /// assert_eq!(
    ///     Modifier::parse("-25").map_err(|e| e.kind()),
    ///     Err(ParseCodeErrorKind::BadCharacter { position: 0, found: '-', expected: "a letter or digit" })
    /// );
    /// ```
    #[inline]
    pub fn parse(input: &str) -> Result<Modifier, ParseCodeError> {
        Self::parse_kind(input).map_err(|kind| ParseCodeError::new(kind, System::Modifier, input))
    }

    /// [`parse`](Self::parse) with the error's kind alone: no copy of the
    /// input, for the crate's own hot paths.
    #[inline]
    pub(crate) fn parse_kind(input: &str) -> Result<Modifier, ParseCodeErrorKind> {
        sixbit::parse_fixed(input, Self::LEN, |_, _| true, |_| LETTER_OR_DIGIT)
            .map(|key| Modifier::from_key_unchecked(key << 30))
    }

    /// A modifier from two upper-case ASCII letters or digits, at compile
    /// time (for the modifiers the rules name).
    pub(crate) const fn from_ascii(code: [u8; 2]) -> Modifier {
        let key = (sixbit::encode(code[0]) << 6) | sixbit::encode(code[1]);
        Modifier::from_key_unchecked(key << 30)
    }

    /// Builds a value from a packed key the crate produced itself.
    pub(crate) const fn from_key_unchecked(key: u64) -> Modifier {
        match NonZeroU64::new(key) {
            Some(k) => Modifier(k),
            // Both symbols of a modifier are non-zero, so keys never are.
            None => Modifier(NonZeroU64::MIN),
        }
    }

    /// The packed key (six bits a character, seven positions, as every code
    /// type in the crate packs).
    pub(crate) const fn key(self) -> u64 {
        self.0.get()
    }

    fn bytes(self) -> [u8; 2] {
        [
            sixbit::decode(sixbit::symbol(self.key(), 0)),
            sixbit::decode(sixbit::symbol(self.key(), 1)),
        ]
    }

    /// The code as text ("LT"), without allocating; same as `Display`.
    /// The one name every code type uses for its text.
    ///
    /// ```
    /// assert_eq!("lt".parse::<medcode::Modifier>().unwrap().text().as_str(), "LT");
    /// ```
    pub fn text(self) -> CodeBuf {
        let mut buf = CodeBuf::new();
        for b in self.bytes() {
            buf.push(b);
        }
        buf
    }

    /// The code as text: the old name of [`text`](Self::text).
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let modifier: medcode::Modifier = "lt".parse().unwrap();
    /// assert_eq!(modifier.code().as_str(), modifier.text().as_str());
    /// ```
    #[deprecated(
        since = "0.2.0",
        note = "use `text()`: one name for a code's text across code types"
    )]
    pub fn code(self) -> CodeBuf {
        self.text()
    }

    /// True for a CPT (Level I) modifier: two digits.
    ///
    /// ```
    /// assert!("59".parse::<medcode::Modifier>().unwrap().is_cpt());
    /// assert!(!"XS".parse::<medcode::Modifier>().unwrap().is_cpt());
    /// ```
    pub fn is_cpt(self) -> bool {
        self.cpt_number().is_some()
    }

    /// The number of a two-digit modifier (`"25"` is 25).
    #[inline]
    pub(crate) fn cpt_number(self) -> Option<u8> {
        // Digit symbols are 1..=10 (digit + 1).
        let (a, b) = (sixbit::symbol(self.key(), 0), sixbit::symbol(self.key(), 1));
        (sixbit::is_digit(a) && sixbit::is_digit(b)).then(|| ((a - 1) * 10 + (b - 1)) as u8)
    }

    /// The modifier's class (see [`ModifierClass`]).
    ///
    /// ```
    /// use medcode::modifier::{Modifier, ModifierClass};
    /// assert_eq!("26".parse::<Modifier>().map_err(|e| e.kind()).unwrap().class(), ModifierClass::ProfessionalTechnical);
    /// assert_eq!("T9".parse::<Modifier>().map_err(|e| e.kind()).unwrap().class(), ModifierClass::Anatomic);
    /// ```
    pub fn class(self) -> ModifierClass {
        match &self.bytes() {
            b"LT" | b"RT" | b"50" | b"FA" | b"TA" | b"LC" | b"LD" | b"RC" | b"LM" | b"RI" => {
                ModifierClass::Anatomic
            }
            [b'E', b'1'..=b'4'] | [b'F', b'1'..=b'9'] | [b'T', b'1'..=b'9'] => {
                ModifierClass::Anatomic
            }
            b"24" | b"25" | b"27" | b"57" | b"58" | b"59" | b"78" | b"79" | b"91" | b"XE"
            | b"XS" | b"XP" | b"XU" => ModifierClass::NcciAssociated,
            b"26" | b"TC" => ModifierClass::ProfessionalTechnical,
            b"76" | b"77" => ModifierClass::Repeat,
            _ => ModifierClass::Other,
        }
    }
}

crate::codebuf::code_text_traits!(Modifier, text, "a modifier such as \"25\" or \"LT\"");

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path answers exactly as the careful parser.
        #[test]
        fn fast_path_agrees_with_careful_parser(s in "[0-9A-Za-z .é-]{0,7}") {
            let careful = sixbit::parse_fixed_carefully(&s, Modifier::LEN, &|_, _| true, &|_| LETTER_OR_DIGIT);
            proptest::prop_assert_eq!(Modifier::parse_kind(&s), careful.map(|key| Modifier::from_key_unchecked(key << 30)));
        }
    }

    #[test]
    fn const_modifiers_equal_parsed_ones() {
        for code in ["LT", "RT", "50", "25", "26", "TC", "XU", "A1", "9Z"] {
            let b = code.as_bytes();
            assert_eq!(
                Modifier::from_ascii([b[0], b[1]]),
                Modifier::parse_kind(code).unwrap()
            );
        }
    }

    #[test]
    fn member_lists_agree_with_class() {
        for class in [
            ModifierClass::Anatomic,
            ModifierClass::NcciAssociated,
            ModifierClass::ProfessionalTechnical,
            ModifierClass::Repeat,
        ] {
            for m in class.members() {
                assert_eq!(m.class(), class, "{m}");
            }
        }
        // Every two-character modifier in a class is in its member list.
        let alnum = ('0'..='9').chain('A'..='Z');
        for a in alnum.clone() {
            for b in alnum.clone() {
                let m = Modifier::parse_kind(&format!("{a}{b}")).unwrap();
                let c = m.class();
                if c != ModifierClass::Other {
                    assert!(c.members().any(|x| x == m), "{m} missing from {c:?}");
                }
            }
        }
    }

    #[test]
    fn key_matches_build_packing() {
        let m: Modifier = "LT".parse().unwrap();
        assert_eq!(m.key(), medcode_base::key::pack(b"LT"));
    }
}
