//! A grouping as one JSON object: what `medcode group` writes, the C ABI
//! returns and the Python package parses.

use super::{
    AdmitDx, DrgImpact, DrgKind, DrgOutcome, DxFlag, DxOutcome, Grouping, Hac, HacStatus, HacUsage,
    MsdrgVersion, PoaError, ProcOutcome, ReturnCode, Severity,
};
use crate::json_scan::{push_json_str, push_opt_str, push_small_usize, push_usize};

impl Grouping {
    /// The grouping as one JSON object (no newline), CMS's names for values
    /// and snake_case keys: `claim_id` and `line` (left out when `None`),
    /// `version`, the initial and final DRG (`initial_drg`, `initial_mdc`,
    /// `initial_base_drg`, `initial_severity`, `initial_type`,
    /// `initial_return_code`, `initial_drg_title`, `initial_mdc_title`, and
    /// the same with `final_`, the final return code also as `return_code`),
    /// `hac_status`, `hac_categories`, `admit_dx`, then `principal`,
    /// `secondary` and `procedures` with each code's use, and the procedure
    /// `clusters` the claim satisfies.
    ///
    /// ```
    /// use medcode::drg::{DxInput, GroupInput, GroupOptions, Grouper, MsdrgVersion};
    /// let input = GroupInput {
    ///     principal: Some(DxInput::new("I21.4", b'Y')),
    ///     discharge_status: Some(1),
    ///     ..GroupInput::default()
    /// };
    /// let options = GroupOptions { version: Some(MsdrgVersion::V43_1), ..Default::default() };
    /// let g = Grouper::new().group(&input, &options)?;
    /// let json = g.to_json(Some("C1"), Some(1));
    /// assert!(json.starts_with(r#"{"claim_id":"C1","line":1,"version":"43.1","initial_drg":282,"#));
    /// let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    /// assert_eq!(v["final_drg_title"], "Acute Myocardial Infarction, Discharged Alive without CC/MCC");
    /// assert_eq!(v["principal"]["drg_impact"], "BOTH");
    /// # Ok::<(), medcode::drg::GroupError>(())
    /// ```
    pub fn to_json(&self, claim_id: Option<&str>, line: Option<usize>) -> String {
        let mut out =
            String::with_capacity(1024 + 160 * (self.secondary.len() + self.procedures.len()));
        self.write_json(claim_id, line, &mut out);
        out
    }

    /// Appends [`to_json`](Self::to_json)'s object to `out`.
    pub fn write_json(&self, claim_id: Option<&str>, line: Option<usize>, out: &mut String) {
        let head = Head {
            claim_id: ClaimId {
                text: claim_id,
                plain: false,
            },
            line,
            version: self.version,
            initial: &self.initial,
            final_drg: &self.final_drg,
            hac_status: self.hac_status,
            hac_categories: self.hac_categories,
            admit_dx: self.admit_dx,
            // Anyone may have set a title: each is checked to be the tables'.
            titles: TitleSource::Checked,
        };
        head.write(
            out,
            self.secondary.len(),
            self.procedures.len(),
            self.clusters.len(),
        );
        match &self.principal {
            Some(d) => write_dx(out, true, &d.code, d.mdc, dx_values(d), &*d.hacs, &head),
            None => out.push_str("null"),
        }
        out.push_str(",\"secondary\":[");
        for (i, d) in self.secondary.iter().enumerate() {
            write_dx(out, i == 0, &d.code, d.mdc, dx_values(d), &*d.hacs, &head);
        }
        out.push_str("],\"procedures\":[");
        for (i, p) in self.procedures.iter().enumerate() {
            let usage = p.hac_usage.iter().copied();
            let has_usage = !p.hac_usage.is_empty();
            write_proc(
                out,
                i == 0,
                &p.code,
                proc_values(p),
                (has_usage, usage),
                false,
            );
        }
        write_clusters(out, self.clusters.iter().copied());
    }
}

