//! Fuzzes the suppression-comment scanner over every comment syntax (YAML, `.env`, SQL/Jinja).
#![no_main]

use envlint_diagnostics::SourceDb;
use envlint_parser::Suppressions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut db = SourceDb::new();
    for path in ["profiles.yml", ".env", "models/model.sql", "Makefile"] {
        db.add(path, text.as_ref());
    }
    let _ = Suppressions::scan(&db);
});
