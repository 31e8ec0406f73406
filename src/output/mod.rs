//! Renderers: each turns findings into the text of one output format.

pub(crate) mod concise;
pub(crate) mod human;
pub(crate) mod json;

use envlint_diagnostics::{Diagnostic, Severity, SourceDb};

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
