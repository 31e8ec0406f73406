//! What is declared as code outside dbt and CI: permissions (Terraform's Snowflake and
//! Google providers, permifrost `roles.yml`), read into the same permission statements as
//! SQL, and jobs that run dbt (dbt Cloud jobs in Terraform, Databricks Asset Bundles), read
//! into CI-like jobs; all with spans into their own files.

mod bundle;
mod dbt_cloud;
mod hcl_values;
mod permifrost;
mod terraform;

use std::ops::Range;

use envlint_sql::{
    Grant, Grantee, GranteeKind, Name, NamePart, Object, ObjectKind, Privilege, Statement,
    StatementKind,
};

pub use bundle::{BundleFiles, read_bundle};
pub use permifrost::{is_permifrost_spec, read_permifrost};
pub use terraform::{TerraformError, TerraformFile, read_terraform};

/// A name as code writes it (`ANALYTICS.MARTS`, `"ANALYTICS"."MARTS"`), split on dots with
/// identifier quotes removed, spanning `span`.
fn name(text: &str, span: Range<usize>) -> Name {
    Name {
        span,
        parts: text
            .split('.')
            .map(|part| NamePart::Literal(part.trim().trim_matches('"').to_owned()))
            .collect(),
    }
}

/// One privilege as written, with its access.
fn privilege(text: &str, span: Range<usize>) -> Privilege {
    let key = if text.starts_with("roles/") {
        text.to_owned()
    } else {
        text.to_ascii_uppercase().replace('_', " ")
    };
    Privilege {
        access: envlint_sql::access_of(&key),
        text: key,
        span,
    }
}

/// Membership of a role.
fn role_privilege(span: Range<usize>) -> Privilege {
    Privilege {
        text: "ROLE".to_owned(),
        access: envlint_sql::Access::Role,
        span,
    }
}

fn grantee(kind: GranteeKind, who: &str, span: Range<usize>) -> Grantee {
    Grantee {
        kind,
        name: name(who, span),
    }
}

/// A grant statement spanning `span`.
fn grant(
    span: Range<usize>,
    privileges: Vec<Privilege>,
    object: (ObjectKind, Name),
    grantees: Vec<Grantee>,
) -> Statement {
    Statement {
        span,
        conditional: false,
        kind: StatementKind::Grant(Grant {
            revoke: false,
            default_privileges: false,
            privileges,
            object: Object {
                kind: object.0,
                names: vec![object.1],
            },
            grantees,
        }),
    }
}
