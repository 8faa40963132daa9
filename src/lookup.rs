//! One answer to "what is this code on this date?", as plain data.
//!
//! The CLI prints it (`medcode lookup --json`) and the C ABI will return it,
//! so every front end answers the same way. [`lookup`] detects the code
//! system from the syntax; [`lookup_in`] asks one system.

use crate::cpt::Cpt;
use crate::date::Date;
use crate::error::{ParseCodeError, ParseCodeErrorKind};
use crate::hcpcs::{self, Hcpcs, HcpcsEntry, HcpcsRelease};
use crate::icd10cm::{self, CcInfo, Chapter, Conversion, IcdCm, NoteKind};
use crate::icd10pcs::{self, Axis, IcdPcs};
use crate::load::CptDescriptors;
use crate::modifier::{Modifier, ModifierClass};
use crate::release::{DatedRelease, Release};

// The code systems sit low in the crate (errors name them); lookup answers
// with them.
pub use crate::system::{System, UnknownSystem};

/// The grouping a code sits in: an ICD-10-CM block, an ICD-10-PCS section,
/// or a named CPT/HCPCS section.
///
/// ```
/// use medcode::{lookup::{self, Grouping, System}, Date};
/// let date = Date::new(2026, 1, 1).unwrap();
/// let r = lookup::lookup_in(System::Icd10Cm, "O80", date);
/// assert!(matches!(r.section, Some(Grouping::Block(b)) if b.title == "Encounter for delivery"));
/// let r = lookup::lookup_in(System::Cpt, "99213", date);
/// assert!(matches!(r.section, Some(Grouping::Named { name: "Evaluation and Management", .. })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Grouping {
    /// An ICD-10-CM block (`E08-E13`).
    Block(icd10cm::Section),
    /// An ICD-10-PCS section (first character).
    PcsSection(icd10pcs::Section),
    /// A CPT section (by code range) or HCPCS Level II section (by letter).
    Named {
        /// The section's name.
        name: &'static str,
        /// The CPT Surgery subsection, where there is one.
        #[serde(skip_serializing_if = "Option::is_none")]
        subsection: Option<&'static str>,
    },
}

/// An MCE flag with its meaning in words.
///
/// ```
/// use medcode::{lookup, Date};
/// let r = lookup::lookup_in(lookup::System::Icd10Cm, "O80", Date::new(2026, 1, 1).unwrap());
/// assert!(r.mce_flags.iter().any(|f| f.flag == "maternity" && f.meaning.starts_with("maternity")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MceFlag {
    /// The flag as CMS's MCE names it (`qadm`).
    pub flag: &'static str,
    /// What it means (`questionable admission`).
    pub meaning: &'static str,
}

/// An MCE age category and its inclusive age range in years on the date.
///
/// ```
/// use medcode::{lookup, AgeCategory, Date};
/// let r = lookup::lookup_in(lookup::System::Icd10Cm, "O80", Date::new(2026, 1, 1).unwrap());
/// let range = r.ages[0];
/// assert_eq!((range.category, range.min, range.max), (AgeCategory::Maternity, 9, 64));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct AgeRange {
    /// The category.
    pub category: crate::mce::AgeCategory,
    /// Youngest age, in years.
    pub min: u32,
    /// Oldest age, in years.
    pub max: u32,
}

/// An instructional note of the ICD-10-CM tabular, with where it is written.
///
/// ```
/// use medcode::{icd10cm::NoteKind, lookup, Date};
/// let r = lookup::lookup_in(lookup::System::Icd10Cm, "E11.9", Date::new(2026, 1, 1).unwrap());
/// let inherited = r.notes.iter().find(|n| n.at == "E11").unwrap(); // written at the category
/// assert_eq!(inherited.kind, NoteKind::Includes);
/// assert_eq!(inherited.text, "diabetes (mellitus) due to insulin secretory defect");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LookupNote {
    /// The code the note is written at (the code itself or an ancestor).
    pub at: String,
    /// The kind of note (`excludes1`, `codeFirst`, …).
    pub kind: NoteKind,
    /// The note as the tabular writes it.
    pub text: &'static str,
}

