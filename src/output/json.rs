//! `--format json`: version 1 of the machine-readable output, from dedicated structs.
//!
//! Later versions may add fields; existing fields keep their meaning. Lines and columns are
//! 1-based, columns count characters, `end_column` is exclusive. Added within version 1:
//! `fixes` on each finding, `suppressed` and `fixed` in the summary, `notices` (what the run
//! could not check, with the place it is about when there is one).

use envlint_diagnostics::{Diagnostic, Fix, LabelKind, SourceDb, Span};
use serde::Serialize;

use super::{Counts, Range, RunCounts};
use crate::notices::Notice;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    notices: Vec<JsonNotice<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonNotice<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Option<Location>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
    help: Option<&'a str>,
    url: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// Replace the text from `line`:`column` to `end_line`:`end_column` with `replacement`.
#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    location: Location,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    location: Location,
    message: &'a str,
    primary: bool,
}

#[derive(Serialize)]
struct Location {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    fixed: usize,
}

fn location(db: &SourceDb, span: Span) -> Location {
    let Range { file, start, end } = Range::of(db, span);
    Location {
        file: file.path.display().to_string(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn fix<'a>(db: &SourceDb, fix: &'a Fix) -> JsonFix<'a> {
    JsonFix {
        message: &fix.message,
        applicability: fix.applicability.as_str(),
        edits: fix
            .edits
            .iter()
            .map(|e| JsonEdit {
                location: location(db, e.span),
                replacement: &e.replacement,
            })
            .collect(),
    }
}

pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    notices: &[Notice],
    run: RunCounts,
) -> String {
    let counts = Counts::of(diagnostics);
    let report = Report {
        version: 1,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code,
                name: d.name,
                severity: d.severity.as_str(),
                message: &d.message,
                location: location(db, d.primary().span),
                help: d.help.as_deref(),
                url: d.url.as_deref(),
                labels: d
                    .labels()
                    .iter()
                    .map(|l| JsonLabel {
                        location: location(db, l.span),
                        message: &l.message,
                        primary: l.kind == LabelKind::Primary,
                    })
                    .collect(),
                fixes: d.fixes.iter().map(|f| fix(db, f)).collect(),
            })
            .collect(),
        notices: notices
            .iter()
            .map(|n| JsonNotice {
                message: &n.message,
                location: n.span.map(|span| location(db, span)),
            })
            .collect(),
        summary: Summary {
            files: db.len(),
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            suppressed: run.suppressed,
            fixed: run.fixed,
        },
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        format!("{{\"version\": 1, \"error\": \"cannot serialise findings: {e}\"}}")
    });
    text.push('\n');
    text
}