/// A diagnosis's values other than its code, MDC and HACs.
fn dx_values(d: &DxOutcome) -> DxValues {
    DxValues {
        severity: d.severity,
        impact: d.impact,
        poa_error: d.poa_error,
        flags: d.flags,
    }
}

/// A procedure's values other than its code and HAC usage.
fn proc_values(p: &ProcOutcome) -> ProcValues {
    ProcValues {
        is_or: p.is_or,
        valid: p.valid,
        impact: p.impact,
        marked_initial: p.marked_initial,
        marked_final: p.marked_final,
    }
}

/// Whose titles a grouping's text is written with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TitleSource {
    /// The grouper's, straight from its tables (the JSON path, which
    /// writes from the grouper's own state): copied as they are when the
    /// table needs no escape.
    Tables,
    /// A [`Grouping`]'s, which anyone may have changed: copied as they are
    /// only when each is the tables' own.
    Checked,
}

/// A claim's id as a grouping's text gives it.
#[derive(Clone, Copy)]
pub(crate) struct ClaimId<'a> {
    /// The id (none: `null`).
    pub text: Option<&'a str>,
    /// The id and the claim's codes are known to need no escape: read by
    /// the claim reader, which declines escapes and control characters
    /// (`json_scan`'s one test of what needs an escape is the reader's and
    /// the writer's), so they are written as they are, without the scan.
    pub plain: bool,
}

/// A code (or the claim's id) as a JSON string: as it is when `plain`
/// (known to need no escape), else escaped as needed.
#[inline(always)]
fn push_code(out: &mut String, code: &str, plain: bool) {
    if plain {
        out.push('"');
        crate::json_scan::push_short_str(out, code);
        out.push('"');
    } else {
        push_json_str(out, code);
    }
}

/// What a grouping's text says before its codes.
pub(super) struct Head<'g> {
    pub claim_id: ClaimId<'g>,
    pub line: Option<usize>,
    pub version: MsdrgVersion,
    pub initial: &'g DrgOutcome,
    pub final_drg: &'g DrgOutcome,
    pub hac_status: HacStatus,
    pub hac_categories: u8,
    pub admit_dx: AdmitDx,
    pub titles: TitleSource,
}

impl Head<'_> {
    /// Writes the text up to the principal diagnosis's value (`…,"principal":`),
    /// with room made for a grouping of that many codes.
    #[inline(always)]
    pub(super) fn write(
        &self,
        out: &mut String,
        secondary: usize,
        procedures: usize,
        clusters: usize,
    ) {
        // The constant text between values is written in one piece each.
        out.reserve(1100 + 220 * (secondary + 1) + 130 * procedures + 16 * clusters);
        // The version's text (`","version":"43.1","initial_drg":`), all
        // of one length: a constant-size copy; its first byte closes a
        // plain id's string.
        let version = &VERSION_TEXTS[self.version.index()];
        match self.claim_id.text {
            Some(id) if self.claim_id.plain => {
                out.push_str("{\"claim_id\":\"");
                crate::json_scan::push_short_str(out, id);
                match self.line {
                    None => out.push_str(&version[..VERSION_TEXT_LEN]),
                    Some(n) => {
                        out.push_str("\",\"line\":");
                        push_usize(out, n);
                        out.push_str(&version[1..VERSION_TEXT_LEN]);
                    }
                }
            }
            id => {
                out.push_str("{\"claim_id\":");
                match id {
                    Some(id) => push_code(out, id, self.claim_id.plain),
                    None => out.push_str("null"),
                }
                if let Some(n) = self.line {
                    out.push_str(",\"line\":");
                    push_usize(out, n);
                }
                out.push_str(&version[1..VERSION_TEXT_LEN]);
            }
        }
        write_outcome(out, &INITIAL, self.initial, self);
        write_outcome(out, &FINAL, self.final_drg, self);
        match head_tail(
            self.final_drg.return_code,
            self.hac_status,
            self.hac_categories,
            self.admit_dx,
        ) {
            Some(text) => out.push_str(text),
            None => {
                out.push_str(",\"return_code\":\"");
                push_return_code(out, self.final_drg.return_code);
                out.push_str("\",\"hac_status\":\"");
                push_hac_status(out, self.hac_status);
                out.push_str("\",\"hac_categories\":");
                push_small(out, u16::from(self.hac_categories));
                out.push_str(",\"admit_dx\":\"");
                push_admit_dx(out, self.admit_dx);
                out.push_str("\",\"principal\":");
            }
        }
    }

    /// Whether `title` is copied as it is: a title of `table` (of number
    /// `n`) that needs no escape.
    #[inline(always)]
    fn plain_title(&self, table: &super::data::Titles, n: usize, title: &str) -> bool {
        match self.titles {
            TitleSource::Tables => table.is_plain(),
            TitleSource::Checked => table.is_own(n, self.version, title),
        }
    }
}

