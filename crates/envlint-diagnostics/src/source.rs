//! Loaded source files and byte spans into them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::LineIndex;

/// Index of a file in a [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file. `start == end` marks a point ("missing key here").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One file's text, its display path and its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working directory when possible).
    pub path: PathBuf,
    pub text: Arc<str>,
    pub lines: LineIndex,
    /// Byte ranges holding secrets: never shown in any output.
    redacted: Vec<(u32, u32)>,
}

impl SourceFile {
    /// The text with every secret masked by `*` (same byte length, so spans stay valid).
    /// Renderers that show source lines must use this, never `text`.
    pub fn shown_text(&self) -> Cow<'_, str> {
        if self.redacted.is_empty() {
            return Cow::Borrowed(&self.text);
        }
        let mut bytes = self.text.as_bytes().to_vec();
        for &(start, end) in &self.redacted {
            let end = (end as usize).min(bytes.len());
            mask_range(&mut bytes, start as usize, end);
        }
        // Masking whole characters keeps UTF-8 valid; a range that cuts a character falls
        // back to lossy decoding, still without the secret.
        Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        )
    }

    /// `other` (e.g. this file after an edit) with every secret of this file that occurs in
    /// it masked by `*`: what was a secret here stays hidden in any text derived from it.
    pub fn mask_secrets_in<'a>(&self, other: &'a str) -> Cow<'a, str> {
        let mut masked = Cow::Borrowed(other);
        for &(start, end) in &self.redacted {
            let Some(secret) = self.text.get(start as usize..end as usize) else {
                continue;
            };
            if !secret.is_empty() && masked.contains(secret) {
                let stars: String = secret
                    .chars()
                    .map(|c| if matches!(c, '\n' | '\r') { c } else { '*' })
                    .collect();
                masked = Cow::Owned(masked.replace(secret, &stars));
            }
        }
        masked
    }

    /// The text a span covers, clamped to the file and to character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        let len = self.text.len();
        let mut start = (span.start as usize).min(len);
        let mut end = (span.end as usize).min(len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        &self.text[start..end]
    }
}

/// Masks `bytes[start..end]` with `*`, except its line structure: line breaks, the
/// indentation that starts each line, and trailing blanks stay, so a masked block
/// (`private_key: |`) keeps its lines and every position after it holds.
fn mask_range(bytes: &mut [u8], start: usize, end: usize) {
    let start = start.min(end);
    let end = start
        + bytes[start..end]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |last| last + 1);
    let mut line_start = false;
    for byte in &mut bytes[start..end] {
        match *byte {
            b'\n' | b'\r' => line_start = true,
            b' ' | b'\t' if line_start => {}
            _ => {
                line_start = false;
                *byte = b'*';
            }
        }
    }
}

/// Every file a run has loaded. Files are appended and never removed, so ids stay valid.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> FileId {
        let text = text.into();
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            path: path.into(),
            lines: LineIndex::new(&text),
            redacted: crate::secrets::scan(&text),
            text,
        });
        id
    }

    /// Replaces a file's text (an editor's newer buffer) and forgets its secrets: whoever
    /// reads the new text marks them again.
    pub fn replace(&mut self, id: FileId, text: impl Into<Arc<str>>) {
        if let Some(file) = self.files.get_mut(id.0 as usize) {
            let text = text.into();
            file.lines = LineIndex::new(&text);
            file.redacted = crate::secrets::scan(&text);
            file.text = text;
        }
    }

    /// Marks a span as secret: renderers show it masked.
    pub fn redact(&mut self, span: Span) {
        if let Some(file) = self.files.get_mut(span.file.0 as usize) {
            file.redacted.push((span.start, span.end));
        }
    }

    /// `text` (a rendered report, a message) with every secret any file holds masked by
    /// `*`: a secret quoted as another value (a schema that is also a password) stays hidden.
    /// Left alone, though masked where they stand: secrets shorter than 8 bytes and plain
    /// lowercase words (`schema`, `generate_schema_name`: masking them everywhere would garble
    /// paths and messages when a heuristic takes a config word for a secret), and ones with
    /// quoting characters (masking them would break JSON or XML).
    pub fn mask_known(&self, text: &str) -> String {
        let mut secrets: Vec<&str> = self
            .files
            .iter()
            .flat_map(|f| {
                f.redacted
                    .iter()
                    .filter_map(|&(s, e)| f.text.get(s as usize..e as usize))
            })
            .map(str::trim)
            .filter(|s| s.len() >= 8 && !s.contains(['"', '\\', '<', '>', '&', '\'']))
            .filter(|s| !s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .filter(|s| !s.chars().any(char::is_control))
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        let mut masked = text.to_owned();
        for secret in secrets {
            if masked.contains(secret) {
                masked = masked.replace(secret, &"*".repeat(secret.len()));
            }
        }
        masked
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_spans_are_masked_with_the_same_length() {
        let mut db = SourceDb::new();
        let file = db.add("profiles.yml", "password: hunter2\nuser: me\n");
        db.redact(Span::new(file, 10, 17));
        let shown = db.get(file).shown_text();
        assert_eq!(shown, "password: *******\nuser: me\n");
        assert_eq!(shown.len(), db.get(file).text.len());
    }

    #[test]
    fn secrets_stay_masked_in_derived_text() {
        let mut db = SourceDb::new();
        let file = db.add("profiles.yml", "password: hunter2\n");
        db.redact(Span::new(file, 10, 17));
        let edited = "pass: hunter2 # moved\n";
        assert_eq!(
            db.get(file).mask_secrets_in(edited),
            "pass: ******* # moved\n"
        );
    }

    #[test]
    fn replaced_text_gets_new_lines_and_no_old_redactions() {
        let mut db = SourceDb::new();
        let file = db.add("profiles.yml", "password: hunter2\n");
        db.redact(Span::new(file, 10, 17));
        db.replace(file, "a: 1\nb: 2\n");
        assert_eq!(db.get(file).shown_text(), "a: 1\nb: 2\n");
        assert_eq!(db.get(file).lines.line_count(), 3);
    }
}
