//! ENV109 prod-credential-reachable-from-dev: whoever can run dev can log in as prod.

use envlint_parser::ci::Provider;
use envlint_diagnostics::Span;
use envlint_parser::ci::{EnvVar, secret_refs_in};
use envlint_parser::{CredentialKind, Target};

use super::support::describe;
use envlint_model::ci_view::JobView;
use envlint_model::names::environment_named;
use crate::context::Context;
use envlint_model::environment::Environment;
use crate::rule::declare_rule;
use envlint_model::secrets::is_placeholder;

declare_rule! {
    /// ## What it does
    /// Works out where each target's credential comes from (the environment variables its
    /// `password`/`token`/`private_key`/key-file fields read, a literal, or an ambient login)
    /// and flags a prod target whose credential source is:
    /// - shared with a dev or CI target: both read `SNOWFLAKE_PASSWORD`, prod inherits dev's
    ///   fields through `<<: *dev`, or both MotherDuck targets take the ambient
    ///   `MOTHERDUCK_TOKEN`;
    ///
    ///   A variable counts as one credential only when nothing gives it different values:
    ///   when CI maps a different secret into it per job (`MOTHERDUCK_TOKEN:
    ///   ${{ secrets.MOTHERDUCK_TOKEN_CI }}` in the PR job, `..._PROD` in the deploy job), or
    ///   reads it in a job with a GitHub Environment (whose secrets differ per environment),
    ///   the name is not shared and ENV302 judges where prod's secret goes; so do secrets
    ///   whose names say their environment. A deploy job that builds the prod target and
    ///   maps a dev or CI secret into that variable (`MOTHERDUCK_TOKEN:
    ///   ${{ secrets.MOTHERDUCK_TOKEN_CI }}` in the release job) is reported at that job;
    /// - the login of whoever runs dbt: BigQuery `method: oauth` (without
    ///   `impersonate_service_account`, which writes as that service account), Snowflake
    ///   `authenticator: externalbrowser`, Databricks `auth_type: oauth` without a
    ///   `client_secret` (OAuth U2M) or a CLI login, Fabric/Synapse `authentication: CLI` or
    ///   interactive, Redshift `method: iam` without `iam_profile` or keys (the default AWS
    ///   profile), Trino `method: oauth`.
    ///
    /// It also flags a dev or CI target that reads a secret the policy reserves for prod
    /// (`environments.prod.credentials`; the presets reserve `*_PROD`, `PROD_*`, `*_PROD_*`),
    /// and a pull-request CI job that sets a variable the prod target logs in with (other
    /// than from `${{ secrets.X }}`, which ENV302 reports).
    ///
    /// `DBT_ACCESS_TOKEN` shared by dev and prod is no finding when a Databricks Asset Bundle
    /// runs the prod target: Databricks sets it in a `dbt_task` to the token of the identity
    /// the job runs as.
    ///
    /// ## Why is this bad?
    /// If the credential that runs dev also opens prod, every developer token holder can run
    /// `dbt run --target prod` from a laptop, and every leaked dev token is a prod token.
    /// Production should be writable only by the prod service account, whose secret exists
    /// only in the deploy job on `main`.
    ///
    /// ## Example
    /// ```yaml
    /// dev:
    ///   type: duckdb
    ///   path: "md:transform_dev"      # token: ambient MOTHERDUCK_TOKEN
    /// prod:
    ///   type: duckdb
    ///   path: "md:transform"          # the same ambient MOTHERDUCK_TOKEN
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// dev:
    ///   type: duckdb
    ///   path: "md:transform_dev"
    ///   settings: {motherduck_token: "{{ env_var('MOTHERDUCK_TOKEN_DEV') }}"}
    /// prod:
    ///   type: duckdb
    ///   path: "md:transform"
    ///   settings: {motherduck_token: "{{ env_var('MOTHERDUCK_TOKEN_PROD') }}"}
    /// ```
    pub struct ProdCredentialReachableFromDev;
    code = "ENV109", name = "prod-credential-reachable-from-dev", severity = Error,
    summary = "the prod target's credential source is shared with dev/CI or ambient",
}

