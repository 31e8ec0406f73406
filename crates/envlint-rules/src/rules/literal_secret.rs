//! ENV107 literal-secret: a password, token or key written literally in a profile, or a
//! login's password written in setup SQL.

use std::collections::HashSet;
use std::path::Component;

use envlint_parser::SqlOrigin;
use envlint_sql::StatementKind;

use super::support::remote_secrets;
use crate::context::Context;
use envlint_model::grants::{at, statements};
use crate::rule::declare_rule;
use envlint_model::secrets::is_placeholder;

declare_rule! {
    /// ## What it does
    /// Flags a credential written literally in a profile, in any secret field an adapter
    /// documents: `password`/`pass`, `token`, `private_key` (also `keyfile_json`'s),
    /// `private_key_passphrase` and `oauth_client_secret` (Snowflake), `client_secret` and
    /// `refresh_token` (BigQuery, Databricks, Fabric/Synapse), `azure_client_secret`,
    /// `jwt_token` (Trino), `access_key_id` and `secret_access_key` (Redshift),
    /// `motherduck_token` (also in `settings:`/`config:` and in a MotherDuck `path:`
    /// query) and the `key_id`/`secret` of DuckDB `secrets:` entries. Placeholders such as `<password>`, `xxxx` or
    /// `not-a-real-token` are not flagged, nor are passwords of a database on the machine
    /// itself (`localhost`, a docker-compose or CI service container such as `host:
    /// postgres`). The finding gives the location and the kind of secret, never its value.
    ///
    /// Setup scripts and macros are read too: a login given a password as a string literal
    /// (`CREATE USER dbt_prod PASSWORD = '...'`, Postgres `CREATE ROLE r LOGIN PASSWORD
    /// '...'`, `ALTER USER u SET PASSWORD = '...'`, `IDENTIFIED BY '...'`). A Jinja
    /// expression, a client variable (`:'password'`, `$PASSWORD`), a placeholder, a password
    /// equal to the login's name, scripts under a `docker*` or `*initdb*` folder and
    /// repositories whose every target is on the machine itself are not flagged.
    ///
    /// ## Why is this bad?
    /// `profiles.yml` gets committed, copied into Docker images and pasted into tickets. A
    /// literal secret in it is readable by everyone who can read the repository, forever (it
    /// stays in git history), and it is the same secret for everyone who uses the file.
    ///
    /// ## Example
    /// ```yaml
    /// prod:
    ///   type: postgres
    ///   password: hunter2
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// prod:
    ///   type: postgres
    ///   password: "{{ env_var('DBT_ENV_SECRET_PG_PASSWORD') }}"
    /// ```
    /// dbt scrubs variables named `DBT_ENV_SECRET_*` from its logs.
    pub struct LiteralSecret;
    code = "ENV107", name = "literal-secret", severity = Error,
    summary = "a password/token/key written literally in a profile or setup SQL (value never printed)",
}

impl LiteralSecret {
    fn run(&self, cx: &mut Context<'_>) {
        check_profiles(cx);
        check_login_passwords(cx);
    }
}

/// Literal secrets in profiles.
fn check_profiles(cx: &mut Context<'_>) {
    let mut reported = HashSet::new();
    for (target, field) in remote_secrets(cx.profiles) {
        if field.value.as_literal().is_none_or(|v| is_placeholder(&v)) {
            continue;
        }
        let written = field.defined.unwrap_or_else(|| field.text_span());
        if !reported.insert(written) {
            continue;
        }
        let message = format!(
            "literal secret in `{}` of target `{}`",
            field.key, target.name
        );
        let mut diag = cx
            .diagnostic(message, written, "secret written here (value hidden)")
            .with_help(format!(
                "read it from the environment: `{}: \"{{{{ env_var('DBT_ENV_SECRET_{}') }}}}\"`, and rotate the leaked secret",
                field.key,
                field.key.to_ascii_uppercase()
            ));
        if field.defined.is_some() {
            diag = diag.with_related(field.span, "used here");
        }
        cx.report(diag);
    }
}

/// `CREATE USER u PASSWORD = '...'` in a setup script or macro.
fn check_login_passwords(cx: &mut Context<'_>) {
    // Every target on the machine itself: the scripts set up a database nobody else reaches.
    let targets = || cx.profiles.iter().flat_map(|v| &v.profile.targets);
    if targets().next().is_some() && targets().all(|t| t.is_machine_local()) {
        return;
    }
    let mut found = Vec::new();
    for (file, origin, statement) in statements(cx.repo) {
        let StatementKind::LoginPassword { login, password } = &statement.kind else {
            continue;
        };
        let source = cx.repo.db.get(file);
        let value = source.text[password.clone()].trim_matches('\'');
        let local_setup = source.path.components().any(|c| match c {
            Component::Normal(part) => {
                let part = part.to_string_lossy().to_ascii_lowercase();
                part.starts_with("docker") || part.contains("initdb")
            }
            _ => false,
        });
        let same_as_login = login
            .last_literal()
            .is_some_and(|name| name.eq_ignore_ascii_case(value));
        if matches!(origin, SqlOrigin::Script | SqlOrigin::Macro)
            && !local_setup
            && !same_as_login
            && !is_placeholder(value)
        {
            found.push((at(file, password), login.display()));
        }
    }
    for (span, login) in found {
        let diag = cx
            .diagnostic(
                format!("literal password for login `{login}` in setup SQL"),
                span,
                "password written here (value hidden)",
            )
            .with_help(format!(
                "keep `{login}`'s password out of the repository: pass it in when the script runs (a psql variable `:'password'`, `'{{{{ env_var('DBT_ENV_SECRET_PASSWORD') }}}}'` in a macro) or give `{login}` key-pair or SSO authentication, and rotate the leaked password"
            ));
        cx.report(diag);
    }
}
