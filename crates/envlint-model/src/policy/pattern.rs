//! Schema patterns such as `dev_{user}` and `pr_{pr}`, and matching them against values.

use envlint_diagnostics::Span;
use envlint_parser::{Part, SymStr};

/// Placeholders a pattern may use.
pub(super) const PLACEHOLDERS: &[&str] = &["user", "pr"];

/// A policy schema pattern: literal text with `{user}` / `{pr}` slots.
#[derive(Clone, Debug)]
pub struct SchemaPattern {
    pub text: String,
    pub tokens: Vec<Token>,
    pub span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Lit(String),
    Slot(String),
}

impl SchemaPattern {
    /// Parses a pattern; the error names the offending placeholder.
    pub fn parse(text: &str, span: Option<Span>) -> Result<Self, String> {
        let mut tokens = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                tokens.push(Token::Lit(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("unclosed `{{` in schema pattern `{text}`"));
            };
            let name = &rest[open + 1..open + close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "unknown placeholder `{{{name}}}` in schema pattern (known: `{{user}}`, `{{pr}}`)"
                ));
            }
            tokens.push(Token::Slot(name.to_owned()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            tokens.push(Token::Lit(rest.to_owned()));
        }
        Ok(Self {
            text: text.to_owned(),
            tokens,
            span,
        })
    }

    /// The pattern as a dbt schema value: literal text, and `{{ env_var('NAME') }}` for each
    /// slot, the variable named by `variable`. `None` when the pattern has no slot (a
    /// literal per-environment schema is no fix for a shared one) or a slot's variable is
    /// unknown.
    pub fn render(&self, variable: impl Fn(&str) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        let mut slots = 0;
        for token in &self.tokens {
            match token {
                Token::Lit(text) => out.push_str(text),
                Token::Slot(slot) => {
                    slots += 1;
                    out.push_str(&format!("{{{{ env_var('{}') }}}}", variable(slot)?));
                }
            }
        }
        (slots > 0).then_some(out)
    }

    /// Whether `value` fits the pattern. A value that is one environment variable can take
    /// any value, so it fits when its default (if any) fits.
    pub fn matches(&self, value: &SymStr) -> bool {
        if let [Part::Env(env)] = value.parts.as_slice() {
            return env.default.as_ref().is_none_or(|d| self.matches(d));
        }
        let shape = shape_of(value);
        shape.len() == self.tokens.len()
            && shape
                .iter()
                .zip(&self.tokens)
                .all(|(have, want)| match (have, want) {
                    (Token::Lit(a), Token::Lit(b)) => a.eq_ignore_ascii_case(b),
                    (Token::Slot(_), Token::Slot(_)) => true,
                    _ => false,
                })
    }
}

/// A value as the same kind of tokens: literal runs and one slot per variable part.
fn shape_of(value: &SymStr) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for part in &value.parts {
        match part {
            Part::Lit { text, .. } => match out.last_mut() {
                Some(Token::Lit(previous)) => previous.push_str(text),
                _ => out.push(Token::Lit(text.clone())),
            },
            Part::Env(_) | Part::Opaque { .. } => out.push(Token::Slot(String::new())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use envlint_parser::EnvRef;

    fn value(parts: Vec<Part>) -> SymStr {
        SymStr { parts, span: 0..0 }
    }

    fn lit(text: &str) -> Part {
        Part::Lit {
            text: text.into(),
            span: 0..0,
        }
    }

    fn env(name: &str, default: Option<&str>) -> Part {
        Part::Env(EnvRef {
            name: name.into(),
            default: default.map(|d| SymStr::literal(d, 0..0)),
            span: 0..0,
        })
    }

    #[test]
    fn slots_match_variables_and_literals_match_text() {
        let pattern = SchemaPattern::parse("dev_{user}", None).expect("valid");
        assert!(pattern.matches(&value(vec![lit("DEV_"), env("USER", None)])));
        assert!(!pattern.matches(&value(vec![lit("dev_brandon")])));
        assert!(pattern.matches(&value(vec![env("DBT_SCHEMA", None)])));
        assert!(!pattern.matches(&value(vec![env("DBT_SCHEMA", Some("dev"))])));
        let prod = SchemaPattern::parse("analytics", None).expect("valid");
        assert!(prod.matches(&value(vec![lit("analytics")])));
    }

    #[test]
    fn patterns_render_as_env_var_templates() {
        let pattern = SchemaPattern::parse("pr_{pr}", None).expect("valid");
        let known = |slot: &str| (slot == "pr").then(|| "PR_NUMBER".to_owned());
        assert_eq!(
            pattern.render(known).as_deref(),
            Some("pr_{{ env_var('PR_NUMBER') }}")
        );
        assert_eq!(pattern.render(|_| None), None);
        let literal = SchemaPattern::parse("analytics", None).expect("valid");
        assert_eq!(literal.render(known), None);
    }

    #[test]
    fn unknown_placeholders_are_errors() {
        assert!(SchemaPattern::parse("dev_{name}", None).is_err());
        assert!(SchemaPattern::parse("dev_{user", None).is_err());
    }
}
