//! Finds secrets in any file's text, whether or not it parses: the value under a
//! secret-looking key or variable (YAML, `.env`, shell, Makefile, Jinja `set`), the string
//! literal after a SQL keyword that sets one (`PASSWORD 'x'`, `IDENTIFIED BY 'x'`,
//! `SECRET 'x'`, `KEY_ID 'x'`), and `token=` query values. Display only: the byte ranges
//! found are masked in every output, rules still read the text.

/// Words that make a key or variable secret, alone or at the end of a word (`dbpassword`,
/// `MOTHERDUCK_TOKEN`, `apikey`), or with a plural `s` (`oauth_credentials`).
const SECRET_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "credential",
    "private",
    "jwt",
    "apikey",
    "identified",
    "auth",
];

/// Whole words (between `_`, `-` or `.`) that make a name secret.
const SECRET_WORDS: &[&str] = &["pass", "pwd", "key"];

/// Names holding a secret word that are plainly no secret.
const NOT_SECRET: &[&str] = &[
    "unique_key",
    "primary_key",
    "foreign_key",
    "sort_key",
    "dist_key",
    "partition_key",
    "cluster_key",
    "surrogate_key",
    // Databricks bundle tasks' names.
    "task_key",
    "secrets",
];

/// Whether a key or variable name looks like it holds a secret: `aws_secret_access_key`,
/// `private_key_id`, `jwt_token`, `db_password_2`, `api-key`; not `tokenizer`,
/// `passthrough`, `keyfile` or `unique_key`.
pub fn looks_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if NOT_SECRET.contains(&lower.as_str()) {
        return false;
    }
    lower.split(['_', '-', '.']).any(|word| {
        SECRET_WORDS.contains(&word)
            || SECRET_PARTS.iter().any(|part| {
                word.ends_with(part) || word.strip_suffix('s').is_some_and(|w| w.ends_with(part))
            })
    })
}

/// Byte ranges of `text` that hold a secret, in order.
pub(crate) fn scan(text: &str) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    let mut line_start = 0;
    // The indentation of a secret key whose value is the block below it (a list, `|`).
    let mut block: Option<usize> = None;
    // Whether the block's first line is still to come: a nested mapping (`key:` over
    // `name: value` lines) is no secret value; its own secret keys are found line by line.
    let mut block_opened = false;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        if block_opened && !content.trim().is_empty() {
            block_opened = false;
            if indent > block.unwrap_or(usize::MAX) && is_mapping_entry(content) {
                block = None;
            }
        }
        match block {
            Some(key_indent)
                if content.trim().is_empty()
                    || indent > key_indent
                    || (indent == key_indent && content.starts_with("- ")) =>
            {
                let value = content.trim_end();
                push(
                    &mut found,
                    line_start + indent,
                    line_start + indent + value.len(),
                );
            }
            _ => {
                block = scan_line(line, line_start, &mut found).then_some(indent);
                block_opened = block.is_some() && line.trim_end().ends_with(':');
            }
        }
        line_start += line.len();
    }
    found
}

/// A `name: value` (or `name:`) line of a YAML mapping.
fn is_mapping_entry(content: &str) -> bool {
    // dbt's `+schema:` config keys and quoted keys are entries too.
    let content = content.trim_start_matches(['+', '"', '\'']);
    let name_end = content
        .bytes()
        .position(|b| !is_ident(b))
        .unwrap_or(content.len());
    name_end > 0 && content[name_end..].starts_with(':')
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Masks the secrets of one line; returns whether a secret key's value is the block below.
fn scan_line(line: &str, base: usize, found: &mut Vec<(u32, u32)>) -> bool {
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !is_ident(bytes[at]) || (at > 0 && is_ident(bytes[at - 1])) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_ident(bytes[at]) {
            at += 1;
        }
        if looks_secret(&line[start..at]) {
            at = value_after(line, at, base, found);
            let tail = line.trim_end();
            if at >= tail.len()
                && [":", ": |", ": >", ": |-", ": >-"]
                    .iter()
                    .any(|end| tail.ends_with(end))
            {
                return true;
            }
        }
    }
    false
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
        at += 1;
    }
    at
}

/// Masks the value that follows a secret name ending at `at`; returns where to go on.
fn value_after(line: &str, name_end: usize, base: usize, found: &mut Vec<(u32, u32)>) -> usize {
    let bytes = line.as_bytes();
    let mut at = skip_spaces(bytes, name_end);
    // A closing quote of a quoted key (`"password": x`).
    if at < bytes.len()
        && (bytes[at] == b'"' || bytes[at] == b'\'')
        && bytes.get(at + 1) == Some(&b':')
    {
        at += 1;
    }
    let rest = &line[at..];
    let separator = [":=", "?=", "+=", "=", ":"]
        .iter()
        .find(|s| rest.starts_with(**s))
        .map(|s| s.len())
        .or_else(|| {
            let word = rest.get(..3)?;
            (word.eq_ignore_ascii_case("by ")).then_some(2)
        });
    let yaml = rest.starts_with(':') && !rest.starts_with(":=");
    if let Some(len) = separator {
        at = skip_spaces(bytes, at + len);
    }
    // A literal quoted inside another string: `run_query('... PASSWORD \'x\'')`.
    if bytes.get(at) == Some(&b'\\') && matches!(bytes.get(at + 1), Some(b'\'' | b'"')) {
        at += 1;
    }
    let Some(&first) = bytes.get(at) else {
        return at;
    };
    if separator.is_none() && at == name_end {
        // The name's own closing quote (`env_var('MOTHERDUCK_TOKEN')`): no value follows.
        return at + 1;
    }
    if first == b'\'' || first == b'"' {
        let Some(close) = line[at + 1..].find(first as char).map(|i| at + 1 + i) else {
            // An unclosed quote: the rest of the line is the value.
            push(
                found,
                base + at + 1,
                base + line.trim_end().len().max(at + 1),
            );
            return bytes.len();
        };
        mask_value(&line[at + 1..close], base + at + 1, found);
        return close + 1;
    }
    if separator.is_none() {
        return at;
    }
    let in_flow = line[..at].matches(['{', '[']).count() > line[..at].matches(['}', ']']).count();
    let end = if yaml && in_flow {
        // `{password: x, schema: y}`: the value ends at the next `,`, `}` or `]`.
        line[at..]
            .find([',', '}', ']'])
            .map_or(line.trim_end().len(), |i| at + i)
    } else if yaml {
        line.find(" #")
            .filter(|&i| i > at)
            .unwrap_or(line.trim_end().len())
    } else {
        line[at..]
            .find(|c: char| c.is_whitespace() || "&'\";),%`|".contains(c))
            .map_or(line.len(), |i| at + i)
    };
    if end > at {
        mask_value(&line[at..end], base + at, found);
    }
    end.max(at + 1)
}

