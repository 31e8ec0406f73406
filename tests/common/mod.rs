//! Running the real binary from the repository root, for the integration tests.

#![allow(dead_code)] // each test crate uses its own part of it

use std::path::Path;

use assert_cmd::Command;

/// The example everyone starts from: one target for everybody, writing prod.
pub(crate) const BROKEN: &str = "fixtures/projects/everyone-tests-in-prod";
/// The clean three-environment MotherDuck example.
pub(crate) const CLEAN: &str = "fixtures/projects/motherduck-three-envs";

/// Adapters with a good dev/CI/prod profile in
/// `fixtures/non-prod-target-writes-prod/pass-<adapter>-three-targets`.
pub(crate) const ADAPTERS: &[&str] = &[
    "snowflake",
    "bigquery",
    "databricks",
    "redshift",
    "postgres",
    "trino",
    "motherduck",
    "spark",
    "fabric",
    "clickhouse",
];

/// The good three-target project of one of [`ADAPTERS`].
pub(crate) fn adapter_project(adapter: &str) -> String {
    format!("fixtures/non-prod-target-writes-prod/pass-{adapter}-three-targets")
}

/// The binary, run from the repository root with a scrubbed environment.
pub(crate) fn envlint() -> Command {
    let mut cmd = Command::cargo_bin("dbt-envlint").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DBT_PROFILES_DIR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env(
            "HOME",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/no-home"),
        );
    cmd
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run(args: &[&str]) -> Run {
    let output = envlint().args(args).output().expect("binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A repository written into a fresh temporary directory, removed when dropped.
pub(crate) struct Scratch {
    pub(crate) root: std::path::PathBuf,
}

impl Scratch {
    pub(crate) fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("envlint-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("scratch dir");
        Self { root }
    }

    pub(crate) fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }

    /// Runs the binary from `dir` (relative to the scratch root).
    pub(crate) fn run(&self, dir: &str, args: &[&str]) -> Run {
        let output = envlint()
            .current_dir(self.root.join(dir))
            .args(args)
            .output()
            .expect("binary runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Copies a directory tree (a fixture project) to `to`.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
