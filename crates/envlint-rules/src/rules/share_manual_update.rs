//! ENV405 share-manual-update: a share of raw data that is only refreshed by hand.

use crate::context::Context;
use envlint_model::grants::{DatabaseShare, Locations};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a MotherDuck share of raw source data (`raw`, a database dbt sources read, a
    /// database attached from a share) that is `UPDATE MANUAL`, or has no `UPDATE` clause
    /// (MotherDuck's default is `MANUAL`).
    ///
    /// ## Why is this bad?
    /// Dev and CI read production source data through the share. A manual share only
    /// changes when someone runs `UPDATE SHARE`, so dev and CI build and test against data
    /// that is days or weeks older than what prod sees.
    ///
    /// ## Example
    /// ```sql
    /// CREATE SHARE IF NOT EXISTS raw_prod FROM raw (ACCESS RESTRICTED);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE SHARE IF NOT EXISTS raw_prod FROM raw (ACCESS RESTRICTED, UPDATE AUTOMATIC);
    /// ```
    pub struct ShareManualUpdate;
    code = "ENV405", name = "share-manual-update", severity = Info,
    summary = "a raw share with `UPDATE MANUAL`: dev and CI read stale production data",
}

impl ShareManualUpdate {
    fn run(&self, cx: &mut Context<'_>) {
        let locations = Locations::new(cx.repo, cx.profiles);
        let mut found = Vec::new();
        for share in DatabaseShare::all(cx.repo) {
            let (update, span) = share.option("UPDATE");
            if !locations.is_raw(share.database) || update.is_some_and(|u| u.value != "MANUAL") {
                continue;
            }
            let label = match update {
                Some(_) => "`UPDATE MANUAL`",
                None => "no `UPDATE` clause: MotherDuck defaults to `UPDATE MANUAL`",
            };
            found.push(
                cx.diagnostic(
                    format!(
                        "the share of raw data `{}` is only refreshed by `UPDATE SHARE`: dev and CI read stale data",
                        share.database
                    ),
                    span,
                    label,
                )
                .with_help("add `UPDATE AUTOMATIC` so dev and CI read what prod reads"),
            );
        }
        found.into_iter().for_each(|d| cx.report(d));
    }
}
