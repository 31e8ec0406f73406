//! Turns the command line's path and profile options into what the loader needs; the
//! CLI's only reader of the process environment (`DBT_PROFILES_DIR`, `HOME`).

use std::path::PathBuf;

use envlint_parser::LoadOptions;

/// The options `check` and `explain` share.
pub(crate) struct Inputs<'a> {
    pub paths: &'a [PathBuf],
    pub policy: Option<&'a PathBuf>,
    pub profiles_dir: Option<&'a PathBuf>,
    pub user_profiles: bool,
}

/// Validates the inputs (paths and policy must exist) and builds the loader options.
pub(crate) fn options(inputs: &Inputs<'_>) -> Result<LoadOptions, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let paths = if inputs.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        inputs.paths.to_vec()
    };
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        return Err(format!("no such file or directory: {}", missing.display()));
    }
    if let Some(policy) = inputs.policy.filter(|p| !p.is_file()) {
        return Err(format!("policy file not found: {}", policy.display()));
    }
    Ok(LoadOptions {
        paths,
        profiles_dir: inputs
            .profiles_dir
            .cloned()
            .or_else(|| std::env::var_os("DBT_PROFILES_DIR").map(PathBuf::from)),
        user_profiles: inputs
            .user_profiles
            .then(|| std::env::var_os("HOME"))
            .flatten()
            .map(|home| PathBuf::from(home).join(".dbt").join("profiles.yml")),
        policy: inputs.policy.cloned(),
        display_base: cwd,
        overrides: Default::default(),
    })
}
