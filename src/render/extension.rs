//! Extensions: parts of the build that add their own model, checks, pages
//! and renderers, in the spirit of mdBook's preprocessors. The service
//! directory and the search are extensions; the core layers (`model`,
//! `lint`, `render`) never name them and call them only through this trait.
//!
//! The build runs each extension's steps after the core step of the same
//! stage: [`build`](Extension::build) once the model is built,
//! [`check`](Extension::check) after the core checks, and its renderers
//! beside the core ones (see [`crate::EXTENSIONS`]).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::format::Format;
use crate::frontmatter::Date;
use crate::model::Site;
use crate::render::html::PageCtx;
use crate::render::{PageView, RenderContext, SiteRenderer};

/// One extension of the build. Every step has a default that does nothing.
pub trait Extension: Sync {
    /// Adds to the model once the pages are built and their links resolved
    /// (the directory reads its service entries).
    fn build(&self, _site: &mut Site, _diags: &Diagnostics) {}

    /// Checks, run after the core checks; `today` decides what is overdue.
    fn check(&self, _site: &Site, _today: Date, _diags: &Diagnostics) {}

    /// Renderers of the extension's own files, run with the site renderers.
    fn site_renderers(&self) -> Vec<Box<dyn SiteRenderer>> {
        Vec::new()
    }

    /// A page view's web page written by the extension instead of its usual
    /// template (a directory's home page, with its lists), or `None`.
    fn page_html(
        &self,
        _ctx: &RenderContext<'_>,
        _view: &PageView<'_>,
        _format: Format,
        _page: &PageCtx,
    ) -> Option<Result<String, Diagnostic>> {
        None
    }

    /// Text added at the end of a page view's text format.
    fn page_text(&self, _ctx: &RenderContext<'_>, _view: &PageView<'_>, _format: Format) -> String {
        String::new()
    }

    /// Full addresses added to the sitemap.
    fn sitemap(&self, _ctx: &RenderContext<'_>) -> Vec<String> {
        Vec::new()
    }

    /// Items added to the editors' content report (things due a review).
    fn review_items(&self, _site: &Site) -> Vec<ReviewItem> {
        Vec::new()
    }
}

/// Something an editor must review by a date, for the content report.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub owner: Option<String>,
    pub due: Date,
    pub title: String,
    /// Its output file (`services/x/index.html`).
    pub file: String,
    /// Its source file, as shown to editors.
    pub source: String,
}
