//! ENV309 missing-release-snapshot: the prod deploy does not snapshot the database first.

use envlint_parser::DuckdbPath;

use crate::ci_view::{self, JobView};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// On by default only in the `motherduck` preset. For each deploy job that runs a
    /// writing dbt command against a MotherDuck prod target, requires a
    /// `CREATE SNAPSHOT <name> OF <prod database>` earlier in the same job or in a job it
    /// `needs:`. Flags the dbt command otherwise.
    ///
    /// ## Why is this bad?
    /// A named snapshot taken before each release is the way back when a release corrupts
    /// `fct_revenue`: `ALTER DATABASE ... SET SNAPSHOT TO` restores it in seconds. Without
    /// it a bad deploy means rebuilding production from raw data.
    ///
    /// ## Example
    /// ```yaml
    /// - run: dbt build --target prod
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - run: duckdb "md:?motherduck_token=$MOTHERDUCK_TOKEN_PROD" -c "CREATE SNAPSHOT release_${{ github.sha }} OF transform"
    /// - run: dbt build --target prod
    /// ```
    pub struct MissingReleaseSnapshot;
    code = "ENV309", name = "missing-release-snapshot", severity = Error,
    summary = "the prod deploy does not snapshot the prod database first (MotherDuck preset)",
}

impl Rule for MissingReleaseSnapshot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let views = ci_view::jobs(cx.repo, cx.policy);
        for view in views
            .iter()
            .filter(|v| v.contexts.deploy && !v.contexts.unknown)
        {
            for (index, step) in view.job.steps.iter().enumerate() {
                let Some(script) = &step.script else {
                    continue;
                };
                for call in script.dbt.iter().filter(|c| c.writes()) {
                    let Some(target) = ci_view::call_target(view, step, call) else {
                        continue;
                    };
                    let Some((Environment::Prod, target)) =
                        ci_view::find_target(cx.profiles, &target)
                    else {
                        continue;
                    };
                    let Some(DuckdbPath::MotherDuck { database, .. }) = &target.duckdb else {
                        continue;
                    };
                    let Some(database) = database.as_literal() else {
                        continue;
                    };
                    // Earlier in the same script (`duckdb -c "CREATE SNAPSHOT ..." && dbt build`).
                    let same_script = script.snapshots.iter().any(|s| {
                        s.span.file == call.span.file
                            && s.span.start < call.span.start
                            && s.database.eq_ignore_ascii_case(&database)
                    });
                    if same_script || snapshot_before(&views, view, index, &database) {
                        continue;
                    }
                    let diag = cx
                        .diagnostic(
                            format!("deploy job `{}` writes `{database}` without a snapshot first", view.job.id),
                            call.span,
                            "release",
                        )
                        .with_help(format!("run `CREATE SNAPSHOT release_<version> OF {database}` before `dbt build --target prod`"))
                        .with_related(target.name_span, "MotherDuck prod target");
                    cx.report(diag);
                }
            }
        }
    }
}

/// A `CREATE SNAPSHOT ... OF <database>` in an earlier step of the job or in a job it needs.
fn snapshot_before(views: &[JobView<'_>], view: &JobView<'_>, step: usize, database: &str) -> bool {
    let takes = |steps: &[envlint_parser::ci::Step]| {
        steps
            .iter()
            .filter_map(|s| s.script.as_ref())
            .any(|script| {
                script
                    .snapshots
                    .iter()
                    .any(|s| s.database.eq_ignore_ascii_case(database))
            })
    };
    takes(&view.job.steps[..step])
        || views
            .iter()
            .filter(|v| std::ptr::eq(v.ci, view.ci) && view.job.needs.contains(&v.job.id))
            .any(|v| takes(&v.job.steps))
}
