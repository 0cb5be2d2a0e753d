//! Printable easy-read booklets: every easy-read page as an A4 document and
//! as an A5 folded booklet, with a cover, page numbers and rows that never
//! split across pages (CSS paged media in the booklet stylesheets).

use crate::render::html::{page_context, render_template};
use crate::render::{OutputFile, PageRenderer, PageView, RenderContext};
use crate::urls::Format;

pub struct Booklet;

/// A page's context, and the booklet's printing instructions.
#[derive(serde::Serialize)]
struct BookletCtx {
    #[serde(flatten)]
    page: crate::render::html::PageCtx,
    print_how: Option<String>,
}

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
        let strings = ctx.i18n.get(view.lang);
        // The folded booklet's page says how to print the file made for
        // folding, when the site makes it.
        let imposed = Format::BookletImposedPdf;
        let print_how =
            (format == Format::BookletA5 && imposed.enabled(&ctx.site.config)).then(|| {
                strings.fmt(
                    "booklet.print_how",
                    &[("file", &strings.get(imposed.row().label))],
                )
            });
        let page = BookletCtx {
            page: page_context(ctx, view, format),
            print_how,
        };
        let html = render_template(ctx, "booklet.html", &page)?;
        let file = ctx.site.page_file(view.id, view.lang, view.variant, format);
        Ok(vec![OutputFile::new(file, ctx.theme.finish_html(html))])
    }
}
