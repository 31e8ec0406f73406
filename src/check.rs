//! `dbt-envlint check`: load the repository, run the rules, render, choose the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use envlint_diagnostics::Severity;
use envlint_rules::policy::did_you_mean;
use envlint_rules::{Selection, registry};

use crate::args::{CheckArgs, FailOn, Format};
use crate::load;
use crate::output::{self, Style};

pub(crate) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let options = load::options(&load::Inputs {
        paths: &args.paths,
        policy: args.policy.as_ref(),
        profiles_dir: args.profiles_dir.as_ref(),
        user_profiles: args.user_profiles,
    })?;
    let selection = Selection {
        select: resolve_rules(&args.select)?,
        ignore: resolve_rules(&args.ignore)?,
    };
    let repo = envlint_parser::load(&options);
    if !args.quiet {
        note_missing_profiles(&repo);
    }
    let outcome = envlint_rules::check(&repo, &selection);
    let style = Style {
        color: !args.no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stdout().is_terminal(),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
        quiet: args.quiet,
    };
    let rendered = match args.format {
        Format::Human => output::human::render(&repo.db, &outcome.diagnostics, style),
        Format::Concise => output::concise::render(&repo.db, &outcome.diagnostics, style),
        Format::Json => output::json::render(&repo.db, &outcome.diagnostics),
        Format::Sarif => {
            output::sarif::render(&repo.db, &outcome.diagnostics, &options.display_base)
        }
        Format::Github => output::github::render(&repo.db, &outcome.diagnostics, style),
        Format::Junit => output::junit::render(&repo.db, &outcome.diagnostics),
    };
    out.write_all(rendered.as_bytes())
        .map_err(|e| e.to_string())?;
    if outcome.diagnostics.iter().any(|d| d.code == "ENV002") {
        return Ok(ExitCode::from(2));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let findings_fail = args.format != Format::Sarif || args.exit_non_zero_on_findings;
    Ok(
        if findings_fail && outcome.diagnostics.iter().any(|d| d.severity >= threshold) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Rule codes for `--select`/`--ignore` values; an unknown rule is a usage error.
fn resolve_rules(values: &[String]) -> Result<Vec<&'static str>, String> {
    values
        .iter()
        .map(|value| {
            registry::find(value.trim()).map(|m| m.code).ok_or_else(|| {
                let names = registry::all()
                    .iter()
                    .flat_map(|r| [r.meta().code, r.meta().name]);
                let hint = did_you_mean(value, names)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                format!("unknown rule `{value}`{hint}; `dbt-envlint rules` lists them")
            })
        })
        .collect()
}

/// Says on stderr which projects' profiles were not found, so nothing is silently unchecked.
fn note_missing_profiles(repo: &envlint_parser::Repository) {
    let defined: Vec<&str> = repo
        .profiles
        .iter()
        .flat_map(|f| f.profiles.iter().map(|p| p.name.as_str()))
        .collect();
    let mut stderr = std::io::stderr().lock();
    for entry in &repo.projects {
        let Some(profile) = entry.project.profile_name() else {
            continue;
        };
        if !defined.contains(&profile.as_str()) {
            let _ = writeln!(
                stderr,
                "note: profile `{profile}` of {} was not found; pass --profiles-dir or --user-profiles to check it",
                repo.db.path(entry.project.file).display()
            );
        }
    }
}
