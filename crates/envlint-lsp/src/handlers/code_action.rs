//! `textDocument/codeAction`: the fixes and the suppression comment of the findings in the
//! requested range, from what was last published.

use std::collections::HashMap;
use std::sync::PoisonError;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::actions::Action;
use crate::state::State;

pub(super) fn code_actions(state: &State, params: CodeActionParams) -> Option<CodeActionResponse> {
    let published = state
        .published
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let file = published.get(params.text_document.uri.as_str())?;
    let wanted = params.range;
    let actions: Vec<CodeActionOrCommand> = file
        .diagnostics
        .iter()
        .filter(|d| d.range.start <= wanted.end && wanted.start <= d.range.end)
        .flat_map(|diagnostic| {
            let actions: Vec<Action> = diagnostic
                .data
                .clone()
                .and_then(|data| serde_json::from_value(data).ok())
                .unwrap_or_default();
            actions.into_iter().map(move |action| {
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: action.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(action.edits)),
                    is_preferred: Some(action.preferred),
                    ..CodeAction::default()
                })
            })
        })
        .collect();
    (!actions.is_empty()).then_some(actions)
}

// `WorkspaceEdit::changes` is lsp-types' own map keyed by `Uri`, which clippy sees as mutable.
#[allow(clippy::mutable_key_type)]
fn workspace_edit(edits: Vec<(Uri, TextEdit)>) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (uri, edit) in edits {
        changes.entry(uri).or_default().push(edit);
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}