/// A 7th-character choice.
///
/// ```
/// use medcode::{lookup, Date};
/// let r = lookup::lookup_in(lookup::System::Icd10Cm, "S72.001A", Date::new(2026, 1, 1).unwrap());
/// let a = r.seventh_characters[0];
/// assert_eq!((a.character, a.meaning), ('A', "initial encounter for closed fracture"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SeventhCharacter {
    /// The character.
    pub character: char,
    /// What it means (`initial encounter for closed fracture`).
    pub meaning: &'static str,
}

/// Files the user brings that lookups may answer from.
///
/// ```
/// use medcode::{lookup::{self, System, UserFiles}, Date, HcpcsRelease};
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
/// let files = UserFiles { hcpcs: Some(&release), ..UserFiles::default() };
/// let r = lookup::lookup_in_with(System::Modifier, "LT", Date::new(2026, 1, 1)?, files);
/// assert_eq!(r.release_file.as_deref(), Some("hcpcs_fixture.txt"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct UserFiles<'a> {
    /// A CMS quarterly HCPCS file loaded at run time (else the bundled one, if any).
    pub hcpcs: Option<&'a HcpcsRelease>,
    /// A CPT descriptor file the user is licensed for.
    pub cpt_descriptors: Option<&'a CptDescriptors>,
}

