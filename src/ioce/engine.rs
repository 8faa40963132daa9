//! The editor: one claim in, the I/OCE's answer out.

use super::data::{hcpcs_bit, key, key_text, Tables, Version};
use super::text::Trim;
use super::Flag;
use super::{dx, lines, order, pairs, path};
use crate::claim::Claim;
use crate::rules::source::ClaimSource;
use std::cell::Cell;

/// What the I/OCE reads from a claim, borrowed from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimInput<'a> {
    /// The UB-04 type of bill, three characters (`"131"`).
    pub bill_type: &'a str,
    /// The statement's from date, `YYYY-MM-DD` or `YYYYMMDD`.
    pub from_date: &'a str,
    /// The statement's through date.
    pub through_date: &'a str,
    /// The claim's receipt date, when given (`YYYY-MM-DD` or `YYYYMMDD`;
    /// blank is not given): one that is not a date, is before the from date
    /// or after 2036-03-31 returns the claim (edit 119).
    pub receipt_date: Option<&'a str>,
    /// The patient's age in years, as the claim gives it.
    pub age: Option<f64>,
    /// The patient's sex: `M`, `F`, `U` (or the I/OCE's `1`, `2`, `0`).
    pub sex: &'a str,
    /// The patient (discharge) status, two digits.
    pub patient_status: Option<&'a str>,
    /// The OPPS flag: `"2"` for a hospital not paid under OPPS; anything
    /// else (or nothing) is OPPS.
    pub opps_flag: Option<&'a str>,
    /// UB-04 condition codes.
    pub condition_codes: Vec<&'a str>,
    /// The principal diagnosis.
    pub principal: Option<&'a str>,
    /// Reason-for-visit diagnoses.
    pub reason_for_visit: Vec<&'a str>,
    /// Secondary diagnoses, in claim order.
    pub secondary: Vec<&'a str>,
    /// The service lines.
    pub lines: Vec<LineInput<'a>>,
}

/// One service line as the I/OCE reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineInput<'a> {
    /// The line's service date.
    pub service_date: &'a str,
    /// The revenue code, four digits (`"0510"`).
    pub revenue_code: &'a str,
    /// The HCPCS or CPT code (empty when the line has none).
    pub hcpcs: &'a str,
    /// Modifiers, in claim order.
    pub modifiers: Vec<&'a str>,
    /// Units of service.
    pub units: Option<f64>,
    /// The charge, in dollars.
    pub charge: Option<f64>,
    /// The edits a Medicare contractor bypasses on the line, as the claim
    /// writes their numbers (`"040"`, `"62"`): see
    /// [`ClaimLine::contractor_bypass_edits`](crate::claim::ClaimLine::contractor_bypass_edits).
    pub contractor_bypass_edits: Vec<&'a str>,
}

impl<'a> ClaimInput<'a> {
    /// Whether the claim has condition code `code`.
    pub(crate) fn has_condition(&self, code: &str) -> bool {
        self.condition_codes.iter().any(|c| c.trimmed() == code)
    }

    /// A program's claim (condition code 41, 89 or 92), which several of
    /// the I/OCE's payment steps leave alone.
    pub(crate) fn is_program_claim(&self) -> bool {
        self.condition_codes
            .iter()
            .any(|c| matches!(c.trimmed(), "41" | "89" | "92"))
    }

    /// The I/OCE's inputs of a [`Claim`]: its first diagnosis is the
    /// principal, the rest secondary; a line without a service date takes
    /// the from date; the receipt date and OPPS flag are the claim's
    /// `receipt_date` and `opps_flag`, as written.
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// use medcode::ioce::ClaimInput;
    /// let claim: Claim = serde_json::from_str(r#"{"bill_type": "851", "from_date": "2025-03-01",
    ///     "receipt_date": "2025-03-04", "opps_flag": "2"}"#)?;
    /// let input = ClaimInput::from_claim(&claim);
    /// assert_eq!(input.receipt_date, Some("2025-03-04"));
    /// assert_eq!(input.opps_flag, Some("2"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_claim(claim: &'a Claim) -> ClaimInput<'a> {
        ClaimInput::from_source(claim)
    }

    /// [`ClaimInput::from_claim`] of a claim read borrowed from its JSON
    /// text (the JSON Lines fast path: no `String` a field).
    pub(crate) fn from_claim_ref(claim: &'a crate::claim::ClaimRef<'a>) -> ClaimInput<'a> {
        ClaimInput::from_source(claim)
    }

    /// What both claim types give the editor, read through the one view
    /// of a claim that preparation reads too.
    fn from_source(claim: impl ClaimSource<'a>) -> ClaimInput<'a> {
        let from = claim
            .statement_from()
            .or(claim.service_date())
            .unwrap_or("");
        // (The lists of the thread's last claim, emptied: see `recycle`.)
        let mut spare = INPUT_SPARES.try_with(Cell::take).unwrap_or_default();
        let mut list = || -> Vec<&'a str> {
            spare
                .modifiers
                .pop()
                .map_or_else(Vec::new, crate::scratch::relabel)
        };
        let mut secondary = list();
        secondary.extend(
            claim
                .diagnoses()
                .skip(1)
                .map(|(code, _)| code.unwrap_or("")),
        );
        let mut lines: Vec<LineInput<'a>> =
            crate::scratch::relabel(std::mem::take(&mut spare.lines));
        lines.extend(claim.lines().map(|l| {
            let mut modifiers = list();
            modifiers.extend(l.modifiers.iter());
            LineInput {
                service_date: l.service_date.unwrap_or(from),
                revenue_code: l.revenue_code.unwrap_or(""),
                hcpcs: l.code.unwrap_or(""),
                modifiers,
                units: l.units,
                charge: l.charge,
                contractor_bypass_edits: l.contractor_bypass_edits.iter().collect(),
            }
        }));
        let _ = INPUT_SPARES.try_with(|s| s.set(spare));
        ClaimInput {
            bill_type: claim.bill_type().unwrap_or(""),
            from_date: from,
            through_date: claim.statement_through().unwrap_or(from),
            receipt_date: claim.receipt_date(),
            age: claim.age(),
            sex: claim.sex().unwrap_or(""),
            patient_status: claim.discharge_status(),
            opps_flag: claim.opps_flag(),
            condition_codes: claim.condition_codes().iter().collect(),
            principal: claim.diagnoses().next().and_then(|(code, _)| code),
            reason_for_visit: claim.reason_for_visit().iter().collect(),
            secondary,
            lines,
        }
    }

    /// The I/OCE's inputs of an outpatient claim's JSON text, read straight
    /// into them ([`read_outpatient`](crate::claim::fast_json::read_outpatient)),
    /// with the claim's `id`: the same inputs as
    /// [`from_claim_ref`](Self::from_claim_ref) of the claim read by the fast
    /// reader, where that reader reads it; `Some(None)` for a claim read
    /// that is not outpatient (the caller routes it elsewhere), `None` for
    /// anything else (the caller reads it the general way).
    #[allow(clippy::type_complexity)]
    pub(crate) fn read_outpatient(
        text: &'a str,
    ) -> Option<Option<(Option<&'a str>, ClaimInput<'a>)>> {
        use crate::claim::fast_json::{read_outpatient, OutpatientRef};
        // (The lists of the thread's last claim, emptied: see `recycle`.)
        let mut spare = INPUT_SPARES.try_with(Cell::take).unwrap_or_default();
        let mut list = || -> Vec<&'a str> {
            spare
                .modifiers
                .pop()
                .map_or_else(Vec::new, crate::scratch::relabel)
        };
        let lists = InputLists {
            principal: None,
            diagnoses: 0,
            secondary: list(),
            condition_codes: Vec::new(),
            reason_for_visit: Vec::new(),
            modifiers: list(),
            lines: crate::scratch::relabel(std::mem::take(&mut spare.lines)),
            undated: Vec::new(),
            spare_modifiers: &mut spare.modifiers,
        };
        let mut claim = OutpatientRef::new(lists);
        let read = read_outpatient(text, &mut claim).is_some();
        let outpatient = crate::claim::outpatient_bill_type(claim.bill_type);
        let OutpatientRef {
            id,
            bill_type,
            from_date,
            through_date,
            service_date,
            receipt_date,
            discharge_status,
            opps_flag,
            sex,
            age,
            lists,
        } = claim;
        let InputLists {
            principal,
            secondary,
            condition_codes,
            reason_for_visit,
            modifiers,
            mut lines,
            undated,
            ..
        } = lists;
        if modifiers.capacity() != 0 {
            spare.modifiers.push(crate::scratch::relabel(modifiers));
        }
        let _ = INPUT_SPARES.try_with(|s| s.set(spare));
        let from = from_date.or(service_date).unwrap_or("");
        // (A line without a service date takes the from date, known only
        // once the claim is read.)
        for i in undated {
            lines[i].service_date = from;
        }
        let input = ClaimInput {
            bill_type: bill_type.unwrap_or(""),
            from_date: from,
            through_date: through_date.unwrap_or(from),
            receipt_date,
            age,
            sex: sex.unwrap_or(""),
            patient_status: discharge_status,
            opps_flag,
            condition_codes,
            principal,
            reason_for_visit,
            secondary,
            lines,
        };
        if !(read && outpatient) {
            input.recycle();
            return read.then_some(None);
        }
        Some(Some((id, input)))
    }

    /// Keeps the input's line lists for the thread's next claim read
    /// ([`from_claim`](Self::from_claim) and the JSON path): two to three
    /// allocations fewer a line.
    pub(crate) fn recycle(self) {
        let (mut lines, secondary) = (self.lines, self.secondary);
        if !crate::scratch::worth_keeping_lines(&lines) {
            return;
        }
        let _ = INPUT_SPARES.try_with(|s| {
            let mut spare = s.take();
            let lists = lines
                .iter_mut()
                .map(|l| std::mem::take(&mut l.modifiers))
                .chain([secondary]);
            for list in lists {
                if spare.modifiers.len() < crate::scratch::KEEP_LINES_AT_MOST
                    && crate::scratch::worth_keeping(&list)
                {
                    spare.modifiers.push(crate::scratch::relabel(list));
                }
            }
            spare.lines = crate::scratch::relabel(lines);
            s.set(spare);
        });
    }
}

