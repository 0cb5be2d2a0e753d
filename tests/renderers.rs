//! The renderers on the same markdown (headings, nested lists, tables,
//! footnotes, links, images), one snapshot per output: standard HTML, large
//! print, plain text, easy read and the booklet.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::*;

fn out() -> &'static PathBuf {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let out = dir.join("public");
        build(&repo().join("tests/fixtures/renderers"), &out);
        out
    })
}

/// The `<main>` element of a page, split into lines at tags so snapshots
/// are readable; stylesheet names are hashed, so they are left out.
fn main_of(rel: &str) -> String {
    let html = read(out(), rel);
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").map(|i| i + 7).unwrap_or(html.len());
    html[start..end].replace("><", ">\n<")
}

#[test]
fn standard_html() {
    insta::assert_snapshot!(main_of("guide/all/index.html"));
}

#[test]
fn large_print_html() {
    let lp = main_of("guide/all/large-print/index.html");
    insta::assert_snapshot!(lp);
    // Same content as the standard page, links in large print.
    let std_text = main_of("guide/all/index.html");
    assert_eq!(lp.matches("<li").count(), std_text.matches("<li").count());
    assert!(lp.contains("href=/guide/large-print/"));
}

#[test]
fn plain_text() {
    insta::assert_snapshot!(read(out(), "guide/all/index.txt"));
}

#[test]
fn easy_read_html() {
    insta::assert_snapshot!(main_of("guide/all/easy-read/index.html"));
}

#[test]
fn easy_read_plain_text() {
    insta::assert_snapshot!(read(out(), "guide/all/easy-read/index.txt"));
}

#[test]
fn booklet_html() {
    insta::assert_snapshot!(main_of("guide/all/easy-read/booklet/index.html"));
}
