//! Fixes: byte-range edits a finding proposes, how safe they are, and applying them to text.

use crate::Span;

/// Whether a fix may be applied without a human looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the project working and only removes the problem (`--fix`).
    Safe,
    /// Changes behaviour a person should review (`--unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
        }
    }
}

/// Replace the text of `span` with `replacement` (an empty span inserts, an empty
/// replacement deletes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// One way to resolve a finding: edits applied together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, imperative and short ("make `dev` the default target").
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(message: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        Self {
            message: message.into(),
            applicability,
            edits,
        }
    }

    /// Whether any edit of `self` touches the same bytes as an edit of `other` (two
    /// insertions at one point count as overlapping: their order would be arbitrary).
    pub fn overlaps(&self, other: &Self) -> bool {
        self.edits.iter().any(|a| {
            other.edits.iter().any(|b| {
                let (a, b) = (a.span, b.span);
                a.file == b.file
                    && ((a.start < b.end && b.start < a.end)
                        || (a.is_empty() && b.is_empty() && a.start == b.start))
            })
        })
    }
}

/// The fixes of one pass: in order, each fix that overlaps none taken before it. The fixes
/// left out are applied by a later pass, on the text this pass produces.
pub fn non_overlapping<'a>(fixes: impl IntoIterator<Item = &'a Fix>) -> Vec<&'a Fix> {
    let mut taken: Vec<&Fix> = Vec::new();
    for fix in fixes {
        if !fix.edits.is_empty() && !taken.iter().any(|t| t.overlaps(fix)) {
            taken.push(fix);
        }
    }
    taken
}

/// `text` with `edits` applied. The edits must not overlap (see [`non_overlapping`]) and
/// must lie on character boundaries of `text`; an edit that does not is skipped.
pub fn apply_edits<'a>(text: &str, edits: impl IntoIterator<Item = &'a Edit>) -> String {
    let mut edits: Vec<&Edit> = edits.into_iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        let range = edit.span.range();
        let valid = range.start >= at
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !valid {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&edit.replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileId;

    fn edit(start: usize, end: usize, replacement: &str) -> Edit {
        Edit {
            span: Span::new(FileId(0), start, end),
            replacement: replacement.to_owned(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::new("m", Applicability::Safe, edits)
    }

    #[test]
    fn edits_apply_from_the_original_offsets() {
        let text = "target: prod\nschema: x\n";
        let edits = [
            edit(8, 12, "dev"),
            edit(21, 22, "\"dev_{{ env_var('USER') }}\""),
        ];
        assert_eq!(
            apply_edits(text, &edits),
            "target: dev\nschema: \"dev_{{ env_var('USER') }}\"\n"
        );
    }

    #[test]
    fn overlapping_fixes_are_left_for_a_later_pass() {
        let a = fix(vec![edit(0, 4, "x")]);
        let b = fix(vec![edit(2, 6, "y")]);
        let c = fix(vec![edit(4, 6, "z")]);
        let d = fix(vec![edit(9, 9, "i")]);
        let e = fix(vec![edit(9, 9, "j")]);
        let taken = non_overlapping([&a, &b, &c, &d, &e]);
        assert_eq!(taken, vec![&a, &c, &d]);
    }

    #[test]
    fn edits_off_character_boundaries_are_skipped() {
        assert_eq!(apply_edits("é", &[edit(1, 2, "x")]), "é");
    }
}
