//! A spanned YAML tree (serde-saphyr), with anchors and `<<:` merge keys resolved.
//!
//! Every node keeps the byte range where it is used and, when it came through an alias or a
//! merge key, the byte range where it was defined, so a finding can show both.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

/// A YAML node with its byte ranges.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Where the node is used: the scalar itself, or the alias (`*dev`) that brought it in.
    pub span: Range<usize>,
    /// Where the node was written, when that differs from `span` (alias or merge key).
    pub defined: Option<Range<usize>>,
}

/// A YAML value. Mappings keep their order and their keys' spans.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key: its text (scalars are stringified) and its byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: String,
    pub span: Range<usize>,
}

impl Node {
    /// The value of `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Self> {
        self.entry(key).map(|(_, node)| node)
    }

    /// The key and value of `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Self)> {
        self.entries()
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, v)| (k, v))
    }

    /// The entries of a mapping; empty for anything else.
    pub fn entries(&self) -> &[(Key, Self)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// The scalar as text (numbers and booleans as written by YAML); `None` for containers
    /// and null.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a YAML document could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// 1-based line and character column, when the parser knows them.
    pub location: Option<(usize, usize)>,
}

/// Parses one YAML document. An empty document (or only comments) is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    // serde-saphyr counts offsets after a byte-order mark; ours count from the file start.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_at(body, text.len() - body.len())
}

/// Parses YAML that sits at byte `shift` of its file (a heredoc in a CI script), so spans
/// are file offsets.
pub fn parse_at(body: &str, shift: usize) -> Result<Node, YamlError> {
    if body.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!(
                "this YAML is {} MiB, over the budget of {} MiB: not read",
                body.len() / (1024 * 1024),
                MAX_YAML_BYTES / (1024 * 1024)
            ),
            location: None,
        });
    }
    if let Some((line, column)) = too_deep(body) {
        return Err(YamlError {
            message: format!("nested deeper than {MAX_DEPTH} levels"),
            location: Some((line, column)),
        });
    }
    // dbt (PyYAML) takes the last of two equal keys and goes on; so do we.
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        // PyYAML reads `.nan` and `.inf` as floats; they are text to us.
        non_finite_float_policy: serde_saphyr::options::NonFiniteFloatPolicy::AsString,
        budget: serde_saphyr::budget! {
            max_nodes: 20_000_000,
            max_events: 40_000_000,
            max_total_scalar_bytes: 512 * 1024 * 1024,
            max_recorded_anchor_events: 100_000,
            max_depth: MAX_DEPTH,
            // Properties files reuse a few anchors hundreds of times (spellbook: 878 aliases
            // of 26 anchors), which dbt reads; the replay limit below bounds a bomb.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 1_000_000,
            max_replay_stack_depth: 64,
        },
    };
    let spanned: Spanned<Raw> =
        serde_saphyr::from_str_with_options(body, options).map_err(|err| YamlError {
            message: in_users_words(&first_line(&err.without_snippet().to_string())),
            location: err
                .location()
                .filter(|loc| loc.line() > 0)
                .map(|loc| (loc.line() as usize, loc.column() as usize)),
        })?;
    Ok(convert(spanned, shift))
}

/// The byte budget of one YAML document: real profiles, projects, property files and CI
/// files are far smaller, and the parsed tree costs about twenty times its text (a 50 MB
/// `run:` block took 1.1 GB).
const MAX_YAML_BYTES: usize = 16 * 1024 * 1024;

/// How deep a document may nest, in block or flow style: far beyond any dbt file, and far
/// below what the recursive readers (ours and the parser's) can take on a thread's stack.
const MAX_DEPTH: usize = 64;

/// Where block-style nesting (indentation, and `- ` items opened on one line) first goes
/// deeper than [`MAX_DEPTH`], as a 1-based line and column. The content of block scalars
/// (`run: |`) is text, not nesting, and is skipped.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut scalar_above: Option<usize> = None;
    for (number, line) in envlint_diagnostics::lines::lines(text).enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(scalar) = scalar_above {
            if indent > scalar {
                continue;
            }
            scalar_above = None;
        }
        while indents.last().is_some_and(|&last| last >= indent) {
            indents.pop();
        }
        indents.push(indent);
        let items = content
            .split_inclusive("- ")
            .take_while(|part| part.trim() == "-")
            .count();
        if indents.len() + items > MAX_DEPTH {
            return Some((number + 1, indent + 1));
        }
        let head = content.split(" #").next().unwrap_or(content).trim_end();
        let opens_scalar = head
            .rsplit(' ')
            .next()
            .is_some_and(|last| last.starts_with(['|', '>']) && last.len() <= 3);
        if opens_scalar {
            scalar_above = Some(indent);
        }
    }
    None
}

/// The parser's message without its snippet and its " at line L, column C" (the diagnostic
/// shows the location itself).
fn first_line(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid YAML");
    let line = line.find(" at line ").map_or(line, |at| &line[..at]);
    line.to_owned()
}

/// The parser's wording for what users write, in YAML's (and PyYAML's) terms rather than
/// the Rust library's.
fn in_users_words(message: &str) -> String {
    let typed = |kind: &str| format!("the value does not read as {kind} (its tag says it is one)");
    match message {
        m if m.starts_with("multiple YAML documents detected") => {
            "expected a single document in the stream, but found another (`---`)".to_owned()
        }
        "recursive references require weak recursion types" => {
            "an alias refers to the node that holds it (a recursive `*anchor`)".to_owned()
        }
        "invalid u64" | "invalid i64" | "invalid u128" | "invalid i128" => typed("an integer"),
        "invalid floating point" => typed("a number"),
        "invalid boolean" => typed("true or false"),
        other => other.to_owned(),
    }
}

