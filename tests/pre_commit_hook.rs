//! The pre-commit hook's `files:` pattern lets through every file the check reads: each
//! file a real run lists (JUnit names every file read, clean or not) matches it.

mod common;

use common::run;

/// The hook's `files:` block from `.pre-commit-hooks.yaml`, as one verbose regex.
fn hook_files_pattern() -> regex::Regex {
    let hooks = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .expect("the hook definition");
    let pattern: String = hooks
        .lines()
        .skip_while(|line| line.trim() != "files: |")
        .skip(1)
        // A block scalar: YAML drops the indentation.
        .map_while(|line| line.strip_prefix("    "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(!pattern.is_empty(), "no `files: |` block");
    regex::Regex::new(&pattern).expect("pre-commit's pattern is a valid regex")
}

/// The files a check of `path` reads, relative to the repository root.
fn files_read(path: &str) -> Vec<String> {
    let out = run(&["--format", "junit", "--exit-zero", path]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .split("classname=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_file_the_check_reads_triggers_the_hook() {
    let pattern = hook_files_pattern();
    let mut checked = 0;
    for path in [
        "fixtures/projects/motherduck-three-envs-broken",
        "fixtures/projects/everyone-tests-in-prod",
        "fixtures/write-grant-to-humans-on-prod/pass-terraform-developer-writes-dev",
        "fixtures/write-grant-to-humans-on-prod/fail-permifrost-human-in-prod-role",
        "fixtures/prod-target-in-pr-job/pass-bundle-target-per-mode",
        "tests/data/monorepo",
    ] {
        for file in files_read(path) {
            assert!(pattern.is_match(&file), "the hook would not run for {file}");
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} files were read");
    for other in ["README.md", "src/app.py", "docs/diagram.png", "Makefile"] {
        assert!(!pattern.is_match(other), "the hook runs for {other}");
    }
}
