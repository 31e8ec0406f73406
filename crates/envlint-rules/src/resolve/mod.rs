//! Where every model, seed and snapshot is built, for every target of its profile at once.

mod config;
mod naming;

use std::collections::{BTreeMap, HashMap};

use envlint_diagnostics::{SourceDb, Span};
use envlint_parser::jinja::{ConfigValue, NodeContext, Scope, TargetContext};
use envlint_parser::{
    DbtProject, DuckdbPath, NodeFile, Profile, PropertyEntry, Repository, ResourceType, SymStr,
    Target,
};

pub use config::{Configured, NodeConfig};
pub use naming::Naming;

use crate::classify::Environments;
use crate::environment::Environment;

/// The resolution of every project in a repository.
#[derive(Debug, Default)]
pub struct Resolution<'a> {
    pub projects: Vec<ProjectResolution<'a>>,
}

/// One target of a resolved project.
#[derive(Debug)]
pub struct ResolvedTarget<'a> {
    pub target: &'a Target,
    pub environment: Option<Environment>,
    pub context: TargetContext,
}

/// One project: its targets and, per node, the relation for each target (same order).
#[derive(Debug)]
pub struct ProjectResolution<'a> {
    pub project: &'a DbtProject,
    pub profile: &'a Profile,
    pub targets: Vec<ResolvedTarget<'a>>,
    pub nodes: Vec<ResolvedNode<'a>>,
    /// Naming macro overrides that could not be evaluated, once each, with the reason.
    pub failures: BTreeMap<Span, String>,
    /// The project's naming macros, for rules that probe them.
    pub naming: Naming,
}

/// A model, seed or snapshot and where each target builds it.
#[derive(Debug)]
pub struct ResolvedNode<'a> {
    pub node: &'a NodeFile,
    pub unique_id: String,
    pub relations: Vec<Relation>,
}

/// `database.schema.alias`, each part symbolic, with what decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    pub database: SymStr,
    pub schema: SymStr,
    pub alias: SymStr,
    /// Where a custom schema / database was configured for this node, if anywhere.
    pub schema_config: Option<Span>,
    pub database_config: Option<Span>,
    /// The configured custom database, before `generate_database_name`.
    pub configured_database: Option<SymStr>,
}

/// Resolves every project whose profile is loaded.
pub fn resolve<'a>(repo: &'a Repository, environments: &Environments) -> Resolution<'a> {
    let mut projects = Vec::new();
    for entry in &repo.projects {
        let project = &entry.project;
        let Some((_, profile)) = repo.profile_of(entry) else {
            continue;
        };
        let targets: Vec<ResolvedTarget<'a>> = profile
            .targets
            .iter()
            .map(|target| ResolvedTarget {
                target,
                environment: environments.environment(target),
                context: target_context(target, &profile.name),
            })
            .collect();
        let naming = Naming::new(&repo.db, project);
        let mut properties: HashMap<(ResourceType, &str), Vec<&PropertyEntry>> = HashMap::new();
        for entry in &project.properties {
            properties
                .entry((entry.resource_type, entry.name.as_str()))
                .or_default()
                .push(entry);
        }
        let mut failures = BTreeMap::new();
        let nodes = project
            .nodes
            .iter()
            .map(|node| {
                let own = properties
                    .get(&(node.resource_type, node.name.as_str()))
                    .map_or(&[][..], Vec::as_slice);
                let inputs = NodeInputs {
                    db: &repo.db,
                    project,
                    node,
                    properties: own,
                };
                resolve_node(&inputs, &targets, &naming, &mut failures)
            })
            .collect();
        projects.push(ProjectResolution {
            project,
            profile,
            targets,
            nodes,
            failures,
            naming,
        });
    }
    Resolution { projects }
}

/// `target` as dbt's Jinja sees it. DuckDB's database is the MotherDuck database or the
/// file's stem; its schema defaults to `main`.
pub fn target_context(target: &Target, profile_name: &str) -> TargetContext {
    let literal = |text: &str| SymStr::literal(text, 0..0);
    let schema = target.schema.as_ref().map_or_else(
        || literal(if target.duckdb.is_some() { "main" } else { "" }),
        |s| s.value.clone(),
    );
    let database = match (&target.duckdb, &target.database) {
        (Some(DuckdbPath::File), Some(path)) => stem_of(&path.value),
        (Some(DuckdbPath::Memory), _) => literal("memory"),
        (_, Some(database)) => database.value.clone(),
        (_, None) => literal(""),
    };
    TargetContext {
        name: target.name.clone(),
        schema,
        database,
        adapter: target.adapter_name().unwrap_or_default(),
        profile_name: profile_name.to_owned(),
    }
}

