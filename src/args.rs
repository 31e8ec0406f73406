//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keeps a dbt project's dev, CI and prod environments apart: reads profiles.yml and
/// dbt_project.yml statically (no warehouse, no credentials, no `dbt parse`) and reports
/// every way a dev or CI run can touch prod.
#[derive(Debug, Parser)]
#[command(name = "dbt-envlint", version, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check the repository (the default command).
    Check(CheckArgs),
    /// List every rule: code, name, default severity, summary.
    Rules(RulesArgs),
    /// Print the documentation of one rule, by code or name.
    Rule {
        /// `ENV101` or `default-target-prod`.
        code: String,
    },
    /// Show every target and where each model, seed and snapshot is built in each of them.
    Explain(ExplainArgs),
    /// Show the dev / CI / prod contract at a glance: per profile and environment, the
    /// targets, where they write, who holds the credential, isolation, teardown, cleanup,
    /// grants and the release snapshot, each ok / warn / fail / unknown with its codes.
    Report(ReportArgs),
    /// Print the JSON schema of envlint.yml (as committed in docs/envlint.schema.json).
    #[command(hide = true)]
    Schema,
    /// Run the language server on stdin/stdout (for editors; see the README's "Editors").
    Server,
    /// Write an envlint.yml that matches the repository's targets (never overwrites a file).
    Init(InitArgs),
    /// Print the shell completion script for SHELL (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args, Clone)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulesFormat {
    /// One rule a line: code, name, default severity, summary.
    Text,
    /// A JSON array: code, name, severity, summary, fixable, fix, url.
    Json,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct InitArgs {
    /// The repository (or dbt project) to set up [default: .]
    pub path: Option<PathBuf>,
    /// Also write what the three-environment setup lacks: a dev/ci/prod profiles.yml using
    /// env vars only, GitHub Actions workflows for the PR build, the deploy, the PR teardown
    /// and the nightly cleanup, and the cleanup macros they run.
    #[arg(long)]
    pub scaffold: bool,
    /// Directory of the profiles.yml dbt uses (profiles kept outside the repository).
    #[arg(long, value_name = "DIR")]
    pub profiles_dir: Option<PathBuf>,
    /// Also read the profiles your projects use from ~/.dbt/profiles.yml.
    #[arg(long)]
    pub user_profiles: bool,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
    /// Bind an environment variable for the evaluation (repeatable). With any binding the
    /// environment counts as complete: unbound variables take their `env_var()` defaults.
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_binding)]
    pub env: Vec<(String, String)>,
    /// Only nodes with this name or unique id (repeatable).
    #[arg(long, value_name = "NAME")]
    pub node: Vec<String>,
    /// Only this target (repeatable).
    #[arg(long, value_name = "NAME")]
    pub target: Vec<String>,
    /// Show the credential reachability map instead: each credential, the targets that use
    /// it and the contexts (pull request, deploy, scheduled, manual, laptop) that hold it.
    #[arg(long, conflicts_with = "grants")]
    pub credentials: bool,
    /// Show who can write where instead: every write grant found in setup scripts, macros,
    /// hooks, `grants:` configs and CI steps, by the environment whose location it is on, and
    /// every MotherDuck share with its access, visibility, update mode and readers.
    #[arg(long)]
    pub grants: bool,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// A table per profile: environment, aspect, status, codes, what holds.
    Human,
    /// A table per profile and a Mermaid diagram, for `$GITHUB_STEP_SUMMARY` and PR comments.
    Markdown,
    /// Version 1 of the machine-readable report.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainFormat {
    /// Tables: targets, then relations grouped where they follow the same pattern.
    Human,
    /// Version 1 of the machine-readable resolution.
    Json,
}

fn parse_binding(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

/// The options of every command that reads the repository (`check`, `explain`, `report`).
#[derive(Debug, Args, Clone)]
pub(crate) struct CommonArgs {
    /// Files or directories to read [default: .]
    pub paths: Vec<PathBuf>,
    /// Policy file [default: envlint.yml or .envlint.yml, else pyproject.toml's
    /// [tool.dbt-envlint], nearest the dbt projects, else searched from the first path up].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Directory of the profiles.yml dbt uses [default: $DBT_PROFILES_DIR, else each project's directory].
    #[arg(long, value_name = "DIR")]
    pub profiles_dir: Option<PathBuf>,
    /// Also read the profiles your projects use from ~/.dbt/profiles.yml.
    #[arg(long)]
    pub user_profiles: bool,
    /// When to colour the output: `auto` colours a terminal unless NO_COLOR is set (FORCE_COLOR
    /// forces it). `explain` prints plain tables whatever it says.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// No colours: the same as `--color never`.
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,
    /// Write the output to FILE instead of stdout (the whole file at once: a reader never sees
    /// half of it).
    #[arg(long, short, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

impl CommonArgs {
    /// `--color`, with `--no-color` as `never`.
    pub(crate) fn color_when(&self) -> ColorWhen {
        if self.no_color {
            ColorWhen::Never
        } else {
            self.color
        }
    }
}

/// `--color`: when the output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// When writing to a terminal, unless NO_COLOR is set; always when FORCE_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only run these rules (code or name; repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (code or name; repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// With `--format sarif`, exit with 1 on findings as the other formats do (SARIF runs
    /// exit 0 by default so the upload step that follows them runs).
    #[arg(long)]
    pub exit_non_zero_on_findings: bool,
    /// Exit with 0 even when there are findings (an invalid policy or a usage error still
    /// exits with 2).
    #[arg(long, conflicts_with = "exit_non_zero_on_findings")]
    pub exit_zero: bool,
    /// Print how many findings each rule reported, instead of the findings (`--format json`:
    /// a JSON array).
    #[arg(long, conflicts_with = "diff")]
    pub statistics: bool,
    /// Print, for each dbt project, the policy file, the profiles files and how many CI,
    /// `.env` and SQL files apply, instead of checking.
    #[arg(long, conflicts_with_all = ["diff", "fix", "statistics"])]
    pub show_settings: bool,
    /// Print findings only, no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Ignore every `envlint: ignore[...]` comment (to audit what they hide).
    #[arg(long)]
    pub no_suppressions: bool,
    /// Apply the safe fixes, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Also apply (with --fix) or show (with --diff) the unsafe fixes, which need a review.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff, without writing; exit 1 if it would
    /// change something.
    #[arg(long, conflicts_with_all = ["format", "fail_on", "fix"])]
    pub diff: bool,
    /// Also append the Markdown report (as `report --format markdown` prints it) to FILE,
    /// from this same run: `--report-markdown "$GITHUB_STEP_SUMMARY"`.
    #[arg(long, value_name = "FILE", conflicts_with = "diff")]
    pub report_markdown: Option<PathBuf>,
    /// Also write the SARIF log of this run to FILE (whole, replacing it), whatever
    /// `--format` prints: one run for the annotations and the code-scanning upload.
    #[arg(long, value_name = "FILE", conflicts_with = "diff")]
    pub sarif_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Rendered reports with source snippets.
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`, then its help
    /// indented on the next line.
    Concise,
    /// Versioned JSON (version 1).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, VS Code). Exits 0 on findings unless
    /// `--exit-non-zero-on-findings`.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: a class per file, a failing testcase per finding.
    Junit,
    /// GitLab Code Quality report (JSON), for merge request widgets.
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
    Info,
}
