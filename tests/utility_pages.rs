//! The pages the build makes that residents read, the A to Z and the
//! accessibility statement, come in the formats content pages have, in
//! every language: standard, large print (whose links stay in large print)
//! and plain text (the same entries and words, addresses in full). A large
//! site's A to Z, a page per letter, does too.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

const LANGS: [&str; 4] = ["", "pl/", "ar/", "cy/"];
const FORMATS: [&str; 3] = ["index.html", "large-print/index.html", "index.txt"];

fn out() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let out = dir.join("public");
        build(&repo().join("tests/fixtures/multilingual"), &out);
        out
    })
}

/// The text of every `<a>` inside `<ul class=a-to-z-entries>` lists.
fn a_to_z_entries(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for list in html.split("a-to-z-entries").skip(1) {
        let list = &list[..list.find("</ul>").unwrap_or(list.len())];
        for item in list.split("<a ").skip(1) {
            let href = attr_values(&format!(" {item}"), "href")
                .into_iter()
                .next()
                .unwrap_or_default();
            let text = item.split_once('>').map(|(_, t)| t).unwrap_or("");
            let title = text[..text.find(['<']).unwrap_or(text.len())].trim();
            out.push((title.replace("&amp;", "&"), href));
        }
    }
    out
}

#[test]
fn the_a_to_z_and_the_statement_come_in_every_format_and_language() {
    let o = out();
    for lang in LANGS {
        for page in ["a-to-z/", "accessibility-statement/"] {
            for format in FORMATS {
                let f = format!("{lang}{page}{format}");
                assert!(o.join(&f).is_file(), "missing {f}");
            }
            // Each web format lists the others, the current one marked.
            for (i, format) in FORMATS.iter().enumerate().take(2) {
                let f = format!("{lang}{page}{format}");
                let html = read(o, &f);
                for (j, other) in FORMATS.iter().enumerate() {
                    let href = format!("/{lang}{page}{}", other.trim_end_matches("index.html"));
                    let linked = html.contains(&format!("href={href}>"))
                        || html.contains(&format!("href=\"{href}\""))
                        || (i == j && html.contains("aria-current"));
                    assert!(linked, "{f} does not list {href}");
                }
            }
        }
    }
}

#[test]
fn the_large_print_a_to_z_leads_to_large_print_pages_that_exist() {
    let o = out();
    let all: BTreeSet<String> = files(o).into_iter().collect();
    for lang in LANGS {
        let f = format!("{lang}a-to-z/large-print/index.html");
        let html = read(o, &f);
        assert!(
            html.contains("large-print"),
            "{f} has no large-print stylesheet"
        );
        let entries = a_to_z_entries(&html);
        let standard = a_to_z_entries(&read(o, &format!("{lang}a-to-z/index.html")));
        assert!(!entries.is_empty(), "{f} lists nothing");
        assert_eq!(
            entries.iter().map(|e| &e.0).collect::<Vec<_>>(),
            standard.iter().map(|e| &e.0).collect::<Vec<_>>(),
            "{f} lists other entries than the standard A to Z"
        );
        for (title, href) in entries {
            assert!(
                href.ends_with("/large-print/"),
                "{f}: `{title}` leads to {href}, not to its large print"
            );
            let file = format!("{}index.html", href.trim_start_matches('/'));
            assert!(
                all.contains(&file),
                "{f}: `{title}` leads to {file}, which is not built"
            );
        }
    }
}

#[test]
fn the_plain_text_a_to_z_lists_every_entry_with_its_full_address() {
    let o = out();
    for lang in LANGS {
        let html = read(o, &format!("{lang}a-to-z/index.html"));
        let text = read(o, &format!("{lang}a-to-z/index.txt"));
        let title = text.lines().next().unwrap_or("");
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{lang}a-to-z/index.txt starts with `{title}`, not the page's title"
        );
        let entries = a_to_z_entries(&html);
        assert!(!entries.is_empty());
        for (title, href) in entries {
            assert!(
                text.contains(&title),
                "{lang}a-to-z/index.txt lacks `{title}`"
            );
            let full = format!("https://fixture.example.org{href}");
            assert!(
                text.lines().any(|l| l.trim() == full),
                "{lang}a-to-z/index.txt lacks the address {full}"
            );
        }
        assert!(!text.contains('<'), "{lang}a-to-z/index.txt has markup");
        assert!(
            text.lines()
                .all(|l| l.chars().count() <= 72 || l.contains("https://"))
        );
    }
}

