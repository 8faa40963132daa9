//! The editor's answer as one JSON object (snake_case names, values as the
//! I/OCE writes them: edit numbers as three digits, flags as text).

use super::engine::Edited;
use crate::json_scan::{push_json_str, push_opt_str, push_usize};
use serde_json::Value;

/// `,"000","001",…,"999"`: each edit number's text with the comma before
/// it, six bytes a number (built at compile time).
const EDIT_BYTES: [u8; 6000] = {
    let mut b = [0u8; 6000];
    let mut i = 0;
    while i < 1000 {
        b[i * 6] = b',';
        b[i * 6 + 1] = b'"';
        b[i * 6 + 2] = b'0' + (i / 100) as u8;
        b[i * 6 + 3] = b'0' + (i / 10 % 10) as u8;
        b[i * 6 + 4] = b'0' + (i % 10) as u8;
        b[i * 6 + 5] = b'"';
        i += 1;
    }
    b
};

/// [`EDIT_BYTES`] as text (ASCII).
const EDIT_TEXT: &str = match std::str::from_utf8(&EDIT_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("ASCII"),
};

/// Edit numbers as a JSON array of three-digit strings (the last three
/// digits of a number past 999).
fn push_edits(out: &mut String, list: &[u16]) {
    out.push('[');
    for (i, e) in list.iter().enumerate() {
        let at = usize::from(*e % 1000) * 6;
        // (The first without its comma; each copy of a length known here,
        // a few moves instead of a call to `memcpy`.)
        if i > 0 {
            out.push_str(&EDIT_TEXT[at..][..6]);
        } else {
            out.push_str(&EDIT_TEXT[at + 1..][..5]);
        }
    }
    out.push(']');
}

/// About the bytes of a line's object (the writer reserves them once a
/// line).
const LINE_BYTES: usize = 480;

/// A line's text output inside its quotes, escaped as
/// [`push_json_str`] escapes it: the bytes as they are when none needs an
/// escape (every flag, APC, indicator and units the editor writes).
/// In line for the common outputs (one letter or digit; letters and
/// digits, an APC or the units, pushed as ASCII bytes: no UTF-8 check);
/// the rest out of line.
#[inline(always)]
fn push_flag_text(out: &mut String, f: &super::Flag) {
    match f.bytes() {
        // (Most flags: one letter or digit.)
        [c] if c.is_ascii_alphanumeric() => crate::text::push_ascii_byte(out, *c),
        b if b.iter().all(u8::is_ascii_alphanumeric) => crate::text::push_ascii(out, b),
        _ => push_other_flag_text(out, f),
    }
}

/// [`push_flag_text`] of any other text.
#[inline(never)]
fn push_other_flag_text(out: &mut String, f: &super::Flag) {
    match f.bytes() {
        b if b.iter().all(|&c| c >= 0x20 && c != b'"' && c != b'\\') => out.push_str(f),
        _ => {
            let mut quoted = String::new();
            push_json_str(&mut quoted, f);
            out.push_str(&quoted[1..quoted.len() - 1]);
        }
    }
}

/// `,"name":` — the key of the next field.
fn key(out: &mut String, name: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
}

