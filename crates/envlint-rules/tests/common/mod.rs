//! What the fixture tests share: where the fixtures are, and which rules a case runs with.

use std::path::{Path, PathBuf};

use envlint_parser::Repository;
use envlint_rules::registry;

pub(crate) fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The subdirectories of `dir`, sorted.
pub(crate) fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Only `code`; for a rule that judges suppression comments, also the rules the case's
/// comments name, so that whether each comment is used can be known.
pub(crate) fn selection_for(repo: &Repository, code: &'static str) -> Vec<&'static str> {
    let mut select = vec![code];
    let judges = registry::all()
        .iter()
        .any(|r| r.meta().code == code && r.meta().judges_suppressions);
    if judges {
        let named = repo.suppressions.comments.iter().flat_map(|c| &c.rules);
        select.extend(
            named
                .filter_map(|r| registry::find(&r.text))
                .map(|m| m.code),
        );
    }
    select
}
