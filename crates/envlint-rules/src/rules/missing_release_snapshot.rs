//! ENV309 missing-release-snapshot: the prod deploy does not snapshot the database first.

use envlint_diagnostics::Span;
use envlint_parser::ci::{ScriptFacts, Step, scan_script};
use envlint_parser::{DuckdbPath, SqlOrigin};
use envlint_sql::StatementKind;

use super::support::macro_body;

use envlint_model::ci_targets;
use envlint_model::ci_view::{self, JobView};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// On by default only in the `motherduck` preset. For each deploy job that runs a
    /// writing dbt command against a MotherDuck prod target, requires a
    /// `CREATE SNAPSHOT <name> OF <prod database>` earlier in the same job or in a job it
    /// `needs:`. Flags the dbt command otherwise. The snapshot counts when a script runs it
    /// (`duckdb md: -c "..."`, piped into a client; not an `echo` that only prints it), when
    /// a `dbt run-operation` macro runs it, when a SQL file fed to a client holds it
    /// (`duckdb md: < release.sql`, `-c ".read release.sql"`, `psql -f`), or when the
    /// project's `on-run-start` runs it.
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

impl MissingReleaseSnapshot {
    fn run(&self, cx: &mut Context<'_>) {
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
                        ci_targets::find_target(cx.profiles, &target)
                    else {
                        continue;
                    };
                    let Some(DuckdbPath::MotherDuck { database, .. }) = &target.duckdb else {
                        continue;
                    };
                    let Some(database) = database.as_literal() else {
                        continue;
                    };
                    // The snapshot itself (`dbt run-operation snapshot_release --target prod`).
                    if call
                        .operation
                        .as_deref()
                        .is_some_and(|op| macro_snapshots(cx, op, &database))
                    {
                        continue;
                    }
                    // Earlier in the same script (`duckdb -c "CREATE SNAPSHOT ..." && dbt build`).
                    let same_script = snapshots(cx, script, &database, Some(call.span));
                    if same_script
                        || snapshot_before(cx, &views, view, index, &database)
                        || on_run_start_snapshots(cx, &database)
                    {
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

/// A snapshot of the database in an earlier step of the job or in a job it needs.
fn snapshot_before(
    cx: &Context<'_>,
    views: &[JobView<'_>],
    view: &JobView<'_>,
    step: usize,
    database: &str,
) -> bool {
    let takes = |steps: &[Step]| {
        steps
            .iter()
            .filter_map(|s| s.script.as_ref())
            .any(|script| snapshots(cx, script, database, None))
    };
    takes(&view.job.steps[..step])
        || views
            .iter()
            .filter(|v| std::ptr::eq(v.ci, view.ci) && view.job.needs.contains(&v.job.id))
            .any(|v| takes(&v.job.steps))
}

/// Whether a script snapshots the database (before `until`, in the same file): a
/// `CREATE SNAPSHOT ... OF <database>` it runs (not one it only echoes), a `run-operation` of
/// a macro whose body runs one, or a SQL file it feeds a client (`duckdb md: < release.sql`)
/// that holds one.
fn snapshots(cx: &Context<'_>, script: &ScriptFacts, database: &str, until: Option<Span>) -> bool {
    let earlier = |span: Span| until.is_none_or(|u| span.file == u.file && span.start < u.start);
    let inline = script
        .snapshots
        .iter()
        .any(|s| earlier(s.span) && s.database.eq_ignore_ascii_case(database));
    let by_macro = script
        .dbt
        .iter()
        .filter(|call| earlier(call.span))
        .filter_map(|call| call.operation.as_deref())
        .any(|operation| macro_snapshots(cx, operation, database));
    let by_file = script
        .sql_inputs
        .iter()
        .filter(|(_, span)| earlier(*span))
        .any(|(name, _)| {
            cx.repo
                .sql
                .iter()
                .filter(|file| file.origin == SqlOrigin::Script)
                .filter(|file| cx.repo.db.path(file.file).ends_with(name))
                .any(|file| file.statements.iter().any(|s| snapshot_of(s, database)))
        });
    inline || by_macro || by_file
}

/// Whether the body of macro `name` runs `CREATE SNAPSHOT ... OF <database>` (read as the CI
/// scripts are: `run_query("CREATE SNAPSHOT r_" ~ v ~ " OF transform")` counts).
fn macro_snapshots(cx: &Context<'_>, name: &str, database: &str) -> bool {
    cx.repo
        .projects
        .iter()
        .flat_map(|p| p.project.macros.iter())
        .any(|m| {
            let text = &cx.repo.db.get(m.file).text;
            macro_body(text, name).is_some_and(|body| {
                scan_script(m.file, body.start, &text[body])
                    .snapshots
                    .iter()
                    .any(|s| s.database.eq_ignore_ascii_case(database))
            })
        })
}

/// An `on-run-start` hook of a project that snapshots the database: it runs at the start of
/// the prod build itself.
fn on_run_start_snapshots(cx: &Context<'_>, database: &str) -> bool {
    cx.repo
        .sql
        .iter()
        .filter(|file| file.origin == SqlOrigin::ProjectConfig)
        .filter(|file| cx.repo.projects.iter().any(|p| p.project.file == file.file))
        .any(|file| {
            let text = &cx.repo.db.get(file.file).text;
            file.statements.iter().any(|statement| {
                snapshot_of(statement, database) && in_on_run_start(text, statement.span.start)
            })
        })
}

/// Whether an offset of `dbt_project.yml` lies in its `on-run-start:` value: the last
/// top-level key before it is `on-run-start`.
fn in_on_run_start(text: &str, offset: usize) -> bool {
    text[..offset.min(text.len())]
        .lines()
        .rfind(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .is_some_and(|line| line.starts_with("on-run-start:"))
}

fn snapshot_of(statement: &envlint_sql::Statement, database: &str) -> bool {
    matches!(&statement.kind, StatementKind::CreateSnapshot { database: of, .. }
        if of.last_literal().is_some_and(|name| name.eq_ignore_ascii_case(database)))
}