/// A value: a reference to a variable (`$X`, `${{ secrets.X }}`) is no secret; in a Jinja
/// expression every string literal but an `env_var`'s name is; otherwise all of it.
fn mask_value(value: &str, base: usize, found: &mut Vec<(u32, u32)>) {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed == "|" || trimmed == ">" {
        return;
    }
    if trimmed.starts_with('$') && !trimmed.contains(['\'', '"']) {
        return;
    }
    if !(value.contains("{{") || value.contains("env_var") || value.contains('~')) {
        push(found, base, base + value.len());
        return;
    }
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let quote = bytes[at];
        if quote != b'\'' && quote != b'"' {
            at += 1;
            continue;
        }
        let Some(close) = value[at + 1..].find(quote as char).map(|i| at + 1 + i) else {
            break;
        };
        let before = value[..at].trim_end();
        if !(before.ends_with("env_var(") || before.ends_with("var(")) {
            push(found, base + at + 1, base + close);
        }
        at = close + 1;
    }
}

fn push(found: &mut Vec<(u32, u32)>, start: usize, end: usize) {
    if end > start {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        found.push((clamp(start), clamp(end)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<&str> {
        scan(text)
            .into_iter()
            .map(|(s, e)| &text[s as usize..e as usize])
            .collect()
    }

    #[test]
    fn every_shape_of_secret_is_found() {
        assert_eq!(masked("password: hunter2 # c\n"), ["hunter2"]);
        assert_eq!(masked("CREATE USER u PASSWORD = 'a1';"), ["a1"]);
        assert_eq!(masked("create user u password 'a2'"), ["a2"]);
        assert_eq!(masked("ALTER USER u IDENTIFIED BY 'a3'"), ["a3"]);
        assert_eq!(
            masked("CREATE SECRET (TYPE s3, KEY_ID 'a4', SECRET 'a5')"),
            ["a4", "a5"]
        );
        assert_eq!(masked("ATTACH 'md:?motherduck_token=a6'"), ["a6"]);
        assert_eq!(masked("export MOTHERDUCK_TOKEN=a7 && dbt run"), ["a7"]);
        assert_eq!(masked("{% set token = 'a8' %}"), ["a8"]);
        assert_eq!(
            masked("password: \"{{ 'a9' ~ env_var('X', 'b1') }}\""),
            ["a9", "b1"]
        );
        assert_eq!(masked("run_query(\"ALTER USER u PASSWORD 'b2'\")"), ["b2"]);
        assert_eq!(masked("API_KEY ?= b3\n"), ["b3"]);
        assert_eq!(
            masked("run_query('ALTER USER u PASSWORD \\'b7\\'')"),
            ["b7\\"]
        );
        // A mapping under a secret-looking name (a profile called `key`) is structure:
        // only its own secret keys are masked.
        assert_eq!(
            masked("key:\n  target: dev\n  outputs:\n    dev: {password: c1, schema: s}\n"),
            ["c1"]
        );
        assert!(masked("models:\n  tokens:\n    +schema: tokens\n    +tags: [macro]\n").is_empty());
        assert_eq!(
            masked("password:\n  - b4\n  - b5\nschema: main\n"),
            ["- b4", "- b5"]
        );
        assert_eq!(masked("token: |\n  b6\nx: 1\n"), ["b6"]);
    }

    #[test]
    fn a_quoted_secret_name_and_an_unclosed_quote_on_a_later_line() {
        // The closing quote of `'MOTHERDUCK_TOKEN'` was taken for an unclosed value, and
        // that range was masked at offsets of the line, not of the file.
        let text = "a: 1\npath: \"md:x?motherduck_token={{ env_var('MOTHERDUCK_TOKEN') }}\"\n";
        assert!(masked(text).is_empty(), "{:?}", masked(text));
        assert_eq!(
            masked("a: 1\nb: 2\npassword: 'unclosed x\n"),
            ["unclosed x"]
        );
    }

    #[test]
    fn references_and_plain_keys_are_not_secrets() {
        assert!(masked("token: ${{ secrets.TOKEN }}\n").is_empty());
        assert!(masked("export TOKEN=$CI_TOKEN\n").is_empty());
        assert!(masked("password: \"{{ env_var('PW') }}\"\n").is_empty());
        assert!(masked("unique_key: id\nschema: main\nkeyfile: k.json\n").is_empty());
    }
}
