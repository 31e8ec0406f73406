//! Loading CI definitions: GitHub workflows, GitLab CI with its local includes, the Makefile
//! targets and shell scripts their steps run, and profiles their scripts write inline.

use std::path::{Path, PathBuf};

use super::Loader;
use crate::ci;
use crate::field::FieldReader;
use crate::profiles::{self, ProfilesFile};
use crate::yaml;

impl Loader<'_> {
    /// Adds to each CI step what the Makefile targets and shell scripts it runs do, so a
    /// `make deploy` whose recipe runs `dbt build --target prod` counts as that.
    pub(super) fn follow_scripts(&mut self) {
        let mut work = Vec::new();
        for (c, ci) in self.repo.ci.iter().enumerate() {
            let Some(file) = self.on_disk.get(&ci.file) else {
                continue;
            };
            let depth = if ci.provider == ci::Provider::GitHub {
                3
            } else {
                1
            };
            let root: PathBuf = file
                .ancestors()
                .nth(depth)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            for (j, job) in ci.jobs.iter().enumerate() {
                for (s, step) in job.steps.iter().enumerate() {
                    if let Some(script) = &step.script {
                        work.push((
                            c,
                            j,
                            s,
                            root.clone(),
                            script.make_targets.clone(),
                            script.scripts.clone(),
                        ));
                    }
                }
            }
        }
        for (c, j, s, root, targets, scripts) in work {
            let mut found = Vec::new();
            for target in targets {
                let makefile = root.join("Makefile");
                let readable = makefile.is_file() && self.inside_repository(&makefile);
                if let Some((file, _)) = readable.then(|| self.read(&makefile)).flatten() {
                    let text = self.repo.db.get(file).text.clone();
                    if let Some((start, recipe)) = ci::makefile_recipe(&text, &target) {
                        found.push(ci::scan_script(file, start, recipe));
                    }
                }
            }
            for script in scripts {
                let path = root.join(&script);
                let readable = path.is_file() && self.inside_repository(&path);
                if let Some((file, _)) = readable.then(|| self.read(&path)).flatten() {
                    let text = self.repo.db.get(file).text.clone();
                    found.push(ci::scan_script(file, 0, &text));
                }
            }
            if let Some(facts) = self.repo.ci[c].jobs[j].steps[s].script.as_mut() {
                for other in found {
                    facts.absorb(other);
                }
            }
        }
    }

    /// `profiles.yml` written by a CI script (`cat > profiles.yml <<EOF`): read like any
    /// profiles file, with spans in the workflow. A body that is not valid YAML (it may
    /// depend on what the shell substitutes) is left alone.
    pub(super) fn load_inline_profiles(&mut self) {
        let mut bodies = Vec::new();
        for ci in &self.repo.ci {
            for step in ci.jobs.iter().flat_map(|j| j.steps.iter()) {
                let heredocs = step.script.iter().flat_map(|s| s.heredocs.iter());
                bodies.extend(
                    heredocs
                        .filter(|h| h.target.ends_with("profiles.yml"))
                        .map(|h| h.body),
                );
            }
        }
        for body in bodies {
            let text = &self.repo.db.get(body.file).text;
            let start = envlint_diagnostics::lines::line_start(text, body.start as usize);
            let Some(slice) = text.get(start..body.end as usize) else {
                continue;
            };
            let Ok(root) = yaml::parse_at(slice, start) else {
                continue;
            };
            if !profiles::is_profiles_document(&root) {
                continue;
            }
            let mut reader = FieldReader::new(&self.repo.db, body.file);
            let profiles = profiles::read_profiles(&mut reader, &root);
            let secrets = std::mem::take(&mut reader.secrets);
            for span in secrets {
                self.repo.db.redact(span);
            }
            self.repo.profiles.push(ProfilesFile {
                file: body.file,
                profiles,
                user_level: false,
                written_by_ci: true,
                in_ci_folder: false,
            });
        }
    }

    pub(super) fn load_github(&mut self, path: &Path) {
        if let Some((file, true)) = self.read(path)
            && let Some(root) = self.parse_yaml(file)
            && let Some(workflow) = ci::read_github_workflow(&self.repo.db, file, &root)
        {
            self.repo.ci.push(workflow);
        }
    }

    /// Loads a GitLab CI file and the local files it includes (to a bounded depth).
    pub(super) fn load_gitlab(&mut self, path: &Path, depth: usize) {
        if depth > 8 {
            return;
        }
        let Some((file, true)) = self.read(path) else {
            return;
        };
        let Some(root) = self.parse_yaml(file) else {
            return;
        };
        let (ci, includes) = ci::read_gitlab_ci(&self.repo.db, file, &root);
        self.repo.ci.push(ci);
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for include in includes {
            let included = base.join(include.trim_start_matches('/'));
            if included.is_file() && self.inside_repository(&included) {
                self.load_gitlab(&included, depth + 1);
            }
        }
    }
}
