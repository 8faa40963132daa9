//! Claims given as JSON, grouped: the one contract `medcode group`, the C
//! ABI (`medcode_group_json`, `medcode_group_jsonl`) and Python share, so
//! that a claim that cannot be grouped is said the same way everywhere.
//!
//! A line (or claim text) becomes either a grouping
//! ([`Grouping::write_json`]) or `{"claim_id": …, "line": N, "error": "…"}`
//! ([`ClaimNotGrouped`]): text that is not a claim, an outpatient or
//! professional claim, or a claim no MS-DRG version groups.

use std::fmt;
use std::str::FromStr;

use super::{GroupInput, GroupOptions, Grouper, Grouping, HospitalStatus, TieBreaker};
use crate::claim::{fast_json, Claim, ClaimRef};
use crate::json_scan::{push_json_str, push_opt_str, push_usize};
use crate::scratch::relabel_forgetting;
use crate::Date;

/// An option value that is not one of the option's names (see
/// [`GroupOptions::from_json`] and the `FromStr` impls of
/// [`HospitalStatus`] and [`TieBreaker`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidOption {
    /// The option (`version`, `hospital`, `tie_breaker`, or the options object).
    pub option: &'static str,
    /// Why, with the accepted values.
    pub message: String,
}

impl fmt::Display for InvalidOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.option, self.message)
    }
}

impl std::error::Error for InvalidOption {}

impl HospitalStatus {
    /// `"not-exempt"`, `"exempt"` or `"unknown"`: the names `FromStr` reads.
    pub fn as_str(self) -> &'static str {
        match self {
            HospitalStatus::NotExempt => "not-exempt",
            HospitalStatus::Exempt => "exempt",
            HospitalStatus::Unknown => "unknown",
        }
    }
}

impl FromStr for HospitalStatus {
    type Err = InvalidOption;

    /// `exempt`, `not-exempt` (also `not_exempt`, `nonexempt`) or `unknown`, any case.
    ///
    /// ```
    /// use medcode::drg::HospitalStatus;
    /// assert_eq!("Exempt".parse::<HospitalStatus>()?, HospitalStatus::Exempt);
    /// assert_eq!("not_exempt".parse::<HospitalStatus>()?, HospitalStatus::NotExempt);
    /// assert!("maybe".parse::<HospitalStatus>().is_err());
    /// # Ok::<(), medcode::drg::InvalidOption>(())
    /// ```
    fn from_str(s: &str) -> Result<HospitalStatus, InvalidOption> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        match t.as_str() {
            "exempt" => Ok(HospitalStatus::Exempt),
            "not-exempt" | "nonexempt" | "non-exempt" | "notexempt" => {
                Ok(HospitalStatus::NotExempt)
            }
            "unknown" => Ok(HospitalStatus::Unknown),
            _ => Err(InvalidOption {
                option: "hospital",
                message: format!("{s:?} is not one of exempt, not-exempt, unknown"),
            }),
        }
    }
}

impl TieBreaker {
    /// `"clinical"` or `"alphabetical"`: the names `FromStr` reads.
    pub fn as_str(self) -> &'static str {
        match self {
            TieBreaker::ClinicalSignificance => "clinical",
            TieBreaker::Alphabetical => "alphabetical",
        }
    }
}

impl FromStr for TieBreaker {
    type Err = InvalidOption;

    /// `clinical` (also `clinical-significance`) or `alphabetical`, any case.
    ///
    /// ```
    /// use medcode::drg::TieBreaker;
    /// assert_eq!("clinical".parse::<TieBreaker>()?, TieBreaker::ClinicalSignificance);
    /// assert_eq!("ALPHABETICAL".parse::<TieBreaker>()?, TieBreaker::Alphabetical);
    /// # Ok::<(), medcode::drg::InvalidOption>(())
    /// ```
    fn from_str(s: &str) -> Result<TieBreaker, InvalidOption> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        match t.as_str() {
            "clinical" | "clinical-significance" => Ok(TieBreaker::ClinicalSignificance),
            "alphabetical" => Ok(TieBreaker::Alphabetical),
            _ => Err(InvalidOption {
                option: "tie_breaker",
                message: format!("{s:?} is not one of clinical, alphabetical"),
            }),
        }
    }
}

