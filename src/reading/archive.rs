//! Tables inside ZIP archives, as CMS ships them (the HCPCS annual and
//! quarterly files, NCCI PTP, MUE and add-on code tables).
//!
//! A file that starts with a ZIP signature is opened as an archive and the
//! one table inside it is read: the members named `*.txt`, `*.csv` or `*.tsv`
//! (folders and macOS `__MACOSX/` metadata ignored); when several are there,
//! those the caller prefers (the HCPCS reader: names holding `ANWEB`), else
//! those that are not a read-me or disclaimer. One
//! candidate is read; none or several is an error naming the members, so the
//! user can unzip and pick. Reading archives needs the `zip` feature (on by
//! default); without it an archive is refused with that advice.

/// True if the bytes start like a ZIP archive (a local file header, or the
/// end record of an empty archive).
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The most a table inside an archive may inflate to (CMS's largest, the
/// NCCI PTP files, are well under 200 MB); more is refused as a likely
/// ZIP bomb.
#[cfg(feature = "zip")]
pub(crate) const MAX_MEMBER_BYTES: u64 = 1 << 30;

#[cfg_attr(not(feature = "zip"), allow(dead_code))]
fn is_table_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !lower.ends_with('/')
        && !lower.starts_with("__macosx/")
        && [".txt", ".csv", ".tsv"].iter().any(|e| lower.ends_with(e))
}

/// A read-me or disclaimer beside the table (CMS's own table may still say
/// "disclaimer" in its name: `HCPC2020_ANWEB_w_disclaimer.txt`, so this only
/// breaks ties).
#[cfg_attr(not(feature = "zip"), allow(dead_code))]
fn is_note_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let base = lower.rsplit('/').next().unwrap_or("");
    ["readme", "read_me", "read me", "read-me", "disclaimer"]
        .iter()
        .any(|w| base.contains(w))
}

/// Picks the member to read among `names`: the one table, or the one table
/// `prefer` accepts. `Err` says why none can be chosen.
#[cfg_attr(not(feature = "zip"), allow(dead_code))]
pub(crate) fn pick<'a>(
    names: &'a [String],
    prefer: &dyn Fn(&str) -> bool,
) -> Result<&'a str, String> {
    let tables: Vec<&String> = names.iter().filter(|n| is_table_name(n)).collect();
    let mut chosen: Vec<&String> = tables.clone();
    if chosen.len() > 1 {
        chosen = tables.iter().copied().filter(|n| prefer(n)).collect();
    }
    if chosen.len() != 1 && tables.len() > 1 {
        chosen = tables
            .iter()
            .copied()
            .filter(|n| !is_note_name(n))
            .collect();
    }
    match chosen.as_slice() {
        [one] => Ok(one.as_str()),
        [] if tables.is_empty() => {
            if names.iter().any(|n| n == "xl/workbook.xml") {
                Err(
                    "an Excel workbook (.xlsx), not a text table: save it as CSV or text"
                        .to_owned(),
                )
            } else {
                Err(format!(
                    "the archive holds no .txt, .csv or .tsv table (members: {})",
                    list(names.iter())
                ))
            }
        }
        _ => Err(format!(
            "the archive holds several tables ({}): unzip it and pass one",
            list(tables.iter().copied())
        )),
    }
}

#[cfg_attr(not(feature = "zip"), allow(dead_code))]
fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(feature = "zip")]
type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

#[cfg(feature = "zip")]
fn open(bytes: &[u8]) -> Result<Archive<'_>, String> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable ZIP archive: {e}"))
}

/// The members' names in index order (raw bytes: a name that is not UTF-8
/// is shown lossily).
#[cfg(feature = "zip")]
fn names_of(archive: &Archive<'_>) -> Vec<String> {
    archive
        .file_names_raw()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect()
}

