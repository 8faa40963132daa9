//! The ICD-10-CM tabular XML (`<ICD10CM.tabular>`): chapters, sections,
//! nested `<diag>`s, instructional notes and 7th-character definitions.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};
use roxmltree::Node;

/// Element names that hold instructional notes (`<note>` children).
pub const NOTE_KINDS: [&str; 9] = [
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub number: String,
    pub first: String,
    pub last: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub chapter: String,
    pub id: String,
    pub first: String,
    pub last: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// Undotted code.
    pub code: String,
    pub desc: String,
    /// Index of the enclosing `<diag>`, if any.
    pub parent: Option<usize>,
    /// This diag's own `<sevenChrDef>`: 7th character -> extension text.
    pub seventh: Option<BTreeMap<char, String>>,
}

/// One `<note>`, attributed to its owner (an undotted code, `chapter:N`
/// or `section:ID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub owner: String,
    pub kind: &'static str,
    pub text: String,
}

/// One `<extension>` of a `<sevenChrDef>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub code: String,
    pub char: char,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Tabular {
    pub chapters: Vec<Chapter>,
    pub sections: Vec<Section>,
    /// In document order.
    pub diags: Vec<Diag>,
    /// Undotted code -> index into `diags`.
    pub index: BTreeMap<String, usize>,
    /// In document order.
    pub notes: Vec<Note>,
    /// In document order.
    pub extensions: Vec<Extension>,
    /// Elements skipped because they carry no codes or notes (e.g.
    /// `visualImpairment`), with counts.
    pub skipped: BTreeMap<String, usize>,
}

/// How a title was obtained from a tabular.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// The code's own `<diag>`.
    Direct,
    /// Built from a 7th-character definition.
    Seventh,
}

impl Tabular {
    pub fn diag(&self, code: &str) -> Option<&Diag> {
        self.index.get(code).map(|&i| &self.diags[i])
    }

    /// The title of `code`: its own `<desc>`, or for a 7-character code
    /// that is not a `<diag>`, the title of its base code (the first six
    /// characters less trailing placeholder `X`s) + ", " + the extension
    /// text from the nearest `<sevenChrDef>` on the base or its ancestors.
    pub fn title(&self, code: &str) -> Option<(String, TitleKind)> {
        if let Some(d) = self.diag(code) {
            return Some((d.desc.clone(), TitleKind::Direct));
        }
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 7 {
            return None;
        }
        let seventh = chars[6];
        let mut base: String = chars[..6].iter().collect();
        let base_idx = loop {
            if let Some(&i) = self.index.get(&base) {
                break i;
            }
            if base.ends_with('X') {
                base.pop();
            } else {
                return None;
            }
        };
        let mut cur = Some(base_idx);
        while let Some(i) = cur {
            let d = &self.diags[i];
            if let Some(def) = &d.seventh {
                // The nearest definition applies as a whole.
                let ext = def.get(&seventh)?;
                let desc = &self.diags[base_idx].desc;
                return Some((format!("{desc}, {ext}"), TitleKind::Seventh));
            }
            cur = d.parent;
        }
        None
    }
}

/// Replaces every run of whitespace that contains a tab, CR or LF by one
/// space and trims the result, so text can never break a TSV row.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if c.is_whitespace() {
            run.push(c);
        } else {
            flush_ws(&mut out, &mut run);
            out.push(c);
        }
    }
    flush_ws(&mut out, &mut run);
    out.trim().to_string()
}

fn flush_ws(out: &mut String, run: &mut String) {
    if run.is_empty() {
        return;
    }
    if run
        .chars()
        .any(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_ascii())
    {
        out.push(' ');
    } else {
        out.push_str(run);
    }
    run.clear();
}

