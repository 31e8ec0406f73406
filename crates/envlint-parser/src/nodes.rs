//! The files of a dbt project that decide where things are built: models, seeds, snapshots,
//! properties YAML and macro files.

use envlint_diagnostics::{FileId, Span};

use crate::yaml::{Key, Node};

/// What kind of node a file defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceType {
    Model,
    Seed,
    Snapshot,
}

impl ResourceType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Model => "model",
            Self::Seed => "seed",
            Self::Snapshot => "snapshot",
        }
    }

    /// The key of `dbt_project.yml` and properties files that configures this kind.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Model => "models",
            Self::Seed => "seeds",
            Self::Snapshot => "snapshots",
        }
    }
}

/// A model, seed or snapshot.
#[derive(Clone, Debug)]
pub struct NodeFile {
    pub resource_type: ResourceType,
    pub name: String,
    /// The path relative to the project directory, with `/` separators.
    pub path: String,
    /// Folders between the resource path (`models/`) and the file, for `dbt_project.yml`
    /// folder-level configs.
    pub folders: Vec<String>,
    /// The loaded SQL (models and snapshots); seeds' CSV is not read.
    pub file: Option<FileId>,
}

/// A `- name: x` entry under `models:`/`seeds:`/`snapshots:` of a properties file.
#[derive(Clone, Debug)]
pub struct PropertyEntry {
    pub resource_type: ResourceType,
    pub name: String,
    pub file: FileId,
    /// The entries of its `config:` mapping.
    pub config: Vec<(Key, Node)>,
}

/// A macro file and the naming macros it defines.
#[derive(Clone, Debug)]
pub struct MacroFile {
    pub file: FileId,
    /// `generate_schema_name` & co. defined here, with the span of each `{% macro` tag.
    pub naming_macros: Vec<(String, Span)>,
}

/// The macros dbt calls to name relations.
pub const NAMING_MACROS: &[&str] = &[
    "generate_schema_name",
    "generate_database_name",
    "generate_alias_name",
];

/// Names of the `{% snapshot name %}` blocks of a snapshot file.
pub(crate) fn snapshot_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find("{%") {
        let tag = &rest[open + 2..];
        let Some(close) = tag.find("%}") else {
            break;
        };
        let mut words = tag[..close].trim_matches('-').split_whitespace();
        if words.next() == Some("snapshot")
            && let Some(name) = words.next()
        {
            names.push(name.to_owned());
        }
        rest = &tag[close..];
    }
    names
}

/// The naming macros a macro file defines, with their byte ranges.
pub(crate) fn naming_macros(source: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut offset = 0;
    while let Some(open) = source[offset..].find("{%") {
        let start = offset + open;
        let Some(close) = source[start + 2..].find("%}") else {
            break;
        };
        let end = start + 2 + close + 2;
        let inner = source[start + 2..end - 2].trim_matches('-').trim_start();
        if let Some(rest) = inner.strip_prefix("macro") {
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if NAMING_MACROS.contains(&name.as_str()) {
                found.push((name, start..end));
            }
        }
        offset = end;
    }
    found
}

/// Whether a properties file can configure where nodes are built, or whether they are: it
/// has a `models:`, `seeds:` or `snapshots:` section and a `schema`, `database`, `alias` or
/// `enabled` key. Other properties files (tests, docs, sources) are not parsed: on a big
/// project they are most of the YAML.
pub(crate) fn may_configure_names(text: &str) -> bool {
    ["models:", "seeds:", "snapshots:"]
        .iter()
        .any(|k| text.contains(k))
        && ["schema:", "database:", "alias:", "enabled:"]
            .iter()
            .any(|k| text.contains(k))
}

/// A dbt source (`sources:` in a properties file) and the database it reads from.
#[derive(Clone, Debug)]
pub struct SourceEntry {
    pub name: String,
    pub name_span: Span,
    /// `database:` (`project:` on BigQuery, `catalog:` on Databricks) as written, with its span.
    pub database: Option<(String, Span)>,
}

/// A cheap test before parsing: whether a properties file may declare sources.
pub(crate) fn may_declare_sources(text: &str) -> bool {
    text.contains("sources:")
}

/// The sources of a properties document, with the database each reads from. A source
/// that reads files (dbt-duckdb's `external_location`, on the source or on every table)
/// reads no database and is left out.
pub(crate) fn source_entries(root: &Node, file: FileId, text: &str) -> Vec<SourceEntry> {
    let Some(crate::yaml::Value::Seq(items)) = root.get("sources").map(|n| &n.value) else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|item| !reads_files(item))
        .filter_map(|item| {
            let name_node = item.get("name")?;
            let database = ["database", "project", "catalog"]
                .iter()
                .find_map(|key| item.get(key))
                .and_then(|node| {
                    let written = text.get(node.span.clone())?;
                    Some((
                        written.trim_matches(['"', '\'']).to_owned(),
                        Span::new(file, node.span.start, node.span.end),
                    ))
                });
            Some(SourceEntry {
                name: name_node.scalar_text()?,
                name_span: Span::new(file, name_node.span.start, name_node.span.end),
                database,
            })
        })
        .collect()
}

/// Whether a source reads files rather than a database: `external_location` in its `meta:`
/// or `config:`, or in those of each of its tables.
fn reads_files(source: &Node) -> bool {
    let external = |node: &Node| {
        ["meta", "config"].iter().any(|key| {
            node.get(key)
                .and_then(|m| m.get("external_location"))
                .is_some()
        })
    };
    let tables = match source.get("tables").map(|n| &n.value) {
        Some(crate::yaml::Value::Seq(tables)) if !tables.is_empty() => Some(tables),
        _ => None,
    };
    external(source) || tables.is_some_and(|tables| tables.iter().all(external))
}

/// The entries of a properties document for one resource type.
pub(crate) fn property_entries(root: &Node, file: FileId) -> Vec<PropertyEntry> {
    let mut out = Vec::new();
    for resource_type in [
        ResourceType::Model,
        ResourceType::Seed,
        ResourceType::Snapshot,
    ] {
        let Some(Node {
            value: crate::yaml::Value::Seq(items),
            ..
        }) = root.get(resource_type.plural())
        else {
            continue;
        };
        for item in items {
            let Some(name) = item.get("name").and_then(Node::scalar_text) else {
                continue;
            };
            let config = item
                .get("config")
                .map(|c| c.entries().to_vec())
                .unwrap_or_default();
            out.push(PropertyEntry {
                resource_type,
                name,
                file,
                config,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_opener_that_closes_itself_does_not_panic() {
        // Like Jinja, `{%` opens a tag that only the next `%}` closes.
        assert!(naming_macros("{%}\n{% macro generate_schema_name(c, n) %}x").is_empty());
        assert!(naming_macros("{%}").is_empty());
        assert!(snapshot_names("{%}").is_empty());
    }

    #[test]
    fn finds_snapshot_blocks_and_naming_macros() {
        assert_eq!(
            snapshot_names("{% snapshot orders_snap %}\nselect 1\n{% endsnapshot %}"),
            ["orders_snap"]
        );
        let macros = "{% macro helper() %}{% endmacro %}\n{%- macro generate_schema_name(custom_schema_name, node) -%}x{%- endmacro %}";
        let found = naming_macros(macros);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "generate_schema_name");
        assert!(macros[found[0].1.clone()].starts_with("{%- macro generate_schema_name"));
    }
}
