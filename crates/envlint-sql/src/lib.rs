//! Warehouse permission statements (grants, MotherDuck shares, snapshots, attaches) read from
//! SQL scripts, macros and hooks, with exact byte spans even inside Jinja.

mod mask;
mod model;
mod read;
mod tokens;

pub use mask::{Expression, Masked, mask};
pub use model::{
    Access, CreateShare, Grant, Grantee, GranteeKind, Name, NamePart, Object, ObjectKind,
    Privilege, ShareOption, Statement, StatementKind,
};
pub use tokens::Dialect;

/// The permission statements in `text` (SQL, possibly with Jinja), spans relative to `text`.
///
/// Statements about anything else (`SELECT`, `CREATE TABLE`, ...) are left out; a statement
/// that starts like a permission statement but cannot be read comes back as
/// [`StatementKind::Unrecognised`].
pub fn statements(text: &str, dialect: Dialect) -> Vec<Statement> {
    let masked = mask(text);
    let mut found: Vec<Statement> = tokens::statements(&masked.text, dialect, &masked.boundaries)
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
        .collect();
    for inner in &masked.embedded {
        found.extend(
            statements(&isolate(text, inner.clone()), dialect)
                .into_iter()
                .map(|statement| Statement {
                    conditional: masked.is_conditional(inner.start),
                    ..statement
                }),
        );
    }
    found.sort_by_key(|s| s.span.start);
    found
}

/// `text` with everything outside `keep` blanked byte by byte, so spans stay file offsets.
fn isolate(text: &str, keep: std::ops::Range<usize>) -> String {
    let bytes: Vec<u8> = text
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            if keep.contains(&i) || b == b'\n' {
                b
            } else {
                b' '
            }
        })
        .collect();
    String::from_utf8(bytes).unwrap_or_default()
}
