//! `--show-settings`: for each dbt project, the policy file, the profiles files and how many
//! files of each kind the check reads, as paths relative to the working directory.

use std::fmt::Write;
use std::path::Path;

use envlint_parser::{ProfilesFile, Repository};

pub(crate) fn render(repo: &Repository) -> String {
    let db = &repo.db;
    let policy = repo.policy.as_ref().map_or_else(
        || "none found (the built-in `recommended` preset applies)".to_owned(),
        |policy| db.path(policy.file).display().to_string(),
    );
    let mut text = String::new();
    if repo.projects.is_empty() {
        let _ = writeln!(text, "no dbt project\n  policy: {policy}");
    }
    for entry in &repo.projects {
        let project_file = db.path(entry.project.file);
        let dir = project_file.parent().unwrap_or(Path::new(""));
        let profile = entry.project.profile_name();
        let _ = writeln!(text, "{}", project_file.display());
        let _ = writeln!(text, "  policy: {policy}");
        let used = repo.profile_of(entry).map(|(file, _)| file.file);
        let defining: Vec<String> = repo
            .profiles
            .iter()
            .filter(|file| {
                profile
                    .as_deref()
                    .is_some_and(|name| file.profiles.iter().any(|p| p.name == name))
            })
            .map(|file| describe(repo, file, used == Some(file.file)))
            .collect();
        let profiles = match (&profile, defining.is_empty()) {
            (None, _) => "the project names no profile".to_owned(),
            (Some(name), true) => format!("`{name}` is in no profiles file read"),
            (Some(name), false) => format!("`{name}` in {}", defining.join(", ")),
        };
        let _ = writeln!(text, "  profiles: {profiles}");
        let sql = repo
            .sql
            .iter()
            .filter(|file| db.path(file.file).starts_with(dir))
            .count();
        let _ = writeln!(
            text,
            "  files: {} CI, {} .env, {sql} SQL with permission statements",
            repo.ci.len(),
            repo.dotenv.len(),
        );
    }
    text
}

/// `ci/profiles.yml (used, CI's)`: the file and what it is to the project.
fn describe(repo: &Repository, file: &ProfilesFile, used: bool) -> String {
    let mut marks = Vec::new();
    if used {
        marks.push("used");
    }
    if file.user_level {
        marks.push("user's");
    }
    if file.written_by_ci || file.in_ci_folder {
        marks.push("CI's");
    }
    let path = repo.db.path(file.file).display();
    if marks.is_empty() {
        path.to_string()
    } else {
        format!("{path} ({})", marks.join(", "))
    }
}
