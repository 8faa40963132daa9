//! A program that can reach every bundled table: what a binary costs with
//! each feature set. The linker leaves out tables a program never reads, so
//! this reads them all (lookups of every kind, titles by date, notes, CC/MCC,
//! the claims engine); the sizes in the README's "Feature flags" are this
//! example's, built in release and stripped:
//!
//! ```sh
//! cargo build --release --example size --no-default-features --features pcs-titles
//! strip -o /tmp/size target/release/examples/size && stat -c %s /tmp/size
//! ```
//!
//! Run: `cargo run --example size -- E11.9 0SRD0JZ E1130 LT` prints each
//! code's `lookup` JSON, then the findings of a one-line claim.

use medcode::{Date, IcdCm, IcdPcs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let date = Date::new(2025, 1, 1)?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for input in &args {
        let answer = medcode::lookup::lookup(input, date);
        println!("{}", serde_json::to_string(&answer)?);
        if let Some(info) = input.parse::<IcdCm>().ok().and_then(IcdCm::info) {
            let notes: Vec<_> = info.notes().collect();
            let block: usize = info.chapter().map_or(0, |c| c.notes().count())
                + info.section().map_or(0, |s| s.notes().count());
            println!(
                "{:?} {:?} {:?} {:?} notes {} block notes {block} cc {:?} excluded by itself {}",
                info.title_on(date),
                info.short_title_on(date),
                info.tabular_title(),
                notes.first().map(|n| n.text),
                notes.len(),
                info.cc(),
                info.cc_excluded_by(info.code()),
            );
        }
        if let Some(info) = input.parse::<IcdPcs>().ok().and_then(IcdPcs::info) {
            println!("{:?} {:?}", info.title_on(date), info.short_title_on(date));
        }
    }
    let engine = medcode::rules::Engine::builder().build()?;
    let claim = format!(
        r#"{{"type":"institutional","patient":{{"sex":"F","age":40}},"discharge_date":"2025-11-03",
        "diagnoses":[{}],"procedures":[],"lines":[]}}"#,
        args.iter()
            .map(|a| format!("{{\"code\":{a:?}}}"))
            .collect::<Vec<_>>()
            .join(",")
    )
    .replace('\n', " ");
    println!("{}", engine.check_jsonl_line(&claim));
    Ok(())
}
