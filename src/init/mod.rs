//! `dbt-envlint init`: writes an `envlint.yml` that matches the repository and, with
//! `--scaffold`, what the three-environment setup lacks. Never overwrites a file.

mod policy_text;
mod run_end;
mod scaffold;
mod survey;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::args::InitArgs;
use crate::load;

pub(crate) fn run(args: &InitArgs, out: &mut dyn Write) -> Result<ExitCode, String> {
    let path = args.path.clone().unwrap_or_else(|| ".".into());
    if path.is_file() {
        return Err(format!(
            "{} is a file: `init` takes the directory of the repository or dbt project to set up",
            path.display()
        ));
    }
    let options = load::options(&load::Inputs {
        paths: std::slice::from_ref(&path),
        policy: None,
        profiles_dir: args.profiles_dir.as_ref(),
        user_profiles: args.user_profiles,
    })?;
    let mut repo = envlint_parser::load(&options);
    let mut survey = survey::Survey::of(&repo, &path);
    let root = crate::confine::repository_root(&path);
    let inside = |files: &[scaffold::Planned]| -> Result<(), String> {
        for file in files {
            let shown = shown(&file.path, &options.display_base);
            crate::confine::check_inside(&file.path, &shown, std::slice::from_ref(&root))?;
        }
        Ok(())
    };
    let mut written = Vec::new();
    let skeleton = args
        .scaffold
        .then(|| scaffold::profiles_skeleton(&survey))
        .flatten();
    if let Some(skeleton) = skeleton {
        // Nothing is written, not even the profile, when a later file would land outside.
        inside(&scaffold::plan(&survey, &repo, &path).files)?;
        inside(std::slice::from_ref(&skeleton))?;
        written.push(write(&skeleton, &options.display_base, &root)?);
        // The policy and the workflows follow the profile just written.
        repo = envlint_parser::load(&options);
        survey = survey::Survey::of(&repo, &path);
    }
    let mut files = vec![scaffold::Planned {
        path: survey.root.join("envlint.yml"),
        text: policy_text::render(&survey),
    }];
    let mut not_written = Vec::new();
    if args.scaffold {
        let plan = scaffold::plan(&survey, &repo, &path);
        files.extend(plan.files);
        not_written = plan.not_written;
    }
    inside(&files)?;
    for file in &files {
        written.push(write(file, &options.display_base, &root)?);
    }
    for (path, reason) in not_written {
        let shown = shown(&path, &options.display_base);
        written.push(format!(
            "{:>13}  {}: {reason}",
            "not written",
            shown.display()
        ));
    }
    // The hook calls a macro of the file written above: an older copy kept in its place
    // may not define it, and dbt would stop at every build.
    let defines_hook = std::fs::read_to_string(survey.root.join("macros/envlint_cleanup.sql"))
        .is_ok_and(|macros| macros.contains("macro envlint_record_build("));
    if args.scaffold && survey.keeps_no_times() && defines_hook {
        written.extend(hook(
            &survey.root.join("dbt_project.yml"),
            &options.display_base,
            &root,
        )?);
    }
    for line in written {
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    writeln!(out, "Run `dbt-envlint` to check the repository against it.")
        .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `file` unless it exists; the status line to show. Refuses (before creating any
/// folder) a file that a symlinked folder would put outside the repository `root`.
fn write(file: &scaffold::Planned, base: &Path, root: &Path) -> Result<String, String> {
    let shown = shown(&file.path, base);
    crate::confine::check_inside(&file.path, &shown, &[root.to_path_buf()])?;
    let status = match create_new(&file.path, &file.text) {
        Ok(true) => "wrote",
        Ok(false) => "kept (exists)",
        Err(e) => return Err(format!("cannot write {}: {e}", shown.display())),
    };
    Ok(format!("{status:>13}  {}", shown.display()))
}

/// Adds the `on-run-end` hook that records dev builds to the project file `path`
/// (atomically, keeping every hook it has), or says what to add by hand; the status lines.
fn hook(path: &Path, base: &Path, root: &Path) -> Result<Vec<String>, String> {
    let shown = shown(path, base);
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    let status = match run_end::wire(&text) {
        run_end::Wiring::Present => "kept (hooked)",
        run_end::Wiring::Edited(edited) => {
            crate::confine::check_inside(path, &shown, &[root.to_path_buf()])?;
            crate::fix::writable(path)
                .and_then(|()| crate::fix::write_atomically(path, &edited))
                .map_err(|e| format!("cannot write {}: {e}", shown.display()))?;
            "edited"
        }
        run_end::Wiring::ByHand => {
            return Ok(vec![
                format!(
                    "{:>13}  {}: its `on-run-end:` cannot be extended safely; add this item to it,",
                    "not edited",
                    shown.display()
                ),
                format!(
                    "{:>13}  so that builds record their dev schemas for the nightly cleanup:",
                    ""
                ),
                format!("{:>13}    - \"{}\"", "", run_end::HOOK),
            ]);
        }
    };
    Ok(vec![format!("{status:>13}  {}", shown.display())])
}

/// `path` as shown to users: relative to `base` when inside it.
fn shown(path: &Path, base: &Path) -> std::path::PathBuf {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

/// Creates `path` with `text`; `false` when it already exists (it is left as it is).
fn create_new(path: &Path, text: &str) -> std::io::Result<bool> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => file.write_all(text.as_bytes()).map(|()| true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}