/// [`ClaimInput::read_outpatient`]'s lists, filled as the claim is read.
struct InputLists<'a, 's> {
    /// The first diagnosis's code.
    principal: Option<&'a str>,
    /// How many diagnoses were read.
    diagnoses: usize,
    secondary: Vec<&'a str>,
    condition_codes: Vec<&'a str>,
    reason_for_visit: Vec<&'a str>,
    /// The modifiers of the line being read.
    modifiers: Vec<&'a str>,
    lines: Vec<LineInput<'a>>,
    /// The lines without a service date.
    undated: Vec<usize>,
    /// The thread's emptied lists, for each line's modifiers.
    spare_modifiers: &'s mut Vec<Vec<&'static str>>,
}

impl<'a> crate::claim::fast_json::OutpatientLists<'a> for InputLists<'a, '_> {
    fn push_diagnosis(&mut self, code: Option<&'a str>) {
        // (The first is the principal, the rest secondary, a missing code
        // an empty one: as `from_source`.)
        if self.diagnoses == 0 {
            self.principal = code;
        } else {
            self.secondary.push(code.unwrap_or(""));
        }
        self.diagnoses += 1;
    }

    fn push_condition_code(&mut self, code: &'a str) {
        self.condition_codes.push(code);
    }

    fn push_reason_for_visit(&mut self, code: &'a str) {
        self.reason_for_visit.push(code);
    }

    #[inline(always)]
    fn push_modifier(&mut self, modifier: &'a str) {
        self.modifiers.push(modifier);
    }

    fn clear_modifiers(&mut self) {
        self.modifiers.clear();
    }

    #[inline(always)]
    fn push_line(&mut self, line: crate::claim::fast_json::LineFields<'a>) {
        let next = self
            .spare_modifiers
            .pop()
            .map_or_else(Vec::new, crate::scratch::relabel);
        if line.service_date.is_none() {
            self.undated.push(self.lines.len());
        }
        self.lines.push(LineInput {
            service_date: line.service_date.unwrap_or(""),
            revenue_code: line.revenue_code.unwrap_or(""),
            hcpcs: line.code.unwrap_or(""),
            modifiers: std::mem::replace(&mut self.modifiers, next),
            units: line.units,
            charge: line.charge,
            // (The fast reader does not know the field: a line with one is
            // read by the claim reader, `from_claim_ref`.)
            contractor_bypass_edits: Vec::new(),
        });
    }
}

/// A thread's emptied input lists ([`ClaimInput::recycle`]).
#[derive(Default)]
struct InputSpares {
    lines: Vec<LineInput<'static>>,
    modifiers: Vec<Vec<&'static str>>,
}

thread_local! {
    static INPUT_SPARES: Cell<InputSpares> = const {
        Cell::new(InputSpares {
            lines: Vec::new(),
            modifiers: Vec::new(),
        })
    };
}

/// The edits on one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DxResult {
    /// The I/OCE edit numbers raised on this diagnosis, ascending.
    pub edits: Vec<u16>,
}

/// The I/OCE's answer for one line, values as the I/OCE writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineResult {
    /// The line item action flag returned.
    pub action_flag: Flag,
    /// The APC of the line's HCPCS code (`"00000"`: none).
    pub hcpcs_apc: Flag,
    /// The APC that pays the line.
    pub payment_apc: Flag,
    /// The status indicator (`"V"`, `"Q1"`, …).
    pub status_indicator: Flag,
    /// The payment indicator.
    pub payment_indicator: Flag,
    /// The discounting formula number.
    pub discounting_formula: Flag,
    /// Line rejection/denial flag.
    pub rejection_denial_flag: Flag,
    /// Packaging flag.
    pub packaging_flag: Flag,
    /// Payment adjustment flag 1.
    pub payment_adjustment_flag01: Flag,
    /// Payment adjustment flag 2.
    pub payment_adjustment_flag02: Flag,
    /// Payment method flag.
    pub payment_method_flag: Flag,
    /// Composite adjustment flag (two characters).
    pub composite_adjustment_flag: Flag,
    /// Units out.
    pub units_output: Flag,
    /// Edits on the line's HCPCS code.
    pub hcpcs_edits: Vec<u16>,
    /// Edits on the line's service date.
    pub service_date_edits: Vec<u16>,
    /// Edits on the line's revenue code.
    pub revenue_edits: Vec<u16>,
    /// Edits on each modifier, in the line's modifier order.
    pub modifier_edits: Vec<Vec<u16>>,
}

impl LineResult {
    /// Every output blank and every list emptied, in place (their
    /// allocations kept), with `modifiers` empty lists of modifier edits.
    fn empty(&mut self, modifiers: usize) {
        for f in [
            &mut self.action_flag,
            &mut self.hcpcs_apc,
            &mut self.payment_apc,
            &mut self.status_indicator,
            &mut self.payment_indicator,
            &mut self.discounting_formula,
            &mut self.rejection_denial_flag,
            &mut self.packaging_flag,
            &mut self.payment_adjustment_flag01,
            &mut self.payment_adjustment_flag02,
            &mut self.payment_method_flag,
            &mut self.composite_adjustment_flag,
            &mut self.units_output,
        ] {
            f.clear();
        }
        self.hcpcs_edits.clear();
        self.service_date_edits.clear();
        self.revenue_edits.clear();
        self.modifier_edits.truncate(modifiers);
        self.modifier_edits.iter_mut().for_each(Vec::clear);
        self.modifier_edits.resize_with(modifiers, Vec::new);
    }
}

/// The I/OCE's answer for a claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edited {
    /// The I/OCE release that answered (`"26.0.5"`), `None` when no
    /// version holds the claim's from date (edit 024).
    pub version: Option<String>,
    /// The internal version number (76 … 103).
    pub internal_version: Option<u8>,
    /// The I/OCE's return code (0: processed).
    pub return_code: u8,
    /// Claim processed flag.
    pub claim_processed_flag: u8,
    /// Overall claim disposition.
    pub claim_disposition: u8,
    /// Claim rejection disposition.
    pub claim_rejection_disposition: u8,
    /// Claim denial disposition.
    pub claim_denial_disposition: u8,
    /// Claim return-to-provider disposition.
    pub claim_return_to_provider_disposition: u8,
    /// Claim suspension disposition.
    pub claim_suspension_disposition: u8,
    /// Line rejection disposition.
    pub line_rejection_disposition: u8,
    /// Line denial disposition.
    pub line_denial_disposition: u8,
    /// APC return buffer flag (`None`: blank, on a claim stopped by a
    /// claim-level edit).
    pub apc_return_buffer_flag: Option<u8>,
    /// How many lines the I/OCE read.
    pub lines_processed: usize,
    /// Whether the claim has a principal diagnosis.
    pub principal_present: bool,
    /// Non-OPPS bill flag.
    pub nopps_bill_flag: u8,
    /// Edits that reject the claim.
    pub claim_rejection_edits: Vec<u16>,
    /// Edits that deny the claim.
    pub claim_denial_edits: Vec<u16>,
    /// Edits that return the claim to the provider.
    pub claim_return_to_provider_edits: Vec<u16>,
    /// Edits that suspend the claim.
    pub claim_suspension_edits: Vec<u16>,
    /// Edits that reject a line.
    pub line_rejection_edits: Vec<u16>,
    /// Edits that deny a line.
    pub line_denial_edits: Vec<u16>,
    /// The principal diagnosis's edits.
    pub principal: DxResult,
    /// Each reason-for-visit diagnosis's edits.
    pub reason_for_visit: Vec<DxResult>,
    /// Each secondary diagnosis's edits.
    pub secondary: Vec<DxResult>,
    /// Each line's outputs, in claim order.
    pub lines: Vec<LineResult>,
}

