//! Signpost: a static site generator for accessible public information.
//!
//! The pipeline, one step a module:
//!
//! ```text
//! site.yaml + content/ + themes/ + translations/
//!   source      walk content/ and classify each file by its name
//!   model       parse once (front matter, markdown) into a typed Site
//!   lint        accessibility, easy read, links, freshness, translations
//!   render      html | large print | plain text | booklet | site pages
//!   output      stage files as they render; move them into place only
//!               when everything passed
//! ```
//!
//! Library code returns diagnostics and typed errors; only `main` prints.

// A `Diagnostic` is returned only on the cold path (a problem in a file),
// so its size does not matter; boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod braille;
pub mod builtin {
    //! Files compiled into the binary by `build.rs`.
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}
pub mod chart;
pub mod codes;
pub mod config;
pub mod contact;
pub mod diagnostics;
pub mod directory;
mod fault;
pub mod format;
pub mod frontmatter;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod lint;
pub mod lock;
pub mod markdown;
pub mod minify;
pub mod model;
pub mod offline;
pub mod output;
pub mod print;
pub mod render;
pub mod sanitise;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
pub mod urls;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diagnostics::{Diagnostics, Fatal};
use frontmatter::Date;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Output folder; `root/public` when `None`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub deny_warnings: bool,
    /// The date freshness checks compare with (today when `None`).
    pub today: Option<Date>,
    /// Script for live reload (serve only).
    pub live_reload: Option<String>,
    /// Counts rendered pages, for a progress bar.
    pub progress: Option<std::sync::Arc<render::Progress>>,
    /// What `build` does while another build writes the same output folder.
    pub wait: lock::Wait,
    /// Folder of typeset PDFs kept between builds; `build` uses
    /// [`Options::print_cache_dir`] when `None`, other commands none.
    pub print_cache: Option<PathBuf>,
    /// Remove the PDF cache's entries a whole build did not use (`build`).
    pub prune_print_cache: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            deny_warnings: false,
            today: None,
            live_reload: None,
            progress: None,
            wait: lock::Wait::default(),
            print_cache: None,
            prune_print_cache: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    /// The PDF cache of a build: beside the output folder, never in it
    /// (`public` -> `.public.print-cache`), so it is not published.
    pub fn print_cache_dir(&self) -> PathBuf {
        self.print_cache.clone().unwrap_or_else(|| {
            let out = self.output_dir();
            let name = out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "public".into());
            out.with_file_name(format!(".{name}.print-cache"))
        })
    }
}

/// The result of checking or building a site.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// Number of HTML pages written (every format, language and variant).
    pub pages: usize,
    /// Files rendered, kept only by [`render_in_memory`].
    pub files: Vec<render::OutputFile>,
    /// Number of files rendered.
    pub file_count: usize,
    pub written: Option<output::WriteStats>,
    pub seconds: f64,
    /// Easy-read reading grades, for the check report.
    pub grades: Vec<(String, f64)>,
    /// Translation status rows (language, missing, stale).
    pub translation_summary: Vec<(String, usize, usize)>,
    /// PDFs typeset by this build, and PDFs taken from the cache.
    pub pdfs_rendered: usize,
    pub pdf_cache_hits: usize,
    /// Braille files translated by this build, and taken from the cache.
    pub braille_made: usize,
    pub braille_reused: usize,
}

/// Loads, checks and renders the site, handing each file to `sink`.
pub fn render_site(
    opts: &Options,
    outcome: &mut Outcome,
    sink: &dyn render::Sink,
) -> Result<(), Fatal> {
    let start = Instant::now();
    let loaded = load_site(opts, outcome, &model::parse_page)?;
    render_loaded(opts, &loaded, outcome, sink)?;
    outcome.seconds = start.elapsed().as_secs_f64();
    Ok(())
}

/// What `signpost offline` writes: a folder, or one `.zip` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfflineTarget {
    Folder(PathBuf),
    Zip(PathBuf),
}

