//! CDC's lists of ICD-10-CM codes exempt from present-on-admission (POA)
//! reporting, one per release. A list is in force from its release's
//! effective date until the next list's.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{ensure, Context, Result};

use crate::cms::{latin1, undot, Cms};

/// One release's list: zip in the folder, the list member, the ReadMe
/// member, the date it takes effect and a name.
pub struct ListSpec {
    pub zip: &'static str,
    pub member: &'static str,
    pub readme: &'static str,
    pub effective: i32,
    pub name: &'static str,
}

const fn spec(
    zip: &'static str,
    member: &'static str,
    readme: &'static str,
    effective: i32,
    name: &'static str,
) -> ListSpec {
    ListSpec {
        zip,
        member,
        readme,
        effective,
        name,
    }
}

/// Every list in the folder, oldest first. There is no list for April 2024
/// or April 2025 (CDC published none): the FY list stays in force.
pub const LISTS: [ListSpec; 14] = [
    spec(
        "poa-exempt/POAexemptCodes2016.zip",
        "POAexemptCodes2016.txt",
        "ReadMe-POA.txt",
        20151001,
        "FY2016",
    ),
    spec(
        "poa-exempt/POAexemptCodes2017.zip",
        "POAexemptCodes2017.txt",
        "ReadMe-POA.txt",
        20161001,
        "FY2017",
    ),
    spec(
        "poa-exempt/POAexemptAddCodes2018.zip",
        "POAexemptCodes2018.txt",
        "ReadMe-POAexempt2018.txt",
        20171001,
        "FY2018",
    ),
    spec(
        "poa-exempt/POAexemptCodes2019.zip",
        "POAexemptCodes2019.txt",
        "ReadMePOAexempt2019.txt",
        20181001,
        "FY2019",
    ),
    spec(
        "poa-exempt/POAexemptCodes2020.zip",
        "POAexemptCodes2020.txt",
        "ReadMePOAexempt2020.txt",
        20191001,
        "FY2020",
    ),
    spec(
        "poa-exempt/POAexemptCodes2021.zip",
        "POAexemptCodes2021.txt",
        "ReadMePOAexempt2021.txt",
        20201001,
        "FY2021",
    ),
    spec(
        "poa-exempt/POA-exempt-Codes-Jan-2021.zip",
        "POAexemptCodesJan2021.txt",
        "ReadMePOAexemptJan2021.txt",
        20210101,
        "January 2021",
    ),
    spec(
        "poa-exempt/POAexemptCodesFY22.zip",
        "POAexemptCodesFY22.txt",
        "ReadMePOAexemptFY22.txt",
        20211001,
        "FY2022",
    ),
    spec(
        "poa-exempt/POAexemptCodesApr22.zip",
        "POAexemptCodesApr22.txt",
        "ReadMePOAexemptApr22.txt",
        20220401,
        "April 2022",
    ),
    spec(
        "poa-exempt/POAexemptCodesFY23.zip",
        "POAexemptCodesFY23.txt",
        "ReadMePOAexemptFY23.txt",
        20221001,
        "FY2023",
    ),
    spec(
        "poa-exempt/POAexemptCodesApr23.zip",
        "POAexemptCodesApr23.txt",
        "ReadMePOAexemptApr23.txt",
        20230401,
        "April 2023",
    ),
    spec(
        "poa-exempt/POAexemptCodesFY24.zip",
        "POAexemptCodesFY24.txt",
        "ReadMePOAexemptFY24.txt",
        20231001,
        "FY2024",
    ),
    spec(
        "poa-exempt/POAexemptCodesFY25.zip",
        "POAexemptCodesFY25.txt",
        "ReadMePOAexemptFY25.txt",
        20241001,
        "FY2025",
    ),
    spec(
        "poa-exempt/POAexemptCodesFY26.zip",
        "POAexemptCodesFY26.txt",
        "ReadMePOAexemptFY26.txt",
        20251001,
        "FY2026",
    ),
];