/// The answer to a lookup of one input string in one code system on one date.
///
/// ```
/// use medcode::{lookup, Date};
/// let r = lookup::lookup_in(lookup::System::Icd10Cm, "e119", Date::new(2026, 1, 1).unwrap());
/// assert_eq!(r.code.as_deref(), Some("E11.9"));
/// assert!(r.valid && r.billable && r.in_table);
/// assert_eq!(r.valid_from.unwrap().to_string(), "2015-10-01");
/// assert_eq!(r.valid_to, None);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LookupReport {
    /// The code system that answered.
    pub system: System,
    /// The input as given.
    pub input: String,
    /// The canonical code (dotted for ICD-10-CM), or `None` if the input is not a code.
    pub code: Option<String>,
    /// Known in some bundled release.
    pub in_table: bool,
    /// Billable on `date`: a code of the release in force then that is not
    /// a header in it (ICD-10-CM, ICD-10-PCS, HCPCS; so equal to `valid`);
    /// false for CPT, which has no dated code set bundled.
    pub billable: bool,
    /// An ICD-10-CM header on `date`: a category or subcategory with
    /// billable codes below it then, or a code lacking its 7th character.
    pub header: bool,
    /// Billable in some bundled release (ICD-10-CM; every ICD-10-PCS code
    /// in the table is), whatever the date.
    pub billable_in_some_release: bool,
    /// A header in some bundled release (ICD-10-CM), whatever the date.
    pub header_in_some_release: bool,
    /// Billable and valid on `date`.
    pub valid: bool,
    /// False when medcode cannot know whether the code is valid on `date`
    /// (CPT: no dated code set bundled; CDT: never described; a modifier no
    /// release holds): `valid` is then false for want of knowledge, not
    /// because the code is invalid. The CLI exits 3, not 1.
    pub validity_known: bool,
    /// The date asked about.
    pub date: Date,
    /// The release in effect on `date` (`None` before the system's first release).
    pub release: Option<Release>,
    /// True when `date` is after the bundled tables' horizon: the answer is
    /// the newest bundled release's, as of the horizon.
    pub beyond_horizon: bool,
    /// Official long title, `None` where no source has one.
    pub title: Option<String>,
    /// Short title, if a source has one.
    pub short_title: Option<String>,
    /// The long title official on `date`, when it differs from `title` (the
    /// newest release's): ICD-10-CM and ICD-10-PCS titles by date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_on_date: Option<String>,
    /// The parent code (ICD-10-CM).
    pub parent: Option<String>,
    /// First day of the validity window on or nearest `date`.
    pub valid_from: Option<Date>,
    /// Last day of that window; `None` when still valid (or never billable).
    pub valid_to: Option<Date>,
    /// MCE flags on `date` (or of the nearest window when not valid on it),
    /// as CMS's MCE names them (`qadm`, `diabtypeI`).
    pub mce: Vec<&'static str>,
    /// The same flags with their meaning in words, in the same order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mce_flags: Vec<MceFlag>,
    /// The MCE age ranges that apply on `date` (ICD-10-CM: newborn,
    /// pediatric, maternity, adult diagnoses).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ages: Vec<AgeRange>,
    /// The tabular's instructional notes at the code and at each ancestor
    /// (Excludes1/2, code first, use additional code, …), nearest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<LookupNote>,
    /// The 7th-character choices that apply (ICD-10-CM), at the code or
    /// its nearest ancestor.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seventh_characters: Vec<SeventhCharacter>,
    /// The modifier's class (modifiers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modifier_class: Option<ModifierClass>,
    /// The ICD-10-CM chapter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter: Option<Chapter>,
    /// The ICD-10-CM block or the ICD-10-PCS section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<Grouping>,
    /// CC/MCC status (ICD-10-CM, MS-DRG v43, FY2026).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<CcInfo>,
    /// Needs a 7th character to be billable (ICD-10-CM).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_seventh_character: Option<bool>,
    /// What this code replaced and when (ICD-10-CM, CDC's conversion tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Conversion>,
    /// The codes that replaced this code by the date, when it is no longer
    /// billable then (ICD-10-CM, CDC's conversion tables), oldest first:
    /// see [`IcdCm::replaced_by`](crate::IcdCm::replaced_by).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<Conversion>,
    /// While the code stays valid: the new codes that took over some of its
    /// cases by the date (ICD-10-CM, CDC's conversion tables), oldest first:
    /// see [`IcdCm::cases_now_coded_as`](crate::IcdCm::cases_now_coded_as).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cases_now_coded_as: Vec<Conversion>,
    /// The seven axes with their labels (ICD-10-PCS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axes: Option<[Axis; 7]>,
    /// The CPT category (`I`, `II`, `III`, `PLA`, `MAAA`) or, for HCPCS, `Level II`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<&'static str>,
    /// The file the answering release was read from (HCPCS: the bundled
    /// `HCPC2025_OCT_ANWEB.xlsx`, or the file loaded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_file: Option<String>,
    /// What the answer could not know, in words (e.g. no HCPCS release loaded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why the input is not a code of this system, if it is not.
    pub error: Option<String>,
}

impl LookupReport {
    fn new(system: System, input: &str, date: Date, dated: Option<DatedRelease>) -> LookupReport {
        LookupReport {
            system,
            input: input.to_owned(),
            code: None,
            in_table: false,
            billable: false,
            header: false,
            billable_in_some_release: false,
            header_in_some_release: false,
            valid: false,
            validity_known: true,
            date,
            release: dated.map(|d| d.release),
            beyond_horizon: dated.is_some_and(|d| d.beyond_horizon),
            title: None,
            short_title: None,
            title_on_date: None,
            parent: None,
            valid_from: None,
            valid_to: None,
            mce: Vec::new(),
            mce_flags: Vec::new(),
            ages: Vec::new(),
            notes: Vec::new(),
            seventh_characters: Vec::new(),
            modifier_class: None,
            chapter: None,
            section: None,
            cc: None,
            requires_seventh_character: None,
            replaces: None,
            replaced_by: Vec::new(),
            cases_now_coded_as: Vec::new(),
            axes: None,
            category: None,
            release_file: None,
            note: None,
            error: None,
        }
    }

    fn not_a_code(mut self, e: ParseCodeError) -> LookupReport {
        self.error = Some(e.kind().to_string());
        self
    }
}

