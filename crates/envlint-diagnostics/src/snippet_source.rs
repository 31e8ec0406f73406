//! A file as snippets show it (secrets and control characters masked, line ends made
//! plain), read by miette one window of lines at a time.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::printable::{escape_line, mask_controls};
use crate::{FileId, SourceDb};

/// A file's shown text, its shown name and where each of its lines starts.
pub(crate) struct ShownFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl ShownFile {
    pub(crate) fn new(db: &SourceDb, file: FileId) -> Self {
        let source = db.get(file);
        let text = mask_controls(&plain_line_ends(&source.shown_text())).into_owned();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self {
            name: escape_line(&source.path.display().to_string()).into_owned(),
            text,
            line_starts,
        }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }
}

/// Every line end as one `\n`, byte for byte: a lone CR (a CR-only file) becomes `\n`, the
/// CR of a CRLF a space, so offsets hold and the renderer sees the lines dbt sees.
fn plain_line_ends(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    for (at, byte) in out.iter_mut().enumerate() {
        if *byte == b'\r' {
            *byte = if bytes.get(at + 1) == Some(&b'\n') {
                b' '
            } else {
                b'\n'
            };
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The shown file as miette's source: each read takes only the lines around the span (and
/// a margin), lets miette lay them out, and puts the line numbers back in file terms.
pub(crate) struct Windowed(pub(crate) Arc<ShownFile>);

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.0;
        let text = file.text.as_bytes();
        if span.offset() + span.len() > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = file.line_of(span.offset()).saturating_sub(before + 1);
        let last = file.line_of(span.offset() + span.len()) + after + 1;
        let start = file.line_starts[first];
        let end = file
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(text.len());
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let inner = text[start..end].read_span(&local, before, after)?;
        let at = SourceSpan::new((inner.span().offset() + start).into(), inner.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            inner.data(),
            at,
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}
