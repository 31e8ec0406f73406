//! `--format github`: GitHub Actions workflow commands (`::error file=…::message`), which
//! GitHub shows as annotations on the pull request's changed lines.
//!
//! GitHub keeps at most 10 annotations of each level per step, so the first 10 errors,
//! warnings and notices become commands and the rest are listed in plain text after them.

use std::collections::HashMap;

use envlint_diagnostics::{Diagnostic, Severity, SourceDb, escape_line};

use super::{Range, RunCounts, Style, concise_lines, details, summary_line};
use crate::notices::Notice;

/// How many annotations of one level GitHub shows for a step.
const ANNOTATIONS_PER_LEVEL: usize = 10;

pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    notices: &[Notice],
    counts: RunCounts,
    style: Style,
) -> String {
    let mut out: String = notices.iter().map(|n| notice(db, n)).collect();
    let mut shown: HashMap<Severity, usize> = HashMap::new();
    let mut overflow = Vec::new();
    for diagnostic in diagnostics {
        let count = shown.entry(diagnostic.severity).or_default();
        if *count < ANNOTATIONS_PER_LEVEL {
            *count += 1;
            out.push_str(&command(db, diagnostic));
        } else {
            overflow.push(diagnostic);
        }
    }
    if !overflow.is_empty() {
        out.push_str(&format!(
            "{} more findings (GitHub shows {ANNOTATIONS_PER_LEVEL} annotations of each level per step):\n",
            overflow.len()
        ));
        out.push_str(&concise_lines(db, overflow, style.fix_level));
    }
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics, counts, style.fix_level));
    }
    out
}

/// `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=CODE name::message`.
fn command(db: &SourceDb, diagnostic: &Diagnostic) -> String {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let Range { file, start, end } = Range::of(db, diagnostic.primary().span);
    let message = escape_line(&diagnostic.message).into_owned() + &details(db, diagnostic);
    format!(
        "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
        escape_property(&escape_line(&file.path.display().to_string())),
        start.line,
        end.line,
        start.column,
        end.column,
        escape_property(&format!("{} {}", diagnostic.code, diagnostic.name)),
        escape_data(&message)
    )
}

/// `::notice file=…,line=…,title=dbt-envlint::message` (no place when it is about none).
fn notice(db: &SourceDb, notice: &Notice) -> String {
    let place = notice.span.map_or_else(String::new, |span| {
        let Range { file, start, .. } = Range::of(db, span);
        format!(
            "file={},line={},",
            escape_property(&escape_line(&file.path.display().to_string())),
            start.line
        )
    });
    format!(
        "::notice {place}title=dbt-envlint::{}\n",
        escape_data(&escape_line(&notice.message))
    )
}

/// A command's message: `%`, CR and LF are percent-encoded.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as data, plus `:` and `,`, which end properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(
            escape_data("50% off\r\nnext: a,b"),
            "50%25 off%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