/// A lookup's answer: one system's report, or several when the input is a
/// code of more than one system's table (a seven-character code starting B,
/// C, D, F, G, H or X can be both ICD-10-CM and ICD-10-PCS).
///
/// ```
/// use medcode::{lookup::{self, LookupAnswer}, Date};
/// let answer = lookup::lookup("J1100", Date::new(2025, 11, 1).unwrap());
/// let LookupAnswer::Ambiguous { matches, .. } = answer else { panic!("HCPCS and ICD-10-CM both hold J1100") };
/// assert_eq!(matches[1].code.as_deref(), Some("J11.00"));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
// One answer is built per lookup and never stored in bulk: boxing the common
// variant would cost an allocation for nothing.
#[allow(clippy::large_enum_variant)]
pub enum LookupAnswer {
    /// One system answers.
    One(LookupReport),
    /// Several systems hold the code.
    Ambiguous {
        /// The input as given.
        input: String,
        /// Always true; present so JSON readers can test for it.
        ambiguous: bool,
        /// One report per system that holds the code.
        matches: Vec<LookupReport>,
    },
}

impl LookupAnswer {
    /// True if some answering system knows whether the code is valid on the
    /// date (see [`LookupReport::validity_known`]).
    ///
    /// ```
    /// use medcode::{lookup, Date};
    /// let d = Date::new(2026, 1, 1).unwrap();
    /// assert!(lookup::lookup("E11.9", d).validity_known());
    /// assert!(!lookup::lookup("99213", d).validity_known()); // CPT: no dated code set
    /// ```
    pub fn validity_known(&self) -> bool {
        self.reports().iter().any(|r| r.validity_known)
    }

    /// True if some answering system finds the code valid on the date.
    ///
    /// ```
    /// use medcode::{lookup, Date};
    /// assert!(lookup::lookup("E11.9", Date::new(2026, 1, 1).unwrap()).valid());
    /// ```
    pub fn valid(&self) -> bool {
        match self {
            LookupAnswer::One(r) => r.valid,
            LookupAnswer::Ambiguous { matches, .. } => matches.iter().any(|r| r.valid),
        }
    }

    /// The reports (one, or several when ambiguous).
    ///
    /// ```
    /// use medcode::{lookup, Date};
    /// let a = lookup::lookup("J1100", Date::new(2025, 11, 1).unwrap());
    /// let systems: Vec<_> = a.reports().iter().map(|r| r.system.as_str()).collect();
    /// assert_eq!(systems, ["hcpcs", "icd10cm"]); // HCPCS J1100 and ICD-10-CM J11.00
    /// ```
    pub fn reports(&self) -> &[LookupReport] {
        match self {
            LookupAnswer::One(r) => std::slice::from_ref(r),
            LookupAnswer::Ambiguous { matches, .. } => matches,
        }
    }
}

/// Looks `input` up in one code system on `date`, from the bundled tables.
///
/// ```
/// use medcode::{lookup::{self, System}, Date};
/// let r = lookup::lookup_in(System::Hcpcs, "J1100", Date::new(2025, 11, 1).unwrap());
/// assert!(r.valid);
/// assert_eq!(r.title.as_deref(), Some("Injection, dexamethasone sodium phosphate, 1 mg"));
/// let cpt = lookup::lookup_in(System::Cpt, "99213", Date::new(2026, 1, 1).unwrap());
/// assert!(!cpt.validity_known); // no dated CPT code set is bundled
/// ```
pub fn lookup_in(system: System, input: &str, date: Date) -> LookupReport {
    lookup_in_with(system, input, date, UserFiles::default())
}

