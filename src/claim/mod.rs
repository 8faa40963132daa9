//! The claim the rules engine reads: Rust types for the JSON contract.
//!
//! ```json
//! { "id": "CLM-1",
//!   "type": "professional",
//!   "patient": { "sex": "F", "birth_date": "1961-04-02", "age": 64 },
//!   "service_date": "2025-11-03",
//!   "admission_date": "2025-11-01", "discharge_date": "2025-11-03", "discharge_status": "01",
//!   "diagnoses": [ { "code": "E11.9", "poa": "Y" } ],
//!   "admitting_diagnosis": "R07.9",
//!   "procedures": [ { "code": "0SRD0JZ", "date": "2025-11-02" } ],
//!   "lines": [ { "code": "99213", "modifiers": ["25"], "units": 1, "dx_pointers": [1, 2],
//!                "service_date": "2025-11-03", "charge": 125.00 } ] }
//! ```
//!
//! A UB-04 outpatient claim (type of bill 13x and its siblings) adds its
//! bill type, statement period, condition, occurrence and value codes,
//! reasons for visit, and a revenue code on each line; its statement date
//! is `service_date`, its patient status `discharge_status`. The fields the
//! I/OCE reads beside the form's are optional: `receipt_date`, the date the
//! claim was received, and `opps_flag`, `"1"` for a hospital paid under
//! OPPS (the default) or `"2"` for one that is not; and on a line,
//! `contractor_bypass_edits`, the I/OCE edits a Medicare contractor
//! bypasses there (`["040"]`):
//!
//! ```json
//! { "id": "OP-1", "type": "institutional", "bill_type": "131",
//!   "from_date": "2025-03-01", "through_date": "2025-03-01", "service_date": "2025-03-01",
//!   "patient": { "sex": "F", "age": 70 }, "discharge_status": "01",
//!   "diagnoses": [ "N18.6", "E11.9" ], "reason_for_visit": [ "R07.9" ],
//!   "condition_codes": [ "G0" ],
//!   "occurrence_codes": [ { "code": "11", "date": "2025-02-27" } ],
//!   "value_codes": [ { "code": "48", "amount": 11.2 } ],
//!   "receipt_date": "2025-03-04", "opps_flag": "1",
//!   "lines": [ { "revenue_code": "0510", "code": "G0463", "units": 1,
//!                "service_date": "2025-03-01", "charge": 100.00 } ] }
//! ```
//!
//! An outpatient claim — a `bill_type` other than 11x — is edited by CMS's
//! outpatient code editor ([`crate::ioce`]): `medcode check` reports each
//! edit it raises as an `ioce-NNN` finding (the `ioce` family of
//! [`crate::rules`]; the finding's `cms_edit` is the edit's number, `"040"`),
//! and `medcode group` writes its whole answer. A claim with a `bill_type`
//! and no `type` is read as institutional. Strict mode knows these fields.
//!
//! The types are deliberately lenient, so that a claim with a problem becomes
//! findings rather than a parse error:
//!
//! - every field is optional (a missing required field is a finding:
//!   `malformed-claim`, `service-date-invalid`, `units-invalid` …);
//! - unknown fields are ignored, unless the engine is strict
//!   ([`EngineBuilder::strict`](crate::rules::EngineBuilder::strict),
//!   `medcode check --strict`): then each is an `unknown-field` finding
//!   that names it (`lines[0].modifer`);
//! - codes and dates are kept as the strings the claim holds and parsed when
//!   the engine prepares the claim (dotted or undotted, any case);
//! - `id`, `sex`, `discharge_status`, `poa`, `bill_type`, `opps_flag` and
//!   `revenue_code` (any text field) may be JSON strings or numbers (a number is its
//!   digits: `300` reads as `"300"`, not `"0300"`);
//! - `modifiers`, `condition_codes` and `reason_for_visit` may be one
//!   string (a list of one), and an occurrence code, like a diagnosis, the
//!   code alone as a string;
//! - `age`, `units`, `charge` and a value code's `amount` may be any JSON
//!   number or a numeric string (a negative or huge
//!   age is the finding `invalid-age`, fractional units `units-invalid`).
//!
//! ```
//! use medcode::claim::Claim;
//! let claim: Claim = serde_json::from_str(r#"{
//!     "id": 17, "type": "professional", "patient": {"sex": "M", "age": 70},
//!     "service_date": "2025-11-03", "diagnoses": [{"code": "e119"}],
//!     "lines": [{"code": "99213", "units": 1, "dx_pointers": [1]}],
//!     "payer": "ignored"
//! }"#).unwrap();
//! assert_eq!(claim.id.as_deref(), Some("17"));
//! assert_eq!(claim.diagnoses[0].code.as_deref(), Some("e119"));
//! assert_eq!(claim.patient.as_ref().unwrap().age, Some(70.0));
//! ```

pub(crate) mod fast_json;
pub(crate) mod spare;

use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// Professional (CMS-1500/837P) or institutional (UB-04/837I): what a
/// claim is, as the rules read it (its `type`, else institutional when it
/// has inpatient fields or a `bill_type`).
///
/// ```
/// use medcode::claim::ClaimKind;
/// assert_eq!(serde_json::to_string(&ClaimKind::Institutional).unwrap(), r#""institutional""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// A professional claim.
    Professional,
    /// An institutional claim.
    Institutional,
}

/// The patient's sex as the claim gives it.
///
/// ```
/// use medcode::claim::{Claim, Sex};
/// use medcode::Date;
/// let claim = Claim::professional(Date::new(2025, 11, 3)?).patient(Sex::Female, 52).build();
/// assert_eq!(claim.patient.unwrap().sex.as_deref(), Some("F"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `U`.
    Unknown,
    /// No sex on the claim.
    Missing,
    /// A value that is none of M, F, U.
    Invalid,
}

