//! ENV303 ci-build-without-pr-schema: a PR job builds without making the schema per-PR.

use std::collections::BTreeSet;

use envlint_parser::ci::{DbtCall, Provider, Step};
use envlint_parser::{EnvRef, Field, Part, Target};

use super::support::code_list;
use envlint_model::ci_targets;
use envlint_model::ci_view::{self, JobView, env_value, is_per_run};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

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
    /// A pull-request build with no `--target` and no `DBT_TARGET` builds the profile's
    /// default target: when that is a dev target (`target: dev`) and the profile has a CI
    /// target, it is flagged with the CI target to use.
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

impl CiBuildWithoutPrSchema {
    fn run(&self, cx: &mut Context<'_>) {
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
                    check_default_target(cx, &view, step, call);
                    continue;
                };
                let Some((Environment::Ci, target)) = ci_targets::find_target(cx.profiles, &name)
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
                if location_may_be_per_run(&view, step, call, target) {
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
                        .with_help(per_pr_help(view.ci.provider, field, env))
                        .with_related(field.value_span(env.span.clone()), "the CI schema reads it");
                    cx.report(diag);
                }
            }
        }
    }
}

/// Whether a target's location may be per run in this call: one variable it reads (the
/// schema's, or the database's) is set per run, or a part we cannot evaluate
/// (`var('schema_id')` from `--vars`) may be.
fn location_may_be_per_run(
    view: &JobView<'_>,
    step: &Step,
    call: &DbtCall,
    target: &Target,
) -> bool {
    let fields = || [&target.schema, &target.database].into_iter().flatten();
    let per_run = fields()
        .flat_map(|field| field.value.env_refs())
        .any(|env| env_value(view, step, call, &env.name).is_some_and(|v| is_per_run(&v.value)));
    per_run || fields().any(|field| field.value.has_opaque())
}

/// A pull-request build with no `--target` (and no `DBT_TARGET`) builds the profile's
/// default target. When that is a dev target and the profile has a CI target, every pull
/// request builds into dev's location from CI. Judged only when one committed profile is
/// the one dbt reads (no CI-written profile, no `--profile`).
fn check_default_target(cx: &mut Context<'_>, view: &JobView<'_>, step: &Step, call: &DbtCall) {
    if cx.profiles.iter().any(|p| p.for_ci) {
        return;
    }
    let [profile] = cx.profiles else {
        return;
    };
    let text = cx.repo.db.get(call.span.file).slice(call.span);
    if text
        .split_whitespace()
        .any(|word| word.starts_with("--profile"))
    {
        return;
    }
    let Some(default) = profile.profile.default_target.as_ref() else {
        return;
    };
    let Some(name) = default.value.as_literal() else {
        return;
    };
    let Some((Environment::Dev, target)) = profile.targets.iter().find(|(_, t)| t.name == name)
    else {
        return;
    };
    let ci: Vec<String> = profile
        .targets_in(Environment::Ci)
        .map(|t| format!("--target {}", t.name))
        .collect();
    if ci.is_empty() || location_may_be_per_run(view, step, call, target) {
        return;
    }
    let diag = cx
        .diagnostic(
            format!(
                "job `{}` runs `dbt {}` on pull requests with no `--target`, so it builds profile `{}`'s default target, dev target `{name}`, from CI",
                view.job.id, call.command, profile.profile.name
            ),
            call.span,
            "no `--target`",
        )
        .with_help(format!(
            "build pull requests with the CI target: {}",
            code_list(&ci)
        ))
        .with_related(default.text_span(), "the default target");
    cx.report(diag);
}

/// The help for a variable a CI location reads: set it from the pull-request number, with a
/// `pr_` prefix only when the location does not already put text before it
/// (`pr_{{ env_var('PR_NUMBER') }}` takes the bare number), in the CI provider's own syntax,
/// and what the location then becomes when the rest of it is literal.
fn per_pr_help(provider: Provider, field: &Field, env: &EnvRef) -> String {
    let (number, block) = match provider {
        Provider::GitLab => ("$CI_MERGE_REQUEST_IID", "variables:"),
        // The jobs of CI files only: dbt Cloud and bundle jobs are not read by this rule.
        Provider::GitHub | Provider::DbtCloud | Provider::DatabricksBundle => {
            ("${{ github.event.pull_request.number }}", "env:")
        }
    };
    let parts = &field.value.parts;
    let position = parts
        .iter()
        .position(|part| matches!(part, Part::Env(e) if e == env))
        .unwrap_or(0);
    let text_before = parts[..position]
        .iter()
        .any(|part| matches!(part, Part::Lit { text, .. } if !text.is_empty()));
    let prefix = if text_before { "" } else { "pr_" };
    let mut result = String::new();
    for part in parts {
        match part {
            Part::Lit { text, .. } => result.push_str(text),
            Part::Env(e) if e == env => result.push_str(&format!("{prefix}<number>")),
            _ => {
                return format!(
                    "set `{}: {prefix}{number}` in the job's `{block}`",
                    env.name
                );
            }
        }
    }
    format!(
        "set `{}: {prefix}{number}` in the job's `{block}` (the location becomes `{result}`)",
        env.name
    )
}
