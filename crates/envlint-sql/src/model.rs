//! The permission model: what each statement grants, shares, snapshots or attaches, with spans.

use std::ops::Range;

/// One SQL statement about permissions, shares or snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// From the first to the last token, in the text given to [`crate::statements`].
    pub span: Range<usize>,
    /// Inside a Jinja `{% if %}` block: it may not run for every target.
    pub conditional: bool,
    pub kind: StatementKind,
}

impl Statement {
    /// The statement with every span moved `by` bytes (text read at an offset of its file).
    pub fn shifted(self, by: usize) -> Self {
        self.remapped(|r| r.start + by..r.end + by)
    }

    /// The statement with every span passed through `map` (text that is not laid out in its
    /// file byte for byte, such as a YAML block scalar).
    pub fn remapped(mut self, map: impl Fn(Range<usize>) -> Range<usize>) -> Self {
        let shift = |r: &mut Range<usize>| *r = map(r.clone());
        shift(&mut self.span);
        let names: Vec<&mut Name> = match &mut self.kind {
            StatementKind::Grant(grant) => {
                grant.privileges.iter_mut().for_each(|p| shift(&mut p.span));
                grant
                    .object
                    .names
                    .iter_mut()
                    .chain(grant.grantees.iter_mut().map(|g| &mut g.name))
                    .collect()
            }
            StatementKind::CreateShare(share) => {
                share.or_replace.iter_mut().for_each(shift);
                share.options.iter_mut().for_each(|o| shift(&mut o.span));
                share
                    .name
                    .iter_mut()
                    .chain(share.database.iter_mut())
                    .collect()
            }
            StatementKind::CreateSnapshot { name, database } => vec![name, database],
            StatementKind::RestoreSnapshot { database, snapshot } => std::iter::once(database)
                .chain(snapshot.iter_mut())
                .collect(),
            StatementKind::Attach { path, alias } => {
                std::iter::once(path).chain(alias.iter_mut()).collect()
            }
            StatementKind::LoginPassword { login, password } => {
                shift(password);
                vec![login]
            }
            StatementKind::Unrecognised { .. } | StatementKind::OverBudget { .. } => Vec::new(),
        };
        names.into_iter().for_each(|n| shift(&mut n.span));
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementKind {
    /// `GRANT`/`REVOKE` of privileges or of a role, on any object.
    Grant(Grant),
    /// MotherDuck `CREATE [OR REPLACE] SHARE [IF NOT EXISTS] s FROM db (options)`.
    CreateShare(CreateShare),
    /// MotherDuck `CREATE SNAPSHOT name OF db`.
    CreateSnapshot { name: Name, database: Name },
    /// MotherDuck `ALTER DATABASE db SET SNAPSHOT TO (SNAPSHOT_NAME 'name')`: a restore.
    RestoreSnapshot {
        database: Name,
        snapshot: Option<Name>,
    },
    /// DuckDB/MotherDuck `ATTACH 'path' AS alias`.
    Attach { path: Name, alias: Option<Name> },
    /// `CREATE USER u PASSWORD = '...'` and the like: a login given a password written as a
    /// string literal. `password` is the literal's range, quotes included; the value is
    /// never kept.
    LoginPassword { login: Name, password: Range<usize> },
    /// Starts like a permission statement but could not be read; `keyword` is what it starts with.
    Unrecognised { keyword: String },
    /// The text is over a reading budget: what follows `span` was not read (`why` says
    /// which budget).
    OverBudget { why: String },
}

/// A grant or revoke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub revoke: bool,
    /// Postgres `ALTER DEFAULT PRIVILEGES ... GRANT`: applies to objects created later.
    pub default_privileges: bool,
    pub privileges: Vec<Privilege>,
    /// What the privileges are on (for a role grant: the roles).
    pub object: Object,
    pub grantees: Vec<Grantee>,
}

/// One privilege of a grant, as written (`SELECT`, `CREATE SCHEMA`, `roles/bigquery.dataEditor`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Privilege {
    /// Upper-case words for SQL keywords, as written for BigQuery roles.
    pub text: String,
    pub access: Access,
    pub span: Range<usize>,
}

