//! Looking rules up: every rule in code order (declared once, in `rules!` of `rules/mod.rs`),
//! by code or name, and the nearest one to a misspelt name.

use envlint_model::policy::{RuleName, did_you_mean};

use crate::meta::RuleMeta;
use crate::rule::Rule;
use crate::rules;

pub fn all() -> &'static [&'static dyn Rule] {
    rules::ALL
}

/// A rule by code (`ENV101`, any case) or name (`default-target-prod`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    rules::ALL
        .iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

/// The rule code or name closest to a misspelt one, for "did you mean".
pub fn suggest(misspelt: &str) -> Option<&'static str> {
    let names = rules::ALL
        .iter()
        .flat_map(|r| [r.meta().code, r.meta().name]);
    did_you_mean(misspelt, names)
}

/// Every rule's code and name, for the policy loader and its JSON schema.
pub fn names() -> Vec<RuleName> {
    rules::ALL
        .iter()
        .map(|r| RuleName {
            code: r.meta().code,
            name: r.meta().name,
        })
        .collect()
}
