//! What is known about a rule without running it: code, name, severity, docs, the fixes it
//! can offer and what it reads. Data only; the run and the docs read it.

use envlint_diagnostics::{Applicability, Severity};

/// Where the rule documentation is published; `{code}` is replaced.
const DOCS_URL: &str = "https://github.com/dbt-envlint/dbt-envlint/blob/main/docs/rules/{code}.md";

/// Everything known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `dbt-envlint rules`.
    pub summary: &'static str,
    /// The rule's doc comment: `## What it does`, `## Why is this bad?`, `## Example`,
    /// `## Use instead` (and `## Fix safety` when it has a fix).
    pub docs: &'static str,
    /// The fix some of its findings carry, and how safe it is; `None` when it has none.
    pub fix: Option<Applicability>,
    /// It reads where every node is built per target (the expensive part of a run).
    pub needs_resolution: bool,
    /// It judges the suppression comments themselves (ENV003, ENV004): it runs after the
    /// others, once comments were matched, and no comment can suppress its findings.
    pub judges_suppressions: bool,
}

impl RuleMeta {
    pub fn url(&self) -> String {
        DOCS_URL.replace("{code}", self.code)
    }

    /// The docs with the one leading space of each `///` line removed.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
