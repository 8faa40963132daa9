//! CPT, HCPCS Level II and modifier values: parsing, errors, order, category,
//! section and subsection boundaries, serde.

use medcode::cpt::{CptCategory, CptSection, SurgerySubsection};
use medcode::hcpcs::HcpcsSection;
use medcode::modifier::ModifierClass;
use medcode::{Cpt, Hcpcs, Modifier, ParseCodeErrorKind};

fn cpt(s: &str) -> Cpt {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn sizes() {
    assert_eq!(std::mem::size_of::<Cpt>(), 8);
    assert_eq!(std::mem::size_of::<Option<Cpt>>(), 8);
    assert_eq!(std::mem::size_of::<Option<Hcpcs>>(), 8);
    assert_eq!(std::mem::size_of::<Option<Modifier>>(), 8);
}

#[test]
fn cpt_forms_and_errors() {
    use ParseCodeErrorKind::*;
    for (input, shown) in [
        ("99213", "99213"),
        (" 99213\t", "99213"),
        ("0001f", "0001F"),
        ("0042T", "0042T"),
        ("0001u", "0001U"),
        ("0001A", "0001A"),
        ("0002M", "0002M"),
    ] {
        assert_eq!(cpt(input).to_string(), shown);
        assert_eq!(Cpt::try_from(input).unwrap(), cpt(shown));
    }
    assert_eq!(Cpt::parse("").map_err(|e| e.kind()), Err(Empty));
    assert_eq!(Cpt::parse("  ").map_err(|e| e.kind()), Err(Empty));
    assert_eq!(
        Cpt::parse("9921").map_err(|e| e.kind()),
        Err(TooShort { len: 4, min: 5 })
    );
    assert_eq!(
        Cpt::parse("992134").map_err(|e| e.kind()),
        Err(TooLong { len: 6, max: 5 })
    );
    assert_eq!(
        Cpt::parse("A0428").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 0,
            found: 'A',
            expected: "a digit"
        })
    );
    assert_eq!(
        Cpt::parse("000F1").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 3,
            found: 'F',
            expected: "a digit"
        })
    );
    assert_eq!(
        Cpt::parse("0001X").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 4,
            found: 'X',
            expected: "a digit or one of F, T, U, A, M"
        })
    );
    assert_eq!(
        Cpt::parse("99é13").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 2,
            found: 'é',
            expected: "a digit"
        })
    );
    assert_eq!(
        Cpt::parse("99 13").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 2,
            found: ' ',
            expected: "a digit"
        })
    );
    assert_eq!(
        Cpt::parse("99213.0").map_err(|e| e.kind()),
        Err(TooLong { len: 7, max: 5 })
    );
}

#[test]
fn cpt_categories() {
    assert_eq!(cpt("99213").category(), CptCategory::I);
    assert_eq!(cpt("0001A").category(), CptCategory::I);
    assert_eq!(cpt("1000F").category(), CptCategory::II);
    assert_eq!(cpt("0042T").category(), CptCategory::III);
    assert_eq!(cpt("0001U").category(), CptCategory::Pla);
    assert_eq!(cpt("0001M").category(), CptCategory::Maaa);
    for s in ["1000F", "0042T", "0001U", "0001A", "0001M"] {
        assert_eq!(cpt(s).number(), None, "{s}");
        assert_eq!(cpt(s).section(), None, "{s}");
    }
}

#[test]
fn cpt_section_boundaries() {
    use CptSection::*;
    let cases = [
        ("00000", None),
        ("00099", None),
        ("00100", Some(Anesthesia)),
        ("01999", Some(Anesthesia)),
        ("02000", None),
        ("10003", None),
        ("10004", Some(Surgery)),
        ("69990", Some(Surgery)),
        ("69991", None),
        ("70009", None),
        ("70010", Some(Radiology)),
        ("79999", Some(Radiology)),
        ("80046", None),
        ("80047", Some(PathologyLaboratory)),
        ("89398", Some(PathologyLaboratory)),
        ("89399", None),
        ("90280", None),
        ("90281", Some(Medicine)),
        ("99100", Some(Medicine)),
        ("99199", Some(Medicine)),
        ("99200", None),
        ("99201", None),
        ("99202", Some(EvaluationManagement)),
        ("99213", Some(EvaluationManagement)),
        ("99499", Some(EvaluationManagement)),
        ("99500", Some(Medicine)),
        ("99607", Some(Medicine)),
        ("99608", None),
        ("99999", None),
    ];
    for (code, want) in cases {
        assert_eq!(cpt(code).section(), want, "{code}");
    }
    assert_eq!(EvaluationManagement.name(), "Evaluation and Management");
    assert_eq!(Surgery.to_string(), "Surgery");
}

