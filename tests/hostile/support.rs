//! The scratch repository and JSON helpers every hostile test shares.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

/// A repository in a fresh temporary directory with one healthy project whose profile has
/// a known finding (ENV101), so every test can check that the rest was still linted.
pub(crate) struct Repo {
    pub(crate) root: PathBuf,
}

impl Repo {
    pub(crate) fn new(name: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("envlint-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("healthy")).expect("scratch dir");
        let repo = Self { root };
        repo.write(
            "healthy/dbt_project.yml",
            "name: healthy\nprofile: healthy\n",
        );
        repo.write(
            "healthy/profiles.yml",
            "healthy:\n  target: prod\n  outputs:\n    prod: {type: duckdb, path: \"md:w\", schema: main}\n",
        );
        repo
    }

    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, contents).expect("write");
    }

    /// Runs the binary in the repository with `args` and a 60 s timeout (a hang fails).
    pub(crate) fn run(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("dbt-envlint")
            .expect("binary builds")
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env_remove("DBT_PROFILES_DIR")
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs")
    }

    /// [`Self::run`] as exit code, stdout and stderr (lossy text).
    pub(crate) fn outcome(&self, args: &[&str]) -> (i32, String, String) {
        let output = self.run(args);
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Runs a check with a 60 s timeout; returns the exit code and the JSON findings.
    pub(crate) fn check(&self) -> (i32, serde_json::Value) {
        let output = self.run(&["--format", "json", "."]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("no JSON ({e}): {stdout}"));
        (output.status.code().unwrap_or(-1), json)
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub(crate) fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|x| x["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn finding<'a>(
    json: &'a serde_json::Value,
    code: &str,
    file: &str,
) -> Option<&'a serde_json::Value> {
    json["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == code && d["file"].as_str().is_some_and(|f| f.ends_with(file)))
}

/// The file gives ENV001 with `message`, the healthy project is still checked, exit 1.
pub(crate) fn assert_parse_error(repo: &Repo, file: &str, message: &str) {
    let (code, json) = repo.check();
    let error =
        finding(&json, "ENV001", file).unwrap_or_else(|| panic!("no ENV001 for {file}: {json}"));
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains(message)),
        "{error}"
    );
    assert!(
        codes(&json).contains(&"ENV101".to_owned()),
        "the healthy project was not checked: {json}"
    );
    assert_eq!(code, 1);
}
