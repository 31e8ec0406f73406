//! What a rule is: static metadata (code, name, severity, docs) and a check over the context.

use envlint_diagnostics::{Applicability, Severity};

use crate::context::Context;

/// Where the rule documentation is published; `{code}` is replaced.
pub const DOCS_URL: &str =
    "https://github.com/dbt-envlint/dbt-envlint/blob/main/docs/rules/{code}.md";

/// Everything known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `dbt-envlint rules`.
    pub summary: &'static str,
    /// The rule's doc comment: `## What it does`, `## Why is this bad?`, `## Example`,
    /// `## Use instead`.
    pub docs: &'static str,
    /// The fix the rule can offer (when the repository holds what it needs), at its
    /// applicability; `None` when it has none.
    pub fix: Option<Applicability>,
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

/// A rule. Rules are pure: they read the [`Context`] and report; they never do I/O.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut Context<'_>);

    /// Whether the rule reads `cx.resolution` (where every node is built per target).
    fn needs_resolution(&self) -> bool {
        false
    }

    /// Whether the rule judges the suppression comments themselves (ENV003, ENV004): it runs
    /// after the others, once comments were matched (`cx.suppressions`), and no comment can
    /// suppress its findings.
    fn judges_suppressions(&self) -> bool {
        false
    }
}

/// Declares a rule's struct and its [`RuleMeta`] from its doc comment.
macro_rules! declare_rule {
    (@fix) => { None };
    (@fix $fix:ident) => { Some(envlint_diagnostics::Applicability::$fix) };
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        code = $code:literal, name = $rule_name:literal, severity = $severity:ident,
        summary = $summary:literal $(, fix = $fix:ident)? $(,)?
    ) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;

        impl $name {
            pub(crate) const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: $code,
                name: $rule_name,
                severity: envlint_diagnostics::Severity::$severity,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                fix: $crate::rule::declare_rule!(@fix $($fix)?),
            };
        }
    };
}

pub(crate) use declare_rule;
