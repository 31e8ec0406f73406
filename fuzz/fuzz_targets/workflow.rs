//! Fuzzes the GitHub Actions and GitLab CI loaders, `if:` guards and `.env` reading.
#![no_main]

use envlint_diagnostics::{FileId, SourceDb, Span};
use envlint_parser::{ci, yaml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = ci::parse_guard(&text, Span::new(FileId(0), 0, 0));
    let _ = ci::read_dotenv(FileId(0), &text);
    let Ok(root) = yaml::parse(&text) else {
        return;
    };
    let mut db = SourceDb::new();
    let file = db.add(".github/workflows/ci.yml", text.as_ref());
    let _ = ci::read_github_workflow(&db, file, &root);
    let _ = ci::read_gitlab_ci(&db, file, &root);
});
