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
mod report;
mod rules;
mod schema;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Server) => return server(),
        Some(Command::Check(args)) => with_stdout(|out| check::run(&args, out)),
        None => with_stdout(|out| check::run(&cli.check, out)),
        Some(Command::Rules) => with_stdout(rules::list),
        Some(Command::Rule { code }) => with_stdout(|out| rules::explain(&code, out)),
        Some(Command::Explain(args)) => with_stdout(|out| explain::run(&args, out)),
        Some(Command::Report(args)) => with_stdout(|out| report::run(&args, out)),
        Some(Command::Schema) => with_stdout(schema::print),
        Some(Command::Init(args)) => with_stdout(|out| init::run(&args, out)),
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
