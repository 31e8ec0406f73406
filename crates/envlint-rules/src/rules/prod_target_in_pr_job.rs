//! ENV301 prod-target-in-pr-job: a job a pull request can run uses the prod target.

use envlint_model::ci_targets;
use envlint_model::ci_view;
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a dbt invocation that connects to the warehouse (everything but `deps`, `parse`
    /// and `ls`) with a prod target (`--target prod`, `-t prod`, or
    /// `DBT_TARGET=prod` in the command, the step, the job or the workflow) in a CI job that
    /// a pull request can run: a workflow triggered by `pull_request` or
    /// `pull_request_target` whose job is not restricted by its `if:` to pushes, to the
    /// deploy branch or to merged pull requests. Jobs whose `if:` dbt-envlint does not
    /// understand are left alone.
    ///
    /// ## Why is this bad?
    /// Any pull request, with its unreviewed SQL, then writes production. Prod is written
    /// only from CI on `main`, after review.
    ///
    /// ## Example
    /// ```yaml
    /// on: [push, pull_request]
    /// jobs:
    ///   build:
    ///     steps:
    ///       - run: dbt build --target prod
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jobs:
    ///   build:
    ///     if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    ///     steps:
    ///       - run: dbt build --target prod
    /// ```
    pub struct ProdTargetInPrJob;
    code = "ENV301", name = "prod-target-in-pr-job", severity = Error,
    summary = "`--target prod` (or `DBT_TARGET=prod`) in a job a pull request can run",
}

impl ProdTargetInPrJob {
    fn run(&self, cx: &mut Context<'_>) {
        let mut reported = std::collections::BTreeSet::new();
        for view in ci_view::jobs(cx.repo, cx.policy) {
            if !view.contexts.pull_request || view.contexts.unknown {
                continue;
            }
            for (step, call) in view.job.dbt_calls() {
                let offline = ["deps", "parse", "ls", "list"].contains(&call.command.as_str());
                if offline
                    || step.guard.excludes_pull_requests
                    || step.guard.unknown
                    || step.guard.never
                {
                    continue;
                }
                let Some((name, span)) = ci_view::call_target_at(&view, step, call) else {
                    continue;
                };
                if ci_targets::target_environment(cx.profiles, cx.policy, &name)
                    != Some(Environment::Prod)
                    || !reported.insert(span)
                {
                    continue;
                }
                let mut diag = cx
                    .diagnostic(
                        format!("job `{}` runs `dbt {}` with prod target `{name}` on pull requests", view.job.id, call.command),
                        span,
                        "prod target",
                    )
                    .with_help("restrict the job to the deploy branch (`if: github.event_name == 'push' && github.ref == 'refs/heads/main'`) or build PRs with the CI target")
                    .with_related(view.job.id_span, "job a pull request runs");
                if let Some(on) = view.job.triggers.as_ref().unwrap_or(&view.ci.triggers).span {
                    diag = diag.with_related(on, "triggered by pull requests");
                }
                cx.report(diag);
            }
        }
    }
}
