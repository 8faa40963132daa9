//! Look a few diagnosis codes up on a date.
//!
//! `cargo run --example lookup -- E11.9 S72.001 U07.1 2019-06-01`

use medcode::{Date, IcdCm};

fn main() {
    let mut date = Date::today();
    let mut codes = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.parse::<Date>() {
            Ok(d) => date = d,
            Err(_) => codes.push(arg),
        }
    }
    if codes.is_empty() {
        codes = ["E11.9", "E11", "S72.001", "S72.001A", "U07.1", "E11.A"]
            .map(String::from)
            .to_vec();
    }
    for input in &codes {
        let code = match input.parse::<IcdCm>() {
            Ok(c) => c,
            Err(e) => {
                println!("{input}: not an ICD-10-CM code ({e})");
                continue;
            }
        };
        let Some(info) = code.info() else {
            println!("{code}: not in any bundled release");
            continue;
        };
        let status = if info.valid_on(date) {
            "valid"
        } else if info.requires_seventh_character() {
            "needs a 7th character"
        } else if info.is_header() {
            "header"
        } else {
            "not valid on this date"
        };
        println!(
            "{code} on {date}: {status} - {}",
            info.title().unwrap_or("(title unknown)")
        );
        for w in info.windows() {
            let to = w.to.map_or("still valid".to_owned(), |d| d.to_string());
            println!("    valid {} to {to}", w.from);
        }
    }
}
