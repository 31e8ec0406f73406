//! The CI side of the contract: in which contexts each job runs (pull request, deploy,
//! scheduled, manual), which dbt target each invocation uses, and what it sets.

use envlint_parser::ci::{CiFile, DbtCall, EnvVar, Job, Step, Triggers};
use envlint_parser::{EnvRef, Repository};

use crate::environment::Environment;
use crate::policy::Policy;

/// Where a job can run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Contexts {
    /// A pull-request event (opened, synchronized, ... or closed) can run it.
    pub pull_request: bool,
    /// Only when a pull request closes (teardown).
    pub pr_closed_only: bool,
    /// It runs only where prod may run: push to the deploy branch, a merged pull request,
    /// the schedule (default branch), or behind a protected environment.
    pub deploy: bool,
    pub scheduled: bool,
    pub manual: bool,
    /// Run by a developer with their own identity (a Databricks bundle target in
    /// development mode).
    pub development: bool,
    /// Its guard is not understood: rules say nothing about it.
    pub unknown: bool,
}

/// A job with its file and contexts.
pub struct JobView<'a> {
    pub ci: &'a CiFile,
    pub job: &'a Job,
    pub contexts: Contexts,
}

pub fn jobs<'a>(repo: &'a Repository, policy: &Policy) -> Vec<JobView<'a>> {
    views(&repo.ci, policy)
}

/// The jobs that run dbt outside CI files: dbt Cloud jobs, Databricks bundle jobs.
pub fn orchestrated_jobs<'a>(repo: &'a Repository, policy: &Policy) -> Vec<JobView<'a>> {
    views(&repo.orchestrated, policy)
}

fn views<'a>(files: &'a [CiFile], policy: &Policy) -> Vec<JobView<'a>> {
    files
        .iter()
        .flat_map(|ci| {
            ci.jobs.iter().map(move |job| JobView {
                ci,
                job,
                contexts: contexts(ci, job, policy),
            })
        })
        .collect()
}

fn deploy_branch(policy: &Policy) -> String {
    policy
        .environment(Environment::Prod)
        .and_then(|p| p.deploy_branch.clone())
        .unwrap_or_else(|| "main".to_owned())
}

/// A deployment environment counts as protected when its name says prod.
fn protected(job: &Job) -> bool {
    job.environment
        .as_ref()
        .is_some_and(|(name, _)| crate::names::environment_named(name) == Some(Environment::Prod))
}

fn contexts(ci: &CiFile, job: &Job, policy: &Policy) -> Contexts {
    let triggers: &Triggers = job.triggers.as_ref().unwrap_or(&ci.triggers);
    let guard = &job.guard;
    if job.stops_environment {
        // GitLab stops a review environment when its merge request closes.
        return Contexts {
            pull_request: true,
            pr_closed_only: true,
            ..Contexts::default()
        };
    }
    if guard.never {
        return Contexts::default();
    }
    if triggers.development {
        return Contexts {
            development: true,
            ..Contexts::default()
        };
    }
    if guard.unknown {
        return Contexts {
            unknown: true,
            ..Contexts::default()
        };
    }
    let allows = |event: &str| {
        guard
            .events
            .as_ref()
            .is_none_or(|events| events.iter().any(|e| e == event))
    };
    let pull_request = triggers.on_pull_request()
        && !guard.excludes_pull_requests
        && !guard.merged_only
        && (allows("pull_request") || allows("pull_request_target"));
    let pr_closed_only = pull_request && (triggers.only_pr_closed() || guard.closed_only);
    let branch = deploy_branch(policy);
    let guarded_to_deploy = guard.branch.as_deref() == Some(branch.as_str());
    let push_ok = match &triggers.push {
        None => true,
        Some(None) => guarded_to_deploy || !allows("push"),
        // Pushes to named long-lived branches only (`[main, prod]`: one deploys staging, the
        // other prod): no feature branch runs it.
        Some(Some(branches)) => {
            guarded_to_deploy
                || !allows("push")
                || branches.iter().all(|b| *b == branch || is_named_branch(b))
        }
    };
    let manual = (triggers.manual || job.manual) && allows("workflow_dispatch");
    let scheduled = triggers.schedule && allows("schedule");
    let deploy = protected(job) || (!pull_request && push_ok && (!manual || guarded_to_deploy));
    Contexts {
        pull_request,
        pr_closed_only,
        deploy,
        scheduled,
        manual,
        development: false,
        unknown: false,
    }
}

/// A branch filter that names one branch rather than a pattern (`release/*`, `!main`).
fn is_named_branch(filter: &str) -> bool {
    !filter.is_empty() && !filter.contains(['*', '?', '!', '[', '+'])
}

/// The value a variable has in a step: step `env:`, then job `env:`, then workflow `env:`,
/// then earlier assignments in the job's scripts (`export`, `$GITHUB_ENV`).
pub fn env_value<'a>(
    view: &JobView<'a>,
    step: &'a Step,
    call: &'a DbtCall,
    name: &str,
) -> Option<&'a EnvVar> {
    let find = |vars: &'a [EnvVar]| vars.iter().find(|v| v.name == name);
    find(&call.prefix)
        .or_else(|| find(&step.env))
        .or_else(|| find(&view.job.env))
        .or_else(|| find(&view.ci.env))
        .or_else(|| {
            view.job
                .steps
                .iter()
                .filter_map(|s| s.script.as_ref())
                .flat_map(|s| s.assignments.iter())
                .find(|v| v.name == name)
        })
}

