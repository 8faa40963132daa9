//! A run-time table of CPT descriptors from a file the user is licensed for.
//!
//! CPT descriptors are the American Medical Association's copyrighted text;
//! none ships with this crate. This reader takes the user's own file.

use super::hcpcs_file::decode_cp1252;
use super::{LoadOptions, Loaded};
use crate::cpt::Cpt;
use crate::error::ParseCodeErrorKind;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The layout of a descriptor file, detected from its first record.
///
/// ```
/// use medcode::load::{CptDescriptors, DescriptorLayout};
/// let t = CptDescriptors::from_reader(&b"99213,\"TEST DESCRIPTOR, ONE\"\n"[..]).unwrap();
/// assert_eq!(t.layout(), Some(DescriptorLayout::Comma));
/// assert_eq!(DescriptorLayout::FixedWidth.to_string(), "fixed width (code in columns 1-5, a space, the descriptor)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DescriptorLayout {
    /// `code<TAB>descriptor`.
    Tab,
    /// `code,descriptor`, fields optionally double-quoted.
    Comma,
    /// The code in columns 1–5, a space in column 6, the descriptor after.
    FixedWidth,
}

impl fmt::Display for DescriptorLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DescriptorLayout::Tab => "tab-separated",
            DescriptorLayout::Comma => "comma-separated",
            DescriptorLayout::FixedWidth => {
                "fixed width (code in columns 1-5, a space, the descriptor)"
            }
        })
    }
}

/// A bad line in a CPT descriptor file, with its 1-based line number.
///
/// ```
/// use medcode::load::{CptDescriptors, CptLineError, CptLoadError};
/// let err = CptDescriptors::from_reader(&b"99213\tTEST DESCRIPTOR ONE\n99213\tTEST DESCRIPTOR TWO\n"[..]).unwrap_err();
/// let CptLoadError::Line(e) = err else { panic!() };
/// assert_eq!(e.line(), 2);
/// assert!(matches!(e, CptLineError::DuplicateCode { first_line: 1, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum CptLineError {
    /// The code field is not a CPT code.
    #[error("line {line}: {found:?} is not a CPT code: {source}")]
    BadCode {
        /// 1-based line number.
        line: usize,
        /// The code field as found (trimmed).
        found: String,
        /// Why it is not a code.
        source: ParseCodeErrorKind,
    },
    /// The line lacks the separator of the file's layout.
    #[error("line {line}: not {layout}: no separator after the code")]
    MissingSeparator {
        /// 1-based line number.
        line: usize,
        /// The layout the file's first record set.
        layout: DescriptorLayout,
    },
    /// The code has no descriptor text.
    #[error("line {line}: code {code} has an empty descriptor")]
    EmptyDescriptor {
        /// 1-based line number.
        line: usize,
        /// The code.
        code: Cpt,
    },
    /// A comma-separated line without exactly two fields.
    #[error("line {line}: {found} comma-separated fields, expected 2 (code, descriptor; quote a descriptor that holds commas)")]
    FieldCount {
        /// 1-based line number.
        line: usize,
        /// Fields found.
        found: usize,
    },
    /// A double-quoted field that is not closed on its line.
    #[error("line {line}: a quoted field is not closed")]
    UnterminatedQuote {
        /// 1-based line number.
        line: usize,
    },
    /// A second descriptor for a code.
    #[error("line {line}: code {code} already has a descriptor on line {first_line}")]
    DuplicateCode {
        /// 1-based line number.
        line: usize,
        /// The code.
        code: Cpt,
        /// The line of its first descriptor.
        first_line: usize,
    },
}

