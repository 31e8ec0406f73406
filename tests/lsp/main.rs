//! The language server end to end: the real `dbt-envlint server` driven by a scripted
//! client over stdio, and by a real editor (headless Neovim).

mod actions;
mod client;
mod editing;
mod findings;
mod framing;
mod lifecycle;
mod neovim;
