//! `dbt-envlint report` through the real binary: all three formats for every example
//! project, colour, a repository without a profile, and the same report from `check`.

mod common;

use common::{BROKEN, CLEAN, Scratch, run};

const PROJECTS: &[&str] = &[
    "everyone-tests-in-prod",
    "motherduck-three-envs",
    "motherduck-three-envs-broken",
    "suppressed-and-fixable",
    "three-envs-snowflake",
    "dbt-cloud-no-profile",
];

fn report(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn every_example_project_in_every_format() {
    for project in PROJECTS {
        let path = format!("fixtures/projects/{project}");
        for format in ["human", "markdown", "json"] {
            let text = report(&["--format", format, &path]);
            if format == "json" {
                let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
                assert_eq!(json["version"], 1);
            }
            insta::assert_snapshot!(format!("report_{project}_{format}"), text);
        }
    }
}

/// Every cell's status in a project's JSON report: (environment, aspect, status, codes).
fn cells(path: &str) -> Vec<(String, String, String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&report(&["--format", "json", path])).expect("valid JSON");
    let mut out = Vec::new();
    for section in json["sections"].as_array().expect("sections") {
        for row in section["environments"].as_array().expect("rows") {
            for cell in row["cells"].as_array().expect("cells") {
                out.push((
                    row["environment"].as_str().unwrap_or_default().to_owned(),
                    cell["aspect"].as_str().unwrap_or_default().to_owned(),
                    cell["status"].as_str().unwrap_or_default().to_owned(),
                    cell["codes"].to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn the_broken_example_fails_with_the_codes_behind_each_cell() {
    let cells = cells(BROKEN);
    let status = |env: &str, aspect: &str| {
        cells
            .iter()
            .find(|c| c.0 == env && c.1 == aspect)
            .map(|c| (c.2.clone(), c.3.clone()))
    };
    assert_eq!(
        status("dev", "location"),
        Some(("fail".to_owned(), r#"["ENV106","ENV203"]"#.to_owned()))
    );
    // Dev inherits prod's literal password through `<<: *prod`: the finding is dev's too.
    assert_eq!(
        status("dev", "credential"),
        Some(("fail".to_owned(), r#"["ENV107"]"#.to_owned()))
    );
    assert_eq!(
        status("prod", "grants"),
        Some(("fail".to_owned(), r#"["ENV402"]"#.to_owned()))
    );
    // No CI target: nothing about CI is claimed either way.
    assert_eq!(
        status("ci", "location").map(|s| s.0),
        Some("unknown".to_owned())
    );
    // Every failing cell names its findings.
    assert!(cells.iter().filter(|c| c.2 == "fail").all(|c| c.3 != "[]"));
}

#[test]
fn the_motherduck_example_is_all_ok() {
    let cells = cells(CLEAN);
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|c| c.2 == "ok"), "{cells:?}");
}

#[test]
fn without_a_profile_the_report_says_what_was_not_checked() {
    let cells = cells("fixtures/projects/dbt-cloud-no-profile");
    let targets = cells.iter().filter(|c| c.1 == "targets");
    assert!(targets.clone().count() == 3 && targets.into_iter().all(|c| c.2 == "not checked"));
    let text = report(&["fixtures/projects/dbt-cloud-no-profile"]);
    assert!(text.contains("no committed profiles.yml"), "{text}");
    assert!(
        text.contains("no CI or orchestrator job runs dbt"),
        "{text}"
    );
}

/// A workflow that lints or releases something else leaves teardown and cleanup unchecked;
/// one that builds pull requests with dbt has them checked.
#[test]
fn teardown_is_checked_only_when_a_job_runs_dbt() {
    let scratch = Scratch::new("report-runs-dbt");
    for file in ["dbt_project.yml", "profiles.yml"] {
        let text = std::fs::read_to_string(format!("{CLEAN}/{file}")).expect("example file");
        scratch.write(file, &text);
    }
    let workflow = |run: &str| {
        format!(
            "on: pull_request\njobs:\n  pr:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"
        )
    };
    scratch.write(".github/workflows/pr.yml", &workflow("ruff check ."));
    let teardown = |scratch: &Scratch| {
        let out = scratch.run(".", &["report", "--format", "json", "."]);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
        json["sections"][0]["environments"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|row| row["environment"] == "ci")
            .and_then(|row| row["cells"].as_array())
            .and_then(|cells| cells.iter().find(|c| c["aspect"] == "teardown").cloned())
            .expect("a CI teardown cell")
    };
    let unchecked = teardown(&scratch);
    assert_eq!(unchecked["status"], "not checked", "{unchecked}");
    scratch.write(
        ".github/workflows/pr.yml",
        &workflow("dbt build --target ci"),
    );
    let checked = teardown(&scratch);
    assert_ne!(checked["status"], "not checked", "{checked}");
}

#[test]
fn broken_cells_are_red_with_color_always_and_plain_otherwise() {
    let coloured = report(&["--color", "always", BROKEN]);
    assert!(coloured.contains("\x1b[1;31mfail"), "{coloured}");
    assert!(coloured.contains("\x1b[32mok"), "{coloured}");
    // The tests' stdout is a pipe: `auto` is plain.
    assert!(!report(&[BROKEN]).contains('\x1b'));
}

#[test]
fn the_mermaid_diagram_draws_each_breach_red() {
    let text = report(&["--format", "markdown", BROKEN]);
    let diagram = text
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a mermaid block");
    let edges: Vec<&str> = diagram
        .lines()
        .filter(|l| l.contains("-->") || l.contains(".->"))
        .collect();
    let red: Vec<usize> = diagram
        .lines()
        .find_map(|l| l.trim().strip_prefix("linkStyle "))
        .and_then(|l| l.split(' ').next())
        .map(|ids| ids.split(',').filter_map(|i| i.parse().ok()).collect())
        .unwrap_or_default();
    let breaches: Vec<usize> = (0..edges.len())
        .filter(|&i| edges[i].contains("ENV"))
        .collect();
    assert!(!breaches.is_empty());
    assert_eq!(red, breaches, "{diagram}");
}

#[test]
fn check_appends_the_same_markdown_report_from_its_own_run() {
    let scratch = Scratch::new("report-summary");
    let summary = scratch.root.join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let shown = summary.display().to_string();
    let out = run(&[
        "check",
        "--format",
        "concise",
        "--report-markdown",
        &shown,
        CLEAN,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(&summary).expect("read");
    let expected = format!("earlier step\n{}", report(&["--format", "markdown", CLEAN]));
    assert_eq!(written, expected);
}