/// The length of each of [`VERSION_TEXTS`].
const VERSION_TEXT_LEN: usize = 33;

/// Each version's text from the claim id's closing quote to the initial
/// DRG's value, in [`MsdrgVersion::index`]'s order.
static VERSION_TEXTS: [&str; 9] = [
    "\",\"version\":\"40.0\",\"initial_drg\":",
    "\",\"version\":\"40.1\",\"initial_drg\":",
    "\",\"version\":\"41.0\",\"initial_drg\":",
    "\",\"version\":\"41.1\",\"initial_drg\":",
    "\",\"version\":\"42.0\",\"initial_drg\":",
    "\",\"version\":\"42.1\",\"initial_drg\":",
    "\",\"version\":\"43.0\",\"initial_drg\":",
    "\",\"version\":\"43.1\",\"initial_drg\":",
    "\",\"version\":\"44.0\",\"initial_drg\":",
];

/// The head's text from the return code's key to the principal's
/// (`,"return_code":"OK","hac_status":"NOT_APPLICABLE","hac_categories":0,
/// "admit_dx":"DX_NOT_GIVEN","principal":`): one string for each
/// combination (HAC categories below 32; `None` for more), made on first
/// use, written with one copy.
fn head_tail(
    rc: ReturnCode,
    status: HacStatus,
    categories: u8,
    admit: AdmitDx,
) -> Option<&'static str> {
    const CATEGORIES: usize = 32;
    const STATUSES: usize = 4;
    const ADMITS: usize = 3;
    const TEXTS: usize = ALL_RETURN_CODE.len() * STATUSES * CATEGORIES * ADMITS;
    static TAILS: [std::sync::OnceLock<Box<str>>; TEXTS] =
        [const { std::sync::OnceLock::new() }; TEXTS];
    let n = usize::from(categories);
    if n >= CATEGORIES {
        return None;
    }
    let index =
        ((rc as usize * STATUSES + status as usize) * CATEGORIES + n) * ADMITS + admit as usize;
    let text = TAILS[index].get_or_init(|| {
        let mut t = String::new();
        t.push_str(",\"return_code\":\"");
        push_return_code(&mut t, rc);
        t.push_str("\",\"hac_status\":\"");
        push_hac_status(&mut t, status);
        t.push_str("\",\"hac_categories\":");
        push_small(&mut t, u16::from(categories));
        t.push_str(",\"admit_dx\":\"");
        push_admit_dx(&mut t, admit);
        t.push_str("\",\"principal\":");
        t.into_boxed_str()
    });
    Some(text)
}

/// A diagnosis's values other than its code, MDC and HACs.
#[derive(Clone, Copy)]
pub(super) struct DxValues {
    pub severity: Severity,
    pub impact: DrgImpact,
    pub poa_error: PoaError,
    pub flags: super::DxFlags,
}

/// A procedure's values other than its code and HAC usage.
#[derive(Clone, Copy)]
pub(super) struct ProcValues {
    pub is_or: bool,
    pub valid: bool,
    pub impact: DrgImpact,
    pub marked_initial: bool,
    pub marked_final: bool,
}

