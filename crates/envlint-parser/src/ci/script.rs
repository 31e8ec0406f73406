//! What a CI shell script does that matters here: dbt invocations (command, `--target`,
//! `run-operation` macro), environment assignments, `DROP SCHEMA`/`LIKE` patterns and
//! MotherDuck `CREATE SNAPSHOT` statements, each with its span in the file.

use std::ops::Range;

use envlint_diagnostics::{FileId, Span};

use super::EnvVar;

/// dbt subcommands (the ones that run against the warehouse, and a few that do not).
const DBT_COMMANDS: &[&str] = &[
    "build",
    "run",
    "test",
    "seed",
    "snapshot",
    "run-operation",
    "compile",
    "ls",
    "list",
    "docs",
    "source",
    "parse",
    "deps",
    "debug",
    "clone",
    "retry",
    "show",
];

/// Everything found in one script.
#[derive(Clone, Debug)]
pub struct ScriptFacts {
    pub span: Span,
    pub dbt: Vec<DbtCall>,
    /// `export NAME=...`, `NAME=...` lines and `echo "NAME=..." >> $GITHUB_ENV`.
    pub assignments: Vec<EnvVar>,
    pub drops: Vec<DropStatement>,
    pub snapshots: Vec<SnapshotStatement>,
    /// Permission statements in one-line quoted SQL (`psql -c "grant ..."`), by file.
    pub sql: Vec<(FileId, envlint_sql::Statement)>,
    /// `make <target>`: Makefile targets the script runs (followed by the loader).
    pub make_targets: Vec<String>,
    /// `bash scripts/x.sh`, `./x.sh`: shell scripts the script runs (followed by the loader).
    pub scripts: Vec<String>,
    /// SQL files the script feeds to a client (`duckdb md: < snapshot.sql`,
    /// `-c ".read snapshot.sql"`, `psql -f snapshot.sql`), with the span of the name.
    pub sql_inputs: Vec<(String, Span)>,
    /// Files the script writes with a heredoc (`cat > profiles.yml <<EOF ... EOF`).
    pub heredocs: Vec<Heredoc>,
}

/// A file written inline by a script: where it goes and its body's lines in the file
/// (whole lines, indentation included).
#[derive(Clone, Debug)]
pub struct Heredoc {
    pub target: String,
    pub body: Span,
}

impl ScriptFacts {
    /// Adds what a followed Makefile recipe or shell script does.
    pub fn absorb(&mut self, other: Self) {
        self.dbt.extend(other.dbt);
        self.assignments.extend(other.assignments);
        self.drops.extend(other.drops);
        self.snapshots.extend(other.snapshots);
        self.sql.extend(other.sql);
        self.sql_inputs.extend(other.sql_inputs);
    }
}

/// `dbt <command> ...`.
#[derive(Clone, Debug)]
pub struct DbtCall {
    pub command: String,
    /// `--target X` / `-t X`.
    pub target: Option<(String, Span)>,
    /// `DBT_TARGET=prod dbt ...` and other assignments in front of the command.
    pub prefix: Vec<EnvVar>,
    /// The macro of `run-operation`.
    pub operation: Option<String>,
    /// The whole command.
    pub span: Span,
}

impl DbtCall {
    /// Whether the command writes to the warehouse.
    pub fn writes(&self) -> bool {
        [
            "build",
            "run",
            "seed",
            "snapshot",
            "run-operation",
            "clone",
            "retry",
        ]
        .contains(&self.command.as_str())
    }
}

/// A `DROP SCHEMA` statement, or a `LIKE`/regular-expression pattern, in a cleanup script.
#[derive(Clone, Debug)]
pub struct DropStatement {
    /// `DROP SCHEMA <name>` (or `bq rm -d <dataset>`): the schema expression as written.
    pub schema: Option<String>,
    /// `LIKE '<pattern>'`.
    pub like: Option<String>,
    /// `regexp_matches(x, '<re>')`, `x ~ '<re>'`, `REGEXP '<re>'`, `RLIKE '<re>'`.
    pub regex: Option<String>,
    pub span: Span,
}

/// MotherDuck `CREATE SNAPSHOT <name> OF <database>`.
#[derive(Clone, Debug)]
pub struct SnapshotStatement {
    pub database: String,
    pub span: Span,
    /// Where it starts in the scanned script.
    offset: usize,
}

