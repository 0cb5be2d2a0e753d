//! The template context every HTML page shares: site, language, strings,
//! breadcrumbs, the list of other formats and languages, alternates and
//! stylesheets. Templates compute nothing the model can hold.

use serde::Serialize;

/// The Content-Security-Policy of every page: nothing inline, nothing from
/// another origin.
pub const CSP: &str = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self' mailto:";

use crate::model::{PageId, PageKind};
use crate::render::{PageView, RenderContext};
use crate::source::Variant;
use crate::urls::Format;

#[derive(Debug, Serialize)]
pub struct LinkItem {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct LangItem {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct SiteCtx {
    /// The site's title in the page's language (see `SiteConfig::title_in`).
    pub title: String,
    /// The language of `title` when it is the default language's title
    /// shown on a page in another language.
    pub title_lang: Option<String>,
    pub base_path: String,
    pub organisation: crate::config::Organisation,
    pub home_href: String,
    pub statement_href: String,
}

/// The parts of the page around the content.
#[derive(Debug, Serialize)]
pub struct Chrome {
    pub site: SiteCtx,
    pub lang: String,
    pub dir: &'static str,
    pub language_name: String,
    /// `standard`, `large_print`, `booklet`, `booklet_a5`.
    pub format: &'static str,
    pub format_label: String,
    pub you_are_reading: String,
    pub stylesheets: Vec<String>,
    pub canonical: String,
    pub alternates: Vec<Alternate>,
    pub formats: Vec<LinkItem>,
    pub languages: Vec<LangItem>,
    pub breadcrumbs: Vec<LinkItem>,
    pub live_reload: Option<String>,
    pub footer_address: Option<String>,
    /// Content-Security-Policy for the meta tag.
    pub csp: &'static str,
    /// Keep the page out of search engines (reports, redirects, 404).
    pub noindex: bool,
    /// Where a redirect page sends the reader.
    pub redirect_to: Option<String>,
}

/// The language switcher: every language of the site, `lang` the one being
/// read, each linking to `href(code)`.
pub fn language_switcher(
    ctx: &RenderContext<'_>,
    lang: &str,
    href: impl Fn(&str) -> String,
) -> Vec<LangItem> {
    ctx.site
        .config
        .languages
        .iter()
        .map(|l| LangItem {
            code: l.code.clone(),
            name: l.name.clone(),
            dir: l.dir.as_str(),
            href: href(&l.code),
            current: l.code == lang,
        })
        .collect()
}

/// Stylesheets of a format.
pub fn stylesheets(ctx: &RenderContext<'_>, format: Format) -> Vec<String> {
    let base = ctx.site.config.base_path();
    format
        .row()
        .stylesheets
        .iter()
        .filter(|n| ctx.theme.styles.contains_key(**n))
        .map(|n| ctx.theme.style_href(&base, n))
        .collect()
}

/// Site-level context, in a language.
pub fn site_ctx(ctx: &RenderContext<'_>, lang: &str) -> SiteCtx {
    let site = ctx.site;
    let prefix = site.lang_dir(lang);
    let base = site.config.base_path();
    SiteCtx {
        title: site.config.title_in(lang).to_string(),
        title_lang: (lang != site.default_lang()
            && site.config.title_in(lang) == site.config.title)
            .then(|| site.default_lang().to_string()),
        base_path: base.clone(),
        organisation: site.config.organisation.clone(),
        home_href: format!("{base}{prefix}"),
        statement_href: format!("{base}{prefix}accessibility-statement/"),
    }
}

/// Chrome for a page view in a format.
pub fn page_chrome(ctx: &RenderContext<'_>, view: &PageView<'_>, format: Format) -> Chrome {
    let site = ctx.site;
    let strings = ctx.i18n.get(view.lang);
    let dl = site.default_lang();
    let page = &site.pages[view.id];
    let here = site.page_file(view.id, view.lang, view.variant, format);

    // Other formats of this page, in this language: the primary format
    // once per variant the page has (standard, easy read), then every other
    // format of the variant being read.
    let mut formats = Vec::new();
    let mut add = |label_key: &str, variant: Variant, f: Format| {
        let file = site.page_file(view.id, view.lang, variant, f);
        let mut label = strings.get(label_key);
        if f.row().media == crate::format::Media::Download {
            // Written before the view's pages (see PAGE_RENDERERS); a
            // download that was not made (too long a page) is not listed.
            let Some(size) = ctx.downloads.size(&file) else {
                return;
            };
            label = format!(
                "{label} ({})",
                crate::render::pdf::type_and_size(&f.file_type(), size)
            );
        }
        formats.push(LinkItem {
            label,
            current: file == here,
            href: crate::urls::href_of_file(&site.config.base_path(), &file),
        });
    };
    for row in crate::format::FORMATS {
        if row.format == Format::PRIMARY {
            add(row.label, Variant::Standard, row.format);
            if page.has_variant(Variant::EasyRead, dl) {
                add("format.easy_read", Variant::EasyRead, row.format);
            }
        } else if row.format.serves(view.variant) && row.format.enabled(&site.config) {
            add(row.label, view.variant, row.format);
        }
    }

    let languages = language_switcher(ctx, view.lang, |code| {
        site.page_href(view.id, code, view.variant, format)
    });

    let alternates = alternates(ctx, view.id, view.variant, format);
    let canonical_lang = if view.fallback { dl } else { view.lang };
    let canonical =
        site.absolute(&site.page_file(view.id, canonical_lang, view.variant, Format::PRIMARY));

    let mut breadcrumbs = Vec::new();
    for a in site.ancestors(view.id) {
        breadcrumbs.push(crumb(ctx, a, view.lang, format));
    }
    if view.variant == Variant::EasyRead || format != Format::PRIMARY {
        // The standard page is a step up from its other formats.
        if page.kind != PageKind::Home || view.variant == Variant::EasyRead {
            breadcrumbs.push(crumb(ctx, view.id, view.lang, Format::PRIMARY));
        }
    }

    chrome(
        ctx,
        view.lang,
        format,
        canonical,
        alternates,
        formats,
        languages,
        breadcrumbs,
    )
}

fn crumb(ctx: &RenderContext<'_>, page: PageId, lang: &str, format: Format) -> LinkItem {
    let site = ctx.site;
    let dl = site.default_lang();
    let p = &site.pages[page];
    let title = if p.kind == PageKind::Home {
        ctx.i18n.get(lang).get("home")
    } else {
        p.doc_for(Variant::Standard, lang, dl)
            .map(|(d, _)| d.front.title.clone())
            .unwrap_or_default()
    };
    LinkItem {
        label: title,
        href: site.page_href(page, lang, Variant::Standard, format.links_to()),
        current: false,
    }
}

/// Alternates for the head: the languages this page is really translated
/// into, plus `x-default`.
pub fn alternates(
    ctx: &RenderContext<'_>,
    page: PageId,
    variant: Variant,
    format: Format,
) -> Vec<Alternate> {
    let site = ctx.site;
    let dl = site.default_lang();
    let p = &site.pages[page];
    let mut out = Vec::new();
    for l in &site.config.languages {
        if p.docs.contains_key(&(variant, l.code.clone())) {
            out.push(Alternate {
                hreflang: l.code.clone(),
                href: site.absolute(&site.page_file(page, &l.code, variant, format)),
            });
        }
    }
    out.push(Alternate {
        hreflang: "x-default".into(),
        href: site.absolute(&site.page_file(page, dl, variant, format)),
    });
    out
}

/// Chrome from its parts (also used by generated pages).
#[allow(clippy::too_many_arguments)]
pub fn chrome(
    ctx: &RenderContext<'_>,
    lang: &str,
    format: Format,
    canonical: String,
    alternates: Vec<Alternate>,
    formats: Vec<LinkItem>,
    languages: Vec<LangItem>,
    breadcrumbs: Vec<LinkItem>,
) -> Chrome {
    let site = ctx.site;
    let strings = ctx.i18n.get(lang);
    let language = site.config.language(lang);
    let format_label = strings.get(&format!("format.{}", format.key()));
    Chrome {
        site: site_ctx(ctx, lang),
        lang: lang.to_string(),
        dir: language.map(|l| l.dir.as_str()).unwrap_or("ltr"),
        language_name: language.map(|l| l.name.clone()).unwrap_or_default(),
        format: format.key(),
        you_are_reading: strings.fmt("you_are_reading", &[("format", &format_label)]),
        format_label,
        stylesheets: stylesheets(ctx, format),
        canonical,
        alternates,
        formats,
        languages,
        breadcrumbs,
        live_reload: ctx.live_reload.clone(),
        footer_address: site.config.organisation.address.clone(),
        csp: CSP,
        noindex: false,
        redirect_to: None,
    }
}
