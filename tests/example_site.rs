//! Builds the example site (the repository root) and checks the output end
//! to end: every page in every format and language, links, sitemap,
//! statement, redirects and plain text.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

/// One build shared by every test in this file.
fn site() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, p) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        build(&repo(), &out);
        (dir, out)
    });
    p
}

fn html_files(out: &Path) -> Vec<String> {
    files(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

#[test]
fn every_page_has_every_format_in_every_language() {
    let out = site();
    let all: BTreeSet<String> = files(out).into_iter().collect();
    // Standard pages of the default language: every one of them has large
    // print and plain text, and a Polish and an Arabic version with theirs.
    let mut checked = 0;
    for f in all
        .iter()
        .filter(|f| f.ends_with("/index.html") || *f == "index.html")
    {
        if f.starts_with("pl/")
            || f.starts_with("ar/")
            || f.contains("large-print/")
            || f.contains("booklet/")
        {
            continue;
        }
        let html = read(out, f);
        if html.contains("http-equiv=refresh")
            || f.starts_with("translation-status")
            || f.starts_with("accessibility-statement")
            || f.starts_with("search/")
            || f.starts_with("a-to-z/")
            || f.starts_with("content-report")
        {
            continue;
        }
        let dir = f.strip_suffix("index.html").unwrap_or(f);
        if dir.starts_with("services/") {
            continue; // checked by the directory's own tests
        }
        for lang in ["", "pl/", "ar/"] {
            for needed in ["index.html", "large-print/index.html", "index.txt"] {
                let p = format!("{lang}{dir}{needed}");
                assert!(all.contains(&p), "missing {p}");
            }
            if dir.ends_with("easy-read/") {
                for needed in ["booklet/index.html", "booklet/a5/index.html"] {
                    let p = format!("{lang}{dir}{needed}");
                    assert!(all.contains(&p), "missing {p}");
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} pages checked");
}

#[test]
fn example_site_is_big_enough() {
    let out = site();
    let all = files(out);
    let standard: Vec<&String> = all
        .iter()
        .filter(|f| {
            f.ends_with("index.html")
                && !f.starts_with("pl/")
                && !f.starts_with("ar/")
                && !f.contains("large-print")
                && !f.contains("easy-read")
                && !f.contains("booklet")
        })
        .collect();
    assert!(standard.len() >= 20, "{}", standard.len());
    let easy: Vec<&String> = all
        .iter()
        .filter(|f| {
            f.ends_with("easy-read/index.html") && !f.starts_with("pl/") && !f.starts_with("ar/")
        })
        .collect();
    assert!(easy.len() >= 5, "easy read pages: {easy:?}");
}

#[test]
fn internal_links_and_anchors_resolve() {
    let out = site();
    let mut broken = Vec::new();
    let mut count = 0;
    for f in html_files(out) {
        let html = read(out, &f);
        for attr in ["href", "src"] {
            for v in attr_values(&html, attr) {
                if !v.starts_with('/') || v.starts_with("//") {
                    continue;
                }
                count += 1;
                let (path, frag) = match v.split_once('#') {
                    Some((p, fr)) => (p.to_string(), Some(fr.to_string())),
                    None => (v.clone(), None),
                };
                let mut target = path.trim_start_matches('/').to_string();
                if target.is_empty() || target.ends_with('/') {
                    target.push_str("index.html");
                }
                let target = target.replace("%20", " ");
                if !out.join(&target).is_file() {
                    broken.push(format!("{f}: {v}"));
                    continue;
                }
                if let Some(frag) = frag {
                    let t = read(out, &target);
                    let ids = attr_values(&t, "id");
                    if !ids.contains(&frag) {
                        broken.push(format!("{f}: {v} (no #{frag})"));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(count > 1000, "only {count} links checked");
}

#[test]
fn pages_have_one_h1_lang_skip_link_and_formats_near_the_top() {
    let out = site();
    for f in html_files(out) {
        let html = read(out, &f);
        if html.contains("http-equiv=refresh") {
            continue;
        }
        assert!(
            html.contains("<html lang=") || html.contains("<html dir="),
            "{f}: no lang"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{f}: needs exactly one h1");
        if f.contains("booklet/") || f == "404.html" || f.ends_with("/404.html") {
            continue;
        }
        assert!(html.contains("href=#main-content"), "{f}: no skip link");
        let main = html.find("<main").unwrap_or(0);
        // Generated navigation and report pages have no other formats, but
        // their language list (where there is one) also comes first.
        let generated = [
            "translation-status/",
            "content-report/",
            "search/",
            "a-to-z/",
        ]
        .iter()
        .any(|g| f.starts_with(g) || f.contains(&format!("/{g}")));
        let first = if generated {
            "class=alternatives"
        } else {
            "formats-label"
        };
        if let Some(at) = html.find(first) {
            assert!(
                at < main,
                "{f}: other formats and languages must come before the content"
            );
        } else {
            assert!(generated, "{f}: no list of other formats");
        }
    }
}

#[test]
fn formats_are_linked_in_plain_words() {
    let out = site();
    let html = read(out, "carers/support-for-carers/index.html");
    for words in [
        "Easy read",
        "Large print",
        "Plain text",
        "Polski",
        "العربية",
    ] {
        assert!(html.contains(words), "missing {words}");
    }
    assert!(html.contains("href=/carers/support-for-carers/easy-read/"));
    assert!(html.contains("href=/carers/support-for-carers/large-print/"));
    assert!(html.contains("href=/carers/support-for-carers/index.txt"));
    let easy = read(out, "carers/support-for-carers/easy-read/index.html");
    assert!(easy.contains("href=/carers/support-for-carers/easy-read/booklet/"));
    assert!(easy.contains("class=er-row"), "easy-read rows");
    // Easy read links back to the standard page.
    assert!(easy.contains("href=/carers/support-for-carers/>"));
}

#[test]
fn large_print_uses_its_stylesheet_and_stays_in_large_print() {
    let out = site();
    let lp = read(out, "carers/support-for-carers/large-print/index.html");
    assert!(
        attr_values(&lp, "href")
            .iter()
            .any(|h| h.contains("/css/large-print."))
    );
    // Links to other pages go to their large-print versions.
    let page_links: Vec<String> = attr_values(&lp, "href")
        .into_iter()
        .filter(|h| h.starts_with("/get-support/") || h.starts_with("/carers/"))
        .collect();
    assert!(!page_links.is_empty());
    assert!(
        page_links.iter().any(|h| h.contains("/large-print/")),
        "{page_links:?}"
    );
}

#[test]
fn sitemap_has_hreflang_alternates() {
    let out = site();
    let xml = read(out, "sitemap.xml");
    assert!(xml.contains("<loc>https://care.example.org/</loc>"));
    assert!(xml.contains("hreflang=\"x-default\""));
    assert!(
        xml.contains("hreflang=\"pl\" href=\"https://care.example.org/pl/\""),
        "Polish home alternate"
    );
    assert!(xml.contains("hreflang=\"ar\""));
    // Fallback pages are not listed as translations.
    let robots = read(out, "robots.txt");
    assert!(robots.contains("Sitemap: https://care.example.org/sitemap.xml"));
}

#[test]
fn accessibility_statement_follows_the_model() {
    let out = site();
    let s = read(out, "accessibility-statement/index.html");
    for part in [
        "Accessibility statement for Care and support in Wiltshire",
        "Feedback and contact information",
        "Enforcement procedure",
        "Equality Advisory and Support Service",
        "Compliance status",
        "Preparation of this accessibility statement",
        "access@example.org",
        "1 November 2026",
    ] {
        assert!(s.contains(part), "statement lacks {part:?}");
    }
    let pl = read(out, "pl/accessibility-statement/index.html");
    assert!(pl.contains("lang=pl"));
    // Every page links to it from the footer.
    assert!(read(out, "index.html").contains("href=/accessibility-statement/"));
}

#[test]
fn aliases_redirect() {
    let out = site();
    let r = read(out, "adult-care/assessment/index.html");
    assert!(r.contains("http-equiv=refresh"));
    assert!(r.contains("url=/get-support/care-needs-assessment/"), "{r}");
    assert!(r.contains("rel=canonical"));
    assert!(out.join("404.html").is_file());
}

#[test]
fn plain_text_is_wrapped_and_lists_links() {
    let out = site();
    let t = read(out, "get-support/direct-payments/index.txt");
    assert!(t.starts_with("Direct payments\n==============="));
    assert!(t.contains("Page address: https://care.example.org/get-support/direct-payments/"));
    assert!(t.contains("Links:\n  [1] "));
    assert!(t.contains("[Picture: "));
    assert!(t.contains("Table 1:"));
    for line in t.lines() {
        if line.chars().count() > 72 {
            assert!(
                line.contains("https://") || !line.contains(' '),
                "line too long: {line:?}"
            );
        }
    }
}

#[test]
fn fallback_pages_say_so_in_the_readers_language() {
    let out = site();
    let f = read(out, "ar/carers/breaks-for-carers/index.html");
    assert!(f.contains("lang=ar"), "page language");
    assert!(f.contains("dir=rtl"));
    assert!(f.contains("class=notice id=fallback"));
    // The English content is marked as English.
    assert!(
        f.contains("class=content dir=ltr lang=en"),
        "content language"
    );
    let t = read(out, "ar/carers/breaks-for-carers/index.txt");
    assert!(
        t.lines().any(|l| l.contains("English")),
        "text version has the notice too"
    );
}

#[test]
fn translation_status_page_lists_missing_pages() {
    let out = site();
    let s = read(out, "translation-status/index.html");
    assert!(s.contains("noindex"));
    assert!(s.contains("Not translated yet"));
    assert!(s.contains("Polski") && s.contains("العربية"));
}

/// gzip -9 size of some files together.
fn gzipped(paths: &[PathBuf]) -> u64 {
    let list: Vec<String> = paths.iter().map(|p| format!("'{}'", p.display())).collect();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("cat {} | gzip -9 | wc -c", list.join(" ")))
        .output()
        .expect("sh and gzip are needed for the weight budget test");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a byte count")
}

#[test]
fn every_standard_page_fits_the_weight_budget() {
    // HTML plus the CSS it needs, under 14 KB compressed: the first round
    // trip on a slow rural connection.
    let out = site();
    let css = files(out)
        .into_iter()
        .find(|x| x.starts_with("css/main."))
        .expect("main stylesheet");
    let mut heaviest = (0, String::new());
    for f in html_files(out) {
        if f.contains("booklet") || f.starts_with("translation-status") {
            continue;
        }
        let size = gzipped(&[out.join(&f), out.join(&css)]);
        if size > heaviest.0 {
            heaviest = (size, f.clone());
        }
    }
    assert!(
        heaviest.0 < 14 * 1024,
        "{}: {} bytes compressed with its CSS",
        heaviest.1,
        heaviest.0
    );
}

#[test]
fn no_page_needs_javascript() {
    let out = site();
    for f in html_files(out) {
        if f.starts_with("search/") || f.contains("/search/") {
            continue;
        }
        let html = read(out, &f);
        let scripts = html.matches("<script").count();
        let data = html.matches("<script type=application/ld+json").count()
            + html.matches("<script type=\"application/ld+json\"").count();
        assert_eq!(scripts, data, "{f} has a script");
        assert!(!html.contains(" style="), "{f} has an inline style");
        assert!(!html.contains("<style"), "{f} has a style element");
    }
}

/// The numbers of a chart block (content/strategies/independent-living.md)
/// in every format: the HTML table and picture, large print, plain text.
#[test]
fn charts_show_the_same_numbers_in_every_format() {
    let out = site();
    let rows = [
        ("Learning disability", "43"),
        ("Mental health condition", "8"),
        ("Autism", "2"),
    ];
    // Pages may be minified (quotes dropped): compare without quotes.
    // (and attribute names lowercased, as minify-html writes viewBox).
    let unquote = |s: String| s.replace('"', "").to_lowercase();
    let html = unquote(read(out, "strategies/independent-living/index.html"));
    let large = unquote(read(
        out,
        "strategies/independent-living/large-print/index.html",
    ));
    let text = read(out, "strategies/independent-living/index.txt");
    for (page, view_box) in [
        (&html, "viewBox=\"0 0 320 "),
        (&large, "viewBox=\"0 0 180 "),
    ] {
        let figure = &between(page, "<figure class=chart>", "</figure>").replace('"', "");
        let has = |want: &str| figure.contains(&want.replace('"', "").to_lowercase());
        assert!(has(view_box), "{figure}");
        assert!(has("aria-hidden=\"true\""));
        assert!(has(
            "<caption>People using Shared Lives in 2021 to 2022 (people)</caption>"
        ));
        assert!(has(
            "Learning disability is the highest, at 43 people. Autism is the lowest, at 2 people."
        ));
        for (label, n) in rows {
            assert!(
                has(&format!(
                    "<th scope=\"row\">{label}</th><td class=\"align-end\">{n}</td>"
                )),
                "table row {label}: {figure}"
            );
            // Large print's narrower picture may wrap a label onto two lines.
            let first = label.split(' ').next().unwrap_or(label);
            assert!(has(&format!(">{first}")), "svg label {label}");
            assert!(has(&format!(">{n} people</text>")), "svg value {n}");
        }
    }
    assert!(
        text.contains("Chart: People using Shared Lives in 2021 to 2022\n"),
        "{text}"
    );
    assert!(text.contains("Learning disability is the highest, at 43 people."));
    for (i, (label, n)) in rows.iter().enumerate() {
        let row = format!(
            "  {}.\n    Main reason for support: {label}\n    Number (people): {n}\n",
            i + 1
        );
        assert!(text.contains(&row), "{row} in {text}");
    }
    assert!(!text.contains("<text") && !text.contains("kind: horizontal-bar"));
    // A Polish reader of the untranslated page gets the sentence in Polish,
    // marked as Polish inside the English text.
    let pl = unquote(read(out, "pl/strategies/independent-living/index.html"));
    assert!(
        pl.contains("lang=pl>najwyższa wartość: learning disability, 43 people.")
            || pl.contains("lang=pl dir=auto>najwyższa wartość: learning disability, 43 people."),
        "{}",
        pl.find("chart-summary")
            .map(|i| &pl[i..(i + 300).min(pl.len())])
            .unwrap_or("no chart")
    );
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let i = s.find(start).unwrap_or_else(|| panic!("no {start}"));
    let j = s[i..].find(end).map(|j| i + j).unwrap_or(s.len());
    &s[i..j]
}

#[test]
fn phone_numbers_and_email_addresses_in_text_are_links() {
    let out = site();
    for f in [
        "carers/support-for-carers/index.html",
        "carers/support-for-carers/large-print/index.html",
        "carers/support-for-carers/easy-read/index.html",
    ] {
        let html = read(out, f);
        assert!(
            html.contains("<a href=tel:+441632960000>01632 960000</a>"),
            "{f}: the phone number in the text is not a tap-to-call link"
        );
    }
    let page = read(out, "carers/support-for-carers/index.html");
    assert!(page.contains("<a href=tel:1800101632960000>18001 01632 960000</a>"));
    let easy = read(out, "carers/support-for-carers/easy-read/index.html");
    assert!(easy.contains("<a href=mailto:care@example.org>care@example.org</a>"));
    // The directory's own page: its email address and number.
    for f in ["services/index.html", "services/large-print/index.html"] {
        let html = read(out, f);
        assert!(
            html.contains("<a href=mailto:directory@example.org>directory@example.org</a>"),
            "{f}: the email address is not a link"
        );
        assert!(html.contains("<a href=tel:+441632960000>01632 960000</a>"));
    }
    // Plain text keeps them as text.
    let txt = read(out, "carers/support-for-carers/index.txt");
    assert!(txt.contains("01632 960000") && !txt.contains("tel:"));
    // The footer's organisation number dials in E.164.
    let home = read(out, "index.html");
    assert!(home.contains("dir=ltr href=tel:+441632960000>01632 960000</a>"));
    assert!(home.contains("dir=ltr href=mailto:care@example.org>care@example.org</a>"));
}

#[test]
fn contact_links_read_left_to_right_in_arabic() {
    let out = site();
    for f in [
        "ar/carers/support-for-carers/index.html",
        "ar/services/index.html",
    ] {
        let html = read(out, f);
        assert!(
            html.contains("<a dir=ltr href=tel:+441632960000>01632\u{a0}960000</a>"),
            "{f}: the number is not an isolated left-to-right link"
        );
    }
    let dir = read(out, "ar/services/index.html");
    assert!(dir.contains("<a dir=ltr href=mailto:directory@example.org>directory@example.org</a>"));
}

#[test]
fn each_language_has_its_own_not_found_page_and_title() {
    let out = site();
    let pl = read(out, "pl/404.html");
    assert!(pl.contains("Opieka i wsparcie w Wiltshire"), "{pl}");
    let ar = read(out, "ar/404.html");
    assert!(ar.contains("dir=rtl") || ar.contains("dir=\"rtl\""), "{ar}");
    assert!(ar.contains("الرعاية والدعم في ويلتشير"), "{ar}");
    let redirects = read(out, "_redirects");
    let pl_rule = redirects.find("/pl/*  /pl/404.html  404");
    let root_rule = redirects.find("/*  /404.html  404");
    assert!(
        matches!((pl_rule, root_rule), (Some(p), Some(r)) if p < r),
        "a language's rule must come before the whole site's: {redirects}"
    );
    let htaccess = read(out, "pl/.htaccess");
    assert!(
        htaccess.contains("ErrorDocument 404 /pl/404.html"),
        "{htaccess}"
    );
}
