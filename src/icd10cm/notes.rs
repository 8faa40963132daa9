//! Tabular instructional notes and 7th-character definitions.

use super::{IcdCm, IcdCmInfo};
use crate::tables as t;
use std::fmt;

/// The kinds of instructional notes in the ICD-10-CM tabular.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum NoteKind {
    /// "Includes": further defines the content of the category.
    Includes,
    /// Inclusion terms: conditions coded here.
    InclusionTerm,
    /// Excludes1: "not coded here"; never code both together.
    Excludes1,
    /// Excludes2: "not included here"; both may be coded.
    Excludes2,
    /// Code first the underlying condition.
    CodeFirst,
    /// Use additional code.
    UseAdditionalCode,
    /// Code also.
    CodeAlso,
    /// A general note.
    Notes,
    /// The note introducing 7th-character definitions.
    SevenChrNote,
}

const KINDS: [NoteKind; 9] = [
    NoteKind::Includes,
    NoteKind::InclusionTerm,
    NoteKind::Excludes1,
    NoteKind::Excludes2,
    NoteKind::CodeFirst,
    NoteKind::UseAdditionalCode,
    NoteKind::CodeAlso,
    NoteKind::Notes,
    NoteKind::SevenChrNote,
];

/// One instructional note: its kind, its text, and the code references the
/// text ends with. Notes are there only with the `cm-notes` feature (on by
/// default).
///
/// ```
/// use medcode::{icd10cm::NoteKind, IcdCm};
/// let e11 = "E11".parse::<IcdCm>().unwrap().info().unwrap();
/// let refs: Vec<String> = e11
///     .notes()
///     .filter(|n| n.kind == NoteKind::Excludes1)
///     .flat_map(|n| n.refs())
///     .map(|r| r.to_string())
///     .collect();
/// assert_eq!(refs, ["E08", "E09", "O24.4", "P70.2", "E13", "E13", "E13", "E10"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Note {
    /// The kind of note.
    pub kind: NoteKind,
    /// The note as the tabular writes it.
    pub text: &'static str,
    refs: &'static [(u64, u64)],
}

impl Note {
    /// The code references in the note, parsed: a prefix (`E08` stands for
    /// `E08.-`, every code starting E08) or a range of categories (`A00-A09`).
    pub fn refs(&self) -> impl ExactSizeIterator<Item = CodeRange> {
        self.refs.iter().map(|&(a, b)| CodeRange {
            first: IcdCm::from_key_unchecked(a),
            last: IcdCm::from_key_unchecked(b),
        })
    }
}

impl serde::Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Note", 3)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("text", self.text)?;
        st.serialize_field(
            "refs",
            &self.refs().map(|r| r.to_string()).collect::<Vec<_>>(),
        )?;
        st.end()
    }
}

/// A code reference in a note: every code starting with `first` (when
/// `first == last`), or every code whose prefixes fall from `first` to `last`.
///
/// ```
/// use medcode::{icd10cm::CodeRange, IcdCm};
/// let r = CodeRange::new("I10".parse().unwrap(), "I16".parse().unwrap());
/// assert!(r.contains("I13.10".parse().unwrap()));
/// assert!(!r.contains("I20.9".parse().unwrap()));
/// assert_eq!(r.to_string(), "I10-I16");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeRange {
    /// First code (prefix) of the range.
    pub first: IcdCm,
    /// Last code (prefix) of the range.
    pub last: IcdCm,
}

impl CodeRange {
    /// The range `first`–`last` (a single prefix when they are equal).
    pub fn new(first: IcdCm, last: IcdCm) -> CodeRange {
        CodeRange { first, last }
    }

    /// True if `code` falls in the range.
    pub fn contains(&self, code: IcdCm) -> bool {
        let Some(head) = code.truncate(self.first.len()) else {
            return false;
        };
        let tail = code
            .truncate(self.last.len().min(code.len()))
            .unwrap_or(code);
        head >= self.first && tail <= self.last
    }
}

impl fmt::Display for CodeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

pub(super) fn notes_range(start: u32, end: u32) -> impl ExactSizeIterator<Item = Note> {
    t::CM_NOTES[start as usize..end as usize]
        .iter()
        .map(|&(kind, ts, te, rs, re)| Note {
            kind: KINDS[kind as usize],
            text: &t::CM_NOTE_TEXT[ts as usize..te as usize],
            refs: &t::CM_REFS[rs as usize..re as usize],
        })
}

pub(super) fn block_notes(name: &str) -> impl Iterator<Item = Note> {
    let (s, e) = t::CM_BLOCK_NOTES
        .iter()
        .find(|b| b.0 == name)
        .map_or((0, 0), |b| (b.1, b.2));
    notes_range(s, e)
}

/// The 7th-character definitions that apply to a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeventhCharacters {
    at: IcdCmInfo,
    defs: &'static [(u8, u32, u32)],
}

impl SeventhCharacters {
    /// The code where the tabular defines them (the code itself or an ancestor).
    pub fn defined_at(&self) -> IcdCm {
        self.at.code()
    }

    /// Each 7th character with its meaning, in tabular order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (char, &'static str)> {
        self.defs
            .iter()
            .map(|&(c, s, e)| (c as char, &t::CM_NOTE_TEXT[s as usize..e as usize]))
    }

    /// The meaning of one 7th character, if defined.
    pub fn get(&self, ch: char) -> Option<&'static str> {
        let ch = ch.to_ascii_uppercase();
        self.iter().find(|&(c, _)| c == ch).map(|(_, text)| text)
    }
}

pub(super) fn seventh_at(info: IcdCmInfo) -> Option<SeventhCharacters> {
    let i = info.0 as usize;
    let (s, e) = (
        t::CM_SEVENTH_START[i] as usize,
        t::CM_SEVENTH_START[i + 1] as usize,
    );
    (s < e).then(|| SeventhCharacters {
        at: info,
        defs: &t::CM_SEVENTH[s..e],
    })
}