/// Maps byte offsets of a scalar's value to its file: exact for plain and simply quoted
/// scalars and for literal block scalars (indentation removed line by line), else the
/// whole scalar.
pub(crate) struct Mapper {
    file: FileId,
    whole: Range<usize>,
    lines: Option<Vec<(usize, usize)>>,
}

impl Mapper {
    pub(crate) fn new(file: FileId, whole: Range<usize>, raw: &str, value: &str) -> Self {
        let lines = if raw == value {
            Some(vec![(0, whole.start)])
        } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(value) {
            Some(vec![(0, whole.start + 1)])
        } else {
            block_lines(raw, whole.start, value)
        };
        Self { file, whole, lines }
    }

    pub(crate) fn span(&self, range: Range<usize>) -> Span {
        let Some(lines) = &self.lines else {
            return Span::new(self.file, self.whole.start, self.whole.end);
        };
        let line = lines
            .partition_point(|(value_start, _)| *value_start <= range.start)
            .saturating_sub(1);
        let (value_start, file_start) = lines[line];
        let start = file_start + (range.start - value_start);
        Span::new(self.file, start, start + range.len())
    }

    /// A range that may cross lines: both ends mapped.
    pub(crate) fn range_span(&self, range: Range<usize>) -> Span {
        let start = self.span(range.start..range.start);
        let end = self.span(range.end..range.end);
        Span::new(
            self.file,
            start.start as usize,
            (end.start as usize).max(start.start as usize),
        )
    }

    pub(crate) fn file(&self) -> FileId {
        self.file
    }

    /// Whether offsets map exactly (else every span is the whole scalar).
    fn is_exact(&self) -> bool {
        self.lines.is_some()
    }

    pub(crate) fn whole(&self) -> Span {
        Span::new(self.file, self.whole.start, self.whole.end)
    }
}

/// Line starts of a literal block scalar: value line `i` is raw line `i` without the block's
/// indentation (a line may be indented further: that is part of its value, as in a SQL
/// string spread over several lines). `None` when the value is not laid out like that
/// (folded, escaped).
fn block_lines(raw: &str, raw_start: usize, value: &str) -> Option<Vec<(usize, usize)>> {
    let mut lines = Vec::new();
    let mut raw_offset = 0;
    let mut value_offset = 0;
    let mut raw_lines = envlint_diagnostics::lines::lines_with_ends(raw);
    for line in value.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let raw_line = raw_lines.next()?;
        let raw_content = envlint_diagnostics::lines::trim_line_end(raw_line);
        let skip = if content.is_empty() {
            0
        } else {
            let indent = raw_content.strip_suffix(content)?;
            if !indent.chars().all(|c| c == ' ' || c == '\t') {
                return None;
            }
            indent.len()
        };
        lines.push((value_offset, raw_start + raw_offset + skip));
        raw_offset += raw_line.len();
        value_offset += line.len();
    }
    Some(lines)
}

/// Scans a script. `mapper` turns offsets in `text` into file spans.
pub(crate) fn scan(text: &str, mapper: &Mapper) -> ScriptFacts {
    let mut facts = ScriptFacts {
        span: mapper.whole(),
        dbt: Vec::new(),
        assignments: Vec::new(),
        drops: Vec::new(),
        snapshots: Vec::new(),
        sql: Vec::new(),
        make_targets: Vec::new(),
        scripts: Vec::new(),
        sql_inputs: Vec::new(),
        heredocs: Vec::new(),
    };
    let (commands_text, heredocs) = split_heredocs(text);
    let heredoc_bodies = heredocs.clone();
    facts.heredocs = heredocs
        .into_iter()
        .map(|(target, body)| Heredoc {
            target,
            body: mapper.range_span(body),
        })
        .collect();
    let commands = commands(&commands_text);
    for command in &commands {
        scan_command(&commands_text, command, mapper, &mut facts);
    }
    let printed: Vec<Range<usize>> = commands
        .iter()
        .filter_map(|command| only_printed(&commands_text, command))
        .collect();
    scan_sql(text, mapper, &mut facts);
    facts
        .snapshots
        .retain(|snapshot| !printed.iter().any(|range| range.contains(&snapshot.offset)));
    if mapper.is_exact() {
        facts.sql = sql_statements(&commands_text, text, &heredoc_bodies, mapper);
    }
    facts
}

