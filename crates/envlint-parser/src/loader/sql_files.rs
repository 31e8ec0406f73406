//! Loading permission statements: macros, project configs, setup scripts and CI steps.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use envlint_diagnostics::FileId;
use envlint_sql::{Dialect, Statement};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::Loader;
use crate::sql::{self, SqlFile, SqlOrigin};
use crate::yaml::{Node, Value};

impl Loader<'_> {
    /// The policy's globs under `key` (relative to the policy file): `sql-files:` names SQL
    /// inside the dbt paths (`analyses/grants.sql`) that is a setup script all the same,
    /// `permission-files:` permifrost specs of other names. Malformed entries are the policy
    /// reader's ENV002; here they are skipped.
    pub(super) fn listed_by_policy(&self, key: &str) -> Option<GlobSet> {
        let policy = self.repo.policy.as_ref()?;
        let entries: Vec<&Node> = match &policy.root.get(key)?.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Str(_) => vec![policy.root.get(key)?],
            _ => return None,
        };
        let dir = normal_absolute(self.on_disk.get(&policy.file)?)
            .parent()?
            .to_path_buf();
        let mut globs = GlobSetBuilder::new();
        for pattern in entries.into_iter().filter_map(Node::as_str) {
            let full = dir.join(pattern);
            if let Ok(glob) = GlobBuilder::new(&full.to_string_lossy())
                .literal_separator(true)
                .build()
            {
                globs.add(glob);
            }
        }
        globs.build().ok()
    }

    /// Permission statements of macros, project configs, scripts and CI steps, read in the
    /// dialect of the repository's (first) adapter.
    pub(super) fn load_sql(&mut self, candidates: &[PathBuf]) {
        let dialect = self
            .repo
            .profiles
            .iter()
            .flat_map(|p| &p.profiles)
            .flat_map(|p| &p.targets)
            .find_map(|t| t.adapter.as_ref()?.value.as_literal())
            .map_or(Dialect::Generic, |adapter| Dialect::for_adapter(&adapter));
        let mut found = Vec::new();
        let mut dbt_dirs = Vec::new();
        for entry in &self.repo.projects {
            let project = &entry.project;
            dbt_dirs.extend(project.sql_dirs());
            for macro_file in &project.macros {
                let text = &self.repo.db.get(macro_file.file).text;
                if envlint_sql::may_hold_permissions(text) {
                    let statements = envlint_sql::statements(text, dialect);
                    found.push((macro_file.file, SqlOrigin::Macro, statements));
                }
            }
            let text = &self.repo.db.get(project.file).text;
            let statements = sql::config_statements(&project.root, text, dialect);
            found.push((project.file, SqlOrigin::ProjectConfig, statements));
            // `{{ config(post_hook="grant ...") }}` in a model: runs for every target.
            for file in project.nodes.iter().filter_map(|node| node.file) {
                let text = &self.repo.db.get(file).text;
                if text.contains("hook") && envlint_sql::may_hold_permissions(text) {
                    let statements = envlint_sql::statements(text, dialect);
                    found.push((file, SqlOrigin::ProjectConfig, statements));
                }
            }
        }
        for (file, root) in std::mem::take(&mut self.config_docs) {
            let text = &self.repo.db.get(file).text;
            let statements = sql::config_statements(&root, text, dialect);
            found.push((file, SqlOrigin::ProjectConfig, statements));
        }
        // Compared as text: component-wise `Path::starts_with` over every model path of a
        // big project costs more than reading the scripts.
        let prefixes: Vec<String> = dbt_dirs
            .iter()
            .map(|dir| format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR))
            .collect();
        let listed = self.listed_by_policy("sql-files");
        let scripts: Vec<&PathBuf> = candidates
            .iter()
            .filter(|path| {
                let text = path.to_string_lossy();
                let in_dbt_paths = prefixes
                    .iter()
                    .any(|prefix| text.starts_with(prefix.as_str()));
                !in_dbt_paths
                    || listed
                        .as_ref()
                        .is_some_and(|globs| globs.is_match(normal_absolute(path)))
            })
            .collect();
        for path in scripts {
            if let Some((file, true)) = self.read(path) {
                let text = &self.repo.db.get(file).text;
                if envlint_sql::may_hold_permissions(text) {
                    let statements = envlint_sql::statements(text, dialect);
                    found.push((file, SqlOrigin::Script, statements));
                }
            }
        }
        let mut by_file: BTreeMap<FileId, Vec<Statement>> = BTreeMap::new();
        let scripts = self
            .repo
            .ci
            .iter()
            .flat_map(|ci| &ci.jobs)
            .flat_map(|j| &j.steps);
        for (file, statement) in scripts
            .filter_map(|s| s.script.as_ref())
            .flat_map(|s| &s.sql)
        {
            by_file.entry(*file).or_default().push(statement.clone());
        }
        found.extend(
            by_file
                .into_iter()
                .map(|(file, statements)| (file, SqlOrigin::CiStep, statements)),
        );
        self.repo.sql.extend(
            found
                .into_iter()
                .filter(|(_, _, statements)| !statements.is_empty())
                .map(|(file, origin, statements)| SqlFile {
                    file,
                    origin,
                    statements,
                }),
        );
    }
}

/// `path` made absolute with `.` and `..` resolved by text, as a glob matches it (the policy
/// was found through a canonical directory, fixtures are reached through `../..`).
pub(super) fn normal_absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}
