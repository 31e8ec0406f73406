//! Fuzzes the permission statement reader (Jinja masking, tokenizing, keyword shapes) in
//! every dialect.
#![no_main]

use envlint_sql::{Dialect, statements};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for dialect in [Dialect::Snowflake, Dialect::Postgres, Dialect::BigQuery, Dialect::DuckDb] {
        for statement in statements(&text, dialect) {
            assert!(statement.span.end <= text.len() && statement.span.start <= statement.span.end);
            assert!(text.is_char_boundary(statement.span.start));
        }
    }
});
