//! Reads `envlint.yml` and the presets it extends into a [`Policy`], with a [`PolicyProblem`]
//! for everything in the file that is not understood.

use envlint_diagnostics::{FileId, Severity, Span};
use envlint_parser::PolicyDocument;
use envlint_parser::yaml::{self, Key, Node, Value};

use super::{
    Duration, EnvironmentPolicy, Named, Policy, PolicyProblem, RuleName, RuleSetting,
    SchemaPattern, did_you_mean,
};
use crate::environment::Environment;

/// The built-in presets, embedded in the binary.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "recommended",
        include_str!("../../../../policies/recommended.yml"),
    ),
    (
        "motherduck",
        include_str!("../../../../policies/motherduck.yml"),
    ),
    ("strict", include_str!("../../../../policies/strict.yml")),
];

/// The keys a policy file may have at the top; the loader and the JSON schema read these.
pub(super) const TOP_KEYS: &[&str] = &[
    "extends",
    "profile",
    "environments",
    "cleanup",
    "rules",
    "warnings-as-errors",
    "share-access",
    "database-per-environment",
    "sql-files",
    "permission-files",
    "require-reason",
];
/// The keys of one environment's settings.
pub(super) const ENVIRONMENT_KEYS: &[&str] = &[
    "required",
    "targets",
    "schema",
    "credentials",
    "roles",
    "deploy-branch",
];
/// The values of a `rules:` entry.
pub(super) const SEVERITIES: &[&str] = &["error", "warning", "info", "off"];
/// The environments `cleanup:` takes an age for (prod schemas are never dropped).
pub(super) const CLEANUP_ENVIRONMENTS: [Environment; 2] = [Environment::Dev, Environment::Ci];
const MAX_EXTENDS_DEPTH: usize = 8;

/// The effective policy for a repository: its `envlint.yml` (or `recommended` when there is
/// none), with a problem for everything in the file that is not understood. `rules` are
/// the rules `rules:` may name.
pub fn load_policy(
    document: Option<&PolicyDocument>,
    rules: &[RuleName],
) -> (Policy, Vec<PolicyProblem>) {
    let mut reader = PolicyReader {
        policy: Policy::default(),
        problems: Vec::new(),
        rules,
    };
    match document {
        Some(PolicyDocument {
            file,
            unusable: Some((span, reason)),
            ..
        }) => {
            reader.error(
                Some(*file),
                &span.range(),
                format!("the policy cannot be used: {reason}"),
                Some("fix this file (the findings were judged by the `recommended` preset, and the run exits with code 2)".to_owned()),
            );
            reader.policy.unusable = true;
            reader.apply_preset("recommended", None, 0);
        }
        Some(doc) => reader.apply(&doc.root, Some(doc.file), 0),
        None => reader.apply_preset("recommended", None, 0),
    }
    (reader.policy, reader.problems)
}

struct PolicyReader<'r> {
    policy: Policy,
    problems: Vec<PolicyProblem>,
    rules: &'r [RuleName],
}

