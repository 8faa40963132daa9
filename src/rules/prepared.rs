//! The prepared claim: every code parsed and looked up once, every date
//! resolved, for all rules to read.

use super::source::{ClaimSource, LineParts};
use super::InlineList;
use crate::claim::{ClaimKind, Sex};
use crate::date::Date;
use crate::hcpcs::{self, HcpcsRelease};
use crate::icd10cm::{IcdCm, IcdCmInfo};
use crate::icd10pcs::{IcdPcs, IcdPcsInfo};
use crate::load::ProcedureCode;
use crate::mce::{DxFlags, PcsFlags};
use crate::modifier::Modifier;
use crate::release::DatedRelease;
use crate::system::System;
use crate::text::{is_blank, is_code_filler, trim};
use crate::ParseCodeErrorKind;

/// A date field of the claim: the text and, if it parses, the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateField<'c> {
    /// The text as the claim holds it (`None` when absent or blank).
    pub raw: Option<&'c str>,
    /// The date, when the text is one.
    pub date: Option<Date>,
}

impl<'c> DateField<'c> {
    fn new(raw: Option<&'c str>) -> DateField<'c> {
        let raw = raw.filter(|s| !is_blank(s));
        DateField {
            raw,
            date: raw.and_then(|s| s.parse().ok()),
        }
    }

    /// True when the field holds text that is not a date.
    pub fn is_invalid(&self) -> bool {
        self.raw.is_some() && self.date.is_none()
    }
}

/// What preparation found out about one code of the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeStatus {
    /// A code of the expected system, valid on its date.
    Valid,
    /// No code given.
    Missing,
    /// Not a code of the expected system, nor of any other (the parse error
    /// of the expected system).
    Unparseable(ParseCodeErrorKind),
    /// A code of another system (an ICD-10-PCS code as a diagnosis …).
    OtherSystem(System),
    /// Right syntax, but in no bundled (or loaded) release.
    NotInTable,
    /// An ICD-10-CM category or subcategory that is not billable on the date
    /// (including codes missing their 7th character).
    Header,
    /// A code of the system, not valid on the date.
    NotValidOnDate,
    /// A known code whose validity cannot be checked: no date on the claim,
    /// or (CPT) no code set bundled.
    Unchecked,
}

impl CodeStatus {
    /// True for the statuses a code validity rule reports: anything but
    /// valid, unchecked or missing (a missing code is `malformed-claim`).
    ///
    /// ```
    /// use medcode::rules::CodeStatus;
    /// assert!(CodeStatus::Header.is_problem());
    /// assert!(!CodeStatus::Unchecked.is_problem());
    /// ```
    pub fn is_problem(self) -> bool {
        !matches!(
            self,
            CodeStatus::Valid | CodeStatus::Unchecked | CodeStatus::Missing
        )
    }
}

/// One diagnosis, prepared.
#[derive(Debug, Clone, Copy)]
pub struct PreparedDx<'c> {
    /// Index in `diagnoses` (the admitting diagnosis has index 0).
    pub index: usize,
    /// The code as the claim writes it (`""` when missing).
    pub raw: &'c str,
    /// The parsed code, if it is ICD-10-CM syntax.
    pub code: Option<IcdCm>,
    /// The table entry, if the code is in a bundled release.
    pub info: Option<IcdCmInfo>,
    /// The MCE flags on the claim date: `Some` exactly when the code is
    /// billable and valid on that date.
    pub flags: Option<DxFlags>,
    /// The verdict.
    pub status: CodeStatus,
    /// The present-on-admission indicator, if given.
    pub poa: Option<&'c str>,
}

impl PreparedDx<'_> {
    /// The code as people write it: the dotted code if it parsed, else the raw text.
    pub fn display(&self) -> String {
        match self.code {
            // The code's text without the formatting machinery, written
            // straight into the new string.
            Some(c) => {
                let mut text = String::with_capacity(8);
                c.push_dotted(&mut text);
                text
            }
            None => trim(self.raw).to_owned(),
        }
    }

    /// True if the flags on the date contain `flag`.
    pub fn has(&self, flag: DxFlags) -> bool {
        self.flags.is_some_and(|f| f.contains(flag))
    }
}

/// One ICD-10-PCS procedure, prepared.
#[derive(Debug, Clone, Copy)]
pub struct PreparedPcs<'c> {
    /// Index in `procedures`.
    pub index: usize,
    /// The code as the claim writes it.
    pub raw: &'c str,
    /// The parsed code.
    pub code: Option<IcdPcs>,
    /// The table entry.
    pub info: Option<IcdPcsInfo>,
    /// MCE attributes on the claim date (`Some` exactly when valid then).
    pub flags: Option<PcsFlags>,
    /// The verdict.
    pub status: CodeStatus,
    /// The procedure's own date field.
    pub date: DateField<'c>,
}

impl PreparedPcs<'_> {
    /// The code as text.
    pub fn display(&self) -> String {
        match self.code {
            // The code's text without the formatting machinery.
            Some(c) => c.text().as_str().to_owned(),
            None => trim(self.raw).to_owned(),
        }
    }

    /// True if the flags on the date contain `flag`.
    pub fn has(&self, flag: PcsFlags) -> bool {
        self.flags.is_some_and(|f| f.contains(flag))
    }
}

/// A line's modifiers as the claim writes them: a view of the claim's own
/// list, whether the claim owns its strings ([`Claim`](crate::claim::Claim))
/// or the engine borrowed them from JSON text.
///
/// ```
/// use medcode::claim::{Claim, ClaimLine};
/// use medcode::rules::Engine;
/// let claim = Claim {
///     lines: vec![ClaimLine { modifiers: vec!["rt".into(), "59".into()], ..ClaimLine::new("20610") }],
///     ..Default::default()
/// };
/// let engine = Engine::builder().build().unwrap();
/// let p = engine.prepare(&claim);
/// let texts = p.lines[0].modifiers_raw;
/// assert_eq!(texts.len(), 2);
/// assert_eq!(texts.get(0), Some("rt"));
/// assert_eq!(texts.iter().collect::<Vec<_>>(), ["rt", "59"]);
/// ```
#[derive(Clone, Copy)]
pub struct ModifierTexts<'c>(TextsRepr<'c>);

#[derive(Clone, Copy)]
enum TextsRepr<'c> {
    Owned(&'c [String]),
    Borrowed(&'c [std::borrow::Cow<'c, str>]),
}

impl<'c> ModifierTexts<'c> {
    /// The number of modifiers.
    pub fn len(&self) -> usize {
        match self.0 {
            TextsRepr::Owned(v) => v.len(),
            TextsRepr::Borrowed(v) => v.len(),
        }
    }

