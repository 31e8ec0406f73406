//! One file per rule; the registry lists them in code order.

mod ci_schema_not_per_run;
mod custom_schema_ignores_target;
mod default_target_prod;
mod hardcoded_prod_database;
mod invalid_policy;
mod literal_secret;
mod missing_environment;
mod non_prod_target_writes_prod;
mod parse_error;
mod prod_credential_reachable_from_dev;
mod prod_location_from_env;
mod relation_collision;
mod schema_pattern_mismatch;
mod secret_in_env_default;
mod shared_dev_schema;
pub(crate) mod support;
mod unevaluable_naming_macro;
mod unknown_target_name;

pub use ci_schema_not_per_run::CiSchemaNotPerRun;
pub use custom_schema_ignores_target::CustomSchemaIgnoresTarget;
pub use default_target_prod::DefaultTargetProd;
pub use hardcoded_prod_database::HardcodedProdDatabase;
pub use invalid_policy::InvalidPolicy;
pub use literal_secret::LiteralSecret;
pub use missing_environment::MissingEnvironment;
pub use non_prod_target_writes_prod::NonProdTargetWritesProd;
pub use parse_error::ParseError;
pub use prod_credential_reachable_from_dev::ProdCredentialReachableFromDev;
pub use prod_location_from_env::ProdLocationFromEnv;
pub use relation_collision::RelationCollision;
pub use schema_pattern_mismatch::SchemaPatternMismatch;
pub use secret_in_env_default::SecretInEnvDefault;
pub use shared_dev_schema::SharedDevSchema;
pub use unevaluable_naming_macro::UnevaluableNamingMacro;
pub use unknown_target_name::UnknownTargetName;
