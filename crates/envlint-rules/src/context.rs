//! What a rule sees: the loaded repository, the policy, every profile with its targets sorted
//! into environments, and a place to report findings.

use envlint_diagnostics::{Diagnostic, Severity, Span};
use envlint_model::ProfileView;
use envlint_model::policy::{Policy, PolicyProblem};
use envlint_model::resolve::Resolution;
use envlint_parser::Repository;

use crate::meta::RuleMeta;
use crate::suppression::CommentUse;

/// What every rule of a run shares.
pub(crate) struct Inputs<'a> {
    pub repo: &'a Repository,
    pub policy: &'a Policy,
    pub profiles: &'a [ProfileView<'a>],
    pub policy_problems: &'a [PolicyProblem],
    pub resolution: &'a Resolution<'a>,
    pub suppressions: &'a [CommentUse<'a>],
}

/// The state one rule runs with.
pub struct Context<'a> {
    pub repo: &'a Repository,
    pub policy: &'a Policy,
    pub profiles: &'a [ProfileView<'a>],
    /// What reading the policy did not understand (ENV002).
    pub policy_problems: &'a [PolicyProblem],
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
            policy_problems: inputs.policy_problems,
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
