//! What a CI shell script does that matters here: dbt invocations (command, `--target`,
//! `run-operation` macro), environment assignments, the scripts and SQL files it runs, and
//! the SQL in it (permission statements, cleanup patterns and snapshots, read by
//! `envlint-sql`), each with its span in the file.

use std::ops::Range;

use envlint_diagnostics::{FileId, Span};
use envlint_sql::CleanupPattern;

use super::EnvVar;
use super::mapper::Mapper;
use super::shell::{Word, assignment_shape, commands, quoted, split_heredocs};

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

/// A `DROP SCHEMA` statement (or `bq rm -d <dataset>`), or a `LIKE`/regular-expression
/// pattern, in a cleanup script.
#[derive(Clone, Debug)]
pub struct DropStatement {
    pub pattern: CleanupPattern,
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

/// Scans a script. `mapper` turns offsets in `text` into file spans.
pub(super) fn scan(text: &str, mapper: &Mapper) -> ScriptFacts {
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

/// Scans a script that is not in a YAML scalar (tests, Makefiles): offsets map 1:1 from
/// `start` in `file`.
pub fn scan_script(file: FileId, start: usize, text: &str) -> ScriptFacts {
    scan(
        text,
        &Mapper::new(file, start..start + text.len(), text, text),
    )
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
        let name = dataset.text.rsplit(':').next().unwrap_or(&dataset.text);
        facts.drops.push(DropStatement {
            pattern: CleanupPattern::DropSchema(Some(name.to_owned())),
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

/// The cleanup patterns and snapshots anywhere in the script (they are usually inside a
/// quoted argument of `duckdb`, `psql`, `snowsql` or a Python one-liner).
fn scan_sql(text: &str, mapper: &Mapper, facts: &mut ScriptFacts) {
    for found in envlint_sql::cleanup_patterns(text) {
        facts.drops.push(DropStatement {
            pattern: found.pattern,
            span: mapper.span(found.range),
        });
    }
    for found in envlint_sql::snapshot_mentions(text) {
        facts.snapshots.push(SnapshotStatement {
            database: found.database,
            span: mapper.span(found.range.clone()),
            offset: found.range.start,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::makefile_recipe;

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
        assert_eq!(
            found.drops[0].pattern,
            CleanupPattern::DropSchema(Some("pr_42".to_owned()))
        );
        let github = facts("psql -c \"DROP SCHEMA pr${{ github.event.number }} CASCADE\"");
        assert_eq!(
            github.drops[0].pattern,
            CleanupPattern::DropSchema(Some("pr${{ github.event.number }}".to_owned()))
        );
        assert_eq!(
            found.drops[1].pattern,
            CleanupPattern::Like("dev_%".to_owned())
        );
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