/// One claim, professional or institutional.
///
/// Build one in Rust with struct update syntax:
///
/// ```
/// use medcode::claim::{Claim, ClaimLine, Diagnosis, Patient};
/// let claim = Claim {
///     id: Some("CLM-1".into()),
///     claim_type: Some("professional".into()),
///     patient: Some(Patient { sex: Some("F".into()), age: Some(52.0), ..Default::default() }),
///     service_date: Some("2025-11-03".into()),
///     diagnoses: vec![Diagnosis::new("M17.11")],
///     lines: vec![ClaimLine { units: Some(1.0), dx_pointers: vec![1], ..ClaimLine::new("99213") }],
///     ..Default::default()
/// };
/// assert_eq!(claim.lines[0].code.as_deref(), Some("99213"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Claim {
    /// The claim's identifier (a JSON string or number).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `"professional"` or `"institutional"` (any case).
    #[serde(
        rename = "type",
        deserialize_with = "text",
        skip_serializing_if = "Option::is_none"
    )]
    pub claim_type: Option<String>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient: Option<Patient>,
    /// Date of service (professional) or statement date (institutional), `YYYY-MM-DD`.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub service_date: Option<String>,
    /// Admission date (institutional).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub admission_date: Option<String>,
    /// Discharge date (institutional).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub discharge_date: Option<String>,
    /// UB-04 patient discharge status, two digits (`"01"`; a number is accepted).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub discharge_status: Option<String>,
    /// Diagnoses: the first is the principal (institutional) or first-listed diagnosis.
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<Diagnosis>,
    /// The admitting diagnosis (institutional).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub admitting_diagnosis: Option<String>,
    /// ICD-10-PCS procedures (institutional).
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Procedure>,
    /// Service lines (CPT or HCPCS codes).
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<ClaimLine>,
    /// UB-04 type of bill (form locator 4), three characters without the
    /// leading zero (`"131"`: hospital outpatient, admit through discharge);
    /// a number is accepted. The UB-04 fields follow the others here, as
    /// they do in the JSON serde writes.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub bill_type: Option<String>,
    /// UB-04 statement covers period, from (form locator 6), `YYYY-MM-DD`.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub from_date: Option<String>,
    /// UB-04 statement covers period, through (form locator 6), `YYYY-MM-DD`.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub through_date: Option<String>,
    /// UB-04 condition codes (form locators 18–28), two characters each
    /// (`"G0"`); as `modifiers`, a single string is a list of one.
    #[serde(deserialize_with = "text_list", skip_serializing_if = "Vec::is_empty")]
    pub condition_codes: Vec<String>,
    /// UB-04 occurrence codes with their dates (form locators 31–34).
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub occurrence_codes: Vec<OccurrenceCode>,
    /// UB-04 value codes with their amounts (form locators 39–41).
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub value_codes: Vec<ValueCode>,
    /// The patient's reasons for visit (UB-04 form locator 70, up to three
    /// on the form): ICD-10-CM codes, dotted or not, as strings.
    #[serde(deserialize_with = "text_list", skip_serializing_if = "Vec::is_empty")]
    pub reason_for_visit: Vec<String>,
    /// The date the payer received the claim, `YYYY-MM-DD` (the I/OCE's
    /// claims processing receipt date). It does not choose the I/OCE
    /// version (the from date does); one that is not a date, is before the
    /// from date or is after the last version's end returns the claim to
    /// the provider (I/OCE edit 119, `ioce-119` at `receipt_date`).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub receipt_date: Option<String>,
    /// The I/OCE's OPPS flag: `"1"` for a hospital paid under the
    /// outpatient prospective payment system (OPPS), `"2"` for one that is
    /// not (a critical access hospital, Maryland, …: no status indicators,
    /// APCs nor OPPS edits); a number is accepted. Missing is OPPS; any
    /// other value is read as OPPS too, as the I/OCE reads it, and `medcode
    /// check` reports it (`malformed-claim` at `opps_flag`).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub opps_flag: Option<String>,
}

/// The patient.
///
/// ```
/// use medcode::claim::Patient;
/// let p: Patient = serde_json::from_str(r#"{"sex": "female", "birth_date": "1973-04-02"}"#)?;
/// assert_eq!(p.sex.as_deref(), Some("female"));
/// assert_eq!(p.age, None); // the engine computes it from the birth date
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Patient {
    /// `"M"`, `"F"` or `"U"` (any case; `"male"`/`"female"`/`"unknown"` too).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Age in years (wins over `birth_date` when both are given).
    #[serde(deserialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub age: Option<f64>,
}

/// One diagnosis. In JSON, an object (`{"code": "E11.9", "poa": "Y"}`) or
/// the code alone as a string (`"E11.9"`).
///
/// ```
/// use medcode::claim::Diagnosis;
/// let dx: Vec<Diagnosis> = serde_json::from_str(r#"["E11.9", {"code": "I10", "poa": "Y"}]"#)?;
/// assert_eq!(dx, [Diagnosis::new("E11.9"), Diagnosis { poa: Some("Y".into()), ..Diagnosis::new("I10") }]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diagnosis {
    /// The ICD-10-CM code, dotted or not.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Present-on-admission indicator (`Y`, `N`, `U`, `W`, `1`).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub poa: Option<String>,
}

impl Diagnosis {
    /// A diagnosis with a code and no POA indicator.
    ///
    /// ```
    /// assert_eq!(medcode::claim::Diagnosis::new("E11.9").code.as_deref(), Some("E11.9"));
    /// ```
    pub fn new(code: impl Into<String>) -> Diagnosis {
        Diagnosis {
            code: Some(code.into()),
            poa: None,
        }
    }
}

/// One ICD-10-PCS procedure.
///
/// ```
/// use medcode::claim::Procedure;
/// let p: Procedure = serde_json::from_str(r#"{"code": "02703ZZ", "date": "2025-11-02"}"#)?;
/// assert_eq!(p.code.as_deref(), Some("02703ZZ"));
/// assert_eq!(p.date.as_deref(), Some("2025-11-02"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Procedure {
    /// The ICD-10-PCS code.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The date the procedure was performed.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Procedure {
    /// A procedure with a code and no date.
    ///
    /// ```
    /// assert_eq!(medcode::claim::Procedure::new("0SRD0JZ").code.as_deref(), Some("0SRD0JZ"));
    /// ```
    pub fn new(code: impl Into<String>) -> Procedure {
        Procedure {
            code: Some(code.into()),
            date: None,
        }
    }
}

/// One service line.
///
/// ```
/// use medcode::claim::ClaimLine;
/// let line: ClaimLine = serde_json::from_str(r#"{"code": "99213", "modifiers": ["25"], "units": 1, "dx_pointers": [1, 2]}"#)?;
/// assert_eq!(line.modifiers, ["25"]);
/// assert_eq!(line.units, Some(1.0));
/// assert_eq!(line.dx_pointers, [1, 2]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimLine {
    /// The CPT or HCPCS Level II code.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Modifiers, in claim order.
    #[serde(deserialize_with = "text_list", skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<String>,
    /// Units of service.
    #[serde(deserialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub units: Option<f64>,
    /// 1-based pointers into the claim's diagnoses. A pointer read from JSON
    /// as a number that is not a whole number of magnitude below 10^15
    /// (`1.5`, `1e300`) is kept as a marker far outside any pointer's range
    /// that still holds the number, so findings quote what the claim says
    /// ([`pointer_text`]); `null` reads as 0.
    #[serde(deserialize_with = "pointers", skip_serializing_if = "Vec::is_empty")]
    pub dx_pointers: Vec<i64>,
    /// The line's date of service (else the claim's).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub service_date: Option<String>,
    /// The charge.
    #[serde(deserialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub charge: Option<f64>,
    /// The UB-04 revenue code (form locator 42), four digits with the
    /// leading zero (`"0300"`); a number is accepted, as its digits.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub revenue_code: Option<String>,
    /// The I/OCE edits a Medicare contractor bypasses on this line, by
    /// number (`["040"]`, `"62"` or `[62]`): as CMS's I/OCE takes them, an
    /// edit that the I/OCE's bypass table allows per line is not raised
    /// on this line, and one it allows only per claim (`001`, `025`, …) is
    /// not raised on the claim at all. An edit number the table does not
    /// hold in the claim's version stops the claim (return code 26); text
    /// that is not a number is ignored, as the I/OCE ignores it.
    #[serde(deserialize_with = "text_list", skip_serializing_if = "Vec::is_empty")]
    pub contractor_bypass_edits: Vec<String>,
}

/// One UB-04 occurrence code and its date. In JSON, an object
/// (`{"code": "11", "date": "2025-10-30"}`) or the code alone as a string
/// (`"11"`, as the I/OCE takes occurrence codes).
///
/// ```
/// use medcode::claim::OccurrenceCode;
/// let codes: Vec<OccurrenceCode> = serde_json::from_str(r#"["A1", {"code": "11", "date": "2025-10-30"}]"#)?;
/// assert_eq!(codes[0], OccurrenceCode::new("A1"));
/// assert_eq!(codes[1].date.as_deref(), Some("2025-10-30"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OccurrenceCode {
    /// The occurrence code, two characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The date of the occurrence, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl OccurrenceCode {
    /// An occurrence code without a date.
    ///
    /// ```
    /// assert_eq!(medcode::claim::OccurrenceCode::new("11").code.as_deref(), Some("11"));
    /// ```
    pub fn new(code: impl Into<String>) -> OccurrenceCode {
        OccurrenceCode {
            code: Some(code.into()),
            date: None,
        }
    }
}

