//! Fuzzes the Terraform grant reader (HCL parsing, value evaluation, resource shapes): no
//! panic, no overflow, every span inside the text it came from.
#![no_main]

use envlint_diagnostics::FileId;
use envlint_parser::iac::read_terraform;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The same text twice: one module of two files shares its variables and locals.
    let files = [(FileId(0), &*text), (FileId(1), &*text)];
    for file in read_terraform(&files) {
        match file {
            Ok(declared) => {
                for statement in declared.grants {
                    assert!(statement.span.start <= statement.span.end);
                    assert!(statement.span.end <= text.len());
                }
            }
            Err(error) => assert!(error.at <= text.len()),
        }
    }
});
