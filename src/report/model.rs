//! What `dbt-envlint report` shows, independent of the format: per profile, one row per
//! environment, one cell per aspect of the contract, each with its status and the finding
//! codes behind it.

use envlint_model::Environment;

/// How one aspect of one environment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// The repository holds nothing to check it against (no profile, no CI, rule off).
    NotChecked,
    /// The rules behind the cell ran and found nothing.
    Ok,
    /// The evidence does not settle it.
    Unknown,
    Warn,
    Fail,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::NotChecked => "not checked",
            Self::Ok => "ok",
            Self::Unknown => "unknown",
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }
}

/// The columns of the report, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Aspect {
    /// The targets and the evidence that put them in the environment.
    Targets,
    /// Where the environment's targets write.
    Location,
    /// The credential it logs in with and the contexts that hold it.
    Credential,
    /// Per person, per pull request, or one fixed place.
    Isolation,
    /// A job drops each pull request's schema when it closes.
    Teardown,
    /// A scheduled job drops stale schemas, and none can drop prod.
    Cleanup,
    /// Who can write the environment's locations, per the grants in the repository's SQL.
    Grants,
    /// The deploy snapshots prod before it builds.
    ReleaseSnapshot,
}

impl Aspect {
    pub(crate) const ALL: [Self; 8] = [
        Self::Targets,
        Self::Location,
        Self::Credential,
        Self::Isolation,
        Self::Teardown,
        Self::Cleanup,
        Self::Grants,
        Self::ReleaseSnapshot,
    ];

    pub(crate) fn title(self) -> &'static str {
        match self {
            Self::Targets => "targets",
            Self::Location => "writes to",
            Self::Credential => "credential (held by)",
            Self::Isolation => "isolation",
            Self::Teardown => "teardown",
            Self::Cleanup => "stale cleanup",
            Self::Grants => "who can write it",
            Self::ReleaseSnapshot => "release snapshot",
        }
    }

    /// Whether the aspect means something for the environment (a teardown is CI's, a
    /// release snapshot prod's).
    pub(crate) fn applies_to(self, environment: Environment) -> bool {
        match self {
            Self::Teardown => environment == Environment::Ci,
            Self::ReleaseSnapshot => environment == Environment::Prod,
            _ => true,
        }
    }
}

/// One cell: its status, what holds (or why it was not checked), and the codes behind it.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub status: Status,
    pub text: String,
    pub codes: Vec<&'static str>,
}

/// One environment of one profile; `None` where an aspect does not apply.
#[derive(Debug)]
pub(crate) struct Row {
    pub environment: Environment,
    pub cells: Vec<Option<Cell>>,
}

impl Row {
    pub(crate) fn cell(&self, aspect: Aspect) -> Option<&Cell> {
        let index = Aspect::ALL.iter().position(|a| *a == aspect)?;
        self.cells[index].as_ref()
    }
}

/// Who can reach an environment: a laptop, pull-request jobs, the deploy, a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Actor {
    Laptop,
    PullRequest,
    Deploy,
    Scheduled,
}

impl Actor {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Laptop => "laptops",
            Self::PullRequest => "PR jobs",
            Self::Deploy => "deploy",
            Self::Scheduled => "scheduled jobs",
        }
    }

    /// The name in JSON and in the diagram's node ids.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Laptop => "laptops",
            Self::PullRequest => "pr_jobs",
            Self::Deploy => "deploy",
            Self::Scheduled => "scheduled",
        }
    }
}

/// Where an edge of the diagram starts: an actor, or another environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum From {
    Actor(Actor),
    Environment(Environment),
}

/// Someone who writes an environment with a credential, or a breach (`codes` set).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    pub from: From,
    pub to: Environment,
    pub label: String,
    /// The findings when the edge is a breach.
    pub codes: Vec<&'static str>,
}

/// One profile (or, without a committed profile, one project).
#[derive(Debug)]
pub(crate) struct Section {
    pub project: Option<String>,
    pub profile: Option<String>,
    pub file: Option<String>,
    pub rows: Vec<Row>,
    pub edges: Vec<Edge>,
}

/// The whole report, with the findings that belong to no cell.
#[derive(Debug)]
pub(crate) struct Report {
    pub sections: Vec<Section>,
    pub other_codes: Vec<&'static str>,
}