impl CptLineError {
    /// The 1-based line number of the bad line.
    ///
    /// ```
    /// use medcode::load::{CptDescriptors, LoadOptions};
    /// let l = CptDescriptors::from_reader_with(&b"99213\tTEST DESCRIPTOR ONE\n99214\n"[..], LoadOptions::lenient()).unwrap();
    /// assert_eq!(l.errors[0].line(), 2);
    /// ```
    pub fn line(&self) -> usize {
        match *self {
            CptLineError::BadCode { line, .. }
            | CptLineError::MissingSeparator { line, .. }
            | CptLineError::EmptyDescriptor { line, .. }
            | CptLineError::FieldCount { line, .. }
            | CptLineError::UnterminatedQuote { line }
            | CptLineError::DuplicateCode { line, .. } => line,
        }
    }
}

fn display_path(path: Option<&Path>) -> String {
    path.map_or_else(
        || "CPT descriptor input".to_owned(),
        |p| p.display().to_string(),
    )
}

/// Why a CPT descriptor file could not be loaded.
///
/// ```
/// use medcode::load::{CptDescriptors, CptLoadError};
/// assert!(matches!(CptDescriptors::load("no/such/file.tsv"), Err(CptLoadError::Io { .. })));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CptLoadError {
    /// The file could not be read.
    #[error("reading {}: {source}", display_path(.path.as_deref()))]
    Io {
        /// The path, when loading from a path.
        path: Option<PathBuf>,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A bad line (strict mode stops at the first; lenient mode too when no
    /// line at all is good).
    #[error(transparent)]
    Line(#[from] CptLineError),
    /// The file holds no record: empty, or only lines that do not start
    /// with a CPT code.
    #[error("no CPT descriptor record in {lines} lines: expected a CPT code and its descriptor on each line (tab, comma or fixed width)")]
    NoRecord {
        /// Lines read.
        lines: usize,
    },
    /// A line of three or more column headings before the first record: a
    /// descriptor file has two columns (code, descriptor), so this is
    /// another kind of table.
    #[error("line {line}: unrecognised header {found:?}: expected a code column and a descriptor column")]
    UnrecognisedHeader {
        /// 1-based line number.
        line: usize,
        /// The heading as found (cut at 120 characters).
        found: String,
    },
    /// The file is not text: a control byte such as NUL (a spreadsheet,
    /// UTF-16 text, a ZIP archive, a binary file).
    #[error("line {line}: binary content (byte {byte:#04x}): expected a text file of CPT codes and descriptors")]
    Binary {
        /// 1-based line number of the first such byte.
        line: usize,
        /// The byte.
        byte: u8,
    },
}

/// CPT descriptors read at run time from a file the user is licensed for:
/// code → descriptor.
///
/// # Accepted layouts
///
/// The layout is detected from the file's first record and then holds for
/// every line:
///
/// - **Tab-separated:** `code<TAB>descriptor`. Everything after the first tab
///   is the descriptor (trimmed).
/// - **Comma-separated:** `code,descriptor`, each field optionally in double
///   quotes (`""` is a quote inside a quoted field); a descriptor holding a
///   comma must be quoted. A quoted field must close on its own line.
/// - **Fixed width:** the code in columns 1–5, a space in column 6, the
///   descriptor after it, as in the AMA's `SHORTU.txt`/`MEDU.txt` and older
///   `LONGULT.txt` data files (newer `LONGULT.txt` files use a tab, which the
///   tab-separated layout reads).
///
/// Lines before the first record that do not start with a CPT code — a
/// header line such as `code<TAB>descriptor`, or the notice some data files
/// begin with — are a preamble: skipped, and counted in
/// [`preamble_lines`](CptDescriptors::preamble_lines). Blank lines are
/// skipped anywhere. Every other line must be a record; each bad one is a
/// [`CptLineError`] with its line number (strict loading stops at the first;
/// lenient loading reports them all and keeps the good lines). Text is
/// UTF-8 (a byte-order mark is ignored), or cp1252 when the file is not
/// valid UTF-8. Lines end in LF or CRLF.
///
/// A file is refused whole, in either mode, never loaded as an empty table:
/// no record in it ([`CptLoadError::NoRecord`]), binary content
/// ([`CptLoadError::Binary`]), a tab-separated heading of three or more
/// columns before the first record ([`CptLoadError::UnrecognisedHeader`]:
/// another kind of table), or, in lenient mode, no good line at all (the
/// first bad line's error).
///
/// ```
/// use medcode::{Cpt, load::CptDescriptors};
/// let file = "CPT Code\tDescriptor\n99213\tTEST DESCRIPTOR ONE\n0001F\tTEST DESCRIPTOR TWO\n";
/// let table = CptDescriptors::from_reader(file.as_bytes())?;
/// let code: Cpt = "99213".parse()?;
/// assert_eq!(table.get(code), Some("TEST DESCRIPTOR ONE"));
/// assert_eq!(table.len(), 2);
/// assert_eq!(table.preamble_lines(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CptDescriptors {
    entries: Vec<(Cpt, String)>,
    layout: Option<DescriptorLayout>,
    preamble: usize,
}

impl CptDescriptors {
    /// Reads a file strictly: the first bad line is the error.
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::load("tests/fixtures/cpt_descriptors.tsv").unwrap();
    /// assert!(!t.is_empty());
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<CptDescriptors, CptLoadError> {
        Self::load_with(path, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads a file with options.
    ///
    /// ```
    /// use medcode::load::{CptDescriptors, LoadOptions};
    /// let l = CptDescriptors::load_with("tests/fixtures/cpt_descriptors_bad.tsv", LoadOptions::lenient()).unwrap();
    /// assert!(!l.errors.is_empty());
    /// ```
    pub fn load_with(
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<Loaded<CptDescriptors, CptLineError>, CptLoadError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| CptLoadError::Io {
            path: Some(path.to_owned()),
            source,
        })?;
        Self::from_bytes_with(&bytes, options)
    }

    /// Reads from any reader, strictly.
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::from_reader(&b"99213 TEST DESCRIPTOR ONE\n"[..]).unwrap();
    /// assert_eq!(t.iter().next().unwrap().1, "TEST DESCRIPTOR ONE");
    /// ```
    pub fn from_reader(reader: impl Read) -> Result<CptDescriptors, CptLoadError> {
        Self::from_reader_with(reader, LoadOptions::strict()).map(|l| l.table)
    }

    /// Reads from any reader, with options.
    ///
    /// ```
    /// use medcode::load::{CptDescriptors, LoadOptions};
    /// let l = CptDescriptors::from_reader_with(&b"99213\tA\n9921X\tB\n"[..], LoadOptions::lenient()).unwrap();
    /// assert_eq!((l.table.len(), l.errors.len()), (1, 1));
    /// ```
    pub fn from_reader_with(
        mut reader: impl Read,
        options: LoadOptions,
    ) -> Result<Loaded<CptDescriptors, CptLineError>, CptLoadError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| CptLoadError::Io { path: None, source })?;
        Self::from_bytes_with(&bytes, options)
    }

    fn from_bytes_with(
        bytes: &[u8],
        options: LoadOptions,
    ) -> Result<Loaded<CptDescriptors, CptLineError>, CptLoadError> {
        if let Some((line, byte)) = super::hcpcs_file::first_binary(bytes) {
            return Err(CptLoadError::Binary { line, byte });
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let decoded;
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => {
                decoded = decode_cp1252(bytes);
                &decoded
            }
        };
        let mut table = CptDescriptors::default();
        let mut errors = Vec::new();
        let mut first_line: HashMap<Cpt, usize> = HashMap::new();
        for (i, raw) in text.split('\n').enumerate() {
            let line = i + 1;
            let l = raw.strip_suffix('\r').unwrap_or(raw);
            if l.trim().is_empty() {
                continue;
            }
            let layout = match table.layout {
                Some(layout) => layout,
                None => match detect(l) {
                    Some(layout) => {
                        table.layout = Some(layout);
                        layout
                    }
                    None => {
                        if l.contains('\t') && super::edit_text::is_heading(l, line) {
                            return Err(CptLoadError::UnrecognisedHeader {
                                line,
                                found: l.trim().chars().take(120).collect(),
                            });
                        }
                        table.preamble += 1;
                        continue;
                    }
                },
            };
            let result = record(l, line, layout).and_then(|(code, descriptor)| {
                if let Some(&first) = first_line.get(&code) {
                    return Err(CptLineError::DuplicateCode {
                        line,
                        code,
                        first_line: first,
                    });
                }
                first_line.insert(code, line);
                Ok((code, descriptor))
            });
            match result {
                Ok(entry) => table.entries.push(entry),
                Err(e) if options.lenient => errors.push(e),
                Err(e) => return Err(CptLoadError::Line(e)),
            }
        }
        if table.layout.is_none() {
            let ends = text.matches('\n').count();
            let lines = ends + usize::from(!text.is_empty() && !text.ends_with('\n'));
            return Err(CptLoadError::NoRecord { lines });
        }
        if table.entries.is_empty() && !errors.is_empty() {
            return Err(CptLoadError::Line(errors.swap_remove(0)));
        }
        table.entries.sort_by_key(|e| e.0);
        Ok(Loaded { table, errors })
    }

    /// The descriptor of a code, if the file has one.
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::load("tests/fixtures/cpt_descriptors.tsv").unwrap();
    /// assert_eq!(t.get("0042T".parse().unwrap()), Some("TEST DESCRIPTOR FOUR"));
    /// assert_eq!(t.get("99214".parse().unwrap()), None);
    /// ```
    pub fn get(&self, code: Cpt) -> Option<&str> {
        self.entries
            .binary_search_by_key(&code, |e| e.0)
            .ok()
            .map(|i| self.entries[i].1.as_str())
    }

    /// Every code and descriptor, in code order.
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::load("tests/fixtures/cpt_descriptors.tsv").unwrap();
    /// let (first, text) = t.iter().next().unwrap();
    /// assert_eq!((first.to_string().as_str(), text), ("0001F", "TEST DESCRIPTOR THREE"));
    /// ```
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Cpt, &str)> + ExactSizeIterator {
        self.entries.iter().map(|(c, d)| (*c, d.as_str()))
    }

    /// Number of codes.
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::load("tests/fixtures/cpt_descriptors.tsv").unwrap();
    /// assert_eq!(t.len(), 6);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the file held no records.
    ///
    /// ```
    /// assert!(medcode::load::CptDescriptors::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The layout detected from the first record (`None` if there was none).
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::load("tests/fixtures/cpt_descriptors.tsv").unwrap();
    /// assert_eq!(t.layout(), Some(medcode::load::DescriptorLayout::Tab));
    /// ```
    pub fn layout(&self) -> Option<DescriptorLayout> {
        self.layout
    }

    /// Lines skipped before the first record (header or notice lines).
    ///
    /// ```
    /// let t = medcode::load::CptDescriptors::load("tests/fixtures/cpt_descriptors_fixed.txt").unwrap();
    /// assert_eq!(t.preamble_lines(), 2);
    /// ```
    pub fn preamble_lines(&self) -> usize {
        self.preamble
    }
}

