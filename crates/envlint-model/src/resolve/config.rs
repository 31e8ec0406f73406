//! A node's `schema`/`database`/`alias`/`enabled` configs for one target, with dbt's
//! precedence: the file's own `config()`, then properties YAML, then the most specific level
//! of `dbt_project.yml`.

use envlint_diagnostics::{FileId, SourceDb, Span};
use envlint_parser::jinja::{self, ConfigValue, InFileConfig, Origin, Scope};
use envlint_parser::yaml::{Key, Node};
use envlint_parser::{DbtProject, NodeFile, PropertyEntry, ResourceType};

/// A config value and where it was set.
#[derive(Clone, Debug)]
pub struct Configured {
    pub value: ConfigValue,
    pub span: Span,
}

/// The naming configs of one node for one target, and whether it is built at all.
#[derive(Clone, Debug, Default)]
pub struct NodeConfig {
    pub schema: Option<Configured>,
    pub database: Option<Configured>,
    pub alias: Option<Configured>,
    /// Snapshots' legacy `target_schema`/`target_database` (used verbatim by dbt).
    pub target_schema: Option<Configured>,
    pub target_database: Option<Configured>,
    pub enabled: Option<Configured>,
}

impl NodeConfig {
    fn set(&mut self, key: &str, value: Configured) {
        let slot = match key.trim_start_matches('+') {
            "schema" => &mut self.schema,
            "database" => &mut self.database,
            "alias" => &mut self.alias,
            "target_schema" => &mut self.target_schema,
            "target_database" => &mut self.target_database,
            "enabled" => &mut self.enabled,
            _ => return,
        };
        *slot = Some(value);
    }

    /// False only for `enabled: false` (dbt neither builds nor lists the node); a value that
    /// cannot be known counts as enabled.
    pub fn enabled(&self) -> bool {
        let text = match self.enabled.as_ref().map(|c| &c.value) {
            Some(ConfigValue::Str(value)) => value.as_literal(),
            Some(ConfigValue::Other(text)) => Some(text.clone()),
            Some(ConfigValue::None) | None => None,
        };
        !text.is_some_and(|t| t.trim().eq_ignore_ascii_case("false"))
    }
}

/// Resolves the configs of `node` for the target in `scope`.
/// `properties` are the properties-file entries for this node, `in_file` what its own
/// `config()` calls set for this target.
pub(super) fn node_config(
    db: &SourceDb,
    project: &DbtProject,
    node: &NodeFile,
    properties: &[&PropertyEntry],
    in_file: Option<&InFile>,
    scope: &Scope,
) -> NodeConfig {
    let mut config = NodeConfig::default();
    apply_project_levels(db, project, node, scope, &mut config);
    for entry in properties {
        for (key, value) in &entry.config {
            if let Some(configured) = yaml_value(db, entry.file, value, scope) {
                config.set(&key.text, configured);
            }
        }
    }
    for (key, value) in in_file
        .map(|(values, _)| values.as_slice())
        .unwrap_or_default()
    {
        let span = in_file.map_or(Span::new(FileId(0), 0, 0), |(_, span)| *span);
        config.set(
            key,
            Configured {
                value: value.clone(),
                span,
            },
        );
    }
    config
}

/// `models: {+schema: a, <project>: {+schema: b, staging: {+schema: c}}}`: as dbt's
/// `fqn_search`, the configs directly under `models:` apply to every project's models, then
/// each level down the node's fqn (project, folders, name) overrides the one above; a
/// mapping is a level, a scalar is a config.
fn apply_project_levels(
    db: &SourceDb,
    project: &DbtProject,
    node: &NodeFile,
    scope: &Scope,
    config: &mut NodeConfig,
) {
    let Some(mut level) = project.root.get(node.resource_type.plural()) else {
        return;
    };
    apply_level(db, project.file, level, scope, config);
    let name = project.project_name().unwrap_or_default();
    let fqn = std::iter::once(&name)
        .chain(&node.folders)
        .chain(std::iter::once(&node.name));
    for folder in fqn {
        match level.get(folder) {
            Some(next) if next.is_map() => {
                level = next;
                apply_level(db, project.file, level, scope, config);
            }
            _ => break,
        }
    }
}

fn apply_level(db: &SourceDb, file: FileId, level: &Node, scope: &Scope, config: &mut NodeConfig) {
    for (key, value) in level.entries() {
        if !value.is_map()
            && is_config_key(key)
            && let Some(configured) = yaml_value(db, file, value, scope)
        {
            config.set(&key.text, configured);
        }
    }
}

fn is_config_key(key: &Key) -> bool {
    let name = key.text.trim_start_matches('+');
    [
        "schema",
        "database",
        "alias",
        "target_schema",
        "target_database",
        "enabled",
    ]
    .contains(&name)
}

/// A YAML config value evaluated for the target (dbt renders `dbt_project.yml` and
/// properties with `target` in scope).
fn yaml_value(db: &SourceDb, file: FileId, node: &Node, scope: &Scope) -> Option<Configured> {
    let written = node.defined.clone().unwrap_or_else(|| node.span.clone());
    let span = Span::new(file, written.start, written.end);
    let Some(text) = node.scalar_text() else {
        return matches!(node.value, envlint_parser::yaml::Value::Null).then_some(Configured {
            value: ConfigValue::None,
            span,
        });
    };
    let origin = Origin::for_scalar(&text, db.get(file).slice(span), written);
    let value = jinja::eval(&text, &origin, scope).ok()?;
    let value = match value.as_literal().as_deref() {
        Some("") | Some("None") | Some("none") if jinja::has_jinja(&text) => ConfigValue::None,
        _ => ConfigValue::Str(value),
    };
    Some(Configured { value, span })
}

/// `{{ config(schema=...) }}` in the node's own file. The span is the first `config(`.
/// What the `config()` calls of a node's own file set for a target, and where the first
/// call is.
pub(super) type InFile = (InFileConfig, Span);

pub(super) fn in_file_config(db: &SourceDb, file: FileId, scope: &Scope) -> Option<InFile> {
    let text = &db.get(file).text;
    let values = jinja::render_configs(text, scope).ok()?;
    let at = text.find("config(").unwrap_or(0);
    Some((values, Span::new(file, at, at + "config".len())))
}

/// A file that never mentions `target` configures every target the same: render it once.
pub(super) fn same_for_every_target(db: &SourceDb, file: FileId) -> bool {
    !db.get(file).text.contains("target")
}

/// Whether dbt uses `target_schema` verbatim for this node (legacy snapshots).
pub(super) fn uses_target_schema(node: &NodeFile, config: &NodeConfig) -> bool {
    node.resource_type == ResourceType::Snapshot && config.target_schema.is_some()
}
