//! CI definitions next to a dbt project (GitHub Actions, GitLab CI) and committed `.env`
//! files: which jobs run when, with which environment and secrets, and what dbt they run.

mod condition;
mod github;
mod gitlab;
mod mapper;
mod script;
mod shell;

use envlint_diagnostics::{FileId, Span};

pub use condition::{Guard, parse_guard};
pub use github::read_github_workflow;
pub use gitlab::read_gitlab_ci;
pub use script::{DbtCall, DropStatement, Heredoc, ScriptFacts, SnapshotStatement, scan_script};
pub use shell::makefile_recipe;

/// One CI definition file.
#[derive(Clone, Debug)]
pub struct CiFile {
    pub file: FileId,
    pub provider: Provider,
    /// When the workflow runs (GitHub: `on:`); GitLab jobs carry their own.
    pub triggers: Triggers,
    /// Workflow-level `env:` / GitLab top-level `variables:`: every job holds these.
    pub env: Vec<EnvVar>,
    pub jobs: Vec<Job>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    GitHub,
    GitLab,
    /// dbt Cloud jobs declared in Terraform (`dbtcloud_job`).
    DbtCloud,
    /// Databricks Asset Bundle jobs (`databricks.yml`), one per bundle target.
    DatabricksBundle,
}

/// The events a workflow (or a GitLab job) runs on.
#[derive(Clone, Debug, Default)]
pub struct Triggers {
    /// `push`, with its branch filter (`None`: every branch).
    pub push: Option<Option<Vec<String>>>,
    /// `pull_request`, with its activity types (empty: dbt's default opened/synchronize/reopened).
    pub pull_request: Option<Vec<String>>,
    /// `pull_request_target`, which runs with the base repository's secrets.
    pub pull_request_target: Option<Vec<String>>,
    pub schedule: bool,
    pub manual: bool,
    /// `workflow_call`: runs in its caller's context.
    pub called: bool,
    /// Anything else (`release`, `repository_dispatch`, ...).
    pub other: bool,
    /// Run by whoever deploys it, with their own identity (a Databricks bundle target in
    /// `mode: development`): a developer's context, not CI's.
    pub development: bool,
    /// The `on:` key (or the job's `rules:`/`only:`), for labels.
    pub span: Option<Span>,
}

impl Triggers {
    pub fn on_pull_request(&self) -> bool {
        self.pull_request.is_some() || self.pull_request_target.is_some()
    }

    /// Only PR closing (`types: [closed]`): a teardown workflow, not a build.
    pub fn only_pr_closed(&self) -> bool {
        let closed_only = |types: &Option<Vec<String>>| {
            types
                .as_ref()
                .is_none_or(|t| !t.is_empty() && t.iter().all(|x| x == "closed"))
        };
        self.on_pull_request()
            && closed_only(&self.pull_request)
            && closed_only(&self.pull_request_target)
    }

    pub fn on_pr_close(&self) -> bool {
        [&self.pull_request, &self.pull_request_target]
            .into_iter()
            .flatten()
            .any(|types| types.iter().any(|t| t == "closed"))
    }
}

/// A `NAME: value` entry of an `env:`/`variables:` block, or an assignment in a script.
#[derive(Clone, Debug)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// One job.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    pub id_span: Span,
    /// GitHub `if:`, parsed.
    pub guard: Guard,
    /// GitLab: the job's own triggers (from `rules:`/`only:`/`except:`).
    pub triggers: Option<Triggers>,
    /// `environment:` name and span (GitHub deployment environments, GitLab environments).
    pub environment: Option<(String, Span)>,
    pub env: Vec<EnvVar>,
    pub steps: Vec<Step>,
    /// `uses:` of a reusable workflow (job level).
    pub uses: Option<(String, Span)>,
    /// `secrets: inherit`.
    pub secrets_inherit: Option<Span>,
    /// `needs:`
    pub needs: Vec<String>,
    /// GitLab `when: manual`.
    pub manual: bool,
    /// GitLab `environment: {action: stop}`: the job that tears a review environment down
    /// when its merge request closes.
    pub stops_environment: bool,
    /// The target its dbt calls use when they do not say (dbt Cloud's `target_name`).
    pub target: Option<(String, Span)>,
}

/// One step (GitLab: the job's `script:` lines form one step).
#[derive(Clone, Debug)]
pub struct Step {
    pub guard: Guard,
    pub env: Vec<EnvVar>,
    pub script: Option<ScriptFacts>,
    /// `with:` inputs of an action.
    pub with: Vec<EnvVar>,
    pub span: Span,
}

/// A `${{ secrets.NAME }}` (GitHub) reference.
#[derive(Clone, Debug)]
pub struct SecretRef {
    pub name: String,
    pub span: Span,
}

impl Job {
    /// A job that runs dbt outside a CI file (a dbt Cloud job, a bundle job): what runs, when
    /// and with which target; none of a CI job's own settings.
    pub fn outside_ci(
        id: String,
        id_span: Span,
        (guard, triggers): (Guard, Triggers),
        steps: Vec<Step>,
        target: Option<(String, Span)>,
    ) -> Self {
        Self {
            id,
            id_span,
            guard,
            triggers: Some(triggers),
            environment: None,
            env: Vec::new(),
            steps,
            uses: None,
            secrets_inherit: None,
            needs: Vec::new(),
            manual: false,
            stops_environment: false,
            target,
        }
    }

