//! `Hcpcs::parse` never panics; a parsed code round-trips and has a section.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::Hcpcs;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(code) = Hcpcs::parse(s) {
        let shown = code.to_string();
        assert_eq!(shown.parse::<Hcpcs>(), Ok(code), "{s:?} -> {shown:?}");
        let _ = (code.section(), code.is_cdt(), code.letter());
    }
});
