//! The report of write grants on prod that one kind of holder has (ENV402 for people,
//! ENV404 for CI): one finding per grantee and object.

use envlint_model::grants::{Holder, Locations, Write, at, writes};
use envlint_parser::SqlOrigin;
use envlint_sql::GranteeKind;

use crate::context::Context;

/// Reports every write on prod held by `who` (ENV402 for people, ENV404 for CI): one finding
/// per grantee and object, naming all the write privileges the statement gives.
pub(crate) fn report_prod_writes(cx: &mut Context<'_>, who: Holder, described: &str, help: &str) {
    let locations = Locations::new(cx.repo, cx.profiles);
    let writes = writes(cx.repo, cx.policy, &locations);
    let mut groups: Vec<Vec<&Write<'_>>> = Vec::new();
    for write in writes.iter().filter(|w| w.holder == who && w.is_on_prod()) {
        // Through a role, or declared as code, one finding per holder and object however
        // many grants write it (permifrost's database `write`, schema `write` and tables'
        // `write` are three).
        let key = |w: &Write<'_>| match w.via {
            Some((file, member)) => (
                file,
                member.name.span.clone(),
                None,
                w.object.display().to_ascii_lowercase(),
            ),
            None if w.origin == SqlOrigin::DeclaredAsCode => (
                w.file,
                w.grantee.name.span.clone(),
                None,
                w.object.display().to_ascii_lowercase(),
            ),
            None => (
                w.file,
                w.grantee.name.span.clone(),
                Some(w.object.span.clone()),
                String::new(),
            ),
        };
        match groups.iter_mut().find(|g| key(g[0]) == key(write)) {
            Some(group) => group.push(write),
            None => groups.push(vec![write]),
        }
    }
    for group in groups {
        let write = group[0];
        let mut privileges: Vec<&str> = Vec::new();
        for write in &group {
            if !privileges.contains(&write.privilege.text.as_str()) {
                privileges.push(&write.privilege.text);
            }
        }
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
