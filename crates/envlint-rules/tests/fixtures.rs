//! Every rule against its fixtures: `fail-*` cases must report the rule, `pass-*` cases must
//! not, and the rendered findings are snapshotted.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{fixtures_root, selection_for, sorted_dirs};
use envlint_diagnostics::{Applicability, HumanStyle, render_human};
use envlint_parser::LoadOptions;
use envlint_rules::{Selection, registry};

/// What one fixture case reported for its rule.
struct CaseOutcome {
    found: usize,
    /// Findings of other rules (a broken fixture).
    others: usize,
    rendered: String,
    /// The applicability of every fix the rule's findings offer.
    fixes: Vec<Applicability>,
}

/// Lints one fixture case with only `code` enabled (see [`selection_for`]).
fn lint_case(case: &Path, code: &'static str) -> CaseOutcome {
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
    let fixes = ours
        .iter()
        .flat_map(|d| d.fixes.iter().map(|f| f.applicability))
        .collect();
    CaseOutcome {
        found: ours.len(),
        others,
        rendered,
        fixes,
    }
}

#[test]
fn every_fixture_case_behaves_and_matches_its_snapshot() {
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut fixed_by = BTreeSet::new();
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
            let CaseOutcome {
                found,
                others,
                rendered,
                fixes,
            } = lint_case(&case, meta.code);
            if let Some(level) = fixes.iter().find(|level| Some(**level) != meta.fix) {
                failures.push(format!(
                    "{rule_name}/{case_name}: a {} fix, but the rule declares `fix = {:?}`",
                    level.as_str(),
                    meta.fix
                ));
            }
            if !fixes.is_empty() {
                fixed_by.insert(meta.code);
            }
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
    // `rules --format json` says which rules are fixable from the declarations: each one
    // that declares a fix shows it in a fixture.
    let declared: BTreeSet<&str> = registry::all()
        .iter()
        .filter(|rule| rule.meta().fix.is_some())
        .map(|rule| rule.meta().code)
        .collect();
    assert_eq!(
        declared, fixed_by,
        "rules declaring a fix / rules whose fixtures fix"
    );
}
