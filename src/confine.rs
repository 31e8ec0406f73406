//! Where `--fix` and `init` may write: inside the repository being checked (its git root,
//! or the checked path when it is not in git), never through a symlink to somewhere else.

use std::path::{Path, PathBuf};

/// The repository a checked path belongs to: the nearest folder above it (or itself) with
/// a `.git`, else the path itself (its folder when it is a file). Canonical.
pub(crate) fn repository_root(path: &Path) -> PathBuf {
    let folder = if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    folder
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| folder.clone(), Path::to_path_buf)
}

/// The real location of `path` (symlinks resolved), or of its nearest existing ancestor
/// with the rest appended when it does not exist yet.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            return rest
                .iter()
                .rev()
                .fold(real, |p: PathBuf, part| p.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                at = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// `Err` with the reason when `path` resolves outside every one of `roots`.
pub(crate) fn check_inside(path: &Path, shown: &Path, roots: &[PathBuf]) -> Result<(), String> {
    let real = resolved(path);
    if roots.iter().any(|root| real.starts_with(root)) {
        return Ok(());
    }
    let roots: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    Err(format!(
        "refusing to write {}: it leads (through a symlink) to {}, outside the repository ({})",
        shown.display(),
        real.display(),
        roots.join(", ")
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_out_of_the_root_is_refused_and_one_inside_is_not() {
        let base = std::env::temp_dir().join(format!("envlint-confine-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("repo/p")).expect("dirs");
        std::fs::create_dir_all(base.join("outside")).expect("dirs");
        std::fs::write(base.join("outside/profiles.yml"), "x").expect("file");
        std::fs::write(base.join("repo/real.yml"), "x").expect("file");
        std::os::unix::fs::symlink(
            base.join("outside/profiles.yml"),
            base.join("repo/p/out.yml"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(base.join("repo/real.yml"), base.join("repo/p/in.yml"))
            .expect("symlink");
        let root = repository_root(&base.join("repo"));
        let roots = [root];
        let out = check_inside(&base.join("repo/p/out.yml"), Path::new("p/out.yml"), &roots);
        assert!(out.is_err_and(|e| e.contains("outside the repository")));
        assert!(check_inside(&base.join("repo/p/in.yml"), Path::new("p/in.yml"), &roots).is_ok());
        assert!(check_inside(&base.join("repo/p/new/file"), Path::new("x"), &roots).is_ok());
        let _ = std::fs::remove_dir_all(&base);
    }
}
