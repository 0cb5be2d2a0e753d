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
//! - Any other edit, new file or deleted file among the pages' markdown (a
//!   title, a summary, a weight, a slug, a new page, a deleted one) loads
//!   the model again through the parse cache and renders only the pages
//!   whose [`depends::fingerprints`] changed (the page, its section's
//!   listings, its children's breadcrumbs, the pages that link to it), then
//!   the site-wide files (A to Z, sitemap, ...); files no longer rendered
//!   are removed from what is served. The search index follows on its own
//!   thread, as after a body edit.
//! - Anything else (site.yaml, the theme, interface strings, service
//!   entries, files in `content/` that are not markdown, two pages at one
//!   address) is a full in-memory render through the same pipeline as
//!   `signpost build`.

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
use super::depends;
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
    /// Only these pages' files changed, and the `removed` files are gone.
    Pages {
        files: Vec<OutputFile>,
        removed: Vec<String>,
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
    /// What each page of the kept model shows ([`depends::fingerprints`]).
    prints: HashMap<String, u64>,
    /// Every file of the site as served.
    paths: BTreeSet<String>,
    /// The files of the site renderers rendered after every edit, once known.
    site_paths: Option<BTreeSet<String>>,
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
            prints: HashMap::new(),
            paths: BTreeSet::new(),
            site_paths: None,
        })
    }

    /// Rebuilds after `changed` files changed (all of them for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuilt {
        if !changed.is_empty()
            && let Some(r) = self
                .pages_only(changed)
                .or_else(|| self.dependents(changed))
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
        self.prints = depends::fingerprints(&loaded.site);
        self.site_paths = None;
        self.loaded = Some(loaded);
        self.clean = true;
        self.generation += 1;
        // The render included the search index; the search thread's copy
        // of the model is now out of date.
        self.search_stale = false;
        self.indexer.send(Msg::Reset {
            generation: self.generation,
        });
        let files = sink.into_sorted();
        self.paths = files.iter().map(|f| f.path.clone()).collect();
        Rebuilt::Full {
            files,
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
            removed: Vec::new(),
            sources,
            diagnostics,
        })
    }

    /// Edits, new and deleted files among the pages' markdown that may
    /// change what other pages show (a title, a summary, a weight, a new
    /// page): loads the model again through the parse cache and renders
    /// only the pages whose [`depends::fingerprints`] changed, and the
    /// site-wide files but the search index (which the search thread
    /// brings up to date, as after a body edit). `None` when a full render
    /// is needed: something else changed, or two things would be published
    /// at one address (the full render says which).
    fn dependents(&mut self, changed: &[PathBuf]) -> Option<Rebuilt> {
        let content = self.opts.root.join("content");
        let pages_only = changed
            .iter()
            .all(|p| p.starts_with(&content) && p.extension().is_some_and(|e| e == "md"));
        if !self.clean || !pages_only {
            return None;
        }
        let old = self.loaded.take()?;
        let mut outcome = Outcome::default();
        let cache = &*self.cache;
        let parse = |f: SourceFile, v: Variant, d: &Diagnostics| cache.parse(f, v, d);
        let new = match crate::load_site(&self.opts, &mut outcome, &parse) {
            Ok(l) => l,
            Err(e) => {
                self.loaded = Some(old);
                self.clean = false;
                return Some(failed(outcome, e));
            }
        };
        let prints = depends::fingerprints(&new.site);
        let redo: BTreeSet<&str> = prints
            .iter()
            .filter(|(k, v)| self.prints.get(*k) != Some(*v))
            .map(|(k, _)| k.as_str())
            .collect();
        let was: BTreeSet<&str> = self
            .prints
            .keys()
            .map(String::as_str)
            .filter(|k| redo.contains(k) || !prints.contains_key(*k))
            .collect();

        let diags = &outcome.diagnostics;
        let (files, site_files) = {
            let ctx = crate::render_context_for(&self.opts, &new, diags);
            let Some(files) = render_pages(&ctx, &redo) else {
                self.loaded = Some(old);
                return None;
            };
            let Some(site_files) = render_site_files(&ctx) else {
                self.loaded = Some(old);
                return None;
            };
            (files, site_files)
        };
        // What the changed and deleted pages, and the site-wide files, were:
        // the ones not rendered again are removed.
        let before = {
            let scratch = Diagnostics::new();
            let ctx = crate::render_context_for(&self.opts, &old, &scratch);
            let mut before: BTreeSet<String> = render_pages(&ctx, &was)
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.path)
                .collect();
            match self.site_paths.take() {
                Some(site) => before.extend(site),
                None => before.extend(
                    render_site_files(&ctx)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|f| f.path),
                ),
            }
            before
        };
        let now: BTreeSet<String> = files
            .iter()
            .chain(&site_files)
            .map(|f| f.path.clone())
            .collect();
        // A new address that another, unchanged page already has.
        let mut seen = BTreeSet::new();
        let clash = files.iter().chain(&site_files).any(|f| {
            !seen.insert(&f.path) || (self.paths.contains(&f.path) && !before.contains(&f.path))
        });
        if clash || diags.has_errors() {
            self.loaded = Some(old);
            self.clean = false;
            return None;
        }
        let removed: Vec<String> = before.difference(&now).cloned().collect();
        for r in &removed {
            self.paths.remove(r);
        }
        self.paths.extend(now.iter().cloned());
        self.site_paths = Some(site_files.iter().map(|f| f.path.clone()).collect());

        let docs = search::doc_index(&new.site);
        self.cache.retain(|p| docs.contains_key(p));
        self.docs = docs;
        self.prints = prints;
        self.loaded = Some(new);
        self.generation += 1;
        self.search_stale = true;
        self.indexer.send(Msg::Reset {
            generation: self.generation,
        });
        let sources = changed
            .iter()
            .map(|p| {
                p.strip_prefix(&self.opts.root)
                    .unwrap_or(p)
                    .display()
                    .to_string()
            })
            .collect();
        let mut files = files;
        files.extend(site_files);
        Some(Rebuilt::Pages {
            files,
            removed,
            sources,
            diagnostics: outcome.diagnostics,
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

/// Every file of the pages with these keys, in every format and language;
/// `None` if one does not render.
fn render_pages(ctx: &render::RenderContext<'_>, keys: &BTreeSet<&str>) -> Option<Vec<OutputFile>> {
    use rayon::prelude::*;
    let views: Vec<_> = render::views(ctx.site)
        .into_iter()
        .filter(|v| keys.contains(ctx.site.pages[v.id].key.as_str()))
        .collect();
    let rendered: Vec<Option<Vec<OutputFile>>> = views
        .par_iter()
        .map(|view| {
            let mut files = Vec::new();
            let mut ok = true;
            render::render_view(ctx, view, &mut |r| match r {
                Ok(f) => files.extend(f),
                Err(_) => ok = false,
            });
            ok.then_some(files)
        })
        .collect();
    rendered.into_iter().try_fold(Vec::new(), |mut all, files| {
        all.extend(files?);
        Some(all)
    })
}

/// The site-wide files but those the search thread renders; `None` if one
/// does not render.
fn render_site_files(ctx: &render::RenderContext<'_>) -> Option<Vec<OutputFile>> {
    let mut files = Vec::new();
    for r in render::site_renderers(ctx) {
        if !r.deferred_in_serve() {
            files.extend(r.render(ctx).ok()?);
        }
    }
    Some(files)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutputFile;
    use crate::serve::Shared;
    use crate::serve::testing::{WAIT, write};
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::time::Duration;

    fn page(title: &str, summary: &str, weight: u32, body: &str) -> String {
        format!("---\ntitle: {title}\nsummary: {summary}\nweight: {weight}\n---\n\n{body}\n")
    }

    /// A site of two languages, two sections and a few linked pages.
    fn site(root: &Path) {
        write(
            root,
            "site.yaml",
            "title: Equality test\nlanguages:\n  - { code: en, name: English }\n  - { code: pl, name: Polski }\norganisation:\n  name: Test Council\n  email: info@example.org\nprint:\n  large_print_pdf: false\n  booklet_pdf: false\n",
        );
        write(
            root,
            "content/_index.md",
            &page(
                "Home",
                "The home page.",
                1,
                "Read about [money](money/_index.md) and [care](care/_index.md).",
            ),
        );
        for (section, title) in [("money", "Money"), ("care", "Care")] {
            write(
                root,
                &format!("content/{section}/_index.md"),
                &page(
                    title,
                    &format!("All about {section}."),
                    1,
                    &format!("The {section} section."),
                ),
            );
            for i in 1..=3 {
                write(
                    root,
                    &format!("content/{section}/page-{i}.md"),
                    &body_page(section, i, 0),
                );
            }
        }
        write(
            root,
            "content/money/page-1.pl.md",
            &page(
                "Pieniądze",
                "O pieniądzach.",
                1,
                "Strona po polsku.\n\n## Kto pomaga\n\nDoradca.",
            ),
        );
    }

    fn body_page(section: &str, i: u32, version: u32) -> String {
        page(
            &format!("Page {i} of {section}"),
            &format!("What page {i} of {section} says."),
            i,
            &format!(
                "Version {version}.\n\n## Who can help\n\nAn adviser. See [the first page](page-1.md#who-can-help) and [care](../care/_index.md).\n"
            ),
        )
    }

    /// A small, seeded random number generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn served(shared: &Shared) -> BTreeMap<String, Vec<u8>> {
        shared
            .files()
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()
    }

    fn apply(shared: &Shared, rebuilt: Rebuilt) -> &'static str {
        match rebuilt {
            Rebuilt::Full {
                files, generation, ..
            } => {
                shared.replace_all(files, generation);
                "full"
            }
            Rebuilt::Pages { files, removed, .. } => {
                shared.update(files);
                shared.remove(&removed);
                "pages"
            }
            Rebuilt::Failed { diagnostics, fatal } => panic!(
                "an edit of the test made the site fail: {fatal:?}\n{}",
                diagnostics.render_text()
            ),
        }
    }

    /// After every one of a run of random edits (bodies, titles, summaries,
    /// weights, slugs, new pages and deleted ones), the site `serve` holds, once
    /// its search index has caught up, is byte for byte what a full build
    /// of the files renders; and none of them needs a full render.
    #[test]
    fn served_site_equals_a_full_build_after_random_edits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        site(&root);
        let mut opts = Options::new(&root);
        opts.today = Some(frontmatter::Date::parse("2026-11-01").unwrap());
        opts.print_cache = Some(dir.path().join("print-cache"));
        let shared = Arc::new(Shared::default());
        let sink = shared.clone();
        let mut builder =
            Builder::new(opts.clone(), Box::new(move |g, f| sink.update_search(f, g))).unwrap();
        apply(&shared, builder.full());

        let mut rng = Rng(0x5eed_1234_abcd_0042);
        let mut extra = 0u32;
        let mut kinds = BTreeMap::<&str, usize>::new();
        let mut full_renders = 0;
        for step in 0..40 {
            let section = ["money", "care"][rng.below(2)];
            let i = 1 + rng.below(3) as u32;
            let rel = format!("content/{section}/page-{i}.md");
            // Every kind once, in turn, then at random.
            const KINDS: [&str; 8] = [
                "body",
                "title",
                "summary",
                "weight",
                "section title",
                "slug",
                "new",
                "delete",
            ];
            let kind = KINDS[if (step as usize) < KINDS.len() {
                step as usize
            } else {
                rng.below(KINDS.len())
            }];
            let path = match kind {
                "body" => {
                    write(&root, &rel, &body_page(section, i, step));
                    root.join(&rel)
                }
                "title" | "summary" | "weight" => {
                    let text = std::fs::read_to_string(root.join(&rel))
                        .unwrap_or_else(|_| body_page(section, i, step));
                    let text = match kind {
                        "title" => {
                            text.replacen("title: Page", &format!("title: Step {step} page"), 1)
                        }
                        "summary" => {
                            text.replacen("summary: ", &format!("summary: Step {step}. "), 1)
                        }
                        _ => {
                            let weight = rng.below(9);
                            text.lines()
                                .map(|l| {
                                    if l.starts_with("weight:") {
                                        format!("weight: {weight}\n")
                                    } else {
                                        format!("{l}\n")
                                    }
                                })
                                .collect()
                        }
                    };
                    write(&root, &rel, &text);
                    root.join(&rel)
                }
                "slug" => {
                    // A page's own address, or a whole section's.
                    let rel = if rng.below(2) == 0 {
                        rel.clone()
                    } else {
                        format!("content/{section}/_index.md")
                    };
                    let text = std::fs::read_to_string(root.join(&rel))
                        .unwrap_or_else(|_| body_page(section, i, step));
                    let text = text
                        .lines()
                        .filter(|l| !l.starts_with("slug:"))
                        .map(|l| {
                            if l.starts_with("title:") {
                                format!("{l}\nslug: {section}-{step}\n")
                            } else {
                                format!("{l}\n")
                            }
                        })
                        .collect::<String>();
                    write(&root, &rel, &text);
                    root.join(rel)
                }
                "section title" => {
                    let rel = format!("content/{section}/_index.md");
                    write(
                        &root,
                        &rel,
                        &page(
                            &format!("{section} at step {step}"),
                            "A section.",
                            1,
                            "The section.",
                        ),
                    );
                    root.join(rel)
                }
                "new" => {
                    extra += 1;
                    let rel = format!("content/{section}/extra-{extra}.md");
                    write(
                        &root,
                        &rel,
                        &page(
                            &format!("Extra {extra}"),
                            "A new page.",
                            5,
                            "New. See [care](../care/_index.md).",
                        ),
                    );
                    root.join(rel)
                }
                _ => {
                    // Delete a page nothing links to (an extra one), if any.
                    let Some(n) = (1..=extra).rev().find(|n| {
                        root.join(format!("content/{section}/extra-{n}.md"))
                            .exists()
                    }) else {
                        continue;
                    };
                    let p = root.join(format!("content/{section}/extra-{n}.md"));
                    std::fs::remove_file(&p).unwrap();
                    p
                }
            };
            *kinds.entry(kind).or_default() += 1;
            if apply(&shared, builder.rebuild(&[path])) == "full" {
                full_renders += 1;
            }
            builder.refresh_search();
            let deadline = Instant::now() + WAIT;
            while *shared.search.lock().unwrap() < builder.generation {
                assert!(
                    Instant::now() < deadline,
                    "the search index never caught up"
                );
                std::thread::sleep(Duration::from_millis(10));
            }

            let (outcome, result) = crate::render_in_memory(&opts);
            assert!(result.is_ok(), "{}", outcome.diagnostics.render_text());
            let built: BTreeMap<String, Vec<u8>> = outcome
                .files
                .into_iter()
                .map(|f: OutputFile| (f.path, f.bytes))
                .collect();
            let got = served(&shared);
            let only_served: Vec<&String> =
                got.keys().filter(|k| !built.contains_key(*k)).collect();
            let only_built: Vec<&String> = built.keys().filter(|k| !got.contains_key(*k)).collect();
            let differ: Vec<&String> = built
                .iter()
                .filter(|(k, v)| got.get(*k).is_some_and(|g| g != *v))
                .map(|(k, _)| k)
                .collect();
            assert!(
                only_served.is_empty() && only_built.is_empty() && differ.is_empty(),
                "step {step} ({kind} edit of {rel}): served but not built {only_served:?}, built but not served {only_built:?}, different {differ:?}"
            );
        }
        // Every kind of edit was tried, and none needed a full render.
        assert!(kinds.len() == 8, "{kinds:?}");
        assert_eq!(full_renders, 0, "{kinds:?}");
    }
}
