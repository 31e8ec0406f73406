//! The dbt-envlint language server (`dbt-envlint server`): diagnostics for every file the
//! linter reads, recomputed from the editor's unsaved buffers, and rule docs on hover.

mod actions;
mod convert;
mod documents;
mod encoding;
pub mod framing;
mod handlers;
mod initialize;
mod lint;
mod server;
mod state;
mod uri;
mod worker;

use std::path::PathBuf;

pub use server::Ending;

/// Serves one client over stdin/stdout until `exit` or until stdin closes.
pub fn run_stdio() -> Result<Ending, String> {
    let environment = initialize::Environment {
        current_dir: std::env::current_dir().ok(),
        profiles_dir: std::env::var_os("DBT_PROFILES_DIR").map(PathBuf::from),
        home: std::env::var_os("HOME").map(PathBuf::from),
    };
    let (connection, io_threads) = framing::stdio();
    let ending = server::serve(connection, environment);
    io_threads
        .join()
        .map_err(|e| format!("client connection: {e}"))?;
    ending
}
