//! ENV305 missing-stale-cleanup: no scheduled job drops stale dev and PR schemas.

use std::sync::LazyLock;

use envlint_parser::ci::Step;
use regex::Regex;

use super::support::{
    code_list, describe, per_run_location, per_run_macro_variable, report_undefined_operations,
    with_scaffold, literal_prefix, scaffold_drops,
};
use envlint_model::ci_targets;
use envlint_model::ci_view::{self, JobView, drops_schemas};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// In a repository whose CI runs dbt and whose dev or CI targets create a schema per
    /// person or per run in a shared warehouse (a dev `schema:` or `database:` that reads a
    /// person's variable, such as `dev_{{ env_var('USER') }}`; a CI one that reads a run's
    /// number, `pr_{{ env_var('PR_NUMBER') }}`, or a variable CI sets from
    /// `github.event.number`, or a naming macro that reads such a variable; a variable that
    /// holds one fixed value creates nothing, nor do pull-request jobs that drop their
    /// schema in a step after the build),
    /// requires a scheduled job (`on: schedule`, GitLab `schedules`) that drops
    /// schemas: a `dbt run-operation` whose macro drops or cleans, or SQL with
    /// `DROP SCHEMA`. The policy's `cleanup:` says after how long (`dev: 30d`, `ci: 7d`).
    ///
    /// A scheduled sweep is checked too: an age it writes (`days: 365` in `--args`,
    /// `INTERVAL '365 days'`) longer than the policy's age for the prefix on that line
    /// (`dev_`, `pr_`; else the longest age) is flagged, and so is a `run-operation` of a
    /// macro that no macro file defines (when the project has no packages that could), and
    /// a dbt call whose target's location reads a variable with no default that the job
    /// does not set (dbt stops at the profile; runner variables such as `USER` count as set).
    ///
    /// ## Why is this bad?
    /// Dev schemas of people who left, PR schemas whose teardown failed: nobody drops them by
    /// hand, and "a nightly bill that creeps up because nobody drops `dev_*` schemas" is the
    /// result.
    ///
    /// ## Example
    /// CI workflows for pull requests and deploys, and none on a schedule.
    ///
    /// ## Use instead
    /// ```yaml
    /// on:
    ///   schedule:
    ///     - cron: "0 3 * * *"
    /// jobs:
    ///   cleanup:
    ///     steps:
    ///       - run: dbt run-operation drop_stale_schemas --args "{prefix: pr_, days: 7}" --target ci
    /// ```
    pub struct MissingStaleCleanup;
    code = "ENV305", name = "missing-stale-cleanup", severity = Warning,
    summary = "no scheduled job drops stale `dev_*`/`pr_*` schemas",
}

impl MissingStaleCleanup {
    fn run(&self, cx: &mut Context<'_>) {
        let views = ci_view::jobs(cx.repo, cx.policy);
        // Only a repository whose CI runs dbt keeps its cleanup there.
        let Some(dbt_job) = views.iter().find(|v| v.job.dbt_calls().next().is_some()) else {
            return;
        };
        let sweeps: Vec<(&JobView<'_>, &Step)> = views
            .iter()
            .filter(|v| v.contexts.scheduled && !v.contexts.unknown)
            .flat_map(|v| {
                v.job
                    .steps
                    .iter()
                    .filter(|s| drops_schemas(s))
                    .map(move |s| (v, s))
            })
            .collect();
        if !sweeps.is_empty() {
            for (view, step) in sweeps {
                check_sweep(cx, view, step);
            }
            return;
        }
        // Only where per-person or per-PR schemas are created is there anything to drop: in
        // a profile's location, or in a naming macro that reads a per-run variable.
        // Per-run schemas that the pull-request job drops at its end leave nothing behind.
        let torn_down_in_job = views.iter().any(ci_view::drops_after_build);
        let in_profile = cx
            .profiles
            .iter()
            .flat_map(|p| p.non_prod())
            .filter(|(env, _)| !(torn_down_in_job && *env == Environment::Ci))
            .find_map(|(env, target)| {
                let field = per_run_location(cx.repo, env, target)?;
                let (who, each) = match env {
                    Environment::Dev => ("per-person", "developer"),
                    _ => ("per-run", "pull request"),
                };
                Some((
                    format!("{} creates a {who} `{}`", describe(env, target), field.key),
                    field.text_span(),
                    format!("a new {} for each {each}", field.key),
                    Created {
                        prefix: literal_prefix(&field.value),
                        scaffold_fits: scaffold_drops(env, literal_prefix(&field.value).as_deref()),
                    },
                ))
            });
        let created = in_profile.or_else(|| {
            let macro_variable = per_run_macro_variable(cx.repo).filter(|_| !torn_down_in_job);
            macro_variable.map(|(span, name)| {
                (
                    format!("the project's macros make a schema per run from `{name}`"),
                    span,
                    "a new schema for each pull request".to_owned(),
                    // The scaffold sets the variable to `pr_<number>`.
                    Created {
                        prefix: None,
                        scaffold_fits: true,
                    },
                )
            })
        });
        let Some((what, span, label, created)) = created else {
            return;
        };
        let ages: Vec<String> = [Environment::Dev, Environment::Ci]
            .iter()
            .filter_map(|e| {
                cx.policy
                    .cleanup
                    .get(e)
                    .map(|d| format!("{e} after {}d", d.hours / 24))
            })
            .collect();
        let policy = if ages.is_empty() {
            String::new()
        } else {
            format!(" (the policy drops {})", ages.join(", "))
        };
        let diag = cx
            .diagnostic(
                format!("{what}, but no scheduled CI job drops stale ones{policy}"),
                span,
                label,
            )
            .with_help(sweep_help(created, cx.repo))
            .with_related(dbt_job.job.id_span, "CI runs dbt here, on no schedule that drops schemas");
        cx.report(diag);
    }
}

/// The help, in this repository's names: the prefix its schemas start with, and the
/// scaffold only when its sweep would drop them.
fn sweep_help(created: Created, repo: &envlint_parser::Repository) -> String {
    let object = match &created.prefix {
        Some(prefix) => format!("the `{prefix}*` schemas"),
        None => "the per-run schemas".to_owned(),
    };
    let help = format!("add a nightly workflow that drops {object} older than the policy's cleanup age");
    if created.scaffold_fits {
        with_scaffold(&help, repo, |on| on.schedule)
    } else {
        help
    }
}

/// What makes the schemas the sweep would drop: the literal prefix of their names, when
/// known, and whether `init --scaffold`'s sweep drops them.
struct Created {
    prefix: Option<String>,
    scaffold_fits: bool,
}

/// An age in days as a sweep writes it: `days: 365` in `--args`, `INTERVAL '365 days'`,
/// `INTERVAL 365 DAY`.
static AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bdays\s*[:=]\s*|\binterval\s*'?\s*)(\d{1,6})(?:\s*days?\b)?")
        .expect("valid regex")
});

