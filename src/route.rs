//! Claims given as JSON, each answered by its engine: the one routing
//! `medcode group`, the C ABI (`medcode_group_json`, `medcode_group_jsonl`)
//! and Python (`Engine.group`, `group_file`, `group_arrow`, Spark's
//! `group_claims`) share.
//!
//! An outpatient claim — a `bill_type` other than 11x
//! ([`ioce::is_outpatient`](crate::ioce::is_outpatient)) — is edited by
//! CMS's I/OCE ([`ioce::Editor`](crate::ioce::Editor)) and answered with
//! [`ioce::write_edited`](crate::ioce::write_edited)'s object (`"engine":
//! "ioce"`); every other text goes to the MS-DRG grouper
//! ([`Grouper::group_json`]), which groups an inpatient claim or says why
//! it cannot ([`ClaimNotGrouped`]). Only a text that names `"bill_type"` is
//! read for the I/OCE. The grouper's own reader is asked first: it reads
//! only claims without service lines or UB-04 fields, so a claim it reads
//! names no `"bill_type"` and is grouped with no search; only the texts it
//! declines are searched for `"bill_type"`. Without the `ioce` feature
//! every text goes to the grouper.
//!
//! ```
//! use medcode::drg::GroupOptions;
//! use medcode::route::ClaimRouter;
//!
//! let router = ClaimRouter::new();
//! let options = GroupOptions::default();
//! let mut out = String::new();
//! let text = concat!(
//!     r#"{"id": "IP-1", "type": "institutional", "discharge_date": "2026-05-02", "#,
//!     r#""discharge_status": "01", "diagnoses": [{"code": "I50.23", "poa": "Y"}, {"code": "N18.4", "poa": "Y"}]}"#,
//!     "\n",
//!     r#"{"id": "OP-1", "bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01", "#,
//!     r#""patient": {"sex": "F", "age": 70}, "diagnoses": [{"code": "N186"}], "lines": ["#,
//!     r#"{"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50, "service_date": "2025-03-01"}, "#,
//!     r#"{"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20, "service_date": "2025-03-01"}]}"#,
//! );
//! let errors = router.write_jsonl(text, 1, &options, &mut out);
//! assert_eq!(errors, 0);
//! let lines: Vec<serde_json::Value> =
//!     out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
//! assert_eq!(lines[0]["final_drg"], 292);
//! # #[cfg(feature = "ioce")] {
//! assert_eq!(lines[1]["engine"], "ioce");
//! assert_eq!(lines[1]["line"], 2);
//! // NCCI edit 040: glucose is a component of the metabolic panel.
//! assert_eq!(lines[1]["lines"][1]["hcpcs_edits"][0], "040");
//! # }
//! ```

use crate::drg::{write_group_result, ClaimNotGrouped, GroupOptions, GroupedClaim, Grouper};

/// An outpatient claim's I/OCE answer with the claim's id.
#[cfg(feature = "ioce")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedClaim {
    /// The claim's `id`.
    pub claim_id: Option<String>,
    /// The I/OCE's answer.
    pub edited: crate::ioce::Edited,
}

/// A claim's answer: its MS-DRG grouping or, for an outpatient claim, the
/// I/OCE's.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Answer {
    /// An inpatient claim grouped to its MS-DRG.
    Grouped(GroupedClaim),
    /// An outpatient claim edited by the I/OCE.
    #[cfg(feature = "ioce")]
    Edited(EditedClaim),
}

/// The I/OCE's object ([`write_edited_into`](crate::ioce::write_edited_into)):
/// `claim_id` (`null` when the claim has no id, as in a grouping), `line`
/// when given, `engine`, `version`, `internal_version`, `return_code`, the
/// other claim outputs, and `lines` last.
#[cfg(feature = "ioce")]
fn write_edited_claim(e: &EditedClaim, line: Option<usize>, out: &mut String) {
    crate::ioce::write_edited_into(
        out,
        e.claim_id.as_deref(),
        line.map(|n| n as u64),
        &e.edited,
    );
}

impl Answer {
    /// The claim's `id`.
    pub fn claim_id(&self) -> Option<&str> {
        match self {
            Answer::Grouped(g) => g.claim_id.as_deref(),
            #[cfg(feature = "ioce")]
            Answer::Edited(e) => e.claim_id.as_deref(),
        }
    }

