//! The report as GitHub-flavoured Markdown for the job summary or a PR comment: per profile,
//! a table (aspects by environment) and a Mermaid diagram of who writes where.

use super::human::heading;
use super::mermaid;
use super::model::{Aspect, Cell, Report, Status};

fn badge(status: Status) -> &'static str {
    match status {
        Status::Ok => "✅ ok",
        Status::Warn => "⚠️ warn",
        Status::Fail => "❌ fail",
        Status::Unknown => "❔ unknown",
        Status::NotChecked => "➖ not checked",
    }
}

/// Text safe in a table cell: no pipe ends the cell, no tag is read as HTML.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

fn cell_text(cell: Option<&Cell>) -> String {
    let Some(cell) = cell else {
        return "—".to_owned();
    };
    let mut text = format!("{}: {}", badge(cell.status), escape(&cell.text));
    if !cell.codes.is_empty() {
        let codes: Vec<String> = cell.codes.iter().map(|c| format!("`{c}`")).collect();
        text.push_str(&format!(" ({})", codes.join(", ")));
    }
    text
}

pub(crate) fn render(report: &Report) -> String {
    let mut out = String::from("## dbt-envlint: the dev / CI / prod contract\n\n");
    if report.sections.is_empty() {
        out.push_str("No dbt project or profile found.\n");
        return out;
    }
    for section in &report.sections {
        out.push_str(&format!("### {}\n\n", escape(&heading(section))));
        let mut header = String::from("| |");
        let mut rule = String::from("|---|");
        for row in &section.rows {
            header.push_str(&format!(" {} |", row.environment));
            rule.push_str("---|");
        }
        out.push_str(&format!("{header}\n{rule}\n"));
        for aspect in Aspect::ALL {
            out.push_str(&format!("| **{}** |", aspect.title()));
            for row in &section.rows {
                out.push_str(&format!(" {} |", cell_text(row.cell(aspect))));
            }
            out.push('\n');
        }
        out.push('\n');
        out.push_str("```mermaid\n");
        out.push_str(&mermaid::render(section));
        out.push_str("```\n\n");
    }
    if !report.other_codes.is_empty() {
        out.push_str(&format!(
            "Also found, in no one environment: {}\n\n",
            report.other_codes.join(", ")
        ));
    }
    out.push_str("Red edges are breaches; `dbt-envlint check` shows each finding with its fix.\n");
    out
}
