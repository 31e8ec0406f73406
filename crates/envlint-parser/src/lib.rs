//! Loads a dbt repository into a typed, spanned model; knows nothing about rules.

pub mod adapters;
pub mod ci;
pub mod field;
pub mod iac;
pub mod jinja;
pub mod loader;
pub mod nodes;
pub mod profile_shape;
pub mod profiles;
pub mod project;
pub mod pyproject;
mod reload;
pub mod sql;
pub mod suppressions;
pub mod symbolic;
pub mod yaml;

pub use field::Field;
pub use loader::{LoadOptions, PolicyDocument, ProjectEntry, Repository, load};
pub use nodes::{MacroFile, NodeFile, PropertyEntry, ResourceType, SourceEntry};
pub use profiles::{
    Ambient, Credential, CredentialKind, DuckdbPath, Profile, ProfilesFile, Target,
};
pub use project::DbtProject;
pub use sql::{SqlFile, SqlOrigin};
pub use suppressions::{MalformedSuppression, RuleRef, Scope, Suppression, Suppressions};
pub use symbolic::{EnvRef, Part, SymStr};
