//! The reading budgets of one SQL text: past either, the rest is not read and one
//! [`StatementKind::OverBudget`] says so, so a hostile script costs bounded time and memory.

use crate::model::{Statement, StatementKind};
use crate::tokens::Tok;

/// The byte budget of one SQL text (a script, a macro, a hook): real setup scripts are a
/// few hundred KiB; 10^6 grants (46 MB) took 51 s and 3.4 GB.
const MAX_SQL_BYTES: usize = 8 * 1024 * 1024;

/// The statement budget of one SQL text: statements past it are not read.
const MAX_STATEMENTS: usize = 100_000;

/// `None` when `text` is within the byte budget, else the statement that says it is not.
pub(crate) fn too_long(text: &str) -> Option<Statement> {
    (text.len() > MAX_SQL_BYTES).then(|| {
        let first_line = text.find('\n').unwrap_or(text.len()).min(200);
        let end = (0..=first_line)
            .rev()
            .find(|at| text.is_char_boundary(*at))
            .unwrap_or(0);
        over_budget(
            0..end,
            format!(
                "this SQL is {} MiB, over the budget of {} MiB: not read for permissions",
                text.len() / (1024 * 1024),
                MAX_SQL_BYTES / (1024 * 1024)
            ),
        )
    })
}

/// The statements within the budget, and the statement that marks where reading stopped.
pub(crate) fn first_statements(all: &[Vec<Tok>]) -> (&[Vec<Tok>], Option<Statement>) {
    if all.len() <= MAX_STATEMENTS {
        return (all, None);
    }
    let (read, rest) = all.split_at(MAX_STATEMENTS);
    let over = rest.first().and_then(|first| {
        let span = first.first()?.range.start..first.last()?.range.end;
        Some(over_budget(
            span,
            format!(
                "{} statements, over the budget of {MAX_STATEMENTS}: the rest from here was not read",
                all.len()
            ),
        ))
    });
    (read, over)
}

fn over_budget(span: std::ops::Range<usize>, why: String) -> Statement {
    Statement {
        span,
        conditional: false,
        kind: StatementKind::OverBudget { why },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_over_the_byte_budget_is_one_over_budget_statement() {
        let text = "grant select on t to r;\n".repeat(MAX_SQL_BYTES / 20);
        let found = crate::statements(&text, crate::Dialect::Generic);
        assert_eq!(found.len(), 1);
        assert!(matches!(&found[0].kind, StatementKind::OverBudget { why } if why.contains("MiB")));
    }

    #[test]
    fn statements_past_the_budget_are_not_read() {
        let text = "grant select on t to r;".repeat(MAX_STATEMENTS + 5);
        let found = crate::statements(&text, crate::Dialect::Generic);
        assert_eq!(found.len(), MAX_STATEMENTS + 1);
        assert!(matches!(
            found[MAX_STATEMENTS].kind,
            StatementKind::OverBudget { .. }
        ));
    }
}
