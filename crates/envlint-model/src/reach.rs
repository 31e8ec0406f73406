//! The credential reachability map: for each credential (an environment variable a target
//! logs in with, or a CI secret), the targets that use it and the contexts that can hold it.

use std::collections::BTreeMap;

use envlint_parser::Repository;
use envlint_parser::ci::secret_refs_in;

use crate::ci_view::{self, Contexts};
use crate::policy::Policy;
use crate::profiles::profile_views;

/// One credential and where it can be.
#[derive(Debug, Default)]
pub struct Credential {
    pub name: String,
    /// `env` (read by a target) or `secret` (a CI secret).
    pub kind: &'static str,
    /// `prod target prod`, ...
    pub targets: Vec<String>,
    /// (context, job, file): `pull request`, `deploy`, `scheduled`, `manual`, `push`,
    /// `unknown`, or `laptop` (a committed `.env`).
    pub holders: Vec<(String, String, String)>,
}

fn context_names(contexts: &Contexts) -> Vec<&'static str> {
    if contexts.unknown {
        return vec!["unknown"];
    }
    let mut names = Vec::new();
    if contexts.pull_request {
        names.push("pull request");
    }
    if contexts.manual {
        names.push("manual");
    }
    if contexts.scheduled {
        names.push("scheduled");
    }
    if names.is_empty() {
        names.push(if contexts.deploy { "deploy" } else { "push" });
    }
    names
}

fn entry<'m>(
    map: &'m mut BTreeMap<(String, &'static str), Credential>,
    name: &str,
    kind: &'static str,
) -> &'m mut Credential {
    map.entry((name.to_owned(), kind))
        .or_insert_with(|| Credential {
            name: name.to_owned(),
            kind,
            ..Credential::default()
        })
}

/// Every credential of the repository, by name.
pub fn credential_reach(repo: &Repository, policy: &Policy) -> Vec<Credential> {
    let mut map: BTreeMap<(String, &'static str), Credential> = BTreeMap::new();
    let environments = crate::classify::classify(repo, policy);
    for view in profile_views(repo, policy, &environments) {
        for (env, target) in &view.targets {
            let label = format!("{env} target `{}`", target.name);
            // A dev target's credential is exported on developers' machines.
            let laptop = (*env == crate::environment::Environment::Dev).then(|| {
                (
                    "laptop".to_owned(),
                    "-".to_owned(),
                    "developer machines".to_owned(),
                )
            });
            for credential in &target.credentials {
                for var in credential.field.value.env_refs() {
                    let credential = entry(&mut map, &var.name, "env");
                    credential.targets.push(label.clone());
                    credential.holders.extend(laptop.clone());
                }
            }
            if let Some(ambient) = target.ambient.as_ref().filter(|_| target.is_motherduck()) {
                entry(&mut map, &ambient.source, "env")
                    .targets
                    .push(label.clone());
            }
        }
    }
    for job in ci_view::jobs(repo, policy) {
        let file = repo.db.path(job.ci.file).display().to_string();
        let contexts = context_names(&job.contexts);
        let mut vars: Vec<&envlint_parser::ci::EnvVar> =
            job.ci.env.iter().chain(job.job.env.iter()).collect();
        vars.extend(job.job.steps.iter().flat_map(|s| s.env.iter()));
        for var in vars {
            for context in &contexts {
                let holder = ((*context).to_owned(), job.job.id.clone(), file.clone());
                entry(&mut map, &var.name, "env")
                    .holders
                    .push(holder.clone());
                for secret in secret_refs_in(&repo.db, var.span) {
                    entry(&mut map, &secret.name, "secret")
                        .holders
                        .push(holder.clone());
                }
            }
        }
    }
    for dotenv in &repo.dotenv {
        let file = repo.db.path(dotenv.file).display().to_string();
        for var in &dotenv.vars {
            entry(&mut map, &var.name, "env").holders.push((
                "laptop".to_owned(),
                "-".to_owned(),
                file.clone(),
            ));
        }
    }
    let mut credentials: Vec<Credential> = map
        .into_values()
        .filter(|c| !c.targets.is_empty() || c.kind == "secret")
        .collect();
    for credential in &mut credentials {
        credential.targets.sort();
        credential.targets.dedup();
        credential.holders.sort();
        credential.holders.dedup();
    }
    credentials
}
