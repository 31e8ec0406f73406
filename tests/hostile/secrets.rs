//! Secrets planted in every shape the linter reads, next to findings so snippets show
//! their lines: no output of any command, format or the language server may carry one.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::Repo;

#[allow(dead_code)]
#[path = "../lsp/client.rs"]
mod client;

/// Every planted value starts with this; none may be printed.
const PLANTED: &str = "PLANTED-";

fn planted_repo(name: &str) -> Repo {
    let repo = Repo::new(name);
    repo.write(
        "healthy/profiles.yml",
        "healthy:\n  target: prod\n  outputs:\n    prod:\n      type: duckdb\n      path: \"md:w?motherduck_token=PLANTED-md-path\"\n      jwt_token: PLANTED-jwt-token\n      password: \"{{ 'PLANTED-concat' ~ env_var('PW_SUFFIX') }}\"\n      schema: main\n    dual:\n      type: postgres\n      host: db.acme.internal\n      user: me\n      password: PLANTED-dual-value\n      dbname: analytics\n      schema: PLANTED-dual-value\n",
    );
    repo.write(
        "healthy/dbt_project.yml",
        "name: healthy\nprofile: healthy\nmodels:\n  +post-hook: \"ALTER USER u IDENTIFIED BY 'PLANTED-hook'; grant select on {{ this }} to role public\"\n",
    );
    repo.write(
        "healthy/macros/setup.sql",
        "{% macro setup() %}\n{% set token = 'PLANTED-jinja-set' %}\n{% do run_query(\"CREATE USER u PASSWORD 'PLANTED-run-query'\") %}\n{% do run_query('ALTER USER v PASSWORD \\'PLANTED-escaped\\'') %}\ngrant insert on all tables in schema main to role public;\n{% endmacro %}\n",
    );
    repo.write(
        "warehouse/setup.sql",
        "CREATE USER loader PASSWORD = 'PLANTED-create-user';\nCREATE USER other PASSWORD 'PLANTED-create-user-2';\nALTER USER loader IDENTIFIED BY 'PLANTED-alter-user';\nCREATE SECRET s3 (TYPE s3, KEY_ID 'PLANTED-key-id', SECRET 'PLANTED-duck-secret');\nATTACH 'md:?motherduck_token=PLANTED-attach';\ngrant insert on all tables in schema main to role public;\n",
    );
    repo.write(
        ".github/workflows/ci.yml",
        "on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          export MOTHERDUCK_TOKEN=PLANTED-export\n          dbt build --target prod\n",
    );
    repo.write(
        "broken/profiles.yml",
        "broken:\n  target: prod\n  outputs:\n    prod:\n      password: PLANTED-unparseable\n      passwords:\n        - PLANTED-list-item\n\tschema: [\n",
    );
    repo.write("envlint.yml", "api_token: PLANTED-policy-key\n");
    repo
}

fn run(repo: &Repo, args: &[&str]) -> String {
    let (_, stdout, stderr) = repo.outcome(args);
    stdout + &stderr
}

fn assert_no_secret(what: &str, output: &str) {
    assert!(
        !output.contains(PLANTED),
        "{what} prints a secret:\n{output}"
    );
}

#[test]
fn no_format_or_command_prints_a_planted_secret() {
    let repo = planted_repo("secrets-cli");
    let json = run(&repo, &["--format", "json", "."]);
    for code in ["ENV001", "ENV002", "ENV101"] {
        assert!(
            json.contains(code),
            "{code} expected next to the secrets: {json}"
        );
    }
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        assert_no_secret(format, &run(&repo, &["--format", format, "."]));
    }
    for args in [
        &["explain", "."][..],
        &["explain", "--format", "json", "."],
        &["explain", "--grants", "."],
        &["explain", "--grants", "--format", "json", "."],
        &["explain", "--credentials", "."],
        &["explain", "--credentials", "--format", "json", "."],
        &["explain", "--target", "dual", "--node", "orders", "."],
        &["--diff", "--unsafe-fixes", "."],
        &["--fix", "--unsafe-fixes", "."],
    ] {
        assert_no_secret(&args.join(" "), &run(&repo, args));
    }
}

#[test]
fn the_language_server_never_sends_a_planted_secret() {
    let repo = planted_repo("secrets-lsp");
    let (mut server, _) = client::Client::start(&client::Setup {
        root: &repo.root,
        encodings: None,
        home: None,
    });
    let mut sent = Vec::new();
    for file in [
        "healthy/profiles.yml",
        "warehouse/setup.sql",
        "broken/profiles.yml",
    ] {
        let path = repo.root.join(file);
        server.open(&path);
        let diagnostics = server.diagnostics_until(&path, |d| !d.is_empty());
        for diagnostic in &diagnostics {
            sent.push(requests(&mut server, &path, diagnostic));
        }
        sent.push(json!(diagnostics));
    }
    assert_no_secret("the language server", &Value::Array(sent).to_string());
}

/// What the server answers for one finding: the hover and the code actions.
fn requests(server: &mut client::Client, path: &Path, diagnostic: &Value) -> Value {
    let document = json!({ "uri": client::uri(path) });
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": document, "position": diagnostic["range"]["start"] }),
    );
    let actions = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": document,
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] },
        }),
    );
    json!([hover, actions])
}
