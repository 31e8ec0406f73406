//! `init --scaffold`: what the three-environment setup still lacks, from templates: a
//! profiles skeleton, the PR build, deploy, PR teardown and nightly cleanup workflows and the
//! cleanup macros they run.

use std::path::{Path, PathBuf};

use envlint_parser::Repository;
use envlint_parser::ci::{CiFile, Job, Triggers};

use super::survey::{Survey, TargetFacts};

/// A file to write and its text.
pub(crate) struct Planned {
    pub path: PathBuf,
    pub text: String,
}

/// A dev/ci/prod profiles skeleton, when the project has no profile at all.
pub(crate) fn profiles_skeleton(survey: &Survey) -> Option<Planned> {
    (!survey.has_profiles).then(|| Planned {
        path: survey.root.join("profiles.yml"),
        text: include_str!("templates/profiles.yml").replace(
            "__PROFILE__",
            survey.profile.as_deref().unwrap_or("transform"),
        ),
    })
}

/// What the scaffold writes, and the files it leaves out with the reason.
pub(crate) struct Plan {
    pub files: Vec<Planned>,
    pub not_written: Vec<(PathBuf, String)>,
}

/// The workflows and macros the setup lacks; `repo_root` is where `.github/` goes.
pub(crate) fn plan(survey: &Survey, repo: &Repository, repo_root: &Path) -> Plan {
    let fill = Fill::new(survey, repo_root);
    let workflows = repo_root.join(".github").join("workflows");
    let mut plan = Plan {
        files: vec![Planned {
            path: survey.root.join("macros").join("envlint_cleanup.sql"),
            text: include_str!("templates/envlint_cleanup.sql").to_owned(),
        }],
        not_written: Vec::new(),
    };
    let has = |wanted: fn(&CiFile) -> bool| repo.ci.iter().any(wanted);
    // The PR build, its teardown and the sweep build into and drop `pr_<number>`: a CI
    // schema with another prefix would make them drop nothing, or refuse to.
    let unfit = unfit_ci_schema(survey);
    let mut workflow = |name: &str, template: &str, per_pr: bool| {
        let path = workflows.join(name);
        match (&unfit, per_pr) {
            (Some(reason), true) => plan.not_written.push((path, reason.clone())),
            _ => plan.files.push(Planned {
                path,
                text: fill.apply(template),
            }),
        }
    };
    if !has(builds_pull_requests) {
        workflow("dbt-pr.yml", include_str!("templates/pr.yml"), true);
    }
    if !has(deploys) {
        workflow(
            "dbt-deploy.yml",
            include_str!("templates/deploy.yml"),
            false,
        );
    }
    if !has(tears_down) {
        workflow(
            "dbt-pr-teardown.yml",
            include_str!("templates/teardown.yml"),
            true,
        );
    }
    if !has(cleans_up) {
        let nightly = include_str!("templates/nightly-cleanup.yml");
        workflow("dbt-nightly-cleanup.yml", nightly, true);
    }
    plan
}

/// Why the CI schema cannot be `pr_<number>`: its literal text before the variable is
/// neither empty nor `pr_` (`ci_{{ env_var('PR_NUMBER') }}`).
fn unfit_ci_schema(survey: &Survey) -> Option<String> {
    let (var, before) = survey.ci.iter().find_map(|t| t.schema_var.clone())?;
    if before.is_empty() || before == "pr_" {
        return None;
    }
    Some(format!(
        "the CI schema `{before}{{{{ env_var('{var}') }}}}` starts with `{before}`, and the \
         scaffold's jobs build into and drop `pr_<number>` schemas only; make it \
         `pr_{{{{ env_var('{var}') }}}}` and run `init --scaffold` again"
    ))
}