    /// True if the line has no modifier.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k`-th modifier as written.
    pub fn get(&self, k: usize) -> Option<&'c str> {
        match self.0 {
            TextsRepr::Owned(v) => v.get(k).map(String::as_str),
            TextsRepr::Borrowed(v) => v.get(k).map(|m| &**m),
        }
    }

    /// The modifiers as written, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'c str> + '_ {
        (0..self.len()).map(|k| self.get(k).unwrap_or(""))
    }
}

impl<'c> From<&'c [String]> for ModifierTexts<'c> {
    fn from(v: &'c [String]) -> Self {
        ModifierTexts(TextsRepr::Owned(v))
    }
}

impl<'c> From<&'c [std::borrow::Cow<'c, str>]> for ModifierTexts<'c> {
    fn from(v: &'c [std::borrow::Cow<'c, str>]) -> Self {
        ModifierTexts(TextsRepr::Borrowed(v))
    }
}

impl Default for ModifierTexts<'_> {
    /// No texts.
    fn default() -> Self {
        ModifierTexts(TextsRepr::Owned(&[]))
    }
}

impl std::fmt::Debug for ModifierTexts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One service line, prepared.
#[derive(Debug, Clone)]
pub struct PreparedLine<'c> {
    /// Index in `lines` (0-based, as field paths and `Emitter::emit` take
    /// it; findings report line `index + 1`).
    pub index: usize,
    /// The code as the claim writes it.
    pub raw: &'c str,
    /// The parsed CPT or HCPCS code.
    pub code: Option<ProcedureCode>,
    /// The verdict (CPT codes are `Unchecked` on dates: no CPT code set is bundled).
    pub status: CodeStatus,
    /// For a HCPCS code in the HCPCS release in use: its add and termination dates.
    pub hcpcs_dates: Option<(Option<Date>, Option<Date>)>,
    /// The modifiers as written.
    pub modifiers_raw: ModifierTexts<'c>,
    /// The modifiers parsed (`None` where the text is not a modifier); a
    /// slice to read, inline up to 4.
    pub modifiers: InlineList<Option<Modifier>, 4>,
    /// Units, as given.
    pub units: Option<f64>,
    /// Diagnosis pointers, as given (1-based).
    pub pointers: &'c [i64],
    /// The line's own date field.
    pub own_date: DateField<'c>,
    /// The date of service: the line's, else the claim's.
    pub date: Option<Date>,
    /// What the outpatient code editor reads of the line besides the above.
    #[cfg(feature = "ioce")]
    pub(crate) ub04: LineUb04<'c>,
}

/// A service line's fields that only the outpatient code editor reads
/// (the I/OCE rules: `rules::ioce`), as the claim writes them.
#[cfg(feature = "ioce")]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineUb04<'c> {
    /// The revenue code.
    pub revenue_code: Option<&'c str>,
    /// The charge.
    pub charge: Option<f64>,
    /// The line's own service date, blank or not (`own_date` drops a blank one).
    pub service_date: Option<&'c str>,
    /// The I/OCE edits a contractor bypasses on the line, as written.
    pub contractor_bypass_edits: ModifierTexts<'c>,
}

/// A claim's UB-04 fields that only the outpatient code editor reads (the
/// I/OCE rules: `rules::ioce`), as the claim writes them.
#[cfg(feature = "ioce")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClaimUb04<'c> {
    pub bill_type: Option<&'c str>,
    pub from_date: Option<&'c str>,
    pub through_date: Option<&'c str>,
    /// The claim's `service_date`, blank or not.
    pub service_date: Option<&'c str>,
    pub condition_codes: ModifierTexts<'c>,
    pub reason_for_visit: ModifierTexts<'c>,
    pub receipt_date: Option<&'c str>,
    pub opps_flag: Option<&'c str>,
    /// Whether the first diagnosis has a `code` (a blank one counts): the
    /// I/OCE reads a claim without one as having no principal diagnosis.
    pub principal_given: bool,
}

impl PreparedLine<'_> {
    /// True if the line carries `modifier`.
    pub fn has_modifier(&self, modifier: &str) -> bool {
        Modifier::parse_kind(modifier).is_ok_and(|m| self.has(m))
    }

    /// True if the line carries `modifier` (the typed form of
    /// [`has_modifier`](Self::has_modifier)).
    ///
    /// ```
    /// use medcode::claim::{Claim, ClaimLine};
    /// use medcode::rules::Engine;
    /// let claim = Claim {
    ///     lines: vec![ClaimLine { modifiers: vec!["rt".into()], ..ClaimLine::new("20610") }],
    ///     ..Default::default()
    /// };
    /// let engine = Engine::builder().build().unwrap();
    /// let p = engine.prepare(&claim);
    /// assert!(p.lines[0].has("RT".parse().unwrap()));
    /// assert!(p.lines[0].has_modifier("RT"));
    /// ```
    #[inline]
    pub fn has(&self, modifier: Modifier) -> bool {
        self.modifiers.contains(&Some(modifier))
    }

    /// The code as text.
    pub fn display(&self) -> String {
        match self.code {
            Some(c) => c.to_string(),
            None => trim(self.raw).to_owned(),
        }
    }
}

