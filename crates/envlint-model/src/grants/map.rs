//! `explain --grants`: who can write where, per environment, and what each share publishes.

use envlint_diagnostics::FileId;
use envlint_parser::Repository;
use envlint_sql::{GranteeKind, StatementKind};

use super::{Holder, Locations, shares, writes};
use crate::environment::Environment;
use crate::policy::Policy;
use crate::profiles::ProfileView;

/// Every write grant and share of a repository.
#[derive(Debug, Default)]
pub struct AccessMap {
    pub writes: Vec<WriteEntry>,
    pub shares: Vec<ShareEntry>,
}

/// Who can write what, and in which environment's location.
#[derive(Debug)]
pub struct WriteEntry {
    pub grantee: String,
    pub holder: Holder,
    /// The role the grantee was given that holds the privileges.
    pub via: Option<String>,
    pub privileges: Vec<String>,
    pub object: String,
    /// Whose location the object is in; `None` when the names do not say.
    pub environment: Option<Environment>,
    pub file: FileId,
    pub offset: usize,
}

/// A share, what it publishes and who may read it.
#[derive(Debug)]
pub struct ShareEntry {
    pub name: String,
    pub database: String,
    /// `ACCESS`, `VISIBILITY` and `UPDATE`, with MotherDuck's defaults filled in.
    pub options: Vec<(String, String)>,
    pub readers: Vec<String>,
    pub file: FileId,
    pub offset: usize,
}

pub fn access_map(repo: &Repository, policy: &Policy, views: &[ProfileView<'_>]) -> AccessMap {
    let locations = Locations::new(repo, views);
    let mut map = AccessMap::default();
    for write in writes(repo, policy, &locations) {
        let (file, offset) = match write.via {
            Some((file, _)) => (file, write.grantee.name.span.start),
            None => (write.file, write.grantee.name.span.start),
        };
        let grantee = match write.grantee.kind {
            GranteeKind::Public => "PUBLIC".to_owned(),
            _ => write.grantee.name.display(),
        };
        let via = write.via.map(|(_, role)| role.name.display());
        let object = write.object.display();
        let environment = write.location.map(|l| l.environment);
        let same = map.writes.iter_mut().find(|e| {
            e.grantee == grantee
                && e.object == object
                && e.via == via
                && e.file == file
                && e.offset == offset
        });
        match same {
            // permifrost's schema `write` and its tables' `write` are one privilege here.
            Some(entry) if !entry.privileges.contains(&write.privilege.text) => {
                entry.privileges.push(write.privilege.text.clone());
            }
            Some(_) => {}
            None => map.writes.push(WriteEntry {
                grantee,
                holder: write.holder,
                via,
                privileges: vec![write.privilege.text.clone()],
                object,
                environment,
                file,
                offset,
            }),
        }
    }
    for (file, statement, share) in shares(repo) {
        let name = share.name.as_ref().map(|n| n.display());
        let database = share
            .database
            .as_ref()
            .map_or_else(|| "(current database)".to_owned(), |d| d.display());
        let option = |key: &str, default: &str| {
            (
                key.to_owned(),
                share
                    .option(key)
                    .map_or(default.to_owned(), |o| o.value.clone()),
            )
        };
        let share_name = name.clone().unwrap_or_else(|| database.clone());
        let readers = super::statements(repo)
            .filter_map(|(_, _, s)| match &s.kind {
                StatementKind::Grant(g)
                    if !g.revoke && g.object.kind == envlint_sql::ObjectKind::Share =>
                {
                    Some(g)
                }
                _ => None,
            })
            .filter(|g| {
                g.object
                    .names
                    .iter()
                    .any(|n| n.display().eq_ignore_ascii_case(&share_name))
            })
            .flat_map(|g| g.grantees.iter().map(|x| x.name.display()))
            .collect();
        map.shares.push(ShareEntry {
            name: share_name,
            database,
            options: vec![
                option("ACCESS", "ORGANIZATION"),
                option("VISIBILITY", "DISCOVERABLE"),
                option("UPDATE", "MANUAL"),
            ],
            readers,
            file,
            offset: statement.span.start,
        });
    }
    map
}