/// The layout of a line that is a record, or `None` for a preamble line.
fn detect(line: &str) -> Option<DescriptorLayout> {
    let candidate = if line.contains('\t') {
        DescriptorLayout::Tab
    } else if fixed_width_split(line).is_some_and(|(c, _)| Cpt::parse(c).is_ok()) {
        DescriptorLayout::FixedWidth
    } else if line.contains(',') {
        DescriptorLayout::Comma
    } else {
        return None;
    };
    let code = match candidate {
        DescriptorLayout::Tab => line.split('\t').next().map(str::to_owned),
        DescriptorLayout::FixedWidth => fixed_width_split(line).map(|(c, _)| c.to_owned()),
        DescriptorLayout::Comma => csv_fields(line).ok().and_then(|f| f.into_iter().next()),
    };
    code.filter(|c| Cpt::parse(c).is_ok()).map(|_| candidate)
}

/// Splits a fixed-width line after its fifth character, if the sixth is a space.
fn fixed_width_split(line: &str) -> Option<(&str, &str)> {
    let (end, _) = line.char_indices().nth(5)?;
    let (code, rest) = line.split_at(end);
    rest.starts_with(' ').then_some((code, rest))
}

fn record(line: &str, n: usize, layout: DescriptorLayout) -> Result<(Cpt, String), CptLineError> {
    let missing = CptLineError::MissingSeparator { line: n, layout };
    let (code, descriptor) = match layout {
        DescriptorLayout::Tab => {
            let (c, d) = line.split_once('\t').ok_or(missing)?;
            (c.trim().to_owned(), d.trim().to_owned())
        }
        DescriptorLayout::FixedWidth => match fixed_width_split(line) {
            Some((c, d)) => (c.trim().to_owned(), d.trim().to_owned()),
            // A bare code (five characters or fewer) has no descriptor; anything
            // else lacks the space in column 6.
            None if line.trim_end().chars().count() <= 5 => (line.trim().to_owned(), String::new()),
            None => return Err(missing),
        },
        DescriptorLayout::Comma => {
            let fields =
                csv_fields(line).map_err(|()| CptLineError::UnterminatedQuote { line: n })?;
            match <[String; 2]>::try_from(fields) {
                Ok([c, d]) => (c.trim().to_owned(), d.trim().to_owned()),
                Err(fields) if fields.len() == 1 => return Err(missing),
                Err(fields) => {
                    return Err(CptLineError::FieldCount {
                        line: n,
                        found: fields.len(),
                    })
                }
            }
        }
    };
    let cpt = Cpt::parse_kind(&code).map_err(|source| CptLineError::BadCode {
        line: n,
        found: code.clone(),
        source,
    })?;
    if descriptor.is_empty() {
        return Err(CptLineError::EmptyDescriptor { line: n, code: cpt });
    }
    Ok((cpt, descriptor))
}

