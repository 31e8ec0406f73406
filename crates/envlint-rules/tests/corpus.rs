//! Real-world robustness: every file of `../shared/corpus/` loads and checks without a panic,
//! and only files that really are invalid YAML give ENV001.

use std::path::{Path, PathBuf};

use envlint_parser::LoadOptions;
use envlint_rules::Selection;

/// The corpus files that are not valid YAML (cross-checked with PyYAML).
const INVALID: &[&str] = &[
    "profiles/Armalite__beautiful-dbt-runner__profiles__profiles.yml",
    "project/AbdelrhmanElsaied__dbt-airbyte__dbt_project.yml",
];

/// The corpus: `ENVLINT_CORPUS` (which must then be there), else `../shared/corpus` beside
/// the repository when a checkout has it. A plain clone has neither: the corpus tests then
/// say "not run" and pass; `.ci/run` sets `ENVLINT_CORPUS` whenever the corpus is there.
fn corpus_root() -> Option<PathBuf> {
    if let Some(root) = std::env::var_os("ENVLINT_CORPUS") {
        return Some(PathBuf::from(root));
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if beside.is_dir() {
        return Some(beside);
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        b"corpus tests not run: no ../shared/corpus (set ENVLINT_CORPUS to run them)\n",
    );
    None
}

/// Copies `file` into a fresh directory as `name` and checks it with every rule.
fn check_as(file: &Path, name: &str, scratch: &Path) -> Vec<String> {
    let dir = scratch.join(file.file_name().unwrap_or_default());
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::copy(file, dir.join(name)).expect("copy corpus file");
    let repo = envlint_parser::load(&LoadOptions {
        paths: vec![dir.clone()],
        display_base: dir,
        ..LoadOptions::default()
    });
    envlint_rules::check(&repo, &Selection::default())
        .diagnostics
        .iter()
        .map(|d| d.code.to_owned())
        .collect()
}

#[test]
fn corpus_loads_without_panics_and_only_invalid_yaml_is_env001() {
    let Some(root) = corpus_root() else {
        return;
    };
    let scratch = std::env::temp_dir().join(format!("envlint-corpus-{}", std::process::id()));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (folder, name) in [("profiles", "profiles.yml"), ("project", "dbt_project.yml")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .unwrap_or_else(|e| {
                panic!(
                    "cannot read the corpus at {}: {e} (set ENVLINT_CORPUS)",
                    root.display()
                )
            })
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files {
            let relative = format!(
                "{folder}/{}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
            let codes = check_as(&file, name, &scratch.join(folder));
            let has_parse_error = codes.iter().any(|c| c == "ENV001");
            if has_parse_error != INVALID.contains(&relative.as_str()) {
                wrong.push(format!(
                    "{relative}: ENV001 {}",
                    if has_parse_error {
                        "reported"
                    } else {
                        "missing"
                    }
                ));
            }
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(checked >= 190, "only {checked} corpus files checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The corpus README counts what a reviewer expects the profile rules to find; spot-check
/// that the rules find such cases in the real files.
#[test]
fn corpus_profiles_show_the_documented_footguns() {
    let Some(root) = corpus_root().map(|r| r.join("profiles")) else {
        return;
    };
    let scratch = std::env::temp_dir().join(format!("envlint-corpus-spot-{}", std::process::id()));
    let expect = [
        ("Artemis-xyz__dbt__profiles.yml", "ENV106"),
        ("Artemis-xyz__dbt__profiles.yml", "ENV109"),
        (
            "BlackRock2308__motherduck-dbt-pipeline__immobilier_courtage__profiles.yml",
            "ENV106",
        ),
        (
            "BlackRock2308__motherduck-dbt-pipeline__immobilier_courtage__profiles.yml",
            "ENV109",
        ),
        ("Ability014__dbt_tpch_project__profiles.yml", "ENV101"),
        ("Benoit-source__dbt-core__airbnb__profiles.yml", "ENV107"),
    ];
    for (file, code) in expect {
        let codes = check_as(&root.join(file), "profiles.yml", &scratch);
        assert!(
            codes.iter().any(|c| c == code),
            "{file}: expected {code}, got {codes:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Every corpus macro and SQL script, read both as a macro and as a setup script next to a
/// Snowflake project: no panic, no ENV001, every `GRANT`/`REVOKE` line becomes a statement,
/// and the only ENV4xx finding is the template the corpus really has (a `<YOUR_USER>`
/// placeholder in a setup script, which cannot be read).
#[test]
fn corpus_macros_read_every_grant_and_find_only_the_unreadable_template() {
    let Some(root) = corpus_root().map(|r| r.join("macros")) else {
        return;
    };
    let scratch = std::env::temp_dir().join(format!("envlint-corpus-sql-{}", std::process::id()));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/write-grant-to-humans-on-prod/pass-read-only-for-people");
    let _ = std::fs::remove_dir_all(&scratch);
    for dir in ["macros", "warehouse"] {
        std::fs::create_dir_all(scratch.join(dir)).expect("scratch dir");
    }
    std::fs::copy(fixture.join("profiles.yml"), scratch.join("profiles.yml")).expect("profiles");
    std::fs::write(
        scratch.join("dbt_project.yml"),
        "name: shop\nprofile: shop\n",
    )
    .expect("project");
    let mut grant_lines = 0;
    let mut files = 0;
    for entry in std::fs::read_dir(&root)
        .expect("corpus macros")
        .filter_map(Result::ok)
    {
        let text = std::fs::read_to_string(entry.path()).expect("corpus file");
        grant_lines += text
            .lines()
            .map(|l| l.trim_start().to_ascii_lowercase())
            .filter(|l| {
                l.starts_with("grant ")
                    || l.starts_with("revoke ")
                    || (l.starts_with("alter default privileges") && l.contains(" grant "))
            })
            .count();
        for dir in ["macros", "warehouse"] {
            std::fs::write(scratch.join(dir).join(entry.file_name()), &text).expect("copy");
        }
        files += 1;
    }
    let repo = envlint_parser::load(&LoadOptions {
        paths: vec![scratch.clone()],
        display_base: scratch.clone(),
        ..LoadOptions::default()
    });
    let statements: usize = repo
        .sql
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|s| {
            matches!(
                s.kind,
                envlint_sql::StatementKind::Grant(_)
                    | envlint_sql::StatementKind::Unrecognised { .. }
            )
        })
        .count();
    let findings: Vec<String> = envlint_rules::check(&repo, &Selection::default())
        .diagnostics
        .iter()
        .filter(|d| d.code == "ENV001" || d.code.starts_with("ENV4"))
        .map(|d| {
            format!(
                "{} {}",
                d.code,
                repo.db.path(d.primary().span.file).display()
            )
        })
        .collect();
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(files, 50);
    // Each grant line read twice (as a macro and as a script).
    assert_eq!(statements, 2 * grant_lines, "grant lines: {grant_lines}");
    let template = "xprsayeem__boc-economics-dbt__snowflake__01_setup_objects.sql";
    assert_eq!(
        findings,
        [
            format!("ENV407 macros/{template}"),
            format!("ENV407 warehouse/{template}")
        ]
    );
}
