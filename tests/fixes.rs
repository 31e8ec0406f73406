//! Suppression comments and fixes, through the real binary: counts, `--no-suppressions`,
//! `require-reason`, `--fix`, `--unsafe-fixes`, `--diff`, and fixes in JSON.

use std::path::Path;

mod common;

use common::{copy_tree, run};

const FIXABLE: &str = "fixtures/projects/suppressed-and-fixable";

/// A fresh copy of a directory of the repository under the temporary directory.
fn scratch_copy(from: &str, name: &str) -> std::path::PathBuf {
    let to = std::env::temp_dir().join(format!("envlint-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join(from), &to);
    to
}

#[test]
fn suppressions_are_counted_and_no_suppressions_shows_what_they_hide() {
    let out = run(&["--format", "concise", FIXABLE]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("in 5 files (3 suppressed).\n"),
        "{}",
        out.stdout
    );
    for hidden in ["ENV102", "ENV304", "ENV305"] {
        assert!(!out.stdout.contains(hidden), "{hidden} is suppressed");
    }
    assert!(
        out.stdout
            .contains("warning[ENV003] [*] `ENV107` reports nothing here")
    );
    let audit = run(&["--format", "concise", "--no-suppressions", FIXABLE]);
    for shown in ["ENV102", "ENV304", "ENV305"] {
        assert!(audit.stdout.contains(shown), "{shown}: {}", audit.stdout);
    }
    assert!(!audit.stdout.contains("ENV003") && !audit.stdout.contains("suppressed)."));
    let json = run(&["--format", "json", FIXABLE]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(parsed["version"], 1);
    assert_eq!(parsed["summary"]["suppressed"], 3);
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_not_called_unused() {
    let out = run(&["--format", "concise", "--select", "ENV003", FIXABLE]);
    assert_eq!(out.stdout, "No findings in 5 files.\n");
    let out = run(&["--format", "concise", "--select", "ENV003,ENV107", FIXABLE]);
    assert!(out.stdout.contains("[ENV003]"), "{}", out.stdout);
}

#[test]
fn strict_preset_requires_a_reason_on_every_suppression() {
    let dir = scratch_copy(FIXABLE, "strict");
    let profiles = dir.join("profiles.yml");
    let text = std::fs::read_to_string(&profiles).expect("read");
    let text = text.replace(
        "ignore[shared-dev-schema] sandbox shared by the two analysts, agreed in #412",
        "ignore[shared-dev-schema]",
    );
    std::fs::write(&profiles, text).expect("write");
    let policy = std::fs::read_to_string(dir.join("envlint.yml")).expect("read");
    std::fs::write(
        dir.join("envlint.yml"),
        format!("extends: strict\n{policy}"),
    )
    .expect("write");
    let out = run(&["--format", "concise", &dir.display().to_string()]);
    assert!(
        out.stdout
            .contains("error[ENV004] suppression comment without a reason"),
        "{}",
        out.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_writes_safe_fixes_atomically_and_reports_what_remains() {
    let dir = scratch_copy(FIXABLE, "fix");
    let profiles = dir.join("profiles.yml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o640);
        std::fs::set_permissions(&profiles, mode).expect("chmod");
    }
    let workflow = dir.join(".github/workflows/ci.yml");
    let workflow_before = std::fs::metadata(&workflow)
        .and_then(|m| m.modified())
        .expect("mtime");
    let path = dir.display().to_string();
    let out = run(&["--format", "concise", "--fix", &path]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Fixed 3 findings.\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains("warning[ENV103]"),
        "the unsafe fix waits: {}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("(1 fixable with `--fix --unsafe-fixes`)"),
        "{}",
        out.stdout
    );
    let fixed = std::fs::read_to_string(&profiles).expect("read");
    assert!(fixed.contains("  target: dev\n"));
    assert!(fixed.contains("env_var('SNOWFLAKE_PASSWORD') }}"));
    assert!(!fixed.contains("Winter2024!") && !fixed.contains("ignore[ENV107]"));
    assert!(
        fixed.contains("ignore[shared-dev-schema]"),
        "a used suppression stays"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&profiles)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }
    let workflow_after = std::fs::metadata(&workflow)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(
        workflow_before, workflow_after,
        "an unchanged file is not written"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("envlint-fix"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
    let out = run(&["--format", "concise", "--fix", "--unsafe-fixes", &path]);
    assert!(
        out.stdout
            .contains("No findings in 4 files (3 suppressed).\nFixed 1 finding.\n"),
        "{}",
        out.stdout
    );
    let fixed = std::fs::read_to_string(&profiles).expect("read");
    assert!(
        fixed.contains("schema: \"pr_{{ env_var('PR_NUMBER') }}\""),
        "{fixed}"
    );
    let again = run(&["--diff", "--unsafe-fixes", &path]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "converged");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_shows_the_fixes_without_writing_and_never_a_secret() {
    let dir = scratch_copy("tests/data/planted-secrets", "diff");
    let profiles = dir.join("profiles.yml");
    let before = std::fs::read_to_string(&profiles).expect("read");
    let path = dir.display().to_string();
    let out = run(&["--diff", "--unsafe-fixes", &path]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with(&format!("--- {path}/profiles.yml\n+++ ")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("+      password: \"{{ env_var('PG_PASSWORD') }}\"\n"),
        "{}",
        out.stdout
    );
    let masked = format!(
        "-      password: \"{{{{ env_var('PG_PASSWORD', {}) }}}}\"\n",
        "*".repeat(23)
    );
    assert!(out.stdout.contains(&masked), "{}", out.stdout);
    assert!(
        !out.stdout.contains("PLANTED-") && !out.stderr.contains("PLANTED-"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.starts_with("Would fix "), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&profiles).expect("read"),
        before,
        "--diff writes nothing"
    );
    let conflicting = run(&["--diff", "--format", "json", &path]);
    assert_eq!(conflicting.code, 2, "--diff prints a diff, never JSON");
    let fix = run(&["--fix", "--format", "json", &path]);
    assert!(!fix.stdout.contains("PLANTED-fallback"), "{}", fix.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_lists_fixes_with_positions() {
    let out = run(&["--format", "json", "--select", "ENV108", FIXABLE]);
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let fix = &parsed["diagnostics"][0]["fixes"][0];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["message"], "drop the secret fallback");
    let edit = &fix["edits"][0];
    assert_eq!(
        (edit["line"].as_u64(), edit["replacement"].as_str()),
        (Some(10), Some(""))
    );
    assert_eq!(
        (edit["column"].as_u64(), edit["end_column"].as_u64()),
        (Some(49), Some(64))
    );
}