/// A structural problem found while preparing: a missing required field or
/// a value of the wrong kind (reported as `malformed-claim`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field (`"type"`, `"lines[2].code"` …).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A claim with every code parsed and looked up once and every date
/// resolved. Built by the [`Engine`](super::Engine); every rule reads it.
///
/// ```
/// use medcode::claim::{Claim, Diagnosis};
/// use medcode::rules::{ClaimKind, Engine, PreparedClaim};
/// let claim = Claim {
///     claim_type: Some("institutional".into()),
///     discharge_date: Some("2025-11-03".into()),
///     diagnoses: vec![Diagnosis::new("e119")],
///     ..Default::default()
/// };
/// let engine = Engine::builder().build().unwrap();
/// let p = engine.prepare(&claim);
/// assert_eq!(p.kind, ClaimKind::Institutional);
/// assert_eq!(p.date.unwrap().to_string(), "2025-11-03");
/// assert!(p.diagnoses[0].flags.is_some());
/// ```
#[derive(Debug, Clone)]
pub struct PreparedClaim<'c> {
    /// The claim's `id`, as written.
    pub id: Option<&'c str>,
    /// The patient's `sex`, as written (see [`sex`](Self::sex) for its meaning).
    pub sex_text: Option<&'c str>,
    /// The patient's `age`, as given (see [`age`](Self::age) for the age used).
    pub age_given: Option<f64>,
    /// The `discharge_status`, as written.
    pub discharge_status: Option<&'c str>,
    /// Professional or institutional (inferred when `type` is missing, with a problem).
    pub kind: ClaimKind,
    /// An outpatient institutional claim: a `bill_type` other than blank or
    /// 11x (edited by the I/OCE where the `ioce` feature is on). The
    /// inpatient rules (the MCE's discharge status, the stay's dates) step
    /// aside for it, with or without that feature.
    pub outpatient: bool,
    /// The patient's sex.
    pub sex: Sex,
    /// Age in years at admission (institutional) or service, when known and valid (0–124).
    pub age: Option<u32>,
    /// Why the age is invalid, when it is (`invalid-age`).
    pub age_problem: Option<String>,
    /// True when the claim gives an age (or a birth date) that is outside
    /// 0–124 years: outside every MCE age category, so every age-specific
    /// diagnosis conflicts with it (`age-conflict`, as CMS's MCE does). False
    /// when the age is valid or not given at all.
    pub age_out_of_range: bool,
    /// `service_date`.
    pub service_date: DateField<'c>,
    /// `admission_date`.
    pub admission_date: DateField<'c>,
    /// `discharge_date`.
    pub discharge_date: DateField<'c>,
    /// The date that selects the code-set release and the MCE edit tables
    /// for diagnoses and procedures. Institutional claims: the discharge
    /// date (as CMS's Medicare Code Editor does), else the service
    /// (statement) date, else the earliest line date. Professional claims:
    /// the service date, else the discharge date, else the earliest line date.
    pub date: Option<Date>,
    /// The diagnoses, in claim order.
    pub diagnoses: Vec<PreparedDx<'c>>,
    /// The admitting diagnosis.
    pub admitting: Option<PreparedDx<'c>>,
    /// The ICD-10-PCS procedures.
    pub procedures: Vec<PreparedPcs<'c>>,
    /// The service lines.
    pub lines: Vec<PreparedLine<'c>>,
    /// Structural problems (`malformed-claim`).
    pub problems: Vec<Problem>,
    /// The file name of the HCPCS release lines were checked against, if any.
    pub hcpcs_source: Option<&'c str>,
    pub(crate) src: HcpcsSource<'c>,
    /// The MCE flags of every diagnosis together.
    dx_flags: DxFlags,
    /// The MCE flags of every procedure together.
    pcs_flags: PcsFlags,
    /// The problem statuses some code of the claim has ([`status_bits`]):
    /// each code validity rule looks at the codes only when its own status
    /// is there (most claims have a problem of one kind at most).
    problem_statuses: u8,
    /// False when no two diagnoses share a code.
    pub(crate) dx_repeat_possible: bool,
    /// False when no two lines share a code.
    pub(crate) line_repeat_possible: bool,
    /// The claim's MS-DRG grouping, made by the first `drg` family rule
    /// that asks for it (`rules::drg::grouping`) and read by the others: a
    /// claim is grouped at most once however many of them run, and not at
    /// all when none does. `None` inside: the claim does not group
    /// (professional, no principal diagnosis, no MS-DRG version for its
    /// date). Boxed: the common claim carries a pointer, not a grouping.
    pub(crate) drg: std::sync::OnceLock<Option<Box<crate::drg::Grouping>>>,
    /// The UB-04 fields the outpatient code editor reads.
    #[cfg(feature = "ioce")]
    pub(crate) ub04: ClaimUb04<'c>,
    /// The I/OCE's answer for an outpatient claim, made by the first `ioce`
    /// family rule that asks for it (`rules::ioce::raised`) and read by
    /// the others: a claim is edited at most once.
    #[cfg(feature = "ioce")]
    pub(crate) ioce: std::sync::OnceLock<Box<super::ioce::Raised>>,
}

impl Drop for PreparedClaim<'_> {
    fn drop(&mut self) {
        spare::give_back_lists((
            std::mem::take(&mut self.diagnoses),
            std::mem::take(&mut self.procedures),
            std::mem::take(&mut self.lines),
        ));
    }
}

/// Spare buffers for the prepared lists, one set per thread: a prepared
/// claim takes them and gives them back when it is dropped, so checking
/// claim after claim allocates nothing for its lists (allocation was a
/// sixth of the time of a typical check).
pub(crate) mod spare {
    use super::{PreparedDx, PreparedLine, PreparedPcs};
    use crate::scratch::{keep, relabel};
    use std::cell::Cell;

    /// The prepared claim's three lists, in one thread-local (one access
    /// a claim to take them and one to give them back: in a shared library
    /// each access is a call).
    pub(super) struct Lists {
        diagnoses: Cell<Vec<PreparedDx<'static>>>,
        procedures: Cell<Vec<PreparedPcs<'static>>>,
        lines: Cell<Vec<PreparedLine<'static>>>,
    }

    /// A prepared claim's lists: diagnoses, procedures, lines.
    pub(super) type ListsOf<'c> = (
        Vec<PreparedDx<'c>>,
        Vec<PreparedPcs<'c>>,
        Vec<PreparedLine<'c>>,
    );

    thread_local! {
        static LISTS: Lists = const {
            Lists {
                diagnoses: Cell::new(Vec::new()),
                procedures: Cell::new(Vec::new()),
                lines: Cell::new(Vec::new()),
            }
        };
    }

    /// The thread's spare lists for a prepared claim (empty), or new ones.
    pub(super) fn take_lists<'c>() -> ListsOf<'c> {
        LISTS
            .try_with(|l| {
                (
                    relabel(l.diagnoses.take()),
                    relabel(l.procedures.take()),
                    relabel(l.lines.take()),
                )
            })
            .unwrap_or_default()
    }

    /// Keeps a prepared claim's lists as the thread's spares.
    pub(super) fn give_back_lists((diagnoses, procedures, lines): ListsOf<'_>) {
        let _ = LISTS.try_with(|l| {
            keep(&l.diagnoses, diagnoses);
            keep(&l.procedures, procedures);
            keep(&l.lines, lines);
        });
    }
}

/// Claim-level tests a rule can be skipped by: a rule whose findings all
/// need a diagnosis flag, a procedure flag or a code status runs only on the
/// claims that have one of them ([`PreparedClaim::gate_bits`]). Most claims
/// have few of the flags: the engine's loop then skips the rule's call.
pub(crate) mod gate {
    use super::status_bits;
    use crate::mce::{DxFlags, PcsFlags};

    /// Where the procedure flags start (the diagnosis flags are bits 0–31).
    pub(crate) const PCS_SHIFT: u32 = 32;
    /// Where the problem statuses start (procedure flags use 15 bits).
    pub(crate) const STATUS_SHIFT: u32 = 48;
    /// Set for every claim: the gate of a rule that always runs.
    pub(crate) const ALWAYS: u64 = 1 << 63;
    /// Set when two diagnoses may share a code (`dx_repeat_possible`).
    pub(crate) const DX_REPEAT: u64 = 1 << 62;
    /// Set for an outpatient claim (a `bill_type` other than 11x): the gate
    /// of the I/OCE rules.
    #[cfg(feature = "ioce")]
    pub(crate) const OUTPATIENT: u64 = 1 << 61;

