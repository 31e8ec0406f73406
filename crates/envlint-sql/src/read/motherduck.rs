//! MotherDuck and DuckDB statements: shares, snapshots, restores and attaches.

use sqlparser::tokenizer::Token;

use super::{Cursor, string_name};
use crate::model::{CreateShare, ShareOption, StatementKind};

impl Cursor<'_> {
    /// `CREATE [OR REPLACE] SHARE [IF NOT EXISTS] [name] [FROM db] [(options)]`.
    pub(super) fn create_share(&mut self) -> Option<StatementKind> {
        self.pos = 1;
        let replace_start = self.pos;
        let or_replace = self
            .eat(&["OR", "REPLACE"])
            .then(|| self.span_from(replace_start));
        self.eat(&["SHARE"]).then_some(())?;
        let if_not_exists = self.eat(&["IF", "NOT", "EXISTS"]);
        let name = match self.peek_keyword().as_deref() {
            Some("FROM") => None,
            _ if self.at_end() || self.peek().is_some_and(|t| t.token == Token::LParen) => None,
            _ => Some(self.name()?),
        };
        let database = if self.eat(&["FROM"]) {
            Some(self.name()?)
        } else {
            None
        };
        let options = if self.eat_token(&Token::LParen) {
            self.share_options()?
        } else {
            Vec::new()
        };
        self.at_end().then_some(())?;
        Some(StatementKind::CreateShare(CreateShare {
            or_replace,
            if_not_exists,
            name,
            database,
            options,
        }))
    }

    fn share_options(&mut self) -> Option<Vec<ShareOption>> {
        let mut options = Vec::new();
        loop {
            let start = self.pos;
            let key = self.peek_keyword()?;
            self.pos += 1;
            let value = self.peek_keyword()?;
            self.pos += 1;
            options.push(ShareOption {
                key,
                value,
                span: self.span_from(start),
            });
            if self.eat_token(&Token::RParen) {
                return Some(options);
            }
            self.eat_token(&Token::Comma).then_some(())?;
        }
    }

    /// `CREATE SNAPSHOT name OF db`.
    pub(super) fn create_snapshot(&mut self) -> Option<StatementKind> {
        self.pos = 2;
        let name = self.name()?;
        self.eat(&["OF"]).then_some(())?;
        let database = self.name()?;
        self.at_end().then_some(())?;
        Some(StatementKind::CreateSnapshot { name, database })
    }

    /// `ALTER DATABASE db SET SNAPSHOT TO (SNAPSHOT_NAME 'name')`.
    pub(super) fn restore(&mut self) -> Option<StatementKind> {
        self.pos = 2;
        let database = self.name()?;
        self.eat(&["SET", "SNAPSHOT", "TO"]).then_some(())?;
        let snapshot = self.toks[self.pos..]
            .windows(2)
            .find(|w| w[0].is("SNAPSHOT_NAME"))
            .and_then(|w| string_name(&w[1]));
        Some(StatementKind::RestoreSnapshot { database, snapshot })
    }

    /// `ATTACH [DATABASE] [IF NOT EXISTS] 'path' [AS alias]`.
    pub(super) fn attach(&mut self) -> Option<StatementKind> {
        self.pos = 1;
        self.eat(&["DATABASE"]);
        self.eat(&["IF", "NOT", "EXISTS"]);
        let path = string_name(self.peek()?)?;
        self.pos += 1;
        let alias = if self.eat(&["AS"]) {
            Some(self.name()?)
        } else {
            None
        };
        Some(StatementKind::Attach { path, alias })
    }
}
