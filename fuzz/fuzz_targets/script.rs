//! Fuzzes the CI script scanner (dbt calls, assignments, SQL drop/snapshot shapes, heredocs)
//! and the Makefile recipe finder.
#![no_main]

use envlint_diagnostics::FileId;
use envlint_parser::ci::{makefile_recipe, scan_script};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = scan_script(FileId(0), 0, &text);
    let _ = makefile_recipe(&text, "deploy");
});
