//! Symbolic strings: a value as literal parts, environment-variable references and opaque
//! parts, each with the byte span it came from.

use std::fmt;
use std::ops::Range;

/// A string whose value may depend on the environment, e.g. `dev_{{ env_var('USER') }}`.
#[derive(Clone, Debug, PartialEq)]
pub struct SymStr {
    pub parts: Vec<Part>,
    /// The whole value's span in its file.
    pub span: Range<usize>,
}

/// One piece of a [`SymStr`].
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Text that is the same in every environment.
    Lit { text: String, span: Range<usize> },
    /// `env_var('NAME', default)`, read when dbt runs.
    Env(EnvRef),
    /// Something we do not evaluate (an unknown macro, `var()` without default, ...).
    Opaque { text: String, span: Range<usize> },
}

impl Part {
    pub fn span(&self) -> Range<usize> {
        match self {
            Self::Lit { span, .. } | Self::Opaque { span, .. } => span.clone(),
            Self::Env(env) => env.span.clone(),
        }
    }
}

/// A reference to an environment variable, with its fallback.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvRef {
    pub name: String,
    pub default: Option<SymStr>,
    /// The `env_var(...)` expression in the file (or the whole value when the value does not
    /// map byte for byte to the file, e.g. a YAML string with escapes).
    pub span: Range<usize>,
}

impl SymStr {
    /// A value with no Jinja in it.
    pub fn literal(text: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            parts: vec![Part::Lit {
                text: text.into(),
                span: span.clone(),
            }],
            span,
        }
    }

    /// The text when the value is the same in every environment.
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit { text, .. } => out.push_str(text),
                Part::Env(_) | Part::Opaque { .. } => return None,
            }
        }
        Some(out)
    }

    /// The value when every variable is unset: each `env_var` takes its default. `None` when a
    /// variable without default or an opaque part is involved.
    pub fn when_unset(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit { text, .. } => out.push_str(text),
                Part::Env(env) => out.push_str(&env.default.as_ref()?.when_unset()?),
                Part::Opaque { .. } => return None,
            }
        }
        Some(out)
    }

    /// Every environment variable the value reads, defaults included.
    pub fn env_refs(&self) -> Vec<&EnvRef> {
        let mut out = Vec::new();
        self.collect_env_refs(&mut out);
        out
    }

    fn collect_env_refs<'a>(&'a self, out: &mut Vec<&'a EnvRef>) {
        for part in &self.parts {
            if let Part::Env(env) = part {
                out.push(env);
                if let Some(default) = &env.default {
                    default.collect_env_refs(out);
                }
            }
        }
    }

    /// Splits at the first `sep` found in a literal part: `md:db?x=1` on `?`.
    pub fn split_once(&self, sep: char) -> Option<(Self, Self)> {
        let (index, at) = self
            .parts
            .iter()
            .enumerate()
            .find_map(|(i, part)| match part {
                Part::Lit { text, .. } => text.find(sep).map(|at| (i, at)),
                Part::Env(_) | Part::Opaque { .. } => None,
            })?;
        let Part::Lit { text, span } = &self.parts[index] else {
            return None;
        };
        let exact = span.len() == text.len();
        let cut = |from: usize, to: usize| {
            if exact {
                span.start + from..span.start + to
            } else {
                span.clone()
            }
        };
        let mut left: Vec<Part> = self.parts[..index].to_vec();
        let mut right: Vec<Part> = Vec::new();
        if at > 0 {
            left.push(Part::Lit {
                text: text[..at].to_owned(),
                span: cut(0, at),
            });
        }
        let after = at + sep.len_utf8();
        if after < text.len() {
            right.push(Part::Lit {
                text: text[after..].to_owned(),
                span: cut(after, text.len()),
            });
        }
        right.extend(self.parts[index + 1..].iter().cloned());
        Some((
            Self::from_parts(left, &self.span),
            Self::from_parts(right, &self.span),
        ))
    }

    /// The rest after a literal prefix, e.g. the database of `md:transform`.
    pub fn strip_prefix(&self, prefix: &str) -> Option<Self> {
        let Some(Part::Lit { text, span }) = self.parts.first() else {
            return None;
        };
        let rest = text.strip_prefix(prefix)?;
        let mut parts = Vec::new();
        if !rest.is_empty() {
            let start = if span.len() == text.len() {
                span.start + prefix.len()
            } else {
                span.start
            };
            parts.push(Part::Lit {
                text: rest.to_owned(),
                span: start..span.end,
            });
        }
        parts.extend(self.parts[1..].iter().cloned());
        Some(Self::from_parts(parts, &self.span))
    }

    fn from_parts(parts: Vec<Part>, whole: &Range<usize>) -> Self {
        let span = parts
            .iter()
            .map(Part::span)
            .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
            .unwrap_or(whole.start..whole.start);
        Self { parts, span }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The values one after the other, e.g. `<target schema>` + `_` + `<custom schema>`.
    pub fn concat(values: &[&Self]) -> Self {
        let mut parts: Vec<Part> = Vec::new();
        for part in values.iter().flat_map(|v| v.parts.iter()) {
            match (parts.last_mut(), part) {
                (Some(Part::Lit { text: previous, .. }), Part::Lit { text, .. }) => {
                    previous.push_str(text)
                }
                _ => parts.push(part.clone()),
            }
        }
        let span = values.first().map_or(0..0, |v| v.span.clone());
        Self { parts, span }
    }

    /// Leading and trailing literal whitespace removed, as dbt's `| trim` does.
    pub fn trimmed(&self) -> Self {
        let mut value = self.clone();
        if let Some(Part::Lit { text, .. }) = value.parts.first_mut() {
            *text = text.trim_start().to_owned();
        }
        if let Some(Part::Lit { text, .. }) = value.parts.last_mut() {
            *text = text.trim_end().to_owned();
        }
        value
            .parts
            .retain(|p| !matches!(p, Part::Lit { text, .. } if text.is_empty()));
        value
    }

    /// The value with variables replaced: a bound variable by its value; an unbound one by
    /// its default when `defaults` is true (the environment is then taken as complete);
    /// otherwise it stays a reference.
    pub fn bind(&self, vars: &std::collections::BTreeMap<String, String>, defaults: bool) -> Self {
        let mut out = Vec::new();
        for part in &self.parts {
            match part {
                Part::Env(env) => match (vars.get(&env.name), &env.default) {
                    (Some(value), _) => out.push(Part::Lit {
                        text: value.clone(),
                        span: env.span.clone(),
                    }),
                    (None, Some(default)) if defaults => {
                        out.extend(default.bind(vars, defaults).parts)
                    }
                    (None, default) => out.push(Part::Env(EnvRef {
                        name: env.name.clone(),
                        default: default.as_ref().map(|d| d.bind(vars, defaults)),
                        span: env.span.clone(),
                    })),
                },
                other => out.push(other.clone()),
            }
        }
        Self::concat(&[&Self {
            parts: out,
            span: self.span.clone(),
        }])
    }

    pub fn has_opaque(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Opaque { .. }))
    }

    /// True when both values are built the same way (same literals, same variables with the
    /// same defaults), so they are equal under every assignment of the environment.
    pub fn same_shape(&self, other: &Self) -> bool {
        self.parts.len() == other.parts.len()
            && self
                .parts
                .iter()
                .zip(&other.parts)
                .all(|(a, b)| match (a, b) {
                    (Part::Lit { text: x, .. }, Part::Lit { text: y, .. }) => x == y,
                    (Part::Env(x), Part::Env(y)) => {
                        x.name == y.name
                            && match (&x.default, &y.default) {
                                (None, None) => true,
                                (Some(d), Some(e)) => d.same_shape(e),
                                _ => false,
                            }
                    }
                    _ => false,
                })
    }
}

