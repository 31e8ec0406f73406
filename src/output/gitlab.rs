//! `--format gitlab`: a GitLab Code Quality report, the JSON array a CI job declares as
//! `artifacts: reports: codequality:` for the merge request widget.

use envlint_diagnostics::{Diagnostic, Severity, SourceDb};
use serde::Serialize;

use super::Range;
use super::sarif::fingerprint::Fingerprints;
use super::sarif::uri::slashed;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// GitLab's scale is info, minor, major, critical, blocker: an error is `major`, a warning
/// `minor`, an info `info` (nothing here claims to block or be critical on its own).
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// The issues as a pretty-printed JSON array; paths with `/`, as shown: relative to the working
/// directory (the repository's root in a GitLab job). The fingerprints are SARIF's: they
/// survive line drift, so the widget tells new findings from old ones.
pub(crate) fn render(db: &SourceDb, diagnostics: &[Diagnostic]) -> String {
    let mut fingerprints = Fingerprints::default();
    let issues: Vec<Issue<'_>> = diagnostics
        .iter()
        .map(|d| {
            let range = Range::of(db, d.primary().span);
            Issue {
                description: match &d.help {
                    Some(help) => format!("{} (help: {help})", d.message),
                    None => d.message.clone(),
                },
                check_name: d.code,
                fingerprint: fingerprints.next(db, d),
                severity: severity(d.severity),
                location: Location {
                    path: slashed(&range.file.path),
                    lines: Lines {
                        begin: range.start.line,
                    },
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}
