//! Turns the command line's path and profile options into what the loader needs; the
//! CLI's only reader of the process environment (`DBT_PROFILES_DIR`, `HOME`).

use std::path::{Path, PathBuf};

use envlint_parser::{LoadOptions, Repository};

use crate::args::CommonArgs;

/// The options `check`, `explain` and `init` share.
pub(crate) struct Inputs<'a> {
    pub paths: &'a [PathBuf],
    pub policy: Option<&'a PathBuf>,
    pub profiles_dir: Option<&'a PathBuf>,
    pub user_profiles: bool,
}

impl<'a> From<&'a CommonArgs> for Inputs<'a> {
    fn from(args: &'a CommonArgs) -> Self {
        Self {
            paths: &args.paths,
            policy: args.policy.as_ref(),
            profiles_dir: args.profiles_dir.as_ref(),
            user_profiles: args.user_profiles,
        }
    }
}

/// Validates the inputs (paths and policy must exist) and builds the loader options.
pub(crate) fn options(inputs: &Inputs<'_>) -> Result<LoadOptions, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let paths = if inputs.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        inputs.paths.to_vec()
    };
    for path in &paths {
        expect_kind(path, "path", Kind::FileOrDirectory)?;
    }
    if let Some(policy) = inputs.policy {
        expect_kind(policy, "policy file", Kind::File)?;
    }
    if let Some(dir) = inputs.profiles_dir {
        expect_kind(dir, "--profiles-dir", Kind::Directory)?;
    }
    Ok(LoadOptions {
        paths,
        profiles_dir: inputs
            .profiles_dir
            .cloned()
            .or_else(|| std::env::var_os("DBT_PROFILES_DIR").map(PathBuf::from)),
        user_profiles: inputs
            .user_profiles
            .then(|| std::env::var_os("HOME"))
            .flatten()
            .map(|home| PathBuf::from(home).join(".dbt").join("profiles.yml")),
        policy: inputs.policy.cloned(),
        display_base: cwd,
        overrides: Default::default(),
    })
}

/// An error when the paths hold nothing to check: no dbt project, profiles file, CI file,
/// `.env` or setup SQL (and nothing that failed to load). "No findings" would read as a pass.
pub(crate) fn something_checked(repo: &Repository, options: &LoadOptions) -> Result<(), String> {
    let empty = repo.projects.is_empty()
        && repo.profiles.is_empty()
        && repo.ci.is_empty()
        && repo.dotenv.is_empty()
        && repo.sql.is_empty()
        && repo.parse_errors.is_empty();
    if !empty {
        return Ok(());
    }
    let paths: Vec<String> = options
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    Err(format!(
        "nothing to check in {}: no dbt_project.yml, profiles.yml, CI workflow, .env file or \
         setup SQL was found (run it from the repository's root or pass the dbt project's \
         directory)",
        paths.join(", ")
    ))
}

/// What a path named on the command line must be.
#[derive(Clone, Copy)]
enum Kind {
    File,
    Directory,
    FileOrDirectory,
}

/// An error naming what `path` is when it is not what the command needs: missing, a
/// directory, a FIFO, a device, a socket (reading one could block or never end).
fn expect_kind(path: &Path, what: &str, kind: Kind) -> Result<(), String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("{what} not found (no such file or directory): {shown}")
        }
        _ => format!("{what} {shown} cannot be read: {e}"),
    })?;
    let found = meta.file_type();
    let wanted = match kind {
        Kind::File => "a regular file",
        Kind::Directory => "a directory holding profiles.yml",
        Kind::FileOrDirectory => "a file or a directory",
    };
    let what_it_is = if found.is_dir() {
        "a directory"
    } else if found.is_file() {
        "a file"
    } else {
        special_kind(&found)
    };
    let fits = match kind {
        Kind::File => found.is_file(),
        Kind::Directory => found.is_dir(),
        Kind::FileOrDirectory => found.is_file() || found.is_dir(),
    };
    if fits {
        Ok(())
    } else {
        Err(format!("{what} {shown} is {what_it_is}, not {wanted}"))
    }
}

/// The name of a file type that is neither a regular file nor a directory.
#[cfg(unix)]
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}
