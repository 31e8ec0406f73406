//! A finding: code, severity, message, exactly one primary label, related labels, help and
//! the fixes it proposes.

use std::fmt;

use crate::{Fix, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "info" => Some(Self::Info),
            "warning" => Some(Self::Warning),
            "error" => Some(Self::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a label is the finding's main location or a related one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    Primary,
    Related,
}

/// A span with a short noun phrase naming it ("this target", "prod writes here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub kind: LabelKind,
}

/// One finding. Built with [`Diagnostic::new`], which takes the primary label, so a
/// diagnostic without exactly one primary label cannot exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    labels: Vec<Label>,
    pub help: Option<String>,
    pub url: Option<String>,
    /// Ways to resolve the finding, best first (`--fix` applies the first applicable one).
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        message: impl Into<String>,
        primary: Span,
        label: impl Into<String>,
    ) -> Self {
        Self {
            code,
            name,
            severity,
            message: message.into(),
            labels: vec![Label {
                span: primary,
                message: label.into(),
                kind: LabelKind::Primary,
            }],
            help: None,
            url: None,
            fixes: Vec::new(),
        }
    }

    /// Adds a related label, which may point into another file. A label identical to an
    /// existing one is not added twice.
    #[must_use]
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        let label = Label {
            span,
            message: message.into(),
            kind: LabelKind::Related,
        };
        if !self.labels.iter().any(|l| l.span == label.span) {
            self.labels.push(label);
        }
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn primary(&self) -> &Label {
        &self.labels[0]
    }

    /// The primary label first, then the related ones in the order they were added.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileId;

    #[test]
    fn primary_label_is_first_and_unique() {
        let span = Span::new(FileId(0), 1, 4);
        let other = Span::new(FileId(1), 0, 2);
        let diag = Diagnostic::new("ENV999", "x", Severity::Error, "m", span, "here")
            .with_related(other, "there")
            .with_related(span, "again");
        let primaries = diag
            .labels()
            .iter()
            .filter(|l| l.kind == LabelKind::Primary)
            .count();
        assert_eq!(primaries, 1);
        assert_eq!(diag.labels().len(), 2);
        assert_eq!(diag.primary().span, span);
    }
}