/// What a privilege lets its holder do to data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Anything that does not change data (`USAGE`, `OPERATE` on a warehouse, `MONITOR`).
    Other,
    /// Read data (`SELECT`, `READ`, `REFERENCES`, `dataViewer`).
    Read,
    /// Write, create, own or everything (`INSERT`, `CREATE`, `OWNERSHIP`, `ALL`, `dataEditor`).
    Write,
    /// Membership of a role: the grantee gets everything the role has.
    Role,
}

/// What the privileges are on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub kind: ObjectKind,
    pub names: Vec<Name>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Database,
    Schema,
    /// `ALL|FUTURE TABLES|VIEWS|... IN SCHEMA s` (also Postgres default privileges in a schema).
    SchemaContents,
    /// `ALL|FUTURE TABLES|SCHEMAS|... IN DATABASE d`.
    DatabaseContents,
    /// A table or view (the default object kind of `GRANT ... ON name`).
    Table,
    Share,
    /// A role granted to the grantees (`GRANT ROLE r TO USER u`, Postgres `GRANT r TO u`).
    Role,
    /// Warehouses, integrations, functions, ...: not data locations.
    Other,
}

/// Who receives the privileges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grantee {
    pub kind: GranteeKind,
    pub name: Name,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GranteeKind {
    Role,
    User,
    Group,
    /// `PUBLIC`, BigQuery `allUsers`/`allAuthenticatedUsers`/`domain:`: everyone.
    Public,
    /// BigQuery `serviceAccount:`.
    ServiceAccount,
    Share,
    /// Not said (Postgres `TO name`, MotherDuck `GRANT READ ON SHARE s TO name`).
    Unspecified,
}

/// A possibly qualified name, as written, split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub span: Range<usize>,
    pub parts: Vec<NamePart>,
}

/// One dot-separated part of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamePart {
    /// Unquoted or unquoted-after-reading identifier (`analytics`, `"Analytics"` → `Analytics`).
    Literal(String),
    /// A part written with Jinja (`{{ target.schema }}`, `pr_{{ number }}`), as written:
    /// unknown until dbt renders it.
    Jinja(String),
}

impl Name {
    /// The last part (the object's own name), if it is a literal.
    pub fn last_literal(&self) -> Option<&str> {
        match self.parts.last()? {
            NamePart::Literal(text) => Some(text),
            NamePart::Jinja(_) => None,
        }
    }

    /// The literal text of a one-part name (a database, role or share name).
    pub fn simple(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [NamePart::Literal(text)] => Some(text),
            _ => None,
        }
    }

    /// `db.schema`, Jinja parts as written.
    pub fn display(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                NamePart::Literal(text) | NamePart::Jinja(text) => text.as_str(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Whether any part is written with Jinja.
    pub fn has_jinja(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, NamePart::Jinja(_)))
    }
}

/// A MotherDuck share definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateShare {
    /// The `OR REPLACE` words, when present.
    pub or_replace: Option<Range<usize>>,
    pub if_not_exists: bool,
    /// Omitted: named after the database.
    pub name: Option<Name>,
    /// Omitted: the current database.
    pub database: Option<Name>,
    pub options: Vec<ShareOption>,
}

impl CreateShare {
    /// The value of `ACCESS`, `VISIBILITY` or `UPDATE`, when written.
    pub fn option(&self, key: &str) -> Option<&ShareOption> {
        self.options.iter().find(|o| o.key == key)
    }
}

/// `ACCESS RESTRICTED`: key and value upper-cased, span over both words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareOption {
    pub key: String,
    pub value: String,
    pub span: Range<usize>,
}