    /// The engine that answered: `"msdrg"` or `"ioce"` (the value of the
    /// `"engine"` key of the I/OCE's object; a grouping has no such key).
    pub fn engine(&self) -> &'static str {
        match self {
            Answer::Grouped(_) => "msdrg",
            #[cfg(feature = "ioce")]
            Answer::Edited(_) => "ioce",
        }
    }

    /// Appends the answer's JSON object to `out` (no newline), `line` when
    /// given: the grouping ([`Grouping::write_json`](crate::drg::Grouping::write_json))
    /// or the I/OCE's object ([`write_edited`](crate::ioce::write_edited)'s
    /// keys and values, in the order of a grouping: `claim_id`, `null` when
    /// the claim has none, then `line`, `engine`, `version`,
    /// `internal_version`, `return_code`, the other outputs by name, and
    /// `lines` last), as `medcode group` writes them.
    pub fn write_json(&self, line: Option<usize>, out: &mut String) {
        match self {
            Answer::Grouped(g) => g.grouping.write_json(g.claim_id.as_deref(), line, out),
            #[cfg(feature = "ioce")]
            Answer::Edited(e) => write_edited_claim(e, line, out),
        }
    }

    /// [`write_json`](Self::write_json)'s object as a new string.
    pub fn to_json(&self, line: Option<usize>) -> String {
        let mut out = String::new();
        self.write_json(line, &mut out);
        out
    }
}

/// Routes each claim to its engine: an outpatient claim (a `bill_type`
/// other than 11x) to the I/OCE, every other one to the MS-DRG grouper.
/// Cheap to create and `Copy`; the tables are read once per process, on
/// first use (the I/OCE's on the first outpatient claim).
#[derive(Debug, Clone, Copy, Default)]
pub struct ClaimRouter {
    grouper: Grouper,
}

impl From<Grouper> for ClaimRouter {
    /// The router around this grouper.
    fn from(grouper: Grouper) -> ClaimRouter {
        ClaimRouter { grouper }
    }
}

/// Whether the bytes may be an outpatient claim: only a claim that names
/// `"bill_type"` can be one.
#[cfg(feature = "ioce")]
fn names_bill_type(text: &[u8]) -> bool {
    // The searcher made once: `memmem::find` makes one on every call,
    // which cost more than the search (about 400 instructions a claim).
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"bill_type\""));
    FINDER.find(text).is_some()
}

impl ClaimRouter {
    /// The router, with the MS-DRG grouper and the I/OCE.
    pub fn new() -> ClaimRouter {
        ClaimRouter {
            grouper: Grouper::new(),
        }
    }

    /// The MS-DRG grouper that answers inpatient claims.
    pub fn grouper(&self) -> &Grouper {
        &self.grouper
    }

    /// The I/OCE's answer when `text` is an outpatient claim, else `None`.
    #[cfg(feature = "ioce")]
    fn outpatient(text: &str) -> Option<EditedClaim> {
        let (claim_id, edited) = Self::outpatient_borrowed(text)?;
        Some(EditedClaim {
            claim_id: claim_id.map(std::borrow::Cow::into_owned),
            edited,
        })
    }

    /// The outpatient claim's answer and its `id` as the text has it (the
    /// writers copy the id into their output: a `String` of it was an
    /// allocation a claim).
    #[cfg(feature = "ioce")]
    fn outpatient_borrowed(
        text: &str,
    ) -> Option<(Option<std::borrow::Cow<'_, str>>, crate::ioce::Edited)> {
        if !names_bill_type(text.as_bytes()) {
            return None;
        }
        let text = text.trim_start_matches('\u{feff}');
        // The claim read straight into the editor's input where the fast
        // reader can (no `ClaimRef` between).
        if let Some(read) = crate::ioce::ClaimInput::read_outpatient(text) {
            let (claim_id, input) = read?;
            let edited = crate::ioce::Editor::new().edit(&input);
            input.recycle();
            return Some((claim_id.map(std::borrow::Cow::Borrowed), edited));
        }
        Self::outpatient_read_otherwise(text)
    }

    /// [`outpatient_borrowed`](Self::outpatient_borrowed) of a text the
    /// I/OCE's own reader declines.
    #[cfg(feature = "ioce")]
    fn outpatient_read_otherwise(
        text: &str,
    ) -> Option<(Option<std::borrow::Cow<'_, str>>, crate::ioce::Edited)> {
        // The claim read borrowed from the text where the fast reader can
        // (it answers exactly as serde would, or not at all); else by serde.
        let mut fast = crate::claim::ClaimRef::default();
        if crate::claim::fast_json::read_claim(text, &mut fast).is_some() {
            if !crate::claim::outpatient_bill_type(fast.bill_type.as_deref()) {
                return None;
            }
            let claim_id = fast.id.take();
            let input = crate::ioce::ClaimInput::from_claim_ref(&fast);
            let edited = crate::ioce::Editor::new().edit(&input);
            input.recycle();
            // The lists' allocations kept for the thread's next claim.
            crate::claim::spare::recycle_read(&mut fast);
            return Some((claim_id, edited));
        }
        let claim: crate::claim::Claim = serde_json::from_str(text).ok()?;
        if !crate::ioce::is_outpatient(&claim) {
            return None;
        }
        let edited = crate::ioce::Editor::new().edit_claim(&claim);
        Some((claim.id.map(std::borrow::Cow::Owned), edited))
    }

