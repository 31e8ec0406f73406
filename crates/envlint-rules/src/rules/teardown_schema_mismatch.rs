//! ENV307 teardown-schema-mismatch: the teardown drops another schema than the build makes.

use envlint_sql::CleanupPattern;
use envlint_parser::ci::DropStatement;
use envlint_parser::{Part, SymStr, Target};

use envlint_model::ci_targets;
use envlint_model::ci_view::{self, JobView, is_per_run, normalise_expression};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Compares how the pull-request build and the teardown (the job that runs when the PR
    /// closes) set the variables the CI target's schema reads: `DBT_SCHEMA:
    /// pr_${{ github.event.number }}` in the build must be the same expression in the
    /// teardown (`github.event.number` and `github.event.pull_request.number` count as the
    /// same). Flags the teardown's value when it differs.
    ///
    /// A teardown that names the schema it drops (`psql -c "DROP SCHEMA pr${{ ... }}"`,
    /// over several lines too) is compared with the CI target's schema as the build writes
    /// it (`pr_{{ env_var('PR_NUMBER') }}` with the build's `PR_NUMBER`), when both can be
    /// written out and the dropped name is per pull request. When it drops exactly that
    /// schema (no `LIKE` or pattern in the job) while models with a custom schema build into
    /// children of it (`pr_42_marts`, from `generate_schema_name`), the children stay behind:
    /// flagged too. So is a teardown that runs dbt with the CI target without setting a
    /// variable the CI schema reads with no default (and the build sets): dbt stops at the
    /// profile and drops nothing.
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
    needs_resolution = true,
}

impl TeardownSchemaMismatch {
    fn run(&self, cx: &mut Context<'_>) {
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
            let mut reported = false;
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
                reported = true;
            }
            // A mismatched variable is the teardown's one finding: its drops say the same.
            if !reported && !check_unset_variables(cx, teardown, &builds) {
                check_dropped_names(cx, teardown, &builds);
            }
        }
    }
}

