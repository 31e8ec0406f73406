//! Linting the workspace: the repository loaded with the open buffers laid over the files
//! on disk (or the last load with an edited profiles buffer re-read into it), checked, and
//! grouped by file as LSP diagnostics.

use std::collections::HashMap;
use std::path::PathBuf;

use envlint_parser::{LoadOptions, Repository};
use envlint_rules::Selection;
use lsp_types::Uri;

use crate::convert;
use crate::documents::Documents;
use crate::encoding::PositionEncoding;
use crate::uri;

/// What the server lints, fixed at `initialize`.
#[derive(Clone, Debug)]
pub(crate) struct Workspace {
    /// The workspace folders (the first one finds the policy, as the CLI's first path does).
    pub(crate) roots: Vec<PathBuf>,
    /// `DBT_PROFILES_DIR`, read once at start-up like the CLI reads it.
    pub(crate) profiles_dir: Option<PathBuf>,
    /// `~/.dbt/profiles.yml`: used for projects without their own profiles while it is open.
    pub(crate) user_profiles: Option<PathBuf>,
    pub(crate) encoding: PositionEncoding,
}

/// The diagnostics of one file, as published.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FileDiagnostics {
    pub(crate) uri: Uri,
    /// The buffer's version when the file is open.
    pub(crate) version: Option<i32>,
    pub(crate) diagnostics: Vec<lsp_types::Diagnostic>,
}

/// Every file with findings, and every open buffer, by URI (`Uri` itself caches parts
/// in cells, so it makes a poor key).
pub(crate) type Report = HashMap<String, FileDiagnostics>;

/// What the worker is asked to lint.
#[derive(Clone, Debug, Default)]
pub(crate) struct LintRequest {
    pub(crate) documents: Documents,
    /// Files on disk may have changed (a save): load everything again.
    pub(crate) reread: bool,
}

/// Lints a workspace, keeping the last loaded repository: when the only change since is
/// the text of one open profiles file, that file is re-read into it instead of loading
/// the whole workspace again.
pub(crate) struct Linter {
    workspace: Workspace,
    last: Option<Loaded>,
}

/// A loaded repository and the buffers it was loaded with.
struct Loaded {
    repo: Repository,
    documents: Documents,
}

impl Linter {
    pub(crate) fn new(workspace: Workspace) -> Self {
        Self {
            workspace,
            last: None,
        }
    }

    pub(crate) fn lint(&mut self, request: &LintRequest) -> Report {
        let documents = &request.documents;
        let loaded = match self.last.take() {
            Some(last) if !request.reread => self.reload_edited_profiles(last, documents),
            _ => None,
        };
        let loaded = loaded.unwrap_or_else(|| Loaded {
            repo: envlint_parser::load(&self.workspace.load_options(documents)),
            documents: documents.clone(),
        });
        let loaded = self.last.insert(loaded);
        self.workspace.report(&loaded.repo, documents)
    }

    /// The last load with the one edited profiles buffer re-read into it, or `None` when
    /// the change needs a full load. (A panic here leaves no half-edited repository behind:
    /// `last` was taken out.)
    fn reload_edited_profiles(&self, mut last: Loaded, documents: &Documents) -> Option<Loaded> {
        let (path, edited) = last.documents.single_edit(documents)?;
        let base = self.workspace.display_base();
        let file = last
            .repo
            .profiles
            .iter()
            .map(|p| p.file)
            .find(|&file| base.join(last.repo.db.path(file)) == path)?;
        if !last.repo.reload_profiles(file, &edited.text) {
            return None;
        }
        last.documents = documents.clone();
        Some(last)
    }
}

impl Workspace {
    /// Checks a loaded repository and groups the findings by file.
    fn report(&self, repo: &Repository, documents: &Documents) -> Report {
        let outcome = envlint_rules::check(repo, &Selection::default());
        let base = self.display_base();
        let path_of = |file| base.join(repo.db.path(file));
        let uri_of = |file| {
            let path = path_of(file);
            documents
                .get(&path)
                .map(|document| document.uri.clone())
                .or_else(|| uri::from_path(&path))
        };
        let mut report = Report::new();
        for finding in &outcome.diagnostics {
            let file = finding.primary().span.file;
            let Some(uri) = uri_of(file) else {
                continue;
            };
            let converted = convert::diagnostic(finding, &repo.db, self.encoding, &uri_of);
            report
                .entry(uri.as_str().to_owned())
                .or_insert_with(|| FileDiagnostics {
                    uri,
                    version: documents.get(&path_of(file)).map(|d| d.version),
                    diagnostics: Vec::new(),
                })
                .diagnostics
                .push(converted);
        }
        // Open buffers are always reported, clean or not, so each of their versions gets
        // an answer the client can match.
        for document in documents.iter().map(|(_, document)| document) {
            report
                .entry(document.uri.as_str().to_owned())
                .or_insert_with(|| FileDiagnostics {
                    uri: document.uri.clone(),
                    version: Some(document.version),
                    diagnostics: Vec::new(),
                });
        }
        report
    }

