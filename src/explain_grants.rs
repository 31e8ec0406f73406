//! `dbt-envlint explain --grants`: who can write where, per environment, and every share.

use serde::Serialize;

use envlint_diagnostics::{FileId, SourceDb};
use envlint_model::environment::Environment;
use envlint_model::grants::{AccessMap, Holder, ShareEntry, WriteEntry};

use crate::explain::{pretty_json, table};

/// `warehouse/grants.sql:3:60`.
fn place(db: &SourceDb, file: FileId, offset: usize) -> String {
    let source = db.get(file);
    let at = source.lines.position(&source.text, offset);
    format!("{}:{}:{}", db.path(file).display(), at.line, at.column)
}

pub(crate) fn holder_label(holder: Holder) -> &'static str {
    match holder {
        Holder::Human => "person/dev",
        Holder::Ci => "ci",
        Holder::Prod => "prod",
        Holder::Service => "service",
        Holder::Unknown => "-",
    }
}

fn grantee_label(entry: &WriteEntry) -> String {
    match &entry.via {
        Some(role) => format!("{} (via {role})", entry.grantee),
        None => entry.grantee.clone(),
    }
}

pub(crate) fn human(db: &SourceDb, map: &AccessMap) -> String {
    if map.writes.is_empty() && map.shares.is_empty() {
        return "No write grants or shares found.\n".to_owned();
    }
    let mut out =
        String::from("Who can write where (write privileges only; reads are not listed):\n");
    let sections: [(Option<Environment>, &str); 4] = [
        (Some(Environment::Prod), "prod"),
        (Some(Environment::Ci), "ci"),
        (Some(Environment::Dev), "dev"),
        (None, "location not known from the names"),
    ];
    for (environment, title) in sections {
        let entries: Vec<&WriteEntry> = map
            .writes
            .iter()
            .filter(|e| e.environment == environment)
            .collect();
        if entries.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}\n"));
        let mut rows = vec![
            ["grantee", "holder", "privileges", "on", "where"]
                .map(str::to_owned)
                .to_vec(),
        ];
        rows.extend(entries.iter().map(|e| {
            vec![
                grantee_label(e),
                holder_label(e.holder).to_owned(),
                e.privileges.join(", "),
                e.object.clone(),
                place(db, e.file, e.offset),
            ]
        }));
        out.push_str(&table(&rows));
    }
    if !map.shares.is_empty() {
        out.push_str("\nshares\n");
        let mut rows = vec![
            [
                "share",
                "of",
                "access",
                "visibility",
                "update",
                "readers",
                "where",
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        rows.extend(map.shares.iter().map(|s| {
            let mut row = vec![s.name.clone(), s.database.clone()];
            row.extend(s.options.iter().map(|(_, value)| value.clone()));
            row.push(if s.readers.is_empty() {
                "-".to_owned()
            } else {
                s.readers.join(", ")
            });
            row.push(place(db, s.file, s.offset));
            row
        }));
        out.push_str(&table(&rows));
    }
    out
}

#[derive(Serialize)]
struct JsonGrants<'a> {
    version: u32,
    writes: Vec<JsonWrite<'a>>,
    shares: Vec<JsonShare<'a>>,
}

#[derive(Serialize)]
struct JsonWrite<'a> {
    grantee: &'a str,
    via: Option<&'a str>,
    holder: &'static str,
    privileges: &'a [String],
    object: &'a str,
    environment: Option<&'static str>,
    location: String,
}

#[derive(Serialize)]
struct JsonShare<'a> {
    name: &'a str,
    database: &'a str,
    access: &'a str,
    visibility: &'a str,
    update: &'a str,
    readers: &'a [String],
    location: String,
}

fn option<'a>(share: &'a ShareEntry, key: &str) -> &'a str {
    share
        .options
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

pub(crate) fn json(db: &SourceDb, map: &AccessMap) -> String {
    let report = JsonGrants {
        version: 1,
        writes: map
            .writes
            .iter()
            .map(|e| JsonWrite {
                grantee: &e.grantee,
                via: e.via.as_deref(),
                holder: match e.holder {
                    Holder::Human => "person",
                    Holder::Ci => "ci",
                    Holder::Prod => "prod",
                    Holder::Service => "service",
                    Holder::Unknown => "unknown",
                },
                privileges: &e.privileges,
                object: &e.object,
                environment: e.environment.map(Environment::as_str),
                location: place(db, e.file, e.offset),
            })
            .collect(),
        shares: map
            .shares
            .iter()
            .map(|s| JsonShare {
                name: &s.name,
                database: &s.database,
                access: option(s, "ACCESS"),
                visibility: option(s, "VISIBILITY"),
                update: option(s, "UPDATE"),
                readers: &s.readers,
                location: place(db, s.file, s.offset),
            })
            .collect(),
    };
    pretty_json(&report)
}
