//! Checks on the model, each rule a small unit with a stable code: what a
//! browser cannot know (alt text quality, heading order, link text, easy
//! read, freshness, translations).

pub mod a11y;
pub mod easy_read;
pub mod freshness;
pub mod print;
pub mod structure;
pub mod translations;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::frontmatter::Date;
use crate::model::{Doc, Site};
use crate::source::Variant;

/// The checks of one document, on their own: `run` calls them for every
/// page, `serve` for a page edited in place.
pub fn check_doc(doc: &Doc, config: &SiteConfig, diags: &Diagnostics) {
    a11y::check_doc(doc, diags);
    print::check_doc(doc, config, diags);
    match doc.variant {
        Variant::EasyRead => easy_read::check_doc(doc, &config.easy_read, diags),
        Variant::Standard => structure::check_doc(doc, &config.structure, diags),
    }
}

/// Runs every check. `today` decides what is overdue.
pub fn run(site: &Site, today: Date, diags: &Diagnostics) {
    for page in &site.pages {
        for doc in page.docs.values() {
            check_doc(doc, &site.config, diags);
        }
    }
    freshness::check(site, today, diags);
    translations::check(site, diags);
}
