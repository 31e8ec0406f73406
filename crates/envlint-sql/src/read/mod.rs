//! Reads one statement's tokens into the permission model, by keyword shape.
//!
//! One reader for every dialect, over sqlparser's tokens, because sqlparser's own AST cannot
//! carry what the rules need: it leaves `Grant`/`Revoke` spans empty and privileges without
//! spans, and it rejects MotherDuck shares and snapshots, BigQuery IAM grants, Snowflake
//! `ALL TABLES IN DATABASE` and Postgres default privileges. The unit tests check that this
//! reader agrees with sqlparser on every grant sqlparser does parse.

mod grant;
mod login;
mod motherduck;

use std::ops::Range;

use sqlparser::tokenizer::Token;

use crate::mask::Masked;
use crate::model::{Name, NamePart, StatementKind};
use crate::tokens::Tok;

pub use grant::{access_of, member_kind};

/// The permission statement `toks` holds; `None` when it is about something else.
pub(crate) fn read(toks: &[Tok], masked: &Masked, original: &str) -> Option<StatementKind> {
    let mut cursor = Cursor {
        toks,
        pos: 0,
        masked,
        original,
    };
    let first = toks.first()?.keyword()?;
    let second = toks.get(1).and_then(Tok::keyword).unwrap_or_default();
    let third = toks.get(2).and_then(Tok::keyword).unwrap_or_default();
    if is_login(toks) {
        return cursor.login_password();
    }
    let read = match (first.as_str(), second.as_str(), third.as_str()) {
        ("GRANT", ..) => cursor.grant(false),
        ("REVOKE", ..) => cursor.grant(true),
        ("ALTER", "DEFAULT", "PRIVILEGES") => cursor.default_privileges(),
        ("CREATE", "SHARE", _) | ("CREATE", "OR", "REPLACE") => cursor.create_share(),
        ("CREATE", "SNAPSHOT", _) => cursor.create_snapshot(),
        ("ALTER", "DATABASE", _) if toks.iter().any(|t| t.is("SNAPSHOT")) => cursor.restore(),
        ("ATTACH", ..) => cursor.attach(),
        _ => return None,
    };
    // `CREATE OR REPLACE TABLE ...` starts like a share but is not one.
    if read.is_none() && first == "CREATE" && !toks.iter().take(4).any(|t| t.is("SHARE")) {
        return None;
    }
    Some(read.unwrap_or(StatementKind::Unrecognised { keyword: first }))
}

/// `CREATE [OR REPLACE] USER|ROLE|LOGIN` and `ALTER USER|ROLE|LOGIN`.
fn is_login(toks: &[Tok]) -> bool {
    let object = match toks.first().and_then(Tok::keyword).as_deref() {
        Some("CREATE") if toks.get(1).is_some_and(|t| t.is("OR")) => toks.get(3),
        Some("CREATE" | "ALTER") => toks.get(1),
        _ => return false,
    };
    object.is_some_and(|t| t.is("USER") || t.is("ROLE") || t.is("LOGIN"))
}

/// Words that end a grant's object or grantee list.
const CLAUSE_ENDS: &[&str] = &[
    "TO", "FROM", "WITH", "COPY", "REVOKE", "CASCADE", "RESTRICT", "GRANTED", "AS",
];

struct Cursor<'a> {
    toks: &'a [Tok],
    pos: usize,
    masked: &'a Masked,
    original: &'a str,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_keyword(&self) -> Option<String> {
        self.peek().and_then(Tok::keyword)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Consumes the keyword sequence `words` if it comes next.
    fn eat(&mut self, words: &[&str]) -> bool {
        let matches = words
            .iter()
            .enumerate()
            .all(|(i, w)| self.toks.get(self.pos + i).is_some_and(|t| t.is(w)));
        if matches {
            self.pos += words.len();
        }
        matches
    }

    fn eat_token(&mut self, token: &Token) -> bool {
        let matches = self.peek().is_some_and(|t| &t.token == token);
        if matches {
            self.pos += 1;
        }
        matches
    }

    fn span_from(&self, start: usize) -> Range<usize> {
        let first = &self.toks[start];
        let last = &self.toks[self.pos.max(start + 1) - 1];
        first.range.start..last.range.end
    }

    /// Comma-separated, possibly qualified names.
    fn names(&mut self) -> Option<Vec<Name>> {
        let mut names = vec![self.name()?];
        while self.eat_token(&Token::Comma) {
            names.push(self.name()?);
        }
        Some(names)
    }

    /// `part(.part)*`; a backquoted BigQuery name `p.d` is split into its parts.
    fn name(&mut self) -> Option<Name> {
        let start = self.pos;
        let mut parts = Vec::new();
        loop {
            let tok = self.peek()?;
            let Token::Word(word) = &tok.token else {
                return None;
            };
            if word.quote_style.is_none()
                && CLAUSE_ENDS.contains(&word.value.to_ascii_uppercase().as_str())
            {
                return None;
            }
            if self.masked.expression_at(&tok.range).is_some() {
                parts.push(NamePart::Jinja(self.original[tok.range.clone()].to_owned()));
            } else if word.quote_style == Some('`') {
                parts.extend(
                    word.value
                        .split('.')
                        .map(|p| NamePart::Literal(p.to_owned())),
                );
            } else {
                parts.push(NamePart::Literal(word.value.clone()));
            }
            self.pos += 1;
            if !self.eat_token(&Token::Period) {
                break;
            }
        }
        Some(Name {
            span: self.span_from(start),
            parts,
        })
    }
}

/// A privilege word as written: keywords upper-cased, quoted names as they are.
fn word_text(token: &Token) -> Option<String> {
    match token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        Token::Word(w) => Some(w.value.clone()),
        Token::Period => Some(".".to_owned()),
        _ => None,
    }
}

fn string_name(tok: &Tok) -> Option<Name> {
    match &tok.token {
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some(Name {
            span: tok.range.clone(),
            parts: vec![NamePart::Literal(s.clone())],
        }),
        _ => None,
    }
}
