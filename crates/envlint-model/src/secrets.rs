//! What counts as a real secret value rather than a placeholder for one.

/// Values that are obviously not anyone's real secret.
const DUMMIES: &[&str] = &[
    "none", "null", "password", "passwd", "pass", "pwd", "secret", "token", "dummy", "test",
    "example", "sample", "default",
];

/// Values that stand for a secret rather than being one: empty, `<password>`, `xxxx`,
/// `your_password_here`, `${PASSWORD}`.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || value
            .chars()
            .all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_' | '#' | '?'))
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('[') && value.ends_with(']'))
        || (value.starts_with('{') && value.ends_with('}'))
        || value.starts_with("${")
        || value.starts_with('$')
        || lower.contains("your")
        || lower.contains("placeholder")
        || lower.contains("changeme")
        || lower.contains("change_me")
        || [
            "not-a-real",
            "not_a_real",
            "notreal",
            "fake",
            "dummy",
            "example",
        ]
        .iter()
        .any(|word| lower.starts_with(word))
        || DUMMIES.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_secrets() {
        for value in [
            "",
            "xxxx",
            "<password>",
            "your_password",
            "${PASS}",
            "[token]",
            "****",
            "pass",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in ["not-a-real-token", "fake_password", "dummy123"] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in [
            "hunter2",
            "corpus-redacted-literal",
            "demopass",
            "s3cr3t!",
            "eyJhbGciOiJIUzI1NiJ9.example-not-a-real-token",
        ] {
            assert!(!is_placeholder(value), "{value}");
        }
    }
}
