//! `dbt-envlint explain`: every target of each project's profile, and where each model,
//! seed and snapshot is built in each of them.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use envlint_model::classify::Environments;
use envlint_model::reach::{Credential, credential_reach};
use envlint_model::resolve::{self, ProjectResolution, Relation, ResolvedNode};
use envlint_parser::{CredentialKind, Repository, SymStr, Target};
use envlint_rules::load_policy;
use serde::Serialize;

use crate::args::{ExplainArgs, ExplainFormat};
use crate::explain_grants;
use crate::load;

pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let options = load::options(&(&args.common).into())?;
    let repo = envlint_parser::load(&options);
    load::something_checked(&repo, &options)?;
    let (policy, _) = load_policy(repo.policy.as_ref());
    let environments = envlint_model::classify::classify(&repo, &policy);
    if args.credentials {
        let reach = credential_reach(&repo, &policy);
        let text = match args.format {
            ExplainFormat::Human => credentials_human(&reach),
            ExplainFormat::Json => credentials_json(&reach),
        };
        let text = repo.db.mask_known(&text);
        out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.grants {
        let views = envlint_model::profile_views(&repo, &policy, &environments);
        let map = envlint_model::grants::access_map(&repo, &policy, &views);
        let text = match args.format {
            ExplainFormat::Human => explain_grants::human(&repo.db, &map),
            ExplainFormat::Json => explain_grants::json(&repo.db, &map),
        };
        let text = repo.db.mask_known(&text);
        out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        return Ok(ExitCode::SUCCESS);
    }
    let vars: BTreeMap<String, String> = args.env.iter().cloned().collect();
    let resolution = resolve::resolve(&repo, &environments, &vars);
    unknown_filter(&resolution.projects, &args.target, &args.node)?;
    let view = View {
        environments: &environments,
        vars,
        nodes: &args.node,
        targets: &args.target,
    };
    let text = match args.format {
        ExplainFormat::Human => human(&repo, &resolution.projects, &view),
        ExplainFormat::Json => json(&repo, &resolution.projects, &view),
    };
    let text = repo.db.mask_known(&text);
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// An error for a `--target` or `--node` that names nothing in any checked project: an
/// empty table would read as "nothing is built there".
fn unknown_filter(
    projects: &[ProjectResolution<'_>],
    targets: &[String],
    nodes: &[String],
) -> Result<(), String> {
    let known_targets: Vec<&str> = projects
        .iter()
        .flat_map(|p| p.targets.iter().map(|t| t.target.name.as_str()))
        .collect();
    // Every node of the projects, built or not (one disabled everywhere is still known).
    let known_nodes: Vec<&str> = projects
        .iter()
        .flat_map(|p| {
            let files = p.project.nodes.iter().map(|n| n.name.as_str());
            files.chain(p.nodes.iter().map(|n| n.unique_id.as_str()))
        })
        .collect();
    let unknown = |wanted: &[String], known: &[&str], what: &str| -> Result<(), String> {
        let Some(missing) = wanted.iter().find(|w| !known.contains(&w.as_str())) else {
            return Ok(());
        };
        let hint = envlint_model::policy::did_you_mean(missing, known.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        Err(format!(
            "no {what} named `{missing}` in the checked projects{hint}"
        ))
    };
    unknown(targets, &known_targets, "target")?;
    unknown(nodes, &known_nodes, "model, seed or snapshot")
}

/// Bindings, filters and each target's environment with its evidence.
struct View<'a> {
    environments: &'a Environments,
    vars: BTreeMap<String, String>,
    nodes: &'a [String],
    targets: &'a [String],
}

impl View<'_> {
    /// `dev`, or `unknown` when the evidence does not settle it.
    fn environment(&self, target: &Target) -> String {
        self.environments
            .environment(target)
            .map_or_else(|| "unknown".to_owned(), |e| e.to_string())
    }

    /// Why the target is in its environment (or unknown), and everything else seen.
    fn evidence(&self, target: &Target) -> (String, Vec<String>) {
        self.environments.of(target).map_or_else(
            || ("not classified".to_owned(), Vec::new()),
            |c| (c.reason.clone(), c.evidence.clone()),
        )
    }

    fn show(&self, value: &SymStr) -> String {
        value.bind(&self.vars, !self.vars.is_empty()).to_string()
    }

    fn wants_target(&self, name: &str) -> bool {
        self.targets.is_empty() || self.targets.iter().any(|t| t == name)
    }

    fn wants_node(&self, node: &ResolvedNode<'_>) -> bool {
        self.nodes.is_empty()
            || self
                .nodes
                .iter()
                .any(|n| *n == node.node.name || *n == node.unique_id)
    }

    /// Indices of the targets to show.
    fn target_indices(&self, project: &ProjectResolution<'_>) -> Vec<usize> {
        (0..project.targets.len())
            .filter(|&i| self.wants_target(&project.targets[i].target.name))
            .collect()
    }
}

fn project_dir(repo: &Repository, project: &ProjectResolution<'_>) -> String {
    let file = repo.db.path(project.project.file);
    file.parent()
        .map(|p| p.display().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| ".".to_owned())
}

/// Where a target's credential comes from: the variables it reads, a literal, or ambient.
pub(crate) fn credential_source(target: &Target) -> String {
    let mut sources: Vec<String> = Vec::new();
    for credential in &target.credentials {
        let value = &credential.field.value;
        let names = value.env_refs();
        if names.is_empty() && credential.kind == CredentialKind::Secret {
            sources.push(format!("literal `{}`", credential.field.key));
        }
        for env in names {
            if !sources.contains(&env.name) {
                sources.push(env.name.clone());
            }
        }
    }
    if let Some(ambient) = &target.ambient {
        sources.push(format!("ambient {}", ambient.source));
    }
    if sources.is_empty() {
        "-".to_owned()
    } else {
        sources.join(", ")
    }
}

fn human(repo: &Repository, projects: &[ProjectResolution<'_>], view: &View<'_>) -> String {
    let mut out = String::new();
    if projects.is_empty() {
        out.push_str("No dbt project with a loaded profile found.\n");
    }
    for project in projects {
        let name = project.project.project_name().unwrap_or_default();
        out.push_str(&format!(
            "{name} ({}), profile `{}`\n\n",
            project_dir(repo, project),
            project.profile.name
        ));
        let indices = view.target_indices(project);
        let mut rows = vec![
            vec![
                "target",
                "environment",
                "type",
                "database",
                "schema",
                "credentials",
            ]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>(),
        ];
        for &i in &indices {
            let target = &project.targets[i];
            rows.push(vec![
                target.target.name.clone(),
                view.environment(target.target),
                target.context.adapter.clone(),
                view.show(&target.context.database),
                view.show(&target.context.schema),
                credential_source(target.target),
            ]);
        }
        out.push_str(&table(&rows));
        out.push('\n');
        out.push_str(&evidence_lines(&indices, project, view));
        let mut header = vec!["nodes".to_owned()];
        header.extend(
            indices
                .iter()
                .map(|&i| project.targets[i].target.name.clone()),
        );
        let mut rows = vec![header];
        for (names, relations) in groups(project, &indices, view) {
            let mut row = vec![names];
            row.extend(relations);
            rows.push(row);
        }
        if rows.len() == 1 {
            out.push_str("  (no models, seeds or snapshots)\n\n");
        } else {
            out.push_str(&table(&rows));
            out.push('\n');
        }
    }
    out
}

/// How each target's environment was decided: `  prod: built by deploy job `release``.
fn evidence_lines(indices: &[usize], project: &ProjectResolution<'_>, view: &View<'_>) -> String {
    let mut out = String::from("  how environments were decided:\n");
    for &i in indices {
        let target = project.targets[i].target;
        let (reason, seen) = view.evidence(target);
        out.push_str(&format!(
            "    {} is {}: {reason}\n",
            target.name,
            view.environment(target)
        ));
        for clue in seen.iter().filter(|clue| !reason.contains(clue.as_str())) {
            out.push_str(&format!("      also seen: {clue}\n"));
        }
    }
    out.push('\n');
    out
}

/// Rows of nodes whose relations follow the same pattern (`{name}` standing for the node's
/// own name) are shown as one.
fn groups(
    project: &ProjectResolution<'_>,
    indices: &[usize],
    view: &View<'_>,
) -> Vec<(String, Vec<String>)> {
    let mut grouped: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for node in project.nodes.iter().filter(|n| view.wants_node(n)) {
        let pattern: Vec<String> = indices
            .iter()
            .map(|&i| {
                node.relations[i].as_ref().map_or_else(
                    || "(disabled)".to_owned(),
                    |relation| relation_pattern(relation, &node.node.name, view),
                )
            })
            .collect();
        let label = format!("{} {}", node.node.resource_type.as_str(), node.node.name);
        match grouped.iter_mut().find(|(p, _)| *p == pattern) {
            Some((_, names)) => names.push(label),
            None => grouped.push((pattern, vec![label])),
        }
    }
    grouped
        .into_iter()
        .map(|(pattern, names)| {
            let label = match names.len() {
                0..=3 => names.join(", "),
                n => format!("{}, … ({n} nodes)", names[..2].join(", ")),
            };
            (label, pattern)
        })
        .collect()
}

fn relation_pattern(relation: &Relation, name: &str, view: &View<'_>) -> String {
    let alias = view.show(&relation.alias);
    let alias = if alias == name {
        "{name}".to_owned()
    } else {
        alias
    };
    // Spark and ClickHouse relations have no database part.
    let database = view.show(&relation.database);
    let schema = view.show(&relation.schema);
    if database.is_empty() {
        format!("{schema}.{alias}")
    } else {
        format!("{database}.{schema}.{alias}")
    }
}

pub(crate) fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            // Padded by hand: a format width stops at 65,535 and a schema can be longer.
            .map(|(c, cell)| {
                let pad = widths[c].saturating_sub(cell.chars().count());
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        out.push_str("  ");
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonExplain {
    version: u32,
    projects: Vec<JsonProject>,
}

#[derive(Serialize)]
struct JsonProject {
    path: String,
    name: String,
    profile: String,
    targets: Vec<JsonTarget>,
    nodes: Vec<JsonNode>,
}

#[derive(Serialize)]
struct JsonTarget {
    name: String,
    environment: Option<String>,
    /// What decided the environment, or why nothing did.
    reason: String,
    /// Every piece of evidence seen.
    evidence: Vec<String>,
    #[serde(rename = "type")]
    adapter: String,
    database: String,
    schema: String,
}

#[derive(Serialize)]
struct JsonNode {
    unique_id: String,
    resource_type: String,
    file: String,
    relations: BTreeMap<String, JsonRelation>,
}

#[derive(Serialize)]
struct JsonRelation {
    database: String,
    schema: String,
    alias: String,
}

fn json(repo: &Repository, projects: &[ProjectResolution<'_>], view: &View<'_>) -> String {
    let report = JsonExplain {
        version: 1,
        projects: projects
            .iter()
            .map(|project| {
                let indices = view.target_indices(project);
                JsonProject {
                    path: project_dir(repo, project),
                    name: project.project.project_name().unwrap_or_default(),
                    profile: project.profile.name.clone(),
                    targets: indices
                        .iter()
                        .map(|&i| {
                            let target = &project.targets[i];
                            let (reason, evidence) = view.evidence(target.target);
                            JsonTarget {
                                name: target.target.name.clone(),
                                environment: target.environment.map(|e| e.to_string()),
                                reason,
                                evidence,
                                adapter: target.context.adapter.clone(),
                                database: view.show(&target.context.database),
                                schema: view.show(&target.context.schema),
                            }
                        })
                        .collect(),
                    nodes: project
                        .nodes
                        .iter()
                        .filter(|n| view.wants_node(n))
                        .map(|node| JsonNode {
                            unique_id: node.unique_id.clone(),
                            resource_type: node.node.resource_type.as_str().to_owned(),
                            file: node.node.path.clone(),
                            relations: indices
                                .iter()
                                .filter_map(|&i| {
                                    let relation = node.relations[i].as_ref()?;
                                    Some((
                                        project.targets[i].target.name.clone(),
                                        JsonRelation {
                                            database: view.show(&relation.database),
                                            schema: view.show(&relation.schema),
                                            alias: view.show(&relation.alias),
                                        },
                                    ))
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    pretty_json(&report)
}

fn credentials_human(reach: &[Credential]) -> String {
    if reach.is_empty() {
        return "No credentials found.\n".to_owned();
    }
    let mut rows = vec![
        ["credential", "kind", "used by", "held in"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for credential in reach {
        let targets = if credential.targets.is_empty() {
            "-".to_owned()
        } else {
            credential.targets.join(", ")
        };
        let mut by_context: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (context, job, file) in &credential.holders {
            let holder = if job == "-" {
                file.clone()
            } else {
                format!("`{job}`")
            };
            by_context.entry(context.as_str()).or_default().push(holder);
        }
        let holders = if by_context.is_empty() {
            "-".to_owned()
        } else {
            by_context
                .iter()
                .map(|(context, jobs)| format!("{context}: {}", jobs.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        };
        rows.push(vec![
            credential.name.clone(),
            credential.kind.to_owned(),
            targets,
            holders,
        ]);
    }
    table(&rows)
}

#[derive(Serialize)]
struct JsonCredentials<'a> {
    version: u32,
    credentials: Vec<JsonCredential<'a>>,
}

#[derive(Serialize)]
struct JsonCredential<'a> {
    name: &'a str,
    kind: &'a str,
    targets: &'a [String],
    holders: Vec<JsonHolder<'a>>,
}

#[derive(Serialize)]
struct JsonHolder<'a> {
    context: &'a str,
    job: Option<&'a str>,
    file: &'a str,
}

fn credentials_json(reach: &[Credential]) -> String {
    let report = JsonCredentials {
        version: 1,
        credentials: reach
            .iter()
            .map(|c| JsonCredential {
                name: &c.name,
                kind: c.kind,
                targets: &c.targets,
                holders: c
                    .holders
                    .iter()
                    .map(|(context, job, file)| JsonHolder {
                        context,
                        job: (job != "-").then_some(job.as_str()),
                        file,
                    })
                    .collect(),
            })
            .collect(),
    };
    pretty_json(&report)
}

/// Pretty JSON with a final newline; a serialisation failure becomes a JSON error object.
pub(crate) fn pretty_json(report: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"version\": 1, \"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
