//! The typed model of `profiles.yml`: profiles, targets, where each writes, what it logs in with.

use envlint_diagnostics::{FileId, Span, looks_secret};

use crate::adapters::{self, Adapter};

use crate::field::{Field, FieldReader};
use crate::symbolic::SymStr;
use crate::yaml::Node;

/// One `profiles.yml`-style file.
#[derive(Clone, Debug)]
pub struct ProfilesFile {
    pub file: FileId,
    pub profiles: Vec<Profile>,
    /// True for the user's own `~/.dbt/profiles.yml` (only profiles a project uses are linted).
    pub user_level: bool,
    /// True for a profile a CI script writes inline (a heredoc in a workflow): it holds
    /// the targets that CI job needs, not the whole team's.
    pub written_by_ci: bool,
    /// True for a file committed where CI keeps its own configuration (`ci/profiles.yml`,
    /// `.github/dbt/profiles.yml`, `ci_profiles.yml`): developers keep theirs in `~/.dbt`.
    pub in_ci_folder: bool,
}

impl ProfilesFile {
    /// CI's profiles rather than developers': written by a CI job or kept for CI.
    pub fn is_for_ci(&self) -> bool {
        self.written_by_ci || self.in_ci_folder
    }
}

/// Folders where a repository keeps its CI configuration.
const CI_FOLDERS: &[&str] = &[
    "ci",
    ".ci",
    "cicd",
    "ci_cd",
    "ci-cd",
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    "deploy",
    "deployment",
    "pipelines",
];

/// Whether a profiles file's path says it is kept for CI: a CI folder on the way to it, or
/// a name such as `ci_profiles.yml` or `profiles.ci.yml`.
pub fn is_ci_path(path: &std::path::Path) -> bool {
    let in_folder = path
        .parent()
        .into_iter()
        .flat_map(std::path::Path::components)
        .any(|c| CI_FOLDERS.contains(&c.as_os_str().to_string_lossy().to_lowercase().as_str()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    in_folder
        || name
            .split(['.', '_', '-'])
            .any(|word| word == "ci" || word == "cicd")
}

/// A profile: a named set of targets and the default one.
#[derive(Clone, Debug)]
pub struct Profile {
    pub name: String,
    pub name_span: Span,
    /// `target:`, the target dbt uses when none is given.
    pub default_target: Option<Field>,
    /// The `outputs:` key.
    pub outputs_span: Span,
    pub targets: Vec<Target>,
}

/// One output of a profile.
#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub name_span: Span,
    /// The adapter `type:` (`snowflake`, `duckdb`, ...).
    pub adapter: Option<Field>,
    /// `schema:`, or `dataset:` on BigQuery.
    pub schema: Option<Field>,
    /// `database:`/`dbname:`/`project:`/`catalog:`, or the database a DuckDB `path:` opens.
    pub database: Option<Field>,
    /// `account:`/`host:`/`server:`: which warehouse, when several can be used.
    pub server: Option<Field>,
    /// A DuckDB `path:`, parsed.
    pub duckdb: Option<DuckdbPath>,
    pub credentials: Vec<Credential>,
    /// A credential the target takes from its surroundings rather than from a field.
    pub ambient: Option<Ambient>,
}

/// What a DuckDB `path:` points at.
#[derive(Clone, Debug)]
pub enum DuckdbPath {
    /// `md:NAME?params` or `motherduck:NAME`: a MotherDuck database.
    MotherDuck {
        database: SymStr,
        params: Vec<(String, SymStr)>,
    },
    /// A local database file (one per machine).
    File,
    /// `:memory:` or no path.
    Memory,
}

impl DuckdbPath {
    /// The MotherDuck database it opens.
    pub fn database(&self) -> Option<&SymStr> {
        match self {
            Self::MotherDuck { database, .. } => Some(database),
            Self::File | Self::Memory => None,
        }
    }
}

/// Whether a credential field holds the secret or the path of a file holding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    Secret,
    KeyFile,
}

/// A field a target logs in with.
#[derive(Clone, Debug)]
pub struct Credential {
    pub kind: CredentialKind,
    pub field: Field,
}

/// A credential taken from the environment without being named in the profile.
#[derive(Clone, Debug)]
pub struct Ambient {
    /// What supplies it: `MOTHERDUCK_TOKEN`, `gcloud oauth`, `browser SSO`.
    pub source: String,
    /// The field that makes it ambient (`path:`, `method:`, `authenticator:`).
    pub span: Span,
    /// The login of the person who runs dbt, rather than a token or a service account
    /// that person acts as.
    pub personal: bool,
}

