//! A multilingual fixture site: URLs, fallbacks with notices, plurals in
//! Polish and Arabic, dates, hreflang and sitemap alternates, the
//! stale-translation report, and right-to-left attributes.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/multilingual")
}

fn out() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        // Kept for the whole test run; the OS cleans the temp folder.
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let out = dir.join("public");
        build(&fixture(), &out);
        out
    })
}

fn warnings() -> &'static Vec<String> {
    static W: OnceLock<Vec<String>> = OnceLock::new();
    W.get_or_init(|| {
        let mut opts = signpost::Options::new(fixture());
        opts.today = signpost::frontmatter::Date::parse("2026-11-22").ok();
        let (outcome, _) = signpost::check(&opts);
        outcome
            .diagnostics
            .sorted()
            .iter()
            .map(|d| format!("{} {}", d.code, d.file.clone().unwrap_or_default()))
            .collect()
    })
}

#[test]
fn urls_follow_the_spec() {
    let o = out();
    for f in [
        "index.html",
        "pl/index.html",
        "ar/index.html",
        "cy/index.html",
        "guides/a/index.html",
        "pl/guides/a/index.html",
        "ar/guides/a/index.html",
        "guides/a/easy-read/index.html",
        "pl/guides/a/easy-read/index.html",
        "pl/guides/a/easy-read/booklet/index.html",
        "ar/guides/a/large-print/index.html",
        "cy/guides/b/index.txt",
        "pl/guides/index.html",
    ] {
        assert!(o.join(f).is_file(), "missing {f}");
    }
}

#[test]
fn untranslated_pages_fall_back_with_a_notice_in_the_readers_language() {
    let o = out();
    let pl = read(o, "pl/guides/b/index.html");
    assert!(
        pl.contains("<html dir=ltr lang=pl>"),
        "page language is the reader's"
    );
    assert!(
        pl.contains("Ta strona nie jest jeszcze przetłumaczona na język: Polski"),
        "notice in Polish"
    );
    assert!(
        pl.contains("class=content dir=ltr lang=en"),
        "content marked as English"
    );
    assert!(pl.contains("Guide b"));
    let ar = read(o, "ar/guides/b/index.html");
    assert!(ar.contains("<html dir=rtl lang=ar>"));
    assert!(
        ar.contains("لم تُترجَم هذه الصفحة بعد إلى العربية"),
        "notice in Arabic"
    );
    assert!(ar.contains("class=content dir=ltr lang=en"));
    // A translated page has no notice.
    let pl_a = read(o, "pl/guides/a/index.html");
    assert!(!pl_a.contains("id=fallback"));
    assert!(pl_a.contains("Poradnik A"));
}

#[test]
fn links_stay_in_the_readers_language() {
    let o = out();
    let pl = read(o, "pl/guides/a/index.html");
    assert!(pl.contains("href=/pl/guides/b/>poradnik b"), "{pl}");
    // Explicit heading ids keep English anchors working in translations.
    let en_b = read(o, "pl/guides/b/index.html");
    assert!(en_b.contains("href=/pl/guides/a/#what-guide-a-covers"));
    assert!(pl.contains("id=what-guide-a-covers"));
}

#[test]
fn plurals_follow_cldr_rules() {
    let o = out();
    let pl_guides = read(o, "pl/guides/index.html");
    assert!(pl_guides.contains("(5 stron)"), "Polish many");
    let pl_news = read(o, "pl/news/index.html");
    assert!(pl_news.contains("(2 strony)"), "Polish few");
    let pl_single = read(o, "pl/single/index.html");
    assert!(pl_single.contains("(1 strona)"), "Polish one");
    let ar_guides = read(o, "ar/guides/index.html");
    assert!(ar_guides.contains("(5 صفحات)"), "Arabic few");
    let ar_news = read(o, "ar/news/index.html");
    assert!(ar_news.contains("(صفحتان)"), "Arabic two");
    let ar_single = read(o, "ar/single/index.html");
    assert!(ar_single.contains("(صفحة واحدة)"), "Arabic one");
    let en = read(o, "guides/index.html");
    assert!(en.contains("(5 pages)"));
}

#[test]
fn dates_are_written_the_way_each_language_writes_them() {
    let o = out();
    assert!(read(o, "guides/a/index.html").contains("1 May 2026"));
    assert!(
        read(o, "pl/guides/a/index.html").contains("1 kwietnia 2026"),
        "Polish genitive month"
    );
    assert!(read(o, "ar/guides/a/index.html").contains("1 مايو 2026"));
    assert!(
        read(o, "cy/guides/c/index.html").contains("1 Mai 2026"),
        "Welsh month on a fallback page"
    );
}

#[test]
fn hreflang_in_heads_and_sitemap() {
    let o = out();
    let a = read(o, "guides/a/index.html");
    assert!(
        a.contains("href=https://fixture.example.org/pl/guides/a/ hreflang=pl rel=alternate"),
        "{a}"
    );
    assert!(a.contains("href=https://fixture.example.org/ar/guides/a/ hreflang=ar rel=alternate"));
    assert!(a.contains("hreflang=x-default"));
    assert!(
        !a.contains("hreflang=cy rel=alternate"),
        "not translated into Welsh: no alternate"
    );
    let xml = read(o, "sitemap.xml");
    assert!(xml.contains("<loc>https://fixture.example.org/pl/guides/a/</loc>"));
    assert!(xml.contains("hreflang=\"ar\" href=\"https://fixture.example.org/ar/guides/a/\""));
    assert!(
        !xml.contains("<loc>https://fixture.example.org/cy/guides/a/</loc>"),
        "fallbacks are not in the sitemap"
    );
    // The language list on every page: own names, lang and hreflang.
    assert!(a.contains("hreflang=pl lang=pl>Polski</a>"));
    assert!(a.contains("dir=rtl href=/ar/guides/a/ hreflang=ar lang=ar>العربية</a>"));
}

#[test]
fn stale_translations_are_reported() {
    let w = warnings();
    assert!(
        w.iter()
            .any(|d| d.starts_with("I18N001") && d.contains("guides/a.pl.md")),
        "{w:?}"
    );
    assert!(
        !w.iter()
            .any(|d| d.starts_with("I18N001") && d.contains("a.ar.md"))
    );
    let o = out();
    let report = read(o, "translation-status/index.html");
    assert!(report.contains("Translation older than the page"));
    assert!(
        report.contains("content/guides/a.pl.md (2026-04-01 &lt; 2026-05-01)")
            || report.contains("2026-04-01 < 2026-05-01"),
        "{report}"
    );
    assert!(report.contains("Not translated yet"));
}

#[test]
fn right_to_left_attributes() {
    let o = out();
    let home = read(o, "ar/index.html");
    assert!(home.starts_with("<!doctype html><html dir=rtl lang=ar>"));
    let easy = read(o, "ar/guides/a/easy-read/index.html");
    assert!(easy.contains("dir=rtl"));
    let booklet = read(o, "ar/guides/a/easy-read/booklet/index.html");
    assert!(booklet.contains("<html dir=rtl lang=ar>"));
}
