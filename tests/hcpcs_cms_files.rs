//! The HCPCS reader on CMS's real annual files (2019 and 2020), as CMS ships
//! them: the `.zip`, and the `…ANWEB….txt` inside it with its disclaimer
//! lines, tab padding, CRLF line ends and cp1252 text.
//!
//! The files live in `../shared/cms/hcpcs/` beside the checkout (CI always
//! has it), or in the folder `MEDCODE_CMS_DIR` names. A fresh clone has
//! neither: the tests then print why they skip and pass (under
//! `MEDCODE_NO_SKIP=1`, as CI runs them, they fail instead).
//!
//! Each file is compared with an independent reading of CMS's documented
//! record layout (`HCPCS2019_recordlayout.txt`: code 1–5, sequence 6–10,
//! record id 11, long description 12–91, short description 92–119, added
//! 269–276, action effective 277–284, termination 285–292, action code 293),
//! written here without the library's parser, and with the numbers a Python
//! one-off reading of the same layout gave (recorded below).
// Without the `zip` feature only the refusal test runs.
#![cfg_attr(not(feature = "zip"), allow(dead_code, unused_imports))]

use medcode::hcpcs::{HcpcsLoadError, HcpcsRelease};
use medcode::{Date, Hcpcs, Modifier};
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common;

fn cms_dir() -> Option<PathBuf> {
    let dir = common::cms_dir();
    if dir.join("hcpcs").is_dir() {
        Some(dir)
    } else {
        common::skip(
            "CMS's HCPCS files",
            format_args!(
                "not at {} (set MEDCODE_CMS_DIR, or put shared/ beside the checkout)",
                dir.join("hcpcs").display()
            ),
        );
        None
    }
}

/// What the Python one-off counted on each file (lines split on CRLF; a
/// record is a line with a record id 3, 4, 7 or 8 in column 11 after five
/// digits in columns 6-10).
struct Expected {
    zip: &'static str,
    member: &'static str,
    codes: usize,
    modifiers: usize,
    records: usize,
    preamble: usize,
    q9950_action: char,
}

const FILES: [Expected; 2] = [
    Expected {
        zip: "2019-Alpha-Numeric-HCPCS-File.zip",
        member: "HCPC2019_CONTR_ANWEB.txt",
        codes: 6440,
        modifiers: 360,
        records: 6440 + 4656 + 360 + 166,
        preamble: 4,
        q9950_action: 'P',
    },
    Expected {
        zip: "2020-Alpha-Numeric-HCPCS-File.zip",
        member: "HCPC2020_ANWEB_w_disclaimer.txt",
        codes: 6710,
        modifiers: 369,
        records: 6710 + 5100 + 369 + 180,
        preamble: 6,
        q9950_action: 'N',
    },
];

/// One code or modifier as the independent reading sees it.
#[derive(Debug, Default, PartialEq)]
struct Independent {
    title: String,
    short: String,
    added: String,
    effective: String,
    terminated: String,
    action: String,
}

/// The independent reading: (codes, modifiers, record lines, non-blank lines
/// before the first record).
type Reading = (
    BTreeMap<String, Independent>,
    BTreeMap<String, Independent>,
    usize,
    usize,
);

fn latin(b: &[u8]) -> String {
    // The records of both files are ASCII; the disclaimer is not read here.
    b.iter().map(|&c| char::from(c)).collect()
}

fn cols(l: &[u8], a: usize, b: usize) -> String {
    let a = (a - 1).min(l.len());
    let b = b.min(l.len());
    latin(&l[a..b]).trim().to_owned()
}