    /// Every secret the job's own text refers to (env, steps, with, scripts), leaving out
    /// steps `skip` says do not run: `${{ secrets.X }}` on GitHub, `$X` on GitLab (where
    /// secrets are CI/CD variables).
    pub fn secret_refs(
        &self,
        db: &envlint_diagnostics::SourceDb,
        provider: Provider,
        skip: impl Fn(&Step) -> bool,
    ) -> Vec<SecretRef> {
        let mut spans: Vec<Span> = self.env.iter().map(|e| e.span).collect();
        for step in self.steps.iter().filter(|s| !skip(s)) {
            spans.extend(step.env.iter().map(|e| e.span));
            spans.extend(step.with.iter().map(|e| e.span));
            if let Some(script) = &step.script {
                spans.push(script.span);
            }
        }
        let find = match provider {
            Provider::GitHub => secret_refs_in,
            Provider::GitLab => variable_refs_in,
            // Their credentials live in dbt Cloud or the Databricks workspace, not the text.
            Provider::DbtCloud | Provider::DatabricksBundle => return Vec::new(),
        };
        spans.into_iter().flat_map(|span| find(db, span)).collect()
    }

    /// Every dbt invocation of the job, with the step it is in.
    pub fn dbt_calls(&self) -> impl Iterator<Item = (&Step, &DbtCall)> {
        self.steps.iter().flat_map(|step| {
            step.script
                .iter()
                .flat_map(move |s| s.dbt.iter().map(move |call| (step, call)))
        })
    }
}

/// What the script in a YAML scalar does, with spans in `file` (quotes, escapes and block
/// indentation accounted for).
pub fn scalar_script(
    db: &envlint_diagnostics::SourceDb,
    file: FileId,
    node: &crate::yaml::Node,
) -> Option<ScriptFacts> {
    let text = node.scalar_text()?;
    // Where it is written: an alias's anchor.
    let range = node.defined.clone().unwrap_or_else(|| node.span.clone());
    let span = Span::new(file, range.start, range.end);
    let raw = db.get(file).slice(span);
    let mapper = mapper::Mapper::new(file, span.range(), raw, &text);
    Some(script::scan(&text, &mapper))
}

/// `secrets.NAME` references inside a span of a file.
pub fn secret_refs_in(db: &envlint_diagnostics::SourceDb, span: Span) -> Vec<SecretRef> {
    let text = db.get(span.file).slice(span);
    let mut out = Vec::new();
    for (at, _) in text.match_indices("secrets.") {
        let name: String = text[at + "secrets.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let start = span.start as usize + at;
        out.push(SecretRef {
            span: Span::new(span.file, start, start + "secrets.".len() + name.len()),
            name,
        });
    }
    out
}

/// `$NAME` and `${NAME}` references inside a span (GitLab CI/CD variables).
pub fn variable_refs_in(db: &envlint_diagnostics::SourceDb, span: Span) -> Vec<SecretRef> {
    let text = db.get(span.file).slice(span);
    let mut out = Vec::new();
    for (at, _) in text.match_indices('$') {
        let rest = &text[at + 1..];
        let braced = rest.starts_with('{');
        let name: String = rest[usize::from(braced)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let start = span.start as usize + at;
        let end = start + 1 + usize::from(braced) * 2 + name.len();
        out.push(SecretRef {
            span: Span::new(span.file, start, end.min(span.end as usize)),
            name,
        });
    }
    out
}

/// A committed `.env` file.
#[derive(Clone, Debug)]
pub struct DotenvFile {
    pub file: FileId,
    pub vars: Vec<EnvVar>,
}

/// `KEY=value` lines (with `export`, quotes and comments) of a `.env` file. The spans cover
/// the value.
pub fn read_dotenv(file: FileId, text: &str) -> DotenvFile {
    let mut vars = Vec::new();
    let mut offset = 0;
    for line in envlint_diagnostics::lines::lines_with_ends(text) {
        let content = envlint_diagnostics::lines::trim_line_end(line);
        let trimmed = content.trim_start();
        let lead = content.len() - trimmed.len();
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let body_start = offset + lead + (trimmed.len() - body.len());
        if !body.starts_with('#')
            && let Some((name, value)) = body.split_once('=')
        {
            let name = name.trim();
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                let value_start = body_start + name.len() + (body.len() - name.len() - value.len());
                let raw = value.split(" #").next().unwrap_or(value).trim_end();
                let unquoted = raw.trim_matches(['"', '\'']);
                vars.push(EnvVar {
                    name: name.to_owned(),
                    value: unquoted.to_owned(),
                    span: Span::new(file, value_start, value_start + raw.len()),
                });
            }
        }
        offset += line.len();
    }
    DotenvFile { file, vars }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_lines_with_export_quotes_and_comments() {
        let text = "# local settings\nexport DBT_TARGET=dev\nMOTHERDUCK_TOKEN_PROD=\"abc\" # prod!\n\nBAD LINE\n";
        let env = read_dotenv(FileId(0), text);
        let names: Vec<&str> = env.vars.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["DBT_TARGET", "MOTHERDUCK_TOKEN_PROD"]);
        let token = &env.vars[1];
        assert_eq!(token.value, "abc");
        assert_eq!(&text[token.span.range()], "\"abc\"");
    }
}
