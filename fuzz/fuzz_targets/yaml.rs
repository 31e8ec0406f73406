//! Fuzzes the spanned YAML loader and the profiles reader on arbitrary text.
#![no_main]

use envlint_diagnostics::SourceDb;
use envlint_parser::field::FieldReader;
use envlint_parser::{profiles, yaml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(root) = yaml::parse(&text) else {
        return;
    };
    let mut db = SourceDb::new();
    let file = db.add("profiles.yml", text.as_ref());
    let mut reader = FieldReader::new(&db, file);
    let _ = profiles::read_profiles(&mut reader, &root);
});
