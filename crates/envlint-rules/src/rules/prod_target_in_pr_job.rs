//! ENV301 prod-target-in-pr-job: a job a pull request can run uses the prod target.

use envlint_model::ci_targets;
use envlint_model::ci_view::{self, Contexts};
use envlint_parser::ci::Provider;
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
    /// The same outside CI files: a dbt Cloud job declared in Terraform (`dbtcloud_job`)
    /// triggered by the pull-request webhook whose commands or `target_name` use the prod
    /// target, and a Databricks Asset Bundle job deployed by a `mode: development` bundle
    /// target (run with a developer's own identity) whose `dbt_task` commands use it.
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
        let views = ci_view::jobs(cx.repo, cx.policy)
            .into_iter()
            .chain(ci_view::orchestrated_jobs(cx.repo, cx.policy));
        for view in views {
            let contexts = view.contexts;
            if !(contexts.pull_request || contexts.development) || contexts.unknown {
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
                let Circumstances {
                    when,
                    help,
                    job,
                    trigger,
                } = circumstances(view.ci.provider, contexts);
                let message = format!(
                    "{} `{}` runs `dbt {}` with prod target `{name}` {when}",
                    job_kind(view.ci.provider),
                    view.job.id,
                    call.command
                );
                let mut diag = cx
                    .diagnostic(message, span, "prod target")
                    .with_help(help)
                    .with_related(view.job.id_span, job);
                if let Some(on) = view.job.triggers.as_ref().unwrap_or(&view.ci.triggers).span {
                    diag = diag.with_related(on, trigger);
                }
                cx.report(diag);
            }
        }
    }
}

fn job_kind(provider: Provider) -> &'static str {
    match provider {
        Provider::GitHub | Provider::GitLab => "job",
        Provider::DbtCloud => "dbt Cloud job",
        Provider::DatabricksBundle => "bundle job",
    }
}

/// When the job runs, the help for its kind, and the labels of the job and its trigger.
struct Circumstances {
    when: &'static str,
    help: &'static str,
    job: &'static str,
    trigger: &'static str,
}

fn circumstances(provider: Provider, contexts: Contexts) -> Circumstances {
    match provider {
        _ if contexts.development => Circumstances {
            when: "when a developer deploys the bundle in development mode",
            help: "use the dev target in the development bundle target (`--target ${bundle.target}` with a dbt target of the same name), and the prod target only in the production bundle target",
            job: "deployed by a development bundle target",
            trigger: "runs as the developer who deploys it",
        },
        Provider::DbtCloud => Circumstances {
            when: "on pull requests",
            help: "run pull-request jobs with a CI target name (`target_name = \"ci\"`) and keep the prod target for jobs on the deploy branch",
            job: "job the pull-request webhook runs",
            trigger: "triggered by pull requests",
        },
        _ => Circumstances {
            when: "on pull requests",
            help: "restrict the job to the deploy branch (`if: github.event_name == 'push' && github.ref == 'refs/heads/main'`) or build PRs with the CI target",
            job: "job a pull request runs",
            trigger: "triggered by pull requests",
        },
    }
}