/// Looks `input` up in one code system on `date`, also answering from the
/// user's files.
///
/// ```
/// use medcode::{lookup::{self, System, UserFiles}, Date, HcpcsRelease};
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
/// let files = UserFiles { hcpcs: Some(&release), ..UserFiles::default() };
/// let r = lookup::lookup_in_with(System::Hcpcs, "J1100", Date::new(2025, 11, 1)?, files);
/// assert_eq!(r.title.as_deref(), Some("TEST LONG TITLE FOR A DRUG CODE")); // the file's title
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lookup_in_with(
    system: System,
    input: &str,
    date: Date,
    files: UserFiles<'_>,
) -> LookupReport {
    match system {
        System::Icd10Cm => icd10cm_report(input, date),
        System::Icd10Pcs => icd10pcs_report(input, date),
        System::Cpt => cpt_report(input, date, files.cpt_descriptors),
        System::Hcpcs => hcpcs_report(input, date, files.hcpcs),
        System::Modifier => modifier_report(input, date, files.hcpcs),
    }
}

/// Looks `input` up, choosing the system from its syntax: a string only one
/// system's syntax accepts goes to that system; a string several accept is
/// answered by the systems whose tables hold it (ambiguous if more than
/// one); if none holds it, by the first system that accepts it. A string no
/// system accepts is answered by ICD-10-CM's parser, whose error explains it.
///
/// ```
/// use medcode::{lookup, Date};
/// let date = Date::new(2026, 1, 1).unwrap();
/// let pcs = lookup::lookup("0SRD0JZ", date);
/// assert_eq!(pcs.reports()[0].system, lookup::System::Icd10Pcs);
/// let cm = lookup::lookup("E11.9", date);
/// assert_eq!(cm.reports()[0].system, lookup::System::Icd10Cm);
/// ```
pub fn lookup(input: &str, date: Date) -> LookupAnswer {
    lookup_with(input, date, UserFiles::default())
}

/// [`lookup`], also answering from the user's files.
///
/// ```
/// use medcode::{lookup::{self, UserFiles}, Date, HcpcsRelease};
/// let release = HcpcsRelease::load("tests/fixtures/hcpcs_fixture.txt")?;
/// let files = UserFiles { hcpcs: Some(&release), ..UserFiles::default() };
/// let answer = lookup::lookup_with("LT", Date::new(2026, 1, 1)?, files);
/// assert_eq!(answer.reports()[0].title.as_deref(), Some("TEST MODIFIER TITLE LEFT"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lookup_with(input: &str, date: Date, files: UserFiles<'_>) -> LookupAnswer {
    let accepting: Vec<System> = System::ALL
        .into_iter()
        .filter(|&s| accepts(s, input))
        .collect();
    let Some(&first) = accepting.first() else {
        // No system accepts it: ICD-10-CM answers, and the error says what
        // each system expected.
        let mut r = lookup_in_with(System::Icd10Cm, input, date, files);
        if let Some(why) = fits_no_system(input) {
            r.error = Some(why);
        }
        return LookupAnswer::One(r);
    };
    let reports: Vec<LookupReport> = accepting
        .iter()
        .map(|&s| lookup_in_with(s, input, date, files))
        .collect();
    let mut holding: Vec<LookupReport> = reports.iter().filter(|r| r.in_table).cloned().collect();
    match holding.len() {
        0 => LookupAnswer::One(
            reports
                .into_iter()
                .next()
                .unwrap_or_else(|| lookup_in_with(first, input, date, files)),
        ),
        1 => LookupAnswer::One(holding.remove(0)),
        _ => LookupAnswer::Ambiguous {
            input: input.to_owned(),
            ambiguous: true,
            matches: holding,
        },
    }
}

/// What each system's syntax expected of an input none accepts: "not a
/// code of any system: ICD-10-CM: …; ICD-10-PCS: …; …" (`None` for an
/// empty input, which every system refuses alike, or one a system accepts).
fn fits_no_system(input: &str) -> Option<String> {
    fn why<T, E: Into<ParseCodeErrorKind>>(r: Result<T, E>) -> Option<String> {
        r.err().map(|e| e.into().to_string())
    }
    let mut out = String::from("not a code of any system");
    let mut sep = ": ";
    for system in System::ALL {
        let reason = match system {
            System::Icd10Cm => why(IcdCm::parse(input)),
            System::Icd10Pcs => why(IcdPcs::parse(input)),
            System::Cpt => why(Cpt::parse(input)),
            System::Hcpcs => why(Hcpcs::parse(input)),
            System::Modifier => why(Modifier::parse(input)),
        }?;
        if reason == ParseCodeErrorKind::Empty.to_string() {
            return None;
        }
        out.push_str(sep);
        out.push_str(system.display_name());
        out.push_str(": ");
        out.push_str(&reason);
        sep = "; ";
    }
    Some(out)
}

