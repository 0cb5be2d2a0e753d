//! What stops an import of a directory feed, said so an editor can act on it.

/// A problem that stops the import: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub message: String,
    pub help: String,
}

impl Problem {
    pub fn new(at: impl Into<String>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            at: at.into(),
            message: message.into(),
            help: help.into(),
        }
    }
}