impl Target {
    pub fn adapter_name(&self) -> Option<String> {
        self.adapter.as_ref()?.value.as_literal()
    }

    /// The adapter's entry in the table of adapters.
    pub fn adapter_table(&self) -> &'static Adapter {
        adapters::adapter(&self.adapter_name().unwrap_or_default())
    }

    /// The schema it writes: as written, or what the adapter uses without one (`main` on
    /// DuckDB, `default` on ClickHouse).
    pub fn schema_value(&self) -> Option<SymStr> {
        let default = if self.duckdb.is_some() {
            Some("main")
        } else {
            self.adapter_table().default_schema
        };
        written_or(self.schema.as_ref(), default)
    }

    /// The database it writes: as written, or what the adapter uses without one
    /// (`hive_metastore` on Databricks).
    pub fn database_value(&self) -> Option<SymStr> {
        written_or(
            self.database.as_ref(),
            self.adapter_table().default_database,
        )
    }

    /// The warehouse as the adapter names it, for comparing targets: a Snowflake account
    /// with and without `.snowflakecomputing.com`, in any case, is one account.
    pub fn server_value(&self) -> Option<SymStr> {
        let server = &self.server.as_ref()?.value;
        Some(server.as_literal().map_or_else(
            || server.clone(),
            |text| {
                SymStr::literal(
                    adapters::server_identity(self.adapter_table(), &text),
                    server.span.clone(),
                )
            },
        ))
    }

    pub fn is_motherduck(&self) -> bool {
        matches!(self.duckdb, Some(DuckdbPath::MotherDuck { .. }))
    }

    /// Private to the machine that runs dbt: a local DuckDB file or in-memory database, or a
    /// database server on `localhost` or on a single-label host such as a docker-compose
    /// service (`host: postgres`), or the machine itself seen from a container
    /// (`host.docker.internal`). Warehouses shared by a team have qualified names.
    pub fn is_machine_local(&self) -> bool {
        if matches!(self.duckdb, Some(DuckdbPath::File | DuckdbPath::Memory)) {
            return true;
        }
        let Some(server) = self.server.as_ref().filter(|s| s.key != "account") else {
            return false;
        };
        let host = server
            .value
            .as_literal()
            .or_else(|| server.value.when_unset());
        host.is_some_and(|host| {
            let host = host.trim().to_ascii_lowercase();
            host == "localhost"
                || host.starts_with("127.")
                || host == "::1"
                || host == "0.0.0.0"
                || host == "host.docker.internal"
                || !host.contains('.')
        })
    }
}

fn written_or(field: Option<&Field>, default: Option<&str>) -> Option<SymStr> {
    field
        .map(|f| f.value.clone())
        .or_else(|| default.map(|d| SymStr::literal(d, 0..0)))
}

/// Reads every profile of a parsed profiles file. Top-level entries without an `outputs:`
/// mapping (such as the legacy `config:` block) are not profiles.
pub fn read_profiles(reader: &mut FieldReader<'_>, root: &Node) -> Vec<Profile> {
    root.entries()
        .iter()
        .filter_map(|(name, node)| {
            let (outputs_key, outputs) = node.entry("outputs")?;
            if !outputs.is_map() {
                return None;
            }
            Some(Profile {
                name: name.text.clone(),
                name_span: reader.span(&name.span),
                default_target: reader.field(node, "target"),
                outputs_span: reader.span(&outputs_key.span),
                targets: outputs
                    .entries()
                    .iter()
                    .filter(|(_, target)| target.is_map())
                    .map(|(key, target)| read_target(reader, &key.text, &key.span, target))
                    .collect(),
            })
        })
        .collect()
}

/// True when a file dbt reads as profiles (by its name) has a profile at all: some entry
/// with `outputs`, whatever their shape (a wrong shape is reported, not skipped).
pub fn has_profiles(root: &Node) -> bool {
    root.entries()
        .iter()
        .any(|(_, node)| node.get("outputs").is_some())
}

/// True when a parsed YAML document looks like a profiles file.
pub fn is_profiles_document(root: &Node) -> bool {
    root.entries()
        .iter()
        .any(|(_, node)| node.get("outputs").is_some_and(Node::is_map))
}

