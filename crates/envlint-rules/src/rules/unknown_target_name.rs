//! ENV202 unknown-target-name: Jinja compares `target.name` with a name no target has.

use std::collections::BTreeSet;
use std::ops::Range;

use envlint_diagnostics::{FileId, Span};

use envlint_model::names::environment_named;
use crate::context::Context;
use envlint_model::policy::did_you_mean;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Finds every comparison of `target.name` with a string in the project's macros,
    /// models, `dbt_project.yml` and properties YAML (`target.name == 'prd'`,
    /// `'production' != target.name`, `target.name in ['prod', 'prd']`) and flags the
    /// strings that no target of the project's profile is called but that look like a slip
    /// for one: they name the same environment (`production` where the target is `prod`) or
    /// are a letter or two from a target's name (`prdo`). Other names are left alone: the
    /// targets of dbt Cloud, an orchestrator or a developer's `~/.dbt` are not in the
    /// repository (`default`, a `dev` the committed CI profile lacks). Comparisons inside
    /// YAML comments are not read.
    ///
    /// ## Why is this bad?
    /// Prod-only logic keyed on a target name that does not exist never runs: the
    /// custom-schema branch of `generate_schema_name` silently gives prod dev's schema
    /// names, or a "prod guard" never guards. A reviewer caught exactly `target.name ==
    /// "prd"` in dbt's own docs.
    ///
    /// ## Example
    /// ```sql
    /// {% if target.name == 'production' %}   -- the target is called `prod`
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// {% if target.name == 'prod' %}
    /// ```
    pub struct UnknownTargetName;
    code = "ENV202", name = "unknown-target-name", severity = Warning,
    summary = "Jinja compares `target.name` with a name no target has",
    needs_resolution = true,
}

impl UnknownTargetName {
    fn run(&self, cx: &mut Context<'_>) {
        let resolution = cx.resolution;
        let mut reported = BTreeSet::new();
        for project in &resolution.projects {
            // A profile written twice (a developer sample and CI's copy) has the targets of both.
            let names: Vec<&str> = cx
                .repo
                .profiles
                .iter()
                .filter(|f| cx.repo.same_root(f.file, project.project.file))
                .flat_map(|f| f.profiles.iter())
                .filter(|p| p.name == project.profile.name)
                .flat_map(|p| p.targets.iter().map(|t| t.name.as_str()))
                .collect();
            if names.is_empty() {
                continue;
            }
            let project = project.project;
            let mut files: BTreeSet<FileId> = BTreeSet::from([project.file]);
            files.extend(project.macros.iter().map(|m| m.file));
            files.extend(project.nodes.iter().filter_map(|n| n.file));
            files.extend(project.properties.iter().map(|p| p.file));
            for file in files {
                let text = &cx.repo.db.get(file).text;
                let yaml = is_yaml(cx.repo.db.path(file));
                for (name, range) in compared_names(text) {
                    let span = Span::new(file, range.start, range.end);
                    if names.contains(&name.as_str())
                        || (yaml && in_yaml_comment(text, range.start))
                        || !reported.insert(span)
                    {
                        continue;
                    }
                    let Some(meant) = meant_target(&name, &names) else {
                        continue;
                    };
                    let help = format!("did you mean `{meant}`?");
                    let diag = cx
                        .diagnostic(
                            format!("no target is named `{name}`"),
                            span,
                            "never equal to `target.name`",
                        )
                        .with_help(help);
                    cx.report(diag);
                }
            }
        }
    }
}

/// The defined target a name is probably a slip for: the one a letter or two away, else the
/// one naming the same environment.
fn meant_target<'n>(name: &str, names: &[&'n str]) -> Option<&'n str> {
    if let Some(close) = did_you_mean(name, names.iter().copied()) {
        return names.iter().copied().find(|n| *n == close);
    }
    let env = environment_named(name)?;
    names
        .iter()
        .copied()
        .find(|n| environment_named(n) == Some(env))
}

fn is_yaml(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// Whether `at` is inside a `#` comment line of YAML.
fn in_yaml_comment(text: &str, at: usize) -> bool {
    let line_start = envlint_diagnostics::lines::line_start(text, at);
    text[line_start..at].trim_start().starts_with('#')
}

/// The string literals compared with `target.name` in a text, with their ranges (quotes
/// included).
fn compared_names(text: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("target.name") {
        let after = &text[at + "target.name".len()..];
        let rest = after.trim_start();
        if let Some(rhs) = rest.strip_prefix("==").or_else(|| rest.strip_prefix("!=")) {
            found.extend(string_at(text, text.len() - rhs.trim_start().len()));
        } else if let Some(list) = rest.strip_prefix("in ") {
            found.extend(string_list_at(text, text.len() - list.trim_start().len()));
        }
        let before = text[..at].trim_end();
        if let Some(lhs) = before
            .strip_suffix("==")
            .or_else(|| before.strip_suffix("!="))
        {
            let lhs = lhs.trim_end();
            if let Some(quote) = lhs.chars().last().filter(|c| *c == '\'' || *c == '"')
                && let Some(open) = lhs[..lhs.len() - 1].rfind(quote)
            {
                found.extend(string_at(text, open));
            }
        }
    }
    found
}

/// A quoted string starting at `start`.
fn string_at(text: &str, start: usize) -> Option<(String, Range<usize>)> {
    let quote = text[start..]
        .chars()
        .next()
        .filter(|c| *c == '\'' || *c == '"')?;
    let close = text[start + 1..].find(quote)?;
    let value = &text[start + 1..start + 1 + close];
    (!value.contains('\n')).then(|| (value.to_owned(), start..start + close + 2))
}

/// `['a', "b"]` or `('a', 'b')` starting at `start`.
fn string_list_at(text: &str, start: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let Some(open) = text[start..]
        .chars()
        .next()
        .filter(|c| *c == '[' || *c == '(')
    else {
        return out;
    };
    let close = if open == '[' { ']' } else { ')' };
    let Some(end) = text[start..].find(close).map(|e| start + e) else {
        return out;
    };
    let mut at = start + 1;
    while at < end {
        let Some(quote) = text[at..end].find(['\'', '"']).map(|q| at + q) else {
            break;
        };
        match string_at(text, quote) {
            Some((value, range)) => {
                at = range.end;
                out.push((value, range));
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::compared_names;

    #[test]
    fn finds_compared_strings_on_either_side_and_in_lists() {
        let text = "{% if target.name == 'prd' %}{% elif \"ci\" != target.name %}{% if target.name in ['dev', 'local'] %}{{ target.name }}";
        let names: Vec<String> = compared_names(text).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["prd", "ci", "dev", "local"]);
        let (_, range) = &compared_names(text)[0];
        assert_eq!(&text[range.clone()], "'prd'");
    }
}
