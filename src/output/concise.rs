//! `--format concise`: one line per finding, `path:line:col: severity[CODE] message`.

use envlint_diagnostics::{Diagnostic, SourceDb};

use super::{RunCounts, Style, marked_message, summary_line};

pub(crate) fn render(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    counts: RunCounts,
    style: Style,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let span = diagnostic.primary().span;
        let file = db.get(span.file);
        let at = file.lines.position(&file.text, span.start as usize);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            file.path.display(),
            at.line,
            at.column,
            diagnostic.severity,
            diagnostic.code,
            marked_message(diagnostic, style.fix_level)
        ));
    }
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics, counts, style.fix_level));
    }
    out
}
