//! Finds and loads everything a check needs: dbt projects, profiles files and the policy.
//!
//! This is the only module that touches the filesystem. Rules get the [`Repository`] it builds,
//! which is what lets an editor lint unsaved buffers (`LoadOptions::overrides`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use envlint_diagnostics::{Diagnostic, FileId, Severity, SourceDb, Span};
use envlint_sql::{Dialect, Statement};

use crate::ci::{self, CiFile, DotenvFile};
use crate::field::FieldReader;
use crate::nodes::{self, MacroFile, NodeFile, ResourceType};
use crate::profiles::{self, ProfilesFile};
use crate::project::{self, DbtProject};
use crate::sql::{self, SqlFile, SqlOrigin};
use crate::suppressions::Suppressions;
use crate::yaml::{self, Node};

/// Files larger than this are reported and skipped.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Directories dbt itself writes or installs into; never part of the repository's config.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "target",
    "dbt_packages",
    "dbt_modules",
    "logs",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
];
pub const POLICY_FILE_NAMES: &[&str] = &["envlint.yml", ".envlint.yml"];

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Files or directories to check.
    pub paths: Vec<PathBuf>,
    /// `--profiles-dir`, or else `DBT_PROFILES_DIR` (the caller reads the environment).
    pub profiles_dir: Option<PathBuf>,
    /// The user's `~/.dbt/profiles.yml`, only when `--user-profiles` is given.
    pub user_profiles: Option<PathBuf>,
    /// `--policy`; otherwise `envlint.yml`/`.envlint.yml` is searched from the first path up.
    pub policy: Option<PathBuf>,
    /// Paths are shown relative to this directory when they are inside it.
    pub display_base: PathBuf,
    /// File contents that replace what is on disk (an editor's unsaved buffers).
    pub overrides: HashMap<PathBuf, String>,
}

/// A parsed policy document, interpreted by the rules crate.
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    pub file: FileId,
    pub root: Node,
}

/// Everything loaded from a repository.
#[derive(Debug, Default)]
pub struct Repository {
    pub db: SourceDb,
    pub projects: Vec<ProjectEntry>,
    pub profiles: Vec<ProfilesFile>,
    pub policy: Option<PolicyDocument>,
    /// GitHub Actions workflows and GitLab CI files.
    pub ci: Vec<CiFile>,
    /// Committed `.env` files.
    pub dotenv: Vec<DotenvFile>,
    /// Permission statements (grants, shares, snapshots), by file.
    pub sql: Vec<SqlFile>,
    /// ENV001 findings: files that could not be read or parsed.
    pub parse_errors: Vec<Diagnostic>,
    /// `envlint: ignore[...]` comments of every loaded file.
    pub suppressions: Suppressions,
}

/// A dbt project and the profiles file dbt would use for it.
#[derive(Debug, Clone)]
pub struct ProjectEntry {
    pub project: DbtProject,
    pub profiles_file: Option<FileId>,
}

/// Builds the ENV001 diagnostic for a file that cannot be read or parsed.
pub fn parse_error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        "ENV001",
        "parse-error",
        Severity::Error,
        message,
        span,
        "cannot be parsed",
    )
    .with_help("dbt cannot use this file either; fix it (the other files were checked)")
}