/// The first steps of every job: the checkout without a persisted token, a pinned Python,
/// dbt with the adapter, and the project's packages. Actions are pinned to a commit.
const SETUP: &str =
    "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - uses: actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b # v5.3.0
        with:
          python-version: \"3.12\"
      - run: pip install \"dbt-core~=1.12.0\"__PACKAGE__
      - run: dbt deps
";

/// What the templates' `__NAME__` slots become for this repository.
struct Fill {
    slots: Vec<(&'static str, String)>,
}

impl Fill {
    fn new(survey: &Survey, repo_root: &Path) -> Self {
        let first = |targets: &[TargetFacts], default: &str| {
            targets
                .first()
                .map_or(default.to_owned(), |t| t.name.clone())
        };
        // Each job's credential variables and the secret each is mapped from: a variable the
        // profile reads takes the secret of its name; a MotherDuck target that reads none
        // takes the ambient `MOTHERDUCK_TOKEN`, mapped from its workload's own secret. Without
        // a profile the skeleton's per-workload tokens are the credentials.
        let vars = |targets: &[TargetFacts], workload: &str| -> Vec<(String, String)> {
            let own = format!("MOTHERDUCK_TOKEN_{workload}");
            if !survey.has_profiles {
                return vec![(own.clone(), own)];
            }
            let named: Vec<(String, String)> = targets
                .iter()
                .flat_map(|t| t.credential_vars.iter().map(|v| (v.clone(), v.clone())))
                .collect();
            if named.is_empty() && survey.motherduck {
                vec![("MOTHERDUCK_TOKEN".to_owned(), own)]
            } else {
                named
            }
        };
        let ci_vars = vars(&survey.ci, "CI");
        let prod_vars = vars(&survey.prod, "PROD");
        let dev_vars = vars(&survey.dev, "DEV");
        // The sweep runs dbt with the CI and dev targets: the variables their locations read
        // with no default must be set, or dbt stops at the profile. The runner sets `USER`.
        let mut placeholders: Vec<String> = if survey.has_profiles {
            [survey.ci.first(), survey.dev.first()]
                .into_iter()
                .flatten()
                .flat_map(|t| t.location_vars.clone())
                .filter(|v| v != "USER")
                .collect()
        } else {
            vec!["DBT_SCHEMA".to_owned()]
        };
        placeholders.sort();
        placeholders.dedup();
        let placeholders: String = placeholders
            .iter()
            .map(|v| format!("      {v}: envlint_cleanup\n"))
            .collect();
        let defaults = match survey.root.strip_prefix(repo_root) {
            Ok(relative) if !relative.as_os_str().is_empty() => format!(
                "    defaults:\n      run:\n        working-directory: {}\n",
                relative.display()
            ),
            _ => String::new(),
        };
        let package = match survey.adapter.as_deref() {
            Some("duckdb") if survey.motherduck => " dbt-duckdb duckdb".to_owned(),
            Some(adapter) => format!(" dbt-{adapter}"),
            None => String::new(),
        };
        let setup = SETUP.replace("__PACKAGE__", &package);
        let prod_database = survey.prod.iter().find_map(|t| t.database.clone());
        let snapshot = match (survey.motherduck, prod_vars.first(), prod_database) {
            (true, Some((token, _)), Some(database)) => format!(
                "      - run: python -c \"import duckdb; duckdb.connect('md:?motherduck_token=${token}').sql('CREATE SNAPSHOT release_${{{{ github.sha }}}} OF {database}')\"\n"
            ),
            _ => String::new(),
        };
        // The CI schema's variable, set so that the schema becomes `pr_<number>`.
        let (schema_var, before) = survey
            .ci
            .iter()
            .find_map(|t| t.schema_var.clone())
            .unwrap_or_else(|| ("DBT_SCHEMA".to_owned(), String::new()));
        let schema_value = if before.ends_with("pr_") {
            "${{ github.event.number }}"
        } else {
            "pr_${{ github.event.number }}"
        };
        Self {
            slots: vec![
                ("__CI_ENV__", secrets(&ci_vars, 6) + &defaults),
                ("__PROD_ENV__", secrets(&prod_vars, 6) + &defaults),
                ("__CI_STEP_ENV__", secrets(&ci_vars, 10)),
                ("__DEV_STEP_ENV__", step_env(&dev_vars)),
                ("__DEFAULTS__", defaults),
                ("__PLACEHOLDERS__", placeholders),
                ("__CI_DAYS__", survey.ci_days.to_string()),
                ("__DEV_DAYS__", survey.dev_days.to_string()),
                ("__SETUP__", setup),
                ("__SNAPSHOT__", snapshot),
                ("__SCHEMA_VALUE__", schema_value.to_owned()),
                ("__SCHEMA_EXPR__", format!("{before}${{{schema_var}}}")),
                ("__SCHEMA_VAR__", schema_var),
                ("__CI_TARGET__", first(&survey.ci, "ci")),
                ("__PROD_TARGET__", first(&survey.prod, "prod")),
                ("__DEV_TARGET__", first(&survey.dev, "dev")),
                ("__ENVLINT_VERSION__", env!("CARGO_PKG_VERSION").to_owned()),
            ],
        }
    }

