//! Byte offset to line / character column / UTF-16 column conversion.

/// A position in a file. Lines and columns are 1-based; `column` counts characters,
/// `utf16_column` counts UTF-16 code units (what LSP clients expect by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub utf16_column: u32,
}

/// Start offsets of every line of a text, for offset to position conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Lines with only ASCII bytes, whose columns are byte distances (a long line of many
    /// findings would otherwise be counted again for each).
    ascii_lines: Vec<bool>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let mut ascii_lines = Vec::new();
        let mut ascii = true;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            ascii &= b.is_ascii();
            // LF, CRLF (at its LF) and a lone CR end a line.
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
                ascii_lines.push(ascii);
                ascii = true;
            }
        }
        ascii_lines.push(ascii);
        Self {
            line_starts,
            ascii_lines,
        }
    }

    /// The position of a byte offset in `text` (the text this index was built from).
    /// Offsets past the end clamp to the end; offsets inside a character round down.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts[line] as usize;
        if self.ascii_lines.get(line).copied().unwrap_or(false) {
            let column = u32::try_from(offset - line_start + 1).unwrap_or(u32::MAX);
            return Position {
                line: u32::try_from(line + 1).unwrap_or(u32::MAX),
                column,
                utf16_column: column,
            };
        }
        let before = &text[line_start..offset];
        let before = before.strip_prefix('\u{feff}').unwrap_or(before);
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(before.chars().count() + 1).unwrap_or(u32::MAX),
            utf16_column: u32::try_from(before.encode_utf16().count() + 1).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of a 1-based line and 1-based character column, clamped to the text.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let start = start as usize;
        let end = self
            .line_starts
            .get(line)
            .map_or(text.len(), |&s| s as usize);
        text[start..end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(end, |(i, _)| start + i)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "a: 1\nschéma: \u{1F511}x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        let pos = index.position(text, x);
        assert_eq!((pos.line, pos.column, pos.utf16_column), (2, 10, 11));
        assert_eq!(index.offset(text, 2, 10), x);
    }

    #[test]
    fn crlf_and_bom_do_not_shift_columns() {
        let text = "\u{feff}a: 1\r\nb: 2\r\n";
        let index = LineIndex::new(text);
        let a = index.position(text, 3);
        assert_eq!((a.line, a.column), (1, 1));
        let b = index.position(text, text.find('b').unwrap_or_default());
        assert_eq!((b.line, b.column), (2, 1));
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let text = "ab";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 99).column, 3);
        assert_eq!(index.offset(text, 7, 1), 2);
    }
}
