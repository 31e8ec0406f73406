//! `--fix` never loses data: odd line ends, symlinks out of the repository, owners and
//! modes, read-only files, and `--fix` with `--diff`.

use std::time::Duration;

use assert_cmd::Command;

use crate::support::Repo;

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
