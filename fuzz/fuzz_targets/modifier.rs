//! `Modifier::parse` never panics; a parsed modifier round-trips and has a class.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::Modifier;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(m) = Modifier::parse(s) {
        let shown = m.to_string();
        assert_eq!(shown.parse::<Modifier>(), Ok(m), "{s:?} -> {shown:?}");
        let _ = (m.class(), m.is_cpt());
    }
});
