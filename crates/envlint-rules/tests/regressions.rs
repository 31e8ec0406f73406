//! Policies that once crashed the policy fuzz target: loading them reports, never panics.

use envlint_diagnostics::SourceDb;
use envlint_parser::{PolicyDocument, yaml};
use envlint_rules::load_policy;

#[test]
fn former_policy_crashes_load() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir)
        .expect("regressions folder")
        .flatten()
    {
        let text =
            String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned();
        // A regression that no longer parses would test nothing: it fails instead.
        let root = yaml::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {}", entry.path().display(), e.message));
        let mut db = SourceDb::new();
        let file = db.add("envlint.yml", text.as_str());
        let (_, problems) = load_policy(Some(&PolicyDocument {
            file,
            root,
            unusable: None,
        }));
        // Every problem points into the file, on character boundaries.
        for problem in problems {
            let span = problem.span;
            assert_eq!(span.file, file);
            assert!(text.get(span.range()).is_some(), "{problem:?}");
        }
        count += 1;
    }
    assert!(count > 0);
}
