//! What `check` counts as it goes (printed on a terminal when it is done),
//! and why checking a stream stopped: shared by the one-thread path
//! (`check.rs`) and the parallel one (`parallel.rs`).

use medcode::rules::{Report, Severity};
use std::collections::BTreeMap;
use std::io;

/// What `check` prints on a terminal when it is done.
pub(crate) struct Summary {
    start: std::time::Instant,
    claims: usize,
    clean: usize,
    with_errors: usize,
    /// With warnings but no error.
    with_warnings: usize,
    by_severity: [usize; 3],
    /// Per rule: findings, and claims with at least one.
    by_rule: BTreeMap<String, (usize, usize)>,
}

impl Default for Summary {
    fn default() -> Summary {
        Summary {
            start: std::time::Instant::now(),
            claims: 0,
            clean: 0,
            with_errors: 0,
            with_warnings: 0,
            by_severity: [0; 3],
            by_rule: BTreeMap::new(),
        }
    }
}

impl Summary {
    /// Adds the counts of another part of the input (the parallel path's
    /// batches); the start time stays this one's.
    pub(crate) fn merge(&mut self, other: Summary) {
        self.claims += other.claims;
        self.clean += other.clean;
        self.with_errors += other.with_errors;
        self.with_warnings += other.with_warnings;
        for (mine, theirs) in self.by_severity.iter_mut().zip(other.by_severity) {
            *mine += theirs;
        }
        for (rule, (findings, claims)) in other.by_rule {
            let counts = self.by_rule.entry(rule).or_default();
            counts.0 += findings;
            counts.1 += claims;
        }
    }

    /// Counts one claim's report.
    pub(crate) fn add(&mut self, report: &Report) {
        self.claims += 1;
        if report.is_clean() {
            self.clean += 1;
        } else if report.has_errors() {
            self.with_errors += 1;
        } else if report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning)
        {
            self.with_warnings += 1;
        }
        for (i, f) in report.findings.iter().enumerate() {
            self.by_severity[f.severity as usize] += 1;
            let counts = self.by_rule.entry(f.rule.to_string()).or_default();
            counts.0 += 1;
            // A claim counts once per rule: at the rule's first finding.
            if !report.findings[..i].iter().any(|g| g.rule == f.rule) {
                counts.1 += 1;
            }
        }
    }

    pub(crate) fn print(&self) {
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            format!("{:.0}", self.claims as f64 / secs)
        } else {
            "-".to_owned()
        };
        let malformed = self.by_rule.get("malformed-claim").map_or(0, |c| c.1);
        let [errors, warnings, infos] = self.by_severity;
        eprintln!(
            "\rmedcode check: {} claims in {secs:.2} s ({rate} claims/s): {} clean, {} with errors, \
             {} with warnings only, {} info only; {malformed} malformed",
            self.claims,
            self.clean,
            self.with_errors,
            self.with_warnings,
            self.claims - self.clean - self.with_errors - self.with_warnings,
        );
        eprintln!(
            "  findings: {} ({errors} errors, {warnings} warnings, {infos} info)",
            errors + warnings + infos
        );
        let mut rows: Vec<_> = self.by_rule.iter().collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        eprintln!("  {:>8}  {:>8}  rule", "findings", "claims");
        for (rule, (n, claims)) in rows {
            eprintln!("  {n:>8}  {claims:>8}  {rule}");
        }
    }
}

/// Why checking a stream stopped.
pub(crate) enum Failed {
    Reading(io::Error),
    Writing(io::Error),
}
