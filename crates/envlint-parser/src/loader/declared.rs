//! Loading grants declared as code outside SQL: the `.tf` files of each folder together (a
//! Terraform module shares its variables and locals), and permifrost specs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use envlint_diagnostics::{FileId, Span};

use super::{Loader, parse_error};
use crate::iac;
use crate::sql::{SqlFile, SqlOrigin};

impl Loader<'_> {
    pub(super) fn load_declared_grants(&mut self, terraform: &[PathBuf], permifrost: &[PathBuf]) {
        let mut modules: BTreeMap<&Path, Vec<FileId>> = BTreeMap::new();
        for path in terraform {
            if let Some((file, true)) = self.read(path) {
                let folder = path.parent().unwrap_or(Path::new(""));
                modules.entry(folder).or_default().push(file);
            }
        }
        for files in modules.into_values() {
            let texts: Vec<&str> = files
                .iter()
                .map(|f| &self.repo.db.get(*f).text[..])
                .collect();
            let read = iac::read_terraform(&texts);
            for (file, result) in files.into_iter().zip(read) {
                match result {
                    Ok(statements) => self.add_declared(file, statements),
                    Err(error) => {
                        let text = &self.repo.db.get(file).text;
                        let at = text.floor_char_boundary(error.at);
                        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                        let message = format!("invalid Terraform: {}", error.message);
                        self.repo
                            .parse_errors
                            .push(parse_error(Span::new(file, at, end), message));
                    }
                }
            }
        }
        for path in permifrost {
            if let Some((file, true)) = self.read(path)
                && let Some(root) = self.parse_yaml(file)
                && iac::is_permifrost_spec(&root)
            {
                self.add_declared(file, iac::read_permifrost(&root));
            }
        }
    }

    fn add_declared(&mut self, file: FileId, statements: Vec<envlint_sql::Statement>) {
        if !statements.is_empty() {
            self.repo.sql.push(SqlFile {
                file,
                origin: SqlOrigin::DeclaredAsCode,
                statements,
            });
        }
    }
}
