//! The Mermaid flowchart of one profile: dev → pull requests → prod, an edge from each
//! context that holds an environment's credential, and a red edge into prod per breach.

use envlint_model::Environment;

use super::model::{Actor, Aspect, Edge, From, Section, Status};

/// Red, as GitHub's own "danger" colour.
const BREACH_STYLE: &str = "stroke:#d73a49,stroke-width:3px,color:#d73a49";

fn environment_id(environment: Environment) -> &'static str {
    environment.as_str()
}

fn id(from: From) -> &'static str {
    match from {
        From::Actor(actor) => actor.key(),
        From::Environment(environment) => environment_id(environment),
    }
}

/// Text inside a quoted Mermaid label: its entity codes stand for quotes and angle brackets.
fn label(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// `dev: transform_dev.dev_${USER}`, or the bare name when the location is not known.
fn node_label(section: &Section, environment: Environment) -> String {
    let location = section
        .rows
        .iter()
        .find(|r| r.environment == environment)
        .and_then(|r| r.cell(Aspect::Location))
        .filter(|c| !matches!(c.status, Status::NotChecked | Status::Unknown));
    match location {
        Some(cell) => format!("{environment}: {}", cell.text),
        _ => environment.to_string(),
    }
}

pub(crate) fn render(section: &Section) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut actors: Vec<Actor> = section
        .edges
        .iter()
        .filter_map(|e| match e.from {
            From::Actor(actor) => Some(actor),
            From::Environment(_) => None,
        })
        .collect();
    actors.sort();
    actors.dedup();
    for actor in actors {
        out.push_str(&format!("  {}([\"{}\"])\n", actor.key(), actor.label()));
    }
    for environment in Environment::ALL {
        out.push_str(&format!(
            "  {}[\"{}\"]\n",
            environment_id(environment),
            label(&node_label(section, environment))
        ));
    }
    out.push_str("  dev -. pull request .-> ci\n  ci -. merge .-> prod\n");
    let mut breaches = Vec::new();
    for (index, edge) in section.edges.iter().enumerate() {
        out.push_str(&edge_line(edge));
        if !edge.codes.is_empty() {
            // The two promotion edges come first.
            breaches.push((index + 2).to_string());
        }
    }
    if !breaches.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} {BREACH_STYLE}\n",
            breaches.join(",")
        ));
    }
    out
}

fn edge_line(edge: &Edge) -> String {
    format!(
        "  {} -- \"{}\" --> {}\n",
        id(edge.from),
        label(&edge.label),
        environment_id(edge.to)
    )
}
