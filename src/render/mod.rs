//! Renderers: each turns the model into output files, in memory.
//!
//! A [`PageRenderer`] renders one view of a page (a page in a language and
//! variant) in the formats it lists; a [`SiteRenderer`] renders site-wide
//! files (sitemap, redirects, statement, stylesheets). What a format is
//! (its file, stylesheets, label, variants, where its links lead) is its
//! row in the format table, [`crate::format::FORMATS`]; a new format is a
//! row there and a renderer in [`PAGE_RENDERERS`].

pub mod body;
pub mod booklet;
pub mod braille;
pub mod context;
pub mod extension;
pub mod html;
pub mod pdf;
pub mod site_pages;
pub mod text;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{I18n, Strings};
use crate::markdown::Events;
use crate::model::{Doc, PageId, Site, Target};
use crate::source::Variant;
use crate::theme::Theme;
use crate::urls::Format;

/// One output file, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Everything a renderer reads.
pub struct RenderContext<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub i18n: &'a I18n,
    /// Interface strings as a template value, per language (built once).
    pub strings_tree: BTreeMap<String, serde_json::Value>,
    /// Extra script for `serve` (live reload); `None` for a real build.
    pub live_reload: Option<String>,
    /// The same strings as template values, built once: every page shares
    /// them instead of serialising hundreds of strings again.
    pub tera_strings: BTreeMap<String, tera::Value>,
    /// Counts rendered page views, for a progress bar.
    pub progress: Option<std::sync::Arc<Progress>>,
    /// The build's extensions (none unless the caller gives them:
    /// `Loaded::render_context` gives [`crate::EXTENSIONS`]).
    pub extensions: &'a [&'a dyn extension::Extension],
    /// PDF downloads of the build: their cache, sizes and counters.
    pub downloads: std::sync::Arc<pdf::Downloads>,
    /// liblouis, when the site makes braille and it is installed (when it
    /// is not, BRAILLE001 says so and the site is built without braille).
    pub louis: Option<crate::braille::Louis>,
}

/// How far rendering has got: page views done out of a total.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: std::sync::atomic::AtomicUsize,
    pub total: std::sync::atomic::AtomicUsize,
}

impl<'a> RenderContext<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme, i18n: &'a I18n) -> Self {
        let strings_tree = i18n
            .by_lang
            .iter()
            .map(|(k, s)| (k.clone(), s.as_tree()))
            .collect();
        let tera_strings = i18n
            .by_lang
            .keys()
            .map(|k| {
                (
                    k.clone(),
                    tera::Value::from_serializable(&strings_tree_get(&strings_tree, k)),
                )
            })
            .collect();
        RenderContext {
            site,
            theme,
            i18n,
            tera_strings,
            strings_tree,
            live_reload: None,
            progress: None,
            extensions: &[],
            downloads: std::sync::Arc::default(),
            louis: None,
        }
    }
}

fn strings_tree_get(tree: &BTreeMap<String, serde_json::Value>, lang: &str) -> serde_json::Value {
    tree.get(lang).cloned().unwrap_or(serde_json::Value::Null)
}

impl RenderContext<'_> {
    /// A template context from serialisable data, with the interface
    /// strings of its `lang` as `t`.
    pub fn template_context<T: serde::Serialize>(
        &self,
        data: &T,
    ) -> Result<tera::Context, Diagnostic> {
        let mut context = tera::Context::from_serialize(data).map_err(|e| {
            Diagnostic::new(
                Code::THEME001,
                format!("could not prepare a page for its template: {e}"),
                "this is a bug in Signpost; please report it",
            )
        })?;
        let lang = context
            .get("lang")
            .and_then(|v| v.as_str())
            .unwrap_or(self.site.default_lang())
            .to_string();
        let strings = self
            .tera_strings
            .get(&lang)
            .or_else(|| self.tera_strings.get(self.site.default_lang()))
            .cloned()
            .unwrap_or_else(tera::Value::none);
        context.insert_value("t", strings);
        Ok(context)
    }

    /// Renders a theme template; a template's mistake becomes a diagnostic
    /// that names the template file, line and column.
    pub fn render_template(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        self.theme.tera.render(template, context).map_err(|e| {
            let files = crate::source::ThemeFiles::load(&self.site.root, &self.site.config);
            crate::theme::template_error(&e, &self.site.root, &self.site.config, &files)
        })
    }
}

