//! The grant graph: who may write where, from every permission statement in the repository,
//! classified against the environments: which databases and schemas belong to which
//! environment (from the targets), which are raw source data, and whether a grantee is a
//! developer, CI or prod.

mod holder;
mod locations;
mod map;
mod raw_share;
mod writes;

use envlint_diagnostics::{FileId, Span};
use envlint_parser::{Repository, SqlOrigin};
use envlint_sql::{CreateShare, ShareOption, Statement, StatementKind};

pub use holder::{Holder, holder, holder_by_name};
pub use locations::{Locations, TargetLocation};
pub use map::{AccessMap, ShareEntry, WriteEntry, access_map};
pub use raw_share::{RawShare, raw_shares};
pub use writes::{Write, writes};

/// Every statement of the repository with its file and origin.
pub fn statements(repo: &Repository) -> impl Iterator<Item = (FileId, SqlOrigin, &Statement)> {
    repo.sql
        .iter()
        .flat_map(|f| f.statements.iter().map(move |s| (f.file, f.origin, s)))
}

/// Every `CREATE SHARE` with its file.
pub fn shares(repo: &Repository) -> impl Iterator<Item = (FileId, &Statement, &CreateShare)> {
    statements(repo).filter_map(|(file, _, s)| match &s.kind {
        StatementKind::CreateShare(share) => Some((file, s, share)),
        _ => None,
    })
}

/// A share of a database named literally (`FROM raw`), with that name.
pub struct DatabaseShare<'a> {
    pub file: FileId,
    pub statement: &'a Statement,
    pub share: &'a CreateShare,
    pub database: &'a str,
}

impl<'a> DatabaseShare<'a> {
    /// Every share whose `FROM` database is a literal name.
    pub fn all(repo: &'a Repository) -> impl Iterator<Item = Self> {
        shares(repo).filter_map(|(file, statement, share)| {
            Some(Self {
                file,
                statement,
                share,
                database: share.database.as_ref()?.simple()?,
            })
        })
    }

    /// The `key` option as written, and where to point about it: the option, or the share's
    /// name when it is left to MotherDuck's default.
    pub fn option(&self, key: &str) -> (Option<&'a ShareOption>, Span) {
        let option = self.share.option(key);
        let range = option
            .map(|o| &o.span)
            .or(self.share.name.as_ref().map(|n| &n.span));
        (option, at(self.file, range.unwrap_or(&self.statement.span)))
    }
}

/// A span in `file` from a statement's byte range.
pub fn at(file: FileId, range: &std::ops::Range<usize>) -> Span {
    Span::new(file, range.start, range.end)
}
