//! `--format concise`: one line per finding, `path:line:col: severity[CODE] message`.

use envlint_diagnostics::{Diagnostic, SourceDb};

use super::{Style, concise_line, summary_line};

pub(crate) fn render(db: &SourceDb, diagnostics: &[Diagnostic], style: Style) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&concise_line(db, diagnostic));
        out.push('\n');
    }
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics));
    }
    out
}
