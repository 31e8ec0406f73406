//! ENV404 ci-role-writes-outside-pr-schemas: the CI role can write prod.

use crate::context::Context;
use envlint_model::grants::Holder;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reads every `GRANT` in the repository (as ENV402 does) and flags write privileges on
    /// a prod location granted to the CI role or service account: one the policy lists under
    /// `environments.ci.roles`, else one whose name says `ci`, `pr`, `github` or `gitlab`
    /// (`ci_service`, `transform_ci`). Role grants are followed. Production source data (a
    /// database dbt sources read that no target writes) counts as prod.
    ///
    /// ## Why is this bad?
    /// Pull requests run code nobody has reviewed yet, with the CI credential. If that
    /// credential can write prod, any pull request can: CI should create and drop its own
    /// `pr_<number>` schemas and read prod, nothing more.
    ///
    /// ## Example
    /// ```sql
    /// GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA analytics.prod TO ROLE ci_service;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// GRANT CREATE SCHEMA ON DATABASE analytics_ci TO ROLE ci_service;
    /// GRANT SELECT ON ALL TABLES IN SCHEMA analytics.prod TO ROLE ci_service;
    /// ```
    pub struct CiRoleWritesOutsidePrSchemas;
    code = "ENV404", name = "ci-role-writes-outside-pr-schemas", severity = Error,
    summary = "the CI role/account is granted write on a prod location",
}

impl CiRoleWritesOutsidePrSchemas {
    fn run(&self, cx: &mut Context<'_>) {
        super::prod_writes::report_prod_writes(
            cx,
            Holder::Ci,
            "the CI role",
            "let CI create and drop its own `pr_*` schemas (or database) and only read prod",
        );
    }
}
