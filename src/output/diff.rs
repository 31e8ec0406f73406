//! `--diff`: unified diffs (three lines of context) of what `--fix` would change.

use std::path::Path;

/// Lines shown around each change.
const CONTEXT: usize = 3;
/// Above this many line pairs in the changed middle, the middle is shown as replaced
/// wholesale rather than aligned line by line.
const MAX_ALIGNED_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The unified diff of one file, `--- a/path` / `+++ b/path` style.
pub(crate) fn unified(path: &Path, before: &str, after: &str) -> String {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let ops = line_ops(&old, &new);
    let mut out = if path.is_absolute() {
        format!("--- {0}\n+++ {0}\n", path.display())
    } else {
        format!("--- a/{0}\n+++ b/{0}\n", path.display())
    };
    let changed: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != Op::Same).collect();
    let mut hunk_start = 0;
    while hunk_start < changed.len() {
        let mut hunk_end = hunk_start;
        while hunk_end + 1 < changed.len()
            && changed[hunk_end + 1] - changed[hunk_end] <= 2 * CONTEXT
        {
            hunk_end += 1;
        }
        let from = changed[hunk_start].saturating_sub(CONTEXT);
        let to = (changed[hunk_end] + CONTEXT + 1).min(ops.len());
        out.push_str(&hunk(&ops[from..to], &old, &new));
        hunk_start = hunk_end + 1;
    }
    out
}

/// One `@@ -a,b +c,d @@` hunk over a run of operations.
fn hunk(ops: &[(Op, usize, usize)], old: &[&str], new: &[&str]) -> String {
    let (_, old_start, new_start) = ops[0];
    let old_len = ops.iter().filter(|o| o.0 != Op::Added).count();
    let new_len = ops.iter().filter(|o| o.0 != Op::Removed).count();
    let mut out = format!(
        "@@ -{},{old_len} +{},{new_len} @@\n",
        old_start + usize::from(old_len > 0),
        new_start + usize::from(new_len > 0)
    );
    for &(op, o, n) in ops {
        let (mark, line) = match op {
            Op::Same => (' ', old[o]),
            Op::Removed => ('-', old[o]),
            Op::Added => ('+', new[n]),
        };
        out.push(mark);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
    out
}

/// The edit script from `old` to `new`: each operation with the old and new line index it
/// stands at. Common leading and trailing lines are matched first, then the middle by
/// longest common subsequence.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<(Op, usize, usize)> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut ops: Vec<(Op, usize, usize)> = (0..prefix).map(|i| (Op::Same, i, i)).collect();
    let middle = if a.len().saturating_mul(b.len()) <= MAX_ALIGNED_CELLS {
        aligned(a, b)
    } else {
        let removed = (0..a.len()).map(|i| (Op::Removed, i, 0));
        removed
            .chain((0..b.len()).map(|j| (Op::Added, a.len(), j)))
            .collect()
    };
    ops.extend(
        middle
            .into_iter()
            .map(|(op, i, j)| (op, prefix + i, prefix + j)),
    );
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    ops.extend((0..suffix).map(|k| (Op::Same, old_end + k, new_end + k)));
    ops
}

/// Longest-common-subsequence alignment of two small line lists.
fn aligned(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((Op::Same, i, j));
            i += 1;
            j += 1;
        } else if i < a.len()
            && (j == b.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            ops.push((Op::Removed, i, j));
            i += 1;
        } else {
            ops.push((Op::Added, i, j));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_with_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified(Path::new("p.yml"), before, after),
            "--- a/p.yml\n+++ b/p.yml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn insertions_removals_and_a_missing_final_newline() {
        let diff = unified(Path::new("p"), "x\ny", "x\nz\nw");
        assert_eq!(
            diff,
            "--- a/p\n+++ b/p\n@@ -1,2 +1,3 @@\n x\n-y\n\\ No newline at end of file\n+z\n+w\n\\ No newline at end of file\n"
        );
    }
}
