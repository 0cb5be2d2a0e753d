//! PDF downloads: the large-print PDF of every page and the easy-read
//! booklet PDFs (A4, A5, A5 imposed for printing) of every page with easy
//! read, in every language, typeset by [`crate::print`].
//!
//! PDFs are expensive, so each is cached by a hash of everything that goes
//! into it (the generated typst markup, which holds the text, the layout
//! and the settings; the pictures; the fonts; the kind; the Signpost
//! version) in the build's cache folder beside the output
//! ([`Downloads::cache_dir`]). A warm build with nothing changed typesets
//! no PDF. The size of each PDF is kept so the page's format list can say
//! "Large print PDF (PDF, 48 KB)": this renderer runs before the HTML one
//! for each view (see [`super::PAGE_RENDERERS`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::model::{Doc, Site};
use crate::print::{
    Block, BlockKind, EventOptions, FontSet, Images, Labels, MarkupOptions, PdfKind, PdfSettings,
    PrintDoc, PrintError, blocks, markup, render_pdf,
};
use crate::render::{OutputFile, PageRenderer, PageView, RenderContext};
use crate::source::Variant;
use crate::urls::Format;

/// State the PDF renderer shares across a build: the cache folder, the
/// sizes of the PDFs written (for format lists) and counters.
#[derive(Debug, Default)]
pub struct Downloads {
    /// Where typeset PDFs are kept between builds; `None` typesets every
    /// PDF (`check`, `serve`, tests).
    pub cache_dir: Option<PathBuf>,
    /// Size in bytes of each download, by output path.
    sizes: Mutex<HashMap<String, usize>>,
    /// PDFs typeset by this build.
    pub rendered: AtomicUsize,
    /// PDFs taken from the cache.
    pub cache_hits: AtomicUsize,
    /// Braille files translated by this build.
    pub braille_made: AtomicUsize,
    /// Braille files taken from the cache.
    pub braille_reused: AtomicUsize,
    /// The cache entries this build used.
    used: Mutex<std::collections::HashSet<String>>,
}

impl Downloads {
    /// The size of a download written earlier in this build.
    pub fn size(&self, path: &str) -> Option<usize> {
        self.sizes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .copied()
    }

