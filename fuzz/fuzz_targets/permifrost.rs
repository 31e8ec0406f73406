//! Fuzzes the permifrost spec reader on any YAML: no panic, every span inside the text.
#![no_main]

use envlint_parser::iac::{is_permifrost_spec, read_permifrost};
use envlint_parser::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(root) = yaml::parse(&text) {
        let _ = is_permifrost_spec(&root);
        for statement in read_permifrost(&root) {
            assert!(statement.span.end <= text.len());
        }
    }
});
