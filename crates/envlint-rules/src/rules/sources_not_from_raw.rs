//! ENV406 sources-not-from-raw: sources read a per-target copy instead of the shared `raw`.

use crate::context::Context;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a dbt source whose `database:` (`project:` on BigQuery, `catalog:` on
    /// Databricks) changes with the target or the environment: `raw_{{ target.name }}`,
    /// `{{ env_var('RAW_DB') }}`, `{{ target.database }}`. On in the `motherduck` preset; off
    /// in `recommended`, where per-environment copies of source data can be deliberate.
    ///
    /// ## Why is this bad?
    /// In the three-environment setup every phase reads the same production source data
    /// (read-only, through a share attached as `raw`); only writes are separated. A
    /// per-target source database means dev and CI test against other data than prod uses,
    /// or need copies that drift, and prod may read a database named after a typo.
    ///
    /// ## Example
    /// ```yaml
    /// sources:
    ///   - name: shop
    ///     database: "raw_{{ target.name }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// sources:
    ///   - name: shop
    ///     database: raw
    /// ```
    pub struct SourcesNotFromRaw;
    code = "ENV406", name = "sources-not-from-raw", severity = Warning,
    summary = "sources for production raw data point at a per-target database instead of the shared read-only `raw` (motherduck preset)",
}

impl Rule for SourcesNotFromRaw {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for source in cx.repo.projects.iter().flat_map(|p| &p.project.sources) {
            let Some((database, span)) = &source.database else {
                continue;
            };
            if !(database.contains("{{")
                && ["target.", "env_var"].iter().any(|k| database.contains(k)))
            {
                continue;
            }
            found.push(
                cx.diagnostic(
                    format!(
                        "source `{}` reads a database that changes with the target: `{database}`",
                        source.name
                    ),
                    *span,
                    "per-target source database",
                )
                .with_related(source.name_span, "source")
                .with_help("read production source data from the shared read-only database (`database: raw`) in every environment"),
            );
        }
        found.into_iter().for_each(|d| cx.report(d));
    }
}
