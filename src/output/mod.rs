//! Renderers: each turns findings into the text of one output format.

pub(crate) mod concise;
pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod sarif;

use envlint_diagnostics::{Diagnostic, Position, Severity, SourceDb, SourceFile, Span};

/// Presentation settings shared by the text formats.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub(crate) fn of(diagnostics: &[Diagnostic]) -> Self {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Self {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }
}

/// Where a span lies: its file and its 1-based start and (exclusive) end positions.
pub(crate) struct Range<'a> {
    pub file: &'a SourceFile,
    pub start: Position,
    pub end: Position,
}

impl<'a> Range<'a> {
    pub(crate) fn of(db: &'a SourceDb, span: Span) -> Self {
        let file = db.get(span.file);
        Self {
            file,
            start: file.lines.position(&file.text, span.start as usize),
            end: file.lines.position(&file.text, span.end as usize),
        }
    }

    /// `path:line:col`, as compilers print it.
    pub(crate) fn at(&self) -> String {
        format!(
            "{}:{}:{}",
            self.file.path.display(),
            self.start.line,
            self.start.column
        )
    }
}

/// `path:line:col: severity[CODE] message`, the concise form of one finding.
pub(crate) fn concise_line(db: &SourceDb, diagnostic: &Diagnostic) -> String {
    format!(
        "{}: {}[{}] {}",
        Range::of(db, diagnostic.primary().span).at(),
        diagnostic.severity,
        diagnostic.code,
        diagnostic.message
    )
}

/// One concise line per finding, each ending in a newline.
pub(crate) fn concise_lines<'a>(
    db: &SourceDb,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> String {
    diagnostics
        .into_iter()
        .map(|diagnostic| concise_line(db, diagnostic) + "\n")
        .collect()
}

/// The lines after a finding's message in plain-text formats: one `path:line:col: label`
/// per related label, then `help: …`. Each line starts with a newline.
pub(crate) fn details(db: &SourceDb, diagnostic: &Diagnostic) -> String {
    let mut text = String::new();
    for label in &diagnostic.labels()[1..] {
        text.push_str(&format!(
            "\n{}: {}",
            Range::of(db, label.span).at(),
            label.message
        ));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

/// `Found 2 errors, 1 warning and 0 infos in 5 files.`
pub(crate) fn summary_line(db: &SourceDb, diagnostics: &[Diagnostic]) -> String {
    let counts = Counts::of(diagnostics);
    let files = plural(db.len(), "file");
    if diagnostics.is_empty() {
        return format!("No findings in {files}.\n");
    }
    format!(
        "Found {}, {} and {} in {files}.\n",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
