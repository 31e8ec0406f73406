//! The words in target, profile, location and credential names that say an environment, in
//! the spellings and languages teams use (`prod`, `prd`, `producao`, `bigquery_dev`, `pr123`).

use crate::environment::Environment;

/// What a word in a name says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Said {
    /// One of the three environments.
    Env(Environment),
    /// A shared pre-production environment (`staging`, `qa`, `uat`): not a developer's, not
    /// per pull request, not prod, so no rule that needs an environment judges it.
    Staging,
}

const PROD: &[&str] = &[
    "prod",
    "prd",
    "production",
    "producao",
    "produção",
    "produccion",
    "producción",
    "produktion",
    "produzione",
    "productie",
    "live",
    "main",
];
const DEV: &[&str] = &[
    "dev",
    "develop",
    "development",
    "desenvolvimento",
    "desarrollo",
    "entwicklung",
    "sviluppo",
];
/// Words that say dev only when no other environment word is there: `ci_local` is CI run
/// on a laptop, `local` alone is a developer's.
const WEAK_DEV: &[&str] = &["local", "sandbox", "personal"];
const CI: &[&str] = &[
    "ci",
    "pr",
    "mr",
    "pullrequest",
    "test",
    "testing",
    "branch",
    "ephemeral",
];
const STAGING: &[&str] = &[
    "staging",
    "stage",
    "stg",
    "qa",
    "uat",
    "preprod",
    "preproduction",
    "homolog",
    "homologacao",
    "homologação",
    "hml",
    "acceptance",
    "acc",
];

/// What one lower-case word says: `dev1` and `pr123` count as `dev` and `pr`, and a word
/// ending in `dev` or `prod` (`userdev`, `bqprod`) as that environment.
fn word(word: &str) -> Option<Said> {
    let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let stem = if stem.is_empty() { word } else { stem };
    let is = |list: &[&str]| list.contains(&stem);
    if is(STAGING) {
        Some(Said::Staging)
    } else if is(PROD) || (stem.len() > 4 && stem.ends_with("prod")) {
        Some(Said::Env(Environment::Prod))
    } else if is(CI) {
        Some(Said::Env(Environment::Ci))
    } else if is(DEV) || is(WEAK_DEV) || (stem.len() > 3 && stem.ends_with("dev")) {
        Some(Said::Env(Environment::Dev))
    } else {
        None
    }
}

/// What a name says, with the word that says it: `None` when no word does, or when its words
/// disagree (`dev_prod`). `pre_prod` and `pre-production` are staging.
pub(crate) fn said_by(name: &str) -> Option<(Said, String)> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let weak = |w: &str| WEAK_DEV.contains(&w.trim_end_matches(|c: char| c.is_ascii_digit()));
    let strong_present = words.iter().any(|w| !weak(w) && word(w).is_some());
    let mut found: Option<(Said, String)> = None;
    for (i, w) in words.iter().enumerate() {
        if strong_present && weak(w) {
            continue;
        }
        let pre_prod =
            i > 0 && words[i - 1] == "pre" && word(w) == Some(Said::Env(Environment::Prod));
        let said = if pre_prod {
            Some(Said::Staging)
        } else {
            word(w)
        };
        let Some(said) = said else { continue };
        match &found {
            Some((earlier, _)) if *earlier != said => return None,
            Some(_) => {}
            None => found = Some((said, (*w).to_owned())),
        }
    }
    found
}

/// The environment a name says, leaving staging and disagreement out.
pub fn environment_named(name: &str) -> Option<Environment> {
    match said_by(name)?.0 {
        Said::Env(env) => Some(env),
        Said::Staging => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Said::{Env, Staging};
    use super::*;
    use crate::environment::Environment::{Ci, Dev, Prod};

    #[test]
    fn names_in_many_spellings_and_languages() {
        let cases = [
            ("dev", Some(Env(Dev))),
            ("dev_alice", Some(Env(Dev))),
            ("DEV1", Some(Env(Dev))),
            ("userdev", Some(Env(Dev))),
            ("bigquery_dev", Some(Env(Dev))),
            ("snowflake-dev", Some(Env(Dev))),
            ("local", Some(Env(Dev))),
            ("ci_local", Some(Env(Ci))),
            ("prod_local", Some(Env(Prod))),
            ("desenvolvimento", Some(Env(Dev))),
            ("ci", Some(Env(Ci))),
            ("slim_ci", Some(Env(Ci))),
            ("test", Some(Env(Ci))),
            ("pr", Some(Env(Ci))),
            ("pr_123", Some(Env(Ci))),
            ("pr123", Some(Env(Ci))),
            ("BRANCH", Some(Env(Ci))),
            ("prod", Some(Env(Prod))),
            ("PROD", Some(Env(Prod))),
            ("production", Some(Env(Prod))),
            ("producao", Some(Env(Prod))),
            ("produção", Some(Env(Prod))),
            ("prd", Some(Env(Prod))),
            ("snowflake_prod", Some(Env(Prod))),
            ("prod-read-only", Some(Env(Prod))),
            ("staging", Some(Staging)),
            ("qa", Some(Staging)),
            ("uat", Some(Staging)),
            ("pre_prod", Some(Staging)),
            ("homologacao", Some(Staging)),
            ("dev_prod", None),
            ("snowflake", None),
            ("developer_tools", None),
            ("product", None),
            ("preview", None),
            ("default", None),
        ];
        for (name, expected) in cases {
            assert_eq!(said_by(name).map(|(s, _)| s), expected, "{name}");
        }
    }
}