/// Writes the procedure clusters' list and closes the object: after the
/// last procedure.
#[inline]
pub(super) fn write_clusters(out: &mut String, mut clusters: impl Iterator<Item = &'static str>) {
    // Most claims satisfy no cluster: their end is one copy.
    let Some(first) = clusters.next() else {
        out.push_str("],\"clusters\":[]}");
        return;
    };
    out.push_str("],\"clusters\":[");
    push_json_str(out, first);
    for c in clusters {
        out.push(',');
        push_json_str(out, c);
    }
    out.push_str("]}");
}

/// The keys of one outcome, each with the text around its value: a key
/// whose value is a string ends with its opening quote, and the key after
/// a string value starts with its closing quote.
struct OutcomeKeys {
    drg: &'static str,
    mdc: &'static str,
    base_drg: &'static str,
    severity: &'static str,
    kind: &'static str,
    return_code: &'static str,
    drg_title: &'static str,
    mdc_title: &'static str,
}

static INITIAL: OutcomeKeys = OutcomeKeys {
    // (In the version's text.)
    drg: "",
    mdc: ",\"initial_mdc\":",
    base_drg: ",\"initial_base_drg\":",
    severity: ",\"initial_severity\":\"",
    kind: "\",\"initial_type\":\"",
    return_code: "\",\"initial_return_code\":\"",
    drg_title: "\",\"initial_drg_title\":",
    mdc_title: ",\"initial_mdc_title\":",
};

static FINAL: OutcomeKeys = OutcomeKeys {
    drg: ",\"final_drg\":",
    mdc: ",\"final_mdc\":",
    base_drg: ",\"final_base_drg\":",
    severity: ",\"final_severity\":\"",
    kind: "\",\"final_type\":\"",
    return_code: "\",\"final_return_code\":\"",
    drg_title: "\",\"final_drg_title\":",
    mdc_title: ",\"final_mdc_title\":",
};

/// Writes an outcome: after the version's open string value (the initial
/// outcome's first key closes it) or the initial outcome; it ends with a
/// closed value. Inline, so that the keys are constants where it is
/// called: their copies are a few moves, not calls to `memcpy`.
#[inline(always)]
fn write_outcome(out: &mut String, keys: &'static OutcomeKeys, o: &DrgOutcome, head: &Head<'_>) {
    out.push_str(keys.drg);
    push_small(out, o.drg);
    out.push_str(keys.mdc);
    push_small(out, u16::from(o.mdc));
    out.push_str(keys.base_drg);
    match o.base_drg {
        Some(b) => push_small(out, b),
        None => out.push_str("null"),
    }
    out.push_str(outcome_middle(keys, o));
    let t = &super::loaded().tables;
    if head.titles == TitleSource::Tables {
        // The outcome's titles are the tables' of its DRG and MDC: their
        // JSON values as the tables keep them, one copy each.
        out.push_str(t.drg_titles.json(usize::from(o.drg), head.version));
        out.push_str(keys.mdc_title);
        out.push_str(t.mdc_titles.json(usize::from(o.mdc), head.version));
        return;
    }
    push_title(out, o.drg_title, |s| {
        head.plain_title(&t.drg_titles, usize::from(o.drg), s)
    });
    out.push_str(keys.mdc_title);
    push_title(out, o.mdc_title, |s| {
        head.plain_title(&t.mdc_titles, usize::from(o.mdc), s)
    });
}

