//! What the message loop keeps between messages, and what every handler gets.

use crate::documents::Documents;
use crate::encoding::PositionEncoding;
use crate::lint::LintRequest;
use crate::worker::{LintQueue, Published};

pub(crate) struct State {
    pub(crate) encoding: PositionEncoding,
    pub(crate) documents: Documents,
    pub(crate) lints: LintQueue,
    /// The diagnostics last published, by file.
    pub(crate) published: Published,
}

impl State {
    /// Lints again with the buffers as they are now (on the worker; returns at once).
    /// `reread`: files on disk may have changed too.
    pub(crate) fn relint(&self, reread: bool) {
        self.lints.request(LintRequest {
            documents: self.documents.clone(),
            reread,
        });
    }
}
