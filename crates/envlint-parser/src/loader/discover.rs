//! Finding the files to load: the walk's files sorted by what each file is, and the policy
//! file searched upwards (`envlint.yml`, `.envlint.yml`, else `pyproject.toml`'s
//! `[tool.dbt-envlint]`, in each folder).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::POLICY_FILE_NAMES;
use super::walk::{Walked, walk_files};
use crate::pyproject::{PYPROJECT, has_policy_table};

/// Candidate files found by walking the given paths.
#[derive(Default)]
pub(super) struct Found {
    pub(super) projects: BTreeSet<PathBuf>,
    pub(super) profiles: BTreeSet<PathBuf>,
    pub(super) workflows: BTreeSet<PathBuf>,
    pub(super) gitlab: BTreeSet<PathBuf>,
    pub(super) dotenv: BTreeSet<PathBuf>,
    /// Every `.sql` file, in walk order: those outside a project's dbt paths are scripts.
    /// A list, not a set: ten thousand model paths are only filtered once.
    pub(super) sql: Vec<PathBuf>,
    /// Terraform files (`*.tf`), read for the grants they declare.
    pub(super) terraform: Vec<PathBuf>,
    /// YAML files that may be permifrost specs (`roles.yml`, `*permifrost*.yml`).
    pub(super) permifrost: Vec<PathBuf>,
    /// Databricks Asset Bundle files (`databricks.yml`).
    pub(super) bundles: Vec<PathBuf>,
    /// Ignore files the walk could not honour, with why.
    pub(super) unhonoured: BTreeMap<PathBuf, String>,
}

pub(super) fn discover(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for root in paths {
        let Walked {
            mut files,
            unhonoured,
        } = walk_files(root);
        found.unhonoured.extend(unhonoured);
        files.extend(enclosing_ci_files(root));
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let in_workflows = path
                .parent()
                .is_some_and(|p| p.ends_with(Path::new(".github").join("workflows")));
            if name == "dbt_project.yml" {
                found.projects.insert(path);
            } else if in_workflows && (name.ends_with(".yml") || name.ends_with(".yaml")) {
                found.workflows.insert(path);
            } else if name == ".gitlab-ci.yml" {
                found.gitlab.insert(path);
            } else if name == ".env" || name.starts_with(".env.") {
                found.dotenv.insert(path);
            } else if is_profiles_name(&name) {
                found.profiles.insert(path);
            } else if name.ends_with(".sql") {
                found.sql.push(path);
            } else if name.ends_with(".tf") {
                found.terraform.push(path);
            } else if name == "databricks.yml" || name == "databricks.yaml" {
                found.bundles.push(path);
            } else if is_permifrost_name(&name) {
                found.permifrost.push(path);
            }
        }
    }
    found
}

/// The CI definitions at the root of the git repository that holds `root`, when `root` is a
/// folder inside it (a dbt project in `transform/`): the workflows that build that project
/// live at the top. Nothing above the repository's root is read.
fn enclosing_ci_files(root: &Path) -> Vec<PathBuf> {
    // A file given by name (`transform/profiles.yml`) is reached from its folder.
    let root = if root.is_file() {
        root.parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        root
    };
    let Ok(start) = std::fs::canonicalize(root) else {
        return Vec::new();
    };
    let Some(top) = start.ancestors().skip(1).find(|d| d.join(".git").exists()) else {
        return Vec::new();
    };
    let relative = |path: PathBuf| {
        // Shown as the user would reach it from `root`: `../../.github/workflows/ci.yml`.
        let up = start
            .strip_prefix(top)
            .map_or(0, |rest| rest.components().count());
        let mut shown: PathBuf = std::iter::repeat_n("..", up).collect();
        shown.push(path.strip_prefix(top).unwrap_or(&path));
        root.join(shown)
            .components()
            .filter(|c| *c != std::path::Component::CurDir)
            .collect::<PathBuf>()
    };
    let mut files: Vec<PathBuf> = walk_files(&top.join(".github").join("workflows")).files;
    let gitlab = top.join(".gitlab-ci.yml");
    if gitlab.is_file() {
        files.push(gitlab);
    }
    files.into_iter().map(relative).collect()
}

/// `profiles.yml`, `ci_profiles.yaml`, `sample.profiles.yml`: any YAML file whose name
/// mentions profiles.
fn is_profiles_name(name: &str) -> bool {
    (name.ends_with(".yml") || name.ends_with(".yaml")) && name.contains("profiles")
}

/// `roles.yml` (permifrost's own name) or any YAML file whose name says permifrost.
fn is_permifrost_name(name: &str) -> bool {
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    yaml && (name.starts_with("roles.") || name.contains("permifrost"))
}

/// Each dbt project's own policy: the nearest, searched upwards from it like ruff's
/// configuration.
pub(super) fn project_policies(projects: &BTreeSet<PathBuf>) -> Vec<(&PathBuf, Option<PathBuf>)> {
    projects.iter().map(|p| (p, find_policy(Some(p)))).collect()
}

/// The policy the projects agree on: a project in `transform/` with its own
/// `transform/envlint.yml` is checked against it from the repository's root. Projects with
/// different policies, or some with none, fall back to the search from the first path.
pub(super) fn nearest_policy(own: &[(&PathBuf, Option<PathBuf>)]) -> Option<PathBuf> {
    let nearest: BTreeSet<&Option<PathBuf>> = own.iter().map(|(_, policy)| policy).collect();
    let mut nearest = nearest.into_iter();
    match (nearest.next(), nearest.next()) {
        (Some(only), None) => only.clone(),
        _ => None,
    }
}

pub(super) fn find_policy(start: Option<&PathBuf>) -> Option<PathBuf> {
    let start = start?;
    let dir = if start.is_dir() {
        start.clone()
    } else {
        start.parent()?.to_path_buf()
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    dir.ancestors().find_map(|d| {
        POLICY_FILE_NAMES
            .iter()
            .map(|name| d.join(name))
            .find(|candidate| candidate.is_file())
            .or_else(|| policy_pyproject(d))
    })
}

/// `dir/pyproject.toml` when it has a `[tool.dbt-envlint]` table (ruff's rule: a
/// pyproject.toml without the tool's table is no configuration).
pub(super) fn policy_pyproject(dir: &Path) -> Option<PathBuf> {
    let path = dir.join(PYPROJECT);
    let text = std::fs::read_to_string(&path).ok()?;
    has_policy_table(&text).then_some(path)
}
