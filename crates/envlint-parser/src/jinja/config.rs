//! `config(...)` calls in model, seed and snapshot files, evaluated for one target.

use std::sync::Arc;

use minijinja::ErrorKind;
use minijinja::value::Value;

use super::objects::Config;
use super::recorder::Recorder;
use super::{JinjaError, Scope, dbt};
use crate::symbolic::SymStr;

/// Block tags dbt adds to Jinja that minijinja does not know; blanked before parsing.
const DBT_BLOCK_TAGS: &[&str] = &[
    "snapshot",
    "endsnapshot",
    "test",
    "endtest",
    "materialization",
    "endmaterialization",
    "docs",
    "enddocs",
];

/// A configured value.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    /// `none`: explicitly unset.
    None,
    /// A string, possibly with environment references.
    Str(SymStr),
    /// Anything else (numbers, lists, ...), as text.
    Other(String),
}

/// The merged keyword arguments of every `config()` call a file makes for one target.
pub type InFileConfig = Vec<(String, ConfigValue)>;

/// Renders a model file for one target and returns what its `config()` calls set. Files
/// without `config` are not rendered. A syntax error is returned; anything else that stops
/// the render keeps what was recorded up to there.
pub fn render_configs(source: &str, scope: &Scope) -> Result<InFileConfig, JinjaError> {
    if !source.contains("config") {
        return Ok(Vec::new());
    }
    let source = blank_tags(source);
    let env = dbt::environment();
    let recorder = Recorder::new();
    let config = Value::from_object(Config {
        recorder: Arc::downgrade(&recorder),
    });
    let root = scope.root(&recorder, env, vec![("config", config)]);
    let rendered = env.template_from_str(&source).and_then(|t| t.render(root));
    // Taken before any return: a recorded stub holds the recorder (a cycle).
    let calls = recorder.take_configs();
    recorder.clear();
    if let Err(err) = rendered
        && err.kind() == ErrorKind::SyntaxError
    {
        return Err(JinjaError {
            message: err.detail().unwrap_or("invalid Jinja").to_owned(),
            span: err.range().unwrap_or(0..0),
        });
    }
    let mut merged: InFileConfig = Vec::new();
    for call in calls {
        for (key, value) in call {
            let value = config_value(&recorder, &value);
            match merged.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => merged.push((key, value)),
            }
        }
    }
    Ok(merged)
}

pub(crate) fn config_value(recorder: &Recorder, value: &Value) -> ConfigValue {
    if value.is_none() || value.is_undefined() {
        return ConfigValue::None;
    }
    match value.as_str() {
        Some(text) => ConfigValue::Str(recorder.decode(text, &(0..0), &|_, _| 0..0)),
        // An unknown object (a stub such as `adapter.dispatch(...)(...)`) renders as a
        // placeholder: decode it, or the placeholder character would pass for text.
        None if value.as_object().is_some() && !value.is_kwargs() => {
            ConfigValue::Str(recorder.decode(&value.to_string(), &(0..0), &|_, _| 0..0))
        }
        None => ConfigValue::Other(value.to_string()),
    }
}

/// Replaces `{% snapshot x %}`-style tags with spaces of the same length, so offsets hold.
pub(crate) fn blank_tags(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find("{%") {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        // The closing `%}` comes after the opening `{%` (`{%}` is not a tag).
        let Some(close) = tag[2..].find("%}").map(|at| at + 2) else {
            out.push_str(tag);
            return out;
        };
        let inner = tag[2..close].trim_start_matches('-').trim();
        let keyword = inner.split_whitespace().next().unwrap_or("");
        let whole = &tag[..close + 2];
        if DBT_BLOCK_TAGS.contains(&keyword) {
            out.extend(whole.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        } else {
            out.push_str(whole);
        }
        rest = &tag[close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jinja::TargetContext;

    fn scope(name: &str) -> Scope {
        Scope {
            target: Some(TargetContext {
                name: name.to_owned(),
                schema: SymStr::literal("dbt_alice", 0..0),
                database: SymStr::literal("dev", 0..0),
                adapter: "duckdb".to_owned(),
                profile_name: "p".to_owned(),
            }),
        }
    }

    fn get<'a>(config: &'a InFileConfig, key: &str) -> Option<&'a ConfigValue> {
        config.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    #[test]
    fn records_config_per_target() {
        let sql = "{{ config(schema=('marts' if target.name == 'prod' else none), alias='fct') }}\nselect * from {{ ref('x') }}";
        let prod = render_configs(sql, &scope("prod")).expect("renders");
        assert_eq!(
            get(&prod, "schema"),
            Some(&ConfigValue::Str(SymStr::literal("marts", 0..0)))
        );
        let dev = render_configs(sql, &scope("dev")).expect("renders");
        assert_eq!(get(&dev, "schema"), Some(&ConfigValue::None));
        assert_eq!(
            get(&dev, "alias")
                .and_then(|v| match v {
                    ConfigValue::Str(s) => s.as_literal(),
                    _ => None,
                })
                .as_deref(),
            Some("fct")
        );
    }

    #[test]
    fn snapshot_blocks_and_unknown_macros_render() {
        let sql = "{% snapshot orders_snapshot %}\n{{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols='all') }}\nselect {{ dbt_utils.star(from=source('a', 'b')) }} from {{ source('a', 'b') }}\n{% endsnapshot %}";
        let config = render_configs(sql, &scope("dev")).expect("renders");
        assert!(get(&config, "target_schema").is_some());
    }

    #[test]
    fn dict_form_and_env_vars() {
        let sql = "{{ config({'schema': env_var('MART_SCHEMA', 'marts')}) }}";
        let config = render_configs(sql, &scope("dev")).expect("renders");
        let Some(ConfigValue::Str(schema)) = get(&config, "schema") else {
            panic!("schema recorded: {config:?}");
        };
        assert_eq!(schema.to_string(), "${MART_SCHEMA:-marts}");
    }
}