/// Loads the repository under `options.paths`. Never fails: unreadable or invalid files
/// become ENV001 diagnostics and the rest is still loaded.
pub fn load(options: &LoadOptions) -> Repository {
    let mut loader = Loader {
        options,
        repo: Repository::default(),
        loaded: HashMap::new(),
        prefetched: HashMap::new(),
        on_disk: HashMap::new(),
        preparsed: HashMap::new(),
        config_docs: Vec::new(),
    };
    let found = discover(&options.paths);
    for path in &found.projects {
        loader.load_project(path);
    }
    for path in &found.profiles {
        loader.load_profiles(path, false);
    }
    loader.resolve_project_profiles();
    for path in &found.workflows {
        loader.load_github(path);
    }
    for path in &found.gitlab {
        loader.load_gitlab(path, 0);
    }
    loader.follow_scripts();
    loader.load_inline_profiles();
    for path in &found.dotenv {
        if let Some((file, true)) = loader.read(path) {
            let dotenv = ci::read_dotenv(file, &loader.repo.db.get(file).text);
            // `.env` values are mostly secrets: none is ever shown.
            for var in &dotenv.vars {
                loader.repo.db.redact(var.span);
            }
            loader.repo.dotenv.push(dotenv);
        }
    }
    if let Some(policy) = options
        .policy
        .clone()
        .or_else(|| find_policy(options.paths.first()))
    {
        loader.load_policy(&policy);
    }
    loader.load_sql(&found.sql);
    loader.repo.suppressions = Suppressions::scan(&loader.repo.db);
    loader.repo
}

/// Candidate files found by walking the given paths.
#[derive(Default)]
struct Found {
    projects: BTreeSet<PathBuf>,
    profiles: BTreeSet<PathBuf>,
    workflows: BTreeSet<PathBuf>,
    gitlab: BTreeSet<PathBuf>,
    dotenv: BTreeSet<PathBuf>,
    /// Every `.sql` file, in walk order: those outside a project's dbt paths are scripts.
    /// A list, not a set: ten thousand model paths are only filtered once.
    sql: Vec<PathBuf>,
}

fn discover(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for root in paths {
        for path in walk_files(root) {
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
            }
        }
    }
    found
}

/// Every file under `root`, honouring `.gitignore` and `.dbtignore` and skipping the
/// directories dbt writes or installs into, in a stable order.
fn walk_files(root: &Path) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .hidden(false)
        .add_custom_ignore_filename(".dbtignore")
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && entry.depth() > 0
                && SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref()))
        })
        .build();
    let mut files: Vec<PathBuf> = walker
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// `profiles.yml`, `ci_profiles.yaml`, `sample.profiles.yml`: any YAML file whose name
/// mentions profiles.
fn is_profiles_name(name: &str) -> bool {
    (name.ends_with(".yml") || name.ends_with(".yaml")) && name.contains("profiles")
}

fn find_policy(start: Option<&PathBuf>) -> Option<PathBuf> {
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
    })
}

struct Loader<'a> {
    options: &'a LoadOptions,
    repo: Repository,
    /// Canonical path -> file, so a file reached twice is loaded once.
    loaded: HashMap<PathBuf, FileId>,
    /// Files read (and YAML parsed) ahead in parallel, by path.
    prefetched: HashMap<PathBuf, Fetched>,
    /// Where each file is on disk (the source db keeps display paths).
    on_disk: HashMap<FileId, PathBuf>,
    /// YAML parsed ahead, by file, until [`Self::parse_yaml`] takes it.
    preparsed: HashMap<FileId, Result<Node, yaml::YamlError>>,
    /// Properties files with hooks or `grants:` configs, read for permission statements.
    config_docs: Vec<(FileId, Node)>,
}

/// A file read ahead: its canonical path, its text and, for YAML, the parse.
struct Fetched {
    key: PathBuf,
    text: Result<String, Unreadable>,
    parsed: Option<Result<Node, yaml::YamlError>>,
}