/// Whether a dbt call runs without a variable the profile reads with no default: the job
/// does not set it and the runner does not provide it (`USER`, `HOME`, `GITHUB_*`,
/// `CI_*`, ...). dbt then stops at the profile: "Env var required but not provided".
pub fn missing_in_job(view: &JobView<'_>, step: &Step, call: &DbtCall, env: &EnvRef) -> bool {
    let runner = ["USER", "HOME", "PATH", "PWD", "SHELL", "CI"].contains(&env.name.as_str())
        || ["GITHUB_", "RUNNER_", "CI_", "GITLAB_"]
            .iter()
            .any(|prefix| env.name.starts_with(prefix));
    env.default.is_none() && !runner && env_value(view, step, call, &env.name).is_none()
}

/// The target a dbt call uses and where it is set: `--target X` (with `$VAR` looked up),
/// else `DBT_TARGET`, else the job's own target (dbt Cloud's `target_name`).
pub fn call_target_at<'a>(
    view: &JobView<'a>,
    step: &'a Step,
    call: &'a DbtCall,
) -> Option<(String, envlint_diagnostics::Span)> {
    match &call.target {
        Some((name, span)) => match name.strip_prefix('$') {
            Some(var) => {
                let var = var.trim_start_matches('{').trim_end_matches('}');
                env_value(view, step, call, var).map(|v| (v.value.clone(), v.span))
            }
            None => Some((name.clone(), *span)),
        },
        None => env_value(view, step, call, "DBT_TARGET")
            .map(|v| (v.value.clone(), v.span))
            .or_else(|| view.job.target.clone()),
    }
}

/// Whether a dbt call builds into its target's location (a `run-operation` may only clean
/// up; `parse`, `compile`, `ls` write nothing).
pub fn builds(call: &DbtCall) -> bool {
    ["build", "run", "seed", "snapshot", "clone", "retry"].contains(&call.command.as_str())
}

/// Whether CI never builds with a target although it runs dbt: every call that names it,
/// or every dbt call at all when none names it, builds nothing (`dbt parse` for linting,
/// with the target as the profile's default). `false` without dbt in CI: no evidence.
pub fn never_built_in_ci(repo: &Repository, policy: &Policy, target: &str) -> bool {
    let (mut named, mut any_call, mut any_build) = (false, false, false);
    for view in jobs(repo, policy) {
        for (step, call) in view.job.dbt_calls() {
            any_call = true;
            any_build |= builds(call);
            if call_target(&view, step, call).as_deref() == Some(target) {
                if builds(call) {
                    return false;
                }
                named = true;
            }
        }
    }
    named || (any_call && !any_build)
}

/// The name of the target a dbt call uses.
pub fn call_target(view: &JobView<'_>, step: &Step, call: &DbtCall) -> Option<String> {
    call_target_at(view, step, call).map(|(name, _)| name)
}

/// Whether a value is made per pull request or per run.
pub fn is_per_run(value: &str) -> bool {
    [
        "github.event.number",
        "github.event.pull_request.number",
        "pull_request.number",
        "github.run_id",
        "github.run_number",
        "github.head_ref",
        "github.sha",
        "GITHUB_RUN_ID",
        "GITHUB_RUN_NUMBER",
        "GITHUB_HEAD_REF",
        "GITHUB_SHA",
        "CI_MERGE_REQUEST_IID",
        "CI_PIPELINE_ID",
        "CI_PIPELINE_IID",
        "CI_COMMIT_SHORT_SHA",
        "CI_COMMIT_SHA",
        "PR_NUMBER",
        "BUILD_ID",
        "BUILD_NUMBER",
    ]
    .iter()
    .any(|token| value.contains(token))
}

/// The same PR-number expression written two ways counts as the same.
pub fn normalise_expression(value: &str) -> String {
    value
        .replace("github.event.pull_request.number", "github.event.number")
        .replace("${{", "")
        .replace("}}", "")
        .split_whitespace()
        .collect()
}

/// A `run-operation` (or SQL) that drops schemas.
pub fn drops_schemas(step: &Step) -> bool {
    let Some(script) = &step.script else {
        return false;
    };
    !script.drops.is_empty()
        || script.dbt.iter().any(|call| {
            call.operation.as_deref().is_some_and(|op| {
                let op = op.to_ascii_lowercase();
                ["drop", "clean", "teardown", "purge", "prune", "delete"]
                    .iter()
                    .any(|w| op.contains(w))
            })
        })
}

/// A pull-request job that drops schemas in a step after its build (an `if: always()`
/// teardown at the end of the job): its per-run schemas do not outlive it.
pub fn drops_after_build(view: &JobView<'_>) -> bool {
    let steps = &view.job.steps;
    let build = steps.iter().position(|s| {
        s.script
            .as_ref()
            .is_some_and(|f| f.dbt.iter().any(DbtCall::writes))
    });
    view.contexts.pull_request && build.is_some_and(|b| steps[b + 1..].iter().any(drops_schemas))
}