    /// The gate of a rule that needs one of these diagnosis flags.
    pub(crate) const fn dx(flags: DxFlags) -> u64 {
        flags.bits() as u64
    }

    /// The gate of a rule that needs one of these procedure flags.
    pub(crate) const fn pcs(flags: PcsFlags) -> u64 {
        (flags.bits() as u64) << PCS_SHIFT
    }

    /// The gate of a rule that needs a code with one of these statuses ([`status_bits`]).
    pub(crate) const fn statuses(bits: u8) -> u64 {
        (bits as u64) << STATUS_SHIFT
    }

    /// Any problem status.
    pub(crate) const ANY_STATUS: u8 = status_bits::UNPARSEABLE
        | status_bits::OTHER_SYSTEM
        | status_bits::NOT_IN_TABLE
        | status_bits::HEADER
        | status_bits::NOT_VALID_ON_DATE;
}

/// The problem statuses as bits, for [`PreparedClaim::may_have_status`].
pub(crate) mod status_bits {
    pub(crate) const UNPARSEABLE: u8 = 1;
    pub(crate) const OTHER_SYSTEM: u8 = 2;
    pub(crate) const NOT_IN_TABLE: u8 = 4;
    pub(crate) const HEADER: u8 = 8;
    pub(crate) const NOT_VALID_ON_DATE: u8 = 16;
    /// An institutional claim whose principal diagnosis is blank or zeros
    /// (CMS's MCE: INVALID_CODE). Not a status of a code: not in `ANY_STATUS`.
    pub(crate) const MISSING_PRINCIPAL: u8 = 32;
}

/// A problem status as its bit ([`status_bits`]); 0 for the statuses that
/// are no problem, as [`CodeStatus::is_problem`] has it.
fn status_bit(s: CodeStatus) -> u8 {
    match s {
        CodeStatus::Valid | CodeStatus::Unchecked | CodeStatus::Missing => 0,
        CodeStatus::Unparseable(_) => status_bits::UNPARSEABLE,
        CodeStatus::OtherSystem(_) => status_bits::OTHER_SYSTEM,
        CodeStatus::NotInTable => status_bits::NOT_IN_TABLE,
        CodeStatus::Header => status_bits::HEADER,
        CodeStatus::NotValidOnDate => status_bits::NOT_VALID_ON_DATE,
    }
}

/// True if the principal diagnosis is text that is no ICD-10-CM code (not
/// blank) and a secondary diagnosis repeats that text (without the blanks
/// around it): CMS's MCE compares the text of an invalid principal too.
fn unreadable_principal_repeats(dxs: &[PreparedDx<'_>]) -> bool {
    let Some(p) = dxs
        .first()
        .filter(|p| p.code.is_none() && p.status != CodeStatus::Missing)
    else {
        return false;
    };
    let text = trim(p.raw);
    dxs[1..]
        .iter()
        .any(|d| d.code.is_none() && trim(d.raw) == text)
}

/// True if two of the items' keys may be equal: exact for up to 16 keys
/// (the claims the duplicate rules see almost always), `true` beyond. Each
/// key is compared with the earlier items' in place (claims have a few
/// codes: no array of keys to set up first).
fn may_repeat<T>(items: &[T], key: impl Fn(&T) -> Option<u64>) -> bool {
    let mut n = 0;
    for (i, item) in items.iter().enumerate() {
        let Some(k) = key(item) else { continue };
        if n == 16 || items[..i].iter().any(|earlier| key(earlier) == Some(k)) {
            return true;
        }
        n += 1;
    }
    false
}

impl std::fmt::Debug for HcpcsSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HcpcsSource::Loaded(..) => "Loaded",
            HcpcsSource::Bundled => "Bundled",
        })
    }
}

/// A HCPCS entry's add and termination dates (and a spare flag).
type HcpcsDates = (Option<Date>, Option<Date>, bool);

/// Where HCPCS Level II validity comes from: a release loaded by the user,
/// else the one compiled in.
#[derive(Clone, Copy)]
pub(crate) enum HcpcsSource<'e> {
    Loaded(&'e HcpcsRelease, &'e str),
    Bundled,
}

impl<'e> HcpcsSource<'e> {
    pub(crate) fn pick(loaded: Option<&'e (HcpcsRelease, String)>) -> HcpcsSource<'e> {
        match loaded {
            Some((r, name)) => HcpcsSource::Loaded(r, name),
            None => HcpcsSource::Bundled,
        }
    }

    fn name(self) -> Option<&'e str> {
        match self {
            HcpcsSource::Loaded(_, n) => Some(n),
            HcpcsSource::Bundled => Some(hcpcs::bundled().source_file()),
        }
    }

    /// The release answering for `date` (`None`: a loaded file with no dates).
    pub(crate) fn release_on(self, date: Date) -> Option<DatedRelease> {
        match self {
            HcpcsSource::Loaded(r, _) => r.release_on(date),
            HcpcsSource::Bundled => Some(hcpcs::release_on(date)),
        }
    }

    /// `None` without a release; `Some(None)` not in it; `Some(Some(dates))`.
    fn entry(self, code: hcpcs::Hcpcs) -> Option<Option<HcpcsDates>> {
        match self {
            HcpcsSource::Loaded(r, _) => {
                Some(r.get(code).map(|e| (e.added(), e.terminated(), true)))
            }
            HcpcsSource::Bundled => Some(code.info().map(|e| (e.added(), e.terminated(), true))),
        }
    }

    /// Valid on `date` (as of the release's horizon for later dates).
    fn valid_on(self, code: hcpcs::Hcpcs, date: Date) -> bool {
        match self {
            HcpcsSource::Loaded(r, _) => r.get(code).is_some_and(|e| e.valid_on(date)),
            HcpcsSource::Bundled => code.valid_on(date),
        }
    }

    fn has_modifier(self, m: Modifier) -> Option<bool> {
        match self {
            HcpcsSource::Loaded(r, _) => Some(r.modifier(m).is_some()),
            HcpcsSource::Bundled => Some(m.info().is_some()),
        }
    }
}

/// Two-digit CPT (Level I) modifier numbers in current use (numbers only,
/// no descriptors): a two-digit modifier outside this list is reported.
pub(crate) const CPT_MODIFIERS: [u8; 40] = [
    22, 23, 24, 25, 26, 27, 32, 33, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 62, 63, 66, 73, 74,
    76, 77, 78, 79, 80, 81, 82, 90, 91, 92, 93, 95, 96, 97, 98, 99,
];

/// [`CPT_MODIFIERS`] as a bit set over 0..=99.
const CPT_MODIFIER_BITS: u128 = {
    let mut bits = 0u128;
    let mut i = 0;
    while i < CPT_MODIFIERS.len() {
        bits |= 1 << CPT_MODIFIERS[i];
        i += 1;
    }
    bits
};

