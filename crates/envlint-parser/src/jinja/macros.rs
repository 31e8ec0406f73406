//! A project's naming macros (`generate_schema_name` & co.), called like dbt calls them.

use std::collections::BTreeMap;

use minijinja::value::Value;
use minijinja::{Environment, ErrorKind};

use super::config::{ConfigValue, config_value};
use super::recorder::Recorder;
use super::{JinjaError, Scope, dbt};
use crate::symbolic::SymStr;

/// An argument of a naming macro.
#[derive(Clone, Debug)]
pub enum MacroArg {
    None,
    Str(SymStr),
    Node(NodeContext),
}

/// The `node` a naming macro receives.
#[derive(Clone, Debug, Default)]
pub struct NodeContext {
    pub name: String,
    pub unique_id: String,
    pub resource_type: String,
    pub package_name: String,
    pub original_file_path: String,
    pub path: String,
    pub fqn: Vec<String>,
    /// `node.config`: the resolved `schema`, `database`, `alias` (and other configs).
    pub config: Vec<(String, Option<SymStr>)>,
}

/// The macro files of a project that define naming macros, compiled once.
pub struct MacroSet {
    env: Environment<'static>,
    /// Macro name -> template (file) that defines it.
    defined: BTreeMap<String, String>,
}

impl std::fmt::Debug for MacroSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MacroSet")
            .field("defined", &self.defined)
            .finish()
    }
}

impl MacroSet {
    /// Compiles the files (`name`, `source`, macro names it defines). Files that do not
    /// compile are returned with their error and left out.
    pub fn new(files: Vec<(String, String, Vec<String>)>) -> (Self, Vec<(String, JinjaError)>) {
        let mut env = Environment::new();
        dbt::configure(&mut env);
        let mut defined = BTreeMap::new();
        let mut errors = Vec::new();
        for (name, source, macros) in files {
            match env.add_template_owned(name.clone(), super::config::blank_tags(&source)) {
                Ok(()) => {
                    for macro_name in macros {
                        defined.entry(macro_name).or_insert_with(|| name.clone());
                    }
                }
                Err(err) => errors.push((
                    name,
                    JinjaError {
                        message: err.detail().unwrap_or("invalid Jinja").to_owned(),
                        span: err.range().unwrap_or(0..0),
                    },
                )),
            }
        }
        (Self { env, defined }, errors)
    }

    pub fn defines(&self, macro_name: &str) -> bool {
        self.defined.contains_key(macro_name)
    }

    /// Calls a macro for one target. The result is what it returns (or renders, trimmed).
    /// `Err` says why it could not be evaluated.
    pub fn call(
        &self,
        macro_name: &str,
        args: &[MacroArg],
        scope: &Scope,
    ) -> Result<ConfigValue, String> {
        let template_name = self
            .defined
            .get(macro_name)
            .ok_or_else(|| format!("`{macro_name}` is not defined"))?;
        let template = self
            .env
            .get_template(template_name)
            .map_err(|e| e.to_string())?;
        let recorder = Recorder::new();
        let root = scope.root(&recorder, &self.env, Vec::new());
        let values: Vec<Value> = args.iter().map(|arg| arg_value(&recorder, arg)).collect();
        let rendered = template
            .render_captured(root)
            .map_err(describe)
            .and_then(|mut captured| {
                captured.with_state_mut(|state| {
                    let callee = state
                        .lookup(macro_name)
                        .ok_or_else(|| format!("`{macro_name}` is not a macro"))?;
                    callee.call(state, &values).map_err(describe)
                })
            });
        // Always take what was recorded: a recorded stub holds the recorder (a cycle).
        let returned = recorder.take_return();
        recorder.clear();
        let rendered = rendered?;
        let result = returned.unwrap_or_else(|| {
            Value::from(
                rendered
                    .as_str()
                    .map_or_else(|| rendered.to_string(), |s| s.trim().to_owned()),
            )
        });
        Ok(match config_value(&recorder, &result) {
            ConfigValue::Str(text) => ConfigValue::Str(text.trimmed()),
            other => other,
        })
    }
}

fn describe(err: minijinja::Error) -> String {
    match err.kind() {
        ErrorKind::OutOfFuel => "it runs too long".to_owned(),
        _ => err.detail().map_or_else(|| err.to_string(), str::to_owned),
    }
}

