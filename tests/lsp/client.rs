//! A scripted LSP client over the real `dbt-envlint server` process: it reads on its own
//! thread while the test writes, so a burst of edits cannot fill a pipe and deadlock.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take before the test fails (a hang becomes a failure).
pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// The diagnostics last published for each URI, with their version.
    published: HashMap<String, (Option<i64>, Vec<Value>)>,
    next_id: i64,
}

/// What the test wants from `initialize`.
pub(crate) struct Setup<'a> {
    pub(crate) root: &'a Path,
    /// Offered position encodings (`None`: the client says nothing, so UTF-16).
    pub(crate) encodings: Option<&'a [&'a str]>,
    pub(crate) home: Option<&'a Path>,
}

impl Client {
    /// Starts the server and completes the handshake; returns the `initialize` result.
    pub(crate) fn start(setup: &Setup<'_>) -> (Self, Value) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dbt-envlint"));
        command
            .arg("server")
            .env_remove("DBT_PROFILES_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(home) = setup.home {
            command.env("HOME", home);
        }
        let mut child = command.spawn().expect("start dbt-envlint server");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Self {
            stdin: child.stdin.take(),
            child,
            incoming,
            published: HashMap::new(),
            next_id: 1,
        };
        let mut capabilities = json!({});
        if let Some(encodings) = setup.encodings {
            capabilities = json!({ "general": { "positionEncodings": encodings } });
        }
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(setup.root),
                "workspaceFolders": [{ "uri": uri(setup.root), "name": "project" }],
                "capabilities": capabilities,
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response; returns `result` (or the error object).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline).expect("response before the timeout");
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message
                    .get("result")
                    .or_else(|| message.get("error"))
                    .cloned()
                    .unwrap_or(Value::Null);
            }
        }
    }

    pub(crate) fn open(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).expect("read fixture");
        self.open_text(path, &text);
    }

    pub(crate) fn open_text(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri(path), "languageId": "yaml", "version": 1, "text": text,
            }}),
        );
    }

    /// Replaces a buffer's whole text.
    pub(crate) fn replace(&mut self, path: &Path, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri(path), "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// Waits until the diagnostics last published for `path` satisfy `done`; returns them.
    pub(crate) fn diagnostics_until(
        &mut self,
        path: &Path,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        self.published_until(path, |_, diagnostics| done(diagnostics))
    }

    /// Waits for the diagnostics of one version of an open buffer.
    pub(crate) fn diagnostics_of_version(&mut self, path: &Path, version: i64) -> Vec<Value> {
        self.published_until(path, |published, _| published == Some(version))
    }

    fn published_until(
        &mut self,
        path: &Path,
        done: impl Fn(Option<i64>, &[Value]) -> bool,
    ) -> Vec<Value> {
        let wanted = uri(path);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some((version, diagnostics)) = self.published.get(&wanted)
                && done(*version, diagnostics)
            {
                return diagnostics.clone();
            }
            if self.receive(deadline).is_none() {
                let last = self.published.get(&wanted);
                panic!("timed out waiting for diagnostics of {wanted}; last: {last:#?}");
            }
        }
    }

    /// `shutdown` then `exit`; returns how the process ended.
    pub(crate) fn shutdown(mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null, "shutdown answers null");
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Closes the server's stdin without a word, as a crashed editor would.
    pub(crate) fn hang_up(mut self) -> ExitStatus {
        drop(self.stdin.take());
        self.wait()
    }

    fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// Writes bytes as they are, framing included (for malformed messages).
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// The next message the server sends, whatever it is, or `None` at the timeout.
    pub(crate) fn next_message(&mut self) -> Option<Value> {
        self.receive(Instant::now() + TIMEOUT)
    }

    /// The next message; published diagnostics are recorded on the way.
    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = match self.incoming.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        let params = &message["params"];
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = params["uri"].as_str().unwrap_or_default().to_owned();
            let diagnostics = params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            self.published
                .insert(uri, (params["version"].as_i64(), diagnostics));
        }
        Some(message)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The absolute path of a file of this repository.
pub(crate) fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub(crate) fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The codes of some diagnostics, with their 1-based lines, sorted.
pub(crate) fn codes_and_lines(diagnostics: &[Value]) -> Vec<(String, u64)> {
    let mut found: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or_default().to_owned();
            (
                code,
                d["range"]["start"]["line"].as_u64().unwrap_or_default() + 1,
            )
        })
        .collect();
    found.sort();
    found
}
