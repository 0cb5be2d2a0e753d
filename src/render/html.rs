//! The HTML renderer: standard web pages and their large-print versions
//! (the same templates and content with the large-print stylesheet).

use serde::Serialize;

use crate::model::PageKind;
use crate::render::body::{self, BodyOptions};
use crate::render::context::{Chrome, LinkItem, page_chrome};
use crate::render::{LinkMap, OutputFile, PageRenderer, PageView, RenderContext};
use crate::source::Variant;
use crate::urls::Format;

/// Renders a page view as an HTML web page: the standard page and its
/// large-print version (the same templates with the large-print stylesheet).
pub struct HtmlPage;

#[derive(Debug, Serialize)]
pub struct TocItem {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ChildItem {
    pub title: String,
    pub href: String,
    pub summary: String,
    pub lang: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Fallback {
    pub notice: String,
    pub ask_text: String,
    pub ask_href: String,
    pub content_lang: String,
    pub content_dir: &'static str,
}

/// What a page template receives.
#[derive(Debug, Serialize)]
pub struct PageCtx {
    #[serde(flatten)]
    pub chrome: Chrome,
    /// `home`, `section`, `page`.
    pub kind: &'static str,
    pub variant: &'static str,
    pub title: String,
    pub summary: String,
    pub content: String,
    pub toc: Vec<TocItem>,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub review_by: Option<String>,
    pub owner: Option<String>,
    pub children: Vec<ChildItem>,
    pub children_count: String,
    pub fallback: Option<Fallback>,
    /// Language and direction of the content (differs from the page's
    /// language on a fallback).
    pub content_lang: String,
    pub content_dir: &'static str,
    /// Picture for a booklet cover (first picture of the page).
    pub cover_picture: Option<LinkItem>,
    pub standard_url: String,
}

impl PageRenderer for HtmlPage {
    fn formats(&self) -> &'static [Format] {
        &[Format::Html, Format::LargePrint]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, crate::diagnostics::Diagnostic> {
        let template = match (view.variant, ctx.site.pages[view.id].kind) {
            (Variant::EasyRead, _) => "easy-read.html",
            (_, PageKind::Home) => "home.html",
            (_, PageKind::Section) => "section.html",
            (_, PageKind::Regular) => "page.html",
        };
        let page = page_context(ctx, view, format);
        let file = ctx.site.page_file(view.id, view.lang, view.variant, format);
        // A directory's home page also lists its categories, areas and services.
        let html = match ctx
            .extensions
            .iter()
            .find_map(|e| e.page_html(ctx, view, format, &page))
        {
            Some(result) => result?,
            None => render_template(ctx, template, &page)?,
        };
        Ok(vec![OutputFile::new(file, ctx.theme.finish_html(html))])
    }
}

/// Renders a template with a serialisable context.
pub fn render_template<T: Serialize>(
    ctx: &RenderContext<'_>,
    template: &str,
    data: &T,
) -> Result<String, crate::diagnostics::Diagnostic> {
    let context = ctx.template_context(data)?;
    ctx.render_template(template, &context)
}

/// The whole context of a page view in a format.
pub fn page_context(ctx: &RenderContext<'_>, view: &PageView<'_>, format: Format) -> PageCtx {
    let site = ctx.site;
    let dl = site.default_lang();
    let strings = ctx.i18n.get(view.lang);
    let doc = view.doc;
    let page = &site.pages[view.id];
    let links = LinkMap {
        site,
        strings,
        lang: view.lang,
        variant: view.variant,
        format,
        absolute: false,
    };
    let content = body::to_html(
        doc,
        &view.events(),
        &links,
        BodyOptions {
            easy_read_rows: view.variant == Variant::EasyRead,
            rtl: site
                .config
                .language(&doc.lang)
                .is_some_and(|l| l.dir == crate::config::Direction::Rtl),
        },
    );
    let h2: Vec<TocItem> = doc
        .body
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| TocItem {
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();
    let toc = if h2.len() >= 3 && view.variant == Variant::Standard {
        h2
    } else {
        Vec::new()
    };

    let children: Vec<ChildItem> = page
        .children
        .iter()
        .filter_map(|c| {
            let (d, fb) = site.pages[*c].doc_for(Variant::Standard, view.lang, dl)?;
            Some(ChildItem {
                title: d.front.title.clone(),
                href: site.page_href(*c, view.lang, Variant::Standard, format.links_to()),
                summary: d.front.summary.clone(),
                lang: fb.then(|| dl.to_string()),
            })
        })
        .collect();
    let children_count = strings.plural("pages_count", children.len() as u64, &[]);

    let content_lang = doc.lang.clone();
    let content_dir = site
        .config
        .language(&content_lang)
        .map(|l| l.dir.as_str())
        .unwrap_or("ltr");
    let fallback = view.fallback.then(|| {
        let this = site
            .config
            .language(view.lang)
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let default = site.config.default_lang().name.clone();
        let ask_href = match &site.config.organisation.email {
            Some(email) => format!(
                "mailto:{email}?subject={}",
                encode_query(&format!("{} ({})", doc.front.title, view.lang))
            ),
            None => format!(
                "{}#feedback",
                crate::render::context::site_ctx(ctx, view.lang).statement_href
            ),
        };
        Fallback {
            notice: strings.fmt(
                "fallback_notice",
                &[("language", &this), ("default_language", &default)],
            ),
            ask_text: strings.get("fallback_ask"),
            ask_href,
            content_lang: content_lang.clone(),
            content_dir,
        }
    });

    let cover_picture = doc
        .targets
        .iter()
        .zip(&doc.body.links)
        .find(|(_, l)| l.image)
        .and_then(|(t, l)| {
            links.href(t).map(|href| LinkItem {
                label: if l.text.is_empty() {
                    match t {
                        crate::model::Target::Symbol(n) => links.symbol_alt(n),
                        _ => String::new(),
                    }
                } else {
                    l.text.clone()
                },
                href,
                current: false,
            })
        });

    PageCtx {
        chrome: page_chrome(ctx, view, format),
        kind: match page.kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Regular => "page",
        },
        variant: match view.variant {
            Variant::Standard => "standard",
            Variant::EasyRead => "easy_read",
        },
        title: doc.front.title.clone(),
        summary: doc.front.summary.clone(),
        content,
        toc,
        updated: doc.front.updated.map(|d| strings.date(d)),
        updated_iso: doc.front.updated.map(|d| d.to_string()),
        review_by: doc.front.review_by.map(|d| strings.date(d)),
        owner: doc.front.owner.clone(),
        children,
        children_count,
        fallback,
        content_lang,
        content_dir,
        cover_picture,
        standard_url: site.absolute(&site.page_file(
            view.id,
            view.lang,
            Variant::Standard,
            Format::PRIMARY,
        )),
    }
}

fn encode_query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
