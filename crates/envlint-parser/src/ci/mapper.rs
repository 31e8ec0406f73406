//! From offsets in a script to spans in its file: a CI script is a YAML scalar whose value
//! (quotes, escapes and block indentation removed) is not the file's text.

use std::ops::Range;

use envlint_diagnostics::{FileId, Span};

/// Maps byte offsets of a scalar's value to its file: exact for plain and simply quoted
/// scalars and for literal block scalars (indentation removed line by line), else the
/// whole scalar.
pub(super) struct Mapper {
    file: FileId,
    whole: Range<usize>,
    lines: Option<Vec<(usize, usize)>>,
}

impl Mapper {
    pub(super) fn new(file: FileId, whole: Range<usize>, raw: &str, value: &str) -> Self {
        let lines = if raw == value {
            Some(vec![(0, whole.start)])
        } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(value) {
            Some(vec![(0, whole.start + 1)])
        } else {
            block_lines(raw, whole.start, value)
        };
        Self { file, whole, lines }
    }

    pub(super) fn span(&self, range: Range<usize>) -> Span {
        let Some(lines) = &self.lines else {
            return Span::new(self.file, self.whole.start, self.whole.end);
        };
        let line = lines
            .partition_point(|(value_start, _)| *value_start <= range.start)
            .saturating_sub(1);
        let (value_start, file_start) = lines[line];
        let start = file_start + (range.start - value_start);
        Span::new(self.file, start, start + range.len())
    }

    /// A range that may cross lines: both ends mapped.
    pub(super) fn range_span(&self, range: Range<usize>) -> Span {
        let start = self.span(range.start..range.start);
        let end = self.span(range.end..range.end);
        Span::new(
            self.file,
            start.start as usize,
            (end.start as usize).max(start.start as usize),
        )
    }

    pub(super) fn file(&self) -> FileId {
        self.file
    }

    /// Whether offsets map exactly (else every span is the whole scalar).
    pub(super) fn is_exact(&self) -> bool {
        self.lines.is_some()
    }

    pub(super) fn whole(&self) -> Span {
        Span::new(self.file, self.whole.start, self.whole.end)
    }
}

/// Line starts of a literal block scalar: value line `i` is raw line `i` without the block's
/// indentation (a line may be indented further: that is part of its value, as in a SQL
/// string spread over several lines). `None` when the value is not laid out like that
/// (folded, escaped).
fn block_lines(raw: &str, raw_start: usize, value: &str) -> Option<Vec<(usize, usize)>> {
    let mut lines = Vec::new();
    let mut raw_offset = 0;
    let mut value_offset = 0;
    let mut raw_lines = envlint_diagnostics::lines::lines_with_ends(raw);
    for line in value.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let raw_line = raw_lines.next()?;
        let raw_content = envlint_diagnostics::lines::trim_line_end(raw_line);
        let skip = if content.is_empty() {
            0
        } else {
            let indent = raw_content.strip_suffix(content)?;
            if !indent.chars().all(|c| c == ' ' || c == '\t') {
                return None;
            }
            indent.len()
        };
        lines.push((value_offset, raw_start + raw_offset + skip));
        raw_offset += raw_line.len();
        value_offset += line.len();
    }
    Some(lines)
}
