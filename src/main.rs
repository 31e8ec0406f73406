//! The `dbt-envlint` command line: parse arguments, load, check, render, exit.

mod args;
mod check;
mod confine;
mod explain;
mod explain_grants;
mod fix;
mod init;
mod load;
mod notices;
mod output;
mod output_file;
mod report;
mod rules;
mod schema;
mod settings;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Server) => return server(),
        Some(Command::Check(args)) => with_output(args.common.output_file.as_deref(), |out| {
            check::run(&args, out)
        }),
        None => with_output(cli.check.common.output_file.as_deref(), |out| {
            check::run(&cli.check, out)
        }),
        Some(Command::Rules(args)) => with_stdout(|out| rules::list(args.format, out)),
        Some(Command::Rule { code }) => with_stdout(|out| rules::explain(&code, out)),
        Some(Command::Explain(args)) => with_output(args.common.output_file.as_deref(), |out| {
            explain::run(&args, out)
        }),
        Some(Command::Report(args)) => with_output(args.common.output_file.as_deref(), |out| {
            report::run(&args, out)
        }),
        Some(Command::Schema) => with_stdout(schema::print),
        Some(Command::Init(args)) => with_stdout(|out| init::run(&args, out)),
        Some(Command::Completions { shell }) => with_stdout(|out| {
            clap_complete::generate(shell, &mut Cli::command(), "dbt-envlint", out);
            Ok(ExitCode::SUCCESS)
        }),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            // A path from the command line may hold escape sequences: never raw.
            let message = envlint_diagnostics::escape_line(&message);
            let _ = writeln!(std::io::stderr(), "dbt-envlint: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs a command that writes its report to stdout, then flushes it.
fn with_stdout(
    command: impl FnOnce(&mut dyn Write) -> Result<ExitCode, String>,
) -> Result<ExitCode, String> {
    let mut stdout = std::io::stdout().lock();
    let result = command(&mut stdout);
    let _ = stdout.flush();
    result
}

/// Runs a command that writes its report to `file` (whole, once the command succeeded) or,
/// without one, to stdout.
fn with_output(
    file: Option<&Path>,
    command: impl FnOnce(&mut dyn Write) -> Result<ExitCode, String>,
) -> Result<ExitCode, String> {
    let Some(file) = file else {
        return with_stdout(command);
    };
    let mut report = Vec::new();
    let code = command(&mut report)?;
    output_file::write_atomically(file, &report, "--output-file")?;
    Ok(code)
}

/// `dbt-envlint server`: stdout belongs to the protocol, so nothing else may write to it.
fn server() -> ExitCode {
    match envlint_lsp::run_stdio() {
        Ok(envlint_lsp::Ending::Clean) => ExitCode::SUCCESS,
        Ok(envlint_lsp::Ending::Abrupt) => ExitCode::from(1),
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "dbt-envlint server: error: {message}");
            ExitCode::from(2)
        }
    }
}
