//! The README's examples are real: every ```text block that opens with one
//! `$ dbt-envlint ...` command is run and must print what it shows, line for line; a `...`
//! line stands for lines the README leaves out.

mod common;

use common::envlint;

/// The examples: the command's arguments and the output the README shows for it.
fn examples(readme: &str) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    for block in readme.split("```text\n").skip(1) {
        let body = block.split("```").next().unwrap_or_default();
        let mut lines = body.lines();
        let Some(args) = lines.next().and_then(|l| l.strip_prefix("$ dbt-envlint ")) else {
            continue;
        };
        let output: Vec<&str> = lines.collect();
        if output.iter().any(|l| l.starts_with("$ ")) {
            continue; // a session of several commands (`init`), run by tests/init.rs
        }
        let args: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
        found.push((args, output.join("\n") + "\n"));
    }
    found
}

/// Whether `printed` is `shown` where `...` lines may stand for any number of lines.
fn shows(shown: &str, printed: &str) -> bool {
    let printed: Vec<&str> = printed.trim_end().lines().collect();
    let shown = format!("\n{}\n", shown.trim_end());
    let parts: Vec<Vec<&str>> = shown
        .split("\n...\n")
        .map(|part| part.trim_matches('\n').lines().collect())
        .collect();
    let (first, last) = (parts.first(), parts.last());
    if parts.len() == 1 {
        return first.is_some_and(|only| *only == printed);
    }
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        let found = (at..=printed.len().saturating_sub(part.len()))
            .find(|&start| printed[start..].starts_with(part));
        match found {
            Some(start) if i > 0 || start == 0 => at = start + part.len(),
            _ => return false,
        }
    }
    last.is_some_and(|part| printed.ends_with(part))
}

#[test]
fn every_readme_command_prints_what_the_readme_shows() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let examples = examples(&readme);
    assert!(
        examples.len() >= 6,
        "the examples were not found: {}",
        examples.len()
    );
    let mut stale = Vec::new();
    for (args, shown) in &examples {
        let output = envlint().args(args).output().expect("runs");
        let printed = String::from_utf8_lossy(&output.stdout);
        if !shows(shown, &printed) {
            stale.push(format!(
                "$ dbt-envlint {}\n--- README\n{shown}--- printed\n{printed}",
                args.join(" ")
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "stale README examples:\n{}",
        stale.join("\n")
    );
}
