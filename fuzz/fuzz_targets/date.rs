//! Date parsing (`YYYY-MM-DD`, `YYYYMMDD`, integers) never panics; dates
//! round-trip through `Display`, `yyyymmdd` and days since the epoch.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::Date;

fn check(d: Date) {
    assert_eq!(d.to_string().parse::<Date>(), Ok(d));
    assert_eq!(Date::from_yyyymmdd(d.yyyymmdd()), Ok(d));
    assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), Some(d));
    let _ = (d.succ(), d.years_since(Date::new(1970, 1, 1).unwrap()));
}

fuzz_target!(|data: &[u8]| {
    if data.len() >= 4 {
        let n = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        if let Ok(d) = Date::from_yyyymmdd(n) {
            check(d);
        }
        let days = i64::from(n as i32);
        if let Some(d) = Date::from_days_since_epoch(days) {
            assert_eq!(d.days_since_epoch(), days);
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(d) = s.parse::<Date>() {
            check(d);
        }
    }
});
