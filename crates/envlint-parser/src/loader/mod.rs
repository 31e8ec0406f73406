//! Finds and loads everything a check needs: dbt projects, profiles files and the policy.
//!
//! This is the only module that touches the filesystem. Rules get the [`Repository`] it builds,
//! which is what lets an editor lint unsaved buffers (`LoadOptions::overrides`).

mod ci_files;
mod declared;
mod discover;
mod projects;
mod read;
mod sql_files;
mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use envlint_diagnostics::{Diagnostic, FileId, Severity, SourceDb, Span};

use self::discover::{discover, find_policy, nearest_policy, policy_pyproject, project_policies};
use self::read::{Unreadable, read_text};
use crate::ci::{self, CiFile, DotenvFile};
use crate::field::FieldReader;
use crate::nodes;
use crate::profiles::{self, Profile, ProfilesFile};
use crate::project::DbtProject;
use crate::pyproject::{self, PYPROJECT};
use crate::sql::SqlFile;
use crate::suppressions::Suppressions;
use crate::yaml::{self, Node};

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

/// A policy document, interpreted by the rules crate.
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    pub file: FileId,
    /// The parsed document (null when it could not be read or parsed).
    pub root: Node,
    /// Why the file could not be used, where: it was unreadable, binary or not YAML.
    pub unusable: Option<(Span, String)>,
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
    /// Jobs that run dbt outside CI files: dbt Cloud jobs declared in Terraform, Databricks
    /// Asset Bundle jobs. Only the rules that understand them read them.
    pub orchestrated: Vec<CiFile>,
    /// Committed `.env` files.
    pub dotenv: Vec<DotenvFile>,
    /// Permission statements (grants, shares, snapshots), by file.
    pub sql: Vec<SqlFile>,
    /// ENV001 findings: files that could not be read or parsed.
    pub parse_errors: Vec<Diagnostic>,
    /// `envlint: ignore[...]` comments of every loaded file.
    pub suppressions: Suppressions,
    /// The paths that were checked, as files are shown (relative to the display base): each
    /// is a repository of its own, and no project borrows another's profile.
    pub roots: Vec<PathBuf>,
    /// A `pyproject.toml` with a `[tool.dbt-envlint]` table next to the policy file that
    /// was used instead (`envlint.yml` wins), as shown.
    pub ignored_pyproject: Option<PathBuf>,
    /// Projects whose nearest policy is not the one this run used (their policies differ,
    /// and one run applies one): each project's `dbt_project.yml` and its own policy, as
    /// shown.
    pub other_policies: Vec<(PathBuf, PathBuf)>,
}

/// A dbt project and the profiles file dbt would use for it.
#[derive(Debug, Clone)]
pub struct ProjectEntry {
    pub project: DbtProject,
    pub profiles_file: Option<FileId>,
}

impl Repository {
    /// The profiles file and profile a project's `profile:` names: the file dbt would pick
    /// (`--profiles-dir`, the project's directory, `~/.dbt`), else of the files that define
    /// it the one nearest the project (most leading path components in common), so two
    /// repositories checked together never borrow each other's.
    pub fn profile_of(&self, entry: &ProjectEntry) -> Option<(&ProfilesFile, &Profile)> {
        let name = entry.project.profile_name()?;
        let defines = |file: &ProfilesFile| file.profiles.iter().any(|p| p.name == name);
        let chosen = entry
            .profiles_file
            .and_then(|id| self.profiles.iter().find(|f| f.file == id))
            .filter(|file| defines(file));
        let project_dir = self
            .db
            .path(entry.project.file)
            .parent()
            .unwrap_or(Path::new(""));
        let shared = |file: &ProfilesFile| {
            project_dir
                .components()
                .zip(self.db.path(file.file).components())
                .take_while(|(a, b)| a == b)
                .count()
        };
        let file = chosen.or_else(|| {
            let candidates = self.profiles.iter().filter(|f| {
                defines(f) && !f.user_level && self.same_root(f.file, entry.project.file)
            });
            // The first of the nearest, in load order.
            candidates.rev().max_by_key(|f| shared(f))
        })?;
        let profile = file.profiles.iter().find(|p| p.name == name)?;
        Some((file, profile))
    }

    /// Whether two files are under the same checked path.
    pub fn same_root(&self, a: FileId, b: FileId) -> bool {
        self.root_of(self.db.path(a)) == self.root_of(self.db.path(b))
    }

