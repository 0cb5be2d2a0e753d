//! Print-ready PDFs, typeset by typst used as a library.
//!
//! ```text
//! body events --events::blocks--> PrintDoc --markup--> typst source
//!   --PrintWorld (embedded fonts, pictures from memory)--> typst::compile
//!   --> PagedDocument --typst_pdf (PDF/UA-1)--> bytes
//! ```
//!
//! Kinds of PDF ([`PdfKind`]): large print (A4, UKAAF clear print: 18 pt
//! sans-serif, left aligned, bold for emphasis), the easy-read booklet on A4,
//! the easy-read booklet on A5 (padded with notes pages to a multiple of 4
//! pages), and the A5 booklet imposed for saddle stitching (A4 landscape
//! sheets, two A5 pages a side).
//!
//! Every PDF but the imposed one is PDF/UA-1: tagged, its language set
//! (and changed for a fallback block in another language), titled,
//! bookmarked from its headings, in source reading order, with alt text on
//! every picture and decorative pictures as artifacts. The imposed sheets put
//! page 8 beside page 1: their reading order cannot be the story's, so they
//! are an untagged print file beside the accessible A5 booklet.
//!
//! A PDF that cannot be made is a [`PrintError`] with the source offset of
//! the block that caused it; nothing here panics on user input.

/// The most words a page may have to be typeset as a PDF (PRINT002): a
/// 10 MB page would take minutes and run to thousands of pages.
pub const MAX_WORDS: usize = 50_000;

pub mod doc;
mod error;
pub mod events;
mod images;
mod kind;
pub mod markup;
pub mod world;

use std::sync::Arc;

use typst::diag::Severity;
use typst::foundations::Smart;
use typst::layout::{Abs, Point, Size};
use typst::model::Document;
use typst::syntax::DiagSpan;
use typst::{World, WorldExt};
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfStandard, PdfStandards};

pub use doc::{Block, BlockKind, Direction, Inline, Labels, Picture, PrintDoc};
pub use error::PrintError;
pub use events::{EventOptions, blocks};
pub use images::Images;
pub use kind::PdfKind;
pub use markup::MarkupOptions;
pub use world::FontSet;

/// Settings shared by every PDF of a site.
#[derive(Clone)]
pub struct PdfSettings {
    pub fonts: Arc<FontSet>,
    pub markup: MarkupOptions,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            fonts: FontSet::builtin(),
            markup: MarkupOptions::default(),
        }
    }
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// The three easy-read booklet files of a page.
#[derive(Debug, Clone)]
pub struct Booklets {
    pub a4: Pdf,
    pub a5: Pdf,
    pub imposed: Pdf,
}

/// Makes one PDF of a document.
pub fn render_pdf(
    doc: &PrintDoc,
    kind: PdfKind,
    images: &Images,
    settings: &PdfSettings,
) -> Result<Pdf, PrintError> {
    let layout_kind = if kind == PdfKind::Imposed {
        PdfKind::BookletA5
    } else {
        kind
    };
    let paged = typeset(doc, layout_kind, images, settings)?;
    if kind == PdfKind::Imposed {
        let sheets = impose(&paged, doc.dir);
        export(&sheets, false)
    } else {
        export(&paged, true)
    }
}

/// Makes the A4 booklet, the A5 booklet and its imposed sheets, laying the
/// A5 pages out once for both A5 files.
pub fn render_booklets(
    doc: &PrintDoc,
    images: &Images,
    settings: &PdfSettings,
) -> Result<Booklets, PrintError> {
    let a4 = export(&typeset(doc, PdfKind::BookletA4, images, settings)?, true)?;
    let a5_pages = typeset(doc, PdfKind::BookletA5, images, settings)?;
    let a5 = export(&a5_pages, true)?;
    let imposed = export(&impose(&a5_pages, doc.dir), false)?;
    Ok(Booklets { a4, a5, imposed })
}

/// Lays a document out with typst.
fn typeset(
    doc: &PrintDoc,
    kind: PdfKind,
    images: &Images,
    settings: &PdfSettings,
) -> Result<PagedDocument, PrintError> {
    let markup = markup::markup(doc, kind, images, &settings.markup)?;
    let mut files = Vec::with_capacity(markup.files.len());
    for (path, src) in &markup.files {
        if let Some(bytes) = images.get(src) {
            files.push((path.clone(), bytes.clone()));
        }
    }
    let Some(world) = world::PrintWorld::new(markup.source.clone(), files, &settings.fonts) else {
        return Err(PrintError::Typeset {
            message: "an internal file path was refused by typst".into(),
            hints: Vec::new(),
            offset: None,
        });
    };
    // typst recurses as deep as the document nests; a worker thread's
    // default stack (2 MB) is not always enough, so it lays out on a
    // stack of its own.
    let result = on_big_stack(|| typst::compile::<PagedDocument>(&world).output);
    // Keep typst's memo cache from growing over a build of many PDFs.
    typst::comemo::evict(30);
    result.map_err(|diags| {
        let first = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .or_else(|| diags.first());
        match first {
            Some(d) => PrintError::Typeset {
                message: d.message.to_string(),
                hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
                offset: source_offset(&world, &markup, d.span),
            },
            None => PrintError::Typeset {
                message: "typst stopped without saying why".into(),
                hints: Vec::new(),
                offset: None,
            },
        }
    })
}

