//! ENV201 relation-collision: a model is built where prod builds it, in a dev or CI target.

use std::collections::{BTreeMap, BTreeSet};

use envlint_diagnostics::Span;
use envlint_parser::Target;

use super::support::describe;
use crate::context::Context;
use envlint_model::environment::Environment;
use super::equality::{condition, same};
use envlint_model::resolve::{ProjectResolution, Relation, Resolution};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Resolves every model, seed and snapshot for every target (configs from
    /// `dbt_project.yml`, properties YAML and `config()`, through the project's
    /// `generate_schema_name`/`generate_database_name`/`generate_alias_name`) and flags the
    /// nodes a dev or CI target builds into the same `database.schema.alias` as a prod
    /// target, for some assignment of the environment variables involved ("unset" included).
    /// When the targets themselves already write to the same place, ENV106 reports that
    /// once instead of this rule reporting every node.
    ///
    /// ## Why is this bad?
    /// The profile can look right and still send models to prod: a naming macro that drops
    /// the target schema, a hard-coded `+database`, a `config(schema=...)` used verbatim. A
    /// `dbt run` on a laptop then replaces production tables.
    ///
    /// ## Example
    /// ```sql
    /// -- macros/generate_schema_name.sql
    /// {% macro generate_schema_name(custom_schema_name, node) -%}
    ///     {{ custom_schema_name or target.schema }}
    /// {%- endmacro %}
    /// ```
    /// with `+schema: marts` and dev and prod on the same database.
    ///
    /// ## Use instead
    /// ```sql
    /// {% macro generate_schema_name(custom_schema_name, node) -%}
    ///     {%- if target.name == 'prod' and custom_schema_name -%} {{ custom_schema_name | trim }}
    ///     {%- else -%} {{ target.schema }}
    ///     {%- endif -%}
    /// {%- endmacro %}
    /// ```
    pub struct RelationCollision;
    code = "ENV201", name = "relation-collision", severity = Error,
    summary = "a model resolves to the same relation in a non-prod environment as in prod",
    needs_resolution = true,
}

impl RelationCollision {
    fn run(&self, cx: &mut Context<'_>) {
        let resolution = cx.resolution;
        for project in &resolution.projects {
            check_project(cx, project);
        }
    }
}

/// Colliding nodes of one (non-prod, prod) target pair, grouped by what caused them.
struct Group {
    nodes: Vec<String>,
    condition: String,
    relation: String,
    /// Where the first node's schema and database were configured.
    configured: Vec<Span>,
}

fn check_project(cx: &mut Context<'_>, project: &ProjectResolution<'_>) {
    let prods: Vec<usize> = indices(project, |e| e == Environment::Prod);
    let others: Vec<usize> = indices(project, |e| e != Environment::Prod);
    // One finding per non-prod target and cause, however many prod targets it meets.
    let mut reported: BTreeSet<(usize, Span)> = BTreeSet::new();
    for &p in &prods {
        for &t in &others {
            let (target, prod) = (project.targets[t].target, project.targets[p].target);
            if target.is_machine_local()
                || prod.is_machine_local()
                || targets_collide(project, t, p)
            {
                continue;
            }
            let mut groups: BTreeMap<Span, Group> = BTreeMap::new();
            for node in &project.nodes {
                let (Some(ours), Some(theirs)) = (&node.relations[t], &node.relations[p]) else {
                    continue;
                };
                let Some(condition) = collision(ours, theirs) else {
                    continue;
                };
                let cause = cause(project, ours).unwrap_or(project.targets[t].target.name_span);
                let group = groups.entry(cause).or_insert_with(|| Group {
                    nodes: Vec::new(),
                    condition,
                    relation: format!("{}.{}.{}", theirs.database, theirs.schema, theirs.alias),
                    configured: [ours.schema_config, ours.database_config]
                        .into_iter()
                        .flatten()
                        .collect(),
                });
                group.nodes.push(node.node.name.clone());
            }
            let env = project.targets[t].environment.unwrap_or(Environment::Dev);
            for (cause, group) in groups {
                if !reported.insert((t, cause)) {
                    continue;
                }
                let who = describe(env, target);
                let message = match group.nodes.as_slice() {
                    [one] => format!(
                        "`{one}` is built into prod's `{}` by {who}{}",
                        group.relation, group.condition
                    ),
                    many => format!(
                        "{} nodes are built into prod's relations by {who}{} (`{}`, …)",
                        many.len(),
                        group.condition,
                        many[0]
                    ),
                };
                let mut diag = cx.diagnostic(message, cause, "makes the names equal");
                for span in &group.configured {
                    diag = diag.with_related(*span, "configured here");
                }
                let diag = diag
                    .with_help("keep the target's schema (or database) in every non-prod name, e.g. `<target.schema>_<custom>`")
                    .with_related(target.name_span, format!("{env} target"))
                    .with_related(prod.name_span, "prod target");
                cx.report(diag);
            }
        }
    }
}

