//! The search index, brought up to date on its own thread.
//!
//! A body-only edit re-renders just the edited page; the search index,
//! which holds the text of every page, is rendered again later, once the
//! files have been quiet for a moment. On a large site that takes seconds,
//! so it is not done on the build thread: an edit saved meanwhile would wait
//! for it.
//!
//! The indexer thread keeps its own copy of the model, so the build thread
//! never waits for it and never has to copy the whole site:
//!
//! - It loads its copy itself, through the build thread's [`ParseCache`]
//!   (so the markdown is not parsed again), the first time it is asked for
//!   an index after starting or after a full render ([`Msg::Reset`]).
//! - After that, every body-only edit sends it copies of the replaced
//!   documents ([`Msg::Swap`]), which it swaps into its copy, as the build
//!   thread did into its own.
//! - Each message carries the build thread's model generation. An index is
//!   published with the generation its copy had reached, and only when no
//!   index from a newer model (a full render, or a later refresh) has been
//!   published meanwhile ([`Publish`]): a slow, stale index never replaces
//!   a newer one.
//!
//! Messages are handled in order, and requests that pile up while an index
//! is being rendered are answered by one render, so the index always ends
//! up matching the last model once the edits stop.
//!
//! Why a second copy rather than sharing the build thread's model: the
//! model's types are not `Clone`, so the build thread could not replace a
//! model the indexer is reading without loading the whole site again (over
//! a second on 10,000 pages), which is the wait this avoids. The copy costs
//! memory instead (about 290 MB more on the 10,000-page benchmark corpus),
//! and only once an index has been asked for.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::diagnostics::{Diagnostics, Fatal};
use crate::model::{Doc, PageId, Site};
use crate::render::{OutputFile, SiteRenderer};
use crate::source::{SourceFile, Variant};
use crate::{Loaded, Options, Outcome};

use super::cache::ParseCache;

/// Where each markdown source is in a model: page and (variant, language).
pub type DocIndex = HashMap<PathBuf, (PageId, (Variant, String))>;

/// The documents of a model, by source path.
pub fn doc_index(site: &Site) -> DocIndex {
    let mut docs = HashMap::new();
    for (id, page) in site.pages.iter().enumerate() {
        for (key, doc) in &page.docs {
            docs.insert(doc.source.path.clone(), (id, key.clone()));
        }
    }
    docs
}

/// What the build thread tells the indexer.
pub enum Msg {
    /// The build thread's model was replaced (a full render): the
    /// indexer's copy is out of date and is loaded again when next needed.
    Reset { generation: u64 },
    /// A body-only edit replaced these documents (by source path).
    Swap {
        generation: u64,
        docs: Vec<(PathBuf, Doc)>,
    },
    /// Render the index from the model as it is now.
    Refresh { generation: u64 },
}

/// Publishes an index rendered from the model of a generation, unless one
/// from a newer model is already served; says whether it did.
pub type Publish = Box<dyn Fn(u64, Vec<OutputFile>) -> bool + Send>;

/// Called by the indexer just before it renders an index (tests use it to
/// hold a render in progress).
pub type BeforeRender = Box<dyn Fn() + Send>;

/// The build thread's end of the indexer thread. The thread ends when this
/// is dropped.
pub struct Indexer {
    tx: Sender<Msg>,
}

impl Indexer {
    /// Starts the indexer thread.
    pub fn spawn(
        opts: Options,
        cache: Arc<ParseCache>,
        publish: Publish,
        before_render: Option<BeforeRender>,
    ) -> Result<Indexer, Fatal> {
        let (tx, rx) = mpsc::channel();
        let worker = Worker {
            opts,
            cache,
            publish,
            before_render,
            copy: None,
            seen: 0,
        };
        std::thread::Builder::new()
            .name("signpost-search".into())
            .spawn(move || worker.run(rx))
            .map_err(|e| Fatal::Usage(format!("could not start the search thread: {e}")))?;
        Ok(Indexer { tx })
    }

    /// Tells the indexer; never waits. If its thread has gone (it cannot
    /// panic on anything from the files), the index is simply not refreshed.
    pub fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }
}

/// The indexer's copy of the model.
struct Model {
    loaded: Loaded,
    docs: DocIndex,
    /// The build thread's generation this copy matches (or is newer than).
    generation: u64,
}

