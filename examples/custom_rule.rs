//! A user rule in a few lines: our payer wants the first-listed diagnosis of
//! every professional claim to be a condition, not a Z code (status and
//! encounter codes), and says so as a warning.
//!
//! ```sh
//! cargo run --example custom_rule
//! ```
//!
//! A rule implements [`Rule`]: an id (kebab-case, prefixed with your
//! organisation so it never clashes with a built-in id), a default severity,
//! and a check that reads the [`PreparedClaim`] (every code already parsed
//! and looked up, dates resolved) and emits findings. The engine adds the id
//! and the configured severity to each finding; `disable` and `severity`
//! work on user rules as on built-in ones. `cargo test` runs this example's
//! test below.

use medcode::rules::{ClaimKind, Emitter, Engine, PreparedClaim, Rule, Severity};

struct NoZCodeFirst;

impl Rule for NoZCodeFirst {
    fn id(&self) -> &'static str {
        "acme-no-z-code-first"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn description(&self) -> &'static str {
        "professional claims list a condition, not a Z code, first"
    }

    fn check(&self, claim: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        let Some(first) = claim.principal() else {
            return;
        };
        let z_code = first.code.is_some_and(|c| c.char_at(0) == Some('Z'));
        if claim.kind == ClaimKind::Professional && z_code {
            out.emit(
                None,
                "diagnoses[0]",
                vec![first.display()],
                format!(
                    "{} is a Z code: our payer wants the treated condition listed first",
                    first.display()
                ),
            );
        }
    }
}

fn run() -> Result<String, Box<dyn std::error::Error>> {
    let engine = Engine::builder().rule(NoZCodeFirst).build()?;
    let line = r#"{"id":"CLM-9","type":"professional","patient":{"sex":"F","age":45},"service_date":"2025-11-03","diagnoses":[{"code":"Z00.00"},{"code":"I10"}],"lines":[{"code":"99396","units":1,"dx_pointers":[1,2]}]}"#;
    Ok(engine.check_jsonl_line(line))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("{}", run()?);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rule_fires() {
        let out = super::run().unwrap();
        assert!(
            out.contains(r#""rule":"acme-no-z-code-first","severity":"warning""#),
            "{out}"
        );
    }
}
