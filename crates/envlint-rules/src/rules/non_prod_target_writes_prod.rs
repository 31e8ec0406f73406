//! ENV106 non-prod-target-writes-prod: a dev or CI target can resolve to where prod writes.

use envlint_parser::{Field, SymStr, Target};

use super::relation_collision::naming_keeps_apart;
use super::support::{describe, with_definition};
use crate::context::Context;
use crate::environment::Environment;
use crate::equality::{condition, same};
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Compares every dev and CI target with every prod target of the same profile, part by
    /// part (warehouse account or host, database or MotherDuck `md:` database, schema), and
    /// flags a non-prod target that lands where prod writes:
    /// - always (the same literal database and schema, e.g. dev and prod both `md:transform`
    ///   with no schema);
    /// - when a variable is unset (`schema: "{{ env_var('DBT_SCHEMA', 'analytics') }}"` in dev,
    ///   where `analytics` is prod's schema);
    /// - whenever a variable the two targets share holds prod's value (both read
    ///   `DUCKDB_DATABASE`, so exporting it for prod points dev at prod).
    ///
    /// Local DuckDB files are private to each machine and are not compared. When the
    /// project's `generate_schema_name` gives every model of the dev or CI target another
    /// relation than prod's (a suffix outside prod), the shared target location holds
    /// nothing and the rule is silent; ENV201 judges the models.
    ///
    /// With `database-per-environment: true` (the `motherduck` preset) a dev or CI target
    /// that writes into prod's database in another schema (`path: "md:transform"`,
    /// `schema: pr_42`) is flagged too: MotherDuck grants access per database, so its token
    /// can write prod.
    ///
    /// ## Why is this bad?
    /// This is the "test in prod" accident the three environments exist to prevent: a
    /// developer's `dbt run` replaces production tables with half-built ones.
    ///
    /// ## Example
    /// ```yaml
    /// dev:
    ///   type: duckdb
    ///   path: "md:transform"
    /// prod:
    ///   type: duckdb
    ///   path: "md:transform"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   type: duckdb
    ///   path: "md:transform_dev"
    ///   schema: "dev_{{ env_var('USER') }}"
    /// prod:
    ///   type: duckdb
    ///   path: "md:transform"
    /// ```
    pub struct NonProdTargetWritesProd;
    code = "ENV106", name = "non-prod-target-writes-prod", severity = Error,
    summary = "a dev/CI target resolves to the prod location for some env assignment",
}

impl Rule for NonProdTargetWritesProd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn needs_resolution(&self) -> bool {
        true
    }

    fn check(&self, cx: &mut Context<'_>) {
        for view in cx.profiles {
            for prod in view.targets_in(Environment::Prod) {
                for (env, target) in view.non_prod() {
                    let Some(condition) = overlap(target, prod) else {
                        if cx.policy.database_per_environment {
                            check_same_database(cx, env, target, prod);
                        }
                        continue;
                    };
                    if naming_keeps_apart(cx.resolution, target, prod) {
                        continue;
                    }
                    let location = describe_location(prod);
                    let message = format!(
                        "{} writes to prod's location `{location}`{condition}",
                        describe(env, target)
                    );
                    let (span, field) = match (&target.schema, &target.database) {
                        (Some(field), _) | (None, Some(field)) => (field.text_span(), Some(field)),
                        (None, None) => (target.name_span, None),
                    };
                    let mut diag = cx
                        .diagnostic(message, span, "resolves to the prod location")
                        .with_help(format!(
                            "give {env} targets their own database or a per-{} schema that cannot equal prod's",
                            if env == Environment::Dev { "person" } else { "PR" }
                        ));
                    let prod_fields: Vec<&Field> = [&prod.schema, &prod.database]
                        .into_iter()
                        .flatten()
                        .collect();
                    for prod_field in &prod_fields {
                        diag = diag.with_related(prod_field.text_span(), "prod writes here");
                    }
                    if prod_fields.is_empty() {
                        diag = diag.with_related(prod.name_span, "prod target");
                    }
                    if let Some(field) = field {
                        diag = with_definition(diag, field);
                    }
                    cx.report(diag);
                }
            }
        }
    }
}

/// `None` when the targets cannot be shown to land in the same place; otherwise the
/// condition under which they do, as a message suffix.
fn overlap(target: &Target, prod: &Target) -> Option<String> {
    if target.is_machine_local() || prod.is_machine_local() {
        return None;
    }
    if let (Some(a), Some(b)) = (target.adapter_name(), prod.adapter_name())
        && !a.eq_ignore_ascii_case(&b)
    {
        return None;
    }
    // Without a database or schema on both sides (a template with blanks) nothing can be
    // compared; DuckDB's missing schema is `main`.
    let comparable = |a: &Option<Field>, b: &Option<Field>| a.is_some() && b.is_some();
    if !comparable(&target.database, &prod.database) && !comparable(&target.schema, &prod.schema) {
        return None;
    }
    if target.schema.is_none() && prod.schema.is_none() && target.duckdb.is_none() {
        return None;
    }
    let parts = [
        same(value(&target.server), value(&prod.server))?,
        same(value(&target.database), value(&prod.database))?,
        same(value(&target.schema), value(&prod.schema))?,
    ];
    Some(condition(&parts))
}

/// Under `database-per-environment`: a dev or CI target that writes into prod's database,
/// in another schema. Its credential then needs write access to prod's database, and on
/// MotherDuck access is granted per database.
fn check_same_database(cx: &mut Context<'_>, env: Environment, target: &Target, prod: &Target) {
    if target.is_machine_local() || prod.is_machine_local() {
        return;
    }
    if let (Some(a), Some(b)) = (target.adapter_name(), prod.adapter_name())
        && !a.eq_ignore_ascii_case(&b)
    {
        return;
    }
    let (Some(database), Some(prod_database)) = (&target.database, &prod.database) else {
        return;
    };
    let Some(parts) = same(value(&target.server), value(&prod.server))
        .zip(same(Some(&database.value), Some(&prod_database.value)))
    else {
        return;
    };
    let condition = condition(&[parts.0, parts.1]);
    let why = if target.is_motherduck() {
        "MotherDuck grants access per database, so its token can write prod"
    } else {
        "its credential needs write access to prod's database"
    };
    let message = format!(
        "{} writes into prod's database `{}`{condition}: {why}",
        describe(env, target),
        prod_database.value
    );
    let own = format!("{}_{env}", prod_database.value);
    let diag = cx
        .diagnostic(message, database.text_span(), "prod's database")
        .with_help(format!(
            "give {env} its own database (e.g. `{own}`), as the policy's `database-per-environment` requires"
        ))
        .with_related(prod_database.text_span(), "prod writes here");
    let diag = with_definition(diag, database);
    cx.report(diag);
}

fn value(field: &Option<Field>) -> Option<&SymStr> {
    field.as_ref().map(|f| &f.value)
}

/// `transform.main`, `PC_DBT_DB.PROD`: prod's database and schema as written.
fn describe_location(prod: &Target) -> String {
    let schema = prod.schema.as_ref().map_or_else(
        || {
            if prod.duckdb.is_some() {
                "main".to_owned()
            } else {
                String::new()
            }
        },
        |s| s.value.to_string(),
    );
    match &prod.database {
        Some(database) if !schema.is_empty() => format!("{}.{schema}", database.value),
        Some(database) => database.value.to_string(),
        None => schema,
    }
}
