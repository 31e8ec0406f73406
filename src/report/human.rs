//! The report as terminal tables: per profile, each environment's aspects with their status,
//! codes and what holds; statuses coloured when asked.

use super::model::{Aspect, Report, Section, Status};

const RESET: &str = "\x1b[0m";

fn colour(status: Status) -> &'static str {
    match status {
        Status::Ok => "\x1b[32m",
        Status::Warn => "\x1b[33m",
        Status::Fail => "\x1b[1;31m",
        Status::Unknown | Status::NotChecked => "\x1b[2m",
    }
}

/// A heading naming the project, the profile and its file.
pub(crate) fn heading(section: &Section) -> String {
    let project = section.project.as_deref().unwrap_or("(unnamed project)");
    match (&section.profile, &section.file) {
        (Some(profile), Some(file)) => format!("{project}, profile `{profile}` ({file})"),
        (None, Some(file)) => format!("{project} ({file}), no committed profile"),
        _ => project.to_owned(),
    }
}

pub(crate) fn render(report: &Report, color: bool) -> String {
    if report.sections.is_empty() {
        return "No dbt project or profile found.\n".to_owned();
    }
    let mut out = String::new();
    for section in &report.sections {
        out.push_str(&heading(section));
        out.push_str("\n\n");
        out.push_str(&table(section, color));
        out.push('\n');
    }
    if !report.other_codes.is_empty() {
        out.push_str(&format!(
            "Also found, in no one environment: {}\n",
            report.other_codes.join(", ")
        ));
    }
    out.push_str("`dbt-envlint check` shows each finding with its place and fix.\n");
    out
}

fn table(section: &Section, color: bool) -> String {
    let mut lines: Vec<[String; 5]> =
        vec![["environment", "aspect", "status", "codes", "what holds"].map(str::to_owned)];
    let mut statuses = vec![None];
    for row in &section.rows {
        let mut first = true;
        for aspect in Aspect::ALL {
            let Some(cell) = row.cell(aspect) else {
                continue;
            };
            let environment = if first { row.environment.as_str() } else { "" };
            first = false;
            lines.push([
                environment.to_owned(),
                aspect.title().to_owned(),
                cell.status.as_str().to_owned(),
                cell.codes.join(", "),
                cell.text.clone(),
            ]);
            statuses.push(Some(cell.status));
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (line, status) in lines.iter().zip(statuses) {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(c, text)| {
                let padded = format!(
                    "{text}{}",
                    " ".repeat(widths[c].saturating_sub(text.chars().count()))
                );
                match status {
                    Some(status) if color && (c == 2 || c == 3) => {
                        format!("{}{padded}{RESET}", colour(status))
                    }
                    _ => padded,
                }
            })
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
