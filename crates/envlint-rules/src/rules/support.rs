//! Small helpers several rules share: describing targets, labelling inherited values.

use std::collections::HashSet;

use envlint_diagnostics::{Diagnostic, Span};
use envlint_model::ProfileView;
use envlint_parser::{CredentialKind, Field, Part, Repository, SymStr, Target};

use crate::context::Context;
use envlint_model::ci_view;
use envlint_model::environment::Environment;

/// The schema a target writes to.
enum WrittenSchema<'a> {
    /// The `schema:` (or `dataset:`) field.
    Field(&'a Field),
    /// No `schema:` on DuckDB/MotherDuck: dbt writes `main`.
    DuckdbMain,
}

/// The schema a target writes to; `None` when no schema is given and the adapter's default
/// is unknown to us.
fn written_schema(target: &Target) -> Option<WrittenSchema<'_>> {
    match (&target.schema, &target.duckdb) {
        (Some(field), _) => Some(WrittenSchema::Field(field)),
        (None, Some(_)) => Some(WrittenSchema::DuckdbMain),
        (None, None) => None,
    }
}

/// The schema field of a dev or CI target, for ENV102/ENV103 to judge, after what both
/// share: a machine-local target, or one whose database already tells runs apart
/// (`separates`), is fine; a DuckDB target without `schema:` writes `main` for everyone and
/// is reported here with `main_message`.
pub(crate) fn schema_to_judge<'t>(
    cx: &mut crate::context::Context<'_>,
    target: &'t Target,
    separates: fn(&SymStr) -> bool,
    main_message: String,
    help: &str,
) -> Option<&'t Field> {
    if target.is_machine_local()
        || target
            .database
            .as_ref()
            .is_some_and(|d| separates(&d.value))
    {
        return None;
    }
    match written_schema(target)? {
        WrittenSchema::Field(schema) => Some(schema),
        WrittenSchema::DuckdbMain => {
            let diag = cx
                .diagnostic(main_message, target.name_span, "no `schema:` here")
                .with_help(help);
            cx.report(diag);
            None
        }
    }
}

/// The variables prod targets log in with (upper-cased, as DuckDB and shells compare
/// them loosely), each with its target.
pub(crate) fn prod_credential_vars<'a>(
    profiles: &'a [envlint_model::ProfileView<'a>],
) -> Vec<(String, &'a Target)> {
    profiles
        .iter()
        .flat_map(|view| view.targets_in(Environment::Prod))
        .flat_map(|target| {
            target
                .credentials
                .iter()
                .flat_map(|c| c.field.value.env_refs())
                .map(move |env| (env.name.to_ascii_uppercase(), target))
        })
        .collect()
}

/// "dev target `local`".
/// Every secret credential field (password, token, key) of the targets that reach a shared
/// warehouse: a password of a database on the machine itself (a docker-compose or CI
/// service container, `localhost`) opens nothing anyone else can reach.
pub(crate) fn remote_secrets<'a>(
    profiles: &'a [ProfileView<'a>],
) -> impl Iterator<Item = (&'a Target, &'a Field)> {
    profiles
        .iter()
        .flat_map(|view| view.profile.targets.iter())
        .filter(|target| !target.is_machine_local())
        .flat_map(|target| {
            target
                .credentials
                .iter()
                .filter(|c| c.kind == CredentialKind::Secret)
                .map(move |c| (target, &c.field))
        })
}

pub(crate) fn describe(env: Environment, target: &Target) -> String {
    format!("{env} target `{}`", target.name)
}

/// Adds an "inherited from here" label when the value was written elsewhere (`<<: *dev`).
pub(crate) fn with_definition(diag: Diagnostic, field: &Field) -> Diagnostic {
    match field.defined {
        Some(defined) => diag.with_related(defined, "inherited from here"),
        None => diag,
    }
}

/// The span of the first environment-variable reference in a value, or the whole value.
pub(crate) fn first_env_span(field: &Field) -> Span {
    field
        .value
        .parts
        .iter()
        .find_map(|part| match part {
            Part::Env(env) if field.defined.is_none() => Some(field.value_span(env.span.clone())),
            _ => None,
        })
        .unwrap_or_else(|| field.text_span())
}

