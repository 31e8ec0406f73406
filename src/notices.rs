//! Notices: what a run could not check and why (a project whose profile is in no file
//! here, a profile defined in several files, a pyproject.toml policy next to the
//! envlint.yml that wins, a project whose own policy this run did not apply), said in every
//! output format.

use envlint_diagnostics::Span;
use envlint_parser::Repository;

/// A fact about the run, not a finding: it never changes the exit code.
pub(crate) struct Notice {
    pub message: String,
    /// Where it is about (the project's `profile:`), when there is such a place.
    pub span: Option<Span>,
}

/// The notices of a loaded repository, in project order.
pub(crate) fn of(repo: &Repository) -> Vec<Notice> {
    let mut notices = Vec::new();
    if let (Some(ignored), Some(policy)) = (&repo.ignored_pyproject, &repo.policy) {
        notices.push(Notice {
            message: format!(
                "{} has a [tool.dbt-envlint] table, but {} next to it is the policy used \
                 (one policy per folder: merge the two, or delete one)",
                ignored.display(),
                repo.db.path(policy.file).display()
            ),
            span: None,
        });
    }
    let used = repo
        .policy
        .as_ref()
        .map_or("the built-in defaults".to_owned(), |p| {
            repo.db.path(p.file).display().to_string()
        });
    for (project, own) in &repo.other_policies {
        let folder = project.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = folder.map_or(".".to_owned(), |f| f.display().to_string());
        notices.push(Notice {
            message: format!(
                "{} has its own policy {}, but one run applies one policy and this one checked \
                 every project against {used}: run `dbt-envlint {folder}` to check it against \
                 its own",
                project.display(),
                own.display()
            ),
            span: None,
        });
    }
    for entry in &repo.projects {
        let Some(profile) = entry.project.profile_name() else {
            continue;
        };
        let project = repo.db.path(entry.project.file).display();
        let span = entry.project.profile.as_ref().map(|field| field.span);
        let found = repo.profile_of(entry);
        if found.is_none() {
            notices.push(Notice {
                message: format!(
                    "profile `{profile}` of {project} is in no profiles file here (dbt Cloud \
                     and `~/.dbt` keep it elsewhere), so its targets, their credentials and \
                     where models land were not checked; CI workflows, grants and `.env` \
                     files were. Pass `--profiles-dir DIR` to read DIR/profiles.yml, or \
                     `--user-profiles` to read ~/.dbt/profiles.yml"
                ),
                span,
            });
        }
        if let Some((chosen, _)) = found
            && chosen.is_for_ci()
            && entry.profiles_file.is_none()
        {
            notices.push(Notice {
                message: format!(
                    "profile `{profile}` of {project} is here only as CI's, in {}: its targets \
                     are the ones CI runs, and the developers' own profile was not read. Pass \
                     `--user-profiles` to check yours in ~/.dbt/profiles.yml",
                    repo.db.path(chosen.file).display()
                ),
                span,
            });
        }
        if let Some((chosen, _)) = found
            && let Some(user) = repo.profiles.iter().find(|f| {
                f.user_level
                    && f.file != chosen.file
                    && f.profiles.iter().any(|p| p.name == profile)
            })
        {
            notices.push(Notice {
                message: format!(
                    "profile `{profile}` of {project} is also in {}, but dbt reads {} first, \
                     so where models land is resolved with that one; the targets of both are \
                     checked. Point dbt at yours with `--profiles-dir` or `DBT_PROFILES_DIR`",
                    repo.db.path(user.file).display(),
                    repo.db.path(chosen.file).display()
                ),
                span,
            });
        }
        let files: Vec<String> = repo
            .profiles
            .iter()
            .filter(|f| f.profiles.iter().any(|p| p.name == profile))
            .filter(|f| repo.same_root(f.file, entry.project.file))
            .map(|f| repo.db.path(f.file).display().to_string())
            .collect();
        if entry.profiles_file.is_none()
            && files.len() > 1
            && let Some((chosen, _)) = found
        {
            notices.push(Notice {
                message: format!(
                    "profile `{profile}` of {project} is defined in {}; where models land is \
                     resolved with the nearest, {}, and every file's targets are checked",
                    files.join(" and "),
                    repo.db.path(chosen.file).display()
                ),
                span,
            });
        }
    }
    notices
}
