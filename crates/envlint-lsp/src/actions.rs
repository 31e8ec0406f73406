//! The code actions a finding offers, computed when it is published and carried in the LSP
//! diagnostic's `data`: each fix of the rule, then "suppress with a comment".

use std::path::Path;

use envlint_diagnostics::{Applicability, Diagnostic, FileId, SourceDb, Span};
use lsp_types::{TextEdit, Uri};
use serde::{Deserialize, Serialize};

use crate::encoding::PositionEncoding;

/// One action: a title and the edits, by file URI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Action {
    pub(crate) title: String,
    /// The fix `--fix` would apply: offered as the preferred action.
    pub(crate) preferred: bool,
    pub(crate) edits: Vec<(Uri, TextEdit)>,
}

/// Every action for `finding`; edits in a file without a URI make a fix unavailable.
pub(crate) fn actions(
    finding: &Diagnostic,
    db: &SourceDb,
    encoding: PositionEncoding,
    uri_of: &dyn Fn(FileId) -> Option<Uri>,
) -> Vec<Action> {
    let edit = |span: Span, text: String| {
        Some((
            uri_of(span.file)?,
            TextEdit::new(encoding.range(db.get(span.file), span.range()), text),
        ))
    };
    let mut found: Vec<Action> = finding
        .fixes
        .iter()
        .filter_map(|fix| {
            let edits = fix
                .edits
                .iter()
                .map(|e| edit(e.span, e.replacement.clone()))
                .collect::<Option<Vec<_>>>()?;
            let unsafe_note = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (unsafe fix: review it)",
            };
            Some(Action {
                title: format!("{}: {}{unsafe_note}", finding.code, fix.message),
                preferred: fix.applicability == Applicability::Safe,
                edits,
            })
        })
        .collect();
    if let Some((span, comment)) = suppression_comment(finding, db) {
        found.extend(edit(span, comment).map(|edit| Action {
            title: format!("{}: suppress with a comment", finding.code),
            preferred: false,
            edits: vec![edit],
        }));
    }
    found
}

/// A comment line above the finding's first line, indented like it, in the file's comment
/// syntax: `# envlint: ignore[CODE]` (YAML, `.env`, scripts) or `-- envlint: ignore[CODE]`
/// (SQL: valid both in Jinja macros and in setup scripts a client like psql runs as is).
fn suppression_comment(finding: &Diagnostic, db: &SourceDb) -> Option<(Span, String)> {
    let span = finding.primary().span;
    let file = db.get(span.file);
    let text = &file.text;
    let line_start = text[..(span.start as usize).min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let directive = format!("envlint: ignore[{}]", finding.code);
    let comment = match comment_style(&file.path)? {
        Style::Hash => format!("{indent}# {directive}\n"),
        Style::Sql => format!("{indent}-- {directive}\n"),
    };
    Some((Span::new(span.file, line_start, line_start), comment))
}

enum Style {
    Hash,
    Sql,
}

fn comment_style(path: &Path) -> Option<Style> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("sql") => Some(Style::Sql),
        Some("yml" | "yaml" | "sh" | "py" | "mk") => Some(Style::Hash),
        _ if name.starts_with(".env") || name == "makefile" => Some(Style::Hash),
        _ => None,
    }
}