fn read_target(
    reader: &mut FieldReader<'_>,
    name: &str,
    name_span: &std::ops::Range<usize>,
    node: &Node,
) -> Target {
    let adapter = reader.field(node, "type");
    let adapter_name = adapter
        .as_ref()
        .and_then(|a| a.value.as_literal())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let table = adapters::adapter(&adapter_name);
    let first = |reader: &mut FieldReader<'_>, keys: &[&str]| {
        keys.iter().find_map(|key| reader.field(node, key))
    };
    let schema = first(reader, table.schema_keys);
    let path = reader.field(node, "path");
    let mut duckdb =
        (adapter_name == "duckdb" || path.is_some()).then(|| parse_duckdb_path(path.as_ref()));
    let mut database = first(reader, table.database_keys);
    if let Some(attached) = attached_motherduck(reader, node, database.as_ref(), duckdb.as_ref()) {
        // Under an alias (`alias: tf`), the MotherDuck database it names, kept where the
        // target's `database:` is written.
        if let (Some(field), Some(name)) = (
            database.as_mut(),
            attached.database().and_then(SymStr::as_literal),
        ) {
            *field = field.with_value(SymStr::literal(name, field.value.span.clone()));
        }
        duckdb = Some(attached);
    }
    let database = database.or_else(|| duckdb_database(path.as_ref(), duckdb.as_ref()));
    let server = ["account", "host", "server"]
        .iter()
        .find_map(|key| reader.field(node, key));
    let mut credentials = Vec::new();
    collect_credentials(reader, node, 0, &mut credentials);
    if let (Some(path), Some(DuckdbPath::MotherDuck { params, .. })) = (&path, &duckdb) {
        for (key, value) in params {
            if key.eq_ignore_ascii_case("motherduck_token") || key.eq_ignore_ascii_case("token") {
                credentials.push(Credential {
                    kind: CredentialKind::Secret,
                    field: Field {
                        key: key.clone(),
                        ..path.with_value(value.clone())
                    },
                });
            }
        }
    }
    for credential in credentials
        .iter()
        .filter(|c| c.kind == CredentialKind::Secret)
    {
        reader.mark_secret(&credential.field);
    }
    let ambient = ambient_credential(reader, node, table, path.as_ref(), &duckdb, &credentials);
    Target {
        name: name.to_owned(),
        name_span: reader.span(name_span),
        adapter,
        schema,
        database,
        server,
        duckdb,
        credentials,
        ambient,
    }
}

/// A DuckDB target whose `database:` is a MotherDuck database it attaches (`attach: [{path:
/// "md:transform"}]`, `database: transform`): it writes there, not into its local file.
fn attached_motherduck(
    reader: &mut FieldReader<'_>,
    node: &Node,
    database: Option<&Field>,
    duckdb: Option<&DuckdbPath>,
) -> Option<DuckdbPath> {
    if !matches!(duckdb?, DuckdbPath::File | DuckdbPath::Memory) {
        return None;
    }
    let wanted = database?.value.as_literal()?;
    let crate::yaml::Value::Seq(entries) = &node.get("attach")?.value else {
        return None;
    };
    entries.iter().find_map(|entry| {
        let attached = parse_duckdb_path(reader.field(entry, "path").as_ref());
        let name = match reader.field(entry, "alias") {
            Some(alias) => alias.value.as_literal()?,
            None => attached.database()?.as_literal()?,
        };
        (attached.database().is_some() && name.eq_ignore_ascii_case(&wanted)).then_some(attached)
    })
}

fn collect_credentials(
    reader: &mut FieldReader<'_>,
    node: &Node,
    depth: usize,
    out: &mut Vec<Credential>,
) {
    if depth > 3 {
        return;
    }
    for (key, value) in node.entries() {
        let lower = key.text.to_ascii_lowercase();
        if value.is_map() {
            collect_credentials(reader, value, depth + 1, out);
            continue;
        }
        // DuckDB's `secrets:` and `attach:` are lists of mappings.
        if let crate::yaml::Value::Seq(items) = &value.value
            && items.iter().any(Node::is_map)
        {
            for item in items {
                collect_credentials(reader, item, depth + 1, out);
            }
            continue;
        }
        let kind = if adapters::is_secret_field(&lower) {
            CredentialKind::Secret
        } else if adapters::is_key_file_field(&lower) {
            CredentialKind::KeyFile
        } else {
            if looks_secret(&lower) {
                mask_values(reader, key, value);
            }
            continue;
        };
        if let Some(field) = reader.read(key, value) {
            out.push(Credential { kind, field });
        }
    }
}