/// Permission statements in the quoted strings of a script (`duckdb md: -c "..."`,
/// `snowsql -q '...'`, `con.sql('...')`, over several lines too) and in the heredocs it feeds
/// to a SQL client (`duckdb md: <<SQL`), with file spans.
fn sql_statements(
    commands: &str,
    text: &str,
    heredocs: &[(String, Range<usize>)],
    mapper: &Mapper,
) -> Vec<(FileId, envlint_sql::Statement)> {
    let fed_to_a_client = heredocs
        .iter()
        .filter(|(target, _)| target.is_empty() || target.ends_with(".sql"))
        .map(|(_, body)| body.clone());
    quoted(commands)
        .into_iter()
        .chain(fed_to_a_client)
        .filter(|range| envlint_sql::may_hold_permissions(&text[range.clone()]))
        .flat_map(|range| {
            envlint_sql::statements(&text[range.clone()], envlint_sql::Dialect::Generic)
                .into_iter()
                .map(move |statement| {
                    let placed = statement.remapped(|r| {
                        mapper
                            .range_span(range.start + r.start..range.start + r.end)
                            .range()
                    });
                    (mapper.file(), placed)
                })
        })
        .collect()
}

/// The contents of `'...'` and `"..."` strings (a backslash escapes a double quote); shell
/// comment lines are skipped, so an apostrophe in `# don't` opens nothing.
fn quoted(text: &str) -> Vec<Range<usize>> {
    let mut bytes = text.as_bytes().to_vec();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            bytes[line_start..line_start + line.len()].fill(b' ');
        }
        line_start += line.len();
    }
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = bytes[at..]
        .iter()
        .position(|b| *b == b'"' || *b == b'\'')
        .map(|i| at + i)
    {
        let quote = bytes[open];
        let mut close = open + 1;
        while close < bytes.len()
            && !(bytes[close] == quote && (quote == b'\'' || bytes[close - 1] != b'\\'))
        {
            close += 1;
        }
        if close >= bytes.len() {
            break;
        }
        found.push(open + 1..close);
        at = close + 1;
    }
    found
}

/// The recipe of a Makefile target: the tab-indented lines after `target:`, with the offset
/// of the first.
pub fn makefile_recipe<'a>(makefile: &'a str, target: &str) -> Option<(usize, &'a str)> {
    let mut offset = 0;
    let mut start = None;
    for line in makefile.split_inclusive('\n') {
        match start {
            None => {
                let head = line.split(':').next().unwrap_or("");
                if !line.starts_with(['\t', ' ', '#'])
                    && line.contains(':')
                    && head.split_whitespace().any(|t| t == target)
                {
                    start = Some(offset + line.len());
                }
            }
            Some(begin) => {
                if !line.starts_with('\t') && !line.trim().is_empty() {
                    return Some((begin, &makefile[begin..offset]));
                }
            }
        }
        offset += line.len();
    }
    start.map(|begin| (begin, &makefile[begin..]))
}

/// Scans a script that is not in a YAML scalar (tests, Makefiles): offsets map 1:1 from
/// `start` in `file`.
pub fn scan_script(file: FileId, start: usize, text: &str) -> ScriptFacts {
    scan(
        text,
        &Mapper::new(file, start..start + text.len(), text, text),
    )
}

/// Heredoc bodies (`<<EOF` ... `EOF`) with the file they are written to (`> path` or
/// `tee path` on the opening line), and the script with those bodies blanked (same length),
/// so their lines are not read as commands.
fn split_heredocs(text: &str) -> (String, Vec<(String, Range<usize>)>) {
    let mut blanked = text.to_owned();
    let mut found = Vec::new();
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let line_end = offset + line.len();
        let opener = line.find("<<").and_then(|at| {
            let rest = line[at + 2..].trim_start_matches('-').trim_start();
            let delimiter: String = rest
                .trim_start_matches(['\'', '"'])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!delimiter.is_empty()).then_some(delimiter)
        });
        offset = line_end;
        let Some(delimiter) = opener else {
            continue;
        };
        let target = line
            .split(|c: char| c.is_whitespace())
            .skip_while(|w| !(*w == ">" || *w == "tee" || w.starts_with('>')))
            .find_map(|w| {
                let w = w.trim_start_matches('>');
                (!w.is_empty() && w != "tee" && !w.starts_with("<<"))
                    .then(|| w.trim_matches(['"', '\'']).to_owned())
            })
            .unwrap_or_default();
        let body_start = offset;
        let mut body_end = offset;
        for body_line in lines.by_ref() {
            offset += body_line.len();
            if body_line.trim() == delimiter {
                break;
            }
            body_end = offset;
        }
        blanked.replace_range(body_start..body_end, &" ".repeat(body_end - body_start));
        found.push((target, body_start..body_end));
    }
    (blanked, found)
}

