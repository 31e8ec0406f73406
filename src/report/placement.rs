//! Which cell each rule's findings belong to, and which edge of the diagram a breach draws.

use envlint_model::Environment;

use super::model::{Actor, Aspect, From};

const DEV: Environment = Environment::Dev;
const CI: Environment = Environment::Ci;
const PROD: Environment = Environment::Prod;

/// Where a rule's findings go.
#[derive(Clone, Copy)]
pub(crate) struct Placement {
    pub aspect: Aspect,
    /// The rows it marks when the finding is not inside a target of a profile.
    pub rows: &'static [Environment],
    /// Inside a profile, the finding marks the row of the target it is in.
    pub by_target: bool,
    /// The breach edge into prod it draws, from where (`None`: the row's environment).
    pub breach: Breach,
}

/// The edge a finding draws on the diagram.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Breach {
    None,
    /// From the row's own environment into prod (a dev or CI run writes prod).
    FromRow,
    From(From),
}

const fn place(aspect: Aspect, rows: &'static [Environment], breach: Breach) -> Placement {
    Placement {
        aspect,
        rows,
        by_target: false,
        breach,
    }
}

const fn per_target(aspect: Aspect, rows: &'static [Environment], breach: Breach) -> Placement {
    Placement {
        aspect,
        rows,
        by_target: true,
        breach,
    }
}

const LAPTOP: Breach = Breach::From(From::Actor(Actor::Laptop));
const PR_JOBS: Breach = Breach::From(From::Actor(Actor::PullRequest));
const SCHEDULE: Breach = Breach::From(From::Actor(Actor::Scheduled));

/// The cell of a rule's findings; `None` for findings about the input itself or about no
/// one environment (a parse error, the policy, suppressions, a `target.name` comparison).
pub(crate) fn placement(code: &str) -> Option<Placement> {
    use Aspect::*;
    use Breach::{FromRow, None as NoEdge};
    Some(match code {
        // The default target is what a laptop runs.
        "ENV101" => place(Targets, &[DEV], LAPTOP),
        "ENV110" => place(Targets, &[], NoEdge),
        "ENV102" => place(Isolation, &[DEV], NoEdge),
        "ENV103" | "ENV303" => place(Isolation, &[CI], NoEdge),
        "ENV104" => per_target(Location, &[], NoEdge),
        "ENV105" => place(Location, &[PROD], NoEdge),
        "ENV106" => per_target(Location, &[DEV, CI], FromRow),
        "ENV201" | "ENV203" | "ENV204" => place(Location, &[DEV, CI], FromRow),
        "ENV205" => place(Location, &[DEV, CI, PROD], NoEdge),
        "ENV107" | "ENV108" => per_target(Credential, &[], NoEdge),
        "ENV109" | "ENV308" => place(Credential, &[PROD], LAPTOP),
        "ENV301" | "ENV302" => place(Credential, &[PROD], PR_JOBS),
        "ENV304" | "ENV307" => place(Teardown, &[CI], NoEdge),
        "ENV305" => place(Cleanup, &[DEV, CI], NoEdge),
        "ENV306" => place(Cleanup, &[PROD], SCHEDULE),
        "ENV309" => place(ReleaseSnapshot, &[PROD], NoEdge),
        "ENV402" => place(Grants, &[PROD], LAPTOP),
        "ENV404" => place(Grants, &[PROD], PR_JOBS),
        "ENV401" | "ENV403" | "ENV407" => place(Grants, &[PROD], NoEdge),
        "ENV405" => place(Grants, &[DEV, CI], NoEdge),
        _ => return None,
    })
}

/// Findings that mean the rule could not read something: the cell is unknown, not wrong.
pub(crate) fn is_unreadable(code: &str) -> bool {
    matches!(code, "ENV205" | "ENV407")
}

/// Every rule whose findings land in the aspect (to tell "ok" from "rule turned off").
pub(crate) fn rules_of(aspect: Aspect) -> Vec<&'static str> {
    envlint_rules::registry::all()
        .iter()
        .map(|rule| rule.meta().code)
        .filter(|code| placement(code).is_some_and(|p| p.aspect == aspect))
        .collect()
}
