//! Where every model, seed and snapshot is built, for every target of its profile at once.

mod config;
mod naming;

use std::collections::{BTreeMap, HashMap};

use envlint_diagnostics::{SourceDb, Span};
use envlint_parser::jinja::{ConfigValue, NodeContext, Scope, TargetContext};
use envlint_parser::{
    DbtProject, DuckdbPath, NodeFile, Part, Profile, PropertyEntry, Repository, ResourceType,
    SymStr, Target,
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

/// A model, seed or snapshot and where each target builds it: `None` for a target that
/// disables it (`enabled: false`), which dbt neither builds nor lists. Nodes no target
/// builds are left out of the resolution.
#[derive(Debug)]
pub struct ResolvedNode<'a> {
    pub node: &'a NodeFile,
    pub unique_id: String,
    pub relations: Vec<Option<Relation>>,
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

/// Resolves every project whose profile is loaded. `vars` are variables bound by the user
/// (`explain --env`; empty when linting), see [`target_context`].
pub fn resolve<'a>(
    repo: &'a Repository,
    environments: &Environments,
    vars: &BTreeMap<String, String>,
) -> Resolution<'a> {
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
                context: target_context(target, &profile.name, vars),
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
            .filter(|node| node.relations.iter().any(Option::is_some))
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
/// file's stem, taken from the path with `vars` bound (with any binding, unbound variables
/// take their defaults, as in `explain`). A schema or database left out is the adapter's
/// default (DuckDB `main`, ClickHouse `default`, Databricks `hive_metastore`).
pub fn target_context(
    target: &Target,
    profile_name: &str,
    vars: &BTreeMap<String, String>,
) -> TargetContext {
    let literal = |text: &str| SymStr::literal(text, 0..0);
    let schema = target.schema_value().unwrap_or_else(|| literal(""));
    let database = match (&target.duckdb, &target.database) {
        (Some(DuckdbPath::File), Some(path)) => stem_of(&path.value.bind(vars, !vars.is_empty())),
        (Some(DuckdbPath::Memory), _) => literal("memory"),
        _ => target.database_value().unwrap_or_else(|| literal("")),
    };
    TargetContext {
        name: target.name.clone(),
        schema,
        database,
        adapter: target.adapter_name().unwrap_or_default(),
        profile_name: profile_name.to_owned(),
    }
}

/// The database name DuckDB gives a path, symbolically: the stem of its last component
/// (`{{ env_var('DIR') }}/dev.duckdb` is `dev`, `dev_{{ env_var('USER') }}.duckdb` is
/// `dev_${USER}`). A variable holding the whole file name stands for its stem; its default
/// becomes the default's stem.
fn stem_of(path: &SymStr) -> SymStr {
    if let Some(literal) = path.as_literal() {
        return SymStr::literal(database_of_path(&literal), 0..0);
    }
    let mut name = path.clone();
    while let Some((_, rest)) = name.split_once('/').or_else(|| name.split_once('\\')) {
        name = rest;
    }
    let mut stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    if let [Part::Env(env)] = stem.parts.as_mut_slice() {
        env.default = env.default.as_ref().map(stem_of);
    }
    stem
}

/// What dbt-duckdb names the database of a literal path: `memory` for `:memory:`; for
/// MotherDuck the name without its extension (`my_db` when empty); else, as DuckDB does, the
/// file name up to its first dot, leading dots skipped.
fn database_of_path(path: &str) -> String {
    if path == ":memory:" {
        return "memory".to_owned();
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if let Some((scheme, database)) = path.split_once(':')
        && ["md", "motherduck"].contains(&scheme.to_ascii_lowercase().as_str())
    {
        let name = file_name(database);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        return if stem.is_empty() { "my_db" } else { stem }.to_owned();
    }
    let name = file_name(path).trim_start_matches('.');
    name.split('.').next().unwrap_or_default().to_owned()
}

/// The last component of a path.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
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
            if !config.enabled() {
                return None;
            }
            let context = node_context(node, &package, &unique_id, &config);
            let mut call = |macro_name: &str, custom: Option<&SymStr>| {
                naming
                    .name(macro_name, index, custom, &context, &scope)
                    .unwrap_or_else(|reason| {
                        if let Some(span) = naming.override_span(macro_name) {
                            failures.entry(span).or_insert(reason);
                        }
                        SymStr {
                            parts: vec![Part::Opaque {
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
            Some(Relation {
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
            })
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

#[cfg(test)]
mod tests {
    use envlint_parser::EnvRef;

    use super::*;

    fn lit(text: &str) -> Part {
        Part::Lit {
            text: text.to_owned(),
            span: 0..0,
        }
    }

    fn env(name: &str, default: Option<&str>) -> Part {
        Part::Env(EnvRef {
            name: name.to_owned(),
            default: default.map(|d| SymStr::literal(d, 0..0)),
            span: 0..0,
        })
    }

    fn stem(parts: Vec<Part>) -> String {
        stem_of(&SymStr { parts, span: 0..0 }).to_string()
    }

    #[test]
    fn literal_paths_are_named_as_dbt_duckdb_names_them() {
        for (path, database) in [
            ("dev.duckdb", "dev"),
            ("data/warehouse/prod.v2.duckdb", "prod"),
            (r"C:\dbt\ci.duckdb", "ci"),
            (".hidden.duckdb", "hidden"),
            ("dev.duckdb?access_mode=read_only", "dev"),
            (":memory:", "memory"),
            ("md:transform?attach_mode=single", "transform"),
            ("motherduck:transform", "transform"),
            ("md:", "my_db"),
        ] {
            assert_eq!(database_of_path(path), database, "{path}");
        }
    }

    #[test]
    fn a_jinja_path_keeps_only_its_stem_symbolic() {
        // The whole path from a variable: its default's stem.
        assert_eq!(
            stem(vec![env("DUCKDB_PATH", Some("data/dev.duckdb"))]),
            "${DUCKDB_PATH:-dev}"
        );
        // A variable directory, a literal file name.
        assert_eq!(stem(vec![env("DIR", None), lit("/ci.duckdb")]), "ci");
        // A variable in the file name.
        assert_eq!(
            stem(vec![lit("data/dev_"), env("USER", None), lit(".v2.duckdb")]),
            "dev_${USER}"
        );
        let opaque = Part::Opaque {
            text: "target.name".to_owned(),
            span: 0..0,
        };
        assert_eq!(
            stem(vec![lit("data/"), opaque, lit(".duckdb")]),
            "{{ target.name }}"
        );
    }
}