    /// Removes the cache entries this build did not use (PDFs of pages
    /// or versions the site no longer has, and temporary files a killed
    /// build left), so the cache holds only the current site's PDFs.
    /// Call it only after a render of the whole site.
    pub fn prune(&self) {
        let Some(dir) = &self.cache_dir else { return };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = name.split('.').next().unwrap_or("");
            let kept = name.matches('.').count() == 1 && used.contains(key);
            if !kept {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// A download's bytes: from the cache when an entry for `key` is
    /// there, made by `make` (and cached) otherwise. `made` and `reused`
    /// count each.
    pub fn cached<E>(
        &self,
        key: &str,
        extension: &str,
        (made, reused): (&AtomicUsize, &AtomicUsize),
        make: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E> {
        let Some(dir) = &self.cache_dir else {
            made.fetch_add(1, Ordering::Relaxed);
            return make();
        };
        let file = dir.join(format!("{key}.{extension}"));
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string());
        if let Ok(bytes) = std::fs::read(&file) {
            reused.fetch_add(1, Ordering::Relaxed);
            return Ok(bytes);
        }
        made.fetch_add(1, Ordering::Relaxed);
        let bytes = make()?;
        // The cache only saves time: a cache that cannot be written is no
        // reason to fail the build. Written under a temporary name and
        // moved, so a half-written file is never read as a hit.
        if std::fs::create_dir_all(dir).is_ok() {
            let tmp = dir.join(format!("{key}.{}.tmp", std::process::id()));
            if std::fs::write(&tmp, &bytes).is_ok() && std::fs::rename(&tmp, &file).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        Ok(bytes)
    }

    /// Records the size of a download written in this build.
    pub fn record(&self, path: &str, size: usize) {
        self.sizes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), size);
    }
}

/// "PDF, 48 KB": the type and size shown after a download's label.
pub fn type_and_size(file_type: &str, bytes: usize) -> String {
    let kb = bytes.div_ceil(1024).max(1);
    if kb >= 1024 {
        format!("{file_type}, {:.1} MB", kb as f64 / 1024.0)
    } else {
        format!("{file_type}, {kb} KB")
    }
}

pub struct PdfDownloads;

impl PageRenderer for PdfDownloads {
    fn formats(&self) -> &'static [Format] {
        &[
            Format::LargePrintPdf,
            Format::BookletPdf,
            Format::BookletA5Pdf,
            Format::BookletImposedPdf,
        ]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        view: &PageView<'_>,
        format: Format,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let kind = match format {
            Format::LargePrintPdf => PdfKind::LargePrint,
            Format::BookletPdf => PdfKind::BookletA4,
            Format::BookletA5Pdf => PdfKind::BookletA5,
            _ => PdfKind::Imposed,
        };
        if view.doc.body.words > crate::print::MAX_WORDS {
            // Too long to typeset: said by PRINT002 (lint/print.rs).
            return Ok(Vec::new());
        }
        let site = ctx.site;
        let path = site.page_file(view.id, view.lang, view.variant, format);
        let doc = print_doc(ctx, view);
        let images = images(site, view.doc, &doc.blocks);
        let settings = PdfSettings {
            fonts: FontSet::builtin(),
            markup: MarkupOptions {
                base_url: Some(site.config.base_url.clone()),
            },
        };
        let bytes = cached(&ctx.downloads, &doc, kind, &images, &settings)
            .map_err(|e| diagnostic(view.doc, &e))?;
        ctx.downloads.record(&path, bytes.len());
        Ok(vec![OutputFile::new(path, bytes)])
    }
}

/// The print document of a view: its title, language, blocks and the
/// words the PDF prints itself, in the view's language.
pub fn print_doc(ctx: &RenderContext<'_>, view: &PageView<'_>) -> PrintDoc {
    let events = view.events();
    let opts = EventOptions {
        easy_read: view.variant == Variant::EasyRead,
    };
    let pairs = events
        .events
        .iter()
        .cloned()
        .zip(events.offsets.iter().copied());
    let strings = ctx.i18n.get(view.lang);
    let mut blocks = blocks(pairs, opts);
    // A symbol written with no alt text of its own (`![](symbol:phone)`)
    // says what the symbol means, as on the web page.
    fill_symbol_alt(&mut blocks, &|name| {
        let key = format!("symbols.{name}");
        let local = strings.get(&key);
        if local != key {
            local
        } else {
            ctx.site
                .symbols
                .get(name)
                .map(|s| s.alt.clone())
                .unwrap_or_default()
        }
    });
    let mut doc = PrintDoc::new(view.doc.front.title.clone(), view.doc.lang.clone(), blocks);
    let defaults = Labels::default();
    let label = |key: &str, default: String| {
        let s = strings.get(key);
        if s == key { default } else { s }
    };
    doc.labels = Labels {
        notes: label("print.notes", defaults.notes),
        page: label("print.page", defaults.page),
    };
    doc
}

/// The pictures a document shows: easy-read symbols from the site's set,
/// other pictures read from the site's files. A picture not found is left
/// out, and typesetting reports it at its line.
fn images(site: &Site, doc: &Doc, blocks: &[Block]) -> Images {
    let mut images = Images::new();
    let mut srcs = Vec::new();
    collect_srcs(blocks, &mut srcs);
    let dir = doc
        .source
        .path
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    for src in srcs {
        if let Some(name) = src.strip_prefix("symbol:") {
            if let Some(sym) = site.symbols.get(name) {
                images.insert(src.clone(), sym.svg.as_ref().clone());
            }
            continue;
        }
        let rel = src.split(['?', '#']).next().unwrap_or("");
        let candidate = match rel.strip_prefix('/') {
            Some(abs) => site.root.join("content").join(abs),
            None => dir.join(rel),
        };
        let found = site
            .assets
            .iter()
            .find(|a| same_file(&a.source, &candidate));
        if let Some(bytes) = found.and_then(|a| std::fs::read(&a.source).ok()) {
            images.insert(src.clone(), bytes);
        }
    }
    images
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}

