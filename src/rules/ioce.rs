//! What CMS's Integrated Outpatient Code Editor (I/OCE, [`crate::ioce`])
//! says about an outpatient claim: every edit it raises, as a finding.
//!
//! One rule for each numbered edit of the I/OCE's tables (001 … 138, 190,
//! 191): its id is `ioce-` and the edit's number as the I/OCE writes it
//! (`ioce-040`), its severity follows the edit's disposition (a suspension
//! is a warning; a claim or line rejection or denial, or a return to the
//! provider, an error), and each finding carries the number in
//! [`Finding::cms_edit`](super::Finding::cms_edit) (`"040"`;
//! [`CMS_IOCE_EDITS`](super::CMS_IOCE_EDITS) maps the ids to the numbers).
//!
//! The rules run on outpatient claims only — a `bill_type` other than 11x,
//! the claims `medcode group` sends to the I/OCE
//! ([`is_outpatient`](crate::ioce::is_outpatient)) — and read one answer
//! of the [`Editor`]: the first of them that runs edits the claim (with the
//! inputs [`ClaimInput::from_claim`] reads) and keeps the answer on the
//! prepared claim ([`raised`]); the others read it, so a claim is edited at
//! most once. Each edit gives one finding for each place the I/OCE raises
//! it at: a diagnosis (`diagnoses[i]`, `reason_for_visit[i]`), a line's
//! HCPCS code, service date, revenue code or modifier (`lines[i].code`,
//! `.service_date`, `.revenue_code`, `.modifiers[k]`, with the line's
//! number), or the claim when it names no diagnosis or line (025 invalid
//! age, 118 invalid bill type, …).
//!
//! The message names the edit, the place and the codes as the claim writes
//! them (the I/OCE reads codes undotted; CPT codes by number only, never a
//! descriptor), the edit's name in the version that answered, its
//! disposition and the version: `I/OCE edit 040 (line 3, 82947): Code2 of a
//! code pair that would be allowed by NCCI if appropriate modifier were
//! present; line rejection (I/OCE 26.0.5)`. The names are CMS's one-line
//! edit names (`dsc_edit.name` of the I/OCE's tables as the pinned pyoce
//! 0.1.0 wheel bundles them, listed in `docs/design/ioce-data.md` §5), not
//! written by medcode; where a version's table has no real name (096 from
//! v24.0, named "Mention in summary?") the message gives the number alone.

use super::msg::{push, Piece};
use super::prepared::{gate, PreparedClaim};
use super::registry::{Builtin, Rule, RuleSpec, Tables};
use super::{Emitter, Family, Severity};
use crate::ioce::{ClaimInput, Edited, Editor, LineInput};
use crate::text::trim;

/// The I/OCE family (the rules' declarations name it).
const FAMILY: Family = Family::Ioce;