/// A page as one reader sees it: a language and a variant.
#[derive(Debug, Clone, Copy)]
pub struct PageView<'a> {
    pub id: PageId,
    pub lang: &'a str,
    pub variant: Variant,
    pub doc: &'a Doc,
    /// The document is in the default language because there is no translation.
    pub fallback: bool,
    /// The document's events, when the caller parsed them once for every
    /// format of this view (see [`render_all`]).
    pub events: Option<&'a Events<'a>>,
}

impl<'a> PageView<'a> {
    /// The document's events: the ones parsed for this view, or parsed now.
    pub fn events(&self) -> std::borrow::Cow<'a, Events<'a>> {
        match self.events {
            Some(e) => std::borrow::Cow::Borrowed(e),
            None => std::borrow::Cow::Owned(self.doc.events()),
        }
    }
}

/// Renders one view of a page into files, in each format it lists.
pub trait PageRenderer: Sync {
    /// The formats this renderer writes (rows of the format table).
    fn formats(&self) -> &'static [Format];

    /// Renders `view` in `format`, one of [`formats`](Self::formats), which
    /// serves the view's variant. A renderer returns bytes: a web page, a
    /// text file or a binary download alike.
    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, Diagnostic>;
}

/// Renders site-wide files.
pub trait SiteRenderer: Sync {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>, Diagnostic>;

    /// Whether `serve` brings this renderer's files up to date later, on
    /// its own thread, rather than after every edit (the search index and
    /// the A to Z read the text of every page).
    fn deferred_in_serve(&self) -> bool {
        false
    }

    /// Renders, handing each file to `put` as soon as it is ready (from any
    /// thread). Renderers of many files (the directory's pages) override
    /// this so their files are never all held at once.
    fn render_to(
        &self,
        ctx: &RenderContext<'_>,
        put: &(dyn Fn(OutputFile) + Sync),
    ) -> Result<(), Diagnostic> {
        for f in self.render(ctx)? {
            put(f);
        }
        Ok(())
    }
}

/// Maps resolved link targets to addresses for one view and format.
pub struct LinkMap<'a> {
    pub site: &'a Site,
    pub strings: &'a Strings,
    pub lang: &'a str,
    /// The variant being read (easy-read readers stay in easy read).
    pub variant: Variant,
    pub format: Format,
    /// Write full `https://` addresses (plain text).
    pub absolute: bool,
}

impl LinkMap<'_> {
    /// The address for a target; `None` when the link must be dropped.
    pub fn href(&self, target: &Target) -> Option<String> {
        let site = self.site;
        let prefix = |file: &str| -> String {
            if self.absolute {
                site.absolute(file)
            } else {
                crate::urls::href_of_file(&site.config.base_path(), file)
            }
        };
        match target {
            Target::Page {
                page,
                variant,
                fragment,
            } => {
                let dl = site.default_lang();
                let variant = if *variant == Variant::Standard
                    && self.variant == Variant::EasyRead
                    && site.pages[*page].has_variant(Variant::EasyRead, dl)
                {
                    Variant::EasyRead
                } else {
                    *variant
                };
                let file = site.page_file(*page, self.lang, variant, self.format.links_to());
                let mut href = prefix(&file);
                if let Some(f) = fragment {
                    href.push('#');
                    href.push_str(f);
                }
                Some(href)
            }
            Target::Fragment(f) => Some(format!("#{f}")),
            Target::Service(rel) => site.addresses.get(rel).map(|dir| {
                prefix(&crate::urls::file_in(
                    &site.lang_file(self.lang, dir),
                    self.format.links_to(),
                ))
            }),
            Target::Asset(out) => Some(prefix(out)),
            Target::Symbol(name) => Some(prefix(&format!("symbols/{name}.svg"))),
            Target::External(url) => Some(url.clone()),
            Target::Removed => None,
        }
    }

    /// The alt text of a symbol in the reader's language.
    pub fn symbol_alt(&self, name: &str) -> String {
        let key = format!("symbols.{name}");
        let local = self.strings.get(&key);
        if local != key {
            return local;
        }
        self.site
            .symbols
            .get(name)
            .map(|s| s.alt.clone())
            .unwrap_or_default()
    }
}

/// The page renderers of every build: each writes the formats it lists.
/// Downloads come first: a page's format list shows their sizes.
pub const PAGE_RENDERERS: &[&dyn PageRenderer] = &[
    &pdf::PdfDownloads,
    &braille::BrailleFiles,
    &html::HtmlPage,
    &text::PlainText,
    &booklet::Booklet,
];