/// A title: the tables' own (checked at load to need no escape) copied as
/// it is, any other escaped.
#[inline]
fn push_title(out: &mut String, title: Option<&str>, own: impl Fn(&str) -> bool) {
    match title {
        Some(s) if own(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        _ => push_opt_str(out, title),
    }
}

/// An outcome's text from its severity key to its DRG title key
/// (`,"initial_severity":"CC","initial_type":"MEDICAL",
/// "initial_return_code":"OK","initial_drg_title":`): one string for each
/// combination, made on first use.
fn outcome_middle(keys: &OutcomeKeys, o: &DrgOutcome) -> &'static str {
    const KINDS: usize = 3;
    static TEXTS: [std::sync::OnceLock<Vec<String>>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let codes = ALL_RETURN_CODE.len();
    let index = |severity: Severity, kind: DrgKind, rc: ReturnCode| {
        (severity as usize * KINDS + kind as usize) * codes + rc as usize
    };
    let which = usize::from(std::ptr::eq(keys, &FINAL));
    let texts = TEXTS[which].get_or_init(|| {
        let mut texts = vec![String::new(); ALL_SEVERITY.len() * KINDS * codes];
        for &(severity, _) in ALL_SEVERITY {
            for &(kind, _) in ALL_KIND {
                for &(rc, _) in ALL_RETURN_CODE {
                    let t = &mut texts[index(severity, kind, rc)];
                    t.push_str(keys.severity);
                    push_severity(t, severity);
                    t.push_str(keys.kind);
                    push_kind(t, kind);
                    t.push_str(keys.return_code);
                    push_return_code(t, rc);
                    t.push_str(keys.drg_title);
                }
            }
        }
        texts
    });
    &texts[index(o.severity, o.kind, o.return_code)]
}

/// A number of at most five digits (DRGs, MDCs, HAC numbers and counts).
#[inline(always)]
fn push_small(out: &mut String, n: u16) {
    push_small_usize(out, usize::from(n));
}

/// Writes a diagnosis's object (in line: about four a claim).
/// `first`: the first of its list (else a comma goes first).
#[inline(always)]
pub(super) fn write_dx(
    out: &mut String,
    first: bool,
    code: &str,
    mdc: Option<u8>,
    values: DxValues,
    hacs: impl DxHacs,
    head: &Head<'_>,
) {
    push_code_open(out, first, code, head.claim_id.plain);
    // The three values and the flags, each combination's text made once,
    // from the code's closing quote (a null MDC's text, which most
    // diagnoses, the secondaries, write with it) to an empty HAC list and
    // the object's end.
    let middle = dx_middle(values);
    let middle = match mdc {
        Some(m) => {
            out.push_str("\",\"mdc\":");
            push_small(out, u16::from(m));
            out.push_str(",\"severity\":\"");
            &middle[NULL_MDC.len()..]
        }
        None => middle,
    };
    if hacs.is_empty() {
        out.push_str(middle);
        return;
    }
    // (The text's `[]}` less `]}`.)
    out.push_str(&middle[..middle.len() - 2]);
    hacs.write(out, head);
    out.push_str("]}");
}

/// A diagnosis's HAC list as [`write_dx`] writes it: a grouping's, or the
/// grouper's own entries.
pub(super) trait DxHacs {
    fn is_empty(&self) -> bool;
    /// Writes the entries, comma-separated (the list's brackets are the
    /// caller's).
    fn write(&self, out: &mut String, head: &Head<'_>);
}

impl DxHacs for &[Hac] {
    #[inline(always)]
    fn is_empty(&self) -> bool {
        <[Hac]>::is_empty(self)
    }

    fn write(&self, out: &mut String, head: &Head<'_>) {
        let t = &super::loaded().tables;
        for (i, h) in self.iter().enumerate() {
            write_hac(out, i == 0, h, |out| {
                push_title(out, h.title, |s| {
                    head.plain_title(&t.hac_titles, usize::from(h.number), s)
                })
            });
        }
    }
}

/// Writes one HAC entry's object (`{"hac":5,"list":…,"title":…}`), a
/// comma first unless `first`; `title` writes the title's value.
pub(super) fn write_hac(out: &mut String, first: bool, h: &Hac, title: impl FnOnce(&mut String)) {
    out.push_str(if first { "{\"hac\":" } else { ",{\"hac\":" });
    push_small(out, u16::from(h.number));
    out.push_str(",\"list\":");
    push_json_str(out, h.list);
    out.push_str(",\"status\":\"");
    push_hac_usage(out, h.status);
    out.push_str("\",\"title\":");
    title(out);
    out.push('}');
}

/// Opens a diagnosis's or procedure's object up to its code, leaving the
/// code's closing quote to the constant text that follows (`"code":"…`);
/// `plain`: the code needs no escape ([`ClaimId::plain`]); `first`: the
/// first of its list (else a comma goes first).
#[inline(always)]
fn push_code_open(out: &mut String, first: bool, code: &str, plain: bool) {
    if plain {
        // The opening quote in the constant: one copy less a code. (Each
        // constant pushed in its own branch: a text chosen at run time is
        // a call to `memcpy`.)
        if first {
            out.push_str("{\"code\":\"");
        } else {
            out.push_str(",{\"code\":\"");
        }
        crate::json_scan::push_short_str(out, code);
    } else {
        out.push_str(if first { "{\"code\":" } else { ",{\"code\":" });
        // (The rare code that needs escapes: its closing quote taken back
        // so that both ways end alike.)
        push_json_str(out, code);
        out.pop();
    }
}

/// Writes a procedure's object; `hac_usage`: whether there is any, and
/// the HAC numbers in ascending order; `plain`: the code needs no escape
/// ([`ClaimId::plain`]); `first`: the first of its list (else a comma
/// goes first).
#[inline]
pub(super) fn write_proc(
    out: &mut String,
    first: bool,
    code: &str,
    p: ProcValues,
    (any_usage, hac_usage): (bool, impl Iterator<Item = u8>),
    plain: bool,
) {
    // The middle's text starts with the code's closing quote and ends
    // with an empty HAC usage list and the object's end (`[]}`).
    let middle = proc_middle(p);
    let end = if any_usage {
        middle.len() - 2
    } else {
        middle.len()
    };
    push_code_open(out, first, code, plain);
    out.push_str(&middle[..end]);
    if !any_usage {
        return;
    }
    for (i, h) in hac_usage.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_small(out, u16::from(h));
    }
    out.push_str("]}");
}

/// A procedure's text from its code's closing quote to its end
/// (`","is_or":true,"valid":true,"drg_impact":"NONE","flags":[],"hac_usage":[]}`):
/// one string for each combination of its values, made on first use,
/// written with one copy.
#[inline(always)]
fn proc_middle(p: ProcValues) -> &'static str {
    const IMPACTS: usize = 4;
    static MIDDLES: [std::sync::OnceLock<Box<str>>; 4 * IMPACTS * 4] =
        [const { std::sync::OnceLock::new() }; 4 * IMPACTS * 4];
    let index = ((usize::from(p.is_or) * 2 + usize::from(p.valid)) * IMPACTS + p.impact as usize)
        * 4
        + usize::from(p.marked_initial) * 2
        + usize::from(p.marked_final);
    let text = MIDDLES[index].get_or_init(|| {
        let mut t = String::from("\"");
        t.push_str(match (p.is_or, p.valid) {
            (true, true) => ",\"is_or\":true,\"valid\":true,\"drg_impact\":\"",
            (true, false) => ",\"is_or\":true,\"valid\":false,\"drg_impact\":\"",
            (false, true) => ",\"is_or\":false,\"valid\":true,\"drg_impact\":\"",
            (false, false) => ",\"is_or\":false,\"valid\":false,\"drg_impact\":\"",
        });
        push_impact(&mut t, p.impact);
        t.push_str(match (p.marked_initial, p.marked_final) {
            (true, true) => {
                "\",\"flags\":[\"MARKED_FOR_INITIAL\",\"MARKED_FOR_FINAL\"],\"hac_usage\":["
            }
            (true, false) => "\",\"flags\":[\"MARKED_FOR_INITIAL\"],\"hac_usage\":[",
            (false, true) => "\",\"flags\":[\"MARKED_FOR_FINAL\"],\"hac_usage\":[",
            (false, false) => "\",\"flags\":[],\"hac_usage\":[",
        });
        t.push_str("]}");
        t.into_boxed_str()
    });
    text
}

