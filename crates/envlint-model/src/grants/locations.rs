//! Which environment a grant's object belongs to, from the databases and schemas of the targets.

use envlint_diagnostics::Span;
use envlint_parser::{Field, Repository};
use envlint_sql::{Name, NamePart, ObjectKind, StatementKind};

use super::statements;
use crate::environment::Environment;
use crate::profiles::ProfileView;

/// Where one target writes (literal values only).
#[derive(Clone, Debug)]
pub struct TargetLocation {
    pub environment: Environment,
    pub database: Option<String>,
    pub schema: Option<String>,
    /// The target's `schema:` or `database:` field (or its name); for source data, where the
    /// database is named (a source's `database:`, an `ATTACH ... AS raw`).
    pub span: Span,
    /// Production source data (`raw`) that every environment reads and none writes: it
    /// counts as prod.
    pub source_data: bool,
}

/// The locations of every target, prod first, and the raw source databases.
#[derive(Debug, Default)]
pub struct Locations {
    pub targets: Vec<TargetLocation>,
    /// Databases dbt sources read from and shares are attached as (`raw`).
    pub raw: Vec<String>,
    /// Those of them named in a file, as locations.
    sources: Vec<TargetLocation>,
}

impl Locations {
    pub fn new(repo: &Repository, views: &[ProfileView<'_>]) -> Self {
        let mut targets: Vec<TargetLocation> = views
            .iter()
            .flat_map(|view| &view.targets)
            .map(|(environment, target)| TargetLocation {
                environment: *environment,
                database: literal(target.database.as_ref()),
                schema: literal(target.schema.as_ref()),
                span: target
                    .schema
                    .as_ref()
                    .or(target.database.as_ref())
                    .map_or(target.name_span, Field::text_span),
                source_data: false,
            })
            .collect();
        targets.sort_by_key(|t| t.environment != Environment::Prod);
        let source_databases = repo
            .projects
            .iter()
            .flat_map(|p| &p.project.sources)
            .filter_map(|s| s.database.as_ref())
            .filter(|(text, _)| !text.contains("{{"))
            .map(|(text, span)| (text.clone(), *span));
        let attached = statements(repo).filter_map(|(file, _, s)| match &s.kind {
            StatementKind::Attach {
                path,
                alias: Some(alias),
            } if path.simple().is_some_and(|p| p.starts_with("md:_share/")) => {
                Some((alias.simple()?.to_owned(), super::at(file, &alias.span)))
            }
            _ => None,
        });
        let sources: Vec<TargetLocation> = source_databases
            .chain(attached)
            .map(|(database, span)| TargetLocation {
                environment: Environment::Prod,
                database: Some(database),
                schema: None,
                span,
                source_data: true,
            })
            .collect();
        let raw = std::iter::once("raw".to_owned())
            .chain(sources.iter().filter_map(|s| s.database.clone()))
            .collect();
        Self {
            targets,
            raw,
            sources,
        }
    }

    /// The target location a grant's object is in, if the names say. `every_target`: the
    /// object is the model or schema of whatever target runs the statement (a hook's
    /// `{{ this }}`), so prod's whenever prod runs it.
    pub(crate) fn locate(
        &self,
        kind: ObjectKind,
        name: &Name,
        every_target: bool,
    ) -> Option<&TargetLocation> {
        if name.has_jinja() {
            return if every_target && names_the_target(name) {
                self.prod().next()
            } else {
                None
            };
        }
        let parts: Vec<&str> = name
            .parts
            .iter()
            .filter_map(|p| match p {
                NamePart::Literal(text) => Some(text.as_str()),
                NamePart::Jinja(_) => None,
            })
            .collect();
        let (database, schema) = match (kind, parts.as_slice()) {
            (ObjectKind::Database | ObjectKind::DatabaseContents, [.., db]) => (Some(*db), None),
            (ObjectKind::Schema | ObjectKind::SchemaContents, [schema]) => (None, Some(*schema)),
            (ObjectKind::Schema | ObjectKind::SchemaContents, [.., db, schema]) => {
                (Some(*db), Some(*schema))
            }
            (ObjectKind::Table, [schema, _]) => (None, Some(*schema)),
            (ObjectKind::Table, [.., db, schema, _]) => (Some(*db), Some(*schema)),
            _ => return None,
        };
        let same = |a: &Option<String>, b: Option<&str>| {
            a.as_deref()
                .zip(b)
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        let target = match schema {
            None => {
                let mut in_database = self.targets.iter().filter(|t| same(&t.database, database));
                if kind == ObjectKind::DatabaseContents {
                    // The contents of a database include every schema in it, prod's too.
                    in_database.next()
                } else {
                    // Creating schemas in a database that dev also builds in is how dev works.
                    let all: Vec<&TargetLocation> = in_database.collect();
                    all.iter()
                        .find(|t| t.environment != Environment::Prod)
                        .or(all.first())
                        .copied()
                }
            }
            Some(schema) => self.targets.iter().find(|t| {
                same(&t.schema, Some(schema))
                    && (database.is_none() || t.database.is_none() || same(&t.database, database))
            }),
        };
        // Anything in a source database no target writes is production source data.
        target.or_else(|| self.sources.iter().find(|s| same(&s.database, database)))
    }

    pub fn prod(&self) -> impl Iterator<Item = &TargetLocation> {
        self.targets
            .iter()
            .filter(|t| t.environment == Environment::Prod)
    }

    /// Whether a share of `database` publishes prod or raw source data.
    pub fn is_protected(&self, database: &str) -> bool {
        self.is_raw(database)
            || self.prod().any(|p| {
                p.database
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case(database))
            })
    }

    pub fn is_raw(&self, database: &str) -> bool {
        self.raw.iter().any(|r| r.eq_ignore_ascii_case(database))
    }
}

fn literal(field: Option<&Field>) -> Option<String> {
    field?.value.as_literal()
}

/// `{{ this }}`, `{{ target.schema }}`, `{{ target.database }}`: whatever target runs it.
fn names_the_target(name: &Name) -> bool {
    name.parts.iter().any(|p| match p {
        NamePart::Jinja(text) => {
            let inner = text.trim_start_matches("{{").trim_end_matches("}}").trim();
            inner == "this"
                || inner == "this.schema"
                || [
                    "target.schema",
                    "target.database",
                    "target.dataset",
                    "target.project",
                ]
                .contains(&inner)
        }
        NamePart::Literal(_) => false,
    })
}