/// A word of a command with its range in the script.
struct Word {
    text: String,
    range: Range<usize>,
}

/// Commands of a script: words split on newlines (not after `\`), `&&`, `||`, `;`, `|`.
fn commands(text: &str) -> Vec<Vec<Word>> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut current = String::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    let finish_word =
        |words: &mut Vec<Word>, current: &mut String, start: &mut Option<usize>, end: usize| {
            if let Some(s) = start.take() {
                words.push(Word {
                    text: std::mem::take(current),
                    range: s..end,
                });
            }
        };
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                start.get_or_insert(at);
            }
            (None, '\\') if chars.peek().is_some_and(|(_, n)| *n == '\n') => {
                chars.next();
                finish_word(&mut words, &mut current, &mut start, at);
            }
            (None, '#') if start.is_none() => {
                while chars.peek().is_some_and(|(_, n)| *n != '\n') {
                    chars.next();
                }
            }
            (None, '\n' | ';' | '|' | '&') => {
                finish_word(&mut words, &mut current, &mut start, at);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            (None, c) if c.is_whitespace() => finish_word(&mut words, &mut current, &mut start, at),
            (None, c) => {
                start.get_or_insert(at);
                current.push(c);
            }
        }
    }
    finish_word(&mut words, &mut current, &mut start, text.len());
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// `NAME=value`: the name and the value.
fn assignment_shape(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then_some((name, value))
}

fn assignment(word: &Word, mapper: &Mapper) -> Option<EnvVar> {
    let (name, value) = assignment_shape(&word.text)?;
    Some(EnvVar {
        name: name.to_owned(),
        value: value.to_owned(),
        span: mapper.span(word.range.clone()),
    })
}

fn scan_command(text: &str, words: &[Word], mapper: &Mapper, facts: &mut ScriptFacts) {
    let Some(first) = words.first() else {
        return;
    };
    if first.text == "export" {
        facts
            .assignments
            .extend(words[1..].iter().filter_map(|w| assignment(w, mapper)));
        return;
    }
    if first.text == "echo"
        && text[first.range.start..]
            .lines()
            .next()
            .is_some_and(|l| l.contains("GITHUB_ENV"))
    {
        facts
            .assignments
            .extend(words[1..].iter().filter_map(|w| assignment(w, mapper)));
        return;
    }
    let prefix: Vec<EnvVar> = words.iter().map_while(|w| assignment(w, mapper)).collect();
    if prefix.len() == words.len() {
        facts.assignments.extend(prefix);
        return;
    }
    let program = &words[prefix.len()];
    if program.text == "make" {
        facts.make_targets.extend(
            words[prefix.len() + 1..]
                .iter()
                .filter(|w| !w.text.starts_with('-') && !w.text.contains('='))
                .map(|w| w.text.clone()),
        );
        return;
    }
    let script = match program.text.as_str() {
        "bash" | "sh" => words.get(prefix.len() + 1).map(|w| w.text.as_str()),
        path => Some(path),
    };
    if let Some(script) = script.filter(|s| s.ends_with(".sh")) {
        facts
            .scripts
            .push(script.trim_start_matches("./").to_owned());
        return;
    }
    if program.text == "bq"
        && words.get(prefix.len() + 1).is_some_and(|w| w.text == "rm")
        && let Some(dataset) = words.last().filter(|w| !w.text.starts_with('-'))
    {
        facts.drops.push(DropStatement {
            schema: Some(
                dataset
                    .text
                    .rsplit(':')
                    .next()
                    .unwrap_or(&dataset.text)
                    .to_owned(),
            ),
            like: None,
            regex: None,
            span: mapper.span(program.range.start..dataset.range.end),
        });
        return;
    }
    facts.sql_inputs.extend(sql_inputs(words, mapper));
    let Some(dbt_at) = words
        .iter()
        .position(|w| w.text == "dbt" || w.text.ends_with("/dbt"))
    else {
        return;
    };
    let Some(command) = words
        .get(dbt_at + 1)
        .filter(|w| DBT_COMMANDS.contains(&w.text.as_str()))
    else {
        return;
    };
    let mut target = None;
    let mut operation = None;
    let mut index = dbt_at + 2;
    while let Some(word) = words.get(index) {
        if let Some(value) = word.text.strip_prefix("--target=") {
            let start = word.range.start + "--target=".len();
            target = Some((value.to_owned(), mapper.span(start..word.range.end)));
        } else if (word.text == "--target" || word.text == "-t")
            && let Some(value) = words.get(index + 1)
        {
            target = Some((value.text.clone(), mapper.span(value.range.clone())));
            index += 1;
        } else if command.text == "run-operation"
            && operation.is_none()
            && !word.text.starts_with('-')
        {
            operation = Some(word.text.clone());
        }
        index += 1;
    }
    let end = words.last().map_or(first.range.end, |w| w.range.end);
    facts.dbt.push(DbtCall {
        command: command.text.clone(),
        target,
        prefix,
        operation,
        span: mapper.span(words[dbt_at].range.start..end),
    });
}

