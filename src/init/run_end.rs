//! The `on-run-end` hook `init --scaffold` adds to `dbt_project.yml` on warehouses that keep
//! no schema modification time, so that each build records its dev schemas for the nightly
//! cleanup. The file is only edited when the result provably keeps every existing hook.

use envlint_parser::yaml::{self, Node, Value};

/// The hook, as an item of the `on-run-end:` list.
pub(crate) const HOOK: &str = "{{ envlint_record_build(results) }}";

/// What to do with a `dbt_project.yml`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wiring {
    /// The hook is there already.
    Present,
    /// The new text: the old one with the hook appended to `on-run-end:` (added if absent).
    Edited(String),
    /// `on-run-end:` has a form this cannot extend safely: the user adds the hook.
    ByHand,
}

/// How `text` (a `dbt_project.yml`) gets the hook.
pub(crate) fn wire(text: &str) -> Wiring {
    let Ok(before) = yaml::parse(text) else {
        return Wiring::ByHand;
    };
    let hooked = |node: &Node| {
        node.as_str()
            .is_some_and(|hook| hook.contains("envlint_record_build("))
    };
    match before.get("on-run-end") {
        Some(Node {
            value: Value::Seq(items),
            ..
        }) if items.iter().any(hooked) => return Wiring::Present,
        Some(hook) if hooked(hook) => return Wiring::Present,
        _ => {}
    }
    let edited = match before.get("on-run-end").map(|n| &n.value) {
        None if before.is_map() => {
            let mut out = text.to_owned();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!(
                "# Records each build's dev schemas for the nightly cleanup (dbt-envlint init --scaffold).\non-run-end:\n  - \"{HOOK}\"\n"
            ));
            out
        }
        Some(Value::Seq(items)) if !items.is_empty() => match append_item(text, items) {
            Some(out) => out,
            None => return Wiring::ByHand,
        },
        _ => return Wiring::ByHand,
    };
    if keeps_everything(&before, &edited) {
        Wiring::Edited(edited)
    } else {
        Wiring::ByHand
    }
}

/// `text` with the hook as a new item after the last of the block sequence `items`, at the
/// first item's indentation; `None` when the list is not a block sequence.
fn append_item(text: &str, items: &[Node]) -> Option<String> {
    let first = items.first()?.span.start;
    let line_start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..first];
    let indent = lead.strip_suffix("- ")?;
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    // The list goes on while lines are items at that indentation, deeper lines, blank lines
    // or comments; the hook goes after its last content line.
    let mut end = line_start;
    let mut at = line_start;
    for line in text[line_start..].split_inclusive('\n') {
        let body = line.trim_end();
        let deeper = body.len() - body.trim_start().len() > indent.len();
        let item = body
            .strip_prefix(indent)
            .is_some_and(|rest| rest.starts_with('-'));
        at += line.len();
        if body.trim_start().is_empty() || body.trim_start().starts_with('#') {
            continue;
        }
        if !(deeper || item) {
            break;
        }
        end = at;
    }
    let mut out = text[..end].to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("{indent}- \"{HOOK}\"\n"));
    out.push_str(&text[end..]);
    Some(out)
}

/// Whether `edited` parses to `before` with the hook appended to `on-run-end:` and nothing
/// else changed.
fn keeps_everything(before: &Node, edited: &str) -> bool {
    let Ok(after) = yaml::parse(edited) else {
        return false;
    };
    let hooks = |node: &Node| match node.get("on-run-end").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().map(shape).collect(),
        _ => Vec::new(),
    };
    let others = |node: &Node| -> Vec<(String, String)> {
        node.entries()
            .iter()
            .filter(|(k, _)| k.text != "on-run-end")
            .map(|(k, v)| (k.text.clone(), shape(v)))
            .collect()
    };
    let mut expected = hooks(before);
    expected.push(shape(&Node {
        value: Value::Str(HOOK.to_owned()),
        span: 0..0,
        defined: None,
    }));
    hooks(&after) == expected && others(&after) == others(before)
}

/// A node's value without its spans, to compare two parses.
fn shape(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(shape).collect::<Vec<_>>().join(",")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{:?}:{}", k.text, shape(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        scalar => format!("{scalar:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{HOOK, Wiring, wire};

    fn edited(text: &str) -> String {
        match wire(text) {
            Wiring::Edited(out) => out,
            other => panic!("not edited: {other:?}"),
        }
    }

    #[test]
    fn adds_the_hook_when_there_is_none() {
        let out = edited("name: shop\nprofile: shop");
        assert!(
            out.starts_with("name: shop\nprofile: shop\n# Records"),
            "{out}"
        );
        assert!(
            out.ends_with(&format!("on-run-end:\n  - \"{HOOK}\"\n")),
            "{out}"
        );
    }

    #[test]
    fn appends_to_a_block_list_and_keeps_every_hook() {
        let text = "name: shop\non-run-end:\n    - \"grant usage on schema {{ target.schema }} to role reporter\"\n    - sql: |\n        select 1\n      transaction: false\nmodels:\n  shop:\n    +materialized: view\n";
        let out = edited(text);
        assert!(
            out.contains(&format!(
                "      transaction: false\n    - \"{HOOK}\"\nmodels:\n"
            )),
            "{out}"
        );
    }

    #[test]
    fn appends_to_a_list_at_the_key_s_indentation() {
        let out = edited("on-run-end:\n- \"select 1\"\n# the marts\nmodels: {}\n");
        assert_eq!(
            out,
            format!("on-run-end:\n- \"select 1\"\n- \"{HOOK}\"\n# the marts\nmodels: {{}}\n")
        );
    }

    #[test]
    fn leaves_forms_it_cannot_extend_to_the_user() {
        for text in [
            "name: shop\non-run-end: \"grant select on all tables to role reporter\"\n",
            "name: shop\non-run-end: [\"select 1\"]\n",
            "name: shop\non-run-end: []\n",
            "[not, a, mapping]\n",
            "name: shop\n  bad: indentation\n",
        ] {
            assert_eq!(wire(text), Wiring::ByHand, "{text}");
        }
    }

    #[test]
    fn a_second_run_changes_nothing() {
        assert_eq!(wire(&edited("name: shop\n")), Wiring::Present);
        let single = format!("on-run-end: \"{HOOK}\"\n");
        assert_eq!(wire(&single), Wiring::Present);
        // Named in a comment only, it is still added.
        assert!(matches!(
            wire("# envlint_record_build(results) some day\nname: shop\n"),
            Wiring::Edited(_)
        ));
    }
}
