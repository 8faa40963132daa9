//! What every refused code's error promises, whatever the code system (the
//! property tests of each system call it).

use medcode::{ParseCodeError, ParseCodeErrorKind};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// `e`, the error of parsing `s`: it keeps the input (all of it, or its
/// first `INPUT_MAX` bytes cut at a character boundary), names its system,
/// and its message quotes the input, names the system and ends with what is
/// wrong. Returns the error's kind for the caller's own checks.
pub fn check_error_text(s: &str, e: &ParseCodeError) -> Result<ParseCodeErrorKind, TestCaseError> {
    let kept = e.input();
    prop_assert!(s.starts_with(kept), "{:?} kept {:?}", s, kept);
    prop_assert_eq!(e.input_truncated(), s.len() > ParseCodeError::INPUT_MAX);
    prop_assert!(kept.len() <= ParseCodeError::INPUT_MAX);
    prop_assert!(s.len().min(ParseCodeError::INPUT_MAX) - kept.len() < 4);
    let kind = e.kind().to_string();
    let message = e.to_string();
    prop_assert!(!kind.is_empty());
    prop_assert!(message.starts_with(&format!("{kept:?}")), "{}", message);
    prop_assert!(message.contains(e.system().display_name()), "{}", message);
    prop_assert!(message.ends_with(&kind), "{}", message);
    Ok(e.kind())
}