/// One UB-04 value code and its amount (`{"code": "48", "amount": 11.2}`).
///
/// ```
/// use medcode::claim::ValueCode;
/// let v: ValueCode = serde_json::from_str(r#"{"code": "A2", "amount": "40.00"}"#)?;
/// assert_eq!(v.code.as_deref(), Some("A2"));
/// assert_eq!(v.amount, Some(40.0)); // a numeric string is read as its number
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValueCode {
    /// The value code, two characters.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The amount (a dollar amount, or a number such as a hemoglobin
    /// reading, as the code says).
    #[serde(deserialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
}

impl ClaimLine {
    /// A line with a code and nothing else.
    ///
    /// ```
    /// let line = medcode::claim::ClaimLine::new("99213");
    /// assert!(line.units.is_none());
    /// ```
    pub fn new(code: impl Into<String>) -> ClaimLine {
        ClaimLine {
            code: Some(code.into()),
            ..ClaimLine::default()
        }
    }
}

// ---- the claim borrowed from its JSON text ----------------------------------

/// A claim read from JSON without copying its strings (those without
/// escapes are borrowed from the text): the JSON Lines fast path. The same
/// lenient readers as [`Claim`], so a text reads as a `ClaimRef` exactly
/// when it reads as a `Claim`, with the same values.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ClaimRef<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    pub id: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow, deserialize_with = "text_ref")]
    pub claim_type: Option<Cow<'a, str>>,
    /// Absent or `null` reads as the default (every field `None`), never as
    /// `None`: a `None` would leave the fields' bytes uninitialised, and
    /// optimised code that reads them speculatively (harmlessly) made
    /// valgrind report "conditional jump depends on uninitialised value".
    #[serde(borrow, deserialize_with = "patient_ref")]
    pub patient: PatientRef<'a>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub service_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub admission_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub discharge_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub discharge_status: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "list")]
    pub diagnoses: Vec<DiagnosisRef<'a>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub admitting_diagnosis: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "list")]
    pub procedures: Vec<ProcedureRef<'a>>,
    #[serde(borrow, deserialize_with = "list")]
    pub lines: Vec<ClaimLineRef<'a>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub bill_type: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub from_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub through_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_list_ref")]
    pub condition_codes: Vec<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "list")]
    pub occurrence_codes: Vec<OccurrenceCodeRef<'a>>,
    #[serde(borrow, deserialize_with = "list")]
    pub value_codes: Vec<ValueCodeRef<'a>>,
    #[serde(borrow, deserialize_with = "text_list_ref")]
    pub reason_for_visit: Vec<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub receipt_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub opps_flag: Option<Cow<'a, str>>,
}

/// A number as the claim's lenient number reader gives it (the JSON fast
/// path hands it the numbers it does not read itself).
#[derive(Debug, Deserialize)]
pub(crate) struct Number(#[serde(deserialize_with = "number")] pub Option<f64>);

/// [`Patient`], borrowed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PatientRef<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    pub sex: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub birth_date: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "number")]
    pub age: Option<f64>,
}

fn patient_ref<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<PatientRef<'a>, D::Error> {
    Ok(Option::<PatientRef<'a>>::deserialize(d)?.unwrap_or_default())
}

/// [`Diagnosis`], borrowed.
#[derive(Debug, Default)]
pub(crate) struct DiagnosisRef<'a> {
    pub code: Option<Cow<'a, str>>,
    pub poa: Option<Cow<'a, str>>,
}

/// A diagnosis object's fields.
#[derive(Default, Deserialize)]
#[serde(default)]
struct DiagnosisFields<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    code: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    poa: Option<Cow<'a, str>>,
}

/// A diagnosis is an object, or its code alone as a string.
struct DiagnosisVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for DiagnosisVisitor<'a> {
    type Value = DiagnosisRef<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a diagnosis: an object {\"code\": ..., \"poa\": ...} or a code as a string")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(DiagnosisRef {
            code: Some(Cow::Borrowed(v)),
            poa: None,
        })
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.visit_string(v.to_owned())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(DiagnosisRef {
            code: Some(Cow::Owned(v)),
            poa: None,
        })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let f = DiagnosisFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(DiagnosisRef {
            code: f.code,
            poa: f.poa,
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for DiagnosisRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DiagnosisVisitor(PhantomData))
    }
}

impl<'de> Deserialize<'de> for Diagnosis {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = DiagnosisRef::deserialize(d)?;
        Ok(Diagnosis {
            code: r.code.map(Cow::into_owned),
            poa: r.poa.map(Cow::into_owned),
        })
    }
}

/// [`Procedure`], borrowed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ProcedureRef<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    pub code: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub date: Option<Cow<'a, str>>,
}

/// [`ClaimLine`], borrowed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ClaimLineRef<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    pub code: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_list_ref")]
    pub modifiers: Vec<Cow<'a, str>>,
    #[serde(deserialize_with = "number")]
    pub units: Option<f64>,
    #[serde(deserialize_with = "pointers")]
    pub dx_pointers: Vec<i64>,
    #[serde(borrow, deserialize_with = "text_ref")]
    pub service_date: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "number")]
    #[allow(dead_code)] // read so that a bad charge is the same error as in `Claim`
    pub charge: Option<f64>,
    #[serde(borrow, deserialize_with = "text_ref")]
    #[allow(dead_code)] // read, not yet checked (the I/OCE editor, issue 23)
    pub revenue_code: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_list_ref")]
    #[allow(dead_code)] // read by the I/OCE editor only
    pub contractor_bypass_edits: Vec<Cow<'a, str>>,
}

/// [`OccurrenceCode`], borrowed.
#[derive(Debug, Default)]
pub(crate) struct OccurrenceCodeRef<'a> {
    pub code: Option<Cow<'a, str>>,
    pub date: Option<Cow<'a, str>>,
}

/// An occurrence code object's fields.
#[derive(Default, Deserialize)]
#[serde(default)]
struct OccurrenceFields<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    code: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text_ref")]
    date: Option<Cow<'a, str>>,
}

/// An occurrence code is an object, or its code alone as a string (as a
/// diagnosis is).
struct OccurrenceVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for OccurrenceVisitor<'a> {
    type Value = OccurrenceCodeRef<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an occurrence code: an object {\"code\": ..., \"date\": ...} or a code as a string",
        )
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(OccurrenceCodeRef {
            code: Some(Cow::Borrowed(v)),
            date: None,
        })
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.visit_string(v.to_owned())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(OccurrenceCodeRef {
            code: Some(Cow::Owned(v)),
            date: None,
        })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let f = OccurrenceFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(OccurrenceCodeRef {
            code: f.code,
            date: f.date,
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for OccurrenceCodeRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OccurrenceVisitor(PhantomData))
    }
}

impl<'de> Deserialize<'de> for OccurrenceCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = OccurrenceCodeRef::deserialize(d)?;
        Ok(OccurrenceCode {
            code: r.code.map(Cow::into_owned),
            date: r.date.map(Cow::into_owned),
        })
    }
}

/// [`ValueCode`], borrowed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ValueCodeRef<'a> {
    #[serde(borrow, deserialize_with = "text_ref")]
    pub code: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "number")]
    pub amount: Option<f64>,
}

// ---- strict mode: the fields no reader knows ------------------------------

