//! Who holds a grant: a person or developer workload, CI, prod, or other automation.

use envlint_sql::{Grantee, GranteeKind};

use crate::environment::Environment;
use crate::policy::Policy;

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
    match holder_by_name(policy, grantee) {
        Holder::Unknown if matches!(grantee.kind, GranteeKind::User | GranteeKind::Group) => {
            Holder::Human
        }
        named => named,
    }
}

/// Who holds a grant by the policy and the grantee's name alone: a user or group whose name
/// says nothing is [`Holder::Unknown`] (a loader's user, `stitch`, is a user too).
pub fn holder_by_name(policy: &Policy, grantee: &Grantee) -> Holder {
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