impl Edited {
    /// Every output emptied in place for `claim` (an answer with nothing
    /// raised, its lists' allocations kept; one empty result a diagnosis),
    /// but its line results and release text, handed back to reuse (the
    /// line results: [`Run::line_results`]).
    fn empty(&mut self, claim: &ClaimInput<'_>) -> (Vec<LineResult>, Option<String>) {
        // (Every field named: a field added is a compile error here until
        // it is emptied too.)
        let Edited {
            version,
            internal_version,
            return_code,
            claim_processed_flag,
            claim_disposition,
            claim_rejection_disposition,
            claim_denial_disposition,
            claim_return_to_provider_disposition,
            claim_suspension_disposition,
            line_rejection_disposition,
            line_denial_disposition,
            apc_return_buffer_flag,
            lines_processed,
            principal_present,
            nopps_bill_flag,
            claim_rejection_edits,
            claim_denial_edits,
            claim_return_to_provider_edits,
            claim_suspension_edits,
            line_rejection_edits,
            line_denial_edits,
            principal,
            reason_for_visit,
            secondary,
            lines,
        } = self;
        *internal_version = None;
        for n in [
            return_code,
            claim_processed_flag,
            claim_disposition,
            claim_rejection_disposition,
            claim_denial_disposition,
            claim_return_to_provider_disposition,
            claim_suspension_disposition,
            line_rejection_disposition,
            line_denial_disposition,
            nopps_bill_flag,
        ] {
            *n = 0;
        }
        *apc_return_buffer_flag = None;
        *lines_processed = claim.lines.len();
        *principal_present = false;
        for list in [
            claim_rejection_edits,
            claim_denial_edits,
            claim_return_to_provider_edits,
            claim_suspension_edits,
            line_rejection_edits,
            line_denial_edits,
            &mut principal.edits,
        ] {
            list.clear();
        }
        *reason_for_visit = dx_results(
            std::mem::take(reason_for_visit),
            claim.reason_for_visit.len(),
        );
        *secondary = dx_results(std::mem::take(secondary), claim.secondary.len());
        (std::mem::take(lines), version.take())
    }

    /// Every edit of the six claim lists, list by list (claim rejection,
    /// denial, return to provider, suspension, line rejection, line
    /// denial), each in its list's order.
    ///
    /// ```
    /// # #[cfg(feature = "ioce")] {
    /// use medcode::ioce::Edited;
    /// let mut edited = Edited::default();
    /// edited.line_rejection_edits = vec![40];
    /// edited.claim_return_to_provider_edits = vec![62];
    /// assert_eq!(edited.listed_edits().collect::<Vec<_>>(), [62, 40]);
    /// # }
    /// ```
    pub fn listed_edits(&self) -> impl Iterator<Item = u16> + '_ {
        [
            &self.claim_rejection_edits,
            &self.claim_denial_edits,
            &self.claim_return_to_provider_edits,
            &self.claim_suspension_edits,
            &self.line_rejection_edits,
            &self.line_denial_edits,
        ]
        .into_iter()
        .flatten()
        .copied()
    }
}

/// CMS's I/OCE over its tables; cheap to create (the tables are read once
/// per process, on first use).
#[derive(Clone, Copy)]
pub struct Editor {
    t: &'static Tables,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor").finish_non_exhaustive()
    }
}

/// A date `YYYY-MM-DD` or `YYYYMMDD` as the number yyyymmdd, `None` when
/// it is not a calendar date.
pub(crate) fn read_date(s: &str) -> Option<u32> {
    // The digits read where they stand (no string built: three dates a
    // line made this a tenth of a small claim's time).
    // (A date's ends are digits: only text that does not end in ASCII
    // digits is trimmed, which leaves a digit-ended text as it is.)
    let b = match s.as_bytes() {
        [first, .., last] if first.is_ascii_digit() && last.is_ascii_digit() => s.as_bytes(),
        _ => s.trimmed().as_bytes(),
    };
    // (The eight digits gathered in one array: no index checked twice.)
    let digits: [u8; 8] = match *b {
        [y0, y1, y2, y3, m0, m1, d0, d1] => [y0, y1, y2, y3, m0, m1, d0, d1],
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => [y0, y1, y2, y3, m0, m1, d0, d1],
        _ => return None,
    };
    // The eight digits at once (one word): each byte's high half 3 and,
    // with 6 added, still 3 (so its low half at most 9); then the pairs,
    // fours and the eight combined.
    let x = u64::from_le_bytes(digits);
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    if x & HIGH != THREES || x.wrapping_add(0x0606_0606_0606_0606) & HIGH != THREES {
        return None;
    }
    let v = x & 0x0F0F_0F0F_0F0F_0F0F;
    let v = (v.wrapping_mul(10) + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    let v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    let n = ((v.wrapping_mul(10_000) + (v >> 32)) & 0xFFFF_FFFF) as u32;
    // (Days 1–28 of months 1–12 of years from 1 are dates in every month:
    // only the others ask the calendar.)
    let (m, d) = (n / 100 % 100, n % 100);
    if n >= 10_000 && (1..=12).contains(&m) && (1..=28).contains(&d) {
        return Some(n);
    }
    medcode_base::calendar::is_calendar_date(n).then_some(n)
}

/// Per-claim working state.
pub(crate) struct Run<'t> {
    pub t: &'t Tables,
    pub v: Version,
    /// The version revenue codes are read in: the receipt date's when the
    /// claim gives one, else the through date's; none past the last
    /// version (docs/design/ioce-logic-lines.md §2.4).
    pub rv: Option<Version>,
    /// The answer, written where the caller keeps it (not moved out and
    /// back: an `Edited` is about 330 bytes, and it was copied some eight
    /// times a claim).
    pub out: &'t mut Edited,
    /// Edits raised on the claim only (no diagnosis or line carries them).
    pub claim_only: Vec<u16>,
    /// Whether NCCI raised 040 before 020 (date by date, then by column-1
    /// line, then column-2 line): the claim list keeps the order they were
    /// raised in.
    pub ncci_040_first: bool,
    /// Whether the claim lists put 108 before 106: the I/OCE checks the
    /// type I and type III add-ons line by line and the drug
    /// administration add-ons after them ([`super::clinic::type3_addon_edits`]).
    pub addon_108_first: bool,
    /// A critical access hospital's claim (85x): its claim lists put 072
    /// after 102 ([`order::claim_rank`]).
    pub cah: bool,
    /// The inpatient-only procedure's line with modifier CA (the patient
    /// died before admission): paid as a comprehensive service on 13x and
    /// on 12x with condition code W2.
    pub ca_line: Option<usize>,
    /// Each line's code's row, looked up once: by where the code's text
    /// is (address, length), sorted ([`Run::line_row`]).
    pub rows: Vec<LineRow<'t>>,
    /// The thread's last answer's line results, emptied in place for this
    /// claim's ([`Run::line_results`]).
    pub spare_lines: Vec<LineResult>,
    /// Where in [`Run::rows`] the next line's row is likely to be: the
    /// passes ask for the lines' rows in claim order, so the row after the
    /// last one found is tried before a search.
    pub next_row: Cell<usize>,
    /// The thread's other kept line results and an emptied list for this
    /// claim's ([`Run::line_results`]).
    pub result_spares: ResultSpares,
    /// The edits a contractor bypasses on the claim, when it names any.
    pub bypass: Option<super::bypass::Bypass>,
}

/// A line's code's text, by address and length, and its row.
pub(crate) type LineRow<'t> = (usize, usize, Option<&'t super::data::HcpcsRow>);

thread_local! {
    /// The last claim's [`Run::rows`], emptied, for the next claim.
    static SPARE_ROWS: std::cell::Cell<Vec<LineRow<'static>>> = const { std::cell::Cell::new(Vec::new()) };
}

thread_local! {
    /// An answer the thread has written, its lists emptied, kept for its
    /// next claim ([`recycle`]); its `lines` are the line results to reuse
    /// ([`Run::line_results`]).
    static SPARE_EDITED: Cell<Option<Edited>> = const { Cell::new(None) };
}

thread_local! {
    /// The edits a claim raised, each once ([`Run::finish`]), kept for the
    /// thread's next claim (an allocation a claim).
    static RAISED: Cell<Vec<u16>> = const { Cell::new(Vec::new()) };
}

/// Line results kept for reuse, the answer's list of them included, at
/// most: more than the `scratch` lists' 64, as claims of a few hundred
/// lines are common enough that freeing (and next allocating) theirs cost
/// about 1,000 instructions a claim on CI's claims.
const KEEP_LINE_RESULTS: usize = crate::scratch::KEEP_LINES_AT_MOST;

