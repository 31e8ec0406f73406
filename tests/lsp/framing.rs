//! Malformed framing from a client: a body that is not JSON is answered with a JSON-RPC
//! parse error and the session goes on; an absurd `Content-Length` ends it cleanly.

use serde_json::Value;

use crate::client::{Client, Setup, repo_path};

fn start() -> Client {
    let root = repo_path("fixtures/projects/motherduck-three-envs-broken");
    Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    })
    .0
}

#[test]
fn a_body_that_is_not_json_is_a_parse_error_and_the_session_goes_on() {
    // It ended the server with exit 2.
    let mut client = start();
    client.send_raw(b"Content-Length: 10\r\n\r\n{not json}");
    let error = std::iter::from_fn(|| client.next_message())
        .find(|m| m.get("error").is_some())
        .expect("an error response");
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_eq!(error["id"], Value::Null, "{error}");
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn an_absurd_content_length_is_refused_without_an_abort() {
    // Allocating 999,999,999,999,999 bytes for a 2-byte body aborted the process.
    let mut client = start();
    client.send_raw(b"Content-Length: 999999999999999\r\n\r\n{}");
    let status = client.hang_up();
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
    assert_ne!(status.code(), Some(134));
}

#[test]
fn a_file_system_root_as_workspace_is_not_walked() {
    // `file:///` as the workspace walked the whole file system (1.3 GB), then panicked.
    let (client, initialized) = Client::start(&Setup {
        root: std::path::Path::new("/"),
        encodings: None,
        home: None,
    });
    assert_eq!(initialized["serverInfo"]["name"], "dbt-envlint");
    let started = std::time::Instant::now();
    assert_eq!(client.shutdown().code(), Some(0));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
