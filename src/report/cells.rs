//! What each cell says before the findings are applied: what the repository shows for the
//! aspect, or why there is nothing to check.

use std::collections::BTreeMap;

use envlint_model::classify::Environments;
use envlint_model::grants::AccessMap;
use envlint_model::reach::Credential;
use envlint_model::resolve::target_context;
use envlint_model::{Environment, Policy, ProfileView};
use envlint_parser::{Repository, Target};

use super::model::{Aspect, Cell, Status};
use super::placement::rules_of;
use crate::explain::credential_source;
use crate::explain_grants::holder_label;

/// What the cells of one report read from.
pub(crate) struct Facts<'a> {
    pub repo: &'a Repository,
    pub policy: &'a Policy,
    pub environments: &'a Environments,
    pub reach: &'a [Credential],
    pub access: &'a AccessMap,
}

fn cell(status: Status, text: impl Into<String>) -> Cell {
    Cell {
        status,
        text: text.into(),
        codes: Vec::new(),
    }
}

/// The cell before findings; `view` is `None` for a project without a committed profile.
pub(crate) fn base(
    facts: &Facts<'_>,
    view: Option<&ProfileView<'_>>,
    environment: Environment,
    aspect: Aspect,
) -> Cell {
    let rules = rules_of(aspect);
    if aspect != Aspect::Targets && rules.iter().all(|code| !enabled(facts.policy, code)) {
        return cell(
            Status::NotChecked,
            format!("{} off in the policy", rules.join(", ")),
        );
    }
    match aspect {
        Aspect::Teardown | Aspect::Cleanup | Aspect::ReleaseSnapshot if !runs_dbt(facts.repo) => {
            cell(Status::NotChecked, "no CI or orchestrator job runs dbt")
        }
        Aspect::Teardown | Aspect::ReleaseSnapshot => cell(Status::Ok, checked_by(&rules)),
        Aspect::Cleanup => cleanup(facts.policy, environment, &rules),
        Aspect::Grants => grants(facts.access, environment),
        _ => match view {
            None => cell(Status::NotChecked, "no committed profiles.yml"),
            Some(view) => per_target(facts, view, environment, aspect),
        },
    }
}

/// Whether some CI job, dbt Cloud job or bundle job runs dbt: a repository whose only
/// workflows lint or release something else has nothing to tear down or sweep.
fn runs_dbt(repo: &Repository) -> bool {
    repo.ci
        .iter()
        .chain(&repo.orchestrated)
        .flat_map(|file| &file.jobs)
        .any(|job| job.dbt_calls().next().is_some())
}

fn enabled(policy: &Policy, code: &str) -> bool {
    envlint_rules::registry::find(code).is_some_and(|m| policy.severity(code, m.severity).is_some())
}

fn checked_by(rules: &[&str]) -> String {
    format!("checked by {}", rules.join(", "))
}

fn cleanup(policy: &Policy, environment: Environment, rules: &[&str]) -> Cell {
    let text = match (environment, policy.cleanup.get(&environment)) {
        (Environment::Prod, _) => "drops checked against prod (ENV306)".to_owned(),
        (_, Some(age)) if age.hours % 24 == 0 => format!("after {}d (policy)", age.hours / 24),
        (_, Some(age)) => format!("after {}h (policy)", age.hours),
        (_, None) => checked_by(rules),
    };
    cell(Status::Ok, text)
}

fn grants(access: &AccessMap, environment: Environment) -> Cell {
    if access.writes.is_empty() && access.shares.is_empty() {
        return cell(Status::NotChecked, "no grant or share statements");
    }
    let mut writers: Vec<String> = access
        .writes
        .iter()
        .filter(|w| w.environment == Some(environment))
        .map(|w| format!("{} ({})", w.grantee, holder_label(w.holder)))
        .collect();
    writers.dedup();
    let text = if writers.is_empty() {
        "no write grant on its locations".to_owned()
    } else {
        writers.join(", ")
    };
    cell(Status::Ok, text)
}

/// Cells read from the environment's targets.
fn per_target(
    facts: &Facts<'_>,
    view: &ProfileView<'_>,
    environment: Environment,
    aspect: Aspect,
) -> Cell {
    let targets: Vec<&Target> = view.targets_in(environment).collect();
    if targets.is_empty() {
        let unsettled: Vec<String> = view
            .profile
            .targets
            .iter()
            .filter(|t| facts.environments.environment(t).is_none())
            .map(|t| format!("`{}`", t.name))
            .collect();
        let text = if unsettled.is_empty() {
            format!("no {environment} target")
        } else {
            format!(
                "no {environment} target ({} not classified)",
                unsettled.join(", ")
            )
        };
        return cell(Status::Unknown, text);
    }
    let mut texts: Vec<String> = targets
        .iter()
        .map(|target| {
            let text = match aspect {
                Aspect::Targets => return targets_text(facts.environments, target),
                Aspect::Location => location(view, target),
                Aspect::Credential => credential(facts.reach, target),
                _ => isolation(view, target),
            };
            // With several targets, each says whose it is.
            if targets.len() > 1 {
                format!("`{}`: {text}", target.name)
            } else {
                text
            }
        })
        .collect();
    texts.dedup();
    cell(Status::Ok, texts.join("; "))
}

fn targets_text(environments: &Environments, target: &Target) -> String {
    let reason = environments
        .of(target)
        .map_or("not classified", |c| c.reason.as_str());
    format!("`{}`: {reason}", target.name)
}

fn location(view: &ProfileView<'_>, target: &Target) -> String {
    let context = target_context(target, &view.profile.name, &BTreeMap::new());
    let (database, schema) = (context.database.to_string(), context.schema.to_string());
    if database.is_empty() {
        schema
    } else {
        format!("{database}.{schema}")
    }
}

/// The variables the target's location reads: what makes it per person or per run.
fn isolation(view: &ProfileView<'_>, target: &Target) -> String {
    let context = target_context(target, &view.profile.name, &BTreeMap::new());
    let mut names: Vec<String> = context
        .database
        .env_refs()
        .into_iter()
        .chain(context.schema.env_refs())
        .map(|e| format!("`{}`", e.name))
        .collect();
    names.dedup();
    if names.is_empty() {
        "fixed".to_owned()
    } else {
        format!("varies with {}", names.join(", "))
    }
}

/// The credential's source and who holds it: `MOTHERDUCK_TOKEN_CI (pull request, scheduled)`.
fn credential(reach: &[Credential], target: &Target) -> String {
    let source = credential_source(target);
    let mut holders: Vec<&str> = reach
        .iter()
        .filter(|c| c.kind == "env" && source.split(", ").any(|s| s == c.name))
        .flat_map(|c| c.holders.iter().map(|(context, _, _)| context.as_str()))
        .collect();
    holders.sort_unstable();
    holders.dedup();
    if holders.is_empty() {
        source
    } else {
        format!("{source} ({})", holders.join(", "))
    }
}
