//! One file per rule. `rules!` below is the one place a rule is declared: it makes the
//! module, and lists the rule in code order for the registry.

mod edits;
mod equality;
mod prod_writes;
mod schema_fix;
pub(crate) mod support;

use crate::rule::Rule;

/// `module::Rule` pairs in code order: each becomes `mod module;`, its rule exported, and
/// an entry of [`ALL`].
macro_rules! rules {
    ($($module:ident :: $rule:ident,)+) => {
        $(mod $module; pub(crate) use $module::$rule;)+

        /// Every rule, in code order.
        pub(crate) static ALL: &[&dyn Rule] = &[$(&$rule),+];
    };
}

rules! {
    parse_error::ParseError,
    invalid_policy::InvalidPolicy,
    unused_suppression::UnusedSuppression,
    suppression_without_reason::SuppressionWithoutReason,
    default_target_prod::DefaultTargetProd,
    shared_dev_schema::SharedDevSchema,
    ci_schema_not_per_run::CiSchemaNotPerRun,
    schema_pattern_mismatch::SchemaPatternMismatch,
    prod_location_from_env::ProdLocationFromEnv,
    non_prod_target_writes_prod::NonProdTargetWritesProd,
    literal_secret::LiteralSecret,
    secret_in_env_default::SecretInEnvDefault,
    prod_credential_reachable_from_dev::ProdCredentialReachableFromDev,
    missing_environment::MissingEnvironment,
    relation_collision::RelationCollision,
    unknown_target_name::UnknownTargetName,
    custom_schema_ignores_target::CustomSchemaIgnoresTarget,
    hardcoded_prod_database::HardcodedProdDatabase,
    unevaluable_naming_macro::UnevaluableNamingMacro,
    prod_target_in_pr_job::ProdTargetInPrJob,
    prod_secret_outside_deploy::ProdSecretOutsideDeploy,
    ci_build_without_pr_schema::CiBuildWithoutPrSchema,
    missing_pr_teardown::MissingPrTeardown,
    missing_stale_cleanup::MissingStaleCleanup,
    cleanup_can_drop_prod::CleanupCanDropProd,
    teardown_schema_mismatch::TeardownSchemaMismatch,
    dotenv_prod_secret::DotenvProdSecret,
    missing_release_snapshot::MissingReleaseSnapshot,
    share_not_restricted::ShareNotRestricted,
    write_grant_to_humans_on_prod::WriteGrantToHumansOnProd,
    share_replaced::ShareReplaced,
    ci_role_writes_outside_pr_schemas::CiRoleWritesOutsidePrSchemas,
    share_manual_update::ShareManualUpdate,
    sources_not_from_raw::SourcesNotFromRaw,
    unreadable_permission_statement::UnreadablePermissionStatement,
}