impl PolicyReader<'_> {
    fn error(
        &mut self,
        file: Option<FileId>,
        range: &std::ops::Range<usize>,
        message: String,
        help: Option<String>,
    ) {
        // Presets are tested to be valid; only the repository's file can be wrong.
        let Some(file) = file else {
            return;
        };
        self.problems.push(PolicyProblem {
            span: Span::new(file, range.start, range.end),
            message,
            help: help.unwrap_or_else(|| {
                "see `dbt-envlint rule ENV002` for the policy format".to_owned()
            }),
        });
    }

    fn unknown_key(&mut self, file: Option<FileId>, key: &Key, known: &[&str], what: &str) {
        let help = did_you_mean(&key.text, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| Some(format!("{what} keys are: {}", known.join(", "))));
        self.error(
            file,
            &key.span,
            format!("unknown {what} key `{}`", key.text),
            help,
        );
    }

    fn apply_preset(
        &mut self,
        name: &str,
        at: Option<(FileId, &std::ops::Range<usize>)>,
        depth: usize,
    ) {
        let Some((_, text)) = PRESETS.iter().find(|(preset, _)| *preset == name) else {
            if let Some((file, range)) = at {
                let help = did_you_mean(name, PRESETS.iter().map(|(n, _)| *n))
                    .map(|s| format!("did you mean `{s}`?"));
                self.error(Some(file), range, format!("unknown preset `{name}`"), help);
            }
            return;
        };
        if let Ok(root) = yaml::parse(text) {
            self.apply(&root, None, depth + 1);
        }
    }

    fn apply(&mut self, root: &Node, file: Option<FileId>, depth: usize) {
        if depth > MAX_EXTENDS_DEPTH {
            return;
        }
        if !root.is_map() {
            if !matches!(root.value, Value::Null) {
                self.error(
                    file,
                    &root.span,
                    "the policy must be a mapping".to_owned(),
                    None,
                );
            }
            return;
        }
        match root.get("extends") {
            Some(node) => match node.as_str() {
                Some(name) => self.apply_preset(name, file.map(|f| (f, &node.span)), depth),
                None => self.error(
                    file,
                    &node.span,
                    "`extends` takes a preset name".to_owned(),
                    None,
                ),
            },
            None if depth == 0 => self.apply_preset("recommended", None, depth),
            None => {}
        }
        for (key, node) in root.entries() {
            match key.text.as_str() {
                "extends" => {}
                "profile" => match node.scalar_text() {
                    Some(name) => {
                        let span = file.map(|f| Span::new(f, node.span.start, node.span.end));
                        self.policy.profile = Some(Named { name, span });
                    }
                    None => self.error(
                        file,
                        &node.span,
                        "`profile` takes a profile name".to_owned(),
                        None,
                    ),
                },
                "environments" => self.environments(node, file),
                "cleanup" => self.cleanup(node, file),
                "rules" => self.rules(node, file),
                "warnings-as-errors" => {
                    if let Some(b) = self.flag(node, file, "warnings-as-errors") {
                        self.policy.warnings_as_errors = b;
                    }
                }
                "database-per-environment" => {
                    if let Some(b) = self.flag(node, file, "database-per-environment") {
                        self.policy.database_per_environment = b;
                    }
                }
                "require-reason" => {
                    if let Some(b) = self.flag(node, file, "require-reason") {
                        self.policy.require_reason = b;
                    }
                }
                "sql-files" | "permission-files" => {
                    self.string_list(node, file, &key.text);
                }
                "share-access" => match node.as_str() {
                    Some("restricted") => self.policy.organization_shares = false,
                    Some("organization") => self.policy.organization_shares = true,
                    _ => self.error(
                        file,
                        &node.span,
                        "`share-access` takes `restricted` or `organization`".to_owned(),
                        None,
                    ),
                },
                _ => self.unknown_key(file, key, TOP_KEYS, "policy"),
            }
        }
    }

    fn environments(&mut self, node: &Node, file: Option<FileId>) {
        for (key, body) in node.entries() {
            let Some(env) = Environment::parse(&key.text) else {
                let known = Environment::ALL.map(Environment::as_str);
                self.unknown_key(file, key, &known, "environment");
                continue;
            };
            let mut policy = self.policy.environments.remove(&env).unwrap_or_default();
            policy.required = true;
            if file.is_some() {
                policy.span = file.map(|f| Span::new(f, key.span.start, key.span.end));
            }
            self.environment(&mut policy, body, file);
            self.policy.environments.insert(env, policy);
        }
        if !node.is_map() && !matches!(node.value, Value::Null) {
            self.error(
                file,
                &node.span,
                "`environments` maps dev, ci and prod to their settings".to_owned(),
                None,
            );
        }
    }

    fn environment(&mut self, policy: &mut EnvironmentPolicy, body: &Node, file: Option<FileId>) {
        for (key, node) in body.entries() {
            match key.text.as_str() {
                "required" => {
                    if let Some(b) = self.flag(node, file, "required") {
                        policy.required = b;
                    }
                }
                "targets" => policy.targets = self.named_list(node, file),
                "credentials" => {
                    policy.credentials = self
                        .string_list(node, file, "credentials")
                        .unwrap_or_default();
                }
                "roles" => {
                    policy.roles = self.string_list(node, file, "roles").unwrap_or_default();
                }
                "schema" => match node.scalar_text() {
                    Some(text) => {
                        let span = file.map(|f| Span::new(f, node.span.start, node.span.end));
                        match SchemaPattern::parse(&text, span) {
                            Ok(pattern) => policy.schema = Some(pattern),
                            Err(message) => self.error(file, &node.span, message, None),
                        }
                    }
                    None => self.error(
                        file,
                        &node.span,
                        "`schema` takes a pattern such as `dev_{user}`".to_owned(),
                        None,
                    ),
                },
                "deploy-branch" => match node.scalar_text() {
                    Some(branch) => policy.deploy_branch = Some(branch),
                    None => self.error(
                        file,
                        &node.span,
                        "`deploy-branch` takes a branch name".to_owned(),
                        None,
                    ),
                },
                _ => self.unknown_key(file, key, ENVIRONMENT_KEYS, "environment"),
            }
        }
    }

    /// A `true`/`false` setting.
    fn flag(&mut self, node: &Node, file: Option<FileId>, key: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.error(
                    file,
                    &node.span,
                    format!("`{key}` takes true or false"),
                    None,
                );
                None
            }
        }
    }

    fn string_list(
        &mut self,
        node: &Node,
        file: Option<FileId>,
        what: &str,
    ) -> Option<Vec<String>> {
        let items: Option<Vec<String>> = match &node.value {
            Value::Seq(items) => items.iter().map(Node::scalar_text).collect(),
            Value::Str(one) => Some(vec![one.clone()]),
            _ => None,
        };
        if items.is_none() {
            self.error(
                file,
                &node.span,
                format!("`{what}` takes a list of names"),
                None,
            );
        }
        items
    }

    /// A list of names, each with its span (`[dev, local]` or a single name).
    fn named_list(&mut self, node: &Node, file: Option<FileId>) -> Option<Vec<Named>> {
        let items: &[Node] = match &node.value {
            Value::Seq(items) => items,
            Value::Str(_) => std::slice::from_ref(node),
            _ => &[],
        };
        let named: Option<Vec<Named>> = items
            .iter()
            .map(|item| {
                item.scalar_text().map(|name| Named {
                    name,
                    span: file.map(|f| Span::new(f, item.span.start, item.span.end)),
                })
            })
            .collect();
        if named.as_ref().is_none_or(Vec::is_empty) && !matches!(node.value, Value::Seq(_)) {
            self.error(
                file,
                &node.span,
                "`targets` takes a list of target names".to_owned(),
                None,
            );
            return None;
        }
        named
    }

    fn cleanup(&mut self, node: &Node, file: Option<FileId>) {
        for (key, value) in node.entries() {
            let Some(env) =
                Environment::parse(&key.text).filter(|e| CLEANUP_ENVIRONMENTS.contains(e))
            else {
                let known = CLEANUP_ENVIRONMENTS.map(Environment::as_str);
                self.unknown_key(file, key, &known, "cleanup");
                continue;
            };
            match value.scalar_text().as_deref().and_then(parse_duration) {
                Some(duration) => {
                    self.policy.cleanup.insert(env, duration);
                }
                None => self.error(
                    file,
                    &value.span,
                    "cleanup ages are written like `30d`, `12h` or `2w`".to_owned(),
                    None,
                ),
            }
        }
    }

    fn rules(&mut self, node: &Node, file: Option<FileId>) {
        for (key, value) in node.entries() {
            let rule = self
                .rules
                .iter()
                .find(|rule| rule.code.eq_ignore_ascii_case(&key.text) || rule.name == key.text);
            let Some(rule) = rule else {
                let names = self.rules.iter().flat_map(|rule| [rule.code, rule.name]);
                let help = did_you_mean(&key.text, names)
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| Some("`dbt-envlint rules` lists every rule".to_owned()));
                self.error(
                    file,
                    &key.span,
                    format!("unknown rule `{}`", key.text),
                    help,
                );
                continue;
            };
            // YAML 1.1 readers (and serde-saphyr) read a bare `off` as false.
            let text = match value.value {
                Value::Bool(false) => "off".to_owned(),
                _ => value.scalar_text().unwrap_or_default(),
            };
            let severity = match text.as_str() {
                "off" => None,
                other => match Severity::parse(other) {
                    Some(severity) => Some(severity),
                    None => {
                        let help = did_you_mean(other, SEVERITIES.iter().copied())
                            .map(|s| format!("did you mean `{s}`?"))
                            .or_else(|| Some("use error, warning, info or off".to_owned()));
                        self.error(
                            file,
                            &value.span,
                            format!("unknown severity `{text}`"),
                            help,
                        );
                        continue;
                    }
                },
            };
            self.policy.rules.insert(
                rule.code,
                RuleSetting {
                    severity,
                    span: file.map(|f| Span::new(f, key.span.start, key.span.end)),
                },
            );
        }
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let number = &text[..text.len() - unit.len_utf8()];
    let n: u64 = number.parse().ok()?;
    let hours = match unit {
        'h' => n,
        'd' => n.checked_mul(24)?,
        'w' => n.checked_mul(24 * 7)?,
        _ => return None,
    };
    Some(Duration { hours })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30d"), Some(Duration { hours: 720 }));
        assert_eq!(parse_duration("2w"), Some(Duration { hours: 336 }));
        assert_eq!(parse_duration("d"), None);
        assert_eq!(parse_duration("30 days"), None);
        // Found by fuzzing: a multi-byte last character, and overflow.
        assert_eq!(parse_duration("30d\u{fffd}\u{fffd}"), None);
        assert_eq!(parse_duration("99999999999999999999w"), None);
        assert_eq!(parse_duration("9999999999999999999w"), None);
    }
}