/// The allocations of a thread's line results beyond its last answer's,
/// kept between claims ([`Run::line_results`], [`Run::finish`]).
#[derive(Default)]
pub(crate) struct ResultSpares {
    /// An emptied list, for the next claim's answer's results.
    list: Vec<LineResult>,
    /// Edit lists of results earlier claims left unused (a claim of fewer
    /// lines than the last), emptied, for a longer claim's new results.
    /// (The lists, 24 bytes each, not the 304-byte results: a result moved
    /// into a pool and out again was copied twice, about 140 instructions.)
    edits: Vec<Vec<u16>>,
    /// Their lists of modifier edits, each modifier's list emptied.
    modifiers: Vec<Vec<Vec<u16>>>,
}

impl ResultSpares {
    /// Keeps the lists of a result no longer used (up to
    /// [`KEEP_LINE_RESULTS`] results' worth; the rest are freed).
    fn keep(&mut self, r: &mut LineResult) {
        if self.modifiers.len() >= KEEP_LINE_RESULTS || self.edits.len() > 3 * KEEP_LINE_RESULTS {
            return;
        }
        for list in [
            &mut r.hcpcs_edits,
            &mut r.service_date_edits,
            &mut r.revenue_edits,
        ] {
            if list.capacity() != 0 {
                list.clear();
                self.edits.push(std::mem::take(list));
            }
        }
        if r.modifier_edits.capacity() != 0 {
            self.modifiers.push(std::mem::take(&mut r.modifier_edits));
        }
    }

    /// Gives a new (blank) result the lists kept, when there are.
    fn give(&mut self, r: &mut LineResult) {
        for list in [
            &mut r.hcpcs_edits,
            &mut r.service_date_edits,
            &mut r.revenue_edits,
        ] {
            match self.edits.pop() {
                Some(kept) => *list = kept,
                None => break,
            }
        }
        if let Some(kept) = self.modifiers.pop() {
            r.modifier_edits = kept;
        }
    }
}

thread_local! {
    static RESULT_SPARES: Cell<ResultSpares> = const {
        Cell::new(ResultSpares {
            list: Vec::new(),
            edits: Vec::new(),
            modifiers: Vec::new(),
        })
    };
}

/// The list, emptied (its allocation kept).
fn emptied<T>(mut list: Vec<T>) -> Vec<T> {
    list.clear();
    list
}

/// `n` empty diagnosis results, those of `kept` reused.
fn dx_results(mut kept: Vec<DxResult>, n: usize) -> Vec<DxResult> {
    kept.truncate(n);
    kept.iter_mut().for_each(|d| d.edits.clear());
    kept.resize_with(n, DxResult::default);
    kept
}

/// Keeps an answer the caller has written (the JSON paths) for the
/// thread's next claim: its lists' allocations (the claim's, each
/// diagnosis's and each line's) are reused instead of allocated anew.
pub(crate) fn recycle(mut e: Edited) {
    if e.lines.capacity() == 0 || e.lines.len() > KEEP_LINE_RESULTS {
        return;
    }
    for d in e.reason_for_visit.iter_mut().chain(&mut e.secondary) {
        d.edits.clear();
    }
    // (The line results stay where they are, emptied when reused: moved
    // into a list of their own, each would be copied.)
    let kept = Edited {
        claim_rejection_edits: emptied(e.claim_rejection_edits),
        claim_denial_edits: emptied(e.claim_denial_edits),
        claim_return_to_provider_edits: emptied(e.claim_return_to_provider_edits),
        claim_suspension_edits: emptied(e.claim_suspension_edits),
        line_rejection_edits: emptied(e.line_rejection_edits),
        line_denial_edits: emptied(e.line_denial_edits),
        principal: DxResult {
            edits: emptied(e.principal.edits),
        },
        version: e.version,
        reason_for_visit: e.reason_for_visit,
        secondary: e.secondary,
        lines: e.lines,
        ..Edited::default()
    };
    let _ = SPARE_EDITED.try_with(|s| s.set(Some(kept)));
}

thread_local! {
    /// The answer [`edit_in_place`] writes each claim's into, kept for the
    /// thread's next claim.
    static ANSWER: std::cell::RefCell<Edited> = std::cell::RefCell::new(Edited::default());
}

/// Edits `claim` into the thread's kept answer and hands it to `write`
/// (the JSON paths, which write the answer and need it no more): no answer
/// moved in or out (an `Edited` is about 330 bytes; the answer returned,
/// recycled and taken back was copied some eight times a claim), its
/// lists' allocations reused from claim to claim.
pub(crate) fn edit_in_place<R>(claim: &ClaimInput<'_>, write: impl FnOnce(&Edited) -> R) -> R {
    let editor = Editor::new();
    let mut write = Some(write);
    let kept = ANSWER.try_with(|a| {
        let mut e = a.try_borrow_mut().ok()?;
        editor.edit_into(claim, &mut e);
        let r = write.take().map(|w| w(&e));
        // (A long claim's results freed, as `recycle` frees them.)
        if e.lines.len() > KEEP_LINE_RESULTS {
            e.lines = Vec::new();
        }
        r
    });
    match (kept, write) {
        (Ok(Some(r)), _) => r,
        // (The thread's answer not at hand: one of this claim's own.)
        (_, Some(write)) => write(&editor.edit(claim)),
        (_, None) => unreachable!("the answer is written once"),
    }
}

/// Look every line's code up once, in version `v`: [`Run::rows`].
fn line_rows<'t>(t: &'t Tables, v: Version, claim: &ClaimInput<'_>) -> Vec<LineRow<'t>> {
    let mut rows: Vec<LineRow<'t>> =
        crate::scratch::relabel(SPARE_ROWS.try_with(|s| s.take()).unwrap_or_default());
    rows.extend(claim.lines.iter().map(|l| {
        let code = l.hcpcs;
        let row = key(code.trimmed()).and_then(|k| t.hcpcs.get(&k, v));
        (code.as_ptr() as usize, code.len(), row)
    }));
    if rows.len() > LINEAR_ROWS && !rows.is_sorted_by_key(|r| (r.0, r.1)) {
        rows.sort_unstable_by_key(|r| (r.0, r.1));
    }
    rows
}

/// Up to this many lines a code's row is found by a scan, past it by a
/// binary search.
const LINEAR_ROWS: usize = 16;

/// The disposition of `edit` in version `v` ([`Run::disposition`]): the
/// row in force, or failing one any row of the edit.
/// An FQHC's line (type of bill 77x) with cost sharing waived: modifier
/// `CS` (as written, upper case) on a line with a code, dated from
/// 2020-03-18. Its payment method flag is `C` even on a claim the I/OCE
/// stops for its dates (023, 119; not 024, no version: pyoce, probes with
/// every line kind; 6 claims on the seeds).
pub(crate) fn fqhc_cost_sharing_waived(bill_type: &str, l: &LineInput<'_>) -> bool {
    bill_type.trimmed().starts_with("77")
        && !l.hcpcs.trimmed().is_empty()
        && l.modifiers.iter().any(|m| m.trimmed() == "CS")
        && read_date(l.service_date).is_some_and(|d| d >= 20200318)
}

fn disposition_in(t: &Tables, v: Version, edit: u16) -> u8 {
    t.edits
        .get(&edit, v)
        .or_else(|| t.edits.all(&edit).last().map(|(_, _, e)| e))
        .map_or(0, |e| e.disposition)
}

impl<'t> Run<'t> {
    /// Take the edits the contractor bypasses out of what was raised so
    /// far ([`super::bypass::Bypass::apply`]).
    pub(crate) fn apply_bypass(&mut self, before_payment: bool) {
        if let Some(b) = self.bypass.take() {
            b.apply(self, before_payment);
            self.bypass = Some(b);
        }
    }

    /// Whether the contractor bypasses `edit` on line `line`.
    pub(crate) fn bypassed_on(&self, line: usize, edit: u16) -> bool {
        self.bypass
            .as_ref()
            .is_some_and(|b| b.bypassed(Some(line), edit))
    }

