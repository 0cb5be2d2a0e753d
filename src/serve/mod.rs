//! `signpost serve`: a live preview on 127.0.0.1.
//!
//! ```text
//!  watch (notify, debounced) ──> build thread ──> Shared { files, broken, generation }
//!                                  │ Builder: parse cache,           │
//!                                  │ body-only fast path, full       ├──> http threads (GET/HEAD
//!                                  │ in-memory render                │     from memory, SSE)
//!                                  ├─ diagnostics ──> terminal       └──> browser: reload.js
//!                                  └─ edited pages ──> search thread ──> Shared.files: the search
//!                                     (it keeps its own copy of         index, unless one from a
//!                                     the model: see `search`)          newer model is served
//! ```
//!
//! The site is rendered in memory with `Options.live_reload` set, so every
//! page loads `/__signpost/reload.js` from the server itself; `signpost
//! build` output never has it. Nothing is written to disk. When a change
//! breaks the site, the diagnostics go to the terminal and every HTML
//! request gets a page listing them (status 500), while other files, and
//! any page asked for with `?last-good`, keep coming from the last version
//! that built. Saving a fix rebuilds and reloads the open tab.

pub mod build;
pub mod cache;
pub mod depends;
pub mod http;
pub mod overlay;
pub mod search;
pub mod watch;

/// What the tests of `serve`'s parts share.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;
    use std::time::Duration;

    /// Long enough for a busy machine; nothing here measures time.
    pub const WAIT: Duration = Duration::from_secs(120);

    /// Writes `text` to `root/rel`, making its folders.
    pub fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;

use crate::diagnostics::{Diagnostics, Fatal, SourceText};
use crate::render::OutputFile;
use crate::{Options, config, i18n};

use build::{Builder, Rebuilt, timed};
use overlay::{Broken, OverlayStrings};

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
}

/// What `serve` has to say; `main` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The address, once the first build is being served.
    Serving(String),
    /// Progress: a rebuild and what it took.
    Info(String),
    /// Diagnostics, rendered as text.
    Problems(String),
}

/// Receives [`Message`]s.
pub type Report = Box<dyn Fn(Message) + Send + Sync>;

type FileMap = HashMap<String, Arc<Vec<u8>>>;

/// What the build thread publishes and the HTTP threads read.
#[derive(Default)]
pub struct Shared {
    files: RwLock<FileMap>,
    /// The model generation the served search index was rendered from.
    /// Held while a search index is put in `files`, so that an index from
    /// an older model never replaces a newer one.
    search: Mutex<u64>,
    broken: RwLock<Option<Arc<Broken>>>,
    generation: Mutex<u64>,
    changed: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    /// The files of the last version that built.
    pub fn files(&self) -> RwLockReadGuard<'_, FileMap> {
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The diagnostics page, while the site does not build.
    pub fn broken(&self) -> Option<Arc<Broken>> {
        self.broken.read().map(|b| b.clone()).unwrap_or(None)
    }

    /// Goes up by one each time what is served changes.
    pub fn generation(&self) -> u64 {
        self.generation.lock().map(|g| *g).unwrap_or(0)
    }

    /// Waits until the generation is not `seen`, or `timeout`.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(g) = self.generation.lock() else {
            return seen;
        };
        match self.changed.wait_timeout_while(g, timeout, |g| *g == seen) {
            Ok((g, _)) => *g,
            Err(_) => seen,
        }
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn bump(&self) {
        if let Ok(mut g) = self.generation.lock() {
            *g += 1;
        }
        self.changed.notify_all();
    }

    /// Serves a whole site, whose search index is of model `generation`.
    fn replace_all(&self, files: Vec<OutputFile>, generation: u64) {
        let map: FileMap = files
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect();
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(mut m) = self.files.write() {
            *m = map;
        }
        *search = (*search).max(generation);
    }

    /// Serves a search index rendered from model `generation`, unless one
    /// from the same or a newer model is served already. Says whether it did.
    pub fn update_search(&self, files: Vec<OutputFile>, generation: u64) -> bool {
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        if generation <= *search {
            return false;
        }
        if let Ok(mut m) = self.files.write() {
            // Shards of words no page has any more are no longer served.
            let now: std::collections::HashSet<&str> =
                files.iter().map(|f| f.path.as_str()).collect();
            m.retain(|p, _| !crate::search::index::is_index_file(p) || now.contains(p.as_str()));
            for f in files {
                m.insert(f.path, Arc::new(f.bytes));
            }
        }
        *search = generation;
        true
    }

    fn update(&self, files: Vec<OutputFile>) {
        if let Ok(mut m) = self.files.write() {
            for f in files {
                m.insert(f.path, Arc::new(f.bytes));
            }
        }
    }

    fn remove(&self, paths: &[String]) {
        if paths.is_empty() {
            return;
        }
        if let Ok(mut m) = self.files.write() {
            for p in paths {
                m.remove(p);
            }
        }
    }

    fn set_broken(&self, b: Option<Broken>) {
        if let Ok(mut slot) = self.broken.write() {
            *slot = b.map(Arc::new);
        }
    }

    fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }
}