/// `signpost offline`: checks and renders the site in memory (with the
/// build's PDF cache), rewrites it to work from a folder (see
/// [`offline`]), all of it or one language (`lang`), and writes it to
/// `target`. The site's output folder is not touched. Returns the number
/// of files in the copy.
pub fn offline_copy(
    opts: &Options,
    lang: Option<&str>,
    target: &OfflineTarget,
) -> (Outcome, Result<usize, Fatal>) {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let opts = &Options {
        print_cache: Some(opts.print_cache_dir()),
        ..opts.clone()
    };
    let loaded = match load_site(opts, &mut outcome, &model::parse_page) {
        Ok(l) => l,
        Err(e) => return (outcome, Err(e)),
    };
    let sink = render::Collect::default();
    if let Err(e) = render_loaded(opts, &loaded, &mut outcome, &sink) {
        return (outcome, Err(e));
    }
    let files = sink.into_sorted();
    let copy = match offline::relocate(&files, &loaded.site.config, lang) {
        Ok(c) => c,
        Err(e) => return (outcome, Err(Fatal::Usage(e.to_string()))),
    };
    let written = match target {
        OfflineTarget::Folder(dir) => offline::write_folder(&copy, dir),
        OfflineTarget::Zip(path) => offline::write_zip(&copy, path),
    };
    outcome.file_count = copy.len();
    outcome.seconds = start.elapsed().as_secs_f64();
    match written {
        Ok(()) => (outcome, Ok(copy.len())),
        Err(e) => (outcome, Err(Fatal::Usage(e.to_string()))),
    }
}

/// A site loaded and checked, ready to render: what [`render_site`] renders
/// and what `serve` keeps between rebuilds.
pub struct Loaded {
    pub site: model::Site,
    pub theme: theme::Theme,
    pub i18n: i18n::I18n,
}

/// Loads the settings, strings, theme and model, and runs every check.
/// Markdown sources are read through `parse` ([`model::parse_page`], or
/// `serve`'s cache in front of it).
pub fn load_site(
    opts: &Options,
    outcome: &mut Outcome,
    parse: model::ParseFn<'_>,
) -> Result<Loaded, Fatal> {
    let diags = &outcome.diagnostics;
    let root = &opts.root;
    if !root.is_dir() {
        return Err(Fatal::Usage(format!(
            "the folder {} does not exist",
            root.display()
        )));
    }
    let Some(mut config) = config::SiteConfig::load(root, diags) else {
        return Err(Fatal::Content);
    };
    if let Some(b) = &opts.base_url {
        config.base_url = b.clone();
    }
    let i18n = i18n::I18n::load(root, &config, diags);
    let theme = theme::Theme::load(root, &config, diags);
    let site = build_model(root, config, opts.drafts, diags, parse);
    check_model(&site, opts.today.unwrap_or_else(Date::today), diags);
    outcome.grades = lint::easy_read::grades(&site);
    let status = lint::translations::status(&site);
    for lang in site.config.languages.iter().skip(1) {
        let missing = status
            .iter()
            .filter(|r| r.lang == lang.code && r.state == lint::translations::State::Missing)
            .count();
        let stale = status
            .iter()
            .filter(|r| r.lang == lang.code && r.state == lint::translations::State::Stale)
            .count();
        outcome
            .translation_summary
            .push((lang.code.clone(), missing, stale));
    }
    if opts.deny_warnings {
        diags.deny_warnings();
    }
    let Some(theme) = theme else {
        return Err(Fatal::Content);
    };
    if diags.has_errors() {
        return Err(Fatal::Content);
    }
    Ok(Loaded { site, theme, i18n })
}

/// The extensions of every build, in order: each adds to the model, the
/// checks and the renderers (see [`render::extension`]).
pub const EXTENSIONS: &[&dyn render::extension::Extension] =
    &[&directory::ServiceDirectory, &search::SearchIndex];

/// Builds the model and lets every extension add to it.
pub fn build_model(
    root: &Path,
    config: config::SiteConfig,
    drafts: bool,
    diags: &Diagnostics,
    parse: model::ParseFn<'_>,
) -> model::Site {
    let mut site = model::build_with(root, config, drafts, diags, parse);
    for e in EXTENSIONS {
        e.build(&mut site, diags);
    }
    site
}

/// Every check: the core checks, then each extension's.
pub fn check_model(site: &model::Site, today: Date, diags: &Diagnostics) {
    lint::run(site, today, diags);
    for e in EXTENSIONS {
        e.check(site, today, diags);
    }
}

impl Loaded {
    /// The context every renderer of this build reads, with the build's
    /// extensions.
    pub fn render_context(&self) -> render::RenderContext<'_> {
        let mut ctx = render::RenderContext::new(&self.site, &self.theme, &self.i18n);
        ctx.extensions = EXTENSIONS;
        if self.site.config.print.braille {
            ctx.louis = braille::Louis::find().ok();
        }
        ctx
    }
}

