//! Fuzzes the policy loader (`envlint.yml`) with its presets and ENV002 diagnostics.
#![no_main]

use envlint_diagnostics::SourceDb;
use envlint_parser::{yaml, PolicyDocument};
use envlint_rules::load_policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(root) = yaml::parse(&text) else {
        return;
    };
    let mut db = SourceDb::new();
    let file = db.add("envlint.yml", text.as_ref());
    let _ = load_policy(Some(&PolicyDocument {
        file,
        root,
        unusable: None,
    }));
});
