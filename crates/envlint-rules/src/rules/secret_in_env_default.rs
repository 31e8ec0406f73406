//! ENV108 secret-in-env-default: `env_var('X', '<secret>')`, a secret as the fallback.

use std::collections::HashSet;

use envlint_diagnostics::{Applicability, Fix};

use super::edits::{fallback_span, remove_fallback};
use super::support::remote_secrets;
use crate::context::Context;
use crate::rule::declare_rule;
use envlint_model::secrets::is_placeholder;

declare_rule! {
    /// ## What it does
    /// Flags an `env_var()` in a credential field whose fallback is a real-looking secret:
    /// `password: "{{ env_var('DBT_PASSWORD', 's3cret') }}"`. Empty fallbacks and
    /// placeholders (`''`, `xxxx`, `<password>`) are fine, and so is the fallback of a target on
    /// `localhost` or a docker-compose host (the local container's password). The finding
    /// never prints the value.
    ///
    /// ## Why is this bad?
    /// The fallback is a literal secret in the repository, with the extra harm that it is
    /// used silently whenever the variable is missing: a job that forgot to set the secret
    /// keeps working with the committed one.
    ///
    /// ## Example
    /// ```yaml
    /// dev:
    ///   password: "{{ env_var('DBT_ENV_SECRET_PASSWORD', 'demopass') }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   password: "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}"
    /// ```
    ///
    /// ## Fix safety
    /// Safe (`--fix`): it drops the literal fallback, so `env_var('NAME')` fails loudly when
    /// the variable is unset instead of logging in with a committed secret. Rotate the
    /// secret as well: it stays in the repository's history.
    pub struct SecretInEnvDefault;
    code = "ENV108", name = "secret-in-env-default", severity = Error,
    summary = "`env_var('X', '<secret>')`: the fallback is a secret",
    fix = Safe,
}

impl SecretInEnvDefault {
    fn run(&self, cx: &mut Context<'_>) {
        let mut reported = HashSet::new();
        for (target, field) in remote_secrets(cx.profiles) {
            for env in field.value.env_refs() {
                let Some(fallback) = env.default.as_ref().and_then(|d| d.as_literal()) else {
                    continue;
                };
                if is_placeholder(&fallback) {
                    continue;
                }
                let fallback = fallback_span(&cx.repo.db, field, env);
                let span = fallback.unwrap_or_else(|| field.text_span());
                if !reported.insert(span) {
                    continue;
                }
                let message = format!(
                    "`env_var('{}')` in `{}` of target `{}` falls back to a literal secret",
                    env.name, field.key, target.name
                );
                let diag = cx
                    .diagnostic(message, span, "secret fallback (value hidden)")
                    .with_help(format!(
                        "drop the fallback: `env_var('{}')` fails loudly when the variable is missing",
                        env.name
                    ));
                let removal = fallback.and_then(|f| remove_fallback(&cx.repo.db, f));
                let diag = match removal {
                    Some(edit) => diag.with_fix(Fix::new(
                        "drop the secret fallback",
                        Applicability::Safe,
                        vec![edit],
                    )),
                    None => diag,
                };
                cx.report(diag);
            }
        }
    }
}
