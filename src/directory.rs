//! The service directory (SPEC section 5). Not built yet: a site's service
//! entries are found by `source` and kept in the model, and the renderers
//! below are where directory pages and `services.json` will come from.

use crate::diagnostics::Diagnostic;
use crate::render::{OutputFile, RenderContext};

/// A directory renderer.
pub trait DirectoryRenderer {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>, Diagnostic>;
}

/// The directory's renderers.
pub fn renderers() -> Vec<Box<dyn DirectoryRenderer>> {
    Vec::new()
}

/// Extra sitemap addresses of directory pages.
pub fn sitemap_entries(_ctx: &RenderContext<'_>) -> Vec<String> {
    Vec::new()
}

impl crate::model::Site {
    /// Output folder of a service entry's page, by its content path.
    pub fn service_path(&self, _rel: &str) -> Option<String> {
        None
    }
}
