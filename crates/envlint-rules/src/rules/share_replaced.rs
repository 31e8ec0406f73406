//! ENV403 share-replaced: `CREATE OR REPLACE SHARE` gives the share a new URL.

use envlint_diagnostics::{Applicability, Edit, FileId, Fix, Span};
use envlint_sql::CreateShare;

use crate::context::Context;
use crate::grants::{at, shares};
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags MotherDuck `CREATE OR REPLACE SHARE` anywhere in the repository (scripts,
    /// macros, hooks, CI steps).
    ///
    /// ## Why is this bad?
    /// Replacing a share creates a new share with a new URL: every consumer that attached
    /// the old one (`ATTACH 'md:_share/raw/...'`) is disconnected, so dev and CI lose their
    /// read-only view of production data the next time the script runs.
    ///
    /// ## Example
    /// ```sql
    /// CREATE OR REPLACE SHARE raw_prod FROM raw (ACCESS RESTRICTED, UPDATE AUTOMATIC);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE SHARE IF NOT EXISTS raw_prod FROM raw (ACCESS RESTRICTED, UPDATE AUTOMATIC);
    /// ```
    /// and `ALTER SHARE` / `UPDATE SHARE` to change or refresh it.
    ///
    /// The fix (unsafe) rewrites `OR REPLACE SHARE name` to `SHARE IF NOT EXISTS name`:
    /// unsafe because an existing share then keeps its old options, which only `ALTER SHARE`
    /// changes.
    pub struct ShareReplaced;
    code = "ENV403", name = "share-replaced", severity = Warning,
    summary = "`CREATE OR REPLACE SHARE` changes the share URL and disconnects consumers",
    fix = Unsafe,
}

impl Rule for ShareReplaced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for (file, _, share) in shares(cx.repo) {
            let Some(or_replace) = &share.or_replace else {
                continue;
            };
            let name = share
                .name
                .as_ref()
                .map_or_else(|| "the share".to_owned(), |n| format!("`{}`", n.display()));
            let mut diag = cx
                .diagnostic(
                    format!("`CREATE OR REPLACE SHARE` gives {name} a new URL and disconnects everyone who attached it"),
                    at(file, or_replace),
                    "replaces the share",
                )
                .with_help("use `CREATE SHARE IF NOT EXISTS`, and `ALTER SHARE`/`UPDATE SHARE` to change or refresh it");
            if let Some(fix) = if_not_exists(cx, file, share) {
                diag = diag.with_fix(fix);
            }
            found.push(diag);
        }
        found.into_iter().for_each(|d| cx.report(d));
    }
}

/// `OR REPLACE SHARE name` becomes `SHARE IF NOT EXISTS name`, in the statement's case.
/// Unsafe: an existing share then keeps its old options.
fn if_not_exists(cx: &Context<'_>, file: FileId, share: &CreateShare) -> Option<Fix> {
    let (or_replace, name) = (share.or_replace.as_ref()?, share.name.as_ref()?);
    if share.if_not_exists {
        return None;
    }
    let written = cx
        .repo
        .db
        .get(file)
        .text
        .get(or_replace.start..name.span.start)?;
    let replacement = if written.starts_with("OR") {
        "SHARE IF NOT EXISTS "
    } else {
        "share if not exists "
    };
    Some(Fix::new(
        "create the share only if it does not exist",
        Applicability::Unsafe,
        vec![Edit {
            span: Span::new(file, or_replace.start, name.span.start),
            replacement: replacement.to_owned(),
        }],
    ))
}
