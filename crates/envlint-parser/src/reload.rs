//! Re-reading one edited profiles file into a loaded repository, for an editor: when only
//! `profiles.yml` changed, everything else stays as loaded and the re-lint is cheap.

use envlint_diagnostics::FileId;

use crate::loader::{Repository, read_profiles_file};
use crate::{profiles, yaml};

impl Repository {
    /// Replaces the text of profiles file `file` and re-reads its profiles. Returns `false`,
    /// with the repository untouched, when the new text needs a full [`crate::load`]: the
    /// file is not a profiles file this repository read from disk, or its new text is no
    /// valid profiles document (the full load reports why, and drops the project's link).
    pub fn reload_profiles(&mut self, file: FileId, text: &str) -> bool {
        let Some(index) = self
            .profiles
            .iter()
            .position(|p| p.file == file && !p.written_by_ci)
        else {
            return false;
        };
        let Ok(root) = yaml::parse(text) else {
            return false;
        };
        if !profiles::has_profiles(&root) {
            return false;
        }
        self.db.replace(file, text);
        let (profiles, secrets, errors) = read_profiles_file(&self.db, file, &root);
        for span in secrets {
            self.db.redact(span);
        }
        self.parse_errors.retain(|d| d.primary().span.file != file);
        self.parse_errors.extend(errors);
        self.profiles[index].profiles = profiles;
        self.suppressions.rescan(&self.db, file);
        true
    }
}
