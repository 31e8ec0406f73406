//! Fuzzes the YAML loader on block-style nesting: the input chooses, level by level, a
//! mapping, a sequence entry, a flow collection or an anchor, up to 1,000 levels deep (the
//! limit is 64), so indentation depth is budgeted like flow depth (it overflowed the stack).
#![no_main]

use envlint_parser::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut text = String::new();
    let mut indent = 0usize;
    for (level, byte) in data.iter().cycle().take((data.len() * 16).min(1_000)).enumerate() {
        let pad = " ".repeat(indent);
        match byte % 5 {
            0 => text.push_str(&format!("{pad}k{level}:\n")),
            1 => text.push_str(&format!("{pad}- k{level}:\n")),
            2 => text.push_str(&format!("{pad}k{level}: [{{a: [\n")),
            3 => text.push_str(&format!("{pad}k{level}: &a{level}\n")),
            _ => text.push_str(&format!("{pad}k{level}: *a{}\n", level / 2)),
        }
        indent += usize::from(byte % 2) + 1;
    }
    let _ = yaml::parse(&text);
});
