//! ENV407 unreadable-permission-statement: a grant or share statement that could not be read.

use envlint_parser::SqlOrigin;
use envlint_diagnostics::FileId;
use envlint_sql::{Statement, StatementKind};

use crate::context::Context;
use envlint_model::grants::{at, statements};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a statement that starts like a permission statement (`GRANT`, `REVOKE`,
    /// `CREATE SHARE`, `CREATE SNAPSHOT`, `ALTER DEFAULT PRIVILEGES`, `ATTACH`) in a setup
    /// script, macro or project config but could not be read, for example a template with
    /// `<YOUR_USER>` placeholders or a dialect form dbt-envlint does not know. The statement
    /// is skipped; the rest of the file is still checked.
    ///
    /// The same for a grant declared in Terraform (a Snowflake grant resource, a BigQuery
    /// dataset or project IAM member) whose role, object or privileges are not written
    /// literally, as a variable's literal default, a local, or another resource's literal
    /// attribute: the finding points at the value that is not known. dbt-envlint never
    /// guesses what a workspace sets.
    ///
    /// ## Why is this bad?
    /// It is not wrong by itself: it is what the ENV4xx rules could not see. A write grant
    /// to developers in that statement would go unnoticed.
    ///
    /// ## Example
    /// ```sql
    /// grant role BOC_ROLE to user <YOUR_SNOWFLAKE_USER>;
    /// ```
    ///
    /// ## Use instead
    /// Write the statement out (or keep templates out of the repository's SQL), or suppress
    /// this info where the statement is deliberate.
    pub struct UnreadablePermissionStatement;
    code = "ENV407", name = "unreadable-permission-statement", severity = Info,
    summary = "a grant/share statement could not be read; the ENV4xx rules skipped it",
}

impl UnreadablePermissionStatement {
    fn run(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        // Terraform resources not read, by file: one finding for each file, at the first.
        let mut undeclared: Vec<(FileId, &Statement, usize)> = Vec::new();
        for (file, origin, statement) in statements(cx.repo) {
            let (message, help) = match &statement.kind {
                // A script over a reading budget: said wherever it comes from.
                StatementKind::OverBudget { why } => (
                    why.clone(),
                    "split the script, or keep generated SQL out of the checked paths",
                ),
                StatementKind::Unrecognised { .. } if origin == SqlOrigin::DeclaredAsCode => {
                    match undeclared.iter_mut().find(|(f, _, _)| *f == file) {
                        Some((_, _, more)) => *more += 1,
                        None => undeclared.push((file, statement, 0)),
                    }
                    continue;
                }
                StatementKind::Unrecognised { keyword } if origin != SqlOrigin::CiStep => (
                    format!(
                        "this `{keyword}` statement could not be read; grant and share rules skipped it"
                    ),
                    "write it out in plain SQL, or suppress this info if it is a template",
                ),
                _ => continue,
            };
            found.push(
                cx.diagnostic(message, at(file, &statement.span), "not understood")
                    .with_help(help),
            );
        }
        for (file, statement, more) in undeclared {
            let StatementKind::Unrecognised { keyword } = &statement.kind else {
                continue;
            };
            let written = cx.repo.db.get(file).text.get(statement.span.clone()).unwrap_or_default();
            let value = one_line(written);
            let others = match more {
                0 => String::new(),
                1 => " (and 1 more grant resource in this file)".to_owned(),
                n => format!(" (and {n} more grant resources in this file)"),
            };
            let message = format!(
                "`{value}` has no literal value (nor a literal default, local or attribute): this `{keyword}` resource{others} was not read, and grant rules skipped it"
            );
            found.push(
                cx.diagnostic(message, at(file, &statement.span), "not known here")
                    .with_help("write the name literally or as a variable's default so it can be checked, or suppress this info where each workspace sets it"),
            );
        }
        found.into_iter().for_each(|d| cx.report(d));
    }
}

/// A value as one short line: whitespace runs become one space, and past 60 characters it
/// ends with `...`.
fn one_line(written: &str) -> String {
    let line = written.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((end, _)) => format!("{}...", &line[..end]),
        None => line,
    }
}
