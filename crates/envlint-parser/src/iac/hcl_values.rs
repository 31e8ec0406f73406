//! The values a Terraform configuration states literally: strings, templates and lists
//! built from literals, `var.x` with a literal default, `local.x`, and attributes of other
//! resources (`google_bigquery_dataset.marts.dataset_id`). Anything else is unknown.

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;

/// How deep `local.a` -> `local.b` -> ... is followed.
const MAX_DEPTH: usize = 8;

/// What the configuration's files say literally: variables' defaults, locals and resources.
#[derive(Default)]
pub(super) struct Scope<'a> {
    variables: HashMap<String, &'a Expression>,
    locals: HashMap<String, &'a Expression>,
    resources: HashMap<(String, String), &'a Body>,
}

impl<'a> Scope<'a> {
    /// The scope of a module: the variables, locals and resources of all its files.
    pub(super) fn new(bodies: &[&'a Body]) -> Self {
        let mut scope = Self::default();
        for block in bodies.iter().flat_map(|body| body.blocks()) {
            match (block.ident.as_str(), labels(block).as_slice()) {
                ("variable", [name]) => {
                    if let Some(default) = block.body.get_attribute("default") {
                        scope.variables.insert(name.clone(), &default.value);
                    }
                }
                ("locals", []) => {
                    for attribute in block.body.attributes() {
                        scope
                            .locals
                            .insert(attribute.key.as_str().to_owned(), &attribute.value);
                    }
                }
                ("resource", [kind, name]) => {
                    scope
                        .resources
                        .insert((kind.clone(), name.clone()), &block.body);
                }
                _ => {}
            }
        }
        scope
    }

    /// The string an expression always evaluates to, if the configuration says.
    pub(super) fn string(&self, expr: &Expression) -> Option<String> {
        self.string_at(expr, 0)
    }

    /// The strings of a list, each with its span (the list's span when an element has none).
    pub(super) fn strings(&self, expr: &Expression) -> Option<Vec<(String, Range<usize>)>> {
        let Expression::Array(items) = self.follow(expr, 0)? else {
            return self.string(expr).map(|s| vec![(s, span(expr))]);
        };
        items
            .iter()
            .map(|item| {
                Some((
                    self.string(item)?,
                    item.span().unwrap_or_else(|| span(expr)),
                ))
            })
            .collect()
    }

    /// Whether the value is known: a string or list of strings the configuration states, or
    /// a literal boolean or number.
    pub(super) fn is_known(&self, expr: &Expression) -> bool {
        matches!(
            self.follow(expr, 0),
            Some(Expression::Bool(_) | Expression::Number(_) | Expression::Null(_))
        ) || self.strings(expr).is_some()
    }

    /// The entries of an object (`{ "github_webhook" : true }`), by key, with their values
    /// followed; `None` when the expression is no object the configuration states.
    pub(super) fn object<'e>(
        &'e self,
        expr: &'e Expression,
    ) -> Option<Vec<(String, &'e Expression)>> {
        let Expression::Object(object) = self.follow(expr, 0)? else {
            return None;
        };
        object
            .iter()
            .map(|(key, value)| {
                let key = match key.as_ident() {
                    Some(ident) => ident.as_str().to_owned(),
                    None => self.string(key.as_expr()?)?,
                };
                Some((key, value.expr()))
            })
            .collect()
    }

    /// A boolean written literally.
    pub(super) fn is_true(&self, expr: &Expression) -> bool {
        matches!(self.follow(expr, 0), Some(Expression::Bool(b)) if *b.value())
    }

    fn string_at(&self, expr: &Expression, depth: usize) -> Option<String> {
        match self.follow(expr, depth)? {
            Expression::String(text) => Some(text.value().clone()),
            Expression::StringTemplate(template) => template
                .iter()
                .map(|element| match element {
                    Element::Literal(text) => Some(text.value().clone()),
                    Element::Interpolation(inner) => self.string_at(&inner.expr, depth + 1),
                    Element::Directive(_) => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// The expression a reference stands for (`var.x`'s default, `local.x`, a resource's
    /// attribute), followed up to [`MAX_DEPTH`] times; other expressions as they are.
    fn follow<'e>(&'e self, expr: &'e Expression, depth: usize) -> Option<&'e Expression> {
        if depth > MAX_DEPTH {
            return None;
        }
        match expr {
            Expression::Parenthesis(inner) => self.follow(inner.inner(), depth + 1),
            Expression::Traversal(traversal) => {
                let Expression::Variable(root) = &traversal.expr else {
                    return None;
                };
                let attrs: Vec<&str> = traversal
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::GetAttr(ident) => Some(ident.as_str()),
                        _ => None,
                    })
                    .collect::<Option<_>>()?;
                let target = match (root.as_str(), attrs.as_slice()) {
                    ("var", [name]) => *self.variables.get(*name)?,
                    ("local", [name]) => *self.locals.get(*name)?,
                    // An attribute of a local object: `local.roles.loader`.
                    ("local", [name, key]) => {
                        let object = self.follow(self.locals.get(*name)?, depth + 1)?;
                        let Expression::Object(object) = object else {
                            return None;
                        };
                        object.iter().find_map(|(k, v)| {
                            let named = k
                                .as_ident()
                                .map(|i| i.as_str().to_owned())
                                .or_else(|| self.string_at(k.as_expr()?, depth + 1));
                            (named.as_deref() == Some(*key)).then(|| v.expr())
                        })?
                    }
                    (kind, [name, attribute]) => {
                        let body = self
                            .resources
                            .get(&((*kind).to_owned(), (*name).to_owned()))?;
                        &body.get_attribute(attribute)?.value
                    }
                    _ => return None,
                };
                self.follow(target, depth + 1)
            }
            other => Some(other),
        }
    }
}

/// A block's labels, as text.
pub(super) fn labels(block: &Block) -> Vec<String> {
    block
        .labels
        .iter()
        .map(|label| label.as_str().to_owned())
        .collect()
}

/// An expression's span (empty when the parser gave none).
pub(super) fn span(expr: &Expression) -> Range<usize> {
    expr.span().unwrap_or(0..0)
}