    /// Which checked path a shown path is under (the first that holds it; `.` holds all).
    fn root_of(&self, path: &Path) -> Option<usize> {
        self.roots.iter().position(|root| {
            let root: PathBuf = root
                .components()
                .filter(|c| *c != std::path::Component::CurDir)
                .collect();
            root.as_os_str().is_empty() || path.starts_with(&root)
        })
    }
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
    loader.repo.roots = options
        .paths
        .iter()
        .map(|path| loader.display_path(path))
        .collect();
    let found = discover(&options.paths);
    for (path, reason) in &found.unhonoured {
        loader.report_unhonoured(path, reason);
    }
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
    if let Some(policy) = &options.policy {
        loader.load_policy(policy);
    } else {
        let own = project_policies(&found.projects);
        let policy = nearest_policy(&own).or_else(|| find_policy(options.paths.first()));
        if let Some(policy) = &policy {
            loader.load_policy(policy);
        }
        loader.note_other_policies(&own, policy.as_deref());
    }
    loader.load_sql(&found.sql);
    loader.load_declared_grants(&found.terraform, &found.permifrost);
    for path in &found.bundles {
        loader.load_bundle(path);
    }
    loader.repo.suppressions = Suppressions::scan(&loader.repo.db);
    loader.repo
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
        // The folder is resolved, not the file: a symlinked `profiles.yml` keeps its name.
        let resolved = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name)) => {
                let dir = if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                };
                std::fs::canonicalize(dir).map(|d| d.join(name))
            }
            _ => std::fs::canonicalize(path),
        };
        let canonical = (resolved, std::fs::canonicalize(base));
        if let (Ok(path), Ok(base)) = &canonical
            && let Ok(relative) = path.strip_prefix(base)
        {
            return relative.to_path_buf();
        }
        path.to_path_buf()
    }

    /// The projects whose own nearest policy is not `used`.
    fn note_other_policies(&mut self, own: &[(&PathBuf, Option<PathBuf>)], used: Option<&Path>) {
        let used = used.map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()));
        for (project, policy) in own {
            if let Some(policy) = policy
                && Some(policy) != used.as_ref()
            {
                let shown = (self.display_path(project), self.display_path(policy));
                self.repo.other_policies.push(shown);
            }
        }
    }

    /// ENV001 on an ignore file the walk could not honour (its text is not shown).
    fn report_unhonoured(&mut self, path: &Path, reason: &str) {
        let file = self.repo.db.add(self.display_path(path), String::new());
        self.repo.parse_errors.push(
            parse_error(
                Span::new(file, 0, 1),
                format!("ignore file not honoured: {reason}"),
            )
            .with_help("keep ignore files small regular files inside the repository"),
        );
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
                    Ok(text)
                        if is_yaml
                            && (nodes::may_configure_names(text)
                                || nodes::may_declare_sources(text)) =>
                    {
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
                let end = rest
                    .chars()
                    .next()
                    .map_or(offset, |c| offset + c.len_utf8());
                let span = Span::new(file, offset, end);
                self.repo
                    .parse_errors
                    .push(parse_error(span, format!("invalid YAML: {}", err.message)));
                None
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
        if !profiles::has_profiles(&root) {
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
            in_ci_folder: profiles::is_ci_path(&self.display_path(path)),
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
            // The project's own file only when it stays in the repository (not a symlink
            // out of it); the ones the user names are read wherever they are.
            let own = dir.join("profiles.yml");
            let own = self.inside_repository(&own).then_some((own, false));
            let candidates = [
                explicit.clone().map(|p| (p, false)),
                own,
                user.clone().map(|p| (p, true)),
            ];
            let chosen = candidates
                .into_iter()
                .flatten()
                .find(|(path, _)| path.is_file());
            let file = chosen
                .as_ref()
                .and_then(|(path, user_level)| self.load_profiles(path, *user_level));
            self.repo.projects[index].profiles_file = file;
            // `--user-profiles` asks for the user's file to be checked even where dbt would
            // read another first (the notices say which one dbt uses).
            if let Some(user) = &user
                && chosen.is_some_and(|(path, _)| path != *user)
                && user.is_file()
            {
                self.load_profiles(user, true);
            }
        }
    }

    /// Loads the policy; a file that cannot be read or parsed is not an ENV001 like any
    /// other but a policy that cannot be used (the rules crate makes it ENV002).
    fn load_policy(&mut self, path: &Path) {
        let errors_before = self.repo.parse_errors.len();
        let read = self.read(path);
        let is_pyproject = path.file_name().is_some_and(|name| name == PYPROJECT);
        let parsed = match read {
            Some((file, _)) if self.repo.parse_errors.len() == errors_before => {
                if is_pyproject {
                    self.parse_pyproject(file).map(|root| (file, root))
                } else {
                    self.parse_yaml(file).map(|root| (file, root))
                }
            }
            _ => None,
        };
        if !is_pyproject
            && let Some(dir) = path.parent()
            && let Some(pyproject) = policy_pyproject(dir)
        {
            self.repo.ignored_pyproject = Some(self.display_path(&pyproject));
        }
        let (file, root, unusable) = match parsed {
            Some((file, root)) => (file, root, None),
            None => {
                let Some(error) = self.repo.parse_errors.drain(errors_before..).next() else {
                    return;
                };
                let span = error.primary().span;
                let null = Node {
                    value: yaml::Value::Null,
                    span: 0..0,
                    defined: None,
                };
                (span.file, null, Some((span, error.message)))
            }
        };
        self.repo.policy = Some(PolicyDocument {
            file,
            root,
            unusable,
        });
    }

    /// The `[tool.dbt-envlint]` table of a loaded `pyproject.toml`; a file that is not TOML
    /// or has no such table is a parse error (made ENV002 by [`Self::load_policy`]).
    fn parse_pyproject(&mut self, file: FileId) -> Option<Node> {
        let text = &self.repo.db.get(file).text;
        let (at, message) = match pyproject::policy_table(text) {
            Ok(Some(table)) => return Some(table),
            Ok(None) => (0..0, "no `[tool.dbt-envlint]` table in it".to_owned()),
            Err(error) => error,
        };
        let end = at.end.max(at.start + 1).min(text.len());
        let start = at.start.min(end);
        self.repo
            .parse_errors
            .push(parse_error(Span::new(file, start, end), message));
        None
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
    let mut errors = jinja_errors(reader);
    errors.extend(
        crate::profile_shape::shape_problems(root)
            .into_iter()
            .map(|(at, message)| parse_error(Span::new(file, at.start, at.end), message)),
    );
    (profiles, secrets, errors)
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
