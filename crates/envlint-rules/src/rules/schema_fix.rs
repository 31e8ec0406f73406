//! The fix ENV102 and ENV103 share: write the policy's schema pattern for the environment,
//! each slot read from a variable known to carry it.

use envlint_diagnostics::{Applicability, Fix};
use envlint_parser::Field;

use super::edits::replace_value;
use crate::context::Context;
use envlint_model::environment::Environment;

/// Replaces `schema` with the policy's pattern for `env` (unsafe: every run then writes
/// somewhere else). `None` without a pattern, or when a slot's variable is unknown.
pub(crate) fn schema_from_policy(
    cx: &Context<'_>,
    env: Environment,
    schema: &Field,
    variable: impl Fn(&str) -> Option<String>,
) -> Option<Fix> {
    let pattern = cx.policy.environment(env)?.schema.as_ref()?;
    let value = pattern.render(variable)?;
    let edit = replace_value(schema, &value)?;
    let message = format!("use the policy's {env} schema pattern `{}`", pattern.text);
    Some(Fix::new(message, Applicability::Unsafe, vec![edit]))
}
