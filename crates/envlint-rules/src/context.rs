//! What a rule sees: the loaded repository, the policy, every profile with its targets sorted
//! into environments, and a place to report findings.

use envlint_diagnostics::{Diagnostic, FileId, Severity, Span};
use envlint_parser::{Profile, Repository, Target};

use crate::classify::Environments;
use crate::environment::Environment;
use crate::policy::Policy;
use crate::resolve::Resolution;
use crate::rule::RuleMeta;
use crate::suppression::CommentUse;

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

/// What every rule of a run shares.
pub(crate) struct Inputs<'a> {
    pub repo: &'a Repository,
    pub policy: &'a Policy,
    pub profiles: &'a [ProfileView<'a>],
    pub policy_diagnostics: &'a [Diagnostic],
    pub resolution: &'a Resolution<'a>,
    pub suppressions: &'a [CommentUse<'a>],
}

/// The state one rule runs with.
pub struct Context<'a> {
    pub repo: &'a Repository,
    pub policy: &'a Policy,
    pub profiles: &'a [ProfileView<'a>],
    /// ENV002 findings from reading the policy.
    pub policy_diagnostics: &'a [Diagnostic],
    /// Where every node is built per target (empty unless a rule that needs it runs).
    pub resolution: &'a Resolution<'a>,
    /// What each suppression comment did; filled only for rules that judge suppressions.
    pub suppressions: &'a [CommentUse<'a>],
    meta: &'static RuleMeta,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        inputs: &Inputs<'a>,
        meta: &'static RuleMeta,
        severity: Severity,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Self {
            repo: inputs.repo,
            policy: inputs.policy,
            profiles: inputs.profiles,
            policy_diagnostics: inputs.policy_diagnostics,
            resolution: inputs.resolution,
            suppressions: inputs.suppressions,
            meta,
            severity,
            out,
        }
    }

    /// A finding of the running rule, at its effective severity, with its docs link.
    pub fn diagnostic(
        &self,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(
            self.meta.code,
            self.meta.name,
            self.severity,
            message,
            span,
            label,
        )
        .with_url(self.meta.url())
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    /// Reports a finding that was built elsewhere (ENV001, ENV002), at the effective severity.
    pub fn forward(&mut self, diagnostic: &Diagnostic) {
        let mut diagnostic = diagnostic.clone();
        diagnostic.severity = self.severity;
        diagnostic.url = Some(self.meta.url());
        self.out.push(diagnostic);
    }
}