/// An edit's default severity from its disposition (`dsc_edit`'s
/// `disposition_id`): a suspension (4) holds the claim for review, a
/// warning; the others reject, deny or return the claim or a line.
const fn severity(disposition: u8) -> Severity {
    if disposition == 4 {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// The disposition in words.
fn disposition_text(disposition: u8) -> &'static str {
    match disposition {
        1 => "claim rejection",
        2 => "claim denial",
        3 => "return to provider",
        4 => "suspension",
        5 => "line rejection",
        6 => "line denial",
        _ => "no disposition",
    }
}

/// Declares the rules, one an edit: `number "NNN" disposition "in words" "name";`
/// (the name of the latest version that has one).
macro_rules! ioce_rules {
    ($($n:literal $code:literal $disp:literal $word:literal $name:literal;)*) => {
        /// The I/OCE rules, in engine order (by edit number).
        pub(super) const RULES: &[Builtin] = &[$(
            Builtin {
                spec: RuleSpec {
                    id: concat!("ioce-", $code),
                    family: FAMILY,
                    severity: severity($disp),
                    description: concat!("I/OCE edit ", $code, " (", $word, "): ", $name),
                    cms_edit: Some($code),
                    gate: gate::OUTPATIENT,
                },
                make: make::<$n>,
            },
        )*];

        /// Each edit's number, disposition and name, in `RULES`' order.
        const EDITS: &[(u16, u8, &str)] = &[$(($n, $disp, $name)),*];
    };
}

ioce_rules! {
    1 "001" 3 "return to provider" "Invalid diagnosis code";
    2 "002" 3 "return to provider" "Diagnosis and age conflict";
    3 "003" 3 "return to provider" "Diagnosis and sex conflict";
    4 "004" 4 "suspension" "Medicare secondary payer alert";
    5 "005" 3 "return to provider" "External cause of morbidity code cannot be used as principal diagnosis";
    6 "006" 3 "return to provider" "Invalid procedure code";
    7 "007" 5 "line rejection" "Procedure and age conflict";
    8 "008" 3 "return to provider" "Procedure and sex conflict";
    9 "009" 6 "line denial" "Non-covered under any Medicare outpatient benefit for reasons other than statutory exclusion";
    10 "010" 2 "claim denial" "Service submitted for denial";
    11 "011" 4 "suspension" "Service submitted for MAC review";
    12 "012" 4 "suspension" "Questionable covered service";
    13 "013" 5 "line rejection" "Separate payment for services is not provided by Medicare";
    14 "014" 3 "return to provider" "Code indicates a site of service not included in OPPS";
    15 "015" 3 "return to provider" "Service unit out of range for procedure (inactive)";
    16 "016" 3 "return to provider" "Multiple bilateral procedures without modifier 50";
    17 "017" 5 "line rejection" "Inappropriate specification of bilateral procedure";
    18 "018" 6 "line denial" "Inpatient procedure";
    19 "019" 5 "line rejection" "Mutually exclusive procedure that is not allowed by NCCI even if appropriate modifier is present";
    20 "020" 5 "line rejection" "Code2 of a code pair that is not allowed by NCCI even if appropriate modifier is present";
    21 "021" 3 "return to provider" "Medical visit on the same day as a type T or S procedure without modifier 25";
    22 "022" 3 "return to provider" "Invalid modifier";
    23 "023" 3 "return to provider" "Invalid date";
    24 "024" 4 "suspension" "Date out of OCE range";
    25 "025" 3 "return to provider" "Invalid age";
    26 "026" 3 "return to provider" "Invalid sex";
    27 "027" 1 "claim rejection" "Only incidental services reported";
    28 "028" 5 "line rejection" "Code not recognized by Medicare for outpatient claims; alternate code for same service may be available";
    29 "029" 3 "return to provider" "PHP/IOP service for non-mental health diagnosis";
    30 "030" 6 "line denial" "Insufficient services on day of partial hospitalization (inactive)";
    31 "031" 4 "suspension" "Partial hospitalization on same day as ECT or type T procedure";
    32 "032" 4 "suspension" "Partial hospitalization claim spans 3 or less days with insufficient services on at least one of the days";
    33 "033" 4 "suspension" "Partial hospitalization claim spans more than 3 days with insufficient number of days having mental health services";
    34 "034" 4 "suspension" "Partial hospitalization claim spans more than 3 days with insufficient number of days meeting partial hospitalization criteria";
    35 "035" 3 "return to provider" "Only Mental Health education and training services provided";
    36 "036" 4 "suspension" "Extensive mental health services provided on day of type T procedure";
    37 "037" 3 "return to provider" "Terminated bilateral procedure or terminated procedure with units greater than one";
    38 "038" 3 "return to provider" "Inconsistency between implanted device or administered substance and implantation or associated procedure";
    39 "039" 5 "line rejection" "Mutually exclusive procedure that would be allowed by NCCI if appropriate modifier were present (combined with edit 40 retroactive to earliest included version)";
    40 "040" 5 "line rejection" "Code2 of a code pair that would be allowed by NCCI if appropriate modifier were present";
    41 "041" 3 "return to provider" "Invalid revenue code";
    42 "042" 3 "return to provider" "Multiple medical visits on same day with same revenue code without condition code G0";
    43 "043" 3 "return to provider" "Transfusion or blood product exchange without specification of blood product";
    44 "044" 3 "return to provider" "Observation revenue code on line item with non-observation HCPCS code";
    45 "045" 5 "line rejection" "Inpatient separate procedures not paid";
    46 "046" 3 "return to provider" "Partial hospitalization condition code 41 not approved for type of bill";
    47 "047" 5 "line rejection" "Service is not separately payable";
    48 "048" 3 "return to provider" "Revenue center requires HCPCS";
    49 "049" 6 "line denial" "Service on same day as inpatient procedure";
    50 "050" 3 "return to provider" "Non-covered under any Medicare outpatient benefit";
    51 "051" 3 "return to provider" "Observation code G0378 not allowed to be reported more than once per claim";
    52 "052" 3 "return to provider" "Observation does not meet minimum hours, qualifying diagnoses, and/or \"T\" procedure conditions";
    53 "053" 5 "line rejection" "Codes G0378 and G0379 only allowed with bill type 13x or 85x";
    54 "054" 3 "return to provider" "Multiple codes for the same service";
    55 "055" 3 "return to provider" "Non-reportable for site of service";
    56 "056" 3 "return to provider" "E/M condition not met and line item date for obs code G0378 is not 12/31/ or 1/1";
    57 "057" 4 "suspension" "E/M condition not met for observation and line item date for code G0378 is 1/1";
    58 "058" 3 "return to provider" "Direct admittance G0379 only allowed with obervation G0378";
    59 "059" 3 "return to provider" "Clinical trial requires diagnosis code V707 as other than primary diagnosis (deleted retroactive to the earliest included version)";
    60 "060" 3 "return to provider" "Use of modifier CA with more than one procedure not allowed";
    61 "061" 3 "return to provider" "Service can only be billed to the DMERC";
    62 "062" 3 "return to provider" "Code not recognized by OPPS; alternate code for same service may be available";
    63 "063" 3 "return to provider" "Occupational therapy service only billable on partial hospitalization claims";
    64 "064" 5 "line rejection" "Activity therapy service not payable outside the partial hospitalization program";
    65 "065" 5 "line rejection" "Revenue code not recognized by Medicare";
    66 "066" 4 "suspension" "Code requires manual pricing";
    67 "067" 6 "line denial" "Service provided prior to FDA approval";
    68 "068" 6 "line denial" "Service provided prior to date of National Coverage Determination (NCD) or Demonstration approval";
    69 "069" 6 "line denial" "Service provided outside approval period";
    70 "070" 3 "return to provider" "CA modifier requires patient discharge status indicating expired or transferred";
    71 "071" 3 "return to provider" "Claim lacks required device code";
    72 "072" 3 "return to provider" "Service not billable to the Medicare Administrative Contractor";
    73 "073" 3 "return to provider" "Incorrect billing of blood and blood products";
    74 "074" 3 "return to provider" "Units greater than one for bilateral procedure billed with modifier 50";
    75 "075" 3 "return to provider" "Incorrect billing of modifier FB or FC";
    76 "076" 5 "line rejection" "Trauma response critical care code without revenue code 068x and CPT 99291";
    77 "077" 3 "return to provider" "Claim lacks allowed procedure code";
    78 "078" 3 "return to provider" "Claim lacks required radiolabeled product";
    79 "079" 3 "return to provider" "Incorrect billing of revenue code with HCPCS code";
    80 "080" 3 "return to provider" "Mental health code not approved for partial hospitalization";
    81 "081" 3 "return to provider" "Mental health service not payable outside the partial hospitalization program";
    82 "082" 3 "return to provider" "Charge exceeds token charge ($1.00)";
    83 "083" 6 "line denial" "Service provided on or after effective date of NCD";
    84 "084" 3 "return to provider" "Claim lacks required primary code";
    85 "085" 3 "return to provider" "Claim lacks required device code or required procedure code";
    86 "086" 3 "return to provider" "Manifestation code not allowed as principal diagnosis";
    87 "087" 3 "return to provider" "Skin substitute application procedure without appropriate skin substitute product code";
    88 "088" 3 "return to provider" "FQHC payment code not reported for FQHC claim";
    89 "089" 3 "return to provider" "FQHC claim lacks required qualifying visit code";
    90 "090" 3 "return to provider" "Incorrect revenue code reported for FQHC payment code";
    91 "091" 5 "line rejection" "Item or service not covered under FQHC PPS or for RHC";
    92 "092" 3 "return to provider" "Device-intensive procedure reported without device code";
    93 "093" 5 "line rejection" "Corneal tissue processing reported without cornea transplant procedure";
    94 "094" 3 "return to provider" "Biosimilar HCPCS reported without biosimilar modifier";
    95 "095" 5 "line rejection" "7-day spanning partial hospitalization services require a minimum of 20 hours of service as evidenced in PHP plan of care";
    96 "096" 3 "return to provider" "Partial hospitalization interim claim from and through dates must span more than 4 days";
    97 "097" 3 "return to provider" "Partial hospitalization services are required to be billed weekly";
    98 "098" 3 "return to provider" "Claim with pass through device or device with payment limitation lacks required procedure";
    99 "099" 3 "return to provider" "Claim with pass-through or non-pass-through drug or biological lacks OPPS payable procedure";
    100 "100" 3 "return to provider" "Claim for HSCT allogeneic transplantation lacks required revenue code line for donor acquisition services";
    101 "101" 3 "return to provider" "Item or service with modifier PN not allowed under PFS";
    102 "102" 3 "return to provider" "Modifier pairing not allowed on the same line";
    103 "103" 6 "line denial" "Modifier reported prior to FDA approval date";
    104 "104" 5 "line rejection" "Service not eligible for all-inclusive rate";
    105 "105" 6 "line denial" "Claim reported with pass-through device prior to FDA approval for the procedure";
    106 "106" 6 "line denial" "Add-on code reported without required primary procedure code";
    107 "107" 6 "line denial" "Add-on code reported without required contractor-defined primary procedure code";
    108 "108" 6 "line denial" "Add-on code reported without required primary procedure or required contractor-defined primary procedure code";
    109 "109" 3 "return to provider" "Code first diagnosis present without mental health diagnosis as the first secondary diagnosis";
    110 "110" 5 "line rejection" "Service provided prior to initial marketing date";
    111 "111" 5 "line rejection" "Service cost is duplicative; included in cost of associated biological";
    112 "112" 5 "line rejection" "Information-Only Service";
    113 "113" 3 "return to provider" "Supplementary or additional code not allowed as principal diagnosis";
    114 "114" 3 "return to provider" "Item or service not allowed with modifier CS";
    115 "115" 6 "line denial" "COVID-19 lab add-on code reported without required primary procedure";
    116 "116" 3 "return to provider" "Opioid treatment program service not payable outside the opioid treatment program";
    117 "117" 5 "line rejection" "Token charge less than $1.01 billed by provider";
    118 "118" 3 "return to provider" "Invalid bill type";
    119 "119" 3 "return to provider" "Invalid claims processing receipt date";
    120 "120" 3 "return to provider" "Incorrect reporting of modifier PT";
    121 "121" 6 "line denial" "Non-covered service reported with inpatient only procedure where the patient expired or transferred";
    122 "122" 3 "return to provider" "340B-acquired drug modifier(s) reported inappropriately";
    123 "123" 3 "return to provider" "Modifier used after CMS termination date";
    124 "124" 3 "return to provider" "HCPCS reported after CMS termination date";
    125 "125" 3 "return to provider" "Incorrect billing of IMRT planning and delivery";
    126 "126" 3 "return to provider" "Incorrect reporting of telehealth modifier";
    127 "127" 5 "line rejection" "Service not allowed for Part B Inpatient claim";
    128 "128" 5 "line rejection" "Insufficient services on day of IOP";
    129 "129" 5 "line rejection" "Weekly IOP services require a minimum of 9 hours of service";
    130 "130" 3 "return to provider" "Incorrect reporting of modifier on RHC IOP claim";
    131 "131" 5 "line rejection" "Insufficient services on day of PHP";
    132 "132" 3 "return to provider" "Mental health code not approved for Intensive Outpatient Program";
    133 "133" 3 "return to provider" "Mental health service not payable outside the Intensive Outpatient program";
    134 "134" 5 "line rejection" "Service provided outside designated approval period";
    135 "135" 3 "return to provider" "Claim Day lacks required device code";
    136 "136" 5 "line rejection" "Service provided prior to ACIP approval date";
    137 "137" 5 "line rejection" "More than 2 non-opioid pain relief devices reported";
    138 "138" 5 "line rejection" "More than 3 non-opioid surgical pain drugs reported";
    190 "190" 3 "return to provider" "IOP Primary service not reported for IOP claim";
    191 "191" 3 "return to provider" "PHP Primary service not reported for PHP claim";
}

/// The names some edits had in earlier versions (internal version numbers,
/// inclusive), and the versions whose table gives an edit no real name
/// (`None`): where these say nothing, the edit's name is its rule's.
const OTHER_NAMES: &[(u16, u8, u8, Option<&str>)] = &[
    (
        29,
        76,
        93,
        Some("Partial hospitalization service for non-mental health diagnosis"),
    ),
    (
        30,
        76,
        93,
        Some("Insufficient services on day of partial hospitalization"),
    ),
    (
        92,
        76,
        82,
        Some("Device-dependent procedure reported without device code"),
    ),
    (
        95,
        76,
        93,
        Some("Weekly partial hospitalization services require a minimum of 20 hours of service as evidenced in PHP plan of care"),
    ),
    // "Mention in summary?" in the table: no name.
    (96, 94, 103, None),
];

/// The position of edit `n` in [`EDITS`] (and [`RULES`]); a compile-time
/// error for a number that has no rule.
const fn index_of(n: u16) -> usize {
    let mut i = 0;
    while i < EDITS.len() {
        if EDITS[i].0 == n {
            return i;
        }
        i += 1;
    }
    panic!("an I/OCE edit without a rule")
}

/// The rule of edit `N`.
fn make<const N: u16>(_: &Tables) -> Box<dyn Rule> {
    let i = const { index_of(N) };
    Box::new(IoceEdit {
        edit: N,
        disposition: EDITS[i].1,
        spec: &RULES[i].spec,
    })
}

/// The name of `edit` in the internal version `version` (the version that
/// answered; `None` when none did, edit 024).
fn edit_name(edit: u16, version: Option<u8>) -> Option<&'static str> {
    if let Some(v) = version {
        if let Some(&(_, _, _, name)) = OTHER_NAMES
            .iter()
            .find(|(e, lo, hi, _)| *e == edit && (*lo..=*hi).contains(&v))
        {
            return name;
        }
    }
    EDITS.iter().find(|e| e.0 == edit).map(|e| e.2)
}

