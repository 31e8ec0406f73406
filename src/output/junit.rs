//! `--format junit`: JUnit XML for CI test-report UIs (GitLab, Jenkins, Azure, GitHub test
//! reporters).
//!
//! One testsuite; one testcase per file checked, named by its path, so clean files show as
//! passed tests and a file to fix shows as a failed one; one `<failure>` per finding, its
//! message `CODE name: message` and its text `path:line:col: severity[CODE] message`, the
//! related locations and the help.

use envlint_diagnostics::{Diagnostic, SourceDb};

use super::{concise_line, details};

pub(crate) fn render(db: &SourceDb, diagnostics: &[Diagnostic]) -> String {
    let mut cases = String::new();
    let mut failed = 0;
    for (id, file) in db.iter() {
        let findings: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.primary().span.file == id)
            .collect();
        let name = escape(&file.path.display().to_string());
        if findings.is_empty() {
            cases.push_str(&format!(
                "    <testcase classname=\"dbt-envlint\" name=\"{name}\"/>\n"
            ));
            continue;
        }
        failed += 1;
        cases.push_str(&format!(
            "    <testcase classname=\"dbt-envlint\" name=\"{name}\">\n"
        ));
        for diagnostic in findings {
            cases.push_str(&failure(db, diagnostic));
        }
        cases.push_str("    </testcase>\n");
    }
    let counts = format!(
        "tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\"",
        db.len()
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"dbt-envlint\" {counts}>\n  \
         <testsuite name=\"dbt-envlint\" {counts}>\n{cases}  </testsuite>\n</testsuites>\n"
    )
}

fn failure(db: &SourceDb, diagnostic: &Diagnostic) -> String {
    let text = concise_line(db, diagnostic) + &details(db, diagnostic);
    format!(
        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
        diagnostic.severity,
        escape(&format!(
            "{} {}: {}",
            diagnostic.code, diagnostic.name, diagnostic.message
        )),
        escape(&text)
    )
}

/// Escapes text for XML attributes and content, and drops characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push('\t'),
            c if u32::from(c) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping_keeps_the_document_well_formed() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}\ne"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;e"
        );
    }
}
