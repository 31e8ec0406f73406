//! Registry invariants: unique stable codes and names, docs and fixtures for every rule, and
//! generated docs that are up to date (`ENVLINT_UPDATE_DOCS=1` rewrites them).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use envlint_diagnostics::Applicability;
use envlint_rules::{docs, registry};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in registry::all() {
        let meta = rule.meta();
        assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
        assert!(names.insert(meta.name), "duplicate name {}", meta.name);
        assert!(
            meta.code.len() == 6
                && meta.code.starts_with("ENV")
                && meta.code[3..].chars().all(|c| c.is_ascii_digit()),
            "{} is not ENVnnn",
            meta.code
        );
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            meta.name
        );
        for prefix in ["use-", "prefer-", "avoid-", "no-", "do-not-"] {
            assert!(
                !meta.name.starts_with(prefix),
                "{} must name the flagged pattern",
                meta.name
            );
        }
        assert!(
            !meta.summary.ends_with('.'),
            "{}: summary ends with a period",
            meta.code
        );
    }
}

#[test]
fn registry_is_in_code_order() {
    let codes: Vec<&str> = registry::all().iter().map(|r| r.meta().code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
}

#[test]
fn every_rule_has_its_file_docs_and_fixtures() {
    let root = repo_root();
    for rule in registry::all() {
        let meta = rule.meta();
        let file = root
            .join("crates/envlint-rules/src/rules")
            .join(format!("{}.rs", meta.name.replace('-', "_")));
        assert!(file.is_file(), "{}: expected {}", meta.code, file.display());
        let docs = meta.documentation();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(
                docs.contains(heading),
                "{}: docs lack `{heading}`",
                meta.code
            );
        }
        if let Some(applicability) = meta.fix {
            let section = docs
                .split("## Fix safety")
                .nth(1)
                .unwrap_or_else(|| panic!("{}: has a fix, docs lack `## Fix safety`", meta.code));
            let said = if applicability == Applicability::Safe {
                "Safe (`--fix`)"
            } else {
                "Unsafe (`--unsafe-fixes`)"
            };
            assert!(
                section.trim_start().starts_with(said),
                "{}: `## Fix safety` must open with `{said}`",
                meta.code
            );
        } else {
            assert!(
                !docs.contains("## Fix safety"),
                "{}: docs describe a fix the rule does not declare (`fix = ...` in declare_rule!)",
                meta.code
            );
        }
        let fixtures = root.join("fixtures").join(meta.name);
        let cases: Vec<String> = std::fs::read_dir(&fixtures)
            .unwrap_or_else(|_| panic!("{}: no fixtures/{}", meta.code, meta.name))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            cases.iter().any(|c| c.starts_with("fail-")),
            "{}: no fail-* fixture",
            meta.code
        );
        assert!(
            cases.iter().any(|c| c.starts_with("pass-")),
            "{}: no pass-* fixture",
            meta.code
        );
    }
}

#[test]
fn every_fixture_folder_names_a_rule() {
    for entry in std::fs::read_dir(repo_root().join("fixtures"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !["projects", "conformance"].contains(&name.as_str()) {
            assert!(
                registry::find(&name).is_some(),
                "fixtures/{name} names no rule"
            );
        }
    }
}

#[test]
fn generated_docs_are_up_to_date() {
    let dir = repo_root().join("docs/rules");
    let mut expected = vec![(dir.join("README.md"), docs::index())];
    for rule in registry::all() {
        let meta = rule.meta();
        expected.push((dir.join(format!("{}.md", meta.code)), docs::rule_page(meta)));
    }
    let update = std::env::var_os("ENVLINT_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, text) in expected {
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(&dir).expect("create docs/rules");
            std::fs::write(&path, text).expect("write docs page");
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale docs (run `ENVLINT_UPDATE_DOCS=1 cargo test -p envlint-rules --test meta`): {stale:?}"
    );
}

/// The README's rule table is the project's catalogue: every rule, in registry order, with
/// its code and name, and nothing else.
#[test]
fn the_readme_lists_every_rule_with_its_code_and_name() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let listed: Vec<(String, String)> = readme
        .lines()
        .skip_while(|line| !line.starts_with("| ENV"))
        .take_while(|line| line.starts_with("| ENV"))
        .filter_map(|line| {
            let mut cells = line.strip_prefix("| ENV")?.split(" | ");
            let code = format!("ENV{}", cells.next()?);
            let name = cells.next()?.trim_matches('`').to_owned();
            Some((code, name))
        })
        .collect();
    let registered: Vec<(String, String)> = registry::all()
        .iter()
        .map(|rule| (rule.meta().code.to_owned(), rule.meta().name.to_owned()))
        .collect();
    assert_eq!(
        listed, registered,
        "the README's rule table and the registry differ"
    );
}

