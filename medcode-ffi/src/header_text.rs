//! `include/medcode.h` without its comments: shared by the tests of its
//! constants (`header_constants.rs`) and of its functions (`header_check.rs`).

/// `text` with every `/* … */` comment removed.
pub fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment") + start + 2;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
