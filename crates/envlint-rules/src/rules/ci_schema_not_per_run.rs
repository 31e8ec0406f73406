//! ENV103 ci-schema-not-per-run: a CI target's schema is the same for every pull request.

use envlint_parser::{Part, SymStr};

use super::schema_fix::schema_from_policy;
use super::support::{code_list, describe, env_names, schema_to_judge, with_definition};
use crate::ci_view::{never_built_in_ci, pr_number_variable};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

/// Variables that are set on a CI runner but have the same value for every run.
const SAME_ON_EVERY_RUN: &[&str] = &["USER", "USERNAME", "LOGNAME", "HOME", "HOSTNAME", "SHELL"];

declare_rule! {
    /// ## What it does
    /// Flags a CI target whose schema has no part that changes per pull request or run: a
    /// literal schema, or one built only from variables such as `USER` that are the same on
    /// every CI runner. A schema read from a variable the workflow sets (`DBT_SCHEMA`,
    /// `PR_NUMBER`) passes; whether the workflow really sets it per PR is checked with the
    /// CI workflows.
    ///
    /// A CI target that the workflows only use for commands that build nothing (`dbt parse`,
    /// `dbt compile`, `dbt ls` for linting), by name or as the default of the profile when
    /// no CI job builds at all, is left alone: nothing lands in its schema.
    ///
    /// ## Why is this bad?
    /// Two pull requests built into one schema overwrite each other, and a PR's tables
    /// survive into the next PR's checks. Each PR should build into its own `pr_<number>`
    /// schema, dropped when the PR closes.
    ///
    /// ## Example
    /// ```yaml
    /// ci:
    ///   type: snowflake
    ///   schema: ci
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// ci:
    ///   type: snowflake
    ///   schema: "pr_{{ env_var('PR_NUMBER') }}"
    /// ```
    pub struct CiSchemaNotPerRun;
    code = "ENV103", name = "ci-schema-not-per-run", severity = Warning,
    summary = "a CI target's schema has no PR/run-number part",
    fix = Unsafe,
}

impl Rule for CiSchemaNotPerRun {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for view in cx.profiles {
            for target in view.targets_in(Environment::Ci) {
                // A target CI only parses or lints with builds nothing into its schema.
                if never_built_in_ci(cx.repo, cx.policy, &target.name) {
                    continue;
                }
                let who = describe(Environment::Ci, target);
                let help = "build each pull request into its own schema, e.g. `schema: \"pr_{{ env_var('PR_NUMBER') }}\"`";
                let Some(schema) = schema_to_judge(
                    cx,
                    target,
                    per_run,
                    format!("{who} builds every pull request into the default schema `main`"),
                    help,
                ) else {
                    continue;
                };
                if per_run(&schema.value) {
                    continue;
                }
                let message = match schema.value.as_literal() {
                    Some(name) => format!("{who} builds every pull request into `{name}`"),
                    None if schema.value.has_opaque() => continue,
                    None => format!(
                        "{who} schema depends only on {}, which is the same on every CI run",
                        code_list(&env_names(&schema.value))
                    ),
                };
                let mut diag = cx
                    .diagnostic(message, schema.text_span(), "not unique per pull request")
                    .with_help(help);
                let pr_variable = |slot: &str| {
                    (slot == "pr")
                        .then(|| pr_number_variable(cx.repo, cx.policy, cx.profiles, &target.name))
                        .flatten()
                };
                if let Some(fix) = schema_from_policy(cx, Environment::Ci, schema, pr_variable) {
                    diag = diag.with_fix(fix);
                }
                cx.report(with_definition(diag, schema));
            }
        }
    }
}

/// True when some part of the value can change per run: a variable other than the
/// runner's constant ones (a fallback is ENV303's business, with the workflows in view), or
/// something we cannot evaluate.
fn per_run(value: &SymStr) -> bool {
    value.parts.iter().any(|part| match part {
        Part::Env(env) => !SAME_ON_EVERY_RUN.contains(&env.name.to_ascii_uppercase().as_str()),
        Part::Opaque { .. } => true,
        Part::Lit { .. } => false,
    })
}
