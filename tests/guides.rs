//! The two setups dbt-envlint exists to enforce, typed in as example projects: "three
//! environments, three rules" on Snowflake and MotherDuck's environment management. Each is
//! clean, and breaking any one requirement is caught by the rule that names it.

mod common;

use std::path::Path;

use common::{Scratch, copy_tree, envlint};

const SNOWFLAKE: &str = "fixtures/projects/three-envs-snowflake";
const MOTHERDUCK: &str = "fixtures/projects/motherduck-three-envs";

/// How one requirement is broken: a file's first `old` becomes `new`, or text is appended.
enum Edit {
    Replace(&'static str, &'static str),
    Append(&'static str),
    Remove,
}

struct Break {
    requirement: &'static str,
    file: &'static str,
    edit: Edit,
    /// The rule that must report it.
    code: &'static str,
}

const fn replace(
    requirement: &'static str,
    file: &'static str,
    old: &'static str,
    new: &'static str,
    code: &'static str,
) -> Break {
    Break {
        requirement,
        file,
        edit: Edit::Replace(old, new),
        code,
    }
}

const SNOWFLAKE_BREAKS: &[Break] = &[
    replace(
        "dev writes only dev_<name>",
        "profiles.yml",
        "schema: \"dev_{{ env_var('DBT_USER') }}\"",
        "schema: analytics",
        "ENV106",
    ),
    replace(
        "dbt without --target runs dev",
        "profiles.yml",
        "target: dev",
        "target: prod",
        "ENV101",
    ),
    replace(
        "each pull request builds its own pr_<number>",
        "profiles.yml",
        "schema: \"pr_{{ env_var('PR_NUMBER') }}\"",
        "schema: ci",
        "ENV103",
    ),
    replace(
        "CI never writes prod",
        "profiles.yml",
        "schema: \"pr_{{ env_var('PR_NUMBER') }}\"",
        "schema: analytics",
        "ENV106",
    ),
    replace(
        "pull requests never build prod",
        ".github/workflows/pr.yml",
        "--target ci",
        "--target prod",
        "ENV301",
    ),
    replace(
        "the prod secret never reaches a pull request",
        ".github/workflows/pr.yml",
        "      DBT_PROFILES_DIR: .",
        "      SNOWFLAKE_PROD_PRIVATE_KEY: ${{ secrets.SNOWFLAKE_PROD_PRIVATE_KEY }}\n      DBT_PROFILES_DIR: .",
        "ENV302",
    ),
    replace(
        "prod is written only from main",
        ".github/workflows/deploy.yml",
        "    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n",
        "    branches: [\"**\"]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n",
        "ENV302",
    ),
    Break {
        requirement: "the PR schema is dropped when the PR closes",
        file: ".github/workflows/teardown.yml",
        edit: Edit::Remove,
        code: "ENV304",
    },
    Break {
        requirement: "a nightly job drops stale dev and CI schemas",
        file: ".github/workflows/nightly-cleanup.yml",
        edit: Edit::Remove,
        code: "ENV305",
    },
    replace(
        "no secret is committed",
        "profiles.yml",
        "private_key: \"{{ env_var('SNOWFLAKE_PROD_PRIVATE_KEY') }}\"",
        "password: Hunter2-prod-Secret",
        "ENV107",
    ),
    replace(
        "no secret is committed as a default",
        "profiles.yml",
        "env_var('SNOWFLAKE_PROD_PRIVATE_KEY') }}",
        "env_var('SNOWFLAKE_PROD_PRIVATE_KEY', 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASC') }}",
        "ENV108",
    ),
    replace(
        "CI logs in with its own service account",
        "profiles.yml",
        "env_var('SNOWFLAKE_CI_PRIVATE_KEY')",
        "env_var('SNOWFLAKE_PROD_PRIVATE_KEY')",
        "ENV109",
    ),
    replace(
        "prod is written only by its service account",
        "profiles.yml",
        "      user: transformer\n      private_key: \"{{ env_var('SNOWFLAKE_PROD_PRIVATE_KEY') }}\"",
        "      user: \"{{ env_var('SNOWFLAKE_USER') }}\"\n      authenticator: externalbrowser",
        "ENV109",
    ),
    Break {
        requirement: "production credentials never leave CI",
        file: ".env",
        edit: Edit::Append("SNOWFLAKE_PROD_PRIVATE_KEY=MIIEvAIBADANBgkqhkiG9w0BAQEFAASC\n"),
        code: "ENV308",
    },
    replace(
        "models do not pin prod's database",
        "models/marts/fct_revenue.sql",
        "select date_trunc",
        "{{ config(database='warehouse', schema='analytics') }}\nselect date_trunc",
        "ENV204",
    ),
    Break {
        requirement: "no human writes prod",
        file: "warehouse/grants.sql",
        edit: Edit::Append("GRANT CREATE TABLE ON SCHEMA warehouse.analytics TO ROLE developer;\n"),
        code: "ENV402",
    },
    Break {
        requirement: "no one but the prod service account writes prod",
        file: "warehouse/grants.sql",
        edit: Edit::Append("GRANT CREATE TABLE ON SCHEMA warehouse.analytics TO ROLE PUBLIC;\n"),
        code: "ENV402",
    },
    Break {
        requirement: "no password is committed in setup SQL",
        file: "warehouse/grants.sql",
        edit: Edit::Append(
            "CREATE USER analyst PASSWORD = 'Sup3r-Secret-Pass' DEFAULT_ROLE = developer;\n",
        ),
        code: "ENV107",
    },
];

const MOTHERDUCK_BREAKS: &[Break] = &[
    replace(
        "the raw share is restricted",
        "warehouse/setup.sql",
        "ACCESS RESTRICTED",
        "ACCESS UNRESTRICTED",
        "ENV401",
    ),
    replace(
        "the raw share updates automatically",
        "warehouse/setup.sql",
        "UPDATE AUTOMATIC",
        "UPDATE MANUAL",
        "ENV405",
    ),
    replace(
        "the raw share keeps its URL",
        "warehouse/setup.sql",
        "CREATE SHARE IF NOT EXISTS",
        "CREATE OR REPLACE SHARE",
        "ENV403",
    ),
    replace(
        "a snapshot is taken before each release",
        ".github/workflows/deploy.yml",
        "CREATE SNAPSHOT",
        "SELECT 'no snapshot:'",
        "ENV309",
    ),
    replace(
        "one token per workload",
        "profiles.yml",
        "MOTHERDUCK_TOKEN_DEV",
        "MOTHERDUCK_TOKEN_PROD",
        "ENV109",
    ),
    replace(
        "every workload reads the same raw share",
        "models/staging/sources.yml",
        "database: raw_prod",
        "database: \"raw_{{ target.name }}\"",
        "ENV406",
    ),
    replace(
        "the prod token never reaches a pull request",
        ".github/workflows/pr.yml",
        "secrets.MOTHERDUCK_TOKEN_CI",
        "secrets.MOTHERDUCK_TOKEN_PROD",
        "ENV302",
    ),
    replace(
        "the teardown drops the schema the PR built",
        ".github/workflows/teardown.yml",
        "DBT_SCHEMA: pr_${{ github.event.number }}",
        "DBT_SCHEMA: pr${{ github.event.number }}",
        "ENV307",
    ),
    replace(
        "sources read production data, not a workload's output",
        "models/staging/sources.yml",
        "database: raw_prod",
        "database: transform",
        "ENV406",
    ),
    replace(
        "every workload reads raw, not its own database",
        "models/staging/sources.yml",
        "    database: raw_prod\n",
        "",
        "ENV406",
    ),
    replace(
        "the raw share is granted to the workloads",
        "warehouse/setup.sql",
        "GRANT READ ON SHARE raw_prod TO transform_dev, transform_ci, transform_prod;",
        "",
        "ENV406",
    ),
    replace(
        "MotherDuck grants per database: dev has its own",
        "profiles.yml",
        "path: \"md:transform_dev\"",
        "path: \"md:transform\"",
        "ENV106",
    ),
    replace(
        "pull requests build the CI target",
        ".github/workflows/pr.yml",
        "dbt build --target ci",
        "dbt build",
        "ENV303",
    ),
    replace(
        "the nightly sweep keeps the policy's ages",
        ".github/workflows/nightly-cleanup.yml",
        "{prefix: dev_, days: 30}",
        "{prefix: dev_, days: 365}",
        "ENV305",
    ),
    replace(
        "the release runs with the prod token",
        ".github/workflows/deploy.yml",
        "MOTHERDUCK_TOKEN_PROD: ${{ secrets.MOTHERDUCK_TOKEN_PROD }}",
        "MOTHERDUCK_TOKEN_PROD: ${{ secrets.MOTHERDUCK_TOKEN_CI }}",
        "ENV109",
    ),
    replace(
        "the teardown runs a macro that exists",
        ".github/workflows/teardown.yml",
        "run-operation drop_schema",
        "run-operation drop_pr_schema",
        "ENV304",
    ),
];

/// The codes a check of `dir` reports, and its exit code.
fn check(dir: &Path) -> (Vec<String>, i32) {
    let output = envlint()
        .args(["--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let codes = json["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|x| x["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (codes, output.status.code().unwrap_or(-1))
}

fn assert_guide(project: &str, breaks: &[Break]) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(project);
    assert_eq!(
        check(&source),
        (Vec::new(), 0),
        "{project} as the guide writes it"
    );
    let mut missed = Vec::new();
    for (i, broken) in breaks.iter().enumerate() {
        let scratch = Scratch::new(&format!(
            "guide-{}-{i}",
            source
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        copy_tree(&source, &scratch.root);
        let path = scratch.root.join(broken.file);
        match broken.edit {
            Edit::Replace(old, new) => {
                let text = std::fs::read_to_string(&path).expect("read");
                assert!(
                    text.contains(old),
                    "{}: `{old}` is not in {}",
                    broken.requirement,
                    broken.file
                );
                std::fs::write(&path, text.replacen(old, new, 1)).expect("write");
            }
            Edit::Append(more) => scratch.write(
                broken.file,
                &(std::fs::read_to_string(&path).unwrap_or_default() + more),
            ),
            Edit::Remove => std::fs::remove_file(&path).expect("remove"),
        }
        let (codes, _) = check(&scratch.root);
        if !codes.iter().any(|c| c == broken.code) {
            missed.push(format!(
                "{}: expected {}, got {codes:?}",
                broken.requirement, broken.code
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "requirements broken and not caught:\n{}",
        missed.join("\n")
    );
}

#[test]
fn three_environments_on_snowflake() {
    assert_guide(SNOWFLAKE, SNOWFLAKE_BREAKS);
}

#[test]
fn motherduck_environment_management() {
    assert_guide(MOTHERDUCK, MOTHERDUCK_BREAKS);
}