/// All text below `node`, cleaned.
fn text_of(node: Node) -> String {
    let raw: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    clean_text(&raw)
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

fn child_text(node: Node, name: &str) -> Result<String> {
    let mut found = elements(node).filter(|n| n.has_tag_name(name));
    let first = found.next().with_context(|| format!("no <{name}> child"))?;
    ensure!(found.next().is_none(), "more than one <{name}> child");
    Ok(text_of(first))
}

/// Undotted, upper-case form of a dotted code.
pub fn undot(code: &str) -> String {
    code.chars()
        .filter(|&c| c != '.')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `s` looks like an undotted ICD-10-CM code or category: 3 to 7
/// upper-case letters and digits, starting with a letter, with a digit in
/// the second or third place (`E11`, `C7A`, `QA0`, `S72001A`; not `NOS`).
pub fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    (3..=7).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && (b[1].is_ascii_digit() || b[2].is_ascii_digit())
}

/// Splits `"Title (A00-B99)"` into `("Title", "A00", "B99")`; a single code
/// in the parentheses gives it as both first and last.
pub fn split_titled_range(desc: &str) -> Result<(String, String, String)> {
    let open = desc
        .rfind(" (")
        .filter(|_| desc.ends_with(')'))
        .with_context(|| format!("{desc:?} does not end with a code range in parentheses"))?;
    let inner = &desc[open + 2..desc.len() - 1];
    let (first, last) = split_range(inner)?;
    Ok((desc[..open].trim().to_string(), first, last))
}

/// `"A00-A09"` -> `("A00", "A09")`; `"B10"` -> `("B10", "B10")`.
pub fn split_range(s: &str) -> Result<(String, String)> {
    let (first, last) = match s.split_once('-') {
        Some((a, b)) => (undot(a.trim()), undot(b.trim())),
        None => (undot(s.trim()), undot(s.trim())),
    };
    ensure!(
        is_code(&first) && is_code(&last),
        "{s:?} is not a code range"
    );
    Ok((first, last))
}

/// Parses one code reference item from a note (`E08.-`, `O24.4-`, `P70.2`,
/// `A00-A09`, `I10-I16`): returns the undotted prefix or `FIRST-LAST`
/// range, or `None` when the item is not a code reference.
pub fn parse_ref_item(item: &str) -> Option<String> {
    let item = item.trim();
    let prefix = |s: &str| -> Option<String> {
        let s = s.trim();
        let s = s.strip_suffix('-').unwrap_or(s);
        let s = s.strip_suffix('.').unwrap_or(s);
        if s.contains('-') {
            return None;
        }
        // A dot may only follow the three-character category.
        if let Some(p) = s.find('.') {
            if p != 3 || s[p + 1..].contains('.') {
                return None;
            }
        }
        let u: String = s.chars().filter(|&c| c != '.').collect();
        is_code(&u).then_some(u)
    };
    if let Some(p) = prefix(item) {
        return Some(p);
    }
    // A range: two code references around a dash (`A00-A09`,
    // `I69.01-I69.11-`, `P28.3- - P28.4-`); the first dash that splits the
    // item into two references is the separator.
    item.match_indices('-').find_map(|(i, _)| {
        let (a, b) = (prefix(&item[..i])?, prefix(&item[i + 1..])?);
        Some(format!("{a}-{b}"))
    })
}

/// The code references of a note: every parenthesised group is split on
/// commas (and semicolons), and each item that is a code reference becomes
/// a prefix or range. Items that are not code references are skipped.
pub fn parse_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => stack.push(i),
            ')' => {
                if let Some(open) = stack.pop() {
                    let inner = &text[open + 1..i];
                    if inner.contains('(') {
                        continue;
                    }
                    out.extend(inner.split([',', ';']).filter_map(parse_ref_item));
                }
            }
            _ => {}
        }
    }
    out
}

struct Builder<'f> {
    file: &'f str,
    t: Tabular,
}

