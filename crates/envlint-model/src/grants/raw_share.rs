//! How the workloads reach the share of production source data: which accounts it is granted
//! to and which alias it is attached as, against what dbt sources read (ENV406).

use envlint_diagnostics::Span;
use envlint_parser::Repository;
use envlint_sql::{GranteeKind, ObjectKind, StatementKind};

use super::{DatabaseShare, Holder, at, holder, statements};
use crate::environment::Environment;
use crate::policy::Policy;

/// A share of raw data and what the repository says about reaching it.
pub struct RawShare {
    pub name: String,
    pub name_span: Span,
    /// `FROM raw`.
    pub database: String,
    /// Written `ACCESS RESTRICTED`: only the owner and accounts granted `READ` attach it.
    pub restricted: bool,
    /// Every `GRANT ... ON SHARE name` grantee: `Some(environment)` when it is known.
    pub grantees: Vec<Option<Environment>>,
    /// The grantees of the last of those grants.
    pub last_grant: Option<Span>,
    /// `ATTACH 'md:_share/<database or name>/...' [AS alias]`: the aliases and where each is.
    pub aliases: Vec<(String, Span)>,
}

impl RawShare {
    /// The names a source may mean this share by: its own, its database's and its aliases.
    pub fn known_as(&self, name: &str) -> bool {
        [&self.name, &self.database]
            .into_iter()
            .chain(self.aliases.iter().map(|(a, _)| a))
            .any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Every share of a literal database with a literal name; `None` when the repository holds a
/// permission statement that could not be read (it may be the missing grant).
pub fn raw_shares(repo: &Repository, policy: &Policy) -> Option<Vec<RawShare>> {
    let unreadable = statements(repo).any(|(_, _, s)| {
        matches!(&s.kind, StatementKind::Unrecognised { keyword } if keyword != "CREATE")
    });
    if unreadable {
        return None;
    }
    let shares = DatabaseShare::all(repo).filter_map(|share| {
        let name = share.share.name.as_ref()?;
        let mut found = RawShare {
            name: name.simple()?.to_owned(),
            name_span: at(share.file, &name.span),
            database: share.database.to_owned(),
            restricted: share
                .share
                .option("ACCESS")
                .is_some_and(|o| o.value == "RESTRICTED"),
            grantees: Vec::new(),
            last_grant: None,
            aliases: Vec::new(),
        };
        for (file, _, statement) in statements(repo) {
            match &statement.kind {
                StatementKind::Grant(grant)
                    if !grant.revoke
                        && grant.object.kind == ObjectKind::Share
                        && grant.object.names.iter().any(|n| {
                            n.has_jinja()
                                || n.simple()
                                    .is_some_and(|s| s.eq_ignore_ascii_case(&found.name))
                        }) =>
                {
                    found.grantees.extend(grant.grantees.iter().map(|g| {
                        let holder = match g.kind {
                            GranteeKind::Public => Holder::Unknown,
                            _ => holder(policy, g),
                        };
                        match holder {
                            Holder::Human => Some(Environment::Dev),
                            Holder::Ci => Some(Environment::Ci),
                            Holder::Prod => Some(Environment::Prod),
                            Holder::Service | Holder::Unknown => None,
                        }
                    }));
                    if let (Some(first), Some(last)) =
                        (grant.grantees.first(), grant.grantees.last())
                    {
                        found.last_grant =
                            Some(at(file, &(first.name.span.start..last.name.span.end)));
                    }
                }
                StatementKind::Attach { path, alias } => {
                    let Some(segment) = path
                        .simple()
                        .and_then(|p| p.strip_prefix("md:_share/"))
                        .and_then(|p| p.split('/').next())
                    else {
                        continue;
                    };
                    if segment.eq_ignore_ascii_case(&found.name)
                        || segment.eq_ignore_ascii_case(&found.database)
                    {
                        let alias = match alias {
                            Some(alias) => alias
                                .simple()
                                .map(|a| (a.to_owned(), at(file, &alias.span))),
                            None => Some((segment.to_owned(), at(file, &path.span))),
                        };
                        found.aliases.extend(alias);
                    }
                }
                _ => {}
            }
        }
        Some(found)
    });
    Some(shares.collect())
}
