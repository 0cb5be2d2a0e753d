//! Print: a page too long to typeset as a PDF is said, not silently left
//! without its PDF.

use crate::codes::Code;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Doc;
use crate::print::MAX_WORDS;

/// PRINT002 when the site makes PDFs and the page has more words than a
/// PDF is typeset for.
pub fn check_doc(doc: &Doc, config: &SiteConfig, diags: &Diagnostics) {
    let makes_pdfs = config.print.large_print_pdf || config.print.booklet_pdf;
    if makes_pdfs && doc.body.words > MAX_WORDS {
        diags.push_with_source(
            Diagnostic::new(
                Code::PRINT002,
                format!(
                    "this page has {} words, too many to typeset as a PDF (at most {MAX_WORDS}); it is published without its PDFs",
                    doc.body.words
                ),
                "split the page into shorter pages, each under a heading that says what it covers; a PDF this long would run to hundreds of printed pages",
            )
            .at(&doc.file, doc.body.body_offset),
            &doc.file,
        );
    }
}
