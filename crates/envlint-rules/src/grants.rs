//! The grant graph: who may write where, from every permission statement in the repository,
//! classified against the environments: which databases and schemas are prod (from the prod
//! targets), which are raw source data, and whether a grantee is a developer, CI or prod.

use envlint_diagnostics::{FileId, Span};
use envlint_parser::{Field, Repository, SqlOrigin};
use envlint_sql::{
    Access, CreateShare, Grant, Grantee, GranteeKind, Name, NamePart, ObjectKind, Privilege,
    Statement, StatementKind,
};

use crate::context::ProfileView;
use crate::environment::Environment;
use crate::policy::Policy;

/// Where prod writes, as one prod target says.
#[derive(Clone, Debug)]
pub struct ProdLocation {
    pub database: Option<String>,
    pub schema: Option<String>,
    /// The prod target's `schema:` or `database:` field (or its name).
    pub span: Span,
}

/// The locations of every target, literal values only.
#[derive(Debug, Default)]
pub struct Locations {
    pub prod: Vec<ProdLocation>,
    non_prod: Vec<(Option<String>, Option<String>)>,
    /// Databases dbt sources read from and shares are attached as (`raw`).
    pub raw: Vec<String>,
}

impl Locations {
    pub fn new(repo: &Repository, views: &[ProfileView<'_>]) -> Self {
        let mut locations = Self::default();
        for view in views {
            for (env, target) in &view.targets {
                let database = literal(target.database.as_ref());
                let schema = literal(target.schema.as_ref());
                if *env == Environment::Prod {
                    let span = target
                        .schema
                        .as_ref()
                        .or(target.database.as_ref())
                        .map_or(target.name_span, Field::text_span);
                    locations.prod.push(ProdLocation {
                        database,
                        schema,
                        span,
                    });
                } else {
                    locations.non_prod.push((database, schema));
                }
            }
        }
        let source_databases = repo
            .projects
            .iter()
            .flat_map(|p| &p.project.sources)
            .filter_map(|s| s.database.as_ref())
            .filter(|(text, _)| !text.contains("{{"))
            .map(|(text, _)| text.clone());
        let attached = statements(repo).filter_map(|(_, _, s)| match &s.kind {
            StatementKind::Attach {
                path,
                alias: Some(alias),
            } if path.simple().is_some_and(|p| p.starts_with("md:_share/")) => {
                alias.simple().map(str::to_owned)
            }
            _ => None,
        });
        locations.raw = std::iter::once("raw".to_owned())
            .chain(source_databases)
            .chain(attached)
            .collect();
        locations
    }

    /// The prod location a grant's object names, if it names one. `every_target`: the name
    /// is the model or schema of whatever target runs it (a hook's `{{ this }}`).
    pub fn prod_match(
        &self,
        kind: ObjectKind,
        name: &Name,
        every_target: bool,
    ) -> Option<&ProdLocation> {
        if name.has_jinja() {
            return if every_target && names_the_target(name) {
                self.prod.first()
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
        match schema {
            None => {
                // Creating schemas in a database dev also builds in is how dev works; the
                // contents of prod's database include prod's tables.
                let shared = self.non_prod.iter().any(|(db, _)| same(db, database));
                self.prod.iter().find(|p| {
                    same(&p.database, database) && (kind == ObjectKind::DatabaseContents || !shared)
                })
            }
            Some(schema) => self.prod.iter().find(|p| {
                same(&p.schema, Some(schema))
                    && (database.is_none() || p.database.is_none() || same(&p.database, database))
            }),
        }
    }

    /// Whether a share of `database` publishes prod or raw source data.
    pub fn is_protected(&self, database: &str) -> bool {
        self.is_raw(database)
            || self.prod.iter().any(|p| {
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

/// Who holds a grant, by the policy's `roles:` lists, else by naming convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// A person or a developer workload: `developer`, `analyst`, `transform_dev`, a user,
    /// a group, `PUBLIC`.
    Human,
    Ci,
    Prod,
    /// Other automation (loaders, admin roles): not judged.
    Service,
    Unknown,
}

pub fn holder(policy: &Policy, grantee: &Grantee) -> Holder {
    if grantee.kind == GranteeKind::Public {
        return Holder::Human;
    }
    let Some(name) = grantee.name.last_literal() else {
        return Holder::Unknown;
    };
    match policy.role_environment(name) {
        Some(Environment::Dev) => return Holder::Human,
        Some(Environment::Ci) => return Holder::Ci,
        Some(Environment::Prod) => return Holder::Prod,
        None => {}
    }
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&["prod", "prd", "production"]) {
        Holder::Prod
    } else if has(&["ci", "cicd", "pr", "github", "gitlab"]) {
        Holder::Ci
    } else if has(HUMAN_WORDS) {
        Holder::Human
    } else if has(SERVICE_WORDS) || grantee.kind == GranteeKind::ServiceAccount {
        Holder::Service
    } else if matches!(grantee.kind, GranteeKind::User | GranteeKind::Group) {
        Holder::Human
    } else {
        Holder::Unknown
    }
}

const HUMAN_WORDS: &[&str] = &[
    "dev",
    "devs",
    "developer",
    "developers",
    "analyst",
    "analysts",
    "engineer",
    "engineers",
    "scientist",
    "scientists",
    "human",
    "humans",
    "people",
    "team",
    "users",
    "reporter",
    "reporters",
];

const SERVICE_WORDS: &[&str] = &[
    "svc",
    "service",
    "sa",
    "bot",
    "dbt",
    "transform",
    "transformer",
    "loader",
    "etl",
    "elt",
    "airflow",
    "dagster",
    "fivetran",
    "pipeline",
    "sysadmin",
    "accountadmin",
    "securityadmin",
    "admin",
    "owner",
];

/// Every statement of the repository with its file and origin.
pub fn statements(repo: &Repository) -> impl Iterator<Item = (FileId, SqlOrigin, &Statement)> {
    repo.sql
        .iter()
        .flat_map(|f| f.statements.iter().map(move |s| (f.file, f.origin, s)))
}

/// Every `CREATE SHARE` with its file.
pub fn shares(repo: &Repository) -> impl Iterator<Item = (FileId, &Statement, &CreateShare)> {
    statements(repo).filter_map(|(file, _, s)| match &s.kind {
        StatementKind::CreateShare(share) => Some((file, s, share)),
        _ => None,
    })
}

/// A write privilege on a prod location, held by `grantee` (directly, or through the role
/// `via` was granted to).
pub struct ProdWrite<'a> {
    pub file: FileId,
    pub privilege: &'a Privilege,
    pub object: &'a Name,
    pub grantee: &'a Grantee,
    pub location: &'a ProdLocation,
    pub holder: Holder,
    /// The role grant that passes the write on (`GRANT ROLE writer TO USER ana`).
    pub via: Option<(FileId, &'a Grantee)>,
}

/// Every write on prod, following role grants up to a few levels.
pub fn prod_writes<'a>(
    repo: &'a Repository,
    policy: &Policy,
    locations: &'a Locations,
) -> Vec<ProdWrite<'a>> {
    let grants: Vec<(FileId, SqlOrigin, &Statement, &Grant)> = statements(repo)
        .filter_map(|(file, origin, s)| match &s.kind {
            StatementKind::Grant(g) if !g.revoke => Some((file, origin, s, g)),
            _ => None,
        })
        .collect();
    let mut writes = Vec::new();
    for &(file, origin, statement, grant) in &grants {
        let every_target = origin == SqlOrigin::ProjectConfig && !statement.conditional;
        for privilege in grant
            .privileges
            .iter()
            .filter(|p| p.access == Access::Write)
        {
            for object in &grant.object.names {
                let Some(location) = locations.prod_match(grant.object.kind, object, every_target)
                else {
                    continue;
                };
                for grantee in &grant.grantees {
                    if !revoked_later(repo, file, statement, grantee, object) {
                        writes.push(ProdWrite {
                            file,
                            privilege,
                            object,
                            grantee,
                            location,
                            holder: holder(policy, grantee),
                            via: None,
                        });
                    }
                }
            }
        }
    }
    let memberships: Vec<(FileId, &Grant)> = grants
        .iter()
        .filter(|(_, _, _, g)| g.object.kind == ObjectKind::Role)
        .map(|&(file, _, _, g)| (file, g))
        .collect();
    let mut frontier: Vec<usize> = (0..writes.len()).collect();
    for _ in 0..4 {
        let mut next = Vec::new();
        for index in frontier {
            let Some(role) = writes[index].grantee.name.last_literal().map(str::to_owned) else {
                continue;
            };
            for &(file, membership) in &memberships {
                let grants_role = membership.object.names.iter().any(|n| {
                    n.last_literal()
                        .is_some_and(|r| r.eq_ignore_ascii_case(&role))
                });
                if !grants_role {
                    continue;
                }
                for member in &membership.grantees {
                    let base = &writes[index];
                    next.push(ProdWrite {
                        file: base.file,
                        privilege: base.privilege,
                        object: base.object,
                        grantee: member,
                        location: base.location,
                        holder: holder(policy, member),
                        via: Some((file, base.grantee)),
                    });
                }
            }
        }
        frontier = (writes.len()..writes.len() + next.len()).collect();
        writes.extend(next);
        if frontier.is_empty() {
            break;
        }
    }
    writes
}

/// A `REVOKE` later in the same file takes the grant back from the same grantee.
fn revoked_later(
    repo: &Repository,
    file: FileId,
    grant: &Statement,
    grantee: &Grantee,
    object: &Name,
) -> bool {
    let same_name = |a: &Name, b: &Name| a.display().eq_ignore_ascii_case(&b.display());
    statements(repo).any(|(f, _, s)| {
        f == file
            && s.span.start > grant.span.start
            && matches!(&s.kind, StatementKind::Grant(r) if r.revoke
                && r.object.names.iter().any(|n| same_name(n, object))
                && r.grantees.iter().any(|g| same_name(&g.name, &grantee.name)))
    })
}

/// A span in `file` from a statement's byte range.
pub fn at(file: FileId, range: &std::ops::Range<usize>) -> Span {
    Span::new(file, range.start, range.end)
}

/// Reports every write on prod held by `who` (ENV402 for people, ENV404 for CI): one finding
/// per grantee and object, naming all the write privileges the statement gives.
pub fn report_prod_writes(
    cx: &mut crate::context::Context<'_>,
    who: Holder,
    described: &str,
    help: &str,
) {
    let locations = Locations::new(cx.repo, cx.profiles);
    let writes = prod_writes(cx.repo, cx.policy, &locations);
    let mut groups: Vec<Vec<&ProdWrite<'_>>> = Vec::new();
    for write in writes.iter().filter(|w| w.holder == who) {
        let key = |w: &ProdWrite<'_>| {
            (
                w.file,
                w.grantee.name.span.clone(),
                w.object.span.clone(),
                w.via.map(|(f, g)| (f, g.name.span.clone())),
            )
        };
        match groups.iter_mut().find(|g| key(g[0]) == key(write)) {
            Some(group) => group.push(write),
            None => groups.push(vec![write]),
        }
    }
    for group in groups {
        let write = group[0];
        let privileges: Vec<&str> = group.iter().map(|w| w.privilege.text.as_str()).collect();
        let (primary_file, through) = match write.via {
            Some((file, role)) => (file, format!(" through role `{}`", role.name.display())),
            None => (write.file, String::new()),
        };
        let who = match write.grantee.kind {
            GranteeKind::Public => "everyone",
            GranteeKind::User => "a user",
            GranteeKind::Group => "a group",
            _ => described,
        };
        let first = &group[0].privilege.span;
        let last = &group[group.len() - 1].privilege.span;
        let message = format!(
            "`{}` ({who}) can write prod{through}: `{}` on `{}`",
            write.grantee.name.display(),
            privileges.join(", "),
            write.object.display(),
        );
        let diag = cx
            .diagnostic(
                message,
                at(primary_file, &write.grantee.name.span),
                format!("{who} gets write on prod"),
            )
            .with_related(
                at(write.file, &(first.start..last.end)),
                "write privileges on a prod location",
            )
            .with_related(write.location.span, "prod writes here")
            .with_help(help.to_owned());
        cx.report(diag);
    }
}
