//! Rebuilding in serve mode: only what a change touches.
//!
//! - Every markdown file is parsed through a [`ParseCache`] keyed by path,
//!   modified time and length, so a full rebuild parses only the files that
//!   changed since the last one (with their diagnostics replayed).
//! - A change to existing pages that cannot affect any other page (a
//!   "body-only" edit: the front matter text, the heading ids and the link
//!   destinations are all as they were) re-parses and re-checks just those
//!   files, swaps them into the kept model and re-renders only the views of
//!   those pages (every format and language that shows them). The search
//!   index, which holds page text, is brought up to date afterwards, once
//!   the files stop changing ([`Builder::refresh_search`]), on its own
//!   thread with its own copy of the model ([`super::search`]), so that
//!   no rebuild waits for it.
//! - Anything else (a new, renamed or deleted file, site.yaml, the theme,
//!   interface strings, service entries, a title or summary) is a full
//!   in-memory render through the same pipeline as `signpost build`.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::diagnostics::{Diagnostics, Fatal};
use crate::model::{self, Doc, PageId, Parsed};
use crate::render::{self, OutputFile};
use crate::source::{SourceFile, Variant};
use crate::{Loaded, Options, Outcome, frontmatter, lint};

use super::cache::{ParseCache, replay, stamp};
use super::search::{self, DocIndex, Indexer, Msg};

/// What a rebuild did.
pub enum Rebuilt {
    /// The whole site, rendered again: these are all of its files.
    Full {
        files: Vec<OutputFile>,
        parsed: usize,
        diagnostics: Diagnostics,
        /// The model's generation: the search index in `files` is of it.
        generation: u64,
    },
    /// Only these pages' files changed.
    Pages {
        files: Vec<OutputFile>,
        sources: Vec<String>,
        diagnostics: Diagnostics,
    },
    /// The site does not build: what went wrong.
    Failed {
        diagnostics: Diagnostics,
        fatal: Option<Fatal>,
    },
}

/// Keeps the last good model and rebuilds it.
pub struct Builder {
    pub opts: Options,
    cache: Arc<ParseCache>,
    loaded: Option<Loaded>,
    /// Where each markdown source is in the model.
    docs: DocIndex,
    /// The kept model matches the files on disk (the last build succeeded
    /// and nothing has changed it since).
    clean: bool,
    /// Goes up by one each time the kept model changes.
    generation: u64,
    /// Pages changed since the search index was last asked for.
    pub search_stale: bool,
    /// The search-index thread.
    indexer: Indexer,
}

impl Builder {
    /// A builder, with its search thread; `publish` serves the indexes
    /// that thread renders.
    pub fn new(opts: Options, publish: search::Publish) -> Result<Self, Fatal> {
        Self::with_search_thread(opts, publish, None)
    }

    /// [`Builder::new`], with a hook the search thread calls before each
    /// render.
    #[cfg(test)]
    pub fn with_hook(
        opts: Options,
        publish: search::Publish,
        before_render: search::BeforeRender,
    ) -> Result<Self, Fatal> {
        Self::with_search_thread(opts, publish, Some(before_render))
    }

    fn with_search_thread(
        opts: Options,
        publish: search::Publish,
        before_render: Option<search::BeforeRender>,
    ) -> Result<Self, Fatal> {
        let cache = Arc::new(ParseCache::default());
        let indexer = Indexer::spawn(opts.clone(), cache.clone(), publish, before_render)?;
        Ok(Builder {
            opts,
            cache,
            loaded: None,
            docs: HashMap::new(),
            clean: false,
            generation: 0,
            search_stale: false,
            indexer,
        })
    }

