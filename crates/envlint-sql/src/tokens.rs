//! sqlparser's tokenizer with byte ranges, and the split of a script into statements.
//!
//! sqlparser reports token positions as line and character column; every token here carries
//! its byte range instead. A script is split on top-level `;` and wherever a Jinja tag stood.
//! A tokenizer error (an unterminated string, a stray character) blanks the rest of that
//! line and tokenizing starts again, so one bad line never hides the statements after it.

use std::ops::Range;

use sqlparser::dialect::{
    BigQueryDialect, DatabricksDialect, Dialect as SqlDialect, DuckDbDialect, GenericDialect,
    PostgreSqlDialect, RedshiftSqlDialect, SnowflakeDialect,
};
use sqlparser::tokenizer::{Location, Token, Tokenizer};

/// The warehouse dialect a script is written in, from the dbt adapter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    Snowflake,
    Postgres,
    Redshift,
    BigQuery,
    Databricks,
    DuckDb,
    #[default]
    Generic,
}

impl Dialect {
    /// The dialect for a dbt adapter type (`snowflake`, `duckdb`, ...).
    pub fn for_adapter(adapter: &str) -> Self {
        match adapter {
            "snowflake" => Self::Snowflake,
            "postgres" => Self::Postgres,
            "redshift" => Self::Redshift,
            "bigquery" => Self::BigQuery,
            "databricks" | "spark" => Self::Databricks,
            "duckdb" | "motherduck" => Self::DuckDb,
            _ => Self::Generic,
        }
    }

    fn sqlparser(self) -> Box<dyn SqlDialect> {
        match self {
            Self::Snowflake => Box::new(SnowflakeDialect {}),
            Self::Postgres => Box::new(PostgreSqlDialect {}),
            Self::Redshift => Box::new(RedshiftSqlDialect {}),
            Self::BigQuery => Box::new(BigQueryDialect {}),
            Self::Databricks => Box::new(DatabricksDialect {}),
            Self::DuckDb => Box::new(DuckDbDialect {}),
            Self::Generic => Box::new(GenericDialect {}),
        }
    }
}

/// A token other than whitespace or a comment, with its byte range.
#[derive(Clone, Debug)]
pub(crate) struct Tok {
    pub(crate) token: Token,
    pub(crate) range: Range<usize>,
}

impl Tok {
    /// The upper-cased word, if this is an unquoted word (keyword or identifier).
    pub(crate) fn keyword(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        }
    }

    pub(crate) fn is(&self, keyword: &str) -> bool {
        self.keyword().is_some_and(|k| k == keyword)
    }
}

/// The statements of `text` (already Jinja-masked): each a non-empty run of tokens.
pub(crate) fn statements(text: &str, dialect: Dialect, boundaries: &[usize]) -> Vec<Vec<Tok>> {
    let tokens = tokenize(text, dialect);
    let mut statements = Vec::new();
    let mut current: Vec<Tok> = Vec::new();
    let mut next_boundary = boundaries.iter().copied().peekable();
    for tok in tokens {
        let mut crossed = false;
        while next_boundary.next_if(|b| *b <= tok.range.start).is_some() {
            crossed = true;
        }
        if crossed && !current.is_empty() {
            statements.push(std::mem::take(&mut current));
        }
        if tok.token == Token::SemiColon {
            if !current.is_empty() {
                statements.push(std::mem::take(&mut current));
            }
        } else {
            current.push(tok);
        }
    }
    if !current.is_empty() {
        statements.push(current);
    }
    statements
}

