//! A reader for the Python `marshal` (format 4) values of pyoce's LMDB file
//! (layout: `docs/design/ioce-data.md` §1.2): dicts, lists, tuples, short
//! and long strings, bytes, 32-bit ints, `True`/`False`/`None` and
//! back-references. Anything else (floats, longs, sets, code objects) is an
//! error naming the opcode and its offset; a short or corrupt blob gives an
//! error, never a panic.

#![forbid(unsafe_code)]

use std::fmt;

use anyhow::{bail, Context, Result};

/// A decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i32),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    /// Key/value pairs in stored order.
    Dict(Vec<(Value, Value)>),
}

impl Value {
    /// The value's type, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::Tuple(_) => "tuple",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "b{:?}", String::from_utf8_lossy(b)),
            Value::Tuple(v) | Value::List(v) => write!(f, "<{} of {}>", self.kind(), v.len()),
            Value::Dict(v) => write!(f, "<dict of {}>", v.len()),
        }
    }
}

/// The FLAG_REF bit: the object is appended to the blob's reference list.
const FLAG_REF: u8 = 0x80;
/// Deeper nesting than this is refused (pyoce's values nest two deep).
const MAX_DEPTH: usize = 32;

/// Decodes one marshal blob; the whole blob must be one value.
pub fn loads(blob: &[u8]) -> Result<Value> {
    let mut r = Reader {
        blob,
        pos: 0,
        refs: Vec::new(),
    };
    let v = r.object(0)?.context("marshal: the blob starts with NULL")?;
    if r.pos != blob.len() {
        bail!(
            "marshal: {} trailing bytes after the value (it ends at byte {} of {})",
            blob.len() - r.pos,
            r.pos,
            blob.len()
        );
    }
    Ok(v)
}

struct Reader<'a> {
    blob: &'a [u8],
    pos: usize,
    /// The FLAG_REF objects in the order their opcodes started; `None`
    /// while a container is still being read.
    refs: Vec<Option<Value>>,
}