    /// Writes the outpatient claim's answer (as [`write_edited_claim`])
    /// when `text` is one; false when it is not.
    #[cfg(feature = "ioce")]
    fn write_outpatient(text: &str, line: Option<usize>, out: &mut String) -> bool {
        if !names_bill_type(text.as_bytes()) {
            return false;
        }
        let text = text.trim_start_matches('\u{feff}');
        let line = line.map(|n| n as u64);
        if let Some(read) = crate::ioce::ClaimInput::read_outpatient(text) {
            let Some((claim_id, input)) = read else {
                return false;
            };
            // (Edited into the thread's kept answer and written from it.)
            crate::ioce::edit_in_place(&input, |edited| {
                crate::ioce::write_edited_into(out, claim_id, line, edited);
            });
            input.recycle();
            return true;
        }
        let Some((claim_id, edited)) = Self::outpatient_read_otherwise(text) else {
            return false;
        };
        crate::ioce::write_edited_into(out, claim_id.as_deref(), line, &edited);
        // (Its allocations kept for the thread's next claim.)
        crate::ioce::recycle(edited);
        true
    }

    /// Answers one claim given as JSON: an outpatient claim edited by the
    /// I/OCE, any other text grouped ([`Grouper::group_json`]: an
    /// inpatient claim's grouping, or why the text cannot be grouped).
    ///
    /// ```
    /// use medcode::drg::GroupOptions;
    /// use medcode::route::ClaimRouter;
    /// let router = ClaimRouter::new();
    /// let a = router.answer_json(r#"{"id": "OP-3", "bill_type": "131", "from_date": "2025-03-01",
    ///     "diagnoses": [{"code": "M5450"}], "lines": [{"code": "99213", "revenue_code": "0510",
    ///     "units": 1, "charge": 120, "service_date": "2025-03-01"}]}"#, &GroupOptions::default())?;
    /// assert_eq!(a.claim_id(), Some("OP-3"));
    /// # #[cfg(feature = "ioce")]
    /// assert_eq!(a.engine(), "ioce");
    /// let e = router.answer_json(r#"{"type": "professional"}"#, &GroupOptions::default());
    /// assert!(e.is_err());
    /// # Ok::<(), medcode::drg::ClaimNotGrouped>(())
    /// ```
    pub fn answer_json(
        &self,
        text: &str,
        options: &GroupOptions,
    ) -> Result<Answer, ClaimNotGrouped> {
        #[cfg(feature = "ioce")]
        if let Some(e) = Self::outpatient(text) {
            return Ok(Answer::Edited(e));
        }
        self.grouper.group_json(text, options).map(Answer::Grouped)
    }

    /// [`answer_json`](Self::answer_json) on bytes: text that is not UTF-8
    /// is not answered (the error says at which byte, as
    /// [`Grouper::group_json_bytes`] says it).
    pub fn answer_json_bytes(
        &self,
        json: &[u8],
        options: &GroupOptions,
    ) -> Result<Answer, ClaimNotGrouped> {
        match std::str::from_utf8(json) {
            Ok(text) => self.answer_json(text, options),
            Err(_) => self
                .grouper
                .group_json_bytes(json, options)
                .map(Answer::Grouped),
        }
    }

    /// Appends one claim's answer to `out` without `line`: the I/OCE's
    /// object for an outpatient claim, else the grouping, written as
    /// [`Grouper::group_json_write`] writes it (its fast path: an inpatient
    /// claim is not read twice). On an error `out` is unchanged.
    ///
    /// ```
    /// use medcode::drg::GroupOptions;
    /// use medcode::route::ClaimRouter;
    /// let mut out = String::new();
    /// ClaimRouter::new().write_json(r#"{"id": "I1", "type": "institutional",
    ///     "discharge_date": "2026-05-02", "diagnoses": [{"code": "I21.4", "poa": "Y"}]}"#,
    ///     &GroupOptions::default(), &mut out)?;
    /// assert!(out.starts_with(r#"{"claim_id":"I1","version":"43.1""#));
    /// # Ok::<(), medcode::drg::ClaimNotGrouped>(())
    /// ```
    pub fn write_json(
        &self,
        text: &str,
        options: &GroupOptions,
        out: &mut String,
    ) -> Result<(), ClaimNotGrouped> {
        // The common inpatient claim, read straight into the grouper's
        // input: a claim so read does not name "bill_type" (no search).
        if let Some(result) = self.grouper.write_inpatient(text, None, options, out) {
            return result;
        }
        #[cfg(feature = "ioce")]
        if Self::write_outpatient(text, None, out) {
            return Ok(());
        }
        self.grouper
            .group_json_write_general(text, None, options, out)
    }

