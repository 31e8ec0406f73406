//! `--format concise`: one line per finding, `path:line:col: severity[CODE] message`, then
//! its help indented on the next line (so `path:line:col` parsers skip it).

use envlint_diagnostics::{Diagnostic, SourceDb, escape_line};

use super::{RunCounts, Style, concise_line, summary_line};

pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    counts: RunCounts,
    style: Style,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&concise_line(db, diagnostic, style.fix_level));
        out.push('\n');
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!("  help: {}\n", escape_line(help)));
        }
    }
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics, counts, style.fix_level));
    }
    out
}
