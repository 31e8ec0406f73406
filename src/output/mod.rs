//! Renderers: each turns findings into the text of one output format.

pub(crate) mod concise;
pub(crate) mod diff;
pub(crate) mod github;
pub(crate) mod gitlab;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod sarif;
pub(crate) mod statistics;

use envlint_diagnostics::{
    Applicability, Diagnostic, Position, Severity, SourceDb, SourceFile, Span, escape_line,
};

use crate::args::ColorWhen;
use crate::fix::applicable;

/// Whether to colour, as ruff decides: `--color always|never`; else FORCE_COLOR (set and not
/// empty) colours, NO_COLOR (set and not empty) does not, and otherwise a terminal is coloured.
pub(crate) fn colored(when: ColorWhen, to_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("FORCE_COLOR") => true,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto => to_terminal,
    }
}

/// Presentation settings shared by the text formats.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
    /// The fixes `--fix` would apply (`Unsafe` with `--unsafe-fixes`): marked `[*]`.
    pub fix_level: Applicability,
}

/// What the run did besides reporting: shown in the summary.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RunCounts {
    /// Findings a suppression comment removed.
    pub suppressed: usize,
    /// Findings `--fix` resolved.
    pub fixed: usize,
}

/// The message with ruff's `[*]` marker when `--fix` (with the given level) can fix it.
pub(crate) fn marked_message(diagnostic: &Diagnostic, level: Applicability) -> String {
    if applicable(diagnostic, level).is_some() {
        format!("[*] {}", diagnostic.message)
    } else {
        diagnostic.message.clone()
    }
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
            escape_line(&self.file.path.display().to_string()),
            self.start.line,
            self.start.column
        )
    }
}

/// `path:line:col: severity[CODE] message`, the concise form of one finding, with the
/// `[*]` marker when `--fix` at `level` can fix it.
pub(crate) fn concise_line(db: &SourceDb, diagnostic: &Diagnostic, level: Applicability) -> String {
    format!(
        "{}: {}[{}] {}",
        Range::of(db, diagnostic.primary().span).at(),
        diagnostic.severity,
        diagnostic.code,
        escape_line(&marked_message(diagnostic, level))
    )
}

/// One concise line per finding, each ending in a newline.
pub(crate) fn concise_lines<'a>(
    db: &SourceDb,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    level: Applicability,
) -> String {
    diagnostics
        .into_iter()
        .map(|diagnostic| concise_line(db, diagnostic, level) + "\n")
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
            escape_line(&label.message)
        ));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {}", escape_line(help)));
    }
    text
}

/// `Found 2 errors, 1 warning and 0 infos in 5 files (1 suppressed).`, then what `--fix`
/// can do and did.
pub(crate) fn summary_line(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    counts: RunCounts,
    level: Applicability,
) -> String {
    let by_severity = Counts::of(diagnostics);
    let files = plural(db.len(), "file");
    let suppressed = match counts.suppressed {
        0 => String::new(),
        n => format!(" ({n} suppressed)"),
    };
    let mut out = if diagnostics.is_empty() {
        format!("No findings in {files}{suppressed}.\n")
    } else {
        format!(
            "Found {}, {} and {} in {files}{suppressed}.\n",
            plural(by_severity.errors, "error"),
            plural(by_severity.warnings, "warning"),
            plural(by_severity.infos, "info"),
        )
    };
    out.push_str(&fixable_line(diagnostics, level));
    if counts.fixed > 0 {
        out.push_str(&format!("Fixed {}.\n", plural(counts.fixed, "finding")));
    }
    out
}

/// `[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`).`, or nothing.
fn fixable_line(diagnostics: &[Diagnostic], level: Applicability) -> String {
    let count = |level| {
        diagnostics
            .iter()
            .filter(|d| applicable(d, level).is_some())
            .count()
    };
    let fixable = count(level);
    let hidden = count(Applicability::Unsafe) - fixable;
    let flags = match level {
        Applicability::Safe => "`--fix`",
        Applicability::Unsafe => "`--fix --unsafe-fixes`",
    };
    match (fixable, hidden) {
        (0, 0) => String::new(),
        (0, hidden) => format!("({hidden} fixable with `--fix --unsafe-fixes`)\n"),
        (fixable, 0) => format!("[*] {fixable} fixable with {flags}.\n"),
        (fixable, hidden) => {
            format!("[*] {fixable} fixable with {flags} ({hidden} more with `--unsafe-fixes`).\n")
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
