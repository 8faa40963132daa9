//! The NCCI PTP, MUE and add-on readers never panic, strict or lenient.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::load::{AddonTable, LoadOptions, MueTable, PtpTable};

fuzz_target!(|data: &[u8]| {
    let _ = PtpTable::from_reader(data);
    let _ = PtpTable::from_reader_with(data, LoadOptions::lenient());
    let _ = MueTable::from_reader(data);
    let _ = MueTable::from_reader_with(data, LoadOptions::lenient());
    let _ = AddonTable::from_reader(data);
    let _ = AddonTable::from_reader_with(data, LoadOptions::lenient());
});
