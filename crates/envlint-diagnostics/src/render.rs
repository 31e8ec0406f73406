//! Terminal rendering through miette; the only place that knows miette exists.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};

use crate::printable::{escape_line, mask_controls};
use crate::{Diagnostic, FileId, LabelKind, Severity, SourceDb};

/// How the human output looks: colour or not, and the wrap width.
#[derive(Clone, Copy, Debug)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
}

/// Renders one diagnostic the way miette draws reports: the primary file with its labels,
/// then one related section per other file a label points into.
pub fn render_human(db: &SourceDb, diag: &Diagnostic, style: HumanStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    if diag
        .labels()
        .iter()
        .any(|label| on_a_long_line(db, label.span))
    {
        return plain(db, diag);
    }
    let report = Report::new(db, diag);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = plain(db, diag);
    }
    out
}

/// Snippets are drawn for lines up to this many bytes; longer ones (a minified file, a
/// thousand statements on one line) would be unreadable, and past 65,535 columns the
/// renderer cannot lay them out at all.
const LONGEST_SNIPPET_LINE: usize = 4_096;

fn on_a_long_line(db: &SourceDb, span: crate::Span) -> bool {
    let text = &db.get(span.file).text;
    let at = (span.start as usize).min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    end - start > LONGEST_SNIPPET_LINE
}

/// The finding without snippets: its header, message, each label's place, and help.
fn plain(db: &SourceDb, diag: &Diagnostic) -> String {
    let mark = match diag.severity {
        Severity::Error => "×",
        Severity::Warning => "⚠",
        Severity::Info => "☞",
    };
    let mut out = format!(
        "{}({})\n\n  {mark} {}\n",
        diag.code,
        diag.name,
        escape_line(&diag.message)
    );
    for label in diag.labels() {
        let source = db.get(label.span.file);
        let position = source
            .lines
            .position(&source.text, label.span.start as usize);
        out.push_str(&format!(
            "  at {}:{}:{}: {}\n",
            escape_line(&source.path.display().to_string()),
            position.line,
            position.column,
            escape_line(&label.message)
        ));
    }
    if let Some(help) = &diag.help {
        out.push_str(&format!("  help: {}\n", escape_line(help)));
    }
    out
}

/// A diagnostic (or a related section) as miette sees it: one file and its labels.
struct Report {
    message: String,
    code: Option<String>,
    severity: Option<miette::Severity>,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Self>,
}

impl Report {
    fn new(db: &SourceDb, diag: &Diagnostic) -> Self {
        let primary_file = diag.primary().span.file;
        let mut other_files: Vec<FileId> = Vec::new();
        for label in diag.labels() {
            if label.span.file != primary_file && !other_files.contains(&label.span.file) {
                other_files.push(label.span.file);
            }
        }
        let related = other_files
            .into_iter()
            .map(|file| Self {
                message: "related location".to_owned(),
                code: None,
                severity: Some(miette::Severity::Advice),
                help: None,
                source: named_source(db, file),
                labels: labels_in(diag, file),
                related: Vec::new(),
            })
            .collect();
        Self {
            message: escape_line(&diag.message).into_owned(),
            code: Some(format!("{}({})", diag.code, diag.name)),
            severity: Some(match diag.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            }),
            help: diag.help.as_deref().map(|h| escape_line(h).into_owned()),
            source: named_source(db, primary_file),
            labels: labels_in(diag, primary_file),
            related,
        }
    }
}

fn named_source(db: &SourceDb, file: FileId) -> NamedSource<String> {
    let source = db.get(file);
    NamedSource::new(
        escape_line(&source.path.display().to_string()),
        mask_controls(&source.shown_text()).into_owned(),
    )
}

fn labels_in(diag: &Diagnostic, file: FileId) -> Vec<LabeledSpan> {
    diag.labels()
        .iter()
        .filter(|label| label.span.file == file)
        .map(|label| {
            let span = SourceSpan::new((label.span.start as usize).into(), label.span.len());
            let text = Some(escape_line(&label.message).into_owned());
            match label.kind {
                LabelKind::Primary => LabeledSpan::new_primary_with_span(text, span),
                LabelKind::Related => LabeledSpan::new_with_span(text, span),
            }
        })
        .collect()
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