    /// The row of a line's code, when `code` is a line's own text (the same
    /// address and length: the same text, so the same row): looked up once
    /// a claim. `None` for any other text.
    pub(crate) fn line_row(&self, code: &str) -> Option<Option<&'t super::data::HcpcsRow>> {
        let at = (code.as_ptr() as usize, code.len());
        let hint = self.next_row.get();
        if let Some(r) = self.rows.get(hint).filter(|r| (r.0, r.1) == at) {
            self.next_row.set(hint + 1);
            return Some(r.2);
        }
        let found = if self.rows.len() <= LINEAR_ROWS {
            self.rows.iter().position(|r| (r.0, r.1) == at)
        } else {
            self.rows.binary_search_by_key(&at, |r| (r.0, r.1)).ok()
        }?;
        self.next_row.set(found + 1);
        Some(self.rows[found].2)
    }

    /// The claim's line results, one a line, each emptied in place (every
    /// output blank, every list empty, one empty list of modifier edits a
    /// modifier), for the line pass to fill where they stand.
    ///
    /// The results are the thread's last answer's when it was kept
    /// ([`recycle`]): emptied where they are, their lists' allocations
    /// reused. A claim of more lines adds blank results given the lists
    /// earlier claims left unused; one of fewer lines keeps its surplus
    /// results' lists for them. (Built on the stack and pushed, each
    /// 304-byte result was copied twice a line, and results moved through
    /// a pool of their own twice more.)
    pub(crate) fn line_results(&mut self, claim: &ClaimInput<'_>) -> Vec<LineResult> {
        let n = claim.lines.len();
        let mut list = std::mem::take(&mut self.spare_lines);
        if list.capacity() == 0 {
            list = std::mem::take(&mut self.result_spares.list);
        }
        let spares = &mut self.result_spares;
        let old = list.len();
        if old > n {
            for r in &mut list[n..] {
                spares.keep(r);
            }
            list.truncate(n);
        } else if old < n {
            // (Grown to a power of two: the lists kept change places from
            // claim to claim, and grown to each claim's length they were
            // grown again on most claims.)
            if list.capacity() < n {
                list.reserve(n.next_power_of_two() - old);
            }
            list.resize_with(n, LineResult::default);
            for r in &mut list[old..] {
                spares.give(r);
            }
        }
        for (r, l) in list.iter_mut().zip(&claim.lines) {
            r.empty(l.modifiers.len());
        }
        list
    }

    /// Record `edit` as raised on the claim alone.
    pub(crate) fn claim_edit(&mut self, edit: u16) {
        if !self.claim_only.contains(&edit) {
            self.claim_only.push(edit);
        }
    }

    /// The edit's disposition (1 claim rejection … 6 line denial): the row
    /// in force, or failing one any row of the edit, as the I/OCE files
    /// edits raised outside their rows' versions (127, 027, 135).
    pub(crate) fn disposition(&self, edit: u16) -> u8 {
        // (Worked out once a process for every version and edit number of
        // the process's tables: a table look-up, not a hash one.)
        static BY_VERSION: std::sync::OnceLock<Vec<[u8; 256]>> = std::sync::OnceLock::new();
        if edit < 256 && std::ptr::eq(self.t, Tables::get()) {
            let all = BY_VERSION.get_or_init(|| {
                let t = Tables::get();
                let last = t.last_version();
                (0..=last)
                    .map(|v| std::array::from_fn(|e| disposition_in(t, v, e as u16)))
                    .collect()
            });
            if let Some(row) = all.get(usize::from(self.v)) {
                return row[usize::from(edit)];
            }
        }
        disposition_in(self.t, self.v, edit)
    }

    /// Whether an edit of disposition `disposition` (3: return to
    /// provider, …) has been raised so far, on a diagnosis, a line or the
    /// claim.
    pub(crate) fn raised_with(&self, disposition: u8) -> bool {
        let o = &self.out;
        o.principal
            .edits
            .iter()
            .chain(
                o.reason_for_visit
                    .iter()
                    .chain(&o.secondary)
                    .flat_map(|d| &d.edits),
            )
            .chain(o.lines.iter().flat_map(|l| {
                l.hcpcs_edits
                    .iter()
                    .chain(&l.service_date_edits)
                    .chain(&l.revenue_edits)
                    .chain(l.modifier_edits.iter().flatten())
            }))
            .chain(&self.claim_only)
            .any(|&e| self.disposition(e) == disposition)
    }

    /// Build the claim lists from every edit raised, each once, in the
    /// I/OCE's order, and the dispositions from them.
    fn finish(mut self, from: u32, through: u32) {
        crate::scratch::give_back_lines(&SPARE_ROWS, std::mem::take(&mut self.rows));
        // The line results this claim did not use (the last answer's, on a
        // claim stopped before its lines were edited) leave their lists to
        // the spares, and their emptied list is the next claim's answer's:
        // kept, not freed (each answer's list was allocated anew).
        let mut unused = std::mem::take(&mut self.spare_lines);
        let mut spares = std::mem::take(&mut self.result_spares);
        for r in &mut unused {
            spares.keep(r);
        }
        if spares.list.capacity() == 0 && unused.capacity() <= 2 * KEEP_LINE_RESULTS {
            unused.clear();
            spares.list = unused;
        }
        let _ = RESULT_SPARES.try_with(|s| s.set(spares));
        // (The list of the thread's last claim, emptied: see `RAISED`.)
        let mut raised = RAISED.try_with(Cell::take).unwrap_or_default();
        raised.clear();
        let o = &self.out;
        let mut add = |e: u16| {
            if !raised.contains(&e) {
                raised.push(e);
            }
        };
        o.principal.edits.iter().copied().for_each(&mut add);
        o.reason_for_visit
            .iter()
            .chain(&o.secondary)
            .flat_map(|d| d.edits.iter().copied())
            .for_each(&mut add);
        for l in &o.lines {
            l.hcpcs_edits
                .iter()
                .chain(&l.service_date_edits)
                .chain(&l.revenue_edits)
                .chain(l.modifier_edits.iter().flatten())
                .copied()
                .for_each(&mut add);
        }
        self.claim_only.iter().copied().for_each(&mut add);
        let multi_day = from != through;
        raised.sort_by_key(|&e| order::claim_rank(e, multi_day, self.cah));
        if self.ncci_040_first {
            if let (Some(a), Some(b)) = (
                raised.iter().position(|&e| e == 20),
                raised.iter().position(|&e| e == 40),
            ) {
                raised.swap(a, b);
            }
        }
        if self.addon_108_first {
            if let (Some(a), Some(b)) = (
                raised.iter().position(|&e| e == 106),
                raised.iter().position(|&e| e == 108),
            ) {
                raised.swap(a, b);
            }
        }
        // 050 (a statutory exclusion) and 009 (a non-covered service)
        // raised both on a code and on a revenue code
        // are listed twice, once for each (pyoce: 100 of 100 claims with
        // 050 on both, 8 of 8 with 009; once when on one side only).
        let on_both = |e: u16| {
            self.out.lines.iter().any(|l| l.hcpcs_edits.contains(&e))
                && self.out.lines.iter().any(|l| l.revenue_edits.contains(&e))
        };
        let (twice_050, twice_009) = (on_both(50), on_both(9));
        for &e in &raised {
            if e == 50 && twice_050 && self.disposition(e) == 3 {
                self.out.claim_return_to_provider_edits.push(e);
            }
            let twice = e == 9 && twice_009;
            let list = match self.disposition(e) {
                1 => &mut self.out.claim_rejection_edits,
                2 => &mut self.out.claim_denial_edits,
                3 => &mut self.out.claim_return_to_provider_edits,
                4 => &mut self.out.claim_suspension_edits,
                5 => &mut self.out.line_rejection_edits,
                6 => &mut self.out.line_denial_edits,
                _ => continue,
            };
            list.push(e);
            if twice {
                list.push(e);
            }
        }
        crate::scratch::give_back(&RAISED, raised);
        let o = &mut self.out;
        o.claim_rejection_disposition = u8::from(!o.claim_rejection_edits.is_empty());
        o.claim_denial_disposition = if !o.claim_denial_edits.is_empty() {
            1
        } else if o.line_denial_edits.contains(&18) {
            2
        } else {
            0
        };
        o.claim_return_to_provider_disposition =
            u8::from(!o.claim_return_to_provider_edits.is_empty());
        o.claim_suspension_disposition = u8::from(!o.claim_suspension_edits.is_empty());
        // (The information-only rejections, 007 and a program day's too few
        // services, 128 and 131, leave it 0: pyoce, 12 of 12 claims.)
        o.line_rejection_disposition = u8::from(
            o.line_rejection_edits
                .iter()
                .any(|&e| !matches!(e, 7 | 128 | 131)),
        );
        o.line_denial_disposition = u8::from(!o.line_denial_edits.is_empty());
        let claim_lists_empty = o.claim_rejection_edits.is_empty()
            && o.claim_denial_edits.is_empty()
            && o.claim_return_to_provider_edits.is_empty()
            && o.claim_suspension_edits.is_empty();
        o.claim_disposition = if multi_day && o.claim_denial_disposition == 2 && claim_lists_empty {
            2
        } else if o.claim_rejection_disposition != 0
            || o.claim_denial_disposition != 0
            || o.claim_return_to_provider_disposition != 0
            || o.claim_suspension_disposition != 0
        {
            4
        } else if o.line_rejection_disposition != 0 || o.line_denial_disposition != 0 {
            1
        } else {
            0
        };
    }
}