/// The render context of a build (or a serve rebuild) of `loaded` with
/// `opts`: live reload, progress, the print cache and liblouis.
pub fn render_context_for<'a>(
    opts: &Options,
    loaded: &'a Loaded,
    diags: &Diagnostics,
) -> render::RenderContext<'a> {
    let mut ctx = loaded.render_context();
    ctx.live_reload = opts.live_reload.clone();
    ctx.progress = opts.progress.clone();
    ctx.downloads = render::pdf::downloads(opts.print_cache.clone());
    ctx.louis = render::braille::louis_for(&loaded.site, diags);
    ctx
}

/// Renders a loaded site, handing each file to `sink` as it is rendered.
pub fn render_loaded(
    opts: &Options,
    loaded: &Loaded,
    outcome: &mut Outcome,
    sink: &dyn render::Sink,
) -> Result<(), Fatal> {
    let diags = &outcome.diagnostics;
    let ctx = render_context_for(opts, loaded, diags);
    let paths = render::render_all(&ctx, diags, sink);
    let counted = |n: &std::sync::atomic::AtomicUsize| n.load(std::sync::atomic::Ordering::Relaxed);
    outcome.pdfs_rendered = counted(&ctx.downloads.rendered);
    outcome.pdf_cache_hits = counted(&ctx.downloads.cache_hits);
    outcome.braille_made = counted(&ctx.downloads.braille_made);
    outcome.braille_reused = counted(&ctx.downloads.braille_reused);
    outcome.pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    outcome.file_count = paths.len();
    if opts.deny_warnings {
        diags.deny_warnings();
    }
    if diags.has_errors() {
        return Err(Fatal::Content);
    }
    if opts.prune_print_cache {
        ctx.downloads.prune();
    }
    Ok(())
}

/// Loads, checks and renders the site into memory (`outcome.files`, sorted
/// by path). Nothing is written.
pub fn render_in_memory(opts: &Options) -> (Outcome, Result<(), Fatal>) {
    let mut outcome = Outcome::default();
    let sink = render::Collect::default();
    let r = render_site(opts, &mut outcome, &sink);
    if r.is_ok() {
        outcome.files = sink.into_sorted();
    }
    (outcome, r)
}

/// `signpost check`: every check and a full render, nothing kept or written.
pub fn check(opts: &Options) -> (Outcome, Result<(), Fatal>) {
    let mut outcome = Outcome::default();
    let r = render_site(opts, &mut outcome, &render::Discard);
    (outcome, r)
}

/// `signpost build`: check and render, staging new and changed files as
/// they are rendered; then, only if everything passed, move them into the
/// output folder (see [`output::Stage`]). A failed build leaves the output
/// folder as it was.
pub fn build(opts: &Options) -> (Outcome, Result<(), Fatal>) {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let loaded = match load_site(opts, &mut outcome, &model::parse_page) {
        Ok(l) => l,
        Err(e) => return (outcome, Err(e)),
    };
    let out = opts.output_dir();
    if let Err(e) = guard_output(&opts.root, &out) {
        return (outcome, Err(e));
    }
    let stage = match output::Stage::begin_with(&out, &opts.wait) {
        Ok(s) => s,
        Err(e) => return (outcome, Err(e)),
    };
    let opts = &Options {
        print_cache: Some(opts.print_cache_dir()),
        prune_print_cache: true,
        ..opts.clone()
    };
    if let Err(e) = render_loaded(opts, &loaded, &mut outcome, &stage) {
        return (outcome, Err(e));
    }
    // The model is not needed to commit: free it first.
    drop(loaded);
    match stage.commit() {
        Ok(stats) => outcome.written = Some(stats),
        Err(e) => return (outcome, Err(e)),
    }
    outcome.seconds = start.elapsed().as_secs_f64();
    (outcome, Ok(()))
}

/// Refuses output folders that would overwrite the sources.
fn guard_output(root: &Path, out: &Path) -> Result<(), Fatal> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root_c = canon(root);
    let out_c = canon(out);
    if out_c == root_c
        || root_c.join("content") == out_c
        || root_c.join("content").starts_with(&out_c)
    {
        return Err(Fatal::Usage(format!(
            "the output folder {} would overwrite the site's sources; choose another with --output",
            out.display()
        )));
    }
    Ok(())
}