/// SQL files a command feeds to a client: `< file.sql`, `-f file.sql`, `".read file.sql"`.
fn sql_inputs(words: &[Word], mapper: &Mapper) -> Vec<(String, Span)> {
    let mut found = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let next = words.get(index + 1);
        let (name, range) = if let Some(name) = word.text.strip_prefix(".read ") {
            (name.trim(), word.range.clone())
        } else if let Some(name) = word.text.strip_prefix('<').filter(|n| !n.is_empty()) {
            (name, word.range.start + 1..word.range.end)
        } else if ["<", "-f", "--file"].contains(&word.text.as_str())
            && let Some(next) = next
        {
            (next.text.as_str(), next.range.clone())
        } else {
            continue;
        };
        if name.ends_with(".sql") && !name.starts_with('<') {
            found.push((name.trim_start_matches("./").to_owned(), mapper.span(range)));
        }
    }
    found
}

/// The range of an `echo`/`printf` command whose output is not piped into another command:
/// SQL in it is printed (or written to a file), not run.
fn only_printed(text: &str, words: &[Word]) -> Option<Range<usize>> {
    let program = words.iter().find(|w| assignment_shape(&w.text).is_none())?;
    if !["echo", "printf"].contains(&program.text.as_str()) {
        return None;
    }
    let end = words.last()?.range.end;
    let after = text[end..].trim_start_matches([' ', '\t']);
    let piped = after.starts_with('|') && !after.starts_with("||");
    (!piped).then_some(program.range.start..end)
}

