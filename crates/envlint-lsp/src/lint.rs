//! One lint of the workspace: the repository loaded with the open buffers laid over the
//! files on disk, checked, and grouped by file as LSP diagnostics.

use std::collections::HashMap;
use std::path::PathBuf;

use envlint_parser::LoadOptions;
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
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FileDiagnostics {
    /// The buffer's version when the file is open.
    pub(crate) version: Option<i32>,
    pub(crate) diagnostics: Vec<lsp_types::Diagnostic>,
}

/// Every file with findings, and every open buffer.
pub(crate) type Report = HashMap<Uri, FileDiagnostics>;

impl Workspace {
    /// Loads and checks the workspace as the open buffers have it now.
    pub(crate) fn lint(&self, documents: &Documents) -> Report {
        let options = self.load_options(documents);
        let repo = envlint_parser::load(&options);
        let outcome = envlint_rules::check(&repo, &Selection::default());
        let path_of = |file| options.display_base.join(repo.db.path(file));
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
                .entry(uri)
                .or_insert_with(|| FileDiagnostics {
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
                .entry(document.uri.clone())
                .or_insert_with(|| FileDiagnostics {
                    version: Some(document.version),
                    diagnostics: Vec::new(),
                });
        }
        report
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
            display_base: self.roots.first().cloned().unwrap_or_default(),
            overrides: documents
                .iter()
                .map(|(path, document)| (path.clone(), document.text.clone()))
                .collect(),
        }
    }
}