    /// Rebuilds after `changed` files changed (all of them for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        if !changed.is_empty()
            && let Some(r) = self.pages_only(changed)
        {
            return r;
        }
        self.full()
    }

    /// A full in-memory render through the parse cache.
    pub fn full(&mut self) -> Rebuilt {
        self.clean = false;
        let mut outcome = Outcome::default();
        let cache = &*self.cache;
        let parse = |f: SourceFile, v: Variant, d: &Diagnostics| cache.parse(f, v, d);
        let loaded = match crate::load_site(&self.opts, &mut outcome, &parse) {
            Ok(l) => l,
            Err(e) => return failed(outcome, e),
        };
        let sink = render::Collect::default();
        if let Err(e) = crate::render_loaded(&self.opts, &loaded, &mut outcome, &sink) {
            return failed(outcome, e);
        }
        let docs = search::doc_index(&loaded.site);
        self.cache.retain(|p| docs.contains_key(p));
        self.docs = docs;
        self.loaded = Some(loaded);
        self.clean = true;
        self.generation += 1;
        // The render included the search index; the search thread's copy
        // of the model is now out of date.
        self.search_stale = false;
        self.indexer.send(Msg::Reset {
            generation: self.generation,
        });
        Rebuilt::Full {
            files: sink.into_sorted(),
            parsed: self.cache.take_parsed(),
            diagnostics: outcome.diagnostics,
            generation: self.generation,
        }
    }

    /// The fast path for body-only edits of existing pages; `None` when the
    /// change may touch other pages (then a full render is needed).
    fn pages_only(&mut self, changed: &[PathBuf]) -> Option<Rebuilt> {
        if !self.clean {
            return None;
        }
        let loaded = self.loaded.as_mut()?;
        let diagnostics = Diagnostics::new();
        let mut swaps: Vec<(PageId, (Variant, String), Doc)> = Vec::new();
        for path in changed {
            let (page, key) = self.docs.get(path)?.clone();
            let old = loaded.site.pages.get(page)?.docs.get(&key)?;
            let now = stamp(path)?;
            let local = Diagnostics::new();
            let parsed = model::parse_page(old.source.clone(), old.variant, &local)?;
            if local.has_errors() || !same_shape(old, &parsed) {
                return None;
            }
            let doc = Doc {
                file: parsed.file.clone(),
                source: old.source.clone(),
                lang: old.lang.clone(),
                variant: old.variant,
                front: parsed.front.clone(),
                body: parsed.body.clone(),
                targets: old.targets.clone(),
            };
            lint::check_doc(&doc, &loaded.site.config, &local);
            if local.has_errors() {
                return None;
            }
            let list = local.sorted();
            replay(&list, &doc.file, &diagnostics);
            self.cache.store(path, Some(now), &parsed, list);
            swaps.push((page, key, doc));
        }
        let mut pages = BTreeSet::new();
        let mut sources = Vec::new();
        let mut copies = Vec::new();
        for (page, key, doc) in swaps {
            sources.push(doc.source.display());
            pages.insert(page);
            copies.push((doc.source.path.clone(), doc.clone()));
            if let Some(p) = loaded.site.pages.get_mut(page) {
                p.docs.insert(key, Box::new(doc));
            }
        }
        // From here the kept model holds the new text: if rendering fails,
        // the next rebuild is a full one.
        self.clean = false;
        let mut ctx = loaded.render_context();
        ctx.live_reload = self.opts.live_reload.clone();
        let mut files = Vec::new();
        let mut failed = false;
        for view in render::views(&loaded.site)
            .iter()
            .filter(|v| pages.contains(&v.id))
        {
            render::render_view(&ctx, view, &mut |r| match r {
                Ok(f) => files.extend(f),
                Err(_) => failed = true,
            });
        }
        if failed {
            return None;
        }
        self.clean = true;
        self.generation += 1;
        self.search_stale = true;
        self.indexer.send(Msg::Swap {
            generation: self.generation,
            docs: copies,
        });
        Some(Rebuilt::Pages {
            files,
            sources,
            diagnostics,
        })
    }

    /// Asks the search thread to render the search index and pages again
    /// after body-only edits; returns at once (the thread publishes them).
    pub fn refresh_search(&mut self) {
        if !self.search_stale || !self.clean {
            return;
        }
        self.search_stale = false;
        self.indexer.send(Msg::Refresh {
            generation: self.generation,
        });
    }
}

/// A body-only edit: nothing another page can see has changed.
fn same_shape(old: &Doc, new: &Parsed) -> bool {
    let front = |file: &crate::diagnostics::SourceText| {
        frontmatter::split(file, &file.text)
            .ok()
            .map(|s| s.yaml.to_string())
    };
    let (Some(a), Some(b)) = (front(&old.file), front(&new.file)) else {
        return false;
    };
    a == b
        && old.body.headings.len() == new.body.headings.len()
        && old
            .body
            .headings
            .iter()
            .zip(&new.body.headings)
            .all(|(x, y)| x.id == y.id)
        && old.body.links.len() == new.body.links.len()
        && old
            .body
            .links
            .iter()
            .zip(&new.body.links)
            .all(|(x, y)| x.dest == y.dest && x.image == y.image)
}

fn failed(outcome: Outcome, e: Fatal) -> Rebuilt {
    Rebuilt::Failed {
        diagnostics: outcome.diagnostics,
        fatal: match e {
            Fatal::Content => None,
            other => Some(other),
        },
    }
}

/// Times a closure, in milliseconds.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64() * 1000.0)
}
