//! Editing unsaved buffers: fixes clear findings in every file they affect, bursts of edits
//! end in the right state, and columns follow the negotiated encoding.

use std::path::Path;

use serde_json::{Value, json};

use crate::client::{Client, Setup, codes_and_lines, repo_path, uri};

const PROJECT: &str = "fixtures/projects/everyone-tests-in-prod";

fn start(encodings: Option<&[&str]>) -> (Client, Value) {
    let root = repo_path(PROJECT);
    Client::start(&Setup {
        root: &root,
        encodings,
        home: None,
    })
}

fn fixed_profiles() -> String {
    std::fs::read_to_string(repo_path("tests/data/lsp/fixed-profiles.yml")).unwrap_or_default()
}

#[test]
fn fixing_profiles_clears_it_and_the_macro_finding_it_caused() {
    let (mut client, _) = start(None);
    let profiles = repo_path(PROJECT).join("profiles.yml");
    let macro_file = repo_path(PROJECT).join("macros/limit_in_dev.sql");
    client.open(&profiles);
    client.diagnostics_until(&profiles, |d| !d.is_empty());
    client.diagnostics_until(&macro_file, |d| !d.is_empty());
    // The fix also renames `prod` to `production`, the name the macro compares with.
    client.replace(&profiles, 2, &fixed_profiles());
    client.diagnostics_until(&profiles, <[Value]>::is_empty);
    client.diagnostics_until(&macro_file, <[Value]>::is_empty);
    // Back to the file on disk: the findings return.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri(&profiles) } }),
    );
    let back = client.diagnostics_until(&profiles, |d| !d.is_empty());
    assert_eq!(back.len(), 5);
}

#[test]
fn two_hundred_rapid_edits_end_in_the_final_state() {
    let (mut client, _) = start(None);
    let profiles = repo_path(PROJECT).join("profiles.yml");
    let broken = std::fs::read_to_string(&profiles).unwrap_or_default();
    let fixed = fixed_profiles();
    client.open(&profiles);
    for version in 2..=201 {
        let text = if version % 2 == 0 { &fixed } else { &broken };
        client.replace(&profiles, version, text);
    }
    // The loop answers while the worker lints.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&profiles) }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(
        hover.is_null() || hover.get("contents").is_some(),
        "{hover}"
    );
    // Version 201 is the broken text.
    let last = client.diagnostics_of_version(&profiles, 201);
    assert_eq!(last.len(), 5);
    assert_eq!(codes_and_lines(&last)[0], ("ENV101".to_owned(), 3));
    client.replace(&profiles, 202, &fixed);
    client.diagnostics_until(&profiles, <[Value]>::is_empty);
    assert_eq!(client.shutdown().code(), Some(0));
}

/// `target: prod` on a line that starts with non-ASCII text: `Zoë 🔑` is 6 bytes longer in
/// UTF-8 than in characters, and one unit longer in UTF-16 (the key is a surrogate pair).
const FLOW_PROFILES: &str = "jaffle_shop: {owner: \"Zoë 🔑\", target: prod, outputs: {prod: {type: duckdb, path: \"md:shop\", schema: main}}}\n";

fn column_of(pattern: &str, unit: fn(&str) -> usize) -> u64 {
    let at = FLOW_PROFILES.find(pattern).unwrap_or_default() + pattern.len();
    u64::try_from(unit(&FLOW_PROFILES[..at])).unwrap_or_default()
}

fn default_target_column(client: &mut Client, profiles: &Path) -> u64 {
    client.open_text(profiles, FLOW_PROFILES);
    let diagnostics =
        client.diagnostics_until(profiles, |d| d.iter().any(|d| d["code"] == "ENV101"));
    let finding = diagnostics.iter().find(|d| d["code"] == "ENV101");
    finding.map_or(0, |d| {
        d["range"]["start"]["character"]
            .as_u64()
            .unwrap_or_default()
    })
}

#[test]
fn columns_are_utf8_bytes_when_the_client_offers_utf8() {
    let (mut client, initialized) = start(Some(&["utf-8", "utf-16"]));
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-8");
    let profiles = repo_path(PROJECT).join("profiles.yml");
    let column = default_target_column(&mut client, &profiles);
    assert_eq!(column, column_of("target: ", str::len));
}

#[test]
fn columns_are_utf16_units_otherwise_and_incremental_edits_use_them() {
    let (mut client, initialized) = start(Some(&["utf-16"]));
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-16");
    let profiles = repo_path(PROJECT).join("profiles.yml");
    let column = default_target_column(&mut client, &profiles);
    let utf16 = |text: &str| text.encode_utf16().count();
    assert_eq!(column, column_of("target: ", utf16));
    assert_ne!(column, column_of("target: ", str::len));
    // Replace `prod` (4 units from that column) with `dev`: the default target is fixed.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri(&profiles), "version": 2 },
            "contentChanges": [{
                "range": {
                    "start": { "line": 0, "character": column },
                    "end": { "line": 0, "character": column + 4 },
                },
                "text": "dev",
            }],
        }),
    );
    client.diagnostics_until(&profiles, |d| d.iter().all(|d| d["code"] != "ENV101"));
}

#[test]
fn a_typo_in_the_open_policy_is_flagged_and_cleared_as_it_is_typed() {
    let root = repo_path("fixtures/projects/motherduck-three-envs-broken");
    let (mut client, _) = Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    });
    let policy = root.join("envlint.yml");
    let text = std::fs::read_to_string(&policy).unwrap_or_default();
    client.open(&policy);
    client.diagnostics_of_version(&policy, 1);
    client.replace(&policy, 2, &text.replace("cleanup:", "cleanpu:"));
    let flagged = client.diagnostics_of_version(&policy, 2);
    assert_eq!(codes_and_lines(&flagged), [("ENV002".to_owned(), 15)]);
    client.replace(&policy, 3, &text);
    assert_eq!(
        client.diagnostics_of_version(&policy, 3),
        Vec::<Value>::new()
    );
}

#[test]
fn a_model_config_typed_into_an_unsaved_model_is_flagged() {
    let (mut client, _) = start(None);
    let model = repo_path(PROJECT).join("models/stg_orders.sql");
    let text = std::fs::read_to_string(&model).unwrap_or_default();
    client.open(&model);
    assert_eq!(
        client.diagnostics_of_version(&model, 1),
        Vec::<Value>::new()
    );
    let pinned = format!("{{{{ config(database='ANALYTICS') }}}}\n{text}");
    client.replace(&model, 2, &pinned);
    let flagged = client.diagnostics_of_version(&model, 2);
    assert_eq!(codes_and_lines(&flagged), [("ENV204".to_owned(), 1)]);
}