/// Renders one view in every format that serves its variant, handing each
/// renderer's result to `put` (`build`, `serve` and the fuzz harness alike).
pub fn render_view(
    ctx: &RenderContext<'_>,
    view: &PageView<'_>,
    put: &mut dyn FnMut(Result<Vec<OutputFile>, Diagnostic>),
) {
    for r in PAGE_RENDERERS {
        for &format in r.formats() {
            if format.serves(view.variant) && format.enabled(&ctx.site.config) {
                put(r.render(ctx, view, format));
            }
        }
    }
}

/// The site renderers of a build: the core ones, then each extension's.
pub fn site_renderers(ctx: &RenderContext<'_>) -> Vec<Box<dyn SiteRenderer>> {
    let builtin: Vec<Box<dyn SiteRenderer>> = vec![
        Box::new(site_pages::Stylesheets),
        Box::new(site_pages::CopiedFiles),
        Box::new(site_pages::Sitemap),
        Box::new(site_pages::Robots),
        Box::new(site_pages::NotFound),
        Box::new(site_pages::Statement),
        Box::new(site_pages::Redirects),
        Box::new(site_pages::TranslationStatus),
        Box::new(site_pages::ContentReport),
    ];
    builtin
        .into_iter()
        .chain(ctx.extensions.iter().flat_map(|e| e.site_renderers()))
        .collect()
}

/// Every view of every page: each page in each language, in each variant
/// that exists in the default language.
pub fn views(site: &Site) -> Vec<PageView<'_>> {
    let dl = site.default_lang();
    let mut out = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        for variant in [Variant::Standard, Variant::EasyRead] {
            if !page.has_variant(variant, dl) {
                continue;
            }
            for lang in &site.config.languages {
                if let Some((doc, fallback)) = page.doc_for(variant, &lang.code, dl) {
                    out.push(PageView {
                        id,
                        lang: &lang.code,
                        variant,
                        doc,
                        fallback,
                        events: None,
                    });
                }
            }
        }
    }
    out
}

/// Where rendered files go, as soon as each is rendered: kept in memory
/// ([`Collect`]), counted only ([`Discard`]), or staged on disk for writing
/// ([`crate::output::Stage`]). Called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile);
}

/// Keeps every rendered file in memory (`serve`, tests).
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
    }
}

impl Collect {
    /// The files, sorted by path, one per path.
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        files
    }
}

/// Drops every rendered file (`check`: render everything, keep nothing).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) {}
}

/// Renders the whole site, in parallel, handing each file to `sink` as it
/// is rendered, so the site is never held in memory as a whole. Problems go
/// to `diags`. Returns the paths of every file, sorted.
pub fn render_all(ctx: &RenderContext<'_>, diags: &Diagnostics, sink: &dyn Sink) -> Vec<String> {
    let views = views(ctx.site);
    if let Some(p) = &ctx.progress {
        p.total
            .store(views.len(), std::sync::atomic::Ordering::Relaxed);
    }
    // Every file goes to the sink as soon as it is rendered; only its path
    // is kept, to find two things published at one address.
    let paths = std::sync::Mutex::new(Vec::new());
    let put = |f: OutputFile| {
        paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f.path.clone());
        sink.put(f);
    };
    // Site-wide files (the search index above all) render beside the pages
    // rather than after them, so neither core waits for the other.
    rayon::join(
        || {
            views.par_iter().for_each(|view| {
                // Parsed once here for every format of the view.
                let events = view.doc.events();
                let view = PageView {
                    events: Some(&events),
                    ..*view
                };
                render_view(ctx, &view, &mut |r| match r {
                    Ok(files) => files.into_iter().for_each(put),
                    Err(d) => diags.push(d),
                });
                if let Some(p) = &ctx.progress {
                    p.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            })
        },
        || {
            site_renderers(ctx).par_iter().for_each(|r| {
                if let Err(d) = r.render_to(ctx, &put) {
                    diags.push(d);
                }
            })
        },
    );
    let mut paths = paths.into_inner().unwrap_or_else(|e| e.into_inner());
    paths.sort_unstable();
    // Two sources for one output file.
    for pair in paths.windows(2) {
        if pair[0] == pair[1] {
            diags.push(
                Diagnostic::new(
                    Code::SRC004,
                    format!("two things would be published as `{}`", pair[0]),
                    "give one of the pages a different slug or file name, or remove an alias that clashes",
                )
                .in_file("content"),
            );
        }
    }
    paths.dedup();
    paths
}
