//! `--fix` never loses data: odd line ends, symlinks out of the repository, owners and
//! modes, read-only files, and `--fix` with `--diff`.

use crate::support::{Repo, finding};

/// Runs the binary in the scratch repository with `args`; exit code, stdout and stderr.
pub(crate) fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    repo.outcome(args)
}

#[test]
pub(crate) fn fix_and_diff_together_are_a_usage_error() {
    let repo = Repo::new("fix-diff");
    let (code, _, stderr) = run(&repo, &["--fix", "--diff", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--diff") && stderr.contains("--fix"),
        "{stderr}"
    );
}

/// A profile of the scratch project `p` whose `ENV102` suppression is unused, so `--fix`
/// removes the comment and nothing else.
const CR_PROFILE: &str = "# envlint: ignore[ENV102] x\rp:\r  target: dev\r  outputs:\r    dev: {type: duckdb, schema: dev_x}\r";

fn project(repo: &Repo, profile: &str) {
    repo.write("p/dbt_project.yml", "name: p\nprofile: p\n");
    repo.write("p/profiles.yml", profile);
}

fn profile(repo: &Repo) -> String {
    std::fs::read_to_string(repo.root.join("p/profiles.yml")).expect("profile")
}

#[test]
pub(crate) fn fix_keeps_every_other_line_of_a_cr_only_file() {
    let repo = Repo::new("fix-cr");
    project(&repo, CR_PROFILE);
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert_eq!(
        profile(&repo),
        "p:\r  target: dev\r  outputs:\r    dev: {type: duckdb, schema: dev_x}\r"
    );
}

#[test]
pub(crate) fn fix_keeps_the_line_after_a_lone_cr() {
    let repo = Repo::new("fix-lone-cr");
    let text = "p:\n  # envlint: ignore[ENV102] r\r  target: dev\n  outputs:\n    dev: {type: duckdb, schema: dev_x}\n";
    project(&repo, text);
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert_eq!(
        profile(&repo),
        "p:\n  target: dev\n  outputs:\n    dev: {type: duckdb, schema: dev_x}\n"
    );
}

#[test]
pub(crate) fn findings_in_a_cr_only_file_have_the_right_line_and_column() {
    let repo = Repo::new("cr-position");
    project(
        &repo,
        "# envlint: ignore[ENV102] x\rp:\r  target: prod\r  outputs:\r    prod: {type: duckdb, path: \"md:w\", schema: main}\r",
    );
    let (_, json) = repo.check();
    let unused =
        finding(&json, "ENV003", "p/profiles.yml").unwrap_or_else(|| panic!("no ENV003: {json}"));
    assert_eq!(
        (&unused["line"], &unused["column"]),
        (&1.into(), &19.into()),
        "{unused}"
    );
    let prod =
        finding(&json, "ENV101", "p/profiles.yml").unwrap_or_else(|| panic!("no ENV101: {json}"));
    assert_eq!(
        (&prod["line"], &prod["column"]),
        (&3.into(), &11.into()),
        "{prod}"
    );
}

/// A folder outside the scratch repository, removed when dropped.
pub(crate) struct Outside(pub(crate) std::path::PathBuf);

impl Outside {
    pub(crate) fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("envlint-outside-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("outside dir");
        Self(dir)
    }
}

impl Drop for Outside {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An LF profile whose only fix removes an unused suppression comment.
const LF_PROFILE: &str = "# envlint: ignore[ENV102] x\np:\n  target: dev\n  outputs:\n    dev: {type: duckdb, schema: dev_x}\n";

#[cfg(unix)]
#[test]
pub(crate) fn fix_never_writes_through_a_symlink_out_of_the_repository() {
    let repo = Repo::new("fix-symlink-out");
    let outside = Outside::new("fix-symlink-out");
    let target = outside.0.join("profiles.yml");
    std::fs::write(&target, LF_PROFILE).expect("outside profile");
    repo.write("p/dbt_project.yml", "name: p\nprofile: p\n");
    std::os::unix::fs::symlink(&target, repo.root.join("p/profiles.yml")).expect("symlink");
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    // The loader never reads a project's profile through a symlink out of the repository
    // (the writer would refuse it too: `confine` unit tests), so it is not fixed.
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(stderr.contains("is in no profiles file here"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), LF_PROFILE);
    let stray = std::fs::read_dir(&outside.0).expect("list").count();
    assert_eq!(stray, 1, "a temporary file was left outside");
}

#[cfg(unix)]
#[test]
pub(crate) fn fix_writes_through_a_symlink_inside_the_repository() {
    let repo = Repo::new("fix-symlink-in");
    repo.write("shared/p.yml", LF_PROFILE);
    repo.write("p/dbt_project.yml", "name: p\nprofile: p\n");
    let link = repo.root.join("p/profiles.yml");
    std::os::unix::fs::symlink("../shared/p.yml", &link).expect("symlink");
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the symlink was replaced by a file"
    );
    assert_eq!(
        std::fs::read_to_string(repo.root.join("shared/p.yml")).expect("read"),
        "p:\n  target: dev\n  outputs:\n    dev: {type: duckdb, schema: dev_x}\n"
    );
}

#[cfg(unix)]
#[test]
pub(crate) fn fix_writes_a_profiles_dir_the_user_named_wherever_it_is() {
    let repo = Repo::new("fix-profiles-dir");
    let outside = Outside::new("fix-profiles-dir");
    std::fs::write(outside.0.join("profiles.yml"), LF_PROFILE).expect("outside profile");
    repo.write("p/dbt_project.yml", "name: p\nprofile: p\n");
    let dir = outside.0.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&repo, &["--fix", "--profiles-dir", &dir, "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(
        !std::fs::read_to_string(outside.0.join("profiles.yml"))
            .expect("read")
            .contains("envlint: ignore"),
        "the named profile was not fixed"
    );
}

#[cfg(unix)]
#[test]
pub(crate) fn init_scaffold_refuses_symlinked_folders_out_of_the_repository() {
    for folder in ["macros", ".github/workflows"] {
        let repo = Repo::new("init-symlink-out");
        let outside = Outside::new("init-symlink-out");
        repo.write("p/dbt_project.yml", "name: p\nprofile: p\n");
        // `p` alone, without a profile: `--scaffold` would write one for it first.
        std::fs::remove_dir_all(repo.root.join("healthy")).expect("only p");
        if folder == "macros" {
            let link = repo.root.join("p/macros");
            std::os::unix::fs::symlink(&outside.0, link).expect("symlink");
        } else {
            repo.write(".github/README", "");
            let link = repo.root.join(".github/workflows");
            std::os::unix::fs::symlink(&outside.0, link).expect("symlink");
        }
        let (code, _, stderr) = run(&repo, &["init", "--scaffold", "."]);
        assert_eq!(code, 2, "{folder}: {stderr}");
        assert!(
            stderr.contains("outside the repository"),
            "{folder}: {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(&outside.0).expect("list").count(),
            0,
            "{folder}: written outside"
        );
        // Refused before anything is written: not even the profile skeleton for `p`.
        assert!(!repo.root.join("p/profiles.yml").exists(), "{folder}");
        assert!(!repo.root.join("envlint.yml").exists(), "{folder}");
    }
}

/// Whether the tests run as root, read from the owner of a file just created (no `unsafe`
/// to ask for the effective user id).
#[cfg(unix)]
fn running_as_root(repo: &Repo) -> bool {
    use std::os::unix::fs::MetadataExt;
    repo.write("owner-probe", "");
    let uid = std::fs::metadata(repo.root.join("owner-probe"))
        .expect("probe")
        .uid();
    let _ = std::fs::remove_file(repo.root.join("owner-probe"));
    uid == 0
}

/// `--fix` keeps the mode (always checked) and the owner and group of a file it rewrites.
/// Giving a file to another owner needs root: as root (CI) the profile belongs to
/// 1234:5678 and must still after the fix; otherwise the fixed file must keep the test
/// user's own owner and group, and its 0640 mode.
#[cfg(unix)]
#[test]
pub(crate) fn fix_keeps_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let repo = Repo::new("fix-owner");
    project(&repo, LF_PROFILE);
    let path = repo.root.join("p/profiles.yml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let root = running_as_root(&repo);
    if root {
        std::os::unix::fs::chown(&path, Some(1234), Some(5678)).expect("chown");
    }
    let before = std::fs::metadata(&path).expect("meta");
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert!(code == 0 || code == 1, "{stderr}");
    let after = std::fs::metadata(&path).expect("meta");
    assert!(
        !profile(&repo).contains("envlint: ignore"),
        "the file was not fixed"
    );
    assert_eq!(after.permissions().mode() & 0o7777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if root {
        assert_eq!((after.uid(), after.gid()), (1234, 5678));
    }
}

#[cfg(unix)]
#[test]
pub(crate) fn fix_refuses_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new("fix-read-only");
    project(&repo, LF_PROFILE);
    let path = repo.root.join("p/profiles.yml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let (code, _, stderr) = run(&repo, &["--fix", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(profile(&repo), LF_PROFILE);
    let stray = std::fs::read_dir(repo.root.join("p"))
        .expect("list")
        .count();
    assert_eq!(stray, 2, "a temporary file was left behind");
}
