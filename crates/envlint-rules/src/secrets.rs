//! What counts as a real secret value rather than a placeholder for one.

/// Values that stand for a secret rather than being one: empty, `<password>`, `xxxx`,
/// `your_password_here`, `${PASSWORD}`.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || value.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_' | '#' | '?'))
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('[') && value.ends_with(']'))
        || (value.starts_with('{') && value.ends_with('}'))
        || value.starts_with("${")
        || value.starts_with('$')
        || lower.contains("your")
        || lower.contains("placeholder")
        || lower.contains("changeme")
        || lower.contains("change_me")
        || lower == "none"
        || lower == "null"
        || lower == "password"
        || lower == "secret"
        || lower == "token"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_secrets() {
        for value in ["", "xxxx", "<password>", "your_password", "${PASS}", "[token]", "****"] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in ["hunter2", "corpus-redacted-literal", "demopass", "s3cr3t!"] {
            assert!(!is_placeholder(value), "{value}");
        }
    }
}