/// A parsed list.
pub struct List {
    pub spec: &'static ListSpec,
    pub codes: BTreeSet<String>,
}

/// The count the ReadMe states: "... exempt codes, for FY2026 (38,349 codes)."
fn readme_count(text: &str, what: &str) -> Result<usize> {
    let line = text
        .lines()
        .find(|l| l.contains("List of Present On Admission (POA) exempt codes"))
        .with_context(|| format!("{what}: no line naming the list"))?;
    let open = line
        .rfind('(')
        .with_context(|| format!("{what}: no count in {line:?}"))?;
    let n: String = line[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    n.parse()
        .with_context(|| format!("{what}: no count in {line:?}"))
}

/// Reads one list: a header row, then `order<TAB>code<TAB>title` rows.
pub fn read(cms: &Cms, spec: &'static ListSpec) -> Result<List> {
    let what = format!("{}:{}", spec.zip, spec.member);
    let text = latin1(&cms.member(spec.zip, spec.member)?);
    let mut lines = text.lines();
    let header = lines.next().with_context(|| format!("{what}: empty"))?;
    ensure!(
        header.split('\t').nth(1) == Some("POAexemptCode"),
        "{what}: unexpected header {header:?}"
    );
    let mut codes = BTreeSet::new();
    let mut rows = 0;
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        ensure!(
            f.len() == 3,
            "{what} line {}: {} fields, expected 3",
            n + 2,
            f.len()
        );
        rows += 1;
        let code = undot(f[1], &format!("{what} line {}", n + 2))?;
        ensure!(
            codes.insert(code),
            "{what} line {}: {} listed twice",
            n + 2,
            f[1]
        );
    }
    let readme = format!("{}:{}", spec.zip, spec.readme);
    let stated = readme_count(&latin1(&cms.member(spec.zip, spec.readme)?), &readme)?;
    ensure!(
        rows == stated,
        "{what}: {rows} codes, its ReadMe says {stated}"
    );
    Ok(List { spec, codes })
}

/// Per code, the periods `(start, end)` in which it is on the list in force;
/// consecutive lists merge. The newest list's period ends at `horizon`.
pub fn periods(lists: &[List], horizon: i32) -> Result<BTreeMap<String, Vec<(i32, i32)>>> {
    ensure!(
        lists
            .windows(2)
            .all(|p| p[0].spec.effective < p[1].spec.effective),
        "POA lists are not in date order"
    );
    let mut out: BTreeMap<String, Vec<(i32, i32)>> = BTreeMap::new();
    for (i, list) in lists.iter().enumerate() {
        let start = list.spec.effective;
        let end = match lists.get(i + 1) {
            Some(next) => day_before(next.spec.effective),
            None => horizon,
        };
        for code in &list.codes {
            let ps = out.entry(code.clone()).or_default();
            match ps.last_mut() {
                Some(last) if last.1 == day_before(start) => last.1 = end,
                _ => ps.push((start, end)),
            }
        }
    }
    Ok(out)
}

/// The day before a yyyymmdd date that is the first of a month.
fn day_before(ymd: i32) -> i32 {
    let (y, m, d) = (ymd / 10_000, ymd / 100 % 100, ymd % 100);
    assert_eq!(d, 1, "lists take effect on the first of a month");
    let (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let last = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    y * 10_000 + m * 100 + last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_before() {
        assert_eq!(day_before(20151001), 20150930);
        assert_eq!(day_before(20210101), 20201231);
        assert_eq!(day_before(20240301), 20240229);
    }

    #[test]
    fn counts_from_readmes() {
        let t = "x\nList of Present On Admission (POA) exempt codes, for FY2026 (38,349 codes).\n";
        assert_eq!(readme_count(t, "t").unwrap(), 38_349);
        let t = "List of Present On Admission (POA) exempt codes, consistent with the current FY2016 guidelines (35,239 codes). ";
        assert_eq!(readme_count(t, "t").unwrap(), 35_239);
    }
}
