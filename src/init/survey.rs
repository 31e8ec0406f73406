//! What `init` learns from the repository: the project, its profile and adapter, and the
//! targets of each environment with the variables they read.

use std::path::{Path, PathBuf};

use envlint_model::Policy;
use envlint_model::environment::Environment;
use envlint_parser::{DuckdbPath, Part, Repository, SymStr, Target};
use envlint_rules::load_policy;

/// One target, as far as `init` needs it.
#[derive(Debug)]
pub(crate) struct TargetFacts {
    pub name: String,
    /// The literal schema, if it is one.
    pub schema: Option<String>,
    /// The literal database (MotherDuck: the `md:` database), if it is one.
    pub database: Option<String>,
    /// The variable the schema reads (`DBT_SCHEMA`), if any, and the literal text before it
    /// (`pr_` in `pr_{{ env_var('PR_NUMBER') }}`).
    pub schema_var: Option<(String, String)>,
    /// Variables the credential fields read (`MOTHERDUCK_TOKEN_PROD`).
    pub credential_vars: Vec<String>,
    /// Variables the schema and database read with no default: dbt stops without them.
    pub location_vars: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Survey {
    /// Where the dbt project is (else the path given): files are written here.
    pub root: PathBuf,
    pub profile: Option<String>,
    pub adapter: Option<String>,
    pub motherduck: bool,
    pub has_profiles: bool,
    pub dev: Vec<TargetFacts>,
    pub ci: Vec<TargetFacts>,
    pub prod: Vec<TargetFacts>,
    /// Targets no environment claims by name.
    pub unclassified: Vec<String>,
    /// Credential variables some target that is not prod's reads (each machine or job sets
    /// its own value): no evidence of a secret only prod holds.
    pub shared_credential_vars: Vec<String>,
    /// The ages after which the nightly sweep drops CI and dev schemas, in days: the
    /// repository's policy's `cleanup:` (else 7 and 30), so the sweep keeps the policy.
    pub ci_days: u64,
    pub dev_days: u64,
}

impl Survey {
    pub(crate) fn of(repo: &Repository, path: &Path) -> Self {
        let (policy, _) = load_policy(None);
        let project = repo.projects.first();
        let profile_name = project.and_then(|p| p.project.profile_name());
        let profile = repo
            .profiles
            .iter()
            .flat_map(|f| &f.profiles)
            .find(|p| profile_name.as_ref().is_none_or(|name| &p.name == name));
        let (own_policy, _) = load_policy(repo.policy.as_ref());
        let days = |env: Environment, default: u64| {
            own_policy
                .cleanup
                .get(&env)
                .map_or(default, |age| (age.hours / 24).max(1))
        };
        let mut survey = Self {
            ci_days: days(Environment::Ci, 7),
            dev_days: days(Environment::Dev, 30),
            root: project.map_or_else(|| path.to_path_buf(), |p| p.project.dir.clone()),
            profile: profile_name.or_else(|| profile.map(|p| p.name.clone())),
            has_profiles: profile.is_some(),
            ..Self::default()
        };
        for target in profile.map(|p| p.targets.as_slice()).unwrap_or_default() {
            survey.add(&policy, target);
        }
        survey
    }

    fn add(&mut self, policy: &Policy, target: &Target) {
        if self.adapter.is_none() {
            self.adapter = target.adapter_name();
        }
        self.motherduck |= matches!(target.duckdb, Some(DuckdbPath::MotherDuck { .. }));
        let facts = TargetFacts {
            name: target.name.clone(),
            schema: target.schema.as_ref().and_then(|f| f.value.as_literal()),
            database: target.database.as_ref().and_then(|f| f.value.as_literal()),
            schema_var: target.schema.as_ref().and_then(|f| schema_var(&f.value)),
            credential_vars: target
                .credentials
                .iter()
                .flat_map(|c| c.field.value.env_refs())
                .map(|r| r.name.clone())
                .collect(),
            location_vars: [&target.schema, &target.database]
                .into_iter()
                .flatten()
                .flat_map(|f| f.value.env_refs())
                .filter(|r| r.default.is_none())
                .map(|r| r.name.clone())
                .collect(),
        };
        let environment = policy.classify(&target.name);
        if environment != Some(Environment::Prod) {
            self.shared_credential_vars
                .extend(facts.credential_vars.iter().cloned());
        }
        match environment {
            Some(Environment::Dev) => self.dev.push(facts),
            Some(Environment::Ci) => self.ci.push(facts),
            Some(Environment::Prod) => self.prod.push(facts),
            None => self.unclassified.push(target.name.clone()),
        }
    }

    /// Whether the warehouse keeps no schema modification time, so that the build records
    /// its dev schemas (the cleanup macro's `envlint_keeps_no_times`): Postgres, Redshift and
    /// DuckDB/MotherDuck.
    pub(crate) fn keeps_no_times(&self) -> bool {
        matches!(
            self.adapter.as_deref(),
            Some("postgres" | "redshift" | "duckdb")
        )
    }

    /// The preset that fits: `motherduck` for MotherDuck databases, else `recommended`.
    pub(crate) fn preset(&self) -> &'static str {
        if self.motherduck {
            "motherduck"
        } else {
            "recommended"
        }
    }
}

/// The first variable a schema reads, with the literal text before it.
fn schema_var(schema: &SymStr) -> Option<(String, String)> {
    let mut before = String::new();
    for part in &schema.parts {
        match part {
            Part::Lit { text, .. } => before.push_str(text),
            Part::Env(env) => return Some((env.name.clone(), before)),
            Part::Opaque { .. } => return None,
        }
    }
    None
}
