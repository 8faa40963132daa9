//! MS-DRG CC/MCC tables: 6I (MCC list), 6J (CC list), 6K (CC exclusions).

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, ensure, Context, Result};

use crate::tabular::{is_code, undot};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Cc,
    Mcc,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Cc => "CC",
            Level::Mcc => "MCC",
        }
    }
}

/// One line of Table 6K part 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcEntry {
    pub code: String,
    pub level: Level,
    /// PDX exclusion group, as written (`0002`), and the "N codes" count
    /// of the group; `None` for `No Excl` (no principal diagnosis cancels
    /// this CC/MCC).
    pub group: Option<(String, usize)>,
}

/// Parses a Table 6K part 1 line such as
/// ` A000    CC  0002:3 codes     Cholera due to Vibrio cholerae 01, biovar cholerae`
/// or ` D89833  CC  No Excl          Cytokine release syndrome, grade 3`.
pub fn parse_part1_line(line: &str) -> Option<CcEntry> {
    let mut it = line.split_whitespace();
    let code = it.next()?;
    if !is_code(code) {
        return None;
    }
    let level = match it.next()? {
        "CC" => Level::Cc,
        "MCC" => Level::Mcc,
        _ => return None,
    };
    let group = match it.next()? {
        "No" => {
            if it.next()? != "Excl" {
                return None;
            }
            None
        }
        g => {
            let (group, count) = g.split_once(':')?;
            // Large counts carry a thousands separator: `0126:1,070 codes`.
            let count = count.replace(',', "");
            if !matches!(it.next()?, "codes" | "code")
                || group.is_empty()
                || !group.bytes().all(|b| b.is_ascii_digit())
                || count.is_empty()
                || !count.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            Some((group.to_string(), count.parse().ok()?))
        }
    };
    Some(CcEntry {
        code: code.to_string(),
        level,
        group,
    })
}

/// Parses a member line (`  A000    Cholera due to ...`): the code.
pub fn parse_member_line(line: &str) -> Option<String> {
    if !line.starts_with(char::is_whitespace) {
        return None;
    }
    let code = line.split_whitespace().next()?;
    is_code(code).then(|| code.to_string())
}

#[derive(Debug, Default)]
pub struct Table6K {
    /// Part 1, in source order.
    pub entries: Vec<CcEntry>,
    /// PDX collections: group -> member codes.
    pub groups: BTreeMap<String, BTreeSet<String>>,
    /// Part 2: codes that are CC/MCC only if the patient is discharged alive.
    pub alive_only: BTreeSet<String>,
}

/// Parses Table 6K (`file` names it in errors) and checks each group's
/// member count against the "N codes" of part 1.
pub fn parse_6k(text: &str, file: &str) -> Result<Table6K> {
    #[derive(PartialEq)]
    enum State {
        Preamble,
        Part1,
        Groups,
        Part2,
    }
    let mut state = State::Preamble;
    let mut t = Table6K::default();
    let mut group: Option<String> = None;
    let mut done = false;
    for (no, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let at = || format!("{file} line {}: {line:?}", no + 1);
        let trimmed = line.trim();
        if line.starts_with("K Part 3") {
            ensure!(state == State::Part2, "{}: part 3 before part 2", at());
            done = true;
            break;
        }
        if line.starts_with("K Part 1") {
            ensure!(state == State::Preamble, "{}: second part 1", at());
            state = State::Part1;
            continue;
        }
        if line.starts_with("K Part 2") {
            ensure!(
                state == State::Groups,
                "{}: part 2 before the PDX collections",
                at()
            );
            state = State::Part2;
            continue;
        }
        if let Some(g) = trimmed.strip_prefix("PDX collection ") {
            ensure!(
                matches!(state, State::Part1 | State::Groups),
                "{}: PDX collection outside part 1",
                at()
            );
            let g = g.trim();
            ensure!(
                !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()),
                "{}: bad group number",
                at()
            );
            ensure!(
                t.groups.insert(g.to_string(), BTreeSet::new()).is_none(),
                "{}: group {g} appears twice",
                at()
            );
            group = Some(g.to_string());
            state = State::Groups;
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        match state {
            State::Preamble => {}
            State::Part1 => {
                if trimmed.starts_with("I10 Dx") {
                    continue;
                }
                let e = parse_part1_line(line)
                    .with_context(|| format!("{}: not a part 1 line", at()))?;
                t.entries.push(e);
            }
            State::Groups => {
                let code = parse_member_line(line)
                    .with_context(|| format!("{}: not a member line", at()))?;
                let g = group.as_ref().context("member line before any group")?;
                let members = t.groups.get_mut(g).context("group vanished")?;
                ensure!(members.insert(code), "{}: listed twice in group {g}", at());
            }
            State::Part2 => {
                let code = parse_member_line(line)
                    .with_context(|| format!("{}: not a part 2 line", at()))?;
                ensure!(
                    t.alive_only.insert(code),
                    "{}: listed twice in part 2",
                    at()
                );
            }
        }
    }
    ensure!(
        done,
        "{file}: no \"K Part 3\" line (the file looks truncated)"
    );
    ensure!(!t.entries.is_empty(), "{file}: part 1 is empty");
    let mut seen = BTreeSet::new();
    for e in &t.entries {
        ensure!(
            seen.insert(&e.code),
            "{file}: {} appears twice in part 1",
            e.code
        );
        let Some((group, count)) = &e.group else {
            continue;
        };
        let members = t.groups.get(group).with_context(|| {
            format!(
                "{file}: {} refers to group {group}, which has no PDX collection",
                e.code
            )
        })?;
        ensure!(
            members.len() == *count,
            "{file}: {} says group {group} has {count} codes, its PDX collection lists {}",
            e.code,
            members.len()
        );
    }
    for code in &t.alive_only {
        ensure!(
            seen.contains(code),
            "{file}: part 2 code {code} is not a CC/MCC of part 1"
        );
    }
    Ok(t)
}