/// Case-insensitive search for SQL shapes anywhere in the script (they are usually inside
/// a quoted argument of `duckdb`, `psql`, `snowsql` or a Python one-liner).
fn scan_sql(text: &str, mapper: &Mapper, facts: &mut ScriptFacts) {
    let upper = text.to_ascii_uppercase();
    for (at, _) in upper.match_indices("DROP SCHEMA") {
        let rest = &text[at + "DROP SCHEMA".len()..];
        let rest = rest.trim_start();
        let rest = strip_keyword(rest, "IF EXISTS")
            .unwrap_or(rest)
            .trim_start();
        let name = schema_word(rest).to_owned();
        let end = text.len() - rest.len() + name.len();
        facts.drops.push(DropStatement {
            schema: (!name.is_empty()).then_some(name),
            like: None,
            regex: None,
            span: mapper.span(at..end),
        });
    }
    for (at, _) in upper.match_indices("LIKE") {
        let before_ok = at == 0 || !upper.as_bytes()[at - 1].is_ascii_alphanumeric();
        let rest = text[at + 4..].trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '\'') else {
            continue;
        };
        let Some(close) = rest[1..].find(quote) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let start = text.len() - rest.len();
        facts.drops.push(DropStatement {
            schema: None,
            like: Some(rest[1..1 + close].to_owned()),
            regex: None,
            span: mapper.span(start..start + close + 2),
        });
    }
    for keyword in [
        "REGEXP_MATCHES(",
        "REGEXP_LIKE(",
        "REGEXP_FULL_MATCH(",
        " ~ ",
        " REGEXP ",
        " RLIKE ",
    ] {
        for (at, _) in upper.match_indices(keyword) {
            let after = at + keyword.len();
            let search = &text[after..];
            // In a function call the pattern is the second argument.
            let from = if keyword.ends_with('(') {
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
            let full = keyword.starts_with("REGEXP_FULL");
            facts.drops.push(DropStatement {
                schema: None,
                like: None,
                regex: Some(if full {
                    format!("^(?:{pattern})$")
                } else {
                    pattern.to_owned()
                }),
                span: mapper.span(start..start + close + 2),
            });
        }
    }
    for (at, _) in upper.match_indices("CREATE SNAPSHOT") {
        let rest = &upper[at..];
        let Some(of) = rest.find(" OF ") else {
            continue;
        };
        let database: String = text[at + of + 4..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '"')
            .collect();
        let end = at + of + 4 + database.len();
        facts.snapshots.push(SnapshotStatement {
            database: database.trim_matches('"').to_owned(),
            span: mapper.span(at..end.min(text.len())),
            offset: at,
        });
    }
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

    fn facts(text: &str) -> ScriptFacts {
        scan_script(FileId(0), 0, text)
    }

    #[test]
    fn reads_permission_statements_in_quoted_sql_with_file_spans() {
        let text = "set -e\nduckdb md: -c \"CREATE OR REPLACE SHARE raw_prod FROM raw (ACCESS RESTRICTED)\"";
        let found = scan_script(FileId(0), 10, text);
        assert_eq!(found.sql.len(), 1);
        let (_, statement) = &found.sql[0];
        let start = text.find("CREATE").expect("statement") + 10;
        assert_eq!(statement.span.start, start);
    }

    #[test]
    fn reads_permission_statements_over_several_lines_and_in_heredocs() {
        let text = "# don't drop anything here\nduckdb md: -c \"\n  CREATE OR REPLACE SHARE raw_prod\n  FROM raw (ACCESS RESTRICTED)\"\nduckdb md: <<'SQL'\nGRANT READ ON SHARE raw_prod TO transform_dev;\nSQL\ncat > profiles.yml <<EOF\ngrants: x\nEOF\n";
        let found = scan_script(FileId(0), 0, text);
        let kinds: Vec<String> = found
            .sql
            .iter()
            .map(|(_, s)| {
                text[s.span.clone()]
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(kinds, ["CREATE OR REPLACE SHARE", "GRANT READ ON SHARE"]);
        let envlint_sql::StatementKind::CreateShare(share) = &found.sql[0].1.kind else {
            panic!("{:?}", found.sql[0].1.kind)
        };
        let access = share.option("ACCESS").expect("ACCESS");
        assert_eq!(&text[access.span.clone()], "ACCESS RESTRICTED");
    }

    #[test]
    fn finds_dbt_calls_targets_and_prefixes() {
        let text = "pip install dbt-duckdb\nDBT_TARGET=prod uv run dbt build --target prod --select state:modified+ \\\n  --defer\ndbt run-operation drop_schema --args '{schema: x}' -t ci";
        let found = facts(text);
        assert_eq!(found.dbt.len(), 2);
        let build = &found.dbt[0];
        assert_eq!(build.command, "build");
        let (target, span) = build.target.as_ref().expect("target");
        assert_eq!(target, "prod");
        assert_eq!(&text[span.range()], "prod");
        assert_eq!(build.prefix[0].name, "DBT_TARGET");
        assert_eq!(found.dbt[1].operation.as_deref(), Some("drop_schema"));
        assert_eq!(
            found.dbt[1].target.as_ref().map(|t| t.0.as_str()),
            Some("ci")
        );
    }

    #[test]
    fn finds_assignments_and_sql() {
        let text = "export DBT_SCHEMA=pr_${PR}\necho \"DBT_TARGET=ci\" >> $GITHUB_ENV\nduckdb md: -c \"DROP SCHEMA IF EXISTS pr_42 CASCADE; SELECT 1 WHERE s LIKE 'dev_%'\"\npython -c \"con.sql('CREATE SNAPSHOT rel OF transform')\"";
        let found = facts(text);
        let names: Vec<&str> = found.assignments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["DBT_SCHEMA", "DBT_TARGET"]);
        assert_eq!(found.drops[0].schema.as_deref(), Some("pr_42"));
        let github = facts("psql -c \"DROP SCHEMA pr${{ github.event.number }} CASCADE\"");
        assert_eq!(
            github.drops[0].schema.as_deref(),
            Some("pr${{ github.event.number }}")
        );
        assert_eq!(found.drops[1].like.as_deref(), Some("dev_%"));
        assert_eq!(found.snapshots[0].database, "transform");
    }

    #[test]
    fn printed_snapshots_do_not_count_and_piped_ones_do() {
        let found = facts(
            "echo \"CREATE SNAPSHOT a OF transform\"\necho 'CREATE SNAPSHOT b OF raw' | duckdb md:",
        );
        let databases: Vec<&str> = found
            .snapshots
            .iter()
            .map(|s| s.database.as_str())
            .collect();
        assert_eq!(databases, ["raw"]);
    }

    #[test]
    fn finds_sql_files_fed_to_a_client() {
        let text = "duckdb md: < sql/snapshot.sql\nduckdb md: -c \".read ./release.sql\"\npsql -f grants.sql\n";
        let found = facts(text);
        let names: Vec<&str> = found.sql_inputs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sql/snapshot.sql", "release.sql", "grants.sql"]);
        assert_eq!(&text[found.sql_inputs[0].1.range()], "sql/snapshot.sql");
    }

    #[test]
    fn heredoc_bodies_are_files_not_commands() {
        let text = "cat > ~/.dbt/profiles.yml <<'EOF'\np:\n  outputs:\n    ci: {schema: dbt run}\nEOF\ndbt build -t ci\n";
        let found = facts(text);
        assert_eq!(found.heredocs.len(), 1);
        assert_eq!(found.heredocs[0].target, "~/.dbt/profiles.yml");
        let body = &text[found.heredocs[0].body.range()];
        assert!(
            body.starts_with("p:\n") && body.ends_with("dbt run}\n"),
            "{body:?}"
        );
        assert_eq!(found.dbt.len(), 1, "the body's `dbt run` is not a command");
    }

    #[test]
    fn follows_make_targets_and_scripts() {
        let found = facts("make deploy TARGET=prod\nbash scripts/build.sh --fast\n./run.sh");
        assert_eq!(found.make_targets, ["deploy"]);
        assert_eq!(found.scripts, ["scripts/build.sh", "run.sh"]);
        let makefile =
            "deps:\n\tdbt deps\n\ndeploy: deps\n\tdbt build --target prod\n\nother:\n\techo\n";
        let (start, recipe) = makefile_recipe(makefile, "deploy").expect("recipe");
        assert_eq!(recipe.trim(), "dbt build --target prod");
        assert_eq!(&makefile[start..start + 4], "\tdbt");
    }

    #[test]
    fn block_scalar_lines_indented_further_map_to_the_file() {
        let file = "run: |\n  psql -c \"\n    SELECT 1\n      WHERE s LIKE 'pr_%'\"\n";
        let raw_start = file.find("psql").unwrap_or(0);
        let value = "psql -c \"\n  SELECT 1\n    WHERE s LIKE 'pr_%'\"\n";
        let mapper = Mapper::new(FileId(0), raw_start..file.len(), &file[raw_start..], value);
        let found = scan(value, &mapper);
        assert_eq!(&file[found.drops[0].span.range()], "'pr_%'");
    }

    #[test]
    fn block_scalar_offsets_map_to_the_file() {
        let file = "run: |\n  echo hi\n  dbt build --target prod\n";
        let raw_start = file.find("echo").unwrap_or(0);
        let raw = &file[raw_start..];
        let value = "echo hi\ndbt build --target prod\n";
        let mapper = Mapper::new(FileId(0), raw_start..file.len(), raw, value);
        let found = scan(value, &mapper);
        let (_, span) = found.dbt[0].target.as_ref().expect("target");
        assert_eq!(&file[span.range()], "prod");
    }
}