/// Where the I/OCE raised an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The principal diagnosis (`diagnoses[0]`).
    Principal,
    /// A reason-for-visit diagnosis, by index.
    ReasonForVisit(usize),
    /// A secondary diagnosis, by index among the secondary ones
    /// (`diagnoses[i + 1]`).
    Secondary(usize),
    /// A line's HCPCS code.
    Code(usize),
    /// A line's service date.
    Date(usize),
    /// A line's revenue code.
    Revenue(usize),
    /// A line's modifier: line, modifier.
    Modifier(usize, usize),
    /// The claim as a whole: an edit in the claim's lists raised at no
    /// diagnosis or line.
    Claim,
}

/// The I/OCE's answer for a claim, with every edit it raised at each place.
#[derive(Debug, Clone)]
pub(crate) struct Raised {
    edited: Edited,
    /// `(edit, place)`, each edit once per place, grouped by edit number
    /// (ascending), each edit's places in claim order.
    places: Vec<(u16, Place)>,
}

impl Raised {
    /// Every place the I/OCE raised an edit at: the diagnoses, then each
    /// line's code, service date, revenue code and modifiers, then the
    /// claim for an edit of the claim's lists raised at none of these.
    /// n·log n in the number of edits raised.
    fn new(edited: Edited) -> Raised {
        let mut places: Vec<(u16, Place)> = Vec::new();
        // The edit numbers seen at some place (the I/OCE's are below 256).
        let mut seen = [0u64; 4];
        let mut add = |edits: &[u16], place: Place| {
            for (i, &e) in edits.iter().enumerate() {
                // Each edit once per place.
                if !edits[..i].contains(&e) {
                    places.push((e, place));
                    if let Some(word) = seen.get_mut(usize::from(e / 64)) {
                        *word |= 1 << (e % 64);
                    }
                }
            }
        };
        add(&edited.principal.edits, Place::Principal);
        for (i, d) in edited.reason_for_visit.iter().enumerate() {
            add(&d.edits, Place::ReasonForVisit(i));
        }
        for (i, d) in edited.secondary.iter().enumerate() {
            add(&d.edits, Place::Secondary(i));
        }
        for (i, l) in edited.lines.iter().enumerate() {
            add(&l.hcpcs_edits, Place::Code(i));
            add(&l.service_date_edits, Place::Date(i));
            add(&l.revenue_edits, Place::Revenue(i));
            for (k, m) in l.modifier_edits.iter().enumerate() {
                add(m, Place::Modifier(i, k));
            }
        }
        let is_seen = |e: u16| {
            seen.get(usize::from(e / 64))
                .is_some_and(|w| w >> (e % 64) & 1 == 1)
        };
        let claim_level: Vec<u16> = edited.listed_edits().filter(|&e| !is_seen(e)).collect();
        for (i, &e) in claim_level.iter().enumerate() {
            if !claim_level[..i].contains(&e) {
                places.push((e, Place::Claim));
            }
        }
        // Stable: each edit's places stay in claim order.
        places.sort_by_key(|&(e, _)| e);
        Raised { edited, places }
    }

