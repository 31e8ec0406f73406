//! The environment contract a repository states in `envlint.yml`, and the built-in presets.

mod load;
mod pattern;
mod schema;
mod suggest;

use std::collections::HashMap;

use envlint_diagnostics::{Severity, Span};

use crate::environment::Environment;

pub use load::{PRESETS, load_policy};
pub use pattern::SchemaPattern;
pub use schema::{SCHEMA_URL, json_schema};
pub use suggest::did_you_mean;

/// The effective policy: the preset chain with the repository's file applied on top.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// The profile the environments apply to; every profile when `None`.
    pub profile: Option<Named>,
    pub environments: HashMap<Environment, EnvironmentPolicy>,
    pub cleanup: HashMap<Environment, Duration>,
    /// Severity overrides by rule code; `None` turns the rule off.
    pub rules: HashMap<&'static str, RuleSetting>,
    pub warnings_as_errors: bool,
    /// `share-access: organization`: shares of prod or raw data may be open to the whole
    /// organization; by default they must be `ACCESS RESTRICTED` (ENV401).
    pub organization_shares: bool,
    /// `database-per-environment: true`: dev and CI must not write into prod's database, even
    /// in another schema (MotherDuck grants access per database; ENV106).
    pub database_per_environment: bool,
    /// Suppression comments must say why (ENV004).
    pub require_reason: bool,
    /// The repository's policy file could not be read or parsed: the run is a usage error
    /// (exit 2) whatever is selected or ignored.
    pub unusable: bool,
}

/// What the policy says about one environment.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentPolicy {
    /// Whether a profile must have a target of this environment (ENV110).
    pub required: bool,
    /// The targets that belong here; classification by name when `None`.
    pub targets: Option<Vec<Named>>,
    /// The schema every target of this environment must have (ENV104).
    pub schema: Option<SchemaPattern>,
    /// Secret names (or `*` globs) that belong to this environment.
    pub credentials: Vec<String>,
    /// Warehouse roles, users and service accounts (or `*` globs) of this environment:
    /// who writes here (ENV4xx).
    pub roles: Vec<String>,
    pub deploy_branch: Option<String>,
    /// Where this environment is declared in the policy file.
    pub span: Option<Span>,
}

/// A rule as `rules:` may name it, by code or by name. The model knows rules only by name;
/// `envlint-rules` passes its registry.
#[derive(Clone, Copy, Debug)]
pub struct RuleName {
    pub code: &'static str,
    pub name: &'static str,
}

/// Something in the policy file that is not understood (reported as ENV002).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyProblem {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// A name the policy mentions, with where it does (none for names from presets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub span: Option<Span>,
}

/// A severity override from `rules:`.
#[derive(Clone, Copy, Debug)]
pub struct RuleSetting {
    pub severity: Option<Severity>,
    pub span: Option<Span>,
}

/// A cleanup age such as `30d`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub hours: u64,
}

impl Policy {
    pub fn environment(&self, env: Environment) -> Option<&EnvironmentPolicy> {
        self.environments.get(&env)
    }

    /// The environment whose `targets:` list names this target.
    pub(crate) fn listed_environment(&self, target: &str) -> Option<Environment> {
        Environment::ALL.into_iter().find(|env| {
            self.environment(*env)
                .and_then(|p| p.targets.as_ref())
                .is_some_and(|targets| targets.iter().any(|t| t.name == target))
        })
    }

    /// The environment of a target known only by name (one CI names that no committed
    /// profile defines): listed in the policy, else what its name says. Targets of a profile
    /// are classified from all the evidence by [`crate::classify`].
    pub fn classify(&self, target: &str) -> Option<Environment> {
        self.listed_environment(target).or_else(|| {
            crate::names::environment_named(target)
                .filter(|env| self.environment(*env).is_none_or(|p| p.targets.is_none()))
        })
    }

    /// True when `name` is a secret the policy reserves for prod: a name it lists, or a
    /// name matching one of its globs (`*_PROD`) that names a credential (`TOKEN`,
    /// `PASSWORD`, `KEY`, ...), so `DATASET_PROD` is not taken for a secret.
    pub fn is_prod_credential(&self, name: &str) -> bool {
        self.environment(Environment::Prod).is_some_and(|p| {
            p.credentials.iter().any(|pattern| {
                glob_match(pattern, name) && (!pattern.contains('*') || names_a_credential(name))
            })
        })
    }

    /// The environment whose `roles:` list names this warehouse role or account.
    pub(crate) fn role_environment(&self, name: &str) -> Option<Environment> {
        Environment::ALL.into_iter().find(|env| {
            self.environment(*env).is_some_and(|p| {
                p.roles.iter().any(|pattern| {
                    glob_match(&pattern.to_ascii_lowercase(), &name.to_ascii_lowercase())
                })
            })
        })
    }

    /// The severity a rule reports with, or `None` when it is off.
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        let severity = match self.rules.get(code) {
            Some(setting) => setting.severity?,
            None => default,
        };
        Some(
            if self.warnings_as_errors && severity == Severity::Warning {
                Severity::Error
            } else {
                severity
            },
        )
    }
}

/// `MOTHERDUCK_TOKEN_PROD`, `PROD_PASSWORD`, `SNOWFLAKE_PRIVATE_KEY_PROD`.
fn names_a_credential(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "TOKEN",
        "PASSWORD",
        "PASS",
        "PWD",
        "SECRET",
        "KEY",
        "CREDENTIAL",
        "PRIVATE",
        "AUTH",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// Case-insensitive match of a name against a pattern where `*` matches any run.
pub(crate) fn glob_match(pattern: &str, name: &str) -> bool {
    let pattern = pattern.to_ascii_uppercase();
    let name = name.to_ascii_uppercase();
    let pieces: Vec<&str> = pattern.split('*').collect();
    if pieces.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    name.len() >= first.len() + last.len()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_prod_secret_names() {
        assert!(glob_match("*_PROD", "MOTHERDUCK_TOKEN_PROD"));
        assert!(glob_match("PROD_*", "prod_password"));
        assert!(glob_match("*_PROD_*", "SNOWFLAKE_PROD_PASSWORD"));
        assert!(!glob_match("*_PROD", "MOTHERDUCK_TOKEN_PRODUCT"));
        assert!(!glob_match("*_PROD_*", "_PROD"));
        assert!(glob_match("MOTHERDUCK_TOKEN_PROD", "motherduck_token_prod"));
    }
}
