//! `dbt-envlint rules` and `dbt-envlint rule CODE`.

use std::io::Write;
use std::process::ExitCode;

use envlint_rules::registry;

pub(crate) fn list(out: &mut dyn Write) -> Result<ExitCode, String> {
    for rule in registry::all() {
        let meta = rule.meta();
        writeln!(
            out,
            "{:<7} {:<36} {:<8} {}",
            meta.code,
            meta.name,
            meta.severity.as_str(),
            meta.summary
        )
        .map_err(|e| e.to_string())?;
    }
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
