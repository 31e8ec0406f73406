//! The real binary, end to end: example projects in every format, exit codes, flags, the
//! rule commands, profile discovery, and that no secret reaches any output.

use std::path::Path;

mod common;

use common::{envlint, run};

const BROKEN: &str = "fixtures/projects/everyone-tests-in-prod";
const CLEAN: &str = "fixtures/projects/motherduck-three-envs";

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
fn broken_project_github_output() {
    let out = run(&["--format", "github", BROKEN]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("broken_github", out.stdout);
}

#[test]
fn github_output_annotates_ten_findings_per_level_and_lists_the_rest() {
    // 12 errors and 2 warnings.
    let out = run(&["--format", "github", "tests/data/planted-secrets"]);
    let count = |prefix: &str| out.stdout.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!((count("::error "), count("::warning ")), (10, 2));
    assert!(
        out.stdout.contains(
            "2 more findings (GitHub shows 10 annotations of each level per step):\n\
             tests/data/planted-secrets/profiles.yml:54:17: error[ENV107]"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn broken_project_junit_output() {
    let out = run(&["--format", "junit", BROKEN]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout.matches("<failure ").count(), 10);
    // 10 failing testcases, one per finding, and 3 clean files with one passing testcase.
    assert_eq!(out.stdout.matches("<testcase ").count(), 13);
    assert!(
        out.stdout.contains("tests=\"13\" failures=\"10\""),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("broken_junit", out.stdout);
}

/// The SARIF log of `args`, checked against the official SARIF 2.1.0 schema.
fn valid_sarif(args: &[&str]) -> (i32, serde_json::Value) {
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .expect("the vendored SARIF schema");
    let mut schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    // The official schema's two `language` patterns have a stray `]` that no strict
    // ECMA-262 regex engine compiles (a known erratum); they constrain a property we never
    // write, so only those two keywords are dropped before compiling.
    for owner in ["run", "toolComponent"] {
        let language = schema
            .pointer_mut(&format!("/definitions/{owner}/properties/language"))
            .and_then(serde_json::Value::as_object_mut)
            .expect("`language` in the SARIF schema");
        assert!(language.remove("pattern").is_some(), "the erratum is there");
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let mut full_args = vec!["--format", "sarif"];
    full_args.extend(args);
    let out = run(&full_args);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    let mut broken = log.clone();
    broken["runs"][0]["columnKind"] = "bytes".into();
    assert!(
        !validator.is_valid(&broken),
        "the validator rejects invalid SARIF"
    );
    (out.code, log)
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0_with_every_rule_and_finding() {
    let (code, log) = valid_sarif(&[BROKEN]);
    assert_eq!(code, 0, "SARIF runs exit 0 so the upload step runs");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let listed = self::run(&["rules"]).stdout.lines().count();
    assert_eq!(rules.len(), listed, "every rule's metadata");
    let env101 = rules.iter().find(|r| r["id"] == "ENV101").expect("ENV101");
    assert_eq!(env101["name"], "default-target-prod");
    assert_eq!(env101["defaultConfiguration"]["level"], "error");
    assert!(
        env101["helpUri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/ENV101.md"))
    );
    assert!(
        env101["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## Why is this bad?"))
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 10);
    let default_target = results
        .iter()
        .find(|r| r["ruleId"] == "ENV101")
        .expect("ENV101");
    let location = &default_target["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        format!("{BROKEN}/profiles.yml")
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "SRCROOT");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 15})
    );
    assert_eq!(
        default_target["relatedLocations"][0]["message"]["text"],
        "prod target defined here"
    );
    let (code, log) = valid_sarif(&["--exit-non-zero-on-findings", BROKEN]);
    assert_eq!(code, 1);
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(10));
    let (code, clean) = valid_sarif(&[CLEAN]);
    assert_eq!(code, 0);
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
    let (code, policy) = valid_sarif(&["fixtures/invalid-policy/fail-misspelt-keys"]);
    assert_eq!(code, 2, "an invalid policy still exits 2");
    assert_eq!(policy["runs"][0]["results"][0]["ruleId"], "ENV002");
}

#[test]
fn sarif_fingerprints_survive_lines_added_above_a_finding() {
    let scratch = std::env::temp_dir().join(format!("envlint-cli-drift-{}", std::process::id()));
    let project = scratch.join("project");
    std::fs::create_dir_all(&project).expect("scratch dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(BROKEN);
    for name in ["dbt_project.yml", "profiles.yml"] {
        std::fs::copy(source.join(name), project.join(name)).expect("copy");
    }
    let fingerprints = || {
        let out = envlint()
            .current_dir(&scratch)
            .args(["--format", "sarif", "--select", "ENV101,ENV107", "project"])
            .output()
            .expect("runs");
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                let line = &r["locations"][0]["physicalLocation"]["region"]["startLine"];
                (r["partialFingerprints"].to_string(), line.as_u64())
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints();
    let profiles = project.join("profiles.yml");
    let text = std::fs::read_to_string(&profiles).expect("read");
    std::fs::write(&profiles, format!("# moved\n# down\n{text}")).expect("write");
    let after = fingerprints();
    assert_eq!(before.len(), 2);
    for ((hash_before, line_before), (hash_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(hash_before, hash_after);
        assert_eq!(line_before.map(|l| l + 2), *line_after);
    }
    let _ = std::fs::remove_dir_all(&scratch);
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
        assert_eq!(out.stdout, "No findings in 12 files.\n");
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
    assert_eq!(out.stdout.lines().count(), 10);
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
            "note: profile `shop` of tests/data/user-project/dbt_project.yml was not found"
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
    let planted = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/planted-secrets/profiles.yml"),
    )
    .expect("planted secrets fixture");
    let secrets: Vec<&str> = planted
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("PLANTED-"))
        .collect();
    assert!(
        secrets.len() >= 10,
        "the fixture plants secrets in every field shape"
    );
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        let out = run(&[
            "--format",
            format,
            "--exit-non-zero-on-findings",
            "tests/data/planted-secrets",
        ]);
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
fn explain_rejects_malformed_bindings() {
    let out = run(&["explain", "--env", "NOEQUALS", CLEAN]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("expected NAME=VALUE"), "{}", out.stderr);
}

/// A scratch tree with one small project per corpus `dbt_project.yml` (the file itself),
/// per corpus macro and per corpus CI file (in a fixed project), each with a dev/ci/prod
/// profile and two models.
fn corpus_projects(scratch: &Path) -> usize {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
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
    let scratch = std::env::temp_dir().join(format!("envlint-cli-corpus-{}", std::process::id()));
    let count = corpus_projects(&scratch);
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

const FIXABLE: &str = "fixtures/projects/suppressed-and-fixable";

/// A fresh copy of a directory of the repository under the temporary directory.
fn scratch_copy(from: &str, name: &str) -> std::path::PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("scratch dir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy file");
            }
        }
    }
    let to = std::env::temp_dir().join(format!("envlint-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join(from), &to);
    to
}

#[test]
fn suppressions_are_counted_and_no_suppressions_shows_what_they_hide() {
    let out = run(&["--format", "concise", FIXABLE]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("in 4 files (3 suppressed).\n"),
        "{}",
        out.stdout
    );
    for hidden in ["ENV102", "ENV304", "ENV305"] {
        assert!(!out.stdout.contains(hidden), "{hidden} is suppressed");
    }
    assert!(
        out.stdout
            .contains("warning[ENV003] [*] `ENV107` reports nothing here")
    );
    let audit = run(&["--format", "concise", "--no-suppressions", FIXABLE]);
    for shown in ["ENV102", "ENV304", "ENV305"] {
        assert!(audit.stdout.contains(shown), "{shown}: {}", audit.stdout);
    }
    assert!(!audit.stdout.contains("ENV003") && !audit.stdout.contains("suppressed)."));
    let json = run(&["--format", "json", FIXABLE]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(parsed["version"], 1);
    assert_eq!(parsed["summary"]["suppressed"], 3);
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_not_called_unused() {
    let out = run(&["--format", "concise", "--select", "ENV003", FIXABLE]);
    assert_eq!(out.stdout, "No findings in 4 files.\n");
    let out = run(&["--format", "concise", "--select", "ENV003,ENV107", FIXABLE]);
    assert!(out.stdout.contains("[ENV003]"), "{}", out.stdout);
}

#[test]
fn strict_preset_requires_a_reason_on_every_suppression() {
    let dir = scratch_copy(FIXABLE, "strict");
    let profiles = dir.join("profiles.yml");
    let text = std::fs::read_to_string(&profiles).expect("read");
    let text = text.replace(
        "ignore[shared-dev-schema] sandbox shared by the two analysts, agreed in #412",
        "ignore[shared-dev-schema]",
    );
    std::fs::write(&profiles, text).expect("write");
    let policy = std::fs::read_to_string(dir.join("envlint.yml")).expect("read");
    std::fs::write(
        dir.join("envlint.yml"),
        format!("extends: strict\n{policy}"),
    )
    .expect("write");
    let out = run(&["--format", "concise", &dir.display().to_string()]);
    assert!(
        out.stdout
            .contains("error[ENV004] suppression comment without a reason"),
        "{}",
        out.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_writes_safe_fixes_atomically_and_reports_what_remains() {
    let dir = scratch_copy(FIXABLE, "fix");
    let profiles = dir.join("profiles.yml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o640);
        std::fs::set_permissions(&profiles, mode).expect("chmod");
    }
    let workflow = dir.join(".github/workflows/ci.yml");
    let workflow_before = std::fs::metadata(&workflow)
        .and_then(|m| m.modified())
        .expect("mtime");
    let path = dir.display().to_string();
    let out = run(&["--format", "concise", "--fix", &path]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Fixed 3 findings.\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains("warning[ENV103]"),
        "the unsafe fix waits: {}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("(1 fixable with `--fix --unsafe-fixes`)"),
        "{}",
        out.stdout
    );
    let fixed = std::fs::read_to_string(&profiles).expect("read");
    assert!(fixed.contains("  target: dev\n"));
    assert!(fixed.contains("env_var('SNOWFLAKE_PASSWORD') }}"));
    assert!(!fixed.contains("Winter2024!") && !fixed.contains("ignore[ENV107]"));
    assert!(
        fixed.contains("ignore[shared-dev-schema]"),
        "a used suppression stays"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&profiles)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }
    let workflow_after = std::fs::metadata(&workflow)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(
        workflow_before, workflow_after,
        "an unchanged file is not written"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("envlint-fix"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
    let out = run(&["--format", "concise", "--fix", "--unsafe-fixes", &path]);
    assert!(
        out.stdout
            .contains("No findings in 4 files (3 suppressed).\nFixed 1 finding.\n"),
        "{}",
        out.stdout
    );
    let fixed = std::fs::read_to_string(&profiles).expect("read");
    assert!(
        fixed.contains("schema: \"pr_{{ env_var('PR_NUMBER') }}\""),
        "{fixed}"
    );
    let again = run(&["--diff", "--unsafe-fixes", &path]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "converged");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_shows_the_fixes_without_writing_and_never_a_secret() {
    let dir = scratch_copy("tests/data/planted-secrets", "diff");
    let profiles = dir.join("profiles.yml");
    let before = std::fs::read_to_string(&profiles).expect("read");
    let path = dir.display().to_string();
    let out = run(&["--diff", "--unsafe-fixes", &path]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with(&format!("--- {path}/profiles.yml\n+++ ")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("+      password: \"{{ env_var('PG_PASSWORD') }}\"\n"),
        "{}",
        out.stdout
    );
    let masked = format!(
        "-      password: \"{{{{ env_var('PG_PASSWORD', {}) }}}}\"\n",
        "*".repeat(23)
    );
    assert!(out.stdout.contains(&masked), "{}", out.stdout);
    assert!(
        !out.stdout.contains("PLANTED-") && !out.stderr.contains("PLANTED-"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.starts_with("Would fix "), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&profiles).expect("read"),
        before,
        "--diff writes nothing"
    );
    let conflicting = run(&["--diff", "--format", "json", &path]);
    assert_eq!(conflicting.code, 2, "--diff prints a diff, never JSON");
    let fix = run(&["--fix", "--format", "json", &path]);
    assert!(!fix.stdout.contains("PLANTED-fallback"), "{}", fix.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_lists_fixes_with_positions() {
    let out = run(&["--format", "json", "--select", "ENV108", FIXABLE]);
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let fix = &parsed["diagnostics"][0]["fixes"][0];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["message"], "drop the secret fallback");
    let edit = &fix["edits"][0];
    assert_eq!(
        (edit["line"].as_u64(), edit["replacement"].as_str()),
        (Some(10), Some(""))
    );
    assert_eq!(
        (edit["column"].as_u64(), edit["end_column"].as_u64()),
        (Some(49), Some(64))
    );
}
