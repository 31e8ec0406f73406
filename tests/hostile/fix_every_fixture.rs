//! Every rule fixture `--fix` changes, fixed through the real binary twice: as written, and
//! with each file behind an in-repository symlink, mode 0640 and (as root) owner 1234:5678.
//! The second run must write the same text through the links, keep every link a link, and
//! keep each target's mode, owner and group.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path, under: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, under, out);
        } else {
            out.push(path.strip_prefix(under).expect("under").to_path_buf());
        }
    }
    out.sort();
}

fn copy(from: &Path, to: &Path) {
    let mut list = Vec::new();
    files(from, from, &mut list);
    for file in list {
        std::fs::create_dir_all(to.join(&file).parent().expect("parent")).expect("dir");
        std::fs::copy(from.join(&file), to.join(&file)).expect("copy");
    }
    // A git root, so the case is a repository of its own.
    std::fs::create_dir_all(to.join(".git")).expect(".git");
}

fn fix(dir: &Path) {
    let status = Command::cargo_bin("dbt-envlint")
        .expect("binary builds")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DBT_PROFILES_DIR")
        .args(["--fix", "--unsafe-fixes", "--format", "concise", "."])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let code = status.status.code().unwrap_or(-1);
    // 2 for an invalid policy (ENV002) fixtures: the files are what is judged here.
    assert!((0..=2).contains(&code), "{}: exit {code}", dir.display());
}

/// The text of every file of a fixed case, read through links.
fn texts(dir: &Path, names: &[PathBuf]) -> BTreeMap<PathBuf, String> {
    names
        .iter()
        .map(|n| {
            (
                n.clone(),
                std::fs::read_to_string(dir.join(n)).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn every_fixable_fixture_fixes_the_same_through_symlinks_keeping_owner_group_and_mode() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let scratch = std::env::temp_dir().join(format!("envlint-fix-every-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut changed_cases = 0;
    let mut as_root = false;
    let mut rules: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n != "projects" && n != "conformance")
        })
        .collect();
    rules.sort();
    for rule in rules {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&rule)
            .expect("rule dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("fail-"))
            })
            .collect();
        cases.sort();
        for case in cases {
            let name = format!(
                "{}-{}",
                rule.file_name().expect("name").to_string_lossy(),
                case.file_name().expect("name").to_string_lossy()
            );
            let plain = scratch.join("plain").join(&name);
            copy(&case, &plain);
            let mut names = Vec::new();
            files(&case, &case, &mut names);
            let before = texts(&plain, &names);
            fix(&plain);
            let expected = texts(&plain, &names);
            if expected == before {
                continue;
            }
            changed_cases += 1;
            // The same case, every file a link to `<file>.target` beside it.
            let linked = scratch.join("linked").join(&name);
            copy(&case, &linked);
            for file in &names {
                let path = linked.join(file);
                let target = PathBuf::from(format!("{}.target", path.display()));
                std::fs::rename(&path, &target).expect("move");
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640))
                    .expect("chmod");
                as_root = std::os::unix::fs::chown(&target, Some(1234), Some(5678)).is_ok();
                let link_name = target.file_name().expect("name").to_owned();
                std::os::unix::fs::symlink(link_name, &path).expect("symlink");
            }
            fix(&linked);
            assert_eq!(texts(&linked, &names), expected, "{name}: through links");
            for file in &names {
                let path = linked.join(file);
                let link = std::fs::symlink_metadata(&path).expect("link");
                assert!(
                    link.file_type().is_symlink(),
                    "{name}: {} replaced",
                    file.display()
                );
                let target = std::fs::metadata(&path).expect("target");
                assert_eq!(
                    target.mode() & 0o777,
                    0o640,
                    "{name}: {} mode",
                    file.display()
                );
                if as_root {
                    assert_eq!(
                        (target.uid(), target.gid()),
                        (1234, 5678),
                        "{name}: {}",
                        file.display()
                    );
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    // Not vacuous: the fixtures hold fixable cases of several rules.
    assert!(changed_cases >= 10, "only {changed_cases} fixtures changed");
}
