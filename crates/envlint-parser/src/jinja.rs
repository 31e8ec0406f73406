//! Symbolic evaluation of Jinja inside YAML values with minijinja.
//!
//! `env_var()` never reads the process environment: it records a reference and renders as a
//! private-use placeholder character. Unknown names, macros and calls render as opaque
//! placeholders. After rendering, the output is split back into [`SymStr`] parts, and the
//! output spans minijinja reports map every part to bytes of the source file.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Environment, Error, ErrorKind, OutputSpanKind, State};

use crate::symbolic::{EnvRef, Part, SymStr};

const ENV_BASE: u32 = 0xF_0000;
const OPAQUE_BASE: u32 = 0x10_0000;
const SLOTS: u32 = 0xFFFD;
const RECORDER: &str = "__envlint_recorder";
/// Instruction budget for one value, so a hostile template cannot hang the run.
const FUEL: u64 = 200_000;

/// Where a value sits in its file.
#[derive(Clone, Debug)]
pub struct Origin {
    /// File offset of the value's first character, when the value maps byte for byte to the
    /// file (plain or simply quoted scalars). `None` maps every part to `whole`.
    pub start: Option<usize>,
    /// The whole value's span (quotes included).
    pub whole: Range<usize>,
}

impl Origin {
    /// The origin of a YAML scalar whose decoded value is `value` and whose raw source
    /// (quotes included) is `raw`, starting at file offset `span.start`.
    pub fn for_scalar(value: &str, raw: &str, span: Range<usize>) -> Self {
        let start = if raw == value {
            Some(span.start)
        } else if raw.len() >= 2
            && (raw.starts_with('"') || raw.starts_with('\''))
            && raw.get(1..raw.len() - 1) == Some(value)
        {
            Some(span.start + 1)
        } else {
            None
        };
        Self { start, whole: span }
    }

    fn map(&self, range: Range<usize>) -> Range<usize> {
        match self.start {
            Some(start) => start + range.start..start + range.end,
            None => self.whole.clone(),
        }
    }
}

/// A Jinja syntax error in a value, with its span in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JinjaError {
    pub message: String,
    pub span: Range<usize>,
}

/// Values available to the template besides `env_var()`.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// The `target` object (dbt_project.yml and macros); `None` in profiles.yml, where dbt
    /// has no target yet, so `target.*` is opaque.
    pub target: Option<Value>,
}

/// True when a string contains Jinja that dbt would render.
pub fn has_jinja(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Evaluates `value` symbolically. Values without Jinja become one literal part.
pub fn eval(value: &str, origin: &Origin, scope: &Scope) -> Result<SymStr, JinjaError> {
    if !has_jinja(value) {
        return Ok(SymStr::literal(value, origin.map(0..value.len())));
    }
    let recorder = Arc::new(Recorder::default());
    let root = Value::from_object(Root {
        recorder: Arc::clone(&recorder),
        target: scope.target.clone(),
    });
    let rendered = environment()
        .template_from_str(value)
        .and_then(|template| template.render_with_spans(root));
    match rendered {
        Ok((output, spans)) => Ok(decode(&output, &spans, &recorder, origin)),
        Err(err) if err.kind() == ErrorKind::SyntaxError => Err(JinjaError {
            message: err.detail().unwrap_or("invalid Jinja").to_owned(),
            span: err.range().map_or(origin.whole.clone(), |r| origin.map(r)),
        }),
        // Anything else (an unknown filter, a type error, running out of fuel) is a value we
        // cannot know statically: opaque, not a failure.
        Err(_) => Ok(SymStr {
            parts: vec![Part::Opaque {
                text: value.trim().to_owned(),
                span: origin.whole.clone(),
            }],
            span: origin.whole.clone(),
        }),
    }
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.add_function("env_var", env_var);
        env.add_function("var", var);
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
        env
    })
}

fn recorder(state: &State<'_, '_>) -> Option<Arc<Recorder>> {
    state
        .lookup(RECORDER)
        .and_then(|value| value.downcast_object::<Recorder>())
}

fn env_var(state: &State<'_, '_>, name: String, default: Option<Value>) -> Value {
    let Some(recorder) = recorder(state) else {
        return Value::UNDEFINED;
    };
    let default = default.map(|d| d.to_string());
    recorder.placeholder(Recorded::Env { name, default })
}

fn var(state: &State<'_, '_>, name: String, default: Option<Value>) -> Value {
    match (default, recorder(state)) {
        (Some(default), _) => default,
        (None, Some(recorder)) => recorder.placeholder(Recorded::Opaque(format!("var('{name}')"))),
        (None, None) => Value::UNDEFINED,
    }
}

