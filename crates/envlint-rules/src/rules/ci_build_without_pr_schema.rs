//! ENV303 ci-build-without-pr-schema: a PR job builds without making the schema per-PR.

use std::collections::BTreeSet;

use envlint_parser::Part;

use crate::ci_view::{self, env_value, is_per_run};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// For each pull-request job that runs a writing dbt command (`build`, `run`, `seed`,
    /// `snapshot`) with a CI target, looks up the variables that target's `schema` (and
    /// `database`) read, e.g. `DBT_SCHEMA` in `schema: "{{ env_var('DBT_SCHEMA') }}"`, and
    /// flags each one the job does not set from the PR number or run id
    /// (`github.event.number`, `github.event.pull_request.number`, `github.run_id`,
    /// `CI_MERGE_REQUEST_IID`, ...) in the command, the step, the job, the workflow or an
    /// earlier `export`/`$GITHUB_ENV` line. A location with a part that cannot be evaluated
    /// statically (`var('schema_id')`, set with `--vars`) may be the per-run one: no finding.
    ///
    /// ## Why is this bad?
    /// Without it every pull request builds into the same schema (or the variable's
    /// fallback): concurrent PRs overwrite each other and the teardown of one drops
    /// another's tables.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   build:
    ///     steps:
    ///       - run: dbt build --target ci
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jobs:
    ///   build:
    ///     env:
    ///       DBT_SCHEMA: pr_${{ github.event.pull_request.number }}
    ///     steps:
    ///       - run: dbt build --target ci
    /// ```
    pub struct CiBuildWithoutPrSchema;
    code = "ENV303", name = "ci-build-without-pr-schema", severity = Error,
    summary = "a PR job builds without passing a per-PR schema/number",
}

impl Rule for CiBuildWithoutPrSchema {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for view in ci_view::jobs(cx.repo, cx.policy) {
            let c = view.contexts;
            if !c.pull_request || c.pr_closed_only || c.unknown {
                continue;
            }
            let mut reported = BTreeSet::new();
            for (step, call) in view.job.dbt_calls() {
                if !call.writes()
                    || !matches!(call.command.as_str(), "build" | "run" | "seed" | "snapshot")
                {
                    continue;
                }
                let Some(name) = ci_view::call_target(&view, step, call) else {
                    continue;
                };
                let Some((Environment::Ci, target)) = ci_view::find_target(cx.profiles, &name)
                else {
                    continue;
                };
                let vars: Vec<(&envlint_parser::Field, &envlint_parser::EnvRef)> =
                    [&target.schema, &target.database]
                        .into_iter()
                        .flatten()
                        .flat_map(|field| {
                            field.value.parts.iter().filter_map(move |part| match part {
                                Part::Env(env) => Some((field, env)),
                                _ => None,
                            })
                        })
                        .collect();
                // One variable set per run (the schema's, or the database's) is enough, and a
                // part we cannot evaluate (`var('schema_id')` from `--vars`) may be it.
                let per_run = vars.iter().any(|(_, env)| {
                    env_value(&view, step, call, &env.name).is_some_and(|v| is_per_run(&v.value))
                });
                let opaque = [&target.schema, &target.database]
                    .into_iter()
                    .flatten()
                    .any(|field| field.value.has_opaque());
                if per_run || opaque {
                    continue;
                }
                for (field, env) in vars {
                    if !reported.insert(env.name.clone()) {
                        continue;
                    }
                    let diag = match env_value(&view, step, call, &env.name) {
                        Some(var) => cx.diagnostic(
                            format!(
                                "`{}` is set to `{}` for every pull request",
                                env.name, var.value
                            ),
                            var.span,
                            "not per pull request",
                        ),
                        None => {
                            let fallback = env.default.as_ref().map_or_else(String::new, |d| {
                                format!(", so every pull request builds into `{d}`")
                            });
                            cx.diagnostic(
                                    format!("job `{}` does not set `{}`, which ci target `{name}` reads{fallback}", view.job.id, env.name),
                                    call.span,
                                    "PR build",
                                )
                        }
                    };
                    let diag = diag
                            .with_help(format!("set `{}: pr_${{{{ github.event.pull_request.number }}}}` in the job's `env:`", env.name))
                            .with_related(field.value_span(env.span.clone()), "the CI schema reads it");
                    cx.report(diag);
                }
            }
        }
    }
}