/// Names of the variables a value reads, in order, without repeats.
pub(crate) fn env_names(value: &SymStr) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for env in value.env_refs() {
        if !names.contains(&env.name) {
            names.push(env.name.clone());
        }
    }
    names
}

/// `` `A` `` or `` `A` and `B` `` or `` `A`, `B` and `C` ``.
pub(crate) fn code_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// True when the value can differ per person or per run: it reads a variable with no
/// default, or contains something we cannot evaluate (then we stay silent).
pub(crate) fn varies(value: &SymStr) -> bool {
    value.parts.iter().any(|part| match part {
        Part::Env(env) => env.default.is_none(),
        Part::Opaque { .. } => true,
        Part::Lit { .. } => false,
    })
}

/// The `schema:` (or `database:`) of a dev or CI target that is made per person or per
/// run, which then needs dropping: a dev location that reads a person's variable (`USER`,
/// `DBT_USER`), a CI location that reads a run's number (`PR_NUMBER`, `GITHUB_RUN_ID`) or a
/// variable CI sets from one. A variable that holds one fixed value makes nothing to drop;
/// a machine-local target neither.
pub(crate) fn per_run_location<'t>(
    repo: &Repository,
    env: Environment,
    target: &'t Target,
) -> Option<&'t Field> {
    if target.is_machine_local() {
        return None;
    }
    let per_run = per_run_variables(repo);
    let varies = |name: &str| {
        let upper = name.to_ascii_uppercase();
        match env {
            Environment::Dev => ["USER", "LOGNAME", "DEVELOPER", "INITIALS", "EMAIL", "OWNER"]
                .iter()
                .any(|word| upper.contains(word)),
            Environment::Ci => ci_view::is_per_run(&upper) || per_run.contains(&upper),
            Environment::Prod => false,
        }
    };
    [&target.schema, &target.database]
        .into_iter()
        .flatten()
        .find(|field| field.value.env_refs().iter().any(|e| varies(&e.name)))
}

/// A project macro that reads a variable CI sets per run (`env_var('DEV_SCHEMA_SUFFIX')`
/// in `generate_schema_name`, with `DEV_SCHEMA_SUFFIX: pr${{ github.event.number }}`):
/// the per-PR schemas are made there rather than in the profile. The span of the call
/// and the variable's name.
pub(crate) fn per_run_macro_variable(repo: &Repository) -> Option<(Span, String)> {
    let per_run = per_run_variables(repo);
    let macros = repo.projects.iter().flat_map(|p| p.project.macros.iter());
    macros.into_iter().find_map(|m| {
        let text = &repo.db.get(m.file).text;
        text.match_indices("env_var(").find_map(|(at, call)| {
            let after = &text[at + call.len()..];
            let rest = after.trim_start();
            let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            let name: String = rest[1..].chars().take_while(|c| *c != quote).collect();
            let upper = name.to_ascii_uppercase();
            let end = at + call.len() + (after.len() - rest.len()) + name.len() + 2;
            (!name.is_empty() && (per_run.contains(&upper) || ci_view::is_per_run(&upper)))
                .then(|| (Span::new(m.file, at, end), name))
        })
    })
}

/// Variables that CI sets from a pull request's or run's number, upper-cased.
fn per_run_variables(repo: &Repository) -> HashSet<String> {
    let mut names = HashSet::new();
    for ci in &repo.ci {
        let jobs = ci.jobs.iter();
        let steps = jobs.clone().flat_map(|job| job.steps.iter());
        let scripts = steps
            .clone()
            .filter_map(|step| step.script.as_ref())
            .flat_map(|script| script.assignments.iter());
        let vars = ci
            .env
            .iter()
            .chain(jobs.flat_map(|job| job.env.iter()))
            .chain(steps.flat_map(|step| step.env.iter()))
            .chain(scripts);
        for var in vars.filter(|v| ci_view::is_per_run(&v.value)) {
            names.insert(var.name.to_ascii_uppercase());
        }
    }
    names
}

