//! The `dbt-envlint` command line: parse arguments, load, check, render, exit.

mod args;
mod check;
mod explain;
mod explain_grants;
mod fix;
mod load;
mod output;
mod rules;
mod schema;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command {
        Some(Command::Check(args)) => check::run(&args, &mut stdout),
        None => check::run(&cli.check, &mut stdout),
        Some(Command::Rules) => rules::list(&mut stdout),
        Some(Command::Rule { code }) => rules::explain(&code, &mut stdout),
        Some(Command::Explain(args)) => explain::run(&args, &mut stdout),
        Some(Command::Schema) => schema::print(&mut stdout),
    };
    let _ = stdout.flush();
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "dbt-envlint: error: {message}");
            ExitCode::from(2)
        }
    }
}