/// True if a parsed modifier is a known modifier: a listed CPT number, or a
/// Level II modifier (checked against the HCPCS release when one is in use).
pub(crate) fn modifier_known(m: Modifier, src: HcpcsSource<'_>) -> bool {
    if let Some(n) = m.cpt_number() {
        return CPT_MODIFIER_BITS & (1 << n) != 0;
    }
    src.has_modifier(m).unwrap_or(true)
}

fn other_system_dx(raw: &str, src: HcpcsSource<'_>) -> Option<System> {
    if let Ok(p) = IcdPcs::parse_kind(raw) {
        if p.info().is_some() {
            return Some(System::Icd10Pcs);
        }
    }
    match ProcedureCode::parse(raw) {
        Some(ProcedureCode::Cpt(_)) => Some(System::Cpt),
        Some(ProcedureCode::Hcpcs(h)) if matches!(src.entry(h), Some(Some(_))) => {
            Some(System::Hcpcs)
        }
        _ => None,
    }
}

/// A diagnosis with its code parsed, not yet looked up ([`look_up_codes`]):
/// `code` set, or `status` Missing (blank or all zeros) or Unparseable (the error kept
/// until the lookup asks whether another system knows the text).
// Inlined into the loop that fills the list: each diagnosis is written
// once, in place, not returned and then copied.
#[inline(always)]
fn parse_dx<'c>(index: usize, raw: Option<&'c str>, poa: Option<&'c str>) -> PreparedDx<'c> {
    let raw_s = raw.unwrap_or("");
    let mut dx = PreparedDx {
        index,
        raw: raw_s,
        code: None,
        info: None,
        flags: None,
        status: CodeStatus::Missing,
        poa,
    };
    if !is_code_filler(raw_s) {
        match IcdCm::parse_kind(raw_s) {
            Ok(code) => dx.code = Some(code),
            Err(e) => dx.status = CodeStatus::Unparseable(e),
        }
    }
    dx
}

/// Looks up a claim's parsed diagnoses and procedures in stages, each over
/// all of them before the next: every code's table slot, then every code's
/// flags on the date, then the statuses. A claim's codes are random rows of
/// large tables (cache misses when another program ran in between); in
/// stages their misses are in flight together instead of one after another
/// (diagnoses and procedures together: two waits a claim instead of four).
fn look_up_codes(
    dxs: &mut [PreparedDx<'_>],
    pcs: &mut [PreparedPcs<'_>],
    date: Option<Date>,
    src: HcpcsSource<'_>,
) {
    for d in dxs.iter_mut() {
        d.info = d.code.and_then(IcdCm::info);
    }
    for p in pcs.iter_mut() {
        p.info = p.code.and_then(IcdPcs::info);
    }
    if let Some(date) = date {
        // The date as each code set's table compares it, once a claim
        // (not once a code), and only for a code set the claim uses.
        if !dxs.is_empty() {
            let on = crate::icd10cm::mce_date(date);
            for d in dxs.iter_mut() {
                d.flags = d.info.and_then(|info| info.mce_as_of(on));
            }
        }
        if !pcs.is_empty() {
            let on = crate::icd10pcs::mce_date(date);
            for p in pcs.iter_mut() {
                p.flags = p.info.and_then(|info| info.mce_as_of(on));
            }
        }
    }
    for d in dxs.iter_mut() {
        d.status = dx_status(d, date, src);
    }
    for p in pcs.iter_mut() {
        p.status = pcs_status(p, date, src);
    }
}

/// A looked-up diagnosis's status.
fn dx_status(d: &PreparedDx<'_>, date: Option<Date>, src: HcpcsSource<'_>) -> CodeStatus {
    match (d.code, d.info) {
        (Some(_), Some(info)) => match date {
            Some(_) if d.flags.is_some() => CodeStatus::Valid,
            Some(day) if is_header_on(info, day) => CodeStatus::Header,
            Some(_) => CodeStatus::NotValidOnDate,
            None if !info.billable_in_some_release() || info.requires_seventh_character() => {
                CodeStatus::Header
            }
            None => CodeStatus::Unchecked,
        },
        (Some(_), None) => {
            other_system_dx(d.raw, src).map_or(CodeStatus::NotInTable, CodeStatus::OtherSystem)
        }
        (None, _) => match d.status {
            CodeStatus::Unparseable(e) => other_system_dx(d.raw, src)
                .map_or(CodeStatus::Unparseable(e), CodeStatus::OtherSystem),
            blank => blank,
        },
    }
}

/// Not billable on `date` because it is a category or subcategory then.
fn is_header_on(info: IcdCmInfo, date: Date) -> bool {
    if !info.is_header() {
        return false;
    }
    !info.billable_in_some_release()
        || info.requires_seventh_character()
        || info.descendants().any(|d| d.valid_on(date))
}

/// A procedure with its code parsed, not yet looked up ([`look_up_codes`]),
/// as [`parse_dx`] for diagnoses.
fn parse_pcs<'c>(index: usize, raw: Option<&'c str>, own: DateField<'c>) -> PreparedPcs<'c> {
    let raw_s = raw.unwrap_or("");
    let mut p = PreparedPcs {
        index,
        raw: raw_s,
        code: None,
        info: None,
        flags: None,
        status: CodeStatus::Missing,
        date: own,
    };
    if !is_code_filler(raw_s) {
        match IcdPcs::parse_kind(raw_s) {
            Ok(code) => p.code = Some(code),
            Err(e) => p.status = CodeStatus::Unparseable(e),
        }
    }
    p
}

/// A looked-up procedure's status.
fn pcs_status(p: &PreparedPcs<'_>, date: Option<Date>, src: HcpcsSource<'_>) -> CodeStatus {
    match (p.code, p.info) {
        (Some(_), Some(_)) => match date {
            Some(_) if p.flags.is_some() => CodeStatus::Valid,
            Some(_) => CodeStatus::NotValidOnDate,
            None => CodeStatus::Unchecked,
        },
        (Some(_), None) => {
            other_system_pcs(p.raw, src).map_or(CodeStatus::NotInTable, CodeStatus::OtherSystem)
        }
        (None, _) => match p.status {
            CodeStatus::Unparseable(e) => other_system_pcs(p.raw, src)
                .map_or(CodeStatus::Unparseable(e), CodeStatus::OtherSystem),
            blank => blank,
        },
    }
}

/// The system a procedure's text belongs to when it is not an ICD-10-PCS
/// code of the tables: CPT or HCPCS (as line codes), or ICD-10-CM.
fn other_system_pcs(raw: &str, src: HcpcsSource<'_>) -> Option<System> {
    if let Some(pc) = ProcedureCode::parse(raw) {
        return match pc {
            ProcedureCode::Cpt(_) => Some(System::Cpt),
            ProcedureCode::Hcpcs(h) => match src.entry(h) {
                Some(Some(_)) | None => Some(System::Hcpcs),
                Some(None) => None,
            },
        };
    }
    IcdCm::parse_kind(raw)
        .ok()
        .and_then(|c| c.info())
        .map(|_| System::Icd10Cm)
}

fn prepare_line<'c>(
    index: usize,
    line: LineParts<'c>,
    claim_date: Option<Date>,
    src: HcpcsSource<'_>,
) -> PreparedLine<'c> {
    let raw = line.code.unwrap_or("");
    let own_date = DateField::new(line.service_date);
    let date = if own_date.raw.is_some() {
        own_date.date
    } else {
        claim_date
    };
    let mut out = PreparedLine {
        index,
        raw,
        code: None,
        status: CodeStatus::Missing,
        hcpcs_dates: None,
        modifiers: line
            .modifiers
            .iter()
            .map(|m| Modifier::parse_kind(m).ok())
            .collect(),
        modifiers_raw: line.modifiers,
        units: line.units,
        pointers: line.pointers,
        own_date,
        date,
        #[cfg(feature = "ioce")]
        ub04: LineUb04 {
            revenue_code: line.revenue_code,
            charge: line.charge,
            service_date: line.service_date,
            contractor_bypass_edits: line.contractor_bypass_edits,
        },
    };
    if is_blank(raw) {
        return out;
    }
    match ProcedureCode::parse(raw) {
        Some(pc) => {
            out.code = Some(pc);
            out.status = match pc {
                ProcedureCode::Cpt(_) => CodeStatus::Unchecked,
                // CDT (dental) codes are the ADA's: CMS's HCPCS file has none.
                ProcedureCode::Hcpcs(h) if h.is_cdt() => CodeStatus::Unchecked,
                ProcedureCode::Hcpcs(h) => match src.entry(h) {
                    None => CodeStatus::Unchecked,
                    Some(None) => {
                        if IcdCm::parse_kind(raw).ok().and_then(|c| c.info()).is_some() {
                            CodeStatus::OtherSystem(System::Icd10Cm)
                        } else {
                            CodeStatus::NotInTable
                        }
                    }
                    Some(Some((added, terminated, _))) => {
                        out.hcpcs_dates = Some((added, terminated));
                        match date {
                            Some(d) if !src.valid_on(h, d) => CodeStatus::NotValidOnDate,
                            Some(_) => CodeStatus::Valid,
                            None => CodeStatus::Unchecked,
                        }
                    }
                },
            };
        }
        None => {
            out.status = if IcdPcs::parse_kind(raw)
                .ok()
                .and_then(|c| c.info())
                .is_some()
            {
                CodeStatus::OtherSystem(System::Icd10Pcs)
            } else if IcdCm::parse_kind(raw).ok().and_then(|c| c.info()).is_some() {
                CodeStatus::OtherSystem(System::Icd10Cm)
            } else {
                CodeStatus::Unparseable(
                    crate::cpt::Cpt::parse_kind(raw)
                        .err()
                        .unwrap_or(ParseCodeErrorKind::Empty),
                )
            };
        }
    }
    out
}

