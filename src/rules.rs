//! `dbt-envlint rules` (as text or JSON) and `dbt-envlint rule CODE`.

use std::io::Write;
use std::process::ExitCode;

use envlint_rules::RuleMeta;
use envlint_rules::registry;
use serde::Serialize;

use crate::args::RulesFormat;

/// One rule in `rules --format json`.
#[derive(Serialize)]
struct JsonRule<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    summary: &'a str,
    /// Whether the rule can offer a fix (when the repository holds what the fix needs).
    fixable: bool,
    /// `safe` (applied by `--fix`), `unsafe` (needs `--unsafe-fixes`), or null.
    fix: Option<&'a str>,
    url: String,
}

impl<'a> From<&'a RuleMeta> for JsonRule<'a> {
    fn from(meta: &'a RuleMeta) -> Self {
        Self {
            code: meta.code,
            name: meta.name,
            severity: meta.severity.as_str(),
            summary: meta.summary,
            fixable: meta.fix.is_some(),
            fix: meta.fix.map(|level| level.as_str()),
            url: meta.url(),
        }
    }
}

pub(crate) fn list(format: RulesFormat, out: &mut dyn Write) -> Result<ExitCode, String> {
    let metas = registry::all().iter().map(|rule| rule.meta());
    let text = match format {
        RulesFormat::Text => metas
            .map(|meta| {
                format!(
                    "{:<7} {:<36} {:<8} {}\n",
                    meta.code,
                    meta.name,
                    meta.severity.as_str(),
                    meta.summary
                )
            })
            .collect(),
        RulesFormat::Json => {
            let rules: Vec<JsonRule<'_>> = metas.map(JsonRule::from).collect();
            serde_json::to_string_pretty(&rules).map_err(|e| e.to_string())? + "\n"
        }
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
pub(crate) fn explain(code: &str, out: &mut dyn Write) -> Result<ExitCode, String> {
    let Some(meta) = registry::find(code) else {
        let hint = registry::suggest(code)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "unknown rule `{code}`{hint}; `dbt-envlint rules` lists them"
        ));
    };
    writeln!(
        out,
        "# {} {}\n\nDefault severity: {}\n\n{}",
        meta.code,
        meta.name,
        meta.severity,
        meta.documentation().trim_end()
    )
    .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
