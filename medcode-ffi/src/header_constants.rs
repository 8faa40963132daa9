//! The constants `include/medcode.h` defines equal the Rust ones (the
//! exported functions and the C smoke test are `header_check.rs`).
use super::*;

/// The header without its comments.
fn header_code() -> String {
    crate::header_text::without_comments(include_str!("../include/medcode.h"))
}

#[test]
fn header_constants_match_the_rust_ones() {
    let code = header_code();
    let defined = |name: &str| -> i64 {
        let line = code
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("{name} not defined in the header"));
        line.split_whitespace().nth(2).unwrap().parse().unwrap()
    };
    let expected: [(&str, i64); 18] = [
        ("MEDCODE_VALID", MEDCODE_VALID.into()),
        ("MEDCODE_NOT_VALID", MEDCODE_NOT_VALID.into()),
        ("MEDCODE_ERR_NULL", MEDCODE_ERR_NULL.into()),
        ("MEDCODE_ERR_UTF8", MEDCODE_ERR_UTF8.into()),
        ("MEDCODE_ERR_SYNTAX", MEDCODE_ERR_SYNTAX.into()),
        ("MEDCODE_ERR_DATE", MEDCODE_ERR_DATE.into()),
        ("MEDCODE_ERR_PANIC", MEDCODE_ERR_PANIC.into()),
        ("MEDCODE_ERR_TOO_LONG", MEDCODE_ERR_TOO_LONG.into()),
        ("MEDCODE_ERR_NUL", MEDCODE_ERR_NUL.into()),
        ("MEDCODE_ERR_SYSTEM", MEDCODE_ERR_SYSTEM.into()),
        ("MEDCODE_ERR_INTERNAL", MEDCODE_ERR_INTERNAL.into()),
        ("MEDCODE_MAX_INPUT_LEN", MEDCODE_MAX_INPUT_LEN as i64),
        ("MEDCODE_ERR_CONFIG", MEDCODE_ERR_CONFIG.into()),
        ("MEDCODE_ERR_KIND", MEDCODE_ERR_KIND.into()),
        ("MEDCODE_MAX_CLAIM_LEN", MEDCODE_MAX_CLAIM_LEN as i64),
        ("MEDCODE_MAX_BATCH_LEN", MEDCODE_MAX_BATCH_LEN as i64),
        ("MEDCODE_ERR_CLAIM", MEDCODE_ERR_CLAIM.into()),
        ("MEDCODE_ERR_OPTIONS", MEDCODE_ERR_OPTIONS.into()),
    ];
    for (name, value) in expected {
        assert_eq!(defined(name), value, "{name}");
    }
    // Every MEDCODE_ constant the header defines is checked above.
    let defines = code
        .lines()
        .filter(|l| l.starts_with("#define MEDCODE_") && l.split_whitespace().count() >= 3)
        .count();
    assert_eq!(defines, expected.len());
}
