//! The pictures a PDF shows, handed to typst by their source path.

use std::collections::BTreeMap;

use typst::foundations::Bytes;

/// Pictures a document shows, by their source as written in the markdown.
#[derive(Debug, Clone, Default)]
pub struct Images {
    map: BTreeMap<String, Bytes>,
}

impl Images {
    pub fn new() -> Images {
        Images::default()
    }

    pub fn insert(
        &mut self,
        src: impl Into<String>,
        bytes: impl AsRef<[u8]> + Send + Sync + 'static,
    ) {
        self.map.insert(src.into(), Bytes::new(bytes));
    }

    pub fn get(&self, src: &str) -> Option<&Bytes> {
        self.map.get(src)
    }
}