/// The fields of each kind of object in the claim JSON, as [`Claim`] and
/// the borrowed readers name them (`tests` below compare these with serde's
/// lists, and the fast reader's tests with its own).
pub(crate) mod fields {
    /// A claim's fields.
    pub(crate) const CLAIM: &[&str] = &[
        "id",
        "type",
        "patient",
        "service_date",
        "admission_date",
        "discharge_date",
        "discharge_status",
        "diagnoses",
        "admitting_diagnosis",
        "procedures",
        "lines",
        "bill_type",
        "from_date",
        "through_date",
        "condition_codes",
        "occurrence_codes",
        "value_codes",
        "reason_for_visit",
        "receipt_date",
        "opps_flag",
    ];
    /// `patient`'s fields.
    pub(crate) const PATIENT: &[&str] = &["sex", "birth_date", "age"];
    /// A diagnosis object's fields.
    pub(crate) const DIAGNOSIS: &[&str] = &["code", "poa"];
    /// A procedure's fields.
    pub(crate) const PROCEDURE: &[&str] = &["code", "date"];
    /// A service line's fields.
    pub(crate) const LINE: &[&str] = &[
        "code",
        "modifiers",
        "units",
        "dx_pointers",
        "service_date",
        "charge",
        "revenue_code",
        "contractor_bypass_edits",
    ];
    /// An occurrence code object's fields.
    pub(crate) const OCCURRENCE: &[&str] = &["code", "date"];
    /// A value code's fields.
    pub(crate) const VALUE: &[&str] = &["code", "amount"];
}

/// A field of a claim's JSON that no field of the contract has: where it
/// is (`lines[0].modifer`), and the known field its name is closest to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownField {
    /// The field's path, as findings' `field` writes paths.
    pub path: String,
    /// The 0-based index of the service line it is in, if in one.
    pub line: Option<usize>,
    /// A known field of the same object whose name is one or two edits
    /// away (a misspelling), if any.
    pub suggestion: Option<&'static str>,
}

/// Whether a `bill_type` makes the claim an outpatient one, edited by the
/// I/OCE: any but blank or 11x (`medcode::ioce::is_outpatient`, the
/// router, and the rules' inpatient/outpatient split all ask this one).
pub(crate) fn outpatient_bill_type(bill_type: Option<&str>) -> bool {
    bill_type
        .map(str::trim)
        .is_some_and(|b| !b.is_empty() && !b.starts_with("11"))
}

/// The fields of a claim's JSON text that no reader knows, in the order of
/// their paths (objects' keys sorted, list items in order); empty when the
/// text is not a JSON object. Values that are not the kind the contract
/// wants (a `patient` that is a string) are not looked into: the claim's
/// reader reports those.
pub(crate) fn unknown_fields(json: &str) -> Vec<UnknownField> {
    use serde_json::Value;
    let Ok(Value::Object(claim)) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let check = |out: &mut Vec<UnknownField>,
                 map: &serde_json::Map<String, Value>,
                 known: &'static [&'static str],
                 prefix: &str,
                 line: Option<usize>| {
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            let mut path = String::from(prefix);
            if !path.is_empty() {
                path.push('.');
            }
            if key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !key.is_empty() {
                path.push_str(key);
            } else {
                // A name a path cannot hold plainly: quoted as JSON.
                path.push_str(&serde_json::to_string(key).unwrap_or_default());
            }
            out.push(UnknownField {
                path,
                line,
                suggestion: closest(key, known),
            });
        }
    };
    check(&mut out, &claim, fields::CLAIM, "", None);
    if let Some(Value::Object(p)) = claim.get("patient") {
        check(&mut out, p, fields::PATIENT, "patient", None);
    }
    let lists: [(&str, &'static [&'static str]); 5] = [
        ("diagnoses", fields::DIAGNOSIS),
        ("procedures", fields::PROCEDURE),
        ("lines", fields::LINE),
        ("occurrence_codes", fields::OCCURRENCE),
        ("value_codes", fields::VALUE),
    ];
    for (name, known) in lists {
        if let Some(Value::Array(items)) = claim.get(name) {
            for (i, item) in items.iter().enumerate() {
                if let Value::Object(map) = item {
                    let line = (name == "lines").then_some(i);
                    check(&mut out, map, known, &format!("{name}[{i}]"), line);
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The known name one or two edits (insert, delete, replace, swap two
/// neighbours) from `name`, ignoring case, if exactly one is that close
/// (the closest when several are).
fn closest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    if name.len() > 40 {
        return None;
    }
    known
        .iter()
        .map(|k| (edit_distance(name.as_bytes(), k.as_bytes()), *k))
        .filter(|(d, k)| *d <= 2 && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Optimal string alignment distance of two short byte strings.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * w + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * w + b.len()]
}

// ---- lenient field readers -------------------------------------------------

/// A string, or a number or boolean written as text; `null` is `None`.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(text_ref(d)?.map(Cow::into_owned))
}

/// [`text`], borrowing the string from the input when it can.
fn text_ref<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    d.deserialize_any(TextVisitor(PhantomData))
}

struct TextVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for TextVisitor<'a> {
    type Value = Option<Cow<'a, str>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Any JSON number (or a numeric string); `null` is `None`.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            v.trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| E::custom(format!("{v:?} is not a number")))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
}

/// A list; `null` is the empty list.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A list of strings (numbers written as text, nulls as empty strings); a
/// single string is a list of one.
fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(text_list_ref(d)?.into_iter().map(Cow::into_owned).collect())
}

/// [`text_list`], borrowing the strings from the input when it can.
fn text_list_ref<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'a, str>>, D::Error> {
    struct V<'a>(PhantomData<&'a ()>);
    impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
        type Value = Vec<Cow<'a, str>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0).min(16));
            while let Some(item) = a.next_element_seed(TextSeed(PhantomData))? {
                out.push(item.unwrap_or_default());
            }
            Ok(out)
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(vec![Cow::Borrowed(v)])
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![Cow::Owned(v.to_owned())])
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_any(V(PhantomData))
}

struct TextSeed<'a>(PhantomData<&'a ()>);
impl<'de: 'a, 'a> serde::de::DeserializeSeed<'de> for TextSeed<'a> {
    type Value = Option<Cow<'a, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TextVisitor(PhantomData))
    }
}

/// XORed into an `f64`'s bits to mark a pointer that is not a whole number:
/// only NaNs (which JSON cannot hold) and numbers below 1e-300 in magnitude
/// (read as 0) would land within ±2^50 of 0, where real pointers are.
const POINTER_MARK: u64 = 0x7FF8_0000_0000_0000;

/// A diagnosis pointer from a JSON number: the number itself when it is
/// whole and below 10^15 in magnitude, else a marker that keeps the number
/// (see [`pointer_text`]).
#[inline]
pub(crate) fn pointer_from_f64(v: f64) -> i64 {
    // Below 10^15 the cast is exact, so it round-trips exactly when `v` is
    // whole (as `v.fract() == 0.0`, without the library call `fract` makes
    // on baseline x86-64; NaN fails it).
    if v.abs() < 1e15 && (v as i64) as f64 == v {
        v as i64
    } else if v.is_nan() || v.abs() < 1e-300 {
        0
    } else {
        (v.to_bits() ^ POINTER_MARK) as i64
    }
}

