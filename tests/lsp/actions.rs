//! Code actions: a finding offers its rule's fixes and a suppression comment, and applying
//! either (as an editor would) makes the finding go away.

use std::path::Path;

use serde_json::{Value, json};

use crate::client::{Client, Setup, repo_path, uri};

const PROJECT: &str = "fixtures/projects/everyone-tests-in-prod";

/// Applies LSP text edits (line/character, ASCII text) the way an editor does.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap_or_default() as usize;
        let character = position["character"].as_u64().unwrap_or_default() as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        line_start + character
    };
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = text.to_owned();
    for (start, end, new) in ranges {
        out.replace_range(start..end, new);
    }
    out
}

/// The code actions the server offers for `diagnostic` of the file at `path`.
fn code_actions(client: &mut Client, path: &Path, diagnostic: &Value) -> Vec<Value> {
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(path) },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] },
        }),
    );
    response.as_array().cloned().unwrap_or_default()
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

#[test]
fn a_finding_offers_its_fix_and_a_suppression_and_both_clear_it() {
    let root = repo_path(PROJECT);
    let (mut client, init) = Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    });
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    let profiles = root.join("profiles.yml");
    let text = std::fs::read_to_string(&profiles).expect("fixture");
    client.open(&profiles);
    let diagnostics = client.diagnostics_until(&profiles, |d| codes(d).contains(&"ENV101"));
    let default_target = diagnostics
        .iter()
        .find(|d| d["code"] == "ENV101")
        .expect("ENV101")
        .clone();
    let actions = code_actions(&mut client, &profiles, &default_target);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "ENV101: make dev target `dev` the default",
            "ENV101: suppress with a comment"
        ]
    );
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(actions[0]["kind"], "quickfix");
    let edits_of = |action: &Value| action["edit"]["changes"][uri(&profiles)].clone();

    let fixed = apply(&text, edits_of(&actions[0]).as_array().expect("edits"));
    assert!(fixed.contains("target: dev"), "{fixed}");
    client.replace(&profiles, 2, &fixed);
    let after = client.diagnostics_of_version(&profiles, 2);
    assert!(!codes(&after).contains(&"ENV101"), "{after:?}");

    let suppressed = apply(&text, edits_of(&actions[1]).as_array().expect("edits"));
    assert!(
        suppressed.contains("  # envlint: ignore[ENV101]\n  target: prod"),
        "{suppressed}"
    );
    client.replace(&profiles, 3, &suppressed);
    let after = client.diagnostics_of_version(&profiles, 3);
    assert!(!codes(&after).contains(&"ENV101"), "{after:?}");
    assert!(!codes(&after).contains(&"ENV003"), "{after:?}");
}

#[test]
fn a_finding_in_a_setup_script_is_suppressed_with_an_sql_comment() {
    let root = repo_path(PROJECT);
    let (mut client, _) = Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    });
    let script = root.join("warehouse/grants.sql");
    let text = std::fs::read_to_string(&script).expect("fixture");
    client.open(&script);
    let diagnostics = client.diagnostics_until(&script, |d| codes(d).contains(&"ENV402"));
    let write_grant = diagnostics[0].clone();
    let actions = code_actions(&mut client, &script, &write_grant);
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "ENV402: suppress with a comment")
        .expect("a suppression action");
    let edits = suppress["edit"]["changes"][uri(&script)].clone();
    let suppressed = apply(&text, edits.as_array().expect("edits"));
    assert!(
        suppressed.contains("-- envlint: ignore[ENV402]\nGRANT ALL PRIVILEGES"),
        "{suppressed}"
    );
    client.replace(&script, 2, &suppressed);
    let after = client.diagnostics_of_version(&script, 2);
    assert_eq!(
        codes(&after),
        ["ENV402"],
        "only the other grant is left: {after:?}"
    );
}
