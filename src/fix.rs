//! `--fix`, `--unsafe-fixes` and `--diff`: apply fixes pass after pass (overlapping ones wait
//! for the next pass) on in-memory copies until nothing changes, then write the changed
//! files atomically, or only describe them.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use envlint_diagnostics::{Applicability, Diagnostic, Edit, FileId, apply_edits, non_overlapping};
use envlint_parser::{LoadOptions, Repository};
use envlint_rules::Outcome;

/// Fixes can enable other fixes; ten passes is far more than any rule needs.
const MAX_PASSES: usize = 10;

/// The repository as loaded and what the rules found in it.
pub(crate) struct Lint {
    pub repo: Repository,
    pub outcome: Outcome,
}

/// A file the fixes change.
pub(crate) struct Change {
    /// Where it is written (the real file behind any symlink).
    pub disk: PathBuf,
    /// The path shown to users.
    pub display: PathBuf,
    /// Before and after, with every secret masked: what a diff may show.
    pub before_shown: String,
    pub after_shown: String,
    /// The new content to write.
    pub after: String,
}

/// The outcome of fixing: the final lint, how many findings were fixed, the changed files.
pub(crate) struct Fixed {
    pub last: Lint,
    pub fixed: usize,
    pub changes: Vec<Change>,
}

/// The first fix of a finding that `level` allows.
pub(crate) fn applicable(
    diagnostic: &Diagnostic,
    level: Applicability,
) -> Option<&envlint_diagnostics::Fix> {
    diagnostic.fixes.iter().find(|f| f.applicability <= level)
}

/// Lints, applies every fix `level` allows, and lints again until nothing changes.
pub(crate) fn fix_until_stable(
    options: &LoadOptions,
    level: Applicability,
    lint: impl Fn(&LoadOptions) -> Lint,
) -> Fixed {
    let first = lint(options);
    let mut overrides: HashMap<PathBuf, String> = HashMap::new();
    let mut fixed = 0;
    let mut last: Option<Lint> = None;
    for _ in 0..MAX_PASSES {
        let current = last.as_ref().unwrap_or(&first);
        let (texts, count) = one_pass(current, level, &options.display_base);
        if texts.is_empty() {
            break;
        }
        fixed += count;
        overrides.extend(texts);
        let mut next = options.clone();
        next.overrides
            .extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        last = Some(lint(&next));
    }
    match last {
        Some(last) => Fixed {
            changes: changes(&first.repo, &last.repo, &options.display_base),
            last,
            fixed,
        },
        None => Fixed {
            last: first,
            fixed,
            changes: Vec::new(),
        },
    }
}

/// One pass: the applicable fixes that overlap no other, applied to the texts of `current`.
/// Returns the new texts by file on disk, and how many fixes they hold.
fn one_pass(current: &Lint, level: Applicability, base: &Path) -> (Vec<(PathBuf, String)>, usize) {
    let fixes = current
        .outcome
        .diagnostics
        .iter()
        .filter_map(|d| applicable(d, level));
    let chosen = non_overlapping(fixes);
    let mut by_file: HashMap<FileId, Vec<&Edit>> = HashMap::new();
    for fix in &chosen {
        for edit in &fix.edits {
            by_file.entry(edit.span.file).or_default().push(edit);
        }
    }
    let db = &current.repo.db;
    let texts: Vec<(PathBuf, String)> = by_file
        .into_iter()
        .filter_map(|(file, edits)| {
            let source = db.get(file);
            let text = apply_edits(&source.text, edits);
            (*text != *source.text).then(|| (disk_path(base, &source.path), text))
        })
        .collect();
    let count = if texts.is_empty() { 0 } else { chosen.len() };
    (texts, count)
}

