//! Walk the hierarchy and notes of a code.
//!
//! `cargo run --example hierarchy -- E11.65`

use medcode::IcdCm;

fn main() {
    let input = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "E11.65".to_owned());
    let code: IcdCm = match input.parse() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(2);
        }
    };
    let Some(info) = code.info() else {
        eprintln!("{code}: not in any bundled release");
        std::process::exit(1);
    };
    if let Some(ch) = info.chapter() {
        println!(
            "chapter {} ({}-{}): {}",
            ch.number, ch.first, ch.last, ch.title
        );
    }
    if let Some(s) = info.section() {
        println!("block {}-{}: {}", s.first, s.last, s.title);
    }
    let mut line: Vec<_> = info.ancestors().collect();
    line.reverse();
    for (depth, a) in line.iter().chain([&info]).enumerate() {
        println!(
            "{:indent$}{} {}",
            "",
            a.code(),
            a.title().unwrap_or("?"),
            indent = depth * 2
        );
        for note in a.notes() {
            let refs: Vec<String> = note.refs().map(|r| r.to_string()).collect();
            println!(
                "{:indent$}  [{:?}] {} {refs:?}",
                "",
                note.kind,
                note.text,
                indent = depth * 2
            );
        }
    }
    for child in info.children() {
        println!("  child: {} {}", child.code(), child.title().unwrap_or("?"));
    }
}
