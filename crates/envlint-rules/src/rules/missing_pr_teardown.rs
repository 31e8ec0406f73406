//! ENV304 missing-pr-teardown: PR schemas are built but nothing drops them on close.

use super::support::{
    literal_prefix, per_run_location, per_run_macro_variable, report_undefined_operations,
    scaffold_drops, with_scaffold,
};
use envlint_model::ci_targets;
use envlint_model::ci_view::is_per_run;
use envlint_model::ci_view::{self, drops_schemas};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// When a pull-request job builds with a CI target whose schema (or database) is made per
    /// run (it reads a run's number, `pr_{{ env_var('PR_NUMBER') }}`, or a variable CI sets
    /// from `github.event.number`), or that sets such a variable for the project's naming
    /// macros (a per-PR schema suffix), requires a job that runs when the
    /// pull request closes, merged or not (`pull_request: types: [closed]`, a GitLab stop job
    /// of the review environment), or a step of the PR job itself, that drops schemas (a
    /// `dbt run-operation` whose macro drops/cleans, a `DROP SCHEMA`, `bq rm -d`). Flags the
    /// PR build when there is none. A CI target with one fixed schema creates nothing to
    /// drop (ENV103 reports that it is not per run). A teardown guarded by `merged == true` does not count:
    /// the schemas of pull requests closed without merging stay behind. A teardown that
    /// runs a macro no macro file of the project defines (and no package could) is flagged
    /// at that `run-operation`.
    ///
    /// ## Why is this bad?
    /// Every pull request leaves its `pr_<number>` schema behind: storage and compute bills
    /// grow, and stale PR schemas get mistaken for real data ("lots and lots" of leftover
    /// schemas, dbt-core#3189).
    ///
    /// ## Example
    /// A `pull_request` workflow running `dbt build --target ci` with `DBT_SCHEMA:
    /// pr_${{ github.event.number }}`, and nothing else.
    ///
    /// ## Use instead
    /// ```yaml
    /// on:
    ///   pull_request:
    ///     types: [closed]
    /// jobs:
    ///   teardown:
    ///     env:
    ///       DBT_SCHEMA: pr_${{ github.event.number }}
    ///     steps:
    ///       - run: dbt run-operation drop_schema --args "{schema: $DBT_SCHEMA}" --target ci
    /// ```
    pub struct MissingPrTeardown;
    code = "ENV304", name = "missing-pr-teardown", severity = Warning,
    summary = "no `pull_request: closed` job drops the PR schema",
}

impl MissingPrTeardown {
    fn run(&self, cx: &mut Context<'_>) {
        let views = ci_view::jobs(cx.repo, cx.policy);
        // A drop counts when it runs for every closed pull request (not only merged ones),
        // or inside the PR job itself (an `if: always()` step at the end of the build).
        let teardowns: Vec<&ci_view::JobView<'_>> = views
            .iter()
            .filter(|v| {
                let triggers = v.job.triggers.as_ref().unwrap_or(&v.ci.triggers);
                let closes = v.contexts.pr_closed_only
                    || (triggers.on_pr_close() && !v.job.guard.merged_only);
                (closes && v.job.steps.iter().any(drops_schemas)) || ci_view::drops_after_build(v)
            })
            .collect();
        if !teardowns.is_empty() {
            for teardown in teardowns {
                check_teardown_macros(cx, teardown);
            }
            return;
        }
        // A per-run variable the project's naming macros read (a schema suffix).
        let macro_variable = per_run_macro_variable(cx.repo).map(|(_, name)| name);
        let sets_macro_variable = |v: &ci_view::JobView<'_>, step, call| {
            macro_variable.as_deref().is_some_and(|name| {
                ci_view::env_value(v, step, call, name).is_some_and(|var| is_per_run(&var.value))
            })
        };
        let build = views
            .iter()
            .filter(|v| v.contexts.pull_request && !v.contexts.pr_closed_only)
            .find_map(|v| {
                v.job
                    .dbt_calls()
                    .find(|(step, call)| {
                        let per_run_target = ci_view::call_target(v, step, call).is_some_and(|t| {
                            ci_targets::find_target(cx.profiles, &t).is_some_and(|(env, target)| {
                                env == Environment::Ci
                                    && per_run_location(cx.repo, env, target).is_some()
                            })
                        });
                        ci_view::builds(call)
                            && (per_run_target || sets_macro_variable(v, step, call))
                    })
                    .map(|(step, call)| (v, step, call))
            });
        if let Some((view, step, call)) = build {
            // The scaffold's teardown drops `pr_<number>`: it fits a location that starts
            // with the variable or with `pr_`, and a naming macro's variable it sets.
            let location = ci_view::call_target(view, step, call)
                .and_then(|t| ci_targets::find_target(cx.profiles, &t))
                .and_then(|(env, target)| per_run_location(cx.repo, env, target));
            let scaffold_fits = location.is_none_or(|field| {
                scaffold_drops(Environment::Ci, literal_prefix(&field.value).as_deref())
            });
            let help = "add a workflow on `pull_request: types: [closed]` that drops the same schema";
            let diag = cx
                .diagnostic(
                    format!("job `{}` builds a schema per pull request, but no job drops it when the pull request closes", view.job.id),
                    call.span,
                    "PR build",
                )
                .with_help(if scaffold_fits {
                    with_scaffold(help, cx.repo, |on| {
                        on.pull_request
                            .as_ref()
                            .is_some_and(|types| types.iter().any(|t| t == "closed"))
                    })
                } else {
                    help.to_owned()
                })
                .with_related(view.job.id_span, "pull-request job");
            cx.report(diag);
        }
    }
}

/// A teardown that runs a macro no macro file defines drops nothing: it fails on every
/// closed pull request.
fn check_teardown_macros(cx: &mut Context<'_>, view: &ci_view::JobView<'_>) {
    let calls = view
        .job
        .steps
        .iter()
        .filter(|s| drops_schemas(s))
        .filter_map(|s| s.script.as_ref())
        .flat_map(|s| s.dbt.iter());
    report_undefined_operations(
        cx,
        calls,
        &format!("teardown job `{}`", view.job.id),
        ", so it drops no pull-request schema",
        "run the macro that drops the PR schema",
    );
}