/// Every file whose text differs between the first and the last lint.
fn changes(first: &Repository, last: &Repository, base: &Path) -> Vec<Change> {
    let after: HashMap<&Path, FileId> = last
        .db
        .iter()
        .map(|(id, f)| (f.path.as_path(), id))
        .collect();
    first
        .db
        .iter()
        .filter_map(|(_, before)| {
            let after = last.db.get(*after.get(before.path.as_path())?);
            (after.text != before.text).then(|| Change {
                disk: disk_path(base, &before.path),
                display: before.path.clone(),
                before_shown: before.shown_text().into_owned(),
                after_shown: before.mask_secrets_in(&after.shown_text()).into_owned(),
                after: after.text.to_string(),
            })
        })
        .collect()
}

/// A file as the user names it: its folder resolved, its own name kept (it may be a
/// symlink the user meant).
fn named_location(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            fs::canonicalize(dir)
                .unwrap_or_else(|_| dir.to_path_buf())
                .join(name)
        }
        _ => path.to_path_buf(),
    }
}

/// The real file behind a display path (display paths are relative to `base`).
fn disk_path(base: &Path, display: &Path) -> PathBuf {
    let path = base.join(display);
    fs::canonicalize(&path).unwrap_or(path)
}

/// Writes every change: each into a temporary file beside the original, with the
/// original's owner, group and mode, then renamed over it, so a file is never half written.
/// A read-only file is refused.
/// Nothing is written unless every file may be: inside the repository of a checked path,
/// or a file the user named (`--profiles-dir`, `DBT_PROFILES_DIR`, `--user-profiles`,
/// `--policy`, a checked file) wherever it leads.
pub(crate) fn write_all(changes: &[Change], options: &LoadOptions) -> Result<(), String> {
    let roots: Vec<PathBuf> = options
        .paths
        .iter()
        .map(|p| crate::confine::repository_root(p))
        .collect();
    let named: Vec<PathBuf> = options
        .profiles_dir
        .iter()
        .map(|d| d.join("profiles.yml"))
        .chain(options.user_profiles.iter().cloned())
        .chain(options.policy.iter().cloned())
        .chain(options.paths.iter().filter(|p| !p.is_dir()).cloned())
        .map(|p| named_location(&p))
        .collect();
    for change in changes {
        let literal = options.display_base.join(&change.display);
        if !named.contains(&named_location(&literal)) {
            crate::confine::check_inside(&literal, &change.display, &roots)
                .map_err(|e| format!("{e}; nothing was written"))?;
        }
    }
    for change in changes {
        writable(&change.disk).map_err(|e| {
            format!(
                "cannot write {}: {e}; nothing was written",
                change.display.display()
            )
        })?;
    }
    for change in changes {
        write_atomically(&change.disk, &change.after)
            .map_err(|e| format!("cannot write {}: {e}", change.display.display()))?;
    }
    Ok(())
}

/// `Err` with the reason when `path` may not be changed: read-only (no write permission for
/// anyone), or it cannot be opened for writing.
pub(crate) fn writable(path: &Path) -> std::io::Result<()> {
    let meta = fs::metadata(path)?;
    if meta.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "it is read-only (make it writable to fix it)",
        ));
    }
    fs::OpenOptions::new().write(true).open(path).map(drop)
}

/// Gives `temp` the owner and group of `original` (a no-op when they already match).
#[cfg(unix)]
fn keep_owner(temp: &fs::File, original: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = temp.metadata()?;
    if (now.uid(), now.gid()) == (original.uid(), original.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(temp, Some(original.uid()), Some(original.gid())).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot keep its owner {}:{} ({e}); nothing was changed",
                original.uid(),
                original.gid()
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// Replaces `path` with `text` through a temporary file beside it that takes the original's
/// owner, group and mode, renamed over it.
pub(crate) fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.envlint-fix-{}", std::process::id()));
    let original = fs::metadata(path)?;
    let written = (|| {
        let mut file = fs::File::create_new(&temp)?;
        file.write_all(text.as_bytes())?;
        // The owner first: changing it may clear set-id bits the mode then restores.
        keep_owner(&file, &original)?;
        file.set_permissions(original.permissions())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}
