//! What in a profiles file dbt would refuse by its shape: `outputs` that is no mapping of
//! targets, a target that is no mapping of settings. Each is an ENV001, said as dbt says it.

use std::ops::Range;

use crate::yaml::{Node, Value};

/// The shape problems of a profiles document, each with where it is and what dbt says.
/// Top-level entries without `outputs` (`config:`, anchors to merge) are not profiles and
/// are left alone.
pub fn shape_problems(root: &Node) -> Vec<(Range<usize>, String)> {
    let mut problems = Vec::new();
    for (profile, node) in root.entries() {
        let Some((key, outputs)) = node.entry("outputs") else {
            continue;
        };
        if !outputs.is_map() {
            let at = if matches!(outputs.value, Value::Null) {
                key.span.clone()
            } else {
                outputs.span.clone()
            };
            problems.push((
                at,
                format!(
                    "outputs of profile `{}` invalid: expected a mapping of targets, found {}",
                    profile.text,
                    kind(outputs)
                ),
            ));
            continue;
        }
        for (target, settings) in outputs.entries() {
            if !settings.is_map() {
                let at = if matches!(settings.value, Value::Null) {
                    target.span.clone()
                } else {
                    settings.span.clone()
                };
                problems.push((
                    at,
                    format!(
                        "Credentials in profile `{}`, target `{}` invalid: expected a mapping \
                         of settings (`type:`, `schema:`, ...), found {}",
                        profile.text,
                        target.text,
                        kind(settings)
                    ),
                ));
            }
        }
    }
    problems
}

/// What a node is, in YAML's words (never its value: it may be a secret).
fn kind(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::Str(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let root = crate::yaml::parse(text).expect("yaml");
        shape_problems(&root).into_iter().map(|(_, m)| m).collect()
    }

    #[test]
    fn outputs_and_targets_of_the_wrong_shape_are_problems() {
        assert_eq!(
            problems("p:\n  outputs: ~\n"),
            ["outputs of profile `p` invalid: expected a mapping of targets, found nothing (null)"]
        );
        let found = problems("p:\n  outputs:\n    dev: [1, 2]\n    ci: {type: duckdb}\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("Credentials in profile `p`, target `dev` invalid"));
        assert!(found[0].ends_with("found a list"));
    }

    #[test]
    fn entries_that_are_not_profiles_are_left_alone() {
        assert!(problems("config:\n  send_anonymous_usage_stats: false\nx: &x 1\n").is_empty());
        assert!(problems("p:\n  target: dev\n  outputs:\n    dev: {type: duckdb}\n").is_empty());
    }
}
