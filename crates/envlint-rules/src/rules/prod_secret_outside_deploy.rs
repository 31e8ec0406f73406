//! ENV302 prod-secret-outside-deploy: a prod secret reaches a job that is not the deploy.

use std::collections::BTreeSet;

use envlint_parser::ci::{EnvVar, secret_refs_in};

use super::support::prod_credential_vars;
use envlint_model::ci_targets;
use envlint_model::ci_view::{self, JobView};
use crate::context::Context;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Finds the prod secrets of the repository's CI (secrets the policy reserves for prod,
    /// `*_PROD`/`PROD_*` in the presets, and secrets that a deploy job, or any job that
    /// builds the prod target, maps into the variables the prod target's credentials read
    /// outside a GitHub Environment) and flags
    /// each place one reaches a job that is not a deploy job, once per secret and job:
    /// - a reference in a job a pull request, a manual dispatch from any branch or a push to
    ///   another branch can run, unless the job is behind a prod `environment:`;
    /// - a reference in workflow-level `env:`, which every job of the workflow holds;
    /// - `secrets: inherit` into a reusable workflow from such a job, when the repository has
    ///   a prod secret that is not scoped to a GitHub Environment (a job with
    ///   `environment: dev` cannot read the `production` environment's secrets).
    ///
    /// A secret that a deploy job reads inside a GitHub Environment may have a value of its
    /// own there, so its name alone does not make it prod's elsewhere.
    ///
    /// Scheduled jobs (they run on the default branch) and merged-PR jobs count as deploy
    /// jobs; jobs whose `if:` is not understood are left alone.
    ///
    /// ## Why is this bad?
    /// Production credentials never leave CI on `main`. A pull-request job can be changed by
    /// the pull request itself: anyone who can open one can print, use or exfiltrate the
    /// prod token.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request
    /// env:
    ///   MOTHERDUCK_TOKEN_PROD: ${{ secrets.MOTHERDUCK_TOKEN_PROD }}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// on: {push: {branches: [main]}}
    /// jobs:
    ///   deploy:
    ///     environment: production
    ///     env:
    ///       MOTHERDUCK_TOKEN_PROD: ${{ secrets.MOTHERDUCK_TOKEN_PROD }}
    /// ```
    pub struct ProdSecretOutsideDeploy;
    code = "ENV302", name = "prod-secret-outside-deploy", severity = Error,
    summary = "a prod secret in a job not restricted to the deploy branch/protected environment, or in workflow-level `env:`",
}

impl ProdSecretOutsideDeploy {
    fn run(&self, cx: &mut Context<'_>) {
        let views = ci_view::jobs(cx.repo, cx.policy);
        let prod = prod_secrets(cx, &views);
        let is_prod = |name: &str| prod.contains(name) || cx.policy.is_prod_credential(name);
        for ci in &cx.repo.ci {
            let exposed: Vec<&JobView<'_>> = views
                .iter()
                .filter(|v| std::ptr::eq(v.ci, ci) && !v.contexts.deploy && !v.contexts.unknown)
                .collect();
            let Some(first) = exposed.first() else {
                continue;
            };
            for var in &ci.env {
                for secret in secret_refs_in(&cx.repo.db, var.span)
                    .into_iter()
                    .filter(|s| is_prod(&s.name))
                {
                    let message = format!(
                        "prod secret `{}` is in workflow-level `env:`, so every job holds it, `{}` included",
                        secret.name, first.job.id
                    );
                    let diag = cx
                        .diagnostic(message, secret.span, "every job of the workflow")
                        .with_help("move it to the `env:` of the deploy job, behind `environment: production`")
                        .with_related(first.job.id_span, "not a deploy job");
                    cx.report(diag);
                }
            }
        }
        let inheritable = views.iter().any(|v| {
            v.job.environment.is_none()
                && v.job
                    .secret_refs(&cx.repo.db, v.ci.provider, |_| false)
                    .iter()
                    .any(|s| is_prod(&s.name))
        });
        for view in views
            .iter()
            .filter(|v| !v.contexts.deploy && !v.contexts.unknown)
        {
            let reach = reach(&view.contexts);
            // A step whose own guard keeps pull requests out runs where the deploy does.
            let skip = |step: &envlint_parser::ci::Step| {
                let guard = &step.guard;
                guard.never
                    || guard.unknown
                    || (guard.excludes_pull_requests && !view.contexts.manual)
            };
            let mut seen = BTreeSet::new();
            for secret in view
                .job
                .secret_refs(&cx.repo.db, view.ci.provider, skip)
                .into_iter()
                .filter(|s| is_prod(&s.name))
            {
                if !seen.insert(secret.name.clone()) {
                    continue;
                }
                let diag = cx
                    .diagnostic(
                        format!("prod secret `{}` is used by job `{}`, which {reach}", secret.name, view.job.id),
                        secret.span,
                        "prod secret",
                    )
                    .with_help("use prod secrets only in the deploy job: on push to the deploy branch, behind `environment: production`")
                    .with_related(view.job.id_span, "not a deploy job");
                cx.report(diag);
            }
            if let Some(span) = view.job.secrets_inherit.filter(|_| inheritable) {
                let called = view
                    .job
                    .uses
                    .as_ref()
                    .map_or("the reusable workflow", |(u, _)| u.as_str());
                let diag = cx
                    .diagnostic(
                        format!("job `{}` passes every secret, prod's included, to `{called}`, and {reach}", view.job.id),
                        span,
                        "all secrets",
                    )
                    .with_help("pass only the secrets the called workflow needs (`secrets: {NAME: ...}`)")
                    .with_related(view.job.id_span, "not a deploy job");
                cx.report(diag);
            }
        }
    }
}

/// Why a job is not a deploy job, for the message.
fn reach(contexts: &ci_view::Contexts) -> &'static str {
    if contexts.pull_request {
        "pull requests run"
    } else if contexts.manual {
        "anyone can dispatch from any branch"
    } else {
        "pushes to other branches run"
    }
}

/// Secrets that deploy jobs, or jobs that build prod, outside a GitHub Environment assign to
/// the variables the prod target's credentials read (inside one, the same name may hold the environment's own value).
fn prod_secrets(cx: &Context<'_>, views: &[JobView<'_>]) -> BTreeSet<String> {
    let prod_vars: BTreeSet<String> = prod_credential_vars(cx.profiles)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut secrets = BTreeSet::new();
    let mut visit = |vars: &[EnvVar]| {
        for var in vars
            .iter()
            .filter(|v| prod_vars.contains(&v.name.to_ascii_uppercase()))
        {
            secrets.extend(
                secret_refs_in(&cx.repo.db, var.span)
                    .into_iter()
                    .map(|s| s.name),
            );
        }
    };
    let runs = |v: &JobView<'_>, prod: bool| {
        v.job.dbt_calls().any(|(step, call)| {
            ci_view::call_target(v, step, call)
                .and_then(|t| ci_targets::target_environment(cx.profiles, cx.policy, &t))
                .is_some_and(|env| (env == envlint_model::environment::Environment::Prod) == prod)
        })
    };
    // A deploy job, or any job that builds prod (a manual run too); a scheduled cleanup
    // with `--target ci` is no deploy of prod.
    for view in views.iter().filter(|v| {
        (v.contexts.deploy || runs(v, true)) && v.job.environment.is_none() && !runs(v, false)
    }) {
        visit(&view.ci.env);
        visit(&view.job.env);
        for step in &view.job.steps {
            visit(&step.env);
        }
    }
    secrets
}
