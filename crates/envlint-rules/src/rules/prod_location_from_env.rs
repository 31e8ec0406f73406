//! ENV105 prod-location-from-env: where prod writes is decided by an environment variable.

use super::support::{code_list, describe, env_names, first_env_span, with_definition};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a prod target whose `schema`, `database` (`dbname`, `project`, `catalog`) or
    /// DuckDB/MotherDuck `path` is read from an environment variable.
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
}

impl Rule for ProdLocationFromEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for view in cx.profiles {
            for target in view.targets_in(Environment::Prod) {
                for field in [&target.schema, &target.database].into_iter().flatten() {
                    let names = env_names(&field.value);
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