/// A scheduled sweep: the ages it drops at against the policy's `cleanup:` ages (the
/// environment a line's prefix names, `dev_` or `pr_`, else the longest), and the
/// `run-operation` macros it calls against the project's macros.
fn check_sweep(cx: &mut Context<'_>, view: &JobView<'_>, step: &Step) {
    let Some(script) = &step.script else {
        return;
    };
    let text = cx
        .repo
        .db
        .get(script.span.file)
        .slice(script.span)
        .to_owned();
    let longest = cx.policy.cleanup.values().map(|d| d.hours / 24).max();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let env = if line.contains("dev_") {
            Some(Environment::Dev)
        } else if line.contains("pr_") {
            Some(Environment::Ci)
        } else {
            None
        };
        let allowed = env
            .and_then(|e| cx.policy.cleanup.get(&e).map(|d| d.hours / 24))
            .or(longest);
        for capture in AGE.captures_iter(line) {
            let (Some(number), Some(allowed)) = (capture.get(1), allowed) else {
                continue;
            };
            let Ok(days) = number.as_str().parse::<u64>() else {
                continue;
            };
            if days <= allowed {
                continue;
            }
            let start = script.span.start as usize + offset + number.start();
            let span =
                envlint_diagnostics::Span::new(script.span.file, start, start + number.len());
            let whose = env.map_or_else(|| "every".to_owned(), |e| e.to_string());
            let diag = cx
                .diagnostic(
                    format!(
                        "scheduled job `{}` drops schemas older than {days} days, but the policy drops {whose} schemas after {allowed}d",
                        view.job.id
                    ),
                    span,
                    "age of the sweep",
                )
                .with_help(format!("drop after {allowed} days, the policy's `cleanup:` age"));
            cx.report(diag);
        }
        offset += line.len();
    }
    check_sweep_macros(cx, view, script);
    check_sweep_variables(cx, view, step);
}

/// A sweep that runs dbt with a target whose schema or database reads a variable with no
/// default that the job does not set: dbt stops at the profile and drops nothing.
fn check_sweep_variables(cx: &mut Context<'_>, view: &JobView<'_>, step: &Step) {
    let Some(script) = &step.script else {
        return;
    };
    for call in &script.dbt {
        let Some((env, target)) = ci_view::call_target(view, step, call)
            .and_then(|name| ci_targets::find_target(cx.profiles, &name))
        else {
            continue;
        };
        let fields = [&target.schema, &target.database].into_iter().flatten();
        let missing: Vec<String> = fields
            .flat_map(|field| field.value.env_refs())
            .filter(|var| ci_view::missing_in_job(view, step, call, var))
            .map(|var| var.name.clone())
            .collect();
        let Some(first) = missing.first() else {
            continue;
        };
        let diag = cx
            .diagnostic(
                format!(
                    "scheduled job `{}` runs `dbt {}` with {} but does not set {}, which its location reads with no default: dbt stops with \"Env var required but not provided\" and drops nothing",
                    view.job.id,
                    call.command,
                    describe(env, target),
                    code_list(&missing)
                ),
                call.span,
                "variable not set",
            )
            .with_help(format!(
                "set `{first}` in job `{}` (any value: the sweep builds nothing there)",
                view.job.id
            ))
            .with_related(target.name_span, "the target");
        cx.report(diag);
    }
}

/// A `run-operation` of a macro no project defines: the sweep fails every night.
fn check_sweep_macros(
    cx: &mut Context<'_>,
    view: &JobView<'_>,
    script: &envlint_parser::ci::ScriptFacts,
) {
    report_undefined_operations(
        cx,
        script.dbt.iter(),
        &format!("scheduled job `{}`", view.job.id),
        "",
        "call the macro that drops stale schemas",
    );
}
