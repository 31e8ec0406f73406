//! ENV110 missing-environment: a profile lacks a dev, CI or prod target the policy requires.

use crate::context::Context;
use envlint_model::ProfileView;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// In a repository with its own `envlint.yml`, flags a profile that has no target for an
    /// environment the policy requires (CI's own profiles, written by a CI script, kept in
    /// a CI folder such as `ci/`, or holding only CI targets, as a package's per-adapter
    /// integration-test profiles do, are not expected to have all three). Every preset requires all three: dev, ci and prod.
    /// Targets are sorted into environments from evidence (the policy's `targets:` lists,
    /// the target's name in any language, what CI builds with it, location and credential
    /// names; see the README's "How environments are decided"); a target the evidence does
    /// not settle counts for none. An environment that another file's profile of the same
    /// name provides (CI's `ci` and `prod` targets in `ci/profiles.yml` or a CI-written
    /// profile, next to the developer's `~/.dbt/profiles.yml`) is not missing.
    ///
    /// Without an `envlint.yml` the rule is silent: nothing then says the repository means
    /// to have all three (its CI may live in dbt Cloud, or it may be a dev + prod setup).
    ///
    /// ## Why is this bad?
    /// A profile with only a `dev` target usually means that "dev" *is* production, or that
    /// pull requests are built wherever the developer's target points. Without a `ci` target
    /// there is no per-PR schema; without a named `prod` target the deploy job reuses a
    /// developer target and credential.
    ///
    /// ## Example
    /// ```yaml
    /// jaffle_shop:
    ///   target: dev
    ///   outputs:
    ///     dev: {type: duckdb, path: "md:transform"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jaffle_shop:
    ///   target: dev
    ///   outputs:
    ///     dev: {type: duckdb, path: "md:transform_dev", schema: "dev_{{ env_var('USER') }}"}
    ///     ci: {type: duckdb, path: "md:transform_ci", schema: "{{ env_var('DBT_SCHEMA') }}"}
    ///     prod: {type: duckdb, path: "md:transform"}
    /// ```
    /// or map existing targets to environments in `envlint.yml` (`environments.ci.targets`).
    pub struct MissingEnvironment;
    code = "ENV110", name = "missing-environment", severity = Warning,
    summary = "the profile lacks a dev, ci or prod target the policy requires",
}

impl MissingEnvironment {
    fn run(&self, cx: &mut Context<'_>) {
        // Without the repository's own policy nothing says this repository means to have
        // all three: a dev + prod setup, or one whose targets live in dbt Cloud, is no finding.
        if cx.repo.policy.is_none() {
            return;
        }
        // A profile whose targets are all CI's is CI's, wherever it is kept.
        let only_ci = |view: &&ProfileView<'_>| {
            view.targets_in(Environment::Ci).next().is_some()
                && [Environment::Dev, Environment::Prod]
                    .iter()
                    .all(|env| view.targets_in(*env).next().is_none())
        };
        for view in cx.profiles.iter().filter(|v| !v.for_ci && !only_ci(v)) {
            let missing: Vec<Environment> = Environment::ALL
                .into_iter()
                .filter(|env| cx.policy.environment(*env).is_some_and(|p| p.required))
                // Another file's profile of the same name (CI's, written by a workflow or kept
                // in a CI folder) provides it: the developer's `~/.dbt` needs no `ci` target.
                .filter(|env| {
                    cx.profiles
                        .iter()
                        .filter(|other| other.profile.name == view.profile.name)
                        .all(|other| other.targets_in(*env).next().is_none())
                })
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            let names: Vec<String> = missing.iter().map(|e| format!("`{e}`")).collect();
            let list = match names.as_slice() {
                [one] => one.clone(),
                [init @ .., last] => format!("{} or {last}", init.join(", ")),
                [] => continue,
            };
            let message = format!("profile `{}` has no {list} target", view.profile.name);
            let diag = cx
                .diagnostic(message, view.profile.outputs_span, "targets defined here")
                .with_help(format!(
                    "add a `{first}` output, or list an existing target under `environments.{first}.targets` in envlint.yml"
                ))
                .with_related(view.profile.name_span, "profile");
            cx.report(diag);
        }
    }
}