/// A teardown that runs dbt with the CI target without setting a variable the CI schema
/// reads with no default, while the build sets it: dbt stops at the profile ("Env var
/// required but not provided") and drops nothing. Returns whether it reported.
fn check_unset_variables(
    cx: &mut Context<'_>,
    teardown: &JobView<'_>,
    builds: &[&JobView<'_>],
) -> bool {
    let mut reported = false;
    for (step, call) in teardown.job.dbt_calls() {
        let Some(name) = ci_view::call_target(teardown, step, call) else {
            continue;
        };
        let Some((Environment::Ci, target)) = ci_targets::find_target(cx.profiles, &name) else {
            continue;
        };
        let Some(schema) = &target.schema else {
            continue;
        };
        for env in schema.value.env_refs() {
            let unset = ci_view::missing_in_job(teardown, step, call, env);
            let Some(built) = builds
                .iter()
                .find_map(|b| assigned(b, &env.name))
                .filter(|_| unset)
            else {
                continue;
            };
            let diag = cx
                .diagnostic(
                    format!(
                        "teardown job `{}` runs `dbt {}` with ci target `{}` but does not set `{}`, which its schema reads with no default: dbt stops with \"Env var required but not provided\" and drops nothing",
                        teardown.job.id, call.command, target.name, env.name
                    ),
                    call.span,
                    "variable not set",
                )
                .with_help(format!(
                    "set `{}: {}` in job `{}`, as the build does",
                    env.name, built.value, teardown.job.id
                ))
                .with_related(built.span, "the build sets it here")
                .with_related(schema.value_span(env.span.clone()), "the CI schema reads it");
            cx.report(diag);
            reported = true;
        }
    }
    reported
}

/// A teardown that names the schema it drops (`DROP SCHEMA pr${{ github.event.number }}`,
/// `bq rm -d pr_$PR`) against the schemas the pull-request builds write: the CI target's
/// schema with the build's variables put in. Judged only when every build's schema and the
/// dropped name can be written out, and the dropped name is per pull request.
fn check_dropped_names(cx: &mut Context<'_>, teardown: &JobView<'_>, builds: &[&JobView<'_>]) {
    let mut built: Vec<(String, &Target)> = Vec::new();
    for build in builds {
        for (step, call) in build.job.dbt_calls().filter(|(_, c)| c.writes()) {
            let Some(name) = ci_view::call_target(build, step, call) else {
                continue;
            };
            let Some((Environment::Ci, target)) = ci_targets::find_target(cx.profiles, &name) else {
                continue;
            };
            let Some(schema) = target.schema.as_ref() else {
                return;
            };
            let Some(value) = written_out(build, &schema.value) else {
                return;
            };
            built.push((value, target));
        }
    }
    let Some((first, target)) = built.first() else {
        return;
    };
    let drops = teardown
        .job
        .steps
        .iter()
        .filter_map(|s| s.script.as_ref())
        .flat_map(|s| s.drops.iter());
    for drop in drops {
        let CleanupPattern::DropSchema(Some(name)) = &drop.pattern else {
            continue;
        };
        let Some(dropped) = expand(teardown, name) else {
            continue;
        };
        if !is_per_run(&dropped) {
            continue;
        }
        let dropped_key = normalise_expression(&dropped);
        let matches = built.iter().any(|(value, _)| {
            let key = normalise_expression(value);
            dropped_key == key || dropped_key.ends_with(&format!(".{key}"))
        });
        if matches {
            let exact_only = teardown
                .job
                .steps
                .iter()
                .filter_map(|s| s.script.as_ref())
                .flat_map(|s| s.drops.iter())
                .all(|d| matches!(d.pattern, CleanupPattern::DropSchema(_)));
            if exact_only {
                report_children_left(cx, teardown, drop, &dropped, target);
            }
            continue;
        }
        let mut diag = cx
            .diagnostic(
                format!(
                    "teardown job `{}` drops `{dropped}`, but the build writes ci target `{}`'s schema `{first}`",
                    teardown.job.id, target.name
                ),
                drop.span,
                "dropped here",
            )
            .with_help(format!("drop `{first}`, the schema the build writes"));
        if let Some(schema) = &target.schema {
            diag = diag.with_related(schema.text_span(), "the CI schema");
        }
        cx.report(diag);
    }
}

/// A teardown that drops exactly the CI schema (no `LIKE` or pattern anywhere in the job)
/// while models with a custom schema build into children of it (`pr_42_marts`, from dbt's
/// `generate_schema_name`): those stay behind.
fn report_children_left(
    cx: &mut Context<'_>,
    teardown: &JobView<'_>,
    drop: &DropStatement,
    dropped: &str,
    target: &Target,
) {
    let Some(schema) = &target.schema else {
        return;
    };
    let child = cx.resolution.projects.iter().find_map(|project| {
        let index = project
            .targets
            .iter()
            .position(|t| std::ptr::eq(t.target, target))?;
        project.nodes.iter().find_map(|node| {
            let relation = node.relations.get(index)?.as_ref()?;
            (relation.schema_config.is_some() && relation.schema != schema.value).then(|| {
                (
                    node.node.name.clone(),
                    relation.schema.to_string(),
                    relation.schema_config,
                )
            })
        })
    });
    let Some((model, child, config)) = child else {
        return;
    };
    // `${DBT_SCHEMA}_marts` as the teardown writes it: `pr_${{ ... }}_marts`.
    let child = child
        .strip_prefix(&schema.value.to_string())
        .map_or(child.clone(), |suffix| format!("{dropped}{suffix}"));
    let mut diag = cx
        .diagnostic(
            format!(
                "teardown job `{}` drops only `{dropped}`, but model `{model}` builds into `{child}` with ci target `{}`, which stays behind",
                teardown.job.id, target.name
            ),
            drop.span,
            "drops one schema",
        )
        .with_help(format!(
            "also drop the schemas custom schemas make (`{child}`), e.g. every schema that starts with `{dropped}_`"
        ));
    if let Some(config) = config {
        diag = diag.with_related(config, "custom schema");
    }
    cx.report(diag);
}

/// A profile value as a CI job gives it: each `env_var` replaced by what the job sets (or
/// its literal default). `None` when a part cannot be written out.
fn written_out(view: &JobView<'_>, value: &SymStr) -> Option<String> {
    let mut out = String::new();
    for part in &value.parts {
        match part {
            Part::Lit { text, .. } => out.push_str(text),
            Part::Env(env) => match assigned(view, &env.name) {
                Some(var) => out.push_str(&expand(view, &var.value)?),
                None => out.push_str(&env.default.as_ref()?.as_literal()?),
            },
            Part::Opaque { .. } => return None,
        }
    }
    Some(out)
}

/// Shell text with its `$NAME` and `${NAME}` references replaced by what the job sets
/// (GitHub `${{ ... }}` expressions stay). `None` when the job does not set one.
fn expand(view: &JobView<'_>, text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if after.starts_with("{{") {
            let close = after.find("}}").map_or(after.len(), |c| c + 2);
            out.push('$');
            out.push_str(&after[..close]);
            rest = &after[close..];
            continue;
        }
        let braced = after.starts_with('{');
        let body = &after[usize::from(braced)..];
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if name_len == 0 || (braced && !body[name_len..].starts_with('}')) {
            return None;
        }
        let value = &assigned(view, &body[..name_len])?.value;
        if value.contains('$') && !value.contains("${{") {
            return None;
        }
        out.push_str(value);
        rest = &body[name_len + usize::from(braced)..];
    }
    out.push_str(rest);
    Some(out)
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
