//! Braille downloads: a `.brf` file of every page (standard and easy read)
//! in every language, when the site switches braille on (`print: braille:
//! true` in site.yaml), translated by liblouis ([`crate::braille`]).
//!
//! Each file is cached beside the output like the PDFs, keyed by a hash of
//! the print document it is made from, the liblouis table and version and
//! the Signpost version, so a warm build runs liblouis for no page.

use crate::braille::{BrailleError, Louis, render_brf, table_for};
use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::{Doc, Site};
use crate::print::PrintDoc;
use crate::render::pdf::{Downloads, print_doc};
use crate::render::{OutputFile, PageRenderer, PageView, RenderContext};
use crate::urls::Format;

pub struct BrailleFiles;

impl PageRenderer for BrailleFiles {
    fn formats(&self) -> &'static [Format] {
        &[Format::Braille]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        // Without liblouis the site is built without braille, which
        // BRAILLE001 says.
        let Some(louis) = &ctx.louis else {
            return Ok(Vec::new());
        };
        let path = ctx.site.page_file(view.id, view.lang, view.variant, format);
        let doc = print_doc(ctx, view);
        let bytes = brf(&ctx.downloads, louis, &doc).map_err(|e| diagnostic(view.doc, &e))?;
        ctx.downloads.record(&path, bytes.len());
        Ok(vec![OutputFile::new(path, bytes)])
    }
}

/// The braille file of a print document, from the cache when nothing that
/// goes into it changed.
pub fn brf(downloads: &Downloads, louis: &Louis, doc: &PrintDoc) -> Result<Vec<u8>, BrailleError> {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0brf\0");
    h.update(louis.version().as_bytes());
    h.update(table_for(&doc.lang).unwrap_or("").as_bytes());
    h.update(format!("{doc:?}").as_bytes());
    let key = h.finalize().to_hex()[..32].to_string();
    let counters = (&downloads.braille_made, &downloads.braille_reused);
    downloads.cached(&key, "brf", counters, || {
        render_brf(doc, louis).map(String::into_bytes)
    })
}

fn diagnostic(doc: &Doc, e: &BrailleError) -> Diagnostic {
    Diagnostic::new(
        Code::BRAILLE002,
        format!("the braille file of this page could not be made: {e}"),
        "switch braille off in site.yaml (print: braille: false) until it is fixed",
    )
    .at(&doc.file, doc.body.body_offset)
}

/// liblouis for a build that makes braille: `None` when the site does not
/// make braille, or (said by BRAILLE001 at site.yaml's `braille:` line, a
/// warning: the site is built without braille) when liblouis is missing.
pub fn louis_for(site: &Site, diags: &Diagnostics) -> Option<Louis> {
    if !site.config.print.braille {
        return None;
    }
    match Louis::find() {
        Ok(louis) => Some(louis),
        Err(e) => {
            let text = std::fs::read_to_string(site.root.join("site.yaml")).unwrap_or_default();
            let offset = text.find("braille:").unwrap_or(0);
            let source = SourceText::new("site.yaml", text);
            diags.push_with_source(
                Diagnostic::new(
                    Code::BRAILLE001,
                    format!(
                        "this site makes braille files, but {e}; the site is built without braille"
                    ),
                    "install liblouis and build again, or switch braille off here (braille: false)",
                )
                .at(&source, offset),
                &source,
            );
            None
        }
    }
}
