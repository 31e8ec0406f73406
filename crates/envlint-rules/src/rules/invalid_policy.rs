//! ENV002 invalid-policy: something in `envlint.yml` that is not understood.

use crate::context::Context;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports what `envlint.yml` (or `.envlint.yml`) says that dbt-envlint does not
    /// understand: an unknown key, preset, environment, rule or severity, a schema pattern
    /// with an unknown placeholder, a cleanup age it cannot read. Each finding points at the
    /// offending key or value and suggests the closest known spelling.
    ///
    /// The policy format:
    /// ```yaml
    /// extends: recommended          # recommended | motherduck | strict
    /// profile: jaffle_shop          # only check this profile (default: every profile)
    /// environments:
    ///   dev:  {targets: [dev], schema: "dev_{user}"}
    ///   ci:   {targets: [ci], schema: "pr_{pr}"}
    ///   prod: {targets: [prod], schema: analytics, credentials: [SNOWFLAKE_PASSWORD_PROD], deploy-branch: main}
    /// cleanup: {dev: 30d, ci: 7d}
    /// rules:
    ///   ENV105: error               # error | warning | info | off, by code or name
    ///   shared-dev-schema: warning
    /// warnings-as-errors: false
    /// ```
    ///
    /// ## Why is this bad?
    /// A misspelt key is a rule you think is enforced and is not. dbt-envlint never ignores
    /// an option silently; a run with an invalid policy exits with code 2.
    ///
    /// ## Example
    /// ```yaml
    /// extends: recomended
    /// enviroments:
    ///   dev: {schema: "dev_{name}"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// extends: recommended
    /// environments:
    ///   dev: {schema: "dev_{user}"}
    /// ```
    pub struct InvalidPolicy;
    code = "ENV002", name = "invalid-policy", severity = Error,
    summary = "unknown key, rule, or pattern in envlint.yml",
}

impl Rule for InvalidPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let diagnostics = cx.policy_diagnostics;
        for diagnostic in diagnostics {
            cx.forward(diagnostic);
        }
    }
}
