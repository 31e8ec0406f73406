//! Terraform configurations read for the grants they declare (the Snowflake provider's
//! grant resources, current and legacy, and Google's BigQuery dataset and project IAM
//! members) and the dbt Cloud jobs they define. A resource whose names are not written
//! literally (or as a literal default, local or attribute) is unknown: it comes back
//! unrecognised, never guessed.

use std::ops::Range;

use envlint_sql::{GranteeKind, Name, ObjectKind, Privilege, Statement, StatementKind};
use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::dbt_cloud::dbt_cloud_jobs;
use super::hcl_values::{Scope, labels, span};
use super::{grant, grantee, name, privilege, role_privilege};
use crate::ci::CiFile;

/// Deeper nesting than this is not parsed (the parser recurses once per level).
const MAX_NESTING: usize = 64;

/// A file that could not be read: where, and why.
#[derive(Debug)]
pub struct TerraformError {
    pub at: usize,
    pub message: String,
}

/// What one Terraform file declares.
#[derive(Debug)]
pub struct TerraformFile {
    pub grants: Vec<Statement>,
    /// Its dbt Cloud jobs, when it has any.
    pub dbt_cloud: Option<CiFile>,
}

/// What the `.tf` files of one folder declare (a Terraform module: variables and locals of
/// every file apply to all of them), in the order given; or each unreadable file's error.
pub fn read_terraform(
    files: &[(envlint_diagnostics::FileId, &str)],
) -> Vec<Result<TerraformFile, TerraformError>> {
    let parsed: Vec<Result<Body, TerraformError>> =
        files.iter().map(|(_, text)| parse(text)).collect();
    let bodies: Vec<&Body> = parsed.iter().filter_map(|p| p.as_ref().ok()).collect();
    let scope = Scope::new(&bodies);
    parsed
        .iter()
        .zip(files)
        .map(|(body, (file, _))| {
            let body = body.as_ref().map_err(clone_error)?;
            Ok(TerraformFile {
                grants: grants(&scope, body),
                dbt_cloud: dbt_cloud_jobs(&scope, *file, body),
            })
        })
        .collect()
}

fn clone_error(error: &TerraformError) -> TerraformError {
    TerraformError {
        at: error.at,
        message: error.message.clone(),
    }
}

fn parse(text: &str) -> Result<Body, TerraformError> {
    if let Some(at) = too_deep(text) {
        return Err(TerraformError {
            at,
            message: format!("nested deeper than {MAX_NESTING} levels: not read"),
        });
    }
    hcl_edit::parser::parse_body(text).map_err(|e| TerraformError {
        at: e.location().offset().min(text.len()),
        message: e.message().to_owned(),
    })
}

/// Where brackets first nest deeper than [`MAX_NESTING`] (strings counted too: a bound, not
/// a reading).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(at);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

type Reader = fn(&Scope<'_>, &Body, &Range<usize>) -> Option<Vec<Statement>>;

/// The resources read, by type.
const READERS: &[(&str, Reader)] = &[
    (
        "snowflake_grant_privileges_to_account_role",
        privileges_to_role,
    ),
    ("snowflake_grant_privileges_to_role", privileges_to_role),
    ("snowflake_grant_ownership", ownership),
    ("snowflake_grant_account_role", account_role),
    ("snowflake_database_grant", legacy_database_grant),
    ("snowflake_schema_grant", legacy_schema_grant),
    ("snowflake_table_grant", legacy_table_grant),
    ("snowflake_view_grant", legacy_table_grant),
    ("snowflake_role_grants", legacy_role_grants),
    ("google_bigquery_dataset_iam_member", dataset_iam),
    ("google_bigquery_dataset_iam_binding", dataset_iam),
    ("google_project_iam_member", project_iam),
    ("google_project_iam_binding", project_iam),
];

fn grants(scope: &Scope<'_>, body: &Body) -> Vec<Statement> {
    let mut found = Vec::new();
    for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
        let Some(kind) = labels(block).into_iter().next() else {
            continue;
        };
        let Some((_, read)) = READERS.iter().find(|(name, _)| *name == kind) else {
            continue;
        };
        let at = block.span().unwrap_or(0..0);
        match read(scope, &block.body, &at) {
            Some(statements) => found.extend(statements),
            None => found.push(Statement {
                span: first_unknown(scope, &block.body).unwrap_or(at),
                conditional: false,
                kind: StatementKind::Unrecognised { keyword: kind },
            }),
        }
    }
    found
}

