//! Hostile inputs through the real binary: bombs, huge, binary, non-UTF-8 and odd files,
//! loops. Each gives a clear diagnostic (or a clean skip), the rest of the repository is
//! still checked, and the run ends (a timeout turns a hang into a failure).

mod budgets;
mod errors;
mod fix_every_fixture;
mod fixes;
mod ignore_files;
mod inputs;
mod rendering;
mod secrets;
mod support;
