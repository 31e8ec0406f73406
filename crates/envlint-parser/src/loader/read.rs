//! Reading one file from disk as text: never blocking on a special file, never past a budget.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The byte budget of every file the loader reads: larger files are reported and skipped.
pub(super) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file cannot be used, with what can be shown of it.
pub(super) struct Unreadable {
    pub(super) reason: String,
    /// The text to show in the diagnostic (lossy for invalid UTF-8, empty otherwise).
    pub(super) shown: String,
    /// Where the problem is in `shown`.
    pub(super) at: usize,
}

impl Unreadable {
    pub(super) fn new(reason: String) -> Self {
        Self {
            reason,
            shown: String::new(),
            at: 0,
        }
    }
}

/// Opens without blocking: a FIFO swapped in for a file would otherwise wait for a writer.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// Reads a file as UTF-8 text, refusing what is not a regular text file. The type is
/// checked on the opened handle, so a file swapped during the run cannot slip past.
pub(super) fn read_text(path: &Path) -> Result<String, Unreadable> {
    read_text_within(path, MAX_FILE_BYTES)
}

/// [`read_text`] with a smaller byte budget than every file's.
pub(super) fn read_text_within(path: &Path, budget: u64) -> Result<String, Unreadable> {
    let cannot = |e: std::io::Error| Unreadable::new(format!("cannot read file: {e}"));
    let mut file = open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(Unreadable::new(
            "expected a file, found a directory".to_owned(),
        ));
    }
    if !meta.is_file() {
        return Err(Unreadable::new(
            "not a regular file (a FIFO, socket or device): not read".to_owned(),
        ));
    }
    if meta.len() > budget {
        return Err(too_large(meta.len(), budget));
    }
    let mut bytes = Vec::new();
    // A file growing while it is read still stops at the budget.
    file.by_ref()
        .take(budget + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > budget {
        return Err(too_large(bytes.len() as u64, budget));
    }
    text(bytes)
}

fn too_large(len: u64, budget: u64) -> Unreadable {
    let size = |bytes: u64| {
        if budget >= 1024 * 1024 {
            format!("{} MiB", bytes / (1024 * 1024))
        } else {
            format!("{} KiB", bytes / 1024)
        }
    };
    Unreadable::new(format!(
        "file is too large ({}, the limit is {})",
        size(len),
        size(budget)
    ))
}

/// The encoding a byte order mark announces, when it is UTF-16 or UTF-32.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32BE"),
        [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32LE"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE"),
        [0xFF, 0xFE, ..] => Some("UTF-16LE"),
        _ => None,
    }
}

fn text(bytes: Vec<u8>) -> Result<String, Unreadable> {
    if let Some(encoding) = wide_encoding(&bytes) {
        return Err(Unreadable::new(format!(
            "file is {encoding} (it starts with a {encoding} byte order mark); dbt reads \
             UTF-8 only: save it as UTF-8"
        )));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        // The walker skips special files, but one swapped in after the walk reached here
        // and blocked the run forever waiting for a writer.
        let dir = std::env::temp_dir().join(format!("envlint-fifo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let fifo = dir.join("profiles.yml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let error = read_text(&fifo).err().map(|e| e.reason).unwrap_or_default();
        assert!(error.contains("not a regular file"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