/// Masks the value (or every item of a list) under a secret-looking key in every output,
/// without judging it as a credential.
fn mask_values(reader: &mut FieldReader<'_>, key: &crate::yaml::Key, value: &Node) {
    let items: Vec<&Node> = match &value.value {
        crate::yaml::Value::Seq(items) => items.iter().collect(),
        _ => vec![value],
    };
    for item in items {
        if let Some(field) = reader.read(key, item) {
            reader.mark_secret(&field);
        }
    }
}

fn parse_duckdb_path(path: Option<&Field>) -> DuckdbPath {
    let Some(path) = path else {
        return DuckdbPath::Memory;
    };
    let value = &path.value;
    if value.as_literal().as_deref() == Some(":memory:") {
        return DuckdbPath::Memory;
    }
    let Some(rest) = value
        .strip_prefix("md:")
        .or_else(|| value.strip_prefix("motherduck:"))
    else {
        return DuckdbPath::File;
    };
    let (database, query) = match rest.split_once('?') {
        Some((database, query)) => (database, Some(query)),
        None => (rest, None),
    };
    let mut params = Vec::new();
    let mut remaining = query;
    while let Some(query) = remaining.take() {
        let (pair, next) = match query.split_once('&') {
            Some((pair, next)) => (pair, Some(next)),
            None => (query, None),
        };
        if let Some((key, value)) = pair.split_once('=')
            && let Some(key) = key.as_literal()
        {
            params.push((key, value));
        }
        remaining = next.filter(|n| !n.is_empty());
    }
    DuckdbPath::MotherDuck { database, params }
}

/// The database a DuckDB path opens: the MotherDuck database name, or the file itself.
fn duckdb_database(path: Option<&Field>, duckdb: Option<&DuckdbPath>) -> Option<Field> {
    let path = path?;
    match duckdb? {
        DuckdbPath::MotherDuck { database, .. } => Some(path.with_value(database.clone())),
        DuckdbPath::File => Some(path.clone()),
        DuckdbPath::Memory => None,
    }
}

fn ambient_credential(
    reader: &mut FieldReader<'_>,
    node: &Node,
    adapter: &Adapter,
    path: Option<&Field>,
    duckdb: &Option<DuckdbPath>,
    credentials: &[Credential],
) -> Option<Ambient> {
    let has_secret = credentials.iter().any(|c| c.kind == CredentialKind::Secret);
    if let (Some(DuckdbPath::MotherDuck { .. }), Some(path)) = (duckdb, path) {
        return (!has_secret).then(|| Ambient {
            source: "MOTHERDUCK_TOKEN".to_owned(),
            span: path.text_span(),
            personal: false,
        });
    }
    let has = |key: &str| node.get(key).is_some_and(|v| v.scalar_text().is_some());
    adapter.logins.iter().find_map(|login| {
        let field = reader.field(node, login.key)?;
        let value = field.value.as_literal()?.to_ascii_lowercase();
        let chosen = login.values.contains(&value.as_str())
            && login.absent.iter().all(|key| !has(key))
            && login.present.iter().all(|key| has(key));
        let acting_as = login
            .present
            .iter()
            .find_map(|key| reader.field(node, key))
            .map(|field| format!(" `{}`", field.value))
            .unwrap_or_default();
        chosen.then(|| Ambient {
            source: format!("{}{acting_as}", login.source),
            span: field.text_span(),
            personal: login.personal,
        })
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{is_ci_path, looks_secret};

    #[test]
    fn keys_that_look_secret_are_masked_whatever_their_prefix_or_suffix() {
        for key in [
            "aws_secret_access_key",
            "private_key_id",
            "jwt_token",
            "db_password_2",
            "api-key",
            "oauth_credentials",
        ] {
            assert!(looks_secret(key), "{key}");
        }
        for key in [
            "schema",
            "keepalives_idle",
            "passthrough",
            "tokenizer",
            "keyfile",
        ] {
            assert!(!looks_secret(key), "{key}");
        }
    }

    #[test]
    fn profiles_kept_for_ci_are_told_by_their_path() {
        for path in [
            "ci/profiles.yml",
            "transform/ci/profiles.yml",
            ".github/dbt/profiles.yml",
            "ci_profiles.yml",
            "profiles.ci.yml",
            "deploy/profiles.yml",
        ] {
            assert!(is_ci_path(Path::new(path)), "{path}");
        }
        for path in [
            "profiles.yml",
            "transform/profiles.yml",
            "integration_tests/profiles.yml",
            "civic/profiles.yml",
            "sample_profiles.yml",
        ] {
            assert!(!is_ci_path(Path::new(path)), "{path}");
        }
    }
}
