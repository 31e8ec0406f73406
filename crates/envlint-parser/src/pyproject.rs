//! The policy in `pyproject.toml`'s `[tool.dbt-envlint]` table, as the same spanned tree an
//! `envlint.yml` gives, so that the policy reader points into the TOML at exact places.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::yaml::{Key, Node, Value};

/// The file name that may hold a policy table.
pub const PYPROJECT: &str = "pyproject.toml";

/// The `[tool.dbt-envlint]` table of a `pyproject.toml`, if it has one; an error (where,
/// why) when the file is not TOML.
pub fn policy_table(text: &str) -> Result<Option<Node>, (Range<usize>, String)> {
    let document = DeTable::parse(text).map_err(|error| {
        let at = error.span().unwrap_or(0..0);
        (at, format!("invalid TOML: {}", error.message().trim_end()))
    })?;
    let table = document
        .get_ref()
        .get("tool")
        .and_then(|tool| tool.get_ref().get("dbt-envlint"));
    Ok(table.map(|table| node(table.get_ref(), table.span())))
}

/// Whether `text` holds the tool's policy: a `[tool.dbt-envlint]` table, or a file that is
/// not TOML but names `tool.dbt-envlint` (its policy is then reported as unusable rather than
/// silently replaced by the default one).
pub fn has_policy_table(text: &str) -> bool {
    // Most pyproject.toml files never mention the tool: no need to parse them.
    if !text.contains("dbt-envlint") {
        return false;
    }
    match policy_table(text) {
        Ok(table) => table.is_some(),
        Err(_) => text.contains("tool.dbt-envlint"),
    }
}

fn node(value: &DeValue<'_>, span: Range<usize>) -> Node {
    let value = match value {
        DeValue::String(text) => Value::Str(text.to_string()),
        DeValue::Integer(integer) => {
            let digits = integer.as_str().replace('_', "");
            match i64::from_str_radix(&digits, integer.radix()) {
                Ok(number) => Value::Int(number),
                Err(_) => Value::Str(integer.as_str().to_owned()),
            }
        }
        DeValue::Float(float) => match float.as_str().replace('_', "").parse() {
            Ok(number) => Value::Float(number),
            Err(_) => Value::Str(float.as_str().to_owned()),
        },
        DeValue::Boolean(flag) => Value::Bool(*flag),
        DeValue::Datetime(datetime) => Value::Str(datetime.to_string()),
        DeValue::Array(items) => Value::Seq(
            items
                .iter()
                .map(|item| node(item.get_ref(), item.span()))
                .collect(),
        ),
        DeValue::Table(table) => Value::Map(entries(table)),
    };
    Node {
        value,
        span,
        defined: None,
    }
}

fn entries(table: &DeTable<'_>) -> Vec<(Key, Node)> {
    table
        .iter()
        .map(|(key, value)| {
            let key = Key {
                text: key.get_ref().to_string(),
                span: key.span(),
            };
            (key, node(value.get_ref(), value.span()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_keeps_the_spans_of_its_keys_and_values() {
        let text = "[project]\nname = \"x\"\n\n[tool.dbt-envlint]\npreset = \"strict\"\n";
        let table = policy_table(text).expect("TOML").expect("table");
        let (key, value) = table.entry("preset").expect("preset");
        assert_eq!(&text[key.span.clone()], "preset");
        assert_eq!(&text[value.span.clone()], "\"strict\"");
        assert_eq!(value.as_str(), Some("strict"));
    }

    #[test]
    fn nested_tables_and_arrays_become_maps_and_sequences() {
        let text = "[tool.dbt-envlint.environments.dev]\ntargets = [\"dev\", \"local\"]\n";
        let table = policy_table(text).expect("TOML").expect("table");
        let targets = table
            .get("environments")
            .and_then(|e| e.get("dev"))
            .and_then(|d| d.get("targets"))
            .expect("targets");
        assert!(matches!(&targets.value, Value::Seq(items) if items.len() == 2));
    }

    #[test]
    fn files_without_the_table_or_not_toml() {
        assert!(!has_policy_table("[tool.ruff]\nline-length = 100\n"));
        assert!(!has_policy_table("dependencies = [\"dbt-envlint\"\n"));
        assert!(has_policy_table("[tool.dbt-envlint\n"), "broken, but ours");
        let (at, message) = policy_table("[tool.dbt-envlint\n").expect_err("not TOML");
        assert!(message.starts_with("invalid TOML"), "{message}");
        assert!(at.start <= 18, "{at:?}");
    }
}
