//! Jinja masking: SQL text with every Jinja construct replaced, byte for byte, by SQL-neutral text.
//!
//! `{{ expr }}` becomes an identifier of underscores of the same byte length (so
//! `{{ db }}.{{ schema }}` still reads as a qualified name), `{% tag %}` and `{# comment #}`
//! become spaces and end the statement they interrupt, and psql meta-commands (`\set`, ...) are
//! blanked. Byte offsets of the masked text are the offsets of the original.

use std::ops::Range;

/// A `{{ ... }}` expression that was masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expression {
    /// The whole `{{ ... }}` in the original text.
    pub range: Range<usize>,
    /// The expression between the braces, trimmed (`target.schema`).
    pub source: String,
}

/// The masked text and what was taken out of it.
#[derive(Clone, Debug, Default)]
pub struct Masked {
    pub text: String,
    pub expressions: Vec<Expression>,
    /// Offsets where a `{% tag %}` stood: a statement never spans one.
    pub boundaries: Vec<usize>,
    /// Byte ranges inside `{% if %}` ... `{% endif %}` blocks.
    pub conditional: Vec<Range<usize>>,
    /// String literals inside Jinja that hold a whole permission statement of their own
    /// (`run_query("grant ...")`): the range of the literal's content.
    pub embedded: Vec<Range<usize>>,
}

impl Masked {
    /// The expression a byte range of the masked text falls inside, if any.
    pub fn expression_at(&self, range: &Range<usize>) -> Option<&Expression> {
        self.expressions
            .iter()
            .find(|e| e.range.start < range.end && range.start < e.range.end)
    }

    /// Whether `offset` is inside an `{% if %}` block.
    pub fn is_conditional(&self, offset: usize) -> bool {
        self.conditional.iter().any(|r| r.contains(&offset))
    }
}

/// Masks the Jinja in `text`; text without Jinja comes back unchanged.
pub fn mask(text: &str) -> Masked {
    let mut bytes = text.as_bytes().to_vec();
    let mut masked = Masked::default();
    let mut open_ifs: Vec<usize> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        let Some(kind) = text[start + 1..].chars().next() else {
            break;
        };
        let close = match kind {
            '{' => "}}",
            '%' => "%}",
            '#' => "#}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let end = closing(text, start + 2, close, kind != '#').map_or(text.len(), |i| i + 2);
        let inner = text
            .get(start + 2..end.saturating_sub(2).max(start + 2))
            .unwrap_or("");
        let inner = inner.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        match kind {
            '{' => {
                fill(&mut bytes[start..end], b'_');
                masked.expressions.push(Expression {
                    range: start..end,
                    source: inner.to_owned(),
                });
                masked
                    .embedded
                    .extend(embedded_statements(text, start + 2, end.saturating_sub(2)));
            }
            '%' => {
                blank(&mut bytes[start..end]);
                masked.boundaries.push(start);
                match inner.split_whitespace().next() {
                    Some("if") => open_ifs.push(start),
                    Some("endif") => {
                        if let Some(open) = open_ifs.pop() {
                            masked.conditional.push(open..end);
                        }
                    }
                    _ => {}
                }
                masked
                    .embedded
                    .extend(embedded_statements(text, start + 2, end.saturating_sub(2)));
            }
            _ => blank(&mut bytes[start..end]),
        }
        at = end;
    }
    masked
        .conditional
        .extend(open_ifs.into_iter().map(|open| open..text.len()));
    blank_meta_commands(text, &mut bytes);
    masked.text = String::from_utf8(bytes).unwrap_or_else(|_| " ".repeat(text.len()));
    masked
}

/// Where `close` (`}}`, `%}`, `#}`) ends the construct opened before `from`: outside the
/// quoted strings of Jinja code (`post_hook="grant select on {{ this }} to r"`) when `code`.
fn closing(text: &str, from: usize, close: &str, code: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut at = from;
    while at < bytes.len() {
        match (quote, bytes[at]) {
            (None, b'\'' | b'"') if code => quote = Some(bytes[at]),
            (Some(q), b) if b == q => quote = None,
            (Some(_), b'\\') => at += 1,
            (None, _) if bytes[at..].starts_with(close.as_bytes()) => return Some(at),
            _ => {}
        }
        at += 1;
    }
    // An unbalanced quote: the first delimiter, as Jinja's own lexer would find it.
    text[from..].find(close).map(|i| from + i)
}

/// Replaces every byte with `with` (ASCII), keeping the length; multi-byte characters too.
fn fill(bytes: &mut [u8], with: u8) {
    bytes.iter_mut().for_each(|b| *b = with);
}

