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

fn corpus_root() -> PathBuf {
    std::env::var_os("ENVLINT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    )
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
    let root = corpus_root();
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

/// A small project around a corpus file: `dbt_project.yml` (the file itself, or a fixed
/// one), a profile with dev, ci and prod targets, two models and the corpus macro, if any.
fn project_around(dir: &Path, project_yml: &str, macro_file: Option<&Path>) {
    let profile = project_yml
        .lines()
        .find_map(|l| l.strip_prefix("profile:"))
        .map(|p| p.trim().trim_matches(['\'', '"']).to_owned())
        .unwrap_or_else(|| "corpus".to_owned());
    std::fs::create_dir_all(dir.join("models/marts")).expect("models dir");
    std::fs::create_dir_all(dir.join("macros")).expect("macros dir");
    std::fs::write(dir.join("dbt_project.yml"), project_yml).expect("write project");
    let profiles = format!(
        "{profile}:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: \"md:warehouse\", schema: \"dev_{{{{ env_var('USER') }}}}\"}}\n    ci: {{type: duckdb, path: \"md:warehouse_ci\", schema: \"{{{{ env_var('DBT_SCHEMA') }}}}\"}}\n    prod: {{type: duckdb, path: \"md:warehouse\", schema: main}}\n"
    );
    std::fs::write(dir.join("profiles.yml"), profiles).expect("write profiles");
    std::fs::write(dir.join("models/stg_orders.sql"), "select 1 as id\n").expect("write model");
    std::fs::write(
        dir.join("models/marts/fct_revenue.sql"),
        "{{ config(schema='marts') }}\nselect 1 as id\n",
    )
    .expect("write model");
    if let Some(macro_file) = macro_file {
        std::fs::copy(macro_file, dir.join("macros/corpus_macro.sql")).expect("copy macro");
    }
}

/// Resolution (what `explain` prints) over every corpus `dbt_project.yml` and every corpus
/// macro placed in a project: no panic, and every node is resolved for every target.
#[test]
fn resolution_runs_on_every_corpus_project_and_macro() {
    let root = corpus_root();
    let scratch =
        std::env::temp_dir().join(format!("envlint-corpus-resolve-{}", std::process::id()));
    let fixed_project =
        "name: corpus\nprofile: corpus\nmodels:\n  corpus:\n    marts:\n      +schema: marts\n";
    let mut cases: Vec<(PathBuf, String, Option<PathBuf>)> = Vec::new();
    for folder in ["project", "macros"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .expect("corpus folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files {
            let dir = scratch
                .join(folder)
                .join(file.file_name().unwrap_or_default());
            if folder == "project" {
                let text =
                    String::from_utf8_lossy(&std::fs::read(&file).expect("read")).into_owned();
                cases.push((dir, text, None));
            } else {
                cases.push((dir, fixed_project.to_owned(), Some(file)));
            }
        }
    }
    let mut resolved_projects = 0;
    for (dir, project_yml, macro_file) in &cases {
        project_around(dir, project_yml, macro_file.as_deref());
        let repo = envlint_parser::load(&LoadOptions {
            paths: vec![dir.clone()],
            display_base: dir.clone(),
            ..LoadOptions::default()
        });
        let (policy, _) = envlint_rules::policy::load_policy(repo.policy.as_ref());
        let resolution = envlint_rules::resolve::resolve(&repo, &policy);
        for project in &resolution.projects {
            resolved_projects += 1;
            for node in &project.nodes {
                assert_eq!(
                    node.relations.len(),
                    project.targets.len(),
                    "{}",
                    dir.display()
                );
            }
        }
        let _ = envlint_rules::check(&repo, &Selection::default());
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(cases.len() >= 150, "only {} corpus files", cases.len());
    assert!(
        resolved_projects >= 140,
        "only {resolved_projects} projects resolved"
    );
}

/// The corpus README counts what a reviewer expects the profile rules to find; spot-check
/// that the rules find such cases in the real files.
#[test]
fn corpus_profiles_show_the_documented_footguns() {
    let root = corpus_root().join("profiles");
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
