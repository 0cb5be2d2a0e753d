//! Watching the sources with notify and notify-debouncer-full.
//!
//! Only what a site is made of is watched: `site.yaml` (through a
//! non-recursive watch of the site's folder, which also sees `themes/`,
//! `translations/` or `symbols/` appear), and `content/`, `themes/`,
//! `translations/` and `symbols/` recursively. The output folder, `target/`
//! and `.git/` are never watched, so a site inside a repository costs no
//! more than its sources. Editors' temporary and backup files are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diagnostics::Fatal;

/// How long the files must be quiet before a rebuild: long enough to see
/// an editor's whole save (write, rename, chmod) as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// Folders of the site that hold sources.
const SOURCE_DIRS: &[&str] = &["content", "themes", "translations", "symbols"];

pub struct Watch {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<PathBuf>,
}

impl Watch {
    /// Starts watching `root` (an absolute path); batches of changes go to `tx`.
    pub fn new(root: &Path, tx: Sender<DebounceEventResult>) -> Result<Watch, Fatal> {
        let debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| {
            Fatal::Usage(format!(
                "could not watch {} for changes: {e}",
                root.display()
            ))
        })?;
        let mut w = Watch {
            root: root.to_path_buf(),
            debouncer,
            watched: BTreeSet::new(),
        };
        w.debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| {
                Fatal::Usage(format!(
                    "could not watch {} for changes: {e}",
                    root.display()
                ))
            })?;
        w.ensure();
        Ok(w)
    }

    /// Watches source folders that appeared since the last call.
    pub fn ensure(&mut self) {
        self.watched.retain(|p| p.is_dir());
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }

    /// The changed source files in a batch of events; `None` when a
    /// rescan is needed (events were lost): rebuild everything.
    pub fn changed(&self, result: DebounceEventResult) -> Option<BTreeSet<PathBuf>> {
        let events = match result {
            Ok(events) => events,
            Err(_) => return None,
        };
        let mut out = BTreeSet::new();
        for e in events {
            if e.need_rescan() {
                return None;
            }
            if matches!(e.kind, EventKind::Access(_)) {
                continue;
            }
            for p in &e.paths {
                if is_source(&self.root, p) {
                    out.insert(p.clone());
                }
            }
        }
        Some(out)
    }
}

/// Is `path` one of the site's sources (not a temporary or hidden file)?
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "site.yaml" {
        return true;
    }
    if !SOURCE_DIRS.contains(&first.as_str()) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temporary = name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".part",
            ".crdownload",
            ".kate-swp",
        ]
        .iter()
        .any(|ext| name.ends_with(ext));
    let hidden_dir = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    !temporary && !hidden_dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_only() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/site.yaml")));
        assert!(is_source(root, Path::new("/site/content/a/b.md")));
        assert!(is_source(root, Path::new("/site/translations/pl.yaml")));
        assert!(is_source(root, Path::new("/site/content")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/target/debug/x")));
        assert!(!is_source(root, Path::new("/site/content/.b.md.swp")));
        assert!(!is_source(root, Path::new("/site/content/b.md~")));
        assert!(!is_source(root, Path::new("/site/content/4913")));
        assert!(!is_source(root, Path::new("/site/content/.git/x")));
        assert!(!is_source(root, Path::new("/elsewhere/content/a.md")));
    }
}
