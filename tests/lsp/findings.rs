//! What a user sees on opening the broken example: the findings, where they point, the
//! related locations in other places, the rule link and the rule docs on hover.

use serde_json::{Value, json};

use crate::client::{Client, Setup, codes_and_lines, repo_path, uri};

const PROJECT: &str = "fixtures/projects/everyone-tests-in-prod";

fn start() -> Client {
    let root = repo_path(PROJECT);
    let (client, _) = Client::start(&Setup {
        root: &root,
        encodings: None,
        home: None,
    });
    client
}

fn finding<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

#[test]
fn opening_profiles_shows_every_finding_with_its_related_locations() {
    let mut client = start();
    let profiles = repo_path(PROJECT).join("profiles.yml");
    client.open(&profiles);
    let diagnostics = client.diagnostics_until(&profiles, |d| !d.is_empty());
    assert_eq!(
        codes_and_lines(&diagnostics),
        [
            ("ENV101".to_owned(), 3),
            ("ENV102".to_owned(), 17),
            ("ENV106".to_owned(), 17),
            ("ENV107".to_owned(), 9),
            ("ENV109".to_owned(), 9),
        ]
    );
    let default_target = finding(&diagnostics, "ENV101");
    assert_eq!(
        default_target["range"],
        json!({ "start": { "line": 2, "character": 10 }, "end": { "line": 2, "character": 14 } })
    );
    assert_eq!(default_target["severity"], 1);
    assert_eq!(default_target["source"], "dbt-envlint");
    assert!(
        default_target["codeDescription"]["href"]
            .as_str()
            .is_some_and(|href| href.ends_with("docs/rules/ENV101.md")),
        "{default_target:#}"
    );
    let shared = finding(&diagnostics, "ENV109");
    let related = &shared["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri(&profiles));
    assert_eq!(related["location"]["range"]["start"]["line"], 15);
    assert_eq!(related["message"], "also used by dev target `dev`");
    let writes_prod = finding(&diagnostics, "ENV106");
    let places: Vec<(u64, &str)> = writes_prod["relatedInformation"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let line = r["location"]["range"]["start"]["line"]
                .as_u64()
                .unwrap_or_default();
            (line, r["message"].as_str().unwrap_or_default())
        })
        .collect();
    assert!(places.contains(&(10, "prod writes here")), "{places:?}");
    let text = serde_json::to_string(&diagnostics).unwrap_or_default();
    assert!(!text.contains("Sup3rS3cret"), "a secret reached the client");
}

#[test]
fn files_that_are_not_open_get_their_findings_too() {
    let mut client = start();
    let macro_file = repo_path(PROJECT).join("macros/limit_in_dev.sql");
    let diagnostics = client.diagnostics_until(&macro_file, |d| !d.is_empty());
    assert_eq!(codes_and_lines(&diagnostics), [("ENV202".to_owned(), 3)]);
    assert_eq!(diagnostics[0]["severity"], 2, "a warning");
}

#[test]
fn hovering_a_finding_shows_its_rule_documentation() {
    let mut client = start();
    let profiles = repo_path(PROJECT).join("profiles.yml");
    client.open(&profiles);
    client.diagnostics_until(&profiles, |d| !d.is_empty());
    let hover = |client: &mut Client, line: u32, character: u32| {
        client.request(
            "textDocument/hover",
            json!({
                "textDocument": { "uri": uri(&profiles) },
                "position": { "line": line, "character": character },
            }),
        )
    };
    let on_target = hover(&mut client, 2, 12);
    let text = on_target["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("ENV101 `default-target-prod`"), "{text}");
    assert!(text.contains("## Why is this bad?"), "{text}");
    assert_eq!(
        on_target["range"]["start"],
        json!({ "line": 2, "character": 10 })
    );
    let on_secret = hover(&mut client, 8, 20);
    let text = on_secret["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.contains("ENV107") && text.contains("ENV109"),
        "both findings on the password: {text}"
    );
    assert_eq!(
        hover(&mut client, 0, 0),
        Value::Null,
        "no finding, no hover"
    );
}

#[test]
fn an_open_user_profiles_file_is_linted_until_it_is_closed() {
    let home = repo_path("tests/data/user-home");
    let root = repo_path("tests/data/user-project");
    let (mut client, _) = Client::start(&Setup {
        root: &root,
        encodings: None,
        home: Some(&home),
    });
    let profiles = home.join(".dbt/profiles.yml");
    client.open(&profiles);
    let diagnostics = client.diagnostics_until(&profiles, |d| !d.is_empty());
    assert_eq!(
        codes_and_lines(&diagnostics),
        [("ENV101".to_owned(), 4), ("ENV109".to_owned(), 8)],
        "only the profile the project uses, as with --user-profiles"
    );
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri(&profiles) } }),
    );
    client.diagnostics_until(&profiles, <[Value]>::is_empty);
}