impl GroupOptions {
    /// Options from JSON, as the C ABI and the Python package take them:
    /// `{"version": "43.1", "hospital": "exempt", "tie_breaker":
    /// "alphabetical"}`, every key optional (a missing or `null` key keeps
    /// the default: the version in force on the discharge date, not exempt,
    /// clinical significance); an empty text is the defaults. An unknown key
    /// is an error, so that a misspelt option is never ignored.
    ///
    /// ```
    /// use medcode::drg::{GroupOptions, HospitalStatus, MsdrgVersion};
    /// let o = GroupOptions::from_json(r#"{"version": "v43.1", "hospital": "exempt"}"#)?;
    /// assert_eq!(o.version, Some(MsdrgVersion::V43_1));
    /// assert_eq!(o.hospital, HospitalStatus::Exempt);
    /// assert!(GroupOptions::from_json(r#"{"hospitl": "exempt"}"#).is_err());
    /// # Ok::<(), medcode::drg::InvalidOption>(())
    /// ```
    pub fn from_json(json: &str) -> Result<GroupOptions, InvalidOption> {
        let mut o = GroupOptions::default();
        if json.trim().is_empty() {
            return Ok(o);
        }
        let bad = |message: String| InvalidOption {
            option: "options",
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| bad(format!("not valid JSON: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(bad(
                "expected a JSON object {\"version\", \"hospital\", \"tie_breaker\", \"affects_drg\"}".into(),
            ));
        };
        for (key, v) in &map {
            if key == "affects_drg" {
                match v {
                    serde_json::Value::Bool(b) => o.affects_drg = *b,
                    serde_json::Value::Null => {}
                    other => {
                        return Err(bad(format!(
                            "affects_drg must be true or false, not {other}"
                        )))
                    }
                }
                continue;
            }
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.clone(),
                // A version may be written as a number (43.1, 431).
                serde_json::Value::Number(n) if key == "version" => n.to_string(),
                other => {
                    return Err(bad(format!("{key} must be a string, not {other}")));
                }
            };
            match key.as_str() {
                "version" => {
                    o.version =
                        Some(
                            text.parse()
                                .map_err(|e: super::UnknownVersion| InvalidOption {
                                    option: "version",
                                    message: e.to_string(),
                                })?,
                        );
                }
                "hospital" => o.hospital = text.parse()?,
                "tie_breaker" => o.tie_breaker = text.parse()?,
                _ => {
                    return Err(bad(format!(
                        "unknown option {key:?} (the options are version, hospital, tie_breaker, affects_drg)"
                    )))
                }
            }
        }
        Ok(o)
    }
}

/// A claim read from JSON and grouped: its id and its grouping.
#[derive(Debug, Clone)]
pub struct GroupedClaim {
    /// The claim's `id`.
    pub claim_id: Option<String>,
    /// The grouping.
    pub grouping: Grouping,
}

impl GroupedClaim {
    /// [`Grouping::to_json`] with the claim's id.
    pub fn to_json(&self, line: Option<usize>) -> String {
        self.grouping.to_json(self.claim_id.as_deref(), line)
    }
}

