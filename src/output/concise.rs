//! `--format concise`: one line per finding, `path:line:col: severity[CODE] message`.

use envlint_diagnostics::{Diagnostic, SourceDb};

use super::{RunCounts, Style, concise_lines, summary_line};

pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    counts: RunCounts,
    style: Style,
) -> String {
    let mut out = concise_lines(db, diagnostics, style.fix_level);
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics, counts, style.fix_level));
    }
    out
}