/// Gives each symbol picture with empty alt text the symbol's own words.
fn fill_symbol_alt(blocks: &mut [Block], alt_of: &dyn Fn(&str) -> String) {
    for b in blocks {
        match &mut b.kind {
            BlockKind::Figure { picture, .. } | BlockKind::EasyRead { picture, .. } => {
                if let (Some(alt), Some(name)) =
                    (picture.alt.as_mut(), picture.src.strip_prefix("symbol:"))
                    && alt.trim().is_empty()
                {
                    *alt = alt_of(name);
                }
            }
            BlockKind::List { items, .. } => {
                items.iter_mut().for_each(|i| fill_symbol_alt(i, alt_of))
            }
            BlockKind::Quote(inner) | BlockKind::Lang { blocks: inner, .. } => {
                fill_symbol_alt(inner, alt_of)
            }
            _ => {}
        }
    }
}

fn collect_srcs(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match &b.kind {
            BlockKind::Figure { picture, .. } | BlockKind::EasyRead { picture, .. } => {
                out.push(picture.src.clone())
            }
            BlockKind::List { items, .. } => items.iter().for_each(|i| collect_srcs(i, out)),
            BlockKind::Quote(inner) | BlockKind::Lang { blocks: inner, .. } => {
                collect_srcs(inner, out)
            }
            _ => {}
        }
    }
}

/// The PDF of `doc`: from the cache when everything that goes into it is
/// unchanged, typeset (and cached) otherwise.
fn cached(
    downloads: &Downloads,
    doc: &PrintDoc,
    kind: PdfKind,
    images: &Images,
    settings: &PdfSettings,
) -> Result<Vec<u8>, PrintError> {
    let key = cache_key(doc, kind, images, settings)?;
    let counters = (&downloads.rendered, &downloads.cache_hits);
    downloads.cached(&key, "pdf", counters, || {
        Ok(render_pdf(doc, kind, images, settings)?.bytes)
    })
}

/// A hash of every input of a PDF: the typst markup generated for it (the
/// text, its layout and the settings), the picture bytes, the fonts, the
/// kind and the Signpost version (the layout code).
fn cache_key(
    doc: &PrintDoc,
    kind: PdfKind,
    images: &Images,
    settings: &PdfSettings,
) -> Result<String, PrintError> {
    let layout = if kind == PdfKind::Imposed {
        PdfKind::BookletA5
    } else {
        kind
    };
    let m = markup::markup(doc, layout, images, &settings.markup)?;
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(format!("{kind:?}\0").as_bytes());
    h.update(m.source.as_bytes());
    for (path, src) in &m.files {
        h.update(path.as_bytes());
        if let Some(b) = images.get(src) {
            h.update(b.as_slice());
        }
    }
    h.update(settings.fonts.fingerprint().as_bytes());
    Ok(h.finalize().to_hex()[..32].to_string())
}

fn diagnostic(doc: &Doc, e: &PrintError) -> Diagnostic {
    let d = Diagnostic::new(
        Code::PRINT001,
        e.to_string(),
        "fix the picture or the text at this line, or switch the PDF off in site.yaml (print:)",
    );
    match e.offset() {
        Some(offset) => d.at(&doc.file, offset),
        None => d.at(&doc.file, doc.body.body_offset),
    }
}

/// The shared state, for `RenderContext`.
pub fn downloads(cache_dir: Option<PathBuf>) -> Arc<Downloads> {
    Arc::new(Downloads {
        cache_dir,
        ..Downloads::default()
    })
}
