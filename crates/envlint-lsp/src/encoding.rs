//! Position encodings: LSP columns in UTF-8 bytes or UTF-16 code units, to and from byte offsets.

use envlint_diagnostics::SourceFile;
use lsp_types::{Position, PositionEncodingKind, Range};

/// How the client counts columns, agreed on in `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PositionEncoding {
    Utf8,
    Utf16,
}

impl PositionEncoding {
    /// UTF-8 when the client offers it (no conversion needed), else the LSP default UTF-16.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Self::Utf8,
            _ => Self::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf8 => PositionEncodingKind::UTF8,
            Self::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn units(self, text: &str) -> usize {
        match self {
            Self::Utf8 => text.len(),
            Self::Utf16 => text.encode_utf16().count(),
        }
    }

    /// The LSP position of a byte offset in a loaded file.
    pub(crate) fn position(self, file: &SourceFile, offset: usize) -> Position {
        let found = file.lines.position(&file.text, offset);
        let column = match self {
            Self::Utf16 => found.utf16_column - 1,
            Self::Utf8 => {
                let line_start = file.lines.offset(&file.text, found.line as usize, 1);
                let before = file
                    .text
                    .get(line_start..offset.min(file.text.len()))
                    .unwrap_or_default();
                let before = before.strip_prefix('\u{feff}').unwrap_or(before);
                u32::try_from(before.len()).unwrap_or(u32::MAX)
            }
        };
        Position::new(found.line - 1, column)
    }

    /// The LSP range of a byte range in a loaded file.
    pub(crate) fn range(self, file: &SourceFile, bytes: std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(file, bytes.start),
            self.position(file, bytes.end),
        )
    }

    /// The byte offset of an LSP position in `text`, clamped to the line and the text; a
    /// column inside a character lands on the character's start.
    pub(crate) fn offset(self, text: &str, position: Position) -> usize {
        let line_start = nth_line_start(text, position.line as usize);
        let Some(line_start) = line_start else {
            return text.len();
        };
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |at| line_start + at);
        let line = &text[line_start..line_end];
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, ch) in line.char_indices() {
            let width = self.units(ch.encode_utf8(&mut [0; 4]));
            if counted + width > wanted {
                return line_start + at;
            }
            counted += width;
        }
        line_end
    }
}

fn nth_line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 1).map(|(at, _)| at + 1)
}

#[cfg(test)]
mod tests {
    use envlint_diagnostics::SourceDb;

    use super::*;

    const TEXT: &str = "a: 1\nschéma: \u{1F511}x\n";

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(
            PositionEncoding::negotiate(Some(&both)),
            PositionEncoding::Utf8
        );
        let utf16 = [PositionEncodingKind::UTF16];
        assert_eq!(
            PositionEncoding::negotiate(Some(&utf16)),
            PositionEncoding::Utf16
        );
        assert_eq!(PositionEncoding::negotiate(None), PositionEncoding::Utf16);
    }

    #[test]
    fn columns_after_non_ascii_text_differ_by_encoding() {
        let mut db = SourceDb::new();
        let file = db.add("p.yml", TEXT);
        let x = TEXT.find('x').unwrap_or_default();
        let source = db.get(file);
        assert_eq!(
            PositionEncoding::Utf16.position(source, x),
            Position::new(1, 10)
        );
        assert_eq!(
            PositionEncoding::Utf8.position(source, x),
            Position::new(1, 13)
        );
    }

    #[test]
    fn offsets_round_trip_and_clamp() {
        let x = TEXT.find('x').unwrap_or_default();
        assert_eq!(
            PositionEncoding::Utf16.offset(TEXT, Position::new(1, 10)),
            x
        );
        assert_eq!(PositionEncoding::Utf8.offset(TEXT, Position::new(1, 13)), x);
        // Inside the surrogate pair of the key emoji: its start.
        assert_eq!(
            PositionEncoding::Utf16.offset(TEXT, Position::new(1, 9)),
            x - 4
        );
        assert_eq!(PositionEncoding::Utf8.offset(TEXT, Position::new(0, 99)), 4);
        assert_eq!(
            PositionEncoding::Utf8.offset(TEXT, Position::new(9, 0)),
            TEXT.len()
        );
    }
}
