//! The rule reference pages in `docs/rules/`, generated from the rules' doc comments.

use crate::meta::RuleMeta;
use crate::registry;

/// `docs/rules/<CODE>.md`.
pub fn rule_page(meta: &RuleMeta) -> String {
    format!(
        "<!-- Generated from the rule's doc comment; edit crates/envlint-rules/src/rules/{}.rs -->\n\
         # {} {}\n\n\
         Default severity: **{}**. Fix: {}. {}.\n\n\
         Run `dbt-envlint rule {}` to read this page in the terminal.\n\n\
         {}\n",
        meta.name.replace('-', "_"),
        meta.code,
        meta.name,
        meta.severity,
        fix_availability(meta),
        capitalise(meta.summary),
        meta.code,
        meta.documentation().trim_end()
    )
}

/// `docs/rules/README.md`: the catalogue.
pub fn index() -> String {
    let mut out = String::from(
        "<!-- Generated from the rules' doc comments -->\n# Rules\n\n\
         Every rule has a stable code and a name; both work in `--select`, `--ignore` and the\n\
         policy's `rules:` section.\n\n\
         | code | name | default severity | fix | flags |\n|---|---|---|---|---|\n",
    );
    for rule in registry::all() {
        let meta = rule.meta();
        out.push_str(&format!(
            "| [{code}]({code}.md) | `{}` | {} | {} | {} |\n",
            meta.name,
            meta.severity,
            fix_availability(meta),
            meta.summary.replace('|', "\\|"),
            code = meta.code
        ));
    }
    out
}

/// `safe`, `unsafe` or `none`.
fn fix_availability(meta: &RuleMeta) -> &'static str {
    meta.fix
        .map_or("none", |applicability| applicability.as_str())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
