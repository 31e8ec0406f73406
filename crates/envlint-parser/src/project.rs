//! The typed model of `dbt_project.yml`: name, profile, paths; the tree is kept for later passes.

use std::path::PathBuf;

use envlint_diagnostics::FileId;

use crate::field::{Field, FieldReader};
use crate::yaml::Node;

/// One dbt project (a directory with a `dbt_project.yml`).
#[derive(Clone, Debug)]
pub struct DbtProject {
    pub file: FileId,
    /// The project directory on disk.
    pub dir: PathBuf,
    pub name: Option<Field>,
    /// `profile:`, the profile this project runs with.
    pub profile: Option<Field>,
    pub model_paths: Vec<String>,
    pub seed_paths: Vec<String>,
    pub snapshot_paths: Vec<String>,
    pub macro_paths: Vec<String>,
    pub test_paths: Vec<String>,
    pub analysis_paths: Vec<String>,
    /// The whole document, for passes that need more than the fields above.
    pub root: Node,
    /// Models, seeds and snapshots found under the project's paths.
    pub nodes: Vec<crate::nodes::NodeFile>,
    /// `models:`/`seeds:`/`snapshots:` entries of properties YAML files.
    pub properties: Vec<crate::nodes::PropertyEntry>,
    /// `sources:` of properties files.
    pub sources: Vec<crate::nodes::SourceEntry>,
    /// Macro files (`.sql` under the macro paths).
    pub macros: Vec<crate::nodes::MacroFile>,
}

impl DbtProject {
    /// The profile name when it is a literal (the usual case).
    pub fn profile_name(&self) -> Option<String> {
        self.profile.as_ref()?.value.as_literal()
    }

    /// Directories dbt reads `.sql` files from as models, seeds, snapshots, macros, tests
    /// or analyses: SQL anywhere else in the repository is a script.
    pub fn sql_dirs(&self) -> impl Iterator<Item = PathBuf> + '_ {
        [
            &self.model_paths,
            &self.seed_paths,
            &self.snapshot_paths,
            &self.macro_paths,
            &self.test_paths,
            &self.analysis_paths,
        ]
        .into_iter()
        .flatten()
        .map(|relative| self.dir.join(relative))
    }

    /// The project name when it is a literal.
    pub fn project_name(&self) -> Option<String> {
        self.name.as_ref()?.value.as_literal()
    }
}

pub fn read_project(reader: &mut FieldReader<'_>, dir: PathBuf, root: Node) -> DbtProject {
    // `source-paths` and `data-paths` are the names dbt used before 1.0.
    let paths = |keys: &[&str], default: &str| -> Vec<String> {
        keys.iter()
            .find_map(|key| match root.get(key).map(|n| &n.value) {
                Some(crate::yaml::Value::Seq(items)) => {
                    Some(items.iter().filter_map(Node::scalar_text).collect())
                }
                _ => None,
            })
            .unwrap_or_else(|| vec![default.to_owned()])
    };
    DbtProject {
        file: reader.file,
        dir,
        name: reader.field(&root, "name"),
        profile: reader.field(&root, "profile"),
        model_paths: paths(&["model-paths", "source-paths"], "models"),
        seed_paths: paths(&["seed-paths", "data-paths"], "seeds"),
        snapshot_paths: paths(&["snapshot-paths"], "snapshots"),
        macro_paths: paths(&["macro-paths"], "macros"),
        test_paths: paths(&["test-paths"], "tests"),
        analysis_paths: paths(&["analysis-paths"], "analyses"),
        root,
        nodes: Vec::new(),
        properties: Vec::new(),
        sources: Vec::new(),
        macros: Vec::new(),
    }
}
