//! Printable easy-read booklets: every easy-read page as an A4 document and
//! as an A5 folded booklet, with a cover, page numbers and rows that never
//! split across pages (CSS paged media in the booklet stylesheets).

use crate::render::html::{page_context, render_template};
use crate::render::{OutputFile, PageRenderer, PageView, RenderContext};
use crate::urls::Format;

pub struct Booklet;

impl PageRenderer for Booklet {
    fn formats(&self) -> &'static [Format] {
        &[Format::Booklet, Format::BookletA5]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, crate::diagnostics::Diagnostic> {
        let page = page_context(ctx, view, format);
        let html = render_template(ctx, "booklet.html", &page)?;
        let file = ctx.site.page_file(view.id, view.lang, view.variant, format);
        Ok(vec![OutputFile::new(file, ctx.theme.finish_html(html))])
    }
}