#[test]
fn surgery_subsection_boundaries() {
    use SurgerySubsection::*;
    let cases = [
        ("10004", Some(General)),
        ("10021", Some(General)),
        ("10022", None),
        ("10030", Some(Integumentary)),
        ("19499", Some(Integumentary)),
        ("20100", Some(Musculoskeletal)),
        ("29999", Some(Musculoskeletal)),
        ("30000", Some(Respiratory)),
        ("32999", Some(Respiratory)),
        ("33016", Some(Cardiovascular)),
        ("37799", Some(Cardiovascular)),
        ("38100", Some(HemicLymphatic)),
        ("38999", Some(HemicLymphatic)),
        ("39000", Some(MediastinumDiaphragm)),
        ("39599", Some(MediastinumDiaphragm)),
        ("40490", Some(Digestive)),
        ("49999", Some(Digestive)),
        ("50010", Some(Urinary)),
        ("53899", Some(Urinary)),
        ("54000", Some(MaleGenital)),
        ("55899", Some(MaleGenital)),
        ("55920", Some(Reproductive)),
        ("55970", Some(Intersex)),
        ("55980", Some(Intersex)),
        ("56405", Some(FemaleGenital)),
        ("58999", Some(FemaleGenital)),
        ("59000", Some(MaternityDelivery)),
        ("59899", Some(MaternityDelivery)),
        ("60000", Some(Endocrine)),
        ("60699", Some(Endocrine)),
        ("61000", Some(Nervous)),
        ("64999", Some(Nervous)),
        ("65091", Some(EyeOcularAdnexa)),
        ("68899", Some(EyeOcularAdnexa)),
        ("69000", Some(Auditory)),
        ("69979", Some(Auditory)),
        ("69990", Some(OperatingMicroscope)),
        ("70010", None),
        ("00100", None),
    ];
    for (code, want) in cases {
        assert_eq!(cpt(code).surgery_subsection(), want, "{code}");
        if want.is_some() {
            assert_eq!(cpt(code).section(), Some(CptSection::Surgery), "{code}");
        }
    }
}

#[test]
fn cpt_order_is_string_order() {
    let codes = [
        "00019", "0001A", "0001F", "0001M", "0001T", "0001U", "00020", "00100", "01999", "99213",
        "99499",
    ];
    let parsed: Vec<Cpt> = codes.iter().map(|c| cpt(c)).collect();
    let mut sorted = parsed.clone();
    sorted.sort();
    assert_eq!(parsed, sorted);
    let mut strings = codes.to_vec();
    strings.sort();
    assert_eq!(strings, codes);
}

#[test]
fn hcpcs_forms_errors_sections() {
    use ParseCodeErrorKind::*;
    let c: Hcpcs = " e0114 ".parse().unwrap();
    assert_eq!(c.to_string(), "E0114");
    assert_eq!(format!("{c:?}"), "Hcpcs(E0114)");
    assert_eq!(format!("[{c:>7}]"), "[  E0114]");
    assert_eq!(Hcpcs::parse("").map_err(|e| e.kind()), Err(Empty));
    assert_eq!(
        Hcpcs::parse("E011").map_err(|e| e.kind()),
        Err(TooShort { len: 4, min: 5 })
    );
    assert_eq!(
        Hcpcs::parse("E01145").map_err(|e| e.kind()),
        Err(TooLong { len: 6, max: 5 })
    );
    assert_eq!(
        Hcpcs::parse("0E114").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 0,
            found: '0',
            expected: "a letter"
        })
    );
    assert_eq!(
        Hcpcs::parse("EE114").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 1,
            found: 'E',
            expected: "a digit"
        })
    );
    let section = |s: &str| s.parse::<Hcpcs>().unwrap().section();
    for (letter, want) in [
        ('A', Some(HcpcsSection::TransportationSupplies)),
        ('B', Some(HcpcsSection::EnteralParenteral)),
        ('C', Some(HcpcsSection::OutpatientPps)),
        ('D', Some(HcpcsSection::Dental)),
        ('E', Some(HcpcsSection::DurableMedicalEquipment)),
        ('G', Some(HcpcsSection::ProceduresProfessional)),
        ('H', Some(HcpcsSection::BehavioralHealth)),
        ('J', Some(HcpcsSection::Drugs)),
        ('K', Some(HcpcsSection::DmeTemporary)),
        ('L', Some(HcpcsSection::OrthoticProsthetic)),
        ('M', Some(HcpcsSection::OtherMedicalServices)),
        ('P', Some(HcpcsSection::PathologyLaboratory)),
        ('Q', Some(HcpcsSection::Temporary)),
        ('R', Some(HcpcsSection::DiagnosticRadiology)),
        ('S', Some(HcpcsSection::CommercialPayers)),
        ('T', Some(HcpcsSection::StateMedicaid)),
        ('U', Some(HcpcsSection::CoronavirusLab)),
        ('V', Some(HcpcsSection::VisionHearingSpeech)),
        ('F', None),
        ('I', None),
        ('N', None),
        ('O', None),
        ('W', None),
        ('X', None),
        ('Y', None),
        ('Z', None),
    ] {
        assert_eq!(section(&format!("{letter}1234")), want, "{letter}");
        if let Some(s) = want {
            assert_eq!(s.letter(), letter);
            assert!(!s.name().is_empty());
        }
    }
    assert_eq!(HcpcsSection::Dental.name(), "CDT (dental)");
    assert!("D0120".parse::<Hcpcs>().unwrap().is_cdt());
}

