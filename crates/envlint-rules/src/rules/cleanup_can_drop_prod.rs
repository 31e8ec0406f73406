//! ENV306 cleanup-can-drop-prod: a cleanup's drop pattern matches the prod schema.

use envlint_diagnostics::Span;
use envlint_parser::ci::{DropStatement, scan_script};
use envlint_sql::CleanupPattern;

use envlint_model::ci_view::{self, drops_schemas};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Looks at what cleanup and teardown jobs drop: `DROP SCHEMA <name>`, `LIKE
    /// '<pattern>'` and regular expressions (`regexp_matches(x, '^pr')`, `~`, `REGEXP`) in
    /// their scripts, and in the macros their `dbt run-operation` calls. Flags
    /// a name equal to a prod target's schema, and a pattern that matches it (`LIKE '%'`,
    /// `LIKE 'dev%'` when prod writes `development`).
    ///
    /// ## Why is this bad?
    /// The nightly sweep meant for `dev_*` drops production. Cleanup patterns must be
    /// anchored and specific: `LIKE 'dev\_%'`, `LIKE 'pr\_%'`.
    ///
    /// ## Example
    /// ```sql
    /// select schema_name from information_schema.schemata where schema_name like 'dev%'
    /// ```
    /// with prod's schema `development`.
    ///
    /// ## Use instead
    /// ```sql
    /// ... where schema_name like 'dev\_%'
    /// ```
    pub struct CleanupCanDropProd;
    code = "ENV306", name = "cleanup-can-drop-prod", severity = Error,
    summary = "a drop pattern/statement can match the prod schema or database",
}

impl CleanupCanDropProd {
    fn run(&self, cx: &mut Context<'_>) {
        let prod_schemas: Vec<(String, Span)> = cx
            .profiles
            .iter()
            .flat_map(|v| v.targets_in(Environment::Prod))
            .filter_map(|t| {
                let schema = t.schema.as_ref()?;
                Some((schema.value.as_literal()?, schema.text_span()))
            })
            .collect();
        if prod_schemas.is_empty() {
            return;
        }
        let mut statements: Vec<DropStatement> = Vec::new();
        for view in ci_view::jobs(cx.repo, cx.policy) {
            for step in view.job.steps.iter().filter(|s| drops_schemas(s)) {
                let Some(script) = &step.script else {
                    continue;
                };
                statements.extend(script.drops.iter().cloned());
                for operation in script.dbt.iter().filter_map(|c| c.operation.as_deref()) {
                    statements.extend(macro_drops(cx, operation));
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for statement in statements {
            // Keyed on what it says too: a script whose offsets are not exact puts every
            // statement on the whole scalar.
            let key = (statement.span, statement.pattern.clone());
            if !seen.insert(key) {
                continue;
            }
            for (schema, schema_span) in &prod_schemas {
                let hit = match &statement.pattern {
                    CleanupPattern::Like(pattern) => like_matches(pattern, schema)
                        .then(|| format!("pattern `{pattern}` matches prod schema `{schema}`")),
                    CleanupPattern::Regex(pattern) => regex::RegexBuilder::new(pattern)
                        .case_insensitive(true)
                        .build()
                        .is_ok_and(|re| re.is_match(schema))
                        .then(|| {
                            format!("regular expression `{pattern}` matches prod schema `{schema}`")
                        }),
                    CleanupPattern::DropSchema(Some(name)) => name
                        .trim_matches(['"', '`'])
                        .eq_ignore_ascii_case(schema)
                        .then(|| format!("`DROP SCHEMA {name}` drops prod schema `{schema}`")),
                    CleanupPattern::DropSchema(None) => None,
                };
                if let Some(message) = hit {
                    let like = match &statement.pattern {
                        CleanupPattern::Like(pattern) => Some(pattern),
                        _ => None,
                    };
                    let help = match like.map(|pattern| escape_underscores(pattern)) {
                        Some(escaped) if Some(&escaped) != like => format!(
                            "`_` matches any character in `LIKE`: escape it, `LIKE '{escaped}'`"
                        ),
                        _ => "anchor cleanup patterns to the dev and PR prefixes, e.g. `LIKE 'pr\\_%'`".to_owned(),
                    };
                    let diag = cx
                        .diagnostic(message, statement.span, "can drop prod")
                        .with_help(help)
                        .with_related(*schema_span, "prod schema");
                    cx.report(diag);
                }
            }
        }
    }
}

/// The drop statements and patterns of a macro, wherever a project defines it.
fn macro_drops(cx: &Context<'_>, name: &str) -> Vec<DropStatement> {
    let needle = format!("macro {name}(");
    cx.repo
        .projects
        .iter()
        .flat_map(|p| p.project.macros.iter())
        .filter(|m| cx.repo.db.get(m.file).text.contains(&needle))
        .flat_map(|m| scan_script(m.file, 0, &cx.repo.db.get(m.file).text).drops)
        .collect()
}

/// A `LIKE` pattern with every unescaped `_` escaped (`pr_%` becomes `pr\_%`).
fn escape_underscores(pattern: &str) -> String {
    let mut out = String::new();
    let mut escaped = false;
    for c in pattern.chars() {
        if c == '_' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

/// SQL `LIKE`, case-insensitively: `%` any run, `_` one character, `\` escapes.
fn like_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let text: Vec<char> = text.to_lowercase().chars().collect();
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('%') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('_') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some('\\') if p.len() > 1 => t.first() == Some(&p[1]) && go(&p[2..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    go(&pattern, &text)
}

#[cfg(test)]
mod tests {
    use super::{escape_underscores, like_matches};

    #[test]
    fn like_patterns() {
        assert!(like_matches("%", "analytics"));
        assert!(like_matches("dev%", "development"));
        assert!(!like_matches("dev\\_%", "development"));
        assert!(like_matches("dev\\_%", "dev_alice"));
        assert!(like_matches("pr_%", "prod"));
        assert!(!like_matches("pr\\_%", "prod"));
        assert_eq!(escape_underscores("pr_%"), "pr\\_%");
        assert_eq!(escape_underscores("pr\\_%_x"), "pr\\_%\\_x");
    }
}
