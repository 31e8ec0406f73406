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
    pub macro_paths: Vec<String>,
    /// The whole document, for passes that need more than the fields above.
    pub root: Node,
}

impl DbtProject {
    /// The profile name when it is a literal (the usual case).
    pub fn profile_name(&self) -> Option<String> {
        self.profile.as_ref()?.value.as_literal()
    }
}

pub fn read_project(reader: &mut FieldReader<'_>, dir: PathBuf, root: Node) -> DbtProject {
    let paths = |key: &str, default: &str| -> Vec<String> {
        match root.get(key).map(|n| &n.value) {
            Some(crate::yaml::Value::Seq(items)) => {
                items.iter().filter_map(Node::scalar_text).collect()
            }
            _ => vec![default.to_owned()],
        }
    };
    DbtProject {
        file: reader.file,
        dir,
        name: reader.field(&root, "name"),
        profile: reader.field(&root, "profile"),
        model_paths: paths("model-paths", "models"),
        macro_paths: paths("macro-paths", "macros"),
        root,
    }
}
