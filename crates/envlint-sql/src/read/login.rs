//! Logins created or altered with a password: `CREATE USER u PASSWORD = '...'`, Postgres
//! `CREATE ROLE r LOGIN PASSWORD '...'`, `ALTER USER u SET PASSWORD = '...'`, MySQL and
//! ClickHouse `IDENTIFIED [WITH plugin] BY '...'`, SQL Server `CREATE LOGIN l WITH PASSWORD`.

use sqlparser::tokenizer::Token;

use super::Cursor;
use crate::model::StatementKind;

impl Cursor<'_> {
    /// `CREATE [OR REPLACE]|ALTER USER|ROLE|LOGIN [IF [NOT] EXISTS] name ... PASSWORD [=]
    /// 'literal'`; `None` when no password is written as a string literal (`PASSWORD NULL`,
    /// `:password`, a Jinja expression, no password at all).
    pub(super) fn login_password(&mut self) -> Option<StatementKind> {
        self.pos = 1;
        self.eat(&["OR", "REPLACE"]);
        (self.eat(&["USER"]) || self.eat(&["ROLE"]) || self.eat(&["LOGIN"])).then_some(())?;
        let _ = self.eat(&["IF", "NOT", "EXISTS"]) || self.eat(&["IF", "EXISTS"]);
        let login = self.name()?;
        let toks = self.toks;
        let mut identified = false;
        while let Some(tok) = toks.get(self.pos) {
            identified |= tok.is("IDENTIFIED");
            self.pos += 1;
            if tok.is("PASSWORD") || (identified && tok.is("BY")) {
                self.eat_token(&Token::Eq);
                let literal = self.peek()?;
                let written = matches!(literal.token, Token::SingleQuotedString(_))
                    && self.masked.expression_at(&literal.range).is_none();
                return written.then(|| StatementKind::LoginPassword {
                    login,
                    password: literal.range.clone(),
                });
            }
        }
        None
    }
}
