//! The directory walk: every file under a folder, honouring `.dbtignore`, `.ignore`,
//! `.gitignore` and `.git/info/exclude` as git does, without ever reading an ignore file that
//! is outside the repository, is not a regular file, or is over budget.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::read::read_text_within;

/// The byte budget of one ignore file. Every pattern becomes a compiled glob (about 8 KB
/// each for `dir/**/*.ext`): 256 KiB is thousands of lines, far past any real ignore file,
/// and keeps the matcher under 150 MB. A larger file is reported and not honoured.
pub(super) const MAX_IGNORE_FILE_BYTES: u64 = 256 * 1024;

/// Ignore files by precedence, as ripgrep and the `ignore` crate order them: dbt's own, then
/// `.ignore`, then git's. `.git/info/exclude` comes last.
const IGNORE_FILES: [&str; 3] = [".dbtignore", ".ignore", ".gitignore"];
const KINDS: usize = IGNORE_FILES.len() + 1;

/// Directories dbt (or Terraform) itself writes or installs into; never part of the
/// repository's config.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "target",
    "dbt_packages",
    "dbt_modules",
    "logs",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
];

/// What a walk found.
#[derive(Default)]
pub(super) struct Walked {
    /// Every file not ignored, sorted, in the form the walked folder was given.
    pub(super) files: Vec<PathBuf>,
    /// Ignore files that could not be honoured, by path, with why.
    pub(super) unhonoured: BTreeMap<PathBuf, String>,
}

/// The ignore matchers one directory adds, one per kind.
type Level = [Option<Gitignore>; KINDS];

/// Every file under `root`, honouring ignore files from the repository's top down to each
/// file's folder and skipping the directories dbt writes or installs into. Links to files
/// inside the repository are kept; links out of it, and links to folders, are not followed.
pub(super) fn walk_files(root: &Path) -> Walked {
    let mut walked = Walked::default();
    let Ok(start) = std::fs::canonicalize(root) else {
        return walked;
    };
    if !start.is_dir() {
        // A file given by name is checked whatever ignore files say.
        walked.files.push(root.to_path_buf());
        return walked;
    }
    let top = start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&start)
        .to_path_buf();
    let mut walk = Walk {
        boundary: top.clone(),
        levels: Vec::new(),
        walked,
    };
    // The rules of the folders between the repository's top and `root` apply too.
    let above: Vec<&Path> = start
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(&top))
        .collect();
    for dir in above.into_iter().rev() {
        let level = walk.level(dir);
        walk.levels.push(level);
    }
    let base = walk.levels.len();
    let mut pending = vec![(start.clone(), base)];
    let mut found = Vec::new();
    while let Some((dir, depth)) = pending.pop() {
        walk.levels.truncate(depth);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        let level = walk.level_from(&dir, &entries);
        walk.levels.push(level);
        for entry in entries {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                let name = entry.file_name();
                let skipped = SKIPPED_DIRS.iter().any(|s| name == *s);
                if !skipped && !walk.ignored(&path, true) {
                    pending.push((path, depth + 1));
                }
            } else if (kind.is_file() || (kind.is_symlink() && walk.links_inside(&path)))
                && !walk.ignored(&path, false)
            {
                found.push(path);
            }
        }
    }
    let mut walked = walk.walked;
    walked.files = found
        .into_iter()
        .map(|path| match path.strip_prefix(&start) {
            Ok(rest) => root.join(rest),
            Err(_) => path,
        })
        .collect();
    walked.files.sort();
    walked
}

struct Walk {
    /// The repository's top (or the walked folder outside git): nothing above it is read.
    boundary: PathBuf,
    /// The matchers of every folder from the top down to the one being read.
    levels: Vec<Level>,
    walked: Walked,
}

