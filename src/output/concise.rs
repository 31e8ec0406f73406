//! `--format concise`: one line per finding, `path:line:col: severity[CODE] message`.

use envlint_diagnostics::{Diagnostic, SourceDb};

use super::{Style, concise_lines, summary_line};

pub(crate) fn render(db: &SourceDb, diagnostics: &[Diagnostic], style: Style) -> String {
    let mut out = concise_lines(db, diagnostics);
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics));
    }
    out
}
