//! Inputs that once crashed a fuzz target, run through everything the fuzz targets call.

use envlint_diagnostics::{FileId, SourceDb, Span};
use envlint_parser::field::FieldReader;
use envlint_parser::jinja::{self, MacroArg, MacroSet, Origin, Scope, TargetContext};
use envlint_parser::{SymStr, ci, profiles, yaml};

fn everything(text: &str) {
    let origin = Origin {
        start: Some(0),
        whole: 0..text.len(),
    };
    let scope = Scope {
        target: Some(TargetContext {
            name: "dev".to_owned(),
            schema: SymStr::literal("dev_alice", 0..0),
            database: SymStr::literal("dev", 0..0),
            adapter: "duckdb".to_owned(),
            profile_name: "p".to_owned(),
        }),
    };
    let _ = jinja::eval(text, &origin, &Scope::default());
    let _ = jinja::render_configs(text, &scope);
    let (macros, _) = MacroSet::new(vec![(
        "m.sql".to_owned(),
        text.to_owned(),
        vec!["generate_schema_name".to_owned()],
    )]);
    let _ = macros.call(
        "generate_schema_name",
        &[
            MacroArg::Str(SymStr::literal("marts", 0..0)),
            MacroArg::None,
        ],
        &scope,
    );
    let _ = ci::scan_script(FileId(0), 0, text);
    let _ = ci::parse_guard(text, Span::new(FileId(0), 0, 0));
    let _ = ci::read_dotenv(FileId(0), text);
    if let Ok(root) = yaml::parse(text) {
        let mut db = SourceDb::new();
        let file = db.add("x.yml", text);
        let mut reader = FieldReader::new(&db, file);
        let _ = profiles::read_profiles(&mut reader, &root);
        let _ = ci::read_github_workflow(&db, file, &root);
        let _ = ci::read_gitlab_ci(&db, file, &root);
    }
}

#[test]
fn former_fuzz_crashes_do_not_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir)
        .expect("regressions folder")
        .flatten()
    {
        let bytes = std::fs::read(entry.path()).expect("read regression");
        everything(&String::from_utf8_lossy(&bytes));
        count += 1;
    }
    assert!(count > 0);
}

#[test]
fn an_opening_tag_that_closes_itself_is_not_a_tag() {
    everything("{%}\n{% macro generate_schema_name(c, n) %}{{ c }}{% endmacro %}");
}