    /// The places edit `edit` was raised at, in claim order.
    fn of(&self, edit: u16) -> impl Iterator<Item = Place> + '_ {
        let start = self.places.partition_point(|&(e, _)| e < edit);
        self.places[start..]
            .iter()
            .take_while(move |&&(e, _)| e == edit)
            .map(|&(_, p)| p)
    }
}

/// What the I/OCE reads of the prepared claim: what
/// [`ClaimInput::from_claim`] reads of the claim itself.
fn input<'c>(c: &PreparedClaim<'c>) -> ClaimInput<'c> {
    let u = c.ub04;
    let from = u.from_date.or(u.service_date).unwrap_or("");
    ClaimInput {
        bill_type: u.bill_type.unwrap_or(""),
        from_date: from,
        through_date: u.through_date.unwrap_or(from),
        receipt_date: u.receipt_date,
        age: c.age_given,
        sex: c.sex_text.unwrap_or(""),
        patient_status: c.discharge_status,
        opps_flag: u.opps_flag,
        condition_codes: u.condition_codes.iter().collect(),
        principal: c
            .diagnoses
            .first()
            .filter(|_| u.principal_given)
            .map(|d| d.raw),
        reason_for_visit: u.reason_for_visit.iter().collect(),
        secondary: c.diagnoses.iter().skip(1).map(|d| d.raw).collect(),
        lines: c
            .lines
            .iter()
            .map(|l| LineInput {
                service_date: l.ub04.service_date.unwrap_or(from),
                revenue_code: l.ub04.revenue_code.unwrap_or(""),
                hcpcs: l.raw,
                modifiers: l.modifiers_raw.iter().collect(),
                units: l.units,
                charge: l.ub04.charge,
                contractor_bypass_edits: l.ub04.contractor_bypass_edits.iter().collect(),
            })
            .collect(),
    }
}