impl Reader<'_> {
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8]> {
        let start = self.pos;
        let end = start
            .checked_add(n)
            .filter(|&e| e <= self.blob.len())
            .with_context(|| {
                format!(
                    "marshal: {what} of {n} bytes at byte {start} runs past the end of the {}-byte blob",
                    self.blob.len()
                )
            })?;
        self.pos = end;
        Ok(&self.blob[start..end])
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }

    fn i32(&mut self, what: &str) -> Result<i32> {
        let b = self.take(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A u32 length or count (CPython reads an int and refuses negatives).
    fn len(&mut self, what: &str) -> Result<usize> {
        let at = self.pos;
        let n = self.i32(what)?;
        usize::try_from(n).map_err(|_| anyhow::anyhow!("marshal: negative {what} {n} at byte {at}"))
    }

    fn text(&mut self, n: usize, ascii: bool, at: usize) -> Result<String> {
        let bytes = self.take(n, "string")?;
        if ascii && !bytes.is_ascii() {
            bail!("marshal: ASCII string at byte {at} holds a non-ASCII byte");
        }
        String::from_utf8(bytes.to_vec())
            .map_err(|e| anyhow::anyhow!("marshal: string at byte {at} is not UTF-8: {e}"))
    }

    /// Reads one object; `Ok(None)` is the NULL opcode `0` (a dict's end).
    fn object(&mut self, depth: usize) -> Result<Option<Value>> {
        if depth > MAX_DEPTH {
            bail!(
                "marshal: values nested deeper than {MAX_DEPTH} at byte {}",
                self.pos
            );
        }
        let at = self.pos;
        let code = self.u8("opcode")?;
        let flag = code & FLAG_REF != 0;
        let op = code & !FLAG_REF;
        // Containers take their reference slot before their items are read.
        let slot = |r: &mut Self| {
            flag.then(|| {
                r.refs.push(None);
                r.refs.len() - 1
            })
        };
        let v = match op {
            b'0' => return Ok(None),
            // CPython never adds the singletons to the reference list.
            b'N' => return Ok(Some(Value::None)),
            b'F' => return Ok(Some(Value::Bool(false))),
            b'T' => return Ok(Some(Value::Bool(true))),
            b'i' => {
                let v = Value::Int(self.i32("int")?);
                self.keep(flag, None, &v);
                v
            }
            b's' => {
                let n = self.len("bytes length")?;
                let v = Value::Bytes(self.take(n, "bytes")?.to_vec());
                self.keep(flag, None, &v);
                v
            }
            b'u' | b't' | b'a' | b'A' => {
                let n = self.len("string length")?;
                let v = Value::Str(self.text(n, matches!(op, b'a' | b'A'), at)?);
                self.keep(flag, None, &v);
                v
            }
            b'z' | b'Z' => {
                let n = usize::from(self.u8("short string length")?);
                let v = Value::Str(self.text(n, true, at)?);
                self.keep(flag, None, &v);
                v
            }
            b')' | b'(' | b'[' => {
                let n = if op == b')' {
                    usize::from(self.u8("tuple size")?)
                } else {
                    self.len(if op == b'[' {
                        "list size"
                    } else {
                        "tuple size"
                    })?
                };
                let idx = slot(self);
                // Every item takes at least one byte: a count beyond the
                // bytes left is corrupt (and must not size an allocation).
                if n > self.blob.len() - self.pos {
                    bail!(
                        "marshal: container at byte {at} claims {n} items but {} bytes are left",
                        self.blob.len() - self.pos
                    );
                }
                let mut items = Vec::with_capacity(n);
                for i in 0..n {
                    let item = self.object(depth + 1)?.with_context(|| {
                        format!("marshal: item {i} of the container at byte {at} is NULL")
                    })?;
                    items.push(item);
                }
                let v = if op == b'[' {
                    Value::List(items)
                } else {
                    Value::Tuple(items)
                };
                self.keep(flag, idx, &v);
                v
            }
            b'{' => {
                let idx = slot(self);
                let mut pairs = Vec::new();
                loop {
                    let Some(k) = self.object(depth + 1)? else {
                        break;
                    };
                    let kat = self.pos;
                    let v = self.object(depth + 1)?.with_context(|| {
                        format!(
                            "marshal: the dict at byte {at} has key {k} with a NULL value (byte {kat})"
                        )
                    })?;
                    pairs.push((k, v));
                }
                let v = Value::Dict(pairs);
                self.keep(flag, idx, &v);
                v
            }
            b'r' => {
                let n = self.len("reference index")?;
                match self.refs.get(n) {
                    Some(Some(v)) => v.clone(),
                    Some(None) => bail!(
                        "marshal: reference at byte {at} to object {n}, which is still being read"
                    ),
                    None => bail!(
                        "marshal: reference at byte {at} to object {n}, but only {} are stored",
                        self.refs.len()
                    ),
                }
            }
            _ => bail!(
                "marshal: unsupported opcode 0x{code:02x} ({:?}) at byte {at}",
                char::from(op)
            ),
        };
        Ok(Some(v))
    }

    /// Stores a FLAG_REF object: in its reserved slot, or appended.
    fn keep(&mut self, flag: bool, slot: Option<usize>, v: &Value) {
        match (flag, slot) {
            (true, Some(i)) => self.refs[i] = Some(v.clone()),
            (true, None) => self.refs.push(Some(v.clone())),
            (false, _) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.to_string())
    }

    #[test]
    fn scalars() {
        assert_eq!(loads(b"N").unwrap(), Value::None);
        assert_eq!(loads(b"T").unwrap(), Value::Bool(true));
        assert_eq!(loads(b"F").unwrap(), Value::Bool(false));
        assert_eq!(loads(b"i\x2a\x00\x00\x00").unwrap(), Value::Int(42));
        assert_eq!(loads(b"\xe9\xff\xff\xff\xff").unwrap(), Value::Int(-1));
        assert_eq!(loads(b"\xda\x05G0463").unwrap(), s("G0463"));
        assert_eq!(loads(b"z\x00").unwrap(), s(""));
        assert_eq!(loads(b"a\x02\x00\x00\x00J1").unwrap(), s("J1"));
        assert_eq!(loads(b"u\x02\x00\x00\x00\xc3\xa9").unwrap(), s("\u{e9}"));
        assert_eq!(
            loads(b"s\x03\x00\x00\x00ab\x00").unwrap(),
            Value::Bytes(b"ab\0".to_vec())
        );
    }

    #[test]
    fn containers_and_references() {
        // marshal.dumps({'apc': '00000', 'si': 'B', 'x': '00000'}) with
        // the repeated value written as a reference to object 2.
        let blob = b"\xfb\xda\x03apc\xda\x0500000\xda\x02si\xda\x01B\xda\x01xr\x02\x00\x00\x000";
        assert_eq!(
            loads(blob).unwrap(),
            Value::Dict(vec![
                (s("apc"), s("00000")),
                (s("si"), s("B")),
                (s("x"), s("00000")),
            ])
        );
        // A list of one small tuple of (bytes, int); the tuple reserves
        // its slot (object 1) before its items (objects 2 and 3).
        let blob = b"\xdb\x01\x00\x00\x00\xa9\x02\xf3\x01\x00\x00\x00Xi\x07\x00\x00\x00";
        assert_eq!(
            loads(blob).unwrap(),
            Value::List(vec![Value::Tuple(vec![
                Value::Bytes(b"X".to_vec()),
                Value::Int(7)
            ])])
        );
        let blob = b"[\x02\x00\x00\x00\xa9\x01\xe9\x07\x00\x00\x00r\x01\x00\x00\x00";
        assert_eq!(
            loads(blob).unwrap(),
            Value::List(vec![Value::Tuple(vec![Value::Int(7)]), Value::Int(7)])
        );
        assert_eq!(loads(b"{0").unwrap(), Value::Dict(vec![]));
    }

    fn err(blob: &[u8]) -> String {
        format!("{:#}", loads(blob).unwrap_err())
    }

    #[test]
    fn bad_bytes_are_errors() {
        assert!(err(b"").contains("opcode of 1 bytes at byte 0 runs past the end"));
        assert!(err(b"i\x01\x00").contains("int of 4 bytes at byte 1"));
        assert!(err(b"\xda\x05G04").contains("string of 5 bytes at byte 2"));
        assert!(err(b"s\xff\xff\xff\xff").contains("negative bytes length -1 at byte 1"));
        assert!(err(b"g\x00").contains("unsupported opcode 0x67 ('g') at byte 0"));
        assert!(err(b"l\x01\x00\x00\x00\x01\x00").contains("unsupported opcode 0x6c"));
        assert!(err(b"r\x00\x00\x00\x00").contains("to object 0, but only 0 are stored"));
        assert!(err(b"\xdb\x01\x00\x00\x00r\x00\x00\x00\x00").contains("still being read"));
        assert!(err(b"[\xff\xff\xff\x7f").contains("claims 2147483647 items but 0 bytes"));
        assert!(err(b"{\xda\x01k0").contains("key \"k\" with a NULL value"));
        assert!(err(b"{\xda\x01k").contains("opcode of 1 bytes at byte 4"));
        assert!(err(b"NN").contains("1 trailing bytes"));
        assert!(err(b"0").contains("starts with NULL"));
        assert!(err(b"(\x01\x00\x00\x000").contains("item 0 of the container at byte 0 is NULL"));
        assert!(err(b"z\x01\xe9").contains("non-ASCII"));
        assert!(err(b"u\x01\x00\x00\x00\xff").contains("not UTF-8"));
        let deep = [b")\x01".repeat(40), b"N".to_vec()].concat();
        assert!(err(&deep).contains("nested deeper than 32"));
    }

    #[test]
    fn no_panic_on_truncations() {
        let blob = b"\xfb\xda\x03apc\xda\x0500000\xda\x02lo\xe9L\x00\x00\x00\xda\x01xr\x02\x00\x00\x00\xda\x01bT0";
        assert!(loads(blob).is_ok());
        for n in 0..blob.len() {
            assert!(loads(&blob[..n]).is_err(), "prefix of {n} bytes");
        }
        // Every single-byte corruption gives a value or an error.
        for i in 0..blob.len() {
            for b in [0x00, 0x30, 0x72, 0x80, 0xff] {
                let mut c = blob.to_vec();
                c[i] = b;
                let _ = loads(&c);
            }
        }
    }
}