/// Why a claim given as JSON was not grouped: its id (when it could be
/// read) and a message that says what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNotGrouped {
    /// The claim's `id`, when the text was a claim.
    pub claim_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ClaimNotGrouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.claim_id {
            Some(id) => write!(f, "claim {id:?}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ClaimNotGrouped {}

impl ClaimNotGrouped {
    fn unread(message: String) -> ClaimNotGrouped {
        ClaimNotGrouped {
            claim_id: None,
            message,
        }
    }

    /// The answer for an input line longer than `limit` bytes, which was not read.
    pub fn line_too_long(limit: usize) -> ClaimNotGrouped {
        ClaimNotGrouped::unread(format!("line longer than {limit} bytes: not read"))
    }

    /// `{"claim_id": …, "line": N, "error": "…"}` (`line` left out when `None`).
    ///
    /// ```
    /// use medcode::drg::{GroupOptions, Grouper};
    /// let e = Grouper::new()
    ///     .group_json(r#"{"id": "P1", "type": "professional"}"#, &GroupOptions::default())
    ///     .unwrap_err();
    /// assert!(e.to_json(Some(3)).starts_with(r#"{"claim_id":"P1","line":3,"error":"claim type \"professional\" is not institutional"#));
    /// ```
    pub fn to_json(&self, line: Option<usize>) -> String {
        let mut out = String::with_capacity(64 + self.message.len());
        self.write_json(line, &mut out);
        out
    }

    /// Appends [`to_json`](Self::to_json)'s object to `out`.
    pub fn write_json(&self, line: Option<usize>, out: &mut String) {
        out.push_str("{\"claim_id\":");
        push_opt_str(out, self.claim_id.as_deref());
        if let Some(n) = line {
            out.push_str(",\"line\":");
            push_usize(out, n);
        }
        out.push_str(",\"error\":");
        push_json_str(out, &self.message);
        out.push('}');
    }
}

/// Appends a claim's answer, grouped or not, as one JSON object (no newline).
/// Returns whether it was grouped.
pub fn write_group_result(
    result: &Result<GroupedClaim, ClaimNotGrouped>,
    line: Option<usize>,
    out: &mut String,
) -> bool {
    match result {
        Ok(g) => {
            g.grouping.write_json(g.claim_id.as_deref(), line, out);
            true
        }
        Err(e) => {
            e.write_json(line, out);
            false
        }
    }
}

fn not_a_date(d: &str, e: crate::ParseDateError) -> String {
    format!(
        "discharge_date {d:?} is not a date YYYY-MM-DD ({e}): no MS-DRG version \
         can be chosen for it (name one to group anyway)"
    )
}

/// Whether the claim is an inpatient (institutional) claim, else why not.
fn inpatient(claim: &Claim) -> Result<(), String> {
    inpatient_parts(
        claim.claim_type.as_deref(),
        claim.admission_date.is_some()
            || claim.discharge_date.is_some()
            || !claim.procedures.is_empty(),
    )
}

/// [`inpatient`] from the claim's type and whether it has a stay (admission
/// or discharge date) or procedures.
fn inpatient_parts(claim_type: Option<&str>, stay_or_procedures: bool) -> Result<(), String> {
    const NOT_YET: &str = "MS-DRG grouping is for inpatient claims (`medcode group` edits an outpatient claim with its bill_type, other than 11x, as CMS's I/OCE does)";
    match claim_type.map(super::trim) {
        // The usual spelling first.
        Some("institutional") => Ok(()),
        Some(t) => {
            let institutional = ["institutional", "i", "837i", "ub-04", "ub04"]
                .iter()
                .any(|n| t.eq_ignore_ascii_case(n));
            if institutional {
                Ok(())
            } else {
                Err(format!(
                    "claim type {:?} is not institutional: {NOT_YET}",
                    t.to_ascii_lowercase()
                ))
            }
        }
        // As `check` reads a claim without a type: institutional when it
        // has a stay or procedures.
        None if stay_or_procedures => Ok(()),
        None => Err(format!(
            "the claim has no type and nothing of an inpatient claim (admission or discharge \
             date, procedures): {NOT_YET}; give \"type\": \"institutional\""
        )),
    }
}

thread_local! {
    /// The JSON path's scratch space and input lists, kept by each thread.
    static SPARE: std::cell::RefCell<Option<(super::Scratch, InputLists)>> =
        const { std::cell::RefCell::new(None) };
}

/// The inpatient reader's diagnoses and procedures go straight into the
/// grouper's input, as [`GroupInput::from_claim`] would take them.
impl<'a> fast_json::InpatientLists<'a> for GroupInput<'a> {
    #[inline(always)]
    fn clear_diagnoses(&mut self) {
        self.principal = None;
        self.secondary.clear();
    }

    /// The first is the principal, the others secondary.
    #[inline(always)]
    fn push_diagnosis(&mut self, code: Option<&'a str>, poa: Option<&'a str>) {
        let d = super::dx_input(code, poa);
        if self.principal.is_none() {
            self.principal = Some(d);
        } else {
            self.secondary.push(d);
        }
    }

    #[inline(always)]
    fn clear_procedures(&mut self) {
        self.procedures.clear();
    }

    #[inline(always)]
    fn push_procedure(&mut self, code: Option<&'a str>) {
        self.procedures.push(code.unwrap_or(""));
    }
}

/// A claim's diagnosis and procedure lists kept empty between claims (their
/// items only borrow the claim's text).
#[derive(Default)]
struct InputLists {
    secondary: Vec<super::DxInput<'static>>,
    procedures: Vec<&'static str>,
}

impl Grouper {
    /// Groups one claim given as JSON (the [`Claim`] contract): an inpatient
    /// (`"type": "institutional"`) claim, with the version `options` name or
    /// the one in force on its discharge date.
    ///
    /// Text that is not a claim, an outpatient or professional claim, a
    /// discharge date that is not a date, and a claim no version groups
    /// (none named, and no discharge date or one before 2022-10-01) are a
    /// [`ClaimNotGrouped`] saying so. A claim CMS's grouper cannot group
    /// (an invalid principal diagnosis, …) is grouped: its return code says
    /// why (DRG 999 or 998).
    ///
    /// ```
    /// use medcode::drg::{GroupOptions, Grouper};
    /// let g = Grouper::new().group_json(r#"{"id": "I1", "type": "institutional",
    ///     "discharge_date": "2026-05-02", "discharge_status": "01",
    ///     "diagnoses": [{"code": "I50.20", "poa": "Y"}, {"code": "N17.9", "poa": "Y"}]}"#,
    ///     &GroupOptions::default())?;
    /// assert_eq!(g.claim_id.as_deref(), Some("I1"));
    /// assert_eq!(g.grouping.final_drg.drg, 292);
    /// let e = Grouper::new()
    ///     .group_json(r#"{"type": "institutional", "discharge_date": "2021-05-02"}"#, &GroupOptions::default())
    ///     .unwrap_err();
    /// assert!(e.message.contains("before MS-DRG v40.0"));
    /// # Ok::<(), medcode::drg::ClaimNotGrouped>(())
    /// ```
    pub fn group_json(
        &self,
        json: &str,
        options: &GroupOptions,
    ) -> Result<GroupedClaim, ClaimNotGrouped> {
        let text = json.trim_start_matches('\u{feff}');
        if text.trim_start().starts_with('{') {
            // The fast reader, as `check` reads claims; serde below when it
            // declines (escapes, unusual shapes) and to say what is wrong.
            let mut claim = ClaimRef::default();
            if fast_json::read_claim(text, &mut claim).is_some() {
                let result = self.group_claim_ref(&claim, options);
                crate::claim::spare::recycle_read(&mut claim);
                // Its texts all borrowed and its lists given back: nothing
                // in it to free.
                std::mem::forget(claim);
                return result;
            }
        }
        let claim: Claim = match serde_json::from_str(text) {
            Ok(c) if text.trim_start().starts_with('{') => c,
            Ok(_) => {
                return Err(ClaimNotGrouped::unread(
                    "not a claim: expected a JSON object".into(),
                ))
            }
            Err(e) => {
                let message = if text.trim().is_empty() {
                    "empty line: expected one claim as a JSON object".to_owned()
                } else if !text.trim_start().starts_with('{')
                    && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
                {
                    "not a claim: expected a JSON object".to_owned()
                } else if e.is_data() {
                    format!("not a claim: {e}")
                } else {
                    format!("not valid JSON: {e}")
                };
                return Err(ClaimNotGrouped::unread(message));
            }
        };
        let fail = |message: String| ClaimNotGrouped {
            claim_id: claim.id.clone(),
            message,
        };
        inpatient(&claim).map_err(fail)?;
        if options.version.is_none() {
            if let Some(d) = claim.discharge_date.as_deref() {
                if let Err(e) = d.parse::<Date>() {
                    return Err(fail(not_a_date(d, e)));
                }
            }
        }
        match self.group(&GroupInput::from_claim(&claim), options) {
            Ok(grouping) => Ok(GroupedClaim {
                claim_id: claim.id,
                grouping,
            }),
            Err(e) => Err(fail(e.to_string())),
        }
    }

    /// [`group_json`](Self::group_json) and [`Grouping::write_json`] in one:
    /// appends the grouping's JSON object (`claim_id` the claim's `id`, no
    /// `line`) to `out`, the same text. Faster: the text is written from
    /// the grouper's own state (no `Grouping`'s strings and lists made to
    /// be read back), and the claim's id is not copied. On an error `out`
    /// is unchanged.
    ///
    /// ```
    /// use medcode::drg::{GroupOptions, Grouper};
    /// let claim = r#"{"id": "I1", "type": "institutional", "discharge_date": "2026-05-02",
    ///     "discharge_status": "01", "diagnoses": [{"code": "I50.20", "poa": "Y"}]}"#;
    /// let grouper = Grouper::new();
    /// let options = GroupOptions::default();
    /// let mut out = String::new();
    /// grouper.group_json_write(claim, &options, &mut out)?;
    /// let g = grouper.group_json(claim, &options)?;
    /// assert_eq!(out, g.grouping.to_json(Some("I1"), None));
    /// # Ok::<(), medcode::drg::ClaimNotGrouped>(())
    /// ```
    pub fn group_json_write(
        &self,
        json: &str,
        options: &GroupOptions,
        out: &mut String,
    ) -> Result<(), ClaimNotGrouped> {
        self.group_json_write_line(json, None, options, out)
    }

    /// One JSON Lines line's answer appended to `out` (no newline), with
    /// its `line`: the grouping, or the `error` object
    /// ([`write_group_result`] of [`group_json`](Self::group_json)'s
    /// answer, the same text), by
    /// [`group_json_write`](Self::group_json_write)'s way. Returns whether
    /// the line was grouped.
    pub(crate) fn write_line_answer(
        &self,
        json: &str,
        line: Option<usize>,
        options: &GroupOptions,
        out: &mut String,
    ) -> bool {
        match self.group_json_write_line(json, line, options, out) {
            Ok(()) => true,
            Err(e) => {
                e.write_json(line, out);
                false
            }
        }
    }

    /// [`group_json_write`](Self::group_json_write) with a `line`.
    fn group_json_write_line(
        &self,
        json: &str,
        line: Option<usize>,
        options: &GroupOptions,
        out: &mut String,
    ) -> Result<(), ClaimNotGrouped> {
        if let Some(result) = self.write_inpatient(json, line, options, out) {
            return result;
        }
        self.group_json_write_general(json, line, options, out)
    }

    /// The common claim's way to [`group_json_write_line`]'s answer: a
    /// claim the inpatient reader reads ([`fast_json::read_inpatient`]:
    /// compact, no service lines, no UB-04 field), read straight into the
    /// grouper's input and written from the grouper's state. `None` (`out`
    /// unchanged) when the reader declines: then the claim takes
    /// [`group_json_write_general`](Self::group_json_write_general). A
    /// claim it reads does not name `"bill_type"`, so it is no outpatient
    /// claim (the router asks here first).
    #[inline(always)]
    pub(crate) fn write_inpatient(
        &self,
        json: &str,
        line: Option<usize>,
        options: &GroupOptions,
        out: &mut String,
    ) -> Option<Result<(), ClaimNotGrouped>> {
        // The usual text starts right at its `{`: no byte-order mark or
        // white space to look past (calls).
        let text = if json.as_bytes().first() == Some(&b'{') {
            json
        } else {
            let text = json.trim_start_matches('\u{feff}');
            if !text.trim_start().starts_with('{') {
                return None;
            }
            text
        };
        SPARE.with(|cell| {
            // In use further up this thread's stack (never expected): the
            // general way.
            let mut spare = cell.try_borrow_mut().ok()?;
            let (scratch, lists) =
                spare.get_or_insert_with(|| (self.scratch(), InputLists::default()));
            let mut claim = fast_json::InpatientRef::new(GroupInput {
                secondary: relabel_forgetting(std::mem::take(&mut lists.secondary)),
                procedures: relabel_forgetting(std::mem::take(&mut lists.procedures)),
                ..GroupInput::default()
            });
            let result = fast_json::read_inpatient(text, &mut claim).map(|()| {
                let id = claim.id;
                let fail = |message: String| ClaimNotGrouped {
                    claim_id: id.map(str::to_owned),
                    message,
                };
                // The usual type without a call.
                if claim.claim_type != Some("institutional") {
                    inpatient_parts(
                        claim.claim_type,
                        claim.admission_date.is_some()
                            || claim.discharge_date.is_some()
                            || !claim.lists.procedures.is_empty(),
                    )
                    .map_err(fail)?;
                }
                let discharge = match claim.discharge_date.map(|d| (d, d.parse::<Date>())) {
                    Some((d, Err(e))) if options.version.is_none() => {
                        return Err(fail(not_a_date(d, e)));
                    }
                    Some((_, read)) => read.ok(),
                    None => None,
                };
                let input = &mut claim.lists;
                input.admitting = claim.admitting_diagnosis;
                input.sex = super::read_sex(claim.sex);
                input.discharge_status = super::read_status(claim.discharge_status);
                input.age = super::read_age(claim.age);
                input.discharge_date = discharge.or_else(|| super::read_date(claim.service_date));
                // The id, as read, needs no escape.
                let claim_id = super::json::ClaimId {
                    text: id,
                    plain: true,
                };
                self.group_write_json(input, options, scratch, (claim_id, line), out)
                    .map_err(|e| fail(e.to_string()))
            });
            // The lists only borrow: kept, emptied, for the next claim.
            lists.secondary = relabel_forgetting(claim.lists.secondary);
            lists.procedures = relabel_forgetting(claim.lists.procedures);
            result
        })
    }

    /// [`group_json_write_line`](Self::group_json_write_line) for a claim
    /// the inpatient reader declined: the claim reader's way, else serde's.
    pub(crate) fn group_json_write_general(
        &self,
        json: &str,
        line: Option<usize>,
        options: &GroupOptions,
        out: &mut String,
    ) -> Result<(), ClaimNotGrouped> {
        let text = json.trim_start_matches('\u{feff}');
        if text.trim_start().starts_with('{') {
            let mut claim = ClaimRef::default();
            if fast_json::read_claim(text, &mut claim).is_some() {
                let result = SPARE.with(|cell| match cell.try_borrow_mut() {
                    Ok(mut spare) => {
                        let (scratch, lists) =
                            spare.get_or_insert_with(|| (self.scratch(), InputLists::default()));
                        // Written from the grouper's state: no grouping
                        // filled only to be read back.
                        let id = claim.id.as_deref();
                        self.group_claim_ref_with(&claim, options, lists, |input| {
                            let claim_id = super::json::ClaimId {
                                text: id,
                                plain: false,
                            };
                            self.group_write_json(input, options, scratch, (claim_id, line), out)
                        })
                    }
                    Err(_) => self
                        .group_claim_ref(&claim, options)
                        .map(|g| g.grouping.write_json(claim.id.as_deref(), line, out)),
                });
                crate::claim::spare::recycle_read(&mut claim);
                // Its texts all borrowed and its lists given back: nothing
                // in it to free.
                std::mem::forget(claim);
                return result;
            }
        }
        let g = self.group_json(json, options)?;
        g.grouping.write_json(g.claim_id.as_deref(), line, out);
        Ok(())
    }

    /// [`group_json`](Self::group_json) for a claim the fast reader read.
    fn group_claim_ref(
        &self,
        claim: &ClaimRef<'_>,
        options: &GroupOptions,
    ) -> Result<GroupedClaim, ClaimNotGrouped> {
        let mut grouping = Grouping::default();
        let mut scratch = None;
        let result = super::with_scratch(self, &mut scratch, |scratch| {
            let lists = &mut InputLists::default();
            self.group_claim_ref_with(claim, options, lists, |input| {
                self.group_into(input, options, scratch, &mut grouping)
            })
        });
        result.map(|()| GroupedClaim {
            claim_id: claim.id.as_deref().map(str::to_owned),
            grouping,
        })
    }

    /// Checks a claim the fast reader read and hands its input to `group`
    /// (which groups it into a grouping or writes its JSON).
    #[inline(always)]
    fn group_claim_ref_with(
        &self,
        claim: &ClaimRef<'_>,
        options: &GroupOptions,
        lists: &mut InputLists,
        group: impl FnOnce(&GroupInput<'_>) -> Result<(), super::GroupError>,
    ) -> Result<(), ClaimNotGrouped> {
        let fail = |message: String| ClaimNotGrouped {
            claim_id: claim.id.as_deref().map(str::to_owned),
            message,
        };
        inpatient_parts(
            claim.claim_type.as_deref(),
            claim.admission_date.is_some()
                || claim.discharge_date.is_some()
                || !claim.procedures.is_empty(),
        )
        .map_err(fail)?;
        // Read once: for the version, and for the error when it is needed.
        let discharge = match claim
            .discharge_date
            .as_deref()
            .map(|d| (d, d.parse::<Date>()))
        {
            Some((d, Err(e))) if options.version.is_none() => {
                return Err(fail(not_a_date(d, e)));
            }
            Some((_, read)) => read.ok(),
            None => None,
        };
        let input = GroupInput::from_claim_ref_in(
            claim,
            discharge,
            relabel_forgetting(std::mem::take(&mut lists.secondary)),
            relabel_forgetting(std::mem::take(&mut lists.procedures)),
        );
        let result = group(&input).map_err(|e| fail(e.to_string()));
        // The lists only borrow: kept, emptied, for the next claim.
        lists.secondary = relabel_forgetting(input.secondary);
        lists.procedures = relabel_forgetting(input.procedures);
        result
    }

    /// [`group_json`](Self::group_json) on bytes: text that is not UTF-8 is
    /// not grouped (the error says at which byte).
    pub fn group_json_bytes(
        &self,
        json: &[u8],
        options: &GroupOptions,
    ) -> Result<GroupedClaim, ClaimNotGrouped> {
        match std::str::from_utf8(json) {
            Ok(text) => self.group_json(text, options),
            Err(e) => Err(ClaimNotGrouped::unread(format!(
                "the line is not valid UTF-8 (byte {} of {}): not grouped",
                e.valid_up_to() + 1,
                json.len()
            ))),
        }
    }

    /// Groups a JSON Lines text (one claim a line, `\n` or `\r\n`; a final
    /// line end does not start another line), appending exactly one JSON
    /// object per input line, joined by `\n` (no final newline), `line`
    /// counting from `first_line`: each a grouping or an `error` object.
    /// Returns how many lines were not grouped.
    ///
    /// ```
    /// use medcode::drg::{GroupOptions, Grouper};
    /// let mut out = String::new();
    /// let text = "{\"id\":\"A\",\"type\":\"institutional\",\"diagnoses\":[{\"code\":\"I21.4\"}]}\n[]\n";
    /// let options = GroupOptions::from_json(r#"{"version": "43.1"}"#)?;
    /// let errors = Grouper::new().group_jsonl(text, 1, &options, &mut out);
    /// let lines: Vec<&str> = out.lines().collect();
    /// assert_eq!((errors, lines.len()), (1, 2));
    /// assert!(lines[0].starts_with(r#"{"claim_id":"A","line":1,"version":"43.1""#));
    /// assert_eq!(lines[1], r#"{"claim_id":null,"line":2,"error":"not a claim: expected a JSON object"}"#);
    /// # Ok::<(), medcode::drg::InvalidOption>(())
    /// ```
    pub fn group_jsonl(
        &self,
        text: &str,
        first_line: usize,
        options: &GroupOptions,
        out: &mut String,
    ) -> usize {
        if text.is_empty() {
            return 0;
        }
        let body = text.strip_suffix('\n').unwrap_or(text);
        let mut errors = 0;
        for (i, line) in body.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !self.write_line_answer(line, Some(first_line + i), options, out) {
                errors += 1;
            }
        }
        errors
    }
}
