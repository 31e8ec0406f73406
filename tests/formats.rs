//! The formats for tools, through the real binary: GitHub annotations, JUnit, and SARIF
//! validated against the official 2.1.0 schema.

use std::path::Path;

mod common;

use common::{BROKEN, CLEAN, Scratch, envlint, run};

#[test]
fn broken_project_github_output() {
    let out = run(&["--format", "github", BROKEN]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("broken_github", out.stdout);
}

#[test]
fn github_output_annotates_ten_findings_per_level_and_lists_the_rest() {
    // 12 errors and 3 warnings.
    let out = run(&["--format", "github", "tests/data/planted-secrets"]);
    let count = |prefix: &str| out.stdout.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!((count("::error "), count("::warning ")), (10, 3));
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
    assert_eq!(out.stdout.matches("<failure ").count(), 9);
    // 9 failing testcases, one per finding, and 4 clean files with one passing testcase
    // (one is this repository's release workflow: the project is inside its git checkout).
    assert_eq!(out.stdout.matches("<testcase ").count(), 13);
    assert!(
        out.stdout.contains("tests=\"13\" failures=\"9\""),
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
    assert_eq!(results.len(), 9);
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
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(9));
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
fn a_project_whose_profile_is_nowhere_says_so_in_every_format() {
    // dbt Cloud or `~/.dbt`: exit 0 and an empty SARIF said nothing about what went unchecked.
    let project = "tests/data/user-project";
    let said =
        "profile `shop` of tests/data/user-project/dbt_project.yml is in no profiles file here";
    let (code, log) = valid_sarif(&[project]);
    assert_eq!(code, 0);
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        notification["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains(said) && t.contains("--user-profiles")),
        "{log}"
    );
    assert_eq!(notification["level"], "note");
    let json = run(&["--format", "json", project]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(
        report["notices"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains(said))
    );
    assert_eq!(report["notices"][0]["line"], 2, "{report}");
    assert_eq!(json.code, 0, "a notice is not a finding");
    let github = run(&["--format", "github", project]);
    assert!(
        github.stdout.starts_with("::notice file=tests/data/user-project/dbt_project.yml,line=2,title=dbt-envlint::profile `shop`"),
        "{}",
        github.stdout
    );
    assert!(
        !github.stderr.contains(said),
        "said twice: {}",
        github.stderr
    );
    let junit = run(&["--format", "junit", project]);
    assert!(
        junit.stdout.contains(&format!("<system-out>note: {said}")),
        "{}",
        junit.stdout
    );
    let human = run(&[project]);
    assert!(
        human.stderr.contains(&format!("note: {said}")),
        "{}",
        human.stderr
    );
}

#[test]
fn sarif_columns_count_utf16_code_units_after_non_ascii_text() {
    // A duck (two UTF-16 units, one character) and an `é` before the finding on its line:
    // switching SARIF to character columns broke no test.
    let repo = Scratch::new("sarif-utf16");
    repo.write("dbt_project.yml", "name: a\nprofile: a\n");
    repo.write(
        "profiles.yml",
        "a: {\"x\u{1F986}\u{e9}\": 0, target: prod, outputs: {prod: {type: duckdb, path: \"md:w\", schema: main}}}\n",
    );
    let json = repo.run(".", &["--format", "json", "."]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        (
            json["diagnostics"][0]["column"].as_u64(),
            json["diagnostics"][0]["end_column"].as_u64()
        ),
        (Some(23), Some(27))
    );
    let sarif = repo.run(".", &["--format", "sarif", "."]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startColumn"].as_u64(), region["endColumn"].as_u64()),
        (Some(24), Some(28)),
        "{region}"
    );
}

/// `--sarif-file` writes, from the same run, the SARIF log `--format sarif` prints, while
/// stdout carries the annotations and the exit code follows them (the Action's one run).
#[test]
fn sarif_file_is_written_beside_the_annotations_from_one_run() {
    let scratch = Scratch::new("sarif-file");
    let path = scratch.root.join("out.sarif");
    let shown = path.to_string_lossy().into_owned();
    let out = run(&["--format", "github", "--sarif-file", &shown, BROKEN]);
    assert_eq!(out.code, 1, "findings fail the annotation run");
    assert!(out.stdout.contains("::error file="), "{}", out.stdout);
    let written = std::fs::read_to_string(&path).expect("the SARIF log was written");
    assert_eq!(written, run(&["--format", "sarif", BROKEN]).stdout);
    let results =
        serde_json::from_str::<serde_json::Value>(&written).expect("JSON")["runs"][0]["results"]
            .as_array()
            .map_or(0, Vec::len);
    let annotations = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
        .count();
    assert_eq!(results, annotations);
    let nowhere = run(&["--sarif-file", "/nonexistent-envlint-dir/out.sarif", BROKEN]);
    assert_eq!(nowhere.code, 2);
    assert!(
        nowhere.stderr.contains("cannot write --sarif-file"),
        "{}",
        nowhere.stderr
    );
}
