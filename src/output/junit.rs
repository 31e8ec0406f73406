//! `--format junit`: JUnit XML for CI test-report UIs (GitLab, Jenkins, Azure, GitHub test
//! reporters).
//!
//! One testsuite. Each file checked is a class (`classname` = its path), which those UIs
//! group by: a clean file has one passing testcase, `no findings`; a file with findings has
//! one failing testcase per finding, `CODE name at line:col`, holding its single
//! `<failure>`. One failure per testcase is what JUnit defines: Jenkins shows only the first
//! of several, and strict parsers reject them.

use envlint_diagnostics::{Applicability, Diagnostic, SourceDb};

use super::{Range, concise_line, details};
use crate::notices::Notice;

/// Notices are the testsuite's `<system-out>`.
pub(crate) fn render(db: &SourceDb, diagnostics: &[Diagnostic], notices: &[Notice]) -> String {
    let mut cases = String::new();
    let mut tests = 0;
    for (id, file) in db.iter() {
        let class = escape(&file.path.display().to_string());
        let findings: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.primary().span.file == id)
            .collect();
        if findings.is_empty() {
            cases.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"no findings\"/>\n"
            ));
        }
        for diagnostic in &findings {
            cases.push_str(&failing_case(db, &class, diagnostic));
        }
        tests += findings.len().max(1);
    }
    let counts = format!(
        "tests=\"{tests}\" failures=\"{}\" errors=\"0\" skipped=\"0\"",
        diagnostics.len()
    );
    let out = if notices.is_empty() {
        String::new()
    } else {
        let lines: Vec<String> = notices
            .iter()
            .map(|n| format!("note: {}", escape(&n.message)))
            .collect();
        format!("    <system-out>{}</system-out>\n", lines.join("\n"))
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"dbt-envlint\" {counts}>\n  \
         <testsuite name=\"dbt-envlint\" {counts}>\n{cases}{out}  </testsuite>\n</testsuites>\n"
    )
}

/// `<testcase name="CODE name at line:col"><failure …>path:line:col: …</failure></testcase>`.
fn failing_case(db: &SourceDb, class: &str, diagnostic: &Diagnostic) -> String {
    let start = Range::of(db, diagnostic.primary().span).start;
    let name = format!(
        "{} {} at {}:{}",
        diagnostic.code, diagnostic.name, start.line, start.column
    );
    let text = concise_line(db, diagnostic, Applicability::Safe) + &details(db, diagnostic);
    format!(
        "    <testcase classname=\"{class}\" name=\"{}\">\n      \
         <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
        escape(&name),
        diagnostic.severity,
        escape(&diagnostic.message),
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
