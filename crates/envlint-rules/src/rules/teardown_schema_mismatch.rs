//! ENV307 teardown-schema-mismatch: the teardown drops another schema than the build makes.

use envlint_parser::Part;

use crate::ci_view::{self, JobView, normalise_expression};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Compares how the pull-request build and the teardown (the job that runs when the PR
    /// closes) set the variables the CI target's schema reads: `DBT_SCHEMA:
    /// pr_${{ github.event.number }}` in the build must be the same expression in the
    /// teardown (`github.event.number` and `github.event.pull_request.number` count as the
    /// same). Flags the teardown's value when it differs.
    ///
    /// ## Why is this bad?
    /// The teardown runs green and drops nothing (or somebody else's schema): every PR schema
    /// stays behind, exactly what the teardown was written to prevent.
    ///
    /// ## Example
    /// Build: `DBT_SCHEMA: pr_${{ github.event.number }}`; teardown:
    /// `DBT_SCHEMA: pr_${{ github.event.pull_request.number }}_ci`.
    ///
    /// ## Use instead
    /// The same expression in both: `DBT_SCHEMA: pr_${{ github.event.number }}`.
    pub struct TeardownSchemaMismatch;
    code = "ENV307", name = "teardown-schema-mismatch", severity = Error,
    summary = "teardown drops a different schema expression than the build creates",
}

impl Rule for TeardownSchemaMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let vars: Vec<String> = cx
            .profiles
            .iter()
            .flat_map(|v| v.targets_in(Environment::Ci))
            .flat_map(|t| [&t.schema, &t.database].into_iter().flatten())
            .flat_map(|f| f.value.parts.iter())
            .filter_map(|p| match p {
                Part::Env(env) => Some(env.name.clone()),
                _ => None,
            })
            .collect();
        let views = ci_view::jobs(cx.repo, cx.policy);
        let builds: Vec<&JobView<'_>> = views
            .iter()
            .filter(|v| {
                v.contexts.pull_request && !v.contexts.pr_closed_only && !v.contexts.unknown
            })
            .collect();
        let teardowns = views
            .iter()
            .filter(|v| v.contexts.pr_closed_only && !v.contexts.unknown);
        for teardown in teardowns {
            for var in &vars {
                let Some(dropped) = assigned(teardown, var) else {
                    continue;
                };
                let built: Vec<_> = builds.iter().filter_map(|b| assigned(b, var)).collect();
                if built.is_empty()
                    || built.iter().any(|b| {
                        normalise_expression(&b.value) == normalise_expression(&dropped.value)
                    })
                {
                    continue;
                }
                let diag = cx
                    .diagnostic(
                        format!(
                            "teardown job `{}` sets `{var}` to `{}`, the build to `{}`",
                            teardown.job.id, dropped.value, built[0].value
                        ),
                        dropped.span,
                        "dropped here",
                    )
                    .with_help("use the same expression in the build and the teardown")
                    .with_related(built[0].span, "created here");
                cx.report(diag);
            }
        }
    }
}

/// Where a job sets a variable: its `env:`, its steps' `env:`, its scripts, the workflow.
fn assigned<'a>(view: &JobView<'a>, name: &str) -> Option<&'a envlint_parser::ci::EnvVar> {
    let find = |vars: &'a [envlint_parser::ci::EnvVar]| vars.iter().find(|v| v.name == name);
    find(&view.job.env)
        .or_else(|| view.job.steps.iter().find_map(|s| find(&s.env)))
        .or_else(|| {
            view.job
                .steps
                .iter()
                .filter_map(|s| s.script.as_ref())
                .find_map(|s| find(&s.assignments))
        })
        .or_else(|| find(&view.ci.env))
}
