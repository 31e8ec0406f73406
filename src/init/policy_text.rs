//! The `envlint.yml` that `init` writes: the repository's targets in the contract's terms,
//! every choice commented.

use std::fmt::Write as _;

use envlint_model::policy::SCHEMA_URL;

use super::survey::{Survey, TargetFacts};

pub(crate) fn render(survey: &Survey) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={SCHEMA_URL}");
    out.push_str(
        "# The environment contract of this repository, checked by dbt-envlint.\n\
         # Written by `dbt-envlint init` from the targets it found; adjust it and commit it.\n",
    );
    let adapter = survey.adapter.as_deref().unwrap_or("unknown");
    let _ = writeln!(
        out,
        "extends: {}    # adapter `{adapter}`: recommended | motherduck | strict",
        survey.preset()
    );
    if let Some(profile) = &survey.profile {
        let _ = writeln!(out, "profile: {profile}");
    }
    out.push_str("environments:\n");
    environment(
        &mut out,
        "dev",
        &survey.dev,
        "\"dev_{user}\"",
        "a per-person schema",
    );
    environment(&mut out, "ci", &survey.ci, "\"pr_{pr}\"", "a per-PR schema");
    prod(&mut out, &survey.prod, &survey.shared_credential_vars);
    if !survey.unclassified.is_empty() {
        let _ = writeln!(
            out,
            "# Not sorted into an environment by name: {}. List each under `targets:`.",
            survey.unclassified.join(", ")
        );
    }
    out.push_str(
        "cleanup:               # how old a dev or PR schema may get before the nightly job drops it\n  dev: 30d\n  ci: 7d\n",
    );
    out
}

fn environment(out: &mut String, name: &str, targets: &[TargetFacts], pattern: &str, what: &str) {
    let _ = writeln!(out, "  {name}:");
    targets_line(out, targets);
    let _ = writeln!(
        out,
        "    # schema: {pattern}    # uncomment to require {what} (ENV104)"
    );
}

/// Prod's targets, its schema when every prod target writes the same literal one, and the
/// secrets only prod reads (a variable other targets read too is each machine's own).
fn prod(out: &mut String, targets: &[TargetFacts], shared: &[String]) {
    out.push_str("  prod:\n");
    targets_line(out, targets);
    let mut schemas: Vec<Option<&str>> = targets.iter().map(|t| t.schema.as_deref()).collect();
    schemas.dedup();
    if let [Some(schema)] = schemas.as_slice() {
        let _ = writeln!(out, "    schema: {schema}");
    }
    let mut credentials: Vec<&str> = targets
        .iter()
        .flat_map(|t| t.credential_vars.iter().map(String::as_str))
        .collect();
    credentials.sort_unstable();
    credentials.dedup();
    let (read_elsewhere, own): (Vec<&str>, Vec<&str>) = credentials
        .into_iter()
        .partition(|var| shared.iter().any(|s| s == var));
    if !own.is_empty() {
        let _ = writeln!(
            out,
            "    credentials: [{}]    # secrets only prod may use",
            own.join(", ")
        );
    }
    if !read_elsewhere.is_empty() {
        let _ = writeln!(
            out,
            "    # not in `credentials:`: {} (other targets read it too; give prod a secret of its own)",
            read_elsewhere.join(", ")
        );
    }
    out.push_str("    deploy-branch: main    # the branch whose pushes deploy prod\n");
}

fn targets_line(out: &mut String, targets: &[TargetFacts]) {
    if targets.is_empty() {
        out.push_str("    # no target found: add one to the profile (ENV110)\n");
    } else {
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        let _ = writeln!(out, "    targets: [{}]", names.join(", "));
    }
}
