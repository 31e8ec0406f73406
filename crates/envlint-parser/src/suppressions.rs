//! Suppression comments: `# envlint: ignore[ENV102] reason` in YAML, `.env` files and
//! scripts, `{# envlint: ignore[ENV201] reason #}` or `-- envlint: ignore[ENV201] reason` in
//! SQL/Jinja, and the file-wide `ignore-file[...]` forms. Rule names stay text here: the
//! rules crate resolves and matches them.

mod comments;

use std::path::Path;

use envlint_diagnostics::{FileId, SourceDb, Span};

use comments::{Comment, hash_comments, sql_comments};

/// How every suppression comment starts.
const MARKER: &str = "envlint:";

/// What a suppression comment covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The comment's own lines and the line after it (1-based, inclusive).
    Lines { first: u32, last: u32 },
    /// The whole file (`ignore-file`).
    File,
}

/// A rule named in the brackets, as written, with where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub text: String,
    pub span: Span,
}

/// One understood suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub file: FileId,
    /// The whole comment.
    pub span: Span,
    pub scope: Scope,
    pub rules: Vec<RuleRef>,
    /// The text after the brackets, if any.
    pub reason: Option<String>,
}

/// A comment that starts with `envlint:` but does not say `ignore[...]` or
/// `ignore-file[...]`: it suppresses nothing, which its author should learn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedSuppression {
    pub span: Span,
    pub problem: &'static str,
}

/// Every suppression comment of a repository.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    pub comments: Vec<Suppression>,
    pub malformed: Vec<MalformedSuppression>,
}

impl Suppressions {
    /// Scans every loaded file by its kind (YAML, `.env`, scripts: `#`; SQL: `{# #}`, `--`).
    pub fn scan(db: &SourceDb) -> Self {
        let mut found = Self::default();
        for (file, _) in db.iter() {
            found.scan_file(db, file);
        }
        found
    }

    /// Forgets what `file` said and reads it again (an editor changed its text).
    pub fn rescan(&mut self, db: &SourceDb, file: FileId) {
        self.comments.retain(|c| c.file != file);
        self.malformed.retain(|m| m.span.file != file);
        self.scan_file(db, file);
    }

    fn scan_file(&mut self, db: &SourceDb, file: FileId) {
        let source = db.get(file);
        // Cheap enough for ten thousand model files: most never mention us.
        if !source.text.contains(MARKER) {
            return;
        }
        let comments = match comment_syntax(&source.path) {
            Some(Syntax::Hash) => hash_comments(&source.text),
            Some(Syntax::SqlJinja) => sql_comments(&source.text),
            None => return,
        };
        for comment in comments {
            self.read(db, file, &comment);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.comments.is_empty() && self.malformed.is_empty()
    }

    fn read(&mut self, db: &SourceDb, file: FileId, comment: &Comment) {
        let source = db.get(file);
        let body = &source.text[comment.body.clone()];
        let Some(directive) = directive(body) else {
            return;
        };
        let span = Span::new(file, comment.whole.start, comment.whole.end);
        let parsed = match directive {
            Ok(parsed) => parsed,
            Err(problem) => {
                self.malformed.push(MalformedSuppression { span, problem });
                return;
            }
        };
        let scope = if parsed.whole_file {
            Scope::File
        } else {
            let line = |offset: usize| source.lines.position(&source.text, offset).line;
            Scope::Lines {
                first: line(comment.whole.start),
                last: line(comment.whole.end).saturating_add(1),
            }
        };
        let at = comment.body.start;
        self.comments.push(Suppression {
            file,
            span,
            scope,
            rules: parsed
                .rules
                .into_iter()
                .map(|(text, range)| RuleRef {
                    text: text.to_owned(),
                    span: Span::new(file, at + range.start, at + range.end),
                })
                .collect(),
            reason: parsed.reason.map(str::to_owned),
        });
    }
}

enum Syntax {
    Hash,
    SqlJinja,
}

fn comment_syntax(path: &Path) -> Option<Syntax> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "sql" => Some(Syntax::SqlJinja),
        "yml" | "yaml" | "sh" | "py" | "mk" => Some(Syntax::Hash),
        _ if name == "makefile" || name == ".env" || name.starts_with(".env.") => {
            Some(Syntax::Hash)
        }
        _ => None,
    }
}

/// A comment body understood as a directive; ranges are relative to the body.
struct Directive<'a> {
    whole_file: bool,
    rules: Vec<(&'a str, std::ops::Range<usize>)>,
    reason: Option<&'a str>,
}

