//! The message loop: handshake, dispatch, shutdown and exit.

use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Response};
use lsp_types::InitializeParams;

use crate::documents::Documents;
use crate::handlers;
use crate::initialize::{self, Environment};
use crate::lint::{LintRequest, Linter};
use crate::state::State;
use crate::worker::{LintQueue, Published};

/// How the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `shutdown` then `exit`: exit with 0.
    Clean,
    /// `exit` without `shutdown`, or stdin closed: exit with 1, as the protocol asks.
    Abrupt,
}

/// Serves one client until `exit` or a closed connection. Takes the connection and drops
/// it before returning (with every clone of its sender), so the IO threads can be joined.
pub(crate) fn serve(connection: Connection, environment: Environment) -> Result<Ending, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("initialize: {e}"))?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("initialize params: {e}"))?;
    let workspace = initialize::workspace(&params, environment);
    let result = serde_json::json!({
        "capabilities": initialize::capabilities(workspace.encoding),
        "serverInfo": { "name": "dbt-envlint", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("initialize: {e}"))?;
    let published = Published::default();
    let encoding = workspace.encoding;
    let mut linter = Linter::new(workspace);
    let lints = LintQueue::start(
        move |request: &LintRequest| linter.lint(request),
        connection.sender.clone(),
        Arc::clone(&published),
    )
    .map_err(|e| format!("cannot start the lint thread: {e}"))?;
    let mut state = State {
        encoding,
        documents: Documents::default(),
        lints,
        published,
    };
    // The workspace's findings show before any file is opened.
    state.relint(true);
    let ending = run(&connection, &mut state);
    state.lints.stop();
    drop(connection);
    Ok(ending)
}

fn run(connection: &Connection, state: &mut State) -> Ending {
    let mut shutting_down = false;
    // A closed stdin ends the receiver: treated as `exit`.
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                let response = if shutting_down {
                    Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".to_owned(),
                    )
                } else if request.method == "shutdown" {
                    shutting_down = true;
                    Response::new_ok(request.id, ())
                } else {
                    handlers::request(state, request)
                };
                if connection.sender.send(response.into()).is_err() {
                    break;
                }
            }
            Message::Notification(notification) if notification.method == "exit" => {
                return if shutting_down {
                    Ending::Clean
                } else {
                    Ending::Abrupt
                };
            }
            Message::Notification(notification) => handlers::notification(state, notification),
            Message::Response(_) => {}
        }
    }
    Ending::Abrupt
}
