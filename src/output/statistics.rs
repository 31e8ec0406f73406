//! `--statistics`: how many findings each rule reported, most first, as ruff prints them.

use std::collections::BTreeMap;

use envlint_diagnostics::{Applicability, Diagnostic, SourceDb};
use serde::Serialize;

use super::{RunCounts, Style, summary_line};
use crate::fix::applicable;

/// One rule's findings.
#[derive(Serialize)]
struct Statistic {
    code: &'static str,
    name: &'static str,
    count: usize,
    /// How many of them `--fix` (at the run's level) can fix.
    fixable: usize,
}

/// One row per rule that reported, by count (most first), then code.
fn statistics(diagnostics: &[Diagnostic], level: Applicability) -> Vec<Statistic> {
    let mut by_code: BTreeMap<&'static str, Statistic> = BTreeMap::new();
    for diagnostic in diagnostics {
        let row = by_code.entry(diagnostic.code).or_insert(Statistic {
            code: diagnostic.code,
            name: diagnostic.name,
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        row.fixable += usize::from(applicable(diagnostic, level).is_some());
    }
    let mut rows: Vec<Statistic> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

/// `count<TAB>CODE<TAB>[*] name` a line: `[*]` when `--fix` can fix all of them, `[-]` some,
/// `[ ]` none; then the summary unless `--quiet`.
pub(crate) fn text(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    counts: RunCounts,
    style: Style,
) -> String {
    let rows = statistics(diagnostics, style.fix_level);
    let width = rows.first().map_or(1, |r| r.count.to_string().len());
    let mut out: String = rows
        .iter()
        .map(|row| {
            let marker = match row.fixable {
                0 => "[ ]",
                n if n == row.count => "[*]",
                _ => "[-]",
            };
            format!(
                "{:>width$}\t{}\t{marker} {}\n",
                row.count, row.code, row.name
            )
        })
        .collect();
    if !style.quiet {
        out.push_str(&summary_line(db, diagnostics, counts, style.fix_level));
    }
    out
}

/// `--format json --statistics`: the rows as a JSON array.
pub(crate) fn json(diagnostics: &[Diagnostic], level: Applicability) -> String {
    let rows = statistics(diagnostics, level);
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}