/// The diagnostics page's strings: the site's default language when
/// site.yaml can be read, English otherwise.
fn overlay_strings(root: &Path, count: usize) -> OverlayStrings {
    let scratch = Diagnostics::new();
    let config = config::SiteConfig::load(root, &scratch).or_else(|| {
        config::SiteConfig::parse(&SourceText::new("site.yaml", "title: Signpost\n"), &scratch)
    });
    match config {
        Some(c) => {
            let strings = i18n::I18n::load(root, &c, &scratch);
            let lang = c.default_language.clone();
            OverlayStrings::new(
                strings.get(&lang),
                &lang,
                c.default_lang().dir.as_str(),
                count,
            )
        }
        None => OverlayStrings {
            lang: "en".into(),
            dir: "ltr",
            title: "The site could not be rebuilt".into(),
            intro: String::new(),
            fix: String::new(),
            last_good: "Show the last good version of this page".into(),
            help: "What to do".into(),
            error: "Error".into(),
            warning: "Warning".into(),
            problems: format!("{count} problems"),
        },
    }
}

/// The build thread's memory of what it last said.
#[derive(Default)]
struct Said {
    warnings: String,
    broken: bool,
}

/// Publishes a rebuild and says what happened.
fn publish(
    shared: &Shared,
    root: &Path,
    rebuilt: Rebuilt,
    ms: f64,
    said: &mut Said,
    report: &Report,
) {
    match rebuilt {
        Rebuilt::Full {
            files,
            parsed,
            diagnostics,
            generation,
        } => {
            let n = files.len();
            shared.replace_all(files, generation);
            shared.set_broken(None);
            shared.bump();
            warnings(&diagnostics, said, report);
            let fixed = if std::mem::take(&mut said.broken) {
                "The site builds again. "
            } else {
                ""
            };
            report(Message::Info(format!(
                "{fixed}Rendered the whole site: {n} files ({parsed} source files parsed) in {ms:.0} ms"
            )));
        }
        Rebuilt::Pages {
            files,
            removed,
            sources,
            diagnostics,
        } => {
            let n = files.len();
            shared.update(files);
            shared.remove(&removed);
            shared.set_broken(None);
            shared.bump();
            warnings(&diagnostics, said, report);
            report(Message::Info(format!(
                "Rebuilt {}: {n} files in {ms:.0} ms",
                sources.join(", ")
            )));
        }
        Rebuilt::Failed { diagnostics, fatal } => {
            let mut text = diagnostics.render_text();
            if let Some(f) = &fatal {
                text.push_str(&format!("error: {f}\n"));
            }
            let errors = diagnostics.counts().errors + usize::from(fatal.is_some());
            let broken = Broken::new(root, &diagnostics, fatal.map(|f| f.to_string()), |n| {
                overlay_strings(root, n)
            });
            shared.set_broken(Some(broken));
            shared.bump();
            said.broken = true;
            said.warnings.clear();
            report(Message::Problems(text));
            report(Message::Info(format!(
                "The site has {errors} error{}: the browser shows them, and the last version that built is still served (add ?last-good to a page's address). Fix and save to rebuild.",
                if errors == 1 { "" } else { "s" }
            )));
        }
    }
}

fn warnings(diagnostics: &Diagnostics, said: &mut Said, report: &Report) {
    let text = diagnostics.render_text();
    if !text.is_empty() && text != said.warnings {
        report(Message::Problems(text.clone()));
    }
    said.warnings = text;
}

