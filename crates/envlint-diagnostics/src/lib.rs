//! The diagnostic model shared by every dbt-envlint crate: sources, spans, line index, findings
//! and their fixes.

mod diagnostic;
mod fix;
mod line_index;
pub mod lines;
mod printable;
mod render;
mod secrets;
mod snippet_source;
mod source;

pub use diagnostic::{Diagnostic, Label, LabelKind, Severity};
pub use fix::{Applicability, Edit, Fix, apply_edits, non_overlapping};
pub use line_index::{LineIndex, Position};
pub use printable::{escape_line, mask_controls};
pub use render::{HumanRenderer, HumanStyle, render_human};
pub use secrets::looks_secret;
pub use source::{FileId, SourceDb, SourceFile, Span};