/// The body of macro `name` in a macro file's text: from its `{% macro name(` tag to the
/// next `endmacro`.
pub(crate) fn macro_body(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start = text.match_indices("macro").find_map(|(at, _)| {
        let rest = text[at + "macro".len()..].trim_start();
        let opens = rest.strip_prefix(name)?.trim_start().starts_with('(');
        let tag = text[..at].trim_end_matches([' ', '-']).ends_with("{%");
        (opens && tag).then_some(at)
    })?;
    let end = text[start..]
        .find("endmacro")
        .map_or(text.len(), |e| start + e);
    Some(start..end)
}

/// Whether `dbt run-operation <name>` calls a macro that clearly does not exist: an
/// unqualified name that no macro file defines, in projects that have macro files and no
/// packages (a package may define it).
/// Reports each `run-operation` of a macro no macro file defines, at the call: `job` names
/// the job (`teardown job `drop``), `instead` what to run otherwise.
pub(crate) fn report_undefined_operations<'a>(
    cx: &mut Context<'_>,
    calls: impl Iterator<Item = &'a envlint_parser::ci::DbtCall>,
    job: &str,
    consequence: &str,
    instead: &str,
) {
    for call in calls {
        let Some(name) = call
            .operation
            .as_deref()
            .filter(|n| undefined_macro(cx.repo, n))
        else {
            continue;
        };
        let diag = cx
            .diagnostic(
                format!("{job} runs macro `{name}`, which no macro file of the project defines{consequence}"),
                call.span,
                "undefined macro",
            )
            .with_help(format!(
                "define `{{% macro {name}(...) %}}` under the project's macro paths, or {instead}"
            ));
        cx.report(diag);
    }
}

fn undefined_macro(repo: &Repository, name: &str) -> bool {
    let macros = || repo.projects.iter().flat_map(|p| p.project.macros.iter());
    let has_packages = repo.projects.iter().any(|p| {
        ["packages.yml", "dependencies.yml"]
            .iter()
            .any(|file| p.project.dir.join(file).exists())
    });
    !name.contains('.')
        && !has_packages
        && macros().next().is_some()
        && !macros().any(|m| macro_body(&repo.db.get(m.file).text, name).is_some())
}

/// The literal text a location's value starts with (`pr_` of `pr_{{ env_var('PR') }}`).
pub(crate) fn literal_prefix(value: &SymStr) -> Option<String> {
    match value.parts.first()? {
        Part::Lit { text, .. } if !text.is_empty() => Some(text.clone()),
        _ => None,
    }
}

/// Whether the schemas of an environment whose location starts with `prefix` are the ones
/// `init --scaffold`'s jobs drop: it sets CI's schema variable to `pr_<number>` (so a CI
/// location that starts with the variable or with `pr_`), and sweeps `dev_*` by age.
pub(crate) fn scaffold_drops(env: Environment, prefix: Option<&str>) -> bool {
    matches!(
        (env, prefix),
        (Environment::Ci, None | Some("pr_")) | (Environment::Dev, Some("dev_"))
    )
}

/// `help`, followed by `dbt-envlint init --scaffold` when it would write the missing
/// workflow: the repository's CI is GitHub Actions (the only CI the scaffold writes) and no
/// workflow or job has the trigger `taken` says the scaffold's would have (it keeps any
/// workflow that already runs then).
pub(crate) fn with_scaffold(
    help: &str,
    repo: &envlint_parser::Repository,
    taken: impl Fn(&envlint_parser::ci::Triggers) -> bool,
) -> String {
    let github = repo
        .ci
        .iter()
        .all(|ci| matches!(ci.provider, envlint_parser::ci::Provider::GitHub));
    let free = repo.ci.iter().all(|ci| {
        !taken(&ci.triggers)
            && ci
                .jobs
                .iter()
                .all(|job| !job.triggers.as_ref().is_some_and(&taken))
    });
    if github && free {
        format!("{help}; `dbt-envlint init --scaffold` writes one")
    } else {
        help.to_owned()
    }
}
