//! GitHub Actions workflows (`.github/workflows/*.yml`): triggers, jobs, guards, `env:`,
//! steps and the scripts they run.

use envlint_diagnostics::{FileId, SourceDb, Span};

use super::condition::{Guard, parse_guard};
use super::{CiFile, EnvVar, Job, Provider, Step, Triggers};
use crate::yaml::{Node, Value};

/// Reads a workflow document; `None` when it has no `jobs:` mapping.
pub fn read_github_workflow(db: &SourceDb, file: FileId, root: &Node) -> Option<CiFile> {
    let jobs = root.get("jobs").filter(|j| j.is_map())?;
    // YAML 1.1 readers turn the key `on` into `true`.
    let on = root
        .entries()
        .iter()
        .find(|(k, _)| k.text == "on" || k.text == "true");
    let triggers = on.map_or_else(Triggers::default, |(key, node)| {
        let mut triggers = triggers(node);
        triggers.span = Some(Span::new(file, key.span.start, key.span.end));
        triggers
    });
    let reader = Reader { db, file };
    Some(CiFile {
        file,
        provider: Provider::GitHub,
        triggers,
        env: reader.env(root.get("env")),
        jobs: jobs
            .entries()
            .iter()
            .filter(|(_, job)| job.is_map())
            .map(|(key, job)| {
                reader.job(
                    &key.text,
                    Span::new(file, key.span.start, key.span.end),
                    job,
                )
            })
            .collect(),
    })
}

fn strings(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(Node::scalar_text).collect(),
        Some(_) => node.and_then(Node::scalar_text).into_iter().collect(),
        None => Vec::new(),
    }
}

fn triggers(node: &Node) -> Triggers {
    let mut triggers = Triggers::default();
    let mut add = |event: &str, config: Option<&Node>| match event {
        "push" => {
            let branches = config.and_then(|c| c.get("branches"));
            let tags_only = config.is_some_and(|c| c.get("tags").is_some() && branches.is_none());
            if tags_only {
                triggers.other = true;
            } else {
                triggers.push = Some(branches.map(|b| strings(Some(b))));
            }
        }
        "pull_request" => {
            triggers.pull_request = Some(strings(config.and_then(|c| c.get("types"))))
        }
        "pull_request_target" => {
            triggers.pull_request_target = Some(strings(config.and_then(|c| c.get("types"))));
        }
        "schedule" => triggers.schedule = true,
        "workflow_dispatch" => triggers.manual = true,
        "workflow_call" => triggers.called = true,
        _ => triggers.other = true,
    };
    match &node.value {
        Value::Str(event) => add(event, None),
        Value::Seq(items) => items
            .iter()
            .filter_map(Node::scalar_text)
            .for_each(|e| add(&e, None)),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| add(&k.text, Some(v))),
        _ => {}
    }
    triggers
}

/// Turns YAML nodes of one file into the CI model.
pub(super) struct Reader<'a> {
    pub(super) db: &'a SourceDb,
    pub(super) file: FileId,
}

impl Reader<'_> {
    pub(super) fn span(&self, node: &Node) -> Span {
        let range = node.defined.clone().unwrap_or_else(|| node.span.clone());
        Span::new(self.file, range.start, range.end)
    }

    /// `NAME: value` entries; the span is the value.
    pub(super) fn env(&self, node: Option<&Node>) -> Vec<EnvVar> {
        node.map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|(key, value)| EnvVar {
                name: key.text.clone(),
                value: value.scalar_text().unwrap_or_default(),
                span: self.span(value),
            })
            .collect()
    }

    pub(super) fn guard(&self, node: Option<&Node>) -> Guard {
        match node {
            Some(node) => match &node.value {
                Value::Bool(false) => Guard {
                    never: true,
                    ..Guard::default()
                },
                Value::Bool(true) => Guard::default(),
                _ => parse_guard(&node.scalar_text().unwrap_or_default(), self.span(node)),
            },
            None => Guard::default(),
        }
    }

    /// A script scalar, scanned with offsets mapped into the file.
    pub(super) fn script(&self, node: &Node) -> Option<super::ScriptFacts> {
        super::scalar_script(self.db, self.file, node)
    }

    fn job(&self, id: &str, id_span: Span, node: &Node) -> Job {
        let environment = node.get("environment").and_then(|env| {
            let name = env
                .scalar_text()
                .or_else(|| env.get("name").and_then(Node::scalar_text))?;
            Some((name, self.span(env)))
        });
        let mut env = self.env(node.get("env"));
        let secrets = node.get("secrets");
        let secrets_inherit = secrets
            .filter(|s| s.as_str() == Some("inherit"))
            .map(|s| self.span(s));
        if secrets_inherit.is_none() {
            env.extend(self.env(secrets));
        }
        let steps = match node.get("steps").map(|s| &s.value) {
            Some(Value::Seq(items)) => items.iter().map(|step| self.step(step)).collect(),
            _ => Vec::new(),
        };
        Job {
            id: id.to_owned(),
            id_span,
            guard: self.guard(node.get("if")),
            triggers: None,
            environment,
            env,
            steps,
            uses: node
                .get("uses")
                .and_then(|u| Some((u.scalar_text()?, self.span(u)))),
            secrets_inherit,
            needs: strings(node.get("needs")),
            manual: false,
            stops_environment: false,
            target: None,
        }
    }

    fn step(&self, node: &Node) -> Step {
        Step {
            guard: self.guard(node.get("if")),
            env: self.env(node.get("env")),
            script: node.get("run").and_then(|run| self.script(run)),
            with: self.env(node.get("with")),
            span: self.span(node),
        }
    }
}