/// Shell-like notation for messages: `dev_${USER}`, `${DBT_SCHEMA:-analytics}`.
impl fmt::Display for SymStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                Part::Lit { text, .. } => f.write_str(text)?,
                Part::Env(env) => match &env.default {
                    Some(default) => write!(f, "${{{}:-{default}}}", env.name)?,
                    None => write!(f, "${{{}}}", env.name)?,
                },
                Part::Opaque { text, .. } => write!(f, "{{{{ {text} }}}}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, default: Option<&str>) -> Part {
        Part::Env(EnvRef {
            name: name.to_owned(),
            default: default.map(|d| SymStr::literal(d, 0..0)),
            span: 0..0,
        })
    }

    #[test]
    fn unset_values_take_defaults() {
        let value = SymStr {
            parts: vec![
                Part::Lit {
                    text: "dev_".into(),
                    span: 0..4,
                },
                env("USER", Some("me")),
            ],
            span: 0..10,
        };
        assert_eq!(value.when_unset().as_deref(), Some("dev_me"));
        assert_eq!(value.as_literal(), None);
        assert_eq!(value.to_string(), "dev_${USER:-me}");
    }

    #[test]
    fn split_keeps_exact_spans() {
        let value = SymStr::literal("md:transform?attach_mode=single", 10..41);
        let db = value.strip_prefix("md:").expect("md path");
        let (name, query) = db.split_once('?').expect("query");
        assert_eq!(name.as_literal().as_deref(), Some("transform"));
        assert_eq!(name.span, 13..22);
        assert_eq!(query.as_literal().as_deref(), Some("attach_mode=single"));
        assert_eq!(query.span, 23..41);
    }

    #[test]
    fn bind_replaces_variables_and_optionally_applies_defaults() {
        let value = SymStr {
            parts: vec![
                Part::Lit {
                    text: "dev_".into(),
                    span: 0..0,
                },
                env("USER", None),
                Part::Lit {
                    text: "_".into(),
                    span: 0..0,
                },
                env("SUFFIX", Some("x")),
            ],
            span: 0..0,
        };
        let vars = [("USER".to_owned(), "alice".to_owned())]
            .into_iter()
            .collect();
        assert_eq!(
            value.bind(&vars, false).to_string(),
            "dev_alice_${SUFFIX:-x}"
        );
        assert_eq!(
            value.bind(&vars, true).as_literal().as_deref(),
            Some("dev_alice_x")
        );
    }

    #[test]
    fn shape_ignores_spans_but_not_defaults() {
        let a = SymStr {
            parts: vec![env("S", Some("x"))],
            span: 0..1,
        };
        let mut b = a.clone();
        b.span = 5..9;
        assert!(a.same_shape(&b));
        let c = SymStr {
            parts: vec![env("S", None)],
            span: 0..1,
        };
        assert!(!a.same_shape(&c));
    }
}