/// dbt's casting filters keep a placeholder as it is, and cast real text where they can.
fn pass_through(value: Value) -> Value {
    if let Some(Ok(n)) = value.as_str().map(|text| text.trim().parse::<i64>()) {
        return Value::from(n);
    }
    value
}

#[derive(Debug)]
enum Recorded {
    Env {
        name: String,
        default: Option<String>,
    },
    Opaque(String),
}

/// What one render recorded, indexed by the placeholder characters it handed out.
#[derive(Debug, Default)]
struct Recorder {
    items: Mutex<Vec<Recorded>>,
}

impl Recorder {
    fn placeholder(&self, item: Recorded) -> Value {
        let Ok(mut items) = self.items.lock() else {
            return Value::UNDEFINED;
        };
        let index = u32::try_from(items.len()).unwrap_or(SLOTS).min(SLOTS - 1);
        let base = match item {
            Recorded::Env { .. } => ENV_BASE,
            Recorded::Opaque(_) => OPAQUE_BASE,
        };
        items.push(item);
        char::from_u32(base + index).map_or(Value::UNDEFINED, |c| Value::from(c.to_string()))
    }

    fn get(&self, index: usize) -> Option<RecordedView> {
        let items = self.items.lock().ok()?;
        Some(match items.get(index)? {
            Recorded::Env { name, default } => RecordedView::Env(name.clone(), default.clone()),
            Recorded::Opaque(text) => RecordedView::Opaque(text.clone()),
        })
    }
}

enum RecordedView {
    Env(String, Option<String>),
    Opaque(String),
}

impl Object for Recorder {}

/// The root context: the recorder, the target, and a stub for every unknown name.
#[derive(Debug)]
struct Root {
    recorder: Arc<Recorder>,
    target: Option<Value>,
}

impl Object for Root {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        if name == RECORDER {
            return Some(Value::from_dyn_object(Arc::clone(&self.recorder)));
        }
        if let (true, Some(target)) = (name == "target", &self.target) {
            return Some(target.clone());
        }
        if environment().globals().any(|(global, _)| global == name) {
            return None;
        }
        Some(Stub::value(&self.recorder, name.to_owned()))
    }
}

/// Anything we do not model: attribute access, calls and methods give further stubs; it
/// renders as an opaque placeholder and is false in conditions.
#[derive(Debug)]
struct Stub {
    recorder: Arc<Recorder>,
    name: String,
}

impl Stub {
    fn value(recorder: &Arc<Recorder>, name: String) -> Value {
        Value::from_object(Self {
            recorder: Arc::clone(recorder),
            name,
        })
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
        Some(Self::value(&self.recorder, format!("{}.{key}", self.name)))
    }

    fn call(self: &Arc<Self>, _: &mut State<'_, '_>, _: &[Value]) -> Result<Value, Error> {
        Ok(Self::value(&self.recorder, format!("{}(...)", self.name)))
    }

    fn call_method(
        self: &Arc<Self>,
        _: &mut State<'_, '_>,
        method: &str,
        _: &[Value],
    ) -> Result<Value, Error> {
        Ok(Self::value(
            &self.recorder,
            format!("{}.{method}(...)", self.name),
        ))
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let placeholder = self
            .recorder
            .placeholder(Recorded::Opaque(self.name.clone()));
        write!(f, "{placeholder}")
    }
}