/// True if `input` has the syntax of a code of `system`.
///
/// ```
/// use medcode::lookup::{accepts, System};
/// assert!(accepts(System::Icd10Cm, "E11.9"));
/// assert!(!accepts(System::Icd10Pcs, "E11.9"));
/// assert!(accepts(System::Hcpcs, "J1100") && accepts(System::Icd10Cm, "J1100"));
/// ```
pub fn accepts(system: System, input: &str) -> bool {
    match system {
        System::Icd10Cm => IcdCm::parse(input).is_ok(),
        System::Icd10Pcs => IcdPcs::parse(input).is_ok(),
        System::Cpt => Cpt::parse(input).is_ok(),
        System::Hcpcs => Hcpcs::parse(input).is_ok(),
        System::Modifier => Modifier::parse(input).is_ok(),
    }
}

fn icd10cm_report(input: &str, date: Date) -> LookupReport {
    let mut r = LookupReport::new(System::Icd10Cm, input, date, icd10cm::release_on(date));
    let code = match IcdCm::parse(input) {
        Ok(c) => c,
        Err(e) => return r.not_a_code(e),
    };
    r.code = Some(code.to_string());
    r.replaced_by = code.replaced_by(date);
    r.cases_now_coded_as = code.cases_now_coded_as(date);
    let Some(info) = code.info() else { return r };
    r.in_table = true;
    r.valid = info.valid_on(date);
    // On the date: billable (valid) or a header (codes below it valid then).
    r.billable = r.valid;
    r.header = info.is_header()
        && (!info.billable_in_some_release()
            || info.requires_seventh_character()
            || info.descendants().any(|d| d.valid_on(date)));
    r.billable_in_some_release = info.billable_in_some_release();
    r.header_in_some_release = info.is_header();
    r.replaces = info.replaces();
    r.title = info.title().map(str::to_owned);
    r.short_title = info.short_title().map(str::to_owned);
    r.title_on_date = info
        .title_on(date)
        .filter(|t| Some(*t) != info.title())
        .map(str::to_owned);
    r.parent = info.parent().map(|p| p.code().to_string());
    if let Some(w) = info.window_near(date) {
        r.valid_from = Some(w.from);
        r.valid_to = w.to;
        let flags = info.mce_on(date).unwrap_or(w.flags);
        r.mce = flags.names().collect();
        r.mce_flags = mce_flags(flags.names(), flags.meanings());
        r.ages = flags
            .age_categories()
            .filter_map(|category| {
                let (min, max) = category.ages_on(date)?;
                Some(AgeRange { category, min, max })
            })
            .collect();
    }
    r.notes = std::iter::once(info)
        .chain(info.ancestors())
        .flat_map(|at| {
            let code = at.code().to_string();
            at.notes()
                .filter(|n| n.kind != NoteKind::SevenChrNote)
                .map(move |n| LookupNote {
                    at: code.clone(),
                    kind: n.kind,
                    text: n.text,
                })
        })
        .collect();
    if let Some(sc) = info.seventh_characters() {
        r.seventh_characters = sc
            .iter()
            .map(|(character, meaning)| SeventhCharacter { character, meaning })
            .collect();
    }
    r.chapter = info.chapter();
    r.section = info.section().map(Grouping::Block);
    r.cc = info.cc();
    r.requires_seventh_character = Some(info.requires_seventh_character());
    r
}