/// The claim's I/OCE answer: made on the first call for a claim and kept
/// on it ([`PreparedClaim::ioce`]); `None` for a claim that is not an
/// outpatient one.
pub(super) fn raised<'a>(c: &'a PreparedClaim<'_>) -> Option<&'a Raised> {
    if !c.outpatient {
        return None;
    }
    Some(
        c.ioce
            .get_or_init(|| Box::new(Raised::new(Editor::new().edit(&input(c))))),
    )
}

/// A text as the claim writes it, blanks around it dropped; `blank` for
/// an empty one.
struct Written<'a>(&'a str);

impl Piece for Written<'_> {
    fn push_to(&self, out: &mut String) {
        match trim(self.0) {
            "" => out.push_str("blank"),
            t => out.push_str(t),
        }
    }
}

/// The rule of one I/OCE edit.
struct IoceEdit {
    edit: u16,
    disposition: u8,
    spec: &'static RuleSpec,
}

impl Rule for IoceEdit {
    fn id(&self) -> &'static str {
        self.spec.id
    }
    fn default_severity(&self) -> Severity {
        self.spec.severity
    }
    fn description(&self) -> &'static str {
        self.spec.description
    }
    fn check(&self, c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        let Some(r) = raised(c) else { return };
        for place in r.of(self.edit) {
            self.emit(c, r, place, out);
        }
    }
}

impl IoceEdit {
    /// One finding: the edit at `place`.
    fn emit(&self, c: &PreparedClaim<'_>, r: &Raised, place: Place, out: &mut Emitter<'_>) {
        let code = self.spec.cms_edit.unwrap_or("");
        let line_of = |i: usize| c.lines.get(i);
        let hcpcs = |i: usize| line_of(i).map_or("", |l| l.raw);
        // The message after the place: the name, the disposition, the version.
        let tail = |m: &mut String| {
            m.push(')');
            if let Some(name) = edit_name(self.edit, r.edited.internal_version) {
                push!(m; ": ", name);
            }
            push!(m; "; ", disposition_text(self.disposition));
            if let Some(v) = r.edited.version.as_deref() {
                push!(m; " (I/OCE ", v, ")");
            }
        };
        let head = |m: &mut String| push!(m; "I/OCE edit ", code, " (");
        match place {
            Place::Principal => {
                let dx = c.diagnoses.first().map_or("", |d| d.raw);
                out.emit_parts(None, "diagnoses[0]", &codes(&[dx]), |m| {
                    head(m);
                    push!(m; "principal diagnosis ", Written(dx));
                    tail(m);
                });
            }
            Place::Secondary(i) => {
                let dx = c.diagnoses.get(i + 1).map_or("", |d| d.raw);
                out.emit_parts(None, ("diagnoses[", i + 1, "]"), &codes(&[dx]), |m| {
                    head(m);
                    push!(m; "diagnosis ", i + 2, " ", Written(dx));
                    tail(m);
                });
            }
            Place::ReasonForVisit(i) => {
                let dx = c.ub04.reason_for_visit.get(i).unwrap_or("");
                out.emit_parts(None, ("reason_for_visit[", i, "]"), &codes(&[dx]), |m| {
                    head(m);
                    push!(m; "reason for visit ", i + 1, " ", Written(dx));
                    tail(m);
                });
            }
            Place::Code(i) => {
                let h = hcpcs(i);
                out.emit_parts(Some(i), ("lines[", i, "].code"), &codes(&[h]), |m| {
                    head(m);
                    push!(m; "line ", i + 1, ", ");
                    if trim(h).is_empty() {
                        m.push_str("no HCPCS code");
                    } else {
                        push!(m; Written(h));
                    }
                    tail(m);
                });
            }
            Place::Date(i) => {
                let h = hcpcs(i);
                let u = c.ub04;
                let date = line_of(i)
                    .and_then(|l| l.ub04.service_date)
                    .or(u.from_date)
                    .or(u.service_date)
                    .unwrap_or("");
                out.emit_parts(Some(i), ("lines[", i, "].service_date"), &codes(&[h]), |m| {
                    head(m);
                    push!(m; "line ", i + 1, ", ", Written(h), ", service date ", Written(date));
                    tail(m);
                });
            }
            Place::Revenue(i) => {
                let h = hcpcs(i);
                let rc = line_of(i).and_then(|l| l.ub04.revenue_code).unwrap_or("");
                out.emit_parts(
                    Some(i),
                    ("lines[", i, "].revenue_code"),
                    &codes(&[h, rc]),
                    |m| {
                        head(m);
                        push!(m; "line ", i + 1, ", ");
                        if !trim(h).is_empty() {
                            push!(m; Written(h), ", ");
                        }
                        push!(m; "revenue code ", Written(rc));
                        tail(m);
                    },
                );
            }
            Place::Modifier(i, k) => {
                let h = hcpcs(i);
                let modifier = line_of(i)
                    .and_then(|l| l.modifiers_raw.get(k))
                    .unwrap_or("");
                let field = ("lines[", i, ("].modifiers[", k, "]"));
                out.emit_parts(Some(i), field, &codes(&[h, modifier]), |m| {
                    head(m);
                    push!(m; "line ", i + 1, ", ", Written(h), ", modifier ", Written(modifier));
                    tail(m);
                });
            }
            Place::Claim => self.emit_claim(c, &head, &tail, out),
        }
    }