/// The README's fix table names every rule that has a fix, with how safe it is, and no other.
#[test]
fn the_readme_fix_table_matches_the_registry() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let mut listed: Vec<(String, String)> = readme
        .lines()
        .skip_while(|line| !line.starts_with("| rule | fix | applicability |"))
        .skip(2)
        .take_while(|line| line.starts_with("| ENV"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            Some((
                cells.first()?.trim().to_owned(),
                cells.last()?.trim().to_owned(),
            ))
        })
        .collect();
    let mut declared: Vec<(String, String)> = registry::all()
        .iter()
        .filter_map(|rule| {
            let meta = rule.meta();
            Some((meta.code.to_owned(), meta.fix?.as_str().to_owned()))
        })
        .collect();
    listed.sort();
    declared.sort();
    assert!(!declared.is_empty(), "no rule declares a fix");
    assert_eq!(
        listed, declared,
        "the README's fix table and the rules' `fix = ...` differ"
    );
}

/// Codes are stable: `docs/rules/codes.txt` lists every code ever given, with its name,
/// and only grows. A rule keeps its code and name and never leaves the list; a new rule is
/// appended (`ENVLINT_UPDATE_DOCS=1` appends it).
#[test]
fn codes_are_stable() {
    let path = repo_root().join("docs/rules/codes.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let given: Vec<(&str, &str)> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once(' '))
        .collect();
    for (code, name) in &given {
        let meta = registry::find(code).unwrap_or_else(|| {
            panic!("{code} `{name}` was given and is gone: codes are never reused or removed")
        });
        assert_eq!(
            meta.name, *name,
            "{code} was `{name}`: codes keep their name"
        );
    }
    let new: Vec<String> = registry::all()
        .iter()
        .map(|rule| rule.meta())
        .filter(|meta| !given.iter().any(|(code, _)| *code == meta.code))
        .map(|meta| format!("{} {}\n", meta.code, meta.name))
        .collect();
    if std::env::var_os("ENVLINT_UPDATE_DOCS").is_some() && !new.is_empty() {
        let header =
            "# Every rule code ever given, with its name; append-only (see tests/meta.rs).\n";
        let text = if text.is_empty() {
            header.to_owned()
        } else {
            text
        };
        std::fs::write(&path, text + &new.concat()).expect("write docs/rules/codes.txt");
        return;
    }
    assert!(
        new.is_empty(),
        "not in docs/rules/codes.txt (run `ENVLINT_UPDATE_DOCS=1 cargo test -p envlint-rules --test meta`): {new:?}"
    );
}

/// The design's rule catalogue (beside the corpus, outside the repository) is the contract
/// the first codes were given by: a rule it lists keeps its code and name; rules added by
/// later issues extend it at the end of a range. Runs when `ENVLINT_CORPUS` is set.
#[test]
fn every_rule_agrees_with_the_design_catalogue() {
    let Some(corpus) = std::env::var_os("ENVLINT_CORPUS") else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"design catalogue check not run: ENVLINT_CORPUS is not set\n",
        );
        return;
    };
    let design = Path::new(&corpus).join("../DESIGN.md");
    let text = std::fs::read_to_string(&design)
        .unwrap_or_else(|e| panic!("ENVLINT_CORPUS is set, but {}: {e}", design.display()));
    let mut listed = 0;
    let catalogued = |code: &str| text.contains(&format!("| {code} |"));
    for rule in registry::all() {
        let meta = rule.meta();
        if !catalogued(meta.code) {
            let range = &meta.code[..4];
            let later = registry::all()
                .iter()
                .map(|r| r.meta().code)
                .find(|c| c.starts_with(range) && *c > meta.code && catalogued(c));
            assert!(
                later.is_none(),
                "{} is not in the DESIGN catalogue, yet {later:?} after it is: new codes go at the end of a range",
                meta.code
            );
        }
        if catalogued(meta.code) {
            let row = format!("| {} | {} |", meta.code, meta.name);
            assert!(
                text.contains(&row),
                "{} is not `{}` in the DESIGN catalogue",
                meta.code,
                meta.name
            );
            listed += 1;
        }
    }
    assert!(
        listed >= 16,
        "the catalogue lists the rules it defines ({listed} found)"
    );
}