/// Terraform's own arguments of every resource: not what the resource grants.
const META_ARGUMENTS: [&str; 5] = ["provider", "depends_on", "count", "for_each", "lifecycle"];

/// The first value in a resource (nested blocks included) that is not known: where to
/// point when the resource cannot be read.
fn first_unknown(scope: &Scope<'_>, body: &Body) -> Option<Range<usize>> {
    let unknown = body
        .attributes()
        .filter(|a| !META_ARGUMENTS.contains(&a.key.as_str()))
        .map(|a| &a.value)
        .find(|value| !scope.is_known(value))
        .map(span);
    unknown.or_else(|| body.blocks().find_map(|b| first_unknown(scope, &b.body)))
}

/// A string attribute's value and span.
fn text(scope: &Scope<'_>, body: &Body, key: &str) -> Option<(String, Range<usize>)> {
    let value = &body.get_attribute(key)?.value;
    Some((scope.string(value)?, span(value)))
}

/// The first nested block named `ident`.
fn nested<'b>(body: &'b Body, ident: &'b str) -> Option<&'b Block> {
    body.get_blocks(ident).next()
}

fn attribute<'b>(body: &'b Body, key: &str) -> Option<&'b Expression> {
    body.get_attribute(key).map(|a| &a.value)
}

/// `privileges = [...]`, or `all_privileges = true` as `ALL`.
fn privilege_list(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Privilege>> {
    if let Some(list) = attribute(body, "privileges") {
        let privileges = scope.strings(list)?;
        return Some(
            privileges
                .iter()
                .map(|(p, s)| privilege(p, s.clone()))
                .collect(),
        );
    }
    let all = attribute(body, "all_privileges").filter(|v| scope.is_true(v))?;
    Some(vec![privilege(
        "ALL",
        all.span().unwrap_or_else(|| at.clone()),
    )])
}

fn privileges_to_role(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    // `role_name` in the provider's older `snowflake_grant_privileges_to_role`.
    let (role, role_span) =
        text(scope, body, "account_role_name").or_else(|| text(scope, body, "role_name"))?;
    let privileges = privilege_list(scope, body, at)?;
    let object = if let Some(on) = nested(body, "on_schema") {
        schema_target(scope, &on.body)?
    } else if let Some(on) = nested(body, "on_schema_object") {
        schema_object(scope, &on.body)?
    } else if let Some(on) = nested(body, "on_account_object") {
        let (kind, _) = text(scope, &on.body, "object_type")?;
        let (object, span) = text(scope, &on.body, "object_name")?;
        (object_kind(&kind), name(&object, span))
    } else {
        (ObjectKind::Other, name("ACCOUNT", at.clone()))
    };
    let to = grantee(GranteeKind::Role, &role, role_span);
    Some(vec![grant(at.clone(), privileges, object, vec![to])])
}

/// `on_schema { schema_name | all_schemas_in_database | future_schemas_in_database }`.
fn schema_target(scope: &Scope<'_>, on: &Body) -> Option<(ObjectKind, Name)> {
    if let Some((schema, span)) = text(scope, on, "schema_name") {
        return Some((ObjectKind::Schema, name(&schema, span)));
    }
    ["all_schemas_in_database", "future_schemas_in_database"]
        .iter()
        .find_map(|key| text(scope, on, key))
        .map(|(db, span)| (ObjectKind::DatabaseContents, name(&db, span)))
}

/// `object_type` + `object_name`, or an `all {}` / `future {}` block `in_schema` or
/// `in_database`.
fn schema_object(scope: &Scope<'_>, on: &Body) -> Option<(ObjectKind, Name)> {
    if let Some((object, span)) = text(scope, on, "object_name") {
        let kind =
            text(scope, on, "object_type").map_or(ObjectKind::Table, |(k, _)| object_kind(&k));
        return Some((kind, name(&object, span)));
    }
    let every = nested(on, "all").or_else(|| nested(on, "future"))?;
    if let Some((schema, span)) = text(scope, &every.body, "in_schema") {
        return Some((ObjectKind::SchemaContents, name(&schema, span)));
    }
    let (db, span) = text(scope, &every.body, "in_database")?;
    Some((ObjectKind::DatabaseContents, name(&db, span)))
}

fn object_kind(object_type: &str) -> ObjectKind {
    match object_type.to_ascii_uppercase().as_str() {
        "DATABASE" => ObjectKind::Database,
        "SCHEMA" => ObjectKind::Schema,
        "TABLE" | "VIEW" | "MATERIALIZED VIEW" | "DYNAMIC TABLE" => ObjectKind::Table,
        _ => ObjectKind::Other,
    }
}

fn ownership(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    let (role, role_span) = text(scope, body, "account_role_name")?;
    let on = nested(body, "on")?;
    let object = schema_object(scope, &on.body)?;
    let owns = privilege("OWNERSHIP", at.clone());
    let to = grantee(GranteeKind::Role, &role, role_span);
    Some(vec![grant(at.clone(), vec![owns], object, vec![to])])
}

fn account_role(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    let (role, role_span) = text(scope, body, "role_name")?;
    let to = if let Some((user, span)) = text(scope, body, "user_name") {
        grantee(GranteeKind::User, &user, span)
    } else {
        let (parent, span) = text(scope, body, "parent_role_name")?;
        grantee(GranteeKind::Role, &parent, span)
    };
    let object = (ObjectKind::Role, name(&role, role_span.clone()));
    Some(vec![grant(
        at.clone(),
        vec![role_privilege(role_span)],
        object,
        vec![to],
    )])
}

/// The grantees of a legacy resource: `roles = [...]` (and `shares`, ignored).
fn legacy_roles(scope: &Scope<'_>, body: &Body) -> Option<Vec<envlint_sql::Grantee>> {
    let Some(roles) = attribute(body, "roles") else {
        return Some(Vec::new());
    };
    Some(
        scope
            .strings(roles)?
            .into_iter()
            .map(|(role, span)| grantee(GranteeKind::Role, &role, span))
            .collect(),
    )
}

/// `privilege = "..."` of a legacy resource, with the provider's default.
fn legacy_privilege(
    scope: &Scope<'_>,
    body: &Body,
    default: &str,
    at: &Range<usize>,
) -> Option<Privilege> {
    match attribute(body, "privilege") {
        Some(value) => Some(privilege(&scope.string(value)?, span(value))),
        None => Some(privilege(default, at.clone())),
    }
}

fn legacy_database_grant(
    scope: &Scope<'_>,
    body: &Body,
    at: &Range<usize>,
) -> Option<Vec<Statement>> {
    let (db, span) = text(scope, body, "database_name")?;
    let privilege = legacy_privilege(scope, body, "USAGE", at)?;
    let roles = legacy_roles(scope, body)?;
    let object = (ObjectKind::Database, name(&db, span));
    Some(vec![grant(at.clone(), vec![privilege], object, roles)])
}

fn legacy_schema_grant(
    scope: &Scope<'_>,
    body: &Body,
    at: &Range<usize>,
) -> Option<Vec<Statement>> {
    let (db, db_span) = text(scope, body, "database_name")?;
    let privilege = legacy_privilege(scope, body, "USAGE", at)?;
    let roles = legacy_roles(scope, body)?;
    let object = match text(scope, body, "schema_name") {
        Some((schema, span)) => (ObjectKind::Schema, name(&format!("{db}.{schema}"), span)),
        None => (ObjectKind::DatabaseContents, name(&db, db_span)),
    };
    Some(vec![grant(at.clone(), vec![privilege], object, roles)])
}

fn legacy_table_grant(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    let (db, db_span) = text(scope, body, "database_name")?;
    let privilege = legacy_privilege(scope, body, "SELECT", at)?;
    let roles = legacy_roles(scope, body)?;
    let table = text(scope, body, "table_name").or_else(|| text(scope, body, "view_name"));
    let object = match (text(scope, body, "schema_name"), table) {
        (Some((schema, _)), Some((table, span))) => (
            ObjectKind::Table,
            name(&format!("{db}.{schema}.{table}"), span),
        ),
        (Some((schema, span)), None) => (
            ObjectKind::SchemaContents,
            name(&format!("{db}.{schema}"), span),
        ),
        (None, _) => (ObjectKind::DatabaseContents, name(&db, db_span)),
    };
    Some(vec![grant(at.clone(), vec![privilege], object, roles)])
}

fn legacy_role_grants(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    let (role, role_span) = text(scope, body, "role_name")?;
    let mut to = legacy_roles(scope, body)?;
    if let Some(users) = attribute(body, "users") {
        let users = scope.strings(users)?;
        to.extend(
            users
                .into_iter()
                .map(|(u, s)| grantee(GranteeKind::User, &u, s)),
        );
    }
    let object = (ObjectKind::Role, name(&role, role_span.clone()));
    Some(vec![grant(
        at.clone(),
        vec![role_privilege(role_span)],
        object,
        to,
    )])
}

/// `member = "user:ana@x.com"` or `members = [...]`.
fn members(scope: &Scope<'_>, body: &Body) -> Option<Vec<envlint_sql::Grantee>> {
    let list = attribute(body, "members").or_else(|| attribute(body, "member"))?;
    Some(
        scope
            .strings(list)?
            .into_iter()
            .map(|(member, span)| {
                let (kind, who) = envlint_sql::member_kind(&member);
                grantee(kind, who, span)
            })
            .collect(),
    )
}

fn dataset_iam(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    let (dataset, span) = text(scope, body, "dataset_id")?;
    iam(scope, body, at, (ObjectKind::Schema, name(&dataset, span)))
}

fn project_iam(scope: &Scope<'_>, body: &Body, at: &Range<usize>) -> Option<Vec<Statement>> {
    let (project, span) = text(scope, body, "project")?;
    iam(
        scope,
        body,
        at,
        (ObjectKind::Database, name(&project, span)),
    )
}

fn iam(
    scope: &Scope<'_>,
    body: &Body,
    at: &Range<usize>,
    object: (ObjectKind, Name),
) -> Option<Vec<Statement>> {
    let (role, role_span) = text(scope, body, "role")?;
    let to = members(scope, body)?;
    Some(vec![grant(
        at.clone(),
        vec![privilege(&role, role_span)],
        object,
        to,
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use envlint_diagnostics::FileId;

    fn summary(texts: &[&str]) -> Vec<String> {
        let files: Vec<_> = texts.iter().map(|t| (FileId(0), *t)).collect();
        read_terraform(&files)
            .into_iter()
            .flat_map(|file| file.expect("readable").grants)
            .map(|s| match &s.kind {
                StatementKind::Grant(g) => format!(
                    "{} {:?} {} -> {}",
                    g.privileges
                        .iter()
                        .map(|p| p.text.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    g.object.kind,
                    g.object.names[0].display(),
                    g.grantees
                        .iter()
                        .map(|t| format!("{:?} {}", t.kind, t.name.display()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                StatementKind::Unrecognised { keyword } => format!("unknown {keyword}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn snowflake_grants_with_variables_and_locals_across_files() {
        let variables = "variable \"prod_db\" {\n  default = \"ANALYTICS\"\n}\nlocals {\n  marts = \"${var.prod_db}.MARTS\"\n}\n";
        let grants = r#"
resource "snowflake_grant_privileges_to_account_role" "dev_marts" {
  account_role_name = "DEVELOPER"
  privileges        = ["CREATE TABLE", "USAGE"]
  on_schema {
    schema_name = local.marts
  }
}
resource "snowflake_grant_privileges_to_account_role" "future" {
  account_role_name = "REPORTER"
  privileges        = ["SELECT"]
  on_schema_object {
    future {
      object_type_plural = "TABLES"
      in_schema          = "\"ANALYTICS\".\"MARTS\""
    }
  }
}
resource "snowflake_grant_account_role" "ana" {
  role_name = "TRANSFORMER_PROD"
  user_name = "ANA"
}
resource "snowflake_grant_privileges_to_account_role" "unknown" {
  account_role_name = var.role_from_workspace
  all_privileges    = true
  on_account_object {
    object_type = "DATABASE"
    object_name = "ANALYTICS"
  }
}
"#;
        assert_eq!(
            summary(&[variables, grants]),
            [
                "CREATE TABLE,USAGE Schema ANALYTICS.MARTS -> Role DEVELOPER",
                "SELECT SchemaContents ANALYTICS.MARTS -> Role REPORTER",
                "ROLE Role TRANSFORMER_PROD -> User ANA",
                "unknown snowflake_grant_privileges_to_account_role",
            ]
        );
    }

    #[test]
    fn legacy_snowflake_and_bigquery_iam() {
        let text = r#"
resource "google_bigquery_dataset" "marts" {
  dataset_id = "marts"
}
resource "snowflake_schema_grant" "w" {
  database_name = "ANALYTICS"
  schema_name   = "MARTS"
  privilege     = "CREATE TABLE"
  roles         = ["ANALYST"]
}
resource "snowflake_role_grants" "r" {
  role_name = "TRANSFORMER_PROD"
  users     = ["ANA"]
}
resource "google_bigquery_dataset_iam_member" "e" {
  dataset_id = google_bigquery_dataset.marts.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "group:analysts@example.com"
}
"#;
        assert_eq!(
            summary(&[text]),
            [
                "CREATE TABLE Schema ANALYTICS.MARTS -> Role ANALYST",
                "ROLE Role TRANSFORMER_PROD -> User ANA",
                "roles/bigquery.dataEditor Schema marts -> Group analysts@example.com",
            ]
        );
    }

    #[test]
    fn spans_point_into_the_file() {
        let text = "resource \"snowflake_grant_account_role\" \"a\" {\n  role_name = \"PROD_WRITER\"\n  user_name = \"ANA\"\n}\n";
        let statements = read_terraform(&[(FileId(0), text)])
            .remove(0)
            .expect("readable")
            .grants;
        let StatementKind::Grant(g) = &statements[0].kind else {
            panic!("a grant");
        };
        assert_eq!(&text[g.grantees[0].name.span.clone()], "\"ANA\"");
        assert_eq!(&text[g.object.names[0].span.clone()], "\"PROD_WRITER\"");
        assert!(text[statements[0].span.clone()].starts_with("resource"));
    }

    #[test]
    fn broken_or_deeply_nested_files_are_errors_not_panics() {
        let deep = format!(
            "locals {{\n  x = {}1{}\n}}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        for text in [
            "resource \"x\" {",
            deep.as_str(),
            "a = \"\u{1F600}",
            "\u{feff}",
        ] {
            for result in read_terraform(&[(FileId(0), text)]) {
                if let Err(error) = result {
                    assert!(error.at <= text.len());
                }
            }
        }
        assert!(read_terraform(&[(FileId(0), deep.as_str())])[0].is_err());
    }
}
