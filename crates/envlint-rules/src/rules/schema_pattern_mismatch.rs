//! ENV104 schema-pattern-mismatch: a target's schema does not fit its environment's pattern.

use super::support::{describe, with_definition};
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// When the policy gives an environment a schema pattern (`dev_{user}`, `pr_{pr}`,
    /// `analytics`), flags every target of that environment whose schema does not fit it.
    /// `{user}` and `{pr}` stand for a part read from an environment variable; everything
    /// else must match literally (case-insensitively). A schema that is one `env_var()` fits
    /// when its fallback does.
    ///
    /// ## Why is this bad?
    /// Naming conventions are what cleanup jobs, grants and dashboards key on: a dev schema
    /// called `scratch_alice` escapes the nightly `dev_*` sweep, a CI schema that is not
    /// `pr_*` is never torn down.
    ///
    /// ## Example
    /// ```yaml
    /// # envlint.yml
    /// environments:
    ///   dev: {schema: "dev_{user}"}
    /// # profiles.yml
    /// dev:
    ///   schema: "scratch_{{ env_var('USER') }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   schema: "dev_{{ env_var('USER') }}"
    /// ```
    pub struct SchemaPatternMismatch;
    code = "ENV104", name = "schema-pattern-mismatch", severity = Warning,
    summary = "a target's schema does not match its environment's policy pattern",
}

impl SchemaPatternMismatch {
    fn run(&self, cx: &mut Context<'_>) {
        for env in Environment::ALL {
            let Some(pattern) = cx.policy.environment(env).and_then(|p| p.schema.as_ref()) else {
                continue;
            };
            for view in cx.profiles {
                for target in view.targets_in(env) {
                    let Some(schema) = &target.schema else {
                        continue;
                    };
                    if pattern.matches(&schema.value) {
                        continue;
                    }
                    let message = format!(
                        "{} schema `{}` does not match the policy's `{}`",
                        describe(env, target),
                        schema.value,
                        pattern.text
                    );
                    let mut diag = cx
                        .diagnostic(message, schema.text_span(), "does not fit the pattern")
                        .with_help(format!(
                            "name {env} schemas `{}`; `{{user}}`/`{{pr}}` are parts read with `env_var()`",
                            pattern.text
                        ));
                    if let Some(span) = pattern.span {
                        diag = diag.with_related(span, "pattern required here");
                    }
                    cx.report(with_definition(diag, schema));
                }
            }
        }
    }
}