/// The start of [`dx_middle`]'s texts: a diagnosis without an MDC from
/// its code's closing quote to its severity's value.
const NULL_MDC: &str = "\",\"mdc\":null,\"severity\":\"";

/// A diagnosis's text from its code's closing quote (with a null MDC,
/// [`NULL_MDC`]) to its end with an empty HAC list
/// (`","mdc":null,"severity":"CC","drg_impact":"NONE","poa_error":"POA_NOT_CHECKED","flags":["VALID"],"hacs":[]}`):
/// one string for each combination of the three values and the flags,
/// made on its first use, written with one copy.
#[inline(always)]
fn dx_middle(d: DxValues) -> &'static str {
    const IMPACTS: usize = 4;
    const POA_ERRORS: usize = 5;
    const FLAG_SETS: usize = 1 << 7;
    const TEXTS: usize = ALL_SEVERITY.len() * IMPACTS * POA_ERRORS * FLAG_SETS;
    static MIDDLES: [std::sync::OnceLock<Box<str>>; TEXTS] =
        [const { std::sync::OnceLock::new() }; TEXTS];
    let flags = usize::from(d.flags.0) % FLAG_SETS;
    let index = ((d.severity as usize * IMPACTS + d.impact as usize) * POA_ERRORS
        + d.poa_error as usize)
        * FLAG_SETS
        + flags;
    let text = MIDDLES[index].get_or_init(|| {
        let mut t = String::from(NULL_MDC);
        push_severity(&mut t, d.severity);
        t.push_str("\",\"drg_impact\":\"");
        push_impact(&mut t, d.impact);
        t.push_str("\",\"poa_error\":\"");
        push_poa_error(&mut t, d.poa_error);
        t.push_str("\",\"flags\":[");
        for (i, f) in super::DxFlags(flags as u8).iter().enumerate() {
            t.push_str(if i > 0 { ",\"" } else { "\"" });
            push_flag(&mut t, f);
            t.push('"');
        }
        t.push_str("],\"hacs\":[]}");
        t.into_boxed_str()
    });
    text
}