/// The number a claim's diagnosis pointer holds, as text: the integer, or
/// for a pointer that is not a whole number below 10^15 (`1.5`, `1e300`)
/// that number as JSON wrote it (shortest form).
///
/// ```
/// use medcode::claim::{pointer_text, Claim};
/// let claim: Claim = serde_json::from_str(r#"{"lines": [{"dx_pointers": [2, 1.5, 1e300]}]}"#).unwrap();
/// let texts: Vec<String> = claim.lines[0].dx_pointers.iter().map(|&p| pointer_text(p)).collect();
/// assert_eq!(texts, ["2", "1.5", "1e300"]);
/// ```
pub fn pointer_text(p: i64) -> String {
    match pointer_number(p) {
        Some(v) => format!("{v:?}"),
        None => p.to_string(),
    }
}

/// The number a marked pointer holds (`None` for a whole pointer).
pub(crate) fn pointer_number(p: i64) -> Option<f64> {
    if p.unsigned_abs() < 1 << 50 {
        return None;
    }
    let v = f64::from_bits(p as u64 ^ POINTER_MARK);
    (v.is_finite() && (v.fract() != 0.0 || v.abs() >= 1e15)).then_some(v)
}

/// Diagnosis pointers: integers (a float with no fraction is accepted; any
/// other number is kept marked, see [`pointer_from_f64`]; `null` is 0, which
/// the pointer rule reports). `null` for the list is empty.
fn pointers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    struct V;
    struct P;
    impl<'de> serde::de::DeserializeSeed<'de> for P {
        type Value = i64;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
            Ok(number(d)?.map_or(0, pointer_from_f64))
        }
    }
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of diagnosis pointers")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0).min(16));
            while let Some(p) = a.next_element_seed(P)? {
                out.push(p);
            }
            Ok(out)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
}

/// A CPT or HCPCS Level II code for a claim line ([`ClaimBuilder::line`]).
impl From<crate::Cpt> for crate::load::ProcedureCode {
    fn from(c: crate::Cpt) -> Self {
        crate::load::ProcedureCode::Cpt(c)
    }
}

impl From<crate::Hcpcs> for crate::load::ProcedureCode {
    fn from(c: crate::Hcpcs) -> Self {
        crate::load::ProcedureCode::Hcpcs(c)
    }
}

impl Claim {
    /// A typed builder for a professional claim with service date `date`:
    /// it takes the typed codes ([`IcdCm`](crate::IcdCm),
    /// [`Cpt`](crate::Cpt), [`Hcpcs`](crate::Hcpcs),
    /// [`Modifier`](crate::Modifier)), [`Date`](crate::Date) and enums, so
    /// what it builds is well formed; the rules engine then says whether it
    /// is right.
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// use medcode::rules::{Engine, Sex};
    /// use medcode::{Cpt, Date, IcdCm, Modifier};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .id("CLM-1")
    ///     .patient(Sex::Female, 52)
    ///     .diagnosis("M17.11".parse::<IcdCm>()?)
    ///     .line("99213".parse::<Cpt>()?, 1)
    ///     .modifier("25".parse::<Modifier>()?)
    ///     .pointers(&[1])
    ///     .line("20610".parse::<Cpt>()?, 1)
    ///     .modifier("RT".parse::<Modifier>()?)
    ///     .pointers(&[1])
    ///     .build();
    /// assert_eq!(claim.lines[0].modifiers, ["25"]);
    /// let report = Engine::builder().build()?.check(&claim);
    /// assert!(!report.has_errors(), "{:?}", report.findings);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn professional(date: crate::Date) -> ClaimBuilder {
        ClaimBuilder(Claim {
            claim_type: Some("professional".into()),
            service_date: Some(date.to_string()),
            ..Claim::default()
        })
    }

    /// A typed builder for an institutional (inpatient) claim admitted on
    /// `admission` and discharged on `discharge` with UB-04 discharge status
    /// `status` (`1` = home); the statement date is the discharge date.
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// use medcode::rules::Sex;
    /// use medcode::{Date, IcdCm, IcdPcs};
    /// let claim = Claim::institutional(Date::new(2025, 11, 1)?, Date::new(2025, 11, 4)?, 1)
    ///     .patient(Sex::Male, 70)
    ///     .diagnosis_poa("I21.4".parse::<IcdCm>()?, 'Y')
    ///     .admitting_diagnosis("R07.9".parse::<IcdCm>()?)
    ///     .procedure("02703ZZ".parse::<IcdPcs>()?, Date::new(2025, 11, 2)?)
    ///     .build();
    /// assert_eq!(claim.discharge_status.as_deref(), Some("01"));
    /// assert_eq!(claim.diagnoses[0].poa.as_deref(), Some("Y"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn institutional(
        admission: crate::Date,
        discharge: crate::Date,
        status: u8,
    ) -> ClaimBuilder {
        ClaimBuilder(Claim {
            claim_type: Some("institutional".into()),
            service_date: Some(discharge.to_string()),
            admission_date: Some(admission.to_string()),
            discharge_date: Some(discharge.to_string()),
            discharge_status: Some(format!("{status:02}")),
            ..Claim::default()
        })
    }

    /// A typed builder for a UB-04 outpatient claim: type of bill
    /// `bill_type` (`"131"`), statement period `from` … `through` (the
    /// statement date, `service_date`, is `through`). `medcode check` reports
    /// the edits CMS's outpatient code editor raises on it (`ioce-NNN`).
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// use medcode::rules::Sex;
    /// use medcode::{Date, Hcpcs, IcdCm};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day)
    ///     .patient(Sex::Female, 70)
    ///     .diagnosis("N18.6".parse::<IcdCm>()?)
    ///     .reason_for_visit("R07.9".parse::<IcdCm>()?)
    ///     .condition_code("G0")
    ///     .line("G0463".parse::<Hcpcs>()?, 1)
    ///     .revenue_code("0510")
    ///     .build();
    /// assert_eq!(claim.bill_type.as_deref(), Some("131"));
    /// assert_eq!(claim.from_date.as_deref(), Some("2025-03-01"));
    /// assert_eq!(claim.lines[0].revenue_code.as_deref(), Some("0510"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outpatient(
        bill_type: impl Into<String>,
        from: crate::Date,
        through: crate::Date,
    ) -> ClaimBuilder {
        ClaimBuilder(Claim {
            claim_type: Some("institutional".into()),
            service_date: Some(through.to_string()),
            bill_type: Some(bill_type.into()),
            from_date: Some(from.to_string()),
            through_date: Some(through.to_string()),
            ..Claim::default()
        })
    }
}

/// Builds a [`Claim`] from typed values: see [`Claim::professional`],
/// [`Claim::institutional`] and [`Claim::outpatient`]. Line settings
/// ([`modifier`](Self::modifier), [`pointers`](Self::pointers),
/// [`charge`](Self::charge), [`revenue_code`](Self::revenue_code)) apply
/// to the line added last.
///
/// ```
/// use medcode::{claim::Claim, Cpt, Date, IcdCm};
/// let claim = Claim::professional(Date::new(2025, 11, 3)?)
///     .diagnosis("E11.9".parse::<IcdCm>()?)
///     .line("99213".parse::<Cpt>()?, 1)
///     .pointers(&[1]) // the line added last: 99213
///     .build();
/// assert_eq!(claim.lines[0].dx_pointers, [1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build`"]
pub struct ClaimBuilder(Claim);

