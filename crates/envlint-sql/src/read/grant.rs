//! Grants and revokes of every dialect: privileges, objects, grantees, role membership and
//! Postgres default privileges.

use sqlparser::tokenizer::Token;

use super::{CLAUSE_ENDS, Cursor, word_text};
use crate::model::{
    Access, Grant, Grantee, GranteeKind, Name, NamePart, Object, ObjectKind, Privilege,
    StatementKind,
};

/// Words that say what kind of object a grant is on.
const OBJECT_KIND_WORDS: &[&str] = &[
    "SCHEMA",
    "SCHEMAS",
    "DATABASE",
    "DATABASES",
    "CATALOG",
    "SHARE",
    "TABLE",
    "TABLES",
    "VIEW",
    "VIEWS",
    "MATERIALIZED",
    "EXTERNAL",
    "DYNAMIC",
    "ICEBERG",
    "HYBRID",
    "EVENT",
    "SEQUENCE",
    "SEQUENCES",
    "WAREHOUSE",
    "INTEGRATION",
    "FUNCTION",
    "FUNCTIONS",
    "PROCEDURE",
    "PROCEDURES",
    "STAGE",
    "STAGES",
    "FILE",
    "FORMAT",
    "ACCOUNT",
    "USER",
    "ROLE",
    "TASK",
    "STREAM",
    "PIPE",
    "TAG",
    "VOLUME",
    "CONNECTION",
    "LANGUAGE",
    "FOREIGN",
    "SERVER",
    "DATA",
    "WRAPPER",
    "TYPE",
    "TYPES",
    "DOMAIN",
    "LARGE",
    "OBJECT",
    "TABLESPACE",
    // Snowflake objects that hold no table data (read as `Other`).
    "TASKS",
    "STREAMS",
    "PIPES",
    "STREAMLIT",
    "STREAMLITS",
    "FORMATS",
    "MASKING",
    "ROW",
    "ACCESS",
    "AGGREGATION",
    "PROJECTION",
    "POLICY",
    "POLICIES",
    "SECRET",
    "SECRETS",
    "NETWORK",
    "RULE",
    "RULES",
    "ALERT",
    "ALERTS",
    "NOTEBOOK",
    "NOTEBOOKS",
    "MODEL",
    "MODELS",
    "SERVICE",
    "SERVICES",
    "COMPUTE",
    "POOL",
    "APPLICATION",
    "PACKAGE",
    "REPLICATION",
    "FAILOVER",
    "GROUP",
    "CORTEX",
    "SEARCH",
    "SEMANTIC",
    "DATASET",
    "DATASETS",
    "GIT",
    "REPOSITORY",
    "REPOSITORIES",
];

/// Kinds of `ALL`/`FUTURE ... IN` whose contents are tables or views (the others, such as
/// tasks or streams, hold no data a build writes).
const CONTENT_KIND_WORDS: &[&str] = &[
    "TABLES",
    "VIEWS",
    "MATERIALIZED",
    "EXTERNAL",
    "DYNAMIC",
    "ICEBERG",
    "HYBRID",
    "EVENT",
];

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
        grant.object = Object {
            kind: if schemas.is_empty() {
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

    /// The object after `ON`: `[ALL|FUTURE kinds IN] [kind] names`.
    fn object(&mut self) -> Option<Object> {
        let contents = self.eat(&["ALL"]) || self.eat(&["FUTURE"]);
        let mut kind_words = Vec::new();
        while let Some(word) = self.peek_keyword() {
            if !OBJECT_KIND_WORDS.contains(&word.as_str()) {
                break;
            }
            kind_words.push(word);
            self.pos += 1;
        }
        let kind = if contents {
            self.eat(&["IN"]).then_some(())?;
            let data =
                kind_words.is_empty() || CONTENT_KIND_WORDS.contains(&kind_words[0].as_str());
            match self.peek_keyword()?.as_str() {
                _ if !data => ObjectKind::Other,
                "SCHEMA" => ObjectKind::SchemaContents,
                "DATABASE" => ObjectKind::DatabaseContents,
                _ => return None,
            }
        } else {
            object_kind(&kind_words)
        };
        if contents && kind != ObjectKind::Other {
            self.pos += 1;
        }
        let names = if kind == ObjectKind::Other {
            self.skip_to_clause_end();
            Vec::new()
        } else {
            self.names()?
        };
        Some(Object { kind, names })
    }

    fn skip_to_clause_end(&mut self) {
        while self
            .peek_keyword()
            .is_none_or(|k| !CLAUSE_ENDS.contains(&k.as_str()))
            && !self.at_end()
        {
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
        let kind = if self.eat(&["ROLE"])
            || self.eat(&["DATABASE", "ROLE"])
            || self.eat(&["APPLICATION", "ROLE"])
        {
            GranteeKind::Role
        } else if self.eat(&["USER"]) {
            GranteeKind::User
        } else if self.eat(&["GROUP"]) {
            GranteeKind::Group
        } else if self.eat(&["SHARE"]) {
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

fn object_kind(words: &[String]) -> ObjectKind {
    match words.first().map(String::as_str) {
        None => ObjectKind::Table,
        Some("SCHEMA") => ObjectKind::Schema,
        Some("DATABASE" | "CATALOG") => ObjectKind::Database,
        Some("SHARE") => ObjectKind::Share,
        Some(
            "TABLE" | "VIEW" | "MATERIALIZED" | "EXTERNAL" | "DYNAMIC" | "ICEBERG" | "HYBRID"
            | "EVENT",
        ) => ObjectKind::Table,
        Some(_) => ObjectKind::Other,
    }
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
