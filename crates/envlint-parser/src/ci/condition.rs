//! GitHub Actions `if:` conditions: the guards that decide which events a job runs on.
//!
//! Only the common guards are understood (`github.event_name`, `github.ref`,
//! `github.ref_name`, `github.event.pull_request.merged`, `github.event.action`, status
//! functions); anything else makes the guard *unknown*, and rules stay silent about jobs
//! they cannot place.

use envlint_diagnostics::Span;

/// What a job's (or step's) condition says about when it runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guard {
    /// The condition as written and where.
    pub text: Option<(String, Span)>,
    /// It never holds for a pull-request build (push/ref/branch checks, `!= 'pull_request'`).
    pub excludes_pull_requests: bool,
    /// It holds only for these event names.
    pub events: Option<Vec<String>>,
    /// It holds only on this branch (`github.ref == 'refs/heads/main'`).
    pub branch: Option<String>,
    /// Only for a merged pull request (`github.event.pull_request.merged == true`).
    pub merged_only: bool,
    /// Only when a pull request closes / never then (`github.event.action`).
    pub closed_only: bool,
    pub not_closed: bool,
    /// `if: false`.
    pub never: bool,
    /// Something we do not understand is part of it.
    pub unknown: bool,
}

/// Parses an `if:` expression (with or without `${{ }}`).
pub fn parse_guard(text: &str, span: Span) -> Guard {
    let expression = text.trim();
    let expression = expression
        .strip_prefix("${{")
        .and_then(|e| e.strip_suffix("}}"))
        .unwrap_or(expression)
        .replace('"', "'");
    let mut guard = if expression.contains("||") {
        let parts: Vec<Guard> = split_top(&expression, "||")
            .iter()
            .map(|p| conjunction(p))
            .collect();
        union(parts)
    } else {
        conjunction(&expression)
    };
    guard.text = Some((text.to_owned(), span));
    guard
}

/// Splits on an operator outside parentheses; `None` parts mean unbalanced text.
fn split_top(text: &str, op: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if depth == 0 && rest.starts_with(op) {
            parts.push(std::mem::take(&mut current));
            rest = &rest[op.len()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        current.push(c);
        rest = &rest[c.len_utf8()..];
    }
    parts.push(current);
    parts
}

fn conjunction(text: &str) -> Guard {
    let mut guard = Guard::default();
    for atom in split_top(text, "&&") {
        let atom = atom.trim();
        let atom = atom
            .strip_prefix('(')
            .and_then(|a| a.strip_suffix(')'))
            .filter(|a| !a.contains("||"))
            .unwrap_or(atom)
            .trim();
        apply_atom(&mut guard, atom);
    }
    guard
}

fn apply_atom(guard: &mut Guard, atom: &str) {
    let compact: String = atom.split_whitespace().collect::<Vec<_>>().join(" ");
    let compare = |left: &str| -> Option<(bool, String)> {
        for (op, equal) in [(" == ", true), (" != ", false)] {
            if let Some((l, r)) = compact.split_once(op) {
                let (l, r) = (l.trim(), r.trim());
                let value = if l == left {
                    r
                } else if r == left {
                    l
                } else {
                    continue;
                };
                return Some((equal, value.trim_matches('\'').to_owned()));
            }
        }
        None
    };
    if let Some((equal, event)) = compare("github.event_name") {
        if equal {
            guard.events = Some(vec![event.clone()]);
            if !event.starts_with("pull_request") {
                guard.excludes_pull_requests = true;
            }
        } else if event == "pull_request" {
            guard.excludes_pull_requests = true;
        }
        return;
    }
    if let Some((equal, reference)) = compare("github.ref").or_else(|| compare("github.ref_name")) {
        if equal {
            guard.branch = Some(reference.trim_start_matches("refs/heads/").to_owned());
            guard.excludes_pull_requests = true;
        }
        return;
    }
    if compact.starts_with("startsWith(github.ref, 'refs/tags") {
        guard.excludes_pull_requests = true;
        return;
    }
    if let Some((equal, value)) = compare("github.event.pull_request.merged") {
        if equal == (value == "true") {
            guard.merged_only = true;
        }
        return;
    }
    if compact == "github.event.pull_request.merged" {
        guard.merged_only = true;
        return;
    }
    if let Some((equal, action)) = compare("github.event.action") {
        match (equal, action == "closed") {
            (true, true) => guard.closed_only = true,
            (false, true) => guard.not_closed = true,
            _ => {}
        }
        return;
    }
    match compact.as_str() {
        "false" => guard.never = true,
        "true" | "success()" | "always()" | "failure()" | "cancelled()" | "!cancelled()" => {}
        _ => guard.unknown = true,
    }
}

/// The guard of `a || b`: it excludes pull requests only if every part does.
fn union(parts: Vec<Guard>) -> Guard {
    let all = |f: fn(&Guard) -> bool| parts.iter().all(f);
    let same_branch = parts
        .first()
        .and_then(|g| g.branch.clone())
        .filter(|b| parts.iter().all(|g| g.branch.as_ref() == Some(b)));
    let events = parts
        .iter()
        .map(|g| g.events.clone())
        .collect::<Option<Vec<Vec<String>>>>()
        .map(|lists| lists.concat());
    Guard {
        text: None,
        excludes_pull_requests: all(|g| g.excludes_pull_requests || g.never),
        events,
        branch: same_branch,
        merged_only: all(|g| g.merged_only),
        closed_only: all(|g| g.closed_only),
        not_closed: all(|g| g.not_closed),
        never: all(|g| g.never),
        unknown: parts.iter().any(|g| g.unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use envlint_diagnostics::FileId;

    fn guard(text: &str) -> Guard {
        parse_guard(text, Span::new(FileId(0), 0, 0))
    }

    #[test]
    fn push_on_main_excludes_pull_requests() {
        let g = guard("github.event_name == 'push' && github.ref == 'refs/heads/main'");
        assert!(g.excludes_pull_requests && !g.unknown);
        assert_eq!(g.branch.as_deref(), Some("main"));
        assert!(guard("${{ github.ref_name == \"main\" }}").excludes_pull_requests);
        assert!(guard("github.event_name != 'pull_request'").excludes_pull_requests);
    }

    #[test]
    fn pull_request_guards_and_unknowns() {
        let g = guard("github.event_name == 'pull_request'");
        assert!(!g.excludes_pull_requests);
        assert!(guard("github.event.pull_request.merged == true").merged_only);
        assert!(guard("github.event.action != 'closed'").not_closed);
        assert!(guard("contains(github.event.pull_request.labels.*.name, 'deploy')").unknown);
        assert!(!guard("success() && github.event.action == 'closed'").unknown);
        assert!(guard("false").never);
    }

    #[test]
    fn disjunctions_exclude_only_when_every_part_does() {
        assert!(
            !guard("github.event_name == 'push' || github.event_name == 'pull_request'")
                .excludes_pull_requests
        );
        let g = guard("github.event_name == 'push' || github.event_name == 'workflow_dispatch'");
        assert!(g.excludes_pull_requests);
        assert_eq!(g.events.map(|e| e.len()), Some(2));
    }
}
