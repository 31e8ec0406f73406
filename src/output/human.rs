//! `--format human`: miette reports with source snippets, then the summary.

use envlint_diagnostics::{Diagnostic, HumanStyle, SourceDb, render_human};

use super::{Style, summary_line};

pub(crate) fn render(db: &SourceDb, diagnostics: &[Diagnostic], style: Style) -> String {
    let human = HumanStyle {
        color: style.color,
        width: style.width,
    };
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&render_human(db, diagnostic, human));
        out.push('\n');
    }
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics));
    }
    out
}
