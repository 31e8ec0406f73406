//! The objects a template sees: the root context, stubs for everything unknown, and the
//! recording `config` object of model files.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Weak};

use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Value};
use minijinja::{Error, State};

use super::recorder::{RECORDER, Recorder};

/// The root context: the recorder, named values, and a stub for every unknown name except
/// the environment's own globals (functions and filters registered by `dbt`).
#[derive(Debug)]
pub(crate) struct Root {
    pub(crate) recorder: Arc<Recorder>,
    pub(crate) values: BTreeMap<&'static str, Value>,
    pub(crate) globals: Arc<Vec<String>>,
}

impl Object for Root {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        if name == RECORDER {
            return Some(self.recorder.value());
        }
        if let Some(value) = self.values.get(name) {
            return Some(value.clone());
        }
        if self.globals.iter().any(|g| g == name) {
            return None;
        }
        Some(Stub::value(&self.recorder, name.to_owned()))
    }
}

/// Anything we do not model: attribute access, calls and methods give further stubs; it
/// renders as an opaque placeholder and is false in conditions. It holds the recorder
/// weakly: a stub kept in what the recorder records must not keep the recorder alive.
#[derive(Debug)]
pub(crate) struct Stub {
    recorder: Weak<Recorder>,
    name: String,
}

impl Stub {
    pub(crate) fn value(recorder: &Arc<Recorder>, name: String) -> Value {
        Self::from_weak(Arc::downgrade(recorder), name)
    }

    fn from_weak(recorder: Weak<Recorder>, name: String) -> Value {
        Value::from_object(Self { recorder, name })
    }

    fn child(&self, name: String) -> Value {
        Self::from_weak(self.recorder.clone(), name)
    }
}

impl Object for Stub {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Iterable
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Empty
    }

    fn is_true(self: &Arc<Self>) -> bool {
        false
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(self.child(format!("{}.{key}", self.name)))
    }

    fn call(self: &Arc<Self>, _: &mut State<'_, '_>, _: &[Value]) -> Result<Value, Error> {
        Ok(self.child(format!("{}(...)", self.name)))
    }

    fn call_method(
        self: &Arc<Self>,
        _: &mut State<'_, '_>,
        method: &str,
        _: &[Value],
    ) -> Result<Value, Error> {
        Ok(self.child(format!("{}.{method}(...)", self.name)))
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.recorder.upgrade() {
            Some(recorder) => f.write_str(&recorder.opaque(self.name.clone())),
            None => Ok(()),
        }
    }
}

/// dbt's `config` in model files: calls record their keyword arguments (or a dict);
/// `config.get(key, default)` answers the default.
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) recorder: Weak<Recorder>,
}

impl Object for Config {
    fn call(self: &Arc<Self>, _: &mut State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        let mut recorded = Vec::new();
        for arg in args {
            if let Ok(kwargs) = Kwargs::try_from(arg.clone()) {
                for key in kwargs.args() {
                    recorded.push((
                        key.to_owned(),
                        kwargs.peek::<Value>(key).unwrap_or_default(),
                    ));
                }
            } else if let Ok(items) = arg.try_iter() {
                for key in items {
                    if let Some(name) = key.as_str() {
                        recorded.push((name.to_owned(), arg.get_item(&key).unwrap_or_default()));
                    }
                }
            }
        }
        if let Some(recorder) = self.recorder.upgrade() {
            recorder.record_config(recorded);
        }
        Ok(Value::from(""))
    }

    fn call_method(
        self: &Arc<Self>,
        _: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "get" | "require" => Ok(args.get(1).cloned().unwrap_or(Value::from(()))),
            _ => Ok(Stub::from_weak(
                self.recorder.clone(),
                format!("config.{method}(...)"),
            )),
        }
    }
}