impl ProdCredentialReachableFromDev {
    fn run(&self, cx: &mut Context<'_>) {
        check_pull_request_jobs(cx);
        for view in cx.profiles {
            let non_prod: Vec<(Environment, &Target, Vec<Source>)> = view
                .non_prod()
                .map(|(env, target)| (env, target, sources(target)))
                .collect();
            for prod in view.targets_in(Environment::Prod) {
                // One finding per credential field: `env_var('PAT', env_var('PASSWORD'))`
                // is one credential with two names.
                let mut reported_fields = Vec::new();
                let mut judged_vars: Vec<&str> = Vec::new();
                let prod_sources = sources(prod);
                for source in &prod_sources {
                    if reported_fields.contains(&source.field) {
                        continue;
                    }
                    let users: Vec<(Environment, &Target, &Source)> = non_prod
                        .iter()
                        .flat_map(|(env, target, list)| {
                            list.iter()
                                .filter(|s| s.key == source.key)
                                .map(move |s| (*env, *target, s))
                        })
                        .collect();
                    let separated = match &source.key {
                        SourceKey::Var(name) => {
                            if !judged_vars.contains(&name.as_str()) {
                                judged_vars.push(name);
                                check_deploy_jobs(cx, prod, name);
                            }
                            separated_in_ci(cx, name) || set_per_run_identity(cx, prod, name)
                        }
                        _ => false,
                    };
                    if !users.is_empty() && !separated {
                        report_shared(cx, prod, source, &users);
                        reported_fields.push(source.field);
                    }
                }
                if let Some(ambient) = prod
                    .ambient
                    .as_ref()
                    .filter(|a| a.personal && !prod.is_motherduck())
                {
                    let message = format!(
                        "{} logs in with {}, so anyone who can run dbt can run `--target prod`",
                        describe(Environment::Prod, prod),
                        ambient.source
                    );
                    let diag = cx
                        .diagnostic(message, ambient.span, "personal login")
                        .with_help("log prod in as a service account whose key exists only in the deploy job");
                    cx.report(diag);
                }
            }
            for (env, target, list) in &non_prod {
                for source in list {
                    let SourceKey::Var(name) = &source.key else {
                        continue;
                    };
                    if !cx.policy.is_prod_credential(name) {
                        continue;
                    }
                    let message = format!(
                        "{} uses the prod credential `{name}`",
                        describe(*env, target)
                    );
                    let mut diag = cx
                        .diagnostic(message, source.span, "prod secret")
                        .with_help(format!(
                            "give {env} its own credential; prod secrets belong to the deploy job only"
                        ));
                    if let Some(defined) = source.defined {
                        diag = diag.with_related(defined, "inherited from here");
                    }
                    cx.report(diag);
                }
            }
        }
    }
}