/// The tree as serde-saphyr hands it over, before spans become byte ranges.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Self>>),
    Map(Vec<(Spanned<Self>, Spanned<Self>)>),
}

fn byte_range(loc: &Location, shift: usize) -> Option<Range<usize>> {
    if loc.line() == 0 {
        return None;
    }
    let span = loc.span();
    let start = usize::try_from(span.byte_offset()?).ok()? + shift;
    let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
    Some(start..start + len)
}

fn convert(spanned: Spanned<Raw>, shift: usize) -> Node {
    let referenced = byte_range(&spanned.referenced, shift);
    let defined = byte_range(&spanned.defined, shift);
    let span = referenced
        .clone()
        .or_else(|| defined.clone())
        .unwrap_or(0..0);
    let defined = defined.filter(|d| Some(d) != referenced.as_ref());
    let value = match spanned.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(i, shift)).collect()),
        Raw::Map(entries) => {
            let mut map: Vec<(Key, Node)> = Vec::with_capacity(entries.len());
            let mut index: std::collections::HashMap<String, usize> =
                std::collections::HashMap::with_capacity(entries.len());
            for (k, v) in entries {
                let key = convert(k, shift);
                let key = Key {
                    text: key.scalar_text().unwrap_or_default(),
                    span: key.span,
                };
                let value = convert(v, shift);
                // Two equal keys: the last one wins, in the first one's place (a Python dict).
                match index.get(&key.text) {
                    Some(&at) => map[at] = (key, value),
                    None => {
                        index.insert(key.text.clone(), map.len());
                        map.push((key, value));
                    }
                }
            }
            Value::Map(map)
        }
    };
    Node {
        value,
        span,
        defined,
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or_else(|_| Raw::Str(v.to_string()), Raw::Int))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at<'a>(src: &'a str, range: &Range<usize>) -> &'a str {
        &src[range.clone()]
    }

    #[test]
    fn hundreds_of_aliases_of_a_few_anchors_parse_as_dbt_reads_them() {
        // A properties file that reuses two column lists 300 times (spellbook has 878 aliases
        // of 26 anchors) tripped the parser's alias-to-anchor ratio: a false ENV001.
        let mut src = String::from(
            "x:\n  a: &a [{name: id}, {name: amount}]\n  b: &b [{name: day}]\nsources:\n",
        );
        for i in 0..300 {
            src.push_str(&format!("  - name: s{i}\n    one: *a\n    two: *b\n"));
        }
        assert!(
            parse(&src).is_ok(),
            "{:?}",
            parse(&src).err().map(|e| e.message)
        );
    }

    #[test]
    fn merged_values_keep_both_locations() {
        let src = "dev: &dev\n  password: secret\n  schema: dev\nprod:\n  <<: *dev\n  schema: analytics\n";
        let root = parse(src).expect("valid yaml");
        let prod = root.get("prod").expect("prod");
        let password = prod.get("password").expect("merged password");
        assert_eq!(password.as_str(), Some("secret"));
        let defined = password.defined.clone().expect("defined elsewhere");
        assert_eq!(text_at(src, &defined), "secret");
        assert_eq!(
            text_at(src, &prod.get("schema").expect("schema").span),
            "analytics"
        );
    }

    #[test]
    fn quoted_scalar_spans_include_quotes() {
        let src = "schema: \"dév_{{ env_var('USER') }}\"\n";
        let root = parse(src).expect("valid yaml");
        let schema = root.get("schema").expect("schema");
        assert!(text_at(src, &schema.span).starts_with('"'));
    }

    #[test]
    fn block_nesting_past_the_limit_is_an_error_not_a_stack_overflow() {
        let mut deep = String::new();
        for level in 0..3_000 {
            deep.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
        }
        let err = parse(&deep).expect_err("too deep");
        assert!(err.message.contains("nested deeper than"), "{err:?}");
        assert_eq!(err.location, Some((MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)));
        // A block scalar's indented text is no nesting.
        let mut script = String::from("run: |\n");
        for level in 1..400 {
            script.push_str(&format!("{}echo {level}\n", " ".repeat(level)));
        }
        assert!(parse(&script).is_ok());
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_as_dbt_does() {
        let src = "dev:\n  schema: a\n  schema: b\n";
        let root = parse(src).expect("dbt accepts duplicate keys");
        let dev = root.get("dev").expect("dev");
        assert_eq!(dev.entries().len(), 1);
        let schema = dev.get("schema").expect("schema");
        assert_eq!(schema.as_str(), Some("b"));
        assert_eq!(text_at(src, &schema.span), "b");
    }

    #[test]
    fn billion_laughs_is_rejected_quickly() {
        let mut src = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            ));
        }
        let started = std::time::Instant::now();
        assert!(parse(&src).is_err());
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn byte_order_mark_does_not_shift_spans() {
        let src = "\u{feff}schema: dev\n";
        let root = parse(src).expect("valid yaml");
        assert_eq!(
            text_at(src, &root.get("schema").expect("schema").span),
            "dev"
        );
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("# nothing\n").map(|n| n.value), Ok(Value::Null));
    }
}
