//! Placeholders: symbolic values travel through minijinja as private-use characters that
//! index what a render recorded, and come back out as [`SymStr`] parts.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use minijinja::value::{Object, Value};

use crate::symbolic::{EnvRef, Part, SymStr};

const ENV_BASE: u32 = 0xF_0000;
const OPAQUE_BASE: u32 = 0x10_0000;
const SLOTS: u32 = 0xFFFD;
/// The context name under which a render's recorder is reachable from functions.
pub(crate) const RECORDER: &str = "__envlint_recorder";

#[derive(Debug, Clone)]
enum Recorded {
    Env {
        name: String,
        default: Option<String>,
    },
    Opaque(String),
}

/// What one render recorded: environment references, opaque parts, `return()` values and
/// `config()` calls.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    items: Mutex<Vec<Recorded>>,
    returned: Mutex<Option<Value>>,
    configs: Mutex<Vec<Vec<(String, Value)>>>,
}

impl Object for Recorder {}

impl Recorder {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub(crate) fn value(self: &Arc<Self>) -> Value {
        Value::from_dyn_object(Arc::clone(self))
    }

    fn slot(&self, item: Recorded) -> String {
        let Ok(mut items) = self.items.lock() else {
            return String::new();
        };
        let index = u32::try_from(items.len()).unwrap_or(SLOTS).min(SLOTS - 1);
        let base = match item {
            Recorded::Env { .. } => ENV_BASE,
            Recorded::Opaque(_) => OPAQUE_BASE,
        };
        items.push(item);
        char::from_u32(base + index).map_or_else(String::new, |c| c.to_string())
    }

    pub(crate) fn env(&self, name: String, default: Option<String>) -> Value {
        Value::from(self.slot(Recorded::Env { name, default }))
    }

    pub(crate) fn opaque(&self, text: String) -> String {
        self.slot(Recorded::Opaque(text))
    }

    /// The placeholder text for a symbolic value, so it can flow through a render.
    pub(crate) fn encode(&self, value: &SymStr) -> String {
        let mut out = String::new();
        for part in &value.parts {
            match part {
                Part::Lit { text, .. } => out.push_str(text),
                Part::Env(env) => {
                    let default = env.default.as_ref().map(|d| self.encode(d));
                    out.push_str(&self.slot(Recorded::Env {
                        name: env.name.clone(),
                        default,
                    }));
                }
                Part::Opaque { text, .. } => {
                    out.push_str(&self.slot(Recorded::Opaque(text.clone())))
                }
            }
        }
        out
    }

    /// Drops what the render recorded besides placeholders (a value that holds the recorder
    /// itself would otherwise keep it alive). Call when a render is done.
    pub(crate) fn clear(&self) {
        drop(self.take_return());
        drop(self.take_configs());
    }

    pub(crate) fn set_return(&self, value: Value) {
        if let Ok(mut returned) = self.returned.lock() {
            *returned = Some(value);
        }
    }

    pub(crate) fn take_return(&self) -> Option<Value> {
        self.returned.lock().ok()?.take()
    }

    pub(crate) fn record_config(&self, kwargs: Vec<(String, Value)>) {
        if let Ok(mut configs) = self.configs.lock() {
            configs.push(kwargs);
        }
    }

    pub(crate) fn take_configs(&self) -> Vec<Vec<(String, Value)>> {
        self.configs
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default()
    }

    fn get(&self, code: u32) -> Option<Recorded> {
        let index = if (ENV_BASE..ENV_BASE + SLOTS).contains(&code) {
            code - ENV_BASE
        } else if (OPAQUE_BASE..OPAQUE_BASE + SLOTS).contains(&code) {
            code - OPAQUE_BASE
        } else {
            return None;
        };
        let item = self.items.lock().ok()?.get(index as usize)?.clone();
        let matches = matches!(
            (&item, code >= OPAQUE_BASE),
            (Recorded::Env { .. }, false) | (Recorded::Opaque(_), true)
        );
        matches.then_some(item)
    }

    /// Splits rendered text into parts; `span_of` gives the file span of the character at a
    /// byte offset of `output`.
    pub(crate) fn decode(
        &self,
        output: &str,
        whole: &Range<usize>,
        span_of: &dyn Fn(usize, char) -> Range<usize>,
    ) -> SymStr {
        let mut parts: Vec<Part> = Vec::new();
        for (at, ch) in output.char_indices() {
            let span = span_of(at, ch);
            match self.get(u32::from(ch)) {
                Some(Recorded::Env { name, default }) => {
                    let default = default.map(|d| {
                        let inner = span.clone();
                        self.decode(&d, &inner, &|_, _| inner.clone())
                    });
                    parts.push(Part::Env(EnvRef {
                        name,
                        default,
                        span,
                    }));
                }
                Some(Recorded::Opaque(text)) => parts.push(Part::Opaque { text, span }),
                None => push_literal(&mut parts, ch, span),
            }
        }
        SymStr {
            parts,
            span: whole.clone(),
        }
    }
}

fn push_literal(parts: &mut Vec<Part>, ch: char, span: Range<usize>) {
    if let Some(Part::Lit {
        text,
        span: previous,
    }) = parts.last_mut()
    {
        text.push(ch);
        previous.start = previous.start.min(span.start);
        previous.end = previous.end.max(span.end);
        return;
    }
    parts.push(Part::Lit {
        text: ch.to_string(),
        span,
    });
}
