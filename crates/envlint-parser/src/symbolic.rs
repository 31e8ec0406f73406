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