    /// A finding about the claim as a whole: at the field the edit is about,
    /// where one claim field is.
    fn emit_claim(
        &self,
        c: &PreparedClaim<'_>,
        head: &dyn Fn(&mut String),
        tail: &dyn Fn(&mut String),
        out: &mut Emitter<'_>,
    ) {
        let u = c.ub04;
        let from = u.from_date.or(u.service_date);
        let none: &[&str] = &[];
        match self.edit {
            // No principal diagnosis.
            1 => out.emit_parts(None, "diagnoses", none, |m| {
                head(m);
                m.push_str("claim, no principal diagnosis");
                tail(m);
            }),
            // Invalid from or through date, or from after through.
            23 => out.emit_parts(None, "from_date", none, |m| {
                head(m);
                push!(m; "claim, from date ", Written(from.unwrap_or("")), ", through date ",
                    Written(u.through_date.or(from).unwrap_or("")));
                tail(m);
            }),
            // No I/OCE version for the from date.
            24 => out.emit_parts(None, "from_date", none, |m| {
                head(m);
                push!(m; "claim, from date ", Written(from.unwrap_or("")));
                tail(m);
            }),
            25 => out.emit_parts(None, "patient.age", none, |m| {
                head(m);
                m.push_str("claim, ");
                match c.age_given {
                    Some(a) if a.is_finite() && a.abs() < 1e15 => {
                        use std::fmt::Write;
                        let _ = write!(m, "age {a}");
                    }
                    Some(_) => m.push_str("age out of range"),
                    None => m.push_str("no age"),
                }
                tail(m);
            }),
            26 => out.emit_parts(None, "patient.sex", none, |m| {
                head(m);
                m.push_str("claim, ");
                match c.sex_text {
                    Some(s) if !trim(s).is_empty() => push!(m; "sex ", super::msg::Quoted(trim(s))),
                    _ => m.push_str("no sex"),
                }
                tail(m);
            }),
            // An invalid receipt date, or one before the from date.
            119 => out.emit_parts(None, "receipt_date", none, |m| {
                head(m);
                push!(m; "claim, receipt date ", Written(u.receipt_date.unwrap_or("")),
                    ", from date ", Written(from.unwrap_or("")));
                tail(m);
            }),
            46 | 118 => out.emit_parts(None, "bill_type", none, |m| {
                head(m);
                push!(m; "claim, bill type ", Written(u.bill_type.unwrap_or("")));
                tail(m);
            }),
            _ => out.emit_parts(None, "", none, |m| {
                head(m);
                m.push_str("claim");
                tail(m);
            }),
        }
    }
}

