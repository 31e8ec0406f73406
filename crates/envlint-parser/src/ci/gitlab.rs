//! GitLab CI (`.gitlab-ci.yml` and the local files it includes): jobs, their `rules:`/
//! `only:`, `variables:`, `environment:` and `script:` lines.

use envlint_diagnostics::{FileId, SourceDb, Span};

use super::github::Reader;
use super::{CiFile, Guard, Job, Provider, Step, Triggers};
use crate::yaml::{Node, Value};

/// Top-level keys that are not jobs.
const RESERVED: &[&str] = &[
    "stages",
    "variables",
    "include",
    "default",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "pages",
];

/// Reads a GitLab CI document, and the local files it includes (paths as written).
pub fn read_gitlab_ci(db: &SourceDb, file: FileId, root: &Node) -> (CiFile, Vec<String>) {
    let reader = Reader { db, file };
    let jobs = root
        .entries()
        .iter()
        .filter(|(key, job)| {
            !RESERVED.contains(&key.text.as_str())
                && !key.text.starts_with('.')
                && job.get("script").is_some()
        })
        .map(|(key, job)| {
            gitlab_job(
                &reader,
                &key.text,
                Span::new(file, key.span.start, key.span.end),
                job,
            )
        })
        .collect();
    let ci = CiFile {
        file,
        provider: Provider::GitLab,
        triggers: Triggers::default(),
        env: reader.env(root.get("variables")),
        jobs,
    };
    (ci, local_includes(root.get("include")))
}

fn local_includes(node: Option<&Node>) -> Vec<String> {
    let Some(node) = node else {
        return Vec::new();
    };
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    items
        .into_iter()
        .filter_map(|item| {
            item.as_str()
                .map(str::to_owned)
                .or_else(|| item.get("local").and_then(Node::scalar_text))
        })
        .filter(|path| !path.contains("://"))
        .collect()
}

fn gitlab_job(reader: &Reader<'_>, id: &str, id_span: Span, node: &Node) -> Job {
    let mut steps = Vec::new();
    for key in ["before_script", "script", "after_script"] {
        let lines: Vec<&Node> = match node.get(key).map(|n| &n.value) {
            Some(Value::Seq(items)) => items.iter().collect(),
            Some(_) => node.get(key).into_iter().collect(),
            None => Vec::new(),
        };
        for line in lines {
            steps.push(Step {
                guard: Guard::default(),
                env: Vec::new(),
                script: reader.script(line),
                with: Vec::new(),
                span: reader.span(line),
            });
        }
    }
    let environment = node.get("environment").and_then(|env| {
        let name = env
            .scalar_text()
            .or_else(|| env.get("name").and_then(Node::scalar_text))?;
        Some((name, reader.span(env)))
    });
    let manual = node.get("when").and_then(Node::as_str) == Some("manual");
    let stops_environment = node
        .get("environment")
        .and_then(|e| e.get("action"))
        .and_then(Node::as_str)
        == Some("stop");
    Job {
        id: id.to_owned(),
        id_span,
        guard: Guard::default(),
        triggers: Some(job_triggers(reader, node)),
        environment,
        env: reader.env(node.get("variables")),
        steps,
        uses: None,
        secrets_inherit: None,
        needs: Vec::new(),
        manual,
        stops_environment,
        target: None,
    }
}

/// When a GitLab job runs, from `rules:` or `only:`; a job with neither runs on every
/// branch pipeline.
fn job_triggers(reader: &Reader<'_>, node: &Node) -> Triggers {
    let mut triggers = Triggers::default();
    if let Some(Node {
        value: Value::Seq(rules),
        ..
    }) = node.get("rules")
    {
        triggers.span = node.get("rules").map(|r| reader.span(r));
        for rule in rules {
            if rule.get("when").and_then(Node::as_str) == Some("never") {
                continue;
            }
            let condition = rule
                .get("if")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            apply_condition(&mut triggers, &condition);
        }
        return triggers;
    }
    if let Some(only) = node.get("only") {
        triggers.span = Some(reader.span(only));
        let refs = match only.get("refs") {
            Some(refs) => refs,
            None => only,
        };
        let names: Vec<String> = match &refs.value {
            Value::Seq(items) => items.iter().filter_map(Node::scalar_text).collect(),
            _ => refs.scalar_text().into_iter().collect(),
        };
        for name in names {
            match name.as_str() {
                "merge_requests" => triggers.pull_request = Some(Vec::new()),
                "schedules" => triggers.schedule = true,
                "web" | "api" | "triggers" => triggers.manual = true,
                "tags" => triggers.other = true,
                "branches" | "pushes" => triggers.push = Some(None),
                branch => match &mut triggers.push {
                    Some(Some(list)) => list.push(branch.to_owned()),
                    _ => triggers.push = Some(Some(vec![branch.to_owned()])),
                },
            }
        }
        return triggers;
    }
    triggers.push = Some(None);
    triggers
}

fn apply_condition(triggers: &mut Triggers, condition: &str) {
    let default_branch = condition.contains("$CI_DEFAULT_BRANCH")
        || ["\"main\"", "'main'", "\"master\"", "'master'"]
            .iter()
            .any(|b| condition.contains(b));
    if condition.contains("merge_request_event") || condition.contains("CI_MERGE_REQUEST") {
        triggers.pull_request = Some(Vec::new());
    } else if condition.contains("\"schedule\"") || condition.contains("'schedule'") {
        triggers.schedule = true;
    } else if condition.contains("$CI_COMMIT_TAG") {
        triggers.other = true;
    } else if default_branch {
        triggers.push = Some(Some(vec!["main".to_owned()]));
    } else {
        triggers.push = Some(None);
    }
}
