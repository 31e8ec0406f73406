//! Whether two symbolic values (a non-prod and a prod location) can be equal, and under
//! which assignment of the environment.

use envlint_parser::SymStr;

use super::support::{code_list, env_names};

/// How two values can be equal.
pub(crate) enum Same {
    Always,
    /// Both read the same variables the same way: equal whatever they hold.
    SharedVars(Vec<String>),
    /// Equal when these variables are unset and the defaults apply.
    WhenUnset(Vec<String>),
}

/// How `a` and `b` can be equal, or `None` when they cannot be shown to be. Two absent
/// values are the same default.
pub(crate) fn same(a: Option<&SymStr>, b: Option<&SymStr>) -> Option<Same> {
    let (a, b) = match (a, b) {
        (None, None) => return Some(Same::Always),
        (Some(a), Some(b)) => (a, b),
        _ => return None,
    };
    if let (Some(x), Some(y)) = (a.as_literal(), b.as_literal()) {
        return x.eq_ignore_ascii_case(&y).then_some(Same::Always);
    }
    if a.same_shape(b) && !a.has_opaque() {
        return Some(Same::SharedVars(env_names(a)));
    }
    let (x, y) = (a.when_unset()?, b.when_unset()?);
    if !x.eq_ignore_ascii_case(&y) {
        return None;
    }
    let mut vars: Vec<String> = Vec::new();
    for value in [a, b] {
        for env in value.env_refs() {
            if env.default.is_some() && !vars.contains(&env.name) {
                vars.push(env.name.clone());
            }
        }
    }
    Some(Same::WhenUnset(vars))
}

/// The condition under which every part is equal, as a message suffix: empty for "always",
/// ` when `X` is unset`, ` whenever `Y` holds prod's value`.
pub(crate) fn condition(parts: &[Same]) -> String {
    let mut unset: Vec<String> = Vec::new();
    let mut shared: Vec<String> = Vec::new();
    for part in parts {
        let (list, vars) = match part {
            Same::Always => continue,
            Same::SharedVars(vars) => (&mut shared, vars),
            Same::WhenUnset(vars) => (&mut unset, vars),
        };
        for var in vars {
            if !list.contains(var) {
                list.push(var.clone());
            }
        }
    }
    let mut out = String::new();
    if !unset.is_empty() {
        let verb = if unset.len() == 1 { "is" } else { "are" };
        out.push_str(&format!(" when {} {verb} unset", code_list(&unset)));
    }
    if !shared.is_empty() {
        let holds = if shared.len() == 1 {
            "holds prod's value"
        } else {
            "hold prod's values"
        };
        let and = if unset.is_empty() { "" } else { " and" };
        out.push_str(&format!("{and} whenever {} {holds}", code_list(&shared)));
    }
    out
}
