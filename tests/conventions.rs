//! The conventions ruff users expect, through the real binary: `--exit-zero`, `--color`,
//! `-o/--output-file`, `--statistics`, `rules --format json`, shell completions, the policy
//! in `pyproject.toml`, `--format gitlab`, and exit 2 when nothing was checked.

mod common;

use common::{BROKEN, CLEAN, Scratch, copy_tree, envlint, run};

/// An ANSI escape: the start of every colour.
const ESC: char = '\u{1b}';

#[test]
fn nothing_to_check_exits_2_with_the_reason() {
    let scratch = Scratch::new("nothing-to-check");
    scratch.write("notes/README.txt", "no dbt here\n");
    for command in [&["check", "."][..], &["explain", "."]] {
        let out = scratch.run("", command);
        assert_eq!(out.code, 2, "{command:?}: {}", out.stdout);
        assert!(
            out.stderr
                .contains("nothing to check in .: no dbt_project.yml, profiles.yml"),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
}

#[test]
fn exit_zero_reports_the_findings_and_exits_0() {
    let out = run(&["--exit-zero", "--format", "concise", BROKEN]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("error[ENV101]"), "{}", out.stdout);
    let invalid_policy = [
        "--exit-zero",
        "--format",
        "concise",
        "fixtures/invalid-policy/fail-misspelt-keys",
    ];
    assert_eq!(
        run(&invalid_policy).code,
        2,
        "an invalid policy still exits 2"
    );
}

#[test]
fn color_follows_the_flag_then_force_color_then_no_color() {
    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = envlint();
        for (name, value) in env {
            cmd.env(name, value);
        }
        let output = cmd.args(args).arg(BROKEN).output().expect("runs");
        String::from_utf8_lossy(&output.stdout).contains(ESC)
    };
    // The tests run with NO_COLOR=1 and a pipe for stdout.
    assert!(!colored(&[], &[]));
    assert!(colored(&["--color", "always"], &[]));
    assert!(colored(&[], &[("FORCE_COLOR", "1")]));
    assert!(!colored(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(!colored(&["--no-color"], &[("FORCE_COLOR", "1")]));
    assert!(!colored(&[], &[("FORCE_COLOR", "")]), "empty means unset");
    let both = run(&["--color", "always", "--no-color", BROKEN]);
    assert_eq!(both.code, 2, "--color and --no-color conflict");
}

#[test]
fn output_file_holds_what_stdout_would_and_keeps_the_exit_code() {
    let scratch = Scratch::new("output-file");
    let path = scratch.root.join("report.json");
    let shown = path.to_string_lossy().into_owned();
    let to_file = run(&["--format", "json", "-o", &shown, BROKEN]);
    assert_eq!(to_file.code, 1);
    assert!(to_file.stdout.is_empty(), "{}", to_file.stdout);
    let on_stdout = run(&["--format", "json", BROKEN]);
    let written = std::fs::read_to_string(&path).expect("the report was written");
    assert_eq!(written, on_stdout.stdout);
    let explained = run(&["explain", "--output-file", &shown, CLEAN]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    let written = std::fs::read_to_string(&path).expect("replaced");
    assert_eq!(written, run(&["explain", CLEAN]).stdout);
    let leftovers = std::fs::read_dir(&scratch.root).expect("list").count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
    let nowhere = run(&["-o", "/nonexistent-envlint-dir/report.txt", BROKEN]);
    assert_eq!(nowhere.code, 2);
    assert!(
        nowhere.stderr.contains("cannot write --output-file"),
        "{}",
        nowhere.stderr
    );
}

#[test]
fn explain_takes_the_common_flags_of_check() {
    let out = run(&[
        "explain",
        "--color",
        "never",
        "--policy",
        "fixtures/projects/motherduck-three-envs/envlint.yml",
        "--profiles-dir",
        CLEAN,
        CLEAN,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("prod"), "{}", out.stdout);
}

#[test]
fn statistics_count_each_rule_most_first() {
    let out = run(&["--statistics", BROKEN]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("statistics", out.stdout);
    let json = run(&["--statistics", "--format", "json", BROKEN]);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let rows = rows.as_array().expect("an array");
    let total: u64 = rows.iter().filter_map(|r| r["count"].as_u64()).sum();
    assert_eq!(total, 9);
    assert_eq!(rows[0]["code"], "ENV402");
    assert_eq!(rows[0]["count"], 2);
    let env101 = rows.iter().find(|r| r["code"] == "ENV101").expect("ENV101");
    assert_eq!(env101["fixable"], 1);
}

#[test]
fn rules_json_says_which_rules_can_fix() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.code, 0);
    let rules: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let rules = rules.as_array().expect("an array");
    assert_eq!(rules.len(), run(&["rules"]).stdout.lines().count());
    let rule = |code: &str| rules.iter().find(|r| r["code"] == code).expect(code);
    assert_eq!(
        (
            rule("ENV101")["fixable"].as_bool(),
            rule("ENV101")["fix"].as_str()
        ),
        (Some(true), Some("safe"))
    );
    assert_eq!(rule("ENV102")["fix"], "unsafe");
    assert_eq!(rule("ENV001")["fixable"], false);
    assert!(rule("ENV001")["fix"].is_null());
}

#[test]
fn completions_for_every_shell_know_check() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("check"), "{shell}: {}", out.stdout);
    }
    assert_eq!(run(&["completions", "tcsh"]).code, 2);
}

#[test]
fn diff_says_when_there_is_nothing_to_fix() {
    let out = run(&["--diff", CLEAN]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(out.stderr, "Nothing to fix.\n");
}

#[test]
fn gitlab_report_follows_gitlab_code_quality_format() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/gitlab-codequality.schema.json").expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let out = run(&["--format", "gitlab", BROKEN]);
    assert_eq!(out.code, 1);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid report: {errors:#?}");
    let issues = report.as_array().expect("an array");
    assert_eq!(issues.len(), 9);
    let first = &issues[0];
    assert_eq!(first["check_name"], "ENV203");
    assert_eq!(first["severity"], "major");
    assert_eq!(first["location"]["lines"]["begin"], 2);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 9, "every issue has its own fingerprint");
    let mut broken = report.clone();
    broken[0]["severity"] = "error".into();
    assert!(
        !validator.is_valid(&broken),
        "the schema rejects GitLab's unknown severities"
    );
    let clean = run(&["--format", "gitlab", CLEAN]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, "[]\n"));
}

