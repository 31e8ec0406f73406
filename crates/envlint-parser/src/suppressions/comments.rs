//! Finds comments in file text without mistaking a `#` or `--` inside a string for one.

use std::ops::Range;

use envlint_diagnostics::lines;

/// A comment: its whole extent (markers included) and its body (markers excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    pub whole: Range<usize>,
    pub body: Range<usize>,
}

/// `#` comments of YAML, `.env` files, shell scripts and Makefiles. A `#` starts a comment
/// at the start of a line or after whitespace, outside quotes. A quote opens a string only
/// where a value can start (not inside a word: `it's`), and strings end with their line.
pub(crate) fn hash_comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut line_start = 0;
    for line in lines::lines_with_ends(text) {
        if let Some(at) = hash_in_line(line) {
            let end = lines::trim_line_end(line).len();
            comments.push(Comment {
                whole: line_start + at..line_start + end,
                body: line_start + at + 1..line_start + end,
            });
        }
        line_start += line.len();
    }
    comments
}

/// A byte-order mark opens some files; it is not part of the first line's content.
const BOM: char = '\u{feff}';

/// Where the comment of one line starts, if it has one.
fn hash_in_line(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some('\''), '\'') if chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '#') if previous.is_none_or(|p| p.is_whitespace() || p == BOM) => {
                return Some(i);
            }
            (None, '\'' | '"') if previous.is_none_or(|p| !(p.is_alphanumeric() || p == '_')) => {
                quote = Some(c);
            }
            _ => {}
        }
        previous = Some(c);
    }
    None
}

/// What the SQL/Jinja scanner is inside of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SqlState {
    Code,
    String(char),
    /// `{{ ... }}` or `{% ... %}`, with the string it may be in.
    Jinja {
        close: char,
        quote: Option<char>,
    },
    BlockComment,
}

/// `{# ... #}` Jinja comments and `-- ...` SQL line comments of a SQL/Jinja file, skipping
/// SQL strings, `/* */` comments and Jinja expressions and statements.
pub(crate) fn sql_comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut state = SqlState::Code;
    let mut i = 0;
    while i < bytes.len() {
        let pair = (bytes[i], bytes.get(i + 1).copied().unwrap_or(0));
        match state {
            SqlState::Code => match pair {
                (b'{', b'#') => {
                    let end = text[i + 2..].find("#}").map_or(text.len(), |at| i + 2 + at);
                    let close = (end + 2).min(text.len());
                    comments.push(Comment {
                        whole: i..close,
                        body: i + 2..end,
                    });
                    i = close;
                    continue;
                }
                (b'-', b'-') => {
                    let end = lines::line_end(text, i);
                    comments.push(Comment {
                        whole: i..end,
                        body: i + 2..end,
                    });
                    i = end;
                    continue;
                }
                (b'{', b'{') => state = jinja('}'),
                (b'{', b'%') => state = jinja('%'),
                (b'/', b'*') => state = SqlState::BlockComment,
                (b'\'' | b'"', _) => state = SqlState::String(char::from(pair.0)),
                _ => {}
            },
            SqlState::String(quote) if char::from(pair.0) == quote => state = SqlState::Code,
            SqlState::String(_) => {}
            SqlState::Jinja { close, quote: None } => match pair {
                (b'\'' | b'"', _) => {
                    state = SqlState::Jinja {
                        close,
                        quote: Some(char::from(pair.0)),
                    };
                }
                (first, b'}') if char::from(first) == close => {
                    state = SqlState::Code;
                    i += 2;
                    continue;
                }
                _ => {}
            },
            SqlState::Jinja {
                close,
                quote: Some(quote),
            } => {
                if char::from(pair.0) == quote {
                    state = SqlState::Jinja { close, quote: None };
                }
            }
            SqlState::BlockComment if pair == (b'*', b'/') => {
                state = SqlState::Code;
                i += 2;
                continue;
            }
            SqlState::BlockComment => {}
        }
        i += 1;
    }
    comments
}

fn jinja(close: char) -> SqlState {
    SqlState::Jinja { close, quote: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str, found: &[Comment]) -> Vec<String> {
        found
            .iter()
            .map(|c| text[c.body.clone()].to_owned())
            .collect()
    }

    #[test]
    fn hashes_inside_yaml_strings_are_not_comments() {
        let text =
            "a: \"x # no\"  # yes\nb: 'it''s # no' # two\nc: it's # three\nd: x#y\n# four\r\n";
        assert_eq!(
            bodies(text, &hash_comments(text)),
            [" yes", " two", " three", " four"]
        );
    }

    #[test]
    fn sql_strings_and_jinja_blocks_hide_comment_markers() {
        let text = "select '--no', \"a--b\" -- yes\n{{ x('--no', '{#') }} {# two #}\n/* -- no */{% if a -- b %}\n";
        assert_eq!(bodies(text, &sql_comments(text)), [" yes", " two "]);
    }

    #[test]
    fn an_unclosed_jinja_comment_runs_to_the_end() {
        let text = "{# envlint: ignore[ENV201]";
        let found = sql_comments(text);
        assert_eq!(found[0].whole, 0..text.len());
    }
}