fn icd10pcs_report(input: &str, date: Date) -> LookupReport {
    let mut r = LookupReport::new(System::Icd10Pcs, input, date, icd10pcs::release_on(date));
    let code = match IcdPcs::parse(input) {
        Ok(c) => c,
        Err(e) => return r.not_a_code(e),
    };
    r.code = Some(code.to_string());
    r.section = Some(Grouping::PcsSection(code.section()));
    r.axes = Some(code.axes());
    let Some(info) = code.info() else { return r };
    r.in_table = true;
    r.valid = info.valid_on(date);
    r.billable = r.valid;
    r.billable_in_some_release = true;
    r.title = info.title().map(str::to_owned);
    r.short_title = info.short_title().map(str::to_owned);
    r.title_on_date = info
        .title_on(date)
        .filter(|t| Some(*t) != info.title())
        .map(str::to_owned);
    if let Some(w) = info.window_near(date) {
        r.valid_from = Some(w.from);
        r.valid_to = w.to;
        let flags = info.mce_on(date).unwrap_or(w.flags);
        r.mce = flags.names().collect();
        r.mce_flags = mce_flags(flags.names(), flags.meanings());
    }
    r
}

fn mce_flags(
    names: impl Iterator<Item = &'static str>,
    meanings: impl Iterator<Item = &'static str>,
) -> Vec<MceFlag> {
    names
        .zip(meanings)
        .map(|(flag, meaning)| MceFlag { flag, meaning })
        .collect()
}

fn cpt_report(input: &str, date: Date, descriptors: Option<&CptDescriptors>) -> LookupReport {
    let mut r = LookupReport::new(System::Cpt, input, date, None);
    let code = match Cpt::parse(input) {
        Ok(c) => c,
        Err(e) => return r.not_a_code(e),
    };
    r.validity_known = false;
    r.code = Some(code.to_string());
    r.category = Some(code.category().name());
    r.section = code.section().map(|s| Grouping::Named {
        name: s.name(),
        subsection: code.surgery_subsection().map(|ss| ss.name()),
    });
    match descriptors {
        Some(d) => {
            r.title = d.get(code).map(str::to_owned);
            r.in_table = r.title.is_some();
            r.note = Some(
                "CPT validity by date is not known to medcode: the descriptor file has no dates"
                    .into(),
            );
        }
        None => {
            r.note = Some(
                "CPT descriptors and validity are AMA content and not bundled; they come from a descriptor file you are licensed for".into(),
            );
        }
    }
    r
}

fn hcpcs_report(input: &str, date: Date, loaded: Option<&HcpcsRelease>) -> LookupReport {
    let mut r = LookupReport::new(System::Hcpcs, input, date, None);
    let code = match Hcpcs::parse(input) {
        Ok(c) => c,
        Err(e) => return r.not_a_code(e),
    };
    r.code = Some(code.to_string());
    r.category = Some("Level II");
    r.section = code.section().map(|s| Grouping::Named {
        name: s.name(),
        subsection: None,
    });
    if code.is_cdt() {
        r.validity_known = false;
        r.note =
            Some("D codes are CDT (dental, ADA-copyrighted): recognised, never described".into());
        return r;
    }
    let fill = |r: &mut LookupReport, e: Option<HcpcsEntry<'_>>| {
        if let Some(e) = e {
            r.in_table = true;
            r.valid = e.valid_on(date);
            r.billable = r.valid;
            r.billable_in_some_release = true;
            r.title = e.title().map(str::to_owned);
            r.short_title = e.short_title().map(str::to_owned);
            r.valid_from = e.added();
            r.valid_to = e.terminated();
        }
    };
    let (dated, file) = match loaded {
        Some(release) => {
            fill(&mut r, release.get(code));
            (release.release_on(date), release.source_file())
        }
        None => {
            let bundled = hcpcs::bundled();
            fill(&mut r, bundled.get(code));
            (Some(bundled.release_on(date)), Some(bundled.source_file()))
        }
    };
    r.release = dated.map(|d| d.release);
    r.beyond_horizon = dated.is_some_and(|d| d.beyond_horizon);
    r.release_file = file.map(str::to_owned);
    r
}

