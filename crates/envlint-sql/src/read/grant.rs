//! Grants and revokes of every dialect: privileges, objects, grantees, role membership and
//! Postgres default privileges.

use sqlparser::tokenizer::Token;

use super::{CLAUSE_ENDS, Cursor, word_text};
use crate::model::{
    Access, Grant, Grantee, GranteeKind, Name, NamePart, Object, ObjectKind, Privilege,
    StatementKind,
};
use crate::tokens::Tok;

/// Objects a grant names no object of: Snowflake `ON ACCOUNT`, Databricks `ON METASTORE`.
const NAMELESS_KINDS: &[&str] = &["ACCOUNT", "METASTORE"];

impl Cursor<'_> {
    /// `GRANT privs ON object TO grantees` / `REVOKE ... FROM ...`, or a role grant.
    pub(super) fn grant(&mut self, revoke: bool) -> Option<StatementKind> {
        self.pos = 1;
        if revoke {
            self.eat(&["GRANT", "OPTION", "FOR"]);
        }
        let privileges = self.privileges()?;
        let (privileges, object) = if self.eat(&["ON"]) {
            (privileges, self.object()?)
        } else {
            self.role_grant(&privileges)?
        };
        self.eat(&[if revoke { "FROM" } else { "TO" }])
            .then_some(())?;
        let grantees = self.grantees()?;
        self.trailing_options()?;
        Some(StatementKind::Grant(Grant {
            revoke,
            default_privileges: false,
            privileges,
            object,
            grantees,
        }))
    }

    /// `GRANT ROLE r TO ...` / Postgres `GRANT r1, r2 TO ...`: the "privileges" are roles.
    fn role_grant(&self, privileges: &[Privilege]) -> Option<(Vec<Privilege>, Object)> {
        let names = privileges
            .iter()
            .map(|p| {
                let words: Vec<&str> = p.text.split(' ').collect();
                let prefix_ok = matches!(
                    words.as_slice(),
                    [_] | ["ROLE", _] | ["DATABASE" | "APPLICATION", "ROLE", _]
                );
                let written = self.original[p.span.clone()].split_whitespace().last()?;
                let start = p.span.end - written.len();
                let part = if self.masked.expression_at(&(start..p.span.end)).is_some() {
                    NamePart::Jinja(written.to_owned())
                } else {
                    NamePart::Literal(written.trim_matches('"').to_owned())
                };
                prefix_ok.then(|| Name {
                    span: start..p.span.end,
                    parts: vec![part],
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let membership = Privilege {
            text: "ROLE".to_owned(),
            access: Access::Role,
            span: privileges.first()?.span.start..privileges.last()?.span.end,
        };
        Some((
            vec![membership],
            Object {
                kind: ObjectKind::Role,
                names,
            },
        ))
    }

    /// Postgres `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT privs ON TABLES TO g`.
    pub(super) fn default_privileges(&mut self) -> Option<StatementKind> {
        self.pos = 3;
        if self.eat(&["FOR", "ROLE"]) || self.eat(&["FOR", "USER"]) {
            self.names()?;
        }
        let schemas = if self.eat(&["IN", "SCHEMA"]) {
            self.names()?
        } else {
            Vec::new()
        };
        let revoke = match self.peek_keyword()?.as_str() {
            "GRANT" => false,
            "REVOKE" => true,
            _ => return None,
        };
        let start = self.pos;
        let StatementKind::Grant(mut grant) = self.grant_from(start, revoke)? else {
            return None;
        };
        grant.default_privileges = true;
        // `ON TABLES` (views too) holds data; `ON SEQUENCES`, `FUNCTIONS`, `TYPES` do not.
        let tables = grant
            .object
            .names
            .first()
            .and_then(Name::simple)
            .is_some_and(|kind| kind.eq_ignore_ascii_case("TABLES"));
        grant.object = Object {
            kind: if schemas.is_empty() || !tables {
                ObjectKind::Other
            } else {
                ObjectKind::SchemaContents
            },
            names: schemas,
        };
        Some(StatementKind::Grant(grant))
    }

    /// Reads the grant that starts at token `start` (its `GRANT`/`REVOKE` keyword).
    fn grant_from(&mut self, start: usize, revoke: bool) -> Option<StatementKind> {
        let mut inner = Cursor {
            toks: &self.toks[start..],
            pos: 0,
            masked: self.masked,
            original: self.original,
        };
        inner.grant(revoke)
    }

    /// Comma-separated privileges up to `ON`, `TO` or `FROM`.
    fn privileges(&mut self) -> Option<Vec<Privilege>> {
        let mut privileges = Vec::new();
        loop {
            let start = self.pos;
            let mut words = Vec::new();
            while let Some(tok) = self.peek() {
                if matches!(tok.keyword().as_deref(), Some("ON" | "TO" | "FROM"))
                    || tok.token == Token::Comma
                {
                    break;
                }
                if tok.token == Token::LParen {
                    self.skip_parenthesised()?;
                    continue;
                }
                words.push(word_text(&tok.token)?);
                self.pos += 1;
            }
            if words.is_empty() {
                return None;
            }
            let text = words.join(" ").replace(" . ", ".");
            privileges.push(Privilege {
                access: access_of(&text),
                span: self.span_from(start),
                text,
            });
            if !self.eat_token(&Token::Comma) {
                return Some(privileges);
            }
        }
    }

    fn skip_parenthesised(&mut self) -> Option<()> {
        let mut depth = 0usize;
        while let Some(tok) = self.peek() {
            match tok.token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.checked_sub(1)?,
                _ => {}
            }
            self.pos += 1;
            if depth == 0 {
                return Some(());
            }
        }
        None
    }

    /// The object after `ON`: `ALL|FUTURE kinds IN SCHEMA|DATABASE names`, or
    /// `[kind words] names`. Read by position, never by a list of keywords: the last word
    /// before the first `.`, `,`, `(` or `TO` begins the name and the words before it say the
    /// kind, so `ON DATABASE data` and `ON SCHEMA warehouse.analytics` read like any other name.
    fn object(&mut self) -> Option<Object> {
        if self.peek().is_some_and(|t| t.is("ALL") || t.is("FUTURE")) && self.in_before_clause_end()
        {
            return self.contents();
        }
        let run = self.toks[self.pos..]
            .iter()
            .take_while(|t| matches!(t.token, Token::Word(_)) && !is_clause_end(t))
            .count();
        let kind_words = match run {
            0 => return None,
            1 if self.nameless() => {
                self.skip_to_clause_end();
                return Some(Object {
                    kind: ObjectKind::Other,
                    names: Vec::new(),
                });
            }
            _ => self.toks[self.pos..self.pos + run - 1]
                .iter()
                .map(Tok::keyword)
                .collect::<Option<Vec<_>>>()?,
        };
        self.pos += kind_words.len();
        let kind = object_kind(&kind_words.join(" "));
        let names = if kind == ObjectKind::Other {
            self.skip_to_clause_end();
            Vec::new()
        } else {
            self.names()?
        };
        Some(Object { kind, names })
    }

    /// `ALL|FUTURE kinds IN SCHEMA|DATABASE names`: the contents, when they hold table data.
    fn contents(&mut self) -> Option<Object> {
        self.pos += 1;
        let mut kind_words = Vec::new();
        while !self.eat(&["IN"]) {
            kind_words.push(self.peek_keyword()?);
            self.pos += 1;
        }
        // `TABLES` -> `TABLE`, `MATERIALIZED VIEWS` -> `MATERIALIZED VIEW`.
        let singular = kind_words.join(" ");
        let data = !singular.is_empty()
            && object_kind(singular.strip_suffix('S').unwrap_or(&singular)) == ObjectKind::Table;
        let kind = match self.peek_keyword()?.as_str() {
            _ if !data => {
                self.skip_to_clause_end();
                return Some(Object {
                    kind: ObjectKind::Other,
                    names: Vec::new(),
                });
            }
            "SCHEMA" => ObjectKind::SchemaContents,
            "DATABASE" => ObjectKind::DatabaseContents,
            _ => return None,
        };
        self.pos += 1;
        Some(Object {
            kind,
            names: self.names()?,
        })
    }

    /// `ON ACCOUNT TO ...`: a kind with no name after it.
    fn nameless(&self) -> bool {
        self.peek()
            .is_some_and(|t| NAMELESS_KINDS.iter().any(|k| t.is(k)))
            && self.toks.get(self.pos + 1).is_none_or(is_clause_end)
    }

    /// An `IN` comes before the object ends (`ALL TABLES IN SCHEMA s`, not a table `all`).
    fn in_before_clause_end(&self) -> bool {
        self.toks[self.pos..]
            .iter()
            .take_while(|t| !is_clause_end(t))
            .any(|t| t.is("IN"))
    }

    fn skip_to_clause_end(&mut self) {
        while self.peek().is_some_and(|t| !is_clause_end(t)) {
            self.pos += 1;
        }
    }

    /// Comma-separated grantees: `[ROLE|USER|GROUP|SHARE] name`, `PUBLIC`, BigQuery members.
    fn grantees(&mut self) -> Option<Vec<Grantee>> {
        let mut grantees = vec![self.grantee()?];
        while self.eat_token(&Token::Comma) {
            grantees.push(self.grantee()?);
        }
        Some(grantees)
    }

    fn grantee(&mut self) -> Option<Grantee> {
        if let Some(member) = self.bigquery_member() {
            return Some(member);
        }
        let kind = if self.eat_kind(&["ROLE"])
            || self.eat_kind(&["DATABASE", "ROLE"])
            || self.eat_kind(&["APPLICATION", "ROLE"])
        {
            GranteeKind::Role
        } else if self.eat_kind(&["USER"]) {
            GranteeKind::User
        } else if self.eat_kind(&["GROUP"]) {
            GranteeKind::Group
        } else if self.eat_kind(&["SHARE"]) {
            GranteeKind::Share
        } else if self.peek().is_some_and(|t| t.is("PUBLIC")) {
            GranteeKind::Public
        } else {
            GranteeKind::Unspecified
        };
        let name = self.name()?;
        // Snowflake's `ROLE PUBLIC` is the role every user holds: everyone.
        let kind = match name.simple() {
            Some(role) if kind == GranteeKind::Role && role.eq_ignore_ascii_case("public") => {
                GranteeKind::Public
            }
            _ => kind,
        };
        Some(Grantee { kind, name })
    }

    /// Consumes a grantee kind (`ROLE`, `DATABASE ROLE`) only when a name follows it: in
    /// `TO role` the word is the name of a role called `role`.
    fn eat_kind(&mut self, words: &[&str]) -> bool {
        let named = self
            .toks
            .get(self.pos + words.len())
            .is_some_and(|t| matches!(t.token, Token::Word(_)) && !is_clause_end(t));
        named && self.eat(words)
    }

    /// BigQuery `"user:ana@x.com"`, `'serviceAccount:...'`, `"allUsers"`.
    fn bigquery_member(&mut self) -> Option<Grantee> {
        let tok = self.peek()?;
        let member = match &tok.token {
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => s.clone(),
            Token::Word(w) if w.quote_style == Some('"') && w.value.contains(':') => {
                w.value.clone()
            }
            _ => return None,
        };
        let range = tok.range.clone();
        self.pos += 1;
        let (kind, who) = member_kind(&member);
        Some(Grantee {
            kind,
            name: Name {
                span: range,
                parts: vec![NamePart::Literal(who.to_owned())],
            },
        })
    }

    /// `WITH GRANT OPTION`, `COPY CURRENT GRANTS`, `CASCADE`, `GRANTED BY x`, ...
    fn trailing_options(&mut self) -> Option<()> {
        match self.peek_keyword() {
            None if self.at_end() => Some(()),
            Some(k) if CLAUSE_ENDS.contains(&k.as_str()) && k != "TO" && k != "FROM" => {
                self.pos = self.toks.len();
                Some(())
            }
            _ => None,
        }
    }
}

/// The kind of a BigQuery IAM member (`user:ana@x.com`, `allUsers`) and who it names.
pub fn member_kind(member: &str) -> (GranteeKind, &str) {
    let (prefix, who) = member.split_once(':').unwrap_or(("", member));
    let kind = match prefix {
        "user" => GranteeKind::User,
        "group" => GranteeKind::Group,
        "serviceAccount" => GranteeKind::ServiceAccount,
        "domain" => GranteeKind::Public,
        _ if matches!(who, "allUsers" | "allAuthenticatedUsers") => GranteeKind::Public,
        _ => GranteeKind::Unspecified,
    };
    (kind, who)
}

/// The kind of object that `kind` (the words before the name, upper-cased, one space apart)
/// says; the empty kind is a table (`GRANT SELECT ON t`).
fn object_kind(kind: &str) -> ObjectKind {
    match kind {
        "" | "TABLE" | "VIEW" | "MATERIALIZED VIEW" | "EXTERNAL TABLE" | "DYNAMIC TABLE"
        | "ICEBERG TABLE" | "HYBRID TABLE" | "EVENT TABLE" => ObjectKind::Table,
        "SCHEMA" => ObjectKind::Schema,
        "DATABASE" | "CATALOG" => ObjectKind::Database,
        "SHARE" => ObjectKind::Share,
        _ => ObjectKind::Other,
    }
}

fn is_clause_end(tok: &Tok) -> bool {
    tok.keyword()
        .is_some_and(|k| CLAUSE_ENDS.contains(&k.as_str()))
}

/// What a privilege (`SELECT`, `CREATE SCHEMA`, `roles/bigquery.dataEditor`) allows.
pub fn access_of(privilege: &str) -> Access {
    if let Some(role) = privilege.strip_prefix("roles/") {
        let role = role.to_ascii_lowercase();
        return if ["editor", "owner", "admin"]
            .iter()
            .any(|w| role.contains(w))
        {
            Access::Write
        } else if role.contains("viewer") || role.contains("reader") {
            Access::Read
        } else {
            Access::Other
        };
    }
    let first = privilege.split(' ').next().unwrap_or_default();
    match first {
        "SELECT" | "READ" | "REFERENCES" | "IMPORTED" | "READ_METADATA" => Access::Read,
        "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE" | "CREATE" | "OWNERSHIP" | "ALL" | "MODIFY"
        | "WRITE" | "DROP" | "ALTER" | "REBUILD" | "EVOLVE" => Access::Write,
        _ => Access::Other,
    }
}
