//! ENV204 hardcoded-prod-database: a literal `+database`/`database=` naming prod's database.

use std::collections::BTreeSet;

use envlint_diagnostics::Span;

use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a `database` configured for models, seeds or snapshots (folder-level `+database`
    /// in `dbt_project.yml`, `config: {database: ...}` in properties YAML, or
    /// `config(database=...)` in the file) that is the same literal in every target and
    /// equals a prod target's database, unless the project's `generate_database_name` still
    /// puts the dev and CI builds elsewhere (`DEV__<database>`).
    ///
    /// ## Why is this bad?
    /// With the default `generate_database_name`, a configured database is used as-is: the
    /// dev and CI builds of those models write into the production database, whatever their
    /// target says. "We can't just create a new `prod` entry in `profiles.yml`" is how teams
    /// discover it.
    ///
    /// ## Example
    /// ```yaml
    /// models:
    ///   jaffle_shop:
    ///     marts:
    ///       +database: ANALYTICS      # prod's database
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// models:
    ///   jaffle_shop:
    ///     marts:
    ///       +database: "{{ 'ANALYTICS' if target.name == 'prod' else target.database }}"
    /// ```
    pub struct HardcodedProdDatabase;
    code = "ENV204", name = "hardcoded-prod-database", severity = Error,
    summary = "a `+database`/`database=` literal pins models to the prod database in every environment",
    needs_resolution = true,
}

impl HardcodedProdDatabase {
    fn run(&self, cx: &mut Context<'_>) {
        let resolution = cx.resolution;
        let mut reported: BTreeSet<Span> = BTreeSet::new();
        for project in &resolution.projects {
            let prod_databases: Vec<(String, Span)> = project
                .targets
                .iter()
                .filter(|t| {
                    t.environment == Some(Environment::Prod) && !t.target.is_machine_local()
                })
                .filter_map(|t| Some((t.context.database.as_literal()?, t.target.name_span)))
                .collect();
            for node in &project.nodes {
                let built: Vec<_> = node.relations.iter().flatten().collect();
                let configured: Vec<Option<String>> = built
                    .iter()
                    .map(|r| r.configured_database.as_ref().and_then(|d| d.as_literal()))
                    .collect();
                let (Some(Some(first)), Some(span)) = (
                    configured.first(),
                    built.first().and_then(|r| r.database_config),
                ) else {
                    continue;
                };
                if !configured.iter().all(|c| c.as_ref() == Some(first)) {
                    continue;
                }
                let Some((_, prod_span)) = prod_databases
                    .iter()
                    .find(|(db, _)| db.eq_ignore_ascii_case(first))
                else {
                    continue;
                };
                // `generate_database_name` may still move dev and CI elsewhere (`DEV__<db>`).
                let non_prod_lands_there =
                    node.relations
                        .iter()
                        .zip(&project.targets)
                        .any(|(relation, target)| {
                            target.environment.is_some_and(|e| e != Environment::Prod)
                                && relation.as_ref().is_some_and(|r| {
                                    r.database
                                        .as_literal()
                                        .is_none_or(|db| db.eq_ignore_ascii_case(first))
                                })
                        });
                if !non_prod_lands_there || !reported.insert(span) {
                    continue;
                }
                let diag = cx
                    .diagnostic(
                        format!("database `{first}` is prod's, and is configured for every target"),
                        span,
                        "the same in dev, CI and prod",
                    )
                    .with_help("let non-prod targets keep their own database: drop the config or make it depend on `target.name`")
                    .with_related(*prod_span, "prod target");
                cx.report(diag);
            }
        }
    }
}
