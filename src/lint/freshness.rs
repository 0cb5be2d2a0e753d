//! Freshness: pages past their `review_by` date.

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter::{self, Date};
use crate::model::Site;

/// Warns about every document whose review date has passed.
pub fn check(site: &Site, today: Date, diags: &Diagnostics) {
    for page in &site.pages {
        for doc in page.docs.values() {
            if let Some(review) = doc.front.review_by
                && review < today
            {
                let offset = frontmatter::split(&doc.file, &doc.file.text)
                    .map(|s| frontmatter::key_offset(&s, "review_by"))
                    .unwrap_or(0);
                diags.push_with_source(
                    Diagnostic::new(
                        Code::FRESH001,
                        format!("this page was due for review on {review}"),
                        format!(
                            "check the page is still right, then set `updated` to today and `review_by` to a later date{}",
                            doc.front.owner.as_ref().map(|o| format!(" (owner: {o})")).unwrap_or_default()
                        ),
                    )
                    .at(&doc.file, offset),
                    &doc.file,
                );
            }
        }
    }
}
