//! Every rule against its fixtures: `fail-*` cases must report the rule, `pass-*` cases must
//! not, and the rendered findings are snapshotted.

use std::path::{Path, PathBuf};

use envlint_diagnostics::{HumanStyle, render_human};
use envlint_parser::LoadOptions;
use envlint_rules::{Selection, registry};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Only `code`; for a rule that judges suppression comments, also the rules the case's
/// comments name, so that whether each comment is used can be known.
fn selection_for(repo: &envlint_parser::Repository, code: &'static str) -> Vec<&'static str> {
    let mut select = vec![code];
    let judges = registry::all()
        .iter()
        .any(|r| r.meta().code == code && r.judges_suppressions());
    if judges {
        let named = repo.suppressions.comments.iter().flat_map(|c| &c.rules);
        select.extend(
            named
                .filter_map(|r| registry::find(&r.text))
                .map(|m| m.code),
        );
    }
    select
}

/// Lints one fixture case with only `code` enabled (see [`selection_for`]); returns its findings, rendered.
fn lint_case(case: &Path, code: &'static str) -> (usize, usize, String) {
    let repo = envlint_parser::load(&LoadOptions {
        paths: vec![case.to_path_buf()],
        display_base: case.to_path_buf(),
        ..LoadOptions::default()
    });
    let outcome = envlint_rules::check(
        &repo,
        &Selection {
            select: selection_for(&repo, code),
            ignore: Vec::new(),
        },
    );
    let style = HumanStyle {
        color: false,
        width: 100,
    };
    let ours: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    let others = outcome.diagnostics.len() - ours.len();
    let rendered = ours
        .iter()
        .map(|d| {
            let fixes = d
                .fixes
                .iter()
                .map(|f| format!("  fix ({}): {}\n", f.applicability.as_str(), f.message));
            render_human(&repo.db, d, style) + &fixes.collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    (ours.len(), others, rendered)
}

#[test]
fn every_fixture_case_behaves_and_matches_its_snapshot() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for rule_dir in sorted_dirs(&fixtures_root()) {
        let rule_name = rule_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ["projects", "conformance"].contains(&rule_name.as_str()) {
            continue;
        }
        let meta = registry::find(&rule_name)
            .unwrap_or_else(|| panic!("fixtures/{rule_name} names no rule"));
        for case in sorted_dirs(&rule_dir) {
            cases += 1;
            let case_name = case
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (found, others, rendered) = lint_case(&case, meta.code);
            if case_name.starts_with("fail-") && found == 0 {
                failures.push(format!(
                    "{rule_name}/{case_name}: expected {} to fire",
                    meta.code
                ));
            }
            if case_name.starts_with("pass-") && found > 0 {
                failures.push(format!(
                    "{rule_name}/{case_name}: {} fired:\n{rendered}",
                    meta.code
                ));
            }
            if others > 0 {
                failures.push(format!(
                    "{rule_name}/{case_name}: findings of other rules (a broken fixture?)"
                ));
            }
            if case_name.starts_with("fail-") {
                insta::with_settings!({
                    snapshot_path => "snapshots",
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(format!("{rule_name}__{case_name}"), rendered);
                });
            }
        }
    }
    assert!(cases > 0, "no fixtures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
