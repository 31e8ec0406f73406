//! A YAML scalar evaluated symbolically, with where it is used and where it was defined.

use envlint_diagnostics::{FileId, SourceDb, Span};

use crate::jinja::{self, JinjaError, Origin, Scope};
use crate::symbolic::SymStr;
use crate::yaml::{Key, Node};

/// A `key: value` entry whose value is a scalar, evaluated to a [`SymStr`].
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub key_span: Span,
    pub value: SymStr,
    /// Where this entry's value is used: the scalar, or the alias that brought it in.
    pub span: Span,
    /// Where the value was written, when it was inherited through `<<:` or an alias.
    pub defined: Option<Span>,
}

impl Field {
    pub fn file(&self) -> FileId {
        self.span.file
    }

    /// A span of the file the value's text lives in (the `SymStr` ranges point there).
    pub fn value_span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file(), range.start, range.end)
    }

    /// The span a finding about the value should point at: the value itself when written
    /// here, or the alias that inherits it.
    pub fn text_span(&self) -> Span {
        match self.defined {
            Some(_) => self.span,
            None => self.value_span(self.value.span.clone()),
        }
    }

    /// A field with the same key and spans but another value (e.g. the database part of a
    /// MotherDuck path).
    pub fn with_value(&self, value: SymStr) -> Self {
        Self {
            value,
            ..self.clone()
        }
    }
}

/// Evaluates scalars of one file; collects Jinja syntax errors for the caller.
pub struct FieldReader<'a> {
    pub db: &'a SourceDb,
    pub file: FileId,
    pub scope: Scope,
    pub errors: Vec<(Span, JinjaError)>,
    /// Spans holding secret values, to be masked in every output.
    pub secrets: Vec<Span>,
}

impl<'a> FieldReader<'a> {
    pub fn new(db: &'a SourceDb, file: FileId) -> Self {
        Self {
            db,
            file,
            scope: Scope::default(),
            errors: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Records where a secret field's value (or its `env_var` fallback) is written.
    pub fn mark_secret(&mut self, field: &Field) {
        if field.value.as_literal().is_some() {
            self.secrets
                .push(field.value_span(field.value.span.clone()));
            return;
        }
        for env in field.value.env_refs() {
            let call = field.value_span(env.span.clone());
            let text = self.db.get(call.file).slice(call);
            if text.len() != call.len() {
                continue;
            }
            if let Some(range) = jinja::default_argument(text) {
                let start = call.start as usize;
                self.secrets
                    .push(Span::new(call.file, start + range.start, start + range.end));
            }
        }
    }

    pub fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    /// The entry `key` of `map` when its value is a scalar.
    pub fn field(&mut self, map: &Node, key: &str) -> Option<Field> {
        let (key, node) = map.entry(key)?;
        self.read(key, node)
    }

    /// Like [`Self::field`], matching the key without regard to case.
    pub fn field_ignore_case(&mut self, map: &Node, key: &str) -> Option<Field> {
        let (key, node) = map
            .entries()
            .iter()
            .find(|(k, _)| k.text.eq_ignore_ascii_case(key))?;
        self.read(key, node)
    }

    /// Evaluates one entry; `None` for containers and null.
    pub fn read(&mut self, key: &Key, node: &Node) -> Option<Field> {
        let text = node.scalar_text()?;
        let written = node.defined.clone().unwrap_or_else(|| node.span.clone());
        let raw = self.db.get(self.file).slice(self.span(&written));
        let origin = Origin::for_scalar(&text, raw, written.clone());
        let value = match jinja::eval(&text, &origin, &self.scope) {
            Ok(value) => value,
            Err(err) => {
                self.errors.push((self.span(&err.span), err));
                SymStr {
                    parts: vec![crate::symbolic::Part::Opaque {
                        text: text.clone(),
                        span: written.clone(),
                    }],
                    span: written.clone(),
                }
            }
        };
        Some(Field {
            key: key.text.clone(),
            key_span: self.span(&key.span),
            value,
            span: self.span(&node.span),
            defined: node.defined.as_ref().map(|d| self.span(d)),
        })
    }
}
