//! Fuzzes the human renderer and the line escaper on long and wide values: any text, any
//! span on character boundaries, any width, a message and a second label.
#![no_main]

use envlint_diagnostics::{
    Diagnostic, HumanStyle, Severity, SourceDb, Span, escape_line, render_human,
};
use libfuzzer_sys::fuzz_target;

/// The nearest character boundary at or before `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let (head, rest) = data.split_at(6);
    let text = String::from_utf8_lossy(rest);
    // Long values: the input repeated, up to 256 times.
    let text = text.repeat(usize::from(head[5] % 8).pow(2).max(1));
    let start = floor(&text, usize::from(u16::from_le_bytes([head[0], head[1]])) * 7);
    let end = floor(&text, start + usize::from(head[2]) * 31).max(start);
    let mut db = SourceDb::new();
    let file = db.add("profiles.yml", text.as_str());
    let message = escape_line(&text).into_owned();
    let diag = Diagnostic::new(
        "ENV001",
        "parse-error",
        Severity::Error,
        message,
        Span::new(file, start, end),
        "here",
    )
    .with_related(Span::new(file, end, end), "and here");
    for color in [false, true] {
        let style = HumanStyle {
            color,
            width: usize::from(head[3]) * usize::from(head[4]) + 1,
        };
        let _ = render_human(&db, &diag, style);
    }
});