impl ClaimBuilder {
    /// The claim's identifier.
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?).id("CLM-1").build();
    /// assert_eq!(claim.id.as_deref(), Some("CLM-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.0.id = Some(id.into());
        self
    }

    /// The patient's sex and age in years.
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::Sex, Date};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?).patient(Sex::Female, 52).build();
    /// let patient = claim.patient.unwrap();
    /// assert_eq!((patient.sex.as_deref(), patient.age), (Some("F"), Some(52.0)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn patient(mut self, sex: Sex, age: u32) -> Self {
        let p = self.0.patient.get_or_insert_with(Patient::default);
        p.sex = sex_text(sex);
        p.age = Some(f64::from(age));
        self
    }

    /// The patient's date of birth (the age is then computed on the claim's date).
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .birth_date(Date::new(1990, 5, 1)?)
    ///     .build();
    /// assert_eq!(claim.patient.unwrap().birth_date.as_deref(), Some("1990-05-01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn birth_date(mut self, date: crate::Date) -> Self {
        let p = self.0.patient.get_or_insert_with(Patient::default);
        p.birth_date = Some(date.to_string());
        self
    }

    /// Adds a diagnosis (the first is the principal or first-listed).
    ///
    /// ```
    /// use medcode::{claim::Claim, Date, IcdCm};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .diagnosis("e119".parse::<IcdCm>()?)
    ///     .diagnosis("I10".parse::<IcdCm>()?)
    ///     .build();
    /// assert_eq!(claim.diagnoses[0].code.as_deref(), Some("E11.9"));
    /// assert_eq!(claim.diagnoses.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn diagnosis(mut self, code: crate::IcdCm) -> Self {
        self.0.diagnoses.push(Diagnosis::new(code.to_string()));
        self
    }

    /// Adds a diagnosis with its present-on-admission indicator (`Y`, `N`,
    /// `U`, `W` or `1`).
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::{Engine, Sex}, Date, IcdCm};
    /// let claim = Claim::institutional(Date::new(2025, 11, 1)?, Date::new(2025, 11, 4)?, 1)
    ///     .patient(Sex::Male, 70)
    ///     .diagnosis_poa("I21.4".parse::<IcdCm>()?, 'X')
    ///     .build();
    /// let report = Engine::builder().build()?.check(&claim);
    /// assert!(report.findings.iter().any(|f| f.rule == "invalid-poa")); // X is no POA indicator
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn diagnosis_poa(mut self, code: crate::IcdCm, poa: char) -> Self {
        self.0.diagnoses.push(Diagnosis {
            code: Some(code.to_string()),
            poa: Some(poa.to_string()),
        });
        self
    }

    /// The admitting diagnosis (institutional).
    ///
    /// ```
    /// use medcode::{claim::Claim, Date, IcdCm};
    /// let claim = Claim::institutional(Date::new(2025, 11, 1)?, Date::new(2025, 11, 4)?, 1)
    ///     .admitting_diagnosis("R07.9".parse::<IcdCm>()?)
    ///     .build();
    /// assert_eq!(claim.admitting_diagnosis.as_deref(), Some("R07.9"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn admitting_diagnosis(mut self, code: crate::IcdCm) -> Self {
        self.0.admitting_diagnosis = Some(code.to_string());
        self
    }

    /// Adds an ICD-10-PCS procedure done on `date` (institutional).
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::{Engine, Sex}, Date, IcdCm, IcdPcs};
    /// let claim = Claim::institutional(Date::new(2025, 11, 1)?, Date::new(2025, 11, 4)?, 1)
    ///     .patient(Sex::Male, 70)
    ///     .diagnosis_poa("I21.4".parse::<IcdCm>()?, 'Y')
    ///     .procedure("02703ZZ".parse::<IcdPcs>()?, Date::new(2025, 12, 2)?) // after discharge
    ///     .build();
    /// let report = Engine::builder().build()?.check(&claim);
    /// assert!(report.findings.iter().any(|f| f.field.as_deref() == Some("procedures[0].date")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn procedure(mut self, code: crate::IcdPcs, date: crate::Date) -> Self {
        self.0.procedures.push(Procedure {
            code: Some(code.to_string()),
            date: Some(date.to_string()),
        });
        self
    }

    /// Adds a service line: a CPT or HCPCS Level II code and its units.
    ///
    /// ```
    /// use medcode::{claim::Claim, Cpt, Date, Hcpcs};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .line("96372".parse::<Cpt>()?, 1)
    ///     .line("J1100".parse::<Hcpcs>()?, 10)
    ///     .build();
    /// assert_eq!(claim.lines[1].code.as_deref(), Some("J1100"));
    /// assert_eq!(claim.lines[1].units, Some(10.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line(mut self, code: impl Into<crate::load::ProcedureCode>, units: u32) -> Self {
        let text = match code.into() {
            crate::load::ProcedureCode::Cpt(c) => c.to_string(),
            crate::load::ProcedureCode::Hcpcs(c) => c.to_string(),
        };
        self.0.lines.push(ClaimLine {
            units: Some(f64::from(units)),
            ..ClaimLine::new(text)
        });
        self
    }

    /// Adds a modifier to the last line (no effect before the first line).
    ///
    /// ```
    /// use medcode::{claim::Claim, Cpt, Date, Modifier};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .line("20610".parse::<Cpt>()?, 1)
    ///     .modifier("RT".parse::<Modifier>()?)
    ///     .build();
    /// assert_eq!(claim.lines[0].modifiers, ["RT"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modifier(mut self, modifier: crate::Modifier) -> Self {
        if let Some(l) = self.0.lines.last_mut() {
            l.modifiers.push(modifier.to_string());
        }
        self
    }

    /// Sets the last line's 1-based diagnosis pointers.
    ///
    /// ```
    /// use medcode::{claim::Claim, rules::{Engine, Sex}, Cpt, Date, IcdCm};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .patient(Sex::Female, 52)
    ///     .diagnosis("E11.9".parse::<IcdCm>()?)
    ///     .line("99213".parse::<Cpt>()?, 1)
    ///     .pointers(&[2]) // the claim has one diagnosis
    ///     .build();
    /// let report = Engine::builder().build()?.check(&claim);
    /// assert_eq!(report.findings[0].rule, "dx-pointer-invalid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pointers(mut self, pointers: &[u8]) -> Self {
        if let Some(l) = self.0.lines.last_mut() {
            l.dx_pointers = pointers.iter().map(|&p| i64::from(p)).collect();
        }
        self
    }

    /// Sets the last line's charge.
    ///
    /// ```
    /// use medcode::{claim::Claim, Cpt, Date};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?)
    ///     .line("99213".parse::<Cpt>()?, 1)
    ///     .charge(125.0)
    ///     .build();
    /// assert_eq!(claim.lines[0].charge, Some(125.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charge(mut self, charge: f64) -> Self {
        if let Some(l) = self.0.lines.last_mut() {
            l.charge = Some(charge);
        }
        self
    }

    /// Sets the last line's UB-04 revenue code (`"0300"`).
    ///
    /// ```
    /// use medcode::{claim::Claim, Cpt, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day)
    ///     .line("80053".parse::<Cpt>()?, 1)
    ///     .revenue_code("0301")
    ///     .build();
    /// assert_eq!(claim.lines[0].revenue_code.as_deref(), Some("0301"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn revenue_code(mut self, code: impl Into<String>) -> Self {
        if let Some(l) = self.0.lines.last_mut() {
            l.revenue_code = Some(code.into());
        }
        self
    }

    /// Bypasses an I/OCE edit on the last line, as a Medicare contractor
    /// does ([`ClaimLine::contractor_bypass_edits`]).
    ///
    /// ```
    /// use medcode::{claim::Claim, Cpt, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day)
    ///     .line("99213".parse::<Cpt>()?, 1)
    ///     .revenue_code("0510")
    ///     .bypass_edit("062")
    ///     .build();
    /// assert_eq!(claim.lines[0].contractor_bypass_edits, ["062"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bypass_edit(mut self, edit: impl Into<String>) -> Self {
        if let Some(l) = self.0.lines.last_mut() {
            l.contractor_bypass_edits.push(edit.into());
        }
        self
    }

    /// Adds a UB-04 condition code (`"G0"`).
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day).condition_code("G0").build();
    /// assert_eq!(claim.condition_codes, ["G0"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn condition_code(mut self, code: impl Into<String>) -> Self {
        self.0.condition_codes.push(code.into());
        self
    }

    /// Adds a UB-04 occurrence code and its date.
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day)
    ///     .occurrence_code("11", Date::new(2025, 2, 27)?)
    ///     .build();
    /// assert_eq!(claim.occurrence_codes[0].date.as_deref(), Some("2025-02-27"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn occurrence_code(mut self, code: impl Into<String>, date: crate::Date) -> Self {
        self.0.occurrence_codes.push(OccurrenceCode {
            code: Some(code.into()),
            date: Some(date.to_string()),
        });
        self
    }

    /// Adds a UB-04 value code and its amount.
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day).value_code("48", 11.2).build();
    /// assert_eq!(claim.value_codes[0].amount, Some(11.2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value_code(mut self, code: impl Into<String>, amount: f64) -> Self {
        self.0.value_codes.push(ValueCode {
            code: Some(code.into()),
            amount: Some(amount),
        });
        self
    }

    /// Adds a patient's reason for visit (UB-04 form locator 70).
    ///
    /// ```
    /// use medcode::{claim::Claim, Date, IcdCm};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day)
    ///     .reason_for_visit("r079".parse::<IcdCm>()?)
    ///     .build();
    /// assert_eq!(claim.reason_for_visit, ["R07.9"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reason_for_visit(mut self, code: crate::IcdCm) -> Self {
        self.0.reason_for_visit.push(code.to_string());
        self
    }

    /// Sets the date the claim was received (the I/OCE's receipt date).
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("131", day, day)
    ///     .receipt_date(Date::new(2025, 3, 4)?)
    ///     .build();
    /// assert_eq!(claim.receipt_date.as_deref(), Some("2025-03-04"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn receipt_date(mut self, date: crate::Date) -> Self {
        self.0.receipt_date = Some(date.to_string());
        self
    }

    /// Sets the I/OCE's OPPS flag: `"1"` a hospital paid under OPPS (as
    /// without the flag), `"2"` one that is not.
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let day = Date::new(2025, 3, 1)?;
    /// let claim = Claim::outpatient("851", day, day).opps_flag("2").build();
    /// assert_eq!(claim.opps_flag.as_deref(), Some("2"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn opps_flag(mut self, flag: impl Into<String>) -> Self {
        self.0.opps_flag = Some(flag.into());
        self
    }

    /// The claim.
    ///
    /// ```
    /// use medcode::{claim::Claim, Date};
    /// let claim = Claim::professional(Date::new(2025, 11, 3)?).build();
    /// assert_eq!(claim.claim_type.as_deref(), Some("professional"));
    /// assert_eq!(claim.service_date.as_deref(), Some("2025-11-03"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Claim {
        self.0
    }
}

