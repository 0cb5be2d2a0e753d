//! Output addresses (SPEC section 6): one place that knows how a page, a
//! language, a variant and a format become a path.

use std::path::Path;

use crate::source::Variant;

pub use crate::format::Format;

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

/// The output path (relative, no leading slash) of a page's folder:
/// `pl/strategies/x/`, `strategies/x/easy-read/`, `` for the home page.
pub fn page_dir(lang_prefix: Option<&str>, page_path: &str, variant: Variant) -> String {
    let mut out = String::new();
    if let Some(l) = lang_prefix {
        out.push_str(l);
        out.push('/');
    }
    out.push_str(page_path);
    if variant == Variant::EasyRead {
        out.push_str("easy-read/");
    }
    out
}

/// The output file of a page folder in a format.
pub fn file_in(dir: &str, format: Format) -> String {
    format!("{dir}{}", format.row().file)
}

/// The address a link uses for a file: directory URLs end in `/`.
pub fn href_of_file(base_path: &str, file: &str) -> String {
    let file = file.strip_suffix("index.html").unwrap_or(file);
    format!("{base_path}{}", encode_path(file))
}

/// Percent-encodes what must not appear raw in a URL path (spaces, quotes,
/// `#`, `?`, `%`), leaving other Unicode letters as they are.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c => out.push(c),
        }
    }
    out
}

/// A URL path segment made from a file name: spaces become hyphens and
/// characters that are unsafe in URLs are dropped.
pub fn segment_from_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        }
    }
    out
}

/// Is this slug safe as one folder name?
pub fn is_safe_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_alphanumeric() && !c.is_uppercase() || c == '-' || c == '_')
}

/// Normalises an alias to a relative folder path (`old/page/`), or `None`
/// when it is unsafe (escapes the output, odd characters).
pub fn safe_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    if trimmed.contains("://")
        || trimmed.contains('\\')
        || trimmed.contains('?')
        || trimmed.contains('#')
    {
        return None;
    }
    let path = trimmed.trim_matches('/');
    let path = path
        .strip_suffix("index.html")
        .unwrap_or(path)
        .trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    let mut out = String::new();
    for seg in path.split('/') {
        let ok = !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !seg.starts_with('.');
        if !ok {
            return None;
        }
        out.push_str(seg);
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_spec() {
        assert_eq!(
            file_in(&page_dir(None, "a/b/", Variant::Standard), Format::Html),
            "a/b/index.html"
        );
        assert_eq!(
            file_in(
                &page_dir(Some("pl"), "a/b/", Variant::Standard),
                Format::Html
            ),
            "pl/a/b/index.html"
        );
        assert_eq!(
            file_in(&page_dir(None, "a/b/", Variant::EasyRead), Format::Html),
            "a/b/easy-read/index.html"
        );
        assert_eq!(
            file_in(&page_dir(None, "a/", Variant::Standard), Format::LargePrint),
            "a/large-print/index.html"
        );
        assert_eq!(
            file_in(&page_dir(None, "", Variant::Standard), Format::PlainText),
            "index.txt"
        );
        assert_eq!(href_of_file("/", "a/b/index.html"), "/a/b/");
    }

    #[test]
    fn aliases_cannot_escape() {
        assert_eq!(safe_alias("/old/page/").as_deref(), Some("old/page/"));
        assert_eq!(
            safe_alias("/old/page.html").as_deref(),
            Some("old/page.html/")
        );
        assert_eq!(safe_alias("../../etc/passwd"), None);
        assert_eq!(safe_alias("/a/../../b"), None);
        assert_eq!(safe_alias("https://evil.example/"), None);
        assert_eq!(safe_alias("/a b/"), None);
        assert!(!is_safe_slug("../x"));
        assert!(!is_safe_slug("a/b"));
        assert!(is_safe_slug("direct-payments"));
        assert!(is_safe_slug("płatności"));
    }

    #[test]
    fn segments_from_odd_names() {
        assert_eq!(segment_from_name("my page"), "my-page");
        assert_eq!(segment_from_name("opieka społeczna"), "opieka-społeczna");
    }
}
