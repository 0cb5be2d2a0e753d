//! Entry points for the fuzz targets in `fuzz/` and for replaying their
//! corpus in `tests/fuzz_regressions.rs`. Each takes arbitrary bytes, runs
//! them through the same code a build uses, and panics only when an
//! invariant is broken (a position outside the file, unsafe HTML in the
//! output). Not a stable API.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::frontmatter::{self, Date};
use crate::i18n::I18n;
use crate::render::{self, OutputFile, RenderContext};
use crate::theme::Theme;

/// The site settings every fuzz target uses: two languages, one of them
/// right to left.
pub const SITE_YAML: &str = "title: Fuzz\nbase_url: https://fuzz.example/base\nlanguages:\n  - { code: en, name: English }\n  - { code: ar, name: العربية, dir: rtl }\norganisation:\n  name: Fuzz Council\n  email: fuzz@example.org\n";

/// Front matter used when the input has none of its own.
const FRONT: &str = "---\ntitle: Fuzz page\nsummary: A page made by the fuzzer.\n---\n";

/// Text as a build reads it: UTF-8, without a byte order mark.
fn text_of(data: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(data).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Checks that a diagnostic points inside its file and renders.
pub fn check_diagnostic(d: &Diagnostic, file: &SourceText) {
    assert!(d.file.is_some(), "a diagnostic names no file: {d:?}");
    let lines = file.text.split('\n').count();
    if let Some(line) = d.line {
        assert!(
            line >= 1 && line <= lines,
            "line {line} is outside the file ({lines} lines): {d:?}"
        );
    }
    if let Some(col) = d.column {
        assert!(col >= 1, "column {col}: {d:?}");
    }
    if let Some(span) = &d.span {
        assert!(
            span.start <= span.end && span.end <= file.text.len(),
            "span {span:?} outside the file: {d:?}"
        );
        assert!(
            file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end),
            "span {span:?} splits a character: {d:?}"
        );
    }
    let mut sources = BTreeMap::new();
    sources.insert(file.name.clone(), file.text.clone());
    let rendered = crate::diagnostics::render_text(std::slice::from_ref(d), &sources);
    assert!(rendered.contains(d.code.as_str()), "{rendered}");
}

/// Target 1: front matter splitting and parsing (and, on the same text,
/// site settings), with every error located inside the file.
pub fn front_matter(data: &[u8]) {
    let Some(text) = text_of(data) else {
        return;
    };
    let file = SourceText::new("content/fuzz.md", text);
    match frontmatter::split(&file, &file.text) {
        Ok(split) => {
            assert!(split.yaml_offset <= split.body_offset && split.body_offset <= file.text.len());
            assert_eq!(&file.text[split.body_offset..], split.body);
            assert!(file.text[split.yaml_offset..].starts_with(split.yaml));
            for key in frontmatter::PAGE_KEYS {
                let at = frontmatter::key_offset(&split, key);
                assert!(at <= file.text.len() && file.text.is_char_boundary(at));
            }
            match frontmatter::parse(&file, &split) {
                Ok(front) => {
                    if let Some(slug) = &front.slug
                        && crate::urls::is_safe_slug(slug)
                    {
                        assert!(
                            !slug.contains('/') && !slug.contains("..") && !slug.contains('\\'),
                            "{slug:?}"
                        );
                    }
                    for alias in &front.aliases {
                        if let Some(path) = crate::urls::safe_alias(alias) {
                            assert!(
                                !path.starts_with('/') && path.ends_with('/'),
                                "{alias:?} -> {path:?}"
                            );
                            assert!(
                                path.split('/').all(|s| s != ".." && s != "."),
                                "{alias:?} -> {path:?}"
                            );
                        }
                    }
                }
                Err(d) => check_diagnostic(&d, &file),
            }
        }
        Err(d) => check_diagnostic(&d, &file),
    }
    let _ = Date::parse(text);
    let settings = SourceText::new("site.yaml", text);
    let diags = Diagnostics::new();
    let _ = SiteConfig::parse(&settings, &diags);
    for d in diags.sorted() {
        check_diagnostic(&d, &settings);
    }
}

