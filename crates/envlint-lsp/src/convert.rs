//! Our findings as LSP diagnostics: primary label as the range, related labels as
//! `relatedInformation`, the rule page as `codeDescription`, the code actions in `data`.

use envlint_diagnostics::{Diagnostic, FileId, LabelKind, Severity, SourceDb};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Uri,
};

use crate::encoding::PositionEncoding;

/// The `source` every diagnostic carries.
pub(crate) const SOURCE: &str = "dbt-envlint";

/// Converts one finding; `uri_of` names each file (related labels in a file without a URI
/// are left out). Messages are masked: a secret any file holds never reaches the editor.
pub(crate) fn diagnostic(
    finding: &Diagnostic,
    db: &SourceDb,
    encoding: PositionEncoding,
    uri_of: &dyn Fn(FileId) -> Option<Uri>,
) -> lsp_types::Diagnostic {
    let primary = finding.primary();
    let related: Vec<DiagnosticRelatedInformation> = finding
        .labels()
        .iter()
        .filter(|label| label.kind == LabelKind::Related)
        .filter_map(|label| {
            let uri = uri_of(label.span.file)?;
            let range = encoding.range(db.get(label.span.file), label.span.range());
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, range),
                message: db.mask_known(&label.message),
            })
        })
        .collect();
    let message = match &finding.help {
        Some(help) => format!("{}: {}\nhelp: {help}", finding.message, primary.message),
        None => format!("{}: {}", finding.message, primary.message),
    };
    let message = db.mask_known(&message);
    let href = finding
        .url
        .clone()
        .or_else(|| envlint_rules::registry::find(finding.code).map(|meta| meta.url()))
        .and_then(|url| url.parse::<Uri>().ok());
    let actions = crate::actions::actions(finding, db, encoding, uri_of);
    lsp_types::Diagnostic {
        range: encoding.range(db.get(primary.span.file), primary.span.range()),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.to_owned())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: (!actions.is_empty())
            .then(|| serde_json::to_value(actions).ok())
            .flatten(),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
