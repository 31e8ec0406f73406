//! Wrong input, right error: an unusable policy, paths that are no file or directory, filters
//! that name nothing, YAML the parser words for programmers, wrongly shaped profiles.

use crate::support::*;

/// Runs the binary in the scratch repository with `args`; exit code, stdout and stderr.
pub(crate) fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    repo.outcome(args)
}

#[test]
fn an_unusable_policy_is_env002_and_exit_2_in_every_format_whatever_is_ignored() {
    let repo = Repo::new("unusable-policy");
    for (name, policy) in [
        ("invalid YAML", b"rules: [unclosed\n".as_slice()),
        ("binary", b"rules: [\x00\x01".as_slice()),
        ("UTF-16", b"\xff\xfer\x00u\x00".as_slice()),
    ] {
        repo.write("envlint.yml", policy);
        for format in [
            "human", "concise", "json", "sarif", "github", "junit", "gitlab",
        ] {
            for ignore in ["ENV110", "ENV001,ENV002"] {
                let (code, stdout, _) = run(&repo, &["--format", format, "--ignore", ignore, "."]);
                assert_eq!(code, 2, "{name}, {format}, --ignore {ignore}: {stdout}");
                if ignore == "ENV110" {
                    assert!(stdout.contains("ENV002"), "{name}, {format}: {stdout}");
                    // SARIF lists every rule; elsewhere an ENV001 would be a finding.
                    let finding_001 = format != "sarif" && stdout.contains("ENV001");
                    assert!(!finding_001, "{name}, {format}: {stdout}");
                }
            }
        }
    }
    let (_, json) = repo.check();
    let error = finding(&json, "ENV002", "envlint.yml").expect("ENV002");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("the policy cannot be used: file is UTF-16LE")),
        "{error}"
    );
    // The rest was judged by the recommended preset.
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
}

#[cfg(unix)]
#[test]
fn paths_that_are_no_file_or_directory_say_what_they_are() {
    let repo = Repo::new("special-paths");
    repo.write("policy-dir/x", "");
    let fifo = repo.root.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let cases: [(&[&str], &str); 8] = [
        (
            &["--policy", "policy-dir", "."],
            "policy file policy-dir is a directory, not a regular file",
        ),
        (
            &["--policy", "fifo", "."],
            "policy file fifo is a FIFO (named pipe), not a regular file",
        ),
        (
            &["--policy", "/dev/zero", "."],
            "policy file /dev/zero is a device, not a regular file",
        ),
        (
            &["fifo"],
            "path fifo is a FIFO (named pipe), not a file or a directory",
        ),
        (
            &["/dev/zero"],
            "path /dev/zero is a device, not a file or a directory",
        ),
        (
            &["--profiles-dir", "no/such/dir", "."],
            "--profiles-dir not found (no such file or directory): no/such/dir",
        ),
        (
            &["--profiles-dir", "healthy/profiles.yml", "."],
            "--profiles-dir healthy/profiles.yml is a file, not a directory holding profiles.yml",
        ),
        (
            &["init", "healthy/profiles.yml"],
            "healthy/profiles.yml is a file: `init` takes the directory",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = run(&repo, args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("File exists"), "{stderr}");
    }
    assert!(!repo.root.join("healthy/profiles.yml/envlint.yml").exists());
}

#[test]
fn explain_filters_that_name_nothing_are_errors() {
    let repo = Repo::new("explain-filters");
    let (code, _, stderr) = run(&repo, &["explain", "--target", "prdo", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no target named `prdo` in the checked projects; did you mean `prod`?"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&repo, &["explain", "--node", "nosuch", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no model, seed or snapshot named `nosuch`"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&repo, &["explain", "--target", "prod", "."]);
    assert_eq!(code, 0);
    assert!(stdout.contains("prod"), "{stdout}");
}

#[test]
fn yaml_errors_are_worded_for_users_not_for_the_parser_library() {
    let repo = Repo::new("yaml-wording");
    let cases = [
        (
            "a",
            "a:\n  outputs:\n    dev: {type: duckdb}\n---\nb: 1\n",
            "expected a single document in the stream",
        ),
        ("b", "a: &a [*a]\n", "a recursive `*anchor`"),
        (
            "c",
            "a:\n  outputs:\n    dev: {type: duckdb, threads: !!int many}\n",
            "does not read as an integer",
        ),
    ];
    for (dir, text, _) in &cases {
        repo.write(&format!("{dir}/profiles.yml"), text);
    }
    // `.nan` and `.inf` are floats to PyYAML and text to us: no error at all.
    repo.write(
        "d/profiles.yml",
        "a:\n  outputs:\n    dev: {type: duckdb, threads: .nan, x: .inf}\n",
    );
    let (_, json) = repo.check();
    for (dir, _, message) in cases {
        let error = finding(&json, "ENV001", &format!("{dir}/profiles.yml"))
            .unwrap_or_else(|| panic!("no ENV001 in {dir}: {json}"));
        let text = error["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{text}");
        for internal in [
            "from_str_multiple",
            "weak recursion",
            "u64",
            "configured policy",
        ] {
            assert!(!text.contains(internal), "{text}");
        }
    }
    assert!(
        finding(&json, "ENV001", "d/profiles.yml").is_none(),
        "{json}"
    );
}

#[test]
fn profiles_of_the_wrong_shape_are_env001_not_skipped() {
    let repo = Repo::new("profile-shapes");
    repo.write("a/profiles.yml", "a:\n  target: dev\n  outputs: ~\n");
    repo.write(
        "b/profiles.yml",
        "config: {send_anonymous_usage_stats: false}\nb:\n  target: dev\n  outputs:\n    dev: [1, 2]\n    ci: {type: duckdb, schema: \"pr_{{ env_var('PR') }}\"}\n",
    );
    let (_, json) = repo.check();
    let a = finding(&json, "ENV001", "a/profiles.yml").expect("outputs: ~");
    assert_eq!(
        a["message"],
        "outputs of profile `a` invalid: expected a mapping of targets, found nothing (null)"
    );
    assert_eq!(a["line"], 3);
    let b = finding(&json, "ENV001", "b/profiles.yml").expect("dev: [1, 2]");
    assert!(
        b["message"].as_str().is_some_and(|m| m
            .starts_with("Credentials in profile `b`, target `dev` invalid")
            && m.ends_with("found a list")),
        "{b}"
    );
    assert_eq!(b["line"], 5);
    // One ENV001 per problem, none for `config:`.
    assert_eq!(
        codes(&json).iter().filter(|c| *c == "ENV001").count(),
        2,
        "{json}"
    );
}