/// The answer as one JSON object appended to `out`: the same fields and
/// values as [`write_edited`], without building a `serde_json::Value`
/// (the `medcode group` path).
///
/// ```
/// use medcode::ioce::{write_edited, write_edited_into, Edited};
/// let mut out = String::new();
/// write_edited_into(&mut out, Some("A1"), Some(1), &Edited::default());
/// let v: serde_json::Value = serde_json::from_str(&out)?;
/// assert_eq!(v, write_edited(Some("A1"), Some(1), &Edited::default()));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn write_edited_into(
    out: &mut String,
    claim_id: Option<&str>,
    line_no: Option<u64>,
    e: &Edited,
) {
    // Every key a literal pushed on its own (not from a list in a loop):
    // its length known here, it is copied with a few moves, where a loop's
    // texts cost a call to `memcpy` each.
    // An empty list of edits (most of them) is one literal with its key.
    macro_rules! edits {
        ($key:literal, $list:expr) => {
            if $list.is_empty() {
                out.push_str(concat!($key, "[]"));
            } else {
                out.push_str($key);
                push_edits(out, $list);
            }
        };
    }
    out.push_str("{\"claim_id\":");
    push_opt_str(out, claim_id);
    if let Some(n) = line_no {
        key(out, "line");
        push_usize(out, n as usize);
    }
    out.push_str(",\"engine\":\"ioce\"");
    key(out, "version");
    push_opt_str(out, e.version.as_deref());
    key(out, "internal_version");
    push_usize(out, usize::from(e.internal_version.unwrap_or(0)));
    key(out, "return_code");
    push_usize(out, usize::from(e.return_code));
    // Each flag between its key's literal (which holds the quotes).
    macro_rules! flags {
        ($($key:literal $value:expr),* $(,)?) => {
            $(
                out.push_str($key);
                push_usize(out, usize::from($value));
            )*
        };
    }
    flags!(
        ",\"claim_processed_flag\":\"" e.claim_processed_flag,
        "\",\"claim_disposition\":\"" e.claim_disposition,
        "\",\"claim_rejection_disposition\":\"" e.claim_rejection_disposition,
        "\",\"claim_denial_disposition\":\"" e.claim_denial_disposition,
        "\",\"claim_return_to_provider_disposition\":\"" e.claim_return_to_provider_disposition,
        "\",\"claim_suspension_disposition\":\"" e.claim_suspension_disposition,
        "\",\"line_rejection_disposition\":\"" e.line_rejection_disposition,
        "\",\"line_denial_disposition\":\"" e.line_denial_disposition,
        "\",\"nopps_bill_flag\":\"" e.nopps_bill_flag,
    );
    out.push_str("\",\"apc_return_buffer_flag\":\"");
    if let Some(f) = e.apc_return_buffer_flag {
        push_usize(out, usize::from(f));
    }
    out.push('"');
    edits!(",\"claim_rejection_edits\":", &e.claim_rejection_edits);
    edits!(",\"claim_denial_edits\":", &e.claim_denial_edits);
    edits!(
        ",\"claim_return_to_provider_edits\":",
        &e.claim_return_to_provider_edits
    );
    edits!(",\"claim_suspension_edits\":", &e.claim_suspension_edits);
    edits!(",\"line_rejection_edits\":", &e.line_rejection_edits);
    edits!(",\"line_denial_edits\":", &e.line_denial_edits);
    edits!(",\"principal_edits\":", &e.principal.edits);
    for (name, dxs) in [
        ("reason_for_visit_edits", &e.reason_for_visit),
        ("secondary_edits", &e.secondary),
    ] {
        key(out, name);
        out.push('[');
        for (i, d) in dxs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_edits(out, &d.edits);
        }
        out.push(']');
    }
    key(out, "lines");
    out.push('[');
    for (i, l) in e.lines.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.reserve(LINE_BYTES);
        // Each text output between its key's literal (which holds the
        // quotes).
        macro_rules! texts {
            ($($key:literal $value:expr),* $(,)?) => {
                $(
                    out.push_str($key);
                    push_flag_text(out, $value);
                )*
            };
        }
        texts!(
            "{\"action_flag\":\"" & l.action_flag,
            "\",\"hcpcs_apc\":\"" & l.hcpcs_apc,
            "\",\"payment_apc\":\"" & l.payment_apc,
            "\",\"status_indicator\":\"" & l.status_indicator,
            "\",\"payment_indicator\":\"" & l.payment_indicator,
            "\",\"discounting_formula\":\"" & l.discounting_formula,
            "\",\"rejection_denial_flag\":\"" & l.rejection_denial_flag,
            "\",\"packaging_flag\":\"" & l.packaging_flag,
            "\",\"payment_adjustment_flag01\":\"" & l.payment_adjustment_flag01,
            "\",\"payment_adjustment_flag02\":\"" & l.payment_adjustment_flag02,
            "\",\"payment_method_flag\":\"" & l.payment_method_flag,
            "\",\"composite_adjustment_flag\":\"" & l.composite_adjustment_flag,
            "\",\"units_output\":\"" & l.units_output,
        );
        edits!("\",\"hcpcs_edits\":", &l.hcpcs_edits);
        edits!(",\"service_date_edits\":", &l.service_date_edits);
        edits!(",\"revenue_edits\":", &l.revenue_edits);
        out.push_str(",\"modifier_edits\":[");
        for (j, m) in l.modifier_edits.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            if m.is_empty() {
                out.push_str("[]");
            } else {
                push_edits(out, m);
            }
        }
        out.push_str("]}");
    }
    out.push_str("]}");
}

