//! ENV401 share-not-restricted: a share of prod or raw data is open beyond its readers.

use crate::context::Context;
use envlint_model::environment::Environment;
use envlint_model::grants::{DatabaseShare, Locations};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reads MotherDuck `CREATE SHARE ... FROM db (ACCESS ..., VISIBILITY ...)` statements
    /// (scripts, macros, hooks, CI steps) and flags a share of a prod database (one a prod
    /// target writes, or one prod builds models in, such as `marts` from `+database: marts`)
    /// or of raw source data (`raw`, a database dbt sources read, a database
    /// attached from a share) that is not `ACCESS RESTRICTED`. A share without an `ACCESS`
    /// clause is `ACCESS ORGANIZATION`, MotherDuck's default. With `share-access:
    /// organization` in the policy only `ACCESS UNRESTRICTED` is flagged.
    ///
    /// ## Why is this bad?
    /// An organization share is readable by every member, and an unrestricted one by anyone
    /// with a MotherDuck account who has the URL. Production and raw data should be granted
    /// to the dev, CI and prod service accounts by name (`GRANT READ ON SHARE`).
    ///
    /// ## Example
    /// ```sql
    /// CREATE SHARE IF NOT EXISTS raw_share FROM raw (ACCESS UNRESTRICTED);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE SHARE IF NOT EXISTS raw_share FROM raw (ACCESS RESTRICTED, UPDATE AUTOMATIC);
    /// GRANT READ ON SHARE raw_share TO transform_dev, transform_ci, transform_prod;
    /// ```
    pub struct ShareNotRestricted;
    code = "ENV401", name = "share-not-restricted", severity = Error,
    summary = "a share of a prod/raw database is not `ACCESS RESTRICTED`",
    needs_resolution = true,
}

impl ShareNotRestricted {
    fn run(&self, cx: &mut Context<'_>) {
        let locations = Locations::new(cx.repo, cx.profiles);
        let prod_models = prod_model_databases(cx);
        let mut found = Vec::new();
        for share in DatabaseShare::all(cx.repo) {
            let database = share.database;
            let built_by_prod = prod_models.iter().any(|d| d.eq_ignore_ascii_case(database));
            if !locations.is_protected(database) && !built_by_prod {
                continue;
            }
            let (access, span) = share.option("ACCESS");
            let value = access.map_or("ORGANIZATION", |a| a.value.as_str());
            let open = match value {
                "RESTRICTED" => false,
                "ORGANIZATION" => !cx.policy.organization_shares,
                _ => true,
            };
            if !open {
                continue;
            }
            let what = if locations.is_raw(database) {
                "raw source data"
            } else {
                "prod data"
            };
            let label = match access {
                Some(_) => format!("`ACCESS {value}`"),
                None => {
                    "no `ACCESS` clause: MotherDuck defaults to `ACCESS ORGANIZATION`".to_owned()
                }
            };
            found.push(
                cx.diagnostic(
                    format!("share of `{database}` ({what}) is `ACCESS {value}`, not `ACCESS RESTRICTED`"),
                    span,
                    label,
                )
                .with_help("use `ACCESS RESTRICTED` and `GRANT READ ON SHARE <share> TO <account>, ...` for the dev, CI and prod accounts"),
            );
        }
        found.into_iter().for_each(|d| cx.report(d));
    }
}

/// The databases prod targets build models in, where the names are literal (`marts` from a
/// `+database: marts` config).
fn prod_model_databases(cx: &Context<'_>) -> Vec<String> {
    let mut found = Vec::new();
    for project in &cx.resolution.projects {
        for (index, _) in project
            .targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.environment == Some(Environment::Prod))
        {
            let databases = project
                .nodes
                .iter()
                .filter_map(|n| n.relations.get(index)?.as_ref()?.database.as_literal());
            for database in databases {
                if !found.contains(&database) {
                    found.push(database);
                }
            }
        }
    }
    found
}