/// `None` when the comment is not addressed to envlint at all.
fn directive(body: &str) -> Option<Result<Directive<'_>, &'static str>> {
    // `{#- ... -#}` and `--- ...` are the same comments with more dashes.
    let trimmed = body.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
    let rest = trimmed.strip_prefix(MARKER)?.trim_start();
    let (whole_file, after_name) = if let Some(after) = rest.strip_prefix("ignore-file") {
        (true, after)
    } else if let Some(after) = rest.strip_prefix("ignore") {
        (false, after)
    } else {
        return Some(Err("expected `ignore[...]` or `ignore-file[...]`"));
    };
    let Some(list) = after_name.trim_start().strip_prefix('[') else {
        return Some(Err("expected `[` and the rules to ignore"));
    };
    let Some(close) = list.find(']') else {
        return Some(Err("expected `]` after the rules to ignore"));
    };
    let list_start = body.len() - list.len();
    let mut rules = Vec::new();
    let mut at = list_start;
    for item in list[..close].split(',') {
        let leading = item.len() - item.trim_start().len();
        let text = item.trim();
        if !text.is_empty() {
            rules.push((text, at + leading..at + leading + text.len()));
        }
        at += item.len() + 1;
    }
    if rules.is_empty() {
        return Some(Err("no rule between the brackets"));
    }
    let reason = list[close + 1..].trim().trim_end_matches('-').trim_end();
    Some(Ok(Directive {
        whole_file,
        rules,
        reason: (!reason.is_empty()).then_some(reason),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(path: &str, text: &str) -> Suppressions {
        let mut db = SourceDb::new();
        db.add(path, text);
        Suppressions::scan(&db)
    }

    #[test]
    fn codes_names_and_reasons_are_read_whitespace_tolerantly() {
        let text =
            "a: 1\nschema: dev  #envlint:ignore[ ENV102 ,shared-dev-schema]  shared on purpose\n";
        let found = scan("profiles.yml", text);
        let s = &found.comments[0];
        let rules: Vec<&str> = s.rules.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(rules, ["ENV102", "shared-dev-schema"]);
        assert_eq!(&text[s.rules[0].span.range()], "ENV102");
        assert_eq!(s.reason.as_deref(), Some("shared on purpose"));
        assert_eq!(s.scope, Scope::Lines { first: 2, last: 3 });
    }

    #[test]
    fn sql_forms_and_file_scope() {
        let text =
            "{# envlint: ignore-file[ENV201] legacy #}\nselect 1 -- envlint: ignore[ENV204]\n";
        let found = scan("models/a.sql", text);
        assert_eq!(found.comments[0].scope, Scope::File);
        assert_eq!(found.comments[0].reason.as_deref(), Some("legacy"));
        assert_eq!(found.comments[1].scope, Scope::Lines { first: 2, last: 3 });
        assert_eq!(found.comments[1].reason, None);
    }

    #[test]
    fn quoted_text_and_unrelated_files_hold_no_suppressions() {
        assert!(scan("profiles.yml", "a: \"# envlint: ignore[ENV102]\"\n").is_empty());
        assert!(scan("README.md", "# envlint: ignore[ENV102]\n").is_empty());
        assert_eq!(
            scan(".env", "# envlint: ignore[ENV308] x\n").comments.len(),
            1
        );
    }

    #[test]
    fn hostile_text_never_panics() {
        let inputs = [
            "# envlint:",
            "# envlint: ignore[",
            "# envlint: ignore-file[,,] \u{1F511}",
            "{# envlint: ignore[ENV201]",
            "-- envlint: ignore[é] é\r\n{#",
            "a: 'unclosed # envlint: ignore[ENV102]\n\u{feff}# envlint: ignore[ENV102]",
            "{{ '--' }}{% '%}' %}--",
        ];
        for text in inputs {
            for path in ["profiles.yml", "m.sql", ".env"] {
                let _ = scan(path, text);
            }
        }
    }

    #[test]
    fn malformed_directives_are_kept_with_their_problem() {
        let found = scan(
            "profiles.yml",
            "# envlint: disable ENV102\n# envlint: ignore[]\n# not envlint\n",
        );
        let problems: Vec<&str> = found.malformed.iter().map(|m| m.problem).collect();
        assert_eq!(
            problems,
            [
                "expected `ignore[...]` or `ignore-file[...]`",
                "no rule between the brackets"
            ]
        );
    }
}