/// The answer as a JSON object: `claim_id` (`null` when not given),
/// `line` (the input's line number) when given, then the claim's outputs
/// and `lines`.
///
/// ```
/// use medcode::ioce::{write_edited, Edited};
/// let v = write_edited(Some("A1"), Some(1), &Edited::default());
/// assert_eq!(v["claim_id"], "A1");
/// assert_eq!(v["return_code"], 0);
/// ```
pub fn write_edited(claim_id: Option<&str>, line_no: Option<u64>, e: &Edited) -> Value {
    // One writer of the shape: the text one's, read back.
    let mut out = String::new();
    write_edited_into(&mut out, claim_id, line_no, e);
    serde_json::from_str(&out).expect("write_edited_into writes JSON")
}

/// Whether a claim is one the I/OCE edits: it has a type of bill, and the
/// type is not a hospital inpatient one (11x), which MS-DRGs group.
///
/// ```
/// use medcode::claim::Claim;
/// let claim: Claim = serde_json::from_str(r#"{"bill_type": "131"}"#)?;
/// assert!(medcode::ioce::is_outpatient(&claim));
/// let claim: Claim = serde_json::from_str(r#"{"bill_type": "111"}"#)?;
/// assert!(!medcode::ioce::is_outpatient(&claim));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn is_outpatient(claim: &crate::claim::Claim) -> bool {
    crate::claim::outpatient_bill_type(claim.bill_type.as_deref())
}

/// Edit one claim given as JSON (the claim `medcode check` reads) when it
/// is an outpatient claim ([`is_outpatient`]): its answer as a JSON object
/// ([`write_edited`], `line` as given), or `None` for any other text (not a
/// claim, or not outpatient), which the caller routes elsewhere.
///
/// ```
/// use medcode::ioce::{edit_json, Editor};
/// let text = r#"{"id": "OP-1", "bill_type": "131", "from_date": "2025-03-01",
///     "patient": {"sex": "F", "age": 70}, "diagnoses": [{"code": "N186"}],
///     "lines": [{"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 100}]}"#;
/// let answer = edit_json(&Editor::new(), text, Some(1)).unwrap();
/// assert_eq!(answer["claim_id"], "OP-1");
/// assert_eq!(answer["lines"][0]["status_indicator"], "V");
/// assert!(edit_json(&Editor::new(), r#"{"bill_type": "111"}"#, None).is_none());
/// ```
pub fn edit_json(editor: &super::Editor, text: &str, line_no: Option<u64>) -> Option<Value> {
    let mut out = String::new();
    edit_json_into(editor, text, line_no, &mut out)
        .then(|| serde_json::from_str(&out).expect("the writer writes JSON"))
}

/// [`edit_json`] appending the answer to `out` as JSON text; `false` (and
/// nothing appended) for text that is not an outpatient claim.
///
/// ```
/// use medcode::ioce::{edit_json_into, Editor};
/// let mut out = String::new();
/// let text = r#"{"bill_type": "131", "from_date": "2025-03-01", "lines": [{"code": "99213", "revenue_code": "0510"}]}"#;
/// assert!(edit_json_into(&Editor::new(), text, None, &mut out));
/// assert!(out.contains(r#""hcpcs_edits":["062"]"#));
/// ```
pub fn edit_json_into(
    editor: &super::Editor,
    text: &str,
    line_no: Option<u64>,
    out: &mut String,
) -> bool {
    let Ok(claim) = serde_json::from_str::<crate::claim::Claim>(text) else {
        return false;
    };
    if !is_outpatient(&claim) {
        return false;
    }
    let edited = editor.edit_claim(&claim);
    write_edited_into(out, claim.id.as_deref(), line_no, &edited);
    true
}
