//! `dbt-envlint report`: the dev / CI / prod contract at a glance. Runs the check once, then
//! shows, per profile and environment, what holds, what breaks (with the finding codes) and
//! what the repository gave nothing to check.

mod build;
mod cells;
mod findings;
mod human;
mod json;
mod markdown;
mod mermaid;
mod model;
mod placement;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use envlint_parser::Repository;
use envlint_rules::{Outcome, Selection};

use crate::args::{ReportArgs, ReportFormat};
use crate::{load, output};

pub(crate) fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let options = load::options(&load::Inputs::from(&args.common))?;
    let repo = envlint_parser::load(&options);
    let outcome = envlint_rules::check(&repo, &Selection::default());
    let color = output::colored(args.common.color_when(), std::io::stdout().is_terminal());
    let text = render(&repo, &outcome, args.format, color);
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(if outcome.policy.unusable {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The report of a check that already ran, secrets masked.
pub(crate) fn render(
    repo: &Repository,
    outcome: &Outcome,
    format: ReportFormat,
    color: bool,
) -> String {
    let report = build::build(repo, outcome);
    let text = match format {
        ReportFormat::Human => human::render(&report, color),
        ReportFormat::Markdown => markdown::render(&report),
        ReportFormat::Json => json::render(&report),
    };
    repo.db.mask_known(&text)
}