    fn apply(&self, template: &str) -> String {
        self.slots
            .iter()
            .fold(template.to_owned(), |text, (slot, value)| {
                text.replace(slot, value)
            })
    }
}

/// `NAME: ${{ secrets.SECRET }}` lines indented by `indent`, each variable once.
fn secrets(vars: &[(String, String)], indent: usize) -> String {
    let mut vars: Vec<&(String, String)> = vars.iter().collect();
    vars.sort();
    vars.dedup();
    vars.iter()
        .map(|(var, secret)| format!("{:indent$}{var}: ${{{{ secrets.{secret} }}}}\n", ""))
        .collect()
}

/// A step's own `env:` with these secrets, or nothing.
fn step_env(vars: &[(String, String)]) -> String {
    if vars.is_empty() {
        String::new()
    } else {
        format!("        env:\n{}", secrets(vars, 10))
    }
}

fn runs_dbt<'a>(ci: &'a CiFile, commands: &'a [&'a str]) -> impl Iterator<Item = &'a Job> {
    ci.jobs.iter().filter(move |job| {
        job.steps
            .iter()
            .filter_map(|s| s.script.as_ref())
            .flat_map(|s| &s.dbt)
            .any(|call| commands.contains(&call.command.as_str()))
    })
}

fn triggers<'a>(ci: &'a CiFile, job: &'a Job) -> &'a Triggers {
    job.triggers.as_ref().unwrap_or(&ci.triggers)
}

fn builds_pull_requests(ci: &CiFile) -> bool {
    runs_dbt(ci, &["build", "run"]).any(|job| {
        triggers(ci, job)
            .pull_request
            .as_ref()
            // No types: the default opened, synchronize and reopened.
            .is_some_and(|types| types.is_empty() || types.iter().any(|t| t != "closed"))
    })
}

fn deploys(ci: &CiFile) -> bool {
    runs_dbt(ci, &["build", "run"]).any(|job| triggers(ci, job).push.is_some())
}

fn tears_down(ci: &CiFile) -> bool {
    ci.jobs.iter().any(|job| {
        let closed = triggers(ci, job)
            .pull_request
            .as_ref()
            .is_some_and(|types| types.iter().any(|t| t == "closed"));
        closed && drops(job)
    })
}

fn cleans_up(ci: &CiFile) -> bool {
    ci.jobs
        .iter()
        .any(|job| triggers(ci, job).schedule && drops(job))
}

/// A `run-operation` or a `DROP SCHEMA` in the job's scripts.
fn drops(job: &Job) -> bool {
    job.steps
        .iter()
        .filter_map(|s| s.script.as_ref())
        .any(|s| !s.drops.is_empty() || s.dbt.iter().any(|call| call.command == "run-operation"))
}
