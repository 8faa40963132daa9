//! The CPT descriptor file reader never panics, strict or lenient.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::load::{CptDescriptors, LoadOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = CptDescriptors::from_reader(data) {
        for (code, text) in t.iter() {
            assert_eq!(t.get(code), Some(text));
        }
    }
    let _ = CptDescriptors::from_reader_with(data, LoadOptions::lenient());
});
