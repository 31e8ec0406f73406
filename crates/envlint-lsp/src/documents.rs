//! The editor's open buffers: text and version by path, edited by full or incremental changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use crate::encoding::PositionEncoding;

/// One open buffer.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    /// The URI exactly as the client sent it, so diagnostics go back under the same key.
    pub(crate) uri: Uri,
    pub(crate) version: i32,
    pub(crate) text: String,
}

/// Every open buffer with a local path, by that path.
#[derive(Clone, Debug, Default)]
pub(crate) struct Documents {
    open: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub(crate) fn open(&mut self, path: PathBuf, document: Document) {
        self.open.insert(path, document);
    }

    pub(crate) fn close(&mut self, path: &Path) {
        self.open.remove(path);
    }

    /// Applies the client's changes in order; `false` when the buffer is not open.
    pub(crate) fn change(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) -> bool {
        let Some(document) = self.open.get_mut(path) else {
            return false;
        };
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = encoding.offset(&document.text, range.start);
                    let end = encoding.offset(&document.text, range.end).max(start);
                    document.text.replace_range(start..end, &change.text);
                }
                None => document.text = change.text,
            }
        }
        document.version = version;
        true
    }

    pub(crate) fn get(&self, path: &Path) -> Option<&Document> {
        self.open.get(path)
    }

    /// The one buffer whose text differs in `newer`, when the same buffers are open in both
    /// and no other text differs.
    pub(crate) fn single_edit<'a>(&self, newer: &'a Self) -> Option<(&'a Path, &'a Document)> {
        if !self.open.keys().eq(newer.open.keys()) {
            return None;
        }
        let mut edited = newer
            .open
            .iter()
            .zip(self.open.values())
            .filter(|((_, now), before)| now.text != before.text);
        let ((path, document), _) = edited.next()?;
        edited
            .next()
            .is_none()
            .then_some((path.as_path(), document))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&PathBuf, &Document)> {
        self.open.iter()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use lsp_types::{Position, Range};

    use super::*;

    fn edit(range: Option<Range>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_edits_after_non_ascii_text_land_in_place() {
        let path = PathBuf::from("/p/profiles.yml");
        let uri = Uri::from_str("file:///p/profiles.yml").unwrap_or_else(|e| panic!("{e}"));
        let mut docs = Documents::default();
        let text = "# é\ntarget: prod\n".to_owned();
        docs.open(
            path.clone(),
            Document {
                uri,
                version: 1,
                text,
            },
        );
        let prod = Range::new(Position::new(1, 8), Position::new(1, 12));
        let changed = docs.change(
            &path,
            2,
            vec![edit(Some(prod), "dev"), edit(Some(Range::default()), "🔑")],
            PositionEncoding::Utf16,
        );
        assert!(changed);
        let (_, document) = docs.iter().next().unwrap_or_else(|| panic!("closed"));
        assert_eq!(document.text, "🔑# é\ntarget: dev\n");
        assert_eq!(document.version, 2);
        assert!(!docs.change(&PathBuf::from("/other"), 3, vec![], PositionEncoding::Utf8));
    }
}
