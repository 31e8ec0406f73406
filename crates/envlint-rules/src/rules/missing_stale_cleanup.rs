//! ENV305 missing-stale-cleanup: no scheduled job drops stale dev and PR schemas.

use crate::ci_view::{self, drops_schemas};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// In a repository with CI definitions and dev or CI targets that write to a shared
    /// warehouse, requires a scheduled job (`on: schedule`, GitLab `schedules`) that drops
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
        let Some(first) = cx.repo.ci.first() else {
            return;
        };
        let views = ci_view::jobs(cx.repo, cx.policy);
        if views
            .iter()
            .any(|v| v.contexts.scheduled && v.job.steps.iter().any(drops_schemas))
        {
            return;
        }
        let shared: Vec<_> = cx
            .profiles
            .iter()
            .flat_map(|p| p.non_prod())
            .filter(|(_, t)| !t.is_machine_local())
            .collect();
        let Some((env, target)) = shared.first() else {
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
        let span = first
            .triggers
            .span
            .unwrap_or(first.jobs.first().map_or(target.name_span, |j| j.id_span));
        let diag = cx
            .diagnostic(format!("no scheduled CI job drops stale dev or PR schemas{policy}"), span, "CI defined here")
            .with_help("add a nightly workflow that drops `dev_*` and `pr_*` schemas older than the policy's ages")
            .with_related(target.name_span, format!("{env} target writing to the shared warehouse"));
        cx.report(diag);
    }
}
