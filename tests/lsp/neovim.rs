//! A real editor: headless Neovim loads the shipped `editors/neovim/dbt_envlint.lua`, opens
//! the broken example's `profiles.yml` and writes the diagnostics it received. Skipped, with
//! a message saying so, only where `nvim` is not installed outside CI (`.ci/run` installs it;
//! under `CI` a missing `nvim` fails).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::{TIMEOUT, repo_path};

#[test]
fn neovim_shows_the_findings_of_the_broken_profiles() {
    if Command::new("nvim").arg("--version").output().is_err() {
        // CI installs it (`.ci/run`): there, a missing editor is a failure, not a skip.
        assert!(
            std::env::var("CI").is_err(),
            "`nvim` is not installed, and CI must run the real-editor test"
        );
        // Straight to stderr, past the test harness's capture, so the skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED neovim_shows_the_findings_of_the_broken_profiles: `nvim` is not installed"
        );
        return;
    }
    let scratch = std::env::temp_dir().join(format!("envlint-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let out = scratch.join("diagnostics.txt");
    let mut nvim = Command::new("nvim")
        .arg("--headless")
        .arg("-u")
        .arg(repo_path("tests/data/lsp/nvim-test.lua"))
        .arg(repo_path(
            "fixtures/projects/everyone-tests-in-prod/profiles.yml",
        ))
        .env("ENVLINT_BIN", env!("CARGO_BIN_EXE_dbt-envlint"))
        .env(
            "ENVLINT_CONFIG",
            repo_path("editors/neovim/dbt_envlint.lua"),
        )
        .env("ENVLINT_OUT", &out)
        // Keep the user's Neovim configuration, plugins and logs out of the test.
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_DATA_HOME", scratch.join("data"))
        .env("XDG_STATE_HOME", scratch.join("state"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = nvim.try_wait().expect("wait for nvim") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "nvim: {status}");
    let written = std::fs::read_to_string(&out).expect("nvim wrote the diagnostics");
    let mut found: Vec<&str> = written.lines().collect();
    found.sort_unstable();
    assert_eq!(
        found,
        ["ENV101 3", "ENV102 17", "ENV106 17", "ENV107 9", "ENV109 9"]
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
