//! Permission statements gathered from everywhere a dbt repository keeps them: setup scripts,
//! macros, `on-run-start`/`on-run-end` and `pre-hook`/`post-hook` configs, `grants:` configs
//! (read as the grants dbt runs on every model it builds) and CI scripts.

use envlint_diagnostics::FileId;
use envlint_sql::{
    Dialect, Grant, Grantee, GranteeKind, Name, NamePart, Object, ObjectKind, Privilege, Statement,
    StatementKind,
};

use crate::yaml::{Node, Value};

/// Where a file's statements come from: it decides when they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlOrigin {
    /// A setup script (`warehouse/grants.sql`): run by hand, once, as written.
    Script,
    /// A macro: runs when called (`dbt run-operation`, a hook), with whatever target is active.
    Macro,
    /// A hook or `grants:` config in `dbt_project.yml` or a properties file: runs on every
    /// `dbt run`/`build`, for every target.
    ProjectConfig,
    /// A CI step (`duckdb -c "..."`, `psql -c "..."`).
    CiStep,
    /// Declared as code outside SQL (Terraform, permifrost): applied as written by the
    /// pipeline that runs it.
    DeclaredAsCode,
}

/// The permission statements of one file; spans are byte offsets in that file.
#[derive(Clone, Debug)]
pub struct SqlFile {
    pub file: FileId,
    pub origin: SqlOrigin,
    pub statements: Vec<Statement>,
}

/// Keys whose values are SQL that dbt runs.
const HOOK_KEYS: &[&str] = &[
    "on-run-start",
    "on-run-end",
    "pre-hook",
    "post-hook",
    "+pre-hook",
    "+post-hook",
    "pre_hook",
    "post_hook",
];

/// A cheap test before parsing a properties file: whether it may hold hooks or grants.
pub(crate) fn may_configure_permissions(text: &str) -> bool {
    text.contains("grants") || text.contains("hook")
}

/// Statements of hooks and `grants:` configs anywhere in a dbt YAML document.
pub fn config_statements(root: &Node, text: &str, dialect: Dialect) -> Vec<Statement> {
    let mut found = Vec::new();
    walk(root, &mut |key, value| {
        if HOOK_KEYS.contains(&key) {
            for hook in hook_strings(value) {
                found.extend(scalar_statements(hook, text, dialect));
            }
        } else if key == "grants" || key == "+grants" {
            found.extend(grants_config(value, text));
        }
    });
    found
}

/// Calls `visit` with every key and value of every mapping under `node`.
fn walk(node: &Node, visit: &mut dyn FnMut(&str, &Node)) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                visit(&key.text, value);
                walk(value, visit);
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| walk(item, visit)),
        _ => {}
    }
}

/// A hook is a string, a list of strings, or `{sql: ..., transaction: ...}`.
fn hook_strings(value: &Node) -> Vec<&Node> {
    match &value.value {
        Value::Str(_) => vec![value],
        Value::Seq(items) => items.iter().flat_map(hook_strings).collect(),
        Value::Map(_) => value.get("sql").map(hook_strings).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The statements of a YAML string scalar, read from its source text so spans are exact.
/// A block scalar's first line (`|`) is its header.
fn scalar_statements(node: &Node, text: &str, dialect: Dialect) -> Vec<Statement> {
    let Some(raw) = text.get(node.span.clone()) else {
        return Vec::new();
    };
    let (start, body) = match raw.chars().next() {
        Some('"' | '\'') if raw.len() >= 2 => (node.span.start + 1, &raw[1..raw.len() - 1]),
        Some('|' | '>') => match envlint_diagnostics::lines::next_line_start(raw, 0) {
            next if next < raw.len() => (node.span.start + next, &raw[next..]),
            _ => return Vec::new(),
        },
        _ => (node.span.start, raw),
    };
    envlint_sql::statements(body, dialect)
        .into_iter()
        .map(|statement| statement.shifted(start))
        .collect()
}

/// `grants: {select: [reporter], insert: ["{{ env_var('X') }}"]}`: dbt runs
/// `grant <privilege> on <this model> to <grantee>` for each, on every target it builds.
fn grants_config(value: &Node, text: &str) -> Vec<Statement> {
    value
        .entries()
        .iter()
        .map(|(privilege, grantees)| {
            let grantees = match &grantees.value {
                Value::Seq(items) => items.iter().collect(),
                Value::Str(_) => vec![grantees],
                _ => Vec::new(),
            };
            let this = Name {
                span: privilege.span.clone(),
                parts: vec![NamePart::Jinja("{{ this }}".to_owned())],
            };
            Statement {
                span: privilege.span.start
                    ..grantees.last().map_or(privilege.span.end, |g| g.span.end),
                conditional: false,
                kind: StatementKind::Grant(Grant {
                    revoke: false,
                    default_privileges: false,
                    privileges: vec![Privilege {
                        text: privilege.text.to_ascii_uppercase(),
                        access: envlint_sql::access_of(&privilege_key(&privilege.text)),
                        span: privilege.span.clone(),
                    }],
                    object: Object {
                        kind: ObjectKind::Table,
                        names: vec![this],
                    },
                    grantees: grantees
                        .iter()
                        .filter_map(|g| config_grantee(g, text))
                        .collect(),
                }),
            }
        })
        .collect()
}

/// SQL privileges upper-cased; BigQuery role names kept as written.
fn privilege_key(key: &str) -> String {
    if key.starts_with("roles/") {
        key.to_owned()
    } else {
        key.to_ascii_uppercase()
    }
}

fn config_grantee(node: &Node, text: &str) -> Option<Grantee> {
    let value = node.as_str()?;
    let (kind, who) = envlint_sql::member_kind(value);
    let written = text.get(node.span.clone()).unwrap_or_default();
    let part = if written.contains("{{") {
        NamePart::Jinja(written.trim_matches(['"', '\'']).to_owned())
    } else {
        NamePart::Literal(who.to_owned())
    };
    let kind = if who.eq_ignore_ascii_case("public") {
        GranteeKind::Public
    } else {
        kind
    };
    Some(Grantee {
        kind,
        name: Name {
            span: node.span.clone(),
            parts: vec![part],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use envlint_sql::Access;

    #[test]
    fn hooks_and_grants_configs_become_statements_with_file_spans() {
        let text = "models:\n  shop:\n    +post-hook: \"grant all on {{ this }} to role developer\"\n    +grants:\n      select: ['reporter']\n      insert: [\"user:ana@x.com\"]\non-run-end:\n  - sql: |\n      grant usage on schema {{ target.schema }} to role reporter\n";
        let root = crate::yaml::parse(text).expect("yaml");
        let found = config_statements(&root, text, Dialect::Snowflake);
        let grants: Vec<&Grant> = found
            .iter()
            .map(|s| match &s.kind {
                StatementKind::Grant(g) => g,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(grants.len(), 4, "{found:#?}");
        assert_eq!(&text[grants[0].grantees[0].name.span.clone()], "developer");
        assert_eq!(grants[0].privileges[0].access, Access::Write);
        assert_eq!(&text[grants[1].privileges[0].span.clone()], "select");
        assert_eq!(&text[grants[1].grantees[0].name.span.clone()], "'reporter'");
        assert_eq!(grants[2].privileges[0].access, Access::Write);
        assert_eq!(grants[2].grantees[0].kind, GranteeKind::User);
        assert_eq!(
            &text[grants[3].object.names[0].span.clone()],
            "{{ target.schema }}"
        );
    }
}
