//! `--format human`: miette reports with source snippets, then the summary.

use envlint_diagnostics::{Diagnostic, HumanRenderer, HumanStyle, SourceDb};

use super::{RunCounts, Style, marked_message, summary_line};

pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    counts: RunCounts,
    style: Style,
) -> String {
    let human = HumanStyle {
        color: style.color,
        width: style.width,
    };
    let renderer = HumanRenderer::new(db, human);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let mut shown = diagnostic.clone();
        shown.message = marked_message(diagnostic, style.fix_level);
        out.push_str(&renderer.render(&shown));
        out.push('\n');
    }
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics, counts, style.fix_level));
    }
    out
}
