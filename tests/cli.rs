//! The real binary, end to end: the example projects, exit codes, flags, the policy, the
//! rule commands, profile discovery, and that no secret reaches any output.

use std::path::Path;

mod common;

use common::{ADAPTERS, BROKEN, CLEAN, Scratch, adapter_project, envlint, run};

#[test]
fn broken_project_human_output() {
    let out = run(&[BROKEN]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("broken_human", out.stdout);
}

#[test]
fn broken_project_concise_output() {
    let out = run(&["check", "--format", "concise", BROKEN]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("broken_concise", out.stdout);
}

#[test]
fn broken_project_json_output() {
    let out = run(&["--format", "json", BROKEN]);
    assert_eq!(out.code, 1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    let first = &json["diagnostics"][0];
    for key in [
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
        "url",
        "labels",
    ] {
        assert!(first.get(key).is_some(), "missing `{key}` in {first}");
    }
    assert_eq!(json["summary"]["errors"], 7);
    insta::assert_snapshot!("broken_json", out.stdout);
}

#[test]
fn json_positions_are_one_based_character_columns() {
    let out = run(&["--format", "json", "--select", "ENV101", BROKEN]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let d = &json["diagnostics"][0];
    // `  target: prod` -> `prod` is on line 3, columns 11..15.
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(3), Some(11), Some(15))
    );
    assert_eq!(d["file"], format!("{BROKEN}/profiles.yml"));
}

#[test]
fn clean_project_has_no_findings() {
    for format in ["human", "concise"] {
        let out = run(&["--format", format, CLEAN]);
        assert_eq!(out.code, 0, "{}", out.stdout);
        assert_eq!(out.stdout, "No findings in 13 files.\n");
    }
    let out = run(&["--format", "json", CLEAN]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("\"diagnostics\": []"));
}

#[test]
fn select_and_ignore_take_codes_and_names() {
    let out = run(&[
        "--format",
        "concise",
        "--select",
        "literal-secret,ENV101",
        BROKEN,
    ]);
    let codes: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with("[*]"))
        .filter_map(|l| l.split('[').nth(1))
        .map(|c| &c[..6])
        .collect();
    assert_eq!(codes, ["ENV101", "ENV107"]);
    let out = run(&[
        "--format",
        "concise",
        "--ignore",
        "ENV101",
        "--ignore",
        "literal-secret",
        BROKEN,
    ]);
    assert!(!out.stdout.contains("ENV101") && !out.stdout.contains("ENV107"));
    assert!(out.stdout.contains("ENV106"));
}

#[test]
fn unknown_rule_is_a_usage_error_with_a_suggestion() {
    let out = run(&["--select", "shared-dev-schemas", BROKEN]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `shared-dev-schema`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let warning_only = ["--select", "ENV102", BROKEN];
    assert_eq!(run(&warning_only).code, 0);
    let mut args = vec!["--fail-on", "warning"];
    args.extend(warning_only);
    assert_eq!(run(&args).code, 1);
}

#[test]
fn quiet_drops_the_summary() {
    let out = run(&["--quiet", "--format", "concise", BROKEN]);
    assert!(!out.stdout.contains("Found"));
    let findings = out.stdout.lines().filter(|l| !l.starts_with("  help: "));
    assert_eq!(findings.count(), 9);
}

#[test]
fn invalid_policy_exits_2_and_points_into_it() {
    let out = run(&[
        "--format",
        "concise",
        "fixtures/invalid-policy/fail-misspelt-keys",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout
            .contains("envlint.yml:2:1: error[ENV002] unknown policy key `extend`"),
        "{}",
        out.stdout
    );
}

#[test]
fn explicit_policy_file_is_used_and_must_exist() {
    let policy = "fixtures/schema-pattern-mismatch/fail-wrong-prefix/envlint.yml";
    let out = run(&[
        "--format",
        "concise",
        "--select",
        "ENV104",
        "--policy",
        policy,
        "fixtures/schema-pattern-mismatch/pass-no-pattern-in-policy",
    ]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("ENV104"), "{}", out.stdout);
    let out = run(&["--policy", "no/such/envlint.yml", BROKEN]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("policy file not found"));
}

#[test]
fn strict_preset_raises_warnings_to_errors() {
    let args = ["--format", "concise", "--select", "ENV102", BROKEN];
    let recommended = run(&args);
    assert_eq!(recommended.code, 0);
    assert!(recommended.stdout.contains("warning[ENV102]"));
    let mut strict_args = vec!["--policy", "tests/data/policies/strict.yml"];
    strict_args.extend(args);
    let strict = run(&strict_args);
    assert_eq!(strict.code, 1);
    assert!(strict.stdout.contains("error[ENV102]"), "{}", strict.stdout);
}

#[test]
fn policy_rules_override_severities_and_turn_rules_off() {
    let out = run(&[
        "--format",
        "concise",
        "--policy",
        "tests/data/policies/overrides.yml",
        BROKEN,
    ]);
    assert!(out.stdout.contains("warning[ENV101]"), "{}", out.stdout);
    assert!(out.stdout.contains("error[ENV102]"), "{}", out.stdout);
    assert!(!out.stdout.contains("ENV107"), "{}", out.stdout);
}

#[test]
fn missing_path_exits_2() {
    let out = run(&["no/such/dir"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no such file or directory"));
}

#[test]
fn rules_lists_every_rule() {
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("rules", out.stdout);
}

#[test]
fn rule_prints_documentation_by_code_or_name() {
    let by_code = run(&["rule", "ENV106"]);
    let by_name = run(&["rule", "non-prod-target-writes-prod"]);
    assert_eq!(by_code.code, 0);
    assert_eq!(by_code.stdout, by_name.stdout);
    assert!(
        by_code
            .stdout
            .starts_with("# ENV106 non-prod-target-writes-prod")
    );
    assert!(by_code.stdout.contains("## Why is this bad?"));
    let out = run(&["rule", "ENV1O1"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `ENV101`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn schema_command_prints_the_committed_policy_schema() {
    let out = run(&["schema"]);
    assert_eq!(out.code, 0);
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/envlint.schema.json"),
    )
    .expect("docs/envlint.schema.json");
    assert_eq!(out.stdout, committed);
    assert!(
        !run(&["--help"]).stdout.contains("schema"),
        "the command is hidden"
    );
}

#[test]
fn user_profiles_are_read_only_when_asked_and_only_for_used_profiles() {
    let home = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user-home");
    let project = "tests/data/user-project";
    let without = envlint()
        .env("HOME", &home)
        .args(["--format", "concise", project])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&without.stdout).starts_with("No findings"));
    let note = String::from_utf8_lossy(&without.stderr);
    assert!(
        note.contains(
            "note: profile `shop` of tests/data/user-project/dbt_project.yml is in no profiles file here"
        ),
        "{note}"
    );
    let with = envlint()
        .env("HOME", &home)
        .args(["--format", "concise", "--user-profiles", project])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&with.stdout);
    assert!(
        stdout.contains("default target `prod` is a prod target"),
        "{stdout}"
    );
    assert!(!stdout.contains("unrelated"), "{stdout}");
}

/// A committed profile that dbt reads before the developer's `~/.dbt` one never hides it
/// silently: with `--user-profiles` both are checked and a note says which one dbt uses.
#[test]
fn a_committed_profile_that_shadows_the_users_is_named_in_a_note() {
    let scratch = Scratch::new("shadowed-user-profile");
    scratch.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    scratch.write(
        "repo/transform/dbt_project.yml",
        "name: shop\nprofile: shop\n",
    );
    scratch.write(
        "repo/transform/profiles.yml",
        "shop:\n  target: ci\n  outputs:\n    ci: {type: duckdb, path: ci.duckdb, schema: \"pr_{{ env_var('PR_NUMBER') }}\"}\n",
    );
    scratch.write(
        "home/.dbt/profiles.yml",
        "shop:\n  target: prod\n  outputs:\n    prod: {type: duckdb, path: prod.duckdb, schema: main}\n",
    );
    let out = envlint()
        .current_dir(scratch.root.join("repo"))
        .env("HOME", scratch.root.join("home"))
        .args(["--format", "concise", "--user-profiles", "."])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("but dbt reads transform/profiles.yml first"),
        "{stderr}"
    );
    assert!(
        stdout.contains("home/.dbt/profiles.yml:2:11: error[ENV101]"),
        "{stdout}"
    );
}

/// A profile that only CI writes (a heredoc in a workflow) holds CI's targets: the note says
/// the developers' own was not read, until `--user-profiles` reads it.
#[test]
fn a_profile_only_ci_writes_says_the_developers_own_was_not_read() {
    let scratch = Scratch::new("ci-only-profile");
    scratch.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    scratch.write("repo/dbt_project.yml", "name: shop\nprofile: shop\n");
    scratch.write(
        "repo/.github/workflows/ci.yml",
        "on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cat > ~/.dbt/profiles.yml <<YAML\n          shop:\n            target: ci\n            outputs:\n              ci: {type: duckdb, path: ci.duckdb, schema: \"pr_${{ github.event.number }}\"}\n          YAML\n      - run: dbt build --target ci\n",
    );
    scratch.write(
        "home/.dbt/profiles.yml",
        "shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb, schema: dev_me}\n",
    );
    let check = |args: &[&str]| {
        let out = envlint()
            .current_dir(scratch.root.join("repo"))
            .env("HOME", scratch.root.join("home"))
            .args(args)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let note =
        "profile `shop` of dbt_project.yml is here only as CI's, in .github/workflows/ci.yml";
    let without = check(&["--format", "concise", "."]);
    assert!(without.contains(note), "{without}");
    let with = check(&["--format", "concise", "--user-profiles", "."]);
    assert!(!with.contains(note), "{with}");
}

#[test]
fn profiles_dir_flag_and_variable_locate_profiles_outside_the_repository() {
    let dir = "tests/data/user-home/.dbt";
    let project = "tests/data/user-project";
    let out = run(&["--format", "concise", "--profiles-dir", dir, project]);
    assert!(out.stdout.contains("ENV101"), "{}", out.stdout);
    let out = envlint()
        .env("DBT_PROFILES_DIR", dir)
        .args(["--format", "concise", project])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ENV101"));
}

#[test]
fn monorepo_projects_are_all_checked() {
    let out = run(&["--format", "concise", "tests/data/monorepo"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("monorepo/b/profiles.yml:2:11: error[ENV101]"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("monorepo/a/"), "{}", out.stdout);
}

#[test]
fn no_output_format_contains_a_secret() {
    assert_no_output_contains_the_planted_secrets("tests/data/planted-secrets", "profiles.yml", 10);
}

#[test]
fn no_output_format_contains_a_password_from_setup_sql() {
    assert_no_output_contains_the_planted_secrets(
        "tests/data/planted-sql-passwords",
        "warehouse/setup.sql",
        7,
    );
}

/// Every `PLANTED-...` word of `dir/file` (at least `count`) is found and never printed.
fn assert_no_output_contains_the_planted_secrets(dir: &str, file: &str, count: usize) {
    let planted =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(file))
            .expect("planted secrets fixture");
    let secrets: Vec<&str> = planted
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("PLANTED-"))
        .collect();
    assert!(
        secrets.len() >= count,
        "the fixture plants secrets in every field shape"
    );
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let out = run(&["--format", format, "--exit-non-zero-on-findings", dir]);
        assert_eq!(out.code, 1, "{format}");
        assert!(
            out.stdout.contains("ENV107"),
            "{format}: the secrets are found"
        );
        for secret in &secrets {
            assert!(
                !out.stdout.contains(secret),
                "{format} output contains {secret}"
            );
            assert!(
                !out.stderr.contains(secret),
                "{format} stderr contains {secret}"
            );
        }
    }
}

#[test]
fn version_prints_quickly_and_names_the_tool() {
    let out = run(&["--version"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("dbt-envlint "));
}

/// A scratch tree with one small project per corpus `dbt_project.yml` (the file itself),
/// per corpus macro and per corpus CI file (in a fixed project), each with a dev/ci/prod
/// profile and two models.
fn corpus_projects(scratch: &Path, corpus: &Path) -> usize {
    let fixed =
        "name: corpus\nprofile: corpus\nmodels:\n  corpus:\n    marts:\n      +schema: marts\n";
    let mut count = 0;
    for folder in ["project", "macros", "ci"] {
        let entries =
            std::fs::read_dir(corpus.join(folder)).expect("the corpus beside the repository");
        for entry in entries.flatten() {
            let dir = scratch.join(folder).join(entry.file_name());
            std::fs::create_dir_all(dir.join("models/marts")).expect("scratch dir");
            std::fs::create_dir_all(dir.join("macros")).expect("scratch dir");
            let name = entry.file_name().to_string_lossy().into_owned();
            let project = match folder {
                "project" => String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read"))
                    .into_owned(),
                "macros" => {
                    std::fs::copy(entry.path(), dir.join("macros/corpus.sql")).expect("copy macro");
                    fixed.to_owned()
                }
                _ => {
                    let workflows = dir.join(".github/workflows");
                    std::fs::create_dir_all(&workflows).expect("workflows dir");
                    let destination = if name.contains("gitlab-ci") {
                        dir.join(".gitlab-ci.yml")
                    } else {
                        workflows.join("ci.yml")
                    };
                    std::fs::copy(entry.path(), destination).expect("copy workflow");
                    fixed.to_owned()
                }
            };
            let profile = project
                .lines()
                .find_map(|l| l.strip_prefix("profile:"))
                .map_or("corpus", |p| p.trim().trim_matches(['\'', '"']))
                .to_owned();
            std::fs::write(dir.join("dbt_project.yml"), &project).expect("write");
            let targets = "dev: {type: duckdb, path: \"md:w\", schema: \"dev_{{ env_var('USER') }}\"}\n    ci: {type: duckdb, path: \"md:w_ci\", schema: \"{{ env_var('DBT_SCHEMA') }}\"}\n    prod: {type: duckdb, path: \"md:w\", schema: main}";
            std::fs::write(
                dir.join("profiles.yml"),
                format!("{profile}:\n  target: dev\n  outputs:\n    {targets}\n"),
            )
            .expect("write");
            std::fs::write(dir.join("models/stg.sql"), "select 1\n").expect("write");
            std::fs::write(
                dir.join("models/marts/fct.sql"),
                "{{ config(alias='fct_x') }}\nselect 1\n",
            )
            .expect("write");
            count += 1;
        }
    }
    count
}

#[test]
fn explain_and_check_run_over_every_corpus_project_and_macro() {
    // `ENVLINT_CORPUS`, else the corpus beside the checkout; a plain clone has neither.
    let corpus = std::env::var_os("ENVLINT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        std::path::PathBuf::from,
    );
    if std::env::var_os("ENVLINT_CORPUS").is_none() && !corpus.is_dir() {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"corpus test not run: no ../shared/corpus (set ENVLINT_CORPUS to run it)\n",
        );
        return;
    }
    let scratch = std::env::temp_dir().join(format!("envlint-cli-corpus-{}", std::process::id()));
    let count = corpus_projects(&scratch, &corpus);
    assert!(count >= 240, "only {count} corpus files");
    let dir = scratch.display().to_string();
    let json = run(&["explain", "--format", "json", &dir]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    let projects = parsed["projects"].as_array().map_or(0, Vec::len);
    assert!(projects >= 140, "only {projects} projects resolved");
    let human = run(&["explain", &dir]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    let check = run(&["--format", "json", &dir]);
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).expect("valid JSON");
    let codes: Vec<&str> = findings["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    for code in ["ENV301", "ENV302", "ENV303"] {
        assert!(codes.contains(&code), "the corpus CI files show {code}");
    }
    let credentials = run(&["explain", "--credentials", "--format", "json", &dir]);
    assert_eq!(credentials.code, 0, "{}", credentials.stderr);
    let _: serde_json::Value = serde_json::from_str(&credentials.stdout).expect("valid JSON");
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn broken_motherduck_shows_every_ci_and_share_mistake() {
    let out = run(&[
        "--format",
        "json",
        "fixtures/projects/motherduck-three-envs-broken",
    ]);
    assert_eq!(out.code, 1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let mut codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "ENV301", "ENV302", "ENV303", "ENV306", "ENV307", "ENV308", "ENV309", "ENV401",
            "ENV403", "ENV405"
        ]
    );
    assert!(
        !out.stdout.contains("broken-example-not-a-real-token"),
        "the .env value is never printed"
    );
    let human = run(&["fixtures/projects/motherduck-three-envs-broken"]);
    assert!(!human.stdout.contains("broken-example-not-a-real-token"));
}

#[test]
fn a_project_folder_is_checked_with_its_repositorys_workflows() {
    // `dbt-envlint transform` in a monorepo: the workflows at the repository's root build
    // that project, so they are read too (and shown relative to where the user stands).
    let repo = Scratch::new("monorepo");
    std::fs::create_dir_all(repo.root.join(".git")).expect(".git");
    repo.write("transform/dbt_project.yml", "name: shop\nprofile: shop\n");
    repo.write(
        "transform/profiles.yml",
        "shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb}\n    prod: {type: snowflake, account: acme, database: ANALYTICS, schema: marts}\n",
    );
    repo.write(
        ".github/workflows/pr.yml",
        "on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd transform && dbt build --target prod\n",
    );
    let out = repo.run("transform", &["--format", "concise", "."]);
    assert!(
        out.stdout
            .contains("../.github/workflows/pr.yml:6:49: error[ENV301]"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_profile_defined_in_two_files_is_said_and_both_are_checked() {
    // A developer sample and CI's copy of one profile: dbt uses whichever its profiles
    // directory points at, so both are checked, and the nearest resolves where models land.
    let repo = Scratch::new("two-profile-files");
    repo.write("transform/dbt_project.yml", "name: shop\nprofile: shop\n");
    repo.write(
        "admin/sample_profiles.yml",
        "shop:\n  target: dev\n  outputs:\n    dev: {type: snowflake, account: acme, database: DEV, schema: dev}\n",
    );
    repo.write(
        "transform/ci/profiles.yml",
        "shop:\n  target: prod\n  outputs:\n    prod: {type: snowflake, account: acme, database: ANALYTICS, schema: marts}\n",
    );
    repo.write(
        "transform/macros/m.sql",
        "{% macro m() %}{% if target.name == 'prod' %}1{% endif %}{% endmacro %}\n",
    );
    let out = repo.run(".", &["--format", "concise", "."]);
    assert!(
        out.stderr.contains(
            "note: profile `shop` of transform/dbt_project.yml is defined in admin/sample_profiles.yml and transform/ci/profiles.yml; where models land is resolved with the nearest, transform/ci/profiles.yml,"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("admin/sample_profiles.yml:4:66: warning[ENV102]"),
        "the sample's dev target is checked: {}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("ENV202"),
        "`prod` is a target: {}",
        out.stdout
    );
}

#[test]
fn two_repositories_in_one_run_never_borrow_each_others_profile() {
    let repo = Scratch::new("two-repositories");
    repo.write("a/dbt_project.yml", "name: a\nprofile: warehouse\n");
    repo.write("b/dbt_project.yml", "name: b\nprofile: warehouse\n");
    repo.write(
        "b/profiles.yml",
        "warehouse:\n  target: prod\n  outputs:\n    prod: {type: snowflake, account: acme, database: ANALYTICS, schema: marts}\n",
    );
    let out = repo.run(".", &["--format", "concise", "a", "b"]);
    assert!(
        out.stderr
            .contains("note: profile `warehouse` of a/dbt_project.yml is in no profiles file here"),
        "{}",
        out.stderr
    );
    let explain = repo.run(".", &["explain", "a", "b"]);
    assert!(
        !explain.stdout.contains("a (a), profile"),
        "{}",
        explain.stdout
    );
    assert!(
        explain.stdout.contains("b (b), profile `warehouse`"),
        "{}",
        explain.stdout
    );
}

#[test]
fn select_keeps_parse_and_policy_errors_unless_they_are_ignored() {
    // `--select ENV101` on an invalid policy and a broken profile said "No findings", exit 0.
    let repo = Scratch::new("select-keeps-env001");
    repo.write("envlint.yml", "extends: nope\n");
    repo.write("dbt_project.yml", "name: a\nprofile: a\n");
    repo.write(
        "profiles.yml",
        "a:\n  target: prod\n  outputs:\n    prod: {type: duckdb\n",
    );
    let narrowed = repo.run(".", &["--format", "concise", "--select", "ENV101", "."]);
    assert!(
        narrowed.stdout.contains("error[ENV001]"),
        "{}",
        narrowed.stdout
    );
    assert!(
        narrowed
            .stdout
            .contains("error[ENV002] unknown preset `nope`"),
        "{}",
        narrowed.stdout
    );
    assert_eq!(narrowed.code, 2);
    let ignored = repo.run(
        ".",
        &[
            "--format",
            "concise",
            "--select",
            "ENV101",
            "--ignore",
            "ENV001,ENV002",
            ".",
        ],
    );
    assert!(
        ignored.stdout.starts_with("No findings"),
        "{}",
        ignored.stdout
    );
}

#[test]
fn every_adapters_good_three_target_profile_is_clean_under_every_rule() {
    for adapter in ADAPTERS {
        let out = run(&["check", "--format", "concise", &adapter_project(adapter)]);
        assert_eq!(out.code, 0, "{adapter}: {}{}", out.stdout, out.stderr);
    }
}

#[test]
fn a_file_named_inside_a_git_repository_reads_the_top_workflows() {
    // The workflows were looked for under the file itself (`profiles.yml/../.github/...`):
    // one ENV001 "Not a directory" per workflow.
    let repo = Scratch::new("file-in-git-repo");
    std::fs::create_dir_all(repo.root.join(".git")).expect("git dir");
    repo.write(
        ".github/workflows/pr.yml",
        "on: pull_request\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: dbt build --target prod\n",
    );
    repo.write("transform/dbt_project.yml", "name: a\nprofile: a\n");
    repo.write(
        "transform/profiles.yml",
        "a:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb, schema: main}\n    prod: {type: duckdb, path: \"md:a\", schema: main}\n",
    );
    let out = repo.run(".", &["--format", "concise", "transform/profiles.yml"]);
    assert!(!out.stdout.contains("ENV001"), "{}", out.stdout);
    assert!(out.stdout.contains("error[ENV301]"), "{}", out.stdout);
}
