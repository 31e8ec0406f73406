//! SQL shapes recognised in text that is not SQL itself (a CI shell script, a Python
//! one-liner, a Jinja string built by concatenation), where the statement reader cannot go:
//! the patterns a schema cleanup drops by (`DROP SCHEMA x`, `LIKE 'p'`, regular-expression
//! matches) and MotherDuck's `CREATE SNAPSHOT ... OF db`, each with its byte range.

use std::ops::Range;

/// How a cleanup picks the schemas it drops.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CleanupPattern {
    /// `DROP SCHEMA [IF EXISTS] <name>`: the name as written (a GitHub expression in it read
    /// whole), or `None` when nothing follows.
    DropSchema(Option<String>),
    /// `LIKE '<pattern>'`.
    Like(String),
    /// `regexp_matches(x, '<re>')`, `x ~ '<re>'`, `REGEXP '<re>'`, `RLIKE '<re>'`;
    /// `regexp_full_match` anchored.
    Regex(String),
}

/// A cleanup pattern and where it is: the statement head up to the name for `DROP SCHEMA`,
/// the quoted pattern otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanupMatch {
    pub pattern: CleanupPattern,
    pub range: Range<usize>,
}

/// `CREATE SNAPSHOT <name> OF <database>` and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotMention {
    pub database: String,
    pub range: Range<usize>,
}

/// Every cleanup pattern in `text`, case-insensitively, in the order: `DROP SCHEMA`s,
/// `LIKE`s, regular expressions.
pub fn cleanup_patterns(text: &str) -> Vec<CleanupMatch> {
    let upper = text.to_ascii_uppercase();
    let mut found = drop_schemas(text, &upper);
    found.extend(likes(text, &upper));
    found.extend(regexes(text, &upper));
    found
}

/// Every `CREATE SNAPSHOT ... OF <database>` in `text`, case-insensitively.
pub fn snapshot_mentions(text: &str) -> Vec<SnapshotMention> {
    let upper = text.to_ascii_uppercase();
    upper
        .match_indices("CREATE SNAPSHOT")
        .filter_map(|(at, _)| {
            let of = upper[at..].find(" OF ")?;
            let database: String = text[at + of + 4..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '"')
                .collect();
            let end = at + of + 4 + database.len();
            Some(SnapshotMention {
                database: database.trim_matches('"').to_owned(),
                range: at..end.min(text.len()),
            })
        })
        .collect()
}

fn drop_schemas(text: &str, upper: &str) -> Vec<CleanupMatch> {
    upper
        .match_indices("DROP SCHEMA")
        .map(|(at, _)| {
            let rest = text[at + "DROP SCHEMA".len()..].trim_start();
            let rest = strip_keyword(rest, "IF EXISTS")
                .unwrap_or(rest)
                .trim_start();
            let name = schema_word(rest);
            let end = text.len() - rest.len() + name.len();
            CleanupMatch {
                pattern: CleanupPattern::DropSchema((!name.is_empty()).then(|| name.to_owned())),
                range: at..end,
            }
        })
        .collect()
}

fn likes(text: &str, upper: &str) -> Vec<CleanupMatch> {
    upper
        .match_indices("LIKE")
        .filter(|(at, _)| *at == 0 || !upper.as_bytes()[at - 1].is_ascii_alphanumeric())
        .filter_map(|(at, _)| {
            let rest = text[at + 4..].trim_start();
            let close = rest.strip_prefix('\'')?.find('\'')?;
            let start = text.len() - rest.len();
            Some(CleanupMatch {
                pattern: CleanupPattern::Like(rest[1..1 + close].to_owned()),
                range: start..start + close + 2,
            })
        })
        .collect()
}

/// The shapes of a regular-expression match; in a function call the pattern is the second
/// argument.
const REGEX_SHAPES: [&str; 6] = [
    "REGEXP_MATCHES(",
    "REGEXP_LIKE(",
    "REGEXP_FULL_MATCH(",
    " ~ ",
    " REGEXP ",
    " RLIKE ",
];

fn regexes(text: &str, upper: &str) -> Vec<CleanupMatch> {
    let mut found = Vec::new();
    for shape in REGEX_SHAPES {
        for (at, _) in upper.match_indices(shape) {
            if shape == " ~ " && joins_jinja_strings(text, at) {
                continue;
            }
            let search = &text[at + shape.len()..];
            let from = if shape.ends_with('(') {
                search.find(',').map_or(search.len(), |c| c + 1)
            } else {
                0
            };
            let rest = search[from..].trim_start();
            let Some(close) = rest.strip_prefix('\'').and_then(|r| r.find('\'')) else {
                continue;
            };
            let start = text.len() - rest.len();
            let pattern = &rest[1..1 + close];
            let regex = if shape.starts_with("REGEXP_FULL") {
                format!("^(?:{pattern})$")
            } else {
                pattern.to_owned()
            };
            found.push(CleanupMatch {
                pattern: CleanupPattern::Regex(regex),
                range: start..start + close + 2,
            });
        }
    }
    found
}

