//! Hover on a finding: the documentation of its rule.

use std::sync::PoisonError;

use envlint_rules::RuleMeta;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, NumberOrString};

use crate::state::State;

pub(super) fn hover(state: &State, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let published = state
        .published
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let file = published.get(at.text_document.uri.as_str())?;
    let mut under: Vec<_> = file
        .diagnostics
        .iter()
        .filter(|d| d.range.start <= at.position && at.position <= d.range.end)
        .collect();
    under.sort_by_key(|d| d.range.start);
    let range = under.first()?.range;
    let mut rules: Vec<&RuleMeta> = under
        .iter()
        .filter_map(|d| match &d.code {
            Some(NumberOrString::String(code)) => envlint_rules::registry::find(code),
            _ => None,
        })
        .collect();
    rules.sort_by_key(|meta| meta.code);
    rules.dedup_by_key(|meta| meta.code);
    if rules.is_empty() {
        return None;
    }
    let pages: Vec<String> = rules.into_iter().map(rule_markdown).collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: pages.join("\n\n---\n\n"),
        }),
        range: Some(range),
    })
}

fn rule_markdown(meta: &RuleMeta) -> String {
    format!(
        "**{} `{}`** ({}): {}\n\n{}\n\n[Rule reference]({})",
        meta.code,
        meta.name,
        meta.severity,
        meta.summary,
        meta.documentation().trim_end(),
        meta.url()
    )
}
