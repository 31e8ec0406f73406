//! ENV003 unused-suppression: a suppression comment that suppresses nothing.

use envlint_diagnostics::{Applicability, Edit, Fix, SourceDb, Span, lines};
use envlint_parser::{RuleRef, Suppression};

use crate::context::Context;
use crate::registry;
use crate::rule::{Rule, RuleMeta, declare_rule};
use crate::suppression::{CommentUse, RuleUse};

declare_rule! {
    /// ## What it does
    /// Flags a suppression comment, or one rule named in it, that suppresses nothing: the
    /// rule ran and reported nothing on the comment's line or the line below (or, for
    /// `ignore-file`, anywhere in the file); the rule name is unknown (with a suggestion); the
    /// comment starts with `envlint:` but is not understood; or it names ENV003 or ENV004,
    /// which judge the comments themselves and are turned off in `envlint.yml` instead.
    ///
    /// A rule that did not run (turned off in the policy, left out by `--select`, or listed
    /// by `--ignore`) is never reported: whether its suppression is still needed cannot be
    /// known. With `--no-suppressions` every comment is ignored and nothing is reported.
    ///
    /// The fix (safe) removes the comment, or only the unused rule when the comment names
    /// others that are still needed.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding on that line: the schema that was
    /// once shared on purpose is fixed, the comment stays, and a later regression goes
    /// unreported. A misspelt rule suppresses nothing and only looks like it does.
    ///
    /// ## Example
    /// ```yaml
    /// dev:
    ///   # envlint: ignore[ENV102] shared sandbox
    ///   schema: "dev_{{ env_var('USER') }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   schema: "dev_{{ env_var('USER') }}"
    /// ```
    pub struct UnusedSuppression;
    code = "ENV003", name = "unused-suppression", severity = Warning,
    summary = "a suppression comment that suppresses nothing",
    fix = Safe,
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn judges_suppressions(&self) -> bool {
        true
    }

    fn check(&self, cx: &mut Context<'_>) {
        let repo = cx.repo;
        for malformed in &repo.suppressions.malformed {
            let diag = cx
                .diagnostic(
                    format!("suppression comment not understood: {}", malformed.problem),
                    malformed.span,
                    "suppresses nothing",
                )
                .with_help(
                    "write `envlint: ignore[CODE] reason` or `envlint: ignore-file[CODE] reason`",
                );
            cx.report(diag);
        }
        for comment_use in cx.suppressions {
            for (rule, status) in &comment_use.rules {
                let Some(verdict) = judge(&repo.db, comment_use, rule, *status) else {
                    continue;
                };
                let mut diag = cx
                    .diagnostic(verdict.message, rule.span, "suppresses nothing")
                    .with_help(verdict.help);
                if let Some(fix) = verdict.fix {
                    diag = diag.with_fix(fix);
                }
                cx.report(diag);
            }
        }
    }
}

/// What to say about one rule named in a comment.
struct Verdict {
    message: String,
    help: String,
    fix: Option<Fix>,
}

/// `None` when the rule suppressed something, or did not run.
fn judge(
    db: &SourceDb,
    comment_use: &CommentUse<'_>,
    rule: &RuleRef,
    status: RuleUse,
) -> Option<Verdict> {
    let text = &rule.text;
    let verdict = match status {
        RuleUse::Used | RuleUse::NotRun => return None,
        RuleUse::Unused => {
            let fix = removal(db, comment_use, rule);
            Verdict {
                message: format!("`{text}` reports nothing here to suppress"),
                help: fix.message.clone(),
                fix: Some(fix),
            }
        }
        RuleUse::Unknown => Verdict {
            message: format!("unknown rule `{text}` in a suppression comment"),
            help: unknown_help(text),
            fix: None,
        },
        RuleUse::Unsuppressible => Verdict {
            message: format!("`{text}` cannot be suppressed by a comment"),
            help: format!("turn it off in envlint.yml instead: `rules: {{{text}: off}}`"),
            fix: None,
        },
    };
    Some(verdict)
}

fn unknown_help(text: &str) -> String {
    registry::suggest(text).map_or_else(
        || "`dbt-envlint rules` lists every rule".to_owned(),
        |s| format!("did you mean `{s}`?"),
    )
}

/// The fix for an unused rule: remove the whole comment when nothing in it is used, else
/// only this rule from the list.
fn removal(db: &SourceDb, comment_use: &CommentUse<'_>, rule: &RuleRef) -> Fix {
    let comment = comment_use.comment;
    let all_unused = comment_use
        .rules
        .iter()
        .all(|(_, status)| *status == RuleUse::Unused);
    if all_unused {
        let edit = Edit {
            span: comment_extent(db, comment),
            replacement: String::new(),
        };
        return Fix::new("remove the comment", Applicability::Safe, vec![edit]);
    }
    let edit = Edit {
        span: list_item_extent(comment, rule),
        replacement: String::new(),
    };
    let message = format!("remove `{}` from the list", rule.text);
    Fix::new(message, Applicability::Safe, vec![edit])
}

/// The comment with the whitespace before it, or its whole line when it stands alone.
fn comment_extent(db: &SourceDb, comment: &Suppression) -> Span {
    let text = &db.get(comment.file).text;
    let (start, end) = (comment.span.start as usize, comment.span.end as usize);
    let line_start = lines::line_start(text, start);
    let before = &text[line_start..start];
    let after = &text[end..];
    let line_rest = lines::next_line_start(text, end) - end;
    if before.trim().is_empty() && after[..line_rest].trim().is_empty() {
        return Span::new(comment.file, line_start, end + line_rest);
    }
    let trimmed = before.trim_end_matches([' ', '\t']).len();
    Span::new(comment.file, line_start + trimmed, end)
}

/// One rule in `[A, B, C]` with the separator that joins it to its neighbour.
fn list_item_extent(comment: &Suppression, rule: &RuleRef) -> Span {
    let rules = &comment.rules;
    let index = rules.iter().position(|r| r.span == rule.span).unwrap_or(0);
    let (start, end) = match (index.checked_sub(1), rules.get(index + 1)) {
        (Some(previous), _) => (rules[previous].span.end, rule.span.end),
        (None, Some(next)) => (rule.span.start, next.span.start),
        (None, None) => (rule.span.start, rule.span.end),
    };
    Span::new(comment.file, start as usize, end as usize)
}
