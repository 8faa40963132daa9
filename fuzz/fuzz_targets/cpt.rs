//! `Cpt::parse` never panics; a parsed code round-trips and has a category.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::Cpt;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(code) = Cpt::parse(s) {
        let shown = code.to_string();
        assert_eq!(shown.parse::<Cpt>(), Ok(code), "{s:?} -> {shown:?}");
        let _ = (code.category(), code.section(), code.surgery_subsection());
    }
});