fn independent(bytes: &[u8]) -> Reading {
    let text = bytes;
    let mut codes = BTreeMap::new();
    let mut mods = BTreeMap::new();
    let (mut records, mut preamble, mut started) = (0, 0, false);
    let mut current: Option<(bool, String)> = None;
    let mut chunks: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    let mut start = 0;
    let mut lines = Vec::new();
    while let Some(i) = text[start..].windows(2).position(|w| w == b"\r\n") {
        lines.push(&text[start..start + i]);
        start += i + 2;
    }
    lines.push(&text[start..]);
    for l in lines {
        let is_record = l.len() >= 11
            && matches!(l[10], b'3' | b'4' | b'7' | b'8')
            && l[5..10].iter().all(u8::is_ascii_digit);
        if !is_record {
            if !started && l.iter().any(|&b| !matches!(b, b' ' | b'\t')) {
                preamble += 1;
            }
            continue;
        }
        started = true;
        records += 1;
        let code = cols(l, 1, 5);
        let is_code = matches!(l[10], b'3' | b'4');
        let key = (is_code, code.clone());
        chunks.entry(key.clone()).or_default().push(cols(l, 12, 91));
        if matches!(l[10], b'3' | b'7') {
            let entry = Independent {
                title: String::new(),
                short: cols(l, 92, 119),
                added: cols(l, 269, 276),
                effective: cols(l, 277, 284),
                terminated: cols(l, 285, 292),
                action: cols(l, 293, 293),
            };
            if is_code {
                codes.insert(code, entry);
            } else {
                mods.insert(code, entry);
            }
            current = Some(key);
        } else {
            assert_eq!(
                current.as_ref(),
                Some(&key),
                "continuation follows its first record"
            );
        }
    }
    for ((is_code, code), parts) in chunks {
        let title = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let map = if is_code { &mut codes } else { &mut mods };
        map.get_mut(&code).unwrap().title = title;
    }
    (codes, mods, records, preamble)
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string().replace('-', ""))
        .unwrap_or_default()
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or("").to_owned()
}

fn flag(c: Option<char>) -> String {
    c.map(String::from).unwrap_or_default()
}

