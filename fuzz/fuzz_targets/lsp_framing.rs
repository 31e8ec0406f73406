//! Fuzzes the language server's `Content-Length` framing: any bytes, read frame by frame
//! until the end or an error, never allocating past the message budget.
#![no_main]

use envlint_lsp::framing::{Frame, read_frame};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    while let Ok(Frame::Body(body)) = read_frame(&mut input) {
        let _ = serde_json::from_slice::<serde_json::Value>(&body);
    }
});
