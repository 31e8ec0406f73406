//! Text from files, made safe to print: control characters (ANSI/OSC escapes, carriage
//! returns, newlines where a line is expected) shown as escapes, so no file can rewrite the
//! terminal or forge an output line.

use std::borrow::Cow;

/// A control character other than a line break or a tab: C0, DEL and C1.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

/// One line of output (a path, a message, a label): every control character, line breaks
/// included, written as an escape such as `\u{1b}`.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_hostile(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() || is_hostile(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Source text shown in a snippet: line breaks and tabs stay, every other control character
/// becomes `?` per byte, so byte offsets (the spans) still point at the same text.
pub fn mask_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hostile(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_every_control_character_visible_and_offsets_stable() {
        assert_eq!(
            escape_line("a\u{1b}]8;;x\u{7}b\nc"),
            "a\\u{1b}]8;;x\\u{7}b\\u{a}c"
        );
        assert_eq!(escape_line("plain"), "plain");
        let source = "schema: \"\u{1b}[2J\u{9b}x\"\n\tok";
        let masked = mask_controls(source);
        assert_eq!(masked.len(), source.len());
        assert_eq!(masked, "schema: \"?[2J??x\"\n\tok");
    }
}
