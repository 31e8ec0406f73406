//! ENV002 invalid-policy: something in `envlint.yml` that is not understood.

use crate::context::Context;
use envlint_model::environment::Environment;
use envlint_model::policy::{Named, did_you_mean};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports what `envlint.yml` (or `.envlint.yml`) says that dbt-envlint does not
    /// understand: an unknown key, preset, environment, rule or severity, a schema pattern
    /// with an unknown placeholder, a cleanup age it cannot read, a `profile:` that no
    /// profiles file defines, a `targets:` entry that is no target of the checked profiles.
    /// When the only profiles read are CI's (a CI folder's or CI-written) and `~/.dbt` was
    /// not read, `dev` targets are not checked: they live in each developer's own
    /// `~/.dbt/profiles.yml`, which teammates and CI do not have.
    /// Each finding points at the offending key or value and suggests the closest known
    /// spelling.
    ///
    /// The policy format:
    /// ```yaml
    /// extends: recommended          # recommended | motherduck | strict
    /// profile: jaffle_shop          # only check this profile (default: every profile)
    /// environments:
    ///   dev:  {targets: [dev], schema: "dev_{user}"}
    ///   ci:   {targets: [ci], schema: "pr_{pr}"}
    ///   prod: {targets: [prod], schema: analytics, credentials: [SNOWFLAKE_PASSWORD_PROD], deploy-branch: main}
    /// cleanup: {dev: 30d, ci: 7d}
    /// rules:
    ///   ENV105: error               # error | warning | info | off, by code or name
    ///   shared-dev-schema: warning
    /// warnings-as-errors: false
    /// ```
    ///
    /// ## Why is this bad?
    /// A misspelt key is a rule you think is enforced and is not. dbt-envlint never ignores
    /// an option silently; a run with an invalid policy exits with code 2.
    ///
    /// ## Example
    /// ```yaml
    /// extends: recomended
    /// enviroments:
    ///   dev: {schema: "dev_{name}"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// extends: recommended
    /// environments:
    ///   dev: {schema: "dev_{user}"}
    /// ```
    pub struct InvalidPolicy;
    code = "ENV002", name = "invalid-policy", severity = Error,
    summary = "unknown key, rule, or pattern in envlint.yml",
}

impl InvalidPolicy {
    fn run(&self, cx: &mut Context<'_>) {
        for problem in cx.policy_problems {
            let diagnostic = cx
                .diagnostic(problem.message.clone(), problem.span, "not understood")
                .with_help(problem.help.clone());
            cx.report(diagnostic);
        }
        check_names(cx);
    }
}

/// A `profile:` or `targets:` entry that names nothing in the loaded profiles checks nothing.
/// Only said when profiles were found: they may live in `~/.dbt`, which is read on request,
/// and never of the profile a dbt project here uses (it is kept elsewhere, as the notes say).
/// Developer targets are left alone when the only profiles read are CI's and `~/.dbt` was
/// not (`--user-profiles`): a CI profile is no evidence against them.
fn check_names(cx: &mut Context<'_>) {
    let repo = cx.repo;
    let profiles: Vec<&str> = repo
        .profiles
        .iter()
        .flat_map(|file| file.profiles.iter().map(|p| p.name.as_str()))
        .collect();
    if profiles.is_empty() {
        return;
    }
    let used: Vec<String> = repo
        .projects
        .iter()
        .filter_map(|entry| entry.project.profile_name())
        .collect();
    let policy = cx.policy;
    if let Some(Named {
        name,
        span: Some(span),
    }) = &policy.profile
        && !profiles.contains(&name.as_str())
        && !used.contains(name)
    {
        let hint = did_you_mean(name, profiles.iter().copied()).map_or_else(
            || format!("profiles found: {}", profiles.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        let diag = cx
            .diagnostic(
                format!("no profiles file defines profile `{name}`"),
                *span,
                "checks nothing",
            )
            .with_help(hint);
        cx.report(diag);
    }
    let targets: Vec<&str> = cx
        .profiles
        .iter()
        .flat_map(|view| view.profile.targets.iter().map(|t| t.name.as_str()))
        .collect();
    if targets.is_empty() {
        // Nothing is checked (the profile above matches nothing): already reported.
        return;
    }
    // The checked profiles are all CI's (a CI folder's, a CI-written one) and `~/.dbt` was
    // not read: developer targets live in each developer's own profiles.yml.
    let dev_elsewhere = !repo.profiles.iter().any(|file| file.user_level)
        && cx.profiles.iter().all(|view| view.for_ci);
    for env in Environment::ALL {
        let listed = policy.environment(env).and_then(|p| p.targets.as_ref());
        if dev_elsewhere && env == Environment::Dev {
            continue;
        }
        for Named { name, span } in listed.into_iter().flatten() {
            let Some(span) = span.filter(|_| !targets.contains(&name.as_str())) else {
                continue;
            };
            let hint = did_you_mean(name, targets.iter().copied()).map_or_else(
                || format!("targets found: {}", targets.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            let diag = cx
                .diagnostic(
                    format!("no checked profile has a target `{name}`"),
                    span,
                    "matches no target",
                )
                .with_help(hint);
            cx.report(diag);
        }
    }
}

