//! Load a CMS quarterly HCPCS file and look codes up in it.
//!
//! ```sh
//! cargo run --example hcpcs_file -- path/to/HCPC2026_JAN_ANWEB.txt E0114 J1100 LT
//! cargo run --example hcpcs_file            # the test fixture, a few codes
//! ```
//!
//! Bad records are reported with their line numbers and skipped (lenient
//! loading); the good ones are used.

use medcode::hcpcs::HcpcsRelease;
use medcode::load::LoadOptions;
use medcode::{Date, Hcpcs, Modifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "tests/fixtures/hcpcs_fixture.txt".to_owned());
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = ["E0114", "G0202", "A0429", "GA", "XX"]
            .map(String::from)
            .to_vec();
    }

    let loaded = HcpcsRelease::load_with(&path, LoadOptions::lenient())?;
    for e in &loaded.errors {
        eprintln!("{path}: skipped: {e}");
    }
    let release = loaded.table;
    let today = Date::today();
    println!(
        "{path}: {} codes ({} valid today), {} modifiers",
        release.len(),
        release.valid_on(today).count(),
        release.modifiers().len()
    );

    for q in &queries {
        if let Ok(code) = q.parse::<Hcpcs>() {
            match release.get(code) {
                Some(e) => println!(
                    "{code}  {}\n       section: {}\n       short: {}\n       pricing: {:?}  coverage: {}  BETOS: {}\n       added {}, terminated {}, valid today: {}",
                    e.title().unwrap_or("(no title)"),
                    code.section().map_or("(letter not in use)", |s| s.name()),
                    e.short_title().unwrap_or("-"),
                    e.pricing_indicators(),
                    e.coverage_code().unwrap_or('-'),
                    e.betos().unwrap_or("-"),
                    e.added().map_or("-".to_owned(), |d| d.to_string()),
                    e.terminated().map_or("-".to_owned(), |d| d.to_string()),
                    e.valid_on(today),
                ),
                None => println!("{code}  not in this file"),
            }
        } else if let Ok(m) = q.parse::<Modifier>() {
            match release.modifier(m) {
                Some(e) => println!(
                    "{m}     {} (class: {})",
                    e.title().unwrap_or("(no title)"),
                    m.class()
                ),
                None => println!("{m}     not in this file (class: {})", m.class()),
            }
        } else {
            println!("{q:?}: neither a HCPCS code nor a modifier");
        }
    }
    Ok(())
}
