//! `-o/--output-file` and `check --sarif-file`: the report written whole or not at all, so
//! that a CI step reading the file never sees half of it, and a failed run leaves the
//! previous file in place.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to a temporary file next to `path`, then renames it over `path`; errors
/// name the option that chose `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], option: &str) -> Result<(), String> {
    let shown = path.display();
    let temporary =
        temporary_sibling(path).ok_or_else(|| format!("{option} {shown} does not name a file"))?;
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {option} {shown}: {e}")
    })
}

/// `dir/.name.PID.tmp`: in the same directory, so that the rename stays on one file system.
fn temporary_sibling(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy();
    let dir = path.parent().unwrap_or(Path::new(""));
    Some(dir.join(format!(".{name}.{}.tmp", std::process::id())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("envlint-output-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("report.json");
        std::fs::write(&path, "old").expect("seed");
        write_atomically(&path, b"new", "--output-file").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("list").collect();
        assert_eq!(left.len(), 1);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let path = Path::new("/nonexistent-envlint-dir/report.json");
        let error = write_atomically(path, b"x", "--output-file").expect_err("no directory");
        assert!(error.starts_with("cannot write --output-file"), "{error}");
    }
}
