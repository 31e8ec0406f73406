//! What CI does with each target: which jobs build with it, and in which context (pull
//! request, deploy from the default branch, a named deployment environment).

use std::collections::HashMap;

use envlint_parser::Repository;

use crate::ci_view::{self, JobView};
use crate::environment::Environment;
use crate::names::{Said, said_by};
use crate::policy::Policy;

/// One CI job that builds with a target.
#[derive(Clone, Debug)]
pub(super) struct CiRun {
    /// What the job's context says: `None` for a shared pre-production environment.
    pub environment: Option<Environment>,
    /// `pull-request job `build` in .github/workflows/ci.yml`.
    pub what: String,
}

/// Every building dbt call in CI, by the name of the target it uses.
pub(super) fn ci_runs(repo: &Repository, policy: &Policy) -> HashMap<String, Vec<CiRun>> {
    let mut runs: HashMap<String, Vec<CiRun>> = HashMap::new();
    for view in ci_view::jobs(repo, policy) {
        let Some((environment, what)) = job_context(&view) else {
            continue;
        };
        for (step, call) in view.job.dbt_calls() {
            if !ci_view::builds(call) {
                continue;
            }
            let Some(name) = ci_view::call_target(&view, step, call) else {
                continue;
            };
            if name.contains(['$', '{']) {
                continue;
            }
            runs.entry(name).or_default().push(CiRun {
                environment,
                what: format!("{what} in {}", repo.db.path(view.ci.file).display()),
            });
        }
    }
    runs
}

/// The environment a job's context stands for, and how to say so; `None` when the job's
/// context says nothing (manual only, reusable, a guard we do not understand).
fn job_context(view: &JobView<'_>) -> Option<(Option<Environment>, String)> {
    let contexts = &view.contexts;
    let id = &view.job.id;
    if contexts.unknown || contexts.pr_closed_only {
        return None;
    }
    if let Some((name, _)) = &view.job.environment
        && let Some((said, _)) = said_by(name)
    {
        let environment = match said {
            Said::Env(env) => Some(env),
            Said::Staging => None,
        };
        return Some((environment, format!("job `{id}` in environment `{name}`")));
    }
    if contexts.pull_request {
        return Some((Some(Environment::Ci), format!("pull-request job `{id}`")));
    }
    let triggers = view.job.triggers.as_ref().unwrap_or(&view.ci.triggers);
    let only_called = triggers.called && triggers.push.is_none() && !triggers.schedule;
    if contexts.deploy && !contexts.manual && !only_called {
        let when = if contexts.scheduled {
            "scheduled"
        } else {
            "deploy"
        };
        return Some((Some(Environment::Prod), format!("{when} job `{id}`")));
    }
    None
}
