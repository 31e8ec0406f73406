//! `dbt-envlint explain`, through the real binary: targets and relations, bindings,
//! credentials, grants, and every corpus project.

mod common;

use common::{ADAPTERS, BROKEN, CLEAN, adapter_project, run};

#[test]
fn explain_shows_targets_and_grouped_relations() {
    let out = run(&["explain", CLEAN]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("explain_clean", out.stdout);
}

#[test]
fn explain_binds_variables_and_filters() {
    let out = run(&[
        "explain",
        "--env",
        "USER=alice",
        "--env",
        "DBT_SCHEMA=pr_7",
        "--target",
        "dev",
        "--target",
        "ci",
        "--node",
        "fct_revenue",
        CLEAN,
    ]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("transform_dev.dev_alice.{name}"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("transform_ci.pr_7.{name}"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("stg_orders"), "{}", out.stdout);
    assert!(!out.stdout.contains("prod"), "{}", out.stdout);
}

#[test]
fn explain_json_is_version_1_with_every_node_and_target() {
    let out = run(&["explain", "--format", "json", "--env", "USER=alice", CLEAN]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    let project = &json["projects"][0];
    assert_eq!(project["name"], "transform");
    assert_eq!(project["targets"].as_array().map(Vec::len), Some(3));
    let nodes = project["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 2);
    let fct = nodes
        .iter()
        .find(|n| n["unique_id"] == "model.transform.fct_revenue")
        .expect("fct_revenue");
    assert_eq!(fct["file"], "models/marts/fct_revenue.sql");
    assert_eq!(fct["relations"]["dev"]["schema"], "dev_alice");
    assert_eq!(fct["relations"]["prod"]["database"], "transform");
    // With bindings the environment is complete: an unbound variable without default stays
    // a reference.
    assert_eq!(fct["relations"]["ci"]["schema"], "${DBT_SCHEMA}");
}

#[test]
fn explain_leaves_out_disabled_nodes_and_binds_duckdb_paths() {
    let project = "fixtures/conformance/disabled-nodes";
    let out = run(&[
        "explain",
        "--node",
        "prod_only",
        "--node",
        "old_report",
        project,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Built by prod only; `old_report` by no target at all.
    let row = out
        .stdout
        .lines()
        .find(|l| l.contains("model prod_only"))
        .expect("prod_only row");
    assert_eq!(row.matches("(disabled)").count(), 2, "{row}");
    assert!(!out.stdout.contains("old_report"), "{}", out.stdout);
    let json = run(&[
        "explain",
        "--format",
        "json",
        "--node",
        "prod_only",
        project,
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    let relations = &parsed["projects"][0]["nodes"][0]["relations"];
    assert_eq!(
        relations.as_object().map(|r| r.len()),
        Some(1),
        "{relations}"
    );
    assert_eq!(relations["prod"]["schema"], "analytics");

    // The database is the stem of the bound path, not the path.
    let out = run(&[
        "explain",
        "--format",
        "json",
        "--env",
        "CI_DUCKDB_PATH=build/ci_42.duckdb",
        "fixtures/conformance/jinja-duckdb-path",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let databases: Vec<&str> = parsed["projects"][0]["targets"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["database"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(databases, ["dev", "ci_42", "prod", "memory"]);
}

#[test]
fn explain_rejects_malformed_bindings() {
    let out = run(&["explain", "--env", "NOEQUALS", CLEAN]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("expected NAME=VALUE"), "{}", out.stderr);
}

#[test]
fn explain_credentials_maps_each_credential_to_its_holders() {
    let out = run(&["explain", "--credentials", CLEAN]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("explain_credentials", out.stdout);
    let json = run(&["explain", "--credentials", "--format", "json", CLEAN]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    let prod = parsed["credentials"]
        .as_array()
        .and_then(|c| {
            c.iter()
                .find(|c| c["name"] == "MOTHERDUCK_TOKEN_PROD" && c["kind"] == "env")
        })
        .expect("the prod token");
    assert_eq!(prod["targets"][0], "prod target `prod`");
    let contexts: Vec<&str> = prod["holders"]
        .as_array()
        .map(|h| h.iter().filter_map(|x| x["context"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(contexts, ["deploy"]);
}

#[test]
fn explain_grants_shows_who_can_write_prod_and_every_share() {
    let out = run(&["explain", "--grants", BROKEN]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("explain_grants_broken", out.stdout);

    let out = run(&[
        "explain",
        "--grants",
        "--format",
        "json",
        "fixtures/projects/motherduck-three-envs",
    ]);
    assert_eq!(out.code, 0);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["writes"].as_array().map(Vec::len), Some(0));
    let share = &json["shares"][0];
    assert_eq!(share["name"], "raw_prod");
    assert_eq!(share["access"], "RESTRICTED");
    assert_eq!(share["update"], "AUTOMATIC");
    assert_eq!(
        share["readers"],
        serde_json::json!(["transform_dev", "transform_ci", "transform_prod"])
    );
    assert_eq!(
        share["location"],
        "fixtures/projects/motherduck-three-envs/warehouse/setup.sql:2:1"
    );
}

#[test]
fn explain_shows_each_environment_with_its_evidence_and_unknown_ones_as_unknown() {
    let out = run(&[
        "explain",
        "fixtures/missing-environment/pass-portuguese-and-qa-names",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("explain_evidence", out.stdout);
    let json = run(&[
        "explain",
        "--format",
        "json",
        "fixtures/missing-environment/pass-portuguese-and-qa-names",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    let staging = &parsed["projects"][0]["targets"][2];
    assert_eq!(staging["name"], "homologacao");
    assert!(staging["environment"].is_null(), "{staging}");
    assert!(
        staging["reason"]
            .as_str()
            .is_some_and(|r| r.contains("shared pre-production")),
        "{staging}"
    );
}

#[test]
fn explain_shows_where_each_adapter_writes_with_its_defaults_and_aliases() {
    let mut table = String::new();
    for adapter in ADAPTERS {
        let project = adapter_project(adapter);
        let out = run(&[
            "explain",
            "--format",
            "json",
            "--env",
            "USER=alice",
            "--env",
            "PR_NUMBER=42",
            &project,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
        let project = &json["projects"][0];
        let orders = &project["nodes"][0]["relations"];
        for target in project["targets"].as_array().expect("targets") {
            let name = target["name"].as_str().unwrap_or_default();
            let relation: Vec<&str> = ["database", "schema", "alias"]
                .iter()
                .filter_map(|part| orders[name][part].as_str())
                .filter(|part| !part.is_empty())
                .collect();
            table.push_str(&format!(
                "{adapter:<10} {name:<4} database `{}` schema `{}`, orders in `{}`\n",
                target["database"].as_str().unwrap_or_default(),
                target["schema"].as_str().unwrap_or_default(),
                relation.join("."),
            ));
        }
    }
    insta::assert_snapshot!("explain_adapters", table);
}

#[test]
fn explain_grants_lists_grants_declared_in_terraform_and_permifrost() {
    let cases = [
        (
            "fixtures/write-grant-to-humans-on-prod/fail-terraform-developer-writes-prod",
            "DEVELOPER",
            "infra/grants.tf:13:23",
        ),
        (
            "fixtures/write-grant-to-humans-on-prod/fail-permifrost-human-in-prod-role",
            "maria (via prod_writer)",
            "permissions/roles.yml:",
        ),
    ];
    for (project, grantee, location) in cases {
        let out = run(&["explain", "--grants", project]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let prod = out.stdout.split("\ndev\n").next().unwrap_or_default();
        let row = prod
            .lines()
            .find(|line| line.trim_start().starts_with(grantee))
            .unwrap_or_else(|| panic!("{project}: no `{grantee}` row under prod:\n{}", out.stdout));
        assert!(row.contains(location), "{row}");
        assert!(!row.contains("WRITE, WRITE"), "each privilege once: {row}");
    }
}
