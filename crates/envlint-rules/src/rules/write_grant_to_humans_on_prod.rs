//! ENV402 write-grant-to-humans-on-prod: people or developer roles can write prod tables.

use crate::context::Context;
use envlint_model::grants::Holder;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reads every `GRANT` in the repository (setup scripts such as `warehouse/grants.sql`,
    /// macros, `on-run-start`/`on-run-end` and `post-hook` configs, `grants:` configs, SQL in
    /// CI steps) and flags write privileges (`INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`,
    /// `CREATE`, `OWNERSHIP`, `ALL`, BigQuery `dataEditor`/`dataOwner`/`admin` roles) on a prod
    /// location granted to a person or a developer workload: a user, a group, `PUBLIC`, or a
    /// role the policy lists under `environments.dev.roles` (else a role whose name says
    /// `dev`, `developer`, `analyst`, `engineer`, ...). A role grant passes writes on: `GRANT
    /// ROLE prod_writer TO USER ana` is flagged at `ana`.
    ///
    /// Grants declared as code are read the same way: Terraform's Snowflake grant resources
    /// (`snowflake_grant_privileges_to_account_role`, `snowflake_grant_account_role`,
    /// `snowflake_grant_ownership` and the legacy `snowflake_*_grant` / `snowflake_role_grants`),
    /// BigQuery dataset and project IAM members, and permifrost `roles.yml` (a role's `write`
    /// and `owns`, a user's `member_of`), each flagged in its own file.
    ///
    /// Prod locations are the databases and schemas of the prod targets; a database that dev
    /// targets also build in is prod only for grants on its contents (`ALL TABLES IN
    /// DATABASE`). Production source data counts as prod too: a database dbt sources read
    /// (`database: raw`) or a share is attached as, that no target writes; every environment
    /// reads it and only the loader writes it. A hook or `grants:` config runs for every target, so its `{{ this }}` is
    /// prod too, unless it sits in an `{% if %}` block.
    ///
    /// ## Why is this bad?
    /// Conventions without warehouse-level grants are wishful thinking: as long as a
    /// developer's credential can write prod, one `dbt run --target prod` from a laptop
    /// overwrites `fct_revenue`. Only the prod service account should write prod.
    ///
    /// ## Example
    /// ```sql
    /// GRANT ALL PRIVILEGES ON SCHEMA analytics.prod TO ROLE developer;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// GRANT SELECT ON ALL TABLES IN SCHEMA analytics.prod TO ROLE developer;
    /// GRANT ALL PRIVILEGES ON SCHEMA analytics.prod TO ROLE prod_service;
    /// ```
    pub struct WriteGrantToHumansOnProd;
    code = "ENV402", name = "write-grant-to-humans-on-prod", severity = Error,
    summary = "write privileges on prod granted to a developer/human role or PUBLIC",
}

impl WriteGrantToHumansOnProd {
    fn run(&self, cx: &mut Context<'_>) {
        super::prod_writes::report_prod_writes(
            cx,
            Holder::Human,
            "a person or developer role",
            "grant people `SELECT` on prod and let only the prod service role write it",
        );
    }
}