impl Model {
    /// Swaps documents in; `false` when the copy does not have one of them
    /// (it was loaded from other files): then it must be loaded again.
    fn swap(&mut self, docs: Vec<(PathBuf, Doc)>) -> bool {
        for (path, doc) in docs {
            let Some((page, key)) = self.docs.get(&path) else {
                return false;
            };
            let Some(slot) = self
                .loaded
                .site
                .pages
                .get_mut(*page)
                .and_then(|p| p.docs.get_mut(key))
            else {
                return false;
            };
            **slot = doc;
        }
        true
    }
}

struct Worker {
    opts: Options,
    cache: Arc<ParseCache>,
    publish: Publish,
    before_render: Option<BeforeRender>,
    copy: Option<Model>,
    /// The newest generation heard of.
    seen: u64,
}

impl Worker {
    fn run(mut self, rx: Receiver<Msg>) {
        while let Ok(first) = rx.recv() {
            let mut wanted = self.handle(first);
            // Everything sent meanwhile: one render answers every request.
            while let Ok(more) = rx.try_recv() {
                wanted |= self.handle(more);
            }
            if wanted {
                self.refresh();
            }
        }
    }

    /// Takes in a message; `true` when it asks for an index.
    fn handle(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Reset { generation } => {
                self.seen = self.seen.max(generation);
                self.copy = None;
                false
            }
            Msg::Swap { generation, docs } => {
                self.seen = self.seen.max(generation);
                if let Some(copy) = &mut self.copy {
                    if copy.swap(docs) {
                        copy.generation = self.seen;
                    } else {
                        self.copy = None;
                    }
                }
                false
            }
            Msg::Refresh { generation } => {
                self.seen = self.seen.max(generation);
                true
            }
        }
    }

    /// Loads a copy of the model from the files as they are now, through
    /// the parse cache. It holds everything the build thread has seen (the
    /// files are read after the messages that led here), perhaps more.
    fn load(&self) -> Option<Model> {
        let mut outcome = Outcome::default();
        let cache = &*self.cache;
        let parse = |f: SourceFile, v: Variant, d: &Diagnostics| cache.parse_quietly(f, v, d);
        // Problems are the build thread's to report: it saw the same files.
        let loaded = crate::load_site(&self.opts, &mut outcome, &parse).ok()?;
        let docs = doc_index(&loaded.site);
        Some(Model {
            loaded,
            docs,
            generation: self.seen,
        })
    }

    fn refresh(&mut self) {
        if self.copy.is_none() {
            self.copy = self.load();
        }
        let Some(copy) = &self.copy else {
            // The files do not load now; the build thread reports why, and
            // asks again after the next edit.
            return;
        };
        if let Some(hook) = &self.before_render {
            hook();
        }
        let loaded = &copy.loaded;
        let mut ctx = loaded.render_context();
        ctx.live_reload = self.opts.live_reload.clone();
        // As before this ran on its own thread: a failed index leaves the
        // last one served (a full render reports the problem).
        if let Ok(files) = crate::search::Search.render(&ctx) {
            (self.publish)(copy.generation, files);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::Shared;
    use crate::serve::build::{Builder, Rebuilt};
    use crate::serve::testing::{WAIT, write};
    use std::path::Path;
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::{Duration, Instant};

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "site.yaml",
            "title: Search thread test\nlanguages:\n  - { code: en, name: English }\norganisation:\n  name: Test Council\n  email: info@example.org\n",
        );
        write(
            root,
            "content/_index.md",
            "---\ntitle: Home\nsummary: The home page.\n---\n\nRead about [money](help/money.md).\n",
        );
        write(
            root,
            "content/help/_index.md",
            "---\ntitle: Help\nsummary: Help you can get.\n---\n\nThe help section.\n",
        );
        write(root, "content/help/money.md", &money("nothing"));
        dir
    }

    fn money(word: &str) -> String {
        format!(
            "---\ntitle: Money advice\nsummary: Where to get advice about money.\n---\n\nAsk about {word}.\n\n## Who can help\n\nAn adviser can help.\n"
        )
    }

    /// Does the served English index list `word`, as search.js would look
    /// it up (the manifest's shards, then the word's shard)?
    fn indexed(shared: &Shared, word: &str) -> bool {
        let files = shared.files();
        let Some(manifest) = files.get("search/index.en.json") else {
            return false;
        };
        let manifest: serde_json::Value = serde_json::from_slice(manifest).unwrap();
        let prefix = manifest["prefix"].as_u64().unwrap() as usize;
        let key = crate::search::tokens::shard_key(word, prefix);
        if !manifest["shards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k.as_str() == Some(key.as_str()))
        {
            return false;
        }
        let Some(shard) = files.get(&format!("search/en/t-{key}.json")) else {
            return false;
        };
        let shard: serde_json::Value = serde_json::from_slice(shard).unwrap();
        shard.get(word).is_some()
    }

    fn page(shared: &Shared) -> String {
        let files = shared.files();
        String::from_utf8_lossy(&files["help/money/index.html"]).to_string()
    }

    fn body_edit(builder: &mut Builder, shared: &Shared, root: &Path, word: &str) {
        let path = root.join("content/help/money.md");
        std::fs::write(&path, money(word)).unwrap();
        match builder.rebuild(&[path]) {
            Rebuilt::Pages { files, .. } => shared.update(files),
            _ => panic!("a body edit re-renders just its page"),
        }
    }

    #[test]
    fn an_index_from_an_older_model_is_never_served() {
        let shared = Shared::default();
        let file = |text: &str| vec![OutputFile::new("search/index.en.json", text.to_string())];
        let served =
            || String::from_utf8_lossy(&shared.files()["search/index.en.json"]).to_string();
        shared.replace_all(file("full 2"), 2);
        assert!(!shared.update_search(file("refresh 1"), 1));
        assert!(!shared.update_search(file("refresh 2"), 2));
        assert_eq!(served(), "full 2");
        assert!(shared.update_search(file("refresh 4"), 4));
        assert!(!shared.update_search(file("refresh 3"), 3));
        assert_eq!(served(), "refresh 4");
        shared.replace_all(file("full 5"), 5);
        assert!(!shared.update_search(file("refresh 4 again"), 4));
        assert_eq!(served(), "full 5");
    }

    #[test]
    fn a_page_edit_is_served_while_the_index_is_rendered() {
        let dir = site();
        let root = dir.path().to_path_buf();
        let shared = Arc::new(Shared::default());
        let sink = shared.clone();
        let publish: Publish = Box::new(move |g, files| sink.update_search(files, g));
        // The search thread stops in this hook until the test lets it go.
        let (entered_tx, entered) = mpsc::channel::<()>();
        let (release, release_rx) = mpsc::channel::<()>();
        let hook: BeforeRender = Box::new(move || {
            let _ = entered_tx.send(());
            let _ = release_rx.recv();
        });
        let mut builder = Builder::with_hook(Options::new(&root), publish, hook).unwrap();
        match builder.full() {
            Rebuilt::Full {
                files, generation, ..
            } => shared.replace_all(files, generation),
            _ => panic!("the test site builds"),
        }
        assert!(indexed(&shared, "adviser"));
        assert!(!indexed(&shared, "quokkas"));

        body_edit(&mut builder, &shared, &root, "quokkas");
        builder.refresh_search();
        entered
            .recv_timeout(WAIT)
            .expect("the search thread starts rendering");

        // The search thread is in the middle of rendering: an edit is
        // rebuilt and served all the same. (On another thread, so that a
        // rebuild waiting for the search thread fails instead of hanging.)
        let (done_tx, done) = mpsc::channel();
        let edit_root = root.clone();
        let edit_shared = shared.clone();
        std::thread::spawn(move || {
            body_edit(&mut builder, &edit_shared, &edit_root, "wombats");
            let _ = done_tx.send(builder);
        });
        let mut builder = match done.recv_timeout(WAIT) {
            Ok(b) => b,
            Err(RecvTimeoutError::Timeout) => panic!("the edit waited for the search index"),
            Err(RecvTimeoutError::Disconnected) => panic!("the edit failed"),
        };
        assert!(page(&shared).contains("wombats"));
        assert!(
            !indexed(&shared, "quokkas"),
            "the index being rendered is not served yet"
        );
        builder.refresh_search();

        // Let the search thread go (and never stop it again): the index it
        // was rendering (quokkas) is served, then the one asked for after
        // the second edit (wombats), which it renders from its own copy of
        // the model with the edited document swapped in.
        drop(release);
        let deadline = Instant::now() + WAIT;
        while !indexed(&shared, "wombats") {
            assert!(Instant::now() < deadline, "the index never caught up");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!indexed(&shared, "quokkas"));
        assert!(indexed(&shared, "adviser"));
        assert!(page(&shared).contains("wombats"));
    }
}