impl Loader<'_> {
    fn display_path(&self, path: &Path) -> PathBuf {
        let base = &self.options.display_base;
        if let Ok(relative) = path.strip_prefix(base) {
            return relative.to_path_buf();
        }
        let canonical = (std::fs::canonicalize(path), std::fs::canonicalize(base));
        if let (Ok(path), Ok(base)) = &canonical
            && let Ok(relative) = path.strip_prefix(base)
        {
            return relative.to_path_buf();
        }
        path.to_path_buf()
    }

    /// Reads a file into the source db, or reports why it cannot be read.
    fn read(&mut self, path: &Path) -> Option<(FileId, bool)> {
        let Fetched { key, text, parsed } = self.prefetched.remove(path).unwrap_or_else(|| {
            let (key, text) = fetch(self.options, path);
            Fetched {
                key,
                text,
                parsed: None,
            }
        });
        if let Some(&file) = self.loaded.get(&key) {
            return Some((file, false));
        }
        let display = self.display_path(path);
        let (file, ok) = match text {
            Ok(text) => (self.repo.db.add(display, text), true),
            Err(unreadable) => {
                let file = self.repo.db.add(display, unreadable.shown);
                let at = unreadable.at;
                self.repo
                    .parse_errors
                    .push(parse_error(Span::new(file, at, at + 1), unreadable.reason));
                (file, false)
            }
        };
        self.loaded.insert(key, file);
        self.on_disk.insert(file, path.to_path_buf());
        if let Some(parsed) = parsed.filter(|_| ok) {
            self.preparsed.insert(file, parsed);
        }
        ok.then_some((file, true))
    }

    /// Reads files (and parses the YAML ones) on every core, ahead of [`Self::read`] and
    /// [`Self::parse_yaml`], which then take the results in order.
    fn prefetch(&mut self, paths: &[PathBuf]) {
        use rayon::prelude::*;
        let options = self.options;
        let fetched: Vec<(PathBuf, Fetched)> = paths
            .par_iter()
            .map(|path| {
                let (key, text) = fetch(options, path);
                let is_yaml = path.extension().is_some_and(|e| e == "yml" || e == "yaml");
                let parsed = match &text {
                    Ok(text) if is_yaml && nodes::may_configure_names(text) => {
                        Some(yaml::parse(text))
                    }
                    _ => None,
                };
                (path.clone(), Fetched { key, text, parsed })
            })
            .collect();
        self.prefetched.extend(fetched);
    }

    /// Parses a file as YAML, reporting syntax errors as ENV001.
    fn parse_yaml(&mut self, file: FileId) -> Option<Node> {
        let parsed = self.preparsed.remove(&file);
        let source = self.repo.db.get(file);
        let parsed = parsed.unwrap_or_else(|| yaml::parse(&source.text));
        match parsed {
            Ok(node) => Some(node),
            Err(err) => {
                let offset = err.location.map_or(0, |(line, col)| {
                    source.lines.offset(&source.text, line, col)
                });
                let rest = &source.text[offset..];
                let duplicate = err
                    .message
                    .strip_prefix("duplicate key `")
                    .and_then(|k| k.strip_suffix('`'))
                    .filter(|key| rest.starts_with(key));
                let end = match duplicate {
                    Some(key) => offset + key.len(),
                    None => rest
                        .chars()
                        .next()
                        .map_or(offset, |c| offset + c.len_utf8()),
                };
                let span = Span::new(file, offset, end);
                self.repo
                    .parse_errors
                    .push(parse_error(span, format!("invalid YAML: {}", err.message)));
                None
            }
        }
    }

    fn load_project(&mut self, path: &Path) {
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
            .flat_map(|root| walk_files(&root))
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

    /// Adds to each CI step what the Makefile targets and shell scripts it runs do, so a
    /// `make deploy` whose recipe runs `dbt build --target prod` counts as that.
    fn follow_scripts(&mut self) {
        let mut work = Vec::new();
        for (c, ci) in self.repo.ci.iter().enumerate() {
            let Some(file) = self.on_disk.get(&ci.file) else {
                continue;
            };
            let depth = if ci.provider == ci::Provider::GitHub {
                3
            } else {
                1
            };
            let root: PathBuf = file
                .ancestors()
                .nth(depth)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            for (j, job) in ci.jobs.iter().enumerate() {
                for (s, step) in job.steps.iter().enumerate() {
                    if let Some(script) = &step.script {
                        work.push((
                            c,
                            j,
                            s,
                            root.clone(),
                            script.make_targets.clone(),
                            script.scripts.clone(),
                        ));
                    }
                }
            }
        }
        for (c, j, s, root, targets, scripts) in work {
            let mut found = Vec::new();
            for target in targets {
                let makefile = root.join("Makefile");
                if let Some((file, _)) = makefile.is_file().then(|| self.read(&makefile)).flatten()
                {
                    let text = self.repo.db.get(file).text.clone();
                    if let Some((start, recipe)) = ci::makefile_recipe(&text, &target) {
                        found.push(ci::scan_script(file, start, recipe));
                    }
                }
            }
            for script in scripts {
                let path = root.join(&script);
                if let Some((file, _)) = path.is_file().then(|| self.read(&path)).flatten() {
                    let text = self.repo.db.get(file).text.clone();
                    found.push(ci::scan_script(file, 0, &text));
                }
            }
            if let Some(facts) = self.repo.ci[c].jobs[j].steps[s].script.as_mut() {
                for other in found {
                    facts.absorb(other);
                }
            }
        }
    }

    /// `profiles.yml` written by a CI script (`cat > profiles.yml <<EOF`): read like any
    /// profiles file, with spans in the workflow. A body that is not valid YAML (it may
    /// depend on what the shell substitutes) is left alone.
    fn load_inline_profiles(&mut self) {
        let mut bodies = Vec::new();
        for ci in &self.repo.ci {
            for step in ci.jobs.iter().flat_map(|j| j.steps.iter()) {
                let heredocs = step.script.iter().flat_map(|s| s.heredocs.iter());
                bodies.extend(
                    heredocs
                        .filter(|h| h.target.ends_with("profiles.yml"))
                        .map(|h| h.body),
                );
            }
        }
        for body in bodies {
            let text = &self.repo.db.get(body.file).text;
            let start = text[..body.start as usize]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            let Some(slice) = text.get(start..body.end as usize) else {
                continue;
            };
            let Ok(root) = yaml::parse_at(slice, start) else {
                continue;
            };
            if !profiles::is_profiles_document(&root) {
                continue;
            }
            let mut reader = FieldReader::new(&self.repo.db, body.file);
            let profiles = profiles::read_profiles(&mut reader, &root);
            let secrets = std::mem::take(&mut reader.secrets);
            for span in secrets {
                self.repo.db.redact(span);
            }
            self.repo.profiles.push(ProfilesFile {
                file: body.file,
                profiles,
                user_level: false,
                written_by_ci: true,
            });
        }
    }

    fn load_github(&mut self, path: &Path) {
        if let Some((file, true)) = self.read(path)
            && let Some(root) = self.parse_yaml(file)
            && let Some(workflow) = ci::read_github_workflow(&self.repo.db, file, &root)
        {
            self.repo.ci.push(workflow);
        }
    }

    /// Loads a GitLab CI file and the local files it includes (to a bounded depth).
    fn load_gitlab(&mut self, path: &Path, depth: usize) {
        if depth > 8 {
            return;
        }
        let Some((file, true)) = self.read(path) else {
            return;
        };
        let Some(root) = self.parse_yaml(file) else {
            return;
        };
        let (ci, includes) = ci::read_gitlab_ci(&self.repo.db, file, &root);
        self.repo.ci.push(ci);
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for include in includes {
            let included = base.join(include.trim_start_matches('/'));
            if included.is_file() {
                self.load_gitlab(&included, depth + 1);
            }
        }
    }

    /// Loads a profiles file; returns its id when it is one.
    fn load_profiles(&mut self, path: &Path, user_level: bool) -> Option<FileId> {
        let (file, fresh) = self.read(path)?;
        if !fresh {
            return self
                .repo
                .profiles
                .iter()
                .any(|p| p.file == file)
                .then_some(file);
        }
        let root = self.parse_yaml(file)?;
        if !profiles::is_profiles_document(&root) {
            return None;
        }
        let (profiles, secrets, errors) = read_profiles_file(&self.repo.db, file, &root);
        for span in secrets {
            self.repo.db.redact(span);
        }
        self.repo.parse_errors.extend(errors);
        self.repo.profiles.push(ProfilesFile {
            file,
            profiles,
            user_level,
            written_by_ci: false,
        });
        Some(file)
    }

    /// The profiles file dbt would pick for each project: `--profiles-dir` or
    /// `DBT_PROFILES_DIR`, then the project directory, then `~/.dbt` when asked for.
    fn resolve_project_profiles(&mut self) {
        let explicit = self
            .options
            .profiles_dir
            .as_ref()
            .map(|dir| dir.join("profiles.yml"));
        let user = self.options.user_profiles.clone();
        for index in 0..self.repo.projects.len() {
            let dir = self.repo.projects[index].project.dir.clone();
            let candidates = [
                explicit.clone().map(|p| (p, false)),
                Some((dir.join("profiles.yml"), false)),
                user.clone().map(|p| (p, true)),
            ];
            let file = candidates
                .into_iter()
                .flatten()
                .find(|(path, _)| path.is_file())
                .and_then(|(path, user_level)| self.load_profiles(&path, user_level));
            self.repo.projects[index].profiles_file = file;
        }
    }

    /// Permission statements of macros, project configs, scripts and CI steps, read in the
    /// dialect of the repository's (first) adapter.
    fn load_sql(&mut self, candidates: &[PathBuf]) {
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
        let scripts: Vec<&PathBuf> = candidates
            .iter()
            .filter(|path| {
                let text = path.to_string_lossy();
                !prefixes
                    .iter()
                    .any(|prefix| text.starts_with(prefix.as_str()))
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

    fn load_policy(&mut self, path: &Path) {
        let Some((file, _)) = self.read(path) else {
            return;
        };
        if let Some(root) = self.parse_yaml(file) {
            self.repo.policy = Some(PolicyDocument { file, root });
        }
    }
}

/// The profiles of a parsed profiles document, the spans of its secrets and its Jinja errors.
pub(crate) fn read_profiles_file(
    db: &SourceDb,
    file: FileId,
    root: &Node,
) -> (Vec<profiles::Profile>, Vec<Span>, Vec<Diagnostic>) {
    let mut reader = FieldReader::new(db, file);
    let profiles = profiles::read_profiles(&mut reader, root);
    let secrets = std::mem::take(&mut reader.secrets);
    (profiles, secrets, jinja_errors(reader))
}

fn jinja_errors(reader: FieldReader<'_>) -> Vec<Diagnostic> {
    reader
        .errors
        .into_iter()
        .map(|(span, err)| parse_error(span, format!("invalid Jinja: {}", err.message)))
        .collect()
}

/// A file's canonical path and its text: an editor's unsaved buffer, else the disk.
fn fetch(options: &LoadOptions, path: &Path) -> (PathBuf, Result<String, Unreadable>) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = match options
        .overrides
        .get(path)
        .or_else(|| options.overrides.get(&key))
    {
        Some(text) => Ok(text.clone()),
        None => read_text(path),
    };
    (key, text)
}

/// Why a file cannot be used, with what can be shown of it.
struct Unreadable {
    reason: String,
    /// The text to show in the diagnostic (lossy for invalid UTF-8, empty otherwise).
    shown: String,
    /// Where the problem is in `shown`.
    at: usize,
}

impl Unreadable {
    fn new(reason: String) -> Self {
        Self {
            reason,
            shown: String::new(),
            at: 0,
        }
    }
}

/// Reads a file as UTF-8 text, refusing what is not a text file.
fn read_text(path: &Path) -> Result<String, Unreadable> {
    let meta =
        std::fs::metadata(path).map_err(|e| Unreadable::new(format!("cannot read file: {e}")))?;
    if meta.is_dir() {
        return Err(Unreadable::new(
            "expected a file, found a directory".to_owned(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Unreadable::new(format!(
            "file is too large ({} MiB, the limit is {} MiB)",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Unreadable::new(format!("cannot read file: {e}")))?;
    if bytes.contains(&0) {
        return Err(Unreadable::new(
            "binary file (contains NUL bytes)".to_owned(),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Unreadable {
            reason: "file is not valid UTF-8".to_owned(),
            // The lossy text keeps every valid byte before the first invalid one in place.
            at: valid,
            shown,
        }
    })
}
