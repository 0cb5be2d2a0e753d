//! Printable easy-read booklets: every easy-read page as an A4 document and
//! as an A5 folded booklet, with a cover, page numbers and rows that never
//! split across pages (CSS paged media in the booklet stylesheets).

use crate::render::html::{page_context, render_template};
use crate::render::{OutputFile, PageRenderer, PageView, RenderContext};
use crate::source::Variant;
use crate::urls::Format;

pub struct Booklet;

impl PageRenderer for Booklet {
    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
    ) -> Result<Vec<OutputFile>, crate::diagnostics::Diagnostic> {
        if view.variant != Variant::EasyRead {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for format in [Format::Booklet, Format::BookletA5] {
            let page = page_context(ctx, view, format);
            let html = render_template(ctx, "booklet.html", &page)?;
            let file = ctx.site.page_file(view.id, view.lang, view.variant, format);
            out.push(OutputFile::new(file, ctx.theme.finish_html(html)));
        }
        Ok(out)
    }
}