/// Whether the `~` at `at` is Jinja's string joining (`'dev_' ~ name`): inside a `{{ }}` or
/// `{% %}` tag and outside the strings in it. A `~` in a string in a tag is SQL's regular
/// expression match (`"where s ~ '^pr_'"`).
fn joins_jinja_strings(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let open = before.rfind("{{").max(before.rfind("{%"));
    let Some(open) = open else {
        return false;
    };
    let inside = &before[open + 2..];
    if inside.contains("}}") || inside.contains("%}") {
        return false;
    }
    let mut quote: Option<char> = None;
    for c in inside.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None => {}
        }
    }
    quote.is_none()
}

/// The schema name at the start of `text`: up to a space, `;` or quote, with a GitHub
/// expression (`pr_${{ github.event.number }}`) read whole.
fn schema_word(text: &str) -> &str {
    let mut end = 0;
    while let Some(c) = text[end..].chars().next() {
        if text[end..].starts_with("${{")
            && let Some(close) = text[end..].find("}}")
        {
            end += close + 2;
            continue;
        }
        if c.is_whitespace() || [';', '\'', '"'].contains(&c) {
            break;
        }
        end += c.len_utf8();
    }
    &text[..end]
}

fn strip_keyword<'a>(text: &'a str, keyword: &str) -> Option<&'a str> {
    let head = text.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword)
        .then(|| &text[keyword.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_drops_likes_and_regexes_with_ranges() {
        let text = "duckdb -c \"DROP SCHEMA IF EXISTS pr_${{ github.event.number }} CASCADE\"\n\
                    psql -c \"select nspname from pg_namespace where nspname like 'dev_%'\"\n\
                    duckdb -c \"select regexp_full_match(schema_name, 'pr_[0-9]+')\"";
        let found = cleanup_patterns(text);
        assert_eq!(
            found[0].pattern,
            CleanupPattern::DropSchema(Some("pr_${{ github.event.number }}".to_owned()))
        );
        assert_eq!(
            &text[found[0].range.clone()],
            "DROP SCHEMA IF EXISTS pr_${{ github.event.number }}"
        );
        assert_eq!(found[1].pattern, CleanupPattern::Like("dev_%".to_owned()));
        assert_eq!(&text[found[1].range.clone()], "'dev_%'");
        assert_eq!(
            found[2].pattern,
            CleanupPattern::Regex("^(?:pr_[0-9]+)$".to_owned())
        );
    }

    #[test]
    fn a_word_ending_in_like_is_no_like_and_a_bare_drop_has_no_name() {
        let found = cleanup_patterns("unlike 'x'; DROP SCHEMA");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pattern, CleanupPattern::DropSchema(None));
    }

    #[test]
    fn jinja_string_joining_is_no_regular_expression() {
        let joined = "{% set pattern = prefix ~ '_' ~ suffix %}";
        assert!(cleanup_patterns(joined).is_empty());
        let sql_in_jinja = "{% set q = \"select s from t where s ~ '^pr_[0-9]+'\" %}";
        assert_eq!(
            cleanup_patterns(sql_in_jinja)[0].pattern,
            CleanupPattern::Regex("^pr_[0-9]+".to_owned())
        );
        let plain_sql = "select nspname from pg_namespace where nspname ~ '^dev_'";
        assert_eq!(
            cleanup_patterns(plain_sql)[0].pattern,
            CleanupPattern::Regex("^dev_".to_owned())
        );
    }

    #[test]
    fn reads_snapshots_in_concatenated_strings() {
        let text = r#"run_query("CREATE SNAPSHOT r_" ~ v ~ " OF transform")"#;
        let found = snapshot_mentions(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].database, "transform");
        assert!(text[found[0].range.clone()].starts_with("CREATE SNAPSHOT r_"));
        assert!(snapshot_mentions("CREATE SNAPSHOT s").is_empty());
    }

    #[test]
    fn multi_byte_text_never_splits_a_character() {
        for text in [
            "DROP SCHEMA é",
            "LIKE 'é",
            "x ~ 'é'",
            "CREATE SNAPSHOT é OF ü",
        ] {
            let _ = cleanup_patterns(text);
            let _ = snapshot_mentions(text);
        }
    }
}
