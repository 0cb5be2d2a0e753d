//! Parsed markdown files kept between rebuilds in serve mode, keyed by
//! path, modified time and length: the build thread and the search thread
//! both parse through it, so a file is parsed once per change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{self, Parsed};
use crate::source::{SourceFile, Variant};

struct Cached {
    modified: SystemTime,
    len: u64,
    rel: String,
    lang: Option<String>,
    variant: Variant,
    parsed: Parsed,
    diags: Vec<Diagnostic>,
}

/// Parsed markdown files kept between rebuilds.
#[derive(Default)]
pub struct ParseCache {
    map: Mutex<HashMap<PathBuf, Cached>>,
    /// Files parsed (not taken from the cache) since the last [`ParseCache::take_parsed`].
    parsed: Mutex<usize>,
}

/// A file's modified time and length, `None` when it cannot be read.
pub(super) fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Reports problems found when a file was parsed again, with the file's
/// source excerpts where they belong to it.
pub(super) fn replay(
    list: &[Diagnostic],
    file: &crate::diagnostics::SourceText,
    diags: &Diagnostics,
) {
    for d in list {
        if d.file.as_deref() == Some(file.name.as_str()) {
            diags.push_with_source(d.clone(), file);
        } else {
            diags.push(d.clone());
        }
    }
}

impl ParseCache {
    /// [`model::parse_page`], unless the file is unchanged since it was
    /// last parsed. Problems found when it was parsed are reported again.
    pub fn parse(&self, f: SourceFile, variant: Variant, diags: &Diagnostics) -> Option<Parsed> {
        self.parse_counted(f, variant, diags, true)
    }

    /// [`ParseCache::parse`] for the search thread: files it parses are not
    /// counted in the build thread's report.
    pub fn parse_quietly(
        &self,
        f: SourceFile,
        variant: Variant,
        diags: &Diagnostics,
    ) -> Option<Parsed> {
        self.parse_counted(f, variant, diags, false)
    }

    fn parse_counted(
        &self,
        f: SourceFile,
        variant: Variant,
        diags: &Diagnostics,
        count: bool,
    ) -> Option<Parsed> {
        // The stamp is taken before reading: a write during the read makes
        // the next stamp differ, so the file is parsed again.
        let now = stamp(&f.path);
        if let Some((modified, len)) = now
            && let Ok(map) = self.map.lock()
            && let Some(c) = map.get(&f.path)
            && c.modified == modified
            && c.len == len
            && c.rel == f.rel
            && c.lang == f.lang
            && c.variant == variant
        {
            replay(&c.diags, &c.parsed.file, diags);
            let mut p = c.parsed.clone();
            p.source = f;
            return Some(p);
        }
        if count && let Ok(mut n) = self.parsed.lock() {
            *n += 1;
        }
        let local = Diagnostics::new();
        let Some(parsed) = model::parse_page(f.clone(), variant, &local) else {
            // Parse again straight into `diags`, with its source excerpts.
            if let Ok(mut map) = self.map.lock() {
                map.remove(&f.path);
            }
            return model::parse_page(f, variant, diags);
        };
        let list = local.sorted();
        replay(&list, &parsed.file, diags);
        self.store(&f.path, now, &parsed, list);
        Some(parsed)
    }

    pub(super) fn store(
        &self,
        path: &Path,
        now: Option<(SystemTime, u64)>,
        parsed: &Parsed,
        diags: Vec<Diagnostic>,
    ) {
        let Ok(mut map) = self.map.lock() else {
            return;
        };
        match now {
            Some((modified, len)) => {
                map.insert(
                    path.to_path_buf(),
                    Cached {
                        modified,
                        len,
                        rel: parsed.source.rel.clone(),
                        lang: parsed.source.lang.clone(),
                        variant: parsed.variant,
                        parsed: parsed.clone(),
                        diags,
                    },
                );
            }
            None => {
                map.remove(path);
            }
        }
    }

    /// Forgets files that are no longer part of the site.
    pub(super) fn retain(&self, keep: impl Fn(&Path) -> bool) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|p, _| keep(p));
        }
    }

    /// How many files were parsed since the last call.
    pub fn take_parsed(&self) -> usize {
        self.parsed
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or(0)
    }
}
