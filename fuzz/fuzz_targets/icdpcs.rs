//! `IcdPcs::parse` never panics; a parsed code round-trips and decodes its axes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::{Date, IcdPcs};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(code) = IcdPcs::parse(s) {
        let shown = code.to_string();
        assert_eq!(shown.parse::<IcdPcs>(), Ok(code), "{s:?} -> {shown:?}");
        let _ = code.axes();
        let _ = code.valid_on(Date::new(2026, 1, 1).unwrap());
    }
});
