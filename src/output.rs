//! Writing the site: only after everything has rendered and passed its
//! checks. Files whose bytes did not change are not rewritten; files the
//! previous build wrote and this one did not are removed. A manifest
//! (`.signpost-manifest`) records what Signpost wrote, so files it did not
//! write are never touched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::Fatal;
use crate::render::OutputFile;

pub const MANIFEST: &str = ".signpost-manifest";

/// Deepest element nesting `minify_html` is given: its parser recurses once
/// per level and would overflow a thread's stack on pathological pages
/// (thousands of nested quotes or list levels). Deeper pages are written
/// as rendered, unminified.
pub const MAX_MINIFY_DEPTH: usize = 200;

/// Minifies a rendered HTML page, keeping it valid HTML.
pub fn minify_html(html: &str) -> Vec<u8> {
    if nesting_depth(html) > MAX_MINIFY_DEPTH {
        return html.as_bytes().to_vec();
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    cfg.minify_doctype = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    cfg.allow_optimal_entities = false;
    minify_html::minify(html.as_bytes(), &cfg)
}

/// The deepest element nesting of an HTML page, estimated from its tags
/// (void elements, comments and the text of `<script>`/`<style>` skipped).
pub fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let b = html.as_bytes();
    let (mut i, mut depth, mut max) = (0, 0usize, 0usize);
    while let Some(n) = memchr_lt(&b[i..]) {
        i += n + 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map(|e| start + e)
            .unwrap_or(b.len());
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        let tag_end = b[end..]
            .iter()
            .position(|c| *c == b'>')
            .map(|e| end + e)
            .unwrap_or(b.len());
        if closing {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) && b.get(tag_end.wrapping_sub(1)) != Some(&b'/') {
            depth += 1;
            max = max.max(depth);
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                i = html[tag_end.min(b.len())..]
                    .find(&close)
                    .map(|e| tag_end + e)
                    .unwrap_or(b.len());
                continue;
            }
        }
        i = tag_end.min(b.len());
    }
    max
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|c| *c == b'<')
}

/// Is `rel` a relative path that stays inside the folder it is joined to
/// (no root, no `..`, no empty or `.` segments)?
pub fn is_inside(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

fn read_manifest(out: &Path) -> BTreeMap<String, (String, u64)> {
    let Ok(text) = std::fs::read_to_string(out.join(MANIFEST)) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let hash = parts.next()?.to_string();
            let len = parts.next()?.parse().ok()?;
            let path = parts.next()?.to_string();
            Some((path, (hash, len)))
        })
        .collect()
}

/// Writes the files into `out`, changing only what changed.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteStats, Fatal> {
    // Never write outside the output folder, whatever a renderer produced.
    if let Some(bad) = files.iter().find(|f| !is_inside(&f.path)) {
        return Err(Fatal::Usage(format!(
            "refusing to write `{}`: it is not a path inside the output folder (this is a bug in Signpost; please report it)",
            bad.path
        )));
    }
    std::fs::create_dir_all(out).map_err(|e| Fatal::io(out, e))?;
    let old = read_manifest(out);
    let hashes: Vec<String> = files
        .par_iter()
        .map(|f| blake3::hash(&f.bytes).to_hex().to_string())
        .collect();

    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rfind('/').map(|i| &f.path[..i]))
        .collect();
    for d in &dirs {
        let p = out.join(d);
        if !p.is_dir() {
            std::fs::create_dir_all(&p).map_err(|e| Fatal::io(&p, e))?;
        }
    }

    let results: Vec<Result<bool, Fatal>> = files
        .par_iter()
        .zip(hashes.par_iter())
        .map(|(f, hash)| {
            let path = out.join(&f.path);
            if let Some((old_hash, old_len)) = old.get(&f.path)
                && old_hash == hash
                && std::fs::metadata(&path)
                    .map(|m| m.len() == *old_len)
                    .unwrap_or(false)
            {
                return Ok(false);
            }
            if old.is_empty() && std::fs::read(&path).map(|b| b == f.bytes).unwrap_or(false) {
                return Ok(false);
            }
            std::fs::write(&path, &f.bytes).map_err(|e| Fatal::io(&path, e))?;
            Ok(true)
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }

    let new_paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut emptied: BTreeSet<String> = BTreeSet::new();
    for path in old.keys().filter(|p| !new_paths.contains(p.as_str())) {
        if !is_inside(path) {
            continue;
        }
        let p = out.join(path);
        if std::fs::remove_file(&p).is_ok() {
            stats.removed += 1;
            let mut dir = path.as_str();
            while let Some(i) = dir.rfind('/') {
                dir = &dir[..i];
                emptied.insert(dir.to_string());
            }
        }
    }
    // Remove folders left empty, deepest first.
    let mut emptied: Vec<String> = emptied.into_iter().collect();
    emptied.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for d in emptied {
        let _ = std::fs::remove_dir(out.join(d));
    }

    let mut manifest = String::new();
    for (f, hash) in files.iter().zip(&hashes) {
        manifest.push_str(&format!("{hash} {} {}\n", f.bytes.len(), f.path));
    }
    let mpath = out.join(MANIFEST);
    // Like every other file, the manifest is only rewritten when it changed.
    if std::fs::read(&mpath)
        .map(|old| old != manifest.as_bytes())
        .unwrap_or(true)
    {
        std::fs::write(&mpath, manifest).map_err(|e| Fatal::io(&mpath, e))?;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("mine.txt"), "not Signpost's").unwrap();
        let a = vec![
            OutputFile::new("a/index.html", "A"),
            OutputFile::new("b/index.html", "B"),
        ];
        let s = write_site(out, &a).unwrap();
        assert_eq!(s.written, 2);
        let s = write_site(out, &a).unwrap();
        assert_eq!((s.written, s.unchanged), (0, 2));
        let b = vec![OutputFile::new("a/index.html", "A2")];
        let s = write_site(out, &b).unwrap();
        assert_eq!((s.written, s.removed), (1, 1));
        assert!(!out.join("b").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A2"
        );
        assert!(
            out.join("mine.txt").exists(),
            "files Signpost did not write are kept"
        );
    }

    #[test]
    fn minified_html_keeps_structure() {
        let html = minify_html(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n  <p class=\"a b\">Hello   world</p>\n</body>\n</html>\n",
        );
        let s = String::from_utf8(html).unwrap();
        assert!(
            s.contains("<html lang=\"en\">") || s.contains("<html lang=en>"),
            "{s}"
        );
        assert!(s.contains("</p>"), "{s}");
        assert!(s.contains("class=\"a b\""), "{s}");
    }
}
