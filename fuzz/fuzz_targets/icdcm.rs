//! `IcdCm::parse` never panics; a parsed code round-trips through `Display`
//! and answers its table questions without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::{Date, IcdCm};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(code) = IcdCm::parse(s) {
        let shown = code.to_string();
        assert_eq!(shown.parse::<IcdCm>(), Ok(code), "{s:?} -> {shown:?}");
        assert_eq!(code.undotted().parse::<IcdCm>(), Ok(code));
        let _ = code.valid_on(Date::new(2026, 1, 1).unwrap());
        if let Some(info) = code.info() {
            let _ = (info.title(), info.parent(), info.billable_in_some_release());
        }
    }
});
