//! Warehouse permission statements (grants, MotherDuck shares, snapshots, attaches, login
//! passwords) read from SQL scripts, macros and hooks, with exact byte spans even inside
//! Jinja; and the cleanup and snapshot shapes recognised loosely in text that is not SQL.

mod budget;
mod loose;
mod mask;
mod model;
mod read;
mod tokens;

pub use loose::{
    CleanupMatch, CleanupPattern, SnapshotMention, cleanup_patterns, snapshot_mentions,
};
pub use mask::{Expression, Masked, mask};
pub use model::{
    Access, CreateShare, Grant, Grantee, GranteeKind, Name, NamePart, Object, ObjectKind,
    Privilege, ShareOption, Statement, StatementKind,
};
pub use read::{access_of, member_kind};
pub use tokens::Dialect;

/// A cheap test before reading: whether `text` mentions a permission keyword at all.
pub fn may_hold_permissions(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "grant",
        "revoke",
        "share",
        "snapshot",
        "attach",
        "password",
        "identified",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// The permission statements in `text` (SQL, possibly with Jinja), spans relative to `text`.
///
/// Statements about anything else (`SELECT`, `CREATE TABLE`, ...) are left out; a statement
/// that starts like a permission statement but cannot be read comes back as
/// [`StatementKind::Unrecognised`].
///
/// A text over the byte budget is not read, and reading stops at the statement budget: both
/// give one [`StatementKind::OverBudget`] where reading stopped.
pub fn statements(text: &str, dialect: Dialect) -> Vec<Statement> {
    if let Some(over) = budget::too_long(text) {
        return vec![over];
    }
    let masked = mask(text);
    let all = tokens::statements(&masked.text, dialect, &masked.boundaries);
    let (read, over) = budget::first_statements(&all);
    let mut found: Vec<Statement> = read
        .iter()
        .filter_map(|toks| {
            let kind = read::read(toks, &masked, text)?;
            let span = toks.first()?.range.start..toks.last()?.range.end;
            Some(Statement {
                conditional: masked.is_conditional(span.start),
                span,
                kind,
            })
        })
        .chain(over)
        .collect();
    for inner in &masked.embedded {
        found.extend(
            statements(&text[inner.clone()], dialect)
                .into_iter()
                .map(|statement| Statement {
                    conditional: masked.is_conditional(inner.start),
                    ..statement.shifted(inner.start)
                }),
        );
    }
    found.sort_by_key(|s| s.span.start);
    found
}
