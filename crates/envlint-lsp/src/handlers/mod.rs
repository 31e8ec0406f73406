//! Dispatch by method. A new request is one module with a function from its params to its
//! result, plus one line in [`request`].

mod code_action;
mod hover;
mod text_sync;

use lsp_server::{ErrorCode, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
};
use lsp_types::request::{CodeActionRequest, HoverRequest};

use crate::state::State;

/// Answers a request (every request gets a response, an error for unknown methods).
pub(crate) fn request(state: &State, request: Request) -> Response {
    match request.method.as_str() {
        <HoverRequest as lsp_types::request::Request>::METHOD => {
            respond::<HoverRequest>(request, |params| hover::hover(state, params))
        }
        <CodeActionRequest as lsp_types::request::Request>::METHOD => {
            respond::<CodeActionRequest>(request, |params| code_action::code_actions(state, params))
        }
        method => Response::new_err(
            request.id.clone(),
            ErrorCode::MethodNotFound as i32,
            format!("dbt-envlint does not handle `{method}`"),
        ),
    }
}

/// Handles a notification; unknown ones are ignored, as the protocol asks.
pub(crate) fn notification(state: &mut State, notification: Notification) {
    match notification.method.as_str() {
        <DidOpenTextDocument as lsp_types::notification::Notification>::METHOD => {
            notify::<DidOpenTextDocument>(state, notification, text_sync::did_open);
        }
        <DidChangeTextDocument as lsp_types::notification::Notification>::METHOD => {
            notify::<DidChangeTextDocument>(state, notification, text_sync::did_change);
        }
        <DidSaveTextDocument as lsp_types::notification::Notification>::METHOD => {
            notify::<DidSaveTextDocument>(state, notification, text_sync::did_save);
        }
        <DidCloseTextDocument as lsp_types::notification::Notification>::METHOD => {
            notify::<DidCloseTextDocument>(state, notification, text_sync::did_close);
        }
        _ => {}
    }
}

fn respond<R: lsp_types::request::Request>(
    request: Request,
    handle: impl FnOnce(R::Params) -> R::Result,
) -> Response {
    let id = request.id.clone();
    match request.extract::<R::Params>(R::METHOD) {
        Ok((id, params)) => Response::new_ok(id, handle(params)),
        Err(error) => Response::new_err(id, ErrorCode::InvalidParams as i32, error.to_string()),
    }
}

/// Malformed params of a notification cannot be answered; they are dropped.
fn notify<N: lsp_types::notification::Notification>(
    state: &mut State,
    notification: Notification,
    handle: fn(&mut State, N::Params),
) {
    if let Ok(params) = notification.extract::<N::Params>(N::METHOD) {
        handle(state, params);
    }
}