/// Parses Table 6I or 6J: a title line starting with `title`, a column
/// header line, then `CODE<TAB>description` lines (dotted codes) up to the
/// first blank line. Returns the undotted codes.
pub fn parse_list(text: &str, file: &str, title: &str) -> Result<BTreeSet<String>> {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let first = lines.next().unwrap_or_default();
    ensure!(
        first.starts_with(title),
        "{file}: first line {first:?} does not start with {title:?}"
    );
    let header = lines.next().unwrap_or_default();
    ensure!(
        header.starts_with("Diagnosis Code\t"),
        "{file}: second line {header:?} is not the column header"
    );
    let mut out = BTreeSet::new();
    for (no, line) in lines.enumerate() {
        if line.trim().is_empty() {
            break;
        }
        let Some((code, _desc)) = line.split_once('\t') else {
            bail!("{file} line {}: {line:?} has no tab", no + 3);
        };
        let code = undot(code.trim());
        ensure!(
            is_code(&code),
            "{file} line {}: {code:?} is not a code",
            no + 3
        );
        ensure!(
            out.insert(code.clone()),
            "{file} line {}: {code} listed twice",
            no + 3
        );
    }
    ensure!(!out.is_empty(), "{file}: no codes");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part1_lines() {
        assert_eq!(
            parse_part1_line(
                " A000    CC  0002:3 codes     Cholera due to Vibrio cholerae 01, biovar cholerae"
            ),
            Some(CcEntry {
                code: "A000".into(),
                level: Level::Cc,
                group: Some(("0002".into(), 3)),
            })
        );
        assert_eq!(
            parse_part1_line(" S48021A CC  1732:309 codes   Partial traumatic amputation"),
            Some(CcEntry {
                code: "S48021A".into(),
                level: Level::Cc,
                group: Some(("1732".into(), 309)),
            })
        );
        assert_eq!(
            parse_part1_line(" A021    MCC 0005:60 codes    Salmonella sepsis").map(|e| e.level),
            Some(Level::Mcc)
        );
        assert_eq!(
            parse_part1_line(" A5440   CC  0126:1,070 codes Gonococcal infection")
                .and_then(|e| e.group),
            Some(("0126".into(), 1070))
        );
        assert_eq!(
            parse_part1_line(" D89833  CC  No Excl          Cytokine release syndrome, grade 3"),
            Some(CcEntry {
                code: "D89833".into(),
                level: Level::Cc,
                group: None,
            })
        );
        assert_eq!(parse_part1_line(" D89833  CC  No Way  x"), None);
        assert_eq!(
            parse_part1_line(" I10 Dx  Lev PDX Exclusions   ICD-10-CM Description"),
            None
        );
        assert_eq!(parse_part1_line("  A000    Cholera"), None);
        assert_eq!(parse_part1_line(" A000    XX  0002:3 codes  t"), None);
        assert_eq!(parse_part1_line(" A000    CC  00a2:3 codes  t"), None);
        assert_eq!(parse_part1_line(""), None);
    }

    #[test]
    fn member_lines() {
        assert_eq!(
            parse_member_line("  A000    Cholera").as_deref(),
            Some("A000")
        );
        assert_eq!(parse_member_line("PDX collection 0002"), None);
        assert_eq!(parse_member_line("  Notes:"), None);
    }

    const K: &str = "TABLE 6K\r\n\r\nK Part 1: List\r\n I10 Dx  Lev PDX Exclusions   ICD-10-CM Description\r\n \
A000    CC  0002:2 codes     Cholera\r\n A001    MCC 0002:2 codes     Cholera 2\r\n\r\n\
PDX collection 0002\r\n  A000    Cholera\r\n  A001    Cholera 2\r\n\r\n\
K Part 2: alive\r\n\r\n  A001    Cholera 2\r\n\r\nK Part 3: other\r\n  J189  x\r\n";

    #[test]
    fn table_6k() {
        let t = parse_6k(K, "6k").unwrap();
        assert_eq!(t.entries.len(), 2);
        assert_eq!(t.groups["0002"].len(), 2);
        assert_eq!(t.alive_only.iter().collect::<Vec<_>>(), ["A001"]);
        // A wrong count is an error.
        let bad = K.replace(
            "0002:2 codes     Cholera\r\n",
            "0002:3 codes     Cholera\r\n",
        );
        assert!(parse_6k(&bad, "6k").is_err());
        // A truncated file is an error.
        assert!(parse_6k(&K[..K.find("K Part 3").unwrap()], "6k").is_err());
    }

    #[test]
    fn lists() {
        let text = "TABLE 6I - COMPLETE MCC LIST\r\nDiagnosis Code\tDescription\r\nA02.1\tSalmonella sepsis\r\nT79.0XXA\tAir embolism\r\n\r\n\tNotes:\r\n";
        let got = parse_list(text, "6i", "TABLE 6I").unwrap();
        assert_eq!(got.into_iter().collect::<Vec<_>>(), ["A021", "T790XXA"]);
        assert!(parse_list(text, "6j", "TABLE 6J").is_err());
    }
}
