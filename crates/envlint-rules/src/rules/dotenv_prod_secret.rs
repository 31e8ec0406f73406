//! ENV308 dotenv-prod-secret: a committed `.env` file holds a prod credential.

use std::collections::BTreeSet;

use super::support::prod_credential_vars;
use crate::context::Context;
use crate::rule::declare_rule;
use envlint_model::secrets::is_placeholder;

declare_rule! {
    /// ## What it does
    /// Flags a variable in a `.env` file the repository contains (the file dbt loads: named
    /// exactly `.env`; files ignored by `.gitignore` are not read) that is a prod credential: a name
    /// the policy reserves for prod (`*_PROD`, `PROD_*` in the presets) or a variable the
    /// prod target's credentials read. Empty values and placeholders are fine. The value is
    /// never printed.
    ///
    /// ## Why is this bad?
    /// dbt 1.12 loads `.env` from the working directory automatically: every clone of the
    /// repository then runs `--target prod` with the prod credential, and the secret is in
    /// git history for good.
    ///
    /// ## Example
    /// ```sh
    /// MOTHERDUCK_TOKEN_PROD=eyJhbGciOi...
    /// ```
    ///
    /// ## Use instead
    /// Keep `.env` out of git (`.gitignore`), commit a `.env.example` with placeholders, and
    /// hold the prod token only in the deploy job's secrets.
    pub struct DotenvProdSecret;
    code = "ENV308", name = "dotenv-prod-secret", severity = Error,
    summary = "a committed `.env` (dbt >= 1.12 autoloads it) sets a prod credential",
}

impl DotenvProdSecret {
    fn run(&self, cx: &mut Context<'_>) {
        let prod_vars: BTreeSet<String> = prod_credential_vars(cx.profiles)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let loaded_by_dbt = |file| {
            cx.repo
                .db
                .path(file)
                .file_name()
                .is_some_and(|n| n == ".env")
        };
        for dotenv in cx.repo.dotenv.iter().filter(|d| loaded_by_dbt(d.file)) {
            for var in &dotenv.vars {
                let prod = prod_vars.contains(&var.name.to_ascii_uppercase())
                    || cx.policy.is_prod_credential(&var.name);
                if !prod || is_placeholder(&var.value) {
                    continue;
                }
                let diag = cx
                    .diagnostic(
                        format!("`.env` file sets prod credential `{}` (value hidden)", var.name),
                        var.span,
                        "prod secret",
                    )
                    .with_help("remove it, rotate the secret, add `.env` to `.gitignore` and keep a `.env.example` with placeholders");
                cx.report(diag);
            }
        }
    }
}
