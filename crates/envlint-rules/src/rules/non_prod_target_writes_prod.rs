//! ENV106 non-prod-target-writes-prod: a dev or CI target can resolve to where prod writes.

use envlint_parser::{Field, Part, SymStr, Target};

use super::relation_collision::naming_keeps_apart;
use super::support::{describe, with_definition};
use crate::context::Context;
use envlint_model::environment::Environment;
use super::equality::{Same, condition, same};
use crate::rule::declare_rule;

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
    ///   `DUCKDB_DATABASE`, so exporting it for prod points dev at prod);
    /// - whenever the variable naming dev's warehouse holds prod's (`account: "{{
    ///   env_var('SNOWFLAKE_ACCOUNT') }}"` with no default, prod's written out), when the
    ///   database and schema are prod's exactly. With any other difference nothing is known and nothing is said.
    ///
    /// A part left out is what the adapter writes without it (dbt-databricks without
    /// `catalog`: `hive_metastore`; dbt-clickhouse without `schema`: `default`; DuckDB:
    /// `main`), an alias is its field (`dbname` is `database`), a Spark or ClickHouse
    /// `database` (which must equal the schema) is no part of its own, and a Snowflake `account` with or without `.snowflakecomputing.com`, in
    /// any case, is one account. A DuckDB target whose `database:` is a MotherDuck
    /// database it attaches writes there.
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
    needs_resolution = true,
}

impl NonProdTargetWritesProd {
    fn run(&self, cx: &mut Context<'_>) {
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
                        "{} writes to prod's location `{location}`{condition}{}",
                        describe(env, target),
                        defaults_note(target)
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
    // compared; a part left out is the adapter's default (DuckDB's schema `main`).
    let (schema, prod_schema) = (target.schema_value(), prod.schema_value());
    let (database, prod_database) = (target.database_value(), prod.database_value());
    let comparable = |a: &Option<SymStr>, b: &Option<SymStr>| a.is_some() && b.is_some();
    if !comparable(&database, &prod_database) && !comparable(&schema, &prod_schema) {
        return None;
    }
    if schema.is_none() && prod_schema.is_none() {
        return None;
    }
    let (server, prod_server) = (target.server_value(), prod.server_value());
    let location = [
        same(database.as_ref(), prod_database.as_ref())?,
        same(schema.as_ref(), prod_schema.as_ref())?,
    ];
    let server = match same(server.as_ref(), prod_server.as_ref()) {
        Some(server) => server,
        // A warehouse named only by a variable without default can be prod's: said when the
        // rest of the location is prod's exactly, else nothing is known.
        None if location.iter().all(|part| matches!(part, Same::Always))
            && prod_server.as_ref()?.as_literal().is_some() =>
        {
            Same::SharedVars(unset_vars(server.as_ref()?)?)
        }
        None => return None,
    };
    let [database, schema] = location;
    Some(condition(&[server, database, schema]))
}

/// The variables without default a value is read from, when it is nothing else (no
/// literal text, no opaque part): it can hold any warehouse, prod's included.
fn unset_vars(value: &SymStr) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for part in &value.parts {
        match part {
            Part::Env(env) if env.default.is_none() => names.push(env.name.clone()),
            _ => return None,
        }
    }
    (!names.is_empty()).then_some(names)
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
    let (server, prod_server) = (target.server_value(), prod.server_value());
    let Some(parts) = same(server.as_ref(), prod_server.as_ref())
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

/// `transform.main`, `PC_DBT_DB.PROD`: prod's database and schema, the adapter's defaults
/// for parts left out.
fn describe_location(prod: &Target) -> String {
    let show = |value: Option<SymStr>| value.map(|v| v.to_string()).unwrap_or_default();
    let (database, schema) = (show(prod.database_value()), show(prod.schema_value()));
    match (database.is_empty(), schema.is_empty()) {
        (false, false) => format!("{database}.{schema}"),
        (false, true) => database,
        _ => schema,
    }
}

/// What the adapter filled in for parts the target leaves out, when that is part of the
/// location: ` (no `catalog`: dbt-databricks writes `hive_metastore`)`.
fn defaults_note(target: &Target) -> String {
    let table = target.adapter_table();
    let (Some(adapter), false) = (target.adapter_name(), target.duckdb.is_some()) else {
        return String::new();
    };
    let left_out = [
        (
            target.database.is_none(),
            table.database_keys,
            table.default_database,
        ),
        (
            target.schema.is_none(),
            table.schema_keys,
            table.default_schema,
        ),
    ];
    let notes: Vec<String> = left_out
        .into_iter()
        .filter_map(|(missing, keys, default)| {
            let (key, default) = (keys.first()?, default.filter(|_| missing)?);
            Some(format!("no `{key}`: dbt-{adapter} writes `{default}`"))
        })
        .collect();
    if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    }
}
