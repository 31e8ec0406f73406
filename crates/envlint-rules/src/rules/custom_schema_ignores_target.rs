//! ENV203 custom-schema-ignores-target: a `generate_schema_name` override that returns the
//! bare custom schema for every target.

use envlint_parser::SymStr;
use envlint_parser::jinja::{NodeContext, Scope};

use super::relation_collision::naming_keeps_apart;
use crate::context::Context;
use envlint_model::environment::Environment;
use super::equality::{Same, same};
use crate::rule::declare_rule;

/// The custom schema the override is probed with.
const PROBE: &str = "envlint_probe";

declare_rule! {
    /// ## What it does
    /// Calls the project's `generate_schema_name` override with a custom schema for every
    /// target of the profile, and flags it when it returns the bare custom schema for all of
    /// them, dev and CI included (targets on the machine itself, such as a local Trino for
    /// `dbt compile`, do not count). It speaks only where a dev or CI target's database (or
    /// BigQuery project, Databricks catalog) is prod's for sure: the same literal, or the
    /// same fallback when a variable is unset. A database of its own, a per-person one, or
    /// one read from a variable that CI or an orchestrator sets per environment leaves it
    /// silent, as do naming macros that put every dev and CI model apart from prod's
    /// (`generate_database_name`).
    ///
    /// ## Why is this bad?
    /// The dbt guide calls this override "incorrect as it omits the default schema": every
    /// model with `+schema: marts` is built into `marts` by every developer and every pull
    /// request, on top of prod's tables wherever the targets share a database.
    ///
    /// ## Example
    /// ```sql
    /// {% macro generate_schema_name(custom_schema_name, node) -%}
    ///     {%- if custom_schema_name is none -%} {{ target.schema }}
    ///     {%- else -%} {{ custom_schema_name | trim }}
    ///     {%- endif -%}
    /// {%- endmacro %}
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// {% macro generate_schema_name(custom_schema_name, node) -%}
    ///     {{ generate_schema_name_for_env(custom_schema_name, node) }}
    /// {%- endmacro %}
    /// ```
    /// (the custom schema alone only in prod).
    pub struct CustomSchemaIgnoresTarget;
    code = "ENV203", name = "custom-schema-ignores-target", severity = Error,
    summary = "a `generate_schema_name` override returns the bare custom schema for every target",
    needs_resolution = true,
}

impl CustomSchemaIgnoresTarget {
    fn run(&self, cx: &mut Context<'_>) {
        let resolution = cx.resolution;
        for project in &resolution.projects {
            let Some(span) = project.naming.override_span("generate_schema_name") else {
                continue;
            };
            // A target on the machine itself (a compile-only local Trino) shares nothing.
            let has_non_prod = project.targets.iter().any(|t| {
                t.environment.is_some_and(|e| e != Environment::Prod)
                    && !t.target.is_machine_local()
            });
            if !has_non_prod
                || databases_keep_prod_apart(&project.targets)
                || models_keep_prod_apart(resolution, project)
            {
                continue;
            }
            let probe = SymStr::literal(PROBE, 0..0);
            let bare_everywhere = project.targets.iter().enumerate().all(|(index, target)| {
                let scope = Scope {
                    target: Some(target.context.clone()),
                };
                project
                    .naming
                    .name(
                        "generate_schema_name",
                        index,
                        Some(&probe),
                        &NodeContext::default(),
                        &scope,
                    )
                    .is_ok_and(|schema| schema.as_literal().as_deref() == Some(PROBE))
            });
            if bare_everywhere {
                let diag = cx
                    .diagnostic(
                        "`generate_schema_name` returns the bare custom schema for every target",
                        span,
                        "dev and CI build into prod's custom schemas",
                    )
                    .with_help("use the custom schema alone only in prod: `{{ generate_schema_name_for_env(custom_schema_name, node) }}`")
                    .with_related(project.profile.name_span, "every target of this profile");
                cx.report(diag);
            }
        }
    }
}

/// Every dev and CI target's database is apart from every prod target's, or not known to
/// meet it: only databases that are the same literal, or fall back to the same one when a
/// variable is unset, put the bare custom schemas on top of prod's. Two targets that read
/// one variable (`SNOWFLAKE_DATABASE`, set per environment by CI or an orchestrator) or a
/// per-person variable say nothing certain.
fn databases_keep_prod_apart(targets: &[envlint_model::resolve::ResolvedTarget<'_>]) -> bool {
    let in_env = |prod: bool| {
        targets
            .iter()
            .filter(move |t| {
                t.environment
                    .is_some_and(|e| (e == Environment::Prod) == prod)
                    && !t.target.is_machine_local()
            })
            .map(|t| &t.context.database)
    };
    in_env(true).next().is_some()
        && !in_env(false).any(|database| {
            in_env(true).any(|prod| {
                matches!(
                    same(Some(database), Some(prod)),
                    Some(Same::Always | Same::WhenUnset(_))
                )
            })
        })
}

/// Every model of every dev and CI target lands apart from prod's once all the naming
/// macros ran (`generate_database_name` gives each a database of its own).
fn models_keep_prod_apart(
    resolution: &envlint_model::resolve::Resolution<'_>,
    project: &envlint_model::resolve::ProjectResolution<'_>,
) -> bool {
    let in_env = |prod: bool| {
        project
            .targets
            .iter()
            .filter(move |t| {
                t.environment
                    .is_some_and(|e| (e == Environment::Prod) == prod)
            })
            .map(|t| t.target)
    };
    // Only models with a custom schema say anything about the override.
    let customised = project.nodes.iter().any(|n| {
        n.relations
            .iter()
            .flatten()
            .any(|r| r.schema_config.is_some())
    });
    customised
        && in_env(true).next().is_some()
        && in_env(false)
            .all(|target| in_env(true).all(|prod| naming_keeps_apart(resolution, target, prod)))
}
