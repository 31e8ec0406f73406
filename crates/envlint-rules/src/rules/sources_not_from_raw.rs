//! ENV406 sources-not-from-raw: sources read a per-target copy or a target's own output
//! instead of the shared `raw`.

use envlint_diagnostics::{Diagnostic, Span};
use envlint_parser::yaml::Node;
use envlint_parser::{SourceEntry, Target};

use crate::context::Context;
use envlint_model::environment::Environment;
use envlint_model::grants::{RawShare, raw_shares};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a dbt source whose `database:` (`project:` on BigQuery, `catalog:` on
    /// Databricks) changes with the target or the environment: `raw_{{ target.name }}`,
    /// `{{ env_var('RAW_DB') }}`, `{{ target.database }}`; a source that reads a database a
    /// target builds in (`transform_dev`, `transform`: a workload's own output, not source
    /// data); and a source with no `database:` when the targets build in different databases
    /// (it reads each target's own database), unless `dbt_project.yml` sets the sources'
    /// database. A source read from files (dbt-duckdb's `external_location`, on the source
    /// or on each of its tables) reads no database and is left alone.
    ///
    /// For a MotherDuck share of raw data (`CREATE SHARE raw_prod FROM raw`) that sources
    /// read: an `ACCESS RESTRICTED` share granted to no account, or granted only to accounts
    /// whose workloads are known (by the policy's `roles:` or their names) and none of them
    /// the dev or CI one while such a target exists; and a source that names the share
    /// (`raw_prod`, `raw`) otherwise than the alias an `ATTACH 'md:_share/...' AS alias`
    /// gives it. Nothing is said when a permission statement could not be read.
    ///
    /// On in the `motherduck` preset; off in `recommended`, where per-environment
    /// copies of source data can be deliberate.
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

impl SourcesNotFromRaw {
    fn run(&self, cx: &mut Context<'_>) {
        let builds = target_databases(cx);
        let raw = raw_name(cx, &builds);
        let help = format!(
            "read production source data from the shared read-only database (`database: {raw}`) in every environment"
        );
        let mut distinct: Vec<&str> = Vec::new();
        for build in &builds {
            if !distinct
                .iter()
                .any(|d| d.eq_ignore_ascii_case(&build.database))
            {
                distinct.push(&build.database);
            }
        }
        let mut found = Vec::new();
        for entry in &cx.repo.projects {
            let configured = sets_source_database(&entry.project.root);
            for source in &entry.project.sources {
                if let Some(diagnostic) = source_finding(cx, source, &builds, &distinct, configured)
                {
                    found.push(diagnostic.with_help(help.clone()));
                }
            }
        }
        if let Some(shares) = raw_shares(cx.repo, cx.policy) {
            for share in &shares {
                found.extend(share_findings(cx, share));
            }
        }
        found.into_iter().for_each(|d| cx.report(d));
    }
}

/// A source that reads a per-target database, a target's own output, or (with no
/// `database:`) each target's own database.
fn source_finding(
    cx: &Context<'_>,
    source: &SourceEntry,
    builds: &[Build],
    distinct: &[&str],
    configured: bool,
) -> Option<Diagnostic> {
    let diagnostic = match &source.database {
        Some((database, span)) if database.contains("{{") => {
            if !["target.", "env_var"].iter().any(|k| database.contains(k)) {
                return None;
            }
            cx.diagnostic(
                format!(
                    "source `{}` reads a database that changes with the target: `{database}`",
                    source.name
                ),
                *span,
                "per-target source database",
            )
        }
        Some((database, span)) => {
            let build = builds
                .iter()
                .find(|b| b.database.eq_ignore_ascii_case(database))?;
            cx.diagnostic(
                format!(
                    "source `{}` reads `{database}`, the database {} target `{}` builds in, not production source data",
                    source.name, build.environment, build.target
                ),
                *span,
                "a target's own output",
            )
            .with_related(build.span, format!("target `{}` builds here", build.target))
        }
        None if !configured && distinct.len() > 1 => cx.diagnostic(
            format!(
                "source `{}` has no `database:`, so each target reads its own database ({})",
                source.name,
                distinct
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            source.name_span,
            "reads the target's database",
        ),
        None => return None,
    };
    Some(match source.database {
        Some(_) => diagnostic.with_related(source.name_span, "source"),
        None => diagnostic,
    })
}

/// A restricted share of raw data granted to no account, or to none of an environment whose
/// targets read it; a source that names the share otherwise than it is attached as.
fn share_findings(cx: &Context<'_>, share: &RawShare) -> Vec<Diagnostic> {
    let readers: Vec<(&SourceEntry, &(String, Span))> = cx
        .repo
        .projects
        .iter()
        .flat_map(|p| &p.project.sources)
        .filter_map(|s| Some((s, s.database.as_ref()?)))
        .filter(|(_, (database, _))| share.known_as(database))
        .collect();
    let Some(&(_, (_, read_at))) = readers.first() else {
        return Vec::new();
    };
    let targets: Vec<(Environment, &Target)> = cx
        .profiles
        .iter()
        .flat_map(|v| v.targets.iter().copied())
        .collect();
    let mut found = Vec::new();
    let environments = Environment::ALL
        .into_iter()
        .filter(|e| targets.iter().any(|(t, _)| t == e))
        .count();
    let help = format!(
        "grant the share to every workload's account: `GRANT READ ON SHARE {} TO <dev account>, <CI account>, <prod account>`",
        share.name
    );
    if share.restricted && share.grantees.is_empty() && environments > 1 {
        found.push(
            cx.diagnostic(
                format!(
                    "restricted share `{}` of `{}` is granted to no account: only its owner can attach it, yet the sources of every target read it",
                    share.name, share.database
                ),
                share.name_span,
                "no `GRANT READ ON SHARE` names an account",
            )
            .with_related(*read_at, "read here")
            .with_help(help.clone()),
        );
    }
    if let Some(grant) = share
        .last_grant
        .filter(|_| share.restricted && share.grantees.iter().all(Option::is_some))
    {
        for environment in [Environment::Dev, Environment::Ci] {
            let Some((_, target)) = targets.iter().find(|(e, _)| *e == environment) else {
                continue;
            };
            if share.grantees.contains(&Some(environment)) {
                continue;
            }
            found.push(
                cx.diagnostic(
                    format!(
                        "restricted share `{}` is granted to no {environment} account: {environment} target `{}` cannot attach it",
                        share.name, target.name
                    ),
                    grant,
                    format!("no {environment} account among the grantees"),
                )
                .with_related(target.name_span, format!("{environment} target"))
                .with_help(format!(
                    "grant it to the account whose token target `{}` uses: `GRANT READ ON SHARE {} TO <{environment} account>`",
                    target.name, share.name
                )),
            );
        }
    }
    if let Some((alias, attached)) = share.aliases.first() {
        for (source, (database, span)) in &readers {
            if share
                .aliases
                .iter()
                .any(|(a, _)| a.eq_ignore_ascii_case(database))
            {
                continue;
            }
            found.push(
                cx.diagnostic(
                    format!(
                        "source `{}` reads `{database}`, but the share of `{}` is attached as `{alias}`",
                        source.name, share.database
                    ),
                    *span,
                    "not the attached alias",
                )
                .with_related(*attached, "attached here")
                .with_help(format!("read the share by its alias: `database: {alias}`")),
            );
        }
    }
    found
}

/// A database a target builds in, named literally.
struct Build {
    database: String,
    environment: Environment,
    target: String,
    span: Span,
}

fn target_databases(cx: &Context<'_>) -> Vec<Build> {
    cx.profiles
        .iter()
        .flat_map(|view| &view.targets)
        .filter_map(|(environment, target)| {
            let field = target.database.as_ref()?;
            Some(Build {
                database: field.value.as_literal()?,
                environment: *environment,
                target: target.name.clone(),
                span: field.text_span(),
            })
        })
        .collect()
}

/// What this repository reads production source data as: the alias a share is attached
/// as, else a literal source database no target builds in, else `raw`.
fn raw_name(cx: &Context<'_>, builds: &[Build]) -> String {
    let attached = envlint_model::grants::statements(cx.repo).find_map(|(_, _, s)| match &s.kind {
        envlint_sql::StatementKind::Attach {
            path,
            alias: Some(alias),
        } if path.simple().is_some_and(|p| p.starts_with("md:_share/")) => {
            alias.simple().map(str::to_owned)
        }
        _ => None,
    });
    let read = || {
        cx.repo
            .projects
            .iter()
            .flat_map(|p| &p.project.sources)
            .filter_map(|s| s.database.as_ref().map(|(d, _)| d))
            .find(|d| {
                !d.contains("{{") && !builds.iter().any(|b| b.database.eq_ignore_ascii_case(d))
            })
            .cloned()
    };
    attached.or_else(read).unwrap_or_else(|| "raw".to_owned())
}

/// `dbt_project.yml` sets a database for sources (`sources: {project: {+database: raw}}`):
/// a source without `database:` takes it from there.
fn sets_source_database(root: &Node) -> bool {
    fn sets(node: &Node) -> bool {
        node.entries().iter().any(|(key, value)| {
            let key = key.text.trim_start_matches('+');
            ["database", "project", "catalog"].contains(&key) || sets(value)
        })
    }
    root.get("sources").is_some_and(sets)
}
