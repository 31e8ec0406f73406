//! dbt's Jinja context as far as dbt-envlint models it: `env_var`, `var`, `return`, the
//! casting filters and the default naming macros.

use std::sync::{Arc, OnceLock};

use minijinja::value::Value;
use minijinja::{Environment, State};

use super::recorder::{RECORDER, Recorder};

/// Instruction budget for one render, so a hostile template cannot hang the run.
const FUEL: u64 = 200_000;

/// Registers dbt's functions and filters on an environment.
pub(crate) fn configure(env: &mut Environment<'_>) {
    env.set_fuel(Some(FUEL));
    // Python string methods (`.split()`, `.upper()`, `.startswith()`) as dbt's Jinja has them.
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_function("env_var", env_var);
    env.add_function("var", var);
    env.add_function("return", return_value);
    env.add_function("default__generate_schema_name", default_schema_name);
    env.add_function("generate_schema_name_for_env", schema_name_for_env);
    env.add_function("default__generate_database_name", default_database_name);
    env.add_function("default__generate_alias_name", default_alias_name);
    for cast in [
        "as_text",
        "as_native",
        "as_bool",
        "as_number",
        "int",
        "float",
    ] {
        env.add_filter(cast, pass_through);
    }
}

/// The shared environment for values (YAML scalars, model files).
pub(crate) fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        configure(&mut env);
        env
    })
}

/// Names the root context must not shadow with stubs.
pub(crate) fn globals(env: &Environment<'_>) -> Arc<Vec<String>> {
    Arc::new(env.globals().map(|(name, _)| name.to_owned()).collect())
}

pub(crate) fn recorder(state: &State<'_, '_>) -> Option<Arc<Recorder>> {
    state
        .lookup(RECORDER)
        .and_then(|value| value.downcast_object::<Recorder>())
}

fn env_var(state: &State<'_, '_>, name: String, default: Option<Value>) -> Value {
    let Some(recorder) = recorder(state) else {
        return Value::UNDEFINED;
    };
    recorder.env(name, default.map(|d| d.to_string()))
}

fn var(state: &State<'_, '_>, name: String, default: Option<Value>) -> Value {
    match (default, recorder(state)) {
        (Some(default), _) => default,
        (None, Some(recorder)) => Value::from(recorder.opaque(format!("var('{name}')"))),
        (None, None) => Value::UNDEFINED,
    }
}

/// `{{ return(x) }}`: the macro's result is `x` (dbt stops there; the branches of the naming
/// macros we evaluate each end with their `return`).
fn return_value(state: &State<'_, '_>, value: Option<Value>) -> Value {
    if let Some(recorder) = recorder(state) {
        recorder.set_return(value.unwrap_or_default());
    }
    Value::from("")
}

/// dbt's casting filters keep a placeholder as it is, and cast real text where they can.
fn pass_through(value: Value) -> Value {
    if let Some(Ok(n)) = value.as_str().map(|text| text.trim().parse::<i64>()) {
        return Value::from(n);
    }
    value
}

fn target_attr(state: &State<'_, '_>, name: &str) -> Value {
    state
        .lookup("target")
        .and_then(|t| t.get_attr(name).ok())
        .unwrap_or_default()
}

fn is_given(value: &Value) -> bool {
    !value.is_none() && !value.is_undefined()
}

fn trimmed(value: &Value) -> String {
    value.to_string().trim().to_owned()
}

/// dbt's `default__generate_schema_name`: `<target.schema>_<custom>`, or the target schema.
fn default_schema_name(
    state: &State<'_, '_>,
    custom: Option<Value>,
    _node: Option<Value>,
) -> Value {
    let schema = target_attr(state, "schema");
    match custom.filter(is_given) {
        Some(custom) => Value::from(format!("{schema}_{}", trimmed(&custom))),
        None => schema,
    }
}

/// dbt's `generate_schema_name_for_env`: the bare custom schema in prod, else the target's.
fn schema_name_for_env(
    state: &State<'_, '_>,
    custom: Option<Value>,
    _node: Option<Value>,
) -> Value {
    let is_prod = target_attr(state, "name").as_str() == Some("prod");
    match custom.filter(is_given) {
        Some(custom) if is_prod => Value::from(trimmed(&custom)),
        _ => target_attr(state, "schema"),
    }
}

fn default_database_name(
    state: &State<'_, '_>,
    custom: Option<Value>,
    _node: Option<Value>,
) -> Value {
    match custom.filter(is_given) {
        Some(custom) => Value::from(trimmed(&custom)),
        None => target_attr(state, "database"),
    }
}

fn default_alias_name(_state: &State<'_, '_>, custom: Option<Value>, node: Option<Value>) -> Value {
    match custom.filter(is_given) {
        Some(custom) => Value::from(trimmed(&custom)),
        None => node
            .and_then(|n| n.get_attr("name").ok())
            .unwrap_or_default(),
    }
}
