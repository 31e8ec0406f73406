//! dbt Cloud jobs declared with the dbt Cloud Terraform provider (`dbtcloud_job`, formerly
//! `dbt_cloud_job`): when each runs (pull-request webhook, schedule, merge), the commands it
//! runs and the target name it runs them with, as jobs the CI rules can read.

use envlint_diagnostics::{FileId, Span};
use hcl_edit::structure::Body;

use super::hcl_values::{Scope, labels, span};
use crate::ci::{CiFile, Guard, Job, Provider, Step, Triggers, scan_script};

const JOB_RESOURCES: [&str; 2] = ["dbtcloud_job", "dbt_cloud_job"];

/// The dbt Cloud jobs of one Terraform file, or `None` when it declares none.
pub(super) fn dbt_cloud_jobs(scope: &Scope<'_>, file: FileId, body: &Body) -> Option<CiFile> {
    let jobs: Vec<Job> = body
        .blocks()
        .filter(|b| b.ident.as_str() == "resource")
        .filter(|b| {
            labels(b)
                .first()
                .is_some_and(|kind| JOB_RESOURCES.contains(&kind.as_str()))
        })
        .filter_map(|block| {
            let name = labels(block).get(1)?.clone();
            let at = |range: std::ops::Range<usize>| Span::new(file, range.start, range.end);
            let id_span = block.body.get_attribute("name").map_or_else(
                || at(hcl_edit::Span::span(block).unwrap_or(0..0)),
                |a| at(span(&a.value)),
            );
            Some(job(scope, file, &block.body, name, id_span))
        })
        .collect();
    (!jobs.is_empty()).then(|| CiFile {
        file,
        provider: Provider::DbtCloud,
        triggers: Triggers::default(),
        env: Vec::new(),
        jobs,
    })
}

fn job(scope: &Scope<'_>, file: FileId, body: &Body, id: String, id_span: Span) -> Job {
    let at = |range: std::ops::Range<usize>| Span::new(file, range.start, range.end);
    let steps = body
        .get_attribute("execute_steps")
        .and_then(|a| scope.strings(&a.value))
        .unwrap_or_default()
        .into_iter()
        .map(|(command, range)| {
            // The command inside its quotes, offsets one to one when nothing is escaped.
            let start = range.start + usize::from(range.len() == command.len() + 2);
            Step {
                guard: Guard::default(),
                env: Vec::new(),
                script: Some(scan_script(file, start, &command)),
                with: Vec::new(),
                span: at(range),
            }
        })
        .collect();
    let target = body.get_attribute("target_name").and_then(|a| {
        let name = scope.string(&a.value)?;
        Some((name, at(span(&a.value))))
    });
    let when = (triggers_guard(scope, body), triggers(scope, file, body));
    Job::outside_ci(id, id_span, when, steps, target)
}

/// `triggers = { github_webhook, git_provider_webhook, schedule, on_merge }`: a webhook is
/// a pull request; `on_merge` runs when one merges (the deploy branch); with no trigger the
/// job runs when someone starts it.
fn triggers(scope: &Scope<'_>, file: FileId, body: &Body) -> Triggers {
    let attribute = body.get_attribute("triggers");
    let entries = attribute
        .and_then(|a| scope.object(&a.value))
        .unwrap_or_default();
    let on = |key: &str| {
        entries
            .iter()
            .any(|(name, value)| name == key && scope.is_true(value))
    };
    let pull_request = on("github_webhook") || on("git_provider_webhook");
    let merged = on("on_merge");
    let schedule = on("schedule");
    Triggers {
        pull_request: pull_request.then(Vec::new),
        push: merged.then_some(None),
        schedule,
        manual: !(pull_request || merged || schedule),
        span: attribute.map(|a| {
            let range = span(&a.value);
            Span::new(file, range.start, range.end)
        }),
        ..Triggers::default()
    }
}

/// A `triggers` value that is not stated (a variable per workspace): nothing is known of
/// when the job runs.
fn triggers_guard(scope: &Scope<'_>, body: &Body) -> Guard {
    let unknown = body
        .get_attribute("triggers")
        .is_some_and(|a| scope.object(&a.value).is_none());
    Guard {
        unknown,
        ..Guard::default()
    }
}
