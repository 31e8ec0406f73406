//! Open, change, save and close: keep the buffers, and lint again after each. Opening or
//! closing a buffer changes what is loaded, so the lint loads again anyway; a save asks
//! for it, as the disk changed.

use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams,
};

use crate::documents::Document;
use crate::state::State;
use crate::uri;

pub(super) fn did_open(state: &mut State, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let Some(path) = uri::to_path(&item.uri) else {
        return;
    };
    state.documents.open(
        path,
        Document {
            uri: item.uri,
            version: item.version,
            text: item.text,
        },
    );
    state.relint(false);
}

pub(super) fn did_change(state: &mut State, params: DidChangeTextDocumentParams) {
    let document = params.text_document;
    let Some(path) = uri::to_path(&document.uri) else {
        return;
    };
    if state.documents.change(
        &path,
        document.version,
        params.content_changes,
        state.encoding,
    ) {
        state.relint(false);
    }
}

/// Saving can change what other files see on disk (a buffer's text already counted).
pub(super) fn did_save(state: &mut State, _: DidSaveTextDocumentParams) {
    state.relint(true);
}

pub(super) fn did_close(state: &mut State, params: DidCloseTextDocumentParams) {
    if let Some(path) = uri::to_path(&params.text_document.uri) {
        state.documents.close(&path);
        state.relint(false);
    }
}