/// A site folder on disk for the page target, one per thread, with the
/// theme and strings compiled once.
struct Env {
    root: PathBuf,
    theme: Theme,
    i18n: I18n,
}

impl Env {
    fn new() -> Env {
        let root = std::env::temp_dir().join(format!(
            "signpost-fuzz-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).expect("a folder for the fuzz site"); // ok: the fuzz harness; a panic here is a finding, not user input
        std::fs::write(root.join("site.yaml"), SITE_YAML).expect("site.yaml"); // ok: the fuzz harness; a panic here is a finding, not user input
        std::fs::write(
            root.join("content/_index.md"),
            "---\ntitle: Home\nsummary: The home page.\n---\nSee [the other page](other.md).\n",
        )
        .expect("home page"); // ok: the fuzz harness; a panic here is a finding, not user input
        std::fs::write(
            root.join("content/other.md"),
            "---\ntitle: Other\nsummary: Another page.\n---\n## First part\n\nText.\n\n## Second part\n\nMore text.\n",
        )
        .expect("other page"); // ok: the fuzz harness; a panic here is a finding, not user input
        let diags = Diagnostics::new();
        let config = SiteConfig::load(&root, &diags).expect("the fuzz site's settings are valid"); // ok: the fuzz harness; a panic here is a finding, not user input
        let theme = Theme::load(&root, &config, &diags).expect("the built-in theme compiles"); // ok: the fuzz harness; a panic here is a finding, not user input
        let i18n = I18n::load(&root, &config, &diags);
        Env { root, theme, i18n }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

thread_local! {
    static ENV: RefCell<Option<Env>> = const { RefCell::new(None) };
}

/// Target 2: the markdown pipeline. The input becomes a page (with its own
/// front matter if it parses, else below a fixed one) and its easy-read
/// version; the site is modelled, checked and every view rendered as HTML,
/// large print, plain text and booklet. Every HTML file must pass
/// [`audit_html`]. Returns the rendered files.
pub fn page(data: &[u8]) -> Vec<OutputFile> {
    let Some(text) = text_of(data) else {
        return Vec::new();
    };
    let file = SourceText::new("content/fuzz.md", text);
    let own_front = frontmatter::split(&file, &file.text)
        .ok()
        .and_then(|s| frontmatter::parse(&file, &s).ok())
        .is_some_and(|f| !f.draft);
    let page = if own_front {
        text.to_string()
    } else {
        format!("{FRONT}{text}")
    };
    ENV.with(|cell| {
        let mut slot = cell.borrow_mut();
        let env = slot.get_or_insert_with(Env::new);
        render_page(env, &page)
    })
}

fn render_page(env: &Env, page: &str) -> Vec<OutputFile> {
    let content = env.root.join("content");
    std::fs::write(content.join("fuzz.md"), page).expect("write the page"); // ok: the fuzz harness; a panic here is a finding, not user input
    std::fs::write(content.join("fuzz.easy.md"), page).expect("write the easy-read page"); // ok: the fuzz harness; a panic here is a finding, not user input
    let diags = Diagnostics::new();
    let Some(config) = SiteConfig::load(&env.root, &diags) else {
        panic!("the fuzz site's settings stopped parsing");
    };
    let site = crate::build_model(&env.root, config, false, &diags, &crate::model::parse_page);
    crate::check_model(&site, Date::parse("2026-06-01").expect("a date"), &diags); // ok: the fuzz harness; a panic here is a finding, not user input
    for d in diags.sorted() {
        if let Some(line) = d.line {
            let lines = page.split('\n').count().max(1);
            if d.file.as_deref() == Some("content/fuzz.md")
                || d.file.as_deref() == Some("content/fuzz.easy.md")
            {
                assert!(
                    line <= lines,
                    "line {line} is outside the page ({lines} lines): {d:?}"
                );
            }
        }
    }
    let mut ctx = RenderContext::new(&site, &env.theme, &env.i18n);
    ctx.extensions = crate::EXTENSIONS;
    let mut out = Vec::new();
    for view in render::views(&site) {
        render::render_view(&ctx, &view, &mut |r| {
            if let Ok(files) = r {
                out.extend(files);
            }
        });
    }
    for f in &out {
        if f.path.ends_with(".html") {
            let html = String::from_utf8(f.bytes.clone()).expect("HTML output is UTF-8"); // ok: the fuzz harness; a panic here is a finding, not user input
            let problems = audit_html(&html);
            assert!(problems.is_empty(), "{}: {problems:?}", f.path);
        }
    }
    out
}

/// Target 3: one service directory entry, and the same text as a
/// translated entry; every error located inside the file.
pub fn service_entry(data: &[u8]) {
    let Some(text) = text_of(data) else {
        return;
    };
    let file = SourceText::new("content/services/fuzz.yaml", text);
    if let Err(d) = crate::directory::entry::parse_entry(&file) {
        check_diagnostic(&d, &file);
    }
    let file = SourceText::new("content/services/fuzz.pl.yaml", text);
    if let Err(d) = crate::directory::entry::parse_translation(&file) {
        check_diagnostic(&d, &file);
    }
}

/// Tags whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
];
/// Elements that load or run something and never belong in a page.
const FORBIDDEN: &[&str] = &[
    "iframe", "object", "embed", "frame", "frameset", "applet", "base", "style",
];
/// Attributes whose value is an address.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
];

/// What a built page must never contain, as a list of problems (empty when
/// the page is clean): `<script>` other than `type="application/ld+json"`
/// data blocks, `<style>` or other embedding elements, `on*=` event handler
/// or `style=` attributes, and `javascript:`, `vbscript:` or `data:`
/// addresses. Tags are read as a browser reads them (quoted and unquoted
/// attribute values, entities, comments, raw-text elements).
pub fn audit_html(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(n) = lower[i..].find('<') {
        let start = i + n;
        i = start + 1;
        if lower[i..].starts_with("!--") {
            i = lower[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
            continue;
        }
        if lower[i..].starts_with('!') || lower[i..].starts_with('?') {
            i = lower[i..].find('>').map(|e| i + e + 1).unwrap_or(b.len());
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
            .map(|e| name_start + e)
            .unwrap_or(b.len());
        let name = &lower[name_start..name_end];
        let (attrs, end) = read_attributes(html, name_end);
        i = end;
        if closing {
            continue;
        }
        if name == "script" {
            let ty = attrs
                .iter()
                .find(|(k, _)| k == "type")
                .map(|(_, v)| v.trim().to_ascii_lowercase());
            let src = attrs
                .iter()
                .find(|(k, _)| k == "src")
                .map(|(_, v)| decode_entities(v).trim().to_ascii_lowercase());
            match src {
                // A script file of the site itself is allowed (the CSP says 'self').
                Some(src) if !src.contains(':') && !src.starts_with("//") && !src.is_empty() => {}
                Some(src) => problems.push(format!(
                    "a <script src={src}> from elsewhere at byte {start}"
                )),
                None if ty.as_deref() == Some("application/ld+json") => {}
                None => problems.push(format!("an inline <script> element at byte {start}")),
            }
        }
        if FORBIDDEN.contains(&name) {
            problems.push(format!("a <{name}> element at byte {start}"));
        }
        for (k, v) in &attrs {
            if k.starts_with("on") {
                problems.push(format!("an {k}= attribute on <{name}> at byte {start}"));
            } else if k == "style" {
                problems.push(format!("a style= attribute on <{name}> at byte {start}"));
            } else if URL_ATTRS.contains(&k.as_str()) {
                let url: String = decode_entities(v)
                    .chars()
                    .filter(|c| !c.is_ascii_control() && *c != ' ')
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    if url.starts_with(scheme) || (k == "srcset" && url.contains(scheme)) {
                        problems.push(format!(
                            "a {scheme} address in {k}= on <{name}> at byte {start}"
                        ));
                    }
                }
            }
        }
        if RAW_TEXT.contains(&name) {
            let close = format!("</{name}");
            i = lower[i..].find(&close).map(|e| i + e).unwrap_or(b.len());
        }
    }
    problems
}

/// Reads attributes from `from` to the end of the tag, as the HTML
/// tokenizer does. Returns them (names lowercased, values raw) and the
/// offset after the tag.
fn read_attributes(html: &str, from: usize) -> (Vec<(String, String)>, usize) {
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    let mut i = from;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, b.len());
        }
        if b[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        i += 1;
        while i < b.len()
            && !(b[i].is_ascii_whitespace() || b[i] == b'/' || b[i] == b'>' || b[i] == b'=')
        {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = html[i + 1..]
                        .find(q as char)
                        .map(|e| i + 1 + e)
                        .unwrap_or(b.len());
                    value = html[i + 1..end].to_string();
                    i = (end + 1).min(b.len());
                }
                _ => {
                    let end = b[i..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'>')
                        .map(|e| i + e)
                        .unwrap_or(b.len());
                    value = html[i..end].to_string();
                    i = end;
                }
            }
        }
        attrs.push((name, value));
    }
}

