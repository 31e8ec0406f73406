//! permifrost specifications (`roles.yml`): each role's database, schema and table `read` /
//! `write` privileges and ownerships, and the roles each role or user is a member of.

use std::ops::Range;

use envlint_sql::{GranteeKind, ObjectKind, Statement};

use super::{grant, grantee, name, privilege, role_privilege};
use crate::yaml::{Key, Node, Value};

/// Whether a YAML document is a permifrost spec: a top-level `roles:` list of one-key
/// mappings, beside `users:`, `databases:` or `warehouses:`.
pub fn is_permifrost_spec(root: &Node) -> bool {
    let Some(Value::Seq(roles)) = root.get("roles").map(|n| &n.value) else {
        return false;
    };
    roles.iter().all(|role| role.entries().len() == 1)
        && ["users", "databases", "warehouses"]
            .iter()
            .any(|key| root.get(key).is_some())
}

/// The grants a permifrost spec declares. Nothing can write a shared database (`shared:
/// yes`, another account's data): `write` and `owns` on one grant nothing.
pub fn read_permifrost(root: &Node) -> Vec<Statement> {
    let shared = shared_databases(root);
    let mut found = Vec::new();
    for (list, kind) in [("roles", GranteeKind::Role), ("users", GranteeKind::User)] {
        for (key, spec) in one_key_entries(root.get(list)) {
            let who = grantee(kind, &key.text, key.span.clone());
            for (role, span) in strings(spec.get("member_of")) {
                found.push(grant(
                    span.clone(),
                    vec![role_privilege(span.clone())],
                    (ObjectKind::Role, name(role, span)),
                    vec![who.clone()],
                ));
            }
            if kind == GranteeKind::Role {
                found.extend(privileges(spec, &key.text, &key.span, &shared));
            }
        }
    }
    found
}

/// `privileges: {databases|schemas|tables: {read|write: [...]}}` and
/// `owns: {databases|schemas|tables: [...]}` of one role.
fn privileges(
    spec: &Node,
    role: &str,
    role_span: &Range<usize>,
    shared: &[String],
) -> Vec<Statement> {
    let who = grantee(GranteeKind::Role, role, role_span.clone());
    let mut found = Vec::new();
    let mut add = |level: &str, verb: &str, entries: Option<&Node>| {
        for (object, span) in strings(entries) {
            let database = object.split('.').next().unwrap_or_default();
            if verb != "READ" && shared.iter().any(|s| s.eq_ignore_ascii_case(database)) {
                continue;
            }
            found.push(grant(
                span.clone(),
                vec![privilege(verb, span.clone())],
                located(level, object, span),
                vec![who.clone()],
            ));
        }
    };
    let granted = spec.get("privileges");
    for level in ["databases", "schemas", "tables"] {
        let by_verb = granted.and_then(|p| p.get(level));
        add(level, "READ", by_verb.and_then(|v| v.get("read")));
        add(level, "WRITE", by_verb.and_then(|v| v.get("write")));
        add(
            level,
            "OWNERSHIP",
            spec.get("owns").and_then(|o| o.get(level)),
        );
    }
    found
}

/// What an entry of a level names: `db`, `db.schema`, `db.*` (every schema), `db.schema.*`
/// (every table of a schema), `db.*.*`.
fn located(level: &str, object: &str, span: Range<usize>) -> (ObjectKind, envlint_sql::Name) {
    let parts: Vec<&str> = object.split('.').collect();
    match (level, parts.as_slice()) {
        ("schemas", [db, "*"]) | ("tables", [db, "*", "*"]) => {
            (ObjectKind::DatabaseContents, name(db, span))
        }
        ("tables", [db, schema, "*"]) => (
            ObjectKind::SchemaContents,
            name(&format!("{db}.{schema}"), span),
        ),
        ("databases", _) => (ObjectKind::Database, name(object, span)),
        ("schemas", _) => (ObjectKind::Schema, name(object, span)),
        _ => (ObjectKind::Table, name(object, span)),
    }
}