    /// Appends one input line's answer to `out` (no newline) with its
    /// `line`: the I/OCE's object, the grouping, or `{"claim_id", "line",
    /// "error"}` — what `medcode group` writes for the line. Returns
    /// whether the line was answered (`false`: an error object).
    pub fn write_line(
        &self,
        json: &[u8],
        line: usize,
        options: &GroupOptions,
        out: &mut String,
    ) -> bool {
        // As `write_json`: the common inpatient claim first, then the
        // I/OCE, then the grouper's general way — each tried once (the
        // text checked as UTF-8 once; the inpatient reader not asked again).
        let Ok(text) = std::str::from_utf8(json) else {
            let result = self.grouper.group_json_bytes(json, options);
            return write_group_result(&result, Some(line), out);
        };
        let result = match self.grouper.write_inpatient(text, Some(line), options, out) {
            Some(result) => result,
            None => {
                #[cfg(feature = "ioce")]
                if Self::write_outpatient(text, Some(line), out) {
                    return true;
                }
                // The grouping written from the grouper's state (the text
                // `write_group_result` writes of `group_json_bytes`'s answer).
                self.grouper
                    .group_json_write_general(text, Some(line), options, out)
            }
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                e.write_json(Some(line), out);
                false
            }
        }
    }

    /// Answers a JSON Lines text (one claim a line, `\n` or `\r\n`; a final
    /// line end does not start another line), appending exactly one JSON
    /// object per input line, joined by `\n` (no final newline), `line`
    /// counting from `first_line`: as [`Grouper::group_jsonl`], with each
    /// outpatient claim answered by the I/OCE. Returns how many lines were
    /// not answered (error objects).
    pub fn write_jsonl(
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
            if !self.write_line(line.as_bytes(), first_line + i, options, out) {
                errors += 1;
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPATIENT: &str = r#"{"id": "OP-001", "claim_type": "institutional", "bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01", "patient": {"sex": "F", "age": 70}, "diagnoses": [{"code": "N186"}, {"code": "E119"}], "lines": [{"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 100, "service_date": "2025-03-01"}, {"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50, "service_date": "2025-03-01"}, {"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20, "service_date": "2025-03-01"}]}"#;
    const INPATIENT: &str = r#"{"id":"IP1","type":"institutional","bill_type":"111","discharge_date":"2026-05-02","discharge_status":"01","diagnoses":[{"code":"I50.23","poa":"Y"},{"code":"N18.4","poa":"Y"}]}"#;

    #[test]
    fn every_entry_point_routes_alike() {
        let router = ClaimRouter::new();
        let options = GroupOptions::default();
        for (text, engine) in [(OUTPATIENT, "ioce"), (INPATIENT, "msdrg")] {
            let engine = if cfg!(feature = "ioce") {
                engine
            } else {
                "msdrg"
            };
            let answer = router.answer_json(text, &options);
            if engine == "msdrg" && text == OUTPATIENT {
                assert!(answer.is_err());
                continue;
            }
            let answer = answer.unwrap();
            assert_eq!(answer.engine(), engine);
            let mut one = String::new();
            router.write_json(text, &options, &mut one).unwrap();
            assert_eq!(one, answer.to_json(None));
            let mut line = String::new();
            assert!(router.write_line(text.as_bytes(), 7, &options, &mut line));
            assert_eq!(line, answer.to_json(Some(7)));
            let from_bytes = router.answer_json_bytes(text.as_bytes(), &options).unwrap();
            assert_eq!(from_bytes.to_json(None), one);
        }
    }

    #[cfg(feature = "ioce")]
    #[test]
    fn a_batch_mixes_engines_line_by_line() {
        let router = ClaimRouter::new();
        let text = format!("{OUTPATIENT}\r\n{INPATIENT}\n\n[\"bill_type\"]\n");
        let mut out = String::new();
        let errors = router.write_jsonl(&text, 1, &GroupOptions::default(), &mut out);
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!((errors, lines.len()), (2, 4), "{out}");
        assert_eq!(lines[0]["engine"], "ioce");
        assert_eq!(lines[0]["line"], 1);
        assert_eq!(lines[0]["lines"][2]["hcpcs_edits"][0], "040");
        assert_eq!(lines[1]["final_drg"], 292);
        assert_eq!(lines[1]["line"], 2);
        assert!(lines[2]["error"].is_string());
        // Not a claim, though it names "bill_type": the grouper says why.
        assert!(lines[3]["error"].as_str().unwrap().contains("not a claim"));
        assert_eq!(lines[3]["line"], 4);
        // Not UTF-8: the grouper's message.
        let mut out = String::new();
        assert!(!router.write_line(
            b"{\"bill_type\":\"131\",\"id\":\"\xff\"}",
            1,
            &GroupOptions::default(),
            &mut out
        ));
        assert!(out.contains("UTF-8"), "{out}");
    }
}
