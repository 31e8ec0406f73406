//! dbt's naming step: `generate_schema_name`, `generate_database_name` and
//! `generate_alias_name`, the project's overrides or dbt's defaults.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use envlint_diagnostics::{SourceDb, Span};
use envlint_parser::jinja::{ConfigValue, MacroArg, MacroSet, NodeContext, Scope};
use envlint_parser::symbolic::Part;
use envlint_parser::{DbtProject, SymStr};

/// (target index, macro, custom argument): a name that does not depend on the node.
type CacheKey = (usize, String, String);

/// The naming macros of one project, with a cache for those that do not look at `node`.
#[derive(Debug)]
pub struct Naming {
    macros: MacroSet,
    /// Where each override is defined.
    pub spans: BTreeMap<String, Span>,
    uses_node: BTreeMap<String, bool>,
    /// Overrides whose file does not compile: why. Their names cannot be known.
    broken: BTreeMap<String, String>,
    cache: RefCell<HashMap<CacheKey, Result<SymStr, String>>>,
}

impl Naming {
    pub fn new(db: &SourceDb, project: &DbtProject) -> Self {
        let mut spans = BTreeMap::new();
        let mut uses_node = BTreeMap::new();
        let mut files = Vec::new();
        for file in &project.macros {
            if file.naming_macros.is_empty() {
                continue;
            }
            let source = db.get(file.file);
            let names: Vec<String> = file
                .naming_macros
                .iter()
                .map(|(name, _)| name.clone())
                .collect();
            for (name, span) in &file.naming_macros {
                spans.entry(name.clone()).or_insert(*span);
                uses_node.insert(name.clone(), mentions_node(&source.text));
            }
            files.push((
                source.path.display().to_string(),
                source.text.to_string(),
                names,
            ));
        }
        let defined_in: BTreeMap<String, Vec<String>> = files
            .iter()
            .map(|(path, _, names)| (path.clone(), names.clone()))
            .collect();
        let (macros, errors) = MacroSet::new(files);
        let mut broken = BTreeMap::new();
        for (path, error) in errors {
            for name in defined_in.get(&path).into_iter().flatten() {
                broken
                    .entry(name.clone())
                    .or_insert_with(|| format!("its file does not compile ({})", error.message));
            }
        }
        spans.retain(|name, _| macros.defines(name) || broken.contains_key(name));
        Self {
            macros,
            spans,
            uses_node,
            broken,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The project's override of `macro_name`, if it has one.
    pub fn override_span(&self, macro_name: &str) -> Option<Span> {
        self.spans.get(macro_name).copied()
    }

    /// Calls the naming macro for target number `target` (for the cache).
    pub fn name(
        &self,
        macro_name: &str,
        target: usize,
        custom: Option<&SymStr>,
        node: &NodeContext,
        scope: &Scope,
    ) -> Result<SymStr, String> {
        if let Some(reason) = self.broken.get(macro_name) {
            return Err(reason.clone());
        }
        if !self.macros.defines(macro_name) {
            return Ok(default_name(macro_name, custom, node, scope));
        }
        let cacheable = !self.uses_node.get(macro_name).copied().unwrap_or(true);
        let key = (
            target,
            macro_name.to_owned(),
            custom.map_or_else(|| "\u{0}none".to_owned(), ToString::to_string),
        );
        if cacheable && let Some(hit) = self.cache.borrow().get(&key) {
            return hit.clone();
        }
        let args = [
            custom.map_or(MacroArg::None, |c| MacroArg::Str(c.clone())),
            MacroArg::Node(node.clone()),
        ];
        let result = match self.macros.call(macro_name, &args, scope) {
            Ok(ConfigValue::Str(text)) => match unevaluable(&text) {
                Some(reason) => Err(reason),
                None => Ok(text),
            },
            Ok(ConfigValue::None) => Err("it returns none".to_owned()),
            Ok(ConfigValue::Other(text)) => Ok(SymStr::literal(text, 0..0)),
            Err(reason) => Err(reason),
        };
        if cacheable {
            self.cache.borrow_mut().insert(key, result.clone());
        }
        result
    }
}

/// Why a name built from calls dbt-envlint does not follow cannot stand for the real one:
/// `adapter.dispatch(...)` picks a macro by adapter and package, and
/// `exceptions.raise_compiler_error(...)` means dbt stops with an error there.
fn unevaluable(name: &SymStr) -> Option<String> {
    name.parts.iter().find_map(|part| match part {
        Part::Opaque { text, .. } if text.starts_with("adapter.dispatch(") => {
            Some("it calls `adapter.dispatch(...)`, which dbt-envlint does not follow".to_owned())
        }
        Part::Opaque { text, .. } if text.starts_with("exceptions.raise_compiler_error(") => {
            Some("it raises a compiler error (`exceptions.raise_compiler_error`)".to_owned())
        }
        _ => None,
    })
}

/// A macro that never mentions `node` (beyond its parameter list) gives the same name for
/// every node.
fn mentions_node(source: &str) -> bool {
    let body: Vec<&str> = source
        .split("{%")
        .map(|chunk| {
            let is_definition = chunk
                .trim_start_matches('-')
                .trim_start()
                .starts_with("macro ");
            match chunk.split_once("%}") {
                Some((_, rest)) if is_definition => rest,
                _ => chunk,
            }
        })
        .collect();
    let body = body.join("{%");
    body.match_indices("node").any(|(at, _)| {
        let before = body[..at].chars().next_back();
        let after = body[at + 4..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// dbt's own macros: `<target.schema>_<custom>`, `custom or target.database`,
/// `custom or node.name`.
fn default_name(
    macro_name: &str,
    custom: Option<&SymStr>,
    node: &NodeContext,
    scope: &Scope,
) -> SymStr {
    let target = scope.target.as_ref();
    let empty = SymStr::literal("", 0..0);
    let schema = target.map_or(&empty, |t| &t.schema);
    let database = target.map_or(&empty, |t| &t.database);
    match (macro_name, custom) {
        ("generate_schema_name", Some(custom)) => {
            SymStr::concat(&[schema, &SymStr::literal("_", 0..0), &custom.trimmed()])
        }
        ("generate_schema_name", None) => schema.clone(),
        ("generate_database_name", None) => database.clone(),
        ("generate_alias_name", None) => SymStr::literal(node.name.clone(), 0..0),
        (_, Some(custom)) => custom.trimmed(),
        (_, None) => empty,
    }
}
