//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod braille;
pub mod pdf;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root (also the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds a site with the library API into `out`, with a fixed "today" so
/// freshness checks do not depend on the calendar.
pub fn build(root: &Path, out: &Path) -> signpost::Outcome {
    let mut opts = signpost::Options::new(root);
    opts.output = Some(out.to_path_buf());
    opts.today = signpost::frontmatter::Date::parse("2026-11-22").ok();
    let (outcome, result) = signpost::build(&opts);
    if let Err(e) = result {
        panic!(
            "build of {} failed: {e}\n{}",
            root.display(),
            outcome.diagnostics.render_text()
        );
    }
    outcome
}

/// Every file under `dir`, relative, with `/` separators.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file()
            && let Ok(rel) = e.path().strip_prefix(dir)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

/// A file of the output; HTML pages in canonical (minified) form, so that
/// tests read the same page whether it was minified from its templates or
/// as a whole (tests/determinism.rs checks the two agree).
pub fn read(dir: &Path, rel: &str) -> String {
    let text =
        std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
    canonical(rel, text)
}

/// `text`, minified when `rel` is an HTML page.
pub fn canonical(rel: &str, text: String) -> String {
    if rel.ends_with(".html") {
        String::from_utf8_lossy(&signpost::minify::minify_html(&text)).into_owned()
    } else {
        text
    }
}

/// Every value of an attribute in an HTML text (`href`, `src`, `id`),
/// quoted or not (the output is minified).
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let needle = format!(" {attr}=");
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let value = if let Some(r) = rest.strip_prefix('"') {
            r.split('"').next().unwrap_or("")
        } else {
            rest.split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
        };
        out.push(value.replace("&amp;", "&"));
    }
    out
}

/// Copies a folder (for tests that change a site).
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).ok();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &target).ok();
        }
    }
}

/// Counts of files by kind, for reports.
pub fn count_by_suffix(files: &[String]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for f in files {
        let k = f.rsplit('/').next().unwrap_or(f).to_string();
        *m.entry(k).or_insert(0) += 1;
    }
    m
}
