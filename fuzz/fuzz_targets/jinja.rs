//! Fuzzes the symbolic Jinja evaluator: values, `config()` extraction and naming macros.
#![no_main]

use envlint_parser::jinja::{self, MacroArg, MacroSet, Origin, Scope, TargetContext};
use envlint_parser::SymStr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
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
    let _ = jinja::eval(&text, &origin, &Scope::default());
    let _ = jinja::render_configs(&text, &scope);
    let (macros, _) = MacroSet::new(vec![("m.sql".to_owned(), text.to_string(), vec!["generate_schema_name".to_owned()])]);
    let _ = macros.call("generate_schema_name", &[MacroArg::Str(SymStr::literal("marts", 0..0)), MacroArg::None], &scope);
});