fn source_offset(
    world: &world::PrintWorld,
    markup: &markup::Markup,
    span: DiagSpan,
) -> Option<usize> {
    if span.id() != Some(world.main()) {
        return None;
    }
    let range = world.range(span)?;
    markup.offset_at(range.start)
}

/// Writes a laid-out document as PDF: PDF/UA-1 when `accessible`.
fn export(paged: &PagedDocument, accessible: bool) -> Result<Pdf, PrintError> {
    let standards = if accessible {
        PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| PrintError::Typeset {
            message: e.message().to_string(),
            hints: Vec::new(),
            offset: None,
        })?
    } else {
        PdfStandards::default()
    };
    let options = typst_pdf::PdfOptions {
        // Same document, same bytes: no random identifier, no clock.
        ident: Smart::Custom(
            paged
                .info()
                .title
                .as_deref()
                .unwrap_or("signpost")
                .to_string(),
        ),
        creator: Smart::Custom(Some("Signpost".into())),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: accessible,
        pretty: false,
    };
    let bytes =
        on_big_stack(|| typst_pdf::pdf(paged, &options)).map_err(|diags| PrintError::Typeset {
            message: diags
                .first()
                .map(|d| d.message.to_string())
                .unwrap_or_else(|| "PDF export failed".into()),
            hints: diags
                .first()
                .map(|d| d.hints.iter().map(|h| h.v.to_string()).collect())
                .unwrap_or_default(),
            offset: None,
        })?;
    Ok(Pdf {
        bytes,
        pages: paged.pages().len(),
    })
}

/// Saddle-stitch order: for each sheet, its front (outer) and back
/// (inner) sides, each as (left page, right page), 1-based. `pages` is a
/// multiple of 4. A right-to-left booklet is bound on the right, so each
/// side is mirrored.
pub fn saddle_order(pages: usize, dir: Direction) -> Vec<(usize, usize)> {
    let mut sides = Vec::with_capacity(pages / 2);
    for s in 0..pages / 4 {
        let front = (pages - 2 * s, 2 * s + 1);
        let back = (2 * s + 2, pages - 2 * s - 1);
        for (l, r) in [front, back] {
            sides.push(match dir {
                Direction::Ltr => (l, r),
                Direction::Rtl => (r, l),
            });
        }
    }
    sides
}

/// Runs `f` on a 64 MB stack (mapped, so only the pages it touches are
/// used).
fn on_big_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::grow(64 * 1024 * 1024, f)
}

/// Places the A5 pages two to an A4 landscape side in saddle-stitch order.
fn impose(a5: &PagedDocument, dir: Direction) -> PagedDocument {
    let pages = a5.pages();
    let page_size = pages
        .first()
        .map(|p| p.frame.size())
        .unwrap_or(Size::new(Abs::mm(148.0), Abs::mm(210.0)));
    // A4 landscape (297 by 210 mm): two A5 pages (148 mm wide each) meet
    // at the fold in the middle, with the spare millimetre at the edges.
    let sheet = Size::new(
        (page_size.x * 2.0).max(Abs::mm(297.0)),
        page_size.y.max(Abs::mm(210.0)),
    );
    let margin = Point::new(
        (sheet.x - page_size.x * 2.0) / 2.0,
        (sheet.y - page_size.y) / 2.0,
    );
    // An A5 booklet is padded to a multiple of 4; any other count gets
    // blank pages at the end here (it cannot happen with our markup).
    let count = pages.len().div_ceil(4) * 4;
    let mut sides = typst::ecow::EcoVec::new();
    for (n, (left, right)) in saddle_order(count, dir).into_iter().enumerate() {
        let mut frame = typst::layout::Frame::hard(sheet);
        for (i, number) in [left, right].into_iter().enumerate() {
            if let Some(page) = pages.get(number - 1) {
                let x = if i == 0 { Abs::zero() } else { page_size.x };
                frame.push_frame(Point::new(margin.x + x, margin.y), page.frame.clone());
            }
        }
        let template = pages.first();
        sides.push(Page {
            frame,
            bleed: template.map(|p| p.bleed).unwrap_or_default(),
            fill: Smart::Auto,
            numbering: None,
            supplement: template.map(|p| p.supplement.clone()).unwrap_or_default(),
            number: n as u64 + 1,
        });
    }
    PagedDocument::new(sides, a5.info().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saddle_order_of_eight_pages() {
        assert_eq!(
            saddle_order(8, Direction::Ltr),
            vec![(8, 1), (2, 7), (6, 3), (4, 5)]
        );
        assert_eq!(saddle_order(4, Direction::Rtl), vec![(1, 4), (3, 2)]);
        // Every page appears once.
        let mut all: Vec<usize> = saddle_order(12, Direction::Ltr)
            .into_iter()
            .flat_map(|(a, b)| [a, b])
            .collect();
        all.sort();
        assert_eq!(all, (1..=12).collect::<Vec<_>>());
    }
}
