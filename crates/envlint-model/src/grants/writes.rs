//! Write grants followed through role grants.

use std::collections::HashMap;

use envlint_diagnostics::FileId;
use envlint_parser::{Repository, SqlOrigin};
use envlint_sql::{Access, Grant, Grantee, Name, ObjectKind, Privilege, Statement, StatementKind};

use super::{Holder, Locations, TargetLocation, holder, holder_by_name, statements};
use crate::environment::Environment;
use crate::policy::Policy;

/// A write privilege held by `grantee` (directly, or through the role `via` was granted to),
/// with the target location its object is in, when the names say.
pub struct Write<'a> {
    pub file: FileId,
    pub origin: SqlOrigin,
    pub privilege: &'a Privilege,
    pub kind: ObjectKind,
    pub object: &'a Name,
    pub grantee: &'a Grantee,
    pub location: Option<&'a TargetLocation>,
    pub holder: Holder,
    /// The role grant that passes the write on (`GRANT ROLE writer TO USER ana`).
    pub via: Option<(FileId, &'a Grantee)>,
}

impl Write<'_> {
    pub fn is_on_prod(&self) -> bool {
        self.location
            .is_some_and(|l| l.environment == Environment::Prod)
    }
}

/// Every write grant of the repository, following role grants up to a few levels.
pub fn writes<'a>(
    repo: &'a Repository,
    policy: &Policy,
    locations: &'a Locations,
) -> Vec<Write<'a>> {
    let grants: Vec<(FileId, SqlOrigin, &Statement, &Grant)> = statements(repo)
        .filter_map(|(file, origin, s)| match &s.kind {
            StatementKind::Grant(g) if !g.revoke => Some((file, origin, s, g)),
            _ => None,
        })
        .collect();
    let revokes = Revokes::new(repo);
    let mut writes = Vec::new();
    for &(file, origin, statement, grant) in &grants {
        let every_target = origin == SqlOrigin::ProjectConfig && !statement.conditional;
        for privilege in grant
            .privileges
            .iter()
            .filter(|p| p.access == Access::Write)
        {
            for object in &grant.object.names {
                let location = locations.locate(grant.object.kind, object, every_target);
                for grantee in &grant.grantees {
                    if !revokes.revoked_later(file, statement, grantee, object) {
                        writes.push(Write {
                            file,
                            origin,
                            privilege,
                            kind: grant.object.kind,
                            object,
                            grantee,
                            location,
                            holder: write_holder(policy, grantee, location),
                            via: None,
                        });
                    }
                }
            }
        }
    }
    let memberships: Vec<(FileId, &Grant)> = grants
        .iter()
        .filter(|(_, _, _, g)| g.object.kind == ObjectKind::Role)
        .map(|&(file, _, _, g)| (file, g))
        .collect();
    let mut frontier = 0..writes.len();
    for _ in 0..4 {
        let mut next = Vec::new();
        for base in &writes[frontier.clone()] {
            let Some(role) = base.grantee.name.last_literal() else {
                continue;
            };
            for &(file, membership) in &memberships {
                let grants_role = membership.object.names.iter().any(|n| {
                    n.last_literal()
                        .is_some_and(|r| r.eq_ignore_ascii_case(role))
                });
                if grants_role {
                    next.extend(membership.grantees.iter().map(|member| Write {
                        grantee: member,
                        holder: write_holder(policy, member, base.location),
                        via: Some((file, base.grantee)),
                        ..*base
                    }));
                }
            }
        }
        frontier = writes.len()..writes.len() + next.len();
        writes.extend(next);
        if frontier.is_empty() {
            break;
        }
    }
    writes
}

/// Where the last `REVOKE` of each (file, object, grantee) stands: a grant before it is
/// taken back. Built once, so a file of many grants is read in linear time.
struct Revokes(HashMap<(FileId, String, String), usize>);

impl Revokes {
    fn new(repo: &Repository) -> Self {
        let mut last = HashMap::new();
        for (file, _, statement) in statements(repo) {
            let StatementKind::Grant(revoke) = &statement.kind else {
                continue;
            };
            if !revoke.revoke {
                continue;
            }
            for object in &revoke.object.names {
                for grantee in &revoke.grantees {
                    let key = (file, lower(object), lower(&grantee.name));
                    let at = last.entry(key).or_insert(statement.span.start);
                    *at = (*at).max(statement.span.start);
                }
            }
        }
        Self(last)
    }

    /// A `REVOKE` later in the same file takes the grant back from the same grantee.
    fn revoked_later(
        &self,
        file: FileId,
        grant: &Statement,
        grantee: &Grantee,
        object: &Name,
    ) -> bool {
        self.0
            .get(&(file, lower(object), lower(&grantee.name)))
            .is_some_and(|&at| at > grant.span.start)
    }
}

fn lower(name: &Name) -> String {
    name.display().to_ascii_lowercase()
}

/// Who holds a write: on production source data by name only, since the loaders that write
/// it are users too (`stitch`, `rudderstack`); elsewhere a user or group is a person.
fn write_holder(policy: &Policy, grantee: &Grantee, location: Option<&TargetLocation>) -> Holder {
    if location.is_some_and(|l| l.source_data) {
        holder_by_name(policy, grantee)
    } else {
        holder(policy, grantee)
    }
}
