//! Loading what is declared as code outside dbt and CI: the `.tf` files of each folder
//! together (a Terraform module shares its variables and locals), permifrost specs, and
//! Databricks Asset Bundles with the files they include.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use envlint_diagnostics::{FileId, Span};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::sql_files::normal_absolute;
use super::walk::walk_files;
use super::{Loader, parse_error};
use crate::iac;
use crate::sql::{SqlFile, SqlOrigin};
use crate::yaml::{Node, Value};

/// The strings of a YAML list (or one string).
fn strings(node: &Node) -> Vec<&str> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => node.as_str().into_iter().collect(),
    }
}

impl Loader<'_> {
    pub(super) fn load_declared_grants(&mut self, terraform: &[PathBuf], permifrost: &[PathBuf]) {
        let mut modules: BTreeMap<&Path, Vec<FileId>> = BTreeMap::new();
        for path in terraform {
            if let Some((file, true)) = self.read(path) {
                let folder = path.parent().unwrap_or(Path::new(""));
                modules.entry(folder).or_default().push(file);
            }
        }
        for files in modules.into_values() {
            let texts: Vec<(FileId, &str)> = files
                .iter()
                .map(|f| (*f, &self.repo.db.get(*f).text[..]))
                .collect();
            let read = iac::read_terraform(&texts);
            for (file, result) in files.into_iter().zip(read) {
                match result {
                    Ok(declared) => {
                        self.add_declared(file, declared.grants);
                        self.repo.orchestrated.extend(declared.dbt_cloud);
                    }
                    Err(error) => {
                        let text = &self.repo.db.get(file).text;
                        let at = text.floor_char_boundary(error.at);
                        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                        let message = format!("invalid Terraform: {}", error.message);
                        self.repo
                            .parse_errors
                            .push(parse_error(Span::new(file, at, end), message));
                    }
                }
            }
        }
        let mut permifrost = permifrost.to_vec();
        if let Some(globs) = self.listed_by_policy("permission-files") {
            let roots = self.options.paths.clone();
            for path in roots.iter().flat_map(|root| walk_files(root).files) {
                if globs.is_match(normal_absolute(&path)) && !permifrost.contains(&path) {
                    permifrost.push(path);
                }
            }
        }
        for path in &permifrost {
            if let Some((file, true)) = self.read(path)
                && let Some(root) = self.parse_yaml(file)
                && iac::is_permifrost_spec(&root)
            {
                self.add_declared(file, iac::read_permifrost(&root));
            }
        }
    }

    /// A bundle file and the YAML files its `include:` globs name under its folder.
    pub(super) fn load_bundle(&mut self, path: &Path) {
        let Some((file, true)) = self.read(path) else {
            return;
        };
        let Some(root) = self.parse_yaml(file) else {
            return;
        };
        let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut globs = GlobSetBuilder::new();
        for pattern in root.get("include").into_iter().flat_map(strings) {
            if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
                globs.add(glob);
            }
        }
        let globs = globs.build().unwrap_or_else(|_| GlobSet::empty());
        let mut included = Vec::new();
        if !globs.is_empty() {
            for candidate in walk_files(&folder).files {
                let relative = candidate.strip_prefix(&folder).unwrap_or(&candidate);
                if candidate != path
                    && globs.is_match(relative)
                    && let Some((included_file, true)) = self.read(&candidate)
                    && let Some(node) = self.parse_yaml(included_file)
                {
                    included.push((included_file, node));
                }
            }
        }
        let bundle = iac::BundleFiles {
            file,
            root: &root,
            included: included.iter().map(|(f, n)| (*f, n)).collect(),
        };
        if let Some(jobs) = iac::read_bundle(&self.repo.db, &bundle) {
            self.repo.orchestrated.push(jobs);
        }
    }

    fn add_declared(&mut self, file: FileId, statements: Vec<envlint_sql::Statement>) {
        if !statements.is_empty() {
            self.repo.sql.push(SqlFile {
                file,
                origin: SqlOrigin::DeclaredAsCode,
                statements,
            });
        }
    }
}
