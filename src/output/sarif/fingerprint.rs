//! `partialFingerprints` that survive line drift: a hash of what a finding is (rule, file,
//! the masked text under its primary label, message), never of where it is.

use std::collections::HashMap;

use envlint_diagnostics::{Diagnostic, SourceDb};

/// Hands out fingerprints; the n-th finding with the same hashed parts gets `n` mixed in,
/// so identical findings in one file stay distinct.
#[derive(Default)]
pub(crate) struct Fingerprints {
    seen: HashMap<u64, u32>,
}

impl Fingerprints {
    pub(crate) fn next(&mut self, db: &SourceDb, diagnostic: &Diagnostic) -> String {
        let span = diagnostic.primary().span;
        let file = db.get(span.file);
        // The shown text masks secrets: no fingerprint is a hash of a secret.
        let shown = file.shown_text();
        let text = shown.get(span.range()).unwrap_or_default();
        let path = file.path.to_string_lossy();
        let base = fnv1a(&[diagnostic.code, &path, text, &diagnostic.message]);
        let occurrence = self.seen.entry(base).or_default();
        let hash = fnv1a(&[&base.to_string(), &occurrence.to_string()]);
        *occurrence += 1;
        format!("{hash:016x}")
    }
}

/// 64-bit FNV-1a over the parts, each followed by a NUL: stable across Rust releases and
/// platforms, unlike `std`'s `DefaultHasher`.
fn fnv1a(parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    parts
        .iter()
        .flat_map(|part| part.bytes().chain([0]))
        .fold(OFFSET, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        })
}

#[cfg(test)]
mod tests {
    use envlint_diagnostics::{Severity, Span};

    use super::*;

    /// A finding on the first `needle` of a new `profiles.yml` holding `text`.
    fn finding(db: &mut SourceDb, text: &str, needle: &str) -> Diagnostic {
        let file = db.add("profiles.yml", text.to_owned());
        let at = text.find(needle).unwrap_or_default();
        let span = Span::new(file, at, at + needle.len());
        Diagnostic::new("ENV101", "x", Severity::Error, "m", span, "here")
    }

    #[test]
    fn fingerprints_ignore_line_drift_and_keep_duplicates_apart() {
        let mut db = SourceDb::new();
        let before = finding(&mut db, "a:\n  target: prod\n", "prod");
        let after = finding(&mut db, "# new comment\n\na:\n  target: prod\n", "prod");
        let first = Fingerprints::default().next(&db, &before);
        assert_eq!(first, Fingerprints::default().next(&db, &after));
        let mut twice = Fingerprints::default();
        assert_ne!(twice.next(&db, &before), twice.next(&db, &before));
    }

    #[test]
    fn fingerprints_hash_the_masked_text_not_the_secret() {
        let mut db = SourceDb::new();
        let secret = finding(&mut db, "password: hunter2\n", "hunter2");
        db.redact(secret.primary().span);
        let masked = finding(&mut db, "password: *******\n", "*******");
        assert_eq!(
            Fingerprints::default().next(&db, &secret),
            Fingerprints::default().next(&db, &masked)
        );
    }
}
