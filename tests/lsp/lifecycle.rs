//! Starting and stopping: `shutdown` then `exit` ends with 0; a vanished client (stdin
//! closed) ends the server too, with 1 as the protocol asks for an exit without shutdown.

use serde_json::json;

use crate::client::{Client, Setup, repo_path};

fn start() -> (Client, serde_json::Value) {
    let root = repo_path("fixtures/projects/motherduck-three-envs-broken");
    Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    })
}

#[test]
fn initialize_announces_sync_hover_and_utf16_by_default() {
    let (client, initialized) = start();
    let capabilities = &initialized["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(initialized["serverInfo"]["name"], "dbt-envlint");
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn shutdown_then_exit_ends_with_0_after_linting_every_file_kind() {
    let (mut client, _) = start();
    let root = repo_path("fixtures/projects/motherduck-three-envs-broken");
    for (file, code) in [
        (".env", "ENV308"),
        (".github/workflows/pr.yml", "ENV301"),
        (".github/workflows/nightly-cleanup.yml", "ENV306"),
    ] {
        let path = root.join(file);
        client.open(&path);
        let diagnostics = client.diagnostics_until(&path, |d| !d.is_empty());
        assert!(
            diagnostics.iter().any(|d| d["code"] == code),
            "{file}: {diagnostics:#?}"
        );
    }
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn requests_after_shutdown_are_refused() {
    let (mut client, _) = start();
    client.request("shutdown", serde_json::Value::Null);
    let refused = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///x" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(refused["code"], -32600, "{refused}");
    client.notify("exit", serde_json::Value::Null);
}

#[test]
fn a_closed_stdin_ends_the_server() {
    let (client, _) = start();
    assert_eq!(client.hang_up().code(), Some(1));
}

#[test]
fn unknown_requests_get_method_not_found() {
    let (mut client, _) = start();
    let answer = client.request("textDocument/definition", json!({}));
    assert_eq!(answer["code"], -32601, "{answer}");
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn exit_does_not_wait_for_a_lint_in_progress() {
    // `exit` waited for the lint of a large SQL file (14.8 s) before ending.
    let root = std::env::temp_dir().join(format!("envlint-lsp-exit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("setup")).expect("dir");
    let grants = "grant select on table analytics.marts.orders to role public;\n";
    std::fs::write(root.join("setup/grants.sql"), grants.repeat(120_000)).expect("write");
    let (client, _) = Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    });
    let started = std::time::Instant::now();
    assert_eq!(client.shutdown().code(), Some(0));
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&root);
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
}
