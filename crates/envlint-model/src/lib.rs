//! The semantic model of a dbt repository that dbt-envlint's rules read: the policy, each
//! target's environment and the evidence for it, where every node is built, who may write
//! where (grants), which contexts can hold which credential, and in which contexts each CI
//! job runs. It knows nothing of rules: data flows from here to `envlint-rules`.

pub mod ci_targets;
pub mod ci_view;
pub mod classify;
pub mod environment;
pub mod grants;
pub mod names;
pub mod policy;
pub mod profiles;
pub mod reach;
pub mod resolve;
pub mod secrets;

pub use environment::Environment;
pub use policy::Policy;
pub use profiles::{ProfileView, profile_views};
