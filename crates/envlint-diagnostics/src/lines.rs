//! Lines of a text where a line ends at LF, CRLF or a lone CR (old Mac files), so every
//! reader and every fix agrees on where a line starts and ends.

/// The lines of `text`, each with its line end (`\n`, `\r\n` or `\r`) if it has one.
pub fn lines_with_ends(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = next_line_start(rest, 0);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// The lines of `text` without their line ends.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_with_ends(text).map(trim_line_end)
}

/// `line` without its line end (`\n`, `\r\n` or `\r`).
pub fn trim_line_end(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Where the line holding byte `at` starts (after the last LF or CR before it).
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Where the line holding byte `at` ends: the offset of its line end, or the text's end.
pub fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)
}

/// Where the line after the one holding byte `at` starts (past its line end), or the
/// text's end.
pub fn next_line_start(text: &str, at: usize) -> usize {
    let end = line_end(text, at);
    match text.as_bytes().get(end) {
        Some(b'\r') if text.as_bytes().get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_end_breaks_a_line() {
        let text = "a\rb\r\nc\nd";
        assert_eq!(
            lines_with_ends(text).collect::<Vec<_>>(),
            ["a\r", "b\r\n", "c\n", "d"]
        );
        assert_eq!(lines(text).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(line_start(text, 3), 2);
        assert_eq!(line_start(text, 5), 5);
        assert_eq!(line_end(text, 2), 3);
        assert_eq!(next_line_start(text, 2), 5);
        assert_eq!(next_line_start(text, 5), 7);
        assert_eq!(next_line_start(text, 7), 8);
        assert_eq!(lines_with_ends("").count(), 0);
    }
}