/// Edits on the claim as a whole: 029 a partial hospitalization or
/// intensive outpatient claim whose principal diagnosis is not a mental
/// health one (whatever its lines).
fn claim_edits(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &path::Path) {
    let t = run.t;
    let v = run.v;
    let has_cc = |cc: &str| claim.has_condition(cc);
    // A partial hospitalization or intensive outpatient claim: 13x with
    // condition code 41 or 92, or a community mental health center's 76x.
    // (Intensive outpatient programs, condition code 92, from v94: 2024.)
    let iop = has_cc("92") && v >= 94;
    // (A CMHC's 029 reads its lines' edits: clinic::cmhc_edits.)
    let program = path.prefix == 13 && (has_cc("41") || iop);
    if program && path.opps {
        let principal = claim
            .principal
            .and_then(super::data::dx_key)
            .and_then(|k| t.dx.get(&k, v));
        // `data_dx10` flags: bit 1 mental_health, bit 3 code_first.
        let mental_health = principal.is_some_and(|d| d.flags & (1 << 1) != 0);
        let code_first = principal.is_some_and(|d| d.flags & (1 << 3) != 0);
        if !mental_health && !code_first {
            run.claim_edit(29);
        } else if !mental_health {
            // A "code first" principal needs a mental health diagnosis in
            // the first secondary position: 109, not 029, as on a CMHC's
            // claim (pyoce: 3 of 3 such 13x claims with 41).
            let first_secondary_mh = claim
                .secondary
                .first()
                .and_then(|&d| super::data::dx_key(d))
                .and_then(|k| t.dx.get(&k, v))
                .is_some_and(|d| d.flags & (1 << 1) != 0);
            if !first_secondary_mh {
                run.claim_edit(109);
            }
        }
    }
    // A claim submitted for a Medicare denial (condition code 21) is
    // denied (010), up to v81 (2020-12-31): pyoce raised it on every such
    // claim of v76–v81 and on none after.
    if has_cc("21") && v <= 81 {
        run.claim_edit(10);
    }
    // (088, an FQHC claim without a payment code, reads the lines' edits:
    // clinic::other_bill_type_edits.)
}

/// Units as the I/OCE echoes them: a whole number without a fraction.
pub(crate) fn units_text(units: Option<f64>) -> Flag {
    match units {
        Some(u) if u.fract() == 0.0 && u.abs() < 1e15 => Flag::integer(u as i64),
        Some(u) => u.to_string().into(),
        None => Flag::new(),
    }
}

/// The outputs of a line that the I/OCE did not process (a claim stopped
/// by a claim-level edit).
fn unprocessed_line(line: &LineInput<'_>, status_indicator: &str, apc: &str) -> LineResult {
    LineResult {
        action_flag: "0".into(),
        hcpcs_apc: apc.into(),
        payment_apc: apc.into(),
        status_indicator: status_indicator.into(),
        payment_indicator: "3".into(),
        discounting_formula: "1".into(),
        rejection_denial_flag: "0".into(),
        packaging_flag: "0".into(),
        payment_adjustment_flag01: "0".into(),
        payment_adjustment_flag02: "0".into(),
        payment_method_flag: "0".into(),
        composite_adjustment_flag: "00".into(),
        units_output: units_text(line.units),
        modifier_edits: vec![Vec::new(); line.modifiers.len()],
        ..LineResult::default()
    }
}

/// A claim of a hospital not paid under OPPS (OPPS flag 2), whatever its
/// path and however far it was edited: its non-OPPS flag is 2, and its
/// lines have no status indicator, APC nor payment outputs (the payment
/// indicator, the adjustment and method flags blank, the discounting
/// formula and the rejection and packaging flags 0), and units 0 are
/// read as 1, as pyoce answers every such claim.
fn non_opps(out: &mut Edited, claim: &ClaimInput<'_>) {
    out.nopps_bill_flag = 2;
    for (l, input) in out.lines.iter_mut().zip(&claim.lines) {
        if input.units == Some(0.0) {
            l.units_output = "1".into();
        }
        l.status_indicator.clear();
        l.payment_indicator.clear();
        l.hcpcs_apc = "00000".into();
        l.payment_apc = "00000".into();
        l.discounting_formula = "0".into();
        l.rejection_denial_flag = "0".into();
        l.packaging_flag = "0".into();
        l.payment_adjustment_flag01.clear();
        l.payment_adjustment_flag02.clear();
        l.payment_method_flag.clear();
        l.composite_adjustment_flag.clear();
    }
}

/// The patient's age when the I/OCE can read it: a whole number 0 … 124.
fn valid_age(age: Option<f64>) -> Option<u16> {
    age.filter(|a| a.fract() == 0.0 && (0.0..=124.0).contains(a))
        .map(|a| a as u16)
}

/// Whether the sex is one the I/OCE reads (`M`, `F`, `U`, or its `1`, `2`,
/// `0`).
fn valid_sex(sex: &str) -> bool {
    // (Compared without case, not upper-cased into a new string.)
    let sex = sex.trimmed();
    ["M", "F", "U", "0", "1", "2", "00", "01", "02"]
        .iter()
        .any(|s| sex.eq_ignore_ascii_case(s))
}

impl Editor {
    /// The editor (reads the tables on first use, about a second).
    pub fn new() -> Editor {
        Editor { t: Tables::get() }
    }

    /// Edit a [`Claim`] (see [`ClaimInput::from_claim`]).
    pub fn edit_claim(&self, claim: &Claim) -> Edited {
        let input = ClaimInput::from_claim(claim);
        let edited = self.edit(&input);
        input.recycle();
        edited
    }

    /// Edit one claim.
    pub fn edit(&self, claim: &ClaimInput<'_>) -> Edited {
        // (The lists of an answer the thread has written, when there is
        // one: [`recycle`].)
        let mut out = SPARE_EDITED
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default();
        self.edit_into(claim, &mut out);
        out
    }

    /// [`edit`](Self::edit) into `out`, whatever it held (its lists'
    /// allocations reused).
    pub(crate) fn edit_into(&self, claim: &ClaimInput<'_>, out: &mut Edited) {
        self.edit_paths(claim, out);
        if !path::is_opps(claim.opps_flag) {
            non_opps(out, claim);
        }
    }