fn arg_value(recorder: &Recorder, arg: &MacroArg) -> Value {
    match arg {
        MacroArg::None => Value::from(()),
        MacroArg::Str(text) => Value::from(recorder.encode(text)),
        MacroArg::Node(node) => {
            let config: BTreeMap<String, Value> = node
                .config
                .iter()
                .map(|(k, v)| {
                    let value = v
                        .as_ref()
                        .map_or(Value::from(()), |v| Value::from(recorder.encode(v)));
                    (k.clone(), value)
                })
                .collect();
            let mut map: BTreeMap<&str, Value> = BTreeMap::new();
            map.insert("name", Value::from(node.name.clone()));
            map.insert("unique_id", Value::from(node.unique_id.clone()));
            map.insert("resource_type", Value::from(node.resource_type.clone()));
            map.insert("package_name", Value::from(node.package_name.clone()));
            map.insert(
                "original_file_path",
                Value::from(node.original_file_path.clone()),
            );
            map.insert("path", Value::from(node.path.clone()));
            map.insert("fqn", Value::from(node.fqn.clone()));
            map.insert("config", Value::from(config));
            map.insert("version", Value::from(()));
            Value::from(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jinja::TargetContext;

    fn scope(name: &str) -> Scope {
        Scope {
            target: Some(TargetContext {
                name: name.to_owned(),
                schema: SymStr {
                    parts: vec![
                        crate::symbolic::Part::Lit {
                            text: "dev_".into(),
                            span: 0..0,
                        },
                        crate::symbolic::Part::Env(crate::symbolic::EnvRef {
                            name: "USER".into(),
                            default: None,
                            span: 0..0,
                        }),
                    ],
                    span: 0..0,
                },
                database: SymStr::literal("analytics", 0..0),
                adapter: "duckdb".to_owned(),
                profile_name: "p".to_owned(),
            }),
        }
    }

    const OVERRIDE: &str = "{% macro generate_schema_name(custom_schema_name, node) -%}\n  {%- if target.name == 'prod' and custom_schema_name is not none -%}\n    {{ custom_schema_name | trim }}\n  {%- else -%}\n    {{ target.schema }}\n  {%- endif -%}\n{%- endmacro %}\n";

    fn call(set: &MacroSet, target: &str, custom: Option<&str>) -> String {
        let arg = custom.map_or(MacroArg::None, |c| MacroArg::Str(SymStr::literal(c, 0..0)));
        match set.call(
            "generate_schema_name",
            &[arg, MacroArg::Node(NodeContext::default())],
            &scope(target),
        ) {
            Ok(ConfigValue::Str(text)) => text.to_string(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn evaluates_an_override_per_target_with_symbolic_schema() {
        let (set, errors) = MacroSet::new(vec![(
            "macros/s.sql".into(),
            OVERRIDE.into(),
            vec!["generate_schema_name".into()],
        )]);
        assert!(errors.is_empty());
        assert_eq!(call(&set, "prod", Some("marts")), "marts");
        assert_eq!(call(&set, "dev", Some("marts")), "dev_${USER}");
    }

    #[test]
    fn return_and_builtins_work() {
        let source = "{% macro generate_schema_name(custom_schema_name, node) %}{{ return(generate_schema_name_for_env(custom_schema_name, node)) }}{% endmacro %}";
        let (set, _) = MacroSet::new(vec![(
            "m.sql".into(),
            source.into(),
            vec!["generate_schema_name".into()],
        )]);
        assert_eq!(call(&set, "prod", Some("marts")), "marts");
        assert_eq!(call(&set, "ci", Some("marts")), "dev_${USER}");
    }

    #[test]
    fn unknown_helpers_become_opaque() {
        let source = "{% macro generate_schema_name(custom_schema_name, node) %}{{ my_helper(custom_schema_name) }}{% endmacro %}";
        let (set, _) = MacroSet::new(vec![(
            "m.sql".into(),
            source.into(),
            vec!["generate_schema_name".into()],
        )]);
        let arg = MacroArg::Str(SymStr::literal("x", 0..0));
        let Ok(ConfigValue::Str(text)) = set.call(
            "generate_schema_name",
            &[arg, MacroArg::None],
            &scope("dev"),
        ) else {
            panic!("evaluates");
        };
        assert!(text.has_opaque());
    }
}