/// Every significant token of `text`, retrying past lines the tokenizer rejects.
fn tokenize(text: &str, dialect: Dialect) -> Vec<Tok> {
    let dialect = dialect.sqlparser();
    let mut source = text.to_owned();
    for _ in 0..MAX_RETRIES {
        match tokenize_whole(dialect.as_ref(), &source) {
            Ok(tokens) => return tokens,
            Err(location) => {
                let from = Locator::new(&source).offset(location).min(source.len());
                let to = source[from..].find('\n').map_or(source.len(), |i| from + i);
                // Blank from the line's start: the error may be reported after the bad token.
                let line_start = source[..from].rfind('\n').map_or(0, |i| i + 1);
                source.replace_range(line_start..to, &" ".repeat(to - line_start));
            }
        }
    }
    // Many bad lines: each line on its own, in linear time (a string or comment over several
    // lines is then lost, which only such a file pays for).
    // The original text: a retry may have blanked a good line (an unterminated comment is
    // reported at the end of the text).
    let mut tokens = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Ok(found) = tokenize_whole(dialect.as_ref(), line) {
            tokens.extend(found.into_iter().map(|tok| Tok {
                range: tok.range.start + start..tok.range.end + start,
                ..tok
            }));
        }
        start += line.len();
    }
    tokens
}

/// Whole-text retries before the line-by-line fallback.
const MAX_RETRIES: usize = 8;

/// Every significant token of `text`, or where the tokenizer gave up.
fn tokenize_whole(dialect: &dyn SqlDialect, text: &str) -> Result<Vec<Tok>, Location> {
    let tokens = Tokenizer::new(dialect, text)
        .tokenize_with_location()
        .map_err(|error| error.location)?;
    let locator = Locator::new(text);
    Ok(tokens
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
        .map(|t| Tok {
            range: locator.offset(t.span.start)..locator.offset(t.span.end),
            token: t.token,
        })
        .collect())
}

/// Converts sqlparser's 1-based line and character column to a byte offset. Tokens come in
/// order, so it walks on from the last position on the same line: linear in the line's
/// length, however many statements share one line.
struct Locator<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// The last (line index, column, byte offset) found.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            text,
            line_starts,
            cursor: std::cell::Cell::new((0, 0, 0)),
        }
    }

    fn offset(&self, location: Location) -> usize {
        let line = usize::try_from(location.line.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let column = usize::try_from(location.column.saturating_sub(1)).unwrap_or(usize::MAX);
        let (at_line, at_column, at_byte) = self.cursor.get();
        let (mut current, mut byte) = if at_line == line && at_column <= column {
            (at_column, at_byte)
        } else {
            (0, start)
        };
        let mut chars = self.text[byte..].chars();
        while current < column {
            let Some(c) = chars.next() else {
                return self.text.len();
            };
            byte += c.len_utf8();
            current += 1;
        }
        if byte >= self.text.len() {
            return self.text.len();
        }
        self.cursor.set((line, current, byte));
        byte
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, boundaries: &[usize]) -> Vec<String> {
        statements(text, Dialect::Snowflake, boundaries)
            .iter()
            .map(|s| text[s[0].range.start..s[s.len() - 1].range.end].to_owned())
            .collect()
    }

    #[test]
    fn splits_on_semicolons_and_boundaries_with_byte_ranges() {
        let text = "-- c\ngrant usage on database wé to role r;\n\ngrant select on t to r  ";
        assert_eq!(
            texts(text, &[]),
            [
                "grant usage on database wé to role r",
                "grant select on t to r"
            ]
        );
        assert_eq!(texts("select 1 grant x", &[9]), ["select 1", "grant x"]);
    }

    #[test]
    fn many_lines_the_tokenizer_rejects_fall_back_to_reading_line_by_line() {
        // Each line opens a comment that never closes: one error per line.
        let mut text = "/* grant x to r\n".repeat(MAX_RETRIES + 2);
        text.push_str("grant select on t to role r;");
        assert_eq!(texts(&text, &[]), ["grant select on t to role r"]);
    }

    #[test]
    fn a_line_the_tokenizer_rejects_does_not_hide_the_rest() {
        let text = "grant x to 'unterminated\ngrant select on t to role r;";
        assert_eq!(texts(text, &[]), ["grant select on t to role r"]);
    }
}