fn parse_kind<'c>(claim: impl ClaimSource<'c>, problems: &mut Vec<Problem>) -> ClaimKind {
    // Inpatient fields, or a UB-04 type of bill: an institutional claim.
    let inferred = if claim.admission_date().is_some()
        || claim.discharge_date().is_some()
        || claim.procedures().len() > 0
        || claim.bill_type().is_some_and(|b| !is_blank(b))
    {
        ClaimKind::Institutional
    } else {
        ClaimKind::Professional
    };
    let name = |k: ClaimKind| match k {
        ClaimKind::Professional => "professional",
        ClaimKind::Institutional => "institutional",
    };
    let Some(raw) = claim.claim_type() else {
        problems.push(Problem {
            field: "type".into(),
            message: format!(
                "the claim has no type (\"professional\" or \"institutional\"); checked as {}",
                name(inferred)
            ),
        });
        return inferred;
    };
    let t = trim(raw);
    // The contract's own spellings first, then the other accepted names.
    match t {
        "professional" => return ClaimKind::Professional,
        "institutional" => return ClaimKind::Institutional,
        _ => {}
    }
    let is = |names: &[&str]| names.iter().any(|n| t.eq_ignore_ascii_case(n));
    if is(&["professional", "p", "837p", "cms-1500", "cms1500"]) {
        ClaimKind::Professional
    } else if is(&["institutional", "i", "837i", "ub-04", "ub04"]) {
        ClaimKind::Institutional
    } else {
        let t = t.to_ascii_lowercase();
        problems.push(Problem {
            field: "type".into(),
            message: format!(
                "claim type {t:?} is neither \"professional\" nor \"institutional\"; checked as {}",
                name(inferred)
            ),
        });
        inferred
    }
}

/// The I/OCE's OPPS flag: `"1"`, `"2"` or blank (OPPS) are its values; any
/// other is a problem, and the I/OCE reads it as OPPS.
fn check_opps_flag(flag: Option<&str>, problems: &mut Vec<Problem>) {
    let Some(flag) = flag.map(trim) else { return };
    if !matches!(flag, "" | "1" | "2") {
        problems.push(Problem {
            field: "opps_flag".into(),
            message: format!(
                "OPPS flag {flag:?} is neither \"1\" (OPPS) nor \"2\" (not OPPS); edited as OPPS, as the I/OCE reads it"
            ),
        });
    }
}

/// The problem of a list item without a code: `list[index].code`, and
/// "{item} {index + 1} has no {what}" (saying so when the text `raw` is
/// zeros, the filler CMS's MCE reads as no code).
fn missing_code(list: &str, item: &str, index: usize, what: &str, raw: &str) -> Problem {
    let raw = trim(raw);
    Problem {
        field: format!("{list}[{index}].code"),
        message: if raw.is_empty() {
            format!("{item} {} has no {what}", index + 1)
        } else {
            format!(
                "{item} {} has no {what} ({raw:?} is zero filler)",
                index + 1
            )
        },
    }
}

fn parse_sex(text: Option<&str>) -> Sex {
    let Some(s) = text else {
        return Sex::Missing;
    };
    let s = trim(s);
    match s {
        "M" => return Sex::Male,
        "F" => return Sex::Female,
        _ => {}
    }
    let is = |names: &[&str]| names.iter().any(|n| s.eq_ignore_ascii_case(n));
    if is(&["M", "MALE"]) {
        Sex::Male
    } else if is(&["F", "FEMALE"]) {
        Sex::Female
    } else if is(&["U", "UNKNOWN"]) {
        Sex::Unknown
    } else if s.is_empty() {
        Sex::Missing
    } else {
        Sex::Invalid
    }
}

