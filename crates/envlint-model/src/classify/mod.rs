//! The one place that decides each target's environment, from evidence, strongest first: the
//! policy; the target's name; what CI does with it; the profile's name; the names of where it
//! writes and what it logs in with; being the default of a profile whose other targets are CI
//! or prod. Where the evidence does not settle it the target is unknown, and every rule that
//! needs an environment leaves it alone.

mod ci_runs;

use std::collections::HashMap;

use envlint_diagnostics::Span;
use envlint_parser::{Profile, ProfilesFile, Repository, Target};

use crate::names::{Said, said_by};
use ci_runs::CiRun;

use crate::environment::Environment;
use crate::policy::Policy;

/// A target's environment and the evidence behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    pub environment: Option<Environment>,
    /// What decided it, or why nothing did (`name `prod``, `no evidence`).
    pub reason: String,
    /// Everything seen, decisive or not, for `explain`.
    pub evidence: Vec<String>,
}

/// The classification of every target of every profile, by the span of its name.
#[derive(Debug, Default)]
pub struct Environments {
    by_target: HashMap<Span, Classification>,
}

impl Environments {
    pub fn of(&self, target: &Target) -> Option<&Classification> {
        self.by_target.get(&target.name_span)
    }

    pub fn environment(&self, target: &Target) -> Option<Environment> {
        self.of(target).and_then(|c| c.environment)
    }
}

/// Classifies every target of every profile in the repository.
pub fn classify(repo: &Repository, policy: &Policy) -> Environments {
    let runs = ci_runs::ci_runs(repo, policy);
    let mut by_target = HashMap::new();
    for file in &repo.profiles {
        for profile in &file.profiles {
            let first_pass: Vec<Classification> = profile
                .targets
                .iter()
                .map(|target| classify_target(policy, &runs, file, profile, target))
                .collect();
            let defaulted = default_is_dev(file, profile, &first_pass);
            for (i, (target, mut class)) in profile.targets.iter().zip(first_pass).enumerate() {
                if defaulted == Some(i) {
                    class.environment = Some(Environment::Dev);
                    class.reason = "the default target of a profile whose other targets are CI or prod: what laptops run".to_owned();
                }
                by_target.insert(target.name_span, class);
            }
        }
    }
    Environments { by_target }
}

const NO_EVIDENCE: &str = "no evidence";

/// One piece of evidence: what it says and how to say it.
struct Clue {
    said: Option<Said>,
    text: String,
}

fn classify_target(
    policy: &Policy,
    runs: &HashMap<String, Vec<CiRun>>,
    file: &ProfilesFile,
    profile: &Profile,
    target: &Target,
) -> Classification {
    let mut evidence = Vec::new();
    if let Some(env) = policy.listed_environment(&target.name) {
        return Classification {
            environment: Some(env),
            reason: format!("listed under `environments.{env}.targets` in the policy"),
            evidence: Vec::new(),
        };
    }
    let name = named(&target.name, "name");
    let ci: Vec<Clue> = runs
        .get(&target.name)
        .into_iter()
        .flatten()
        .map(|run| Clue {
            said: Some(run.environment.map_or(Said::Staging, Said::Env)),
            text: format!("built by {}", run.what),
        })
        .collect();
    let profile_name = named(&profile.name, "profile name");
    // `main` in a location or variable is a schema or a branch (`DATACOVES__MAIN__USER`).
    let places: Vec<Clue> = location_words(target)
        .into_iter()
        .filter(|(_, text)| said_by(text).is_none_or(|(_, word)| word != "main"))
        .filter_map(|(what, text)| named(&text, &what))
        .collect();
    let ranks: [Vec<Clue>; 4] = [
        name.into_iter().collect(),
        ci,
        profile_name.into_iter().collect(),
        places,
    ];
    let mut decided: Option<(Option<Environment>, String)> = None;
    for clues in &ranks {
        evidence.extend(clues.iter().map(|c| c.text.clone()));
        if decided.is_some() || clues.is_empty() {
            continue;
        }
        decided = Some(agree(clues));
    }
    let (mut environment, mut reason) = decided.unwrap_or((None, NO_EVIDENCE.to_owned()));
    if file.is_for_ci() {
        let whose = if file.written_by_ci {
            "written by a CI job"
        } else {
            "kept in a CI folder"
        };
        evidence.push(format!("profile {whose}"));
        if environment == Some(Environment::Dev) {
            // A dummy profile for `dbt parse` or a CI build is no developer's environment.
            reason = format!("{reason}, but the profile is {whose}, not a developer's");
            environment = None;
        }
    }
    if let Some(env) = environment
        && policy.environment(env).is_some_and(|p| p.targets.is_some())
    {
        reason = format!("{reason}, but the policy lists the {env} targets and not this one");
        environment = None;
    }
    Classification {
        environment,
        reason,
        evidence,
    }
}

/// The verdict of one rank of clues: theirs when they agree, unknown when they do not.
fn agree(clues: &[Clue]) -> (Option<Environment>, String) {
    let first = clues[0].said;
    if clues.iter().any(|c| c.said != first) {
        let all: Vec<&str> = clues.iter().map(|c| c.text.as_str()).collect();
        return (None, format!("the evidence disagrees: {}", all.join("; ")));
    }
    match first {
        Some(Said::Env(env)) => (Some(env), clues[0].text.clone()),
        _ => (
            None,
            format!(
                "{}: a shared pre-production environment, neither dev, CI nor prod",
                clues[0].text
            ),
        ),
    }
}

/// A clue from a name, when a word of it says an environment.
fn named(name: &str, what: &str) -> Option<Clue> {
    let (said, word) = said_by(name)?;
    Some(Clue {
        said: Some(said),
        text: format!("{what} `{name}` says `{word}`"),
    })
}

/// The literal names of where a target writes and the variables it logs in with.
fn location_words(target: &Target) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in [&target.database, &target.schema].into_iter().flatten() {
        if let Some(text) = field.value.as_literal() {
            out.push((field.key.clone(), text));
        }
    }
    for credential in &target.credentials {
        for env in credential.field.value.env_refs() {
            out.push(("credential".to_owned(), env.name.clone()));
        }
    }
    out
}

/// The default target of a committed profile is what developers run, when it is otherwise
/// unknown and the profile's other targets are CI or prod.
fn default_is_dev(
    file: &ProfilesFile,
    profile: &Profile,
    classes: &[Classification],
) -> Option<usize> {
    if file.is_for_ci() || profile.targets.len() < 2 {
        return None;
    }
    let default = profile.default_target.as_ref()?.value.as_literal()?;
    let index = profile.targets.iter().position(|t| t.name == default)?;
    let others_decided = classes.iter().enumerate().all(|(i, c)| {
        i == index || matches!(c.environment, Some(Environment::Ci | Environment::Prod))
    });
    (classes[index].environment.is_none() && classes[index].reason == NO_EVIDENCE && others_decided)
        .then_some(index)
}
