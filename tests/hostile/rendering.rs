//! The human renderer on hostile shapes: thousands of findings in one file (linear, not
//! quadratic) and files whose lines end in a lone CR.

use std::time::Duration;

use assert_cmd::Command;

use crate::support::*;

fn human(repo: &Repo, path: &str) -> String {
    let output = Command::cargo_bin("dbt-envlint")
        .expect("binary builds")
        .current_dir(&repo.root)
        .env("NO_COLOR", "1")
        .args(["--format", "human", path])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn ten_thousand_findings_in_one_file_render_in_linear_time() {
    // Each snippet read the file from its start: 2,000 findings took 62 s (20,000: 229 s).
    let repo = Repo::new("many-findings");
    let jobs: String = (0..10_000)
        .map(|i| {
            format!("  j{i}:\n    runs-on: x\n    steps:\n      - run: dbt build --target prod\n")
        })
        .collect();
    repo.write(
        "healthy/.github/workflows/pr.yml",
        format!("on: pull_request\njobs:\n{jobs}"),
    );
    let out = human(&repo, "healthy");
    assert!(
        out.contains("pr.yml:40002:33]"),
        "the last job's finding, at its line: {}",
        &out[out.len().saturating_sub(2_000)..]
    );
}

#[test]
fn a_file_with_lone_cr_line_ends_is_shown_line_by_line() {
    let repo = Repo::new("cr-only");
    repo.write(
        "cr/profiles.yml",
        "cr:\r  target: prod\r  outputs:\r    prod: {type: duckdb, path: \"md:w\", schema: main}\r",
    );
    let out = human(&repo, "cr");
    assert!(out.contains("profiles.yml:2:11]"), "{out}");
    assert!(out.contains(" 2 │   target: prod\n"), "{out}");
    assert!(!out.contains('\r'), "{out:?}");
}
