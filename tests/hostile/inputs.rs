//! Bombs, huge, binary, non-UTF-8 and odd files, loops, long lines, escape sequences and
//! paths that point outside the repository.

use std::time::Duration;

use assert_cmd::Command;

use crate::support::*;

#[test]
fn billion_laughs() {
    let repo = Repo::new("laughs");
    let mut bomb = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    bomb.push_str("bomb:\n  outputs:\n    dev: *a9\n");
    repo.write("bomb/profiles.yml", bomb);
    assert_parse_error(&repo, "bomb/profiles.yml", "budget");
}

#[test]
fn merge_key_bomb() {
    let repo = Repo::new("merge");
    let mut bomb = String::from("m0: &m0 {a: 1, b: 2, c: 3}\n");
    for i in 1..26 {
        let p = i - 1;
        bomb.push_str(&format!("m{i}: &m{i}\n  <<: [*m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}]\n  k{i}: {i}\n"));
    }
    bomb.push_str("bomb:\n  outputs:\n    dev: *m25\n");
    repo.write("bomb/profiles.yml", bomb);
    assert_parse_error(&repo, "bomb/profiles.yml", "");
}

#[test]
fn ten_thousand_deep_nesting() {
    let repo = Repo::new("deep");
    let deep = format!(
        "p:\n  outputs:\n    dev: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    repo.write("deep/profiles.yml", deep);
    assert_parse_error(&repo, "deep/profiles.yml", "recursion");
}

#[test]
fn hundred_megabyte_file() {
    let repo = Repo::new("huge");
    let line =
        "# padding padding padding padding padding padding padding padding padding padding\n";
    let huge = line.repeat(100 * 1024 * 1024 / line.len() + 1);
    repo.write("huge/profiles.yml", huge);
    assert_parse_error(&repo, "huge/profiles.yml", "too large");
}

#[test]
fn binary_and_non_utf8_profiles() {
    let repo = Repo::new("binary");
    repo.write(
        "binary/profiles.yml",
        [0x7fu8, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0],
    );
    repo.write(
        "latin1/profiles.yml",
        b"p:\n  target: d\xe9v\n  outputs: {}\n".as_slice(),
    );
    let (code, json) = repo.check();
    assert!(
        finding(&json, "ENV001", "binary/profiles.yml")
            .is_some_and(|d| d["message"].as_str().is_some_and(|m| m.contains("binary")))
    );
    let latin1 = finding(&json, "ENV001", "latin1/profiles.yml").expect("non-UTF-8 reported");
    assert_eq!(
        (latin1["line"].as_u64(), latin1["column"].as_u64()),
        (Some(2), Some(12)),
        "points at the bad byte"
    );
    assert!(codes(&json).contains(&"ENV101".to_owned()));
    assert_eq!(code, 1);
}

#[test]
fn empty_and_tab_indented_files() {
    let repo = Repo::new("odd");
    repo.write("empty/profiles.yml", "");
    repo.write("empty/dbt_project.yml", "");
    repo.write("tabs/profiles.yml", "p:\n\ttarget: dev\n");
    let (code, json) = repo.check();
    assert!(
        finding(&json, "ENV001", "empty/profiles.yml").is_none(),
        "an empty file is no error: {json}"
    );
    assert!(
        finding(&json, "ENV001", "tabs/profiles.yml").is_some(),
        "tab indentation is invalid YAML: {json}"
    );
    assert!(codes(&json).contains(&"ENV101".to_owned()));
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_directory_named_profiles_yml() {
    let repo = Repo::new("links");
    std::fs::create_dir_all(repo.root.join("loop/a")).expect("dir");
    std::os::unix::fs::symlink(repo.root.join("loop"), repo.root.join("loop/a/back"))
        .expect("symlink");
    std::fs::create_dir_all(repo.root.join("dirs/profiles.yml"))
        .expect("a directory named profiles.yml");
    repo.write("dirs/dbt_project.yml", "name: dirs\nprofile: dirs\n");
    let (code, json) = repo.check();
    assert!(codes(&json).contains(&"ENV101".to_owned()));
    assert!(
        finding(&json, "ENV001", "dirs/profiles.yml").is_none(),
        "{json}"
    );
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new("unreadable");
    repo.write("locked/profiles.yml", "p:\n  outputs: {}\n");
    let path = repo.root.join("locked/profiles.yml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // `chmod 000` stops no read by root, and CI runs as root: there the binary runs as
    // `nobody` (util-linux `setpriv`), for whom the file is unreadable.
    let binary = assert_cmd::cargo::cargo_bin("dbt-envlint");
    let mut command = if std::fs::read(&path).is_ok() {
        let mut as_nobody = Command::new("setpriv");
        as_nobody.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        as_nobody.arg(binary);
        as_nobody
    } else {
        Command::new(binary)
    };
    let output = command
        .current_dir(&repo.root)
        .args(["--format", "json", "."])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {output:?}"));
    let error = finding(&json, "ENV001", "locked/profiles.yml")
        .unwrap_or_else(|| panic!("no ENV001: {json}"));
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("cannot read file: Permission denied")),
        "{error}"
    );
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn project_paths_outside_the_repository_are_not_walked() {
    let repo = Repo::new("escape");
    repo.write("escape/dbt_project.yml", "name: escape\nprofile: healthy\nmacro-paths: [\"../../../../../../../..\"]\nmodel-paths: [\"/\"]\n");
    let (code, json) = repo.check();
    assert!(codes(&json).contains(&"ENV101".to_owned()));
    let files = json["summary"]["files"].as_u64().unwrap_or(u64::MAX);
    assert!(files < 20, "walked outside the repository: {files} files");
    assert_eq!(code, 1);
}

#[test]
fn positions_with_bom_crlf_tabs_and_wide_characters() {
    let repo = Repo::new("positions");
    let profiles = "\u{feff}# ünïcødé ✓ 🦆\r\nwide:\r\n  target: prod\t# ⚠\r\n  outputs:\r\n    prod: {type: duckdb, path: \"md:w\", schema: main}\r\n";
    repo.write("wide/profiles.yml", profiles);
    let (_, json) = repo.check();
    let default = finding(&json, "ENV101", "wide/profiles.yml").expect("ENV101 in the odd file");
    assert_eq!(
        (
            default["line"].as_u64(),
            default["column"].as_u64(),
            default["end_column"].as_u64()
        ),
        (Some(3), Some(11), Some(15)),
        "{default}"
    );
    let concise = Command::cargo_bin("dbt-envlint")
        .expect("binary")
        .current_dir(&repo.root)
        .args(["--format", "concise", "--select", "ENV101", "wide"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&concise.stdout).contains("wide/profiles.yml:3:11: error[ENV101]")
    );
    let human = Command::cargo_bin("dbt-envlint")
        .expect("binary")
        .current_dir(&repo.root)
        .env("NO_COLOR", "1")
        .args(["--select", "ENV101", "wide"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("wide/profiles.yml:3:11]"), "{human}");
    assert!(human.contains("target: prod"), "{human}");
}

#[test]
fn setup_script_of_150_000_unterminated_comments() {
    let repo = Repo::new("sql");
    let mut script = "/* grant all on schema main to role analyst\n".repeat(150_000);
    script.push_str("GRANT ALL ON SCHEMA main TO ROLE analyst;\n");
    repo.write("healthy/warehouse/grants.sql", script);
    let (code, json) = repo.check();
    // The one readable statement at the end is still read, at its line.
    let grant = finding(&json, "ENV402", "grants.sql").unwrap_or_else(|| panic!("{json}"));
    assert_eq!(grant["line"], 150_001);
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
    assert_eq!(code, 1);
}

#[test]
fn non_ascii_letters_in_a_macros_jinja_comment() {
    // Seen on a public repository: a multi-byte letter inside `{# ... #}` in a macro that
    // mentions `grant` crashed the SQL masking and hid every finding.
    let repo = Repo::new("non-ascii-jinja");
    repo.write(
        "healthy/macros/grants.sql",
        "{# grant é #}\n{% macro g() %}grant select on t to r{% endmacro %}\n",
    );
    let (code, json) = repo.check();
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
    assert_eq!(code, 1);
}

#[test]
fn duplicate_keys_take_the_last_value_and_lint_goes_on() {
    // dbt accepts a repeated key (the last wins); the profile is still checked.
    let repo = Repo::new("duplicate-keys");
    repo.write(
        "healthy/profiles.yml",
        "healthy:\n  target: dev\n  target: prod\n  outputs:\n    prod: {type: duckdb, path: \"md:w\", schema: main}\n",
    );
    let (code, json) = repo.check();
    assert_eq!(codes(&json), ["ENV101"], "{json}");
    assert_eq!(code, 1);
}

#[test]
fn explain_lays_out_a_schema_longer_than_any_format_width() {
    // A format width stops at 65,535: a 65,536-character schema panicked the table.
    let repo = Repo::new("long-schema");
    let schema = "s".repeat(65_536);
    repo.write(
        "healthy/profiles.yml",
        format!("healthy:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: dev.duckdb, schema: {schema}}}\n"),
    );
    repo.write("healthy/models/orders.sql", "select 1 as id\n");
    let output = Command::cargo_bin("dbt-envlint")
        .expect("binary builds")
        .current_dir(&repo.root)
        .args(["explain", "healthy"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains(&schema));
}

#[test]
fn escape_sequences_in_names_and_values_never_reach_the_terminal_raw() {
    // A directory name with a newline and a colour code, a target name with an OSC
    // hyperlink, a schema that clears the screen: printed, each would rewrite the terminal
    // or forge a finding line.
    let repo = Repo::new("terminal-injection");
    let dir = "evil\n/tmp/x.yml:1:1: error[ENV999] forged\u{1b}[31m";
    repo.write(
        &format!("{dir}/profiles.yml"),
        // YAML's own escapes: the file is valid, the values hold ESC and BEL.
        "shop:\n  target: \"prod\\e]8;;http://x\\a\"\n  outputs:\n    \"prod\\e]8;;http://x\\a\": {type: snowflake, account: acme, database: A, schema: \"\\e[2J\"}\n",
    );
    for format in ["human", "concise", "github"] {
        let output = Command::cargo_bin("dbt-envlint")
            .expect("binary builds")
            .current_dir(&repo.root)
            .env("NO_COLOR", "1")
            .args(["--format", format, "."])
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("ENV101") && stdout.contains("prod\\u{1b}]8"),
            "{format}: {stdout}"
        );
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{format}: raw escape in {stdout:?}"
        );
        assert!(
            !stdout.lines().any(|l| l.starts_with("/tmp/x.yml")),
            "{format}: a forged line in {stdout}"
        );
    }
    let output = Command::cargo_bin("dbt-envlint")
        .expect("binary builds")
        .current_dir(&repo.root)
        .arg("missing\u{1b}[2J")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing\\u{1b}[2J"), "{stderr}");
}

#[test]
fn two_thousand_grants_to_public_on_one_line_are_read_in_linear_time() {
    // Locating each token from the line's start, and looking for a later REVOKE from every
    // grant, made one long line quadratic (minutes); the human renderer then timed out.
    let repo = Repo::new("grants-on-one-line");
    repo.write(
        "healthy/profiles.yml",
        "healthy:\n  target: prod\n  outputs:\n    prod: {type: snowflake, account: a, database: ANALYTICS, schema: marts}\n",
    );
    let line =
        "grant insert on all tables in schema analytics.marts to role public; ".repeat(2_000);
    repo.write("setup/grants.sql", format!("{line}\n"));
    let started = std::time::Instant::now();
    let output = Command::cargo_bin("dbt-envlint")
        .expect("binary builds")
        .current_dir(&repo.root)
        .env("NO_COLOR", "1")
        .arg(".")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("ENV402"), "{stdout}");
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn three_thousand_levels_of_block_nesting_are_an_error_not_a_stack_overflow() {
    // Indentation-nested mappings aborted the process (stack overflow, exit 134), in a
    // profiles file and in a profile a CI heredoc writes.
    let repo = Repo::new("block-depth");
    let mut deep = String::new();
    for level in 0..3_000 {
        deep.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
    }
    repo.write("deep/profiles.yml", &deep);
    let heredoc: String = deep.lines().map(|l| format!("          {l}\n")).collect();
    repo.write(
        ".github/workflows/ci.yml",
        format!("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cat > profiles.yml <<EOF\n{heredoc}          EOF\n"),
    );
    assert_parse_error(&repo, "deep/profiles.yml", "nested deeper than 64 levels");
}

#[test]
fn nothing_outside_the_repository_is_read_through_scripts_includes_or_symlinks() {
    let repo = Repo::new("outside-reads");
    let outside = repo.root.with_extension("outside");
    std::fs::create_dir_all(&outside).expect("outside dir");
    std::fs::write(
        outside.join("evil.sh"),
        "export MOTHERDUCK_TOKEN=PLANTED-outside-script\ndbt build --target prod\n",
    )
    .expect("script");
    std::fs::write(
        outside.join("include.yml"),
        "steal:\n  script:\n    - echo PLANTED-outside-include\n    - dbt build --target prod\n",
    )
    .expect("include");
    std::fs::write(
        outside.join("profiles.yml"),
        "linked:\n  target: prod\n  outputs:\n    prod: {type: snowflake, account: a, password: PLANTED-outside-profile, database: A, schema: b}\n",
    )
    .expect("profiles");
    repo.write(
        ".github/workflows/pr.yml",
        format!(
            "on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bash {}\n",
            outside.join("evil.sh").display()
        ),
    );
    repo.write(
        ".gitlab-ci.yml",
        format!(
            "include:\n  - local: '../{}/include.yml'\n",
            outside
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ),
    );
    repo.write("linked/dbt_project.yml", "name: linked\nprofile: linked\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.join("profiles.yml"),
        repo.root.join("linked/profiles.yml"),
    )
    .expect("symlink");
    let (code, json) = repo.check();
    let _ = std::fs::remove_dir_all(&outside);
    let text = json.to_string();
    assert!(!text.contains("PLANTED-outside"), "{text}");
    assert!(
        !text.contains(".outside"),
        "a finding points outside: {text}"
    );
    assert!(codes(&json).contains(&"ENV101".to_owned()), "{json}");
    assert_eq!(code, 1);
}

#[test]
fn human_and_concise_agree_on_positions_after_a_masked_block_secret() {
    let repo = Repo::new("masked-block");
    repo.write(
        "key/profiles.yml",
        "key:\n  target: dev\n  outputs:\n    dev:\n      type: snowflake\n      account: acme\n      user: me\n      private_key: |\n        -----BEGIN PRIVATE KEY-----\n        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC\n        -----END PRIVATE KEY-----\n      database: ANALYTICS\n      schema: analytics\n",
    );
    let run = |format: &str| {
        let output = Command::cargo_bin("dbt-envlint")
            .expect("binary builds")
            .current_dir(&repo.root)
            .env("NO_COLOR", "1")
            .args(["--format", format, "key"])
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let concise = run("concise");
    assert!(
        concise.contains("profiles.yml:13:15: warning[ENV102]"),
        "{concise}"
    );
    let human = run("human");
    assert!(human.contains("profiles.yml:13:15]"), "{human}");
    // The block keeps its three lines, masked, and the key after it is shown as it is.
    assert!(!human.contains("MIIE"), "{human}");
    assert!(human.contains(" 12 │       database: ANALYTICS"), "{human}");
}
