//! The body side an ICD-10-CM title names: shared by the build script (which
//! stores it per code, two bits of `CM_KIND`) and the library (which tests
//! the stored bits against it).

/// No side named.
pub const SIDE_NONE: u8 = 0;
/// "left" and no other side.
pub const SIDE_LEFT: u8 = 1;
/// "right" and no other side.
pub const SIDE_RIGHT: u8 = 2;
/// "bilateral", or both "left" and "right".
pub const SIDE_BILATERAL: u8 = 3;

/// The side a title names, by whole words, any case.
pub fn side_of_title(title: &str) -> u8 {
    let mut left = false;
    let mut right = false;
    let mut both = false;
    for w in title.split(|c: char| !c.is_ascii_alphabetic()) {
        if w.eq_ignore_ascii_case("left") {
            left = true;
        } else if w.eq_ignore_ascii_case("right") {
            right = true;
        } else if w.eq_ignore_ascii_case("bilateral") {
            both = true;
        }
    }
    match (left, right, both) {
        (_, _, true) | (true, true, _) => SIDE_BILATERAL,
        (true, false, false) => SIDE_LEFT,
        (false, true, false) => SIDE_RIGHT,
        _ => SIDE_NONE,
    }
}
