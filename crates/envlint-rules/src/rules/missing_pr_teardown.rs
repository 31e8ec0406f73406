//! ENV304 missing-pr-teardown: PR schemas are built but nothing drops them on close.

use envlint_parser::ci::Provider;

use crate::ci_view::{self, drops_schemas};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// When a GitHub Actions pull-request job builds with a CI target, requires a job that
    /// runs when the pull request closes (`pull_request: types: [closed]`) and drops schemas
    /// (a `dbt run-operation` whose macro drops/cleans, or a `DROP SCHEMA`). Flags the PR
    /// build when there is none.
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

impl Rule for MissingPrTeardown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let views = ci_view::jobs(cx.repo, cx.policy);
        let has_teardown = views.iter().any(|v| {
            let closes = v.contexts.pr_closed_only
                || v.job
                    .triggers
                    .as_ref()
                    .unwrap_or(&v.ci.triggers)
                    .on_pr_close();
            closes && v.job.steps.iter().any(drops_schemas)
        });
        if has_teardown {
            return;
        }
        let build = views
            .iter()
            .filter(|v| {
                v.ci.provider == Provider::GitHub
                    && v.contexts.pull_request
                    && !v.contexts.pr_closed_only
            })
            .find_map(|v| {
                v.job
                    .dbt_calls()
                    .find(|(step, call)| {
                        call.writes()
                            && ci_view::call_target(v, step, call).is_some_and(|t| {
                                ci_view::target_environment(cx.profiles, cx.policy, &t)
                                    == Some(Environment::Ci)
                            })
                    })
                    .map(|(_, call)| (v, call))
            });
        if let Some((view, call)) = build {
            let diag = cx
                .diagnostic(
                    format!("job `{}` builds a schema per pull request, but no job drops it when the pull request closes", view.job.id),
                    call.span,
                    "PR build",
                )
                .with_help("add a workflow on `pull_request: types: [closed]` that drops the same schema")
                .with_related(view.job.id_span, "pull-request job");
            cx.report(diag);
        }
    }
}