    /// [`edit_into`](Self::edit_into) but for what a claim not paid under
    /// OPPS leaves blank.
    fn edit_paths(&self, claim: &ClaimInput<'_>, out: &mut Edited) {
        let t = self.t;
        let (spare_lines, mut release_text) = out.empty(claim);
        if claim.lines.is_empty() {
            out.return_code = 12;
            out.claim_processed_flag = 2;
            return;
        }
        // The claim-level checks, in the I/OCE's order; the first that
        // fails stops the claim.
        let from = read_date(claim.from_date);
        let through = read_date(claim.through_date);
        let receipt_bad = claim
            .receipt_date
            .filter(|r| !r.trimmed().is_empty())
            .is_some_and(|r| match read_date(r) {
                None => true,
                Some(r) => from.is_some_and(|f| r < f) || r > 20360331,
            });
        let version = from.and_then(|d| t.versions.iter().find(|v| v.start <= d && d <= v.end));
        let stop = if from.is_none() {
            Some((23, 13))
        } else if through.is_none() {
            Some((23, 14))
        } else if receipt_bad {
            Some((119, 29))
        } else if from > through {
            Some((23, 15))
        } else if version.is_none() {
            Some((24, 17))
        } else {
            None
        };
        let (from, through) = (from.unwrap_or(0), through.unwrap_or(0));
        if let Some((edit, code)) = stop {
            out.return_code = code;
            out.claim_processed_flag = 1;
            out.lines = claim
                .lines
                .iter()
                .map(|l| {
                    let mut r = unprocessed_line(l, "W", "00000");
                    // A claim returned for its receipt date (119) reads
                    // units 0 as 1 (pyoce: 186 of 186 such lines).
                    if edit == 119 && l.units == Some(0.0) {
                        r.units_output = "1".into();
                    }
                    if edit != 24 && fqhc_cost_sharing_waived(claim.bill_type, l) {
                        r.payment_method_flag = "C".into();
                    }
                    r
                })
                .collect();
            let run = Run {
                t,
                v: 103,
                rv: None,
                out,
                claim_only: vec![edit],
                ncci_040_first: false,
                addon_108_first: false,
                cah: false,
                ca_line: None,
                rows: Vec::new(),
                spare_lines,
                next_row: Cell::new(0),
                result_spares: RESULT_SPARES.try_with(Cell::take).unwrap_or_default(),
                bypass: None,
            };
            run.out.apc_return_buffer_flag = None;
            run.finish(from, through);
            return;
        }
        let version = version.expect("checked above");
        out.version = Some(match release_text.take() {
            Some(mut text) => {
                text.clear();
                text.push_str(version.release);
                text
            }
            None => version.release.to_string(),
        });
        out.internal_version = Some(version.internal);
        let v = version.internal;
        // (A receipt date given is valid and in a version here: 119 above.)
        let revenue_date = claim
            .receipt_date
            .filter(|r| !r.trimmed().is_empty())
            .and_then(read_date)
            .unwrap_or(through);
        let rv = t
            .versions
            .iter()
            .find(|v| v.start <= revenue_date && revenue_date <= v.end)
            .map(|v| v.internal);
        let mut run = Run {
            t,
            v,
            rv,
            out,
            claim_only: Vec::new(),
            ncci_040_first: false,
            addon_108_first: false,
            cah: false,
            ca_line: None,
            rows: line_rows(t, v, claim),
            spare_lines,
            next_row: Cell::new(0),
            result_spares: RESULT_SPARES.try_with(Cell::take).unwrap_or_default(),
            bypass: None,
        };
        let table_si = |l: &LineInput<'_>| -> Flag {
            key(l.hcpcs.trimmed())
                .and_then(|k| t.hcpcs.get(&k, v))
                .map_or(Flag::new(), |r| key_text(r.status_indicator))
        };
        // A home health claim (34x) with a vaccine, antigen, splint, cast
        // or negative pressure wound therapy (the services a home health
        // agency is paid under OPPS for) goes down the path that assigns
        // APCs (pbt_map's rule 3; pyoce: 5 of 5 such claims, none of 143
        // others).
        let home_health_opps = claim.bill_type.trimmed().starts_with("34")
            && claim.lines.iter().any(|l| {
                key(l.hcpcs.trimmed())
                    .and_then(|k| t.hcpcs.get(&k, v))
                    .is_some_and(|r| {
                        r.has(hcpcs_bit!(t, "vaccine"))
                            || r.has(hcpcs_bit!(t, "negative_pressure_wound_therapy"))
                            || r.has(hcpcs_bit!(t, "antigen"))
                            || r.has(hcpcs_bit!(t, "splint"))
                            || r.has(hcpcs_bit!(t, "cast"))
                    })
            });
        let route = path::route(
            t,
            v,
            claim.bill_type,
            claim.opps_flag,
            &claim.condition_codes,
            home_health_opps,
        );
        // An invalid type of bill stops the claim at once (return code 18);
        // a partial hospitalization on 12x/14x (22) only after the line
        // dates (16) and the contractor's bypasses (26) were read (pyoce,
        // probes).
        // The lines as a claim stopped before its edits leaves them (18, 16,
        // 26, 22): the table's status indicator under OPPS, else none.
        let stopped_lines = |opps: bool| -> Vec<LineResult> {
            claim
                .lines
                .iter()
                .map(|l| {
                    let si = if opps { table_si(l) } else { Flag::new() };
                    unprocessed_line(l, &si, "00000")
                })
                .collect()
        };
        let (path, partial_hospitalization) = match route {
            path::Route::Path(p) => (Some(p), None),
            path::Route::PartialHospitalizationNotAllowed { opps } => (None, Some(opps)),
            path::Route::Invalid { opps } => {
                run.out.return_code = 18;
                run.out.claim_processed_flag = 1;
                run.out.nopps_bill_flag = if opps { 0 } else { 2 };
                run.out.apc_return_buffer_flag = None;
                run.out.lines = stopped_lines(opps);
                super::payment::unprocessed(&mut run, claim, opps, false);
                run.claim_only.push(118);
                run.finish(from, through);
                return;
            }
        };
        let opps = path
            .as_ref()
            .map_or(partial_hospitalization == Some(true), |p| p.opps);
        run.cah = path.as_ref().is_some_and(|p| p.prefix == 85);
        run.out.nopps_bill_flag = if opps { 0 } else { 2 };
        let returns_apcs = path
            .as_ref()
            .is_some_and(|p| p.on(path::switch::APC_RETURN_BUF));
        run.out.apc_return_buffer_flag = Some(returns_apcs.into());
        // Line dates: a line dated outside the claim's span stops the claim.
        // (Each line's date tested again on a claim with a bad one, not kept
        // in a list: an allocation on every claim.)
        let bad_date =
            |l: &LineInput<'_>| read_date(l.service_date).is_none_or(|d| d < from || d > through);
        if claim.lines.iter().any(bad_date) {
            run.out.return_code = 16;
            run.out.claim_processed_flag = 1;
            run.out.lines = stopped_lines(opps);
            for (r, l) in run.out.lines.iter_mut().zip(&claim.lines) {
                if bad_date(l) {
                    r.service_date_edits.push(23);
                }
            }
            run.finish(from, through);
            return;
        }
        // A contractor's bypass of an edit the I/OCE's table does not allow
        // stops the claim (return code 26): its lines as on an invalid type
        // of bill, with the first payment adjustment flags.
        run.bypass = match super::bypass::Bypass::read(t, v, claim) {
            Ok(b) => b,
            Err(super::bypass::NotBypassable) => {
                run.out.return_code = 26;
                run.out.claim_processed_flag = 4;
                run.out.lines = stopped_lines(opps);
                super::payment::unprocessed(&mut run, claim, opps, true);
                if opps && returns_apcs {
                    super::bypass::stopped_adjustment_flags(&mut run, claim);
                }
                run.finish(from, through);
                return;
            }
        };
        let Some(path) = path else {
            // Partial hospitalization not allowed on the type of bill (046).
            run.out.return_code = 22;
            run.out.claim_processed_flag = 1;
            run.out.lines = stopped_lines(opps);
            super::payment::unprocessed(&mut run, claim, opps, false);
            run.claim_only.push(46);
            run.finish(from, through);
            return;
        };
        let age = valid_age(claim.age);
        if age.is_none() {
            run.claim_edit(25);
        }
        if !valid_sex(claim.sex) {
            run.claim_edit(26);
        }
        claim_edits(&mut run, claim, &path);
        run.out.principal_present = claim.principal.is_some();
        if path.on(path::switch::DX_PROC_EDITS) {
            dx::diagnoses(&mut run, claim, age, path.prefix);
        }
        run.apply_bypass(true);
        lines::lines(&mut run, claim, &path, age);
        run.apply_bypass(true);
        // (Only on the paths that return APCs: OPPS hospital claims.)
        // (Nor when a day's only service is mental health education, 035:
        // pyoce raises that instead, probes.)
        let incidental = path.on(path::switch::APC_RETURN_BUF)
            && lines::only_incidental(&run, claim, &path)
            && !run.out.lines.iter().any(|l| l.hcpcs_edits.contains(&35));
        if incidental {
            run.claim_edit(27);
        } else {
            pairs::pairs(&mut run, claim, &path);
            lines::keep_inpatient_day_edits(&mut run);
            lines::drop_080_on_rejected_lines(&mut run);
        }
        super::clinic::other_bill_type_edits(&mut run, claim, &path);
        super::clinic::type3_addon_edits(&mut run, claim, &path);
        super::clinic::cmhc_edits(&mut run, claim, &path);
        super::clinic::program_day_edits(&mut run, claim, &path);
        if incidental {
            // (The payment steps see the edits an incidental-only claim
            // keeps: an invalid code's line with a terminated procedure's
            // modifier is discounted (3), not rejected, on pyoce's 2 of 2.)
            lines::keep_validity_edits(&mut run);
        }
        run.apply_bypass(true);
        super::payment::assign(&mut run, claim, &path);
        if !incidental {
            lines::nonopioid_devices_without_procedure(&mut run, claim, &path);
        }
        // A Q1–Q3 line paid under a comprehensive APC ends J1 and packages
        // the claim's DME items as a J1 code does: no 061 then either
        // (pyoce, 11 of 11 such claims).
        if path.number != 120
            && path.opps
            && super::payment::comprehensive_packaging(claim, &path)
            && run.out.lines.iter().any(|l| l.status_indicator == "J1")
        {
            for l in &mut run.out.lines {
                l.hcpcs_edits.retain(|&e| e != 61);
            }
        }
        if incidental {
            // Only incidental services (027): the claim is rejected, and of
            // the other edits only those that say a code is invalid remain.
            lines::keep_validity_edits(&mut run);
            // (Each line's rejection flag reads the edits it keeps.)
            for i in 0..run.out.lines.len() {
                let flag = super::payment::rejection_flag(&run, &run.out.lines[i]);
                run.out.lines[i].rejection_denial_flag = flag.into();
            }
        } else {
            // The edits raised on the final status indicators do not reach
            // an inpatient-only procedure's day either.
            lines::keep_inpatient_day_edits(&mut run);
        }
        // 029 (a program claim without a mental health principal) is not
        // raised on a claim that is rejected, nor beside an inpatient-only
        // procedure's day (049): pyoce, 0 of 160 such claims.
        // (Nor on one of only incidental services whose 027 the contractor
        // bypassed: pyoce, 2 of 2. Nor 109, raised in 029's place.)
        if run.claim_only.iter().any(|&e| e == 29 || e == 109)
            && (run.raised_with(1)
                || incidental
                || run.out.lines.iter().any(|l| l.hcpcs_edits.contains(&49)))
        {
            run.claim_only.retain(|&e| e != 29 && e != 109);
        }
        run.apply_bypass(false);
        lines::sort_line_edits(&mut run);
        super::clinic::one_add_on_edit_per_line(&mut run, &path);
        run.finish(from, through)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(read_date("2025-03-01"), Some(20250301));
        assert_eq!(read_date("20250301"), Some(20250301));
        assert_eq!(read_date("2025-02-30"), None);
        assert_eq!(read_date(""), None);
        assert_eq!(read_date(" 20250301 "), Some(20250301));
        assert_eq!(read_date("2025/03/01"), None);
        assert_eq!(read_date("2025-03-0a"), None);
        assert_eq!(read_date("2025-\u{e9}-01"), None);
        assert_eq!(read_date("+2025030"), None);
        // Every day of every month, and the days and months around them,
        // as the calendar answers.
        for y in [0, 1, 1900, 2000, 2024, 2025, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let n = y * 10_000 + m * 100 + d;
                    let want = medcode_base::calendar::is_calendar_date(n).then_some(n);
                    assert_eq!(read_date(&format!("{y:04}-{m:02}-{d:02}")), want, "{n}");
                    assert_eq!(read_date(&format!("{y:04}{m:02}{d:02}")), want, "{n}");
                }
            }
        }
    }

    /// Both readers of a claim hand the editor its receipt date and OPPS
    /// flag, as written.
    #[test]
    fn claims_give_receipt_date_and_opps_flag() {
        let json = r#"{"id":"O-1","bill_type":"851","from_date":"2025-03-01","receipt_date":"2025-03-04","opps_flag":"2"}"#;
        let claim: Claim = serde_json::from_str(json).unwrap();
        let owned = ClaimInput::from_claim(&claim);
        assert_eq!(owned.receipt_date, Some("2025-03-04"));
        assert_eq!(owned.opps_flag, Some("2"));
        let borrowed: crate::claim::ClaimRef<'_> = serde_json::from_str(json).unwrap();
        assert_eq!(ClaimInput::from_claim_ref(&borrowed), owned);
        let mut fast = crate::claim::ClaimRef::default();
        crate::claim::fast_json::read_claim(json, &mut fast).unwrap();
        assert_eq!(ClaimInput::from_claim_ref(&fast), owned);
        let (id, direct) = ClaimInput::read_outpatient(json).unwrap().unwrap();
        assert_eq!((id, &direct), (Some("O-1"), &owned));
        let none: Claim = serde_json::from_str(r#"{"bill_type":"131"}"#).unwrap();
        let input = ClaimInput::from_claim(&none);
        assert_eq!((input.receipt_date, input.opps_flag), (None, None));
    }

    /// The I/OCE's JSON reader gives the inputs the claim reader's claim
    /// gives: a line without a service date takes the from date (read
    /// after the lines), or the claim's service date without one; the
    /// first diagnosis is the principal; `null` modifiers are empty; an
    /// inpatient claim is read and left; a text either reader declines,
    /// declined.
    #[test]
    fn reads_json_as_the_claim_reader() {
        let texts = [
            r#"{"id":"A","lines":[{"code":"99213","modifiers":["25",null],"revenue_code":"0510"},{"code":"J1100","service_date":"2025-03-02","units":2.5,"charge":10.25}],"bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-04","diagnoses":["N18.6",{"code":"E11.9","poa":"Y"},{"poa":"N"}],"condition_codes":["41",7],"reason_for_visit":"R07.9"}"#,
            r#"{"bill_type":"131","diagnoses":[],"lines":[{"charge":1,"code":"G0463","dx_pointers":[1,2],"modifiers":"59","revenue_code":"0510","units":1}],"patient":{"age":70,"sex":"F"},"service_date":"2025-04-01","type":"institutional"}"#,
            r#"{"bill_type": "851", "lines": [ {"code": "G0463", "revenue_code": "0510"} ], "procedures": [{"code": "0DTJ4ZZ"}], "occurrence_codes": ["11"], "value_codes": [{"code": "80", "amount": 2}]}"#,
            r#"{"lines":[{"code":"G0463","code":"G0463"}],"bill_type":"131"}"#,
            r#"{"lines":[{"code":"G\u0030463"}],"bill_type":"131"}"#,
        ];
        for text in texts {
            let fast = {
                let mut claim = crate::claim::ClaimRef::default();
                crate::claim::fast_json::read_claim(text, &mut claim).map(|()| claim)
            };
            let direct = ClaimInput::read_outpatient(text);
            assert_eq!(fast.is_some(), direct.is_some(), "{text}");
            if let (Some(fast), Some(Some((id, input)))) = (&fast, direct) {
                assert_eq!(id, fast.id.as_deref(), "{text}");
                assert_eq!(input, ClaimInput::from_claim_ref(fast), "{text}");
            }
        }
        let (_, input) = ClaimInput::read_outpatient(texts[0]).unwrap().unwrap();
        assert_eq!(input.lines[0].service_date, "2025-03-01");
        assert_eq!(input.lines[0].modifiers, ["25", ""]);
        assert_eq!(input.principal, Some("N18.6"));
        assert_eq!(input.secondary, ["E11.9", ""]);
        assert_eq!(input.condition_codes, ["41", "7"]);
        let (_, input) = ClaimInput::read_outpatient(texts[1]).unwrap().unwrap();
        assert_eq!(input.lines[0].service_date, "2025-04-01");
        assert_eq!(input.lines[0].modifiers, ["59"]);
        let inpatient = r#"{"bill_type":"111","lines":[{"code":"G0463"}]}"#;
        assert_eq!(ClaimInput::read_outpatient(inpatient), Some(None));
        assert_eq!(ClaimInput::read_outpatient(texts[3]), None);
    }

    /// An answer edited into the thread's kept one ([`edit_in_place`]) is
    /// the answer edited anew, whatever claims the kept one answered before
    /// (longer, shorter, stopped, without lines, not paid under OPPS).
    #[test]
    fn answers_edited_in_place_are_answers_edited_anew() {
        let line = |code: &str, date: &str, modifiers: &str| {
            format!(
                r#"{{"code":"{code}","revenue_code":"0510","units":1,"charge":100,"service_date":"{date}","modifiers":[{modifiers}]}}"#
            )
        };
        let claim = |extra: &str, lines: &[String]| {
            format!(
                r#"{{"bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-02","patient":{{"sex":"F","age":70}},"diagnoses":["N18.6","E11.9","Z99.2"],"reason_for_visit":["R07.9"],"lines":[{}]{extra}}}"#,
                lines.join(",")
            )
        };
        let many: Vec<String> = (0..9)
            .map(|i| {
                line(
                    ["G0463", "80053", "82947", "99213", "J1100"][i % 5],
                    "2025-03-01",
                    r#""25","59""#,
                )
            })
            .collect();
        let texts = [
            claim("", &many),
            claim("", &many[..2]),
            claim(r#","opps_flag":"2""#, &many[..4]),
            claim("", &[line("G0463", "2025-04-01", "")]),
            claim("", &[]),
            claim(r#","receipt_date":"soon""#, &many[..3]),
            claim("", &many[..5]).replace(r#""131""#, r#""999""#),
            claim(r#","condition_codes":["20"]"#, &many),
            claim("", &many[..1]),
        ];
        for text in &texts {
            let (_, input) = ClaimInput::read_outpatient(text).unwrap().unwrap();
            let anew = Editor::new().edit(&input);
            assert_eq!(edit_in_place(&input, Edited::clone), anew, "{text}");
        }
    }

    /// The editor's answer to the two fields: `"2"` is not OPPS (no status
    /// indicators, the claim's non-OPPS flag 2), anything else OPPS; a bad
    /// or early receipt date returns the claim (119, return code 29), a
    /// later one changes nothing.
    #[test]
    fn edits_by_receipt_date_and_opps_flag() {
        let editor = Editor::new();
        let edit = |extra: &str| {
            let json = format!(
                r#"{{"bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-01","patient":{{"sex":"F","age":70}},"diagnoses":["N18.6"],"lines":[{{"code":"G0463","revenue_code":"0510","units":1,"charge":100}}]{extra}}}"#
            );
            let claim: Claim = serde_json::from_str(&json).unwrap();
            editor.edit_claim(&claim)
        };
        let plain = edit("");
        assert_eq!((plain.return_code, plain.nopps_bill_flag), (0, 0));
        assert!(!plain.lines[0].status_indicator.is_empty());
        for same in [
            r#","opps_flag":"1""#,
            r#","opps_flag":1"#,
            r#","opps_flag":"X""#,
            r#","opps_flag":"""#,
            r#","receipt_date":"2025-03-01""#,
            r#","receipt_date":"2025-07-04""#,
            r#","receipt_date":"""#,
        ] {
            assert_eq!(edit(same), plain, "{same}");
        }
        let non_opps = edit(r#","opps_flag":"2""#);
        assert_eq!(non_opps.nopps_bill_flag, 2);
        assert_eq!(non_opps.lines[0].status_indicator, "");
        assert_eq!(edit(r#","opps_flag":2"#), non_opps);
        for bad in ["2025-02-28", "2025-02-30", "soon", "2036-04-01"] {
            let e = edit(&format!(r#","receipt_date":"{bad}""#));
            assert_eq!(e.return_code, 29, "{bad}");
            assert!(e.listed_edits().any(|x| x == 119), "{bad}");
        }
    }
}
