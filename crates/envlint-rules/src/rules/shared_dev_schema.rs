//! ENV102 shared-dev-schema: a dev target's schema is the same for every developer.

use envlint_parser::{Part, SymStr};

use super::schema_fix::schema_from_policy;
use super::support::{
    code_list, describe, env_names, first_env_span, schema_to_judge, varies, with_definition,
};
use crate::context::Context;
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a dev target whose schema has no per-person part: a literal schema (`dev`,
    /// `analytics`, or one person's `dev_brandon`), or an `env_var()` whose fallback is such
    /// a literal. A per-person database (read from a variable, or a template each developer
    /// fills in, such as `database: YOUR USERNAME`), or a local DuckDB file, counts as
    /// personal too; a fallback that only says "set the variable" (`xxxx`) is no schema.
    /// When the profile's default is another dev target with a per-person location, a fixed
    /// dev target beside it is a shared deployment, not where developers work: no finding.
    ///
    /// ## Why is this bad?
    /// Developers who share a schema overwrite each other's tables mid-run and test against
    /// each other's half-built models. Each developer should write only to their own
    /// `dev_<name>` schema.
    ///
    /// ## Example
    /// ```yaml
    /// dev:
    ///   type: snowflake
    ///   schema: dev_brandon
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   type: snowflake
    ///   schema: "dev_{{ env_var('USER') }}"
    /// ```
    pub struct SharedDevSchema;
    code = "ENV102", name = "shared-dev-schema", severity = Warning,
    summary = "a dev target's schema has no per-person part, so developers collide",
    fix = Unsafe,
}

impl Rule for SharedDevSchema {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for view in cx.profiles {
            let personal_default = personal_default(view);
            for target in view.targets_in(Environment::Dev) {
                // Developers run the default, a personal target: this one is a shared
                // deployment (a staging-like `dev`), not where each developer works.
                if personal_default.is_some_and(|d| d != target.name) {
                    continue;
                }
                let who = describe(Environment::Dev, target);
                let help = "make the schema personal, e.g. `schema: \"dev_{{ env_var('USER') }}\"`";
                let Some(schema) = schema_to_judge(
                    cx,
                    target,
                    per_person_database,
                    format!("{who} writes to the default schema `main` for every developer"),
                    help,
                ) else {
                    continue;
                };
                let Some(finding) = shared_value(&schema.value) else {
                    continue;
                };
                let (message, span, label) = match finding {
                    Shared::Literal(name) => (
                        format!("{who} writes to `{name}` for every developer"),
                        schema.text_span(),
                        "the same for everyone",
                    ),
                    Shared::Fallback(name, vars) => (
                        format!(
                            "{who} falls back to the shared schema `{name}` when {} is unset",
                            code_list(&vars)
                        ),
                        first_env_span(schema),
                        "fallback shared by everyone",
                    ),
                };
                let mut diag =
                    with_definition(cx.diagnostic(message, span, label).with_help(help), schema);
                if let Some(fix) = schema_from_policy(cx, Environment::Dev, schema, |slot| {
                    (slot == "user").then(|| user_variable(&schema.value))
                }) {
                    diag = diag.with_fix(fix);
                }
                cx.report(diag);
            }
        }
    }
}

/// The variable a `{user}` slot reads: the one the value already reads when its name says
/// user (`DBT_USER`), else `USER`, which every developer's shell sets.
fn user_variable(value: &SymStr) -> String {
    env_names(value)
        .into_iter()
        .find(|name| name.to_ascii_uppercase().contains("USER"))
        .unwrap_or_else(|| "USER".to_owned())
}

pub(crate) enum Shared {
    Literal(String),
    Fallback(String, Vec<String>),
}

/// The shared value a schema resolves to for everyone, if any.
pub(crate) fn shared_value(value: &SymStr) -> Option<Shared> {
    if let Some(literal) = value.as_literal() {
        return Some(Shared::Literal(literal));
    }
    if value.parts.iter().any(|p| matches!(p, Part::Opaque { .. })) {
        return None;
    }
    // `{{ env_var('DBT_SCHEMA', 'xxxx') }}`: a sentinel that must be overridden, not a schema.
    value
        .when_unset()
        .filter(|fallback| !is_sentinel(fallback))
        .map(|fallback| Shared::Fallback(fallback, env_names(value)))
}

/// `xxxx`, `<your_schema>`, `CHANGE_ME`: a fallback that only says "set the variable".
fn is_sentinel(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower
        .chars()
        .all(|c| matches!(c, 'x' | '*' | '#' | '?' | '_' | '-' | '.'))
        || (lower.starts_with('<') && lower.ends_with('>'))
        || [
            "your",
            "change_me",
            "changeme",
            "placeholder",
            "not_set",
            "unset",
        ]
        .iter()
        .any(|word| lower.contains(word))
}

/// A database each developer has their own of: one read from a variable without a default,
/// or a template each developer fills in (`database: YOUR USERNAME`, `<your_name>_DEV`).
fn per_person_database(value: &SymStr) -> bool {
    varies(value)
        || value.as_literal().is_some_and(|text| {
            let lower = text.to_ascii_lowercase();
            (lower.contains('<') && lower.contains('>'))
                || [
                    "your",
                    "username",
                    "user_name",
                    "first_name",
                    "firstname",
                    "initials",
                ]
                .iter()
                .any(|word| lower.contains(word))
        })
}

/// The profile's default target (written out, or an `env_var()` fallback) when it is a dev
/// target whose schema reads a variable (`SANDBOX_SCHEMA_NAME`) or whose database is per
/// person.
fn personal_default<'v>(view: &'v crate::context::ProfileView<'_>) -> Option<&'v str> {
    let field = view.profile.default_target.as_ref()?;
    let name = field
        .value
        .as_literal()
        .or_else(|| field.value.when_unset())?;
    let target = view.targets_in(Environment::Dev).find(|t| t.name == name)?;
    let reads_variable = |f: &Option<envlint_parser::Field>| {
        f.as_ref().is_some_and(|f| !f.value.env_refs().is_empty())
    };
    let personal = reads_variable(&target.schema)
        || target
            .database
            .as_ref()
            .is_some_and(|d| per_person_database(&d.value));
    personal.then_some(target.name.as_str())
}