#[cfg(feature = "zip")]
fn member_bytes(zip_path: &std::path::Path, member: &str) -> Vec<u8> {
    use std::io::Read;
    let file = std::fs::File::open(zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    archive
        .by_name(member)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[cfg(feature = "zip")]
#[test]
fn real_annual_files_load_exactly_their_records() {
    let Some(dir) = cms_dir() else { return };
    for exp in &FILES {
        let zip_path = dir.join("hcpcs").join(exp.zip);
        let bytes = member_bytes(&zip_path, exp.member);
        // The file as shipped: CRLF, disclaimer text (with tab padding in 2019) before the first record.
        assert!(bytes.windows(2).any(|w| w == b"\r\n"));
        assert!(!bytes.starts_with(b"   A"));

        // Loaded from the .txt as CMS ships it, and from the .zip directly.
        let txt = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(exp.member);
        std::fs::write(&txt, &bytes).unwrap();
        let from_txt = HcpcsRelease::load(&txt).unwrap_or_else(|e| panic!("{}: {e}", exp.member));
        let release = HcpcsRelease::load(&zip_path).unwrap_or_else(|e| panic!("{}: {e}", exp.zip));
        assert_eq!(
            release, from_txt,
            "{}: the .zip and its .txt load alike",
            exp.zip
        );

        // The numbers the Python one-off recorded.
        assert_eq!(release.len(), exp.codes, "{}: codes", exp.member);
        assert_eq!(
            release.modifiers().len(),
            exp.modifiers,
            "{}: modifiers",
            exp.member
        );
        assert_eq!(
            release.records(),
            exp.records,
            "{}: record lines",
            exp.member
        );
        assert_eq!(
            release.preamble_lines(),
            exp.preamble,
            "{}: disclaimer lines",
            exp.member
        );

        // Every code and modifier equals the independent reading.
        let (codes, mods, records, preamble) = independent(&bytes);
        assert_eq!(
            (codes.len(), mods.len(), records, preamble),
            (exp.codes, exp.modifiers, exp.records, exp.preamble)
        );
        for e in release.iter() {
            let want = codes
                .get(&e.code().to_string())
                .unwrap_or_else(|| panic!("{} not in the file", e.code()));
            let got = Independent {
                title: opt(e.title()),
                short: opt(e.short_title()),
                added: date_text(e.added()),
                effective: date_text(e.action_effective()),
                terminated: date_text(e.terminated()),
                action: flag(e.action_code()),
            };
            assert_eq!(&got, want, "{}: {}", exp.member, e.code());
        }
        for m in release.modifiers() {
            let want = mods.get(&m.modifier().to_string()).unwrap();
            let got = Independent {
                title: opt(m.title()),
                short: opt(m.short_title()),
                added: date_text(m.added()),
                effective: date_text(m.action_effective()),
                terminated: date_text(m.terminated()),
                action: flag(m.action_code()),
            };
            assert_eq!(&got, want, "{}: modifier {}", exp.member, m.modifier());
        }

        // A sample, as the Python one-off printed it.
        let code = |s: &str| release.get(s.parse::<Hcpcs>().unwrap()).unwrap();
        let a = code("A0428");
        assert_eq!(
            a.title(),
            Some("Ambulance service, basic life support, non-emergency transport, (bls)")
        );
        assert_eq!(a.short_title(), Some("Bls"));
        let e = code("E0114");
        assert_eq!(e.title(), Some("Crutches underarm, other than wood, adjustable or fixed, pair, with pads, tips and handgrips"));
        assert_eq!(e.short_title(), Some("Crutch underarm pair no wood"));
        assert_eq!(e.added(), Some(Date::new(1986, 1, 1).unwrap()));
        let g = code("G0202");
        assert_eq!(g.title(), Some("Screening mammography, bilateral (2-view study of each breast), including computer-aided detection (cad) when performed"));
        assert_eq!(g.terminated(), Some(Date::new(2017, 12, 31).unwrap()));
        assert_eq!(g.action_effective(), Some(Date::new(2018, 1, 1).unwrap()));
        assert!(g.valid_on(Date::new(2017, 12, 31).unwrap()));
        assert!(!g.valid_on(Date::new(2018, 1, 1).unwrap()));
        let j = code("J0129");
        assert!(j
            .title()
            .unwrap()
            .ends_with("not for use when drug is self administered)"));
        assert_eq!(code("Q9950").action_code(), Some(exp.q9950_action));
        let ga = release.modifier("GA".parse::<Modifier>().unwrap()).unwrap();
        assert_eq!(
            ga.title(),
            Some(
                "Waiver of liability statement issued as required by payer policy, individual case"
            )
        );
        assert_eq!(ga.added(), Some(Date::new(1995, 1, 1).unwrap()));
    }
}

#[cfg(not(feature = "zip"))]
#[test]
fn real_annual_files_load_exactly_their_records() {
    common::skip(
        "CMS's zipped HCPCS files",
        "reading them needs the `zip` feature",
    );
}

#[test]
fn other_files_in_the_cms_folder_are_refused() {
    let Some(dir) = cms_dir() else { return };
    // The record layout (prose) holds no record. CMS's workbook is read with
    // the `xlsx` feature (tests/hcpcs_bundled.rs compares it with the
    // bundled release) and refused with advice without it.
    let layout = HcpcsRelease::load(dir.join("hcpcs/2019-HCPCS-Record-Layout.zip")).unwrap_err();
    let workbook = HcpcsRelease::load(dir.join("hcpcs/HCPC2025_OCT_ANWEB.xlsx"));
    if cfg!(feature = "zip") {
        assert!(
            layout.to_string().starts_with("no HCPCS record in "),
            "{layout}"
        );
        if cfg!(feature = "xlsx") {
            assert_eq!(workbook.map(|w| w.len()).ok(), Some(8_463));
        } else {
            let workbook = workbook.unwrap_err();
            assert!(matches!(workbook, HcpcsLoadError::Zip { .. }), "{workbook}");
            assert!(
                workbook.to_string().contains("`xlsx` feature"),
                "{workbook}"
            );
        }
    } else {
        assert!(matches!(layout, HcpcsLoadError::Zip { .. }), "{layout}");
        assert!(layout.to_string().contains("`zip` feature"), "{layout}");
    }
    // A file of another kind: CMS's ICD-10-CM codes file (text, no HCPCS record).
    let icd = HcpcsRelease::load(dir.join("icd10/icd10cm_codes_2027.txt")).unwrap_err();
    assert!(
        icd.to_string().contains("no HCPCS record in 74879 lines"),
        "{icd}"
    );
}
