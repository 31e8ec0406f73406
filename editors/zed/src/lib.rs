//! Zed extension: runs `dbt-envlint server`, found on the worktree's PATH, for YAML and SQL.

use zed_extension_api::{self as zed, LanguageServerId, Result, Worktree};

struct DbtEnvlint;

impl zed::Extension for DbtEnvlint {
    fn new() -> Self {
        Self
    }

    fn language_server_command(
        &mut self,
        _server: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        let command = worktree.which("dbt-envlint").ok_or_else(|| {
            "dbt-envlint is not on PATH (run `cargo install --path .` in its repository)"
                .to_owned()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["server".to_owned()],
            env: Vec::new(),
        })
    }
}

zed::register_extension!(DbtEnvlint);