impl<'c> PreparedClaim<'c> {
    pub(crate) fn new(claim: impl ClaimSource<'c>, src: HcpcsSource<'c>) -> PreparedClaim<'c> {
        let mut problems = Vec::new();
        let kind = parse_kind(claim, &mut problems);
        check_opps_flag(claim.opps_flag(), &mut problems);
        let service_date = DateField::new(claim.service_date());
        let admission_date = DateField::new(claim.admission_date());
        let discharge_date = DateField::new(claim.discharge_date());
        let earliest_line = || {
            claim
                .lines()
                .filter_map(|l| l.service_date?.parse::<Date>().ok())
                .min()
        };
        let date = match kind {
            ClaimKind::Institutional => discharge_date.date.or(service_date.date),
            ClaimKind::Professional => service_date.date.or(discharge_date.date),
        }
        .or_else(earliest_line);
        let (mut diagnoses, mut procedures, mut lines) = spare::take_lists();
        #[cfg(feature = "ioce")]
        let principal_given = claim
            .diagnoses()
            .next()
            .is_some_and(|(code, _)| code.is_some());
        diagnoses.extend(
            claim
                .diagnoses()
                .enumerate()
                .map(|(i, (code, poa))| parse_dx(i, code, poa)),
        );
        // The admitting diagnosis is looked up with the others, after them
        // in the list, and taken out again.
        // Blank or all-zero: no admitting diagnosis (as CMS's MCE reads it).
        let admitting_text = claim.admitting_diagnosis().filter(|s| !is_code_filler(s));
        if admitting_text.is_some() {
            diagnoses.push(parse_dx(0, admitting_text, None));
        }
        procedures.extend(
            claim
                .procedures()
                .enumerate()
                .map(|(i, (code, day))| parse_pcs(i, code, DateField::new(day))),
        );
        look_up_codes(&mut diagnoses, &mut procedures, date, src);
        let admitting = admitting_text.and_then(|_| diagnoses.pop());
        lines.extend(
            claim
                .lines()
                .enumerate()
                .map(|(i, l)| prepare_line(i, l, date, src)),
        );
        if diagnoses.is_empty() {
            problems.push(Problem {
                field: "diagnoses".into(),
                message: "the claim has no diagnosis: at least one is required".into(),
            });
        }
        if kind == ClaimKind::Professional && lines.is_empty() {
            problems.push(Problem {
                field: "lines".into(),
                message: "the professional claim has no service line".into(),
            });
        }
        // One pass over each list gathers what the rules ask of the claim
        // as a whole: the problem statuses, the flags, the missing codes.
        // A code's status is Missing exactly when its text is missing or
        // blank, or (diagnoses, procedures) zeros (`parse_dx`, `parse_pcs`,
        // `prepare_line`).
        let mut problem_statuses = admitting.as_ref().map_or(0, |d| status_bit(d.status));
        let mut dx_flags = DxFlags::NONE;
        for d in &diagnoses {
            problem_statuses |= status_bit(d.status);
            if let Some(f) = d.flags {
                dx_flags = dx_flags | f;
            }
            if d.status == CodeStatus::Missing {
                problems.push(missing_code(
                    "diagnoses",
                    "diagnosis",
                    d.index,
                    "code",
                    d.raw,
                ));
            }
        }
        let mut pcs_flags = PcsFlags::NONE;
        for p in &procedures {
            problem_statuses |= status_bit(p.status);
            if let Some(f) = p.flags {
                pcs_flags = pcs_flags | f;
            }
            if p.status == CodeStatus::Missing {
                problems.push(missing_code(
                    "procedures",
                    "procedure",
                    p.index,
                    "code",
                    p.raw,
                ));
            }
        }
        for l in &lines {
            problem_statuses |= status_bit(l.status);
            if l.status == CodeStatus::Missing {
                problems.push(missing_code("lines", "line", l.index, "procedure code", ""));
            }
        }
        // Age in years at admission (institutional) or service.
        let age_date = match kind {
            ClaimKind::Institutional => admission_date.date.or(date),
            ClaimKind::Professional => date,
        };
        let (sex_text, age_given) = (claim.sex(), claim.age());
        let (age, age_problem) = resolve_age(age_given, claim.birth_date(), kind, age_date);
        // A problem with an age that was given (not a missing one, not a
        // birth date that is not a date) puts the patient outside 0–124.
        let age_out_of_range = age_problem.is_some()
            && match age_given {
                Some(_) => true,
                None => claim
                    .birth_date()
                    .is_some_and(|b| b.parse::<Date>().is_ok()),
            };
        if kind == ClaimKind::Institutional
            && diagnoses
                .first()
                .is_some_and(|d| d.status == CodeStatus::Missing)
        {
            problem_statuses |= status_bits::MISSING_PRINCIPAL;
        }
        let dx_repeat_possible = may_repeat(&diagnoses, |d| d.code.map(IcdCm::key))
            || unreadable_principal_repeats(&diagnoses);
        let line_repeat_possible = may_repeat(&lines, |l| l.code.map(ProcedureCode::key));
        PreparedClaim {
            id: claim.id(),
            sex_text,
            age_given,
            discharge_status: claim.discharge_status(),
            kind,
            outpatient: crate::claim::outpatient_bill_type(claim.bill_type()),
            sex: parse_sex(sex_text),
            age,
            age_problem,
            age_out_of_range,
            service_date,
            admission_date,
            discharge_date,
            date,
            diagnoses,
            admitting,
            procedures,
            lines,
            problems,
            hcpcs_source: src.name(),
            src,
            dx_flags,
            pcs_flags,
            problem_statuses,
            dx_repeat_possible,
            line_repeat_possible,
            drg: std::sync::OnceLock::new(),
            #[cfg(feature = "ioce")]
            ub04: ClaimUb04 {
                bill_type: claim.bill_type(),
                from_date: claim.statement_from(),
                through_date: claim.statement_through(),
                service_date: claim.service_date(),
                condition_codes: claim.condition_codes(),
                reason_for_visit: claim.reason_for_visit(),
                receipt_date: claim.receipt_date(),
                opps_flag: claim.opps_flag(),
                principal_given,
            },
            #[cfg(feature = "ioce")]
            ioce: std::sync::OnceLock::new(),
        }
    }

    /// True if some diagnosis has one of the MCE flags in `flags` on the
    /// claim date (a quick test before walking the diagnoses).
    ///
    /// ```
    /// use medcode::claim::{Claim, Diagnosis};
    /// use medcode::rules::Engine;
    /// use medcode::DxFlags;
    /// let claim = Claim {
    ///     service_date: Some("2025-11-03".into()),
    ///     diagnoses: vec![Diagnosis::new("I10"), Diagnosis::new("E11.9")],
    ///     ..Default::default()
    /// };
    /// let engine = Engine::builder().build().unwrap();
    /// let p = engine.prepare(&claim);
    /// assert!(p.any_diagnosis_has(DxFlags::QUESTIONABLE_ADMISSION));
    /// assert!(!p.any_diagnosis_has(DxFlags::MANIFESTATION));
    /// ```
    #[inline]
    pub fn any_diagnosis_has(&self, flags: DxFlags) -> bool {
        self.dx_flags.intersects(flags)
    }

    /// True if some procedure has one of the MCE flags in `flags` on the claim date.
    ///
    /// ```
    /// use medcode::claim::{Claim, Procedure};
    /// use medcode::rules::Engine;
    /// use medcode::PcsFlags;
    /// let claim = Claim {
    ///     claim_type: Some("institutional".into()),
    ///     discharge_date: Some("2025-11-03".into()),
    ///     procedures: vec![Procedure::new("0SRD0JZ")],
    ///     ..Default::default()
    /// };
    /// let engine = Engine::builder().build().unwrap();
    /// let p = engine.prepare(&claim);
    /// assert!(!p.any_procedure_has(PcsFlags::CESAREAN | PcsFlags::VAGINAL_DELIVERY));
    /// ```
    #[inline]
    pub fn any_procedure_has(&self, flags: PcsFlags) -> bool {
        self.pcs_flags.intersects(flags)
    }

    /// True if some code of the claim is invalid, of another system, not
    /// in the tables, a header or not valid on its date (so a code validity
    /// rule has something to say).
    ///
    /// ```
    /// use medcode::claim::{Claim, Diagnosis};
    /// use medcode::rules::Engine;
    /// let engine = Engine::builder().build().unwrap();
    /// let mut claim = Claim {
    ///     service_date: Some("2025-11-03".into()),
    ///     diagnoses: vec![Diagnosis::new("E11.9")],
    ///     ..Default::default()
    /// };
    /// assert!(!engine.prepare(&claim).has_code_problem());
    /// claim.diagnoses.push(Diagnosis::new("E11")); // a category, not billable
    /// assert!(engine.prepare(&claim).has_code_problem());
    /// ```
    #[inline]
    pub fn has_code_problem(&self) -> bool {
        self.problem_statuses != 0
    }

    /// True if some code may have one of the statuses `bits` stands for
    /// (an OR of [`status_bits`]): a code validity rule's quick test
    /// before it walks the codes.
    #[inline]
    pub(crate) fn may_have_status(&self, bits: u8) -> bool {
        self.problem_statuses & bits != 0
    }

    /// What the engine's rule gates ([`gate`]) test: the MCE flags of the
    /// diagnoses and of the procedures, the problem statuses, whether two
    /// diagnoses may repeat, and a bit every claim has (for the rules that
    /// always run).
    #[inline]
    pub(crate) fn gate_bits(&self) -> u64 {
        u64::from(self.dx_flags.bits())
            | u64::from(self.pcs_flags.bits()) << gate::PCS_SHIFT
            | u64::from(self.problem_statuses) << gate::STATUS_SHIFT
            | if self.dx_repeat_possible {
                gate::DX_REPEAT
            } else {
                0
            }
            | self.outpatient_gate()
            | gate::ALWAYS
    }

    /// [`gate::OUTPATIENT`] for an outpatient claim, else 0 (always 0
    /// without the `ioce` feature: no rule has that gate).
    #[inline]
    fn outpatient_gate(&self) -> u64 {
        #[cfg(feature = "ioce")]
        if self.outpatient {
            return gate::OUTPATIENT;
        }
        0
    }

    /// The principal (institutional) or first-listed diagnosis.
    pub fn principal(&self) -> Option<&PreparedDx<'c>> {
        self.diagnoses.first()
    }

    /// True if a parsed modifier is known: a listed CPT modifier number, or
    /// a Level II modifier (in the HCPCS release in use, when there is one).
    pub fn modifier_known(&self, m: Modifier) -> bool {
        modifier_known(m, self.src)
    }

    /// True for institutional claims.
    pub fn is_institutional(&self) -> bool {
        self.kind == ClaimKind::Institutional
    }
}