impl Walk {
    /// The matchers of `dir`, whose entries are already listed.
    fn level_from(&mut self, dir: &Path, entries: &[std::fs::DirEntry]) -> Level {
        let present = |name: &str| entries.iter().any(|e| e.file_name() == name);
        let mut level: Level = Default::default();
        for (kind, name) in IGNORE_FILES.iter().enumerate() {
            if present(name) {
                level[kind] = self.matcher(dir, &dir.join(name));
            }
        }
        let exclude = dir.join(".git").join("info").join("exclude");
        if dir == self.boundary && exclude.is_file() {
            level[KINDS - 1] = self.matcher(dir, &exclude);
        }
        level
    }

    /// The matchers of a folder above the walked one.
    fn level(&mut self, dir: &Path) -> Level {
        let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().collect())
            .unwrap_or_default();
        self.level_from(dir, &entries)
    }

    /// One ignore file's matcher, or `None` (recorded) when it cannot be honoured.
    fn matcher(&mut self, dir: &Path, file: &Path) -> Option<Gitignore> {
        let is_link = std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && !self.links_inside(file) {
            self.unhonoured(
                file,
                "a link out of the repository: not followed".to_owned(),
            );
            return None;
        }
        let text = match read_text_within(file, MAX_IGNORE_FILE_BYTES) {
            Ok(text) => text,
            Err(unreadable) => {
                self.unhonoured(file, unreadable.reason);
                return None;
            }
        };
        let mut builder = GitignoreBuilder::new(dir);
        for line in text.lines() {
            // A pattern git cannot read either is skipped, as git skips it.
            let _ = builder.add_line(None, line);
        }
        builder.build().ok()
    }

    fn unhonoured(&mut self, file: &Path, reason: String) {
        self.walked.unhonoured.insert(
            file.to_path_buf(),
            format!("{reason}; the files it ignores were checked"),
        );
    }

    /// Whether the innermost rule that speaks of `path` ignores it, ignore files of a
    /// stronger kind first.
    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        for kind in 0..KINDS {
            for level in self.levels.iter().rev() {
                match level[kind].as_ref().map(|m| m.matched(path, is_dir)) {
                    Some(Match::Ignore(_)) => return true,
                    Some(Match::Whitelist(_)) => return false,
                    Some(Match::None) | None => {}
                }
            }
        }
        false
    }

    /// A symlink to a regular file inside the repository (a `profiles.yml` shared by two
    /// projects) is read like the file; one that leaves it is not followed.
    fn links_inside(&self, link: &Path) -> bool {
        std::fs::canonicalize(link)
            .is_ok_and(|target| target.starts_with(&self.boundary) && target.is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder with `files` written, walked; the names of the files found.
    fn walk(name: &str, files: &[(&str, &str)]) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("envlint-walk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(path, text).expect("write");
        }
        let found = walk_files(&dir)
            .files
            .iter()
            .filter_map(|p| p.strip_prefix(&dir).ok())
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| !p.ends_with("ignore"))
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        found
    }

    #[test]
    fn a_deeper_negation_keeps_what_a_parent_ignores() {
        let found = walk(
            "negation",
            &[
                (".gitignore", "*.yml\n"),
                ("a/.gitignore", "!keep.yml\n"),
                ("a/keep.yml", ""),
                ("a/drop.yml", ""),
                ("b/keep.yml", ""),
                ("b/model.sql", ""),
            ],
        );
        assert_eq!(found, ["a/keep.yml", "b/model.sql"]);
    }

    #[test]
    fn dbtignore_wins_over_a_gitignore_negation() {
        let found = walk(
            "precedence",
            &[
                (".dbtignore", "models/scratch/\n"),
                ("models/.gitignore", "!scratch/\n"),
                ("models/scratch/x.sql", ""),
                ("models/orders.sql", ""),
            ],
        );
        assert_eq!(found, ["models/orders.sql"]);
    }

    #[test]
    fn folders_dbt_writes_are_skipped_and_hidden_files_kept() {
        let found = walk(
            "skipped",
            &[
                ("target/compiled.sql", ""),
                ("dbt_packages/p/dbt_project.yml", ""),
                (".github/workflows/ci.yml", ""),
            ],
        );
        assert_eq!(found, [".github/workflows/ci.yml"]);
    }
}
