//! Compiles the ICD-10-CM tables in `data/` (written by the refresh tool;
//! columns in docs/data-format.md) into perfect-hash tables and text blobs in
//! OUT_DIR, `include!`d by `src/lib.rs`. Nothing here touches the network.

use medcode_base::gen::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    build_script(gen_icd10cm);
}

/// A conversions.tsv row: code row, effective date, CDC's text, references
/// `(first, last, exact)` as packed keys.
type ConvRow = (u32, u32, String, Vec<(u64, u64, bool)>);

const NOTE_KINDS: [&str; 9] = [
    "includes",
    "inclusionTerm",
    "excludes1",
    "excludes2",
    "codeFirst",
    "useAdditionalCode",
    "codeAlso",
    "notes",
    "sevenChrNote",
];

fn gen_icd10cm(dir: &Path, out: &Path, src: &mut String) {
    let CodeTable {
        rows: code_rows,
        codes,
        index,
        windows,
    } = code_table(dir, "CM", src);

    // Per-code: header bit, billable bit, the side the title names (bits 2-3),
    // titles (feature `cm-titles`; the side bits are kept without it).
    let cm_titles = feature("cm-titles");
    let mut titles = Blob::default();
    let mut shorts = Blob::default();
    let mut title_end = Vec::new();
    let mut short_end = Vec::new();
    let mut kind = Vec::new();
    for r in &code_rows {
        let header = col(r, 1, "codes.tsv") == "1";
        let billable = windows.contains_key(&r[0]);
        let title = r.get(2).map(String::as_str).unwrap_or("");
        let side = medcode_base::laterality::side_of_title(title);
        kind.push(u8::from(header) | (u8::from(billable) << 1) | (side << 2));
        if cm_titles {
            title_end.push(titles.push(title).1);
            short_end.push(shorts.push(r.get(3).map(String::as_str).unwrap_or("")).1);
        }
    }
    emit_array(src, "CM_TITLE_END", "u32", title_end);
    emit_array(src, "CM_SHORT_END", "u32", short_end);

    // Hierarchy: parent = longest proper prefix in the table; descendants are
    // the run of following codes that start with this one.
    let mut parent = Vec::with_capacity(codes.len());
    let mut desc_end = Vec::with_capacity(codes.len());
    for (i, c) in codes.iter().enumerate() {
        let p = (3..c.len()).rev().find_map(|n| index.get(&c[..n]).copied());
        parent.push(p.unwrap_or(u32::MAX));
        let end = codes[i + 1..]
            .iter()
            .position(|d| !d.starts_with(c.as_str()))
            .map_or(codes.len(), |k| i + 1 + k);
        desc_end.push(end as u32);
    }
    emit_array(src, "CM_PARENT", "u32", parent.iter());
    emit_array(src, "CM_DESC_END", "u32", desc_end);

    // Notes: per code, plus chapter and section notes keyed by name. Without
    // feature `cm-notes` only what the rules read is kept: the Excludes1 and
    // code-first notes of codes, without their text.
    let cm_notes = feature("cm-notes");
    let mut note_text = Blob::default();
    let mut refs: Vec<String> = Vec::new();
    let mut by_code: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut by_block: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut excludes1_by_code: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for r in rows(&dir.join("notes.tsv")) {
        let k = NOTE_KINDS
            .iter()
            .position(|n| *n == col(&r, 1, "notes.tsv"))
            .unwrap_or_else(|| panic!("notes.tsv: unknown note kind {:?}", r[1]));
        let for_rules = matches!(NOTE_KINDS[k], "excludes1" | "codeFirst");
        let keep = cm_notes || (for_rules && index.contains_key(r[0].as_str()));
        if !keep {
            continue;
        }
        let text = if cm_notes {
            col(&r, 2, "notes.tsv")
        } else {
            ""
        };
        let (ts, te) = note_text.push(text);
        let rs = refs.len();
        let keys: Vec<(u64, u64)> = r
            .get(3)
            .map(String::as_str)
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|item| {
                let (a, b) = item.split_once('-').unwrap_or((item, item));
                (pack(a), pack(b))
            })
            .collect();
        refs.extend(keys.iter().map(|(a, b)| format!("({a},{b})")));
        let entry = format!("({k},{ts},{te},{rs},{})", refs.len());
        if let Some(&i) = index.get(r[0].as_str()) {
            by_code.entry(i).or_default().push(entry);
            if NOTE_KINDS[k] == "excludes1" {
                excludes1_by_code.entry(i).or_default().extend(
                    keys.iter()
                        .map(|&(a, b)| medcode_base::key_range::key_interval(a, b))
                        .map(|(lo, hi)| format!("({lo},{hi})")),
                );
            }
        } else if r[0].starts_with("chapter:") || r[0].starts_with("section:") {
            by_block.entry(r[0].clone()).or_default().push(entry);
        } else {
            panic!("notes.tsv: note for unknown code {:?}", r[0]);
        }
    }
    let mut note_start = vec![0u32];
    let mut notes = Vec::new();
    for i in 0..codes.len() as u32 {
        notes.extend(by_code.remove(&i).unwrap_or_default());
        note_start.push(notes.len() as u32);
    }
    emit_array(src, "CM_NOTE_START", "u32", note_start);
    let mut block_note_index = Vec::new();
    for (name, ns) in by_block {
        let s = notes.len();
        notes.extend(ns);
        block_note_index.push(format!("({name:?},{s},{})", notes.len()));
    }
    emit_array(src, "CM_BLOCK_NOTES", "(&str, u32, u32)", block_note_index);
    emit_array(src, "CM_NOTES", "(u8, u32, u32, u32, u32)", notes);
    emit_array(src, "CM_REFS", "(u64, u64)", refs);

    // The Excludes1 references of each code as packed-key intervals (the
    // screen of the excludes1-conflict rule), and a CM_KIND bit for codes
    // with Excludes1 references at the code or an ancestor. Parents sort
    // before their children, so one pass in code order sees them first.
    let mut excludes1_start = vec![0u32];
    let mut excludes1 = Vec::new();
    for i in 0..codes.len() {
        let own = excludes1_by_code.remove(&(i as u32)).unwrap_or_default();
        let inherited = parent[i] != u32::MAX && kind[parent[i] as usize] & 16 != 0;
        if !own.is_empty() || inherited {
            kind[i] |= 16;
        }
        excludes1.extend(own);
        excludes1_start.push(excludes1.len() as u32);
    }
    emit_array(src, "CM_KIND", "u8", kind);
    emit_array(src, "CM_EXCLUDES1_START", "u32", excludes1_start);
    emit_array(src, "CM_EXCLUDES1", "(u64, u64)", excludes1);

    // 7th-character definitions at the codes that define them.
    let mut seventh_by_code: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for r in rows(&dir.join("seventh.tsv")) {
        let i = *index
            .get(r[0].as_str())
            .unwrap_or_else(|| panic!("seventh.tsv: unknown code {}", r[0]));
        let ch = col(&r, 1, "seventh.tsv");
        assert!(ch.len() == 1, "seventh.tsv: bad character {ch:?}");
        let (ts, te) = note_text.push(col(&r, 2, "seventh.tsv"));
        seventh_by_code
            .entry(i)
            .or_default()
            .push(format!("({},{ts},{te})", ch.as_bytes()[0]));
    }
    let mut seventh_start = vec![0u32];
    let mut seventh = Vec::new();
    for i in 0..codes.len() as u32 {
        seventh.extend(seventh_by_code.remove(&i).unwrap_or_default());
        seventh_start.push(seventh.len() as u32);
    }
    emit_array(src, "CM_SEVENTH_START", "u32", seventh_start);
    emit_array(src, "CM_SEVENTH", "(u8, u32, u32)", seventh);

    // Chapters and sections.
    let chapters: Vec<String> = rows(&dir.join("chapters.tsv"))
        .iter()
        .map(|r| {
            format!(
                "({},{},{},{:?})",
                col(r, 0, "chapters.tsv"),
                pack(&r[1]),
                pack(&r[2]),
                col(r, 3, "chapters.tsv")
            )
        })
        .collect();
    emit_array(src, "CM_CHAPTERS", "(u8, u64, u64, &str)", chapters);
    let sections: Vec<String> = rows(&dir.join("sections.tsv"))
        .iter()
        .map(|r| {
            format!(
                "({},{},{},{:?})",
                col(r, 0, "sections.tsv"),
                pack(&r[1]),
                pack(&r[2]),
                col(r, 3, "sections.tsv")
            )
        })
        .collect();
    emit_array(src, "CM_SECTIONS", "(u8, u64, u64, &str)", sections);

    // Older titles, and the tabular's accented spellings.
    emit_title_history(
        src,
        out,
        "CM",
        &dir.join("title_history.tsv"),
        &index,
        cm_titles,
    );
    let mut tabular: Vec<(u32, String)> = rows(&dir.join("tabular_titles.tsv"))
        .iter()
        .filter(|_| cm_titles)
        .map(|r| {
            let i = *index
                .get(r[0].as_str())
                .unwrap_or_else(|| panic!("tabular_titles.tsv: unknown code {}", r[0]));
            (i, col(r, 1, "tabular_titles.tsv").to_owned())
        })
        .collect();
    tabular.sort();
    emit_array(
        src,
        "CM_TABULAR_TITLES",
        "(u32, &str)",
        tabular.iter().map(|(i, t)| format!("({i},{t:?})")),
    );

    // CDC's conversion tables: per new code, its effective date, CDC's text
    // of the previous assignment and its parsed references (packed keys).
    let mut conv: Vec<ConvRow> = rows(&dir.join("conversions.tsv"))
        .iter()
        .map(|r| {
            let i = *index
                .get(r[0].as_str())
                .unwrap_or_else(|| panic!("conversions.tsv: unknown code {}", r[0]));
            let refs = r
                .get(3)
                .map(String::as_str)
                .unwrap_or("")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|item| match item.split_once('-') {
                    // A code alone: that code only.
                    None => (pack(item), pack(item), true),
                    // `I63-`: the category and all below it.
                    Some((a, "")) => (pack(a), pack(a), false),
                    Some((a, b)) => (pack(a), pack(b), false),
                })
                .collect();
            (
                i,
                date(col(r, 1, "conversions.tsv")),
                col(r, 2, "conversions.tsv").to_owned(),
                refs,
            )
        })
        .collect();
    conv.sort();
    let mut conv_refs: Vec<String> = Vec::new();
    let conv_rows: Vec<String> = conv
        .iter()
        .map(|(i, eff, text, refs)| {
            let s = conv_refs.len();
            conv_refs.extend(refs.iter().map(|(a, b, x)| format!("({a},{b},{x})")));
            format!("({i},{eff},{s},{},{text:?})", conv_refs.len())
        })
        .collect();
    emit_array(src, "CM_CONV", "(u32, u32, u32, u32, &str)", conv_rows);
    emit_array(src, "CM_CONV_REFS", "(u64, u64, bool)", conv_refs);

    // POA-exempt periods (CDC's lists), sorted by code row then start, and the lists.
    let mut poa: Vec<(u32, u32, u32)> = rows(&dir.join("poa_exempt.tsv"))
        .iter()
        .map(|r| {
            let i = *index
                .get(r[0].as_str())
                .unwrap_or_else(|| panic!("poa_exempt.tsv: unknown code {}", r[0]));
            (
                i,
                date(col(r, 1, "poa_exempt.tsv")),
                date(col(r, 2, "poa_exempt.tsv")),
            )
        })
        .collect();
    poa.sort_unstable();
    emit_array(
        src,
        "CM_POA",
        "(u32, u32, u32)",
        poa.iter().map(|(i, s, e)| format!("({i},{s},{e})")),
    );
    // Per code row, where its periods start in CM_POA (one more for the end):
    // `poa_exempt_on` takes two adjacent loads instead of a binary search.
    let mut poa_start = Vec::with_capacity(index.len() + 1);
    let mut k = 0;
    for row in 0..=index.len() as u32 {
        while k < poa.len() && poa[k].0 < row {
            k += 1;
        }
        poa_start.push(k as u32);
    }
    emit_array(src, "CM_POA_START", "u32", poa_start);
    let lists: Vec<String> = rows(&dir.join("poa_lists.tsv"))
        .iter()
        .map(|r| {
            format!(
                "({},{:?},{})",
                date(&r[0]),
                col(r, 1, "poa_lists.tsv"),
                col(r, 2, "poa_lists.tsv")
                    .parse::<u32>()
                    .expect("poa_lists.tsv: count")
            )
        })
        .collect();
    emit_array(src, "CM_POA_LISTS", "(u32, &str, u32)", lists);

    for (name, blob) in [
        ("cm_titles.txt", &titles),
        ("cm_shorts.txt", &shorts),
        ("cm_note_text.txt", &note_text),
    ] {
        write_if_changed(&out.join(name), &blob.0);
        let _ = writeln!(
            src,
            "pub static {}: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"));",
            name.trim_end_matches(".txt").to_uppercase()
        );
    }
}