fn resolve_age(
    given: Option<f64>,
    birth_date: Option<&str>,
    kind: ClaimKind,
    at: Option<Date>,
) -> (Option<u32>, Option<String>) {
    if let Some(a) = given {
        if !a.is_finite() || !(0.0..125.0).contains(&a) {
            return (None, Some(invalid_age_message(a)));
        }
        // In 0..125 truncation is the floor (no call to `floor`).
        return (Some(a as u32), None);
    }
    match birth_date.filter(|s| !is_blank(s)) {
        Some(b) => match b.parse::<Date>() {
            Err(_) => (
                None,
                Some(format!("birth_date {b:?} is not a date (YYYY-MM-DD)")),
            ),
            Ok(birth) => match at {
                None => (None, None),
                Some(at) => match at.years_since(birth) {
                    None => (
                        None,
                        Some(format!("birth_date {birth} is after the date of service {at}")),
                    ),
                    Some(y) if y > 124 => (
                        None,
                        Some(format!(
                            "born {birth}, the patient would be {y} on {at}: the Medicare Code Editor accepts 0 to 124 years"
                        )),
                    ),
                    Some(y) => (Some(y), None),
                },
            },
        },
        None if kind == ClaimKind::Institutional => (
            None,
            Some("the claim gives neither the patient's age nor birth date".into()),
        ),
        None => (None, None),
    }
}

/// "age {a} is not a valid age: …", as `format!` writes it. A whole number
/// of years (what claims give) is written as its digits: `{}` writes a
/// whole `f64` of less than 2^53 so (no ".0"; "-0" for −0.0), and the
/// float formatting cost about 800 instructions a message.
fn invalid_age_message(a: f64) -> String {
    const REST: &str = " is not a valid age: the Medicare Code Editor accepts 0 to 124 years";
    let whole = a.abs() < 9.0e15 && (a as i64) as f64 == a;
    if !whole {
        return format!("age {a}{REST}");
    }
    let mut message = String::with_capacity(32 + REST.len());
    message.push_str("age ");
    if a.is_sign_negative() {
        message.push('-');
    }
    super::push_usize(&mut message, a.abs() as usize);
    message.push_str(REST);
    message
}

#[cfg(test)]
mod age_message_tests {
    /// The message writes every age as `format!` does, whole or not.
    #[test]
    fn invalid_age_message_equals_format() {
        let ages = [
            125.0,
            130.0,
            1e3,
            -1.0,
            -0.0,
            -124.0,
            125.5,
            -3.25,
            1e15,
            8.999e15,
            9e15,
            1e16,
            2f64.powi(53),
            f64::MAX,
            -1e300,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for a in ages {
            assert_eq!(
                super::invalid_age_message(a),
                format!(
                    "age {a} is not a valid age: the Medicare Code Editor accepts 0 to 124 years"
                ),
                "{a:?}"
            );
        }
    }
}
