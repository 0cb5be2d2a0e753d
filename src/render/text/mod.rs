//! Plain text: `index.txt` beside every page's `index.html`.
//!
//! UTF-8, wrapped at 72 columns (long addresses may run over), the title
//! underlined, headings numbered and underlined, lists kept, tables read row
//! by row with their header names, pictures as `[Picture: alt text]`, and
//! links as numbered references listed at the end of each section with full
//! addresses. Readable in any text viewer and fit for a braille transcriber.

mod body;
mod lines;
mod table;

use crate::render::{LinkMap, OutputFile, PageRenderer, PageView, RenderContext};
use crate::urls::Format;

pub use body::render_body;
pub use lines::{WIDTH, text_heading, text_title, wrap};

pub struct PlainText;

impl PageRenderer for PlainText {
    fn formats(&self) -> &'static [Format] {
        &[Format::PlainText]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, crate::diagnostics::Diagnostic> {
        let site = ctx.site;
        let strings = ctx.i18n.get(view.lang);
        let links = LinkMap {
            site,
            strings,
            lang: view.lang,
            variant: view.variant,
            format,
            absolute: format.absolute_links(),
        };
        let doc = view.doc;
        let mut out = String::new();
        text_title(&mut out, &doc.front.title);
        let address =
            site.absolute(&site.page_file(view.id, view.lang, view.variant, Format::PRIMARY));
        out.push_str(&wrap(
            &strings.fmt("page_address", &[("url", &address)]),
            "",
            "",
        ));
        if let Some(d) = doc.front.updated {
            out.push_str(&wrap(
                &strings.fmt("last_updated", &[("date", &strings.date(d))]),
                "",
                "",
            ));
        }
        if view.fallback {
            let this = site
                .config
                .language(view.lang)
                .map(|l| l.name.clone())
                .unwrap_or_default();
            let default = site.config.default_lang().name.clone();
            out.push('\n');
            out.push_str(&wrap(
                &strings.fmt(
                    "fallback_notice",
                    &[("language", &this), ("default_language", &default)],
                ),
                "",
                "",
            ));
        }
        out.push('\n');
        out.push_str(&wrap(&doc.front.summary, "", ""));
        out.push('\n');
        out.push_str(&render_body(doc, &view.events(), &links));
        for e in ctx.extensions {
            out.push_str(&e.page_text(ctx, view, format));
        }
        let file = site.page_file(view.id, view.lang, view.variant, format);
        Ok(vec![OutputFile::new(file, out.into_bytes())])
    }
}
