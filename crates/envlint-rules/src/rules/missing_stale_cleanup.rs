//! ENV305 missing-stale-cleanup: no scheduled job drops stale dev and PR schemas.

use super::support::{describe, per_run_location, per_run_macro_variable};
use crate::ci_view::{self, drops_schemas};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

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

impl Rule for MissingStaleCleanup {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let views = ci_view::jobs(cx.repo, cx.policy);
        // Only a repository whose CI runs dbt keeps its cleanup there.
        let Some(dbt_job) = views.iter().find(|v| v.job.dbt_calls().next().is_some()) else {
            return;
        };
        if views
            .iter()
            .any(|v| v.contexts.scheduled && v.job.steps.iter().any(drops_schemas))
        {
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
                ))
            });
        let created = in_profile.or_else(|| {
            let macro_variable = per_run_macro_variable(cx.repo).filter(|_| !torn_down_in_job);
            macro_variable.map(|(span, name)| {
                (
                    format!("the project's macros make a schema per run from `{name}`"),
                    span,
                    "a new schema for each pull request".to_owned(),
                )
            })
        });
        let Some((what, span, label)) = created else {
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
            .with_help("add a nightly workflow that drops `dev_*` and `pr_*` schemas older than the policy's ages")
            .with_related(dbt_job.job.id_span, "CI runs dbt here, on no schedule that drops schemas");
        cx.report(diag);
    }
}
