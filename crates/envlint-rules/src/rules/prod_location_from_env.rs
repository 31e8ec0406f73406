//! ENV105 prod-location-from-env: where prod writes is decided by an environment variable.

use envlint_parser::{SymStr, Target};

use super::support::{code_list, describe, env_names, first_env_span, with_definition};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a prod target whose `schema`, `database` (`dbname`, `project`, `catalog`) or
    /// DuckDB/MotherDuck `path` is read from an environment variable. A variable whose name
    /// marks it as prod-only (`SNOWFLAKE_DATABASE_PROD`, `PROD_SCHEMA`) is not flagged: only
    /// the deploy job sets it, so no developer's or PR job's leftover can redirect prod. Nor
    /// is a variable that no model's location reads once the naming macros ran (every model
    /// sets its own `+schema`, which prod uses as is).
    ///
    /// ## Why is this bad?
    /// The prod location is fixed. If it comes from the environment, whatever is exported
    /// in the shell or job that runs `--target prod` decides where production is written: a
    /// `DBT_SCHEMA=dev_alice` left over in a terminal, or a CI job that sets the variable for
    /// its PR build, redirects or overwrites production. And a non-prod target that reads the
    /// same variable can land on prod.
    ///
    /// ## Example
    /// ```yaml
    /// prod:
    ///   type: duckdb
    ///   path: "md:transform"
    ///   schema: "{{ env_var('DBT_SCHEMA', 'analytics') }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// prod:
    ///   type: duckdb
    ///   path: "md:transform"
    ///   schema: analytics
    /// ```
    pub struct ProdLocationFromEnv;
    code = "ENV105", name = "prod-location-from-env", severity = Warning,
    summary = "a prod target's schema/database/path comes from an env var",
    needs_resolution = true,
}

impl ProdLocationFromEnv {
    fn run(&self, cx: &mut Context<'_>) {
        for view in cx.profiles {
            for target in view.targets_in(Environment::Prod) {
                for field in [&target.schema, &target.database].into_iter().flatten() {
                    let names: Vec<String> = env_names(&field.value)
                        .into_iter()
                        .filter(|name| !is_prod_only(name) && !unused_by_models(cx, target, name))
                        .collect();
                    if names.is_empty() {
                        continue;
                    }
                    let message = format!(
                        "{} takes its `{}` from {}",
                        describe(Environment::Prod, target),
                        field.key,
                        code_list(&names)
                    );
                    let diag = cx
                        .diagnostic(message, first_env_span(field), "set by whoever runs dbt")
                        .with_help(format!(
                            "write the prod `{}` literally; read environment variables only in dev and CI targets",
                            field.key
                        ));
                    cx.report(with_definition(diag, field));
                }
            }
        }
    }
}

/// Every model of a project with this target lands somewhere that does not read the variable
/// (each sets its own `+schema`, which the naming macro uses as is): the profile's value is
/// never used.
fn unused_by_models(cx: &Context<'_>, target: &Target, name: &str) -> bool {
    let reads =
        |value: &SymStr| value.has_opaque() || value.env_refs().iter().any(|e| e.name == name);
    let mut any_project = false;
    for project in &cx.resolution.projects {
        let Some(index) = project
            .targets
            .iter()
            .position(|t| t.target.name_span == target.name_span)
        else {
            continue;
        };
        any_project = true;
        let relations: Vec<_> = project
            .nodes
            .iter()
            .filter_map(|n| n.relations[index].as_ref())
            .collect();
        if relations.is_empty()
            || relations
                .iter()
                .any(|r| reads(&r.database) || reads(&r.schema))
        {
            return false;
        }
    }
    any_project
}

/// `SNOWFLAKE_DATABASE_PROD`, `PROD_SCHEMA`, `DBT_PRODUCTION_DB`: named for prod alone.
fn is_prod_only(name: &str) -> bool {
    name.to_ascii_uppercase()
        .split(['_', '-'])
        .any(|word| word == "PROD" || word == "PRODUCTION" || word == "PRD")
}