fn modifier_report(input: &str, date: Date, loaded: Option<&HcpcsRelease>) -> LookupReport {
    let mut r = LookupReport::new(System::Modifier, input, date, None);
    let modifier = match Modifier::parse(input) {
        Ok(m) => m,
        Err(e) => return r.not_a_code(e),
    };
    r.code = Some(modifier.to_string());
    r.category = Some(if modifier.is_cpt() {
        "CPT (Level I) modifier"
    } else {
        "HCPCS Level II modifier"
    });
    r.modifier_class = Some(modifier.class());
    let fill = |r: &mut LookupReport, e: Option<hcpcs::ModifierEntry<'_>>| {
        if let Some(e) = e {
            r.in_table = true;
            r.valid = e.valid_on(date);
            r.billable = r.valid;
            r.billable_in_some_release = true;
            r.title = e.title().map(str::to_owned);
            r.short_title = e.short_title().map(str::to_owned);
            r.valid_from = e.added();
            r.valid_to = e.terminated();
        }
    };
    let (dated, file) = match loaded {
        Some(release) => {
            fill(&mut r, release.modifier(modifier));
            (release.release_on(date), release.source_file())
        }
        None => {
            let bundled = hcpcs::bundled();
            fill(&mut r, bundled.modifier(modifier));
            (Some(bundled.release_on(date)), Some(bundled.source_file()))
        }
    };
    r.release = dated.map(|d| d.release);
    r.beyond_horizon = dated.is_some_and(|d| d.beyond_horizon);
    r.release_file = file.map(str::to_owned);
    if !r.in_table {
        r.validity_known = false;
        r.note = Some(if modifier.is_cpt() {
            "CPT modifiers are AMA content: the HCPCS file does not list them, so no title or \
             dates are known; the class is from NCCI's modifier lists"
                .into()
        } else {
            "not in the HCPCS release's modifier list: no title or dates known".into()
        });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let date = Date::new(2026, 1, 1).unwrap();
        // Not a code of any system: the error says what each expected.
        let bad = lookup("E1!", date);
        assert!(bad.reports()[0].error.is_some());
        let pcs = lookup("0SRD0JZ0", date);
        let why = pcs.reports()[0].error.as_deref().unwrap();
        assert!(why.starts_with("not a code of any system: "), "{why}");
        assert!(
            why.contains("ICD-10-CM: bad character '0' at position 1: expected a letter"),
            "{why}"
        );
        assert!(
            why.contains("ICD-10-PCS: code too long: 8 characters, at most 7"),
            "{why}"
        );
        assert_eq!(
            lookup("", date).reports()[0].error.as_deref(),
            Some("empty code")
        );
        assert_eq!("ICD10-PCS".parse::<System>(), Ok(System::Icd10Pcs));
        assert!("cpt4".parse::<System>().is_err());
        assert_eq!(lookup("99213", date).reports()[0].system, System::Cpt);
        assert_eq!(
            lookup("99213", date).reports()[0].section,
            Some(Grouping::Named {
                name: "Evaluation and Management",
                subsection: None
            })
        );
        // Letter + four digits: HCPCS syntax and ICD-10-CM syntax. J34.90 is no
        // ICD-10-CM code, so HCPCS answers, from the bundled release.
        let j = lookup("J3490", date);
        assert_eq!(j.reports()[0].system, System::Hcpcs);
        assert_eq!(
            j.reports()[0].release_file.as_deref(),
            Some(crate::hcpcs::bundled().source_file())
        );
        // A0100 is ICD-10-CM A01.00 (typhoid fever, unspecified).
        let a = lookup("A0100", date);
        assert!(a
            .reports()
            .iter()
            .any(|r| r.system == System::Icd10Cm && r.valid));
    }
}
