//! The lint worker. Lints run on their own thread so the message loop never waits; edits
//! that arrive during a lint are coalesced into one next lint (the first edit after a quiet
//! spell is linted at once: the debounce costs no latency); a result overtaken by a newer
//! edit is dropped; a panicking lint is logged to the client and the worker goes on. Only
//! the files whose diagnostics changed are published, files that became clean are cleared.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification};
use lsp_types::notification::{LogMessage, Notification as _, PublishDiagnostics};
use lsp_types::{LogMessageParams, MessageType, PublishDiagnosticsParams};

use crate::lint::{FileDiagnostics, LintRequest, Report};

/// What was last published, by file: what hovers read.
pub(crate) type Published = Arc<Mutex<Report>>;

/// The handle the message loop holds: asks for lints, and stops the worker.
pub(crate) struct LintQueue {
    requests: Sender<LintRequest>,
    thread: JoinHandle<()>,
}

impl LintQueue {
    /// Starts the worker; `lint` runs on its thread, results go to `client`.
    pub(crate) fn start(
        mut lint: impl FnMut(&LintRequest) -> Report + Send + 'static,
        client: Sender<Message>,
        published: Published,
    ) -> std::io::Result<Self> {
        let (requests, incoming) = crossbeam_channel::unbounded();
        let thread = std::thread::Builder::new()
            .name("envlint-lint".to_owned())
            .spawn(move || serve(&incoming, &mut lint, &client, &published))?;
        Ok(Self { requests, thread })
    }

    /// Lints the workspace as the request's buffers have it.
    pub(crate) fn request(&self, request: LintRequest) {
        // The worker only stops when the queue is dropped, so this cannot fail.
        let _ = self.requests.send(request);
    }

    /// Skips the queued lints and gives the one in progress a moment to end; a longer one
    /// is left behind (the process is about to exit), so `exit` is answered promptly.
    pub(crate) fn stop(self) {
        drop(self.requests);
        join_within(self.thread, STOP_WAIT);
    }
}

/// How long `exit` waits for a lint in progress (a large SQL file took 14.8 s).
const STOP_WAIT: Duration = Duration::from_millis(500);

/// Joins `thread` if it ends within `limit`; otherwise leaves it running.
pub(crate) fn join_within<T>(thread: JoinHandle<T>, limit: Duration) -> Option<T> {
    let deadline = Instant::now() + limit;
    while !thread.is_finished() {
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    thread.join().ok()
}

fn serve(
    incoming: &Receiver<LintRequest>,
    lint: &mut dyn FnMut(&LintRequest) -> Report,
    client: &Sender<Message>,
    published: &Published,
) {
    while let Ok(first) = incoming.recv() {
        // The newest buffers; the disk is re-read if any coalesced request asked for it.
        let latest = incoming.try_iter().fold(first, |older, newer| LintRequest {
            reread: older.reread || newer.reread,
            ..newer
        });
        let result = catch_unwind(AssertUnwindSafe(|| lint(&latest)));
        if !incoming.is_empty() {
            continue;
        }
        let sent = match result {
            Ok(report) => publish_changes(client, published, report),
            Err(panic) => log_error(client, &panic_text(panic.as_ref())),
        };
        if !sent {
            return;
        }
    }
}

/// Publishes every file whose diagnostics differ from the last published ones; `false`
/// when the client connection is gone.
fn publish_changes(client: &Sender<Message>, published: &Published, report: Report) -> bool {
    let mut previous = published.lock().unwrap_or_else(PoisonError::into_inner);
    let cleared = previous
        .iter()
        .filter(|(key, _)| !report.contains_key(*key))
        .map(|(_, before)| FileDiagnostics {
            uri: before.uri.clone(),
            version: None,
            diagnostics: Vec::new(),
        });
    let changed = report
        .iter()
        .filter(|(key, now)| previous.get(*key) != Some(now))
        .map(|(_, now)| now.clone());
    let updates: Vec<FileDiagnostics> = cleared.chain(changed).collect();
    *previous = report;
    drop(previous);
    updates.into_iter().all(|file| {
        let params = PublishDiagnosticsParams::new(file.uri, file.diagnostics, file.version);
        let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        client.send(notification.into()).is_ok()
    })
}

fn log_error(client: &Sender<Message>, text: &str) -> bool {
    let params = LogMessageParams {
        typ: MessageType::ERROR,
        message: format!(
            "dbt-envlint: the lint failed ({text}); the diagnostics shown are from the last lint that succeeded"
        ),
    };
    let notification = Notification::new(LogMessage::METHOD.to_owned(), params);
    client.send(notification.into()).is_ok()
}

fn panic_text(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::time::Duration;

    use lsp_types::Uri;

    use super::*;

    fn report(uri: &Uri, messages: &[&str]) -> Report {
        let diagnostics = messages
            .iter()
            .map(|m| lsp_types::Diagnostic {
                message: (*m).to_owned(),
                ..lsp_types::Diagnostic::default()
            })
            .collect();
        Report::from([(
            uri.as_str().to_owned(),
            FileDiagnostics {
                uri: uri.clone(),
                version: None,
                diagnostics,
            },
        )])
    }

    fn next(client: &Receiver<Message>) -> Notification {
        match client.recv_timeout(Duration::from_secs(10)) {
            Ok(Message::Notification(notification)) => notification,
            other => panic!("expected a notification, got {other:?}"),
        }
    }

    #[test]
    fn a_panicking_lint_is_logged_and_the_next_lint_still_publishes() {
        let uri = Uri::from_str("file:///p/profiles.yml").unwrap_or_else(|e| panic!("{e}"));
        let (sender, client) = crossbeam_channel::unbounded();
        let mut calls = 0;
        let reported = uri.clone();
        let queue = LintQueue::start(
            move |_: &LintRequest| {
                calls += 1;
                match calls {
                    1 => panic!("boom in a rule"),
                    2 => report(&reported, &["first"]),
                    _ => Report::new(),
                }
            },
            sender,
            Published::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        queue.request(LintRequest::default());
        let logged = next(&client);
        assert_eq!(logged.method, "window/logMessage");
        assert!(
            logged.params["message"]
                .as_str()
                .is_some_and(|m| m.contains("boom in a rule"))
        );
        queue.request(LintRequest::default());
        let published = next(&client);
        assert_eq!(published.method, "textDocument/publishDiagnostics");
        assert_eq!(published.params["diagnostics"][0]["message"], "first");
        // The file became clean: it is cleared.
        queue.request(LintRequest::default());
        let cleared = next(&client);
        assert_eq!(cleared.params["uri"], uri.as_str());
        assert_eq!(cleared.params["diagnostics"], serde_json::json!([]));
        queue.stop();
    }

    #[test]
    fn unchanged_diagnostics_are_not_published_again() {
        let uri = Uri::from_str("file:///p/profiles.yml").unwrap_or_else(|e| panic!("{e}"));
        let (sender, client) = crossbeam_channel::unbounded();
        let same = uri.clone();
        let queue = LintQueue::start(
            move |_: &LintRequest| report(&same, &["same"]),
            sender,
            Published::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        queue.request(LintRequest::default());
        assert_eq!(next(&client).method, "textDocument/publishDiagnostics");
        queue.request(LintRequest::default());
        queue.stop();
        assert!(client.try_recv().is_err(), "published twice");
    }
}
