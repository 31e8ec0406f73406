//! CI jobs read against the classified profiles: the target a name refers to, its
//! environment, and the variable that carries the pull-request number into a CI target.

use envlint_parser::{Repository, Target};

use crate::ci_view::{call_target, is_per_run, jobs};
use crate::environment::Environment;
use crate::policy::Policy;
use crate::profiles::ProfileView;

/// The profile target a name refers to, with its environment, in any checked profile.
pub fn find_target<'a>(
    profiles: &'a [ProfileView<'a>],
    name: &str,
) -> Option<(Environment, &'a Target)> {
    profiles
        .iter()
        .flat_map(|view| view.targets.iter())
        .find(|(_, t)| t.name == name)
        .copied()
}

/// The environment of a target name: the profile's target, else the policy's naming.
pub fn target_environment(
    profiles: &[ProfileView<'_>],
    policy: &Policy,
    name: &str,
) -> Option<Environment> {
    find_target(profiles, name)
        .map(|(env, _)| env)
        .or_else(|| policy.classify(name))
}

/// A variable that pull-request jobs building with `target` set to the bare PR or run
/// number (`PR_NUMBER: ${{ github.event.number }}`), to build a per-PR schema from.
pub fn pr_number_variable(
    repo: &Repository,
    policy: &Policy,
    profiles: &[ProfileView<'_>],
    target: &str,
) -> Option<String> {
    jobs(repo, policy)
        .into_iter()
        .filter(|view| view.contexts.pull_request && !view.contexts.pr_closed_only)
        .find_map(|view| {
            view.job.dbt_calls().find_map(|(step, call)| {
                let builds_target = call.writes()
                    && call_target(&view, step, call)
                        .and_then(|name| find_target(profiles, &name))
                        .is_some_and(|(_, found)| found.name == target);
                if !builds_target {
                    return None;
                }
                let assignments = view
                    .job
                    .steps
                    .iter()
                    .filter_map(|s| s.script.as_ref())
                    .flat_map(|s| s.assignments.iter());
                call.prefix
                    .iter()
                    .chain(&step.env)
                    .chain(&view.job.env)
                    .chain(&view.ci.env)
                    .chain(assignments)
                    .find(|var| is_per_run(&var.value) && is_bare_reference(&var.value))
                    .map(|var| var.name.clone())
            })
        })
}

/// `${{ github.event.number }}` or `$CI_MERGE_REQUEST_IID`: a reference with no text
/// around it.
fn is_bare_reference(value: &str) -> bool {
    let value = value.trim();
    let inner = value
        .strip_prefix("${{")
        .and_then(|v| v.strip_suffix("}}"))
        .or_else(|| value.strip_prefix("${").and_then(|v| v.strip_suffix('}')))
        .or_else(|| value.strip_prefix('$'))
        .unwrap_or(value);
    inner
        .trim()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}