/// The fields of one comma-separated line; `Err` for an unclosed quote.
fn csv_fields(line: &str) -> Result<Vec<String>, ()> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        // Leading blanks before an opening quote are allowed.
        while chars.peek() == Some(&' ') {
            field.push(' ');
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            field.clear();
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(()),
                    Some('"') if chars.peek() == Some(&'"') => {
                        field.push('"');
                        chars.next();
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            // Anything between the closing quote and the next comma is kept.
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                field.push(c);
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                field.push(c);
                chars.next();
            }
        }
        fields.push(field);
        if chars.next().is_none() {
            return Ok(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv() {
        assert_eq!(csv_fields("a,b").unwrap(), ["a", "b"]);
        assert_eq!(
            csv_fields("\"a,1\",\"b \"\"q\"\"\"").unwrap(),
            ["a,1", "b \"q\""]
        );
        assert_eq!(csv_fields("a,").unwrap(), ["a", ""]);
        assert_eq!(csv_fields(" \"a\" ,b").unwrap(), ["a ", "b"]);
        assert!(csv_fields("\"a,b").is_err());
    }

    #[test]
    fn detection() {
        assert_eq!(detect("99213\tX"), Some(DescriptorLayout::Tab));
        assert_eq!(detect("code\tdescriptor"), None);
        assert_eq!(detect("99213 X"), Some(DescriptorLayout::FixedWidth));
        assert_eq!(detect("99213,X"), Some(DescriptorLayout::Comma));
        assert_eq!(detect("\"99213\",\"X, Y\""), Some(DescriptorLayout::Comma));
        assert_eq!(
            detect("CPT codes and descriptions only are copyright"),
            None
        );
    }
}