/// The database name DuckDB gives a file path: its stem. A path from `env_var()` keeps the
/// variable, with the stem of its default.
fn stem_of(path: &SymStr) -> SymStr {
    if let Some(literal) = path.as_literal() {
        return SymStr::literal(file_stem(&literal), 0..0);
    }
    let mut value = path.clone();
    if let [envlint_parser::Part::Env(env)] = value.parts.as_mut_slice() {
        env.default = env.default.as_ref().map(stem_of);
    }
    value
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_owned()
}

/// What one node's resolution reads.
struct NodeInputs<'a, 'n> {
    db: &'a SourceDb,
    project: &'a DbtProject,
    node: &'n NodeFile,
    /// Its properties-file entries.
    properties: &'a [&'a PropertyEntry],
}

fn resolve_node<'n>(
    inputs: &NodeInputs<'_, 'n>,
    targets: &[ResolvedTarget<'_>],
    naming: &Naming,
    failures: &mut BTreeMap<Span, String>,
) -> ResolvedNode<'n> {
    let NodeInputs {
        db,
        project,
        node,
        properties,
    } = *inputs;
    let package = project.project_name().unwrap_or_default();
    let unique_id = format!("{}.{package}.{}", node.resource_type.as_str(), node.name);
    let scope_of = |target: &ResolvedTarget<'_>| Scope {
        target: Some(target.context.clone()),
    };
    let shared = match (node.file, targets.first()) {
        (Some(file), Some(first)) if config::same_for_every_target(db, file) => {
            config::in_file_config(db, file, &scope_of(first))
        }
        _ => None,
    };
    let relations = targets
        .iter()
        .enumerate()
        .map(|(index, target)| {
            let scope = scope_of(target);
            let own = match (&shared, node.file) {
                (Some(_), _) | (_, None) => None,
                (None, Some(file)) => config::in_file_config(db, file, &scope),
            };
            let in_file = shared.as_ref().or(own.as_ref());
            let config = config::node_config(db, project, node, properties, in_file, &scope);
            let context = node_context(node, &package, &unique_id, &config);
            let mut call = |macro_name: &str, custom: Option<&SymStr>| {
                naming
                    .name(macro_name, index, custom, &context, &scope)
                    .unwrap_or_else(|reason| {
                        if let Some(span) = naming.override_span(macro_name) {
                            failures.entry(span).or_insert(reason);
                        }
                        SymStr {
                            parts: vec![envlint_parser::Part::Opaque {
                                text: format!("{macro_name}(...)"),
                                span: 0..0,
                            }],
                            span: 0..0,
                        }
                    })
            };
            let schema = if config::uses_target_schema(node, &config) {
                str_value(config.target_schema.as_ref())
                    .unwrap_or_else(|| target.context.schema.clone())
            } else {
                call(
                    "generate_schema_name",
                    str_value(config.schema.as_ref()).as_ref(),
                )
            };
            let database = match (
                node.resource_type,
                str_value(config.target_database.as_ref()),
            ) {
                (ResourceType::Snapshot, Some(database)) => database,
                _ => call(
                    "generate_database_name",
                    str_value(config.database.as_ref()).as_ref(),
                ),
            };
            let alias = call(
                "generate_alias_name",
                str_value(config.alias.as_ref()).as_ref(),
            );
            Relation {
                database,
                schema,
                alias,
                schema_config: config
                    .schema
                    .as_ref()
                    .or(config.target_schema.as_ref())
                    .map(|c| c.span),
                database_config: config
                    .database
                    .as_ref()
                    .or(config.target_database.as_ref())
                    .map(|c| c.span),
                configured_database: str_value(
                    config.database.as_ref().or(config.target_database.as_ref()),
                ),
            }
        })
        .collect();
    ResolvedNode {
        node,
        unique_id,
        relations,
    }
}

fn str_value(configured: Option<&Configured>) -> Option<SymStr> {
    match &configured?.value {
        ConfigValue::Str(text) => Some(text.clone()),
        ConfigValue::Other(text) => Some(SymStr::literal(text.clone(), 0..0)),
        ConfigValue::None => None,
    }
}

fn node_context(
    node: &NodeFile,
    package: &str,
    unique_id: &str,
    config: &NodeConfig,
) -> NodeContext {
    let mut fqn = vec![package.to_owned()];
    fqn.extend(node.folders.iter().cloned());
    fqn.push(node.name.clone());
    NodeContext {
        name: node.name.clone(),
        unique_id: unique_id.to_owned(),
        resource_type: node.resource_type.as_str().to_owned(),
        package_name: package.to_owned(),
        original_file_path: node.path.clone(),
        path: node
            .path
            .split_once('/')
            .map_or(node.path.as_str(), |(_, rest)| rest)
            .to_owned(),
        fqn,
        config: [
            ("schema", &config.schema),
            ("database", &config.database),
            ("alias", &config.alias),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), str_value(value.as_ref())))
        .collect(),
    }
}
