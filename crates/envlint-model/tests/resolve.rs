//! Where nodes resolve, on the conformance projects that `scripts/conformance` checks against
//! dbt itself: top-level configs, disabled nodes and DuckDB paths with Jinja.

use std::collections::BTreeMap;
use std::path::Path;

use envlint_model::resolve::{self, ProjectResolution};
use envlint_model::{classify, policy};
use envlint_parser::{LoadOptions, Repository};

fn load(project: &str) -> Repository {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/conformance")
        .join(project);
    envlint_parser::load(&LoadOptions {
        paths: vec![dir.clone()],
        display_base: dir,
        ..LoadOptions::default()
    })
}

/// What `read` finds in `project`'s resolution with `vars` bound.
fn with_resolution<T>(
    project: &str,
    vars: &[(&str, &str)],
    read: impl FnOnce(&ProjectResolution<'_>) -> T,
) -> T {
    let repo = load(project);
    let (policy, _) = policy::load_policy(repo.policy.as_ref(), &[]);
    let environments = classify::classify(&repo, &policy);
    let vars: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let resolution = resolve::resolve(&repo, &environments, &vars);
    read(&resolution.projects[0])
}

/// `unique id` → `database.schema.alias` in target `target`, for the nodes it builds.
fn relations(project: &ProjectResolution<'_>, target: &str) -> BTreeMap<String, String> {
    let index = project
        .targets
        .iter()
        .position(|t| t.target.name == target)
        .expect("target");
    project
        .nodes
        .iter()
        .filter_map(|node| {
            let r = node.relations[index].as_ref()?;
            Some((
                node.unique_id.clone(),
                format!("{}.{}.{}", r.database, r.schema, r.alias),
            ))
        })
        .collect()
}

#[test]
fn configs_directly_under_the_resource_key_apply_to_every_node() {
    with_resolution("top-level-configs", &[], |project| {
        let prod = relations(project, "prod");
        let expected = [
            (
                "model.top_level_configs.stg_orders",
                "prod.analytics_shared.stg_orders",
            ),
            (
                "model.top_level_configs.dim_customers",
                "prod.analytics_marts.customers",
            ),
            (
                "model.top_level_configs.fct_orders",
                "prod.analytics_orders.fct_orders",
            ),
            (
                "seed.top_level_configs.raw_orders",
                "prod.analytics_landing.raw_orders",
            ),
            (
                "seed.top_level_configs.raw_customers",
                "prod.analytics_landing.customers_seed",
            ),
            (
                "snapshot.top_level_configs.customers_snapshot",
                "prod.analytics_history.customers_snapshot",
            ),
        ];
        for (id, relation) in expected {
            assert_eq!(prod.get(id).map(String::as_str), Some(relation), "{id}");
        }
    });
}

#[test]
fn disabled_nodes_are_left_out_per_target() {
    with_resolution("disabled-nodes", &[], |project| {
        let built = |target| relations(project, target).into_keys().collect::<Vec<_>>();
        let always = [
            "model.disabled_nodes.fct_orders",
            "model.disabled_nodes.legacy_kept",
            "model.disabled_nodes.stg_orders",
            "seed.disabled_nodes.raw_orders",
            "snapshot.disabled_nodes.orders_snapshot",
        ];
        let with = |extra: &[&str]| {
            let mut ids: Vec<String> = always
                .iter()
                .chain(extra)
                .map(|s| (*s).to_owned())
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(built("dev"), with(&["model.disabled_nodes.ci_skipped"]));
        assert_eq!(built("ci"), with(&[]));
        assert_eq!(
            built("prod"),
            with(&[
                "model.disabled_nodes.ci_skipped",
                "model.disabled_nodes.prod_only"
            ])
        );
        // A node no target builds is not in the resolution at all.
        assert!(project.nodes.iter().all(|n| n.node.name != "legacy_orders"));
    });
}

#[test]
fn a_duckdb_path_with_jinja_names_the_database_after_its_stem() {
    let databases = |vars: &[(&str, &str)]| {
        with_resolution("jinja-duckdb-path", vars, |project| {
            project
                .targets
                .iter()
                .map(|t| t.context.database.to_string())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        databases(&[]),
        [
            "${DUCKDB_PATH:-dev}",
            "${CI_DUCKDB_PATH}",
            "${PROD_DB:-prod}",
            "${SCRATCH_PATH:-memory}"
        ]
    );
    assert_eq!(
        databases(&[
            ("CI_DUCKDB_PATH", "build/ci_42.duckdb"),
            ("PROD_DB", "analytics_db")
        ]),
        ["dev", "ci_42", "analytics_db", "memory"]
    );
}

#[test]
fn adapter_defaults_and_aliases_are_where_dbt_writes() {
    with_resolution("adapter-defaults", &[], |project| {
        // What `dbt ls` gives for `fct_orders` (`+schema: marts`); an empty database is
        // a relation without one.
        for (target, expected) in [
            (
                "databricks_without_catalog",
                "hive_metastore.dbt_${USER}_marts.fct_orders",
            ),
            ("databricks_catalog", "main.analytics_marts.fct_orders"),
            ("clickhouse_without_schema", ".default_marts.fct_orders"),
            (
                "spark_database_equals_schema",
                ".analytics_marts.fct_orders",
            ),
            (
                "postgres_dbname",
                "warehouse.pr_${PR_NUMBER}_marts.fct_orders",
            ),
        ] {
            assert_eq!(
                relations(project, target)["model.shop.fct_orders"],
                expected,
                "{target}"
            );
        }
    });
}
