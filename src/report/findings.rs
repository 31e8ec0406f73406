//! Sorts the check's findings into the report's cells: each finding marks the rows its rule
//! names, or the row of the target it points into.

use envlint_diagnostics::{Diagnostic, Severity, Span};
use envlint_model::{Environment, ProfileView};
use envlint_parser::{Profile, Repository, Target};

use super::model::{Aspect, Status};
use super::placement::{Placement, is_unreadable, placement};

/// A finding placed in one row of one section.
pub(crate) struct Placed<'d> {
    pub environment: Environment,
    pub placement: Placement,
    pub diagnostic: &'d Diagnostic,
}

impl Placed<'_> {
    pub(crate) fn status(&self) -> Status {
        match self.diagnostic.severity {
            _ if is_unreadable(self.diagnostic.code) => Status::Unknown,
            Severity::Error => Status::Fail,
            Severity::Warning | Severity::Info => Status::Warn,
        }
    }
}

/// The profile and target a span in a profiles file falls in: the last target whose name
/// comes before it.
fn target_at(repo: &Repository, span: Span) -> Option<(&Profile, &Target)> {
    repo.profiles
        .iter()
        .filter(|file| file.file == span.file)
        .flat_map(|file| file.profiles.iter())
        .flat_map(|profile| profile.targets.iter().map(move |t| (profile, t)))
        .filter(|(_, t)| t.name_span.start <= span.start)
        .max_by_key(|(_, t)| t.name_span.start)
}

/// The findings of one section (`view`: its profile; `None` for a project without one),
/// by row, and the codes that found no row.
pub(crate) fn place_all<'d>(
    repo: &Repository,
    view: Option<&ProfileView<'_>>,
    diagnostics: &'d [Diagnostic],
) -> (Vec<Placed<'d>>, Vec<&'static str>) {
    let mut placed = Vec::new();
    let mut unplaced = Vec::new();
    for diagnostic in diagnostics {
        let span = diagnostic.primary().span;
        let in_profiles = repo.profiles.iter().any(|f| f.file == span.file);
        let located = target_at(repo, span);
        if in_profiles {
            // A finding in a profile belongs to that profile's section only.
            let Some(view) = view.filter(|v| v.file == span.file) else {
                continue;
            };
            if located.is_some_and(|(p, _)| !std::ptr::eq(p, view.profile)) {
                continue;
            }
        }
        let Some(placement) = placement(diagnostic.code) else {
            unplaced.push(diagnostic.code);
            continue;
        };
        let mut rows = rows_of(&placement, diagnostic.code, view, located.map(|(_, t)| t));
        if placement.by_target
            && let Some(view) = view
        {
            // A value one target inherits from another (`<<: *prod`) is each one's.
            for environment in inherited_by(view, span) {
                if !rows.contains(&environment) {
                    rows.push(environment);
                }
            }
        }
        if rows.is_empty() {
            unplaced.push(diagnostic.code);
        }
        // An environment the profile has no target for neither writes nor logs in: a
        // finding about every non-prod target does not concern it.
        if let Some(view) = view
            && matches!(
                placement.aspect,
                Aspect::Location | Aspect::Credential | Aspect::Isolation
            )
        {
            rows.retain(|e| view.targets_in(*e).next().is_some());
        }
        for environment in rows {
            placed.push(Placed {
                environment,
                placement,
                diagnostic,
            });
        }
    }
    (placed, unplaced)
}

/// The environments of the targets that use the value written at `span`, also through a
/// YAML merge key or alias.
fn inherited_by(view: &ProfileView<'_>, span: Span) -> Vec<Environment> {
    let covers = |field: &envlint_parser::Field| {
        let written = field.defined.unwrap_or(field.span);
        written.file == span.file && written.start <= span.start && span.end <= written.end
    };
    view.targets
        .iter()
        .filter(|(_, target)| {
            let located = [target.schema.as_ref(), target.database.as_ref()];
            target.credentials.iter().any(|c| covers(&c.field))
                || located.into_iter().flatten().any(covers)
        })
        .map(|(environment, _)| *environment)
        .collect()
}

/// The rows a finding marks.
fn rows_of(
    placement: &Placement,
    code: &str,
    view: Option<&ProfileView<'_>>,
    target: Option<&Target>,
) -> Vec<Environment> {
    if code == "ENV110" {
        // A missing environment: the rows the profile has no target for.
        return view.map_or_else(Vec::new, |v| {
            Environment::ALL
                .into_iter()
                .filter(|e| v.targets_in(*e).next().is_none())
                .collect()
        });
    }
    if placement.by_target
        && let Some(environment) = target.and_then(|t| view?.environment_of(&t.name))
    {
        return vec![environment];
    }
    placement.rows.to_vec()
}