fn sex_text(sex: Sex) -> Option<String> {
    match sex {
        Sex::Male => Some("M".into()),
        Sex::Female => Some("F".into()),
        Sex::Unknown => Some("U".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field names serde's derived `Deserialize` reads for `T`: a
    /// deserializer that stops at `deserialize_struct` and keeps its list.
    fn serde_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
        struct Grab(Option<&'static [&'static str]>);
        #[derive(Debug)]
        struct Stop;
        impl fmt::Display for Stop {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("stop")
            }
        }
        impl std::error::Error for Stop {}
        impl serde::de::Error for Stop {
            fn custom<M: fmt::Display>(_: M) -> Stop {
                Stop
            }
        }
        impl<'de> Deserializer<'de> for &mut Grab {
            type Error = Stop;
            fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
                Err(Stop)
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Stop> {
                self.0 = Some(fields);
                Err(Stop)
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                bytes byte_buf option unit unit_struct newtype_struct seq tuple
                tuple_struct map enum identifier ignored_any
            }
        }
        let mut grab = Grab(None);
        let _ = T::deserialize(&mut grab);
        grab.0.expect("a struct")
    }

    /// Strict mode's lists are the fields serde reads, owned and borrowed.
    #[test]
    fn strict_fields_are_serdes() {
        assert_eq!(serde_fields::<Claim>(), fields::CLAIM);
        assert_eq!(serde_fields::<ClaimRef<'_>>(), fields::CLAIM);
        assert_eq!(serde_fields::<Patient>(), fields::PATIENT);
        assert_eq!(serde_fields::<PatientRef<'_>>(), fields::PATIENT);
        assert_eq!(serde_fields::<DiagnosisFields<'_>>(), fields::DIAGNOSIS);
        assert_eq!(serde_fields::<Procedure>(), fields::PROCEDURE);
        assert_eq!(serde_fields::<ProcedureRef<'_>>(), fields::PROCEDURE);
        assert_eq!(serde_fields::<ClaimLine>(), fields::LINE);
        assert_eq!(serde_fields::<ClaimLineRef<'_>>(), fields::LINE);
        assert_eq!(serde_fields::<OccurrenceFields<'_>>(), fields::OCCURRENCE);
        assert_eq!(serde_fields::<ValueCode>(), fields::VALUE);
        assert_eq!(serde_fields::<ValueCodeRef<'_>>(), fields::VALUE);
    }

    /// An outpatient claim with every UB-04 field.
    fn outpatient() -> Claim {
        Claim {
            id: Some("O-1".into()),
            claim_type: Some("institutional".into()),
            service_date: Some("2025-03-02".into()),
            diagnoses: vec![Diagnosis::new("N18.6")],
            lines: vec![ClaimLine {
                units: Some(1.0),
                service_date: Some("2025-03-01".into()),
                revenue_code: Some("0510".into()),
                ..ClaimLine::new("G0463")
            }],
            bill_type: Some("131".into()),
            from_date: Some("2025-03-01".into()),
            through_date: Some("2025-03-02".into()),
            condition_codes: vec!["G0".into()],
            occurrence_codes: vec![
                OccurrenceCode {
                    date: Some("2025-02-27".into()),
                    ..OccurrenceCode::new("11")
                },
                OccurrenceCode::new("A1"),
            ],
            value_codes: vec![ValueCode {
                code: Some("48".into()),
                amount: Some(11.2),
            }],
            reason_for_visit: vec!["R07.9".into()],
            receipt_date: Some("2025-03-05".into()),
            opps_flag: Some("2".into()),
            ..Default::default()
        }
    }

    #[test]
    fn reads_each_ub04_field() {
        let claim: Claim = serde_json::from_str(
            r#"{"bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-02",
                "condition_codes": ["G0", 44, null], "reason_for_visit": "R07.9",
                "occurrence_codes": ["A1", {"code": "11", "date": "2025-02-27"}, {"code": 11}],
                "value_codes": [{"code": "48", "amount": 11.2}, {"code": "A2", "amount": "40"}, {}],
                "lines": [{"code": "G0463", "revenue_code": "0510"}, {"revenue_code": 300}]}"#,
        )
        .unwrap();
        assert_eq!(claim.bill_type.as_deref(), Some("131"));
        assert_eq!(claim.from_date.as_deref(), Some("2025-03-01"));
        assert_eq!(claim.through_date.as_deref(), Some("2025-03-02"));
        assert_eq!(claim.condition_codes, ["G0", "44", ""]);
        assert_eq!(claim.reason_for_visit, ["R07.9"]);
        assert_eq!(claim.receipt_date, None);
        assert_eq!(claim.opps_flag, None);
        assert_eq!(
            claim.occurrence_codes,
            [
                OccurrenceCode::new("A1"),
                OccurrenceCode {
                    date: Some("2025-02-27".into()),
                    ..OccurrenceCode::new("11")
                },
                OccurrenceCode::new("11"),
            ]
        );
        let amounts: Vec<_> = claim.value_codes.iter().map(|v| v.amount).collect();
        assert_eq!(amounts, [Some(11.2), Some(40.0), None]);
        assert_eq!(claim.value_codes[1].code.as_deref(), Some("A2"));
        assert_eq!(claim.lines[0].revenue_code.as_deref(), Some("0510"));
        // A number is its digits: a leading zero written as a number is gone.
        assert_eq!(claim.lines[1].revenue_code.as_deref(), Some("300"));
        // Absent, or null: empty.
        let none: Claim = serde_json::from_str(
            r#"{"bill_type": null, "condition_codes": null, "occurrence_codes": null, "value_codes": null}"#,
        )
        .unwrap();
        assert_eq!(none, Claim::default());
        // The same shapes refused as in the older fields (an item of the
        // wrong kind): the engine reports such a claim as not read.
        for bad in [
            r#"{"value_codes": ["48"]}"#,
            r#"{"occurrence_codes": [7]}"#,
            r#"{"condition_codes": {"code": "G0"}}"#,
            r#"{"value_codes": [{"amount": "eleven"}]}"#,
            r#"{"receipt_date": ["2025-03-01"]}"#,
            r#"{"opps_flag": {"flag": "2"}}"#,
        ] {
            assert!(serde_json::from_str::<Claim>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<ClaimRef<'_>>(bad).is_err(), "{bad}");
        }
    }

    /// `receipt_date` and `opps_flag`: text as written (a number as its
    /// digits), `null` as absent; the same owned, borrowed and on the fast
    /// path, in serde's order and in alphabetical order.
    #[test]
    fn reads_receipt_date_and_opps_flag() {
        for (json, receipt, opps) in [
            (
                r#"{"receipt_date":"2025-03-04","opps_flag":"2"}"#,
                Some("2025-03-04"),
                Some("2"),
            ),
            (
                r#"{"bill_type":"851","opps_flag":1,"receipt_date":"2025-03-04"}"#,
                Some("2025-03-04"),
                Some("1"),
            ),
            (
                r#"{"opps_flag":" 2 ","receipt_date":20250304}"#,
                Some("20250304"),
                Some(" 2 "),
            ),
            (r#"{"opps_flag":null,"receipt_date":null}"#, None, None),
            (
                r#"{"opps_flag":"X","receipt_date":"soon"}"#,
                Some("soon"),
                Some("X"),
            ),
        ] {
            let claim: Claim = serde_json::from_str(json).unwrap();
            assert_eq!(claim.receipt_date.as_deref(), receipt, "{json}");
            assert_eq!(claim.opps_flag.as_deref(), opps, "{json}");
            let slow: ClaimRef<'_> = serde_json::from_str(json).unwrap();
            assert_eq!(slow.receipt_date.as_deref(), receipt, "{json}");
            assert_eq!(slow.opps_flag.as_deref(), opps, "{json}");
            let mut fast = ClaimRef::default();
            if fast_json::read_claim(json, &mut fast).is_some() {
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{json}");
            }
            assert!(unknown_fields(json).is_empty(), "{json}");
        }
        // The fast reader answers the compact shapes itself.
        for json in [
            r#"{"id":"1","bill_type":"131","reason_for_visit":["R07.9"],"receipt_date":"2025-03-04","opps_flag":"2"}"#,
            r#"{"bill_type":"131","id":"1","opps_flag":"2","receipt_date":"2025-03-04"}"#,
            r#"{"receipt_date":"2025-03-04","id":"1","opps_flag":"1"}"#,
        ] {
            let mut fast = ClaimRef::default();
            assert!(fast_json::read_claim(json, &mut fast).is_some(), "{json}");
            let slow: ClaimRef<'_> = serde_json::from_str(json).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{json}");
        }
        // A misspelling is named.
        let found = unknown_fields(r#"{"opps_flg": "2", "reciept_date": "2025-03-04"}"#);
        let got: Vec<_> = found
            .iter()
            .map(|u| (u.path.as_str(), u.suggestion))
            .collect();
        assert_eq!(
            got,
            [
                ("opps_flg", Some("opps_flag")),
                ("reciept_date", Some("receipt_date"))
            ]
        );
    }

    /// A claim written by serde reads back the same, owned and borrowed
    /// (the fast reader answering), and the older claims write as before.
    #[test]
    fn ub04_fields_round_trip() {
        let claim = outpatient();
        let json = serde_json::to_string(&claim).unwrap();
        assert!(json.ends_with(
            r#""bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-02","condition_codes":["G0"],"occurrence_codes":[{"code":"11","date":"2025-02-27"},{"code":"A1"}],"value_codes":[{"code":"48","amount":11.2}],"reason_for_visit":["R07.9"],"receipt_date":"2025-03-05","opps_flag":"2"}"#
        ), "{json}");
        assert!(json.contains(r#""revenue_code":"0510""#), "{json}");
        assert_eq!(serde_json::from_str::<Claim>(&json).unwrap(), claim);
        let mut fast = ClaimRef::default();
        assert!(fast_json::read_claim(&json, &mut fast).is_some(), "{json}");
        let slow: ClaimRef<'_> = serde_json::from_str(&json).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
        assert!(unknown_fields(&json).is_empty());
        // Without the UB-04 fields nothing of them is written.
        let plain = Claim {
            lines: vec![ClaimLine::new("99213")],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"lines":[{"code":"99213"}]}"#
        );
    }

    #[test]
    fn unknown_ub04_fields_are_named_by_path() {
        let found = unknown_fields(
            r#"{"bill_typ": "131", "occurrence_codes": ["11", {"code": "11", "dte": "x"}],
                "value_codes": [{"code": "48", "amout": 1}], "lines": [{"revenue": "0300"}]}"#,
        );
        let got: Vec<_> = found
            .iter()
            .map(|u| (u.path.as_str(), u.line, u.suggestion))
            .collect();
        assert_eq!(
            got,
            [
                ("bill_typ", None, Some("bill_type")),
                ("lines[0].revenue", Some(0), None),
                ("occurrence_codes[1].dte", None, Some("date")),
                ("value_codes[0].amout", None, Some("amount")),
            ]
        );
    }

    #[test]
    fn unknown_fields_are_named_by_path() {
        let found = unknown_fields(
            r#"{"payer": 1, "patient": {"sexx": "F"}, "diagnoses": ["E11.9", {"code": "I10", "POA": "Y"}],
                "procedures": [{"code": "0SRD0JZ", "dat": "2025-11-01"}],
                "lines": [{"code": "99213"}, {"code": "73562", "modifer": ["25"], "a b": 1}]}"#,
        );
        let got: Vec<_> = found
            .iter()
            .map(|u| (u.path.as_str(), u.line, u.suggestion))
            .collect();
        assert_eq!(
            got,
            [
                ("diagnoses[1].POA", None, Some("poa")),
                ("lines[1].\"a b\"", Some(1), None),
                ("lines[1].modifer", Some(1), Some("modifiers")),
                ("patient.sexx", None, Some("sex")),
                ("payer", None, None),
                ("procedures[0].dat", None, Some("date")),
            ]
        );
        assert!(unknown_fields("[]").is_empty());
        assert!(unknown_fields("not json").is_empty());
        assert!(unknown_fields(r#"{"patient": "x", "lines": [1, "a"]}"#).is_empty());
    }
}