    /// Paths are shown relative to the first folder; joined to it, they are paths again.
    fn display_base(&self) -> PathBuf {
        self.roots.first().cloned().unwrap_or_default()
    }

    /// The CLI's options for the workspace folders. An open `~/.dbt/profiles.yml` counts as
    /// `--user-profiles` (the profiles the workspace's projects use); any other open file
    /// outside the folders is checked as if given on the command line.
    fn load_options(&self, documents: &Documents) -> LoadOptions {
        let user_profiles = self
            .user_profiles
            .clone()
            .filter(|path| documents.get(path).is_some());
        let outside = documents.iter().map(|(path, _)| path).filter(|path| {
            Some(*path) != user_profiles.as_ref()
                && !self.roots.iter().any(|root| path.starts_with(root))
        });
        LoadOptions {
            paths: self.roots.iter().chain(outside).cloned().collect(),
            profiles_dir: self.profiles_dir.clone(),
            user_profiles,
            policy: None,
            display_base: self.display_base(),
            overrides: documents
                .iter()
                .map(|(path, document)| (path.clone(), document.text.clone()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::documents::Document;

    fn project() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/projects/everyone-tests-in-prod")
    }

    fn workspace() -> Workspace {
        Workspace {
            roots: vec![project()],
            profiles_dir: None,
            user_profiles: None,
            encoding: PositionEncoding::Utf16,
        }
    }

    fn request(version: i32, profiles: &str) -> LintRequest {
        let path = project().join("profiles.yml");
        let uri = uri::from_path(&path).unwrap_or_else(|| panic!("no uri"));
        let mut documents = Documents::default();
        documents.open(
            path,
            Document {
                uri,
                version,
                text: profiles.to_owned(),
            },
        );
        LintRequest {
            documents,
            reread: false,
        }
    }

    fn codes(report: &Report, file: &str) -> Vec<String> {
        let uri = format!("file://{}", project().join(file).display());
        let mut codes: Vec<String> = report
            .get(&uri)
            .into_iter()
            .flat_map(|f| &f.diagnostics)
            .filter_map(|d| match &d.code {
                Some(lsp_types::NumberOrString::String(code)) => Some(code.clone()),
                _ => None,
            })
            .collect();
        codes.sort();
        codes
    }

    /// Re-reading the edited profiles into the last load gives exactly what a full load
    /// gives, through fixes, a secret, invalid YAML and back.
    #[test]
    fn editing_profiles_reports_what_a_full_load_reports() {
        let broken = std::fs::read_to_string(project().join("profiles.yml")).unwrap_or_default();
        let fixed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lsp/fixed-profiles.yml"),
        )
        .unwrap_or_default();
        let jinja_error = broken.replace("schema: analytics", "schema: \"{{ oops( }}\"");
        let suppressed =
            format!("# envlint: ignore-file[ENV107] rotated, see the runbook\n{broken}");
        let edits = [
            &broken,
            &fixed,
            &jinja_error,
            "jaffle_shop: [",
            &fixed,
            &broken,
            &suppressed,
            &broken,
        ];
        let mut editing = Linter::new(workspace());
        let mut reports = Vec::new();
        for (version, text) in (1..).zip(edits) {
            let request = request(version, text);
            let incremental = editing.lint(&request);
            let full = Linter::new(workspace()).lint(&request);
            assert_eq!(incremental, full, "edit {version}");
            reports.push(incremental);
        }
        assert_eq!(codes(&reports[0], "profiles.yml").len(), 5);
        assert_eq!(codes(&reports[0], "macros/limit_in_dev.sql"), ["ENV202"]);
        assert!(codes(&reports[1], "profiles.yml").is_empty());
        assert!(codes(&reports[1], "macros/limit_in_dev.sql").is_empty());
        assert!(codes(&reports[2], "profiles.yml").contains(&"ENV001".to_owned()));
        assert_eq!(codes(&reports[3], "profiles.yml"), ["ENV001"]);
        let without_env107 = |r: &Report| {
            let mut codes = codes(r, "profiles.yml");
            codes.retain(|c| c != "ENV107");
            codes
        };
        assert!(!codes(&reports[6], "profiles.yml").contains(&"ENV107".to_owned()));
        assert_eq!(
            codes(&reports[6], "profiles.yml"),
            without_env107(&reports[7])
        );
        assert!(codes(&reports[7], "profiles.yml").contains(&"ENV107".to_owned()));
    }
}