/// Whether CI gives the variable a different value per job: two different secrets mapped into
/// it (`MOTHERDUCK_TOKEN: ${{ secrets.MOTHERDUCK_TOKEN_CI }}` in the PR job, `..._PROD` in the
/// deploy job), secrets whose names say their environment (`_CI`, `_PROD`), or a secret read
/// in a job with a GitHub Environment, whose secrets of the same name differ per environment.
/// Then the name is not the credential: what each job maps into it is, judged at the job
/// (ENV302 for a prod secret outside the deploy, [`check_deploy_jobs`] for a CI secret in it).
fn separated_in_ci(cx: &Context<'_>, name: &str) -> bool {
    let mut values: Vec<String> = Vec::new();
    let mut environment_scoped = false;
    let mut every_name_says_environment = true;
    for view in envlint_model::ci_view::jobs(cx.repo, cx.policy) {
        for var in secret_mappings(&view, name) {
            environment_scoped |= view.job.environment.is_some();
            every_name_says_environment &= secret_refs_in(&cx.repo.db, var.span)
                .iter()
                .all(|secret| environment_named(&secret.name).is_some());
            let value: String = var.value.split_whitespace().collect();
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    values.len() > 1 || environment_scoped || (!values.is_empty() && every_name_says_environment)
}

/// Whether the platform that runs the prod target's dbt sets the variable to the token of
/// whoever the run is (Databricks sets `DBT_ACCESS_TOKEN` in a bundle's `dbt_task` to the
/// token of the job's run-as identity): then dev and prod share the name, not the credential.
fn set_per_run_identity(cx: &Context<'_>, prod: &Target, name: &str) -> bool {
    name == "DBT_ACCESS_TOKEN"
        && envlint_model::ci_view::orchestrated_jobs(cx.repo, cx.policy)
            .iter()
            .filter(|view| view.ci.provider == Provider::DatabricksBundle)
            .any(|view| {
                view.job.dbt_calls().any(|(step, call)| {
                    envlint_model::ci_view::call_target(view, step, call).as_deref()
                        == Some(prod.name.as_str())
                })
            })
}

/// The entries of a job (workflow, job and step `env:`) that map a secret into `name`.
fn secret_mappings<'a>(view: &JobView<'a>, name: &'a str) -> impl Iterator<Item = &'a EnvVar> {
    let steps = view.job.steps.iter().flat_map(|s| s.env.iter());
    view.ci
        .env
        .iter()
        .chain(&view.job.env)
        .chain(steps)
        .filter(move |var| var.name.eq_ignore_ascii_case(name) && var.value.contains("secrets."))
}

/// The CI view of a variable the prod target logs in with: a deploy job that builds the prod
/// target and maps a secret whose name says dev or CI into it (`MOTHERDUCK_TOKEN:
/// ${{ secrets.MOTHERDUCK_TOKEN_CI }}` in the release job) writes prod with that workload's
/// token.
fn check_deploy_jobs(cx: &mut Context<'_>, prod: &Target, name: &str) {
    for view in envlint_model::ci_view::jobs(cx.repo, cx.policy) {
        if !view.contexts.deploy || view.contexts.pull_request || view.contexts.unknown {
            continue;
        }
        let builds_prod = view.job.dbt_calls().any(|(step, call)| {
            call.writes()
                && envlint_model::ci_view::call_target(&view, step, call).as_deref()
                    == Some(prod.name.as_str())
        });
        if !builds_prod {
            continue;
        }
        for var in secret_mappings(&view, name) {
            for secret in secret_refs_in(&cx.repo.db, var.span) {
                let workload = match environment_named(&secret.name) {
                    Some(Environment::Ci) => "CI",
                    Some(Environment::Dev) => "dev",
                    _ => continue,
                };
                let message = format!(
                    "job `{}` builds prod target `{}` with the {workload} secret `{}` as `{}`: every workload needs its own token, and prod's belongs to the deploy job only",
                    view.job.id, prod.name, secret.name, var.name
                );
                let diag = cx
                    .diagnostic(
                        message,
                        var.span,
                        format!("{workload} secret in the deploy job"),
                    )
                    .with_help(format!(
                        "map prod's own secret into `{}` in job `{}`",
                        var.name, view.job.id
                    ))
                    .with_related(prod.name_span, "prod target");
                cx.report(diag);
            }
        }
    }
}

/// The CI view: a pull-request job sets a variable the prod target logs in with. Values that
/// are `${{ secrets.X }}` are ENV302's; this catches the rest (`vars.X`, literals, copies).
fn check_pull_request_jobs(cx: &mut Context<'_>) {
    let prod_vars = super::support::prod_credential_vars(cx.profiles);
    for view in envlint_model::ci_view::jobs(cx.repo, cx.policy) {
        if !view.contexts.pull_request || view.contexts.unknown {
            continue;
        }
        let mut vars: Vec<&envlint_parser::ci::EnvVar> =
            view.ci.env.iter().chain(&view.job.env).collect();
        vars.extend(view.job.steps.iter().flat_map(|s| s.env.iter()));
        for var in vars
            .into_iter()
            .filter(|v| !v.value.contains("secrets.") && !v.value.trim().is_empty())
        {
            let Some((name, prod)) = prod_vars
                .iter()
                .find(|(name, _)| *name == var.name.to_ascii_uppercase())
            else {
                continue;
            };
            let diag = cx
                .diagnostic(
                    format!(
                        "prod target `{}` logs in with `{name}`, which pull-request job `{}` sets",
                        prod.name, view.job.id
                    ),
                    var.span,
                    "prod credential in a pull-request job",
                )
                .with_help("set the prod credential only in the deploy job")
                .with_related(prod.name_span, "prod target")
                .with_related(view.job.id_span, "pull-request job");
            cx.report(diag);
        }
    }
}

fn report_shared(
    cx: &mut Context<'_>,
    prod: &Target,
    source: &Source,
    users: &[(Environment, &Target, &Source)],
) {
    let mut names: Vec<String> = Vec::new();
    for (env, target, _) in users {
        let name = describe(*env, target);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let who = match names.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => return,
    };
    let verb = if names.len() == 1 { "uses" } else { "use" };
    let prod_name = describe(Environment::Prod, prod);
    let message = match &source.key {
        SourceKey::Var(name) if source.ambient => {
            format!("{prod_name} logs in with the ambient `{name}`, which {who} also {verb}")
        }
        SourceKey::Var(name) => {
            format!("{prod_name} logs in with `{name}`, which {who} also {verb}")
        }
        SourceKey::Literal(_) => {
            format!("{prod_name} logs in with the same literal secret as {who}")
        }
        SourceKey::KeyFile(path) => {
            format!("{prod_name} logs in with key file `{path}`, which {who} also {verb}")
        }
    };
    let mut diag = cx
        .diagnostic(message, source.span, "prod's credential")
        .with_help("give prod its own service-account secret (e.g. `*_PROD`) that only the deploy job holds");
    // An inherited value is defined where a dev/CI target uses it: that label says enough.
    let defined_elsewhere = source.defined.filter(|defined| {
        !users.iter().any(|(_, _, used)| {
            used.span.file == defined.file
                && used.span.start >= defined.start
                && used.span.end <= defined.end
        })
    });
    if let Some(defined) = defined_elsewhere {
        diag = diag.with_related(defined, "inherited from here");
    }
    for (env, target, used) in users {
        diag = diag.with_related(
            used.span,
            format!("also used by {}", describe(*env, target)),
        );
    }
    cx.report(diag);
}

/// What identifies a credential: the variable it is read from, a literal (compared, never
/// printed), or a key file path.
#[derive(Debug, PartialEq, Eq)]
enum SourceKey {
    Var(String),
    Literal(String),
    KeyFile(String),
}

#[derive(Debug)]
struct Source {
    key: SourceKey,
    span: Span,
    /// The key of the field it is read in (the ambient source: the field that makes it so).
    field: Span,
    defined: Option<Span>,
    ambient: bool,
}

/// Every credential source of a target. Variable names compare without case: DuckDB reads
/// `motherduck_token` and `MOTHERDUCK_TOKEN` alike.
fn sources(target: &Target) -> Vec<Source> {
    let mut out = Vec::new();
    for credential in &target.credentials {
        let field = &credential.field;
        let span = field.text_span();
        for env in field.value.env_refs() {
            let span = match field.defined {
                Some(_) => span,
                None => field.value_span(env.span.clone()),
            };
            out.push(Source {
                key: SourceKey::Var(env.name.to_ascii_uppercase()),
                span,
                field: field.key_span,
                defined: field.defined,
                ambient: false,
            });
        }
        let Some(literal) = field.value.as_literal() else {
            continue;
        };
        if is_placeholder(&literal) {
            continue;
        }
        let key = match credential.kind {
            CredentialKind::Secret => SourceKey::Literal(literal),
            CredentialKind::KeyFile => SourceKey::KeyFile(literal),
        };
        out.push(Source {
            key,
            span,
            field: field.key_span,
            defined: field.defined,
            ambient: false,
        });
    }
    if let Some(ambient) = target.ambient.as_ref().filter(|_| target.is_motherduck()) {
        out.push(Source {
            key: SourceKey::Var(ambient.source.clone()),
            span: ambient.span,
            field: ambient.span,
            defined: None,
            ambient: true,
        });
    }
    out
}
