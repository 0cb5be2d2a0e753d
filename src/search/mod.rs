//! Static search that works on any static host, in every language.
//!
//! At build time [`index`] collects every page, easy-read page and service
//! of each language and writes a compact, sharded word index
//! (`search/index.LANG.json` and `search/LANG/`). The search page
//! (`/search/`, `/LANG/search/`) is a real form: `search.js`, served from
//! the site itself and loaded on that page only, answers it from the index.
//! Without JavaScript the same page lists every page and service from A to
//! Z, so nobody is left without a way in; `/a-to-z/` has that list alone.
//!
//! Why not the `pagefind` crate: its browser side compiles WebAssembly,
//! which the site's Content-Security-Policy (`script-src 'self'`, no
//! `'wasm-unsafe-eval'`) rightly blocks; as a library it brings an async
//! runtime and an HTML re-parser we do not need (it indexes rendered pages,
//! while we already hold the model); and its UI is not ours to make
//! accessible. The index here is a few hundred lines, readable, and tested
//! in a real browser (tests/browser/search.mjs).

pub mod index;
pub mod tokens;

use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostics::Diagnostic;
use crate::render::context::{Alternate, Chrome, LinkItem, chrome};
use crate::render::html::render_template;
use crate::render::{OutputFile, RenderContext, SiteRenderer};
use crate::source::Variant;
use crate::urls::{self, Format};

use index::{Entry, Kind};

/// The search pages, A to Z pages and index files of every language.
pub struct Search;

/// The search as an extension of the build: the index, the search page and
/// the A to Z.
pub struct SearchIndex;

impl crate::render::extension::Extension for SearchIndex {
    fn site_renderers(&self) -> Vec<Box<dyn SiteRenderer>> {
        vec![Box::new(Search)]
    }
}

