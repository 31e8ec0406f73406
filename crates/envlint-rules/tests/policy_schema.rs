//! The JSON schema of `envlint.yml`: the committed `docs/envlint.schema.json` is what the
//! loader's tables generate (`ENVLINT_UPDATE_DOCS=1` rewrites it), describes every key, and
//! agrees with the loader on the presets and every policy file among the fixtures.

use std::path::{Path, PathBuf};

use envlint_model::Environment;
use envlint_model::policy::PRESETS;
use envlint_rules::policy_schema as json_schema;
use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&json_schema())
        .expect("the policy schema compiles")
}

fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("policy is YAML")
}

fn errors(validator: &jsonschema::Validator, policy: &Value) -> Vec<String> {
    validator
        .iter_errors(policy)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schema_is_up_to_date() {
    let path = repo_root().join("docs/envlint.schema.json");
    let generated = serde_json::to_string_pretty(&json_schema()).expect("schema serialises") + "\n";
    if std::env::var_os("ENVLINT_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/envlint.schema.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/envlint.schema.json is stale (run `ENVLINT_UPDATE_DOCS=1 cargo test -p envlint-rules --test policy_schema`)"
    );
}

#[test]
fn every_key_the_loader_knows_is_described() {
    let schema = json_schema();
    for pointer in ["/properties", "/definitions/environment/properties"] {
        let keys = schema
            .pointer(pointer)
            .and_then(Value::as_object)
            .expect("properties");
        for (key, described) in keys {
            assert!(
                described.as_object().is_some_and(|d| !d.is_empty()),
                "`{key}` ({pointer}) has no schema"
            );
        }
    }
}

/// Every preset, read as a repository's own policy, is understood and requires all three
/// environments.
#[test]
fn every_preset_loads_cleanly() {
    for (name, text) in PRESETS {
        let mut db = envlint_diagnostics::SourceDb::new();
        let file = db.add("envlint.yml", *text);
        let root = envlint_parser::yaml::parse(text).expect("preset is YAML");
        let (policy, problems) =
            envlint_rules::load_policy(Some(&envlint_parser::PolicyDocument {
                file,
                root,
                unusable: None,
            }));
        assert!(problems.is_empty(), "{name}: {problems:?}");
        for env in Environment::ALL {
            assert!(
                policy.environment(env).is_some_and(|e| e.required),
                "{name} requires {env}"
            );
        }
    }
}

#[test]
fn every_preset_validates() {
    let validator = validator();
    for (name, text) in PRESETS {
        let found = errors(&validator, &yaml_to_json(text));
        assert!(found.is_empty(), "preset {name}: {found:#?}");
    }
}

/// Policies the loader reports for their shape (misspelt keys, an unknown preset, rule,
/// severity, placeholder or age) must fail the schema; all others must pass it. Naming a
/// profile or target that does not exist is for the loader alone to find.
#[test]
fn schema_and_loader_agree_on_every_fixture_policy() {
    let misshapen = [
        "invalid-policy/fail-bad-schema-pattern",
        "invalid-policy/fail-misspelt-keys",
        "invalid-policy/fail-unknown-preset-and-rule",
    ];
    let validator = validator();
    let mut checked = 0;
    for dir in fixture_dirs(&repo_root().join("fixtures")) {
        let Ok(text) = std::fs::read_to_string(dir.join("envlint.yml")) else {
            continue;
        };
        let name = dir
            .strip_prefix(repo_root().join("fixtures"))
            .unwrap_or(&dir)
            .to_string_lossy()
            .replace('\\', "/");
        let found = errors(&validator, &yaml_to_json(&text));
        if misshapen.contains(&name.as_str()) {
            assert!(!found.is_empty(), "{name} should fail the schema");
        } else {
            assert!(found.is_empty(), "{name}: {found:#?}");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixture policies");
}

/// `fixtures/<rule>/<case>/` and `fixtures/projects/<name>/`.
fn fixture_dirs(root: &Path) -> Vec<PathBuf> {
    let children = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect()
    };
    children(root).iter().flat_map(|d| children(d)).collect()
}
