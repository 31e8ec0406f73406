//! Ignore files are honoured within the repository only: one over budget, a FIFO or a link
//! out of the repository is reported and not read, and nothing above the repository's top
//! decides what is checked.

use crate::support::{Repo, assert_parse_error, codes};

#[test]
fn a_gitignore_over_budget_is_reported_and_not_compiled() {
    // 100,000 patterns took 787 MiB: every pattern became a compiled glob.
    let repo = Repo::new("gitignore-budget");
    let patterns: String = (0..100_000).map(|i| format!("pat{i}/**/*.tmp\n")).collect();
    repo.write(".gitignore", patterns);
    assert_parse_error(
        &repo,
        ".gitignore",
        "ignore file not honoured: file is too large (1746 KiB, the limit is 256 KiB)",
    );
}

#[test]
fn a_gitignore_under_budget_is_honoured() {
    let repo = Repo::new("gitignore-honoured");
    let mut patterns: String = (0..5_000).map(|i| format!("pat{i}/**/*.tmp\n")).collect();
    patterns.push_str("ignored/\n");
    repo.write(".gitignore", patterns);
    repo.write(
        "ignored/dbt_project.yml",
        "name: ignored\nprofile: healthy\n",
    );
    repo.write(
        "ignored/profiles.yml",
        "x: {target: prod, outputs: {prod: {type: postgres, password: literal-secret-here}}}\n",
    );
    let (code, json) = repo.check();
    let files = json.to_string();
    assert!(
        !files.contains("ignored/"),
        "an ignored file was read: {json}"
    );
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_fifo_gitignore_is_reported_not_waited_on() {
    let repo = Repo::new("gitignore-fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(repo.root.join("healthy/.gitignore"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    assert_parse_error(&repo, ".gitignore", "not a regular file");
}

#[cfg(unix)]
#[test]
fn a_gitignore_linked_out_of_the_repository_is_not_read() {
    let repo = Repo::new("gitignore-link");
    let outside = repo.root.with_extension("outside-ignore");
    std::fs::create_dir_all(&outside).expect("outside dir");
    std::fs::write(outside.join("ignore"), "healthy/\n").expect("outside ignore");
    std::os::unix::fs::symlink(outside.join("ignore"), repo.root.join(".gitignore"))
        .expect("symlink");
    assert_parse_error(&repo, ".gitignore", "a link out of the repository");
    let _ = std::fs::remove_dir_all(&outside);
}

#[test]
fn ignore_files_above_the_repository_decide_nothing() {
    // The walk read every folder's `.gitignore` up to `/`: a `*.yml` in a parent of the
    // clone hid every profile.
    let repo = Repo::new("gitignore-above");
    repo.write(".gitignore", "*.yml\n");
    std::fs::create_dir_all(repo.root.join("clone/.git")).expect("git dir");
    repo.write(
        "clone/healthy/dbt_project.yml",
        "name: healthy\nprofile: healthy\n",
    );
    repo.write(
        "clone/healthy/profiles.yml",
        "healthy:\n  target: prod\n  outputs:\n    prod: {type: duckdb, path: \"md:w\", schema: main}\n",
    );
    let output = repo.run(&["--format", "json", "clone"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON findings");
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
}

#[test]
fn a_folder_checked_inside_a_repository_honours_the_top_gitignore() {
    let repo = Repo::new("gitignore-top");
    std::fs::create_dir_all(repo.root.join(".git")).expect("git dir");
    repo.write(
        "healthy/scratch/profiles.yml",
        "scratch:\n  target: prod\n  outputs:\n    prod: {type: postgres, host: h, user: u, password: literal-secret-here, dbname: d, schema: s}\n",
    );
    let scratch_checked = |repo: &Repo| {
        let output = repo.run(&["--format", "json", "healthy"]);
        String::from_utf8_lossy(&output.stdout).contains("scratch/profiles.yml")
    };
    assert!(scratch_checked(&repo), "the fixture has no finding to hide");
    repo.write(".gitignore", "/healthy/scratch/\n");
    assert!(
        !scratch_checked(&repo),
        "the top .gitignore was not honoured"
    );
}
