//! `dbt-envlint check`: load the repository, run the rules (fixing with `--fix`), render,
//! choose the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use envlint_diagnostics::{Applicability, Severity, escape_line};
use envlint_parser::{LoadOptions, Suppressions};
use envlint_rules::{Selection, registry};

use crate::args::{CheckArgs, FailOn, Format, ReportFormat};
use crate::fix::{self, Lint};
use crate::load;
use crate::notices;
use crate::output::{self, RunCounts, Style};
use crate::report;

pub(crate) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let options = load::options(&(&args.common).into())?;
    if args.show_settings {
        let repo = envlint_parser::load(&options);
        load::something_checked(&repo, &options)?;
        out.write_all(crate::settings::render(&repo).as_bytes())
            .map_err(|e| format!("cannot write the settings: {e}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let selection = Selection {
        select: resolve_rules(&args.select)?,
        ignore: resolve_rules(&args.ignore)?,
    };
    let lint = |options: &LoadOptions| {
        let mut repo = envlint_parser::load(options);
        if args.no_suppressions {
            repo.suppressions = Suppressions::default();
        }
        let outcome = envlint_rules::check(&repo, &selection);
        Lint { repo, outcome }
    };
    let fix_level = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let (result, fixed) = if args.fix || args.diff {
        let fixed = fix::fix_until_stable(&options, fix_level, lint);
        load::something_checked(&fixed.last.repo, &options)?;
        if args.diff {
            return show_diff(&fixed, out);
        }
        fix::write_all(&fixed.changes, &options)?;
        (fixed.last, fixed.fixed)
    } else {
        let result = lint(&options);
        load::something_checked(&result.repo, &options)?;
        (result, 0)
    };
    let Lint { repo, outcome } = result;
    let notices = notices::of(&repo);
    if !args.quiet && args.format != Format::Github {
        // GitHub's `::notice` commands carry them; elsewhere stderr keeps stdout parseable.
        let mut stderr = std::io::stderr().lock();
        for notice in &notices {
            let _ = writeln!(stderr, "note: {}", escape_line(&notice.message));
        }
    }
    let to_terminal = args.common.output_file.is_none() && std::io::stdout().is_terminal();
    let style = Style {
        color: output::colored(args.common.color_when(), to_terminal),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
        quiet: args.quiet,
        fix_level,
    };
    let counts = RunCounts {
        suppressed: outcome.suppressed,
        fixed,
    };
    let diagnostics = &outcome.diagnostics;
    let sarif = || output::sarif::render(&repo.db, diagnostics, &notices, &options.display_base);
    let rendered = match args.format {
        Format::Json if args.statistics => output::statistics::json(diagnostics, fix_level),
        _ if args.statistics => output::statistics::text(&repo.db, diagnostics, counts, style),
        Format::Human => output::human::render(&repo.db, diagnostics, counts, style),
        Format::Concise => output::concise::render(&repo.db, diagnostics, counts, style),
        Format::Json => output::json::render(&repo.db, diagnostics, &notices, counts),
        Format::Sarif => sarif(),
        Format::Github => output::github::render(&repo.db, diagnostics, &notices, counts, style),
        Format::Junit => output::junit::render(&repo.db, diagnostics, &notices),
        Format::Gitlab => output::gitlab::render(&repo.db, diagnostics),
    };
    // Secrets are masked where they stand (snippets); a secret quoted elsewhere (a
    // schema that is also a password) is masked here, wherever it occurs.
    let rendered = repo.db.mask_known(&rendered);
    out.write_all(rendered.as_bytes())
        .map_err(|e| e.to_string())?;
    if let Some(file) = &args.sarif_file {
        let log = repo.db.mask_known(&sarif());
        crate::output_file::write_atomically(file, log.as_bytes(), "--sarif-file")?;
    }
    if let Some(file) = &args.report_markdown {
        append_report(file, &repo, &outcome)?;
    }
    if outcome.policy.unusable || diagnostics.iter().any(|d| d.code == "ENV002") {
        return Ok(ExitCode::from(2));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let findings_fail =
        !args.exit_zero && (args.format != Format::Sarif || args.exit_non_zero_on_findings);
    Ok(
        if findings_fail && diagnostics.iter().any(|d| d.severity >= threshold) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// `--report-markdown FILE`: the Markdown report of this run, appended (a job summary file
/// collects every step's).
fn append_report(
    file: &std::path::Path,
    repo: &envlint_parser::Repository,
    outcome: &envlint_rules::Outcome,
) -> Result<(), String> {
    let text = report::render(repo, outcome, ReportFormat::Markdown, false);
    let mut summary = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(|e| format!("cannot write the report to {}: {e}", file.display()))?;
    summary
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the report to {}: {e}", file.display()))
}

/// `--diff`: every change `--fix` would make, secrets masked; exit 1 when there is one.
fn show_diff(fixed: &fix::Fixed, out: &mut dyn Write) -> Result<ExitCode, String> {
    let text: String = fixed
        .changes
        .iter()
        .map(|c| output::diff::unified(&c.display, &c.before_shown, &c.after_shown))
        .collect();
    let text = fixed.last.repo.db.mask_known(&text);
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    // On stderr, so that stdout stays a patch.
    let findings = if fixed.fixed == 1 {
        "finding"
    } else {
        "findings"
    };
    let said = if fixed.changes.is_empty() {
        "Nothing to fix.".to_owned()
    } else {
        format!("Would fix {} {findings}.", fixed.fixed)
    };
    let _ = writeln!(std::io::stderr(), "{said}");
    Ok(if fixed.changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Rule codes for `--select`/`--ignore` values; an unknown rule is a usage error.
fn resolve_rules(values: &[String]) -> Result<Vec<&'static str>, String> {
    values
        .iter()
        .map(|value| {
            registry::find(value.trim()).map(|m| m.code).ok_or_else(|| {
                let hint = registry::suggest(value)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                format!("unknown rule `{value}`{hint}; `dbt-envlint rules` lists them")
            })
        })
        .collect()
}