/// Decodes character references as a browser does in an attribute value
/// (numeric ones with or without `;`, and the named ones that matter for
/// addresses).
fn decode_entities(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .bytes()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            if len > 0 {
                let n = u32::from_str_radix(&digits[..len.min(8)], if hex { 16 } else { 10 })
                    .unwrap_or(0xFFFD);
                out.push(
                    char::from_u32(n)
                        .filter(|c| *c != '\0')
                        .unwrap_or('\u{FFFD}'),
                );
                rest = &digits[len..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
            out.push('&');
            continue;
        }
        let named = [
            ("colon;", ':'),
            ("tab;", '\t'),
            ("newline;", '\n'),
            ("amp;", '&'),
            ("lt;", '<'),
            ("gt;", '>'),
            ("quot;", '"'),
            ("apos;", '\''),
            ("lpar;", '('),
            ("rpar;", ')'),
            ("sol;", '/'),
        ];
        match named
            .iter()
            .find(|(n, _)| rest.len() >= n.len() && rest[..n.len()].eq_ignore_ascii_case(n))
        {
            Some((n, c)) => {
                out.push(*c);
                rest = &rest[n.len()..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The files of a folder, for tests: relative path to bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(dir)
            && let Ok(bytes) = std::fs::read(entry.path())
        {
            out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_finds_the_classic_problems() {
        for bad in [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=https://x.example/x.js></SCRIPT>",
            "<script src=//x.example/x.js></script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href='jav&#x09;ascript:alert(1)'>x</a>",
            "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
            "<a href=javascript&colon;alert(1)>x</a>",
            "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
            "<p style=\"color:red\">x</p>",
            "<style>p{}</style>",
            "<iframe src=x></iframe>",
            "<h2 id=a onclick=alert(1)>",
        ] {
            assert!(!audit_html(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn audit_passes_clean_pages() {
        for good in [
            "<!DOCTYPE html><html lang=en><head><title>&lt;script> x</title><script type=application/ld+json>{\"a\":\"<b onclick=x>\"}</script></head><body><p>on=1 style= javascript: <a href=/a/>x</a></p><!-- <script> --></body></html>",
            "<meta content=\"S &quot;><script>alert(2)</script>\" name=description>",
            "<p>1 < 2 and a<b</p>",
            "<a href=\"https://example.org/data:x\">d</a>",
            "<script defer src=/search.js></script>",
        ] {
            assert!(
                audit_html(good).is_empty(),
                "{good}: {:?}",
                audit_html(good)
            );
        }
    }
}
