//! `dbt-envlint init`: the policy it writes matches the repository, `--scaffold` completes
//! the three-environment setup so that the check passes, and no existing file is touched.

mod common;

use std::path::{Path, PathBuf};

use common::run;

/// A fresh copy of a dbt project (`dbt_project.yml`, one model, `profiles` when given) in a
/// temporary repository, under `subdir`.
fn repository(name: &str, subdir: &str, profiles: Option<&str>) -> (PathBuf, PathBuf) {
    let repo = std::env::temp_dir().join(format!("envlint-init-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    let project = repo.join(subdir);
    std::fs::create_dir_all(project.join("models")).expect("scratch");
    std::fs::write(
        project.join("dbt_project.yml"),
        "name: shop\nprofile: shop\n",
    )
    .expect("project");
    std::fs::write(project.join("models/orders.sql"), "select 1 as id\n").expect("model");
    if let Some(fixture) = profiles {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
        std::fs::copy(source, project.join("profiles.yml")).expect("profiles");
    }
    (repo, project)
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SNOWFLAKE: &str =
    "fixtures/write-grant-to-humans-on-prod/pass-read-only-for-people/profiles.yml";

#[test]
fn init_writes_a_policy_from_the_targets_it_finds() {
    let (repo, project) = repository("policy", "", Some(SNOWFLAKE));
    let out = run(&["init", repo.to_str().expect("utf-8 path")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("wrote"), "{}", out.stdout);
    let policy = text(&project.join("envlint.yml"));
    insta::assert_snapshot!("init_snowflake_policy", policy);
    // The policy is valid: no ENV002 when the repository is checked against it.
    let check = run(&["--format", "json", repo.to_str().expect("utf-8 path")]);
    assert!(!check.stdout.contains("ENV002"), "{}", check.stdout);
    assert_ne!(check.code, 2);
    let _ = std::fs::remove_dir_all(&repo);
}

#[test]
fn scaffold_on_a_bare_project_gives_a_setup_the_check_passes() {
    let (repo, project) = repository("bare", "", None);
    let path = repo.to_str().expect("utf-8 path");
    let out = run(&["init", "--scaffold", path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for written in [
        "profiles.yml",
        "envlint.yml",
        "macros/envlint_cleanup.sql",
        ".github/workflows/dbt-pr.yml",
        ".github/workflows/dbt-deploy.yml",
        ".github/workflows/dbt-pr-teardown.yml",
        ".github/workflows/dbt-nightly-cleanup.yml",
    ] {
        assert!(
            project.join(written).is_file(),
            "{written} not written: {}",
            out.stdout
        );
    }
    assert!(text(&project.join("envlint.yml")).contains("extends: motherduck"));
    let pr = text(&repo.join(".github/workflows/dbt-pr.yml"));
    assert!(
        pr.contains("dbt-envlint report --format markdown >> \"$GITHUB_STEP_SUMMARY\""),
        "{pr}"
    );
    let deploy = text(&repo.join(".github/workflows/dbt-deploy.yml"));
    assert!(
        deploy.contains("CREATE SNAPSHOT release_${{ github.sha }} OF shop"),
        "{deploy}"
    );
    for workflow in [
        "dbt-pr",
        "dbt-deploy",
        "dbt-pr-teardown",
        "dbt-nightly-cleanup",
    ] {
        let text = text(&repo.join(format!(".github/workflows/{workflow}.yml")));
        // What zizmor asks of a workflow (scripts/scaffold-check runs zizmor itself).
        for needed in [
            "permissions: {}\n",
            "      contents: read\n",
            "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
            "persist-credentials: false",
            "pip install \"dbt-core~=1.12.0\" dbt-duckdb duckdb",
            "- run: dbt deps",
        ] {
            assert!(text.contains(needed), "{workflow}: no `{needed}`:\n{text}");
        }
    }
    let nightly = text(&repo.join(".github/workflows/dbt-nightly-cleanup.yml"));
    assert!(
        nightly.contains("      DBT_SCHEMA: envlint_cleanup\n"),
        "{nightly}"
    );
    let check = run(&[path]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.starts_with("No findings"), "{}", check.stdout);

    // A second run writes nothing and changes nothing.
    let before = text(&project.join("envlint.yml"));
    let again = run(&["init", "--scaffold", path]);
    assert_eq!(again.code, 0);
    assert!(!again.stdout.contains("wrote"), "{}", again.stdout);
    assert!(again.stdout.contains("kept (exists)"), "{}", again.stdout);
    assert_eq!(text(&project.join("envlint.yml")), before);
    let _ = std::fs::remove_dir_all(&repo);
}

#[test]
fn scaffold_follows_an_existing_profile_in_a_subdirectory() {
    let (repo, project) = repository("snowflake", "transform", Some(SNOWFLAKE));
    let path = repo.to_str().expect("utf-8 path");
    let out = run(&["init", "--scaffold", path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains("profiles.yml"),
        "an existing profile is kept: {}",
        out.stdout
    );
    let pr = text(&repo.join(".github/workflows/dbt-pr.yml"));
    // The CI schema is `pr_{{ env_var('PR_NUMBER') }}`: the variable gets the bare number.
    assert!(pr.contains("PR_NUMBER: ${{ github.event.number }}"), "{pr}");
    assert!(
        pr.contains("SNOWFLAKE_PASSWORD_CI: ${{ secrets.SNOWFLAKE_PASSWORD_CI }}"),
        "{pr}"
    );
    assert!(pr.contains("working-directory: transform"), "{pr}");
    assert!(
        pr.contains("pip install \"dbt-core~=1.12.0\" dbt-snowflake"),
        "{pr}"
    );
    assert!(project.join("macros/envlint_cleanup.sql").is_file());
    let check = run(&["--format", "concise", path]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.starts_with("No findings"), "{}", check.stdout);
    let _ = std::fs::remove_dir_all(&repo);
}

#[test]
fn scaffold_sweeps_at_the_ages_of_an_existing_policy() {
    // The nightly swept at 7 and 30 days whatever the policy said: with `dev: 14d`, the
    // scaffold failed its own check (ENV305).
    let (repo, project) = repository("ages", "", None);
    std::fs::write(
        project.join("envlint.yml"),
        "extends: motherduck\ncleanup:\n  dev: 14d\n  ci: 3d\n",
    )
    .expect("policy");
    let path = repo.to_str().expect("utf-8 path");
    assert_eq!(run(&["init", "--scaffold", path]).code, 0);
    let nightly = text(&repo.join(".github/workflows/dbt-nightly-cleanup.yml"));
    assert!(
        nightly.contains("{prefix: pr_, days: 3, keep: [$open]}"),
        "{nightly}"
    );
    assert!(nightly.contains("{prefix: dev_, days: 14}"), "{nightly}");
    let check = run(&["--format", "concise", path]);
    assert!(check.stdout.starts_with("No findings"), "{}", check.stdout);
    let _ = std::fs::remove_dir_all(&repo);
}

/// A scaffold on DuckDB whose prod schema is `prod_schema`, checked: the JSON findings.
fn scaffold_with_prod_schema(prod_schema: &str) -> String {
    let name = format!("prod-{prod_schema}");
    let (repo, project) = repository(&name, "", None);
    std::fs::write(
        project.join("profiles.yml"),
        format!(
            "shop:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: w.duckdb, schema: \"dev_{{{{ env_var('USER') }}}}\"}}\n    ci: {{type: duckdb, path: w.duckdb, schema: \"pr_{{{{ env_var('PR_NUMBER') }}}}\"}}\n    prod: {{type: duckdb, path: w.duckdb, schema: {prod_schema}}}\n"
        ),
    )
    .expect("profiles");
    let path = repo.to_str().expect("utf-8 path");
    assert_eq!(run(&["init", "--scaffold", path]).code, 0);
    let check = run(&["--format", "json", path]);
    let _ = std::fs::remove_dir_all(&repo);
    check.stdout
}

#[test]
fn the_scaffolded_cleanup_never_matches_prod_by_env306_s_own_matcher() {
    // The sweep's registry query selects `like 'dev\_%'`: ENV306 reads that pattern from the
    // macro the nightly runs, so a prod schema it matches is reported...
    let hit = scaffold_with_prod_schema("dev_reports");
    assert!(hit.contains("ENV306"), "{hit}");
    // ...and the names a prod schema usually has, or that look like the prefixes, are not.
    for prod in [
        "main",
        "prod",
        "production",
        "analytics",
        "dev",
        "development",
        "devops",
        "pr",
        "prd",
        "prod_analytics",
        "envlint_housekeeping",
    ] {
        let out = scaffold_with_prod_schema(prod);
        assert!(!out.contains("ENV306"), "{prod}: {out}");
    }
}

#[test]
fn scaffold_wires_the_build_hook_keeping_the_project_s_own_hooks() {
    let (repo, project) = repository("hooks", "", None);
    let hooks = "name: shop\nprofile: shop\non-run-end:\n  - \"grant usage on schema {{ target.schema }} to role reporter\"\n";
    std::fs::write(project.join("dbt_project.yml"), hooks).expect("project");
    let path = repo.to_str().expect("utf-8 path");
    // Only `--scaffold` touches the project file.
    assert_eq!(run(&["init", path]).code, 0);
    assert_eq!(text(&project.join("dbt_project.yml")), hooks);
    let out = run(&["init", "--scaffold", path]);
    assert!(out.stdout.contains("edited  "), "{}", out.stdout);
    assert_eq!(
        text(&project.join("dbt_project.yml")),
        format!("{hooks}  - \"{{{{ envlint_record_build(results) }}}}\"\n")
    );
    let again = run(&["init", "--scaffold", path]);
    assert!(again.stdout.contains("kept (hooked)"), "{}", again.stdout);
    let _ = std::fs::remove_dir_all(&repo);

    // A hook written as one string is not rewritten: the user is told what to add.
    let (repo, project) = repository("hook-string", "", None);
    let single = "name: shop\nprofile: shop\non-run-end: \"grant usage on schema x to role y\"\n";
    std::fs::write(project.join("dbt_project.yml"), single).expect("project");
    let out = run(&["init", "--scaffold", repo.to_str().expect("utf-8 path")]);
    assert!(out.stdout.contains("not edited  "), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("- \"{{ envlint_record_build(results) }}\""),
        "{}",
        out.stdout
    );
    assert_eq!(text(&project.join("dbt_project.yml")), single);
    let _ = std::fs::remove_dir_all(&repo);
}

#[test]
fn the_readme_s_scaffold_session_prints_what_it_shows() {
    // The README's `init --scaffold` example: each `$ dbt-envlint` line is run in a bare
    // project (the one `repository` makes) and must print the lines under it.
    let readme = text(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let session = readme
        .split("```text\n")
        .map(|block| block.split("```").next().unwrap_or_default())
        .find(|block| block.starts_with("$ dbt-envlint init --scaffold ."))
        .expect("the README shows an init --scaffold session");
    let (repo, _) = repository("readme", "", None);
    let mut commands = 0;
    for command in session.split("$ dbt-envlint").skip(1) {
        let (args, shown) = command.split_once('\n').expect("a command line");
        let output = common::envlint()
            .current_dir(&repo)
            .args(args.split_whitespace())
            .output()
            .expect("runs");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            shown,
            "$ dbt-envlint{args}"
        );
        commands += 1;
    }
    assert_eq!(commands, 2, "{session}");
    let _ = std::fs::remove_dir_all(&repo);
}

#[test]
fn init_reads_profiles_kept_outside_the_repository() {
    let (repo, project) = repository("profiles-dir", "transform", None);
    let dot_dbt = repo.with_extension("dbt");
    std::fs::create_dir_all(&dot_dbt).expect("scratch");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNOWFLAKE);
    std::fs::copy(source, dot_dbt.join("profiles.yml")).expect("profiles");
    let path = repo.to_str().expect("utf-8 path");
    let dir = dot_dbt.to_str().expect("utf-8 path");
    let out = run(&["init", "--profiles-dir", dir, path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The policy names the targets of the profile outside, as if it were in the project.
    let policy = text(&project.join("envlint.yml"));
    insta::assert_snapshot!("init_snowflake_policy", policy);
    let _ = std::fs::remove_dir_all(&repo);
    let _ = std::fs::remove_dir_all(&dot_dbt);
}

/// A CI schema with another prefix than `pr_` (`ci_<number>`): the scaffold writes no job
/// that would build into or drop `pr_<number>`, and says why; an existing pull-request
/// workflow with no activity types (GitHub's default ones) is kept, not duplicated.
#[test]
fn scaffold_leaves_out_the_per_pr_jobs_a_ci_prefix_would_break() {
    let fixture = "fixtures/missing-pr-teardown/fail-custom-ci-prefix";
    let (repo, project) = repository("ci-prefix", ".", Some(&format!("{fixture}/profiles.yml")));
    let workflows = repo.join(".github/workflows");
    std::fs::create_dir_all(&workflows).expect("workflows");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
    std::fs::copy(
        source.join(".github/workflows/pr.yml"),
        workflows.join("pr.yml"),
    )
    .expect("pr");
    let path = repo.to_str().expect("utf-8 path");
    let out = run(&["init", "--scaffold", path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for name in ["dbt-pr-teardown.yml", "dbt-nightly-cleanup.yml"] {
        assert!(!workflows.join(name).exists(), "{name} written");
        assert!(
            out.stdout.contains(&format!(
                "not written  {}/.github/workflows/{name}: the CI schema \
                 `ci_{{{{ env_var('PR_NUMBER') }}}}` starts with `ci_`",
                repo.display()
            )),
            "{}",
            out.stdout
        );
    }
    assert!(
        !workflows.join("dbt-pr.yml").exists(),
        "the existing PR build was duplicated"
    );
    assert!(workflows.join("dbt-deploy.yml").is_file());
    assert!(project.join("envlint.yml").is_file());
    let _ = std::fs::remove_dir_all(&repo);
}

/// `credentials:` lists only the secrets prod alone reads: a variable a dev target reads too
/// is each machine's own value, and declaring it prod's would make ENV109 flag the dev
/// target. `schema:` only when every prod target writes the same literal schema.
#[test]
fn init_declares_only_the_secrets_only_prod_reads() {
    let (repo, project) = repository("shared-credential", ".", None);
    std::fs::write(
        project.join("profiles.yml"),
        "shop:\n  target: dev\n  outputs:\n    dev:\n      type: snowflake\n      account: acme\n      user: \"{{ env_var('SNOWFLAKE_USER') }}\"\n      password: \"{{ env_var('SNOWFLAKE_PASSWORD') }}\"\n      database: analytics_dev\n      schema: \"dev_{{ env_var('USER') }}\"\n    prod:\n      type: snowflake\n      account: acme\n      user: deploy\n      password: \"{{ env_var('SNOWFLAKE_PASSWORD') }}\"\n      private_key: \"{{ env_var('SNOWFLAKE_PRIVATE_KEY_PROD') }}\"\n      database: analytics\n      schema: analytics\n    prod_eu:\n      type: snowflake\n      account: acme_eu\n      user: deploy\n      private_key: \"{{ env_var('SNOWFLAKE_PRIVATE_KEY_PROD') }}\"\n      database: analytics\n      schema: \"{{ env_var('EU_SCHEMA') }}\"\n",
    )
    .expect("profiles");
    let path = repo.to_str().expect("utf-8 path");
    let check = || {
        let out = run(&[
            "--format",
            "concise",
            "--select",
            "ENV109,ENV104",
            "--quiet",
            path,
        ]);
        out.stdout
    };
    let before = check();
    let out = run(&["init", path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let policy = text(&project.join("envlint.yml"));
    assert!(
        policy.contains("    credentials: [SNOWFLAKE_PRIVATE_KEY_PROD]"),
        "{policy}"
    );
    assert!(
        policy.contains("# not in `credentials:`: SNOWFLAKE_PASSWORD (other targets read it too"),
        "{policy}"
    );
    assert!(
        !policy.contains("    schema: analytics"),
        "two prod schemas: {policy}"
    );
    // The policy init writes adds no credential or schema finding to what the evidence gave.
    assert_eq!(check(), before);
    let _ = std::fs::remove_dir_all(&repo);
}
