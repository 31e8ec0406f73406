//! Loading dbt projects: `dbt_project.yml`, then the models, seeds, snapshots, properties
//! files, sources and macros under its paths.

use std::path::{Path, PathBuf};

use envlint_diagnostics::{FileId, Span};

use super::walk::walk_files;
use super::{Loader, ProjectEntry, jinja_errors};
use crate::field::FieldReader;
use crate::nodes::{self, MacroFile, NodeFile, ResourceType};
use crate::project::{self, DbtProject};
use crate::sql;

impl Loader<'_> {
    pub(super) fn load_project(&mut self, path: &Path) {
        let Some((file, true)) = self.read(path) else {
            return;
        };
        let Some(root) = self.parse_yaml(file) else {
            return;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut reader = FieldReader::new(&self.repo.db, file);
        let mut project = project::read_project(&mut reader, dir, root);
        let errors = jinja_errors(reader);
        self.repo.parse_errors.extend(errors);
        self.load_project_files(&mut project);
        self.repo.projects.push(ProjectEntry {
            project,
            profiles_file: None,
        });
    }

    /// Project paths (`model-paths: ["../.."]`) are followed only inside the paths being
    /// checked: a `dbt_project.yml` cannot send the walk across the filesystem.
    fn inside_checked_paths(&self, path: &Path) -> bool {
        let Ok(path) = std::fs::canonicalize(path) else {
            return false;
        };
        self.options
            .paths
            .iter()
            .filter_map(|root| std::fs::canonicalize(root).ok())
            .any(|root| path.starts_with(root))
    }

    /// Whether a file a repository's own text points at (a script a CI step runs, a GitLab
    /// include, a project's `profiles.yml`, through any symlink) is inside the repository:
    /// a checked path or the git repository that holds it. Nothing else is ever read unless
    /// the user names it.
    pub(super) fn inside_repository(&self, path: &Path) -> bool {
        let Ok(path) = std::fs::canonicalize(path) else {
            return false;
        };
        self.options
            .paths
            .iter()
            .filter_map(|root| std::fs::canonicalize(root).ok())
            .any(|root| {
                let top = root
                    .ancestors()
                    .find(|d| d.join(".git").exists())
                    .unwrap_or(&root);
                path.starts_with(top)
            })
    }

    /// Models, seeds, snapshots, properties files and macro files of a project.
    fn load_project_files(&mut self, project: &mut DbtProject) {
        let kinds = [
            (project.model_paths.clone(), ResourceType::Model),
            (project.seed_paths.clone(), ResourceType::Seed),
            (project.snapshot_paths.clone(), ResourceType::Snapshot),
        ];
        let mut files: Vec<(ResourceType, PathBuf, PathBuf)> = Vec::new();
        for (paths, kind) in kinds {
            for relative in paths {
                let root = project.dir.join(&relative);
                if self.inside_checked_paths(&root) {
                    files.extend(
                        walk_files(&root)
                            .files
                            .into_iter()
                            .map(|path| (kind, root.clone(), path)),
                    );
                }
            }
        }
        let macros: Vec<PathBuf> = project
            .macro_paths
            .iter()
            .map(|relative| project.dir.join(relative))
            .filter(|root| self.inside_checked_paths(root))
            .flat_map(|root| walk_files(&root).files)
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .collect();
        let read_ahead: Vec<PathBuf> = files
            .iter()
            .map(|(_, _, path)| path.clone())
            .filter(|path| {
                path.extension()
                    .is_some_and(|e| ["sql", "py", "yml", "yaml"].iter().any(|x| e == *x))
            })
            .chain(macros.iter().cloned())
            .collect();
        self.prefetch(&read_ahead);
        for (kind, root, path) in &files {
            self.load_project_file(project, *kind, root, path);
        }
        for path in macros {
            {
                if let Some((file, true)) = self.read(&path) {
                    let text = &self.repo.db.get(file).text;
                    let naming_macros = nodes::naming_macros(text)
                        .into_iter()
                        .map(|(name, range)| (name, Span::new(file, range.start, range.end)))
                        .collect();
                    project.macros.push(MacroFile {
                        file,
                        naming_macros,
                    });
                }
            }
        }
    }

    fn load_project_file(
        &mut self,
        project: &mut DbtProject,
        kind: ResourceType,
        root: &Path,
        path: &Path,
    ) {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let relative = |base: &Path| {
            path.strip_prefix(base)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        };
        let in_project = relative(&project.dir).join("/");
        let mut folders = relative(root);
        folders.pop();
        let node = |name: String, file: Option<FileId>| NodeFile {
            resource_type: kind,
            name,
            path: in_project.clone(),
            folders: folders.clone(),
            file,
        };
        match (kind, extension.as_str()) {
            (_, "yml" | "yaml") => {
                let Some((file, true)) = self.read(path) else {
                    return;
                };
                let text = &self.repo.db.get(file).text;
                let names = nodes::may_configure_names(text);
                let permissions = sql::may_configure_permissions(text);
                let sources = nodes::may_declare_sources(text);
                if (names || permissions || sources)
                    && let Some(root) = self.parse_yaml(file)
                {
                    if sources {
                        let text = &self.repo.db.get(file).text;
                        project
                            .sources
                            .extend(nodes::source_entries(&root, file, text));
                    }
                    if names {
                        project
                            .properties
                            .extend(nodes::property_entries(&root, file));
                    }
                    if permissions {
                        self.config_docs.push((file, root));
                    }
                }
            }
            (ResourceType::Model, "sql" | "py") => {
                let file = self.read(path).map(|(file, _)| file);
                project.nodes.push(node(stem, file));
            }
            (ResourceType::Seed, "csv") => project.nodes.push(node(stem, None)),
            (ResourceType::Snapshot, "sql") => {
                if let Some((file, _)) = self.read(path) {
                    for name in nodes::snapshot_names(&self.repo.db.get(file).text) {
                        project.nodes.push(node(name, Some(file)));
                    }
                }
            }
            _ => {}
        }
    }
}
