//! The profiles to check, each target sorted into its environment by the evidence.

use envlint_diagnostics::FileId;
use envlint_parser::{Profile, Repository, Target};

use crate::classify::Environments;
use crate::environment::Environment;
use crate::policy::Policy;

/// A profile with each target's environment.
#[derive(Debug)]
pub struct ProfileView<'a> {
    pub file: FileId,
    /// CI's profiles (written inline by a CI script, or kept in a CI folder): they hold
    /// the targets CI needs, not the team's, and no laptop runs their default.
    pub for_ci: bool,
    pub profile: &'a Profile,
    pub targets: Vec<(Environment, &'a Target)>,
}

impl<'a> ProfileView<'a> {
    /// Targets of one environment.
    pub fn targets_in(&self, env: Environment) -> impl Iterator<Item = &'a Target> + '_ {
        self.targets
            .iter()
            .filter(move |(e, _)| *e == env)
            .map(|(_, t)| *t)
    }

    /// Dev and CI targets, with their environment.
    pub fn non_prod(&self) -> impl Iterator<Item = (Environment, &'a Target)> + '_ {
        self.targets
            .iter()
            .filter(|(e, _)| *e != Environment::Prod)
            .copied()
    }

    pub fn environment_of(&self, name: &str) -> Option<Environment> {
        self.targets
            .iter()
            .find(|(_, t)| t.name == name)
            .map(|(e, _)| *e)
    }
}

/// The profiles to check: all of them in repository files; in the user's `~/.dbt` file only
/// those a project uses; only the policy's `profile:` when it names one. Each keeps the
/// targets whose environment the evidence settles.
pub fn profile_views<'a>(
    repo: &'a Repository,
    policy: &Policy,
    environments: &Environments,
) -> Vec<ProfileView<'a>> {
    let used: Vec<String> = repo
        .projects
        .iter()
        .filter_map(|p| p.project.profile_name())
        .collect();
    let mut views = Vec::new();
    for file in &repo.profiles {
        for profile in &file.profiles {
            if file.user_level && !used.contains(&profile.name) {
                continue;
            }
            if policy
                .profile
                .as_ref()
                .is_some_and(|p| p.name != profile.name)
            {
                continue;
            }
            let targets = profile
                .targets
                .iter()
                .filter_map(|t| environments.environment(t).map(|env| (env, t)))
                .collect();
            views.push(ProfileView {
                file: file.file,
                for_ci: file.is_for_ci(),
                profile,
                targets,
            });
        }
    }
    views
}
