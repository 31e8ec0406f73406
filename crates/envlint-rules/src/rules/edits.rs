//! Building blocks of fixes several rules share: where an `env_var()` fallback is written,
//! and YAML scalars safe to write back.

use envlint_diagnostics::{Edit, SourceDb, Span};
use envlint_parser::{EnvRef, Field};

/// The fallback argument of an `env_var()` call written in the field itself (not inherited,
/// and mapped byte for byte to the file): `'prod'` in `env_var('DBT_TARGET', 'prod')`.
pub(crate) fn fallback_span(db: &SourceDb, field: &Field, env: &EnvRef) -> Option<Span> {
    if field.defined.is_some() {
        return None;
    }
    let call = field.value_span(env.span.clone());
    let text = db.get(call.file).slice(call);
    if text.len() != call.len() {
        return None;
    }
    let range = envlint_parser::jinja::default_argument(text)?;
    let start = call.start as usize;
    Some(Span::new(call.file, start + range.start, start + range.end))
}

/// Deletes a fallback argument and the comma before it: `env_var('X', 'v')` -> `env_var('X')`.
pub(crate) fn remove_fallback(db: &SourceDb, fallback: Span) -> Option<Edit> {
    let text = &db.get(fallback.file).text;
    let comma = text[..fallback.start as usize].rfind(',')?;
    Some(Edit {
        span: Span::new(fallback.file, comma, fallback.end as usize),
        replacement: String::new(),
    })
}

/// Replaces a quoted fallback argument with another string, in the same quotes.
pub(crate) fn replace_fallback(db: &SourceDb, fallback: Span, value: &str) -> Edit {
    let quote = match db.get(fallback.file).slice(fallback).chars().next() {
        Some('"') => '"',
        _ => '\'',
    };
    let escaped = value
        .replace('\\', "\\\\")
        .replace(quote, &format!("\\{quote}"));
    Edit {
        span: fallback,
        replacement: format!("{quote}{escaped}{quote}"),
    }
}

/// Replaces a field's value written here (not inherited) with `value`, as a YAML scalar.
pub(crate) fn replace_value(field: &Field, value: &str) -> Option<Edit> {
    field.defined.is_none().then(|| Edit {
        span: field.span,
        replacement: yaml_scalar(value),
    })
}

/// `dev` stays plain; anything else is double-quoted with escapes.
fn yaml_scalar(value: &str) -> String {
    let plain = !value.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !["true", "false", "null", "yes", "no", "on", "off"]
            .contains(&value.to_ascii_lowercase().as_str());
    if plain {
        value.to_owned()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::yaml_scalar;

    #[test]
    fn scalars_are_quoted_when_plain_text_would_change_meaning() {
        assert_eq!(yaml_scalar("dev"), "dev");
        assert_eq!(yaml_scalar("off"), "\"off\"");
        assert_eq!(
            yaml_scalar("dev_{{ env_var('USER') }}"),
            "\"dev_{{ env_var('USER') }}\""
        );
    }
}