/// The words of an HTML fragment: tags dropped, entities decoded.
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_plain_text_statement_says_what_the_web_page_says() {
    let o = out();
    for lang in LANGS {
        let html = read(o, &format!("{lang}accessibility-statement/index.html"));
        let text = read(o, &format!("{lang}accessibility-statement/index.txt"));
        let body = html
            .split_once("<div class=\"content prose\">")
            .or_else(|| html.split_once("<div class=content prose>"))
            .or_else(|| html.split_once("class=\"content prose\">"))
            .map(|(_, b)| b)
            .unwrap_or_else(|| panic!("{lang}: no statement body"));
        let body = &body[..body.find("</main>").unwrap_or(body.len())];
        let flat_text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Every paragraph and list item of the web page is in the text.
        let mut compared = 0;
        // Blocks of the (minified) page: paragraphs, list items, headings.
        let mut marked = body.to_string();
        for tag in [
            "<p", "<li", "<h1", "<h2", "<h3", "<ul", "</ul", "</p", "</li",
        ] {
            marked = marked.replace(tag, &format!("\u{1}{tag}"));
        }
        for block in marked.split('\u{1}') {
            let w = words(block);
            let w = w.replace('\u{a0}', " ");
            if w.len() < 12 {
                continue;
            }
            let flat = flat_text.replace('\u{a0}', " ");
            // A heading is numbered in the text ("2. Feedback ...").
            assert!(
                flat.contains(&w),
                "{lang}accessibility-statement/index.txt lacks:\n  {w}"
            );
            compared += 1;
        }
        assert!(compared >= 15, "only {compared} blocks compared for {lang}");
        assert!(text.contains("access@example.org"), "contact email");
        assert!(text.contains("https://www.equalityadvisoryservice.com/"));
        assert!(!text.contains('<'), "{lang}: markup in the text");
    }
    // In Arabic the phone number's digit groups are held together, so it
    // reads left to right.
    let ar = read(o, "ar/accessibility-statement/index.txt");
    assert!(
        ar.contains("01632\u{a0}960001"),
        "Arabic phone number not held together"
    );
    let en = read(o, "accessibility-statement/index.txt");
    assert!(en.contains("01632 960001"));
}

#[test]
fn a_large_sites_letter_pages_come_in_every_format() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write(
        "site.yaml",
        "title: Big\nbase_url: https://big.example.org\nlanguages:\n  - { code: en, name: English }\nprint:\n  large_print_pdf: false\n  booklet_pdf: false\n",
    );
    write(
        "content/_index.md",
        "---\ntitle: Home\nsummary: The home page.\n---\n\nWelcome.\n",
    );
    let n = signpost::search::SPLIT_A_TO_Z + 10;
    for i in 0..n {
        let letter = (b'a' + (i % 26) as u8) as char;
        write(
            &format!("content/p{i}.md"),
            &format!(
                "---\ntitle: {letter}{i} page\nsummary: Page {i} of the big site.\n---\n\nText of page {i}.\n"
            ),
        );
    }
    let out = tmp.path().join("public");
    build(&root, &out);
    let all: BTreeSet<String> = files(&out).into_iter().collect();
    for format in FORMATS {
        assert!(all.contains(&format!("a-to-z/{format}")), "a-to-z/{format}");
        assert!(
            all.contains(&format!("a-to-z/q/{format}")),
            "a-to-z/q/{format}"
        );
    }
    let lp = read(&out, "a-to-z/large-print/index.html");
    assert!(
        lp.contains("href=/a-to-z/q/large-print/"),
        "the large-print letters lead to large-print letter pages"
    );
    let q = read(&out, "a-to-z/q/large-print/index.html");
    let entries = a_to_z_entries(&q);
    assert!(entries.len() > 20, "letter q lists {}", entries.len());
    assert!(entries.iter().all(|(_, h)| h.ends_with("/large-print/")));
    let text = read(&out, "a-to-z/index.txt");
    assert!(text.contains("https://big.example.org/a-to-z/q/"), "{text}");
    let qt = read(&out, "a-to-z/q/index.txt");
    assert!(qt.contains("q16 page") && qt.contains("https://big.example.org/p16/"));
}
