//! The dbt-envlint rules: the registry, one file per rule, and the run that applies them to
//! the semantic model (`envlint-model`) of a repository, then applies suppression comments.

mod context;
pub mod docs;
mod meta;
pub mod registry;
mod rule;
mod rules;
mod suppression;

use std::collections::BTreeMap;

use envlint_diagnostics::{Diagnostic, Severity};
use envlint_model::policy::{self, Policy, PolicyProblem};
use envlint_model::{classify, profile_views, resolve};
use envlint_parser::{PolicyDocument, Repository};

use context::Context;
pub use meta::RuleMeta;
pub use rule::Rule;

/// Which rules run, by code (resolve names with [`registry::find`] first).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these rules when non-empty.
    pub select: Vec<&'static str>,
    /// Never these rules.
    pub ignore: Vec<&'static str>,
}

/// Rules that report on the input itself (unparseable files, an invalid policy): they run
/// whatever `--select` names, unless ignored, so a narrowed run never passes broken input.
const ALWAYS_SELECTED: [&str; 2] = ["ENV001", "ENV002"];

impl Selection {
    fn enabled(&self, code: &str) -> bool {
        let selected = self.select.is_empty()
            || self.select.contains(&code)
            || ALWAYS_SELECTED.contains(&code);
        selected && !self.ignore.contains(&code)
    }
}

/// The outcome of a check: findings in file and position order, the policy in force, and
/// how many findings a suppression comment removed.
#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub policy: Policy,
    pub suppressed: usize,
}

/// Runs every enabled rule over the repository, then applies the suppression comments and
/// runs the rules that judge them.
pub fn check(repo: &Repository, selection: &Selection) -> Outcome {
    let (policy, policy_problems) = load_policy(repo.policy.as_ref());
    let environments = classify::classify(repo, &policy);
    let views = profile_views(repo, &policy, &environments);
    let enabled: Vec<(&dyn Rule, Severity)> = registry::all()
        .iter()
        .filter(|rule| selection.enabled(rule.meta().code))
        .filter_map(|rule| {
            let meta = rule.meta();
            policy
                .severity(meta.code, meta.severity)
                .map(|s| (*rule, s))
        })
        .collect();
    // Resolving every node is the expensive part: only when a rule reads it.
    let resolution = if enabled.iter().any(|(rule, _)| rule.meta().needs_resolution) {
        resolve::resolve(repo, &environments, &BTreeMap::new())
    } else {
        resolve::Resolution::default()
    };
    let mut inputs = context::Inputs {
        repo,
        policy: &policy,
        profiles: &views,
        policy_problems: &policy_problems,
        resolution: &resolution,
        suppressions: &[],
    };
    let (judges, findings): (Vec<_>, Vec<_>) = enabled
        .into_iter()
        .partition(|(rule, _)| rule.meta().judges_suppressions);
    let mut diagnostics = run_rules(&inputs, &findings);
    sort_findings(repo, &mut diagnostics);
    let ran: Vec<&str> = findings.iter().map(|(rule, _)| rule.meta().code).collect();
    let judge_codes: Vec<&str> = registry::all()
        .iter()
        .filter(|rule| rule.meta().judges_suppressions)
        .map(|rule| rule.meta().code)
        .collect();
    let applied = suppression::apply(
        &repo.db,
        &repo.suppressions,
        diagnostics,
        registry::find,
        &ran,
        &judge_codes,
    );
    inputs.suppressions = &applied.uses;
    let mut diagnostics = applied.kept;
    diagnostics.extend(run_rules(&inputs, &judges));
    sort_findings(repo, &mut diagnostics);
    Outcome {
        diagnostics,
        policy,
        suppressed: applied.suppressed,
    }
}

fn run_rules(inputs: &context::Inputs<'_>, rules: &[(&dyn Rule, Severity)]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (rule, severity) in rules {
        let mut cx = Context::new(inputs, rule.meta(), *severity, &mut diagnostics);
        rule.check(&mut cx);
    }
    diagnostics
}

/// File, then position, then code order, without duplicates.
fn sort_findings(repo: &Repository, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        let (pa, pb) = (a.primary().span, b.primary().span);
        repo.db
            .path(pa.file)
            .cmp(repo.db.path(pb.file))
            .then(pa.start.cmp(&pb.start))
            .then(a.code.cmp(b.code))
    });
    diagnostics.dedup();
}

/// The repository's policy as the rules read it (`rules:` names this registry's rules), and
/// the problems reading it, which ENV002 reports.
pub fn load_policy(document: Option<&PolicyDocument>) -> (Policy, Vec<PolicyProblem>) {
    policy::load_policy(document, &registry::names())
}

/// The JSON schema of `envlint.yml`, whose `rules:` names this registry's rules.
pub fn policy_schema() -> serde_json::Value {
    policy::json_schema(&registry::names())
}
