//! Terminal rendering through miette; the only place that knows miette exists.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};

use crate::printable::escape_line;
use crate::snippet_source::{ShownFile, Windowed};
use crate::{Diagnostic, FileId, LabelKind, Severity, SourceDb};

/// How the human output looks: colour or not, and the wrap width.
#[derive(Clone, Copy, Debug)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
}

/// Renders one diagnostic the way miette draws reports (see [`HumanRenderer`]).
pub fn render_human(db: &SourceDb, diag: &Diagnostic, style: HumanStyle) -> String {
    HumanRenderer::new(db, style).render(diag)
}

/// Renders diagnostics the way miette draws reports: the primary file with its labels,
/// then one related section per other file a label points into. Each file is masked and
/// indexed once per renderer, and a snippet reads only the lines around its labels, so a
/// file with thousands of findings renders in linear time.
pub struct HumanRenderer<'a> {
    db: &'a SourceDb,
    handler: GraphicalReportHandler,
    files: RefCell<HashMap<FileId, Arc<ShownFile>>>,
}

impl<'a> HumanRenderer<'a> {
    pub fn new(db: &'a SourceDb, style: HumanStyle) -> Self {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_links(false);
        Self {
            db,
            handler,
            files: RefCell::new(HashMap::new()),
        }
    }

    pub fn render(&self, diag: &Diagnostic) -> String {
        let db = self.db;
        if diag
            .labels()
            .iter()
            .any(|label| on_a_long_line(db, label.span))
        {
            return plain(db, diag);
        }
        let report = Report::new(diag, &|file| self.shown(file));
        let mut out = String::new();
        if self.handler.render_report(&mut out, &report).is_err() {
            out = plain(db, diag);
        }
        out
    }

    fn shown(&self, file: FileId) -> Arc<ShownFile> {
        self.files
            .borrow_mut()
            .entry(file)
            .or_insert_with(|| Arc::new(ShownFile::new(self.db, file)))
            .clone()
    }
}

/// Snippets are drawn for lines up to this many bytes; longer ones (a minified file, a
/// thousand statements on one line) would be unreadable, and past 65,535 columns the
/// renderer cannot lay them out at all.
const LONGEST_SNIPPET_LINE: usize = 4_096;

fn on_a_long_line(db: &SourceDb, span: crate::Span) -> bool {
    let text = db.get(span.file).text.as_bytes();
    let at = (span.start as usize).min(text.len());
    let is_break = |b: &u8| matches!(b, b'\n' | b'\r');
    // Only as far as the limit in each direction: a long line costs no more than that.
    let before = text[at.saturating_sub(LONGEST_SNIPPET_LINE + 1)..at]
        .iter()
        .rev()
        .take_while(|b| !is_break(b))
        .count();
    let after = text[at..]
        .iter()
        .take(LONGEST_SNIPPET_LINE + 1)
        .take_while(|b| !is_break(b))
        .count();
    before + after > LONGEST_SNIPPET_LINE
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
    source: Windowed,
    labels: Vec<LabeledSpan>,
    related: Vec<Self>,
}

impl Report {
    fn new(diag: &Diagnostic, shown: &dyn Fn(FileId) -> Arc<ShownFile>) -> Self {
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
                source: Windowed(shown(file)),
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
            source: Windowed(shown(primary_file)),
            labels: labels_in(diag, primary_file),
            related,
        }
    }
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