/// The bytes of member `index` (named `name` in messages), at most
/// `MAX_MEMBER_BYTES` inflated.
#[cfg(feature = "zip")]
fn read_member(archive: &mut Archive<'_>, index: usize, name: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let member = archive
        .by_index(index)
        .map_err(|e| format!("{name} in the archive: {e}"))?;
    let mut out = Vec::new();
    member
        .take(MAX_MEMBER_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{name} in the archive: {e}"))?;
    if out.len() as u64 > MAX_MEMBER_BYTES {
        return Err(format!(
            "{name} in the archive inflates past {MAX_MEMBER_BYTES} bytes"
        ));
    }
    Ok(out)
}

/// The chosen table of a ZIP archive: its name and bytes.
#[cfg(feature = "zip")]
pub(crate) fn table(
    bytes: &[u8],
    prefer: &dyn Fn(&str) -> bool,
) -> Result<(String, Vec<u8>), String> {
    let mut archive = open(bytes)?;
    let names = names_of(&archive);
    let name = pick(&names, prefer)?.to_owned();
    let index = names.iter().position(|n| *n == name).unwrap_or(0);
    let out = read_member(&mut archive, index, &name)?;
    Ok((name, out))
}

/// The names of an archive's members, in index order.
#[cfg(feature = "zip")]
pub(crate) fn names(bytes: &[u8]) -> Result<Vec<String>, String> {
    Ok(names_of(&open(bytes)?))
}

/// Without the `zip` feature an archive is refused with advice.
#[cfg(not(feature = "zip"))]
pub(crate) fn names(_bytes: &[u8]) -> Result<Vec<String>, String> {
    table(_bytes, &|_| false).map(|_| Vec::new())
}

/// The bytes of the member `name` (as [`names`] gives it).
#[cfg(feature = "zip")]
pub(crate) fn member(bytes: &[u8], name: &str) -> Result<Vec<u8>, String> {
    let mut archive = open(bytes)?;
    let index = names_of(&archive)
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| format!("no member {name} in the archive"))?;
    read_member(&mut archive, index, name)
}

/// Without the `zip` feature an archive is refused with advice.
#[cfg(not(feature = "zip"))]
pub(crate) fn member(_bytes: &[u8], _name: &str) -> Result<Vec<u8>, String> {
    table(_bytes, &|_| false).map(|t| t.1)
}

/// Without the `zip` feature an archive is refused with advice.
#[cfg(not(feature = "zip"))]
pub(crate) fn table(
    _bytes: &[u8],
    _prefer: &dyn Fn(&str) -> bool,
) -> Result<(String, Vec<u8>), String> {
    Err("a ZIP archive: this build of medcode reads archives only with its `zip` feature; unzip it and pass the table inside".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn notes_beside_the_table_break_ties() {
        let n = names(&["MUE.csv", "MUE.xlsx", "Read Me.txt"]);
        assert_eq!(pick(&n, &|_| false), Ok("MUE.csv"));
        let n = names(&["ccipra-v321r0-f1.txt", "Disclaimer.txt"]);
        assert_eq!(pick(&n, &|_| false), Ok("ccipra-v321r0-f1.txt"));
        let n = names(&[
            "HCPC2020_ANWEB_w_disclaimer.txt",
            "HCPC2020_README.txt",
            "proc_notes_2020.txt",
        ]);
        let anweb = |s: &str| s.contains("ANWEB");
        assert_eq!(pick(&n, &anweb), Ok("HCPC2020_ANWEB_w_disclaimer.txt"));
        assert_eq!(
            pick(&names(&["only_disclaimer.txt"]), &|_| false),
            Ok("only_disclaimer.txt")
        );
    }

    #[test]
    fn picks_the_one_table() {
        let n = names(&["ccipra-v321r0-f1.TXT", "readme.pdf", "__MACOSX/._x.txt"]);
        assert_eq!(pick(&n, &|_| false), Ok("ccipra-v321r0-f1.TXT"));
        let n = names(&[
            "Changes.prn",
            "HCPC2019_CONTR_ANWEB.txt",
            "HCPC2019_README.txt",
            "proc_notes_2019.txt",
        ]);
        assert_eq!(
            pick(&n, &|s| s.contains("ANWEB")),
            Ok("HCPC2019_CONTR_ANWEB.txt")
        );
        assert!(pick(&n, &|_| false).unwrap_err().contains("several tables"));
        let n = names(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert!(pick(&n, &|_| true).unwrap_err().contains("Excel"));
        assert!(pick(&[], &|_| true).unwrap_err().contains("members: none"));
    }

    #[test]
    fn zip_signature() {
        assert!(is_zip(b"PK\x03\x04rest"));
        assert!(is_zip(b"PK\x05\x06"));
        assert!(!is_zip(b"PK text"));
    }
}
