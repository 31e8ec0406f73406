//! Every rule, in code order. Adding a rule is one line here plus its file and fixtures.

use crate::policy::did_you_mean;
use crate::rule::{Rule, RuleMeta};
use crate::rules;

static RULES: &[&dyn Rule] = &[
    &rules::ParseError,
    &rules::InvalidPolicy,
    &rules::UnusedSuppression,
    &rules::SuppressionWithoutReason,
    &rules::DefaultTargetProd,
    &rules::SharedDevSchema,
    &rules::CiSchemaNotPerRun,
    &rules::SchemaPatternMismatch,
    &rules::ProdLocationFromEnv,
    &rules::NonProdTargetWritesProd,
    &rules::LiteralSecret,
    &rules::SecretInEnvDefault,
    &rules::ProdCredentialReachableFromDev,
    &rules::MissingEnvironment,
    &rules::RelationCollision,
    &rules::UnknownTargetName,
    &rules::CustomSchemaIgnoresTarget,
    &rules::HardcodedProdDatabase,
    &rules::UnevaluableNamingMacro,
    &rules::ProdTargetInPrJob,
    &rules::ProdSecretOutsideDeploy,
    &rules::CiBuildWithoutPrSchema,
    &rules::MissingPrTeardown,
    &rules::MissingStaleCleanup,
    &rules::CleanupCanDropProd,
    &rules::TeardownSchemaMismatch,
    &rules::DotenvProdSecret,
    &rules::MissingReleaseSnapshot,
    &rules::ShareNotRestricted,
    &rules::WriteGrantToHumansOnProd,
    &rules::ShareReplaced,
    &rules::CiRoleWritesOutsidePrSchemas,
    &rules::ShareManualUpdate,
    &rules::SourcesNotFromRaw,
    &rules::UnreadablePermissionStatement,
];

pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// A rule by code (`ENV101`, any case) or name (`default-target-prod`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

/// The rule code or name closest to a misspelt one, for "did you mean".
pub fn suggest(misspelt: &str) -> Option<&'static str> {
    let names = RULES.iter().flat_map(|r| [r.meta().code, r.meta().name]);
    did_you_mean(misspelt, names)
}