#[test]
fn modifiers() {
    use ModifierClass::*;
    use ParseCodeErrorKind::*;
    let class = |s: &str| s.parse::<Modifier>().unwrap().class();
    for m in [
        "LT", "RT", "50", "E1", "E4", "FA", "F1", "F9", "TA", "T1", "T9", "LC", "LD", "RC", "LM",
        "RI",
    ] {
        assert_eq!(class(m), Anatomic, "{m}");
    }
    for m in [
        "24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XS", "XP", "XU",
    ] {
        assert_eq!(class(m), NcciAssociated, "{m}");
    }
    assert_eq!(class("26"), ProfessionalTechnical);
    assert_eq!(class("tc"), ProfessionalTechnical);
    assert_eq!(class("76"), Repeat);
    assert_eq!(class("77"), Repeat);
    for m in ["E5", "F0", "T0", "GA", "51", "QW", "XX", "00"] {
        assert_eq!(class(m), Other, "{m}");
    }
    assert_eq!(Modifier::parse(" lt ").unwrap().to_string(), "LT");
    assert_eq!(Modifier::parse("").map_err(|e| e.kind()), Err(Empty));
    assert_eq!(
        Modifier::parse("L").map_err(|e| e.kind()),
        Err(TooShort { len: 1, min: 2 })
    );
    assert_eq!(
        Modifier::parse("LTR").map_err(|e| e.kind()),
        Err(TooLong { len: 3, max: 2 })
    );
    assert_eq!(
        Modifier::parse("L-").map_err(|e| e.kind()),
        Err(BadCharacter {
            position: 1,
            found: '-',
            expected: "a letter or digit"
        })
    );
    assert!(Modifier::parse("25").unwrap().is_cpt());
    assert!(!Modifier::parse("2A").unwrap().is_cpt());
}

#[test]
fn serde_round_trips() {
    let c = cpt("0001F");
    assert_eq!(serde_json::to_string(&c).unwrap(), "\"0001F\"");
    assert_eq!(serde_json::from_str::<Cpt>("\"0001f\"").unwrap(), c);
    assert!(serde_json::from_str::<Cpt>("\"0001\"").is_err());

    let h: Hcpcs = "J1100".parse().unwrap();
    assert_eq!(serde_json::to_string(&h).unwrap(), "\"J1100\"");
    assert_eq!(serde_json::from_str::<Hcpcs>("\"j1100\"").unwrap(), h);
    assert!(serde_json::from_str::<Hcpcs>("\"99213\"").is_err());

    let m: Modifier = "XU".parse().unwrap();
    assert_eq!(serde_json::to_string(&m).unwrap(), "\"XU\"");
    assert_eq!(serde_json::from_str::<Modifier>("\"xu\"").unwrap(), m);
    assert!(serde_json::from_str::<Modifier>("\"X\"").is_err());

    assert_eq!(serde_json::to_string(&CptCategory::Pla).unwrap(), "\"PLA\"");
    assert_eq!(
        serde_json::to_string(&ModifierClass::NcciAssociated).unwrap(),
        "\"ncci_associated\""
    );
}
