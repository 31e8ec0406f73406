//! Databricks Asset Bundles (`databricks.yml` and the files it includes): each bundle
//! target deploys every job, so a job's `dbt_task` commands run once per target, in that
//! target's mode: `development` runs as the developer who deploys it, `production` as the
//! bundle's deployment identity. Read as jobs the CI rules can read, one per target and job.

use envlint_diagnostics::{FileId, SourceDb, Span};

use crate::ci::{CiFile, Guard, Job, Provider, ScriptFacts, Step, Triggers, scalar_script};
use crate::yaml::{Key, Node, Value};

/// A bundle file read as YAML, with the files its `include:` names.
pub struct BundleFiles<'a> {
    pub file: FileId,
    pub root: &'a Node,
    pub included: Vec<(FileId, &'a Node)>,
}

/// The bundle's jobs, one per bundle target and job that runs dbt; `None` when none does.
pub fn read_bundle(db: &SourceDb, bundle: &BundleFiles<'_>) -> Option<CiFile> {
    let files: Vec<(FileId, &Node)> = std::iter::once((bundle.file, bundle.root))
        .chain(bundle.included.iter().copied())
        .collect();
    let mut jobs = Vec::new();
    for (target, settings) in bundle.root.get("targets").map_or(&[][..], Node::entries) {
        let shared = files
            .iter()
            .flat_map(|(file, root)| job_entries(root).into_iter().map(move |j| (*file, j)));
        let own = job_entries(settings)
            .into_iter()
            .map(|entry| (bundle.file, entry));
        for (file, (key, job)) in shared.chain(own) {
            let steps = dbt_steps(db, file, job, &target.text, bundle.root, settings);
            if steps.is_empty() {
                continue;
            }
            jobs.push(Job::outside_ci(
                format!("{} ({})", key.text, target.text),
                Span::new(file, key.span.start, key.span.end),
                (mode_guard(settings), mode_triggers(bundle.file, settings)),
                steps,
                None,
            ));
        }
    }
    (!jobs.is_empty()).then(|| CiFile {
        file: bundle.file,
        provider: Provider::DatabricksBundle,
        triggers: Triggers::default(),
        env: Vec::new(),
        jobs,
    })
}

/// `resources: {jobs: {key: job}}` of a bundle file or of one target.
fn job_entries(node: &Node) -> Vec<(&Key, &Node)> {
    node.get("resources")
        .and_then(|r| r.get("jobs"))
        .map_or(&[][..], Node::entries)
        .iter()
        .map(|(k, v)| (k, v))
        .collect()
}

/// Each command of the job's `dbt_task`s as a step, with `${bundle.target}` and
/// `${var.name}` in a `--target` read for this bundle target.
fn dbt_steps(
    db: &SourceDb,
    file: FileId,
    job: &Node,
    target: &str,
    root: &Node,
    settings: &Node,
) -> Vec<Step> {
    let tasks = match job.get("tasks").map(|t| &t.value) {
        Some(Value::Seq(tasks)) => tasks.as_slice(),
        _ => &[],
    };
    let commands = tasks
        .iter()
        .filter_map(|task| task.get("dbt_task")?.get("commands"))
        .flat_map(|commands| match &commands.value {
            Value::Seq(items) => items.iter().collect(),
            _ => Vec::new(),
        });
    commands
        .filter_map(|command| {
            let mut script = scalar_script(db, file, command)?;
            substitute_targets(&mut script, target, root, settings);
            Some(Step {
                guard: Guard::default(),
                env: Vec::new(),
                script: Some(script),
                with: Vec::new(),
                span: Span::new(file, command.span.start, command.span.end),
            })
        })
        .collect()
}

/// `--target ${bundle.target}` is this bundle target's name; `--target ${var.x}` the
/// target's `variables:` value, else the variable's default. Anything else is left as
/// written (an unknown target, never guessed).
fn substitute_targets(script: &mut ScriptFacts, target: &str, root: &Node, settings: &Node) {
    for call in &mut script.dbt {
        let Some((name, _)) = &mut call.target else {
            continue;
        };
        if let Some(value) = bundle_value(name, target, root, settings) {
            *name = value;
        }
    }
}

fn bundle_value(text: &str, target: &str, root: &Node, settings: &Node) -> Option<String> {
    let reference = text.strip_prefix("${")?.strip_suffix('}')?;
    if reference == "bundle.target" {
        return Some(target.to_owned());
    }
    let variable = reference.strip_prefix("var.")?;
    settings
        .get("variables")
        .and_then(|v| v.get(variable))
        .and_then(Node::as_str)
        .or_else(|| {
            let declared = root.get("variables")?.get(variable)?;
            declared.get("default").and_then(Node::as_str)
        })
        .map(str::to_owned)
}

/// `mode: development` runs as the developer; `mode: production` deploys. No mode: when
/// and as whom it runs is not known.
fn mode_triggers(file: FileId, settings: &Node) -> Triggers {
    let mode = settings.get("mode");
    Triggers {
        development: mode.and_then(Node::as_str) == Some("development"),
        span: mode.map(|m| Span::new(file, m.span.start, m.span.end)),
        ..Triggers::default()
    }
}

fn mode_guard(settings: &Node) -> Guard {
    let known = matches!(
        settings.get("mode").and_then(Node::as_str),
        Some("development" | "production")
    );
    Guard {
        unknown: !known,
        ..Guard::default()
    }
}