fn indices(project: &ProjectResolution<'_>, keep: impl Fn(Environment) -> bool) -> Vec<usize> {
    project
        .targets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.environment.is_some_and(&keep))
        .map(|(i, _)| i)
        .collect()
}

/// The targets' own database and schema can be equal: ENV106's finding, not ours.
fn targets_collide(project: &ProjectResolution<'_>, t: usize, p: usize) -> bool {
    let (a, b) = (&project.targets[t].context, &project.targets[p].context);
    same(Some(&a.database), Some(&b.database)).is_some()
        && same(Some(&a.schema), Some(&b.schema)).is_some()
}

/// Under which condition two relations are the same, if they can be.
pub(super) fn collision(ours: &Relation, theirs: &Relation) -> Option<String> {
    // An empty name is a macro that produced nothing for this node: nothing to compare.
    if [&ours.schema, &ours.alias]
        .iter()
        .any(|v| v.as_literal().is_some_and(|t| t.is_empty()))
    {
        return None;
    }
    let parts = [
        same(Some(&ours.database), Some(&theirs.database))?,
        same(Some(&ours.schema), Some(&theirs.schema))?,
        same(Some(&ours.alias), Some(&theirs.alias))?,
    ];
    Some(condition(&parts))
}

/// What made the names equal: the schema override macro, else the node's schema or database
/// config.
fn cause(project: &ProjectResolution<'_>, relation: &Relation) -> Option<Span> {
    project
        .naming
        .override_span("generate_schema_name")
        .filter(|_| relation.schema_config.is_some())
        .or(relation.schema_config)
        .or(relation.database_config)
}

/// The project's naming macros give every model of the non-prod target another relation
/// than prod's (`generate_schema_name` appends a suffix outside prod): the targets may share
/// a location on paper, but nothing is built into prod's tables. Only when every name could
/// be evaluated: an opaque one proves nothing.
pub(super) fn naming_keeps_apart(
    resolution: &Resolution<'_>,
    target: &Target,
    prod: &Target,
) -> bool {
    resolution.projects.iter().any(|project| {
        let position = |wanted: &Target| {
            project
                .targets
                .iter()
                .position(|t| t.target.name_span == wanted.name_span)
        };
        let (Some(t), Some(p)) = (position(target), position(prod)) else {
            return false;
        };
        let evaluated = |r: &Relation| {
            ![&r.database, &r.schema, &r.alias]
                .iter()
                .any(|v| v.has_opaque())
        };
        !project.nodes.is_empty()
            && project.nodes.iter().all(|node| {
                match (&node.relations[t], &node.relations[p]) {
                    (Some(ours), Some(theirs)) => {
                        evaluated(ours) && evaluated(theirs) && collision(ours, theirs).is_none()
                    }
                    // Not built by one of them: nothing to collide.
                    _ => true,
                }
            })
    })
}