/// Replaces everything but line breaks with spaces.
fn blank(bytes: &mut [u8]) {
    bytes
        .iter_mut()
        .filter(|b| **b != b'\n' && **b != b'\r')
        .for_each(|b| *b = b' ');
}

/// psql meta-commands (`\set x ...`, `\connect db`) run in the client, not the server.
fn blank_meta_commands(text: &str, bytes: &mut [u8]) {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('\\') {
            blank(&mut bytes[start..start + line.len()]);
        }
        start += line.len();
    }
}

/// Keywords that open a permission statement worth reading inside a Jinja string.
const STATEMENT_OPENERS: &[&str] = &["grant ", "revoke ", "create ", "alter ", "attach "];

/// Quoted literals in Jinja code at `start..end` that hold a whole statement: a literal joined
/// to other text with `~` or `+` is only a fragment and is left alone.
fn embedded_statements(text: &str, start: usize, end: usize) -> Vec<Range<usize>> {
    let code = &text.as_bytes()[start..end.max(start)];
    let mut found = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let quote = code[i];
        if quote != b'\'' && quote != b'"' {
            i += 1;
            continue;
        }
        let Some(len) = code[i + 1..].iter().position(|&b| b == quote) else {
            break;
        };
        let content = start + i + 1..start + i + 1 + len;
        let fragment = joined(code[..i].iter().rev()) || joined(code[i + 2 + len..].iter());
        let lower = text[content.clone()].trim_start().to_ascii_lowercase();
        if !fragment && STATEMENT_OPENERS.iter().any(|k| lower.starts_with(k)) {
            found.push(content);
        }
        i += len + 2;
    }
    found
}

/// Whether the first non-blank byte is a Jinja string concatenation (`~` or `+`).
fn joined<'a>(mut bytes: impl Iterator<Item = &'a u8>) -> bool {
    bytes
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'~' || *b == b'+')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_inside_jinja_comments_and_code_is_no_boundary_problem() {
        for text in [
            "{# grant é #}",
            "{{ 'é' }} grant",
            "{% set x = \"ü\" %}{# ß #}",
        ] {
            assert_eq!(mask(text).text.len(), text.len(), "{text}");
        }
    }

    #[test]
    fn expressions_become_identifiers_of_the_same_length() {
        let text = "grant usage on schema {{ db }}.{{ s[0] }} to role r;";
        let masked = mask(text);
        assert_eq!(masked.text.len(), text.len());
        assert_eq!(
            masked.text,
            "grant usage on schema ________.__________ to role r;"
        );
        assert_eq!(masked.expressions[0].source, "db");
        assert_eq!(masked.expressions[1].source, "s[0]");
    }

    #[test]
    fn tags_are_blanked_and_split_statements_and_ifs_are_tracked() {
        let text = "{% if target.name == 'prd' %}grant x{% endif %}\n{# note #}";
        let masked = mask(text);
        assert!(masked.text.trim().starts_with("grant x"));
        assert_eq!(masked.boundaries, vec![0, 36]);
        assert!(masked.is_conditional(30));
        assert!(!masked.is_conditional(text.len() - 1));
    }

    #[test]
    fn whole_statements_in_jinja_strings_are_found_but_fragments_are_not() {
        let text = r#"{% do run_query("grant select on t to role r") %}{{ run_query('grant all on ' ~ this ~ ' to r') }}"#;
        let masked = mask(text);
        assert_eq!(masked.embedded.len(), 1);
        assert_eq!(
            &text[masked.embedded[0].clone()],
            "grant select on t to role r"
        );
    }

    #[test]
    fn delimiters_inside_jinja_strings_do_not_end_the_expression() {
        let text = r#"{{ config(post_hook=["grant select on {{ this }} to role r"]) }}select 1"#;
        let masked = mask(text);
        assert_eq!(masked.expressions.len(), 1);
        assert_eq!(
            masked.expressions[0].range,
            0..text.len() - "select 1".len()
        );
        assert_eq!(
            &text[masked.embedded[0].clone()],
            "grant select on {{ this }} to role r"
        );
    }

    #[test]
    fn psql_meta_commands_and_multibyte_text_keep_offsets() {
        let text = "\\set p `echo $X`\ngrant select on t to {{ 'dév' }};";
        let masked = mask(text);
        assert_eq!(masked.text.len(), text.len());
        assert!(masked.text.starts_with("                "));
        assert!(
            masked
                .text
                .ends_with(&format!("to {};", "_".repeat("{{ 'dév' }}".len())))
        );
    }
}