/// The codes of a finding: those the claim writes, trimmed, blanks left
/// out.
fn codes<'a, const N: usize>(texts: &[&'a str; N]) -> Vec<&'a str> {
    texts
        .iter()
        .map(|t| trim(t))
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::Claim;
    use crate::rules::{Engine, Finding};

    fn claim(json: &str) -> Claim {
        serde_json::from_str(json).unwrap()
    }

    /// The issue's claim: a visit, the metabolic panel and glucose, one of
    /// its components.
    const PANEL: &str = r#"{"id": "OP-1", "bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01",
        "patient": {"sex": "F", "age": 70}, "diagnoses": [{"code": "N186"}, {"code": "E119"}],
        "lines": [
            {"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 100, "service_date": "2025-03-01"},
            {"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50, "service_date": "2025-03-01"},
            {"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20, "service_date": "2025-03-01"}]}"#;

    fn ioce_findings(engine: &Engine, json: &str) -> Vec<Finding> {
        let claim = claim(json);
        let typed: Vec<Finding> = engine
            .check(&claim)
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("ioce-"))
            .collect();
        // The JSON Lines path (the fast reader's borrowed claim) agrees.
        let read: Vec<Finding> = engine
            .check_json(json)
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("ioce-"))
            .collect();
        assert_eq!(typed, read, "{json}");
        typed
    }

    /// The prepared claim gives the editor what the claim itself gives.
    #[test]
    fn input_is_what_from_claim_reads() {
        let engine = Engine::builder().build().unwrap();
        for json in [
            PANEL,
            r#"{"bill_type": "131", "service_date": "2025-03-01", "patient": {"sex": " m ", "age": 70.5},
                "discharge_status": "01", "condition_codes": ["G0", " 41"], "reason_for_visit": ["R07.9", ""],
                "diagnoses": [{"poa": "Y"}, "E11.9", {}],
                "lines": [{"code": " 99213 ", "modifiers": ["25", ""], "service_date": " "}, {}, {"revenue_code": "0300"}]}"#,
            r#"{"bill_type": "851", "from_date": "", "through_date": "2025-03-02", "diagnoses": [{"code": ""}],
                "lines": [{"code": "G0463", "units": 2.5, "charge": -1}]}"#,
            r#"{"bill_type": 131, "condition_codes": "92", "reason_for_visit": "R10.9", "lines": []}"#,
            r#"{"bill_type": "111", "from_date": "2025-03-01", "admitting_diagnosis": "R07.9", "diagnoses": ["I50.20"]}"#,
            r#"{"bill_type": "851", "from_date": "2025-03-01", "receipt_date": "2025-03-04", "opps_flag": "2", "lines": [{}]}"#,
            r#"{"bill_type": "131", "from_date": "2025-03-01", "receipt_date": 20250304, "opps_flag": 1, "lines": [{}]}"#,
            r#"{"bill_type": "131", "receipt_date": " ", "opps_flag": "X", "lines": [{}]}"#,
        ] {
            let claim = claim(json);
            let prepared = engine.prepare(&claim);
            assert_eq!(input(&prepared), ClaimInput::from_claim(&claim), "{json}");
        }
    }

    #[test]
    fn outpatient_is_the_routes_outpatient() {
        for bill_type in [
            None,
            Some(""),
            Some(" "),
            Some("111"),
            Some(" 112"),
            Some("131"),
            Some("11"),
            Some("x"),
            Some("851"),
        ] {
            let claim = Claim {
                bill_type: bill_type.map(str::to_owned),
                ..Claim::default()
            };
            assert_eq!(
                crate::claim::outpatient_bill_type(bill_type),
                crate::ioce::is_outpatient(&claim),
                "{bill_type:?}"
            );
        }
    }

    /// The issue's example: NCCI edit 040 on the glucose line; modifier 59
    /// lifts it; an office visit code gets 062.
    #[test]
    fn the_issues_claims() {
        let engine = Engine::builder().build().unwrap();
        let found = ioce_findings(&engine, PANEL);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(f.rule, "ioce-040");
        assert_eq!(f.cms_edit.as_deref(), Some("040"));
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(
            (f.line, f.field.as_deref()),
            (Some(3), Some("lines[2].code"))
        );
        assert_eq!(f.codes, ["82947"]);
        assert_eq!(
            f.message,
            "I/OCE edit 040 (line 3, 82947): Code2 of a code pair that would be allowed by NCCI if \
             appropriate modifier were present; line rejection (I/OCE 26.0.5)"
        );
        let with_59 = PANEL.replace(
            r#""code": "82947","#,
            r#""code": "82947", "modifiers": ["59"],"#,
        );
        assert!(ioce_findings(&engine, &with_59).is_empty());
        let visit = PANEL.replace("G0463", "99213");
        let found = ioce_findings(&engine, &visit);
        let rules: Vec<&str> = found.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, ["ioce-040", "ioce-062"]);
        assert_eq!(found[1].line, Some(1));
        assert!(found[1]
            .message
            .ends_with("; return to provider (I/OCE 26.0.5)"));
    }

    /// Each edit the editor raises is one finding at each place it names,
    /// and the claim's edits raised at no place are claim findings.
    #[test]
    fn one_finding_per_edit_and_place() {
        let engine = Engine::builder().build().unwrap();
        let editor = Editor::new();
        for json in [
            PANEL,
            // Invalid diagnoses, a modifier, a revenue code, no age.
            r#"{"bill_type": "131", "from_date": "2025-03-01", "patient": {"sex": "F"},
                "diagnoses": ["V0001XA", "XXXX"], "reason_for_visit": ["ZZZZ"],
                "lines": [{"code": "99213", "modifiers": ["ZZ", "ZZ"], "revenue_code": "0999", "units": 1, "charge": 5},
                          {"code": "QQQQQ", "revenue_code": "0510", "units": 1, "charge": 5}]}"#,
            // A line dated outside the claim: 023 on the line only.
            r#"{"bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01",
                "patient": {"sex": "F", "age": 40}, "diagnoses": ["N186"],
                "lines": [{"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 5, "service_date": "2025-03-09"}]}"#,
            // An invalid bill type, no from date, a date before every version.
            r#"{"bill_type": "999", "from_date": "2025-03-01", "diagnoses": ["N186"], "lines": [{"code": "G0463"}]}"#,
            r#"{"bill_type": "131", "diagnoses": ["N186"], "lines": [{"code": "G0463"}]}"#,
            r#"{"bill_type": "131", "from_date": "2001-01-01", "diagnoses": ["N186"], "lines": [{"code": "G0463"}]}"#,
            r#"{"bill_type": "131", "from_date": "2025-03-01", "patient": {"sex": "X", "age": 40}, "lines": [{"code": "G0463"}]}"#,
        ] {
            let claim = claim(json);
            let edited = editor.edit_claim(&claim);
            let found = ioce_findings(&engine, json);
            let raised = Raised::new(edited.clone());
            assert_eq!(found.len(), raised.places.len(), "{json}\n{found:#?}");
            // Every edit of the claim's lists is found, and nothing else.
            let mut listed: Vec<u16> = edited.listed_edits().collect();
            listed.sort_unstable();
            let mut numbers: Vec<u16> = found
                .iter()
                .map(|f| f.cms_edit.as_deref().unwrap().parse().unwrap())
                .collect();
            numbers.dedup();
            assert_eq!(numbers, listed, "{json}");
            for f in &found {
                assert_eq!(f.rule, format!("ioce-{}", f.cms_edit.as_deref().unwrap()));
                assert!(f
                    .message
                    .starts_with(&format!("I/OCE edit {} (", f.cms_edit.as_deref().unwrap())));
            }
        }
    }

    #[test]
    fn claim_level_findings_name_their_field() {
        let engine = Engine::builder().build().unwrap();
        let found = ioce_findings(
            &engine,
            r#"{"bill_type": "999", "from_date": "2025-03-01", "diagnoses": ["N186"], "lines": [{"code": "G0463"}]}"#,
        );
        let f = found.iter().find(|f| f.rule == "ioce-118").unwrap();
        assert_eq!((f.line, f.field.as_deref()), (None, Some("bill_type")));
        assert!(
            f.message.starts_with(
                "I/OCE edit 118 (claim, bill type 999): Invalid bill type; return to provider"
            ),
            "{}",
            f.message
        );
        let found = ioce_findings(
            &engine,
            r#"{"bill_type": "131", "from_date": "2025-03-01", "patient": {"sex": "F"}, "diagnoses": ["N186"],
                "lines": [{"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 5}]}"#,
        );
        let f = found.iter().find(|f| f.rule == "ioce-025").unwrap();
        assert_eq!(f.field.as_deref(), Some("patient.age"));
        assert!(
            f.message
                .starts_with("I/OCE edit 025 (claim, no age): Invalid age"),
            "{}",
            f.message
        );
        let found = ioce_findings(
            &engine,
            r#"{"bill_type": "131", "from_date": "2001-01-01", "diagnoses": ["N186"], "lines": [{"code": "G0463"}]}"#,
        );
        let f = found.iter().find(|f| f.rule == "ioce-024").unwrap();
        assert_eq!(f.severity, Severity::Warning);
        // No version answered: none named.
        assert_eq!(
            f.message,
            "I/OCE edit 024 (claim, from date 2001-01-01): Date out of OCE range; suspension"
        );
        for receipt in [r#""2025-02-28""#, r#""soon""#, "20250228"] {
            let json = format!(
                r#"{{"bill_type": "131", "from_date": "2025-03-01", "receipt_date": {receipt}, "diagnoses": ["N186"], "lines": [{{"code": "G0463"}}]}}"#
            );
            let found = ioce_findings(&engine, &json);
            let rules: Vec<&str> = found.iter().map(|f| &*f.rule).collect();
            assert_eq!(rules, ["ioce-119"], "{json}");
            let f = &found[0];
            assert_eq!((f.line, f.field.as_deref()), (None, Some("receipt_date")));
            let written = receipt.trim_matches('"');
            assert_eq!(
                f.message,
                format!(
                    "I/OCE edit 119 (claim, receipt date {written}, from date 2025-03-01): Invalid \
                     claims processing receipt date; return to provider"
                )
            );
        }
    }

    /// An OPPS flag other than 1, 2 or blank is a `malformed-claim`
    /// finding at `opps_flag`, and the claim is edited as OPPS; a claim
    /// with flag 2 is edited as not OPPS.
    #[test]
    fn opps_flag_is_read_and_checked() {
        let engine = Engine::builder().build().unwrap();
        let with = |flag: &str| {
            format!(
                r#"{{"id": "O", "type": "institutional", "bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01",
                    "patient": {{"sex": "F", "age": 70}}, "diagnoses": ["N186"], "opps_flag": {flag},
                    "lines": [{{"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 5}}]}}"#
            )
        };
        for ok in [r#""1""#, r#""2""#, "2", r#"" ""#, "null"] {
            let report = engine.check_json(&with(ok));
            assert!(
                report.findings.iter().all(|f| f.rule != "malformed-claim"),
                "{ok}: {:?}",
                report.findings
            );
        }
        for bad in [r#""X""#, r#""3""#, "0", r#""12""#, "true"] {
            let json = with(bad);
            let report = engine.check_json(&json);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule == "malformed-claim")
                .unwrap_or_else(|| panic!("{bad}: {:?}", report.findings));
            assert_eq!(f.field.as_deref(), Some("opps_flag"));
            let shown = bad.trim_matches('"');
            assert!(
                f.message.contains(&format!(
                    "OPPS flag \"{shown}\" is neither \"1\" (OPPS) nor \"2\" (not OPPS)"
                )),
                "{}",
                f.message
            );
            assert_eq!(engine.check(&claim(&json)), report);
            // Edited as OPPS: as without the flag.
            let mut plain = claim(&json);
            plain.opps_flag = None;
            assert_eq!(
                Editor::new().edit_claim(&claim(&json)),
                Editor::new().edit_claim(&plain)
            );
        }
        // Not OPPS: no status indicator on the line.
        let edited = Editor::new().edit_claim(&claim(&with(r#""2""#)));
        assert_eq!(edited.nopps_bill_flag, 2);
        assert_eq!(edited.lines[0].status_indicator, "");
    }

    /// An outpatient claim is no inpatient one: its patient status and
    /// dates are the I/OCE's to judge, so the MCE's discharge status rule
    /// and the stay's date rule step aside (the same claim as 11x gets
    /// both).
    #[test]
    fn inpatient_rules_step_aside_for_outpatient_claims() {
        let engine = Engine::builder().build().unwrap();
        let rules = |json: &str| -> Vec<String> {
            let mut r: Vec<String> = engine
                .check(&claim(json))
                .findings
                .into_iter()
                .map(|f| f.rule.to_string())
                .collect();
            r.sort();
            r.dedup();
            r
        };
        let outpatient = rules(PANEL);
        assert!(outpatient.iter().any(|r| r == "ioce-040"), "{outpatient:?}");
        let inpatient = rules(&PANEL.replace(r#""131""#, r#""111""#));
        for rule in ["invalid-discharge-status", "service-date-invalid"] {
            assert!(inpatient.iter().any(|r| r == rule), "{rule}: {inpatient:?}");
            assert!(
                !outpatient.iter().any(|r| r == rule),
                "{rule}: {outpatient:?}"
            );
        }
    }

    #[test]
    fn only_outpatient_claims_edited_once() {
        let engine = Engine::builder().build().unwrap();
        let outpatient = claim(PANEL);
        let p = engine.prepare(&outpatient);
        let first = raised(&p).map(|r| r as *const Raised);
        assert!(first.is_some());
        assert_eq!(raised(&p).map(|r| r as *const Raised), first);
        for json in [
            r#"{"bill_type": "111", "from_date": "2025-03-01", "diagnoses": ["N186"], "lines": [{"code": "99213"}]}"#,
            r#"{"type": "professional", "service_date": "2025-03-01", "diagnoses": ["N186"], "lines": [{"code": "99213"}]}"#,
        ] {
            let claim = claim(json);
            assert!(raised(&engine.prepare(&claim)).is_none(), "{json}");
            assert!(ioce_findings(&engine, json).is_empty());
        }
    }

    /// One rule for every edit of the I/OCE's tables, with the table's
    /// disposition; names by version.
    #[test]
    fn rules_are_the_tables_edits() {
        let mut table: Vec<(u16, u8)> = medcode_ioce_data::file("dsc_edit.tsv")
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[2].parse().unwrap(), f[3].parse().unwrap())
            })
            .collect();
        table.sort_unstable();
        table.dedup();
        let ours: Vec<(u16, u8)> = EDITS.iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(ours, table);
        for (b, e) in RULES.iter().zip(EDITS) {
            let code = format!("{:03}", e.0);
            assert_eq!(b.spec.cms_edit, Some(code.as_str()));
            assert_eq!(b.spec.id, format!("ioce-{code}"));
            assert_eq!(b.spec.severity, severity(e.1));
            assert!(b.spec.description.ends_with(e.2));
            let rule = (b.make)(&Tables::default());
            assert_eq!(rule.id(), b.spec.id);
        }
        assert_eq!(
            edit_name(29, Some(80)),
            Some("Partial hospitalization service for non-mental health diagnosis")
        );
        assert_eq!(
            edit_name(29, Some(98)),
            Some("PHP/IOP service for non-mental health diagnosis")
        );
        assert_eq!(edit_name(96, Some(98)), None);
        assert_eq!(edit_name(96, Some(80)), Some("Partial hospitalization interim claim from and through dates must span more than 4 days"));
        assert_eq!(edit_name(40, None), Some("Code2 of a code pair that would be allowed by NCCI if appropriate modifier were present"));
        assert_eq!(edit_name(139, Some(98)), None);
    }
}
