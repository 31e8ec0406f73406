//! Applies suppression comments to the findings of every rule, after all of them ran, and
//! records what each comment did for ENV003.
//!
//! A comment counts for a finding when it names the finding's rule and sits on the same line
//! as, or on the line directly above, any line touched by any label of the finding (primary
//! or related, in any file); `ignore-file` counts for every label in its file.

use envlint_diagnostics::{Diagnostic, Label, SourceDb};
use envlint_parser::{RuleRef, Scope, Suppression, Suppressions};

use crate::meta::RuleMeta;

/// Finds a rule by the code or name a comment gives.
pub(crate) type FindRule = fn(&str) -> Option<&'static RuleMeta>;

/// What became of one rule named in a suppression comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleUse {
    /// It suppressed at least one finding.
    Used,
    /// Its rule ran and reported nothing here.
    Unused,
    /// Its rule did not run (turned off, not selected): whether it is needed is unknown.
    NotRun,
    /// A rule that judges the comments themselves, which no comment can silence.
    Unsuppressible,
    /// No rule has this code or name.
    Unknown,
}

/// One suppression comment and what became of each rule it names.
#[derive(Debug)]
pub struct CommentUse<'a> {
    pub comment: &'a Suppression,
    pub rules: Vec<(&'a RuleRef, RuleUse)>,
}

/// The findings left after suppression, how many were suppressed, and each comment's use.
pub(crate) struct Applied<'a> {
    pub kept: Vec<Diagnostic>,
    pub suppressed: usize,
    pub uses: Vec<CommentUse<'a>>,
}

/// Removes the findings that a comment suppresses. `find` looks rules up; `ran` lists the
/// codes of the rules whose findings are in `diagnostics`; `judges` the codes of the rules
/// that judge comments.
pub(crate) fn apply<'a>(
    db: &SourceDb,
    suppressions: &'a Suppressions,
    diagnostics: Vec<Diagnostic>,
    find: FindRule,
    ran: &[&str],
    judges: &[&str],
) -> Applied<'a> {
    let mut uses: Vec<CommentUse<'a>> = suppressions
        .comments
        .iter()
        .map(|comment| CommentUse {
            comment,
            rules: comment
                .rules
                .iter()
                .map(|rule| (rule, initial_use(find, rule, ran, judges)))
                .collect(),
        })
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut suppressed = 0;
    for diagnostic in diagnostics {
        let mut matched = false;
        for comment_use in &mut uses {
            if !covers(db, comment_use.comment, &diagnostic) {
                continue;
            }
            for (rule, status) in &mut comment_use.rules {
                if *status != RuleUse::NotRun
                    && find(&rule.text).is_some_and(|m| m.code == diagnostic.code)
                {
                    *status = RuleUse::Used;
                    matched = true;
                }
            }
        }
        if matched {
            suppressed += 1;
        } else {
            kept.push(diagnostic);
        }
    }
    Applied {
        kept,
        suppressed,
        uses,
    }
}

fn initial_use(find: FindRule, rule: &RuleRef, ran: &[&str], judges: &[&str]) -> RuleUse {
    match find(&rule.text) {
        None => RuleUse::Unknown,
        Some(meta) if judges.contains(&meta.code) => RuleUse::Unsuppressible,
        Some(meta) if ran.contains(&meta.code) => RuleUse::Unused,
        Some(_) => RuleUse::NotRun,
    }
}

/// Whether the comment's scope takes in a line of any label of the finding.
fn covers(db: &SourceDb, comment: &Suppression, diagnostic: &Diagnostic) -> bool {
    diagnostic
        .labels()
        .iter()
        .filter(|label| label.span.file == comment.file)
        .any(|label| match comment.scope {
            Scope::File => true,
            Scope::Lines { first, last } => {
                let (start, end) = label_lines(db, label);
                start <= last && first <= end
            }
        })
}

/// The first and last line (1-based) a label touches.
fn label_lines(db: &SourceDb, label: &Label) -> (u32, u32) {
    let file = db.get(label.span.file);
    let line = |offset: u32| file.lines.position(&file.text, offset as usize).line;
    let last_byte = if label.span.is_empty() {
        label.span.start
    } else {
        label.span.end - 1
    };
    (line(label.span.start), line(last_byte))
}

#[cfg(test)]
mod tests {
    use super::*;
    use envlint_diagnostics::{Severity, Span};

    fn finding(code: &'static str, span: Span) -> Diagnostic {
        Diagnostic::new(code, "x", Severity::Error, "m", span, "l")
    }

    #[test]
    fn a_comment_covers_its_line_and_the_next_through_any_label() {
        let mut db = SourceDb::new();
        let text = "a: 1\n# envlint: ignore[ENV102, ENV9] why\nb: 2\nc: 3\n";
        let file = db.add("profiles.yml", text);
        let other = db.add("dbt_project.yml", "x: 1\n");
        let suppressions = Suppressions::scan(&db);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap_or_default();
            Span::new(file, start, start + needle.len())
        };
        let findings = vec![
            finding("ENV102", at("b: 2")),
            finding("ENV102", at("c: 3")),
            finding("ENV102", Span::new(other, 0, 1)).with_related(at("b: 2"), "related"),
            finding("ENV101", at("b: 2")),
        ];
        let applied = apply(
            &db,
            &suppressions,
            findings,
            crate::registry::find,
            &["ENV101", "ENV102"],
            &[],
        );
        assert_eq!(applied.suppressed, 2);
        let kept: Vec<u32> = applied
            .kept
            .iter()
            .map(|d| d.primary().span.start)
            .collect();
        assert_eq!(kept, [at("c: 3").start, at("b: 2").start]);
        let uses: Vec<RuleUse> = applied.uses[0].rules.iter().map(|r| r.1).collect();
        assert_eq!(uses, [RuleUse::Used, RuleUse::Unknown]);
    }
}
