//! Checks on the model, each rule a small unit with a stable code: what a
//! browser cannot know (alt text quality, heading order, link text, easy
//! read, freshness, translations).

pub mod a11y;
pub mod easy_read;
pub mod freshness;
pub mod structure;
pub mod translations;

use crate::diagnostics::Diagnostics;
use crate::frontmatter::Date;
use crate::model::Site;

/// Runs every check. `today` decides what is overdue.
pub fn run(site: &Site, today: Date, diags: &Diagnostics) {
    a11y::check(site, diags);
    easy_read::check(site, diags);
    freshness::check(site, today, diags);
    structure::check(site, diags);
    crate::directory::lint(site, today, diags);
    translations::check(site, diags);
}
