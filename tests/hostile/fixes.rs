//! `--fix` never loses data: odd line ends, symlinks out of the repository, owners and
//! modes, read-only files, and `--fix` with `--diff`.

use std::time::Duration;

use assert_cmd::Command;

use crate::support::{Repo, finding};

/// Runs the binary in the scratch repository with `args`; exit code, stdout and stderr.
pub(crate) fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("dbt-envlint")
        .expect("binary builds")
        .current_dir(&repo.root)
        .env("NO_COLOR", "1")
        .env_remove("DBT_PROFILES_DIR")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
pub(crate) fn fix_and_diff_together_are_a_usage_error() {
    let repo = Repo::new("fix-diff");
    let (code, _, stderr) = run(&repo, &["--fix", "--diff", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--diff") && stderr.contains("--fix"),
        "{stderr}"
    );
}

/// A profile of the scratch project `p` whose `ENV102` suppression is unused, so `--fix`
/// removes the comment and nothing else.
const CR_PROFILE: &str = "# envlint: ignore[ENV102] x\rp:\r  target: dev\r  outputs:\r    dev: {type: duckdb, schema: dev_x}\r";

fn project(repo: &Repo, profile: &str) {
    repo.write("p/dbt_project.yml", "name: p\nprofile: p\n");
    repo.write("p/profiles.yml", profile);
}

fn profile(repo: &Repo) -> String {
    std::fs::read_to_string(repo.root.join("p/profiles.yml")).expect("profile")
}

#[test]
pub(crate) fn fix_keeps_every_other_line_of_a_cr_only_file() {
    let repo = Repo::new("fix-cr");
    project(&repo, CR_PROFILE);
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert_eq!(
        profile(&repo),
        "p:\r  target: dev\r  outputs:\r    dev: {type: duckdb, schema: dev_x}\r"
    );
}

#[test]
pub(crate) fn fix_keeps_the_line_after_a_lone_cr() {
    let repo = Repo::new("fix-lone-cr");
    let text = "p:\n  # envlint: ignore[ENV102] r\r  target: dev\n  outputs:\n    dev: {type: duckdb, schema: dev_x}\n";
    project(&repo, text);
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert_eq!(
        profile(&repo),
        "p:\n  target: dev\n  outputs:\n    dev: {type: duckdb, schema: dev_x}\n"
    );
}

#[test]
pub(crate) fn findings_in_a_cr_only_file_have_the_right_line_and_column() {
    let repo = Repo::new("cr-position");
    project(
        &repo,
        "# envlint: ignore[ENV102] x\rp:\r  target: prod\r  outputs:\r    prod: {type: duckdb, path: \"md:w\", schema: main}\r",
    );
    let (_, json) = repo.check();
    let unused =
        finding(&json, "ENV003", "p/profiles.yml").unwrap_or_else(|| panic!("no ENV003: {json}"));
    assert_eq!(
        (&unused["line"], &unused["column"]),
        (&1.into(), &19.into()),
        "{unused}"
    );
    let prod =
        finding(&json, "ENV101", "p/profiles.yml").unwrap_or_else(|| panic!("no ENV101: {json}"));
    assert_eq!(
        (&prod["line"], &prod["column"]),
        (&3.into(), &11.into()),
        "{prod}"
    );
}