/// `push_x(out, value)` writes `value.as_str()` with the text in each arm a
/// constant (copied inline, where a string chosen at run time costs a call
/// to `memcpy`); `ALL_X` lists every value for the test that the two agree.
macro_rules! literal_writer {
    ($push:ident, $all:ident, $ty:ident { $($variant:ident => $text:literal,)* }) => {
        #[inline]
        fn $push(out: &mut String, v: $ty) {
            match v {
                $($ty::$variant => out.push_str($text),)*
            }
        }
        #[cfg_attr(not(test), allow(dead_code))]
        const $all: &[($ty, &str)] = &[$(($ty::$variant, $text),)*];
    };
}

literal_writer!(push_severity, ALL_SEVERITY, Severity {
    None => "NONE",
    Cc => "CC",
    Mcc => "MCC",
});
literal_writer!(push_kind, ALL_KIND, DrgKind {
    Surgical => "SURGICAL",
    Medical => "MEDICAL",
    NotApplicable => "NA",
});
literal_writer!(push_impact, ALL_IMPACT, DrgImpact {
    None => "NONE",
    Initial => "INITIAL",
    Final => "FINAL",
    Both => "BOTH",
});
literal_writer!(push_poa_error, ALL_POA_ERROR, PoaError {
    NotChecked => "POA_NOT_CHECKED",
    NotRecognized => "POA_NOT_RECOGNIZED",
    RecognizedNotPoa => "POA_RECOGNIZED_NOT_POA",
    RecognizedYesPoa => "POA_RECOGNIZED_YES_POA",
    HospitalExempt => "HOSPITAL_EXEMPT",
});
literal_writer!(push_flag, ALL_FLAG, DxFlag {
    Excluded => "EXCLUDED",
    Valid => "VALID",
    SexConflict => "SEX_CONFLICT",
    MarkedForInitial => "MARKED_FOR_INITIAL",
    MarkedForFinal => "MARKED_FOR_FINAL",
    OnShowList => "ON_SHOW_LIST",
    DeathExclusion => "DEATH_EXCLUSION",
});
literal_writer!(push_hac_usage, ALL_HAC_USAGE, HacUsage {
    NotOnHacList => "NOT_ON_HAC_LIST",
    CriteriaMet => "HAC_CRITERIA_MET",
    CriteriaNotMet => "HAC_CRITERIA_NOT_MET",
    NotApplicableExclusion => "HAC_NOT_APPLICABLE_EXCLUSION",
    NotApplicableExempt => "HAC_NOT_APPLICABLE_EXEMPT",
});
literal_writer!(push_hac_status, ALL_HAC_STATUS, HacStatus {
    NotApplicable => "NOT_APPLICABLE",
    FinalDrgNoChange => "FINAL_DRG_NO_CHANGE",
    FinalDrgChanges => "FINAL_DRG_CHANGES",
    FinalDrgUngroupable => "FINAL_DRG_UNGROUPABLE",
});
literal_writer!(push_admit_dx, ALL_ADMIT_DX, AdmitDx {
    NotGiven => "DX_NOT_GIVEN",
    Valid => "DX_VALID",
    Invalid => "DX_INVALID",
});
literal_writer!(push_return_code, ALL_RETURN_CODE, ReturnCode {
    Ok => "OK",
    InvalidPdx => "INVALID_PDX",
    DxCannotBePdx => "DX_CANNOT_BE_PDX",
    InvalidSex => "INVALID_SEX",
    InvalidDischargeStatus => "INVALID_DISCHARGE_STATUS",
    InvalidAge => "INVALID_AGE",
    Ungroupable => "UNGROUPABLE",
    HacMissingOnePoa => "HAC_MISSING_ONE_POA",
    HacStatusInvalidMultHacsPoaNotYW => "HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W",
    HacStatusInvalidPoaNOrU => "HAC_STATUS_INVALID_POA_N_OR_U",
    HacStatusInvalidPoaInvalidOr1 => "HAC_STATUS_INVALID_POA_INVALID_OR_1",
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Each version's text names it, all of one length.
    #[test]
    fn version_texts_name_the_versions() {
        for v in MsdrgVersion::ALL {
            let text = VERSION_TEXTS[v.index()];
            assert_eq!(text.len(), VERSION_TEXT_LEN);
            assert_eq!(
                text,
                format!("\",\"version\":\"{}\",\"initial_drg\":", v.name())
            );
        }
    }

    /// The literal writers write each value's `as_str` (the match in each
    /// writer is exhaustive, so every value is listed).
    #[test]
    fn literals_are_the_names() {
        fn check<T: Copy>(
            all: &[(T, &str)],
            name: fn(T) -> &'static str,
            push: fn(&mut String, T),
        ) {
            for &(v, text) in all {
                let mut out = String::new();
                push(&mut out, v);
                assert_eq!(out, text);
                assert_eq!(name(v), text);
            }
        }
        check(ALL_SEVERITY, Severity::as_str, push_severity);
        check(ALL_KIND, DrgKind::as_str, push_kind);
        check(ALL_IMPACT, DrgImpact::as_str, push_impact);
        check(ALL_POA_ERROR, PoaError::as_str, push_poa_error);
        check(ALL_FLAG, DxFlag::as_str, push_flag);
        check(ALL_HAC_USAGE, HacUsage::as_str, push_hac_usage);
        check(ALL_HAC_STATUS, HacStatus::as_str, push_hac_status);
        check(ALL_ADMIT_DX, AdmitDx::as_str, push_admit_dx);
        check(ALL_RETURN_CODE, ReturnCode::as_str, push_return_code);
    }
}