/// The databases the spec marks `shared: yes` (or `true`).
fn shared_databases(root: &Node) -> Vec<String> {
    one_key_entries(root.get("databases"))
        .into_iter()
        .filter(|(_, settings)| {
            settings
                .get("shared")
                .is_some_and(|flag| match &flag.value {
                    Value::Bool(on) => *on,
                    Value::Str(text) => {
                        ["yes", "true"].contains(&text.to_ascii_lowercase().as_str())
                    }
                    _ => false,
                })
        })
        .map(|(key, _)| key.text.clone())
        .collect()
}

/// `- name: {...}` entries of a list: each name's key and its settings.
fn one_key_entries(list: Option<&Node>) -> Vec<(&Key, &Node)> {
    match list.map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|item| item.entries().first().map(|(k, v)| (k, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The strings of a list (or of a single string), with their spans.
fn strings(node: Option<&Node>) -> Vec<(&str, Range<usize>)> {
    let Some(node) = node else {
        return Vec::new();
    };
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| Some((item.as_str()?, item.span.clone())))
            .collect(),
        Value::Str(text) => vec![(text.as_str(), node.span.clone())],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use envlint_sql::StatementKind;

    const SPEC: &str = "databases:\n  - analytics: {shared: no}\nroles:\n  - transformer_prod:\n      member_of: [loader]\n      privileges:\n        databases: {read: [raw], write: [analytics]}\n        schemas: {write: [analytics.*]}\n        tables: {write: [analytics.marts.*]}\n      owns: {schemas: [analytics.marts]}\nusers:\n  - ana:\n      member_of: [transformer_prod]\n";

    #[test]
    fn roles_users_and_privileges_become_grants() {
        let root = crate::yaml::parse(SPEC).expect("yaml");
        assert!(is_permifrost_spec(&root));
        let found = read_permifrost(&root);
        let summary: Vec<String> = found
            .iter()
            .map(|s| match &s.kind {
                StatementKind::Grant(g) => format!(
                    "{:?} {:?} {} -> {:?} {}",
                    g.privileges[0].access,
                    g.object.kind,
                    g.object.names[0].display(),
                    g.grantees[0].kind,
                    g.grantees[0].name.display()
                ),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "Role Role loader -> Role transformer_prod",
                "Read Database raw -> Role transformer_prod",
                "Write Database analytics -> Role transformer_prod",
                "Write DatabaseContents analytics -> Role transformer_prod",
                "Write Schema analytics.marts -> Role transformer_prod",
                "Write SchemaContents analytics.marts -> Role transformer_prod",
                "Role Role transformer_prod -> User ana",
            ]
        );
        let ana = &found[6];
        assert_eq!(&SPEC[ana.span.clone()], "transformer_prod");
    }

    #[test]
    fn nothing_writes_a_shared_database() {
        let spec = "databases:\n  - vendor_share: {shared: yes}\nroles:\n  - transformer:\n      privileges:\n        databases: {read: [vendor_share]}\n      owns: {schemas: [vendor_share.insights]}\nusers:\n  - ana: {member_of: [transformer]}\n";
        let root = crate::yaml::parse(spec).expect("yaml");
        let writes = read_permifrost(&root)
            .into_iter()
            .filter(|s| match &s.kind {
                StatementKind::Grant(g) => g.privileges[0].access == envlint_sql::Access::Write,
                _ => false,
            })
            .count();
        assert_eq!(writes, 0);
    }

    #[test]
    fn other_yaml_is_no_spec() {
        for text in [
            "roles: [a, b]\nusers: []",
            "roles:\n  - a: {}\n",
            "version: 2\n",
        ] {
            let root = crate::yaml::parse(text).expect("yaml");
            assert!(!is_permifrost_spec(&root), "{text}");
        }
    }
}
