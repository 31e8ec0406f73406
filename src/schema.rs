//! `dbt-envlint schema` (hidden): the JSON schema of `envlint.yml`, for editors offline.

use std::io::Write;
use std::process::ExitCode;

use envlint_rules::policy_schema;

pub(crate) fn print(out: &mut dyn Write) -> Result<ExitCode, String> {
    let text = serde_json::to_string_pretty(&policy_schema()).map_err(|e| e.to_string())?;
    writeln!(out, "{text}").map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