impl Builder<'_> {
    fn note_block(&mut self, owner: &str, kind: &'static str, node: Node) -> Result<()> {
        for n in elements(node) {
            ensure!(
                n.has_tag_name("note"),
                "<{kind}> of {owner} holds <{}> (expected <note>)",
                n.tag_name().name()
            );
            self.t.notes.push(Note {
                owner: owner.to_string(),
                kind,
                text: text_of(n),
            });
        }
        Ok(())
    }

    fn note_kind(node: Node) -> Option<&'static str> {
        NOTE_KINDS.iter().copied().find(|k| node.has_tag_name(*k))
    }

    fn chapter(&mut self, node: Node) -> Result<()> {
        let number = child_text(node, "name")?;
        let desc = child_text(node, "desc")?;
        let (title, first, last) = split_titled_range(&desc)?;
        let owner = format!("chapter:{number}");
        self.t.chapters.push(Chapter {
            number: number.clone(),
            first,
            last,
            title,
        });
        for n in elements(node) {
            let tag = n.tag_name().name();
            if let Some(kind) = Self::note_kind(n) {
                self.note_block(&owner, kind, n)?;
            } else if tag == "section" {
                self.section(&number, n).with_context(|| {
                    format!("<section id={:?}>", n.attribute("id").unwrap_or(""))
                })?;
            } else if !matches!(tag, "name" | "desc" | "sectionIndex") {
                bail!("unexpected <{tag}> in chapter {number}");
            }
        }
        Ok(())
    }

    fn section(&mut self, chapter: &str, node: Node) -> Result<()> {
        let id = node.attribute("id").context("no id attribute")?.trim();
        let (first, last) = split_range(id)?;
        let desc = child_text(node, "desc")?;
        let title = match split_titled_range(&desc) {
            Ok((title, f, l)) => {
                ensure!(
                    f == first && l == last,
                    "description range {f}-{l} differs from the id {id}"
                );
                title
            }
            Err(_) => desc,
        };
        self.t.sections.push(Section {
            chapter: chapter.to_string(),
            id: id.to_string(),
            first,
            last,
            title,
        });
        let owner = format!("section:{id}");
        for n in elements(node) {
            let tag = n.tag_name().name();
            if let Some(kind) = Self::note_kind(n) {
                self.note_block(&owner, kind, n)?;
            } else if tag == "diag" {
                self.diag(None, n)?;
            } else if tag != "desc" {
                bail!("unexpected <{tag}> in section {id}");
            }
        }
        Ok(())
    }

    fn diag(&mut self, parent: Option<usize>, node: Node) -> Result<()> {
        let name = child_text(node, "name").context("<diag>")?;
        let code = undot(&name);
        ensure!(is_code(&code), "<diag> name {name:?} is not a code");
        let desc = child_text(node, "desc").with_context(|| format!("<diag> {name}"))?;
        let idx = self.t.diags.len();
        ensure!(
            self.t.index.insert(code.clone(), idx).is_none(),
            "<diag> {name} appears twice"
        );
        self.t.diags.push(Diag {
            code: code.clone(),
            desc,
            parent,
            seventh: None,
        });
        for n in elements(node) {
            let tag = n.tag_name().name();
            if let Some(kind) = Self::note_kind(n) {
                self.note_block(&code, kind, n)?;
            } else if tag == "sevenChrDef" {
                let mut def = BTreeMap::new();
                for e in elements(n) {
                    if e.has_tag_name("note") {
                        // An inclusion term under the preceding extension
                        // (e.g. H34.81 "2 stable": "Old central retinal vein
                        // occlusion"); seventh.tsv has no place for it.
                        *self
                            .t
                            .skipped
                            .entry("sevenChrDef/note".to_string())
                            .or_default() += 1;
                        continue;
                    }
                    ensure!(
                        e.has_tag_name("extension"),
                        "<sevenChrDef> of {name} holds <{}>",
                        e.tag_name().name()
                    );
                    let ch = e
                        .attribute("char")
                        .with_context(|| format!("<extension> of {name} has no char"))?;
                    let mut chars = ch.chars();
                    let c = match (chars.next(), chars.next()) {
                        (Some(c), None) if c.is_ascii_alphanumeric() => c.to_ascii_uppercase(),
                        _ => bail!("<extension char={ch:?}> of {name} is not one character"),
                    };
                    let text = text_of(e);
                    ensure!(
                        def.insert(c, text.clone()).is_none(),
                        "<sevenChrDef> of {name} defines {c} twice"
                    );
                    self.t.extensions.push(Extension {
                        code: code.clone(),
                        char: c,
                        text,
                    });
                }
                ensure!(
                    self.t.diags[idx].seventh.replace(def).is_none(),
                    "{name} has two <sevenChrDef>"
                );
            } else if tag == "diag" {
                self.diag(Some(idx), n)?;
            } else if tag == "visualImpairment" {
                *self.t.skipped.entry(tag.to_string()).or_default() += 1;
            } else if !matches!(tag, "name" | "desc") {
                bail!("unexpected <{tag}> in <diag> {name}");
            }
        }
        Ok(())
    }
}