impl SiteRenderer for Search {
    fn deferred_in_serve(&self) -> bool {
        true
    }

    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut out = Vec::new();
        for lang in &ctx.site.config.languages {
            let (entries, postings) = index::entries(ctx, &lang.code);
            out.extend(index::index_files(&lang.code, &entries, &postings));
            drop(postings);
            let mut letters = a_to_z(ctx, &lang.code, &entries);
            // A large site's A to Z is a page per letter, so that no page
            // grows heavy on a slow connection; a small site's is one list.
            let split = entries.len() > SPLIT_A_TO_Z;
            let base = ctx.site.config.base_path();
            for l in &mut letters {
                l.href = if split {
                    urls::href_of_file(
                        &base,
                        &ctx.site
                            .lang_file(&lang.code, &format!("a-to-z/{}/", l.slug)),
                    )
                } else {
                    format!("#{}", l.id)
                };
            }
            let all: Vec<&Letter> = if split {
                Vec::new()
            } else {
                letters.iter().collect()
            };
            out.push(page(
                ctx,
                &lang.code,
                PageKind::Search,
                Format::Html,
                &letters,
                &all,
            )?);
            // The A to Z is a page a resident reads, so it comes in every
            // format a generated page has: standard, large print (its links
            // lead to large print) and plain text.
            for format in crate::format::generated_formats(true) {
                let letters = in_format(ctx, &letters, format);
                let all: Vec<&Letter> = if split {
                    Vec::new()
                } else {
                    letters.iter().collect()
                };
                out.push(a_to_z_file(
                    ctx,
                    &lang.code,
                    PageKind::AToZ,
                    format,
                    &letters,
                    &all,
                )?);
                if split {
                    for (i, l) in letters.iter().enumerate() {
                        out.push(a_to_z_file(
                            ctx,
                            &lang.code,
                            PageKind::Letter(i),
                            format,
                            &letters,
                            &[l],
                        )?);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Above this many entries, the A to Z has a page per letter.
pub const SPLIT_A_TO_Z: usize = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageKind {
    Search,
    AToZ,
    /// One letter of a large A to Z (index into the letters).
    Letter(usize),
}

impl PageKind {
    fn folder(self, letters: &[Letter]) -> String {
        match self {
            PageKind::Search => "search/".into(),
            PageKind::AToZ => "a-to-z/".into(),
            PageKind::Letter(i) => format!(
                "a-to-z/{}/",
                letters.get(i).map(|l| l.slug.as_str()).unwrap_or("_")
            ),
        }
    }
}

/// One entry of the A to Z.
#[derive(Debug, Clone, Serialize)]
pub struct AzEntry {
    pub title: String,
    pub href: String,
    /// "Easy read" or "Service"; none for a page.
    pub kind: Option<String>,
    /// Language of the title where it differs from the page's.
    pub lang: Option<String>,
}

/// The entries under one letter.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    pub id: String,
    pub label: String,
    /// Its folder on a large site (`a`, or hex for other scripts).
    pub slug: String,
    /// Where the letter links go: `#id`, or the letter's own page.
    pub href: String,
    pub entries: Vec<AzEntry>,
}

/// Every entry, grouped by the first letter of its (folded) title.
fn a_to_z(ctx: &RenderContext<'_>, lang: &str, entries: &[Entry]) -> Vec<Letter> {
    let strings = ctx.i18n.get(lang);
    let mut sorted: Vec<(String, &Entry)> = entries
        .iter()
        .map(|e| (tokens::fold(e.title.trim()), e))
        .collect();
    sorted.sort_by(|a, b| {
        (&a.0, a.1.kind.code(), &a.1.title).cmp(&(&b.0, b.1.kind.code(), &b.1.title))
    });
    let mut letters: Vec<Letter> = Vec::new();
    for (folded, e) in sorted {
        let first = folded
            .chars()
            .find(|c| tokens::is_word_char(*c))
            .unwrap_or('#');
        let label: String = first.to_uppercase().collect();
        let id = format!(
            "az-{}",
            label
                .bytes()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        if letters.last().is_none_or(|l| l.id != id) {
            let slug = if first.is_ascii_alphanumeric() {
                first.to_ascii_lowercase().to_string()
            } else {
                first
                    .to_string()
                    .bytes()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            };
            letters.push(Letter {
                id,
                label,
                slug,
                href: String::new(),
                entries: Vec::new(),
            });
        }
        let kind = match e.kind {
            Kind::Page => None,
            Kind::EasyRead => Some(strings.get("format.easy_read")),
            Kind::Service => Some(strings.get("search.service")),
        };
        if let Some(l) = letters.last_mut() {
            l.entries.push(AzEntry {
                title: e.title.clone(),
                href: e.href.clone(),
                kind,
                lang: (e.lang != lang).then(|| e.lang.clone()),
            });
        }
    }
    letters
}

/// The letters as a page in `format` links them: a large-print A to Z
/// leads to large-print pages and letters; the plain text to the web pages,
/// written in full.
fn in_format(ctx: &RenderContext<'_>, letters: &[Letter], format: Format) -> Vec<Letter> {
    let base = ctx.site.config.base_path();
    let origin = ctx.site.config.absolute_base();
    let target = format.links_to();
    // The format's folder inside a page's (`large-print/`); addresses are
    // already encoded, so it is added as it is.
    let inside = urls::href_of_file("", &urls::file_in("", target));
    let href = |href: &str| -> String {
        let href = if href.ends_with('/') && target != Format::PRIMARY {
            format!("{href}{inside}")
        } else {
            href.to_string()
        };
        match href.strip_prefix(base.as_str()) {
            Some(rest) if format.absolute_links() => format!("{origin}{rest}"),
            _ => href,
        }
    };
    letters
        .iter()
        .map(|l| Letter {
            href: if l.href.starts_with('#') {
                l.href.clone()
            } else {
                href(&l.href)
            },
            entries: l
                .entries
                .iter()
                .map(|e| AzEntry {
                    href: href(&e.href),
                    ..e.clone()
                })
                .collect(),
            ..l.clone()
        })
        .collect()
}

/// One A to Z page (the whole list, or one letter of a large site's) in
/// `format`.
fn a_to_z_file(
    ctx: &RenderContext<'_>,
    lang: &str,
    kind: PageKind,
    format: Format,
    letters: &[Letter],
    shown: &[&Letter],
) -> Result<OutputFile, Diagnostic> {
    if format.row().media != crate::format::Media::Text {
        return page(ctx, lang, kind, format, letters, shown);
    }
    use crate::render::text::{text_heading, text_title, wrap};
    let site = ctx.site;
    let strings = ctx.i18n.get(lang);
    let folder = kind.folder(letters);
    let (title, summary) = titles(ctx, lang, kind, letters);
    let mut out = String::new();
    text_title(&mut out, &title);
    let address = site.absolute(&site.lang_file(lang, &urls::file_in(&folder, Format::PRIMARY)));
    out.push_str(&wrap(
        &strings.fmt("page_address", &[("url", &address)]),
        "",
        "",
    ));
    out.push('\n');
    out.push_str(&wrap(&summary, "", ""));
    let n = std::cell::Cell::new(0);
    if shown.is_empty() {
        // A large site's A to Z: the letters, each with its own page.
        out.push('\n');
        for l in letters {
            out.push_str(&wrap(&l.label, "- ", "  "));
            out.push_str(&format!("  {}\n", l.href));
        }
    }
    for l in shown {
        text_heading(&mut out, &n, &l.label);
        for e in &l.entries {
            let line = match &e.kind {
                Some(k) => format!("{} ({k})", e.title),
                None => e.title.clone(),
            };
            out.push_str(&wrap(&line, "- ", "  "));
            out.push_str(&format!("  {}\n", e.href));
        }
    }
    let file = site.lang_file(lang, &urls::file_in(&folder, format));
    Ok(OutputFile::new(file, out))
}

/// The title and summary of a search or A to Z page.
fn titles(
    ctx: &RenderContext<'_>,
    lang: &str,
    kind: PageKind,
    letters: &[Letter],
) -> (String, String) {
    let strings = ctx.i18n.get(lang);
    match kind {
        PageKind::Search => (strings.get("search.title"), strings.get("search.summary")),
        PageKind::AToZ => (
            strings.get("search.a_to_z_title"),
            strings.get("search.a_to_z_intro"),
        ),
        PageKind::Letter(i) => (
            format!(
                "{}: {}",
                strings.get("search.a_to_z_title"),
                letters.get(i).map(|l| l.label.as_str()).unwrap_or("")
            ),
            strings.get("search.a_to_z_intro"),
        ),
    }
}

/// A `data-NAME="value"` attribute for the script.
#[derive(Debug, Serialize)]
struct DataAttr {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct SearchPageCtx<'a> {
    #[serde(flatten)]
    chrome: Chrome,
    /// `search` or `a_to_z`.
    kind: &'static str,
    variant: &'static str,
    title: String,
    summary: String,
    content_lang: String,
    content_dir: &'static str,
    search_href: String,
    a_to_z_href: String,
    script: String,
    data: Vec<DataAttr>,
    /// Every letter, for the list of letters.
    letters: &'a [Letter],
    /// The letters whose entries this page lists.
    shown: &'a [&'a Letter],
    /// The heading level of each letter (`h2` alone, `h3` under search).
    letter_heading: &'static str,
}

fn page(
    ctx: &RenderContext<'_>,
    lang: &str,
    kind: PageKind,
    format: Format,
    letters: &[Letter],
    shown: &[&Letter],
) -> Result<OutputFile, Diagnostic> {
    let site = ctx.site;
    let base = site.config.base_path();
    let strings = ctx.i18n.get(lang);
    let folder = kind.folder(letters);
    let file = ctx.site.lang_file(lang, &urls::file_in(&folder, format));
    let switch_folder = match kind {
        PageKind::Letter(_) => PageKind::AToZ.folder(letters),
        other => other.folder(letters),
    };
    let languages = crate::render::context::language_switcher(ctx, lang, |code| {
        // Another language may not have this letter: its A to Z.
        if code == lang {
            urls::href_of_file(&base, &file)
        } else {
            urls::href_of_file(
                &base,
                &ctx.site
                    .lang_file(code, &urls::file_in(&switch_folder, format)),
            )
        }
    });
    let mut alternates: Vec<Alternate> = site
        .config
        .languages
        .iter()
        .map(|l| Alternate {
            hreflang: l.code.clone(),
            href: site.absolute(&ctx.site.lang_file(&l.code, &urls::file_in(&folder, format))),
        })
        .collect();
    alternates.push(Alternate {
        hreflang: "x-default".into(),
        href: site.absolute(&urls::file_in(&folder, format)),
    });
    // The A to Z lists its formats; the search page is a web page only.
    let formats = match kind {
        PageKind::Search => Vec::new(),
        PageKind::AToZ | PageKind::Letter(_) => crate::format::generated_formats(true)
            .map(|f| LinkItem {
                label: strings.get(f.row().label),
                href: urls::href_of_file(
                    &base,
                    &ctx.site.lang_file(lang, &urls::file_in(&folder, f)),
                ),
                current: f == format,
            })
            .collect(),
    };
    if matches!(kind, PageKind::Letter(_)) {
        alternates.clear();
    }
    let home = site.home().map(|h| LinkItem {
        label: strings.get("home"),
        href: site.page_href(h, lang, Variant::Standard, format.links_to()),
        current: false,
    });
    let mut chrome = chrome(
        ctx,
        lang,
        format,
        site.absolute(
            &ctx.site
                .lang_file(lang, &urls::file_in(&folder, Format::PRIMARY)),
        ),
        alternates,
        formats,
        languages,
        home.into_iter().collect(),
    );
    if ctx.theme.styles.contains_key("search") {
        chrome
            .stylesheets
            .push(ctx.theme.style_href(&base, "search"));
    }
    let search_href = urls::href_of_file(&base, &ctx.site.lang_file(lang, "search/"));
    let mut data = vec![
        DataAttr {
            name: "index".into(),
            value: format!("{base}search/index.{lang}.json"),
        },
        DataAttr {
            name: "lang".into(),
            value: lang.to_string(),
        },
    ];
    for key in ["searching", "empty", "error", "more", "service"] {
        data.push(DataAttr {
            name: key.into(),
            value: strings.get(&format!("search.{key}")),
        });
    }
    data.push(DataAttr {
        name: "easy-read".into(),
        value: strings.get("format.easy_read"),
    });
    // Plural forms of the status message, for Intl.PluralRules in the browser.
    let t = ctx.strings_tree.get(lang).unwrap_or(&Json::Null);
    if let Some(Json::Object(forms)) = t.get("search").and_then(|s| s.get("status")) {
        for (category, text) in forms {
            if let Some(text) = text.as_str() {
                data.push(DataAttr {
                    name: format!("status-{category}"),
                    value: text.to_string(),
                });
            }
        }
    }
    let (title, summary) = titles(ctx, lang, kind, letters);
    let dir = site
        .config
        .language(lang)
        .map(|l| l.dir.as_str())
        .unwrap_or("ltr");
    let data_ctx = SearchPageCtx {
        chrome,
        kind: match kind {
            PageKind::Search => "search",
            PageKind::AToZ | PageKind::Letter(_) => "a_to_z",
        },
        variant: "standard",
        title,
        summary,
        content_lang: lang.to_string(),
        content_dir: dir,
        search_href,
        a_to_z_href: urls::href_of_file(&base, &ctx.site.lang_file(lang, "a-to-z/")),
        script: format!("{base}search.js"),
        data,
        letters,
        shown,
        letter_heading: if kind == PageKind::Search { "h3" } else { "h2" },
    };
    let template = match kind {
        PageKind::Search => "search.html",
        PageKind::AToZ | PageKind::Letter(_) => "a-to-z.html",
    };
    let html = render_template(ctx, template, &data_ctx)?;
    Ok(OutputFile::new(file, ctx.theme.finish_html(html)))
}
