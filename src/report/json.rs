//! The report as versioned JSON (version 1): sections, rows, cells with status and codes,
//! and the diagram's edges.

use serde::Serialize;

use super::model::{Aspect, Edge, From, Report, Row, Section};
use crate::explain::pretty_json;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    sections: Vec<JsonSection<'a>>,
    /// Codes of findings that belong to no one environment.
    other_codes: &'a [&'static str],
}

#[derive(Serialize)]
struct JsonSection<'a> {
    project: Option<&'a str>,
    profile: Option<&'a str>,
    file: Option<&'a str>,
    environments: Vec<JsonRow<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    environment: &'static str,
    /// By aspect; an aspect that does not apply to the environment is left out.
    cells: Vec<JsonCell<'a>>,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    aspect: &'static str,
    status: &'static str,
    text: &'a str,
    codes: &'a [&'static str],
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'static str,
    to: &'static str,
    label: &'a str,
    breach: bool,
    codes: &'a [&'static str],
}

fn aspect_key(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Targets => "targets",
        Aspect::Location => "location",
        Aspect::Credential => "credential",
        Aspect::Isolation => "isolation",
        Aspect::Teardown => "teardown",
        Aspect::Cleanup => "stale-cleanup",
        Aspect::Grants => "grants",
        Aspect::ReleaseSnapshot => "release-snapshot",
    }
}

fn row(row: &Row) -> JsonRow<'_> {
    JsonRow {
        environment: row.environment.as_str(),
        cells: Aspect::ALL
            .into_iter()
            .filter_map(|aspect| {
                row.cell(aspect).map(|cell| JsonCell {
                    aspect: aspect_key(aspect),
                    status: cell.status.as_str(),
                    text: &cell.text,
                    codes: &cell.codes,
                })
            })
            .collect(),
    }
}

fn edge(edge: &Edge) -> JsonEdge<'_> {
    JsonEdge {
        from: match edge.from {
            From::Actor(actor) => actor.key(),
            From::Environment(environment) => environment.as_str(),
        },
        to: edge.to.as_str(),
        label: &edge.label,
        breach: !edge.codes.is_empty(),
        codes: &edge.codes,
    }
}

fn section(section: &Section) -> JsonSection<'_> {
    JsonSection {
        project: section.project.as_deref(),
        profile: section.profile.as_deref(),
        file: section.file.as_deref(),
        environments: section.rows.iter().map(row).collect(),
        edges: section.edges.iter().map(edge).collect(),
    }
}

pub(crate) fn render(report: &Report) -> String {
    pretty_json(&JsonReport {
        version: 1,
        sections: report.sections.iter().map(section).collect(),
        other_codes: &report.other_codes,
    })
}
