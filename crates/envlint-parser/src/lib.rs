//! Loads a dbt repository into a typed, spanned model; knows nothing about rules.

pub mod jinja;
pub mod symbolic;
pub mod yaml;