/// Parses a tabular XML file (`file` names it in errors).
pub fn parse(xml: &str, file: &str) -> Result<Tabular> {
    let doc = roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .with_context(|| format!("{file}: not well-formed XML"))?;
    let root = doc.root_element();
    ensure!(
        root.has_tag_name("ICD10CM.tabular"),
        "{file}: root element is <{}>, expected <ICD10CM.tabular>",
        root.tag_name().name()
    );
    let mut b = Builder {
        file,
        t: Tabular::default(),
    };
    for n in elements(root) {
        match n.tag_name().name() {
            "chapter" => {
                let name = elements(n)
                    .find(|c| c.has_tag_name("name"))
                    .map(text_of)
                    .unwrap_or_default();
                b.chapter(n)
                    .with_context(|| format!("{}: chapter {name}", b.file))?
            }
            "version" | "introduction" => {}
            other => bail!("{file}: unexpected <{other}> in <ICD10CM.tabular>"),
        }
    }
    ensure!(!b.t.chapters.is_empty(), "{file}: no chapters");
    Ok(b.t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_items() {
        assert_eq!(parse_ref_item("E08.-").as_deref(), Some("E08"));
        assert_eq!(parse_ref_item(" O24.4-").as_deref(), Some("O244"));
        assert_eq!(parse_ref_item("P70.2").as_deref(), Some("P702"));
        assert_eq!(parse_ref_item("A00-A09").as_deref(), Some("A00-A09"));
        assert_eq!(parse_ref_item("I10-I16").as_deref(), Some("I10-I16"));
        assert_eq!(parse_ref_item("E08.3-").as_deref(), Some("E083"));
        assert_eq!(parse_ref_item("S72.0-S72.9").as_deref(), Some("S720-S729"));
        assert_eq!(parse_ref_item("T36.0X1A").as_deref(), Some("T360X1A"));
        assert_eq!(
            parse_ref_item("I69.01-I69.11-").as_deref(),
            Some("I6901-I6911")
        );
        assert_eq!(
            parse_ref_item("P28.3- - P28.4-").as_deref(),
            Some("P283-P284")
        );
        assert_eq!(parse_ref_item("S00 - S09").as_deref(), Some("S00-S09"));
        assert_eq!(parse_ref_item("A00-"), Some("A00".into()));
        assert_eq!(parse_ref_item("-A00"), None);
        assert_eq!(parse_ref_item("acute"), None);
        assert_eq!(parse_ref_item("NOS"), None);
        assert_eq!(parse_ref_item("QA0.-").as_deref(), Some("QA0"));
        assert_eq!(parse_ref_item("E08"), Some("E08".into()));
        assert_eq!(parse_ref_item("T36-T65 with fifth character 1"), None);
        assert_eq!(parse_ref_item("E0.8"), None);
        assert_eq!(parse_ref_item(""), None);
    }

    #[test]
    fn refs_from_notes() {
        assert_eq!(
            parse_refs("diabetes mellitus due to underlying condition (E08.-)"),
            vec!["E08"]
        );
        assert_eq!(
            parse_refs("hypertensive disease (I10-I16, I20.-)"),
            vec!["I10-I16", "I20"]
        );
        assert_eq!(
            parse_refs("neonatal diabetes mellitus (P70.2)"),
            vec!["P702"]
        );
        assert_eq!(
            parse_refs("gestational diabetes (O24.4-) and (acute) disease"),
            vec!["O244"]
        );
        assert_eq!(
            parse_refs("other infections (J00-J06; J20-J22)"),
            vec!["J00-J06", "J20-J22"]
        );
        assert!(parse_refs("no references here").is_empty());
        assert!(parse_refs("unbalanced (E08.-").is_empty());
    }

    #[test]
    fn cleans_text() {
        assert_eq!(clean_text("  a\tb\n  c  d "), "a b c  d");
        assert_eq!(clean_text("x\r\ny"), "x y");
    }

    #[test]
    fn titled_ranges() {
        assert_eq!(
            split_titled_range("Certain infectious and parasitic diseases (A00-B99)").unwrap(),
            (
                "Certain infectious and parasitic diseases".into(),
                "A00".into(),
                "B99".into()
            )
        );
        assert_eq!(
            split_titled_range("Malignant neuroendocrine tumors (C7A)").unwrap(),
            (
                "Malignant neuroendocrine tumors".into(),
                "C7A".into(),
                "C7A".into()
            )
        );
        assert!(split_titled_range("No range").is_err());
    }

    const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2026</version>
  <chapter>
    <name>19</name>
    <desc>Injury, poisoning (S00-T88)</desc>
    <excludes2><note>birth trauma (P10-P15)</note></excludes2>
    <sectionIndex><sectionRef first="S70" last="S79" id="S70-S79">x</sectionRef></sectionIndex>
    <section id="S70-S79">
      <desc>Injuries to the hip and thigh (S70-S79)</desc>
      <diag>
        <name>S72</name>
        <desc>Fracture of femur</desc>
        <sevenChrNote><note>The appropriate 7th character is to be added</note></sevenChrNote>
        <sevenChrDef>
          <extension char="A">initial encounter for closed fracture</extension>
          <extension char="D">subsequent encounter</extension>
        </sevenChrDef>
        <diag>
          <name>S72.0</name>
          <desc>Fracture of head and neck of femur</desc>
          <diag>
            <name>S72.00</name>
            <desc>Fracture of unspecified part of neck of femur</desc>
            <diag>
              <name>S72.001</name>
              <desc>Fracture of unspecified part of neck of right femur</desc>
            </diag>
          </diag>
        </diag>
        <diag>
          <name>S72.8</name>
          <desc>Other fracture of femur</desc>
          <sevenChrDef><extension char="S">sequela</extension></sevenChrDef>
          <diag><name>S72.8X</name><desc>Other fracture of femur, X</desc></diag>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>"#;

    #[test]
    fn parses_tabular_and_builds_seventh_titles() {
        let t = parse(XML, "test.xml").unwrap();
        assert_eq!(t.chapters[0].first, "S00");
        assert_eq!(t.chapters[0].title, "Injury, poisoning");
        assert_eq!(t.sections[0].title, "Injuries to the hip and thigh");
        assert_eq!(t.diags.len(), 6);
        assert_eq!(t.notes.len(), 2);
        assert_eq!(t.notes[0].owner, "chapter:19");
        assert_eq!(t.notes[1].kind, "sevenChrNote");
        assert_eq!(t.extensions.len(), 3);
        assert_eq!(
            t.title("S72001A"),
            Some((
                "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture".into(),
                TitleKind::Seventh
            ))
        );
        assert_eq!(
            t.title("S720"),
            Some((
                "Fracture of head and neck of femur".into(),
                TitleKind::Direct
            ))
        );
        // Placeholder X stripped down to S72.8X, whose nearest definition is S72.8's.
        assert_eq!(
            t.title("S728XXS").map(|t| t.0).as_deref(),
            Some("Other fracture of femur, X, sequela")
        );
        // The nearest definition applies as a whole: no fallback to S72's A.
        assert_eq!(t.title("S728XXA"), None);
        assert_eq!(t.title("S72001Z"), None);
    }
}
