//! Shell text read as commands: words split on separators, heredoc bodies set apart,
//! quoted strings, assignments, and Makefile recipes.

use std::ops::Range;

/// The contents of `'...'` and `"..."` strings (a backslash escapes a double quote); shell
/// comment lines are skipped, so an apostrophe in `# don't` opens nothing.
pub(super) fn quoted(text: &str) -> Vec<Range<usize>> {
    let mut bytes = text.as_bytes().to_vec();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            bytes[line_start..line_start + line.len()].fill(b' ');
        }
        line_start += line.len();
    }
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = bytes[at..]
        .iter()
        .position(|b| *b == b'"' || *b == b'\'')
        .map(|i| at + i)
    {
        let quote = bytes[open];
        let mut close = open + 1;
        while close < bytes.len()
            && !(bytes[close] == quote && (quote == b'\'' || bytes[close - 1] != b'\\'))
        {
            close += 1;
        }
        if close >= bytes.len() {
            break;
        }
        found.push(open + 1..close);
        at = close + 1;
    }
    found
}

/// The recipe of a Makefile target: the tab-indented lines after `target:`, with the offset
/// of the first.
pub fn makefile_recipe<'a>(makefile: &'a str, target: &str) -> Option<(usize, &'a str)> {
    let mut offset = 0;
    let mut start = None;
    for line in makefile.split_inclusive('\n') {
        match start {
            None => {
                let head = line.split(':').next().unwrap_or("");
                if !line.starts_with(['\t', ' ', '#'])
                    && line.contains(':')
                    && head.split_whitespace().any(|t| t == target)
                {
                    start = Some(offset + line.len());
                }
            }
            Some(begin) => {
                if !line.starts_with('\t') && !line.trim().is_empty() {
                    return Some((begin, &makefile[begin..offset]));
                }
            }
        }
        offset += line.len();
    }
    start.map(|begin| (begin, &makefile[begin..]))
}

/// Heredoc bodies (`<<EOF` ... `EOF`) with the file they are written to (`> path` or
/// `tee path` on the opening line), and the script with those bodies blanked (same length),
/// so their lines are not read as commands.
pub(super) fn split_heredocs(text: &str) -> (String, Vec<(String, Range<usize>)>) {
    let mut blanked = text.to_owned();
    let mut found = Vec::new();
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let line_end = offset + line.len();
        let opener = line.find("<<").and_then(|at| {
            let rest = line[at + 2..].trim_start_matches('-').trim_start();
            let delimiter: String = rest
                .trim_start_matches(['\'', '"'])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!delimiter.is_empty()).then_some(delimiter)
        });
        offset = line_end;
        let Some(delimiter) = opener else {
            continue;
        };
        let target = line
            .split(|c: char| c.is_whitespace())
            .skip_while(|w| !(*w == ">" || *w == "tee" || w.starts_with('>')))
            .find_map(|w| {
                let w = w.trim_start_matches('>');
                (!w.is_empty() && w != "tee" && !w.starts_with("<<"))
                    .then(|| w.trim_matches(['"', '\'']).to_owned())
            })
            .unwrap_or_default();
        let body_start = offset;
        let mut body_end = offset;
        for body_line in lines.by_ref() {
            offset += body_line.len();
            if body_line.trim() == delimiter {
                break;
            }
            body_end = offset;
        }
        blanked.replace_range(body_start..body_end, &" ".repeat(body_end - body_start));
        found.push((target, body_start..body_end));
    }
    (blanked, found)
}

/// A word of a command with its range in the script.
pub(super) struct Word {
    pub(super) text: String,
    pub(super) range: Range<usize>,
}

/// Commands of a script: words split on newlines (not after `\`), `&&`, `||`, `;`, `|`.
pub(super) fn commands(text: &str) -> Vec<Vec<Word>> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut current = String::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    let finish_word =
        |words: &mut Vec<Word>, current: &mut String, start: &mut Option<usize>, end: usize| {
            if let Some(s) = start.take() {
                words.push(Word {
                    text: std::mem::take(current),
                    range: s..end,
                });
            }
        };
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                start.get_or_insert(at);
            }
            (None, '\\') if chars.peek().is_some_and(|(_, n)| *n == '\n') => {
                chars.next();
                finish_word(&mut words, &mut current, &mut start, at);
            }
            (None, '#') if start.is_none() => {
                while chars.peek().is_some_and(|(_, n)| *n != '\n') {
                    chars.next();
                }
            }
            (None, '\n' | ';' | '|' | '&') => {
                finish_word(&mut words, &mut current, &mut start, at);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            (None, c) if c.is_whitespace() => finish_word(&mut words, &mut current, &mut start, at),
            (None, c) => {
                start.get_or_insert(at);
                current.push(c);
            }
        }
    }
    finish_word(&mut words, &mut current, &mut start, text.len());
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// `NAME=value`: the name and the value.
pub(super) fn assignment_shape(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then_some((name, value))
}
