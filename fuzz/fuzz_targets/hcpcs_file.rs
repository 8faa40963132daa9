//! The CMS quarterly HCPCS file reader never panics, strict or lenient.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::hcpcs::HcpcsRelease;
use medcode::load::LoadOptions;
use medcode::Date;

fuzz_target!(|data: &[u8]| {
    if let Ok(release) = HcpcsRelease::from_reader(data) {
        let date = Date::new(2026, 1, 1).unwrap();
        for e in release.iter() {
            let _ = (e.code(), e.title(), e.valid_on(date));
        }
    }
    let _ = HcpcsRelease::from_reader_with(data, LoadOptions::lenient());
});