/// Serves the site until Ctrl-C.
pub fn serve(opts: ServeOptions, report: Report) -> Result<(), Fatal> {
    if !opts.root.is_dir() {
        return Err(Fatal::Usage(format!(
            "the folder {} does not exist",
            opts.root.display()
        )));
    }
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Fatal::io(&opts.root, e))?;
    // Listen first: a busy port is reported before any work is done.
    let listener = TcpListener::bind(("127.0.0.1", opts.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Fatal::Usage(format!(
                "port {} is already in use on 127.0.0.1: stop the program that uses it, or choose another port with --port N (--port 0 picks a free one)",
                opts.port
            ))
        } else {
            Fatal::Usage(format!("could not listen on 127.0.0.1:{}: {e}", opts.port))
        }
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| Fatal::Usage(format!("could not listen on 127.0.0.1: {e}")))?
        .port();
    let url = format!("http://127.0.0.1:{port}/");

    let mut build_opts = Options::new(&root);
    build_opts.base_url = Some(url.clone());
    build_opts.drafts = opts.drafts;
    build_opts.live_reload = Some(http::RELOAD_JS.to_string());
    // The preview's PDFs link to the preview's address, so they are kept
    // apart from the build's (`.public.print-cache-serve`): after the first
    // render, only a changed page's PDFs are typeset again.
    let mut cache = build_opts.print_cache_dir().into_os_string();
    cache.push("-serve");
    build_opts.print_cache = Some(cache.into());

    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let ctrl_c = stop_tx.clone();
    ctrlc::set_handler(move || {
        let _ = ctrl_c.send(());
    })
    .map_err(|e| Fatal::Usage(format!("could not listen for Ctrl-C: {e}")))?;

    // Watch before the first build, so no change is missed.
    let (tx, rx) = mpsc::channel();
    let mut watch = watch::Watch::new(&root, tx)?;
    let shared = Arc::new(Shared::default());
    let indexed = shared.clone();
    let mut builder = Builder::new(
        build_opts,
        Box::new(move |generation, files| indexed.update_search(files, generation)),
    )?;
    let mut said = Said::default();
    let (first, ms) = timed(|| builder.full());
    publish(&shared, &root, first, ms, &mut said, &report);

    let server = shared.clone();
    std::thread::Builder::new()
        .name("signpost-accept".into())
        .spawn(move || http::run(listener, server))
        .map_err(|e| Fatal::Usage(format!("could not start the server: {e}")))?;
    report(Message::Serving(url));
    report(Message::Info(
        "Watching for changes. Press Ctrl-C to stop.".into(),
    ));

    let state = shared.clone();
    let report = Arc::new(report);
    let build_report = report.clone();
    std::thread::Builder::new()
        .name("signpost-build".into())
        .spawn(move || {
            let report = &*build_report;
            loop {
                if state.is_stopping() {
                    return;
                }
                // After body-only edits, the search index is rendered again
                // once the files have been quiet for a second, on the search
                // thread: rebuilds never wait for it.
                let wait = Duration::from_millis(if builder.search_stale { 1000 } else { 500 });
                let first = match rx.recv_timeout(wait) {
                    Ok(r) => r,
                    Err(RecvTimeoutError::Timeout) => {
                        builder.refresh_search();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                let mut changed = watch.changed(first);
                while let Ok(more) = rx.try_recv() {
                    changed = match (changed, watch.changed(more)) {
                        (Some(mut a), Some(b)) => {
                            a.extend(b);
                            Some(a)
                        }
                        _ => None,
                    };
                }
                watch.ensure();
                let (rebuilt, ms) = match changed {
                    Some(paths) if paths.is_empty() => continue,
                    Some(paths) => {
                        let paths: Vec<PathBuf> = paths.into_iter().collect();
                        timed(|| builder.rebuild(&paths))
                    }
                    None => timed(|| builder.full()),
                };
                publish(&state, &root, rebuilt, ms, &mut said, report);
            }
        })
        .map_err(|e| Fatal::Usage(format!("could not start the build thread: {e}")))?;

    let _ = stop_rx.recv();
    shared.stop();
    report(Message::Info(
        "Stopped. Nothing was written to disk.".into(),
    ));
    Ok(())
}
