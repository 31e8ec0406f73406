//! ENV101 default-target-prod: the profile's default `target:` is a prod target.

use envlint_diagnostics::{Applicability, Fix};
use envlint_parser::{Field, Part};

use super::edits::{fallback_span, replace_fallback, replace_value};
use crate::classify::environment_named;
use crate::context::{Context, ProfileView};
use crate::environment::Environment;
use crate::rule::{Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a profile whose default `target:` is a prod target, written literally or as the
    /// fallback of `env_var()` (`{{ env_var('DBT_TARGET', 'prod') }}`). CI's own profiles
    /// are no laptop's: one a CI job writes for itself (a heredoc in the deploy workflow) or
    /// keeps in a CI folder (`ci/profiles.yml`, `.github/`, `ci_profiles.yml`); their default
    /// is what CI means to run (ENV301 judges pull-request jobs). Neither is a profile named
    /// for prod (`shop_prod`, where each environment has a profile of its own), nor a profile
    /// of prod targets only next to the developers' profile in the same file (an
    /// orchestrator picks it with `--profile`).
    ///
    /// ## Why is this bad?
    /// The default target is what `dbt run` uses on a laptop when nobody passes `--target`.
    /// With prod as the default, every "quick test" writes production tables: the 50M-row
    /// test table in `analytics`, `fct_revenue` overwritten for two hours. Only the deploy job
    /// should ask for prod, explicitly.
    ///
    /// ## Example
    /// ```yaml
    /// jaffle_shop:
    ///   target: "{{ env_var('DBT_TARGET', 'prod') }}"
    ///   outputs:
    ///     dev: {type: duckdb, path: "md:transform_dev"}
    ///     prod: {type: duckdb, path: "md:transform"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// jaffle_shop:
    ///   target: dev
    ///   outputs:
    ///     dev: {type: duckdb, path: "md:transform_dev"}
    ///     prod: {type: duckdb, path: "md:transform"}
    /// ```
    /// and `dbt build --target prod` in the deploy job on `main`.
    ///
    /// The fix (safe) makes the profile's dev target the default, in place of the literal or
    /// of the `env_var()` fallback; without a dev target there is no fix.
    pub struct DefaultTargetProd;
    code = "ENV101", name = "default-target-prod", severity = Error,
    summary = "the profile's default `target:` is a prod target (or an env_var whose default is)",
    fix = Safe,
}

impl Rule for DefaultTargetProd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut Context<'_>) {
        // A profile named for prod (`shop_prod`, one profile per environment) is prod's own,
        // and so is a prod-only profile next to the developers' profile in the same file.
        let developers = |v: &&ProfileView<'_>| {
            let prod_only = v.targets.iter().all(|(env, _)| *env == Environment::Prod)
                && v.targets.len() == v.profile.targets.len();
            let developers_elsewhere = cx.profiles.iter().any(|other| {
                other.file == v.file
                    && other.profile.name != v.profile.name
                    && other.targets_in(Environment::Dev).next().is_some()
            });
            !v.for_ci
                && environment_named(&v.profile.name) != Some(Environment::Prod)
                && !(prod_only && developers_elsewhere)
        };
        for view in cx.profiles.iter().filter(developers) {
            let Some(field) = &view.profile.default_target else {
                continue;
            };
            let (name, span, variable) =
                match (field.value.as_literal(), field.value.parts.as_slice()) {
                    (Some(name), _) => (name, field.text_span(), None),
                    (None, [Part::Env(env)]) => {
                        let Some(default) = env.default.as_ref().and_then(|d| d.as_literal())
                        else {
                            continue;
                        };
                        let span = match field.defined {
                            Some(_) => field.span,
                            None => field.value_span(env.span.clone()),
                        };
                        (default, span, Some(env.name.clone()))
                    }
                    _ => continue,
                };
            let defined = view.profile.targets.iter().any(|t| t.name == name);
            let env = if defined {
                view.environment_of(&name)
            } else {
                cx.policy.classify(&name)
            };
            if env != Some(Environment::Prod) {
                continue;
            }
            let message = match &variable {
                None => format!("default target `{name}` is a prod target"),
                Some(var) => format!(
                    "default target falls back to prod target `{name}` when `{var}` is unset"
                ),
            };
            let mut diag = cx
                .diagnostic(message, span, "used whenever `--target` is not given")
                .with_help(
                    "make a dev target the default (`target: dev`) and pass `--target prod` only in the deploy job",
                );
            if let Some(target) = view.profile.targets.iter().find(|t| t.name == name) {
                diag = diag.with_related(target.name_span, "prod target defined here");
            }
            if let Some(fix) = default_to_dev(cx, view, field) {
                diag = diag.with_fix(fix);
            }
            cx.report(diag);
        }
    }
}

/// Makes the profile's dev target the default: the literal, or the `env_var()` fallback.
fn default_to_dev(cx: &Context<'_>, view: &ProfileView<'_>, field: &Field) -> Option<Fix> {
    let dev = view.targets_in(Environment::Dev).next()?;
    let edit = match field.value.parts.as_slice() {
        [Part::Env(env)] => replace_fallback(
            &cx.repo.db,
            fallback_span(&cx.repo.db, field, env)?,
            &dev.name,
        ),
        _ => replace_value(field, &dev.name)?,
    };
    let message = format!("make dev target `{}` the default", dev.name);
    Some(Fix::new(message, Applicability::Safe, vec![edit]))
}
