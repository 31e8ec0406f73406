//! Symbolic evaluation of Jinja inside YAML values with minijinja.
//!
//! `env_var()` never reads the process environment: it records a reference and renders as a
//! private-use placeholder character. Unknown names, macros and calls render as opaque
//! placeholders. After rendering, the output is split back into [`SymStr`] parts, and the
//! output spans minijinja reports map every part to bytes of the source file.

mod config;
mod dbt;
mod macros;
mod objects;
mod recorder;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use minijinja::value::Value;
use minijinja::{Environment, ErrorKind, OutputSpan, OutputSpanKind};

pub use config::{ConfigValue, InFileConfig, render_configs};
pub use macros::{MacroArg, MacroSet, NodeContext};

use crate::symbolic::{Part, SymStr};
use objects::Root;
use recorder::Recorder;

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

    pub(crate) fn map(&self, range: Range<usize>) -> Range<usize> {
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

/// The `target` variable: the target being evaluated, with symbolic schema and database.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetContext {
    pub name: String,
    pub schema: SymStr,
    pub database: SymStr,
    /// The adapter, `target.type`.
    pub adapter: String,
    pub profile_name: String,
}

/// Values available to the template besides `env_var()`.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// The target (dbt_project.yml, model files and macros); `None` in profiles.yml, where
    /// dbt has no target yet, so `target.*` is opaque.
    pub target: Option<TargetContext>,
}

impl Scope {
    /// The root context of one render: `target` (encoded into `recorder`) plus `extra`.
    fn root(
        &self,
        recorder: &Arc<Recorder>,
        env: &Environment<'_>,
        extra: Vec<(&'static str, Value)>,
    ) -> Value {
        let mut values: BTreeMap<&'static str, Value> = extra.into_iter().collect();
        if let Some(target) = &self.target {
            let mut map = BTreeMap::new();
            map.insert("name", Value::from(target.name.clone()));
            map.insert("schema", Value::from(recorder.encode(&target.schema)));
            map.insert("database", Value::from(recorder.encode(&target.database)));
            map.insert("type", Value::from(target.adapter.clone()));
            map.insert("profile_name", Value::from(target.profile_name.clone()));
            values.insert("target", Value::from(map));
        }
        values.insert("execute", Value::from(false));
        Value::from_object(Root {
            recorder: Arc::clone(recorder),
            values,
            globals: dbt::globals(env),
        })
    }
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
    let env = dbt::environment();
    let recorder = Recorder::new();
    let root = scope.root(&recorder, env, Vec::new());
    let rendered = env
        .template_from_str(value)
        .and_then(|template| template.render_with_spans(root));
    recorder.clear();
    match rendered {
        Ok((output, spans)) => Ok(recorder.decode(&output, &origin.whole, &|at, ch| {
            source_span(&spans, at, ch, origin)
        })),
        Err(err) if err.kind() == ErrorKind::SyntaxError => Err(JinjaError {
            message: err.detail().unwrap_or("invalid Jinja").to_owned(),
            span: err.range().map_or(origin.whole.clone(), |r| origin.map(r)),
        }),
        // Anything else (an unknown filter, a type error, running out of fuel) is a value we
        // cannot know statically: opaque, not a failure.
        Err(_) => Ok(opaque(value, origin.whole.clone())),
    }
}

/// A value we cannot evaluate, as one opaque part.
pub(crate) fn opaque(text: &str, span: Range<usize>) -> SymStr {
    SymStr {
        parts: vec![Part::Opaque {
            text: text.trim().to_owned(),
            span: span.clone(),
        }],
        span,
    }
}

/// The file span that produced the output character `ch` at byte `at`.
fn source_span(spans: &[OutputSpan], at: usize, ch: char, origin: &Origin) -> Range<usize> {
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
