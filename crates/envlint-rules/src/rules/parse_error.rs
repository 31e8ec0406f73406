//! ENV001 parse-error: a file that cannot be read or parsed.

use crate::context::Context;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a file dbt-envlint could not read or parse: invalid YAML, a duplicate key,
    /// invalid Jinja inside a value, a binary or non-UTF-8 file, or a file too large to read.
    /// The other files are still checked.
    ///
    /// ## Why is this bad?
    /// dbt would fail on the same file, and nothing in it can be checked: a broken
    /// `profiles.yml` hides every finding about the targets it defines.
    ///
    /// ## Example
    /// ```yaml
    /// jaffle_shop:
    ///   target: dev
    ///   target: prod   # duplicate key
    ///   outputs:
    ///     dev: {type: duckdb, path: dev.duckdb}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jaffle_shop:
    ///   target: dev
    ///   outputs:
    ///     dev: {type: duckdb, path: dev.duckdb}
    /// ```
    pub struct ParseError;
    code = "ENV001", name = "parse-error", severity = Error,
    summary = "a file that cannot be parsed (YAML, Jinja, SQL); linting goes on",
}

impl ParseError {
    fn run(&self, cx: &mut Context<'_>) {
        let repo = cx.repo;
        for diagnostic in &repo.parse_errors {
            cx.forward(diagnostic);
        }
    }
}
