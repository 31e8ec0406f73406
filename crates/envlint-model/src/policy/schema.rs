//! The JSON schema of `envlint.yml`, built from the loader's own key tables, presets,
//! placeholders and rule registry, so editors and the loader cannot disagree.

use serde_json::{Map, Value, json};

use super::RuleName;
use super::load::{CLEANUP_ENVIRONMENTS, ENVIRONMENT_KEYS, PRESETS, SEVERITIES, TOP_KEYS};
use super::pattern::PLACEHOLDERS;
use crate::environment::Environment;

/// Where the schema is published (`docs/envlint.schema.json` on the main branch).
pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/dbt-envlint/dbt-envlint/main/docs/envlint.schema.json";

/// The JSON schema (draft-07, what YAML language servers read) of a policy file whose
/// `rules:` may name `rules`.
pub fn json_schema(rules: &[RuleName]) -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_URL,
        "title": "dbt-envlint policy (envlint.yml)",
        "description": "The environment contract of a dbt repository: which targets are dev, CI \
            and prod, their schemas and credentials, cleanup ages and rule severities.",
        "type": ["object", "null"],
        "properties": properties(TOP_KEYS, |key| top_key(key, rules)),
        "additionalProperties": false,
        "definitions": {
            "name": {
                "description": "A name (YAML may read digits as a number).",
                "type": ["string", "number"]
            },
            "names": {
                "anyOf": [
                    {"$ref": "#/definitions/name"},
                    {"type": "array", "items": {"$ref": "#/definitions/name"}}
                ]
            },
            "environment": {
                "type": ["object", "null"],
                "properties": properties(ENVIRONMENT_KEYS, environment_key),
                "additionalProperties": false
            },
            "age": {
                "description": "An age in hours, days or weeks: `12h`, `30d`, `2w`.",
                "type": "string",
                "pattern": r"^\s*[0-9]+[hdw]\s*$"
            }
        }
    })
}

/// `{key: schema}` for every key of a table, in the table's order.
fn properties(keys: &[&str], schema: impl Fn(&str) -> Value) -> Map<String, Value> {
    keys.iter()
        .map(|key| ((*key).to_owned(), schema(key)))
        .collect()
}

/// One top-level key; an empty schema (`{}`) for a key the table has but this does not
/// describe, which the meta test rejects.
fn top_key(key: &str, rules: &[RuleName]) -> Value {
    match key {
        "extends" => json!({
            "description": "The built-in preset this policy starts from.",
            "enum": PRESETS.iter().map(|(name, _)| *name).collect::<Vec<_>>()
        }),
        "profile" => reference(
            "Check only this profile (default: every profile).",
            "#/definitions/name",
        ),
        "environments" => by_environment(
            "Settings per environment; naming one requires the profile to have it.",
            &Environment::ALL,
            "#/definitions/environment",
        ),
        "cleanup" => by_environment(
            "How old a schema may get before the scheduled cleanup must drop it.",
            &CLEANUP_ENVIRONMENTS,
            "#/definitions/age",
        ),
        "rules" => json!({
            "description": "Severity overrides, by rule code or name.",
            "type": ["object", "null"],
            "propertyNames": {"enum": rules.iter().flat_map(|rule| [rule.code, rule.name]).collect::<Vec<_>>()},
            "additionalProperties": {
                "description": "`off` turns the rule off (YAML 1.1 readers see a bare `off` as false).",
                "enum": SEVERITIES
                    .iter()
                    .map(|s| json!(s))
                    .chain([json!(false)])
                    .collect::<Vec<_>>()
            }
        }),
        "warnings-as-errors" => json!({
            "description": "Report every warning as an error.",
            "type": "boolean"
        }),
        "require-reason" => json!({
            "description": "Every suppression comment must give a reason after its codes (ENV004).",
            "type": "boolean"
        }),
        "sql-files" => json!({
            "description": "Globs, relative to this file, of SQL files inside the dbt paths \
                (`analyses/grants/*.sql`) to read for grants and shares like the setup \
                scripts outside them.",
            "type": "array",
            "items": {"type": "string"}
        }),
        "permission-files" => json!({
            "description": "Globs, relative to this file, of permifrost specs named otherwise \
                than `roles.yml` or `*permifrost*.yml` (`snowflake/permissions.yml`), read \
                for grants like the ones found by name.",
            "type": "array",
            "items": {"type": "string"}
        }),
        "database-per-environment" => json!({
            "description": "Dev and CI targets must not write into prod's database, even in \
                another schema (ENV106): MotherDuck grants access per database. On in the \
                `motherduck` preset.",
            "type": "boolean"
        }),
        "share-access" => json!({
            "description": "What a share of prod or raw data may be (ENV401): `restricted` \
                (default) requires `ACCESS RESTRICTED`; `organization` also accepts \
                `ACCESS ORGANIZATION`.",
            "enum": ["restricted", "organization"]
        }),
        _ => json!({}),
    }
}

/// One key of an environment's settings; `{}` for one it does not describe.
fn environment_key(key: &str) -> Value {
    match key {
        "required" => json!({
            "description": "Whether every profile must have a target of this environment.",
            "type": "boolean"
        }),
        "targets" => reference(
            "The targets that belong here (default: sorted by name).",
            "#/definitions/names",
        ),
        "schema" => json!({
            "description": format!(
                "The schema every target here must have: literal text with {} slots.",
                PLACEHOLDERS.iter().map(|p| format!("`{{{p}}}`")).collect::<Vec<_>>().join(", ")
            ),
            "type": "string",
            "pattern": format!(r"^([^{{]|\{{({})\}})*$", PLACEHOLDERS.join("|"))
        }),
        "credentials" => reference(
            "Secret names (or `*` globs) that belong to this environment.",
            "#/definitions/names",
        ),
        "roles" => reference(
            "Warehouse roles, users and service accounts (or `*` globs) of this environment: \
             who may write here (ENV402/ENV404).",
            "#/definitions/names",
        ),
        "deploy-branch" => reference("The branch whose pushes deploy prod.", "#/definitions/name"),
        _ => json!({}),
    }
}

/// A mapping from these environments' names to values of one definition.
fn by_environment(description: &str, environments: &[Environment], definition: &str) -> Value {
    let properties: Map<String, Value> = environments
        .iter()
        .map(|env| (env.as_str().to_owned(), json!({"$ref": definition})))
        .collect();
    json!({
        "description": description,
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false
    })
}

/// A described reference: in draft-07 a `$ref`'s siblings are ignored, so the reference
/// goes inside `allOf`.
fn reference(description: &str, target: &str) -> Value {
    json!({"description": description, "allOf": [{"$ref": target}]})
}
