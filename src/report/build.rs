//! Builds the report from a loaded repository and the check's outcome, reusing what
//! `explain` shows: the classification with its evidence, credential reach and the grants.

use envlint_diagnostics::Diagnostic;
use envlint_model::reach::{Credential, credential_reach};
use envlint_model::{Environment, ProfileView};
use envlint_parser::Repository;
use envlint_rules::Outcome;

use super::cells::{Facts, base};
use super::findings::{Placed, place_all};
use super::model::{Actor, Aspect, Edge, From, Report, Row, Section};
use super::placement::Breach;
use crate::explain::credential_source;

pub(crate) fn build(repo: &Repository, outcome: &Outcome) -> Report {
    let policy = &outcome.policy;
    let environments = envlint_model::classify::classify(repo, policy);
    let views = envlint_model::profile_views(repo, policy, &environments);
    let reach = credential_reach(repo, policy);
    let access = envlint_model::grants::access_map(repo, policy, &views);
    let facts = Facts {
        repo,
        policy,
        environments: &environments,
        reach: &reach,
        access: &access,
    };
    let mut other_codes = Vec::new();
    let mut sections: Vec<Section> = views
        .iter()
        .map(|view| section(&facts, Some(view), &outcome.diagnostics, &mut other_codes))
        .collect();
    if views.is_empty() {
        sections = repo
            .projects
            .iter()
            .map(|entry| {
                let mut section = section(&facts, None, &outcome.diagnostics, &mut other_codes);
                section.project = entry.project.project_name();
                section.file = Some(shown(repo, entry.project.file));
                section
            })
            .collect();
    }
    other_codes.sort_unstable();
    other_codes.dedup();
    Report {
        sections,
        other_codes,
    }
}

fn shown(repo: &Repository, file: envlint_diagnostics::FileId) -> String {
    repo.db.path(file).display().to_string()
}

fn section(
    facts: &Facts<'_>,
    view: Option<&ProfileView<'_>>,
    diagnostics: &[Diagnostic],
    other_codes: &mut Vec<&'static str>,
) -> Section {
    let (placed, unplaced) = place_all(facts.repo, view, diagnostics);
    other_codes.extend(unplaced);
    let rows = Environment::ALL
        .into_iter()
        .map(|environment| Row {
            environment,
            cells: Aspect::ALL
                .into_iter()
                .map(|aspect| {
                    aspect
                        .applies_to(environment)
                        .then(|| cell(facts, view, &placed, environment, aspect))
                })
                .collect(),
        })
        .collect();
    let mut edges = view.map_or_else(Vec::new, |v| writers(facts.reach, v));
    for breach in breaches(&placed) {
        // A context that holds prod's credential and should not: its edge turns red.
        match edges
            .iter_mut()
            .find(|e| e.from == breach.from && e.to == breach.to)
        {
            Some(edge) => {
                edge.label = format!("{}: {}", edge.label, breach.label);
                edge.codes = breach.codes;
            }
            None => edges.push(breach),
        }
    }
    let project = view.and_then(|v| {
        facts
            .repo
            .projects
            .iter()
            .find(|p| p.project.profile_name().as_deref() == Some(v.profile.name.as_str()))
            .and_then(|p| p.project.project_name())
    });
    Section {
        project,
        profile: view.map(|v| v.profile.name.clone()),
        file: view.map(|v| shown(facts.repo, v.file)),
        rows,
        edges,
    }
}

/// The cell with its findings applied: the worst status wins, the codes are listed.
fn cell(
    facts: &Facts<'_>,
    view: Option<&ProfileView<'_>>,
    placed: &[Placed<'_>],
    environment: Environment,
    aspect: Aspect,
) -> super::model::Cell {
    let mut cell = base(facts, view, environment, aspect);
    for found in placed
        .iter()
        .filter(|p| p.environment == environment && p.placement.aspect == aspect)
    {
        cell.status = cell.status.max(found.status());
        if !cell.codes.contains(&found.diagnostic.code) {
            cell.codes.push(found.diagnostic.code);
        }
    }
    cell.codes.sort_unstable();
    cell
}

fn actor(context: &str) -> Option<Actor> {
    match context {
        "laptop" => Some(Actor::Laptop),
        "pull request" => Some(Actor::PullRequest),
        "deploy" => Some(Actor::Deploy),
        "scheduled" => Some(Actor::Scheduled),
        _ => None,
    }
}

/// Who writes each environment: the contexts holding its targets' credentials.
fn writers(reach: &[Credential], view: &ProfileView<'_>) -> Vec<Edge> {
    let mut edges: Vec<Edge> = Vec::new();
    for (environment, target) in &view.targets {
        let source = credential_source(target);
        for credential in reach
            .iter()
            .filter(|c| c.kind == "env" && source.split(", ").any(|s| s == c.name))
        {
            for from in credential.holders.iter().filter_map(|(c, _, _)| actor(c)) {
                let edge = Edge {
                    from: From::Actor(from),
                    to: *environment,
                    label: credential.name.clone(),
                    codes: Vec::new(),
                };
                if !edges.contains(&edge) {
                    edges.push(edge);
                }
            }
        }
    }
    edges.sort();
    edges
}

/// One red edge into prod per source of breaches, labelled with their codes.
fn breaches(placed: &[Placed<'_>]) -> Vec<Edge> {
    let mut edges: Vec<Edge> = Vec::new();
    for found in placed {
        let from = match found.placement.breach {
            Breach::None => continue,
            Breach::FromRow if found.environment == Environment::Prod => continue,
            Breach::FromRow => From::Environment(found.environment),
            Breach::From(from) => from,
        };
        let code = found.diagnostic.code;
        match edges.iter_mut().find(|e| e.from == from) {
            Some(edge) if edge.codes.contains(&code) => {}
            Some(edge) => edge.codes.push(code),
            None => edges.push(Edge {
                from,
                to: Environment::Prod,
                label: String::new(),
                codes: vec![code],
            }),
        }
    }
    for edge in &mut edges {
        edge.codes.sort_unstable();
        edge.label = edge.codes.join(", ");
    }
    edges.sort();
    edges
}
