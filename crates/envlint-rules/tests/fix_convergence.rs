//! Fix convergence: every fixable `fail-*` fixture, copied to a temporary directory, is fixed
//! (unsafe fixes included) pass after pass until nothing changes. It must converge within
//! ten passes, every file must still parse (no new ENV001), and no fixed finding may remain.
//! Each case runs three times: as written (LF), with CRLF and with CR-only line ends, and
//! the fixed files must read the same whatever the line ends (no line lost or joined).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{fixtures_root, selection_for, sorted_dirs};
use envlint_diagnostics::{Applicability, Diagnostic, FileId, apply_edits, non_overlapping};
use envlint_parser::{LoadOptions, Repository};
use envlint_rules::{Selection, registry};

const MAX_PASSES: usize = 10;

/// The line ends every case is tried with, by name.
const LINE_ENDS: [(&str, &str); 3] = [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")];

/// Copies a fixture, with `ending` for the line ends of every UTF-8 file.
fn copy_dir(from: &Path, to: &Path, ending: &str) {
    std::fs::create_dir_all(to).expect("create temp dir");
    for entry in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target, ending);
        } else if let Ok(text) = std::fs::read_to_string(entry.path()) {
            let text = text.replace("\r\n", "\n").replace('\n', ending);
            std::fs::write(&target, text).expect("copy fixture file");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Every UTF-8 file under `dir` by path, its line ends made LF.
fn texts(dir: &Path, under: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read case").flatten() {
        let path = entry.path();
        if path.is_dir() {
            texts(&path, under, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let name = path.strip_prefix(under).unwrap_or(&path);
            out.insert(
                name.display().to_string(),
                text.replace("\r\n", "\n").replace('\r', "\n"),
            );
        }
    }
}

/// The rule's findings (see [`selection_for`]) and the parse errors of the case.
fn lint(dir: &Path, code: &'static str) -> (Repository, Vec<Diagnostic>) {
    let repo = envlint_parser::load(&LoadOptions {
        paths: vec![dir.to_path_buf()],
        display_base: dir.to_path_buf(),
        ..LoadOptions::default()
    });
    let mut select = selection_for(&repo, code);
    select.push("ENV001");
    let outcome = envlint_rules::check(
        &repo,
        &Selection {
            select,
            ignore: Vec::new(),
        },
    );
    (repo, outcome.diagnostics)
}

/// Applies one pass of fixes to the files on disk; returns the findings it fixed.
fn fix_once(dir: &Path, repo: &Repository, findings: &[Diagnostic]) -> Vec<Diagnostic> {
    let candidates: Vec<(&Diagnostic, &envlint_diagnostics::Fix)> = findings
        .iter()
        .filter_map(|d| {
            let fix = d
                .fixes
                .iter()
                .find(|f| f.applicability <= Applicability::Unsafe)?;
            Some((d, fix))
        })
        .collect();
    let chosen = non_overlapping(candidates.iter().map(|(_, f)| *f));
    let mut edits: BTreeMap<FileId, Vec<&envlint_diagnostics::Edit>> = BTreeMap::new();
    for fix in &chosen {
        for edit in &fix.edits {
            edits.entry(edit.span.file).or_default().push(edit);
        }
    }
    for (file, edits) in edits {
        let source = repo.db.get(file);
        std::fs::write(dir.join(&source.path), apply_edits(&source.text, edits))
            .expect("write fixed file");
    }
    candidates
        .into_iter()
        .filter(|(_, f)| chosen.iter().any(|c| std::ptr::eq(*c, *f)))
        .map(|(d, _)| d.clone())
        .collect()
}

#[test]
fn fixes_converge_and_keep_every_file_valid() {
    let scratch =
        std::env::temp_dir().join(format!("envlint-fix-convergence-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut fixable_cases = 0;
    for rule_dir in sorted_dirs(&fixtures_root()) {
        let rule_name = rule_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let Some(meta) = rule_name.as_deref().and_then(registry::find) else {
            continue;
        };
        for case in sorted_dirs(&rule_dir) {
            let case_name = case
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !case_name.starts_with("fail-") {
                continue;
            }
            let mut lf_result: Option<BTreeMap<String, String>> = None;
            for (ending_name, ending) in LINE_ENDS {
                let label = format!("{}/{case_name} ({ending_name})", meta.name);
                let dir = scratch.join(meta.name).join(&case_name).join(ending_name);
                copy_dir(&case, &dir, ending);
                let (mut repo, mut findings) = lint(&dir, meta.code);
                let parse_errors =
                    |f: &[Diagnostic]| f.iter().filter(|d| d.code == "ENV001").count();
                let initial_parse_errors = parse_errors(&findings);
                // Whether a case is fixable is decided with LF; with other line ends it must
                // be fixed the same way (finding nothing to fix is a failure too).
                if lf_result.is_none() && !findings.iter().any(|d| !d.fixes.is_empty()) {
                    break;
                }
                fixable_cases += 1;
                let mut fixed: Vec<(String, String)> = Vec::new();
                let mut passes = 0;
                loop {
                    let applied = fix_once(&dir, &repo, &findings);
                    if applied.is_empty() {
                        break;
                    }
                    passes += 1;
                    fixed.extend(
                        applied
                            .iter()
                            .map(|d| (d.code.to_owned(), d.message.clone())),
                    );
                    (repo, findings) = lint(&dir, meta.code);
                    if passes == MAX_PASSES {
                        failures.push(format!("{label}: no fixed point after {MAX_PASSES} passes"));
                        break;
                    }
                }
                if parse_errors(&findings) > initial_parse_errors {
                    failures.push(format!(
                        "{label}: a fix made a file unparseable: {findings:?}"
                    ));
                }
                for (code, message) in &fixed {
                    if findings
                        .iter()
                        .any(|d| d.code == code && &d.message == message)
                    {
                        failures.push(format!(
                            "{label}: fixed {code} `{message}` is still reported"
                        ));
                    }
                }
                let mut result = BTreeMap::new();
                texts(&dir, &dir, &mut result);
                match &lf_result {
                    None => lf_result = Some(result),
                    Some(lf) if *lf != result => failures.push(format!(
                        "{label}: the fixed files differ from the LF case's: {result:?} vs {lf:?}"
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        fixable_cases >= 5,
        "only {fixable_cases} fixable fixture cases found (counting each line end)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
