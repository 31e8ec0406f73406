//! `--format sarif`: a SARIF 2.1.0 log for code-scanning UIs (GitHub, VS Code, GitLab).
//!
//! One run; the driver lists every rule with its docs; each finding is a result whose
//! primary label is the location and whose related labels are `relatedLocations`. Columns
//! are UTF-16 code units (`columnKind: utf16CodeUnits`, the SARIF default, stated
//! explicitly). Paths under the working directory are relative URIs against `SRCROOT`.

pub(crate) mod fingerprint;
mod model;
pub(crate) mod uri;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use envlint_diagnostics::{Diagnostic, Severity, SourceDb, Span};
use envlint_rules::{RuleMeta, registry};

use self::model::{
    ArtifactLocation, Configuration, Driver, Invocation, Location, Log, Markdown, MessageRef,
    Notification, PhysicalLocation, Region, ReportingDescriptor, Run, SarifResult, Text, Tool,
};
use super::Range;
use crate::notices::Notice;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "SRCROOT";
/// The `partialFingerprints` key; bump the version if the hashed parts ever change.
const FINGERPRINT_KEY: &str = "dbtEnvlintFindingHash/v1";

/// The log as pretty-printed JSON. `root` is the directory relative paths start from.
/// Notices are the invocation's `toolExecutionNotifications`.
pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    notices: &[Notice],
    root: &Path,
) -> String {
    let rules = registry::all();
    let rule_index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.meta().code, i))
        .collect();
    let mut fingerprints = fingerprint::Fingerprints::default();
    let results = diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code,
            rule_index: rule_index.get(d.code).copied(),
            level: level(d.severity),
            message: Text {
                text: match &d.help {
                    Some(help) => format!("{}\nhelp: {help}", d.message),
                    None => d.message.clone(),
                },
            },
            locations: vec![location(db, d.primary().span, &d.primary().message, None)],
            related_locations: d.labels()[1..]
                .iter()
                .enumerate()
                .map(|(i, label)| location(db, label.span, &label.message, Some(i + 1)))
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprints.next(db, d))]),
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "dbt-envlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules.iter().map(|r| descriptor(r.meta())).collect(),
                },
            },
            original_uri_base_ids: uri::directory(root)
                .map(|uri| {
                    (
                        SRCROOT,
                        ArtifactLocation {
                            uri,
                            uri_base_id: None,
                        },
                    )
                })
                .into_iter()
                .collect(),
            column_kind: "utf16CodeUnits",
            results,
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notices
                    .iter()
                    .map(|notice| Notification {
                        level: "note",
                        message: Text {
                            text: notice.message.clone(),
                        },
                        locations: notice
                            .span
                            .map(|span| location(db, span, "named here", None))
                            .into_iter()
                            .collect(),
                    })
                    .collect(),
            }],
        }],
    };
    let mut text = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise the SARIF log: {e}\"}}"));
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor {
    let docs = meta.documentation();
    ReportingDescriptor {
        id: meta.code,
        name: meta.name,
        short_description: Text {
            text: meta.summary.to_owned(),
        },
        full_description: Text {
            text: what_it_does(&docs).unwrap_or_else(|| meta.summary.to_owned()),
        },
        help: Markdown {
            text: docs.clone(),
            markdown: docs,
        },
        help_uri: meta.url(),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
    }
}

/// The `## What it does` paragraph of a rule's docs, on one line.
fn what_it_does(docs: &str) -> Option<String> {
    let body = docs.split("## What it does").nth(1)?;
    let paragraph = body.split("\n## ").next()?;
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn location<'a>(db: &SourceDb, span: Span, message: &'a str, id: Option<usize>) -> Location<'a> {
    let Range { file, start, end } = Range::of(db, span);
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: uri::artifact(&file.path, SRCROOT),
            region: Region {
                start_line: start.line,
                start_column: start.utf16_column,
                end_line: end.line,
                end_column: end.utf16_column,
            },
        },
        message: MessageRef { text: message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_description_is_the_what_it_does_paragraph() {
        let docs = "## What it does\nFlags a thing\nthat is bad.\n\n## Why is this bad?\nBecause.";
        assert_eq!(
            what_it_does(docs).as_deref(),
            Some("Flags a thing that is bad.")
        );
        assert_eq!(what_it_does("no sections"), None);
    }
}
