//! Write grants followed through role grants, and the report of those on prod (ENV402/ENV404).

use std::collections::HashMap;

use envlint_diagnostics::FileId;
use envlint_parser::{Repository, SqlOrigin};
use envlint_sql::{
    Access, Grant, Grantee, GranteeKind, Name, ObjectKind, Privilege, Statement, StatementKind,
};

use super::{Holder, Locations, TargetLocation, at, holder, statements};
use crate::context::Context;
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
                            holder: holder(policy, grantee),
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
                        holder: holder(policy, member),
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

/// Reports every write on prod held by `who` (ENV402 for people, ENV404 for CI): one finding
/// per grantee and object, naming all the write privileges the statement gives.
pub fn report_prod_writes(cx: &mut Context<'_>, who: Holder, described: &str, help: &str) {
    let locations = Locations::new(cx.repo, cx.profiles);
    let writes = writes(cx.repo, cx.policy, &locations);
    let mut groups: Vec<Vec<&Write<'_>>> = Vec::new();
    for write in writes.iter().filter(|w| w.holder == who && w.is_on_prod()) {
        let key = |w: &Write<'_>| {
            (
                w.file,
                w.grantee.name.span.clone(),
                w.object.span.clone(),
                w.via.map(|(f, g)| (f, g.name.span.clone())),
            )
        };
        match groups.iter_mut().find(|g| key(g[0]) == key(write)) {
            Some(group) => group.push(write),
            None => groups.push(vec![write]),
        }
    }
    for group in groups {
        let write = group[0];
        let privileges: Vec<&str> = group.iter().map(|w| w.privilege.text.as_str()).collect();
        let (primary_file, through) = match write.via {
            Some((file, role)) => (file, format!(" through role `{}`", role.name.display())),
            None => (write.file, String::new()),
        };
        let who = match write.grantee.kind {
            GranteeKind::Public => "everyone",
            GranteeKind::User => "a user",
            GranteeKind::Group => "a group",
            _ => described,
        };
        let first = &group[0].privilege.span;
        let last = &group[group.len() - 1].privilege.span;
        let source_data = write.location.is_some_and(|l| l.source_data);
        let (what, here) = if source_data {
            (
                "production source data",
                "production source data: read-only for every environment",
            )
        } else {
            ("prod", "prod writes here")
        };
        let message = format!(
            "`{}` ({who}) can write {what}{through}: `{}` on `{}`",
            write.grantee.name.display(),
            privileges.join(", "),
            write.object.display(),
        );
        let mut diag = cx
            .diagnostic(
                message,
                at(primary_file, &write.grantee.name.span),
                format!("{who} gets write on {what}"),
            )
            .with_related(
                at(write.file, &(first.start..last.end)),
                format!("write privileges on {what}"),
            )
            .with_help(help.to_owned());
        if let Some(location) = write.location {
            diag = diag.with_related(location.span, here);
        }
        cx.report(diag);
    }
}