/// Splits rendered output into parts, mapping each back to the source through `spans`.
fn decode(
    output: &str,
    spans: &[minijinja::OutputSpan],
    recorder: &Recorder,
    origin: &Origin,
) -> SymStr {
    let mut parts: Vec<Part> = Vec::new();
    for (at, ch) in output.char_indices() {
        let span = source_span(spans, at, ch, origin);
        let code = u32::from(ch);
        let slot = if (ENV_BASE..ENV_BASE + SLOTS).contains(&code) {
            recorder.get((code - ENV_BASE) as usize)
        } else if (OPAQUE_BASE..OPAQUE_BASE + SLOTS).contains(&code) {
            recorder.get((code - OPAQUE_BASE) as usize)
        } else {
            None
        };
        match slot {
            Some(RecordedView::Env(name, default)) => {
                let default = default.map(|d| {
                    let inner = Origin {
                        start: None,
                        whole: span.clone(),
                    };
                    decode(&d, &[], recorder, &inner)
                });
                parts.push(Part::Env(EnvRef {
                    name,
                    default,
                    span,
                }));
            }
            Some(RecordedView::Opaque(text)) => parts.push(Part::Opaque { text, span }),
            None => push_literal(&mut parts, ch, span),
        }
    }
    SymStr {
        parts,
        span: origin.whole.clone(),
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

/// The file span that produced the output character `ch` at byte `at`.
fn source_span(
    spans: &[minijinja::OutputSpan],
    at: usize,
    ch: char,
    origin: &Origin,
) -> Range<usize> {
    let Some(span) = spans.iter().find(|s| s.output_range().contains(&at)) else {
        return origin.whole.clone();
    };
    let source = span.source_range();
    if span.kind() == OutputSpanKind::Raw {
        let offset = source.start + (at - span.output_range().start);
        origin.map(offset..offset + ch.len_utf8())
    } else {
        origin.map(source)
    }
}

/// The byte range of the second argument of an `env_var('NAME', 'default')` call text
/// (which may go on with filters: `env_var('X', 'd') | lower`).
pub fn default_argument(call: &str) -> Option<std::ops::Range<usize>> {
    let mut in_string: Option<char> = None;
    let mut depth = 0usize;
    let mut start = None;
    for (i, c) in call.char_indices() {
        match (in_string, c) {
            (Some(q), c) if c == q => in_string = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => in_string = Some(c),
            (None, '(') => depth += 1,
            (None, ',') if depth == 1 && start.is_none() => start = Some(i + 1),
            (None, ')') if depth == 1 => {
                let start = start?;
                let argument = &call[start..i];
                let leading = argument.len() - argument.trim_start().len();
                let range = start + leading..start + argument.trim_end().len();
                return (!range.is_empty()).then_some(range);
            }
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_at(text: &str) -> SymStr {
        let origin = Origin {
            start: Some(0),
            whole: 0..text.len(),
        };
        eval(text, &origin, &Scope::default()).expect("evaluates")
    }

    #[test]
    fn env_var_becomes_a_reference_with_its_span() {
        let src = "dev_{{ env_var('USER') }}";
        let value = eval_at(src);
        assert_eq!(value.to_string(), "dev_${USER}");
        let Part::Env(env) = &value.parts[1] else {
            panic!("expected env part: {value:?}");
        };
        assert_eq!(&src[env.span.clone()], "env_var('USER')");
        let Part::Lit { span, .. } = &value.parts[0] else {
            panic!("expected literal");
        };
        assert_eq!(&src[span.clone()], "dev_");
    }

    #[test]
    fn defaults_and_filters_survive() {
        let value = eval_at("{{ env_var('DBT_SCHEMA', 'Analytics') | lower | trim }}");
        assert_eq!(value.to_string(), "${DBT_SCHEMA:-Analytics}");
        let value = eval_at("{{ env_var('THREADS', 4) | as_number }}");
        assert_eq!(value.when_unset().as_deref(), Some("4"));
        let value = eval_at("{{ env_var('A') | int }}_{{ env_var('B', 'b') | upper }}");
        assert_eq!(value.to_string(), "${A}_${B:-b}");
    }

    #[test]
    fn nested_env_var_in_default() {
        let value = eval_at("{{ env_var('DBT_SCHEMA', 'dbt_' ~ env_var('USER')) }}");
        assert_eq!(value.to_string(), "${DBT_SCHEMA:-dbt_${USER}}");
        assert_eq!(value.env_refs().len(), 2);
    }

    #[test]
    fn unknown_things_are_opaque_not_errors() {
        let value = eval_at("{{ my_macro(ref('x')).upper() }}_{{ target.name }}");
        assert!(value.has_opaque());
        let value = eval_at("{{ 'x' | no_such_filter }}");
        assert!(value.has_opaque());
        let value = eval_at("{{ var('schema', 'dev') }}");
        assert_eq!(value.as_literal().as_deref(), Some("dev"));
    }

    #[test]
    fn syntax_errors_have_spans() {
        let origin = Origin {
            start: Some(10),
            whole: 10..30,
        };
        let err = eval("{{ env_var('X' }}", &origin, &Scope::default()).expect_err("syntax");
        assert!(err.span.start >= 10);
    }

    #[test]
    fn finds_the_fallback_argument() {
        let call = "env_var('DBT_PASSWORD', 'demo, pass')";
        let range = default_argument(call).expect("has default");
        assert_eq!(&call[range], "'demo, pass'");
        assert_eq!(default_argument("env_var('X')"), None);
        let call = "env_var('X', 'd') | replace('a', 'b')";
        assert_eq!(default_argument(call).map(|r| &call[r]), Some("'d'"));
    }

    #[test]
    fn endless_loops_run_out_of_fuel() {
        let value = eval_at(
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        );
        assert!(value.has_opaque());
    }
}