/// The clean example with its policy moved into `pyproject.toml`.
fn pyproject_project(name: &str, policy: &str) -> Scratch {
    let scratch = Scratch::new(name);
    copy_tree(std::path::Path::new(CLEAN), &scratch.root);
    std::fs::remove_file(scratch.root.join("envlint.yml")).expect("moved");
    scratch.write("pyproject.toml", policy);
    scratch
}

const PYPROJECT: &str = r#"[project]
name = "transform"

[tool.dbt-envlint]
extends = "motherduck"
profile = "transform"
cleanup = { dev = "30d", ci = "7d" }

[tool.dbt-envlint.environments.dev]
targets = ["dev"]
schema = "dev_{user}"

[tool.dbt-envlint.environments.ci]
targets = ["ci"]
schema = "pr_{pr}"

[tool.dbt-envlint.environments.prod]
targets = ["prod"]
schema = "main"
deploy-branch = "main"
"#;

#[test]
fn the_policy_can_live_in_pyproject_toml() {
    let scratch = pyproject_project("pyproject-policy", PYPROJECT);
    let out = scratch.run("", &["--format", "concise", "."]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let misspelt = pyproject_project(
        "pyproject-misspelt",
        &PYPROJECT.replace("deploy-branch", "deploy-branches"),
    );
    let out = misspelt.run("", &["--format", "concise", "."]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.starts_with(
            "pyproject.toml:20:1: error[ENV002] unknown environment key `deploy-branches`\n  \
             help: did you mean `deploy-branch`?"
        ),
        "{}",
        out.stdout
    );
    let not_toml = pyproject_project("pyproject-not-toml", "[tool.dbt-envlint\n");
    // Found without `--policy`: a broken table is reported, not replaced by the default.
    let out = not_toml.run("", &["--format", "concise", "."]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout
            .contains("pyproject.toml:1:18: error[ENV002] the policy cannot be used: invalid TOML"),
        "{}",
        out.stdout
    );
}

#[test]
fn envlint_yml_wins_over_pyproject_toml_with_a_note() {
    let scratch = pyproject_project(
        "pyproject-and-yml",
        &PYPROJECT.replace("deploy-branch", "deploy-branches"),
    );
    std::fs::copy(
        std::path::Path::new(CLEAN).join("envlint.yml"),
        scratch.root.join("envlint.yml"),
    )
    .expect("copied");
    let out = scratch.run("", &["--format", "concise", "."]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "note: pyproject.toml has a [tool.dbt-envlint] table, but envlint.yml next to it is \
             the policy used"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn the_policy_nearest_the_dbt_project_wins() {
    let scratch = Scratch::new("nearest-policy");
    scratch.write(".git/HEAD", "ref: refs/heads/main\n");
    scratch.write("transform/dbt_project.yml", "name: shop\nprofile: shop\n");
    scratch.write("envlint.yml", "extends: recommended\n");
    scratch.write(
        "transform/envlint.yml",
        "extends: recommended\nextendz: strict\n",
    );
    // From the repository's root, the project's own policy applies, not the root's.
    let out = scratch.run("", &["--format", "concise", "."]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("transform/envlint.yml:2:1: error[ENV002] unknown policy key `extendz`"),
        "{}",
        out.stdout
    );
    // A second project with no policy of its own: `transform/`'s is not applied to it; the
    // root's is used for both.
    // A note names the project whose own policy was left out, and how to apply it.
    scratch.write("ingest/dbt_project.yml", "name: ingest\nprofile: ingest\n");
    let out = scratch.run("", &["--format", "concise", "."]);
    assert!(!out.stdout.contains("ENV002"), "{}", out.stdout);
    let left_out = "note: transform/dbt_project.yml has its own policy transform/envlint.yml, \
                    but one run applies one policy and this one checked every project against \
                    envlint.yml: run `dbt-envlint transform` to check it against its own";
    assert!(out.stderr.contains(left_out), "{}", out.stderr);
    assert!(
        !out.stderr.contains("ingest/dbt_project.yml has"),
        "{}",
        out.stderr
    );
    // Two projects with two policies: the same, a note for each.
    scratch.write("ingest/envlint.yml", "extends: recommended\n");
    let out = scratch.run("", &["--format", "concise", "."]);
    assert!(!out.stdout.contains("ENV002"), "{}", out.stdout);
    assert!(out.stderr.contains(left_out), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ingest/dbt_project.yml has its own policy ingest/envlint.yml")
    );
    // The policy given by name is not second-guessed.
    let out = scratch.run("", &["--format", "concise", "--policy", "envlint.yml", "."]);
    assert!(!out.stderr.contains("has its own policy"), "{}", out.stderr);
}

#[test]
fn show_settings_names_each_projects_policy_and_profiles() {
    let scratch = Scratch::new("show-settings");
    scratch.write(".git/HEAD", "ref: refs/heads/main\n");
    scratch.write("transform/dbt_project.yml", "name: shop\nprofile: shop\n");
    scratch.write("transform/envlint.yml", "extends: recommended\n");
    scratch.write(
        "ci/profiles.yml",
        "shop:\n  target: ci\n  outputs:\n    ci: {type: duckdb, path: ci.duckdb}\n",
    );
    scratch.write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
    let out = scratch.run("", &["--show-settings", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "transform/dbt_project.yml\n  policy: transform/envlint.yml\n  \
         profiles: `shop` in ci/profiles.yml (used, CI's)\n  \
         files: 1 CI, 0 .env, 0 SQL with permission statements\n"
    );
}
